//===- KernelProfile.cpp - time each kernel of a compiled train step ------===//
//
// Compiles a model, loads its kernels and times every launch of train_step
// and eval_step on one thread (all workgroup slices in turn), printing
// milliseconds, GFLOP/s and the share of the step per kernel: the profile
// behind the benchmark's per-model figures.
//
//   kernel-profile MODEL.dl [--batch N] [--repeat R] [--save-object FILE]
//
// --save-object writes the kernels' shared object: `perf report` shows
// the loaded copy's addresses without names, `nm FILE` gives them.
//
//===----------------------------------------------------------------------===//

#include "dlc/Driver/Compiler.h"
#include "dlc/FrontEnd/ModelParser.h"

#include "plan/CodeObject.h"

#include "mlir/IR/MLIRContext.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <random>

using namespace mlir;

int main(int argc, char **argv) {
  if (argc < 2) {
    llvm::errs() << "usage: kernel-profile MODEL.dl [--batch N] [--repeat R] "
                    "[--save-object FILE]\n";
    return 1;
  }
  int64_t batch = 0, repeat = 20;
  const char *saveObject = nullptr;
  for (int i = 2; i < argc; ++i) {
    llvm::StringRef arg = argv[i];
    bool hasValue = i + 1 < argc;
    if (arg == "--batch" && hasValue)
      batch = std::atoll(argv[++i]);
    else if (arg == "--repeat" && hasValue)
      repeat = std::atoll(argv[++i]);
    else if (arg == "--save-object" && hasValue)
      saveObject = argv[++i];
    else {
      llvm::errs() << "kernel-profile: unknown or incomplete argument '" << arg
                   << "'\n";
      return 1;
    }
  }
  DialectRegistry registry;
  dlc::registerCompilerDialects(registry);
  MLIRContext context(registry);
  context.loadAllAvailableDialects();
  std::string error;
  auto file = openInputFile(argv[1], &error);
  if (!file) {
    llvm::errs() << error << "\n";
    return 1;
  }
  llvm::SourceMgr sm;
  sm.AddNewSourceBuffer(std::move(file), llvm::SMLoc());
  dlc::FrontEndOptions options;
  options.batchOverride = batch;
  OwningOpRef<ModuleOp> module = dlc::parseModelFile(sm, &context, options);
  if (!module)
    return 1;
  auto code = dlc::compileToNative(*module, dlc::CompileOptions());
  if (failed(code))
    return 1;
  if (saveObject) {
    std::error_code ec;
    llvm::raw_fd_ostream os(saveObject, ec);
    if (ec) {
      llvm::errs() << saveObject << ": " << ec.message() << "\n";
      return 1;
    }
    os.write(code->sharedObject.data(), code->sharedObject.size());
  }
  auto object = dlc::runtime::CodeObject::load(
      reinterpret_cast<const uint8_t *>(code->sharedObject.data()),
      code->sharedObject.size(), argv[1], error);
  if (!object) {
    llvm::errs() << error << "\n";
    return 1;
  }
  const dlc::plan::MemoryPlan &mp = code->memory;
  std::vector<float> block(mp.memorySize / 4 + 16);
  std::mt19937 rng(1);
  std::uniform_real_distribution<float> uniform(-0.1f, 0.1f);
  for (float &v : block)
    v = uniform(rng);
  std::memset(block.data() + mp.tensors[mp.label].offset / 4, 0,
              mp.tensors[mp.label].size);
  int32_t rows = static_cast<int32_t>(mp.batch);
  std::memcpy(block.data() + mp.tensors[mp.validRows].offset / 4, &rows, 4);

  // Every round starts from the same memory: steps that updated the
  // parameters in place would otherwise drift towards values (denormals,
  // dead relus) that no real step sees.
  const std::vector<float> initial = block;
  auto profile = [&](llvm::StringRef name,
                     llvm::ArrayRef<dlc::plan::PlannedLaunch> launches) {
    std::vector<double> seconds(launches.size());
    // The fastest round of each kernel: the machine's noise only adds.
    std::vector<double> fastest(launches.size(), 1e30);
    for (int64_t r = 0; r < repeat + 1; ++r) {
      std::copy(initial.begin(), initial.end(), block.begin());
      for (auto [i, l] : llvm::enumerate(launches)) {
        std::vector<void *> buffers;
        for (int b : l.bindings)
          buffers.push_back(block.data() + mp.tensors[b].offset / 4);
        const auto &k = mp.kernels[l.kernel];
        dlc_kernel_fn fn = object->lookup(k.symbol);
        auto start = std::chrono::steady_clock::now();
        for (int64_t wg = 0; wg < k.workgroups; ++wg)
          fn(buffers.data(), wg, k.workgroups);
        auto end = std::chrono::steady_clock::now();
        if (r > 0) { // the first round warms caches
          double s = std::chrono::duration<double>(end - start).count();
          seconds[i] += s;
          fastest[i] = std::min(fastest[i], s);
        }
      }
    }
    double total = 0, flops = 0;
    for (auto [i, l] : llvm::enumerate(launches)) {
      total += seconds[i];
      flops += mp.kernels[l.kernel].flops;
    }
    llvm::outs() << name << ": " << launches.size() << " kernels, "
                 << llvm::format("%.3f ms", 1e3 * total / repeat) << " per step, "
                 << llvm::format("%.1f GFLOP/s", flops * repeat / total / 1e9)
                 << " (one thread)\n";
    for (auto [i, l] : llvm::enumerate(launches)) {
      const auto &k = mp.kernels[l.kernel];
      double s = seconds[i] / repeat;
      llvm::outs() << llvm::format(
          "  %-44s %8.3f ms %6.1f%% %7.1f GFLOP/s  (fastest %.3f ms)\n",
          k.symbol.c_str(), 1e3 * s, 100 * seconds[i] / total,
          k.flops / s / 1e9, 1e3 * fastest[i]);
    }
  };
  profile("train_step", mp.trainLaunches);
  profile("eval_step", mp.evalLaunches);
  return 0;
}
