//===- StepExecutor.h - runs a plan's train and eval steps ------*- C++ -*-===//
//
// Everything a step needs is resolved once, when the executor is built: each
// launch's kernel function, slice count and argument array (memory block
// base + tensor offset per binding). Running a step is then a loop over
// launches with no allocation and no lookups.
//
//===----------------------------------------------------------------------===//

#ifndef DLC_RUNTIME_EXEC_STEPEXECUTOR_H
#define DLC_RUNTIME_EXEC_STEPEXECUTOR_H

#include "abi/KernelABI.h"
#include "exec/MemoryBlock.h"
#include "exec/ThreadPool.h"
#include "plan/PlanFile.h"

#include <memory>
#include <string>
#include <vector>

namespace dlc {
namespace runtime {

class StepExecutor {
public:
  /// An executor for `plan` (which must outlive it) on `threads` threads
  /// (the caller included; at least 1). Allocates the zeroed memory block.
  /// Returns null with a one-line error if that fails.
  static std::unique_ptr<StepExecutor> create(const PlanFile &plan,
                                              unsigned threads,
                                              std::string &error);

  void runTrainStep() { runLaunches(trainLaunches, trainSteps); }
  void runEvalStep() { runLaunches(evalLaunches, evalSteps); }

  /// From now on, times every launch (wall time from dispatch to the last
  /// slice's end, so it includes the fork-join).
  void enableProfiling() { profiling = true; }
  bool isProfiling() const { return profiling; }
  /// Per kernel of each step: calls, time per step and per call, share of
  /// the step; empty unless profiling ran.
  std::string profileReport() const;

  /// The storage of tensor `index` of the plan (checked in range at load).
  void *tensorData(int32_t index) const {
    return memory.data() + offsets[index];
  }
  template <typename T> T *tensor(int32_t index) const {
    return static_cast<T *>(tensorData(index));
  }
  unsigned threads() const { return pool.size(); }
  /// Runs task(context, i, slices) for i in [0, slices) on the step's
  /// threads (slices at most threads()), between steps.
  void runOnThreads(ThreadPool::Task task, void *context, int64_t slices) {
    pool.run(task, context, slices);
  }

private:
  struct LaunchRecord {
    dlc_kernel_fn fn;
    void *const *args;
    int64_t slices; // min(kernel workgroups, threads)
    const char *name;
    double seconds = 0; // with profiling: time in this launch so far
  };
  StepExecutor(unsigned threads) : pool(threads) {}
  void runLaunches(std::vector<LaunchRecord> &launches, int64_t &steps);
  std::string stepReport(const char *step,
                         const std::vector<LaunchRecord> &launches,
                         int64_t steps) const;
  static void runSlice(void *context, int64_t slice, int64_t count);

  MemoryBlock memory;
  std::vector<int64_t> offsets;
  std::vector<void *> argStorage; // every launch's arguments, back to back
  std::vector<LaunchRecord> trainLaunches, evalLaunches;
  int64_t trainSteps = 0, evalSteps = 0;
  bool profiling = false;
  ThreadPool pool;
};

} // namespace runtime
} // namespace dlc

#endif // DLC_RUNTIME_EXEC_STEPEXECUTOR_H
