//===- GPUSimulator.cpp - GPU thread blocks as CPU fibers -----------------===//

#include "GPUSimulator.h"

#include <algorithm>
#include <atomic>
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
  /// Where it waits (the call's site) and, at a shuffle, its mode and
  /// width: a warp's lanes, a block's threads must agree.
  int32_t site = -1, mode = 0, width = 0;
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
std::atomic<int64_t> blocksRun{0};

/// The running block; a call outside one is a misuse of the simulator.
BlockRun &running(const char *what) {
  if (!tRun) {
    std::fprintf(stderr, "GPU simulator: %s outside a block\n", what);
    std::abort();
  }
  return *tRun;
}

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

/// Leaves the running thread at `state`, called from `site`, until the
/// scheduler releases it.
void waitAt(State state, int32_t site, int32_t mode = 0, int32_t width = 0) {
  BlockRun &run = *tRun;
  Fiber &f = run.fibers[run.current];
  f.state = state;
  f.site = site;
  f.mode = mode;
  f.width = width;
  swapcontext(&f.context, &run.scheduler);
}

/// Stops the block at an error found by its running thread.
[[noreturn]] void fail(std::string message) {
  BlockRun &run = *tRun;
  // Moved from: nothing of it is left to free, as the thread never resumes.
  run.error = "block " + std::to_string(run.wgId) + ", thread " +
              std::to_string(run.current) + ": " + std::move(message);
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

/// Whether threads [begin, end) all wait at the same place as `begin`;
/// else sets the block's error.
bool samePlace(BlockRun &run, int64_t begin, int64_t end, const char *what) {
  const Fiber &first = run.fibers[begin];
  for (int64_t t = begin + 1; t < end; ++t) {
    const Fiber &f = run.fibers[t];
    if (f.site != first.site || f.mode != first.mode ||
        f.width != first.width) {
      run.error = "block " + std::to_string(run.wgId) + ": threads " +
                  std::to_string(begin) + " and " + std::to_string(t) +
                  " wait at different " + what + " (a GPU would hang)";
      return false;
    }
  }
  return true;
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
      if (!samePlace(run, base, end, "shuffles"))
        return false;
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
    if (!samePlace(run, 0, n, "barriers"))
      return false;
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

template <typename T>
T shuffle(T value, int32_t offset, int32_t width, int32_t mode, int32_t site) {
  BlockRun &run = running("a shuffle");
  int64_t tid = run.current;
  int64_t lane = tid % kWarp;
  // The NVVM lowering of a narrower gpu.shuffle leaves lanes past the
  // width undefined; the kernels shuffle whole warps.
  if (width != kWarp)
    fail("shuffle of width " + std::to_string(width) + " (32 expected)");
  if (tid - lane + kWarp > static_cast<int64_t>(run.fibers.size()))
    fail("shuffle in a warp the block does not fill");
  std::memcpy(&run.slots[tid], &value, sizeof(T));
  waitAt(State::AtShuffle, site, mode, width);
  int64_t source = mode == 0   ? lane ^ offset
                   : mode == 1 ? lane - offset
                   : mode == 2 ? lane + offset
                               : offset;
  T result = value; // a source outside the warp: the lane's own value
  if (source >= 0 && source < kWarp)
    std::memcpy(&result, &run.slots[tid - lane + source], sizeof(T));
  // No lane writes its operand again before every lane has read.
  waitAt(State::AtShuffle, site, mode, width);
  return result;
}

} // namespace

extern "C" {

void dlc_gpusim_run_block(dlc_gpusim_thread_fn thread, void *const *buffers,
                          int64_t num_buffers, const int64_t *workgroup_bytes,
                          int64_t num_workgroup, int64_t block, int64_t wg_id,
                          int64_t wg_count) {
  if (tRun) {
    std::fprintf(stderr, "GPU simulator: a block started inside a block\n");
    std::abort();
  }
  ++blocksRun;
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
  tRun = nullptr;
  if (!run.error.empty() && tError.empty()) {
    std::fprintf(stderr, "GPU simulator: %s\n", run.error.c_str());
    tError = run.error;
  }
}

int64_t dlc_gpusim_thread_id(void) { return running("a thread id").current; }

void dlc_gpusim_barrier(int32_t site) {
  running("a barrier");
  waitAt(State::AtBarrier, site);
}

float dlc_gpusim_shuffle_f32(float value, int32_t offset, int32_t width,
                             int32_t mode, int32_t site) {
  return shuffle(value, offset, width, mode, site);
}

int32_t dlc_gpusim_shuffle_i32(int32_t value, int32_t offset, int32_t width,
                               int32_t mode, int32_t site) {
  return shuffle(value, offset, width, mode, site);
}

} // extern "C"

int64_t dlc::test::gpuSimulatorBlocks() { return blocksRun.load(); }

std::string dlc::test::takeGPUSimulatorError() {
  std::string error = std::move(tError);
  tError.clear();
  return error;
}
