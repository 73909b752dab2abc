//===- Dispatch.cpp - the thread pool's cost per kernel launch ------------===//
//
// Times ThreadPool::run, the fork-join every kernel launch of a CPU step
// goes through, with a task that does nothing: what a launch costs on top
// of its kernel. Launches follow each other back to back, as in a step.
//
//   dispatch-bench [THREADS] [LAUNCHES]
//
// Prints, for 1..THREADS slices, the mean and the 99th percentile per launch
// over batches of 1000 launches.
//
//===----------------------------------------------------------------------===//

#include "exec/ThreadPool.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

using dlc::runtime::ThreadPool;

int main(int argc, char **argv) {
  unsigned threads = argc > 1 ? std::atoi(argv[1]) : 2;
  long launches = argc > 2 ? std::atol(argv[2]) : 200000;
  if (threads < 1 || launches < 1000) {
    std::fprintf(stderr, "usage: dispatch-bench [THREADS >= 1] [LAUNCHES >= 1000]\n");
    return 1;
  }
  ThreadPool pool(threads);
  auto nothing = [](void *, int64_t, int64_t) {};
  using Clock = std::chrono::steady_clock;
  std::printf("thread pool dispatch, %u threads, %ld empty launches per row\n",
              threads, launches);
  for (unsigned slices = 1; slices <= threads; ++slices) {
    for (int i = 0; i < 1000; ++i) // wake the workers
      pool.run(nothing, nullptr, slices);
    std::vector<double> perBatch; // microseconds per launch, per 1000
    for (long done = 0; done + 1000 <= launches; done += 1000) {
      Clock::time_point start = Clock::now();
      for (int i = 0; i < 1000; ++i)
        pool.run(nothing, nullptr, slices);
      perBatch.push_back(
          std::chrono::duration<double, std::micro>(Clock::now() - start)
              .count() /
          1000);
    }
    std::sort(perBatch.begin(), perBatch.end());
    double mean = 0;
    for (double us : perBatch)
      mean += us / perBatch.size();
    std::printf("  %u slice(s): %.3f us per launch (mean), %.3f us (p99 of "
                "1000-launch batches)\n",
                slices, mean, perBatch[perBatch.size() * 99 / 100]);
  }
  return 0;
}
