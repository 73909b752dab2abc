//===- MlirFuzzer.cpp - fuzzes dlc's .mlir input --------------------------===//
//
// The input is a module in MLIR's text form, as dlc reads a dump of any
// stage fed back to it. The parser and verifier, then each stage, may
// reject it, but only with an error diagnostic of one line: never a crash,
// a sanitizer report or a silent failure. Under libFuzzer, a custom
// mutator edits the text the way a person edits a dump.
//
//===----------------------------------------------------------------------===//

#include "CompilerFuzzing.h"
#include "FuzzInput.h"

#include "mlir/Parser/Parser.h"

using namespace mlir;
using namespace dlc::fuzz;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static Compiler *compiler = new Compiler();
  MLIRContext &context = compiler->context;
  DiagnosticLog log(context, Messages::OneLineAsPrinted);

  llvm::SourceMgr sourceMgr;
  addInput(sourceMgr, data, size, "fuzz.mlir");
  OwningOpRef<ModuleOp> module = parseSourceFile<ModuleOp>(sourceMgr, &context);
  if (module && failed(dlc::checkInputStage(*module)))
    module = nullptr; // as dlc does
  if (!module) {
    if (log.errors == 0)
      fail("the parser rejected a module without an error", log.messages);
    rejected(log.messages, size);
    return 0;
  }
  bool cpu = compileForCPU(*module, Failure::NeedsAnError, log);
  bool cuda = compileForCUDA(*module, Failure::NeedsAnError, log);
  if (!cpu || !cuda)
    rejected(log.messages, size);
  return 0;
}

#include "MlirTextMutator.h"
