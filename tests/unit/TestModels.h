//===- TestModels.h - models compiled to train_step for the tests -*- C++ -*-===//
//
// Shared by the tests of the generated training step (TrainStepGradientTest,
// TrainStepOptimizerTest, ReferenceTrainingTest): compiles a model (.dl text,
// a .dl file or a hand-written @model .mlir) to the TrainGraph stage with its
// diagnostics captured, describes the argument layout of @train_step and
// @eval_step, and runs both through the double-precision reference executor.
//
// Random data comes from a fresh seed per test, or from DLC_TEST_SEED=<n> to
// replay a failure; tests print the seed with SCOPED_TRACE(rng.trace()).
//
//===----------------------------------------------------------------------===//

#ifndef DLC_TESTS_UNIT_TESTMODELS_H
#define DLC_TESTS_UNIT_TESTMODELS_H

#include "dlc/Dialect/DL/IR/DLDialect.h"
#include "dlc/Dialect/DL/IR/DLOps.h"
#include "dlc/Dialect/DL/Transforms/Passes.h"
#include "dlc/Driver/Compiler.h"
#include "dlc/FrontEnd/ModelParser.h"
#include "dlc/Reference/ReferenceExecutor.h"
#include "TestRng.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

namespace dlc::test {

using reference::Tensor;
using Shape = std::vector<int64_t>;

//===----------------------------------------------------------------------===//
// Random data
//===----------------------------------------------------------------------===//

inline Tensor scalar(double v) { return Tensor{{}, {v}}; }

inline Tensor zerosLike(const Tensor &t) {
  return Tensor{t.shape, std::vector<double>(t.data.size(), 0.0)};
}

/// Rows [begin, end) of a tensor along its first dimension.
inline Tensor rows(const Tensor &t, int64_t begin, int64_t end) {
  Tensor out{t.shape, {}};
  out.shape[0] = end - begin;
  int64_t row = t.shape[0] ? int64_t(t.data.size()) / t.shape[0] : 0;
  out.data.assign(t.data.begin() + begin * row, t.data.begin() + end * row);
  return out;
}

//===----------------------------------------------------------------------===//
// Compiled models
//===----------------------------------------------------------------------===//

/// One diagnostic as reported through the context.
struct Diag {
  mlir::DiagnosticSeverity severity;
  std::string message;
  std::string location;
};

/// A model at the TrainGraph stage: @train_step and @eval_step.
struct StepModel {
  struct Param {
    std::string name;
    Shape shape;
    mlir::Attribute init;
    uint64_t seed = 0;
  };

  std::unique_ptr<mlir::MLIRContext> context;
  std::unique_ptr<mlir::ScopedDiagnosticHandler> handler;
  std::vector<Diag> diagnostics;
  mlir::OwningOpRef<mlir::ModuleOp> module;
  mlir::func::FuncOp trainFunc, evalFunc;

  std::vector<Param> params;
  bool hasVelocities = false; // train_step takes and returns velocities
  /// Compiled from the model language (not hand-written IR): a parameter's
  /// location is the call of its layer.
  bool fromModelLanguage = false;
  Shape inputShape;
  int64_t classes = 0;
  /// The train line's hyperparameters (#dl.sgd).
  double lr = 0, weightDecay = 0, momentum = 0;

  int64_t batch() const { return inputShape.at(0); }
  size_t numParams() const { return params.size(); }

  /// Every captured diagnostic as "location: message" lines, for failure
  /// messages.
  std::string diagnosticText() const {
    std::string text;
    for (const Diag &d : diagnostics)
      text += d.location + ": " + d.message + "\n";
    return text;
  }
  std::vector<Diag> warnings() const {
    std::vector<Diag> result;
    for (const Diag &d : diagnostics)
      if (d.severity == mlir::DiagnosticSeverity::Warning)
        result.push_back(d);
    return result;
  }

  /// Initial parameter values from each train_step argument's dl.init and
  /// dl.seed attributes (what the runtime would start from).
  std::vector<Tensor> initialParams(uint64_t seed) const {
    std::vector<Tensor> values;
    for (const Param &p : params)
      values.push_back(reference::initParam(p.init, p.shape, seed, p.seed));
    return values;
  }

  /// Random parameters: the initializer's sample (with a random seed) plus
  /// uniform noise of `noise`, so zero-initialised biases are not all zero.
  std::vector<Tensor> randomParams(Rng &rng, double noise = 0.1) const {
    std::vector<Tensor> values = initialParams(rng.engine());
    for (Tensor &t : values)
      for (double &v : t.data)
        v += rng.uniform(-noise, noise);
    return values;
  }

