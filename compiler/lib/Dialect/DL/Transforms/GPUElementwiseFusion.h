//===- GPUElementwiseFusion.h - ops folded into a GPU op's stores -*- C++ -*-===//
//
// dl-map-kernels-to-gpu writes every output element of an op once, from
// one thread, when the op is not split across threads. An elementwise op
// right after it that reads that output only at the same element (relu or
// its gradient, an SGD update from the gradient just summed) can then run
// in the same thread at the store, and an op that only initialises the
// output (a fill, a bias broadcast) can be computed where a tiled product
// adds its sum. Each fused op saves a pass over the output and, in a phased
// kernel, a launch.
//
//===----------------------------------------------------------------------===//

#ifndef DLC_LIB_DIALECT_DL_TRANSFORMS_GPUELEMENTWISEFUSION_H
#define DLC_LIB_DIALECT_DL_TRANSFORMS_GPUELEMENTWISEFUSION_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/Builders.h"

namespace dlc::dl {

/// Whether `epilogue`, the next op after `producer` (one output) in their
/// block, is elementwise over that output and reads it only at the element
/// it writes: in place (relu), or writing another buffer no input of
/// `producer` reads (an SGD step from a gradient). Values it uses that are
/// defined between the two must be free of effects or loads of buffers
/// `producer` does not write.
bool isFusableEpilogue(mlir::linalg::GenericOp producer,
                       mlir::linalg::GenericOp epilogue);

/// Moves what `epilogue` uses from between the two ops above `producer`.
void hoistEpilogueOperands(mlir::linalg::GenericOp producer,
                           mlir::linalg::GenericOp epilogue);

/// Stores `value`, the producer's result at `idx` of its output `out`,
/// through `epilogue`: the epilogue's result goes to its output, and
/// `value` to `out` when that is another buffer.
void storeThroughEpilogue(mlir::OpBuilder &b, mlir::Location loc,
                          mlir::linalg::GenericOp epilogue, mlir::Value out,
                          mlir::Value value, mlir::ValueRange idx);

/// What storeThroughEpilogue stores, without storing it: the epilogue's
/// result at `idx` of its output, and whether `value` also goes to `out`
/// (another buffer of the same type).
struct EpilogueResult {
  mlir::Value result;
  bool alsoToOut = false;
};
EpilogueResult epilogueResultAt(mlir::OpBuilder &b, mlir::Location loc,
                                mlir::linalg::GenericOp epilogue,
                                mlir::Value out, mlir::Value value,
                                mlir::ValueRange idx);

/// Whether `init` only sets every element of `consumer`'s one output from
/// other buffers or scalars (a fill, a bias broadcast), so its value at an
/// element can be computed where `consumer` accumulates into it.
bool isFusablePrologue(mlir::linalg::GenericOp init,
                       mlir::linalg::GenericOp consumer);

/// Whether an op may take in both `prologue` and `epilogue`: the
/// epilogue's stores must not change what other threads' prologues read.
bool fusableTogether(mlir::linalg::GenericOp prologue,
                     mlir::linalg::GenericOp epilogue);

/// Finishes element `idx` of `out` summed by one thread: adds `sum` to the
/// element's start (`prologue`'s value when given, else `out`'s) and
/// stores the result, through `epilogue` when given.
void storeSumAt(mlir::OpBuilder &b, mlir::Location loc,
                mlir::linalg::GenericOp prologue,
                mlir::linalg::GenericOp epilogue, mlir::Value out,
                mlir::Value sum, mlir::ValueRange idx);

/// `init`'s value at element `idx` of its output.
mlir::Value prologueValueAt(mlir::OpBuilder &b, mlir::Location loc,
                            mlir::linalg::GenericOp init,
                            mlir::ValueRange idx);

/// Rewrites each fill of a buffer that the next op copies a tensor into a
/// static window of (the padding before a convolution or a pooling) as one
/// op over the buffer, reading the tensor inside the window and the fill
/// value outside: one pass instead of two, and in a phased kernel one
/// launch (or none, when the op reading the buffer reads through it: see
/// paddingOf). Nothing between the two may have effects.
void fusePaddingCopies(mlir::Block &body);

/// The attribute fusePaddingCopies puts on the op it makes: the window's
/// offsets in the buffer.
inline constexpr llvm::StringLiteral kPadOffsetsAttr = "dl.pad_offsets";

/// What a padding op of fusePaddingCopies reads: `source` at the buffer's
/// index minus `offsets` inside the window, `fill` (a scalar) outside.
struct Padding {
  mlir::Value source, fill;
  llvm::SmallVector<int64_t> offsets;
};
std::optional<Padding> paddingOf(mlir::linalg::GenericOp op);

} // namespace dlc::dl

#endif // DLC_LIB_DIALECT_DL_TRANSFORMS_GPUELEMENTWISEFUSION_H
