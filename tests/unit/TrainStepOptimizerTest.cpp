//===- TrainStepOptimizerTest.cpp - SGD, momentum and eval masking --------===//
//
// The optimizer half of the generated training step, run through the
// reference executor against values computed here by hand:
//
//  * a tiny model (dense 2 -> 2 + softmax_ce, batch 2) whose loss, correct
//    count and gradient are written out in this file;
//  * plain SGD with weight decay, w' = w - lr (g + wd w), and SGD with
//    momentum, v' = mu v + g + wd w, w' = w - lr v', over 3 consecutive
//    steps threading parameters and velocities through train_step;
//  * velocity arguments exist exactly when the train line has momentum != 0;
//  * eval_step's masking: at batch B with valid_rows = k it gives the same
//    loss_sum and correct count as the model at batch k on the first k rows.
//
// Every comparison is between double-precision computations of the same
// formula (only the summation order may differ), so values must agree to
// 1e-12 relative (with an absolute floor of 1e-12); counts exactly.
//
// Random data comes from a fresh seed per test, printed on failure; set
// DLC_TEST_SEED=<n> to replay one.
//
//===----------------------------------------------------------------------===//

#include "TestModels.h"

#include <cmath>

using namespace dlc::test;
namespace dl = dlc::dl;

namespace {

/// |a - b| <= 1e-12 max(1, |a|, |b|): double-precision results of the same
/// formula.
void expectClose(double actual, double expected, const std::string &what) {
  double tol = 1e-12 * std::max({1.0, std::fabs(actual), std::fabs(expected)});
  EXPECT_NEAR(actual, expected, tol) << what;
}

void expectTensorsClose(const Tensor &actual, const Tensor &expected,
                        const std::string &what) {
  ASSERT_EQ(actual.shape, expected.shape) << what;
  ASSERT_EQ(actual.data.size(), expected.data.size()) << what;
  for (size_t i = 0; i < actual.data.size(); ++i)
    expectClose(actual.data[i], expected.data[i],
                what + " at flat index " + std::to_string(i));
}

//===----------------------------------------------------------------------===//
// The tiny model and its gradient by hand
//===----------------------------------------------------------------------===//

std::string tinyModel(const std::string &train) {
  return "model tiny\n"
         "input image: f32[2, 2]\n"
         "label label: i32[2] classes 2\n"
         "logits = dense(image, 2)\n"
         "loss = softmax_ce(logits, label)\n" +
         train + "\n";
}

/// logits = x W + b, mean softmax cross-entropy, first-arg-max accuracy and
/// the gradient dL/dz = (softmax(z) - onehot(y)) / N, dW = x^T dz,
/// db = sum over rows of dz.
struct Hand {
  double loss = 0, correct = 0;
  Tensor dW, db;
};

Hand handTiny(const Tensor &w, const Tensor &b, const Tensor &x,
              const Tensor &y) {
  const int64_t n = x.shape[0], in = w.shape[0], out = w.shape[1];
  Hand h;
  h.dW = zerosLike(w);
  h.db = zerosLike(b);
  for (int64_t i = 0; i < n; ++i) {
    std::vector<double> z(out);
    for (int64_t u = 0; u < out; ++u) {
      z[u] = b.data[u];
      for (int64_t k = 0; k < in; ++k)
        z[u] += x.data[i * in + k] * w.data[k * out + u];
    }
    int64_t label = int64_t(y.data[i]);
    double zmax = *std::max_element(z.begin(), z.end());
    double sum = 0;
    for (double v : z)
      sum += std::exp(v - zmax);
    h.loss += zmax + std::log(sum) - z[label];
    int64_t arg = std::max_element(z.begin(), z.end()) - z.begin();
    h.correct += arg == label;
    for (int64_t u = 0; u < out; ++u) {
      double dz = (std::exp(z[u] - zmax) / sum - (u == label)) / double(n);
      h.db.data[u] += dz;
      for (int64_t k = 0; k < in; ++k)
        h.dW.data[k * out + u] += x.data[i * in + k] * dz;
    }
  }
  h.loss /= double(n);
  return h;
}

/// Parameters in train_step order: dense1.weight, dense1.bias.
std::vector<Tensor> handGradient(const std::vector<Tensor> &params,
                                 const Tensor &x, const Tensor &y) {
  Hand h = handTiny(params[0], params[1], x, y);
  return {h.dW, h.db};
}

TEST(TinyModel, LossCorrectAndGradientByHand) {
  Rng rng;
  SCOPED_TRACE(rng.trace());
  auto model = compileModelText(tinyModel("train sgd(lr=0.1)"));
  ASSERT_TRUE(model);
  ASSERT_EQ(model->numParams(), 2u);
  EXPECT_EQ(model->params[0].name, "dense1.weight");
  EXPECT_EQ(model->params[1].name, "dense1.bias");
  for (int trial = 0; trial < 5; ++trial) {
    std::vector<Tensor> params = {rng.tensor({2, 2}, -2, 2),
                                  rng.tensor({2}, -1, 1)};
    Tensor x = rng.tensor({2, 2}, -2, 2), y = model->randomLabels(rng);
    Hand h = handTiny(params[0], params[1], x, y);
    double loss = NAN;
    auto grads = model->gradient(params, x, y, &loss);
    ASSERT_TRUE(grads);
    expectClose(loss, h.loss, "loss");
    expectTensorsClose((*grads)[0], h.dW, "dW");
    expectTensorsClose((*grads)[1], h.db, "db");
    auto r = model->train(params, {}, x, y, 0.1, 0.0, 0.0);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->correct, h.correct);
    auto e = model->eval(params, x, y, 2);
    ASSERT_TRUE(e);
    expectClose(e->lossSum, 2 * h.loss, "eval loss_sum");
    EXPECT_EQ(e->correct, h.correct);
  }
}

