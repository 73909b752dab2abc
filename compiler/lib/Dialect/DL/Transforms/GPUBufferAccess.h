//===- GPUBufferAccess.h - what each GPU kernel does with its buffers -*- C++ -*-===//
//
// After dl-map-kernels-to-gpu, each gpu.func of the plan (a kernel, or one
// phase of it) says which of its buffer arguments it reads and which it
// writes: `dl.buffer_access`, one entry per argument, bit 0 read and bit 1
// written (KernelABI.h's order: inputs, outputs, scratch). The plan carries
// it per launch, and the runtime runs launches that do not conflict
// concurrently. Scratch that no phase of its kernel reads is not written
// either: its stores are dropped (an SGD step folded into a weight
// gradient's product leaves the gradient itself unread), so that the
// scratch, which the memory plan places where other kernels' scratch is,
// does not order kernels that are otherwise independent.
//
//===----------------------------------------------------------------------===//

#ifndef DLC_LIB_DIALECT_DL_TRANSFORMS_GPUBUFFERACCESS_H
#define DLC_LIB_DIALECT_DL_TRANSFORMS_GPUBUFFERACCESS_H

#include "dlc/Dialect/DL/Transforms/BufferAccess.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"

namespace dlc::dl {

/// Drops the stores to scratch arguments that no function of `phases` (the
/// gpu.funcs of one kernel, sharing its signature and `dl.scratch`) reads,
/// then sets `dl.buffer_access` on each.
void annotateBufferAccess(llvm::ArrayRef<mlir::gpu::GPUFuncOp> phases);

} // namespace dlc::dl

#endif // DLC_LIB_DIALECT_DL_TRANSFORMS_GPUBUFFERACCESS_H
