//===- ModelParser.h - .dl model files to the dl dialect --------*- C++ -*-===//

#ifndef DLC_FRONTEND_MODELPARSER_H
#define DLC_FRONTEND_MODELPARSER_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"

#include <cstdint>

namespace llvm {
class SourceMgr;
} // namespace llvm

namespace dlc {

struct FrontEndOptions {
  /// When positive, replaces the batch dimension of the input and label.
  int64_t batchOverride = 0;
};

/// Parses the main buffer of `sourceMgr` as a `.dl` model file into a module
/// holding `func.func @model() -> (loss, correct)` in the dl dialect. Errors
/// are reported through the context's diagnostic handler with file:line:col
/// locations; returns null after the first error.
mlir::OwningOpRef<mlir::ModuleOp> parseModelFile(llvm::SourceMgr &sourceMgr,
                                                 mlir::MLIRContext *context,
                                                 const FrontEndOptions &options);

} // namespace dlc

#endif // DLC_FRONTEND_MODELPARSER_H
