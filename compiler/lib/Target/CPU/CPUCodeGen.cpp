//===- CPUCodeGen.cpp - kernels to a native shared object -----------------===//

#include "dlc/Target/CPU/CPUCodeGen.h"

#include "dlc/Dialect/DL/Transforms/Passes.h"
#include "dlc/Support/FileTool.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Conversion/AffineToStandard/AffineToStandard.h"
#include "mlir/Conversion/ArithToLLVM/ArithToLLVM.h"
#include "mlir/Conversion/ControlFlowToLLVM/ControlFlowToLLVM.h"
#include "mlir/Conversion/FuncToLLVM/ConvertFuncToLLVMPass.h"
#include "mlir/Conversion/IndexToLLVM/IndexToLLVM.h"
#include "mlir/Conversion/MathToLLVM/MathToLLVM.h"
#include "mlir/Conversion/MemRefToLLVM/MemRefToLLVM.h"
#include "mlir/Conversion/ReconcileUnrealizedCasts/ReconcileUnrealizedCasts.h"
#include "mlir/Conversion/SCFToControlFlow/SCFToControlFlow.h"
#include "mlir/Conversion/VectorToLLVM/ConvertVectorToLLVMPass.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Transforms/Passes.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/TargetParser/SubtargetFeature.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/TargetParser/Host.h"

#include <algorithm>
#include <thread>

using namespace mlir;

/// A lowered kernel NAME becomes NAME_impl behind the ABI entry NAME.
static constexpr llvm::StringLiteral kImplSuffix = "_impl";

/// A kernel simulating the GPU's (dl-simulate-gpu-on-cpu) NAME hands
/// NAME_thread, each thread's ABI entry, to the simulator.
static constexpr llvm::StringLiteral kThreadSuffix = "_thread";
/// The simulator's entry (tests/unit/GPUSimulator.h).
static constexpr llvm::StringLiteral kRunBlockFn = "dlc_gpusim_run_block";

/// The kernel (ABI entry) a function of the wrapped kernels module is for.
static llvm::StringRef kernelOf(llvm::StringRef name) {
  name.consume_back(kImplSuffix);
  name.consume_back(kThreadSuffix);
  return name;
}
static llvm::StringRef kernelOf(LLVM::LLVMFuncOp f) {
  return kernelOf(f.getSymName());
}

namespace {
/// scf.for lowering leaves a loop's `llvm.loop_annotation` (dl-vectorize-
/// kernels asks LLVM not to unroll its register-blocked loops) as a
/// discardable attribute of the latch branch, but the translation to LLVM IR
/// reads the branch's `loop_annotation` property: move it there.
struct AttachLoopAnnotations
    : public PassWrapper<AttachLoopAnnotations, OperationPass<ModuleOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(AttachLoopAnnotations)
  StringRef getArgument() const override { return "dl-attach-loop-annotations"; }
  void runOnOperation() override {
    getOperation().walk([](Operation *op) {
      auto annotation = dyn_cast_or_null<LLVM::LoopAnnotationAttr>(
          op->getDiscardableAttr("llvm.loop_annotation"));
      if (!annotation)
        return;
      if (auto br = dyn_cast<LLVM::BrOp>(op))
        br.setLoopAnnotationAttr(annotation);
      else if (auto condBr = dyn_cast<LLVM::CondBrOp>(op))
        condBr.setLoopAnnotationAttr(annotation);
      else
        return;
      op->removeDiscardableAttr("llvm.loop_annotation");
    });
  }
};
} // namespace

