//===- LaunchGraph.h - which launches of a step may run concurrently -*- C++ -*-===//
//
// A step is a list of launches, each reading and writing byte ranges of
// device memory (the plan's tensors, at their offsets in the memory block,
// and the runtime's own buffers). Launch j must finish before launch i > j
// starts when either writes bytes the other reads or writes; otherwise
// they may overlap. The memory planner's reuse of arena bytes between
// tensors with disjoint lifetimes shows up here as overlapping ranges, so
// it orders launches as it must. Launches of one kernel are always ordered
// (a kernel's split workspace is its own, not its launches').
//
// The CUDA executor captures a step's launches onto several streams so
// that the captured graph has these dependencies and no others: the GPU
// then runs, e.g., a layer's weight gradient beside the input gradient of
// the layer below.
//
//===----------------------------------------------------------------------===//

#ifndef DLC_RUNTIME_PLAN_LAUNCHGRAPH_H
#define DLC_RUNTIME_PLAN_LAUNCHGRAPH_H

#include "plan_generated.h"

#include <cstdint>
#include <vector>

namespace dlc {
namespace runtime {

/// Bytes [begin, end) of one address space.
struct ByteRange {
  uint64_t begin = 0, end = 0;
};

/// What one launch touches.
struct LaunchAccess {
  int kernel = -1; // launches of one kernel are ordered
  std::vector<ByteRange> reads, writes;
};

/// What launch `l` of `plan` touches, its tensors at `base` plus their
/// offsets: each binding as Launch.access says (a plan without it: every
/// binding written).
LaunchAccess launchAccess(const dlc::plan::Plan &plan,
                          const dlc::plan::Launch &l, uint64_t base);

/// The dependencies of each launch (indices of earlier launches, ascending)
/// after transitive reduction: j is listed for i when i must wait for j and
/// no other dependency of i already waits for j.
std::vector<std::vector<int>>
launchDependencies(const std::vector<LaunchAccess> &launches);

/// A stream per launch for capturing `deps` (from launchDependencies):
/// stream 0 first; a launch continues the stream of one of its
/// dependencies when it is that stream's latest launch, else takes the
/// lowest stream whose latest launch it already depends on (transitively),
/// else a new stream. `waits[i]` lists the dependencies of launch i on
/// other streams (the events it must wait for). `streams` is the count.
struct StreamAssignment {
  std::vector<int> stream;
  std::vector<std::vector<int>> waits;
  int streams = 0;
};
StreamAssignment assignStreams(const std::vector<std::vector<int>> &deps);

} // namespace runtime
} // namespace dlc

#endif // DLC_RUNTIME_PLAN_LAUNCHGRAPH_H
