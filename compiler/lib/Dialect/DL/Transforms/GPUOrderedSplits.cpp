//===- GPUOrderedSplits.cpp - blocks combining partial sums in order ------===//

#include "GPUOrderedSplits.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

using namespace mlir;
using namespace dlc;

namespace {
/// A zeroed global `name` of `symbols` of at least `size` elements, grown
/// if a sum of the kernel mapped earlier made it smaller, as a value at `b`'s
/// insertion point.
Value sharedGlobal(OpBuilder &b, Location loc, Operation *symbols,
                   StringRef name, Type element, int64_t size,
                   Attribute memorySpace) {
  auto typeOf = [&](int64_t n) {
    return MemRefType::get({n}, element, MemRefLayoutAttrInterface(),
                           memorySpace);
  };
  auto zeros = [&](int64_t n) {
    return DenseElementsAttr::get(RankedTensorType::get({n}, element),
                                  b.getZeroAttr(element));
  };
  auto global = dyn_cast_or_null<memref::GlobalOp>(
      SymbolTable::lookupSymbolIn(symbols, name));
  if (!global) {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(&symbols->getRegion(0).front());
    global = memref::GlobalOp::create(
        b, loc, name, b.getStringAttr("private"), typeOf(size), zeros(size),
        /*constant=*/false, b.getI64IntegerAttr(16));
  } else if (global.getType().getNumElements() < size) {
    global.setType(typeOf(size));
    global.setInitialValueAttr(zeros(size));
    symbols->walk([&](memref::GetGlobalOp get) {
      if (get.getName() == name)
        get.getResult().setType(typeOf(size));
    });
  }
  return memref::GetGlobalOp::create(b, loc, global.getType(), name);
}
} // namespace

dl::SplitWorkspace dl::getSplitWorkspace(OpBuilder &b, Location loc,
                                         Operation *op, gpu::GPUFuncOp func,
                                         int64_t numPartials,
                                         int64_t numCounters) {
  Operation *symbols;
  StringRef kernel;
  Attribute space;
  if (func) {
    symbols = func->getParentOfType<gpu::GPUModuleOp>();
    kernel = func.getName();
    space = gpu::AddressSpaceAttr::get(b.getContext(),
                                       gpu::AddressSpace::Global);
  } else {
    symbols = op->getParentOfType<ModuleOp>();
    kernel = op->getParentOfType<func::FuncOp>().getSymName();
  }
  return {sharedGlobal(b, loc, symbols, (kernel + "_split_partials").str(),
                       b.getF32Type(), numPartials, space),
          sharedGlobal(b, loc, symbols, (kernel + "_split_counters").str(),
                       b.getI32Type(), numCounters, space)};
}

void dl::inLastBlock(OpBuilder &b, Location loc, gpu::GPUFuncOp func, Value tid,
                     const SplitWorkspace &workspace, Value counter,
                     int64_t blocks, function_ref<void()> body) {
  Type i32 = b.getI32Type();
  auto i32Constant = [&](int64_t v) -> Value {
    return arith::ConstantIntOp::create(b, loc, i32, v);
  };
  auto takeTicket = [&]() -> Value {
    Value old = memref::AtomicRMWOp::create(b, loc, arith::AtomicRMWKind::addi,
                                            i32Constant(1), workspace.counters,
                                            ValueRange{counter});
    return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, old,
                                 i32Constant(blocks - 1));
  };
  auto reset = [&]() {
    memref::StoreOp::create(b, loc, i32Constant(0), workspace.counters,
                            ValueRange{counter});
  };
  OpBuilder::InsertionGuard guard(b);
  if (!func) {
    auto ifLast = scf::IfOp::create(b, loc, takeTicket(), false);
    b.setInsertionPointToStart(ifLast.thenBlock());
    reset();
    body();
    return;
  }
  MLIRContext *ctx = b.getContext();
  Value flag = func.addWorkgroupAttribution(
      MemRefType::get(
          {1}, i32, MemRefLayoutAttrInterface(),
          gpu::AddressSpaceAttr::get(ctx, gpu::AddressSpace::Workgroup)),
      loc);
  func.setWorkgroupAttributionAttr(func.getNumWorkgroupAttributions() - 1,
                                   LLVM::LLVMDialect::getAlignAttrName(),
                                   b.getI64IntegerAttr(16));
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  // Release: the block's partial sums, visible to the whole GPU before its
  // ticket (a __threadfence() in every thread that stored, then the
  // barrier; not thread 0's alone before the barrier).
  NVVM::MembarOp::create(b, loc, NVVM::MemScopeKind::GPU);
  gpu::BarrierOp::create(b, loc);
  Value first =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, tid, zero);
  auto ifFirst = scf::IfOp::create(b, loc, first, false);
  {
    OpBuilder::InsertionGuard inner(b);
    b.setInsertionPointToStart(ifFirst.thenBlock());
    memref::StoreOp::create(b, loc,
                            arith::ExtUIOp::create(b, loc, i32, takeTicket()),
                            flag, ValueRange{zero});
  }
  gpu::BarrierOp::create(b, loc);
  Value isLast = arith::CmpIOp::create(
      b, loc, arith::CmpIPredicate::ne,
      memref::LoadOp::create(b, loc, flag, ValueRange{zero}), i32Constant(0));
  auto ifLast = scf::IfOp::create(b, loc, isLast, false);
  b.setInsertionPointToStart(ifLast.thenBlock());
  // Acquire: every thread of the last block fences after the verdict, so
  // its loads see what the earlier tickets' holders stored (their fences
  // came before their tickets, which came before this block's).
  NVVM::MembarOp::create(b, loc, NVVM::MemScopeKind::GPU);
  auto ifReset = scf::IfOp::create(b, loc, first, false);
  {
    OpBuilder::InsertionGuard inner(b);
    b.setInsertionPointToStart(ifReset.thenBlock());
    reset();
  }
  body();
}

Value dl::sumAcrossLanes(OpBuilder &b, Location loc, Value v) {
  constexpr int64_t kWarp = 32;
  Value width = arith::ConstantIntOp::create(b, loc, kWarp, 32);
  for (int64_t offset = kWarp / 2; offset > 0; offset /= 2) {
    Value other =
        gpu::ShuffleOp::create(b, loc, v,
                               arith::ConstantIntOp::create(b, loc, offset, 32),
                               width, gpu::ShuffleMode::XOR)
            .getShuffleResult();
    v = arith::AddFOp::create(b, loc, v, other);
  }
  return v;
}
