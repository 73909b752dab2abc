//===- ModelFuzzer.cpp - fuzzes dlc's front-end and pipeline --------------===//
//
// The input is a .dl model file. The front-end either rejects it with an
// error diagnostic or builds a module that verifies; a model it accepts
// must then go through autodiff, fusion, lowering, memory planning and
// the CPU kernels' lowering to the LLVM dialect, and the CUDA pipeline up
// to its gpu.funcs, without a failure: a model that parses but cannot
// compile is a front-end that let a bad model through.
//
//===----------------------------------------------------------------------===//

#include "CompilerFuzzing.h"
#include "FuzzInput.h"

#include "dlc/FrontEnd/ModelParser.h"

#include "mlir/IR/Verifier.h"

using namespace mlir;
using namespace dlc::fuzz;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static Compiler *compiler = new Compiler();
  MLIRContext &context = compiler->context;
  DiagnosticLog log(context, Messages::OneLineAsWritten);

  llvm::SourceMgr sourceMgr;
  addInput(sourceMgr, data, size, "fuzz.dl");
  OwningOpRef<ModuleOp> module =
      dlc::parseModelFile(sourceMgr, &context, dlc::FrontEndOptions());
  if (!module) {
    if (log.errors == 0)
      fail("the front-end rejected a model without an error", log.messages);
    rejected(log.messages, size);
    return 0;
  }
  if (log.errors != 0)
    fail("the front-end reported an error and returned a module",
         log.messages);
  if (failed(verify(*module)))
    fail("the front-end built a module that does not verify", log.messages);
  compileForCPU(*module, Failure::IsABug, log);
  compileForCUDA(*module, Failure::IsABug, log);
  return 0;
}