//===----------------------------------------------------------------------===//
// SGD with weight decay, and with momentum
//===----------------------------------------------------------------------===//

TEST(SGD, WeightDecayOverThreeSteps) {
  Rng rng;
  SCOPED_TRACE(rng.trace());
  auto model = compileModelText(tinyModel("train sgd(lr=0.1, weight_decay=0.01)"));
  ASSERT_TRUE(model);
  ASSERT_FALSE(model->hasVelocities);
  // Runtime hyperparameters override the train line's: random ones, all
  // different, so a swapped operand shows.
  double lr = rng.uniform(0.05, 1.0), wd = rng.uniform(0.001, 0.2);
  std::vector<Tensor> params = {rng.tensor({2, 2}), rng.tensor({2})};
  for (int step = 0; step < 3; ++step) {
    SCOPED_TRACE("step " + std::to_string(step));
    Tensor x = rng.tensor({2, 2}, -2, 2), y = model->randomLabels(rng);
    std::vector<Tensor> g = handGradient(params, x, y);
    // A momentum operand must change nothing without velocities.
    auto r = model->train(params, {}, x, y, lr, wd, rng.uniform(0.1, 0.99));
    ASSERT_TRUE(r);
    ASSERT_TRUE(r->velocities.empty());
    for (size_t p = 0; p < params.size(); ++p) {
      Tensor expected = params[p];
      for (size_t i = 0; i < expected.data.size(); ++i)
        expected.data[i] -= lr * (g[p].data[i] + wd * params[p].data[i]);
      expectTensorsClose(r->params[p], expected, model->params[p].name);
    }
    params = r->params;
  }
}

TEST(SGD, ZeroLearningRateLeavesParameters) {
  Rng rng;
  SCOPED_TRACE(rng.trace());
  auto model = compileModelText(tinyModel("train sgd(lr=0.1)"));
  ASSERT_TRUE(model);
  std::vector<Tensor> params = {rng.tensor({2, 2}), rng.tensor({2})};
  auto r = model->train(params, {}, rng.tensor({2, 2}),
                        model->randomLabels(rng), 0.0, 0.5, 0.0);
  ASSERT_TRUE(r);
  for (size_t p = 0; p < params.size(); ++p)
    EXPECT_EQ(r->params[p].data, params[p].data);
}

