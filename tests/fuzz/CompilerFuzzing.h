//===- CompilerFuzzing.h - what the compiler's fuzz targets share -*- C++ -*-===//
//
// The model and mlir targets feed dlc's inputs to the pipeline dlc runs:
// the CPU stages down to the LLVM dialect with memory planning, and the
// CUDA stages down to gpu.funcs. LLVM's own code generation is left out;
// it is too slow per input and sees no user input that these stages have
// not.
//
//===----------------------------------------------------------------------===//

#ifndef DLC_TESTS_FUZZ_COMPILERFUZZING_H
#define DLC_TESTS_FUZZ_COMPILERFUZZING_H

#include "dlc/Driver/Compiler.h"
#include "dlc/Plan/MemoryPlan.h"
#include "dlc/Plan/PlanWriter.h"
#include "dlc/Support/Diagnostics.h"

#include "plan/PlanFile.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdlib>
#include <string>

namespace dlc {
namespace fuzz {

/// One context for all inputs: loading the dialects per input would
/// dominate the run.
struct Compiler {
  mlir::DialectRegistry registry;
  mlir::MLIRContext context;
  Compiler() {
    registerCompilerDialects(registry);
    context.appendDialectRegistry(registry);
    context.loadAllAvailableDialects();
    // As in dlc: a diagnostic does not print its op.
    context.printOpOnDiagnostic(false);
    // One thread: reproducible runs, no pool per pass manager.
    context.disableMultithreading();
  }
};

/// The input as the source buffer of `sourceMgr`, named `name` in
/// locations.
inline void addInput(llvm::SourceMgr &sourceMgr, const uint8_t *data,
                     size_t size, llvm::StringRef name) {
  sourceMgr.AddNewSourceBuffer(
      llvm::MemoryBuffer::getMemBufferCopy(
          llvm::StringRef(reinterpret_cast<const char *>(data), size), name),
      llvm::SMLoc());
}

[[noreturn]] inline void fail(const char *what, const std::string &messages) {
  llvm::errs() << "compiler fuzzer: " << what << "\n" << messages;
  std::abort();
}

/// Whose messages a target checks: the front-end's own must be one line
/// as written; MLIR's parser and verifiers print ops into theirs, which
/// dlc folds into one line (formatDiagnostic).
enum class Messages { OneLineAsWritten, OneLineAsPrinted };

/// Collects the diagnostics of one input, as dlc prints them.
class DiagnosticLog {
public:
  DiagnosticLog(mlir::MLIRContext &context, Messages kind)
      : handler(&context, [this, kind](mlir::Diagnostic &d) {
          std::string text = kind == Messages::OneLineAsWritten
                                 ? d.str()
                                 : formatDiagnostic(d);
          if (d.str().empty() || text.find('\n') != std::string::npos)
            fail("a diagnostic that is not one line", text + "\n");
          if (d.getSeverity() == mlir::DiagnosticSeverity::Error)
            ++errors;
          messages += text + "\n";
          return mlir::success();
        }) {}

  int errors = 0;
  std::string messages;

private:
  mlir::ScopedDiagnosticHandler handler;
};

/// What a failed stage means: a bug (a model the front-end accepted must
/// compile), or a rejection that must come with an error (a module fed back
/// to dlc is checked by the stages themselves).
enum class Failure { IsABug, NeedsAnError };

inline void checkFailure(const char *what, Failure kind,
                         const DiagnosticLog &log) {
  if (kind == Failure::IsABug)
    fail(what, log.messages);
  if (log.errors == 0)
    fail("a stage failed without an error", log.messages);
}

/// dlrun must load the plan dlc writes for a module it compiled: the
/// compiler checks what it accepts, not the runtime's loader. The code
/// object is a stand-in, as the loader reads no code in this mode.
inline void checkPlanLoads(mlir::ModuleOp module,
                           const plan::MemoryPlan &memory,
                           const DiagnosticLog &log) {
  std::string plan = plan::serializePlan(memory, plan::modelMetadata(module),
                                         "code object stand-in");
  std::string error;
  if (!runtime::PlanFile::loadBytes(
          std::vector<uint8_t>(plan.begin(), plan.end()), "fuzz.plan", error,
          runtime::PlanFile::LoadMode::MetadataOnly))
    fail("dlrun refuses the plan of a module dlc compiled",
         error + "\n" + log.messages);
}

/// The CPU pipeline over a clone of `module` up to the LLVM dialect (what
/// compileToNative runs before LLVM). False when a stage rejected it.
inline bool compileForCPU(mlir::ModuleOp module, Failure kind,
                          const DiagnosticLog &log) {
  mlir::OwningOpRef<mlir::ModuleOp> clone = module.clone();
  CompileOptions options;
  if (mlir::failed(runToStage(*clone, Stage::Linalg, options))) {
    checkFailure("a model failed to reach linalg", kind, log);
    return false;
  }
  mlir::FailureOr<plan::MemoryPlan> memory = plan::planMemory(*clone);
  if (mlir::failed(memory)) {
    checkFailure("a model failed memory planning", kind, log);
    return false;
  }
  checkPlanLoads(*clone, *memory, log);
  if (mlir::failed(runToStage(*clone, Stage::LLVMDialect, options))) {
    checkFailure("a model failed to lower to the LLVM dialect", kind, log);
    return false;
  }
  return true;
}

/// The CUDA pipeline over a clone of `module` up to its gpu.funcs.
inline bool compileForCUDA(mlir::ModuleOp module, Failure kind,
                           const DiagnosticLog &log) {
  mlir::OwningOpRef<mlir::ModuleOp> clone = module.clone();
  if (mlir::failed(compileToCUDA(*clone, CompileOptions(),
                                 /*stopAtGPU=*/true, /*wantCubin=*/false))) {
    checkFailure("a model failed the CUDA pipeline", kind, log);
    return false;
  }
  return true;
}

} // namespace fuzz
} // namespace dlc

// LLVM's allocators poison and unpoison their slabs in headers that are
// instrumented here but not in libMLIR.so, whose writes to memory our code
// poisoned would be reported; nothing in dlc poisons memory itself. (Each
// compiler target is one translation unit that includes this header.)
extern "C" const char *__asan_default_options() {
  return "allow_user_poisoning=0";
}

#endif // DLC_TESTS_FUZZ_COMPILERFUZZING_H
