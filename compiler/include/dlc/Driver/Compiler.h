//===- Compiler.h - the dlc pipeline, stage by stage ------------*- C++ -*-===//

#ifndef DLC_DRIVER_COMPILER_H
#define DLC_DRIVER_COMPILER_H

#include "dlc/Plan/MemoryPlan.h"
#include "dlc/Target/CPU/CPUCodeGen.h"
#include "dlc/Target/CUDA/CUDACodeGen.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/PassManager.h"

#include <functional>
#include <string>

namespace mlir {
class DialectRegistry;
} // namespace mlir

namespace dlc {

/// Everything the compiler parses, prints or runs passes over.
void registerCompilerDialects(mlir::DialectRegistry &registry);
/// The dl passes plus MLIR's, so textual pipelines and dl-opt see them all.
void registerCompilerPasses();

/// Pipeline stages, in order.
enum class Stage {
  Graph,      // the forward graph as parsed
  TrainGraph, // + train_step/eval_step with gradients and SGD
  Fused,      // + steps as launches of outlined kernels (dl ops)
  Linalg,     // + kernels in linalg on tensors, destination-passing style
  Loops,      // + kernels bufferized into their arguments, as loops
  LLVMDialect // + kernels in the LLVM dialect with their ABI entry points
};

struct CompileOptions {
  cpu::CPUTargetOptions target;
  cuda::CUDATargetOptions cuda;
  /// CPU code with the CUDA target's thread mapping run sequentially instead
  /// of the CPU's vector kernels: checks that mapping against the reference
  /// executor on a machine without a GPU (tests only).
  bool gpuMappingOnCPU = false;
  /// With gpuMappingOnCPU, the kernels the GPU runs instead of their
  /// sequential form: each call runs one block, its threads as fibers of
  /// the simulator in tests/unit/GPUSimulator.h, which the loading process
  /// must export (dl-simulate-gpu-on-cpu; tests only).
  bool simulateGPU = false;
  /// The kernels are for the CUDA target: linalg forms made for its thread
  /// mapping (set by compileToCUDA; dlc sets it for --target=cuda dumps).
  bool forGPU = false;
  /// Threads LLVM compiles the CPU kernels on (0: the hardware's, at most
  /// 8). The shared object's code is the same for any count.
  unsigned compileThreads = 0;
  /// Applies the tool's pass-manager flags (--mlir-print-ir-after-all, ...).
  std::function<mlir::LogicalResult(mlir::PassManager &)> configure;
};

/// The stage a module is at, judged from what it contains.
Stage currentStage(mlir::ModuleOp module);

/// dlc reads .mlir in the dl dialect: a dump of the graph, train-graph or
/// fused stage, whose meaning the dialect's verifiers pin down. Later
/// stages are the compiler's own forms (dl-opt runs passes on them). Every
/// function needs a body of one block.
mlir::LogicalResult checkInputStage(mlir::ModuleOp module);

/// Runs the pipeline over `module` in place from its current stage up to and
/// including `until`.
mlir::LogicalResult runToStage(mlir::ModuleOp module, Stage until,
                               const CompileOptions &options);

/// What native code generation produces.
struct NativeCode {
  plan::MemoryPlan memory; // with simulateGPU: the CUDA plan's kernels
  int gatherKernel = -1, accumulateKernel = -1; // with simulateGPU
  std::string llvmIR;       // optimised LLVM IR, when asked for
  std::string assembly;     // when asked for
  std::string sharedObject; // the linked kernels
  std::string cpu, cpuFeatures;
};

/// Runs the whole pipeline from a forward graph to a linked shared object.
mlir::FailureOr<NativeCode> compileToNative(mlir::ModuleOp module,
                                            const CompileOptions &options,
                                            bool wantLLVMIR = false,
                                            bool wantAssembly = false);

/// What CUDA code generation produces.
struct CUDACode {
  plan::MemoryPlan memory; // kernels with grid/block; the data kernels last
  std::string gpuDialect;  // the module with its gpu.module, when asked for
  std::string ptx;
  std::string cubin; // empty without ptxas, or when not asked for
  int gatherKernel = -1, accumulateKernel = -1;
  bool dependentLaunch = false; // see CUDATargetOptions::dependentLaunch
};

/// Runs the whole pipeline from a forward graph to PTX (and a cubin when
/// `wantCubin` and ptxas is installed). With `stopAtGPU`, stops once the
/// kernels are gpu.funcs (for --emit=gpu).
mlir::FailureOr<CUDACode> compileToCUDA(mlir::ModuleOp module,
                                        const CompileOptions &options,
                                        bool stopAtGPU = false,
                                        bool wantCubin = true);

} // namespace dlc

#endif // DLC_DRIVER_COMPILER_H
