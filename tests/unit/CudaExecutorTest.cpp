//===- CudaExecutorTest.cpp - CUDA plans on the fake driver ---------------===//
//
// The CUDA executor and backend run against Inputs/FakeCuda.cpp, whose
// launches run the same toy kernels as the CPU plan: the CUDA path must then
// give bit-identical results (same batches, padding, sums, parameters), use
// one graph per phase, release everything, and report driver failures as
// one line.
//
//===----------------------------------------------------------------------===//

#include "ToyPlan.h"

#include "plan/PlanFile.h"
#include "train/Trainer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <dlfcn.h>

using namespace dlc;
using namespace dlc::runtime;
using namespace dlc::test;

namespace {

/// The fake driver's test hooks (the executor's dlopen of the same path
/// shares its state).
struct FakeDriver {
  FakeDriver() {
    handle = dlopen(DLC_FAKE_CUDA, RTLD_NOW | RTLD_LOCAL);
    EXPECT_NE(handle, nullptr) << dlerror();
    live = reinterpret_cast<int (*)()>(dlsym(handle, "dlcFakeCudaLiveObjects"));
    callCount = reinterpret_cast<int (*)(const char *)>(
        dlsym(handle, "dlcFakeCudaCalls"));
    reset =
        reinterpret_cast<void (*)()>(dlsym(handle, "dlcFakeCudaResetCalls"));
    reset();
  }
  ~FakeDriver() { dlclose(handle); }
  int calls(const char *name) { return callCount(name); }

