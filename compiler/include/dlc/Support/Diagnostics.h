//===- Diagnostics.h - one-line diagnostics for the tools -------*- C++ -*-===//

#ifndef DLC_SUPPORT_DIAGNOSTICS_H
#define DLC_SUPPORT_DIAGNOSTICS_H

#include "mlir/IR/Diagnostics.h"

namespace dlc {

/// Prints every diagnostic as one line, `file:line:col: error: message`,
/// followed by one line per attached note, so errors are easy to grep and to
/// check in tests.
class OneLineDiagnosticHandler : public mlir::ScopedDiagnosticHandler {
public:
  OneLineDiagnosticHandler(mlir::MLIRContext *ctx, llvm::raw_ostream &os);
};

/// The line OneLineDiagnosticHandler prints for `diag` (without its notes
/// and the newline): control bytes in the message, such as the newlines of
/// an op MLIR prints into it, become spaces.
std::string formatDiagnostic(const mlir::Diagnostic &diag);

/// `file:line:col` for a location (looking through fused and named
/// locations), or its MLIR spelling when it has no file position.
std::string formatLocation(mlir::Location loc);

} // namespace dlc

#endif // DLC_SUPPORT_DIAGNOSTICS_H
