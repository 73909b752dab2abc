//===- Trainer.cpp - the training loop of dlrun ---------------------------===//

#include "train/Trainer.h"

#include "init/ParamInit.h"
#include "plan/PlanChecks.h"
#include "train/CpuBackend.h"
#include "train/CudaBackend.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>

namespace dlc {
namespace runtime {

using namespace dlc::plan;

namespace {
std::vector<int64_t> shapeOf(const Tensor *t) {
  std::vector<int64_t> shape;
  if (t->shape())
    shape.assign(t->shape()->begin(), t->shape()->end());
  return shape;
}

double secondsBetween(std::chrono::steady_clock::time_point a,
                      std::chrono::steady_clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}
} // namespace

std::unique_ptr<Trainer> Trainer::create(const PlanFile &plan,
                                         const ExecutionOptions &options,
                                         std::string &error) {
  std::unique_ptr<Trainer> trainer(new Trainer(plan));
  if (plan.target() == PlanTarget::Cuda) {
    CudaExecutor::Options cuda;
    cuda.device = options.device;
    cuda.driverPath = options.cudaDriver;
    trainer->backend = CudaBackend::create(plan, cuda, error);
  } else {
    trainer->backend = CpuBackend::create(plan, options.threads, options.profile,
                                         error);
  }
  if (!trainer->backend)
    return nullptr;
  return trainer;
}

std::unique_ptr<Trainer> Trainer::create(const PlanFile &plan,
                                         unsigned threads,
                                         std::string &error) {
  ExecutionOptions options;
  options.threads = threads;
  return create(plan, options, error);
}

void Trainer::initParameters(uint64_t seed) {
  const Plan &plan = file.plan();
  if (plan.initializers())
    for (const Initializer *init : *plan.initializers()) {
      const Tensor *t = plan.tensors()->Get(init->tensor());
      InitSpec spec;
      spec.kind = static_cast<dlc::runtime::InitKind>(init->kind());
      spec.a = init->a();
      spec.b = init->b();
      std::vector<int64_t> shape = shapeOf(t);
      initParam(spec, shape.data(), shape.size(), seed, init->seed(),
                backend->parameterData(init->tensor()));
    }
  // Every Parameter has an initializer (PlanChecks): all were written.
  backend->pushParameters();
  resetVelocities();
}

void Trainer::resetVelocities() { backend->zeroVelocities(); }

std::vector<ParamTensor> Trainer::parameters() {
  backend->pullParameters();
  std::vector<ParamTensor> params;
  const Plan &plan = file.plan();
  for (int32_t i = 0; i < static_cast<int32_t>(plan.tensors()->size()); ++i) {
    const Tensor *t = plan.tensors()->Get(i);
    if (t->role() == Role::Parameter)
      params.push_back(
          {t->name()->str(), shapeOf(t), backend->parameterData(i)});
  }
  return params;
}

void Trainer::storeParameters() { backend->pushParameters(); }

bool Trainer::checkConfig(const TrainConfig &config,
                          std::string &error) const {
  if (!std::isfinite(config.lr) || !std::isfinite(config.weightDecay) ||
      !std::isfinite(config.momentum)) {
    error = "lr, weight decay and momentum must be finite";
    return false;
  }
  if (config.momentum != 0.0 && !file.plan().has_momentum_state()) {
    char value[32];
    std::snprintf(value, sizeof value, "%g", config.momentum);
    error = std::string("momentum ") + value + " requested but " +
            file.name() +
            " was compiled without momentum state; put momentum in the "
            "model's train line (sgd(..., momentum=...)) and recompile";
    return false;
  }
  return true;
}

bool Trainer::checkData(const Dataset &data, const std::string &dataName,
                        int64_t limitTrain, std::string &error) const {
  const Plan &plan = file.plan();
  int64_t expected = 1;
  for (int64_t d : *plan.image_shape())
    expected *= d;
  int64_t actual = data.trainImages.rows * data.trainImages.cols;
  if (actual != expected) {
    error = "image size mismatch: " + file.name() + " expects images of " +
            formatShape(plan.image_shape()) + " (" + std::to_string(expected) +
            " values) but " + dataName + " has " +
            std::to_string(data.trainImages.rows) + "x" +
            std::to_string(data.trainImages.cols) + " images (" +
            std::to_string(actual) + " values)";
    return false;
  }
  if (!checkLabels(data.trainLabels, plan.classes(),
                   dataName + "/train-labels-idx1-ubyte", error) ||
      !checkLabels(data.testLabels, plan.classes(), dataName + "/t10k-labels-idx1-ubyte",
                   error))
    return false;
  if (data.testImages.count == 0) {
    error = dataName + ": the test set is empty";
    return false;
  }
  int64_t batch = plan.batch();
  if (limitTrain != 0 && limitTrain < batch) {
    error = "--limit-train " + std::to_string(limitTrain) +
            " is less than one batch of " + std::to_string(batch);
    return false;
  }
  if (data.trainImages.count < batch) {
    error = dataName + ": the training set has " +
            std::to_string(data.trainImages.count) +
            " examples, fewer than one batch of " + std::to_string(batch);
    return false;
  }
  return true;
}

int64_t Trainer::batchesPerEpoch(const Dataset &data,
                                 int64_t limitTrain) const {
  int64_t count = data.trainImages.count;
  if (limitTrain > 0 && limitTrain < count)
    count = limitTrain;
  return count / file.plan().batch(); // the remainder is dropped
}

void Trainer::setProgress(ProgressCallback callback, double intervalSeconds) {
  progress = std::move(callback);
  progressInterval = intervalSeconds;
}

void Trainer::startPhase(StepProgress::Phase phase, int64_t total) {
  current = StepProgress();
  current.phase = phase;
  current.total = total;
}

void Trainer::stepDone(int64_t done, int64_t examples, double lossSum) {
  current.done = done;
  current.examples = examples;
  if (current.phase == StepProgress::Train)
    current.runningLoss = lossSum / static_cast<double>(done);
  report(current);
}

void Trainer::phaseDone(int64_t done, int64_t examples, double lossSum) {
  untilCheck = 1;
  stepDone(done, examples, lossSum);
}

void Trainer::report(StepProgress &p) {
  if (!progress || --untilCheck > 0)
    return;
  Clock::time_point now = Clock::now();
  // Read the clock about every 2-10 ms: often enough for a smooth bar,
  // rarely enough to cost nothing when steps take microseconds.
  double sinceCheck = secondsBetween(lastCheck, now);
  lastCheck = now;
  if (sinceCheck < 0.002 && checkStride < 4096)
    checkStride *= 2;
  else if (sinceCheck > 0.01 && checkStride > 1)
    checkStride /= 2;
  untilCheck = checkStride;
  if (secondsBetween(lastReport, now) < progressInterval)
    return;
  lastReport = now;
  p.phaseSeconds = secondsBetween(phaseStart, now);
  p.epochSeconds = secondsBetween(epochStart, now);
  progress(p);
}

EpochResult Trainer::runEpoch(const Dataset &data, int64_t epoch,
                              const TrainConfig &config) {
  Clock::time_point start = Clock::now();
  epochStart = phaseStart = lastReport = lastCheck = start;
  untilCheck = checkStride;
  int64_t batch = file.plan().batch();
  int64_t count = data.trainImages.count;
  if (config.limitTrain > 0 && config.limitTrain < count)
    count = config.limitTrain;
  std::vector<int64_t> order = shuffledOrder(count, config.seed, epoch);

  EpochResult result;
  result.batches = batchesPerEpoch(data, config.limitTrain);
  result.examples = result.batches * batch;
  startPhase(StepProgress::Train, result.batches);
  PhaseTotals train =
      backend->train(data.trainImages, data.trainLabels, order,
                     result.batches, config, listener(), nullptr);
  result.loss = train.lossSum / static_cast<double>(result.batches);
  result.trainAccuracy = static_cast<double>(train.correct) /
                         static_cast<double>(result.examples);
  Clock::time_point trained = Clock::now();
  result.trainSeconds = secondsBetween(start, trained);

  phaseStart = lastCheck = trained;
  untilCheck = checkStride;
  startPhase(StepProgress::Eval, (data.testImages.count + batch - 1) / batch);
  PhaseTotals test =
      backend->evaluate(data.testImages, data.testLabels, listener());
  double testCount = static_cast<double>(data.testImages.count);
  result.testLoss = test.lossSum / testCount;
  result.testAccuracy = static_cast<double>(test.correct) / testCount;
  result.seconds = secondsBetween(start, Clock::now());
  return result;
}

void Trainer::evaluate(const IdxImages &images, const IdxLabels &labels,
                       double &lossSum, int64_t &correct) {
  epochStart = phaseStart = lastReport = lastCheck = Clock::now();
  untilCheck = checkStride;
  int64_t batch = file.plan().batch();
  startPhase(StepProgress::Eval, (images.count + batch - 1) / batch);
  PhaseTotals totals = backend->evaluate(images, labels, listener());
  lossSum = totals.lossSum;
  correct = totals.correct;
}

std::vector<float> Trainer::stepLosses(const Dataset &data, int64_t steps,
                                       const TrainConfig &config) {
  int64_t count = data.trainImages.count;
  if (config.limitTrain > 0 && config.limitTrain < count)
    count = config.limitTrain;
  std::vector<int64_t> order = shuffledOrder(count, config.seed, 1);
  steps = std::min(steps, batchesPerEpoch(data, config.limitTrain));
  std::vector<float> losses;
  backend->train(data.trainImages, data.trainLabels, order, steps, config,
                 nullptr, &losses);
  return losses;
}

} // namespace runtime
} // namespace dlc
