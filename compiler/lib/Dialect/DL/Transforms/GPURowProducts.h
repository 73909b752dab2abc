//===- GPURowProducts.h - skinny products, a warp per row ------*- C++ -*-===//
//
// A product with few outputs per row over a long contiguous reduction (a
// classifier head: 256 images x 10 classes over 256 features) fills a
// tiled product's 4x4-per-thread tiles mostly with padding, and its few
// tiles split K over blocks that then combine in order. Here a warp owns
// one output row instead: its lanes take interleaved k (so a warp's loads
// of A's row are coalesced), each keeping the row's N sums in registers;
// the sums meet by shuffles, and lane j stores output j through the init
// and the epilogue. B is staged whole in workgroup memory by each block.
// One launch, no split, and the same sums whichever warp runs first.
//
//===----------------------------------------------------------------------===//

#ifndef DLC_LIB_DIALECT_DL_TRANSFORMS_GPUROWPRODUCTS_H
#define DLC_LIB_DIALECT_DL_TRANSFORMS_GPUROWPRODUCTS_H

#include "GPUTiledContraction.h"

namespace dlc::dl {

/// Threads per block the row products are written for: 8 rows a block.
inline constexpr int64_t kRowProductBlock = 256;

/// Whether `op`, a contraction of dims `shape` (matchProductDims), suits
/// rows: at most 16 outputs per row (N), one K dim of 128 to 1024 (4 to 32
/// k a lane) that is A's contiguous one, and B small enough to stage whole
/// (48 KiB with its rows padded to an odd pitch).
bool isRowProduct(mlir::linalg::GenericOp op, const ContractionShape &shape);

/// Replaces `op` (alone in `func`, of kRowProductBlock threads) by the row
/// schedule; the outputs start from `prologue`'s value (else C's) and are
/// stored through `epilogue`, when given. Returns the grid. Without `func`,
/// the sequential CPU form: blocks, warps and lanes as loops, the lanes'
/// sums added in the order the GPU's shuffles add them.
int64_t emitRowProduct(mlir::gpu::GPUFuncOp func, mlir::linalg::GenericOp op,
                       const ContractionShape &shape,
                       mlir::linalg::GenericOp prologue,
                       mlir::linalg::GenericOp epilogue);

} // namespace dlc::dl

#endif // DLC_LIB_DIALECT_DL_TRANSFORMS_GPUROWPRODUCTS_H