TEST(SGD, MomentumOverThreeSteps) {
  Rng rng;
  SCOPED_TRACE(rng.trace());
  auto model = compileModelText(
      tinyModel("train sgd(lr=0.1, weight_decay=0.001, momentum=0.9)"));
  ASSERT_TRUE(model);
  ASSERT_TRUE(model->hasVelocities);
  EXPECT_EQ(model->momentum, 0.9);
  double lr = rng.uniform(0.05, 0.5), wd = rng.uniform(0.001, 0.2),
         mu = model->momentum;
  std::vector<Tensor> params = {rng.tensor({2, 2}), rng.tensor({2})};
  // Velocities start at zero, as in the runtime.
  std::vector<Tensor> velocities = {zerosLike(params[0]), zerosLike(params[1])};
  for (int step = 0; step < 3; ++step) {
    SCOPED_TRACE("step " + std::to_string(step));
    Tensor x = rng.tensor({2, 2}, -2, 2), y = model->randomLabels(rng);
    std::vector<Tensor> g = handGradient(params, x, y);
    auto r = model->train(params, velocities, x, y, lr, wd, mu);
    ASSERT_TRUE(r);
    ASSERT_EQ(r->velocities.size(), params.size());
    for (size_t p = 0; p < params.size(); ++p) {
      Tensor v = velocities[p], w = params[p];
      for (size_t i = 0; i < v.data.size(); ++i) {
        v.data[i] = mu * velocities[p].data[i] + g[p].data[i] +
                    wd * params[p].data[i];
        w.data[i] = params[p].data[i] - lr * v.data[i];
      }
      expectTensorsClose(r->velocities[p], v,
                         model->params[p].name + " velocity");
      expectTensorsClose(r->params[p], w, model->params[p].name);
    }
    params = r->params;
    velocities = r->velocities;
  }
}

TEST(SGD, MomentumFromNonZeroVelocity) {
  // A runtime momentum other than the train line's, and a velocity carried
  // over from earlier training.
  Rng rng;
  SCOPED_TRACE(rng.trace());
  auto model = compileModelText(tinyModel("train sgd(lr=0.1, momentum=0.5)"));
  ASSERT_TRUE(model);
  ASSERT_TRUE(model->hasVelocities);
  double lr = rng.uniform(0.05, 0.5), wd = rng.uniform(0.0, 0.2),
         mu = rng.uniform(0.1, 0.99);
  std::vector<Tensor> params = {rng.tensor({2, 2}), rng.tensor({2})};
  std::vector<Tensor> velocities = {rng.tensor({2, 2}), rng.tensor({2})};
  Tensor x = rng.tensor({2, 2}, -2, 2), y = model->randomLabels(rng);
  std::vector<Tensor> g = handGradient(params, x, y);
  auto r = model->train(params, velocities, x, y, lr, wd, mu);
  ASSERT_TRUE(r);
  for (size_t p = 0; p < params.size(); ++p) {
    Tensor v = velocities[p], w = params[p];
    for (size_t i = 0; i < v.data.size(); ++i) {
      v.data[i] = mu * velocities[p].data[i] + g[p].data[i] +
                  wd * params[p].data[i];
      w.data[i] = params[p].data[i] - lr * v.data[i];
    }
    expectTensorsClose(r->velocities[p], v, model->params[p].name + " velocity");
    expectTensorsClose(r->params[p], w, model->params[p].name);
  }
}

//===----------------------------------------------------------------------===//
// Signatures
//===----------------------------------------------------------------------===//

/// The dl.hyper names of a function's trailing scalar arguments.
std::vector<std::string> hyperNames(mlir::func::FuncOp func) {
  std::vector<std::string> names;
  for (unsigned i = 0; i < func.getNumArguments(); ++i)
    if (auto name =
            func.getArgAttrOfType<mlir::StringAttr>(i, dl::kHyperArgAttr))
      names.push_back(name.str());
  return names;
}

