//===- CUDACodeGen.h - kernels to PTX for NVIDIA GPUs -----------*- C++ -*-===//
//
// The CUDA half of code generation: bufferized kernels become gpu.funcs
// (dl-map-kernels-to-gpu), the data kernels of runtime/abi/KernelABI.h join
// them, gpu → NVVM → LLVM IR → PTX through LLVM's NVPTX backend, and ptxas,
// when the CUDA toolkit is installed, assembles a cubin.
//
//===----------------------------------------------------------------------===//

#ifndef DLC_TARGET_CUDA_CUDACODEGEN_H
#define DLC_TARGET_CUDA_CUDACODEGEN_H

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/Error.h"

#include <string>

namespace dlc::dl {
struct MapKernelsToGPUOptions;
} // namespace dlc::dl

namespace dlc::cuda {

struct CUDATargetOptions {
  /// Streaming-multiprocessor architecture, "sm_80" or later.
  std::string gpu = "sm_90";
  /// Threads per block of the step kernels.
  int64_t blockSize = 256;
  /// Parallel iterations per thread that row slices aim for.
  int64_t outputsPerThread = 4;
  /// Blocks sharing a sum (a tiled product's K range, a phased warp
  /// reduction) combine their partial sums in order in the last block (else
  /// atomically, with the init and the epilogue as launches of their own):
  /// see dl-map-kernels-to-gpu.
  bool orderedSplits = true;
  /// Products with at most 16 outputs per row over a long contiguous K run
  /// a warp per output row (see dl-map-kernels-to-gpu's row-products).
  bool rowProducts = false;
  /// One-block kernels keep their scratch in workgroup memory (see
  /// dl-map-kernels-to-gpu's workgroup-scratch).
  bool workgroupScratch = false;
  /// Tiled products store a thread's columns as aligned vectors (see
  /// dl-map-kernels-to-gpu's vector-stores).
  bool vectorStores = false;
  /// The loss's gradient is one row-sliced kernel with the dense layer
  /// before it and the input gradient after it (see dl-form-kernels'
  /// fuse-loss-gradient).
  bool fuseLossGradient = false;
  /// Every kernel (the data kernels too) starts with griddepcontrol.wait
  /// then griddepcontrol.launch_dependents, so the runtime may launch it
  /// as a programmatic dependent launch (sm_90 and later).
  bool dependentLaunch = false;
};

/// Checks the options against each other (dependent launch needs sm_90).
llvm::Error checkOptions(const CUDATargetOptions &options);

/// Makes every kernel of `gpuModule` wait for the grids it depends on, then
/// let its own dependents be scheduled (CUDATargetOptions::dependentLaunch).
void addGridDependencyControl(mlir::gpu::GPUModuleOp gpuModule);

/// The thread mapping's pass options for `options`.
dl::MapKernelsToGPUOptions mappingOptions(const CUDATargetOptions &options);

/// Checks `gpu` names an architecture this compiler supports.
llvm::Error checkArchitecture(llvm::StringRef gpu);

/// Bufferized kernels to gpu.funcs of `gpu.module @dl_gpu`.
void buildKernelsToGPUPipeline(mlir::OpPassManager &pm,
                               const CUDATargetOptions &options);

/// The kernels module's gpu.module (after the pipeline above), or null.
mlir::gpu::GPUModuleOp getGPUModule(mlir::ModuleOp kernels);

/// Block size of the data kernels.
inline constexpr int64_t kDataKernelBlock = 256;

/// Adds dl_gather_batch and dl_accumulate (KernelABI.h) for a batch of
/// `batch` examples of `features` values each. Returns the grid of
/// dl_gather_batch.
int64_t addDataKernels(mlir::gpu::GPUModuleOp gpuModule, int64_t batch,
                       int64_t features);

/// gpu.module to the NVVM/LLVM dialects.
void buildGPUToNVVMPipeline(mlir::OpPassManager &pm);

/// Defines the few libdevice functions the NVVM conversion calls for math
/// ops (floor, ceil, fabs, sqrt, fma) as the NVPTX instructions they are,
/// so no libdevice is needed; fails on any other external function.
mlir::LogicalResult defineMathHelpers(mlir::gpu::GPUModuleOp gpuModule);

/// PTX of the lowered gpu.module, optimised at -O3 for `gpu`.
llvm::Expected<std::string> emitPTX(mlir::gpu::GPUModuleOp gpuModule,
                                    llvm::StringRef gpu);

/// A cubin of `ptx` for `gpu` by ptxas (from PATH, $CUDA_PATH/bin or
/// /usr/local/cuda/bin); an empty string when no ptxas is installed.
llvm::Expected<std::string> assembleCubin(llvm::StringRef ptx,
                                          llvm::StringRef gpu);

} // namespace dlc::cuda

#endif // DLC_TARGET_CUDA_CUDACODEGEN_H
