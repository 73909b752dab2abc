//===- CUDACodeGen.cpp - kernels to PTX for NVIDIA GPUs -------------------===//

#include "dlc/Target/CUDA/CUDACodeGen.h"

#include "dlc/Dialect/DL/Transforms/Passes.h"
#include "dlc/Support/FileTool.h"
#include "dlc/Target/CPU/CPUCodeGen.h"

#include "mlir/Conversion/AffineToStandard/AffineToStandard.h"
#include "mlir/Conversion/GPUToNVVM/GPUToNVVMPass.h"
#include "mlir/Conversion/ReconcileUnrealizedCasts/ReconcileUnrealizedCasts.h"
#include "mlir/Conversion/SCFToControlFlow/SCFToControlFlow.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Target/TargetMachine.h"

#include <cstdlib>

using namespace mlir;
using namespace dlc;

llvm::Error cuda::checkArchitecture(llvm::StringRef gpu) {
  unsigned sm = 0;
  StringRef number = gpu;
  if (!number.consume_front("sm_") || number.getAsInteger(10, sm) ||
      sm < 80 || sm > 121)
    return llvm::createStringError(
        "unsupported GPU architecture '" + gpu.str() +
        "' (expected sm_80 to sm_121, e.g. sm_80 for A100, sm_90 for H100)");
  return llvm::Error::success();
}

llvm::Error cuda::checkOptions(const CUDATargetOptions &options) {
  if (llvm::Error error = checkArchitecture(options.gpu))
    return error;
  unsigned sm = 0;
  StringRef(options.gpu).drop_front(3).getAsInteger(10, sm);
  if (options.dependentLaunch && sm < 90)
    return llvm::createStringError(
        "dependent launch needs sm_90 or later (griddepcontrol); got '" +
        options.gpu + "'");
  return llvm::Error::success();
}

void cuda::addGridDependencyControl(gpu::GPUModuleOp gpuModule) {
  gpuModule.getContext()->loadDialect<NVVM::NVVMDialect>();
  for (auto func : gpuModule.getOps<gpu::GPUFuncOp>()) {
    OpBuilder b = OpBuilder::atBlockBegin(&func.getBody().front());
    // Waiting before anything else keeps stream order's meaning; letting
    // dependents go only after the wait pre-launches one grid at a time.
    NVVM::GriddepcontrolOp::create(b, func.getLoc(),
                                   NVVM::GridDepActionKind::wait);
    NVVM::GriddepcontrolOp::create(b, func.getLoc(),
                                   NVVM::GridDepActionKind::launch_dependents);
  }
}

dl::MapKernelsToGPUOptions
cuda::mappingOptions(const CUDATargetOptions &options) {
  dl::MapKernelsToGPUOptions map;
  map.blockSize = options.blockSize;
  map.orderedSplits = options.orderedSplits;
  map.rowProducts = options.rowProducts;
  map.workgroupScratch = options.workgroupScratch;
  map.vectorStores = options.vectorStores;
  return map;
}

void cuda::buildKernelsToGPUPipeline(OpPassManager &pm,
                                     const CUDATargetOptions &options) {
  // Slices of a few outputs per thread: rows of a dense layer then share
  // each weight load (see dl-map-kernels-to-gpu's register accumulation).
  dl::buildBufferizeKernelsPipeline(pm, options.blockSize,
                                    options.outputsPerThread);
  pm.addPass(dl::createMapKernelsToGPU(mappingOptions(options)));
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
}

gpu::GPUModuleOp cuda::getGPUModule(ModuleOp kernels) {
  auto modules = kernels.getOps<gpu::GPUModuleOp>();
  return modules.empty() ? gpu::GPUModuleOp() : *modules.begin();
}

namespace {
/// Builds the data kernels from LLVM-dialect pointer arithmetic: their
/// buffers (the dataset, the order) have sizes known only at run time.
struct DataKernelBuilder {
  DataKernelBuilder(gpu::GPUModuleOp gpuModule)
      : ctx(gpuModule.getContext()), b(ctx), loc(gpuModule.getLoc()),
        ptr(LLVM::LLVMPointerType::get(ctx)), i8(b.getI8Type()),
        i32(b.getI32Type()), i64(b.getI64Type()), f32(b.getF32Type()),
        f64(b.getF64Type()), module(gpuModule) {}