void dlc::cpu::buildKernelsToLoopsPipeline(
    OpPassManager &pm, const CPUTargetOptions &target,
    const dl::MapKernelsToGPUOptions *gpuMapping) {
  // The GPU mapping runs on the GPU's static slices (one slice per call).
  // The CPU splits a kernel its threads cannot share into phases; the GPU
  // mapping has phases of its own.
  dl::buildBufferizeKernelsPipeline(pm, gpuMapping ? gpuMapping->blockSize : 0,
                                    gpuMapping ? 4 : 1,
                                    /*phases=*/!gpuMapping);
  if (gpuMapping) {
    // The CUDA target's thread mapping, run sequentially (tests only).
    dl::MapKernelsToGPUOptions map = *gpuMapping;
    map.sequential = true;
    pm.addPass(dl::createMapKernelsToGPU(map));
  } else {
    // Contractions and convolutions become register-tiled vector FMAs; the
    // remaining (elementwise, pooling, softmax) generics become loops.
    // CSE first: the row-slice subviews of one buffer become one value, so
    // that dl-vectorize-kernels sees a contraction's bias and relu ops
    // writing the same output as the contraction.
    pm.addPass(createCSEPass());
    dl::VectorizeKernelsOptions vectorize;
    if (target.vectorMinFlops)
      vectorize.minFlops = *target.vectorMinFlops;
    if (!hasAVX512(target)) {
      // 16 registers of 8 lanes: 6 accumulators of 16 lanes (12 registers)
      // leave room for a row's vector and a broadcast; wider vectors
      // would only leave fewer rows.
      vectorize.budget = 6;
      vectorize.maxWidth = 16;
    }
    pm.addPass(dl::createVectorizeKernels(vectorize));
    pm.addPass(dl::createVectorizeStridedWindows());
    pm.addPass(dl::createCollapseContiguousLoops());
    pm.addPass(dl::createVectorizeTransposes());
    pm.addNestedPass<func::FuncOp>(createConvertLinalgToLoopsPass());
  }
  pm.addPass(dl::createApproximateMath());
  pm.addPass(createCSEPass());
  pm.addPass(createCanonicalizerPass());
}

void dlc::cpu::buildLoopsToLLVMPipeline(OpPassManager &pm) {
  // Subviews become affine index arithmetic, which must be lowered too.
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  pm.addPass(createSCFToControlFlowPass());
  // 1-D vector loads, FMAs, masks and horizontal sums of
  // dl-vectorize-kernels; LLVM legalises the widths for the target.
  ConvertVectorToLLVMPassOptions vectorOptions;
  vectorOptions.reassociateFPReductions = true;
  pm.addPass(createConvertVectorToLLVMPass(vectorOptions));
  pm.addPass(createConvertMathToLLVMPass());
  pm.addPass(createFinalizeMemRefToLLVMConversionPass());
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createConvertIndexToLLVMPass());
  ConvertFuncToLLVMPassOptions funcOptions;
  // Kernel buffers are plain pointers: shapes are static and known.
  funcOptions.useBarePtrCallConv = true;
  pm.addPass(createConvertFuncToLLVMPass(funcOptions));
  pm.addPass(createConvertControlFlowToLLVMPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
  pm.addPass(std::make_unique<AttachLoopAnnotations>());
}

LogicalResult dlc::cpu::checkNoAllocations(ModuleOp kernels) {
  LogicalResult result = success();
  kernels.walk([&](memref::AllocOp alloc) {
    auto kernel = alloc->getParentOfType<func::FuncOp>();
    alloc.emitError("internal error: kernel '")
        << (kernel ? kernel.getSymName() : "?")
        << "' would allocate at run time (" << alloc.getType() << ")";
    result = failure();
  });
  return result;
}

