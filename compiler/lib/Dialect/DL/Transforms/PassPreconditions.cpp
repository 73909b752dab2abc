//===- PassPreconditions.cpp - what the dl passes check of their input ----===//
//
// dl-opt runs any pass on any stage: a pass given IR it does not take, or
// options out of range, says so with an error instead of rewriting what it
// does not understand.
//
//===----------------------------------------------------------------------===//

#include "dlc/Dialect/DL/Transforms/Passes.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
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
  if (!kernel.getBody().hasOneBlock())
    return kernel.emitError("kernel @")
           << kernel.getSymName() << " needs a body of one block";
  auto notYet = [&](const Twine &what) {
    return kernel.emitError("kernel @")
           << kernel.getSymName() << " is not bufferized (" << what
           << "): bufferize the kernels as dlc does first (one-shot-bufferize "
              "with function boundaries and identity layouts, then "
              "drop-equivalent-buffer-results)";
  };
  if (kernel.getNumResults() != 0)
    return notYet("it has results");
  for (Type type : kernel.getArgumentTypes())
    if (!isa<MemRefType, IndexType>(type))
      return notYet("an argument is neither a memref nor an index");
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

LogicalResult dlc::dl::checkBufferizedKernels(ModuleOp kernels) {
  if (!kernels.getOps<gpu::GPUModuleOp>().empty())
    return kernels.emitError("the kernels are already mapped to a gpu.module");
  for (auto kernel : kernels.getOps<func::FuncOp>())
    if (failed(checkBufferized(kernel)))
      return failure();
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
