//===- ElementwiseEpilogue.h - fusing in-place elementwise ops --*- C++ -*-===//
//
// Shared by the CPU's vector code generators (dl-vectorize-kernels,
// dl-vectorize-strided-windows): finding the elementwise op that updates a
// producer's output in place right after it (relu, its gradient, sigmoid's
// gradient) and applying its body to the producer's vector of results
// before they are stored, so that the output is written once.
//
//===----------------------------------------------------------------------===//

#ifndef DLC_DIALECT_DL_TRANSFORMS_ELEMENTWISEEPILOGUE_H
#define DLC_DIALECT_DL_TRANSFORMS_ELEMENTWISEEPILOGUE_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/IRMapping.h"

namespace dlc::dl {

/// The buffer `v` views (through subviews and other view ops).
mlir::Value rootBuffer(mlir::Value v);

/// An all-parallel generic over exactly `out` (identity map, its only init)
/// whose f32 inputs are indexed by output dims, the output's last dim (if
/// at all) as their unit-stride last index.
bool isElementwiseOver(mlir::linalg::GenericOp op, mlir::Value out);

/// Whether `op` may be stepped over when moving a read or write of the
/// buffers `roots` across it: it has no memory effects (views, index
/// arithmetic), or is a linalg op that touches none of them.
bool independentOf(mlir::Operation *op, llvm::ArrayRef<mlir::Value> roots);

/// The elementwise op that updates `out` in place after `producer` (only
/// effect-free ops in between), with a body of arith/math ops on f32/i1
/// values; null if none. When one is returned, the effect-free ops in
/// between have been moved above `producer` (which must have no results),
/// so that what the epilogue uses is available where `producer` is.
mlir::linalg::GenericOp takeEpilogue(mlir::Operation *producer,
                                     mlir::Value out);

/// `source` read through `map` (over the output's dims) at output position
/// `outIdx`, as `lanes` lanes along the output's last dim (masked loads
/// with `mask`, if given) or, when `map` does not use that dim, one element
/// broadcast.
mlir::Value loadAlongOutput(mlir::OpBuilder &b, mlir::Location loc,
                            mlir::Value source, mlir::AffineMap map,
                            llvm::ArrayRef<mlir::Value> outIdx, int64_t lanes,
                            mlir::Value mask);

/// Clones the ops of linalg body `body` at the builder's point onto
/// `lanes`-lane vectors and returns the yielded value as a vector.
/// `mapping` maps the block arguments (to vectors or scalars). An op that
/// uses a vector becomes a vector op, its scalar operands broadcast; the
/// others (loop indices, constants) stay scalars. linalg.index d becomes
/// `index(d)`; without `index` the body must have none.
mlir::Value cloneBodyOnLanes(mlir::OpBuilder &b, mlir::Location loc,
                             mlir::Block &body, mlir::IRMapping &mapping,
                             int64_t lanes,
                             llvm::function_ref<mlir::Value(unsigned)> index =
                                 nullptr);

/// `epilogue`'s body on `values` (the output's new values at `outIdx` and
/// the lanes after it, a vector) and its inputs at the same positions.
mlir::Value applyEpilogue(mlir::OpBuilder &b, mlir::Location loc,
                          mlir::linalg::GenericOp epilogue, mlir::Value values,
                          llvm::ArrayRef<mlir::Value> outIdx, mlir::Value mask);

} // namespace dlc::dl

#endif // DLC_DIALECT_DL_TRANSFORMS_ELEMENTWISEEPILOGUE_H