/// The ABI entry `name` of a simulated GPU kernel: runs the call's block,
/// `thread` on each of its `block` threads, with the workgroup buffers
/// (the last of `numBuffers` arguments of `thread`) the simulator makes.
static LogicalResult addSimulatedEntry(ModuleOp kernels,
                                       LLVM::LLVMFuncOp impl,
                                       LLVM::LLVMFuncOp thread,
                                       StringRef name, int64_t block,
                                       int64_t numBuffers) {
  MLIRContext *ctx = kernels.getContext();
  Location loc = thread.getLoc();
  OpBuilder b(ctx);
  auto ptrType = LLVM::LLVMPointerType::get(ctx);
  auto i64 = IntegerType::get(ctx, 64);
  auto voidType = LLVM::LLVMVoidType::get(ctx);
  auto bytesAttr =
      impl->getAttrOfType<DenseI64ArrayAttr>("dl.simulated_workgroup_bytes");
  if (!bytesAttr || (int64_t)bytesAttr.size() > numBuffers)
    return impl.emitError("internal error: simulated kernel '")
           << name << "' lacks its workgroup buffers";
  ArrayRef<int64_t> bytes = bytesAttr.asArrayRef();
  std::string sizesName = (name + "_workgroup_bytes").str();
  if (kernels.lookupSymbol(sizesName))
    return impl.emitError("internal error: '") << sizesName << "' is taken";

  auto runBlock = kernels.lookupSymbol<LLVM::LLVMFuncOp>(kRunBlockFn);
  if (!runBlock) {
    b.setInsertionPointToStart(kernels.getBody());
    runBlock = LLVM::LLVMFuncOp::create(
        b, loc, kRunBlockFn,
        LLVM::LLVMFunctionType::get(
            voidType, {ptrType, ptrType, i64, ptrType, i64, i64, i64, i64}));
  }
  LLVM::GlobalOp sizes;
  b.setInsertionPointAfter(thread);
  if (!bytes.empty()) {
    auto type = LLVM::LLVMArrayType::get(i64, bytes.size());
    sizes = LLVM::GlobalOp::create(
        b, loc, type, /*isConstant=*/true, LLVM::Linkage::Internal,
        sizesName,
        DenseElementsAttr::get(
            RankedTensorType::get({(int64_t)bytes.size()}, i64), bytes));
  }
  auto entryFn = LLVM::LLVMFuncOp::create(
      b, loc, name, LLVM::LLVMFunctionType::get(voidType, {ptrType, i64, i64}));
  Block *entry = entryFn.addEntryBlock(b);
  b.setInsertionPointToStart(entry);
  auto constant = [&](int64_t v) {
    return LLVM::ConstantOp::create(b, loc, i64, v);
  };
  Value sizesPtr = sizes ? Value(LLVM::AddressOfOp::create(b, loc, sizes))
                         : Value(LLVM::ZeroOp::create(b, loc, ptrType));
  int64_t numWorkgroup = bytes.size();
  LLVM::CallOp::create(
      b, loc, runBlock,
      ValueRange{LLVM::AddressOfOp::create(b, loc, thread),
                 entry->getArgument(0), constant(numBuffers - numWorkgroup),
                 sizesPtr, constant(numWorkgroup), constant(block),
                 entry->getArgument(1), entry->getArgument(2)});
  LLVM::ReturnOp::create(b, loc, ValueRange());
  return success();
}