void checkSignature(StepModel &model, bool velocities) {
  mlir::func::FuncOp train = model.trainFunc, eval = model.evalFunc;
  size_t p = model.numParams();
  size_t numVelocityArgs = 0;
  for (unsigned i = 0; i < train.getNumArguments(); ++i)
    if (train.getArgAttr(i, dl::kVelocityArgAttr))
      ++numVelocityArgs;
  EXPECT_EQ(model.hasVelocities, velocities);
  ASSERT_EQ(numVelocityArgs, velocities ? p : 0);
  // params, [velocities], image, label, lr, weight_decay, momentum.
  ASSERT_EQ(train.getNumArguments(), p * (velocities ? 2 : 1) + 5);
  EXPECT_EQ(train.getNumResults(), p * (velocities ? 2 : 1) + 2);
  for (size_t i = 0; i < p; ++i) {
    EXPECT_EQ(train.getArgAttrOfType<mlir::StringAttr>(i, dl::kParamArgAttr)
                  .str(),
              model.params[i].name);
    EXPECT_EQ(train.getResultTypes()[i], train.getArgumentTypes()[i]);
    if (!velocities)
      continue;
    auto name = train.getArgAttrOfType<mlir::StringAttr>(p + i,
                                                         dl::kVelocityArgAttr);
    ASSERT_TRUE(name);
    EXPECT_EQ(name.str(), model.params[i].name);
    EXPECT_EQ(train.getArgumentTypes()[p + i], train.getArgumentTypes()[i]);
    EXPECT_EQ(train.getResultTypes()[p + i], train.getArgumentTypes()[i]);
  }
  size_t image = p * (velocities ? 2 : 1);
  EXPECT_TRUE(train.getArgAttr(image, dl::kInputArgAttr));
  EXPECT_TRUE(train.getArgAttr(image + 1, dl::kLabelArgAttr));
  EXPECT_EQ(hyperNames(train),
            (std::vector<std::string>{"lr", "weight_decay", "momentum"}));
  // eval_step: params, image, label, valid_rows; never velocities.
  ASSERT_EQ(eval.getNumArguments(), p + 3);
  EXPECT_EQ(eval.getNumResults(), 2u);
  for (unsigned i = 0; i < eval.getNumArguments(); ++i)
    EXPECT_FALSE(eval.getArgAttr(i, dl::kVelocityArgAttr));
  EXPECT_EQ(hyperNames(eval), (std::vector<std::string>{"valid_rows"}));
  // The update ops match: sgd_momentum_update exactly with velocities.
  size_t plain = 0, momentum = 0;
  for (mlir::Operation &op : train.front()) {
    plain += mlir::isa<dl::SGDUpdateOp>(op);
    momentum += mlir::isa<dl::SGDMomentumUpdateOp>(op);
  }
  EXPECT_EQ(plain, velocities ? 0 : p);
  EXPECT_EQ(momentum, velocities ? p : 0);
}

TEST(Signature, VelocitiesOnlyWithMomentum) {
  struct Case {
    const char *train;
    bool velocities;
  } cases[] = {
      {"train sgd(lr=0.1)", false},
      {"train sgd(lr=0.1, weight_decay=0.5)", false},
      {"train sgd(lr=0.1, momentum=0)", false},
      {"train sgd(lr=0.1, weight_decay=0, momentum=0.0)", false},
      {"", false}, // no train line: the default sgd has no momentum
      {"train sgd(lr=0.1, momentum=0.9)", true},
      {"train sgd(lr=0.1, momentum=0.001)", true},
  };
  for (const Case &c : cases) {
    SCOPED_TRACE(c.train);
    auto model = compileModelText(tinyModel(c.train));
    ASSERT_TRUE(model);
    checkSignature(*model, c.velocities);
  }
}

TEST(Signature, ModelFiles) {
  // mlp.dl spells out momentum=0; the others have no momentum either.
  for (const char *name : {"mlp", "lenet", "lenet_relu", "softmax_regression"}) {
    SCOPED_TRACE(name);
    auto model =
        compileModelFile(std::string(DLC_MODELS_DIR) + "/" + name + ".dl", 2);
    ASSERT_TRUE(model);
    checkSignature(*model, false);
  }
}

//===----------------------------------------------------------------------===//
// eval_step masking
//===----------------------------------------------------------------------===//

