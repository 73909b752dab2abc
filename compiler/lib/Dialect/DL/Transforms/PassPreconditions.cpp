//===- PassPreconditions.cpp - what the dl passes check of their input ----===//
//
// dl-opt runs any pass on any stage: a pass given IR it does not take, or
// options out of range, says so with an error instead of rewriting what it
// does not understand.
//
//===----------------------------------------------------------------------===//

#include "dlc/Dialect/DL/Transforms/Passes.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"

using namespace mlir;

ModuleOp dlc::dl::findKernelsModule(ModuleOp module) {
  ModuleOp kernels = module.getSymName() == kKernelsModuleName
                         ? module
                         : module.lookupSymbol<ModuleOp>(kKernelsModuleName);
  if (!kernels)
    module.emitError("no kernels module");
  return kernels;
}

LogicalResult dlc::dl::checkBufferized(func::FuncOp kernel) {
  auto notYet = [&](const Twine &what) {
    return kernel.emitError("kernel @")
           << kernel.getSymName() << " is not bufferized (" << what
           << "): run one-shot-bufferize first";
  };
  if (kernel.getNumResults() != 0)
    return notYet("it has results");
  for (Type type : kernel.getArgumentTypes())
    if (!isa<MemRefType, IndexType>(type))
      return notYet("an argument is not a memref");
  WalkResult tensors = kernel.walk([](Operation *op) {
    auto isTensor = [](Type t) { return isa<TensorType>(t); };
    return llvm::any_of(op->getResultTypes(), isTensor) ||
                   llvm::any_of(op->getOperandTypes(), isTensor)
               ? WalkResult::interrupt()
               : WalkResult::advance();
  });
  if (tensors.wasInterrupted())
    return notYet("its body holds tensors");
  return success();
}

LogicalResult dlc::dl::checkOptionRange(Pass &pass, Operation *at,
                                        StringRef option, int64_t value,
                                        int64_t min, int64_t max) {
  if (value >= min && value <= max)
    return success();
  return at->emitError(pass.getArgument())
         << ": option " << option << "=" << value << " is outside [" << min
         << ", " << max << "]";
}
