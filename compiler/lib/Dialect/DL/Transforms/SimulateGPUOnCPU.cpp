//===- SimulateGPUOnCPU.cpp - GPU kernels as CPU code for a simulator -----===//
//
// The gpu.funcs of dl-map-kernels-to-gpu become func.funcs with the CPU
// kernels' signature; what only a GPU has (thread ids, barriers, shuffles)
// becomes calls to the fiber simulator of tests/unit/GPUSimulator.h, whose
// names and signatures are fixed here.
//
//===----------------------------------------------------------------------===//

#include "dlc/Dialect/DL/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/AttrTypeSubElements.h"
#include "mlir/IR/SymbolTable.h"

namespace dlc::dl {
#define GEN_PASS_DEF_SIMULATEGPUONCPU
#include "dlc/Dialect/DL/Transforms/Passes.h.inc"
} // namespace dlc::dl

using namespace mlir;
using namespace dlc;

namespace {

constexpr const char *kThreadIdFn = "dlc_gpusim_thread_id";
constexpr const char *kBarrierFn = "dlc_gpusim_barrier";
constexpr const char *kShuffleF32Fn = "dlc_gpusim_shuffle_f32";
constexpr const char *kShuffleI32Fn = "dlc_gpusim_shuffle_i32";

/// The simulator's shuffle modes (GPUSimulator.h).
int32_t simulatorMode(gpu::ShuffleMode mode) {
  switch (mode) {
  case gpu::ShuffleMode::XOR:
    return 0;
  case gpu::ShuffleMode::UP:
    return 1;
  case gpu::ShuffleMode::DOWN:
    return 2;
  case gpu::ShuffleMode::IDX:
    return 3;
  }
  llvm_unreachable("unknown shuffle mode");
}

/// The memref without a GPU address space (the CPU has one).
std::optional<Type> withoutGPUSpace(MemRefType type) {
  if (!isa_and_nonnull<gpu::AddressSpaceAttr>(type.getMemorySpace()))
    return std::nullopt;
  return MemRefType::get(type.getShape(), type.getElementType(),
                         type.getLayout(), Attribute());
}

struct SimulateGPUOnCPU
    : public dl::impl::SimulateGPUOnCPUBase<SimulateGPUOnCPU> {
  using SimulateGPUOnCPUBase::SimulateGPUOnCPUBase;

  void runOnOperation() override {
    ModuleOp kernels = dl::findKernelsModule(getOperation());
    if (!kernels)
      return signalPassFailure();
    if (failed(dl::checkOptionRange(*this, kernels, "block", blockSize, 1,
                                    1024)))
      return signalPassFailure();
    SmallVector<gpu::GPUModuleOp> gpuModules(
        kernels.getOps<gpu::GPUModuleOp>());
    for (gpu::GPUModuleOp gpuModule : gpuModules)
      if (failed(convert(kernels, gpuModule)))
        return signalPassFailure();
    // The steps' launches name kernels the gpu.modules no longer hold (a
    // launch of a container module's kernel is resolved by the plan): run
    // on a whole program, as from a dump, the module stays a container.
    if (kernels == getOperation())
      kernels->removeAttr(gpu::GPUDialect::getContainerModuleAttrName());
  }

  /// `name(types) -> results`, declared once in `kernels`; null (with an
  /// error) when `name` is something else there. A `convergent` one (a
  /// barrier, a shuffle) is so for LLVM too, as on a GPU: threads must not
  /// reach it from different places.
  func::FuncOp declare(ModuleOp kernels, StringRef name, TypeRange types,
                       TypeRange results, bool convergent = false) {
    OpBuilder b = OpBuilder::atBlockBegin(kernels.getBody());
    FunctionType type = b.getFunctionType(types, results);
    if (Operation *existing = kernels.lookupSymbol(name)) {
      auto f = dyn_cast<func::FuncOp>(existing);
      if (f && f.getFunctionType() == type)
        return f;
      existing->emitError("the GPU simulator's ") << name << " is taken";
      return nullptr;
    }
    auto f = func::FuncOp::create(b, kernels.getLoc(), name, type);
    f.setPrivate();
    if (convergent)
      f->setAttr("passthrough",
                 b.getArrayAttr({b.getStringAttr("convergent")}));
    return f;
  }

  LogicalResult convert(ModuleOp kernels, gpu::GPUModuleOp gpuModule) {
    AttrTypeReplacer replacer;
    replacer.addReplacement(withoutGPUSpace);
    replacer.recursivelyReplaceElementsIn(gpuModule, /*replaceAttrs=*/true,
                                          /*replaceLocs=*/false,
                                          /*replaceTypes=*/true);
    // Casts between GPU spaces are now casts to the same type.
    WalkResult casts = gpuModule.walk([](memref::MemorySpaceCastOp cast) {
      if (cast.getSource().getType() != cast.getType()) {
        cast.emitError("cannot simulate a cast to memory space ")
            << cast.getType().getMemorySpace();
        return WalkResult::interrupt();
      }
      cast.replaceAllUsesWith(cast.getSource());
      cast.erase();
      return WalkResult::advance();
    });
    if (casts.wasInterrupted())
      return failure();

    OpBuilder b(kernels.getContext());
    b.setInsertionPoint(gpuModule);
    for (auto global :
         llvm::make_early_inc_range(gpuModule.getOps<memref::GlobalOp>())) {
      if (kernels.lookupSymbol(global.getSymName()))
        return global.emitError("cannot move ")
               << global.getSymName() << " out of the gpu.module: the name "
               << "is taken";
      global->moveBefore(gpuModule);
    }
    for (auto func :
         llvm::make_early_inc_range(gpuModule.getOps<gpu::GPUFuncOp>()))
      if (failed(convertFunc(kernels, func, b)))
        return failure();
    if (!gpuModule.getBody()->without_terminator().empty())
      return gpuModule.emitError("cannot simulate ")
             << gpuModule.getBody()->front().getName() << " of a gpu.module";
    gpuModule.erase();
    return success();
  }

  LogicalResult convertFunc(ModuleOp kernels, gpu::GPUFuncOp gpuFunc,
                            OpBuilder &b) {
    Location loc = gpuFunc.getLoc();
    int64_t block = blockSize;
    if (auto attr = gpuFunc->getAttrOfType<IntegerAttr>("dl.block"))
      block = attr.getInt();
    else if (auto known = gpuFunc.getKnownBlockSizeAttr())
      block = known[0];
    if (auto known = gpuFunc.getKnownBlockSizeAttr();
        known && (known[1] != 1 || known[2] != 1))
      return gpuFunc.emitError("cannot simulate a block of more than one "
                               "dimension");
    if (block < 1 || block > 1024)
      return gpuFunc.emitError("cannot simulate a block of ")
             << block << " threads: a GPU's blocks have 1 to 1024";

    // Buffers, workgroup buffers, then the workgroup id and count.
    Block &entry = gpuFunc.getBody().front();
    SmallVector<Type> types(gpuFunc.getArgumentTypes());
    SmallVector<int64_t> workgroupBytes;
    for (BlockArgument arg : gpuFunc.getWorkgroupAttributions()) {
      auto type = cast<MemRefType>(arg.getType());
      if (!type.getElementType().isIntOrFloat())
        return gpuFunc.emitError("cannot simulate workgroup memory of ")
               << type.getElementType();
      types.push_back(type);
      workgroupBytes.push_back(type.getNumElements() *
                               type.getElementTypeBitWidth() / 8);
    }
    Type index = b.getIndexType();
    types.append({index, index});

    if (kernels.lookupSymbol(gpuFunc.getName()))
      return gpuFunc.emitError("cannot move ")
             << gpuFunc.getName() << " out of the gpu.module: the name is "
             << "taken";
    b.setInsertionPoint(gpuFunc->getParentOp());
    auto func = func::FuncOp::create(b, loc, gpuFunc.getName(),
                                     b.getFunctionType(types, {}));
    for (NamedAttribute attr : gpuFunc->getDiscardableAttrs())
      if (attr.getName().strref().starts_with("dl."))
        func->setAttr(attr.getName(), attr.getValue());
    func->setAttr("dl.simulated_block", b.getI64IntegerAttr(block));
    func->setAttr("dl.simulated_workgroup_bytes",
                  b.getDenseI64ArrayAttr(workgroupBytes));
    func.getBody().takeBody(gpuFunc.getBody());

    // Private attributions are each thread's own: stack memory.
    unsigned numArgs = gpuFunc.getNumArguments() +
                       gpuFunc.getNumWorkgroupAttributions();
    b.setInsertionPointToStart(&entry);
    while (entry.getNumArguments() > numArgs) {
      BlockArgument arg = entry.getArgument(numArgs);
      auto alloca = memref::AllocaOp::create(b, loc,
                                             cast<MemRefType>(arg.getType()));
      arg.replaceAllUsesWith(alloca);
      entry.eraseArgument(numArgs);
    }
    Value wgId = entry.addArgument(index, loc);
    Value wgCount = entry.addArgument(index, loc);
    Value blockDim = arith::ConstantIndexOp::create(b, loc, block);
    Value zero = arith::ConstantIndexOp::create(b, loc, 0);
    Value one = arith::ConstantIndexOp::create(b, loc, 1);
    gpuFunc.erase();

    Type i32 = b.getI32Type(), i64 = b.getI64Type(), f32 = b.getF32Type();
    // Each barrier and shuffle is a place of its own, which the simulator
    // checks threads agree on: a number, since the CPU's code generation
    // may duplicate the call.
    int32_t nextSite = 0;
    auto site = [&](Location at) {
      return arith::ConstantIntOp::create(b, at, i32, nextSite++).getResult();
    };
    func::FuncOp threadIdFn = declare(kernels, kThreadIdFn, {}, {i64});
    func::FuncOp barrierFn =
        declare(kernels, kBarrierFn, {i32}, {}, /*convergent=*/true);
    if (!threadIdFn || !barrierFn)
      return failure();
    auto byDim = [&](gpu::Dimension dim, Value x, Value yz) {
      return dim == gpu::Dimension::x ? x : yz;
    };
    SmallVector<Operation *> ops;
    func.walk([&](Operation *op) { ops.push_back(op); });
    for (Operation *op : ops) {
      b.setInsertionPoint(op);
      Location at = op->getLoc();
      if (auto id = dyn_cast<gpu::ThreadIdOp>(op)) {
        Value x = arith::IndexCastOp::create(
            b, at, index, func::CallOp::create(b, at, threadIdFn).getResult(0));
        op->replaceAllUsesWith(ValueRange{byDim(id.getDimension(), x, zero)});
      } else if (auto id = dyn_cast<gpu::BlockIdOp>(op)) {
        op->replaceAllUsesWith(ValueRange{byDim(id.getDimension(), wgId, zero)});
      } else if (auto dim = dyn_cast<gpu::BlockDimOp>(op)) {
        op->replaceAllUsesWith(
            ValueRange{byDim(dim.getDimension(), blockDim, one)});
      } else if (auto dim = dyn_cast<gpu::GridDimOp>(op)) {
        op->replaceAllUsesWith(
            ValueRange{byDim(dim.getDimension(), wgCount, one)});
      } else if (isa<gpu::BarrierOp>(op)) {
        func::CallOp::create(b, at, barrierFn, ValueRange{site(at)});
      } else if (auto shuffle = dyn_cast<gpu::ShuffleOp>(op)) {
        Type type = shuffle.getValue().getType();
        if (type != f32 && type != i32)
          return op->emitError("cannot simulate a shuffle of ") << type;
        if (!shuffle.getValid().use_empty())
          return op->emitError("cannot simulate a shuffle whose validity "
                               "is used");
        func::FuncOp fn =
            declare(kernels, type == f32 ? kShuffleF32Fn : kShuffleI32Fn,
                    {type, i32, i32, i32, i32}, {type},
                    /*convergent=*/true);
        if (!fn)
          return failure();
        Value mode = arith::ConstantIntOp::create(
            b, at, i32, simulatorMode(shuffle.getMode()));
        Value result =
            func::CallOp::create(b, at, fn,
                                 ValueRange{shuffle.getValue(),
                                            shuffle.getOffset(),
                                            shuffle.getWidth(), mode,
                                            site(at)})
                .getResult(0);
        shuffle.getShuffleResult().replaceAllUsesWith(result);
      } else if (isa<gpu::ReturnOp>(op)) {
        func::ReturnOp::create(b, at);
      } else if (isa<NVVM::GriddepcontrolOp>(op)) {
        // Launches run one after another: nothing to wait for.
      } else if (isa<NVVM::MembarOp>(op)) {
        // Blocks may run on several CPU threads (the runtime's pool).
        LLVM::FenceOp::create(b, at, LLVM::AtomicOrdering::seq_cst);
      } else if (StringRef ns = op->getName().getDialectNamespace();
                 ns == "gpu" || ns == "nvvm") {
        return op->emitError("cannot simulate ") << op->getName() << " on the CPU";
      } else {
        continue;
      }
      op->erase();
    }
    return success();
  }
};

} // namespace