  gpu::GPUFuncOp kernel(StringRef name, unsigned numPointers, int64_t block) {
    b.setInsertionPointToEnd(module.getBody());
    SmallVector<Type> args(numPointers, ptr);
    auto func =
        gpu::GPUFuncOp::create(b, loc, name, FunctionType::get(ctx, args, {}));
    func->setAttr(gpu::GPUDialect::getKernelFuncAttrName(), b.getUnitAttr());
    func.setKnownBlockSizeAttr(
        b.getDenseI32ArrayAttr({static_cast<int32_t>(block), 1, 1}));
    b.setInsertionPointToStart(&func.getBody().front());
    return func;
  }
  Value c64(int64_t v) { return arith::ConstantIntOp::create(b, loc, i64, v); }
  Value toI64(Value index) {
    return arith::IndexCastUIOp::create(b, loc, i64, index);
  }
  Value load(Type type, Value base, Value index) {
    return LLVM::LoadOp::create(b, loc, type, at(type, base, index));
  }
  void store(Value value, Value base, Value index) {
    LLVM::StoreOp::create(b, loc, value, at(value.getType(), base, index));
  }
  Value at(Type type, Value base, Value index) {
    return LLVM::GEPOp::create(b, loc, ptr, type, base,
                               ArrayRef<LLVM::GEPArg>{index});
  }

  MLIRContext *ctx;
  OpBuilder b;
  Location loc;
  Type ptr, i8, i32, i64, f32, f64;
  gpu::GPUModuleOp module;
};
} // namespace

int64_t cuda::addDataKernels(gpu::GPUModuleOp gpuModule, int64_t batch,
                             int64_t features) {
  gpuModule.getContext()->loadDialect<LLVM::LLVMDialect, scf::SCFDialect,
                                      arith::ArithDialect>();
  DataKernelBuilder k(gpuModule);
  OpBuilder &b = k.b;
  Location loc = k.loc;
  int64_t values = batch * features;
  int64_t grid = (values + kDataKernelBlock - 1) / kDataKernelBlock;

  // dl_gather_batch(images, labels, order, cursor, image, label): one
  // thread per value of the batch.
  {
    gpu::GPUFuncOp f = k.kernel("dl_gather_batch", 6, kDataKernelBlock);
    Block &body = f.getBody().front();
    Value images = body.getArgument(0), labels = body.getArgument(1),
          order = body.getArgument(2), cursor = body.getArgument(3),
          image = body.getArgument(4), label = body.getArgument(5);
    Value block = k.toI64(gpu::BlockIdOp::create(b, loc, gpu::Dimension::x));
    Value thread = k.toI64(gpu::ThreadIdOp::create(b, loc, gpu::Dimension::x));
    Value i = arith::AddIOp::create(
        b, loc, arith::MulIOp::create(b, loc, block, k.c64(kDataKernelBlock)),
        thread);
    Value inRange = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult,
                                          i, k.c64(values));
    auto ifInRange = scf::IfOp::create(b, loc, inRange, false);
    b.setInsertionPointToStart(ifInRange.thenBlock());
    Value row = arith::DivUIOp::create(b, loc, i, k.c64(features));
    Value col = arith::RemUIOp::create(b, loc, i, k.c64(features));
    Value first = arith::ExtSIOp::create(b, loc, k.i64,
                                         k.load(k.i32, cursor, k.c64(0)));
    Value example = arith::ExtSIOp::create(
        b, loc, k.i64,
        k.load(k.i32, order, arith::AddIOp::create(b, loc, first, row)));
    Value pixel = k.load(
        k.i8, images,
        arith::AddIOp::create(
            b, loc, arith::MulIOp::create(b, loc, example, k.c64(features)),
            col));
    // The same rounding as the CPU gather: u8 / 255.0f, correctly rounded.
    Value value = arith::DivFOp::create(
        b, loc, arith::UIToFPOp::create(b, loc, k.f32, pixel),
        arith::ConstantOp::create(b, loc, b.getF32FloatAttr(255.0f)));
    k.store(value, image, i);
    Value firstCol = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq,
                                           col, k.c64(0));
    auto ifFirst = scf::IfOp::create(b, loc, firstCol, false);
    b.setInsertionPointToStart(ifFirst.thenBlock());
    Value cls = arith::ExtUIOp::create(b, loc, k.i32,
                                       k.load(k.i8, labels, example));
    k.store(cls, label, row);
    b.setInsertionPointToEnd(&body);
    gpu::ReturnOp::create(b, loc);
  }

  // dl_accumulate(loss, correct, loss_sum, correct_sum, cursor): one thread.
  {
    gpu::GPUFuncOp f = k.kernel("dl_accumulate", 5, 1);
    Block &body = f.getBody().front();
    Value loss = body.getArgument(0), correct = body.getArgument(1),
          lossSum = body.getArgument(2), correctSum = body.getArgument(3),
          cursor = body.getArgument(4);
    Value zero = k.c64(0);
    Value l = arith::ExtFOp::create(b, loc, k.f64, k.load(k.f32, loss, zero));
    k.store(arith::AddFOp::create(b, loc, k.load(k.f64, lossSum, zero), l),
            lossSum, zero);
    Value c =
        arith::ExtSIOp::create(b, loc, k.i64, k.load(k.i32, correct, zero));
    k.store(arith::AddIOp::create(b, loc, k.load(k.i64, correctSum, zero), c),
            correctSum, zero);
    Value next = arith::AddIOp::create(
        b, loc, k.load(k.i32, cursor, zero),
        arith::ConstantIntOp::create(b, loc, k.i32, batch));
    k.store(next, cursor, zero);
    gpu::ReturnOp::create(b, loc);
  }
  return grid;
}

