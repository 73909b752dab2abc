//===- Compiler.cpp - the dlc pipeline, stage by stage --------------------===//

#include "dlc/Driver/Compiler.h"

#include "dlc/Dialect/DL/IR/DLDialect.h"
#include "dlc/Dialect/DL/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/Verifier.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Transforms/Passes.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/GPU/GPUToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/NVVM/NVVMToLLVMIRTranslation.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetMachine.h"

#include <algorithm>
#include <thread>

using namespace mlir;
using namespace dlc;

/// Threads dlc compiles the CPU kernels on, at most.
static constexpr unsigned kMaxCompileThreads = 8;

void dlc::registerCompilerDialects(DialectRegistry &registry) {
  registry.insert<dl::DLDialect>();
  registerAllDialects(registry);
  registerAllExtensions(registry);
  registerBuiltinDialectTranslation(registry);
  registerLLVMDialectTranslation(registry);
  registerGPUDialectTranslation(registry);
  registerNVVMDialectTranslation(registry);
}

void dlc::registerCompilerPasses() {
  registerAllPasses();
  dl::registerDLPasses();
}

/// The gpu.modules' kernels as CPU functions for the GPU simulator.
static void addGPUSimulation(OpPassManager &pm, const CompileOptions &options) {
  dl::SimulateGPUOnCPUOptions simulate;
  simulate.blockSize = options.cuda.blockSize;
  pm.addPass(dl::createSimulateGPUOnCPU(simulate));
  pm.addPass(createCanonicalizerPass());
}

/// Kernels to loops: the CPU's vector kernels, or with gpuMappingOnCPU the
/// CUDA target's thread mapping run sequentially, or its gpu.funcs for the
/// simulator (simulateGPU).
static void buildKernelsToLoops(OpPassManager &pm,
                                const CompileOptions &options) {
  if (options.gpuMappingOnCPU && options.simulateGPU) {
    cuda::buildKernelsToGPUPipeline(pm, options.cuda);
    addGPUSimulation(pm, options);
    return;
  }
  dl::MapKernelsToGPUOptions map = cuda::mappingOptions(options.cuda);
  cpu::buildKernelsToLoopsPipeline(pm, options.target,
                                   options.gpuMappingOnCPU ? &map : nullptr);
}

static LogicalResult runPasses(Operation *op, const CompileOptions &options,
                               function_ref<void(OpPassManager &)> build) {
  PassManager pm(op->getContext(), op->getName().getStringRef());
  if (options.configure && failed(options.configure(pm)))
    return failure();
  build(pm);
  return pm.run(op);
}

Stage dlc::currentStage(ModuleOp module) {
  auto kernels = module.lookupSymbol<ModuleOp>(dl::kKernelsModuleName);
  if (!kernels)
    return module.lookupSymbol(dl::kTrainStepName) ? Stage::TrainGraph
                                                   : Stage::Graph;
  bool anyFunc = false, anyTensorArgs = false, anyLinalg = false;
  for (Operation &op : kernels.getBody()->getOperations()) {
    if (isa<LLVM::LLVMFuncOp>(op))
      return Stage::LLVMDialect;
    if (auto func = dyn_cast<func::FuncOp>(op)) {
      anyFunc = true;
      anyLinalg |= func->hasAttr("dl.num_inputs");
      anyTensorArgs |= llvm::any_of(func.getArgumentTypes(), [](Type t) {
        return isa<RankedTensorType>(t);
      });
    }
  }
  if (anyFunc && !anyTensorArgs)
    return Stage::Loops;
  return anyLinalg ? Stage::Linalg : Stage::Fused;
}

LogicalResult dlc::checkInputStage(ModuleOp module) {
  // The passes walk the steps' and kernels' bodies.
  WalkResult bodies = module.walk([](func::FuncOp function) {
    if (function->hasAttr("dl.simulated_block")) {
      function.emitError("a kernel simulated on the CPU (dl.simulated_block) "
                         "is for tests; dlc does not compile it");
      return WalkResult::interrupt();
    }
    if (function.getBody().hasOneBlock())
      return WalkResult::advance();
    function.emitError("a function of a dl module needs a body of one block");
    return WalkResult::interrupt();
  });
  if (bodies.wasInterrupted())
    return failure();
  Stage stage = currentStage(module);
  if (stage <= Stage::Fused)
    return success();
  const char *name = stage == Stage::Linalg ? "linalg"
                     : stage == Stage::Loops ? "loops"
                                             : "llvm-dialect";
  return module.emitError("dlc reads the graph, train-graph or fused stage; "
                          "this module is at the ")
         << name << " stage (dl-opt runs passes on any stage)";
}

