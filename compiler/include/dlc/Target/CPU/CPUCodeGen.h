//===- CPUCodeGen.h - kernels to a native shared object ---------*- C++ -*-===//

#ifndef DLC_TARGET_CPU_CPUCODEGEN_H
#define DLC_TARGET_CPU_CPUCODEGEN_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/PassManager.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace dlc::dl {
struct MapKernelsToGPUOptions;
} // namespace dlc::dl

namespace llvm {
class LLVMContext;
class Module;
class TargetMachine;
} // namespace llvm

namespace dlc::cpu {

struct CPUTargetOptions {
  /// "native" for the compiling host, or an LLVM CPU name (x86-64-v3, ...).
  std::string cpu = "native";
  /// Kernels with fewer dl.flops keep scalar loops (dl-vectorize-kernels'
  /// min-flops; its default when unset). Tests set 0 to run the vector code
  /// on small shapes.
  std::optional<int64_t> vectorMinFlops;
};

/// Whether the CPU of `options` has AVX-512 (32 vector registers of 16 f32
/// lanes); without it the register blocks must fit 16 registers of 8.
bool hasAVX512(const CPUTargetOptions &options);

/// Passes over the kernels module from linalg on tensors to loops over
/// memrefs: one-shot bufferization into the destination arguments, then
/// linalg to loops. With `gpuMapping`, instead of the CPU's vector
/// kernels the CUDA target's thread mapping with those options
/// (cuda::mappingOptions), run sequentially.
void buildKernelsToLoopsPipeline(
    mlir::OpPassManager &pm, const CPUTargetOptions &target = {},
    const dl::MapKernelsToGPUOptions *gpuMapping = nullptr);

/// Passes from loops over memrefs to the LLVM dialect, with bare-pointer
/// memref arguments.
void buildLoopsToLLVMPipeline(mlir::OpPassManager &pm);

/// Fails, naming the kernel, if bufferization left an allocation: kernels
/// must not allocate at run time.
mlir::LogicalResult checkNoAllocations(mlir::ModuleOp kernels);

/// Renames each lowered kernel to NAME_impl (internal) and adds the exported
/// entry point NAME(void *const *buffers, int64_t wg_id, int64_t wg_count)
/// of runtime/abi/KernelABI.h.
mlir::LogicalResult addKernelABIWrappers(mlir::ModuleOp kernels);

/// The target machine for `options`, or an error message.
llvm::Expected<std::unique_ptr<llvm::TargetMachine>>
createTargetMachine(const CPUTargetOptions &options);

/// LLVM IR of the lowered kernels module, optimised at -O3 for `tm`.
std::unique_ptr<llvm::Module> translateAndOptimize(mlir::Operation *kernels,
                                                   llvm::LLVMContext &context,
                                                   llvm::TargetMachine &tm);

/// Object code (or assembly text) for `module`.
llvm::Expected<std::string> emitMachineCode(llvm::Module &module,
                                            llvm::TargetMachine &tm,
                                            bool assembly);

/// Links ELF objects into one shared object with lld.
llvm::Expected<std::string>
linkSharedObject(llvm::ArrayRef<std::string> objects);

/// The shared object of the lowered kernels module (LLVM dialect, with ABI
/// wrappers), compiled on up to `threads` threads: the kernels are split
/// into that many groups of about equal size, each translated, optimised at
/// -O3 and compiled in its own LLVM context, and the objects linked
/// together. The kernels do not call each other, so each is compiled as it
/// would be in one module.
llvm::Expected<std::string>
compileSharedObject(mlir::ModuleOp kernels, const CPUTargetOptions &options,
                    unsigned threads);

} // namespace dlc::cpu

#endif // DLC_TARGET_CPU_CPUCODEGEN_H
