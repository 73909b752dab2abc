//===- DeduplicateKernels.cpp - one kernel per distinct computation -------===//

#include "dlc/Dialect/DL/Transforms/Passes.h"

#include "mlir/IR/OperationSupport.h"
#include "mlir/IR/SymbolTable.h"

namespace dlc::dl {
#define GEN_PASS_DEF_DEDUPLICATEKERNELS
#include "dlc/Dialect/DL/Transforms/Passes.h.inc"
} // namespace dlc::dl

using namespace mlir;
using namespace dlc;

namespace {

/// The attributes that make two kernels' contracts with the plan equal.
constexpr const char *kContractAttrs[] = {"dl.num_inputs", "dl.num_outputs",
                                          "dl.scratch", "dl.result_aliases",
                                          "dl.result_kinds", "dl.flops"};

bool sameKernel(func::FuncOp a, func::FuncOp b) {
  if (a.getFunctionType() != b.getFunctionType())
    return false;
  for (const char *name : kContractAttrs)
    if (a->getAttr(name) != b->getAttr(name))
      return false;
  return OperationEquivalence::isRegionEquivalentTo(
      &a.getBody(), &b.getBody(), OperationEquivalence::IgnoreLocations);
}

struct DeduplicateKernelsPass
    : public dl::impl::DeduplicateKernelsBase<DeduplicateKernelsPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    auto kernels = module.lookupSymbol<ModuleOp>(dl::kKernelsModuleName);
    if (!kernels)
      return;
    SmallVector<func::FuncOp> kept;
    for (auto kernel : llvm::to_vector(kernels.getOps<func::FuncOp>())) {
      auto same = llvm::find_if(
          kept, [&](func::FuncOp k) { return sameKernel(k, kernel); });
      if (same == kept.end()) {
        kept.push_back(kernel);
        continue;
      }
      // Launches name kernels as @kernels::@kN: rewrite the leaf.
      if (failed(SymbolTable::replaceAllSymbolUses(
              kernel, same->getSymNameAttr(), module))) {
        kernel.emitError("cannot redirect the launches of a duplicate kernel");
        return signalPassFailure();
      }
      kernel.erase();
    }
  }
};

} // namespace