LogicalResult dlc::runToStage(ModuleOp module, Stage until,
                              const CompileOptions &options) {
  // A module may come in at any stage (a dump fed back to dlc): run only the
  // stages after the one it is at.
  Stage from = currentStage(module);
  if (until <= from)
    return success();
  if (from < Stage::Linalg &&
      failed(runPasses(module, options, [&](OpPassManager &pm) {
        if (from < Stage::TrainGraph)
          pm.addPass(dl::createGenerateTrainStep());
        if (from < Stage::Fused && until >= Stage::Fused) {
          dl::FormKernelsOptions form;
          form.fuseLossGradient = (options.forGPU || options.gpuMappingOnCPU) &&
                                  options.cuda.fuseLossGradient;
          pm.addPass(dl::createFormKernels(form));
        }
        if (until >= Stage::Linalg) {
          dl::LowerKernelsToLinalgOptions lowering;
          lowering.cpuForms = !options.forGPU && !options.gpuMappingOnCPU;
          pm.addPass(dl::createLowerKernelsToLinalg(lowering));
          pm.addPass(dl::createDeduplicateKernels());
        }
      })))
    return failure();
  if (until < Stage::Loops)
    return success();

  auto kernels = module.lookupSymbol<ModuleOp>(dl::kKernelsModuleName);
  if (from < Stage::Loops &&
      (failed(runPasses(kernels, options, [&](OpPassManager &pm) {
        buildKernelsToLoops(pm, options);
      })) ||
       failed(cpu::checkNoAllocations(kernels))))
    return failure();
  if (until < Stage::LLVMDialect)
    return success();
  if (failed(runPasses(kernels, options, cpu::buildLoopsToLLVMPipeline)))
    return failure();
  return cpu::addKernelABIWrappers(kernels);
}

/// Replaces every plan kernel by its phases, `phasesOf(kernel)` in order
/// (the kernel itself when it has none), each launched in turn with the
/// kernel's bindings.
static LogicalResult expandPhases(
    plan::MemoryPlan &memory,
    function_ref<FailureOr<SmallVector<plan::PlannedKernel>>(
        const plan::PlannedKernel &)>
        phasesOf) {
  SmallVector<plan::PlannedKernel> expandedKernels;
  SmallVector<SmallVector<int>> launchesOf(memory.kernels.size());
  for (auto [index, k] : llvm::enumerate(memory.kernels)) {
    FailureOr<SmallVector<plan::PlannedKernel>> phases = phasesOf(k);
    if (failed(phases))
      return failure();
    for (auto [i, phase] : llvm::enumerate(*phases)) {
      if (i > 0) // counted once, on the first phase
        phase.flops = phase.bytes = 0;
      launchesOf[index].push_back(expandedKernels.size());
      expandedKernels.push_back(std::move(phase));
    }
  }
  // A phase that knows what its code does with each binding says so.
  auto expand = [&](SmallVector<plan::PlannedLaunch> &launches) {
    SmallVector<plan::PlannedLaunch> expanded;
    for (const plan::PlannedLaunch &l : launches)
      for (int k : launchesOf[l.kernel]) {
        const SmallVector<uint8_t> &known = memory.kernels[k].argumentAccess;
        expanded.push_back(
            {k, l.bindings, known.size() == l.bindings.size() ? known
                                                              : l.access});
      }
    launches = std::move(expanded);
  };
  memory.kernels = std::move(expandedKernels);
  expand(memory.trainLaunches);
  expand(memory.evalLaunches);
  return success();
}

/// Plan kernel `k` as the functions of `parent` (a module or gpu.module)
/// that run it: the kernel, then its phases (the functions whose
/// dl.phase_of names it), in order, each with its own symbol and
/// dl.workgroups; `adjust` sets what a target adds (the CUDA block).
template <typename FuncT, typename ParentT>
static FailureOr<SmallVector<plan::PlannedKernel>>
plannedPhases(ParentT parent, const plan::PlannedKernel &k, Operation *errorAt,
              function_ref<void(FuncT, plan::PlannedKernel &)> adjust = {}) {
  SmallVector<FuncT> funcs;
  if (auto kernel = parent.template lookupSymbol<FuncT>(k.symbol))
    funcs.push_back(kernel);
  for (auto f : parent.template getOps<FuncT>())
    if (auto of = f->template getAttrOfType<StringAttr>("dl.phase_of");
        of && of.getValue() == k.symbol)
      funcs.push_back(f);
  if (funcs.empty())
    return errorAt->emitError("internal error: no kernel ") << k.symbol;
  SmallVector<plan::PlannedKernel> phases;
  for (FuncT f : funcs) {
    plan::PlannedKernel pk = k;
    pk.symbol = SymbolTable::getSymbolName(f).str();
    if (auto wg = f->template getAttrOfType<IntegerAttr>("dl.workgroups"))
      pk.workgroups = wg.getInt();
    if (adjust)
      adjust(f, pk);
    phases.push_back(std::move(pk));
  }
  return phases;
}

