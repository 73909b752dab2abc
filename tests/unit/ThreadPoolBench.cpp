//===- ThreadPoolBench.cpp - dispatch overhead of the runtime pool --------===//
//
// ninja ThreadPoolBench && bin/ThreadPoolBench: time of one launch of an
// empty kernel split over N slices, i.e. the per-launch cost a step pays on
// top of the kernels' own work.
//
//===----------------------------------------------------------------------===//

#include "exec/ThreadPool.h"

#include <benchmark/benchmark.h>

#include <chrono>

using namespace dlc::runtime;

static void emptySlice(void *, int64_t, int64_t) {}

static void BM_Dispatch(benchmark::State &state) {
  int64_t slices = state.range(0);
  ThreadPool pool(static_cast<unsigned>(slices));
  for (auto _ : state)
    pool.run(&emptySlice, nullptr, slices);
}
BENCHMARK(BM_Dispatch)->DenseRange(1, 4)->UseRealTime();

// A launch after the caller was busy elsewhere for range(0) microseconds
// (e.g. gathering a batch): past the workers' spin time this is the futex
// wake-up path.
static void BM_DispatchAfterGap(benchmark::State &state) {
  ThreadPool pool(2);
  auto gap = std::chrono::microseconds(state.range(0));
  for (auto _ : state) {
    state.PauseTiming();
    auto until = std::chrono::steady_clock::now() + gap;
    while (std::chrono::steady_clock::now() < until) {
    }
    state.ResumeTiming();
    pool.run(&emptySlice, nullptr, 2);
  }
}
BENCHMARK(BM_DispatchAfterGap)->Arg(100)->Arg(1000)->Arg(5000)->UseRealTime();
