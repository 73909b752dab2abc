//===- ThreadPoolTest.cpp - the runtime's fork-join pool ------------------===//

#include "exec/ThreadPool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

using namespace dlc::runtime;

namespace {

struct Counts {
  std::vector<std::atomic<int>> hits;
  std::atomic<int64_t> badCount{0};
  int64_t expectedCount = 0;
  explicit Counts(size_t n) : hits(n) {}
};

void countSlice(void *context, int64_t slice, int64_t count) {
  Counts *c = static_cast<Counts *>(context);
  if (count != c->expectedCount)
    c->badCount.fetch_add(1);
  c->hits[slice].fetch_add(1);
}

TEST(ThreadPool, EverySliceRunsExactlyOnce) {
  for (unsigned threads : {1u, 2u, 3u, 4u}) {
    ThreadPool pool(threads);
    EXPECT_EQ(pool.size(), threads);
    for (int iteration = 0; iteration < 2000; ++iteration) {
      int64_t count = 1 + iteration % threads;
      Counts c(threads);
      c.expectedCount = count;
      pool.run(&countSlice, &c, count);
      for (unsigned i = 0; i < threads; ++i)
        ASSERT_EQ(c.hits[i].load(), i < count ? 1 : 0)
            << "threads " << threads << " iteration " << iteration;
      ASSERT_EQ(c.badCount.load(), 0);
    }
  }
}

TEST(ThreadPool, ClampsToPoolSize) {
  ThreadPool pool(2);
  Counts c(2);
  c.expectedCount = 2;
  pool.run(&countSlice, &c, 64);
  EXPECT_EQ(c.hits[0].load(), 1);
  EXPECT_EQ(c.hits[1].load(), 1);
}

TEST(ThreadPool, WakesSleepingWorkersAndShutsDown) {
  ThreadPool pool(3);
  for (int round = 0; round < 3; ++round) {
    // Long enough for the workers to stop spinning and sleep on the futex.
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    Counts c(3);
    c.expectedCount = 3;
    pool.run(&countSlice, &c, 3);
    for (int i = 0; i < 3; ++i)
      EXPECT_EQ(c.hits[i].load(), 1);
  }
}

void slowSlice(void *context, int64_t slice, int64_t count) {
  if (slice != 0)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  static_cast<std::atomic<int> *>(context)->fetch_add(1);
}

TEST(ThreadPool, CallerWaitsForSlowWorkers) {
  ThreadPool pool(2);
  std::atomic<int> done{0};
  pool.run(&slowSlice, &done, 2);
  EXPECT_EQ(done.load(), 2);
}

} // namespace