/// A model at batch B = 5 and the same at batch k on the first k rows give
/// the same loss_sum and correct count; rows at or beyond valid_rows hold
/// random images and labels that must count for nothing.
void checkMasking(const std::string &text, Rng &rng) {
  const int64_t B = 5;
  auto big = compileModelText(text, B);
  ASSERT_TRUE(big);
  ASSERT_EQ(big->batch(), B);
  std::vector<Tensor> params = big->randomParams(rng, 0.1);
  Tensor images = big->randomImages(rng), labels = big->randomLabels(rng);

  // valid_rows = B is the whole batch: loss_sum = B * train_step's loss.
  auto whole = big->eval(params, images, labels, B);
  ASSERT_TRUE(whole);
  std::vector<Tensor> velocities;
  for (const Tensor &p : params)
    velocities.push_back(zerosLike(p));
  auto trained = big->train(params, velocities, images, labels, 0.1, 0, 0);
  ASSERT_TRUE(trained);
  expectClose(whole->lossSum, B * trained->loss, "loss_sum at valid_rows = B");
  EXPECT_EQ(whole->correct, trained->correct);

  for (int64_t k = 1; k <= B; ++k) {
    SCOPED_TRACE("valid_rows " + std::to_string(k));
    auto small = compileModelText(text, k);
    ASSERT_TRUE(small);
    auto expected = small->eval(params, rows(images, 0, k),
                                rows(labels, 0, k), k);
    ASSERT_TRUE(expected);
    // Different padding each time: the masked rows must not matter.
    Tensor padded = images, paddedLabels = labels;
    Tensor noise = big->randomImages(rng);
    Tensor noiseLabels = big->randomLabels(rng);
    int64_t row = images.numElements() / B;
    for (int64_t i = k * row; i < B * row; ++i)
      padded.data[i] = noise.data[i] * 100.0;
    for (int64_t i = k; i < B; ++i)
      paddedLabels.data[i] = noiseLabels.data[i];
    auto masked = big->eval(params, padded, paddedLabels, k);
    ASSERT_TRUE(masked);
    expectClose(masked->lossSum, expected->lossSum, "loss_sum");
    EXPECT_EQ(masked->correct, expected->correct);
    // The first k rows at batch B unpadded give the same as well.
    auto unpadded = big->eval(params, images, labels, k);
    ASSERT_TRUE(unpadded);
    expectClose(unpadded->lossSum, expected->lossSum, "loss_sum (unpadded)");
    EXPECT_EQ(unpadded->correct, expected->correct);
  }
}

TEST(EvalMasking, TinyModelAgainstHand) {
  Rng rng;
  SCOPED_TRACE(rng.trace());
  std::string text = tinyModel("train sgd(lr=0.1)");
  checkMasking(text, rng);
  // And the masked sums against the hand formula.
  auto model = compileModelText(text, 5);
  ASSERT_TRUE(model);
  std::vector<Tensor> params = {rng.tensor({2, 2}, -2, 2), rng.tensor({2})};
  Tensor x = rng.tensor({5, 2}, -2, 2), y = model->randomLabels(rng);
  for (int64_t k = 1; k <= 5; ++k) {
    Hand h = handTiny(params[0], params[1], rows(x, 0, k), rows(y, 0, k));
    auto e = model->eval(params, x, y, k);
    ASSERT_TRUE(e);
    expectClose(e->lossSum, h.loss * double(k), "loss_sum, k " + std::to_string(k));
    EXPECT_EQ(e->correct, h.correct) << "k " << k;
  }
}

TEST(EvalMasking, ConvReluPoolModel) {
  Rng rng;
  SCOPED_TRACE(rng.trace());
  checkMasking("model convnet\n"
               "input image: f32[8, 2, 7, 6]\n"
               "label label: i32[8] classes 4\n"
               "c = relu(conv2d(image, 3, kernel=3, stride=2, padding=1))\n"
               "p = max_pool2d(c, kernel=2, stride=1, padding=1)\n"
               "a = avg_pool2d(p, kernel=3, stride=2, padding=1)\n"
               "h = sigmoid(dense(flatten(a), 5))\n"
               "logits = dense(h, 4)\n"
               "loss = softmax_ce(logits, label)\n",
               rng);
}

TEST(EvalMasking, Mlp) {
  Rng rng;
  SCOPED_TRACE(rng.trace());
  auto buffer =
      llvm::MemoryBuffer::getFile(std::string(DLC_MODELS_DIR) + "/mlp.dl");
  ASSERT_TRUE(buffer);
  checkMasking((*buffer)->getBuffer().str(), rng);
}

} // namespace
