//===- GPUWorkgroupScratch.cpp - one-block kernels' scratch on chip -------===//

#include "GPUWorkgroupScratch.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"

using namespace mlir;
using namespace dlc;

namespace {
constexpr int64_t kMaxWorkgroupBytes = 48 * 1024;

/// Bytes of a workgroup buffer, each 16-byte aligned.
int64_t bytesOf(MemRefType type) {
  return llvm::alignTo(type.getNumElements() *
                           llvm::divideCeil(type.getElementTypeBitWidth(), 8),
                       16);
}
} // namespace

unsigned dl::moveScratchToWorkgroup(gpu::GPUFuncOp func) {
  auto grid = func->getAttrOfType<IntegerAttr>("dl.workgroups");
  auto scratch = func->getAttrOfType<ArrayAttr>("dl.scratch");
  if (!grid || grid.getInt() != 1 || !scratch || scratch.empty() ||
      func->hasAttr("dl.phase_of"))
    return 0;
  int64_t used = 0;
  for (BlockArgument a : func.getWorkgroupAttributions())
    used += bytesOf(cast<MemRefType>(a.getType()));
  int64_t moved = 0;
  unsigned count = 0;
  unsigned numArgs = func.getNumArguments();
  OpBuilder b = OpBuilder::atBlockBegin(&func.getBody().front());
  auto workgroup = gpu::AddressSpaceAttr::get(func.getContext(),
                                              gpu::AddressSpace::Workgroup);
  for (unsigned i = numArgs - scratch.size(); i < numArgs; ++i) {
    BlockArgument arg = func.getArgument(i);
    auto type = dyn_cast<MemRefType>(arg.getType());
    if (!type || !type.hasStaticShape() || !type.getLayout().isIdentity())
      continue;
    int64_t bytes = bytesOf(type);
    if (arg.use_empty() || moved + bytes > kMaxWorkgroupScratchBytes ||
        used + moved + bytes > kMaxWorkgroupBytes)
      continue;
    Value onChip = func.addWorkgroupAttribution(
        MemRefType::get(type.getShape(), type.getElementType(),
                        MemRefLayoutAttrInterface(), workgroup),
        func.getLoc());
    // The generic-space view keeps every use's type; LLVM's address-space
    // inference turns its loads, stores and atomics into shared-memory ones.
    Value view =
        memref::MemorySpaceCastOp::create(b, func.getLoc(), type, onChip);
    arg.replaceAllUsesWith(view);
    moved += bytes;
    ++count;
  }
  return count;
}
