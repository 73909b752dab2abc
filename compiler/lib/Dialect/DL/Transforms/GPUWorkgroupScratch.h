//===- GPUWorkgroupScratch.h - one-block kernels' scratch ------*- C++ -*-===//
//
// A kernel that runs as one block (the loss and its gradient, a bias
// gradient: ops that need the whole batch) passes values between its ops
// through scratch buffers: row maxima and sums, partial bias gradients,
// added atomically by the block's threads and read back after barriers.
// No other launch reads a kernel's scratch, and the block's threads are
// all there is, so the scratch can live in workgroup memory: atomics and
// loads stay on the multiprocessor instead of going to L2.
//
//===----------------------------------------------------------------------===//

#ifndef DLC_LIB_DIALECT_DL_TRANSFORMS_GPUWORKGROUPSCRATCH_H
#define DLC_LIB_DIALECT_DL_TRANSFORMS_GPUWORKGROUPSCRATCH_H

#include "mlir/Dialect/GPU/IR/GPUDialect.h"

namespace dlc::dl {

/// Workgroup memory a kernel's scratch may take, beside the workgroup
/// memory it already has, within 48 KiB in all.
inline constexpr int64_t kMaxWorkgroupScratchBytes = 16 * 1024;

/// When `func` is a whole kernel (not a phase) of one block, moves its
/// scratch arguments (the last `dl.scratch` ones) to workgroup memory
/// while they fit, each through a memref.memory_space_cast at the entry:
/// the arguments are left unused. Returns how many moved.
unsigned moveScratchToWorkgroup(mlir::gpu::GPUFuncOp func);

} // namespace dlc::dl

#endif // DLC_LIB_DIALECT_DL_TRANSFORMS_GPUWORKGROUPSCRATCH_H
