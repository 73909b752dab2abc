//===- DLOps.h - dl dialect operations --------------------------*- C++ -*-===//

#ifndef DLC_DIALECT_DL_IR_DLOPS_H
#define DLC_DIALECT_DL_IR_DLOPS_H

#include "dlc/Dialect/DL/IR/DLDialect.h"
#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "dlc/Dialect/DL/IR/DLInterfaces.h.inc"

#define GET_OP_CLASSES
#include "dlc/Dialect/DL/IR/DLOps.h.inc"

namespace dlc::dl {
/// Formats a tensor type the way the model language writes it: f32[256,784].
std::string formatShape(mlir::Type type);

/// Whether `text` holds a control byte (below 0x20, or 0x7f), which would
/// break the one-line messages that quote it.
bool hasControlBytes(llvm::StringRef text);

/// Whether `name` may name a tensor, kernel or model in a plan: not empty,
/// no control bytes.
inline bool isPrintableName(llvm::StringRef name) {
  return !name.empty() && !hasControlBytes(name);
}

/// Output size of a window of `kernel` sliding with `stride` over `size`
/// elements padded by `padding` on both sides; <= 0 when it does not fit.
int64_t windowOutputSize(int64_t size, int64_t kernel, int64_t stride,
                         int64_t padding);
} // namespace dlc::dl

#endif // DLC_DIALECT_DL_IR_DLOPS_H