  void *handle;
  int (*live)();
  int (*callCount)(const char *);
  void (*reset)();
};

/// Sets an environment variable for a scope.
class ScopedEnv {
public:
  ScopedEnv(const char *name, const char *value) : name(name) {
    const char *old = std::getenv(name);
    had = old != nullptr;
    if (had)
      saved = old;
    setenv(name, value, 1);
  }
  ~ScopedEnv() {
    if (had)
      setenv(name, saved.c_str(), 1);
    else
      unsetenv(name);
  }

private:
  const char *name;
  bool had = false;
  std::string saved;
};

std::unique_ptr<PlanFile> loadSpec(const PlanSpec &spec) {
  std::string error;
  auto plan = PlanFile::loadBytes(buildPlanFile(spec), "toy.plan", error);
  EXPECT_NE(plan, nullptr) << error;
  return plan;
}

std::unique_ptr<Trainer> cudaTrainer(const PlanFile &plan, std::string &error,
                                     int device = 0) {
  ExecutionOptions options;
  options.device = device;
  options.cudaDriver = DLC_FAKE_CUDA;
  return Trainer::create(plan, options, error);
}

Dataset smallData() { return makeSeparableData(4, 4, 3, 484, 101, 42); }

TrainConfig momentumConfig() {
  TrainConfig config;
  config.lr = 0.3;
  config.momentum = 0.9;
  config.weightDecay = 1e-3;
  config.seed = 7;
  return config;
}

size_t elementsOf(const ParamTensor &t) {
  size_t n = 1;
  for (int64_t d : t.shape)
    n *= static_cast<size_t>(d);
  return n;
}

std::vector<float> flatParameters(Trainer &trainer) {
  std::vector<float> out;
  for (const ParamTensor &t : trainer.parameters())
    out.insert(out.end(), t.data, t.data + elementsOf(t));
  return out;
}

void expectSameEpochs(const std::vector<EpochResult> &a,
                      const std::vector<EpochResult> &b) {
  ASSERT_EQ(a.size(), b.size());
  for (size_t e = 0; e < a.size(); ++e) {
    SCOPED_TRACE("epoch " + std::to_string(e + 1));
    EXPECT_EQ(a[e].batches, b[e].batches);
    EXPECT_EQ(a[e].examples, b[e].examples);
    EXPECT_EQ(a[e].loss, b[e].loss);
    EXPECT_EQ(a[e].trainAccuracy, b[e].trainAccuracy);
    EXPECT_EQ(a[e].testLoss, b[e].testLoss);
    EXPECT_EQ(a[e].testAccuracy, b[e].testAccuracy);
  }
}

/// Three epochs with momentum and weight decay; the final parameters.
std::vector<EpochResult> train(Trainer &trainer, const Dataset &data,
                               std::vector<float> &params,
                               TrainConfig config = momentumConfig()) {
  trainer.initParameters(7);
  std::vector<EpochResult> results;
  for (int epoch = 1; epoch <= 3; ++epoch)
    results.push_back(trainer.runEpoch(data, epoch, config));
  params = flatParameters(trainer);
  return results;
}

/// Trains both alike (train() above) and expects the CUDA trainer to
/// reproduce the CPU's epochs and parameters; its epochs.
std::vector<EpochResult> expectCpuTraining(Trainer &cpu, Trainer &cuda,
                                           const Dataset &data) {
  std::vector<float> cpuParams, cudaParams;
  std::vector<EpochResult> expected = train(cpu, data, cpuParams);
  std::vector<EpochResult> got = train(cuda, data, cudaParams);
  EXPECT_EQ(cuda.error(), "");
  expectSameEpochs(expected, got);
  EXPECT_EQ(cpuParams, cudaParams);
  return got;
}

/// The small toy plan trained on the CPU and `cudaPlan` on the fake driver
/// (expectCpuTraining); `more` then checks the CUDA trainer, still alive,
/// given the CPU one, the data and the CUDA trainer's epochs.
using MoreChecks = std::function<void(Trainer &cpu, Trainer &cuda,
                                      const Dataset &data,
                                      const std::vector<EpochResult> &got)>;
void expectToyCpuTraining(const PlanFile &cudaPlan,
                          const MoreChecks &more = {}) {
  Dataset data = smallData();
  auto cpuPlan = loadSpec(makeToyPlan(ToySize::Small));
  std::string error;
  auto cpu = Trainer::create(*cpuPlan, 1, error);
  ASSERT_NE(cpu, nullptr) << error;
  auto cuda = cudaTrainer(cudaPlan, error);
  ASSERT_NE(cuda, nullptr) << error;
  std::vector<EpochResult> got = expectCpuTraining(*cpu, *cuda, data);
  if (more)
    more(*cpu, *cuda, data, got);
}

TEST(CudaExecutor, SameResultsAsTheCpu) {
  FakeDriver fake;
  auto cudaPlan = loadSpec(makeToyCudaPlan(ToySize::Small));
  expectToyCpuTraining(*cudaPlan, [&](Trainer &, Trainer &cuda,
                                      const Dataset &,
                                      const std::vector<EpochResult> &got) {
    EXPECT_EQ(cuda.deviceDescription(),
              "device 0: Fake CUDA Device 0, compute capability 9.0, driver "
              "for CUDA 13.0, kernels JIT-compiled from the plan's PTX");
    ASSERT_FALSE(got.empty());
    EXPECT_GT(got.back().testAccuracy, 0.9);

    // One graph per phase, captured once, one replay per batch; the data
    // went up once, the order once per epoch. The train step's independent
    // launches (the metrics' reduction beside the gradients, the two SGD
    // updates) were captured from further streams, joined by events: the
    // fake replays a graph in orders that only its dependencies constrain,
    // so the results above check those too.
    EXPECT_EQ(fake.calls("cuStreamBeginCapture_v2"), 2);
    EXPECT_EQ(fake.calls("cuStreamCreate"), 3);
    EXPECT_GT(fake.calls("cuStreamWaitEvent"), 0);
    EXPECT_EQ(fake.calls("cuGraphInstantiateWithFlags"), 2);
    EXPECT_EQ(fake.calls("cuGraphLaunch"), 3 * (60 + 13));
    EXPECT_EQ(fake.calls("cuLaunchKernel"), (1 + 6 + 1) + (1 + 2 + 1));
    // 2 parameters, 2 x 2 data splits, the test order, 3 training orders.
    EXPECT_EQ(fake.calls("cuMemcpyHtoDAsync_v2"), 2 + 4 + 1 + 3);
  });
  EXPECT_EQ(fake.live(), 0) << "the executor left driver objects behind";
}

TEST(CudaExecutor, PrefetchingGivesTheSameResults) {
  // Each training step gathers the next batch into the other of two
  // buffers beside its kernels; the batches, sums and parameters stay the
  // CPU's, across epochs, a partial epoch (limitTrain) and step losses.
  ScopedEnv prefetch("DLC_CUDA_PREFETCH", "1");
  FakeDriver fake;
  auto cudaPlan = loadSpec(makeToyCudaPlan(ToySize::Small));
  expectToyCpuTraining(*cudaPlan, [&](Trainer &cpu, Trainer &cuda,
                                      const Dataset &data,
                                      const std::vector<EpochResult> &) {
    // Two training graphs (one per batch buffer) and the eval graph; the
    // first batch of each epoch gathered on its own.
    EXPECT_EQ(fake.calls("cuStreamBeginCapture_v2"), 3);
    EXPECT_EQ(fake.calls("cuGraphLaunch"), 3 * (60 + 13));

    TrainConfig config = momentumConfig();
    config.limitTrain = 100;
    cpu.initParameters(3);
    cuda.initParameters(3);
    EXPECT_EQ(cpu.stepLosses(data, 5, config),
              cuda.stepLosses(data, 5, config));
    EXPECT_EQ(cpu.runEpoch(data, 2, config).loss,
              cuda.runEpoch(data, 2, config).loss);
    EXPECT_EQ(flatParameters(cpu), flatParameters(cuda));
    EXPECT_EQ(cuda.error(), "");
  });
  EXPECT_EQ(fake.live(), 0);
}

TEST(CudaExecutor, MultiStepGraphsGiveTheSameResults) {
  // DLC_CUDA_GRAPH_STEPS=7: an epoch's 60 training steps run as 8 graphs of
  // 7 steps, whose launches the fake replays in any order their
  // dependencies allow, across steps too, then 4 single steps, and its 13
  // test batches as one graph of 7, then 5 single steps and the partial
  // batch; the results stay the CPU's, with and without prefetching (7
  // steps leave the batch buffers swapped: a graph for each starting
  // buffer).
  for (const char *prefetching : {"0", "1"}) {
    SCOPED_TRACE(std::string("DLC_CUDA_PREFETCH=") + prefetching);
    ScopedEnv steps("DLC_CUDA_GRAPH_STEPS", "7");
    ScopedEnv prefetch("DLC_CUDA_PREFETCH", prefetching);
    FakeDriver fake;
    auto cudaPlan = loadSpec(makeToyCudaPlan(ToySize::Small));
    expectToyCpuTraining(*cudaPlan);
    EXPECT_EQ(fake.calls("cuGraphLaunch"), 3 * ((8 + 4) + (1 + 6)));
    bool two = *prefetching == '1';
    EXPECT_EQ(fake.calls("cuStreamBeginCapture_v2"), two ? 6 : 4);
    EXPECT_EQ(fake.live(), 0);
  }
}

TEST(CudaExecutor, GraphStepsMustBeACount) {
  FakeDriver fake;
  auto cudaPlan = loadSpec(makeToyCudaPlan(ToySize::Small));
  for (const char *bad : {"0", "65", "4x", "-1"}) {
    ScopedEnv steps("DLC_CUDA_GRAPH_STEPS", bad);
    std::string error;
    EXPECT_EQ(cudaTrainer(*cudaPlan, error), nullptr);
    EXPECT_TRUE(contains(error, "toy.plan: DLC_CUDA_GRAPH_STEPS must be a "
                                "number of steps from 1 to 64, not '" +
                                    std::string(bad) + "'"));
  }
  EXPECT_EQ(fake.live(), 0);
}

TEST(CudaExecutor, DependentLaunches) {
  // A plan whose kernels wait for the grids before them (dlc
  // --gpu-dependent-launch) is captured with programmatic dependent
  // launches, every launch of both graphs; DLC_CUDA_DEPENDENT_LAUNCH=0,
  // or a driver before CUDA 12.3, launches them plainly, and the device
  // line says which. The training is the CPU's either way.
  PlanSpec spec = makeToyCudaPlan(ToySize::Small);
  spec.dependentLaunch = true;
  spec.ptx = fakePtx(spec); // every entry waits first
  auto cudaPlan = loadSpec(spec);
  // The data kernels (gather, accumulate) join each step's launches.
  int captured = static_cast<int>(spec.trainLaunches.size() +
                                  spec.evalLaunches.size()) +
                 4;
  enum Case { Programmatic, TurnedOff, OldDriver };
  for (Case c : {Programmatic, TurnedOff, OldDriver}) {
    SCOPED_TRACE(c == Programmatic ? "default"
                 : c == TurnedOff  ? "DLC_CUDA_DEPENDENT_LAUNCH=0"
                                   : "CUDA 12.2");
    ScopedEnv env("DLC_CUDA_DEPENDENT_LAUNCH", c == TurnedOff ? "0" : "");
    ScopedEnv version("DLC_FAKE_CUDA_DRIVER_VERSION",
                      c == OldDriver ? "12020" : "");
    bool plainly = c != Programmatic;
    FakeDriver fake;
    expectToyCpuTraining(*cudaPlan, [&](Trainer &, Trainer &cuda,
                                        const Dataset &,
                                        const std::vector<EpochResult> &) {
      if (c != TurnedOff) {
        EXPECT_TRUE(contains(cuda.deviceDescription(),
                             plainly ? ", plain launches (programmatic "
                                       "dependent launches need CUDA 12.3 and "
                                       "compute capability 9.0)"
                                     : ", programmatic dependent launches"))
            << cuda.deviceDescription();
      }
    });
    EXPECT_EQ(fake.calls("cuLaunchKernelEx+programmatic"),
              plainly ? 0 : captured);
    EXPECT_EQ(fake.calls("cuLaunchKernel"), plainly ? captured : 0);
    EXPECT_EQ(fake.live(), 0);
  }
}

TEST(CudaExecutor, PlansWithoutAccessRunInOrder) {
  // A plan from before Launch.access: its kernels may share state no byte
  // range shows, so every launch waits for the one before.
  FakeDriver fake;
  PlanSpec spec = makeToyCudaPlan(ToySize::Small);
  for (std::vector<LaunchSpec> *step : {&spec.trainLaunches, &spec.evalLaunches})
    for (LaunchSpec &l : *step)
      l.access.clear();
  auto cudaPlan = loadSpec(spec);
  expectToyCpuTraining(*cudaPlan);
  EXPECT_EQ(fake.calls("cuStreamCreate"), 1);
  EXPECT_EQ(fake.calls("cuStreamWaitEvent"), 0);
  EXPECT_EQ(fake.live(), 0);
}

TEST(CudaExecutor, StepLossesAndLimitTrain) {
  FakeDriver fake;
  Dataset data = smallData();
  TrainConfig config = momentumConfig();
  config.limitTrain = 100;
  auto cpuPlan = loadSpec(makeToyPlan(ToySize::Small));
  auto cudaPlan = loadSpec(makeToyCudaPlan(ToySize::Small));
  std::string error;
  auto cpu = Trainer::create(*cpuPlan, 2, error);
  auto cuda = cudaTrainer(*cudaPlan, error);
  ASSERT_NE(cuda, nullptr) << error;
  cpu->initParameters(3);
  cuda->initParameters(3);
  std::vector<float> expected = cpu->stepLosses(data, 5, config);
  std::vector<float> got = cuda->stepLosses(data, 5, config);
  ASSERT_EQ(expected.size(), 5u);
  EXPECT_EQ(expected, got);
  EXPECT_EQ(flatParameters(*cpu), flatParameters(*cuda));
  // No more than an epoch's 12 steps.
  EXPECT_EQ(cuda->stepLosses(data, 50, config).size(), 12u);
  EXPECT_EQ(cuda->batchesPerEpoch(data, 100), 12);
  EXPECT_EQ(cuda->runEpoch(data, 2, config).batches, 12);
  EXPECT_EQ(cuda->error(), "");
}

TEST(CudaExecutor, ParametersMoveBothWays) {
  FakeDriver fake;
  Dataset data = smallData();
  auto cpuPlan = loadSpec(makeToyPlan(ToySize::Small));
  auto cudaPlan = loadSpec(makeToyCudaPlan(ToySize::Small));
  std::string error;
  auto trained = cudaTrainer(*cudaPlan, error);
  ASSERT_NE(trained, nullptr) << error;
  std::vector<float> params;
  train(*trained, data, params);
  double lossSum = 0;
  int64_t correct = 0;
  trained->evaluate(data.testImages, data.testLabels, lossSum, correct);

  // Into a fresh CUDA trainer and a CPU one: the same evaluation.
  auto fresh = cudaTrainer(*cudaPlan, error);
  auto cpu = Trainer::create(*cpuPlan, 1, error);
  for (Trainer *t : {fresh.get(), cpu.get()}) {
    t->initParameters(99);
    size_t at = 0;
    for (const ParamTensor &tensor : t->parameters()) {
      size_t n = elementsOf(tensor);
      std::copy(params.begin() + at, params.begin() + at + n, tensor.data);
      at += n;
    }
    t->storeParameters();
    EXPECT_EQ(flatParameters(*t), params);
    double l = 0;
    int64_t c = 0;
    t->evaluate(data.testImages, data.testLabels, l, c);
    EXPECT_EQ(l, lossSum);
    EXPECT_EQ(c, correct);
    EXPECT_EQ(t->error(), "");
  }
}

TEST(CudaExecutor, DebugModeLaunchesOneByOne) {
  FakeDriver fake;
  ScopedEnv debug("DLC_CUDA_DEBUG", "1");
  Dataset data = smallData();
  auto cpuPlan = loadSpec(makeToyPlan(ToySize::Small));
  auto cudaPlan = loadSpec(makeToyCudaPlan(ToySize::Small));
  std::string error;
  auto cpu = Trainer::create(*cpuPlan, 1, error);
  auto cuda = cudaTrainer(*cudaPlan, error);
  ASSERT_NE(cuda, nullptr) << error;
  std::vector<float> a, b;
  expectSameEpochs(train(*cpu, data, a), train(*cuda, data, b));
  EXPECT_EQ(a, b);
  EXPECT_EQ(fake.calls("cuStreamBeginCapture_v2"), 0);
  EXPECT_EQ(fake.calls("cuLaunchKernel"), 3 * (60 * 8 + 13 * 4));
}

TEST(CudaExecutor, ProgressOncePerPhase) {
  FakeDriver fake;
  Dataset data = smallData();
  auto cudaPlan = loadSpec(makeToyCudaPlan(ToySize::Small));
  std::string error;
  auto cuda = cudaTrainer(*cudaPlan, error);
  ASSERT_NE(cuda, nullptr) << error;
  cuda->initParameters(0);
  std::vector<StepProgress> seen;
  cuda->setProgress([&](const StepProgress &p) { seen.push_back(p); }, 0);
  TrainConfig config;
  config.lr = 0.1;
  EpochResult r = cuda->runEpoch(data, 1, config);
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].phase, StepProgress::Train);
  EXPECT_EQ(seen[0].done, 60);
  EXPECT_EQ(seen[0].total, 60);
  EXPECT_EQ(seen[0].examples, 480);
  EXPECT_DOUBLE_EQ(seen[0].runningLoss, r.loss);
  EXPECT_EQ(seen[1].phase, StepProgress::Eval);
  EXPECT_EQ(seen[1].done, 13);
  EXPECT_EQ(seen[1].total, 13);
  EXPECT_EQ(seen[1].examples, 101);
}