  Tensor randomImages(Rng &rng, int64_t batchSize = 0) const {
    Shape shape = inputShape;
    if (batchSize)
      shape[0] = batchSize;
    return rng.tensor(shape, 0.0, 1.0); // pixel-like values
  }
  Tensor randomLabels(Rng &rng, int64_t batchSize = 0) const {
    return rng.labels(batchSize ? batchSize : batch(), classes);
  }

  struct TrainResult {
    std::vector<Tensor> params, velocities;
    double loss = 0;
    double correct = 0;
  };
  struct EvalResult {
    double lossSum = 0;
    double correct = 0;
  };

  /// Runs @train_step through the reference executor; a failure is reported
  /// as a test failure (with the executor's diagnostics) and gives nullopt.
  std::optional<TrainResult> train(const std::vector<Tensor> &paramValues,
                                   const std::vector<Tensor> &velocities,
                                   const Tensor &images, const Tensor &labels,
                                   double lrValue, double weightDecayValue,
                                   double momentumValue) {
    std::vector<Tensor> args(paramValues);
    if (hasVelocities)
      args.insert(args.end(), velocities.begin(), velocities.end());
    args.push_back(images);
    args.push_back(labels);
    args.push_back(scalar(lrValue));
    args.push_back(scalar(weightDecayValue));
    args.push_back(scalar(momentumValue));
    size_t before = diagnostics.size();
    auto results = reference::run(trainFunc, args);
    if (mlir::failed(results)) {
      ADD_FAILURE() << "reference run of @train_step failed:\n"
                    << diagnosticsSince(before);
      return std::nullopt;
    }
    size_t p = numParams(), expected = p * (hasVelocities ? 2 : 1) + 2;
    if (results->size() != expected) {
      ADD_FAILURE() << "@train_step returned " << results->size()
                    << " values, expected " << expected;
      return std::nullopt;
    }
    TrainResult r;
    r.params.assign(results->begin(), results->begin() + p);
    if (hasVelocities)
      r.velocities.assign(results->begin() + p, results->begin() + 2 * p);
    r.loss = (*results)[expected - 2].data.at(0);
    r.correct = (*results)[expected - 1].data.at(0);
    return r;
  }

  /// The gradient of the mean loss as train_step computes it: with lr = 1,
  /// weight_decay = 0 and momentum = 0 (and zero velocities) the update is
  /// w' = w - g, so g = w - w'.
  std::optional<std::vector<Tensor>>
  gradient(const std::vector<Tensor> &paramValues, const Tensor &images,
           const Tensor &labels, double *loss = nullptr) {
    std::vector<Tensor> velocities;
    for (const Tensor &t : paramValues)
      velocities.push_back(zerosLike(t));
    auto r = train(paramValues, velocities, images, labels, 1.0, 0.0, 0.0);
    if (!r)
      return std::nullopt;
    std::vector<Tensor> grads;
    for (size_t i = 0; i < paramValues.size(); ++i) {
      Tensor g = paramValues[i];
      for (size_t j = 0; j < g.data.size(); ++j)
        g.data[j] = paramValues[i].data[j] - r->params[i].data[j];
      grads.push_back(std::move(g));
    }
    if (loss)
      *loss = r->loss;
    return grads;
  }

  /// Runs @eval_step through the reference executor.
  std::optional<EvalResult> eval(const std::vector<Tensor> &paramValues,
                                 const Tensor &images, const Tensor &labels,
                                 int64_t validRows) {
    std::vector<Tensor> args(paramValues);
    args.push_back(images);
    args.push_back(labels);
    args.push_back(scalar(double(validRows)));
    size_t before = diagnostics.size();
    auto results = reference::run(evalFunc, args);
    if (mlir::failed(results)) {
      ADD_FAILURE() << "reference run of @eval_step failed:\n"
                    << diagnosticsSince(before);
      return std::nullopt;
    }
    if (results->size() != 2) {
      ADD_FAILURE() << "@eval_step returned " << results->size()
                    << " values, expected 2";
      return std::nullopt;
    }
    return EvalResult{(*results)[0].data.at(0), (*results)[1].data.at(0)};
  }

