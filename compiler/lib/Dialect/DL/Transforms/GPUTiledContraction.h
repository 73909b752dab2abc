//===- GPUTiledContraction.h - C += A * B as a tiled GPU product -*- C++ -*-===//
//
// The one op shape worth a hand-built GPU schedule: a matrix product
// (dense layers and their gradients). dl-map-kernels-to-gpu uses it for a
// phased kernel's contraction, which has a gpu.func and the grid to itself.
//
//===----------------------------------------------------------------------===//

#ifndef DLC_LIB_DIALECT_DL_TRANSFORMS_GPUTILEDCONTRACTION_H
#define DLC_LIB_DIALECT_DL_TRANSFORMS_GPUTILEDCONTRACTION_H

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"

#include <optional>

namespace dlc::dl {

/// C[m][n] += A * B over k, with A stored [M][K] or [K][M] and B [K][N] or
/// [N][K]; static sizes.
struct ContractionShape {
  int64_t m = 0, n = 0, k = 0;
  unsigned a = 0, b = 1;          // which inputs are A and B
  bool aKMajor = false, bKMajor = false;
};

/// The shape of `op` if it is such a product (one reduction, body
/// `out + x * y` on f32), else nothing.
std::optional<ContractionShape> matchContraction(mlir::linalg::GenericOp op);

/// Threads per block the tiled product is written for.
inline constexpr int64_t kTiledContractionBlock = 256;

/// Replaces `op` (alone in `func`, whose block size must be
/// kTiledContractionBlock) by the tiled product: 64x64 tiles of C per block,
/// 4x4 per thread in registers, A and B staged through workgroup memory in
/// steps of 16 along k, the k range split over up to 4 blocks per tile (each
/// adds its part atomically) when tiles alone leave the GPU idle. Returns
/// the grid.
int64_t emitTiledContraction(mlir::gpu::GPUFuncOp func,
                             mlir::linalg::GenericOp op,
                             const ContractionShape &shape);

} // namespace dlc::dl

#endif // DLC_LIB_DIALECT_DL_TRANSFORMS_GPUTILEDCONTRACTION_H
