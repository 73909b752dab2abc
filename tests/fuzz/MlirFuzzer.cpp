//===- MlirFuzzer.cpp - fuzzes dlc's .mlir input --------------------------===//
//
// The input is a module in MLIR's text form, as dlc reads a dump of any
// stage fed back to it. The parser and verifier, then each stage, may
// reject it, but only with an error diagnostic of one line: never a crash,
// a sanitizer report or a silent failure.
//
//===----------------------------------------------------------------------===//

#include "CompilerFuzzing.h"
#include "FuzzInput.h"

#include "mlir/Parser/Parser.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"

using namespace mlir;
using namespace dlc::fuzz;

// See ModelFuzzer.cpp.
extern "C" const char *__asan_default_options() {
  return "allow_user_poisoning=0";
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static Compiler *compiler = new Compiler();
  MLIRContext &context = compiler->context;
  DiagnosticLog log(context);

  llvm::SourceMgr sourceMgr;
  sourceMgr.AddNewSourceBuffer(
      llvm::MemoryBuffer::getMemBufferCopy(
          llvm::StringRef(reinterpret_cast<const char *>(data), size),
          "fuzz.mlir"),
      llvm::SMLoc());
  OwningOpRef<ModuleOp> module = parseSourceFile<ModuleOp>(sourceMgr, &context);
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
