//===- dlc.cpp - the dlc compiler driver ----------------------------------===//
//
// Reads a .dl model (or a dl-dialect .mlir dump of one), runs the pipeline up
// to the stage named by --emit and writes that stage's output; by default a
// binary training plan for dlrun.
//
//===----------------------------------------------------------------------===//

#include "dlc/Dialect/DL/IR/DLOps.h"
#include "dlc/Driver/Compiler.h"
#include "dlc/FrontEnd/ModelParser.h"
#include "dlc/Plan/PlanWriter.h"
#include "dlc/Support/Diagnostics.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Support/Timing.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/SHA256.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetMachine.h"

using namespace mlir;
namespace cl = llvm::cl;

namespace {
enum class EmitKind {
  Graph,
  TrainGraph,
  Fused,
  Linalg,
  Loops,
  LLVMDialect,
  LLVM,
  Asm,
  Kernels,
  Memory,
  Plan,
  GPU,
  PTX
};

cl::OptionCategory dlcCategory("dlc options");

cl::opt<std::string> inputFilename(cl::Positional, cl::desc("<model.dl|.mlir>"),
                                   cl::Required, cl::cat(dlcCategory));
cl::opt<std::string> outputFilename("o", cl::desc("Output file (default: stdout)"),
                                    cl::value_desc("file"), cl::init("-"),
                                    cl::cat(dlcCategory));
cl::opt<EmitKind> emitKind(
    "emit", cl::desc("What to write (default: plan)"), cl::init(EmitKind::Plan),
    cl::values(
        clEnumValN(EmitKind::Graph, "graph", "the dl forward graph as parsed"),
        clEnumValN(EmitKind::TrainGraph, "train-graph",
                   "train_step and eval_step with generated gradient and SGD "
                   "ops"),
        clEnumValN(EmitKind::Fused, "fused",
                   "steps as kernel launches; kernels as dl ops"),
        clEnumValN(EmitKind::Linalg, "linalg",
                   "kernels in linalg on tensors (destination-passing)"),
        clEnumValN(EmitKind::Loops, "loops",
                   "kernels bufferized into their arguments, as loops"),
        clEnumValN(EmitKind::LLVMDialect, "llvm-dialect",
                   "kernels in the LLVM dialect with ABI entry points"),
        clEnumValN(EmitKind::LLVM, "llvm", "optimised LLVM IR of the kernels"),
        clEnumValN(EmitKind::Asm, "asm", "assembly of the kernels"),
        clEnumValN(EmitKind::Kernels, "kernels",
                   "kernels per step with origin ops, FLOPs, bytes"),
        clEnumValN(EmitKind::Memory, "memory",
                   "tensor layout, arena size and the size without reuse"),
        clEnumValN(EmitKind::Plan, "plan", "the binary training plan"),
        clEnumValN(EmitKind::GPU, "gpu",
                   "--target=cuda: kernels as gpu.funcs (gpu dialect)"),
        clEnumValN(EmitKind::PTX, "ptx", "--target=cuda: PTX of the kernels")),
    cl::cat(dlcCategory));
cl::opt<int64_t> batchSize("batch",
                           cl::desc("Override the batch size of the model file"),
                           cl::init(0), cl::cat(dlcCategory));
cl::opt<std::string> targetName("target", cl::desc("cpu (default) or cuda"),
                                cl::init("cpu"), cl::cat(dlcCategory));
cl::opt<std::string> cpuName(
    "cpu", cl::desc("CPU to generate code for: native (default) or an LLVM "
                    "CPU name such as x86-64-v3"),
    cl::init("native"), cl::cat(dlcCategory));
cl::opt<std::string> gpuName(
    "gpu", cl::desc("--target=cuda: GPU architecture, e.g. sm_80 or sm_90 "
                    "(default)"),
    cl::init("sm_90"), cl::cat(dlcCategory));
cl::opt<int64_t> gpuBlock("gpu-block",
                          cl::desc("--target=cuda: threads per block of the "
                                   "step kernels (default 256)"),
                          cl::init(256), cl::cat(dlcCategory));
cl::opt<bool> gpuOrderedSplits(
    "gpu-ordered-splits",
    cl::desc("--target=cuda: blocks sharing a sum (a tiled product's K "
             "range, a grid's warp reduction) add their partial sums in "
             "order in the last of them, with the bias and activation "
             "(default); =false: atomic adds, with the bias and activation "
             "as launches of their own"),
    cl::init(true), cl::cat(dlcCategory));
cl::opt<bool> gpuRowProducts(
    "gpu-row-products",
    cl::desc("--target=cuda: a product of a kernel run in phases with at "
             "most 16 outputs per row over a K of 128 to 1024 (a classifier "
             "head) runs a warp per output row, its lanes' sums meeting by "
             "shuffles, instead of a tiled product (off until timed)"),
    cl::init(false), cl::cat(dlcCategory));
cl::opt<bool> gpuDependentLaunch(
    "gpu-dependent-launch",
    cl::desc("--target=cuda, sm_90 and later: every kernel waits for the "
             "grids it depends on (griddepcontrol), so that dlrun may launch "
             "each as a programmatic dependent of the one before it, its "
             "launch overlapping that kernel's end (off until timed)"),
    cl::init(false), cl::cat(dlcCategory));
cl::opt<bool> gpuVectorStores(
    "gpu-vector-stores",
    cl::desc("--target=cuda: tiled products store each thread's 4 columns "
             "of a row as one aligned vector where they are consecutive in "
             "memory (off until timed)"),
    cl::init(false), cl::cat(dlcCategory));
cl::opt<bool> gpuFuseLossGradient(
    "gpu-fuse-loss-gradient",
    cl::desc("--target=cuda: the loss's gradient joins the dense layer "
             "before it and that layer's input gradient after it, one "
             "kernel of row slices; the loss and accuracy a kernel of their "
             "own (off until timed)"),
    cl::init(false), cl::cat(dlcCategory));
cl::opt<bool> gpuWorkgroupScratch(
    "gpu-workgroup-scratch",
    cl::desc("--target=cuda: a kernel that runs as one block (the loss, a "
             "bias gradient) keeps its scratch in workgroup memory (off "
             "until timed)"),
    cl::init(false), cl::cat(dlcCategory));

std::string sourceText;

/// Loads a .dl model file, or a .mlir file in the dl dialect.
OwningOpRef<ModuleOp> loadModule(MLIRContext &context, llvm::SourceMgr &sm) {
  std::string errorMessage;
  auto file = openInputFile(inputFilename, &errorMessage);
  if (!file) {
    llvm::errs() << "dlc: error: " << errorMessage << "\n";
    return nullptr;
  }
  sourceText = file->getBuffer().str();
  sm.AddNewSourceBuffer(std::move(file), llvm::SMLoc());
  if (StringRef(inputFilename).ends_with(".mlir")) {
    OwningOpRef<ModuleOp> module = parseSourceFile<ModuleOp>(sm, &context);
    if (module && failed(dlc::checkInputStage(*module)))
      return nullptr;
    return module;
  }
  dlc::FrontEndOptions options;
  options.batchOverride = batchSize;
  return dlc::parseModelFile(sm, &context, options);
}

dlc::Stage stageFor(EmitKind kind) {
  switch (kind) {
  case EmitKind::Graph:
    return dlc::Stage::Graph;
  case EmitKind::TrainGraph:
    return dlc::Stage::TrainGraph;
  case EmitKind::Fused:
    return dlc::Stage::Fused;
  case EmitKind::Linalg:
    return dlc::Stage::Linalg;
  case EmitKind::Loops:
    return dlc::Stage::Loops;
  default:
    return dlc::Stage::LLVMDialect;
  }
}

/// The command line, for the plan's record of how it was built.
std::string commandLine(int argc, char **argv) {
  std::string text;
  for (int i = 1; i < argc; ++i)
    text += (i > 1 ? " " : "") + std::string(argv[i]);
  return text;
}
} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  dlc::registerCompilerPasses();
  registerAsmPrinterCLOptions();
  registerMLIRContextCLOptions();
  registerPassManagerCLOptions();
  registerDefaultTimingManagerCLOptions();
  cl::HideUnrelatedOptions({&dlcCategory});
  cl::ParseCommandLineOptions(
      argc, argv,
      "dlc: compiles a .dl model into a training plan for dlrun\n\n"
      "  dlc model.dl -o model.plan           the plan (default)\n"
      "  dlc model.dl --emit=graph            the dl forward graph\n"
      "  dlc model.dl --emit=train-graph      with generated gradients\n"
      "  dlc model.dl --emit=kernels          fused kernels per step\n"
      "  dlc model.dl --emit=memory           buffer layout\n"
      "  dlc model.dl --target=cuda --gpu=sm_90 -o model.plan   a GPU plan\n"
      "\n  (--help-hidden lists MLIR's flags such as "
      "--mlir-print-ir-after-all)\n");

  if (batchSize < 0) {
    llvm::errs() << "dlc: error: --batch must be >= 1 (0 keeps the model's batch), got " << batchSize
                 << "\n";
    return 1;
  }
  bool cuda = targetName == "cuda";
  if (!cuda && targetName != "cpu") {
    llvm::errs() << "dlc: error: unknown --target=" << targetName
                 << " (supported: cpu, cuda)\n";
    return 1;
  }
  if (cuda) {
    if (llvm::Error error = dlc::cuda::checkArchitecture(gpuName)) {
      llvm::errs() << "dlc: error: --gpu: " << llvm::toString(std::move(error))
                   << "\n";
      return 1;
    }
    dlc::cuda::CUDATargetOptions flags;
    flags.gpu = gpuName;
    flags.dependentLaunch = gpuDependentLaunch;
    if (llvm::Error error = dlc::cuda::checkOptions(flags)) {
      llvm::errs() << "dlc: error: --gpu-dependent-launch: "
                   << llvm::toString(std::move(error)) << "\n";
      return 1;
    }
    if (gpuBlock < 32 || gpuBlock > 1024 || gpuBlock % 32 != 0) {
      llvm::errs() << "dlc: error: --gpu-block must be a multiple of 32 in "
                      "[32, 1024], got "
                   << gpuBlock << "\n";
      return 1;
    }
    if (emitKind >= EmitKind::Loops && emitKind <= EmitKind::Asm) {
      llvm::errs() << "dlc: error: --emit=loops, llvm-dialect, llvm and asm "
                      "are CPU stages; with --target=cuda use --emit=gpu or "
                      "--emit=ptx\n";
      return 1;
    }
  } else if (emitKind == EmitKind::GPU || emitKind == EmitKind::PTX) {
    llvm::errs() << "dlc: error: --emit=gpu and --emit=ptx need "
                    "--target=cuda\n";
    return 1;
  }
  if (emitKind == EmitKind::Plan && outputFilename == "-") {
    llvm::errs() << "dlc: error: a plan is binary; write it to a file with "
                    "-o FILE (or choose --emit=...)\n";
    return 1;
  }

  DialectRegistry registry;
  dlc::registerCompilerDialects(registry);
  MLIRContext context(registry);
  // Diagnostics stay one line: never dump the failing op after a message.
  context.printOpOnDiagnostic(false);
  context.loadDialect<dlc::dl::DLDialect>();
  dlc::OneLineDiagnosticHandler diagnostics(&context, llvm::errs());

  llvm::SourceMgr sourceMgr;
  OwningOpRef<ModuleOp> module = loadModule(context, sourceMgr);
  if (!module)
    return 1;

  dlc::CompileOptions options;
  options.target.cpu = cpuName;
  options.cuda.gpu = gpuName;
  options.cuda.blockSize = gpuBlock;
  options.cuda.orderedSplits = gpuOrderedSplits;
  options.cuda.rowProducts = gpuRowProducts;
  options.cuda.workgroupScratch = gpuWorkgroupScratch;
  options.cuda.vectorStores = gpuVectorStores;
  options.cuda.dependentLaunch = gpuDependentLaunch;
  options.cuda.fuseLossGradient = gpuFuseLossGradient;
  options.forGPU = cuda;
  if (!cuda && emitKind > EmitKind::LLVMDialect) {
    // Refuse an unknown --cpu before any work, as a flag error.
    auto tm = dlc::cpu::createTargetMachine(options.target);
    if (!tm) {
      llvm::errs() << "dlc: error: --cpu: " << llvm::toString(tm.takeError())
                   << "\n";
      return 1;
    }
  }
  options.configure = [](PassManager &pm) -> LogicalResult {
    if (failed(applyPassManagerCLOptions(pm)))
      return failure();
    applyDefaultTimingPassManagerCLOptions(pm);
    return success();
  };

  std::string output;
  llvm::raw_string_ostream os(output);
  auto metadata = [&]() {
    dlc::plan::PlanMetadata meta = dlc::plan::modelMetadata(*module);
    meta.sourceHash = llvm::toHex(
        llvm::SHA256::hash(llvm::arrayRefFromStringRef(sourceText)),
        /*LowerCase=*/true);
    meta.compilerVersion = "dlc 0.1.0 (LLVM " LLVM_VERSION_STRING ")";
    meta.compilerOptions = commandLine(argc, argv);
    return meta;
  };
  // --emit=kernels / --emit=memory: the plan's tables, for either target.
  auto printTables = [&](const dlc::plan::MemoryPlan &memory) {
    if (emitKind == EmitKind::Kernels)
      dlc::plan::printKernels(memory, os);
    else
      dlc::plan::printMemory(memory, os);
  };
  if (emitKind <= EmitKind::Linalg ||
      (!cuda && emitKind <= EmitKind::LLVMDialect)) {
    if (failed(dlc::runToStage(*module, stageFor(emitKind), options)))
      return 1;
    // Name locations (set on step arguments) become SSA names.
    module->print(os, OpPrintingFlags().printNameLocAsPrefix());
    os << "\n";
  } else if (cuda) {
    FailureOr<dlc::CUDACode> code = dlc::compileToCUDA(
        *module, options, /*stopAtGPU=*/emitKind == EmitKind::GPU,
        /*wantCubin=*/emitKind == EmitKind::Plan);
    if (failed(code))
      return 1;
    switch (emitKind) {
    case EmitKind::GPU:
      os << code->gpuDialect << "\n";
      break;
    case EmitKind::PTX:
      os << code->ptx;
      break;
    case EmitKind::Kernels:
    case EmitKind::Memory:
      printTables(code->memory);
      break;
    default: {
      dlc::plan::PlanMetadata meta = metadata();
      meta.target = "cuda";
      dlc::plan::GPUPlanCode gpu;
      gpu.arch = gpuName;
      gpu.ptx = std::move(code->ptx);
      gpu.cubin = std::move(code->cubin);
      gpu.gatherKernel = code->gatherKernel;
      gpu.accumulateKernel = code->accumulateKernel;
      gpu.dependentLaunch = code->dependentLaunch;
      os << dlc::plan::serializePlan(code->memory, meta, "", &gpu);
    }
    }
  } else {
    FailureOr<dlc::NativeCode> code =
        dlc::compileToNative(*module, options, emitKind == EmitKind::LLVM,
                             emitKind == EmitKind::Asm);
    if (failed(code))
      return 1;
    switch (emitKind) {
    case EmitKind::LLVM:
      os << code->llvmIR;
      break;
    case EmitKind::Asm:
      os << code->assembly;
      break;
    case EmitKind::Kernels:
    case EmitKind::Memory:
      printTables(code->memory);
      break;
    default: {
      dlc::plan::PlanMetadata meta = metadata();
      meta.cpu = code->cpu;
      meta.cpuFeatures = code->cpuFeatures;
      os << dlc::plan::serializePlan(code->memory, meta, code->sharedObject);
    }
    }
  }

  // Written only once everything succeeded, atomically for files.
  if (llvm::Error error = llvm::writeToOutput(
          outputFilename, [&](llvm::raw_ostream &out) -> llvm::Error {
            out << output;
            return llvm::Error::success();
          })) {
    llvm::errs() << "dlc: error: cannot write '" << outputFilename
                 << "': " << llvm::toString(std::move(error)) << "\n";
    return 1;
  }
  return 0;
}
