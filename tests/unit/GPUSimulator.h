//===- GPUSimulator.h - GPU thread blocks as CPU fibers ---------*- C++ -*-===//
//
// Runs the kernels dl-simulate-gpu-on-cpu makes of the CUDA target's
// gpu.funcs: a call of a kernel's ABI entry (KernelABI.h) is one block, whose
// threads run as fibers on the calling thread, one after another between the
// points where a GPU's threads wait for each other. A barrier releases when
// every thread of the block has reached it, a shuffle when every lane of the
// warp has; each thread runs on its own stack, workgroup buffers are the
// block's own and start as NaN (all bits set). What a GPU would hang on or
// leave undefined is an error here: a thread that returns while others wait
// at a barrier, threads of a block at different barriers or lanes of a warp
// at different shuffles (each call names its place: code generation may
// duplicate a call), a shuffle narrower than the warp or in a warp the
// block does not fill.
//
// Between two such points threads run in ascending id order in blocks of
// even id and descending in odd ones, so that a missing barrier between a
// write and another thread's read shows whichever thread writes.
//
// The compiled kernels call the extern "C" functions below by name; the
// process that loads them must export these symbols (ENABLE_EXPORTS).
//
//===----------------------------------------------------------------------===//

#ifndef DLC_TESTS_UNIT_GPUSIMULATOR_H
#define DLC_TESTS_UNIT_GPUSIMULATOR_H

#include <cstdint>
#include <string>

extern "C" {
/// Each thread's ABI entry: the block's buffers, then its workgroup buffers.
typedef void (*dlc_gpusim_thread_fn)(void *const *buffers, int64_t wg_id,
                                     int64_t wg_count);

/// Runs block `wg_id` of `wg_count`: `block` threads each calling `thread`
/// with the `num_buffers` buffers followed by `num_workgroup` workgroup
/// buffers of `workgroup_bytes[i]` bytes.
void dlc_gpusim_run_block(dlc_gpusim_thread_fn thread, void *const *buffers,
                          int64_t num_buffers, const int64_t *workgroup_bytes,
                          int64_t num_workgroup, int64_t block, int64_t wg_id,
                          int64_t wg_count);
int64_t dlc_gpusim_thread_id(void);
/// `site` numbers the barrier (or shuffle) within its kernel.
void dlc_gpusim_barrier(int32_t site);
/// Modes: 0 xor, 1 up, 2 down, 3 idx (gpu.shuffle's), of a whole warp
/// (`width` 32). A lane whose source is outside the warp gets its own
/// value.
float dlc_gpusim_shuffle_f32(float value, int32_t offset, int32_t width,
                             int32_t mode, int32_t site);
int32_t dlc_gpusim_shuffle_i32(int32_t value, int32_t offset, int32_t width,
                               int32_t mode, int32_t site);
}

namespace dlc::test {
/// Blocks the simulator has run in this process.
int64_t gpuSimulatorBlocks();
/// The first error of a simulated block on this thread since the last call
/// (empty when none), cleared by the call. A block stops at its error.
std::string takeGPUSimulatorError();
} // namespace dlc::test

#endif // DLC_TESTS_UNIT_GPUSIMULATOR_H