LogicalResult dlc::cpu::addKernelABIWrappers(ModuleOp kernels) {
  MLIRContext *ctx = kernels.getContext();
  OpBuilder b(ctx);
  auto ptrType = LLVM::LLVMPointerType::get(ctx);
  auto i64 = IntegerType::get(ctx, 64);
  auto voidType = LLVM::LLVMVoidType::get(ctx);
  SmallVector<LLVM::LLVMFuncOp> impls;
  for (auto func : kernels.getOps<LLVM::LLVMFuncOp>())
    if (!func.isExternal())
      impls.push_back(func);
  for (LLVM::LLVMFuncOp impl : impls) {
    std::string name = impl.getSymName().str();
    if (impl.getFunctionType().getReturnType() != voidType)
      return impl.emitError("internal error: kernel '")
             << name << "' still returns a value after bufferization";
    impl.setSymName(name + kImplSuffix.str());
    impl.setLinkage(LLVM::Linkage::Internal);
    auto simulatedBlock =
        impl->getAttrOfType<IntegerAttr>("dl.simulated_block");

    if (simulatedBlock && kernels.lookupSymbol(name + kThreadSuffix.str()))
      return impl.emitError("internal error: '")
             << name << kThreadSuffix << "' is taken";
    b.setInsertionPointAfter(impl);
    auto abiType = LLVM::LLVMFunctionType::get(voidType, {ptrType, i64, i64});
    auto wrapper = LLVM::LLVMFuncOp::create(
        b, impl.getLoc(), simulatedBlock ? name + kThreadSuffix.str() : name,
        abiType);
    Block *entry = wrapper.addEntryBlock(b);
    b.setInsertionPointToStart(entry);
    Value buffers = entry->getArgument(0);
    // Buffers, then the workgroup id and count (dl-distribute-workgroups).
    ArrayRef<Type> params = impl.getFunctionType().getParams();
    if (params.size() < 2 || params.take_back(2) != ArrayRef<Type>{i64, i64})
      return impl.emitError("internal error: kernel '")
             << name << "' lacks its workgroup arguments";
    SmallVector<Value> args;
    for (auto [i, type] : llvm::enumerate(params.drop_back(2))) {
      if (type != ptrType)
        return impl.emitError("internal error: kernel '")
               << name << "' argument " << i << " is not a buffer";
      // The memory plan gives the buffers of one launch disjoint memory
      // (MemoryPlan checks it), so loads can be reused across stores and
      // loops vectorised without run-time overlap checks. Not so for
      // simulated GPU threads, which share their buffers through barriers.
      if (!simulatedBlock)
        impl.setArgAttr(i, LLVM::LLVMDialect::getNoAliasAttrName(),
                        b.getUnitAttr());
      Value slot = LLVM::GEPOp::create(b, impl.getLoc(), ptrType, ptrType,
                                       buffers,
                                       ArrayRef<LLVM::GEPArg>{(int32_t)i});
      args.push_back(LLVM::LoadOp::create(b, impl.getLoc(), ptrType, slot));
    }
    args.push_back(entry->getArgument(1));
    args.push_back(entry->getArgument(2));
    LLVM::CallOp::create(b, impl.getLoc(), impl, args);
    LLVM::ReturnOp::create(b, impl.getLoc(), ValueRange());
    if (simulatedBlock &&
        failed(addSimulatedEntry(kernels, impl, wrapper, name,
                                 simulatedBlock.getInt(), params.size() - 2)))
      return failure();
  }
  return success();
}

namespace {
/// LLVM's target for this host's triple, or null with `error` set.
const llvm::Target *hostTarget(llvm::Triple &triple, std::string &error) {
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  triple = llvm::Triple(llvm::sys::getProcessTriple());
  return llvm::TargetRegistry::lookupTarget(triple, error);
}
} // namespace

bool dlc::cpu::hasAVX512(const CPUTargetOptions &options) {
  if (options.cpu == "native") {
    llvm::StringMap<bool> features = llvm::sys::getHostCPUFeatures();
    return features.lookup("avx512f");
  }
  llvm::Triple triple;
  std::string error;
  const llvm::Target *target = hostTarget(triple, error);
  if (!target)
    return false;
  std::unique_ptr<llvm::MCSubtargetInfo> subtarget(
      target->createMCSubtargetInfo(triple, "generic", ""));
  if (!subtarget || !subtarget->isCPUStringValid(options.cpu))
    return false;
  subtarget.reset(target->createMCSubtargetInfo(triple, options.cpu, ""));
  return subtarget && subtarget->checkFeatures("+avx512f");
}

