//===- GPUSimulator.cpp - GPU thread blocks as CPU fibers -----------------===//

#include "GPUSimulator.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>
#include <vector>

namespace {

constexpr int64_t kWarp = 32;
/// Each thread's stack; a guard page below it turns an overflow into a
/// fault rather than another thread's corruption.
constexpr size_t kStackBytes = 256 << 10;

enum class State { Ready, AtBarrier, AtShuffle, Returned };

struct Fiber {
  ucontext_t context;
  State state = State::Ready;
};

/// Stacks reused by the blocks run on one thread.
struct StackPool {
  std::vector<char *> stacks;
  size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));

  char *get(size_t i) {
    while (stacks.size() <= i) {
      void *base = mmap(nullptr, kStackBytes + page, PROT_READ | PROT_WRITE,
                        MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
      if (base == MAP_FAILED) {
        std::perror("GPU simulator: mmap of a thread's stack");
        std::abort();
      }
      mprotect(base, page, PROT_NONE);
      stacks.push_back(static_cast<char *>(base));
    }
    return stacks[i] + page;
  }
  ~StackPool() {
    for (char *s : stacks)
      munmap(s, kStackBytes + page);
  }
};

struct BlockRun {
  dlc_gpusim_thread_fn thread;
  std::vector<void *> args;
  int64_t wgId, wgCount;
  std::vector<Fiber> fibers;
  ucontext_t scheduler;
  int64_t current = -1;
  std::vector<uint32_t> slots; // each thread's shuffle operand
  std::string error;
};

thread_local BlockRun *tRun = nullptr;
thread_local std::string tError;
thread_local StackPool tStacks;

void fiberMain() {
  BlockRun &run = *tRun;
  run.thread(run.args.data(), run.wgId, run.wgCount);
  run.fibers[run.current].state = State::Returned;
  // uc_link resumes the scheduler.
}

/// Thread `t` of `run`, ready to start. (Apart, because getcontext returns
/// twice.)
[[gnu::noinline]] void startFiber(BlockRun &run, int64_t t) {
  ucontext_t &c = run.fibers[t].context;
  getcontext(&c);
  c.uc_stack.ss_sp = tStacks.get(t);
  c.uc_stack.ss_size = kStackBytes;
  c.uc_link = &run.scheduler;
  makecontext(&c, fiberMain, 0);
}

/// Leaves the running thread at `state` until the scheduler releases it.
void waitAt(State state) {
  BlockRun &run = *tRun;
  Fiber &f = run.fibers[run.current];
  f.state = state;
  swapcontext(&f.context, &run.scheduler);
}

/// Stops the block at an error found by its running thread.
[[noreturn]] void fail(std::string message) {
  BlockRun &run = *tRun;
  run.error = "block " + std::to_string(run.wgId) + ", thread " +
              std::to_string(run.current) + ": " + message;
  Fiber &f = run.fibers[run.current];
  f.state = State::Returned;
  swapcontext(&f.context, &run.scheduler);
  std::abort(); // never resumed
}

const char *describe(State s) {
  switch (s) {
  case State::Ready:
    return "running";
  case State::AtBarrier:
    return "at a barrier";
  case State::AtShuffle:
    return "at a shuffle";
  case State::Returned:
    return "returned";
  }
  return "?";
}

/// Releases what can be released; false when nothing can run any more.
bool release(BlockRun &run) {
  auto &fibers = run.fibers;
  int64_t n = fibers.size();
  bool released = false;
  for (int64_t base = 0; base < n; base += kWarp) {
    int64_t end = std::min(n, base + kWarp);
    bool all = true;
    for (int64_t t = base; t < end; ++t)
      all &= fibers[t].state == State::AtShuffle;
    if (all) {
      for (int64_t t = base; t < end; ++t)
        fibers[t].state = State::Ready;
      released = true;
    }
  }
  int64_t atBarrier = 0, returned = 0;
  for (const Fiber &f : fibers) {
    atBarrier += f.state == State::AtBarrier;
    returned += f.state == State::Returned;
  }
  if (atBarrier > 0 && atBarrier == n) {
    for (Fiber &f : fibers)
      f.state = State::Ready;
    released = true;
  }
  if (released || returned == n)
    return true;
  for (const Fiber &f : fibers)
    if (f.state == State::Ready)
      return true;
  // Stuck: name the first thread in each state.
  std::string what;
  for (State s : {State::AtBarrier, State::AtShuffle, State::Returned})
    for (int64_t t = 0; t < n; ++t)
      if (fibers[t].state == s) {
        what += (what.empty() ? "" : ", ") + std::string("thread ") +
                std::to_string(t) + " " + describe(s);
        break;
      }
  run.error = "block " + std::to_string(run.wgId) +
              " can never finish (a GPU would hang): " + what;
  return false;
}

