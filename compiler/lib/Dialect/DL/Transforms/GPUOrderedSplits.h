//===- GPUOrderedSplits.h - blocks adding partial sums in order -*- C++ -*-===//
//
// A sum split over the blocks of a grid (a tiled product's K range, a
// long reduction into a few outputs) has each block store its partial sums
// to a workspace and take a ticket from a counter; the block holding the
// last ticket adds the partial sums in a fixed order and stores the
// result, through the ops folded into the stores. One launch, where atomic
// adds need the output initialised before and the elementwise op after run
// as launches of their own; and the sums do not depend on the order the
// blocks finish in.
//
//===----------------------------------------------------------------------===//

#ifndef DLC_LIB_DIALECT_DL_TRANSFORMS_GPUORDEREDSPLITS_H
#define DLC_LIB_DIALECT_DL_TRANSFORMS_GPUORDEREDSPLITS_H

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/IR/Builders.h"

namespace dlc::dl {

/// The workspace of one kernel: `partials` (f32) and `counters` (i32),
/// zeroed globals "<kernel>_split_partials" and "<kernel>_split_counters"
/// (on the GPU, .globals of the gpu.module in global memory, zeroed at
/// module load; in the sequential CPU form, of the kernels module), grown
/// to the largest need of the kernel's sums. Per kernel, so that launches
/// of different kernels may run concurrently; launches of one kernel must
/// not (the runtime orders them), and each leaves its counters at zero.
/// `op` is the operation being mapped, `func` its gpu.func (null in the
/// sequential CPU form, where the kernel is the enclosing func.func).
struct SplitWorkspace {
  mlir::Value partials, counters;
};
SplitWorkspace getSplitWorkspace(mlir::OpBuilder &b, mlir::Location loc,
                                 mlir::Operation *op,
                                 mlir::gpu::GPUFuncOp func,
                                 int64_t numPartials, int64_t numCounters);

/// Workgroup memory inLastBlock adds on the GPU (an i32, 16-byte aligned).
inline constexpr int64_t kLastBlockFlagBytes = 16;

/// Builds `body` to run in the block that takes the last of `blocks`
/// tickets from `counters[counter]`, once each of its threads is past this
/// point (its partial sums stored). On the GPU (`func`): every thread
/// fences its stores for the whole GPU, thread 0 takes the block's ticket
/// between two barriers and passes the verdict on through workgroup
/// memory, and the last block's threads fence again before `body` reads
/// the other blocks' sums. In the sequential CPU form (no `func`: blocks run one
/// after another) the ticket alone. The last block resets the counter.
void inLastBlock(mlir::OpBuilder &b, mlir::Location loc,
                 mlir::gpu::GPUFuncOp func, mlir::Value tid,
                 const SplitWorkspace &workspace, mlir::Value counter,
                 int64_t blocks, llvm::function_ref<void()> body);

/// The sum of `v` (f32) over the lanes of a warp, in every lane:
/// gpu.shuffle xor at offsets 16, 8, ..., 1 (the same order every time).
mlir::Value sumAcrossLanes(mlir::OpBuilder &b, mlir::Location loc,
                           mlir::Value v);

} // namespace dlc::dl

#endif // DLC_LIB_DIALECT_DL_TRANSFORMS_GPUORDEREDSPLITS_H