llvm::Expected<std::unique_ptr<llvm::TargetMachine>>
dlc::cpu::createTargetMachine(const CPUTargetOptions &options) {
  llvm::Triple triple;
  std::string error;
  const llvm::Target *target = hostTarget(triple, error);
  if (!target)
    return llvm::createStringError(error);
  std::string cpu = options.cpu;
  std::string features;
  if (cpu == "native") {
    cpu = llvm::sys::getHostCPUName().str();
    llvm::SubtargetFeatures subtarget;
    for (auto &feature : llvm::sys::getHostCPUFeatures())
      subtarget.AddFeature(feature.first(), feature.second);
    features = subtarget.getString();
  } else if (!std::unique_ptr<llvm::MCSubtargetInfo>(
                  // Asked of a generic subtarget: one built for an unknown
                  // CPU would print LLVM's own warning first.
                  target->createMCSubtargetInfo(triple, "generic", ""))
                  ->isCPUStringValid(cpu)) {
    return llvm::createStringError("unknown CPU '" + cpu +
                                   "' (try native or x86-64-v3)");
  }
  llvm::TargetOptions targetOptions;
  std::unique_ptr<llvm::TargetMachine> tm(target->createTargetMachine(
      triple, cpu, features, targetOptions, llvm::Reloc::PIC_,
      std::nullopt, llvm::CodeGenOptLevel::Aggressive));
  if (!tm)
    return llvm::createStringError("cannot create a target machine for " +
                                   cpu);
  return tm;
}

namespace {
/// LLVM's -O3 pipeline over `module`, for `tm`.
void optimize(llvm::Module &module, llvm::TargetMachine &tm) {
  module.setTargetTriple(tm.getTargetTriple());
  module.setDataLayout(tm.createDataLayout());
  llvm::LoopAnalysisManager lam;
  llvm::FunctionAnalysisManager fam;
  llvm::CGSCCAnalysisManager cgam;
  llvm::ModuleAnalysisManager mam;
  llvm::PassBuilder pb(&tm);
  pb.registerModuleAnalyses(mam);
  pb.registerCGSCCAnalyses(cgam);
  pb.registerFunctionAnalyses(fam);
  pb.registerLoopAnalyses(lam);
  pb.crossRegisterProxies(lam, fam, cgam, mam);
  llvm::ModulePassManager mpm =
      pb.buildPerModuleDefaultPipeline(llvm::OptimizationLevel::O3);
  mpm.run(module, mam);
}
} // namespace

std::unique_ptr<llvm::Module>
dlc::cpu::translateAndOptimize(Operation *kernels, llvm::LLVMContext &context,
                               llvm::TargetMachine &tm) {
  std::unique_ptr<llvm::Module> module =
      translateModuleToLLVMIR(kernels, context, "dlc_kernels");
  if (!module)
    return nullptr;
  optimize(*module, tm);
  return module;
}

llvm::Expected<std::string> dlc::cpu::emitMachineCode(llvm::Module &module,
                                                      llvm::TargetMachine &tm,
                                                      bool assembly) {
  // Object emission needs a seekable stream: raw_svector_ostream is one.
  llvm::SmallString<0> code;
  llvm::raw_svector_ostream stream(code);
  llvm::legacy::PassManager pm;
  if (tm.addPassesToEmitFile(pm, stream, nullptr,
                             assembly ? llvm::CodeGenFileType::AssemblyFile
                                      : llvm::CodeGenFileType::ObjectFile))
    return llvm::createStringError("the target cannot emit this file type");
  pm.run(module);
  return std::string(code.str());
}

llvm::Expected<std::string>
dlc::cpu::linkSharedObject(llvm::ArrayRef<std::string> objects) {
  auto lld = llvm::sys::findProgramByName("ld.lld", {DLC_LLD_DIR});
  if (!lld)
    return llvm::createStringError("cannot find ld.lld in " DLC_LLD_DIR);
  return runFileTool(
      *lld, "ld.lld", objects, "o", "so",
      [](llvm::ArrayRef<std::string> in, llvm::StringRef out) {
        std::vector<std::string> args = {"-shared", "--hash-style=gnu", "-O2",
                                         "-o", out.str()};
        args.insert(args.end(), in.begin(), in.end());
        return args;
      });
}

