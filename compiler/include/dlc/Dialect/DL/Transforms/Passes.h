//===- Passes.h - dl dialect passes -----------------------------*- C++ -*-===//

#ifndef DLC_DIALECT_DL_TRANSFORMS_PASSES_H
#define DLC_DIALECT_DL_TRANSFORMS_PASSES_H

#include "dlc/Dialect/DL/IR/DLDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassManager.h"

namespace dlc::dl {

#define GEN_PASS_DECL
#include "dlc/Dialect/DL/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "dlc/Dialect/DL/Transforms/Passes.h.inc"

/// One-shot bufferization of the kernels module into the kernels' argument
/// buffers, then dl-distribute-workgroups (static slices for
/// `sliceThreads` > 0, see its `threads` option): where every target's code
/// generation starts.
void buildBufferizeKernelsPipeline(mlir::OpPassManager &pm,
                                   int64_t sliceThreads = 0,
                                   int64_t outputsPerThread = 1,
                                   bool phases = false);

/// Rewrites math.exp/log under `root` into MLIR's polynomial approximations
/// (dl-approximate-math; dl-map-kernels-to-gpu uses it on its kernels).
mlir::LogicalResult approximateMath(mlir::Operation *root);

/// The kernels module a pass on bufferized kernels runs on: `module` itself
/// when it is `@kernels` (dl-opt on a kernels dump), else the nested one.
/// Emits an error and returns null when there is none.
mlir::ModuleOp findKernelsModule(mlir::ModuleOp module);

/// Whether `kernel` is bufferized, as buildBufferizeKernelsPipeline leaves
/// it: a body of one block, no results, buffers (and, once distributed,
/// index bounds) for arguments, no tensor in its body. Emits an error
/// naming what is not, for a pass that runs on bufferized kernels.
mlir::LogicalResult checkBufferized(mlir::func::FuncOp kernel);

/// checkBufferized for every kernel of `kernels`, which must not be mapped
/// to the GPU yet (the passes before dl-map-kernels-to-gpu would find no
/// kernels left to rewrite).
mlir::LogicalResult checkBufferizedKernels(mlir::ModuleOp kernels);

/// Fails, with an error at `at` naming `pass` and the option, unless
/// `min` <= `value` <= `max`: dl-opt takes pass options from the user.
mlir::LogicalResult checkOptionRange(mlir::Pass &pass, mlir::Operation *at,
                                     llvm::StringRef option, int64_t value,
                                     int64_t min, int64_t max);

/// GPU kernels: iterations one thread may run before a kernel's ops are
/// better spread over a grid each (see dl-map-kernels-to-gpu).
inline constexpr int64_t kMaxIterationsPerThread = 256;

/// Loop iterations per thread of `kernel`'s heaviest linalg op on `threads`
/// threads, with the outermost loop cut to `rows` when `rows` > 0.
int64_t iterationsPerThread(mlir::func::FuncOp kernel, int64_t rows,
                            int64_t threads);

/// On a multiply-accumulate linalg.generic, `[input, padding]`: that input
/// is zero outside [padding, size - padding) of its dims 2 and 3 (a
/// zero-padded NCHW tensor, or [N/16, C, H, W, 16]). Set by
/// dl-lower-kernels-to-linalg, used by dl-vectorize-kernels to skip
/// products with the padding.
inline constexpr const char *kZeroPaddingAttr = "dl.zero_padding";

} // namespace dlc::dl

#endif // DLC_DIALECT_DL_TRANSFORMS_PASSES_H
