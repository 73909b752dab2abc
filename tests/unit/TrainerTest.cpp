//===- TrainerTest.cpp - the training loop on toy plans -------------------===//

#include "AllocationCounter.h"
#include "ToyPlan.h"

#include "init/ParamInit.h"
#include "plan/PlanFile.h"
#include "train/Trainer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <filesystem>

using namespace dlc;
using namespace dlc::runtime;
using namespace dlc::test;

namespace {

std::unique_ptr<PlanFile> loadSpec(const PlanSpec &spec) {
  std::string error;
  auto plan = PlanFile::loadBytes(buildPlanFile(spec), "toy.plan", error);
  EXPECT_NE(plan, nullptr) << error;
  return plan;
}

std::unique_ptr<Trainer> makeTrainer(const PlanFile &plan, unsigned threads) {
  std::string error;
  auto trainer = Trainer::create(plan, threads, error);
  EXPECT_NE(trainer, nullptr) << error;
  return trainer;
}

Dataset smallData() { return makeSeparableData(4, 4, 3, 484, 101, 42); }

TEST(Trainer, ShuffleIsAPermutationAndDeterministic) {
  std::vector<int64_t> a = shuffledOrder(1000, 5, 1);
  EXPECT_EQ(a, shuffledOrder(1000, 5, 1));
  EXPECT_NE(a, shuffledOrder(1000, 5, 2));
  EXPECT_NE(a, shuffledOrder(1000, 6, 1));
  std::vector<int64_t> sorted = a;
  std::sort(sorted.begin(), sorted.end());
  for (int64_t i = 0; i < 1000; ++i)
    ASSERT_EQ(sorted[i], i);
  // Pinned: the order is part of what makes runs reproducible everywhere.
  EXPECT_EQ(shuffledOrder(8, 0, 1), (std::vector<int64_t>{0, 1, 7, 2, 5, 6, 3, 4}));
}

TEST(Trainer, InitFollowsParamInit) {
  PlanSpec spec = makeToyPlan(ToySize::Small);
  auto plan = loadSpec(spec);
  auto trainer = makeTrainer(*plan, 1);
  trainer->initParameters(1234);
  std::vector<ParamTensor> params = trainer->parameters();
  ASSERT_EQ(params.size(), 2u);
  EXPECT_EQ(params[0].name, "dense.w");
  InitSpec normal{dlc::runtime::InitKind::Normal, 0.0, 0.01};
  std::vector<float> expected = initParam(normal, {16, 3}, 1234, 11);
  EXPECT_EQ(0, std::memcmp(expected.data(), params[0].data, 48 * 4));
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(params[1].data[i], 0.0f);
}

TEST(Trainer, LossFallsOnSeparableData) {
  auto plan = loadSpec(makeToyPlan(ToySize::Small));
  auto trainer = makeTrainer(*plan, 2);
  Dataset data = smallData();
  std::string error;
  ASSERT_TRUE(trainer->checkData(data, "synthetic", 0, error)) << error;
  trainer->initParameters(0);
  TrainConfig config;
  config.lr = 0.5;
  std::vector<EpochResult> results;
  for (int epoch = 1; epoch <= 5; ++epoch) // 5 x 60 steps
    results.push_back(trainer->runEpoch(data, epoch, config));
  EXPECT_EQ(results[0].batches, 60); // 484 / 8, the remainder dropped
  EXPECT_GT(results[0].loss, results.back().loss);
  EXPECT_LT(results.back().loss, 0.2);
  EXPECT_GT(results.back().trainAccuracy, 0.95);
  EXPECT_GT(results.back().testAccuracy, 0.95);
  EXPECT_LT(results.back().testLoss, 0.2);
}

// A train step allocates nothing: an epoch of 60 steps makes as many heap
// allocations (the shuffle, the evaluation's order) as one of 10.
TEST(Trainer, StepsAllocateNothing) {
  auto plan = loadSpec(makeToyPlan(ToySize::Small));
  auto trainer = makeTrainer(*plan, 2);
  Dataset data = smallData();
  trainer->initParameters(0);
  TrainConfig config;
  config.lr = 0.5;
  auto allocationsPerEpoch = [&](int64_t examples) {
    config.limitTrain = examples;
    long before = allocationCount();
    EpochResult r = trainer->runEpoch(data, 1, config);
    EXPECT_EQ(r.batches, examples / 8);
    return allocationCount() - before;
  };
  allocationsPerEpoch(80); // first-use allocations
  long ten = allocationsPerEpoch(80);
  long sixty = allocationsPerEpoch(480);
  EXPECT_EQ(ten, sixty);
}

// Evaluation must see every test example once, padding masked.
TEST(Trainer, EvaluationMatchesADirectComputation) {
  auto plan = loadSpec(makeToyPlan(ToySize::Small));
  auto trainer = makeTrainer(*plan, 2);
  Dataset data = smallData();
  trainer->initParameters(3);
  TrainConfig config;
  config.lr = 0.1;
  trainer->runEpoch(data, 1, config);
  std::vector<ParamTensor> p = trainer->parameters();
  double lossSum = 0;
  int64_t correct = 0;
  for (int64_t i = 0; i < data.testImages.count; ++i) {
    double z[3];
    for (int c = 0; c < 3; ++c) {
      z[c] = p[1].data[c];
      for (int d = 0; d < 16; ++d)
        z[c] += data.testImages.pixels[i * 16 + d] / 255.0 *
                p[0].data[d * 3 + c];
    }
    int label = data.testLabels.labels[i];
    int best = 0;
    for (int c = 1; c < 3; ++c)
      if (z[c] > z[best])
        best = c;
    double sum = 0;
    for (int c = 0; c < 3; ++c)
      sum += std::exp(z[c] - z[best]);
    lossSum += std::log(sum) + z[best] - z[label];
    correct += best == label;
  }
  double gotLoss;
  int64_t gotCorrect;
  trainer->evaluate(data.testImages, data.testLabels, gotLoss, gotCorrect);
  EXPECT_EQ(gotCorrect, correct);
  EXPECT_NEAR(gotLoss, lossSum, 1e-3 * std::max(1.0, lossSum));
}

std::vector<EpochResult> trainWith(unsigned threads, const PlanSpec &spec,
                                   std::vector<float> &finalParams) {
  auto plan = loadSpec(spec);
  auto trainer = makeTrainer(*plan, threads);
  Dataset data = smallData();
  trainer->initParameters(7);
  TrainConfig config;
  config.lr = 0.3;
  config.momentum = 0.9;
  config.weightDecay = 1e-3;
  config.seed = 7;
  std::vector<EpochResult> results;
  for (int epoch = 1; epoch <= 3; ++epoch)
    results.push_back(trainer->runEpoch(data, epoch, config));
  finalParams.clear();
  for (const ParamTensor &t : trainer->parameters()) {
    size_t n = 1;
    for (int64_t d : t.shape)
      n *= d;
    finalParams.insert(finalParams.end(), t.data, t.data + n);
  }
  return results;
}

TEST(Trainer, SameResultsWithAnyThreadCount) {
  PlanSpec spec = makeToyPlan(ToySize::Small);
  std::vector<float> p1, p2, p3;
  auto r1 = trainWith(1, spec, p1);
  auto r2 = trainWith(2, spec, p2);
  auto r3 = trainWith(3, spec, p3);
  for (size_t e = 0; e < r1.size(); ++e) {
    EXPECT_EQ(r1[e].loss, r2[e].loss);
    EXPECT_EQ(r1[e].loss, r3[e].loss);
    EXPECT_EQ(r1[e].trainAccuracy, r2[e].trainAccuracy);
    EXPECT_EQ(r1[e].testLoss, r2[e].testLoss);
    EXPECT_EQ(r1[e].testAccuracy, r3[e].testAccuracy);
  }
  EXPECT_EQ(p1, p2);
  EXPECT_EQ(p1, p3);
}

TEST(Trainer, MomentumNeedsMomentumState) {
  PlanSpec spec = makeToyPlan(ToySize::Small);
  spec.hasMomentumState = false;
  auto plan = loadSpec(spec);
  auto trainer = makeTrainer(*plan, 1);
  TrainConfig config;
  config.momentum = 0.9;
  std::string error;
  EXPECT_FALSE(trainer->checkConfig(config, error));
  EXPECT_TRUE(contains(error, "compiled without momentum state; put "
                              "momentum in the model's train line"));
  EXPECT_TRUE(contains(error, "recompile"));
  config.momentum = 0.0;
  EXPECT_TRUE(trainer->checkConfig(config, error));
}

TEST(Trainer, DataChecks) {
  auto plan = loadSpec(makeToyPlan(ToySize::Small));
  auto trainer = makeTrainer(*plan, 1);
  std::string error;

  Dataset wrongSize = makeSeparableData(5, 5, 3, 64, 16, 1);
  EXPECT_FALSE(trainer->checkData(wrongSize, "data-dir", 0, error));
  EXPECT_TRUE(contains(error, "[4, 4] (16 values)"));
  EXPECT_TRUE(contains(error, "data-dir has 5x5 images (25 values)"));

  Dataset tooManyClasses = makeSeparableData(4, 4, 4, 64, 16, 1);
  EXPECT_FALSE(trainer->checkData(tooManyClasses, "data-dir", 0, error));
  EXPECT_TRUE(contains(error, "data-dir/"));

  Dataset noTest = makeSeparableData(4, 4, 3, 64, 0, 1);
  EXPECT_FALSE(trainer->checkData(noTest, "data-dir", 0, error));
  EXPECT_TRUE(contains(error, "test set is empty"));

  Dataset ok = makeSeparableData(4, 4, 3, 64, 16, 1);
  EXPECT_TRUE(trainer->checkData(ok, "data-dir", 0, error)) << error;
  EXPECT_FALSE(trainer->checkData(ok, "data-dir", 7, error));
  EXPECT_TRUE(contains(error, "--limit-train 7 is less than one batch of 8"));
  EXPECT_TRUE(trainer->checkData(ok, "data-dir", 8, error));

  Dataset tiny = makeSeparableData(4, 4, 3, 5, 16, 1);
  EXPECT_FALSE(trainer->checkData(tiny, "data-dir", 0, error));
  EXPECT_TRUE(contains(error, "fewer than one batch of 8"));
}

TEST(Trainer, LimitTrainUsesTheFirstExamples) {
  auto plan = loadSpec(makeToyPlan(ToySize::Small));
  auto trainer = makeTrainer(*plan, 1);
  Dataset data = smallData();
  trainer->initParameters(0);
  TrainConfig config;
  config.lr = 0.1;
  config.limitTrain = 20;
  EXPECT_EQ(trainer->runEpoch(data, 1, config).batches, 2);
}

TEST(Trainer, EpochTimesAndThroughput) {
  auto plan = loadSpec(makeToyPlan(ToySize::Small));
  auto trainer = makeTrainer(*plan, 1);
  Dataset data = smallData();
  trainer->initParameters(0);
  TrainConfig config;
  config.lr = 0.1;
  EpochResult r = trainer->runEpoch(data, 1, config);
  EXPECT_EQ(r.examples, 480); // 60 full batches of 8
  EXPECT_GT(r.trainSeconds, 0.0);
  EXPECT_LE(r.trainSeconds, r.seconds);
  EXPECT_DOUBLE_EQ(r.examplesPerSecond(), 480 / r.trainSeconds);
}

TEST(Trainer, ProgressIsReportedThrottled) {
  auto plan = loadSpec(makeToyPlan(ToySize::Small));
  auto trainer = makeTrainer(*plan, 1);
  Dataset data = smallData();
  trainer->initParameters(0);
  TrainConfig config;
  config.lr = 0.1;

  // An interval no epoch reaches: never called.
  int calls = 0;
  trainer->setProgress([&](const StepProgress &) { ++calls; }, 1e9);
  trainer->runEpoch(data, 1, config);
  EXPECT_EQ(calls, 0);

  // No interval: called whenever the clock is read (every few steps), with
  // consistent counts.
  std::vector<StepProgress> seen;
  trainer->setProgress([&](const StepProgress &p) { seen.push_back(p); }, 0);
  EpochResult r = trainer->runEpoch(data, 2, config);
  ASSERT_FALSE(seen.empty());
  EXPECT_EQ(seen[0].phase, StepProgress::Train);
  int64_t lastDone = 0;
  StepProgress::Phase lastPhase = StepProgress::Train;
  for (const StepProgress &p : seen) {
    if (p.phase != lastPhase) {
      EXPECT_EQ(p.phase, StepProgress::Eval);
      lastPhase = p.phase;
      lastDone = 0;
    }
    EXPECT_GT(p.done, lastDone);
    lastDone = p.done;
    EXPECT_LE(p.done, p.total);
    EXPECT_EQ(p.total, p.phase == StepProgress::Train ? 60 : 13);
    EXPECT_LE(p.phaseSeconds, p.epochSeconds);
    EXPECT_LE(p.epochSeconds, r.seconds);
    if (p.phase == StepProgress::Train) {
      EXPECT_EQ(p.examples, p.done * 8);
      EXPECT_TRUE(std::isfinite(p.runningLoss));
      EXPECT_GT(p.runningLoss, 0.0);
    } else {
      EXPECT_EQ(p.examples, std::min<int64_t>(p.done * 8, 101));
    }
  }

  // Turned off again.
  trainer->setProgress(nullptr);
  size_t before = seen.size();
  trainer->runEpoch(data, 3, config);
  EXPECT_EQ(seen.size(), before);
}

TEST(Trainer, RealDigits) {
  std::string dir = DLC_TEST_DATA_DIR;
  if (!std::filesystem::exists(dir + "/train-images-idx3-ubyte.gz"))
    GTEST_SKIP() << dir << " not present";
  Dataset data;
  std::string error;
  ASSERT_TRUE(loadDataset(dir, data, error)) << error;
  auto plan = loadSpec(makeToyPlan(ToySize::Mnist));
  auto trainer = makeTrainer(*plan, 2);
  ASSERT_TRUE(trainer->checkData(data, dir, 0, error)) << error;
  trainer->initParameters(0);
  TrainConfig config;
  config.lr = 0.5;
  EpochResult r = trainer->runEpoch(data, 1, config);
  EXPECT_EQ(r.batches, 8000 / 64);
  EXPECT_GT(r.testAccuracy, 0.85);
  EXPECT_LT(r.testLoss, r.loss * 1.5);
}

} // namespace