llvm::Expected<std::string>
dlc::cpu::compileSharedObject(ModuleOp kernels, const CPUTargetOptions &options,
                              unsigned threads) {
  // Kernels with their bodies, each with its NAME_impl (the wrapper calls
  // it), weighed by op count, which tracks LLVM's time on them.
  llvm::StringMap<int64_t> weight;
  kernels.walk([&](LLVM::LLVMFuncOp f) {
    if (f.isExternal())
      return;
    int64_t ops = 0;
    f.walk([&](Operation *) { ++ops; });
    weight[kernelOf(f)] += ops;
  });
  SmallVector<std::pair<int64_t, std::string>> byWeight;
  for (auto &entry : weight)
    byWeight.push_back({entry.second, entry.first().str()});
  // Heaviest first, each to the lightest group; names break ties, so that
  // the same module always splits the same way.
  llvm::sort(byWeight, [](const auto &a, const auto &b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  // Every part keeps every global: only module-local ones may be copied.
  // And a kernel calls nothing defined here but its own NAME_impl.
  bool separable = true;
  kernels.walk([&](LLVM::GlobalOp global) {
    separable &= global.getLinkage() == LLVM::Linkage::Private ||
                 global.getLinkage() == LLVM::Linkage::Internal;
  });
  // (A simulated GPU kernel's also its NAME_thread.)
  kernels.walk([&](LLVM::CallOp call) {
    auto callee = call.getCallee();
    auto caller = call->getParentOfType<LLVM::LLVMFuncOp>();
    auto target =
        callee ? kernels.lookupSymbol<LLVM::LLVMFuncOp>(*callee) : nullptr;
    separable &= callee && caller &&
                 (!target || target.isExternal() ||
                  kernelOf(*callee) == kernelOf(caller));
  });
  kernels.walk([&](LLVM::AddressOfOp address) {
    auto target =
        kernels.lookupSymbol<LLVM::LLVMFuncOp>(address.getGlobalName());
    auto user = address->getParentOfType<LLVM::LLVMFuncOp>();
    separable &= !target || (user && kernelOf(target) == kernelOf(user));
  });
  unsigned groups =
      separable
          ? std::max<unsigned>(1, std::min<unsigned>(threads, byWeight.size()))
          : 1;
  SmallVector<int64_t> load(groups, 0);
  llvm::StringMap<unsigned> groupOf;
  for (auto &[w, name] : byWeight) {
    unsigned g = std::min_element(load.begin(), load.end()) - load.begin();
    load[g] += w;
    groupOf[name] = g;
  }

  // One LLVM module per group, translated here: the MLIR context is not
  // for the threads.
  SmallVector<std::unique_ptr<llvm::LLVMContext>> contexts;
  SmallVector<std::unique_ptr<llvm::Module>> modules;
  for (unsigned g = 0; g < groups; ++g) {
    OwningOpRef<ModuleOp> part = kernels.clone();
    SmallVector<LLVM::LLVMFuncOp> others;
    part->walk([&](LLVM::LLVMFuncOp f) {
      if (!f.isExternal() && groupOf.lookup(kernelOf(f)) != g)
        others.push_back(f);
    });
    for (LLVM::LLVMFuncOp f : others)
      f.erase();
    contexts.push_back(std::make_unique<llvm::LLVMContext>());
    modules.push_back(
        translateModuleToLLVMIR(*part, *contexts.back(), "dlc_kernels"));
    if (!modules.back())
      return llvm::createStringError("cannot translate the kernels to LLVM IR");
  }

  std::vector<std::string> objects(groups);
  std::vector<std::string> errors(groups);
  auto compile = [&](unsigned g) {
    auto tm = createTargetMachine(options);
    if (!tm) {
      errors[g] = llvm::toString(tm.takeError());
      return;
    }
    optimize(*modules[g], **tm);
    auto object = emitMachineCode(*modules[g], **tm, /*assembly=*/false);
    if (!object) {
      errors[g] = llvm::toString(object.takeError());
      return;
    }
    objects[g] = std::move(*object);
  };
  std::vector<std::thread> workers;
  for (unsigned g = 1; g < groups; ++g)
    workers.emplace_back(compile, g);
  compile(0);
  for (std::thread &t : workers)
    t.join();
  for (const std::string &error : errors)
    if (!error.empty())
      return llvm::createStringError(error);
  return linkSharedObject(objects);
}
