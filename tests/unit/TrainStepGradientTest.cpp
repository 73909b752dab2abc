//===- TrainStepGradientTest.cpp - finite differences of train_step -------===//
//
// The gradients that dl-generate-train-step writes are checked against
// central finite differences, both evaluated in double precision by the
// reference executor:
//
//   analytic:  train_step with lr = 1, weight_decay = 0, momentum = 0 makes
//              w' = w - g, so g = w - w';
//   numeric:   (L(w + h e_j) - L(w - h e_j)) / 2h with L = eval_step's
//              loss_sum / batch (valid_rows = batch), which is checked to
//              equal train_step's loss at the base point.
//
// For every parameter of every model a random sample of elements is checked
// (all elements of small parameters). Models: one small .dl model per op
// kind and configuration (dense with/without bias, relu, sigmoid, flatten,
// conv2d over kernel 1..5 x stride 1,2 x padding 0,1,2, max/avg pooling with
// stride != kernel and padding, softmax_ce), a hand-written @model .mlir in
// which values and parameters have several users (gradient accumulation via
// dl.add; the model language cannot express that, as it has no op combining
// two tensors), and the four models of models/ at batch 4.
//
// Structural facts are asserted on each generated train_step: exactly one
// gradient op per (forward op, differentiated operand) that lies between a
// parameter and the loss and none elsewhere (in particular no gradient with
// respect to the image: the first layer has no *_grad_input), one update op
// per parameter returned in its place, and the warning "does not reach the
// loss" for a parameter that does not.
//
// Random data comes from a fresh seed per test, printed on failure; set
// DLC_TEST_SEED=<n> to replay one.
//
//===----------------------------------------------------------------------===//

#include "TestModels.h"

#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/TypeSwitch.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <sstream>

using namespace dlc::test;
namespace dl = dlc::dl;
using mlir::Operation;
using mlir::Value;

namespace {

//===----------------------------------------------------------------------===//
// Finite-difference check
//===----------------------------------------------------------------------===//

struct FDOptions {
  /// Elements checked per parameter (all of them when it has fewer).
  int samplesPerParam = 20;
  /// Central-difference step in double. Truncation error is O(h^2 L''') ~
  /// 1e-12 and rounding error ~ eps |L| / h ~ 1e-10, both far below the
  /// tolerance.
  double h = 1e-6;
  /// Relative error |a - b| / max(1e-3, |a| + |b|) allowed between the
  /// analytic and the numeric derivative. The 1e-3 floor turns it into an
  /// absolute 1e-7 for derivatives that are (nearly) zero.
  double tolerance = 1e-4;
  /// The model has kinks (relu, max pooling): see checkElement.
  bool kinks = false;
};

double relativeError(double a, double b) {
  return std::fabs(a - b) / std::max(1e-3, std::fabs(a) + std::fabs(b));
}

struct FDChecker {
  FDChecker(StepModel &model, FDOptions options)
      : model(model), options(options) {}

  StepModel &model;
  FDOptions options;
  std::vector<Tensor> params;
  Tensor images, labels;
  int checked = 0, retried = 0, skippedAtKink = 0;

  /// L(params) = eval_step loss_sum / batch.
  double loss() {
    auto r = model.eval(params, images, labels, model.batch());
    return r ? r->lossSum / double(model.batch()) : NAN;
  }
  double lossAt(size_t p, size_t j, double value) {
    double saved = params[p].data[j];
    params[p].data[j] = value;
    double l = loss();
    params[p].data[j] = saved;
    return l;
  }
  double central(size_t p, size_t j, double h) {
    double w = params[p].data[j];
    return (lossAt(p, j, w + h) - lossAt(p, j, w - h)) / (2 * h);
  }