TEST(CudaExecutor, DeviceSelection) {
  FakeDriver fake;
  auto plan = loadSpec(makeToyCudaPlan(ToySize::Small));
  std::string error;
  {
    ScopedEnv two("DLC_FAKE_CUDA_DEVICES", "2");
    auto second = cudaTrainer(*plan, error, 1);
    ASSERT_NE(second, nullptr) << error;
    EXPECT_EQ(second->deviceDescription().rfind(
                  "device 1: Fake CUDA Device 1, compute capability 9.0", 0),
              0u);
    EXPECT_EQ(cudaTrainer(*plan, error, 2), nullptr);
    EXPECT_EQ(error, "toy.plan: there is no CUDA device 2: this machine has "
                     "2 CUDA devices (--device 0 to 1)");
  }
  EXPECT_EQ(cudaTrainer(*plan, error, 1), nullptr);
  EXPECT_EQ(error, "toy.plan: there is no CUDA device 1: this machine has 1 "
                   "CUDA device (--device 0)");
  {
    ScopedEnv none("DLC_FAKE_CUDA_DEVICES", "0");
    EXPECT_EQ(cudaTrainer(*plan, error), nullptr);
    EXPECT_EQ(error, "toy.plan: no CUDA device found");
  }
  {
    ScopedEnv initError("DLC_FAKE_CUDA_INIT_ERROR", "100");
    EXPECT_EQ(cudaTrainer(*plan, error), nullptr);
    EXPECT_EQ(error, "toy.plan: CUDA error in cuInit: CUDA_ERROR_NO_DEVICE: "
                     "no CUDA-capable device is detected");
  }
  EXPECT_EQ(fake.live(), 0);
}

