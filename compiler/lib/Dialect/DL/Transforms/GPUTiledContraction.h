//===- GPUTiledContraction.h - C += A * B as a tiled GPU product -*- C++ -*-===//
//
// The one op shape worth a hand-built GPU schedule: a contraction whose
// output dims split into those of one input (M) and those of the other (N),
// summed over the rest (K). Dense layers and their gradients are plain
// matrix products; convolutions and their filter gradients are the same
// product over compound dims (an implicit GEMM: M = images x output rows x
// output columns, K = channels x window). dl-map-kernels-to-gpu uses it for
// a phased kernel's contraction, which has a gpu.func and the grid to
// itself.
//
//===----------------------------------------------------------------------===//

#ifndef DLC_LIB_DIALECT_DL_TRANSFORMS_GPUTILEDCONTRACTION_H
#define DLC_LIB_DIALECT_DL_TRANSFORMS_GPUTILEDCONTRACTION_H

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"

#include <optional>

namespace dlc::dl {

/// out[M dims, N dims] += A[M dims, K dims] * B[N dims, K dims], each input
/// indexed by any affine map of its dims; static sizes. Linear indices run
/// over each group's loop dims in loop order, the last fastest.
struct ContractionShape {
  llvm::SmallVector<unsigned> mDims, nDims, kDims;
  llvm::SmallVector<int64_t> ranges; // every loop dim's extent
  int64_t m = 0, n = 0, k = 0;       // the groups' sizes
  unsigned a = 0, b = 1;             // which inputs are A and B
  /// Whether consecutive threads stage consecutive k (else consecutive m,
  /// resp. n): the one that walks the input's contiguous dim further.
  bool aKFast = false, bKFast = false;
  int64_t tileM = 64, tileN = 64; // C tile of one block
  int64_t kStep = 16;             // k staged per step
};

/// Whether `op` sums `x * y` of its two inputs into its one f32 output
/// (`out + x * y`, nothing else in the body), over some reduction.
bool isProductSum(mlir::linalg::GenericOp op);

/// The dims of `op` if it is such a contraction (one output, body
/// `out + x * y` on f32), tile fields at their defaults; else nothing.
std::optional<ContractionShape>
matchProductDims(mlir::linalg::GenericOp op);

/// The shape of `op` if it is such a contraction whose tiles would do
/// mostly useful work, with its tile and k step; else nothing.
std::optional<ContractionShape> matchContraction(mlir::linalg::GenericOp op);

/// Input `input`'s flat offset (row-major over its static shape) as two
/// maps over all loop dims: the part of the dims in `group`, with the
/// constant term, and the part of the other dims.
std::pair<mlir::AffineMap, mlir::AffineMap>
flatOffsetParts(mlir::linalg::GenericOp op, unsigned input,
                llvm::ArrayRef<unsigned> group);

/// Threads per block the tiled product is written for.
inline constexpr int64_t kTiledContractionBlock = 256;

/// Blocks sharing one tile's K range (each adding its part atomically):
/// enough for about two blocks per multiprocessor when tiles alone leave
/// the GPU idle; but one when an init op (`fuseInit`) or an elementwise op
/// after it (`fuseEpilogue`) would fold into the stores, which needs each
/// element summed by one block, and the tiles nearly fill the GPU by
/// themselves.
int64_t tiledSplits(const ContractionShape &shape, bool fuseInit,
                    bool fuseEpilogue);

/// Replaces `op` (alone in `func`, whose block size must be
/// kTiledContractionBlock) by the tiled product: a tileM x tileN tile of C
/// per block, 4x4 per thread in registers, A and B staged through
/// workgroup memory in steps of 16 along K (the next step's loads in
/// flight while the current one is multiplied), the K range split over
/// `splits` blocks per tile. Each tile's elements start from `prologue`'s
/// value (else C's) and are stored through `epilogue` (see
/// GPUElementwiseFusion.h), when given, once summed:
///  - with one split, by the tile's block;
///  - with `orderedSplits`, by the last of the tile's blocks to finish:
///    each block stores its partial tile to a workspace and takes a ticket
///    from the tile's counter, and the block with the last ticket adds the
///    partial tiles in split order (the result does not depend on which
///    block finishes last) and resets the counter;
///  - else each block adds its partial sums to C atomically, and
///    `prologue` and `epilogue` must be null (they run as launches of
///    their own).
/// The workspace and the counters are the kernel's zeroed globals
/// (dl::getSplitWorkspace); each launch leaves the counters at zero.
/// With `vectorStores`, a thread stores its 4 columns of a row as one
/// aligned vector (two of 2) where they are consecutive elements of C's
/// last dim: that dim is N's innermost and a multiple of 4 (of 2), and C
/// (with the epilogue's output) a whole buffer. Returns the grid.
///
/// Without `func` (null: the sequential CPU form of dl-map-kernels-to-gpu)
/// the same index arithmetic, staging and products run in loops over the
/// blocks and threads between the GPU's barriers, with stack buffers for
/// workgroup memory: the CPU checks the schedule against the reference.
int64_t emitTiledContraction(mlir::gpu::GPUFuncOp func,
                             mlir::linalg::GenericOp op,
                             const ContractionShape &shape, int64_t splits,
                             bool orderedSplits,
                             mlir::linalg::GenericOp prologue,
                             mlir::linalg::GenericOp epilogue,
                             bool vectorStores = false);

} // namespace dlc::dl

#endif // DLC_LIB_DIALECT_DL_TRANSFORMS_GPUTILEDCONTRACTION_H
