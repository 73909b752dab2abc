//===- SortGlobals.cpp - memref.globals first, in name order --------------===//

#include "dlc/Dialect/DL/Transforms/Passes.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"

namespace dlc::dl {
#define GEN_PASS_DEF_SORTGLOBALS
#include "dlc/Dialect/DL/Transforms/Passes.h.inc"
} // namespace dlc::dl

using namespace mlir;

namespace {
struct SortGlobalsPass : public dlc::dl::impl::SortGlobalsBase<SortGlobalsPass> {
  void runOnOperation() override {
    Block *body = getOperation().getBody();
    auto globals = llvm::to_vector(body->getOps<memref::GlobalOp>());
    // Symbol names are unique: no ties.
    llvm::sort(globals, [](memref::GlobalOp a, memref::GlobalOp b) {
      return a.getSymName() < b.getSymName();
    });
    for (memref::GlobalOp global : llvm::reverse(globals))
      global->moveBefore(body, body->begin());
  }
};
} // namespace
