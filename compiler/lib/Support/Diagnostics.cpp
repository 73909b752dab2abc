//===- Diagnostics.cpp - one-line diagnostics for the tools ---------------===//

#include "dlc/Support/Diagnostics.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Location.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;

std::string dlc::formatLocation(Location loc) {
  std::string text;
  llvm::raw_string_ostream os(text);
  if (auto fileLoc = dyn_cast<FileLineColLoc>(loc)) {
    os << fileLoc.getFilename().getValue() << ":" << fileLoc.getLine() << ":"
       << fileLoc.getColumn();
  } else if (auto nameLoc = dyn_cast<NameLoc>(loc)) {
    return formatLocation(nameLoc.getChildLoc());
  } else if (auto fused = dyn_cast<FusedLoc>(loc)) {
    for (Location inner : fused.getLocations())
      if (isa<FileLineColLoc>(inner))
        return formatLocation(inner);
    os << loc;
  } else if (auto callSite = dyn_cast<CallSiteLoc>(loc)) {
    return formatLocation(callSite.getCallee());
  } else {
    os << loc;
  }
  return text;
}

static StringRef severityName(DiagnosticSeverity severity) {
  switch (severity) {
  case DiagnosticSeverity::Error:
    return "error";
  case DiagnosticSeverity::Warning:
    return "warning";
  case DiagnosticSeverity::Note:
    return "note";
  case DiagnosticSeverity::Remark:
    return "remark";
  }
  return "error";
}

std::string dlc::formatDiagnostic(const Diagnostic &diag) {
  std::string line = dlc::formatLocation(diag.getLocation()) + ": " +
                     severityName(diag.getSeverity()).str() + ": " +
                     diag.str();
  // A message may itself contain newlines (e.g. an op MLIR's verifier
  // prints into it), a location of a .mlir input any byte: keep the
  // one-line promise by folding them.
  for (char &c : line)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
      c = ' ';
  return line;
}

static void printOne(llvm::raw_ostream &os, const Diagnostic &diag) {
  os << dlc::formatDiagnostic(diag) << "\n";
}

dlc::OneLineDiagnosticHandler::OneLineDiagnosticHandler(MLIRContext *ctx,
                                                        llvm::raw_ostream &os)
    : ScopedDiagnosticHandler(ctx) {
  setHandler([&os](Diagnostic &diag) {
    printOne(os, diag);
    for (Diagnostic &note : diag.getNotes())
      printOne(os, note);
    os.flush();
    return success();
  });
}