template <typename T> T shuffle(T value, int32_t offset, int32_t width,
                                int32_t mode) {
  BlockRun &run = *tRun;
  int64_t tid = run.current;
  if (width <= 0 || width > kWarp || (width & (width - 1)))
    fail("shuffle width " + std::to_string(width));
  std::memcpy(&run.slots[tid], &value, sizeof(T));
  waitAt(State::AtShuffle);
  int64_t lane = tid % kWarp;
  int64_t segmentLane = lane % width;
  int64_t source = mode == 0   ? segmentLane ^ offset
                   : mode == 1 ? segmentLane - offset
                   : mode == 2 ? segmentLane + offset
                               : offset;
  T result = value;
  if (source >= 0 && source < width) {
    int64_t from = tid - segmentLane + source;
    if (from >= static_cast<int64_t>(run.fibers.size()))
      fail("shuffle from lane " + std::to_string(from % kWarp) +
           ", outside the block");
    std::memcpy(&result, &run.slots[from], sizeof(T));
  }
  // No lane writes its operand again before every lane has read.
  waitAt(State::AtShuffle);
  return result;
}

} // namespace

extern "C" {

void dlc_gpusim_run_block(dlc_gpusim_thread_fn thread, void *const *buffers,
                          int64_t num_buffers, const int64_t *workgroup_bytes,
                          int64_t num_workgroup, int64_t block, int64_t wg_id,
                          int64_t wg_count) {
  BlockRun run;
  run.thread = thread;
  run.wgId = wg_id;
  run.wgCount = wg_count;
  run.args.assign(buffers, buffers + num_buffers);
  std::vector<std::unique_ptr<uint8_t[]>> workgroup;
  for (int64_t i = 0; i < num_workgroup; ++i) {
    // 64-byte aligned, as much as any workgroup buffer asks.
    size_t bytes = static_cast<size_t>(workgroup_bytes[i]) + 64;
    workgroup.emplace_back(new uint8_t[bytes]);
    std::memset(workgroup.back().get(), 0xff, bytes);
    uintptr_t p = reinterpret_cast<uintptr_t>(workgroup.back().get());
    run.args.push_back(reinterpret_cast<void *>((p + 63) & ~uintptr_t(63)));
  }
  run.fibers.resize(block);
  run.slots.resize(block);
  for (int64_t t = 0; t < block; ++t)
    startFiber(run, t);

  BlockRun *outer = tRun;
  tRun = &run;
  // Odd blocks run their threads in descending order (GPUSimulator.h).
  bool descending = wg_id % 2;
  do {
    for (int64_t k = 0; k < block && run.error.empty(); ++k) {
      int64_t t = descending ? block - 1 - k : k;
      if (run.fibers[t].state != State::Ready)
        continue;
      run.current = t;
      swapcontext(&run.scheduler, &run.fibers[t].context);
    }
  } while (run.error.empty() && release(run) &&
           std::any_of(run.fibers.begin(), run.fibers.end(),
                       [](const Fiber &f) { return f.state != State::Returned; }));
  tRun = outer;
  if (!run.error.empty() && tError.empty()) {
    std::fprintf(stderr, "GPU simulator: %s\n", run.error.c_str());
    tError = run.error;
  }
}

int64_t dlc_gpusim_thread_id(void) { return tRun ? tRun->current : 0; }

void dlc_gpusim_barrier(void) { waitAt(State::AtBarrier); }

float dlc_gpusim_shuffle_f32(float value, int32_t offset, int32_t width,
                             int32_t mode) {
  return shuffle(value, offset, width, mode);
}

int32_t dlc_gpusim_shuffle_i32(int32_t value, int32_t offset, int32_t width,
                               int32_t mode) {
  return shuffle(value, offset, width, mode);
}

} // extern "C"

std::string dlc::test::takeGPUSimulatorError() {
  std::string error = std::move(tError);
  tError.clear();
  return error;
}
