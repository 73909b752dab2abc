//===- ThreadPool.h - fork-join pool for kernel slices ----------*- C++ -*-===//
//
// A step is a sequence of short launches, each split into slices that must
// all finish before the next launch. The pool is built for that: the caller
// runs slice 0 itself, workers spin briefly on a generation counter before
// sleeping on a futex, and running a launch allocates nothing.
//
//===----------------------------------------------------------------------===//

#ifndef DLC_RUNTIME_EXEC_THREADPOOL_H
#define DLC_RUNTIME_EXEC_THREADPOOL_H

#include <atomic>
#include <cstdint>
#include <memory>
#include <thread>
#include <vector>

namespace dlc {
namespace runtime {

class ThreadPool {
public:
  using Task = void (*)(void *context, int64_t slice, int64_t count);

  /// A pool of `threads` threads in all, the caller included (so
  /// `threads - 1` workers); 0 is taken as 1.
  explicit ThreadPool(unsigned threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool &) = delete;
  ThreadPool &operator=(const ThreadPool &) = delete;

  unsigned size() const { return static_cast<unsigned>(workers.size()) + 1; }

  /// Runs task(context, i, count) for every i in [0, count) and returns when
  /// all have returned; slice 0 runs on the calling thread. `count` must be
  /// in [1, size()]. Not reentrant: one caller at a time.
  void run(Task task, void *context, int64_t count);

private:
  void workerLoop(uint32_t id);

  // Written by the caller before signalling a job; read only by the
  // workers signalled, and the caller does not touch them again before all
  // of those have finished.
  Task task = nullptr;
  void *context = nullptr;
  int64_t count = 0;
  std::atomic<bool> stopping{false};
  // One cache line per worker: only the workers a launch needs are signalled
  // (a 2-slice kernel on a 16-thread pool wakes one worker, not fifteen).
  struct alignas(64) Signal {
    std::atomic<uint32_t> generation{0}; // futex word
    std::atomic<uint32_t> sleeping{0};
  };
  std::unique_ptr<Signal[]> signals;
  // Slices not yet finished by workers; the caller's futex word when it has
  // to wait.
  alignas(64) std::atomic<uint32_t> pending{0};
  std::atomic<uint32_t> callerWaiting{0};
  uint32_t generation = 0;
  std::vector<std::thread> workers;
};

} // namespace runtime
} // namespace dlc

#endif // DLC_RUNTIME_EXEC_THREADPOOL_H