TEST(CudaExecutor, NoDriver) {
  auto plan = loadSpec(makeToyCudaPlan(ToySize::Small));
  ExecutionOptions options;
  options.cudaDriver = "/nonexistent/libcuda.so.1";
  std::string error;
  EXPECT_EQ(Trainer::create(*plan, options, error), nullptr);
  EXPECT_EQ(error, "toy.plan: this is a CUDA plan (sm_90) but no NVIDIA "
                   "driver was found (/nonexistent/libcuda.so.1: cannot open "
                   "shared object file: No such file or directory)");
}

TEST(CudaExecutor, CubinWhenItFitsTheDevice) {
  FakeDriver fake;
  Dataset data = smallData();
  auto cpuPlan = loadSpec(makeToyPlan(ToySize::Small));
  std::string error;
  auto cpu = Trainer::create(*cpuPlan, 1, error);
  std::vector<float> expectedParams;
  std::vector<EpochResult> expected = train(*cpu, data, expectedParams);

  struct Case {
    const char *gpuArch, *cubinArch, *deviceCc, *description;
  };
  const Case cases[] = {
      {"sm_90", "sm_90", "9.0", ", kernels from the plan's cubin (sm_90)"},
      {"sm_90a", "sm_90", "9.0", ", kernels from the plan's cubin (sm_90a)"},
      {"sm_80", "sm_80", "9.0",
       ", kernels JIT-compiled from the plan's PTX (its cubin is for sm_80)"},
      {"sm_90", "sm_90", "8.6",
       ", kernels JIT-compiled from the plan's PTX (its cubin is for sm_90)"},
      {"sm_90", "sm_86", "9.0",
       ", kernels JIT-compiled from the plan's PTX (the sm_90 cubin did not "
       "load: CUDA_ERROR_NO_BINARY_FOR_GPU: no kernel image is available for "
       "execution on the device)"},
  };
  for (const Case &c : cases) {
    SCOPED_TRACE(c.gpuArch + std::string(" / ") + c.cubinArch + " on " +
                 c.deviceCc);
    ScopedEnv cc("DLC_FAKE_CUDA_CC", c.deviceCc);
    PlanSpec spec = makeToyCudaPlan(ToySize::Small);
    spec.gpuArch = c.gpuArch;
    spec.cubin = fakeCubin(spec, c.cubinArch);
    auto plan = loadSpec(spec);
    auto cuda = cudaTrainer(*plan, error);
    ASSERT_NE(cuda, nullptr) << error;
    const std::string &d = cuda->deviceDescription();
    EXPECT_EQ(d.substr(d.find(", kernels")), c.description);
    std::vector<float> params;
    expectSameEpochs(expected, train(*cuda, data, params));
    EXPECT_EQ(params, expectedParams);
  }
}

