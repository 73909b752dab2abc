//===- LaunchGraphTest.cpp - dependencies and streams of a step's launches ===//

#include "plan/LaunchGraph.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <random>
#include <string>

using namespace dlc::runtime;

namespace {

LaunchAccess access(int kernel, std::vector<ByteRange> reads,
                    std::vector<ByteRange> writes) {
  return {kernel, std::move(reads), std::move(writes)};
}

bool conflicts(const LaunchAccess &a, const LaunchAccess &b) {
  auto overlap = [](const std::vector<ByteRange> &x,
                    const std::vector<ByteRange> &y) {
    for (const ByteRange &r : x)
      for (const ByteRange &q : y)
        if (std::max(r.begin, q.begin) < std::min(r.end, q.end))
          return true;
    return false;
  };
  return a.kernel == b.kernel || overlap(a.writes, b.reads) ||
         overlap(a.writes, b.writes) || overlap(a.reads, b.writes);
}

/// reach[i][j]: i waits for j through `deps`.
std::vector<std::vector<bool>>
closure(const std::vector<std::vector<int>> &deps) {
  size_t n = deps.size();
  std::vector<std::vector<bool>> reach(n, std::vector<bool>(n));
  for (size_t i = 0; i < n; ++i)
    for (int j : deps[i]) {
      reach[i][j] = true;
      for (size_t k = 0; k < n; ++k)
        if (reach[j][k])
          reach[i][k] = true;
    }
  return reach;
}

} // namespace

TEST(LaunchGraph, ConflictsAreWritesAgainstAnyAccess) {
  ByteRange x{0, 64}, y{64, 128}, xy{32, 96};
  std::vector<LaunchAccess> launches = {
      access(0, {}, {x}),   // 0 writes x
      access(1, {x}, {y}),  // 1 reads x (after 0), writes y
      access(2, {x}, {}),   // 2 reads x: after 0, beside 1
      access(3, {}, {xy}),  // 3 overwrites what 1 and 2 read and 1 wrote
      access(4, {{128, 128}}, {{128, 128}}), // empty ranges: free
      access(1, {}, {}),    // kernel 1 again: after its first launch
  };
  std::vector<std::vector<int>> deps = launchDependencies(launches);
  EXPECT_EQ(deps[0], std::vector<int>{});
  EXPECT_EQ(deps[1], std::vector<int>{0});
  EXPECT_EQ(deps[2], std::vector<int>{0});
  EXPECT_EQ(deps[3], (std::vector<int>{1, 2}));
  EXPECT_EQ(deps[4], std::vector<int>{});
  EXPECT_EQ(deps[5], std::vector<int>{1});
}

TEST(LaunchGraph, DependenciesAreTransitivelyReduced) {
  ByteRange a{0, 4}, b{4, 8}, c{8, 12};
  // 0 -> 1 -> 2 and 2 also reads what 0 wrote: 2 waits for 1 alone.
  std::vector<LaunchAccess> launches = {access(0, {}, {a}),
                                        access(1, {a}, {b}),
                                        access(2, {a, b}, {c})};
  std::vector<std::vector<int>> deps = launchDependencies(launches);
  EXPECT_EQ(deps[2], std::vector<int>{1});
}

TEST(LaunchGraph, DiamondTakesTwoStreams) {
  std::vector<std::vector<int>> deps = {{}, {0}, {0}, {1, 2}};
  StreamAssignment s = assignStreams(deps);
  EXPECT_EQ(s.streams, 2);
  EXPECT_EQ(s.stream, (std::vector<int>{0, 0, 1, 1}));
  EXPECT_EQ(s.waits[2], std::vector<int>{0});
  EXPECT_EQ(s.waits[3], std::vector<int>{1});
}

TEST(LaunchGraph, ChainStaysOnOneStream) {
  std::vector<std::vector<int>> deps = {{}, {0}, {1}, {2}};
  StreamAssignment s = assignStreams(deps);
  EXPECT_EQ(s.streams, 1);
  for (const std::vector<int> &w : s.waits)
    EXPECT_TRUE(w.empty());
}

TEST(LaunchGraph, FinishedStreamIsReused) {
  // 1 and 2 beside each other after 0, 3 after both, 4 and 5 beside each
  // other after 3: stream 0's latest launch (1) is done before 5 starts,
  // so 5 goes there rather than to a third stream.
  std::vector<std::vector<int>> deps = {{}, {0}, {0}, {1, 2}, {3}, {3}};
  StreamAssignment s = assignStreams(deps);
  EXPECT_EQ(s.streams, 2);
  EXPECT_EQ(s.stream, (std::vector<int>{0, 0, 1, 1, 1, 0}));
  EXPECT_EQ(s.waits[3], std::vector<int>{1});
  EXPECT_EQ(s.waits[5], std::vector<int>{3});
}

TEST(LaunchGraph, RandomStepsKeepEveryConflictOrdered) {
  // A fresh seed each run (DLC_TEST_SEED replays one).
  const char *env = std::getenv("DLC_TEST_SEED");
  uint64_t seed = env ? std::strtoull(env, nullptr, 10) : std::random_device{}();
  SCOPED_TRACE("random seed " + std::to_string(seed));
  std::mt19937_64 engine(seed);
  auto below = [&](uint64_t n) {
    return std::uniform_int_distribution<uint64_t>(0, n - 1)(engine);
  };
  for (int trial = 0; trial < 200; ++trial) {
    int n = 2 + static_cast<int>(below(30));
    std::vector<LaunchAccess> launches;
    for (int i = 0; i < n; ++i) {
      LaunchAccess a;
      a.kernel = static_cast<int>(below(40));
      auto range = [&]() {
        uint64_t begin = below(64) * 16;
        return ByteRange{begin, begin + 16 * (1 + below(4))};
      };
      for (uint64_t r = below(3); r > 0; --r)
        a.reads.push_back(range());
      for (uint64_t w = below(3); w > 0; --w)
        a.writes.push_back(range());
      launches.push_back(a);
    }
    std::vector<std::vector<int>> deps = launchDependencies(launches);
    std::vector<std::vector<bool>> reach = closure(deps);
    for (int i = 0; i < n; ++i) {
      for (int j = 0; j < i; ++j) {
        if (conflicts(launches[j], launches[i])) {
          ASSERT_TRUE(reach[i][j]) << "launch " << i << " may overtake " << j;
        }
      }
      for (int d : deps[i]) {
        ASSERT_TRUE(conflicts(launches[d], launches[i]));
        // No other dependency of i already waits for d.
        for (int e : deps[i])
          ASSERT_FALSE(e != d && reach[e][d]);
      }
    }
    // Each dependency is stream order or an event wait.
    StreamAssignment s = assignStreams(deps);
    for (int i = 0; i < n; ++i)
      for (int d : deps[i]) {
        bool waited = std::find(s.waits[i].begin(), s.waits[i].end(), d) !=
                      s.waits[i].end();
        ASSERT_TRUE(s.stream[d] == s.stream[i] || waited);
        ASSERT_EQ(waited, s.stream[d] != s.stream[i]);
      }
    ASSERT_EQ(s.stream[0], 0);
  }
}