  std::string diagnosticsSince(size_t index) const {
    std::string text;
    for (size_t i = index; i < diagnostics.size(); ++i)
      text += diagnostics[i].location + ": " + diagnostics[i].message + "\n";
    return text;
  }
};

namespace detail {

inline std::unique_ptr<StepModel> newModel() {
  auto model = std::make_unique<StepModel>();
  mlir::DialectRegistry registry;
  registerCompilerDialects(registry);
  model->context = std::make_unique<mlir::MLIRContext>(registry);
  model->context->disableMultithreading(); // the tests run on one core
  model->context->loadDialect<dl::DLDialect, mlir::func::FuncDialect>();
  StepModel *raw = model.get();
  model->handler = std::make_unique<mlir::ScopedDiagnosticHandler>(
      model->context.get(), [raw](mlir::Diagnostic &d) {
        std::string location;
        llvm::raw_string_ostream os(location);
        os << d.getLocation();
        std::string message = d.str();
        for (const mlir::Diagnostic &note : d.getNotes())
          message += "\n  note: " + note.str();
        raw->diagnostics.push_back({d.getSeverity(), message, location});
        return mlir::success();
      });
  return model;
}

/// Runs the pipeline to TrainGraph and reads the argument layout. Reports a
/// test failure and returns null if anything is off.
inline std::unique_ptr<StepModel> finish(std::unique_ptr<StepModel> model) {
  if (!model->module) {
    ADD_FAILURE() << "cannot parse the model:\n" << model->diagnosticText();
    return nullptr;
  }
  if (auto sgd =
          model->module->getOperation()->getAttrOfType<dl::SGDAttr>(
              dl::kOptimizerAttrName)) {
    model->lr = sgd.getLr().convertToDouble();
    model->weightDecay = sgd.getWeightDecay().convertToDouble();
    model->momentum = sgd.getMomentum().convertToDouble();
  }
  if (mlir::failed(
          runToStage(*model->module, Stage::TrainGraph, CompileOptions{}))) {
    ADD_FAILURE() << "dl-generate-train-step failed:\n"
                  << model->diagnosticText();
    return nullptr;
  }
  model->trainFunc =
      model->module->lookupSymbol<mlir::func::FuncOp>(dl::kTrainStepName);
  model->evalFunc =
      model->module->lookupSymbol<mlir::func::FuncOp>(dl::kEvalStepName);
  if (!model->trainFunc || !model->evalFunc) {
    ADD_FAILURE() << "no @train_step or @eval_step after the pass";
    return nullptr;
  }
  mlir::func::FuncOp train = model->trainFunc;
  for (unsigned i = 0; i < train.getNumArguments(); ++i) {
    auto type = mlir::dyn_cast<mlir::RankedTensorType>(
        train.getArgument(i).getType());
    if (auto name = train.getArgAttrOfType<mlir::StringAttr>(
            i, dl::kParamArgAttr)) {
      StepModel::Param p;
      p.name = name.str();
      p.shape.assign(type.getShape().begin(), type.getShape().end());
      p.init = train.getArgAttr(i, dl::kInitArgAttr);
      if (auto seed = train.getArgAttrOfType<mlir::IntegerAttr>(
              i, dl::kSeedArgAttr))
        p.seed = seed.getInt();
      model->params.push_back(p);
    } else if (train.getArgAttr(i, dl::kVelocityArgAttr)) {
      model->hasVelocities = true;
    } else if (train.getArgAttr(i, dl::kInputArgAttr)) {
      model->inputShape.assign(type.getShape().begin(), type.getShape().end());
    } else if (auto classes = train.getArgAttrOfType<mlir::IntegerAttr>(
                   i, dl::kClassesArgAttr)) {
      model->classes = classes.getInt();
    }
  }
  if (model->params.empty() || model->inputShape.empty() ||
      model->classes < 2) {
    ADD_FAILURE() << "cannot read the argument layout of @train_step";
    return nullptr;
  }
  return model;
}

} // namespace detail

/// Compiles `.dl` source text (named `bufferName` in locations) to the
/// TrainGraph stage. `batch`, when positive, overrides the batch size.
inline std::unique_ptr<StepModel>
compileModelText(const std::string &text, int64_t batch = 0,
                 const std::string &bufferName = "test.dl") {
  auto model = detail::newModel();
  llvm::SourceMgr sourceMgr;
  sourceMgr.AddNewSourceBuffer(
      llvm::MemoryBuffer::getMemBufferCopy(text, bufferName), llvm::SMLoc());
  FrontEndOptions options;
  options.batchOverride = batch;
  model->module = parseModelFile(sourceMgr, model->context.get(), options);
  model->fromModelLanguage = true;
  return detail::finish(std::move(model));
}

/// Compiles a .dl file.
inline std::unique_ptr<StepModel> compileModelFile(const std::string &path,
                                                   int64_t batch = 0) {
  auto buffer = llvm::MemoryBuffer::getFile(path);
  if (!buffer) {
    ADD_FAILURE() << "cannot read " << path;
    return nullptr;
  }
  return compileModelText((*buffer)->getBuffer().str(), batch, path);
}

/// Compiles a hand-written module holding func.func @model (dl ops).
inline std::unique_ptr<StepModel> compileMlirText(const std::string &text) {
  auto model = detail::newModel();
  model->module =
      mlir::parseSourceString<mlir::ModuleOp>(text, model->context.get());
  return detail::finish(std::move(model));
}

} // namespace dlc::test

#endif // DLC_TESTS_UNIT_TESTMODELS_H
