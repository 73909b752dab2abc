//===- GPUWindowSums.h - filter gradients, window in registers -*- C++ -*-===//
//
// A convolution's filter gradient, dw[f, c, kh, kw] += dy[n, f, oh, ow] *
// x[n, c, oh * sh + kh, ow * sw + kw] summed over n, oh and ow, has few
// outputs and a long sum: as a tiled product it pads most of its tiles
// (LeNet's first, 6 x 25 outputs), and generic threads per output each
// load two values per multiply-add. Here one thread takes one column
// (n, ow) of one filter f and channel c, walks its oh with the whole
// kh x kw window of sums in registers, each x loaded once for every window
// position that uses it (neighbouring threads on neighbouring columns, so
// loads of a row are contiguous); a block's threads share (f, c) and add
// their sums by shuffles and workgroup memory, and the blocks of an (f, c)
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
  unsigned f = 0, c = 0, kh = 0, kw = 0, n = 0, oh = 0, ow = 0; // loop dims
  int64_t filters = 0, channels = 0, kernelH = 0, kernelW = 0, images = 0,
          outH = 0, outW = 0;
  int64_t strideH = 1, strideW = 1;
  unsigned dy = 0, x = 1; // input operand numbers
};

/// The shape of `op` if it is such a filter gradient of static, non-empty
/// shapes that the registers hold (at most 49 window sums, columns of at
/// most 64).
std::optional<WindowSumShape> matchWindowSum(mlir::linalg::GenericOp op);

/// Threads per block the window sums are written for.
inline constexpr int64_t kWindowSumBlock = 256;

/// Replaces `op` (alone in `func`, of kWindowSumBlock threads) by the
/// window sums; the output starts from `prologue`'s value (else its own)
/// and is stored through `epilogue`, when given. With `padding`, the
/// fusePaddingCopies op that wrote x (see paddingOf; its window offset in
/// rows and columns only), x is read from the padding's source instead,
/// the fill value outside the window: the padded buffer is never written.
/// Returns the grid. Without `func`, the sequential CPU form: blocks and
/// threads as loops, each block's sums added in thread order.
int64_t emitWindowSum(mlir::gpu::GPUFuncOp func, mlir::linalg::GenericOp op,
                      const WindowSumShape &shape,
                      mlir::linalg::GenericOp prologue,
                      mlir::linalg::GenericOp epilogue,
                      mlir::linalg::GenericOp padding = {});

} // namespace dlc::dl

#endif // DLC_LIB_DIALECT_DL_TRANSFORMS_GPUWINDOWSUMS_H
