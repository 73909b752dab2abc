//===- GPUBufferAccess.cpp - what each GPU kernel does with its buffers ---===//

#include "GPUBufferAccess.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Interfaces/ViewLikeInterface.h"

using namespace mlir;
using namespace dlc;

namespace {
/// Calls `use` on every use of `buffer` and of the views of it.
void forEachAccess(Value buffer, function_ref<void(OpOperand &)> use) {
  SmallVector<Value> work = {buffer};
  while (!work.empty()) {
    Value v = work.pop_back_val();
    for (OpOperand &u : v.getUses()) {
      auto view = dyn_cast<ViewLikeOpInterface>(u.getOwner());
      if (view && view.getViewSource() == v) {
        llvm::append_range(work, u.getOwner()->getResults());
        continue;
      }
      use(u);
    }
  }
}

bool isStore(Operation *op) {
  return isa<memref::StoreOp, vector::StoreOp, vector::TransferWriteOp>(op);
}

/// kBufferRead and kBufferWritten bits of what `func` does with `arg`;
/// anything but plain loads and stores counts as both.
int32_t accessOf(BlockArgument arg) {
  int32_t access = 0;
  forEachAccess(arg, [&](OpOperand &use) {
    Operation *op = use.getOwner();
    if (isa<memref::LoadOp, vector::LoadOp, vector::TransferReadOp>(op))
      access |= dl::kBufferRead;
    else if (isStore(op) && use.getOperandNumber() == 1) // the buffer
      access |= dl::kBufferWritten;
    else
      access |= dl::kBufferRead | dl::kBufferWritten;
  });
  return access;
}
} // namespace

void dl::annotateBufferAccess(ArrayRef<gpu::GPUFuncOp> phases) {
  if (phases.empty())
    return;
  gpu::GPUFuncOp first = phases.front();
  unsigned numArgs = first.getNumArguments();
  auto scratch = first->getAttrOfType<ArrayAttr>("dl.scratch");
  unsigned numScratch = scratch ? scratch.size() : 0;
  for (unsigned a = numArgs - numScratch; a < numArgs; ++a) {
    bool read = llvm::any_of(phases, [&](gpu::GPUFuncOp f) {
      return accessOf(f.getArgument(a)) & kBufferRead;
    });
    if (read)
      continue;
    for (gpu::GPUFuncOp f : phases) {
      SmallVector<Operation *> stores;
      forEachAccess(f.getArgument(a), [&](OpOperand &use) {
        if (isStore(use.getOwner()))
          stores.push_back(use.getOwner());
      });
      for (Operation *store : stores)
        store->erase();
    }
  }
  for (gpu::GPUFuncOp f : phases) {
    // The buffers, not the workgroup attributions after them.
    SmallVector<int32_t> access;
    for (unsigned a = 0; a < f.getNumArguments(); ++a)
      access.push_back(accessOf(f.getArgument(a)));
    f->setAttr("dl.buffer_access",
               DenseI32ArrayAttr::get(f.getContext(), access));
  }
}