TEST(CudaExecutor, JitErrorsCarryTheLog) {
  FakeDriver fake;
  PlanSpec spec = makeToyCudaPlan(ToySize::Small);
  spec.ptx = fakePtx(spec, "fake-syntax-error");
  auto plan = loadSpec(spec);
  std::string error;
  EXPECT_EQ(cudaTrainer(*plan, error), nullptr);
  EXPECT_EQ(error,
            "toy.plan: CUDA error in cuModuleLoadDataEx (the plan's PTX, ISA "
            "8.0, for sm_90, driver for CUDA 13.0): CUDA_ERROR_INVALID_PTX: a "
            "PTX JIT compilation failed; "
            "JIT log: ptxas application ptx input, line 3; error   : syntax "
            "error ptxas fatal   : Ptx assembly aborted due to errors");
  EXPECT_EQ(fake.live(), 0);
}

TEST(CudaExecutor, LargeSharedMemoryIsOptedInto) {
  FakeDriver fake;
  Dataset data = smallData();
  PlanSpec spec = makeToyCudaPlan(ToySize::Small);
  spec.kernels[1].sharedBytes = 65536;
  spec.kernels[3].sharedBytes = 49152; // the default limit: no opt-in
  auto plan = loadSpec(spec);
  std::string error;
  {
    auto cuda = cudaTrainer(*plan, error);
    ASSERT_NE(cuda, nullptr) << error;
    EXPECT_EQ(fake.calls("cuFuncSetAttribute"), 1);
    std::vector<float> params;
    train(*cuda, data, params);
    EXPECT_EQ(cuda->error(), "");
  }
  spec.kernels[1].sharedBytes = 300000;
  plan = loadSpec(spec);
  EXPECT_EQ(cudaTrainer(*plan, error), nullptr);
  EXPECT_EQ(error, "toy.plan: kernel 'toy_softmax_ce_grad' needs 300000 "
                   "bytes of shared memory per block; this device has 232448");
  EXPECT_EQ(fake.live(), 0);
}

