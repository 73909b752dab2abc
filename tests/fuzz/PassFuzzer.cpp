//===- PassFuzzer.cpp - fuzzes dl-opt's passes ----------------------------===//
//
// The input is a module in MLIR's text form at any stage, as a user feeds a
// dump to dl-opt. Each dl pass runs on it alone, as `dl-opt --dl-...` runs
// it, with the options dlc's pipelines give it. A pass may refuse a module
// that is not at its stage, but only with an error: never a crash, a
// sanitizer report, a failure without an error, an error with success, or
// IR that no longer verifies.
//
//===----------------------------------------------------------------------===//

#include "CompilerFuzzing.h"
#include "FuzzInput.h"

#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"

#include <cstdio>
#include <cstdlib>
#include <iterator>

using namespace mlir;
using namespace dlc::fuzz;

/// Every dl pass, and the option sets dlc's CPU and CUDA pipelines use.
static const char *const kPipelines[] = {
    "dl-generate-train-step",
    "dl-form-kernels",
    "dl-form-kernels{fuse-loss-gradient=true}",
    "dl-lower-kernels-to-linalg",
    "dl-lower-kernels-to-linalg{cpu-forms=false}",
    "dl-deduplicate-kernels",
    "dl-sort-globals",
    "dl-distribute-workgroups{phases=true}",
    "dl-distribute-workgroups{threads=256 outputs-per-thread=4}",
    "dl-vectorize-kernels",
    "dl-vectorize-kernels{budget=6 max-width=16}",
    "dl-vectorize-strided-windows",
    "dl-collapse-contiguous-loops",
    "dl-vectorize-transposes",
    "dl-approximate-math",
    "dl-map-kernels-to-gpu",
    "dl-map-kernels-to-gpu{sequential=true}",
    "dl-map-kernels-to-gpu{ordered-splits=false row-products=true "
    "vector-stores=true workgroup-scratch=true}",
    "dl-simulate-gpu-on-cpu",
};

namespace {
/// The seeds' test (DLC_FUZZ_EXPECT_ACCEPTED) also fails unless each
/// pipeline succeeded on some seed: a pass no seed reaches is not fuzzed
/// past its first check.
struct PipelineCoverage {
  bool succeeded[std::size(kPipelines)] = {};
  ~PipelineCoverage() {
    if (!std::getenv("DLC_FUZZ_EXPECT_ACCEPTED"))
      return;
    bool all = true;
    for (size_t i = 0; i < std::size(kPipelines); ++i)
      if (!succeeded[i]) {
        std::fprintf(stderr, "no seed is taken by %s\n", kPipelines[i]);
        all = false;
      }
    if (!all)
      std::_Exit(1);
  }
} coverage;
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static Compiler *compiler = [] {
    dlc::registerCompilerPasses();
    return new Compiler();
  }();
  MLIRContext &context = compiler->context;
  DiagnosticLog log(context, Messages::OneLineAsPrinted);

  llvm::SourceMgr sourceMgr;
  addInput(sourceMgr, data, size, "fuzz.mlir");
  OwningOpRef<ModuleOp> module = parseSourceFile<ModuleOp>(sourceMgr, &context);
  if (!module) {
    if (log.errors == 0)
      fail("the parser rejected a module without an error", log.messages);
    rejected(log.messages, size);
    return 0;
  }
  for (size_t i = 0; i < std::size(kPipelines); ++i) {
    const char *pipeline = kPipelines[i];
    PassManager pm(&context, ModuleOp::getOperationName());
    // Verified here after a successful pass: the pass manager's verifier
    // would report broken IR as the pass's failure, with an error.
    pm.enableVerifier(false);
    std::string parseErrors;
    llvm::raw_string_ostream os(parseErrors);
    if (failed(parsePassPipeline(pipeline, pm, os)))
      fail("a pipeline of this target does not parse", parseErrors);
    OwningOpRef<ModuleOp> clone = module->clone();
    int errorsBefore = log.errors;
    std::string what = std::string(pipeline) + ": ";
    if (failed(pm.run(*clone))) {
      if (log.errors == errorsBefore)
        fail((what + "failed without an error").c_str(), log.messages);
      continue;
    }
    if (log.errors != errorsBefore)
      fail((what + "reported an error and succeeded").c_str(), log.messages);
    if (failed(verify(*clone)))
      fail((what + "left IR that does not verify").c_str(), log.messages);
    coverage.succeeded[i] = true;
  }
  return 0;
}

#include "MlirTextMutator.h"
