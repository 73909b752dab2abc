//===- dlc.cpp - the dlc compiler driver ----------------------------------===//
//
// Reads a .dl model (or a dl-dialect .mlir dump of one), runs the pipeline up
// to the stage named by --emit and writes that stage's output.
//
//===----------------------------------------------------------------------===//

#include "dlc/Dialect/DL/IR/DLOps.h"
#include "dlc/Dialect/DL/Transforms/Passes.h"
#include "dlc/FrontEnd/ModelParser.h"
#include "dlc/Support/Diagnostics.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Support/Timing.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
namespace cl = llvm::cl;

namespace {
/// Pipeline stages, in order; --emit stops after one.
enum class EmitKind { Graph, TrainGraph };

cl::OptionCategory dlcCategory("dlc options");

cl::opt<std::string> inputFilename(cl::Positional, cl::desc("<model.dl|.mlir>"),
                                   cl::Required, cl::cat(dlcCategory));
cl::opt<std::string> outputFilename("o", cl::desc("Output file (default: stdout)"),
                                    cl::value_desc("file"), cl::init("-"),
                                    cl::cat(dlcCategory));
cl::opt<EmitKind> emitKind(
    "emit", cl::desc("What to write"), cl::init(EmitKind::Graph),
    cl::values(clEnumValN(EmitKind::Graph, "graph",
                          "the dl-dialect forward graph as parsed"),
               clEnumValN(EmitKind::TrainGraph, "train-graph",
                          "train_step and eval_step with generated gradient "
                          "and SGD ops")),
    cl::cat(dlcCategory));
cl::opt<int64_t> batchSize("batch",
                           cl::desc("Override the batch size of the model file"),
                           cl::init(0), cl::cat(dlcCategory));

/// Loads a .dl model file, or a .mlir file in the dl dialect.
OwningOpRef<ModuleOp> loadModule(MLIRContext &context, llvm::SourceMgr &sm) {
  std::string errorMessage;
  auto file = openInputFile(inputFilename, &errorMessage);
  if (!file) {
    llvm::errs() << "dlc: error: " << errorMessage << "\n";
    return nullptr;
  }
  sm.AddNewSourceBuffer(std::move(file), llvm::SMLoc());
  if (StringRef(inputFilename).ends_with(".mlir"))
    return parseSourceFile<ModuleOp>(sm, &context);
  dlc::FrontEndOptions options;
  options.batchOverride = batchSize;
  return dlc::parseModelFile(sm, &context, options);
}
} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  registerAsmPrinterCLOptions();
  registerMLIRContextCLOptions();
  registerPassManagerCLOptions();
  registerDefaultTimingManagerCLOptions();
  cl::ParseCommandLineOptions(
      argc, argv,
      "dlc: compiles a .dl model into a training plan\n\n"
      "  dlc model.dl --emit=graph         print the dl-dialect graph\n"
      "  dlc model.dl --emit=train-graph   print train_step and eval_step\n");

  if (batchSize < 0) {
    llvm::errs() << "dlc: error: --batch must be positive, got " << batchSize
                 << "\n";
    return 1;
  }

  DialectRegistry registry;
  registry.insert<dlc::dl::DLDialect, func::FuncDialect>();
  MLIRContext context(registry);
  context.loadAllAvailableDialects();
  dlc::OneLineDiagnosticHandler diagnostics(&context, llvm::errs());

  llvm::SourceMgr sourceMgr;
  OwningOpRef<ModuleOp> module = loadModule(context, sourceMgr);
  if (!module)
    return 1;

  std::string errorMessage;
  auto output = openOutputFile(outputFilename, &errorMessage);
  if (!output) {
    llvm::errs() << "dlc: error: " << errorMessage << "\n";
    return 1;
  }

  if (emitKind >= EmitKind::TrainGraph) {
    PassManager pm(&context);
    if (failed(applyPassManagerCLOptions(pm)))
      return 1;
    applyDefaultTimingPassManagerCLOptions(pm);
    pm.addPass(dlc::dl::createGenerateTrainStep());
    if (failed(pm.run(*module)))
      return 1;
  }

  switch (emitKind) {
  case EmitKind::Graph:
  case EmitKind::TrainGraph:
    // Name locations (set on step arguments) become SSA names.
    module->print(output->os(), OpPrintingFlags().printNameLocAsPrefix());
    output->os() << "\n";
    break;
  }
  output->keep();
  return 0;
}