  /// Compares one element. A model with kinks may put one within h of the
  /// evaluation point, where the central difference averages two slopes.
  /// Then (1) the check is repeated at h / 100, which moves the kink out of
  /// the interval unless it is within 1e-8 (rounding error at that step is
  /// ~ eps |L| / 1e-8 ~ 1e-8, relative 1e-5 at the floor: still inside the
  /// tolerance); (2) if that fails too, the element is skipped only if a kink
  /// is detected cleanly: the one-sided slopes (L(w+h')-L(w))/h' and
  /// (L(w)-L(w-h'))/h' at h' = h/100 disagree (relative error > 1e-2, a jump
  /// in the derivative, which smooth functions cannot show at that h) and the
  /// analytic derivative matches one of them (relative error <= 1e-3, the
  /// O(h') truncation of a one-sided difference being far below that). Any
  /// other mismatch fails. Skips are counted and bounded by the caller.
  void checkElement(size_t p, size_t j, double analytic) {
    ++checked;
    double numeric = central(p, j, options.h);
    double err = relativeError(analytic, numeric);
    if (err <= options.tolerance)
      return;
    if (options.kinks) {
      double h2 = options.h / 100;
      double numeric2 = central(p, j, h2);
      if (relativeError(analytic, numeric2) <= options.tolerance) {
        ++retried;
        return;
      }
      double w = params[p].data[j], l0 = loss();
      double right = (lossAt(p, j, w + h2) - l0) / h2;
      double left = (l0 - lossAt(p, j, w - h2)) / h2;
      if (relativeError(left, right) > 1e-2 &&
          std::min(relativeError(analytic, left),
                   relativeError(analytic, right)) <= 1e-3) {
        ++skippedAtKink;
        return;
      }
      numeric = numeric2;
      err = relativeError(analytic, numeric2);
    }
    ADD_FAILURE() << "gradient of '" << model.params[p].name
                  << "' at flat index " << j << ": train_step gives "
                  << analytic << ", finite differences give " << numeric
                  << " (relative error " << err << " > " << options.tolerance
                  << ")";
  }

  void run(Rng &rng) {
    params = model.randomParams(rng);
    images = model.randomImages(rng);
    labels = model.randomLabels(rng);
    double trainLoss = NAN;
    auto grads = model.gradient(params, images, labels, &trainLoss);
    ASSERT_TRUE(grads);
    // train_step's loss and eval_step's mean loss are the same forward
    // graph in double precision: they agree to rounding (1e-12 relative).
    double evalLoss = loss();
    ASSERT_NEAR(trainLoss, evalLoss, 1e-12 * std::max(1.0, std::fabs(evalLoss)))
        << "train_step's loss differs from eval_step's loss_sum / batch";
    ASSERT_TRUE(std::isfinite(trainLoss));

    for (size_t p = 0; p < params.size(); ++p) {
      SCOPED_TRACE("parameter '" + model.params[p].name + "'");
      size_t n = params[p].data.size();
      std::vector<size_t> indices(n);
      std::iota(indices.begin(), indices.end(), size_t(0));
      if (n > size_t(options.samplesPerParam)) {
        std::shuffle(indices.begin(), indices.end(), rng.engine);
        indices.resize(size_t(options.samplesPerParam));
      }
      for (size_t j : indices)
        checkElement(p, j, (*grads)[p].data[j]);
    }
    // A kink within 1e-8 of a random point is rare: allow a few skips but
    // not a systematic pattern (at most 5% of the checked elements).
    EXPECT_LE(skippedAtKink * 20, checked)
        << skippedAtKink << " of " << checked
        << " elements were skipped as lying at a kink";
    RecordProperty("checked", checked);
    RecordProperty("retried", retried);
    RecordProperty("skipped_at_kink", skippedAtKink);
  }

