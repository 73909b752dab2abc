//===- LaunchGraph.cpp - which launches of a step may run concurrently ----===//

#include "plan/LaunchGraph.h"

#include <algorithm>

namespace dlc {
namespace runtime {

namespace {
bool overlaps(const std::vector<ByteRange> &a, const std::vector<ByteRange> &b) {
  for (const ByteRange &x : a)
    for (const ByteRange &y : b)
      if (x.begin < x.end && y.begin < y.end && x.begin < y.end &&
          y.begin < x.end)
        return true;
  return false;
}

bool conflict(const LaunchAccess &earlier, const LaunchAccess &later) {
  return earlier.kernel == later.kernel ||
         overlaps(earlier.writes, later.reads) ||
         overlaps(earlier.writes, later.writes) ||
         overlaps(earlier.reads, later.writes);
}

/// ancestors[i][j]: launch i waits for launch j, directly or not.
std::vector<std::vector<bool>>
ancestorsOf(const std::vector<std::vector<int>> &deps) {
  std::vector<std::vector<bool>> ancestors(deps.size(),
                                           std::vector<bool>(deps.size()));
  for (size_t i = 0; i < deps.size(); ++i)
    for (int j : deps[i]) {
      ancestors[i][j] = true;
      for (size_t k = 0; k < static_cast<size_t>(j); ++k)
        if (ancestors[j][k])
          ancestors[i][k] = true;
    }
  return ancestors;
}
} // namespace

LaunchAccess launchAccess(const dlc::plan::Plan &plan,
                          const dlc::plan::Launch &l, uint64_t base) {
  using dlc::plan::Access;
  LaunchAccess a;
  a.kernel = l.kernel();
  for (flatbuffers::uoffset_t b = 0; l.bindings() && b < l.bindings()->size();
       ++b) {
    const dlc::plan::Tensor *t = plan.tensors()->Get(l.bindings()->Get(b));
    uint64_t at = base + static_cast<uint64_t>(t->offset());
    ByteRange r{at, at + static_cast<uint64_t>(t->size())};
    Access access = l.access() ? l.access()->Get(b) : Access::ANY;
    if ((access & Access::Write) != Access::NONE)
      a.writes.push_back(r);
    else if ((access & Access::Read) != Access::NONE)
      a.reads.push_back(r);
  }
  return a;
}

std::vector<std::vector<int>>
launchDependencies(const std::vector<LaunchAccess> &launches) {
  size_t n = launches.size();
  std::vector<std::vector<int>> direct(n), deps(n);
  for (size_t i = 0; i < n; ++i)
    for (size_t j = 0; j < i; ++j)
      if (conflict(launches[j], launches[i]))
        direct[i].push_back(static_cast<int>(j));
  // Reduce: from the latest dependency back, keep those no kept one
  // already waits for (a dependency's ancestors all come before it).
  std::vector<std::vector<bool>> ancestors(n, std::vector<bool>(n));
  for (size_t i = 0; i < n; ++i) {
    std::vector<bool> covered(n);
    for (auto j = direct[i].rbegin(); j != direct[i].rend(); ++j) {
      if (covered[*j])
        continue;
      deps[i].push_back(*j);
      covered[*j] = true;
      for (size_t k = 0; k < static_cast<size_t>(*j); ++k)
        if (ancestors[*j][k])
          covered[k] = true;
    }
    std::sort(deps[i].begin(), deps[i].end());
    ancestors[i] = covered;
  }
  return deps;
}

StreamAssignment assignStreams(const std::vector<std::vector<int>> &deps) {
  StreamAssignment a;
  size_t n = deps.size();
  a.stream.assign(n, -1);
  a.waits.resize(n);
  std::vector<std::vector<bool>> ancestors = ancestorsOf(deps);
  std::vector<int> tail; // latest launch per stream
  for (size_t i = 0; i < n; ++i) {
    int s = -1;
    // Continue the stream of the latest dependency that ends one.
    for (auto d = deps[i].rbegin(); d != deps[i].rend() && s < 0; ++d)
      if (tail[a.stream[*d]] == *d)
        s = a.stream[*d];
    for (size_t t = 0; t < tail.size() && s < 0; ++t)
      if (ancestors[i][tail[t]])
        s = static_cast<int>(t);
    if (s < 0) {
      s = static_cast<int>(tail.size());
      tail.push_back(-1);
    }
    a.stream[i] = s;
    tail[s] = static_cast<int>(i);
    for (int d : deps[i])
      if (a.stream[d] != s)
        a.waits[i].push_back(d);
  }
  a.streams = static_cast<int>(tail.size());
  return a;
}

} // namespace runtime
} // namespace dlc
