//===- Trainer.cpp - the training loop of dlrun ---------------------------===//

#include "train/Trainer.h"

#include "init/ParamInit.h"
#include "plan/PlanChecks.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <random>

namespace dlc {
namespace runtime {

using namespace dlc::plan;

namespace {
// Uniform in [0, bound) by rejection, so it does not depend on the standard
// library's distribution implementation.
uint64_t drawBelow(std::mt19937_64 &rng, uint64_t bound) {
  uint64_t threshold = (0 - bound) % bound; // 2^64 mod bound
  for (;;) {
    uint64_t r = rng();
    if (r >= threshold)
      return r % bound;
  }
}

std::vector<int64_t> shapeOf(const Tensor *t) {
  std::vector<int64_t> shape;
  if (t->shape())
    shape.assign(t->shape()->begin(), t->shape()->end());
  return shape;
}
} // namespace

std::vector<int64_t> shuffledOrder(int64_t count, uint64_t seed,
                                   int64_t epoch) {
  std::vector<int64_t> order(count);
  for (int64_t i = 0; i < count; ++i)
    order[i] = i;
  std::mt19937_64 rng(
      mixSeeds(mixSeeds(seed, ShuffleSeedTag), static_cast<uint64_t>(epoch)));
  for (int64_t i = count - 1; i > 0; --i)
    std::swap(order[i], order[drawBelow(rng, static_cast<uint64_t>(i) + 1)]);
  return order;
}

std::unique_ptr<Trainer> Trainer::create(const PlanFile &plan,
                                         unsigned threads,
                                         std::string &error) {
  std::unique_ptr<Trainer> trainer(new Trainer(plan));
  trainer->exec = StepExecutor::create(plan, threads, error);
  if (!trainer->exec)
    return nullptr;
  trainer->batchIndices.resize(plan.plan().batch());
  return trainer;
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
                exec->tensor<float>(init->tensor()));
    }
  resetVelocities();
}

void Trainer::resetVelocities() {
  const Plan &plan = file.plan();
  for (int32_t i = 0; i < static_cast<int32_t>(plan.tensors()->size()); ++i) {
    const Tensor *t = plan.tensors()->Get(i);
    if (t->role() == Role::Velocity)
      std::memset(exec->tensorData(i), 0, static_cast<size_t>(t->size()));
  }
}

std::vector<ParamTensor> Trainer::parameters() const {
  std::vector<ParamTensor> params;
  const Plan &plan = file.plan();
  for (int32_t i = 0; i < static_cast<int32_t>(plan.tensors()->size()); ++i) {
    const Tensor *t = plan.tensors()->Get(i);
    if (t->role() == Role::Parameter)
      params.push_back({t->name()->str(), shapeOf(t), exec->tensor<float>(i)});
  }
  return params;
}

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

void Trainer::loadBatch(const IdxImages &images, const IdxLabels &labels,
                        const int64_t *indices) {
  const Plan &plan = file.plan();
  int64_t batch = plan.batch();
  gatherImages(images, indices, batch, exec->tensor<float>(plan.image()));
  int32_t *dst = exec->tensor<int32_t>(plan.label());
  for (int64_t i = 0; i < batch; ++i)
    dst[i] = static_cast<int32_t>(labels.labels[indices[i]]);
}

void Trainer::setHyper(const TrainConfig &config) {
  const Plan &plan = file.plan();
  *exec->tensor<float>(plan.lr()) = static_cast<float>(config.lr);
  *exec->tensor<float>(plan.weight_decay()) =
      static_cast<float>(config.weightDecay);
  if (plan.momentum() >= 0)
    *exec->tensor<float>(plan.momentum()) =
        static_cast<float>(config.momentum);
  *exec->tensor<int32_t>(plan.valid_rows()) =
      static_cast<int32_t>(plan.batch());
}

void Trainer::setProgress(ProgressCallback callback, double intervalSeconds) {
  progress = std::move(callback);
  progressInterval = intervalSeconds;
}

namespace {
double secondsBetween(std::chrono::steady_clock::time_point a,
                      std::chrono::steady_clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}
} // namespace

void Trainer::stepDone(StepProgress &p) {
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
  const Plan &plan = file.plan();
  int64_t batch = plan.batch();
  int64_t count = data.trainImages.count;
  if (config.limitTrain > 0 && config.limitTrain < count)
    count = config.limitTrain;
  std::vector<int64_t> order = shuffledOrder(count, config.seed, epoch);

  EpochResult result;
  result.batches = count / batch; // the remainder is dropped
  result.examples = result.batches * batch;
  double lossSum = 0.0;
  int64_t correct = 0;
  StepProgress p;
  p.phase = StepProgress::Train;
  p.total = result.batches;
  for (int64_t b = 0; b < result.batches; ++b) {
    loadBatch(data.trainImages, data.trainLabels, order.data() + b * batch);
    // Hyper slots are rewritten each step: nothing guarantees a kernel
    // leaves them alone.
    setHyper(config);
    exec->runTrainStep();
    lossSum += *exec->tensor<float>(plan.train_loss());
    correct += *exec->tensor<int32_t>(plan.train_correct());
    if (progress) {
      p.done = b + 1;
      p.examples = p.done * batch;
      p.runningLoss = lossSum / static_cast<double>(p.done);
      stepDone(p);
    }
  }
  result.loss = lossSum / static_cast<double>(result.batches);
  result.trainAccuracy =
      static_cast<double>(correct) / static_cast<double>(result.examples);
  Clock::time_point trained = Clock::now();
  result.trainSeconds = secondsBetween(start, trained);

  double testLoss = 0.0;
  int64_t testCorrect = 0;
  phaseStart = lastCheck = trained;
  untilCheck = checkStride;
  evaluateSteps(data.testImages, data.testLabels, testLoss, testCorrect);
  double testCount = static_cast<double>(data.testImages.count);
  result.testLoss = testLoss / testCount;
  result.testAccuracy = static_cast<double>(testCorrect) / testCount;
  result.seconds = secondsBetween(start, Clock::now());
  return result;
}

void Trainer::evaluate(const IdxImages &images, const IdxLabels &labels,
                       double &lossSum, int64_t &correct) {
  epochStart = phaseStart = lastReport = lastCheck = Clock::now();
  untilCheck = checkStride;
  evaluateSteps(images, labels, lossSum, correct);
}

void Trainer::evaluateSteps(const IdxImages &images, const IdxLabels &labels,
                            double &lossSum, int64_t &correct) {
  const Plan &plan = file.plan();
  int64_t batch = plan.batch();
  lossSum = 0.0;
  correct = 0;
  StepProgress p;
  p.phase = StepProgress::Eval;
  p.total = (images.count + batch - 1) / batch;
  for (int64_t start = 0; start < images.count; start += batch) {
    int64_t rows = std::min(batch, images.count - start);
    // Padding rows repeat the batch's first row; valid_rows masks them.
    for (int64_t i = 0; i < batch; ++i)
      batchIndices[i] = start + (i < rows ? i : 0);
    loadBatch(images, labels, batchIndices.data());
    *exec->tensor<int32_t>(plan.valid_rows()) = static_cast<int32_t>(rows);
    exec->runEvalStep();
    lossSum += *exec->tensor<float>(plan.eval_loss());
    correct += *exec->tensor<int32_t>(plan.eval_correct());
    if (progress) {
      ++p.done;
      p.examples = start + rows;
      stepDone(p);
    }
  }
}

} // namespace runtime
} // namespace dlc