  static void RecordProperty(const std::string &key, int value) {
    ::testing::Test::RecordProperty(key, value);
  }
};

//===----------------------------------------------------------------------===//
// Structure of the generated train_step
//===----------------------------------------------------------------------===//

bool isGradientOp(Operation *op) {
  return mlir::isa<dl::DenseGradInputOp, dl::DenseGradWeightOp,
                   dl::BiasGradOp, dl::ReluGradOp, dl::SigmoidGradOp,
                   dl::ReshapeOp, dl::Conv2DGradInputOp,
                   dl::Conv2DGradFilterOp, dl::MaxPool2DGradOp,
                   dl::AvgPool2DGradOp, dl::SoftmaxCEGradOp>(op);
}

std::string describe(Operation *op) {
  std::string text;
  llvm::raw_string_ostream os(text);
  op->print(os, mlir::OpPrintingFlags().printGenericOpForm(false));
  os << " at " << op->getLoc();
  return text;
}

/// Every op `pred` accepts in the body.
template <typename OpTy, typename Pred>
std::vector<Operation *> find(mlir::Block &body, Pred pred) {
  std::vector<Operation *> found;
  for (Operation &op : body)
    if (auto concrete = mlir::dyn_cast<OpTy>(op))
      if (pred(concrete))
        found.push_back(&op);
  return found;
}

/// Asserts the structural facts listed in the file comment.
void checkStructure(StepModel &model) {
  mlir::func::FuncOp train = model.trainFunc;
  mlir::Block &body = train.front();
  size_t numParams = model.numParams();
  auto ret = mlir::cast<mlir::func::ReturnOp>(body.getTerminator());

  // Forward ops are the differentiable ones (cloned from @model).
  std::vector<Operation *> forward;
  for (Operation &op : body)
    if (mlir::isa<dl::DifferentiableOpInterface>(op))
      forward.push_back(&op);

  // Values that depend on a parameter, and values the loss depends on
  // (through forward ops only).
  llvm::DenseSet<Value> dependsOnParam, reachesLoss;
  for (size_t i = 0; i < numParams; ++i)
    dependsOnParam.insert(train.getArgument(i));
  for (Operation *op : forward)
    if (llvm::any_of(op->getOperands(),
                     [&](Value v) { return dependsOnParam.contains(v); }))
      for (Value r : op->getResults())
        dependsOnParam.insert(r);
  Value lossValue = ret.getOperand(ret.getNumOperands() - 2);
  reachesLoss.insert(lossValue);
  for (Operation *op : llvm::reverse(forward))
    if (llvm::any_of(op->getResults(),
                     [&](Value v) { return reachesLoss.contains(v); }))
      for (Value operand : op->getOperands())
        reachesLoss.insert(operand);
  auto needsGrad = [&](Value operand, Operation *op) {
    return dependsOnParam.contains(operand) &&
           llvm::any_of(op->getResults(),
                        [&](Value r) { return reachesLoss.contains(r); });
  };

  // For each forward op and operand, the gradient ops that compute the
  // operand's share of the gradient; expect one where the operand depends on
  // a parameter and the op reaches the loss, none elsewhere.
  llvm::DenseSet<Operation *> matched;
  auto expectGrad = [&](Operation *fwd, Value operand, const char *what,
                        std::vector<Operation *> found) {
    size_t expected = needsGrad(operand, fwd) ? 1 : 0;
    EXPECT_EQ(found.size(), expected)
        << what << " of " << describe(fwd)
        << (expected ? ": missing or duplicated"
                     : ": formed although the operand depends on no "
                       "parameter or the op does not reach the loss");
    for (Operation *g : found)
      matched.insert(g);
  };
  for (Operation *fwd : forward) {
    mlir::Location loc = fwd->getLoc();
    llvm::TypeSwitch<Operation *>(fwd)
        .Case([&](dl::DenseOp op) {
          expectGrad(fwd, op.getInput(), "dense_grad_input",
                     find<dl::DenseGradInputOp>(body, [&](auto g) {
                       return g.getWeight() == op.getWeight() &&
                              g.getLoc() == loc &&
                              g.getType() == op.getInput().getType();
                     }));
          expectGrad(fwd, op.getWeight(), "dense_grad_weight",
                     find<dl::DenseGradWeightOp>(body, [&](auto g) {
                       return g.getInput() == op.getInput() &&
                              g.getLoc() == loc &&
                              g.getType() == op.getWeight().getType();
                     }));
          if (op.getBias())
            expectGrad(fwd, op.getBias(), "bias_grad",
                       find<dl::BiasGradOp>(body, [&](auto g) {
                         return g.getLoc() == loc &&
                                g.getType() == op.getBias().getType();
                       }));
        })
        .Case([&](dl::Conv2DOp op) {
          expectGrad(fwd, op.getInput(), "conv2d_grad_input",
                     find<dl::Conv2DGradInputOp>(body, [&](auto g) {
                       return g.getFilter() == op.getFilter() &&
                              g.getLoc() == loc &&
                              g.getType() == op.getInput().getType();
                     }));
          expectGrad(fwd, op.getFilter(), "conv2d_grad_filter",
                     find<dl::Conv2DGradFilterOp>(body, [&](auto g) {
                       return g.getInput() == op.getInput() &&
                              g.getLoc() == loc &&
                              g.getType() == op.getFilter().getType();
                     }));
          if (op.getBias())
            expectGrad(fwd, op.getBias(), "bias_grad",
                       find<dl::BiasGradOp>(body, [&](auto g) {
                         return g.getLoc() == loc &&
                                g.getType() == op.getBias().getType();
                       }));
        })
        .Case([&](dl::ReluOp op) {
          expectGrad(fwd, op.getInput(), "relu_grad",
                     find<dl::ReluGradOp>(body, [&](auto g) {
                       return g.getOutput() == op.getResult();
                     }));
        })
        .Case([&](dl::SigmoidOp op) {
          expectGrad(fwd, op.getInput(), "sigmoid_grad",
                     find<dl::SigmoidGradOp>(body, [&](auto g) {
                       return g.getOutput() == op.getResult();
                     }));
        })
        .Case([&](dl::FlattenOp op) {
          expectGrad(fwd, op.getInput(), "reshape",
                     find<dl::ReshapeOp>(body, [&](auto g) {
                       return g.getLoc() == loc &&
                              g.getType() == op.getInput().getType();
                     }));
        })
        .Case([&](dl::MaxPool2DOp op) {
          expectGrad(fwd, op.getInput(), "max_pool2d_grad",
                     find<dl::MaxPool2DGradOp>(body, [&](auto g) {
                       return g.getInput() == op.getInput() &&
                              g.getKernel() == op.getKernel() &&
                              g.getStride() == op.getStride() &&
                              g.getPadding() == op.getPadding();
                     }));
        })
        .Case([&](dl::AvgPool2DOp op) {
          expectGrad(fwd, op.getInput(), "avg_pool2d_grad",
                     find<dl::AvgPool2DGradOp>(body, [&](auto g) {
                       return g.getLoc() == loc &&
                              g.getType() == op.getInput().getType() &&
                              g.getKernel() == op.getKernel() &&
                              g.getStride() == op.getStride() &&
                              g.getPadding() == op.getPadding();
                     }));
        })
        .Case([&](dl::SoftmaxCEOp op) {
          expectGrad(fwd, op.getLogits(), "softmax_ce_grad",
                     find<dl::SoftmaxCEGradOp>(body, [&](auto g) {
                       return g.getLogits() == op.getLogits() &&
                              g.getLabels() == op.getLabels();
                     }));
        })
        .Default([&](Operation *op) {
          ADD_FAILURE() << "unexpected forward op " << describe(op);
        });
  }
  // No gradient op outside those: in particular none with respect to the
  // image or anything computed from the image alone.
  for (Operation &op : body) {
    if (isGradientOp(&op)) {
      EXPECT_TRUE(matched.contains(&op))
          << "gradient op that belongs to no differentiated operand: "
          << describe(&op);
    }
  }
  // Spelled out for the image: no forward op that consumes it gets a
  // gradient with respect to it (the first layer has no *_grad_input).
  Value image;
  for (unsigned i = 0; i < train.getNumArguments(); ++i)
    if (train.getArgAttr(i, dl::kInputArgAttr))
      image = train.getArgument(i);
  ASSERT_TRUE(image);
  EXPECT_FALSE(dependsOnParam.contains(image));
  for (Operation *user : image.getUsers())
    if (mlir::isa<dl::DifferentiableOpInterface>(user))
      for (Operation &op : body) {
        bool inputGrad = false;
        if (auto g = mlir::dyn_cast<dl::Conv2DGradInputOp>(op))
          inputGrad = g.getLoc() == user->getLoc();
        else if (auto g = mlir::dyn_cast<dl::DenseGradInputOp>(op))
          inputGrad = g.getLoc() == user->getLoc();
        else if (mlir::isa<dl::ReshapeOp, dl::AvgPool2DGradOp,
                           dl::MaxPool2DGradOp>(op))
          inputGrad = op.getLoc() == user->getLoc() &&
                      op.getResult(0).getType() == image.getType();
        EXPECT_FALSE(inputGrad)
            << "a gradient with respect to the image is formed: "
            << describe(&op);
      }

  // One update per parameter that reaches the loss, returned in its place;
  // an unreached parameter (and its velocity) is returned unchanged.
  unsigned numArgs = train.getNumArguments();
  Value lr = train.getArgument(numArgs - 3),
        weightDecay = train.getArgument(numArgs - 2),
        momentum = train.getArgument(numArgs - 1);
  ASSERT_EQ(ret.getNumOperands(),
            numParams * (model.hasVelocities ? 2 : 1) + 2);
  for (size_t i = 0; i < numParams; ++i) {
    SCOPED_TRACE("parameter '" + model.params[i].name + "'");
    Value param = train.getArgument(i);
    std::vector<Operation *> updates;
    for (Operation *user : param.getUsers())
      if (mlir::isa<dl::SGDUpdateOp, dl::SGDMomentumUpdateOp>(user))
        updates.push_back(user);
    bool reaches = reachesLoss.contains(param);
    ASSERT_EQ(updates.size(), reaches ? 1u : 0u);
    if (!reaches) {
      EXPECT_EQ(ret.getOperand(i), param);
      if (model.hasVelocities) {
        EXPECT_EQ(ret.getOperand(numParams + i),
                  train.getArgument(numParams + i));
      }
      continue;
    }
    Operation *update = updates.front();
    // The update takes the dl.param's location, which the front-end sets
    // to the call of the layer that owns it.
    if (model.fromModelLanguage) {
      EXPECT_TRUE(llvm::any_of(param.getUsers(), [&](Operation *user) {
        return mlir::isa<dl::DifferentiableOpInterface>(user) &&
               user->getLoc() == update->getLoc();
      })) << describe(update);
    }
    if (auto sgd = mlir::dyn_cast<dl::SGDUpdateOp>(update)) {
      EXPECT_FALSE(model.hasVelocities);
      EXPECT_EQ(sgd.getParam(), param);
      EXPECT_EQ(sgd.getLr(), lr);
      EXPECT_EQ(sgd.getWeightDecay(), weightDecay);
      EXPECT_EQ(ret.getOperand(i), sgd.getResult());
    } else {
      auto mom = mlir::cast<dl::SGDMomentumUpdateOp>(update);
      EXPECT_TRUE(model.hasVelocities);
      EXPECT_EQ(mom.getParam(), param);
      EXPECT_EQ(mom.getVelocity(), train.getArgument(numParams + i));
      EXPECT_EQ(mom.getLr(), lr);
      EXPECT_EQ(mom.getWeightDecay(), weightDecay);
      EXPECT_EQ(mom.getMomentum(), momentum);
      EXPECT_EQ(ret.getOperand(i), mom.getNewParam());
      EXPECT_EQ(ret.getOperand(numParams + i), mom.getNewVelocity());
    }
  }

  // eval_step holds no gradient or update op.
  for (Operation &op : model.evalFunc.front())
    EXPECT_FALSE(isGradientOp(&op) ||
                 (mlir::isa<dl::SGDUpdateOp, dl::SGDMomentumUpdateOp,
                            dl::AddOp, dl::ConstantOp, dl::SoftmaxCEOp>(op)))
        << "in eval_step: " << describe(&op);
}

//===----------------------------------------------------------------------===//
// Models
//===----------------------------------------------------------------------===//

/// A .dl model around `body` (statements ending in a `logits` binding) with
/// batch 3, 2-channel 7x6 images (non-square, so that a swapped H/W shows)
/// and 4 classes.
std::string smallModel(const std::string &body,
                       const std::string &input = "f32[3, 2, 7, 6]") {
  return "model small\n"
         "input image: " + input + "\n"
         "label label: i32[3] classes 4\n" +
         body + "\nloss = softmax_ce(logits, label)\ntrain sgd(lr=0.1)\n";
}

/// Compiles, checks the structure, expects no warning and runs the
/// finite-difference check.
void checkModel(std::unique_ptr<StepModel> model, FDOptions options = {},
                bool expectWarnings = false) {
  ASSERT_TRUE(model);
  Rng rng;
  SCOPED_TRACE(rng.trace());
  if (!expectWarnings) {
    EXPECT_TRUE(model->warnings().empty()) << model->diagnosticText();
  }
  checkStructure(*model);
  FDChecker checker(*model, options);
  checker.run(rng);
}

struct SmallCase {
  const char *name;
  const char *body;
  bool kinks;
  const char *input = "f32[3, 2, 7, 6]";
};

void PrintTo(const SmallCase &c, std::ostream *os) { *os << c.name; }

class OpKindTest : public ::testing::TestWithParam<SmallCase> {};

TEST_P(OpKindTest, MatchesFiniteDifferences) {
  const SmallCase &c = GetParam();
  FDOptions options;
  options.kinks = c.kinks;
  checkModel(compileModelText(smallModel(c.body, c.input)), options);
}

const SmallCase kOpKinds[] = {
    {"DenseWithBias", "x = flatten(image)\nlogits = dense(x, 4)", false},
    {"DenseWithoutBias",
     "x = flatten(image)\nh = sigmoid(dense(x, 5, bias=false))\n"
     "logits = dense(h, 4, bias=false)",
     false},
    {"DenseOnRank2Input", "h = sigmoid(dense(image, 5))\nlogits = dense(h, 4)",
     false, "f32[3, 7]"},
    {"Relu", "x = flatten(image)\nh = relu(dense(x, 6))\nlogits = dense(h, 4)",
     true},
    {"Sigmoid",
     "x = flatten(image)\nh1 = sigmoid(dense(x, 6))\n"
     "h2 = sigmoid(dense(h1, 5))\nlogits = dense(h2, 4)",
     false},
    {"FlattenBetweenLayers",
     "c = sigmoid(conv2d(image, 3, kernel=3))\nf = flatten(c)\n"
     "logits = dense(f, 4)",
     false},
    {"ConvWithoutBias",
     "c1 = sigmoid(conv2d(image, 3, kernel=3, padding=1, bias=false))\n"
     "c2 = sigmoid(conv2d(c1, 2, kernel=2, stride=2, bias=false))\n"
     "logits = dense(flatten(c2), 4)",
     false},
    {"SoftmaxCEOnly", "logits = dense(flatten(image), 4, bias=false)", false},
    {"ReluMaxPool",
     "c1 = relu(conv2d(image, 3, kernel=3, padding=1))\n"
     "p1 = max_pool2d(c1, kernel=2, stride=1)\n"
     "c2 = relu(conv2d(p1, 2, kernel=3, stride=2, padding=1))\n"
     "p2 = max_pool2d(c2, kernel=2, stride=2, padding=1)\n"
     "h = relu(dense(flatten(p2), 5))\nlogits = dense(h, 4)",
     true},
};

INSTANTIATE_TEST_SUITE_P(
    Ops, OpKindTest, ::testing::ValuesIn(kOpKinds),
    [](const ::testing::TestParamInfo<SmallCase> &info) {
      return std::string(info.param.name);
    });

/// conv2d with kernel 1..5, stride 1 and 2, padding 0, 1, 2, as the second
/// layer so that both its input and filter gradients are formed (the first
/// layer, kernel 3 padding 1, keeps the 7x6 size).
struct ConvCase {
  int kernel, stride, padding;
};

void PrintTo(const ConvCase &c, std::ostream *os) {
  *os << "kernel " << c.kernel << " stride " << c.stride << " padding "
      << c.padding;
}

class ConvTest : public ::testing::TestWithParam<ConvCase> {};

TEST_P(ConvTest, MatchesFiniteDifferences) {
  ConvCase c = GetParam();
  std::ostringstream body;
  body << "c1 = sigmoid(conv2d(image, 3, kernel=3, padding=1))\n"
       << "c2 = sigmoid(conv2d(c1, 2, kernel=" << c.kernel
       << ", stride=" << c.stride << ", padding=" << c.padding << "))\n"
       << "logits = dense(flatten(c2), 4)";
  checkModel(compileModelText(smallModel(body.str())));
}

std::vector<ConvCase> convCases() {
  std::vector<ConvCase> cases;
  for (int kernel = 1; kernel <= 5; ++kernel)
    for (int stride = 1; stride <= 2; ++stride)
      for (int padding = 0; padding <= 2; ++padding)
        cases.push_back({kernel, stride, padding});
  return cases;
}

INSTANTIATE_TEST_SUITE_P(
    Conv2D, ConvTest, ::testing::ValuesIn(convCases()),
    [](const ::testing::TestParamInfo<ConvCase> &info) {
      return "k" + std::to_string(info.param.kernel) + "s" +
             std::to_string(info.param.stride) + "p" +
             std::to_string(info.param.padding);
    });

/// Pooling after a conv (so that its gradient feeds the conv's filter),
/// with overlapping windows (stride < kernel), gaps (stride > kernel) and
/// padding up to half the kernel.
struct PoolCase {
  bool max;
  int kernel, stride, padding;
};

void PrintTo(const PoolCase &c, std::ostream *os) {
  *os << (c.max ? "max" : "avg") << " kernel " << c.kernel << " stride "
      << c.stride << " padding " << c.padding;
}

class PoolTest : public ::testing::TestWithParam<PoolCase> {};

TEST_P(PoolTest, MatchesFiniteDifferences) {
  PoolCase c = GetParam();
  std::ostringstream body;
  body << "c = conv2d(image, 3, kernel=3, padding=1)\n"
       << "p = " << (c.max ? "max_pool2d" : "avg_pool2d")
       << "(c, kernel=" << c.kernel << ", stride=" << c.stride
       << ", padding=" << c.padding << ")\n"
       << "logits = dense(flatten(sigmoid(p)), 4)";
  FDOptions options;
  options.kinks = c.max; // ties of a window's maximum
  checkModel(compileModelText(smallModel(body.str())), options);
}

std::vector<PoolCase> poolCases() {
  std::vector<PoolCase> cases;
  for (bool max : {true, false})
    for (auto [k, s, p] : std::vector<std::tuple<int, int, int>>{
             {2, 1, 0}, {2, 1, 1}, {3, 2, 1}, {3, 1, 1}, {2, 3, 0},
             {3, 2, 0}, {4, 3, 2}, {2, 2, 1}, {3, 3, 1}})
      cases.push_back({max, k, s, p});
  return cases;
}

INSTANTIATE_TEST_SUITE_P(
    Pool2D, PoolTest, ::testing::ValuesIn(poolCases()),
    [](const ::testing::TestParamInfo<PoolCase> &info) {
      return std::string(info.param.max ? "max" : "avg") + "_k" +
             std::to_string(info.param.kernel) + "s" +
             std::to_string(info.param.stride) + "p" +
             std::to_string(info.param.padding);
    });

/// Values and parameters with several users: the language has no op that
/// combines two tensors, so this is written in the dl dialect. %s feeds one
/// dense twice (as input and as weight), %h feeds a sigmoid and a dense,
/// %w and %b are each used by two layers: four gradients are summed by
/// dl.add.
const char *kSharedModel = R"mlir(
module @shared attributes {dl.optimizer = #dl.sgd<lr = 1.000000e-01, weight_decay = 0.000000e+00, momentum = 0.000000e+00>} {
  func.func @model() -> (tensor<f32>, tensor<i32>) {
    %image = dl.input "image" : tensor<4x1x2x2xf32>
    %label = dl.label "label" classes 3 : tensor<4xi32>
    %x = dl.flatten %image : tensor<4x1x2x2xf32> -> tensor<4x4xf32>
    %w = dl.param "w" init(#dl.glorot_uniform) {seed = 1 : i64} : tensor<4x4xf32>
    %b = dl.param "b" init(#dl.zeros) {seed = 2 : i64} : tensor<4xf32>
    %v = dl.param "v" init(#dl.glorot_uniform) {seed = 3 : i64} : tensor<4x3xf32>
    %h = dl.dense %x, %w, %b : tensor<4x4xf32>, tensor<4x4xf32>, tensor<4xf32> -> tensor<4x4xf32>
    %s = dl.sigmoid %h : tensor<4x4xf32>
    %g = dl.dense %s, %s, %b : tensor<4x4xf32>, tensor<4x4xf32>, tensor<4xf32> -> tensor<4x4xf32>
    %t = dl.sigmoid %g : tensor<4x4xf32>
    %u = dl.dense %h, %t : tensor<4x4xf32>, tensor<4x4xf32> -> tensor<4x4xf32>
    %a = dl.dense %u, %w : tensor<4x4xf32>, tensor<4x4xf32> -> tensor<4x4xf32>
    %logits = dl.dense %a, %v : tensor<4x4xf32>, tensor<4x3xf32> -> tensor<4x3xf32>
    %loss, %correct = dl.softmax_ce %logits, %label : tensor<4x3xf32>, tensor<4xi32>
    return %loss, %correct : tensor<f32>, tensor<i32>
  }
}
)mlir";

TEST(GradientAccumulation, SharedValuesAndParameters) {
  auto model = compileMlirText(kSharedModel);
  ASSERT_TRUE(model);
  size_t adds = 0;
  for (mlir::Operation &op : model->trainFunc.front())
    adds += mlir::isa<dl::AddOp>(op);
  EXPECT_EQ(adds, 4u) << "one dl.add each for %h, %s, %w and %b";
  checkModel(std::move(model));
}

/// A layer whose output is bound but unused: its parameters do not reach
/// the loss. The compiler warns once per parameter at the layer's call and
/// returns them unchanged; their gradient is zero, as finite differences
/// confirm. The hidden value `h` has two users of which one reaches the
/// loss.
TEST(UnreachedParameter, WarnsAndLeavesItUntrained) {
  const std::string text = smallModel("x = flatten(image)\n"
                                      "h = sigmoid(dense(x, 6))\n"
                                      "unused = dense(h, 3)\n"
                                      "logits = dense(h, 4)");
  auto model = compileModelText(text, 0, "unreached.dl");
  ASSERT_TRUE(model);
  std::vector<Diag> warnings = model->warnings();
  ASSERT_EQ(warnings.size(), 2u) << model->diagnosticText();
  const char *names[] = {"dense2.weight", "dense2.bias"};
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_NE(warnings[i].message.find("does not reach the loss"),
              std::string::npos)
        << warnings[i].message;
    EXPECT_NE(warnings[i].message.find(std::string("'") + names[i] + "'"),
              std::string::npos)
        << warnings[i].message;
    // `unused = dense(h, 3)` is line 6; the layer's call starts at column 10.
    EXPECT_NE(warnings[i].location.find("unreached.dl\":6:10"),
              std::string::npos)
        << warnings[i].location;
  }
  for (const Diag &d : model->diagnostics)
    EXPECT_NE(d.severity, mlir::DiagnosticSeverity::Error) << d.message;
  checkModel(std::move(model), {}, /*expectWarnings=*/true);
}

/// The same with momentum: the unreached parameter's velocity is returned
/// unchanged too (checked by checkStructure and by running it).
TEST(UnreachedParameter, KeepsItsVelocity) {
  std::string text = smallModel("x = flatten(image)\n"
                                "h = sigmoid(dense(x, 6))\n"
                                "unused = dense(h, 3)\n"
                                "logits = dense(h, 4)");
  text.replace(text.find("sgd(lr=0.1)"), 11, "sgd(lr=0.1, momentum=0.9)");
  auto model = compileModelText(text);
  ASSERT_TRUE(model);
  ASSERT_TRUE(model->hasVelocities);
  EXPECT_EQ(model->warnings().size(), 2u) << model->diagnosticText();
  checkStructure(*model);
  Rng rng;
  SCOPED_TRACE(rng.trace());
  auto params = model->randomParams(rng);
  std::vector<Tensor> velocities;
  for (const Tensor &p : params)
    velocities.push_back(rng.tensor(p.shape));
  auto r = model->train(params, velocities, model->randomImages(rng),
                        model->randomLabels(rng), 0.3, 0.01, 0.9);
  ASSERT_TRUE(r);
  for (size_t i = 0; i < params.size(); ++i) {
    bool unreached = model->params[i].name.rfind("dense2.", 0) == 0;
    EXPECT_EQ(r->params[i].data == params[i].data, unreached)
        << model->params[i].name;
    EXPECT_EQ(r->velocities[i].data == velocities[i].data, unreached)
        << model->params[i].name;
  }
}

//===----------------------------------------------------------------------===//
// The models of models/ at batch 4
//===----------------------------------------------------------------------===//

class ModelFileTest : public ::testing::TestWithParam<const char *> {};

TEST_P(ModelFileTest, MatchesFiniteDifferences) {
  std::string name = GetParam();
  FDOptions options;
  options.kinks = name == "mlp" || name == "lenet_relu";
  checkModel(
      compileModelFile(std::string(DLC_MODELS_DIR) + "/" + name + ".dl", 4),
      options);
}

INSTANTIATE_TEST_SUITE_P(Models, ModelFileTest,
                         ::testing::Values("softmax_regression", "mlp",
                                           "lenet", "lenet_relu"),
                         [](const ::testing::TestParamInfo<const char *> &info) {
                           return std::string(info.param);
                         });

} // namespace
