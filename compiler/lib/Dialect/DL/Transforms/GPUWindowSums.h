//===- GPUWindowSums.h - filter gradients, window in registers -*- C++ -*-===//
//
// A convolution's filter gradient, dw[f, c, kh, kw] += dy[n, f, oh, ow] *
// x[n, c, oh * sh + kh, ow * sw + kw] summed over n, oh and ow, has few
// outputs and a long sum: as a tiled product it pads most of its tiles
// (LeNet's first, 6 x 25 outputs), and generic threads per output each
// load two values per multiply-add. Here one thread takes one row (n, oh)
// of one filter f and channel c, walks its ow with the whole kh x kw
// window of sums in registers, each x loaded once for every window
// position that uses it; a block's threads share (f, c) and add their
// sums by shuffles and workgroup memory, and the blocks of an (f, c)
// combine in order (GPUOrderedSplits.h), the last through the init and
// the epilogue folded in.
//
//===----------------------------------------------------------------------===//

#ifndef DLC_LIB_DIALECT_DL_TRANSFORMS_GPUWINDOWSUMS_H
#define DLC_LIB_DIALECT_DL_TRANSFORMS_GPUWINDOWSUMS_H

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"

#include <optional>

namespace dlc::dl {

/// Loop dims and sizes of a filter gradient (see above).
struct WindowSumShape {
  unsigned f, c, kh, kw, n, oh, ow; // loop dims
  int64_t filters, channels, kernelH, kernelW, images, outH, outW;
  int64_t strideH, strideW;
  unsigned dy, x; // input operand numbers
};

/// The shape of `op` if it is such a filter gradient of static shapes that
/// the registers hold (at most 49 window sums, rows of at most 64).
std::optional<WindowSumShape> matchWindowSum(mlir::linalg::GenericOp op);

/// Threads per block the window sums are written for.
inline constexpr int64_t kWindowSumBlock = 256;

/// Replaces `op` (alone in `func`, of kWindowSumBlock threads) by the
/// window sums; the output starts from `prologue`'s value (else its own)
/// and is stored through `epilogue`, when given. Returns the grid. Without
/// `func`, the sequential CPU form: blocks and threads as loops, each
/// block's sums added in thread order.
int64_t emitWindowSum(mlir::gpu::GPUFuncOp func, mlir::linalg::GenericOp op,
                      const WindowSumShape &shape,
                      mlir::linalg::GenericOp prologue,
                      mlir::linalg::GenericOp epilogue);

} // namespace dlc::dl

#endif // DLC_LIB_DIALECT_DL_TRANSFORMS_GPUWINDOWSUMS_H