/// The target-neutral start of code generation: the linalg stage, the
/// memory plan (while kernels still carry their signatures as tensors), then
/// `lower` on the kernels module, which must leave no allocation.
static FailureOr<plan::MemoryPlan>
planAndLowerKernels(ModuleOp module, const CompileOptions &options,
                    StringRef target,
                    function_ref<void(OpPassManager &)> lower) {
  if (currentStage(module) > Stage::Linalg)
    return module.emitError()
           << target << " code generation starts from a module at or before "
           << "the linalg stage";
  if (failed(runToStage(module, Stage::Linalg, options)))
    return failure();
  FailureOr<plan::MemoryPlan> memory = plan::planMemory(module);
  if (failed(memory))
    return failure();
  auto kernels = module.lookupSymbol<ModuleOp>(dl::kKernelsModuleName);
  if (failed(runPasses(kernels, options, lower)) ||
      failed(cpu::checkNoAllocations(kernels)))
    return failure();
  return memory;
}

/// Adds the data kernels of KernelABI.h (outside the steps) to `gpuModule`
/// and, last, to the plan's kernels; `gather` and `accumulate` get their
/// indices.
static void appendDataKernels(plan::MemoryPlan &memory,
                              gpu::GPUModuleOp gpuModule, int &gather,
                              int &accumulate) {
  int64_t features = 1;
  for (int64_t d : memory.imageShape)
    features *= d;
  int64_t gatherGrid = cuda::addDataKernels(gpuModule, memory.batch, features);
  plan::PlannedKernel gatherKernel;
  gatherKernel.symbol = "dl_gather_batch";
  gatherKernel.origin.push_back(
      "batch gather from the device-resident dataset");
  gatherKernel.workgroups = gatherGrid;
  gatherKernel.block = cuda::kDataKernelBlock;
  gatherKernel.bytes = memory.batch * (features * 5 + 8);
  plan::PlannedKernel accumulateKernel;
  accumulateKernel.symbol = "dl_accumulate";
  accumulateKernel.origin.push_back("step metrics into epoch sums");
  accumulateKernel.block = 1;
  gather = memory.kernels.size();
  memory.kernels.push_back(std::move(gatherKernel));
  accumulate = memory.kernels.size();
  memory.kernels.push_back(std::move(accumulateKernel));
}

FailureOr<NativeCode> dlc::compileToNative(ModuleOp module,
                                           const CompileOptions &options,
                                           bool wantLLVMIR, bool wantAssembly) {
  NativeCode code;
  FailureOr<plan::MemoryPlan> memory =
      planAndLowerKernels(module, options, "native", [&](OpPassManager &pm) {
        buildKernelsToLoops(pm, options);
      });
  if (failed(memory))
    return failure();
  code.memory = std::move(*memory);
  auto kernels = module.lookupSymbol<ModuleOp>(dl::kKernelsModuleName);
  // How many slices each kernel (and each phase of dl-distribute-
  // workgroups) splits into is known once it is bufferized.
  if (failed(expandPhases(code.memory, [&](const plan::PlannedKernel &k) {
        return plannedPhases<func::FuncOp>(kernels, k, module);
      })))
    return failure();
  if (options.gpuMappingOnCPU && options.simulateGPU) {
    // The CUDA plan's data kernels, simulated too: its kernels, all of them.
    OpBuilder b = OpBuilder::atBlockEnd(kernels.getBody());
    auto data = gpu::GPUModuleOp::create(b, kernels.getLoc(), "dl_gpu_data");
    appendDataKernels(code.memory, data, code.gatherKernel,
                      code.accumulateKernel);
    if (failed(runPasses(kernels, options, [&](OpPassManager &pm) {
          addGPUSimulation(pm, options);
        })))
      return failure();
  }
  if (failed(runPasses(kernels, options, cpu::buildLoopsToLLVMPipeline)) ||
      failed(cpu::addKernelABIWrappers(kernels)))
    return failure();

  auto tm = cpu::createTargetMachine(options.target);
  if (!tm)
    return module.emitError("dlc: ") << llvm::toString(tm.takeError());
  code.cpu = (*tm)->getTargetCPU().str();
  code.cpuFeatures = (*tm)->getTargetFeatureString().str();
  if (!wantLLVMIR && !wantAssembly) {
    // LLVM takes most of a compile: the kernels go through it in parallel.
    unsigned threads =
        options.compileThreads
            ? options.compileThreads
            : std::max(1u, std::min(std::thread::hardware_concurrency(),
                                    kMaxCompileThreads));
    auto shared = cpu::compileSharedObject(kernels, options.target, threads);
    if (!shared)
      return module.emitError() << llvm::toString(shared.takeError());
    code.sharedObject = std::move(*shared);
    return code;
  }
  // The dumps are of one module.
  llvm::LLVMContext context;
  std::unique_ptr<llvm::Module> llvmModule =
      cpu::translateAndOptimize(kernels, context, **tm);
  if (!llvmModule)
    return module.emitError("cannot translate the kernels to LLVM IR");
  if (wantLLVMIR) {
    llvm::raw_string_ostream os(code.llvmIR);
    llvmModule->print(os, nullptr);
  }
  if (wantAssembly) {
    auto assembly = cpu::emitMachineCode(*llvmModule, **tm, /*assembly=*/true);
    if (!assembly)
      return module.emitError() << llvm::toString(assembly.takeError());
    code.assembly = std::move(*assembly);
  }
  auto object = cpu::emitMachineCode(*llvmModule, **tm, /*assembly=*/false);
  if (!object)
    return module.emitError() << llvm::toString(object.takeError());
  auto shared = cpu::linkSharedObject({*object});
  if (!shared)
    return module.emitError() << llvm::toString(shared.takeError());
  code.sharedObject = std::move(*shared);
  return code;
}