TEST(CudaExecutor, DeviceFaultsAreOneLineAndSticky) {
  FakeDriver fake;
  Dataset data = smallData();
  auto plan = loadSpec(makeToyCudaPlan(ToySize::Small));
  std::string error;
  {
    ScopedEnv fault("DLC_FAKE_CUDA_FAULT", "toy_grad");
    auto cuda = cudaTrainer(*plan, error);
    ASSERT_NE(cuda, nullptr) << error;
    cuda->initParameters(0);
    EXPECT_EQ(cuda->error(), "");
    cuda->runEpoch(data, 1, momentumConfig());
    EXPECT_EQ(cuda->error(),
              "toy.plan: CUDA error in cuStreamSynchronize (end of phase): "
              "CUDA_ERROR_ILLEGAL_ADDRESS: an illegal memory access was "
              "encountered");
    std::string first = cuda->error();
    cuda->runEpoch(data, 2, momentumConfig());
    cuda->parameters();
    EXPECT_EQ(cuda->error(), first);
  }
  EXPECT_EQ(fake.live(), 0);
  {
    // Launched one by one, the failing kernel is named.
    ScopedEnv fault("DLC_FAKE_CUDA_FAULT", "toy_grad");
    ScopedEnv debug("DLC_CUDA_DEBUG", "1");
    auto cuda = cudaTrainer(*plan, error);
    ASSERT_NE(cuda, nullptr) << error;
    cuda->initParameters(0);
    cuda->runEpoch(data, 1, momentumConfig());
    EXPECT_EQ(cuda->error(),
              "toy.plan: CUDA error in cuStreamSynchronize (after train_step "
              "launch 3 'toy_grad'): CUDA_ERROR_ILLEGAL_ADDRESS: an illegal "
              "memory access was encountered");
  }
  EXPECT_EQ(fake.live(), 0);
}

TEST(CudaExecutor, MnistSizedPlan) {
  std::string dir = DLC_TEST_DATA_DIR;
  Dataset data;
  std::string error;
  if (!loadDataset(dir, data, error))
    GTEST_SKIP() << error;
  FakeDriver fake;
  auto cpuPlan = loadSpec(makeToyPlan(ToySize::Mnist));
  auto cudaPlan = loadSpec(makeToyCudaPlan(ToySize::Mnist));
  auto cpu = Trainer::create(*cpuPlan, 2, error);
  auto cuda = cudaTrainer(*cudaPlan, error);
  ASSERT_NE(cuda, nullptr) << error;
  TrainConfig config;
  config.lr = 0.5;
  config.limitTrain = 2000;
  cpu->initParameters(0);
  cuda->initParameters(0);
  expectSameEpochs({cpu->runEpoch(data, 1, config)},
                   {cuda->runEpoch(data, 1, config)});
  EXPECT_EQ(cuda->error(), "");
}

} // namespace
