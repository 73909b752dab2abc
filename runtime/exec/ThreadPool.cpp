//===- ThreadPool.cpp - fork-join pool for kernel slices ------------------===//

#include "exec/ThreadPool.h"

#include <chrono>
#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define DLC_CPU_RELAX() _mm_pause()
#elif defined(__aarch64__)
#define DLC_CPU_RELAX() asm volatile("yield")
#else
#define DLC_CPU_RELAX() ((void)0)
#endif

namespace dlc {
namespace runtime {

namespace {
// Launches of a step follow each other within microseconds, and between
// steps the caller spends ~100 us gathering the next batch. Spinning this
// long keeps workers awake through both (a futex wake-up costs ~100 us on a
// VM) while letting them sleep between epochs. Bounded by time, not by
// iterations, because the cost of a pause instruction varies tenfold
// between CPUs.
constexpr std::chrono::microseconds SpinTime(250);

/// Spins until done() holds or SpinTime has passed; returns done().
template <typename Done> bool spinUntil(Done done) {
  using Clock = std::chrono::steady_clock;
  Clock::time_point deadline = Clock::now() + SpinTime;
  for (;;) {
    for (int i = 0; i < 64; ++i) {
      if (done())
        return true;
      DLC_CPU_RELAX();
    }
    if (Clock::now() >= deadline)
      return done();
  }
}

void futexWait(std::atomic<uint32_t> *word, uint32_t expected) {
  syscall(SYS_futex, reinterpret_cast<uint32_t *>(word), FUTEX_WAIT_PRIVATE,
          expected, nullptr, nullptr, 0);
}

void futexWake(std::atomic<uint32_t> *word) {
  syscall(SYS_futex, reinterpret_cast<uint32_t *>(word), FUTEX_WAKE_PRIVATE,
          1, nullptr, nullptr, 0);
}

static_assert(sizeof(std::atomic<uint32_t>) == 4 &&
                  std::atomic<uint32_t>::is_always_lock_free,
              "futex words must be plain 32-bit integers");
} // namespace

ThreadPool::ThreadPool(unsigned threads) {
  unsigned numWorkers = threads > 1 ? threads - 1 : 0;
  signals.reset(new Signal[numWorkers + 1]);
  for (unsigned i = 1; i <= numWorkers; ++i)
    workers.emplace_back([this, i] { workerLoop(i); });
}

ThreadPool::~ThreadPool() {
  stopping.store(true, std::memory_order_relaxed);
  ++generation;
  for (size_t i = 1; i <= workers.size(); ++i) {
    signals[i].generation.store(generation, std::memory_order_seq_cst);
    futexWake(&signals[i].generation);
  }
  for (std::thread &t : workers)
    t.join();
}

void ThreadPool::run(Task fn, void *ctx, int64_t slices) {
  if (slices > static_cast<int64_t>(size()))
    slices = size();
  if (slices <= 1) {
    fn(ctx, 0, 1);
    return;
  }
  task = fn;
  context = ctx;
  count = slices;
  pending.store(static_cast<uint32_t>(slices - 1), std::memory_order_relaxed);
  ++generation;
  for (int64_t i = 1; i < slices; ++i) {
    Signal &s = signals[i];
    s.generation.store(generation, std::memory_order_seq_cst);
    // Dekker-style with the worker's `sleeping` store: either we see it and
    // wake the worker, or its futex wait sees the new generation.
    if (s.sleeping.load(std::memory_order_seq_cst))
      futexWake(&s.generation);
  }

  fn(ctx, 0, slices);

  if (spinUntil([&] { return pending.load(std::memory_order_acquire) == 0; }))
    return;
  callerWaiting.store(1, std::memory_order_seq_cst);
  for (uint32_t left; (left = pending.load(std::memory_order_seq_cst)) != 0;)
    futexWait(&pending, left);
  callerWaiting.store(0, std::memory_order_relaxed);
}

void ThreadPool::workerLoop(uint32_t id) {
  Signal &s = signals[id];
  uint32_t seen = 0;
  for (;;) {
    auto signalled = [&] {
      return s.generation.load(std::memory_order_acquire) != seen;
    };
    while (!spinUntil(signalled)) {
      s.sleeping.store(1, std::memory_order_seq_cst);
      if (s.generation.load(std::memory_order_seq_cst) == seen)
        futexWait(&s.generation, seen);
      s.sleeping.store(0, std::memory_order_relaxed);
    }
    seen = s.generation.load(std::memory_order_acquire);
    if (stopping.load(std::memory_order_relaxed))
      return;
    task(context, id, count);
    if (pending.fetch_sub(1, std::memory_order_seq_cst) == 1 &&
        callerWaiting.load(std::memory_order_seq_cst))
      futexWake(&pending);
  }
}

} // namespace runtime
} // namespace dlc