FailureOr<CUDACode> dlc::compileToCUDA(ModuleOp module,
                                       const CompileOptions &options,
                                       bool stopAtGPU, bool wantCubin) {
  CUDACode code;
  if (llvm::Error error = cuda::checkOptions(options.cuda))
    return module.emitError("dlc: ") << llvm::toString(std::move(error));
  CompileOptions gpuOptions = options;
  gpuOptions.forGPU = true;
  FailureOr<plan::MemoryPlan> memory =
      planAndLowerKernels(module, gpuOptions, "CUDA", [&](OpPassManager &pm) {
        cuda::buildKernelsToGPUPipeline(pm, options.cuda);
      });
  if (failed(memory))
    return failure();
  code.memory = std::move(*memory);
  auto kernels = module.lookupSymbol<ModuleOp>(dl::kKernelsModuleName);
  gpu::GPUModuleOp gpuModule = cuda::getGPUModule(kernels);
  if (!gpuModule)
    return module.emitError("internal error: no gpu.module after mapping");
  // A phased kernel (dl-map-kernels-to-gpu) is one plan kernel per phase.
  if (failed(expandPhases(code.memory, [&](const plan::PlannedKernel &k) {
        return plannedPhases<gpu::GPUFuncOp>(
            gpuModule, k, module,
            [&](gpu::GPUFuncOp f, plan::PlannedKernel &pk) {
              pk.block = options.cuda.blockSize;
              if (auto block = f->getAttrOfType<IntegerAttr>("dl.block"))
                pk.block = block.getInt();
              // dl.buffer_access and the plan share BufferAccess.h's bits.
              if (auto access =
                      f->getAttrOfType<DenseI32ArrayAttr>("dl.buffer_access"))
                for (int32_t a : access.asArrayRef())
                  pk.argumentAccess.push_back(static_cast<uint8_t>(a));
            });
      })))
    return failure();
  appendDataKernels(code.memory, gpuModule, code.gatherKernel,
                    code.accumulateKernel);
  if (options.cuda.dependentLaunch) {
    cuda::addGridDependencyControl(gpuModule);
    code.dependentLaunch = true;
  }
  if (failed(verify(module)))
    return failure();
  if (stopAtGPU) {
    llvm::raw_string_ostream os(code.gpuDialect);
    module.print(os, OpPrintingFlags().printNameLocAsPrefix());
    return code;
  }

  if (failed(runPasses(kernels, options, cuda::buildGPUToNVVMPipeline)) ||
      failed(cuda::defineMathHelpers(gpuModule)))
    return failure();
  auto ptx = cuda::emitPTX(gpuModule, options.cuda.gpu);
  if (!ptx)
    return module.emitError("dlc: ") << llvm::toString(ptx.takeError());
  code.ptx = std::move(*ptx);
  if (wantCubin) {
    auto cubin = cuda::assembleCubin(code.ptx, options.cuda.gpu);
    if (!cubin)
      return module.emitError("dlc: ") << llvm::toString(cubin.takeError());
    code.cubin = std::move(*cubin);
  }
  return code;
}
