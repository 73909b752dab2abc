//===- GPUSimulatorTest.cpp - the fiber simulator of GPU blocks -----------===//
//
// The simulator that CompiledKernelTest runs the GPU kernels on must itself
// be a GPU: a barrier waits for the whole block, a shuffle exchanges the
// lanes' values, workgroup memory is the block's, and what would hang a GPU
// is an error.
//
//===----------------------------------------------------------------------===//

#include "GPUSimulator.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <vector>

using dlc::test::takeGPUSimulatorError;

namespace {

void run(dlc_gpusim_thread_fn thread, std::vector<void *> buffers,
         std::vector<int64_t> workgroupBytes, int64_t block, int64_t wg = 0,
         int64_t count = 1) {
  dlc_gpusim_run_block(thread, buffers.data(), buffers.size(),
                       workgroupBytes.data(), workgroupBytes.size(), block, wg,
                       count);
}

// Each thread writes its id to workgroup memory, waits, and reads its
// neighbour's: right only if the barrier waits for every thread, in blocks
// whose threads run in either order.
TEST(GPUSimulator, BarrierWaitsForTheBlock) {
  auto thread = [](void *const *args, int64_t, int64_t) {
    auto *out = static_cast<int32_t *>(args[0]);
    auto *shared = static_cast<int32_t *>(args[1]);
    int64_t t = dlc_gpusim_thread_id();
    shared[t] = static_cast<int32_t>(t) * 3;
    dlc_gpusim_barrier(0);
    out[t] = shared[(t + 1) % 96];
  };
  for (int64_t wg : {0, 1}) {
    std::vector<int32_t> out(96, -1);
    run(thread, {out.data()}, {96 * 4}, 96, wg, 2);
    EXPECT_EQ(takeGPUSimulatorError(), "");
    for (int64_t t = 0; t < 96; ++t)
      ASSERT_EQ(out[t], ((t + 1) % 96) * 3) << "thread " << t;
  }
}

// Workgroup memory starts as NaN in every block: a read before any write
// shows.
TEST(GPUSimulator, WorkgroupMemoryStartsAsNaN) {
  auto thread = [](void *const *args, int64_t wg, int64_t) {
    auto *out = static_cast<float *>(args[0]);
    auto *shared = static_cast<float *>(args[1]);
    int64_t t = dlc_gpusim_thread_id();
    out[wg * 32 + t] = shared[t];
    shared[t] = 1.0f;
  };
  std::vector<float> out(64, 0);
  for (int64_t wg : {0, 1})
    run(thread, {out.data()}, {32 * 4}, 32, wg, 2);
  EXPECT_EQ(takeGPUSimulatorError(), "");
  for (float v : out)
    EXPECT_TRUE(std::isnan(v));
}

// Shuffles in each mode read the lane gpu.shuffle names, and a lane whose
// source is outside the warp keeps its own value.
TEST(GPUSimulator, ShufflesExchangeLanes) {
  struct Case {
    int32_t mode, offset, width;
    int64_t (*source)(int64_t lane);
  };
  static const Case cases[] = {
      {0, 5, 32, [](int64_t l) { return l ^ 5; }},
      {1, 3, 32, [](int64_t l) { return l >= 3 ? l - 3 : l; }},
      {2, 4, 32, [](int64_t l) { return l + 4 < 32 ? l + 4 : l; }},
      {3, 7, 32, [](int64_t) { return int64_t(7); }},
      {3, 40, 32, [](int64_t l) { return l; }},
  };
  static const Case *current;
  auto thread = [](void *const *args, int64_t, int64_t) {
    auto *out = static_cast<float *>(args[0]);
    auto *ints = static_cast<int32_t *>(args[1]);
    int64_t t = dlc_gpusim_thread_id();
    out[t] = dlc_gpusim_shuffle_f32(100.0f + t, current->offset,
                                    current->width, current->mode, 0);
    ints[t] = dlc_gpusim_shuffle_i32(static_cast<int32_t>(t), current->offset,
                                     current->width, current->mode, 1);
  };
  for (const Case &c : cases) {
    SCOPED_TRACE("mode " + std::to_string(c.mode));
    current = &c;
    std::vector<float> out(64, 0);
    std::vector<int32_t> ints(64, -1);
    run(thread, {out.data(), ints.data()}, {}, 64);
    EXPECT_EQ(takeGPUSimulatorError(), "");
    for (int64_t t = 0; t < 64; ++t) {
      int64_t warp = t / 32 * 32;
      int64_t from = warp + c.source(t % 32);
      EXPECT_EQ(out[t], 100.0f + from) << "lane " << t;
      EXPECT_EQ(ints[t], from) << "lane " << t;
    }
  }
}

// A butterfly of xor shuffles sums a warp, every lane getting the sum.
TEST(GPUSimulator, ButterflySumsAWarp) {
  auto thread = [](void *const *args, int64_t, int64_t) {
    auto *out = static_cast<float *>(args[0]);
    int64_t t = dlc_gpusim_thread_id();
    float v = static_cast<float>(t);
    for (int32_t offset = 16; offset > 0; offset /= 2)
      v += dlc_gpusim_shuffle_f32(v, offset, 32, 0, 0);
    out[t] = v;
  };
  std::vector<float> out(64, 0);
  run(thread, {out.data()}, {}, 64);
  EXPECT_EQ(takeGPUSimulatorError(), "");
  for (int64_t t = 0; t < 64; ++t)
    EXPECT_EQ(out[t], t < 32 ? 496.0f : 1520.0f) << "lane " << t;
}

// What would hang a GPU stops the block with an error naming it.
TEST(GPUSimulator, HangsAreErrors) {
  // A thread returns while the others wait at a barrier.
  run(
      [](void *const *, int64_t, int64_t) {
        if (dlc_gpusim_thread_id() == 5)
          return;
        dlc_gpusim_barrier(0);
      },
      {}, {}, 64, 3, 4);
  std::string error = takeGPUSimulatorError();
  EXPECT_NE(error.find("block 3 can never finish"), std::string::npos)
      << error;
  EXPECT_NE(error.find("thread 5 returned"), std::string::npos) << error;

  // Lanes of a warp at a shuffle while another lane waits at a barrier.
  run(
      [](void *const *, int64_t, int64_t) {
        if (dlc_gpusim_thread_id() == 0)
          dlc_gpusim_barrier(0);
        else
          dlc_gpusim_shuffle_f32(1.0f, 1, 32, 0, 0);
      },
      {}, {}, 32);
  error = takeGPUSimulatorError();
  EXPECT_NE(error.find("thread 0 at a barrier"), std::string::npos) << error;
  EXPECT_NE(error.find("thread 1 at a shuffle"), std::string::npos) << error;

  // A shuffle in a warp the block does not fill, or of part of a warp
  // (lanes past the width are undefined after the NVVM lowering).
  run([](void *const *, int64_t,
         int64_t) { dlc_gpusim_shuffle_f32(1.0f, 0, 32, 3 /*idx*/, 0); },
      {}, {}, 40);
  error = takeGPUSimulatorError();
  EXPECT_NE(error.find("thread 32: shuffle in a warp the block does not fill"),
            std::string::npos)
      << error;
  run([](void *const *, int64_t,
         int64_t) { dlc_gpusim_shuffle_f32(1.0f, 1, 16, 0, 0); },
      {}, {}, 32);
  error = takeGPUSimulatorError();
  EXPECT_NE(error.find("shuffle of width 16 (32 expected)"), std::string::npos)
      << error;

  // Threads at different barriers, lanes at different shuffles (in mode,
  // or in place).
  run(
      [](void *const *, int64_t, int64_t) {
        dlc_gpusim_barrier(dlc_gpusim_thread_id() % 2 ? 1 : 2);
      },
      {}, {}, 64);
  error = takeGPUSimulatorError();
  EXPECT_NE(error.find("threads 0 and 1 wait at different barriers"),
            std::string::npos)
      << error;
  run(
      [](void *const *, int64_t, int64_t) {
        dlc_gpusim_shuffle_f32(1.0f, 1, 32,
                               dlc_gpusim_thread_id() == 7 ? 2 : 0, 0);
      },
      {}, {}, 32);
  error = takeGPUSimulatorError();
  EXPECT_NE(error.find("threads 0 and 7 wait at different shuffles"),
            std::string::npos)
      << error;
  run(
      [](void *const *, int64_t, int64_t) {
        dlc_gpusim_shuffle_f32(1.0f, 1, 32, 0,
                               dlc_gpusim_thread_id() == 9 ? 4 : 3);
      },
      {}, {}, 32);
  error = takeGPUSimulatorError();
  EXPECT_NE(error.find("threads 0 and 9 wait at different shuffles"),
            std::string::npos)
      << error;

  // The error is taken once; the next block runs clean.
  EXPECT_EQ(takeGPUSimulatorError(), "");
  run([](void *const *, int64_t, int64_t) { dlc_gpusim_barrier(0); }, {}, {},
      1024);
  EXPECT_EQ(takeGPUSimulatorError(), "");
}

} // namespace
