//===- ReferenceTrainingTest.cpp - train mlp.dl with the reference --------===//
//
// The generated train_step of models/mlp.dl, run by the double-precision
// reference executor, actually learns: a few hundred SGD steps on real MNIST
// digits (DLC_TEST_DATA_DIR, 8000 train / 2000 test) bring the loss well
// down, and eval_step on the 2000 test digits (the last partial batch padded
// and masked by valid_rows) gives a test accuracy above 80%.
//
// Parameters start from each train_step argument's dl.init / dl.seed, as in
// the runtime. The initialisation seed and the shuffling come from a fresh
// seed per run (printed on failure; DLC_TEST_SEED=<n> replays one): the bars
// below hold with a wide margin for any seed.
//
//===----------------------------------------------------------------------===//

#include "TestModels.h"

#include "data/IdxReader.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <numeric>

using namespace dlc::test;
namespace rt = dlc::runtime;

namespace {

/// A batch of images as the model's input tensor (pixels / 255, the floats
/// the runtime feeds, widened to double) and its labels.
void gather(const rt::IdxImages &images, const rt::IdxLabels &labels,
            const int64_t *indices, int64_t n, const Shape &shape,
            Tensor &x, Tensor &y) {
  std::vector<float> pixels(size_t(n * images.rows * images.cols));
  rt::gatherImages(images, indices, n, pixels.data());
  x.shape = shape;
  x.data.assign(size_t(x.numElements()), 0.0);
  std::copy(pixels.begin(), pixels.end(), x.data.begin());
  y.shape = {shape[0]};
  y.data.assign(size_t(shape[0]), 0.0);
  for (int64_t i = 0; i < n; ++i)
    y.data[i] = labels.labels[size_t(indices[i])];
}

TEST(ReferenceTraining, MlpLearnsMnistDigits) {
  const std::string dir = DLC_TEST_DATA_DIR;
  if (!std::filesystem::is_directory(dir))
    GTEST_SKIP() << "no data directory " << dir
                 << " (set DLC_TEST_DATA_DIR when configuring)";
  rt::Dataset data;
  std::string error;
  ASSERT_TRUE(rt::loadDataset(dir, data, error)) << error;
  ASSERT_TRUE(rt::checkLabels(data.trainLabels, 10, dir, error)) << error;
  ASSERT_TRUE(rt::checkLabels(data.testLabels, 10, dir, error)) << error;

  Rng rng;
  SCOPED_TRACE(rng.trace());

  // Batch 64 keeps the double-precision reference quick (~15-30 ms a step);
  // the model's own hyperparameters (lr = 0.5, no weight decay or momentum)
  // are used as they are: lr 0.5 is stable at that batch size.
  const int64_t batch = 64, steps = 300, window = 50;
  auto model = compileModelFile(std::string(DLC_MODELS_DIR) + "/mlp.dl", batch);
  ASSERT_TRUE(model);
  ASSERT_FALSE(model->hasVelocities);
  ASSERT_EQ(model->inputShape, (Shape{batch, 1, 28, 28}));
  ASSERT_EQ(data.trainImages.rows * data.trainImages.cols, 784);

  std::vector<Tensor> params = model->initialParams(rng.engine());
  for (size_t i = 0; i < params.size(); ++i)
    ASSERT_EQ(params[i].shape, model->params[i].shape)
        << "no initial value for " << model->params[i].name;

  auto start = std::chrono::steady_clock::now();
  std::vector<int64_t> order(size_t(data.trainImages.count));
  std::iota(order.begin(), order.end(), int64_t(0));
  size_t next = order.size(); // reshuffle on first use
  std::vector<double> losses;
  Tensor x, y;
  for (int64_t step = 0; step < steps; ++step) {
    if (next + size_t(batch) > order.size()) {
      std::shuffle(order.begin(), order.end(), rng.engine);
      next = 0;
    }
    gather(data.trainImages, data.trainLabels, &order[next], batch,
           model->inputShape, x, y);
    next += size_t(batch);
    auto r = model->train(params, {}, x, y, model->lr, model->weightDecay,
                          model->momentum);
    ASSERT_TRUE(r) << "at step " << step;
    ASSERT_TRUE(std::isfinite(r->loss)) << "diverged at step " << step;
    losses.push_back(r->loss);
    params = std::move(r->params);
  }
  double first = std::accumulate(losses.begin(), losses.begin() + window, 0.0) /
                 window;
  double last = std::accumulate(losses.end() - window, losses.end(), 0.0) /
                window;
  // From ln 10 = 2.30 at the start, the first 50 steps typically average
  // ~1.2 and the last 50 ~0.2 (test accuracy ~93%); require the last 50 to
  // average less than half the first 50.
  EXPECT_LT(last, 0.5 * first) << "mean loss of the first " << window
                               << " steps " << first << ", of the last "
                               << last;

  // The whole test set through eval_step: full batches and a last partial
  // one (2000 = 31 * 64 + 16) padded with the first test images.
  int64_t count = data.testImages.count;
  double lossSum = 0, correct = 0;
  std::vector<int64_t> indices(static_cast<size_t>(batch));
  for (int64_t begin = 0; begin < count; begin += batch) {
    int64_t valid = std::min(batch, count - begin);
    for (int64_t i = 0; i < batch; ++i)
      indices[size_t(i)] = i < valid ? begin + i : i - valid;
    gather(data.testImages, data.testLabels, indices.data(), batch,
           model->inputShape, x, y);
    auto e = model->eval(params, x, y, valid);
    ASSERT_TRUE(e);
    lossSum += e->lossSum;
    correct += e->correct;
  }
  double accuracy = correct / double(count);
  double seconds = std::chrono::duration<double>(
                       std::chrono::steady_clock::now() - start)
                       .count();
  ::testing::Test::RecordProperty("first_loss", std::to_string(first));
  ::testing::Test::RecordProperty("last_loss", std::to_string(last));
  ::testing::Test::RecordProperty("test_loss",
                                  std::to_string(lossSum / double(count)));
  ::testing::Test::RecordProperty("test_accuracy", std::to_string(accuracy));
  ::testing::Test::RecordProperty("seconds", std::to_string(seconds));
  std::printf("lr %g, batch %d, %d steps. loss: first %d steps %.4f, last %d "
              "steps %.4f; test loss %.4f, accuracy %.4f (%d/%d); %.1f s\n",
              model->lr, int(batch), int(steps), int(window), first,
              int(window), last, lossSum / double(count),
              accuracy, int(correct), int(count), seconds);
  EXPECT_GT(accuracy, 0.80) << "test accuracy " << correct << "/" << count;
}

} // namespace