void cuda::buildGPUToNVVMPipeline(OpPassManager &pm) {
  OpPassManager &gpuPM = pm.nest<gpu::GPUModuleOp>();
  gpuPM.addPass(memref::createExpandStridedMetadataPass());
  gpuPM.addPass(createLowerAffinePass());
  gpuPM.addPass(createCanonicalizerPass());
  gpuPM.addPass(createSCFToControlFlowPass());
  ConvertGpuOpsToNVVMOpsOptions nvvm;
  // Kernel parameters are plain device pointers (KernelABI.h).
  nvvm.useBarePtrCallConv = true;
  gpuPM.addPass(createConvertGpuOpsToNVVMOps(nvvm));
  gpuPM.addPass(createReconcileUnrealizedCastsPass());
}

LogicalResult cuda::defineMathHelpers(gpu::GPUModuleOp gpuModule) {
  OpBuilder b(gpuModule.getContext());
  for (auto f : llvm::to_vector(gpuModule.getOps<LLVM::LLVMFuncOp>())) {
    if (!f.isExternal())
      continue;
    StringRef name = f.getSymName();
    Location loc = f.getLoc();
    Block *entry = f.addEntryBlock(b);
    b.setInsertionPointToStart(entry);
    Value x = entry->getArgument(0), r;
    if (name == "__nv_floorf")
      r = LLVM::FFloorOp::create(b, loc, x);
    else if (name == "__nv_ceilf")
      r = LLVM::FCeilOp::create(b, loc, x);
    else if (name == "__nv_fabsf")
      r = LLVM::FAbsOp::create(b, loc, x);
    else if (name == "__nv_sqrtf")
      r = LLVM::SqrtOp::create(b, loc, x);
    else if (name == "__nv_fmaf")
      r = LLVM::FMAOp::create(b, loc, x, entry->getArgument(1),
                              entry->getArgument(2));
    else
      return f.emitError("the GPU kernels call ")
             << name << ", which dlc does not provide";
    LLVM::ReturnOp::create(b, loc, r);
    f.setLinkage(LLVM::Linkage::Internal);
  }
  return success();
}

static llvm::Expected<std::unique_ptr<llvm::TargetMachine>>
createNVPTXTargetMachine(StringRef gpu) {
  LLVMInitializeNVPTXTargetInfo();
  LLVMInitializeNVPTXTarget();
  LLVMInitializeNVPTXTargetMC();
  LLVMInitializeNVPTXAsmPrinter();
  llvm::Triple triple("nvptx64-nvidia-cuda");
  std::string error;
  const llvm::Target *target = llvm::TargetRegistry::lookupTarget(triple, error);
  if (!target)
    return llvm::createStringError("no NVPTX backend in this LLVM: " + error);
  std::unique_ptr<llvm::TargetMachine> tm(target->createTargetMachine(
      triple, gpu, "", llvm::TargetOptions(), std::nullopt, std::nullopt,
      llvm::CodeGenOptLevel::Aggressive));
  if (!tm)
    return llvm::createStringError("cannot create an NVPTX target for " +
                                   gpu.str());
  return tm;
}

llvm::Expected<std::string> cuda::emitPTX(gpu::GPUModuleOp gpuModule,
                                          StringRef gpu) {
  auto tm = createNVPTXTargetMachine(gpu);
  if (!tm)
    return tm.takeError();
  llvm::LLVMContext context;
  std::unique_ptr<llvm::Module> module =
      cpu::translateAndOptimize(gpuModule, context, **tm);
  if (!module)
    return llvm::createStringError("cannot translate the GPU kernels to "
                                   "LLVM IR");
  return cpu::emitMachineCode(*module, **tm, /*assembly=*/true);
}

llvm::Expected<std::string> cuda::assembleCubin(StringRef ptx, StringRef gpu) {
  SmallVector<std::string, 2> dirs;
  if (const char *cudaPath = std::getenv("CUDA_PATH"))
    dirs.push_back(std::string(cudaPath) + "/bin");
  dirs.push_back("/usr/local/cuda/bin");
  auto ptxas = llvm::sys::findProgramByName("ptxas");
  for (const std::string &dir : dirs)
    if (!ptxas)
      ptxas = llvm::sys::findProgramByName("ptxas", {dir});
  if (!ptxas)
    return std::string(); // PTX only: the driver compiles it at load.

  std::string arch = ("-arch=" + gpu).str();
  return runFileTool(*ptxas, ("ptxas for " + gpu).str(), ptx, "ptx", "cubin",
                     [&](StringRef in, StringRef out) {
                       return std::vector<std::string>{arch, "-O3", in.str(),
                                                       "-o", out.str()};
                     });
}
