//===- SimulatedGPUTrainingTest.cpp - CUDA plans, end to end, on the CPU --===//
//
// What tools/gpu-check.sh checks on a GPU, on a machine without one: the
// CUDA plan dlc writes (its kernels, bindings, launch dependencies and data
// kernels) trained by the runtime's CUDA executor gives the CPU plan's step
// losses. The executor talks to the fake driver of Inputs/FakeCuda.cpp,
// which replays each captured graph in an order only its dependencies
// constrain, and whose "PTX" names a shared object of the same kernels
// compiled for the block simulator of GPUSimulator.h: the GPU kernels
// themselves, barriers, shuffles and workgroup memory included.
//
//===----------------------------------------------------------------------===//

#include "GPUSimulator.h"
#include "ToyPlan.h"

#include "dlc/Driver/Compiler.h"
#include "dlc/FrontEnd/ModelParser.h"
#include "dlc/Plan/PlanWriter.h"
#include "plan/PlanFile.h"
#include "train/Trainer.h"

#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <dlfcn.h>
#include <optional>

using namespace mlir;
using namespace dlc;
using namespace dlc::runtime;

namespace {

/// A trainer of CUDA plan `plan` on the fake driver, whose modules run the
/// simulated kernels.
std::unique_ptr<Trainer> fakeDriverTrainer(const PlanFile &plan,
                                           std::string &error) {
  ExecutionOptions execution;
  execution.cudaDriver = DLC_FAKE_CUDA;
  return Trainer::create(plan, execution, error);
}

std::string readModel(const std::string &name) {
  auto buffer = llvm::MemoryBuffer::getFile(DLC_MODELS_DIR "/" + name);
  return buffer ? (*buffer)->getBuffer().str() : std::string();
}

/// A fake driver module naming `so`, the shared object of simulated
/// kernels: one `.entry` per kernel with a parameter per binding.
std::string fakePtx(const plan::MemoryPlan &memory, const std::string &so,
                    int gather, int accumulate, const std::string &arch,
                    bool dependentLaunch) {
  std::vector<test::FakeEntry> entries;
  for (auto [i, kernel] : llvm::enumerate(memory.kernels)) {
    size_t params = (int)i == gather ? 6 : (int)i == accumulate ? 5 : 0;
    for (const auto *launches : {&memory.trainLaunches, &memory.evalLaunches})
      for (const plan::PlannedLaunch &l : *launches)
        if (l.kernel == (int)i)
          params = l.bindings.size();
    entries.push_back({kernel.symbol, params});
  }
  return test::fakeModule(so, arch, entries, dependentLaunch);
}

struct Plans {
  std::unique_ptr<PlanFile> cpu, cuda;
};

/// `text` at `batch` as a CPU plan, and as a CUDA plan with `options` whose
/// kernels are the simulated ones, compiled into `dir`.
Plans compilePlans(const std::string &text, int64_t batch,
                   const cuda::CUDATargetOptions &options,
                   const std::string &dir) {
  DialectRegistry registry;
  registerCompilerDialects(registry);
  MLIRContext context(registry);
  context.loadAllAvailableDialects();
  llvm::SourceMgr sm;
  sm.AddNewSourceBuffer(llvm::MemoryBuffer::getMemBufferCopy(text, "test.dl"),
                        llvm::SMLoc());
  FrontEndOptions frontEnd;
  frontEnd.batchOverride = batch;
  OwningOpRef<ModuleOp> module = parseModelFile(sm, &context, frontEnd);
  EXPECT_TRUE(module);
  Plans plans;
  if (!module)
    return plans;
  plan::PlanMetadata meta;
  meta.modelName = "test";
  std::string error;

  OwningOpRef<ModuleOp> cpuModule = module->clone();
  FailureOr<NativeCode> cpu = compileToNative(*cpuModule, CompileOptions());
  EXPECT_TRUE(succeeded(cpu));
  if (failed(cpu))
    return plans;
  meta.cpu = cpu->cpu;
  meta.cpuFeatures = cpu->cpuFeatures;
  std::string bytes = plan::serializePlan(cpu->memory, meta, cpu->sharedObject);
  plans.cpu = PlanFile::loadBytes(
      std::vector<uint8_t>(bytes.begin(), bytes.end()), "cpu.plan", error);
  EXPECT_TRUE(plans.cpu) << error;

  CompileOptions gpu;
  gpu.cuda = options;
  OwningOpRef<ModuleOp> cudaModule = module->clone();
  FailureOr<CUDACode> code = compileToCUDA(*cudaModule, gpu,
                                           /*stopAtGPU=*/false,
                                           /*wantCubin=*/false);
  gpu.gpuMappingOnCPU = gpu.simulateGPU = true;
  OwningOpRef<ModuleOp> simModule = module->clone();
  FailureOr<NativeCode> simulated = compileToNative(*simModule, gpu);
  EXPECT_TRUE(succeeded(code) && succeeded(simulated));
  if (failed(code) || failed(simulated))
    return plans;
  // The same kernels, in the same order, on both.
  EXPECT_EQ(code->memory.kernels.size(), simulated->memory.kernels.size());
  for (size_t k = 0; k < code->memory.kernels.size() &&
                     k < simulated->memory.kernels.size();
       ++k)
    EXPECT_EQ(code->memory.kernels[k].symbol,
              simulated->memory.kernels[k].symbol);
  std::string so = dir + "/kernels.so";
  test::writeFileBytes(so, std::vector<uint8_t>(
                               simulated->sharedObject.begin(),
                               simulated->sharedObject.end()));
  plan::GPUPlanCode gpuCode;
  gpuCode.arch = options.gpu;
  gpuCode.ptx = fakePtx(code->memory, so, code->gatherKernel,
                        code->accumulateKernel, options.gpu,
                        code->dependentLaunch);
  gpuCode.dependentLaunch = code->dependentLaunch;
  gpuCode.gatherKernel = code->gatherKernel;
  gpuCode.accumulateKernel = code->accumulateKernel;
  meta.target = "cuda";
  bytes = plan::serializePlan(code->memory, meta, "", &gpuCode);
  plans.cuda = PlanFile::loadBytes(
      std::vector<uint8_t>(bytes.begin(), bytes.end()), "cuda.plan", error);
  EXPECT_TRUE(plans.cuda) << error;
  return plans;
}

/// Sets an environment variable for a scope.
class ScopedEnv {
public:
  ScopedEnv(const char *name, const char *value) : name(name) {
    if (const char *old = std::getenv(name))
      saved = old;
    setenv(name, value, 1);
  }
  ~ScopedEnv() {
    if (saved)
      setenv(name, saved->c_str(), 1);
    else
      unsetenv(name);
  }

private:
  const char *name;
  std::optional<std::string> saved;
};

/// How often the fake driver saw a call (the executor's dlopen of the same
/// path shares its state).
class FakeDriverCalls {
public:
  FakeDriverCalls() : handle(dlopen(DLC_FAKE_CUDA, RTLD_NOW | RTLD_LOCAL)) {
    EXPECT_TRUE(handle) << dlerror();
    if (handle)
      calls = reinterpret_cast<int (*)(const char *)>(
          dlsym(handle, "dlcFakeCudaCalls"));
  }
  ~FakeDriverCalls() {
    if (handle)
      dlclose(handle);
  }
  int operator()(const char *call) const { return calls ? calls(call) : -1; }

private:
  void *handle;
  int (*calls)(const char *) = nullptr;
};

/// The first steps' losses of `model` at `batch` with `options`, on the
/// CUDA executor with simulated kernels and on the CPU, from the same
/// parameters and batches: each within `tolerance` (relative), with and
/// without the next batch gathered beside each step.
void expectCpuStepLosses(const std::string &model, int64_t batch,
                         const cuda::CUDATargetOptions &options, int steps,
                         double tolerance, double momentum = 0.0,
                         double weightDecay = 0.0) {
  std::string dir = test::makeTempDir("simulated-gpu");
  Plans plans = compilePlans(readModel(model), batch, options, dir);
  ASSERT_TRUE(plans.cpu && plans.cuda);
  Dataset data = test::makeSeparableData(28, 28, 10, steps * batch, batch, 5);
  TrainConfig config;
  config.lr = 0.05;
  config.momentum = momentum;
  config.weightDecay = weightDecay;
  config.seed = 3;

  std::string error;
  auto cpu = Trainer::create(*plans.cpu, 1, error);
  ASSERT_TRUE(cpu) << error;
  cpu->initParameters(11);
  std::vector<float> expected = cpu->stepLosses(data, steps, config);
  ASSERT_EQ(expected.size(), size_t(steps));

  for (bool prefetch : {false, true}) {
    SCOPED_TRACE(prefetch ? "DLC_CUDA_PREFETCH=1" : "no prefetch");
    ScopedEnv env("DLC_CUDA_PREFETCH", prefetch ? "1" : "0");
    FakeDriverCalls calls;
    int programmatic = calls("cuLaunchKernelEx+programmatic");
    auto gpu = fakeDriverTrainer(*plans.cuda, error);
    ASSERT_TRUE(gpu) << error;
    int64_t blocks = test::gpuSimulatorBlocks();
    gpu->initParameters(11);
    std::vector<float> got = gpu->stepLosses(data, steps, config);
    EXPECT_EQ(gpu->error(), "");
    EXPECT_EQ(test::takeGPUSimulatorError(), "");
    EXPECT_GT(test::gpuSimulatorBlocks(), blocks) << "nothing simulated";
    EXPECT_EQ(calls("cuLaunchKernelEx+programmatic") > programmatic,
              options.dependentLaunch);
    ASSERT_EQ(got.size(), expected.size());
    for (int s = 0; s < steps; ++s)
      EXPECT_LE(std::fabs(got[s] - expected[s]),
                tolerance * std::fabs(expected[s]))
          << "step " << s << ": GPU " << got[s] << ", CPU " << expected[s];
  }
}

/// A whole epoch of `model` at `batch` with DLC_CUDA_GRAPH_STEPS=3: 8
/// training steps as two graphs of 3 steps, whose launches the fake
/// replays in any order their dependencies allow, across steps too, then
/// two single steps; 4 whole test batches as a graph of 3 and a step, then
/// a partial one. The epoch's losses and the parameters as on the CPU.
void expectCpuEpoch(const std::string &model, int64_t batch,
                    const cuda::CUDATargetOptions &options) {
  std::string dir = test::makeTempDir("simulated-gpu-epoch");
  Plans plans = compilePlans(readModel(model), batch, options, dir);
  ASSERT_TRUE(plans.cpu && plans.cuda);
  int64_t tests = 4 * batch + 5;
  Dataset data = test::makeSeparableData(28, 28, 10, 8 * batch, tests, 9);
  TrainConfig config;
  config.lr = 0.05;
  config.seed = 4;
  std::string error;
  auto cpu = Trainer::create(*plans.cpu, 1, error);
  ASSERT_TRUE(cpu) << error;
  cpu->initParameters(13);
  EpochResult expected = cpu->runEpoch(data, 1, config);
  std::vector<ParamTensor> want = cpu->parameters();

  for (bool prefetch : {false, true}) {
    SCOPED_TRACE(prefetch ? "DLC_CUDA_PREFETCH=1" : "no prefetch");
    ScopedEnv steps("DLC_CUDA_GRAPH_STEPS", "3");
    ScopedEnv env("DLC_CUDA_PREFETCH", prefetch ? "1" : "0");
    FakeDriverCalls calls;
    int replays = calls("cuGraphLaunch");
    auto gpu = fakeDriverTrainer(*plans.cuda, error);
    ASSERT_TRUE(gpu) << error;
    gpu->initParameters(13);
    EpochResult got = gpu->runEpoch(data, 1, config);
    EXPECT_EQ(gpu->error(), "");
    // Training 3 + 3 + 1 + 1 steps, testing 3 + 1 and the partial batch.
    EXPECT_EQ(calls("cuGraphLaunch") - replays, 4 + 3);
    EXPECT_EQ(test::takeGPUSimulatorError(), "");
    EXPECT_EQ(got.batches, expected.batches);
    EXPECT_NEAR(got.loss, expected.loss, 1e-5 * expected.loss);
    EXPECT_NEAR(got.testLoss, expected.testLoss, 1e-5 * expected.testLoss);
    EXPECT_NEAR(got.trainAccuracy, expected.trainAccuracy, 1.5 / (8 * batch));
    EXPECT_NEAR(got.testAccuracy, expected.testAccuracy, 1.5 / tests);
    std::vector<ParamTensor> have = gpu->parameters();
    ASSERT_EQ(have.size(), want.size());
    for (size_t t = 0; t < want.size(); ++t) {
      size_t n = 1;
      for (int64_t d : want[t].shape)
        n *= static_cast<size_t>(d);
      double err = 0, norm = 0;
      for (size_t i = 0; i < n; ++i) {
        err += std::pow(have[t].data[i] - want[t].data[i], 2);
        norm += std::pow(want[t].data[i], 2);
      }
      EXPECT_LE(std::sqrt(err), 1e-5 * std::sqrt(norm)) << "parameter " << t;
    }
  }
}

/// Every switch that is off until timed on a GPU.
cuda::CUDATargetOptions everySwitch(bool dependentLaunch = true) {
  cuda::CUDATargetOptions every;
  every.rowProducts = every.workgroupScratch = every.vectorStores = true;
  every.fuseLossGradient = true;
  every.dependentLaunch = dependentLaunch;
  return every;
}

TEST(SimulatedGPUTraining, MLPEpochInMultiStepGraphs) {
  cuda::CUDATargetOptions every = everySwitch();
  for (const cuda::CUDATargetOptions &options : {cuda::CUDATargetOptions(),
                                                 every}) {
    SCOPED_TRACE(options.rowProducts ? "every switch" : "defaults");
    expectCpuEpoch("mlp.dl", 32, options);
  }
}

TEST(SimulatedGPUTraining, MLPStepsAsOnTheCPU) {
  expectCpuStepLosses("mlp.dl", 64, {}, 4, 1e-5);
}

// Every switch that is off until timed on a GPU; dependent launches are
// the driver's (cuLaunchKernelEx), their waits gone from simulated kernels.
TEST(SimulatedGPUTraining, MLPWithEverySwitch) {
  expectCpuStepLosses("mlp.dl", 64, everySwitch(), 4, 1e-5);
}

TEST(SimulatedGPUTraining, LeNetStepsAsOnTheCPU) {
  cuda::CUDATargetOptions every = everySwitch(/*dependentLaunch=*/false);
  for (const cuda::CUDATargetOptions &options : {cuda::CUDATargetOptions(),
                                                 every}) {
    SCOPED_TRACE(options.rowProducts ? "every switch" : "defaults");
    expectCpuStepLosses("lenet_relu.dl", 16, options, 2, 1e-5);
  }
}

// Momentum and weight decay, average pooling, every switch: cnn_wd.
TEST(SimulatedGPUTraining, CnnWithMomentumAsOnTheCPU) {
  expectCpuStepLosses("cnn_wd.dl", 16, everySwitch(), 3, 1e-5, 0.9, 5e-4);
}

} // namespace
