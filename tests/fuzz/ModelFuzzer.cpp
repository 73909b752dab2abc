//===- ModelFuzzer.cpp - fuzzes dlc's front-end and pipeline --------------===//
//
// The input is a .dl model file. The front-end either rejects it with an
// error diagnostic or builds a module that verifies; a model it accepts
// must then go through autodiff, fusion, lowering, memory planning and
// the CPU kernels' lowering to the LLVM dialect, and the CUDA pipeline up
// to its gpu.funcs, without a failure: a model that parses but cannot
// compile is a front-end that let a bad model through. LLVM's own code
// generation is left out; it is too slow per input and sees no user input
// that these stages have not.
//
//===----------------------------------------------------------------------===//

#include "FuzzInput.h"

#include "dlc/Driver/Compiler.h"
#include "dlc/FrontEnd/ModelParser.h"
#include "dlc/Plan/MemoryPlan.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdlib>

using namespace mlir;

namespace {
struct Compiler {
  DialectRegistry registry;
  MLIRContext context;
  Compiler() {
    dlc::registerCompilerDialects(registry);
    context.appendDialectRegistry(registry);
    context.loadAllAvailableDialects();
    // One thread: reproducible runs, no pool per pass manager.
    context.disableMultithreading();
  }
};

[[noreturn]] void fail(const char *what, const std::string &messages) {
  llvm::errs() << "model fuzzer: " << what << "\n" << messages;
  std::abort();
}

/// The CPU pipeline over a clone of `parsed` up to the LLVM dialect (what
/// compileToNative runs before LLVM); any failure is a bug.
void compileForCPU(ModuleOp parsed, std::string &messages) {
  OwningOpRef<ModuleOp> module = parsed.clone();
  dlc::CompileOptions options;
  if (failed(dlc::runToStage(*module, dlc::Stage::Linalg, options)))
    fail("an accepted model failed to reach linalg", messages);
  if (failed(dlc::plan::planMemory(*module)))
    fail("an accepted model failed memory planning", messages);
  if (failed(dlc::runToStage(*module, dlc::Stage::LLVMDialect, options)))
    fail("an accepted model failed to lower to the LLVM dialect", messages);
}

/// The CUDA pipeline over a clone of `parsed` up to its gpu.funcs.
void compileForCUDA(ModuleOp parsed, std::string &messages) {
  OwningOpRef<ModuleOp> module = parsed.clone();
  if (failed(dlc::compileToCUDA(*module, dlc::CompileOptions(),
                                /*stopAtGPU=*/true, /*wantCubin=*/false)))
    fail("an accepted model failed the CUDA pipeline", messages);
}
} // namespace

// LLVM's allocators poison and unpoison their slabs in headers that are
// instrumented here but not in libMLIR.so, whose writes to memory our code
// poisoned would be reported; nothing in dlc poisons memory itself.
extern "C" const char *__asan_default_options() {
  return "allow_user_poisoning=0";
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static Compiler *compiler = new Compiler();
  MLIRContext &context = compiler->context;

  std::string messages;
  int errors = 0;
  ScopedDiagnosticHandler handler(&context, [&](Diagnostic &d) {
    std::string text = d.str();
    if (text.empty() || text.find('\n') != std::string::npos)
      fail("a diagnostic that is not one line", text + "\n");
    if (d.getSeverity() == DiagnosticSeverity::Error)
      ++errors;
    messages += text + "\n";
    return success();
  });

  llvm::SourceMgr sourceMgr;
  sourceMgr.AddNewSourceBuffer(
      llvm::MemoryBuffer::getMemBufferCopy(
          llvm::StringRef(reinterpret_cast<const char *>(data), size),
          "fuzz.dl"),
      llvm::SMLoc());
  OwningOpRef<ModuleOp> module =
      dlc::parseModelFile(sourceMgr, &context, dlc::FrontEndOptions());
  if (!module) {
    if (errors == 0)
      fail("the front-end rejected a model without an error", messages);
    dlc::fuzz::rejected(messages, size);
    return 0;
  }
  if (errors != 0)
    fail("the front-end reported an error and returned a module", messages);
  if (failed(verify(*module)))
    fail("the front-end built a module that does not verify", messages);
  compileForCPU(*module, messages);
  compileForCUDA(*module, messages);
  return 0;
}
