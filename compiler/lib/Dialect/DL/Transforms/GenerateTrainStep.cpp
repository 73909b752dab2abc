//===- GenerateTrainStep.cpp - autodiff and SGD from the forward graph ----===//
//
// The compiler, not the user, writes the backward graph: this pass turns the
// forward graph @model into @train_step (forward, reverse-mode gradient, SGD
// update) and @eval_step (forward with a masked, summed loss).
//
//===----------------------------------------------------------------------===//

#include "dlc/Dialect/DL/Transforms/Passes.h"

#include "dlc/Dialect/DL/IR/DLOps.h"

#include "mlir/Analysis/SliceAnalysis.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/IRMapping.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringMap.h"

namespace dlc::dl {
#define GEN_PASS_DEF_GENERATETRAINSTEP
#include "dlc/Dialect/DL/Transforms/Passes.h.inc"
} // namespace dlc::dl

using namespace mlir;
using namespace dlc;
using namespace dlc::dl;

namespace {

/// The leaves of the forward graph, in the order they become arguments.
struct Leaves {
  SmallVector<ParamOp> params;
  InputOp input;
  LabelOp label;
  SoftmaxCEOp loss;
};

FailureOr<Leaves> collectLeaves(func::FuncOp model) {
  if (model.isExternal() || !model.getBody().hasOneBlock())
    return model.emitError("@model needs a body of one block");
  if (model.getNumArguments() != 0)
    return model.emitError("@model takes no arguments; its leaves are "
                           "dl.input, dl.label and dl.param ops");
  Leaves leaves;
  llvm::StringMap<ParamOp> paramsByName;
  for (Operation &op : model.getBody().front()) {
    if (auto param = dyn_cast<ParamOp>(op)) {
      auto [it, inserted] = paramsByName.try_emplace(param.getName(), param);
      if (!inserted) {
        InFlightDiagnostic diag =
            param.emitError("a second parameter named '")
            << param.getName() << "'";
        diag.attachNote(it->second.getLoc()) << "the first is here";
        return diag;
      }
      leaves.params.push_back(param);
    } else if (auto input = dyn_cast<InputOp>(op)) {
      if (leaves.input)
        return op.emitError("a model has one dl.input");
      leaves.input = input;
    } else if (auto label = dyn_cast<LabelOp>(op)) {
      if (leaves.label)
        return op.emitError("a model has one dl.label");
      leaves.label = label;
    } else if (auto loss = dyn_cast<SoftmaxCEOp>(op)) {
      if (leaves.loss)
        return op.emitError("a model has one loss");
      leaves.loss = loss;
    }
  }
  if (!leaves.input || !leaves.label)
    return model.emitError("@model needs a dl.input and a dl.label");
  if (!leaves.loss)
    return model.emitError("@model has no dl.softmax_ce loss to train on");
  if (leaves.params.empty())
    return model.emitError("@model has no dl.param: nothing to train");
  auto ret = dyn_cast<func::ReturnOp>(model.getBody().front().getTerminator());
  if (!ret || ret.getNumOperands() != 2 ||
      ret.getOperand(0) != leaves.loss.getLoss() ||
      ret.getOperand(1) != leaves.loss.getCorrect())
    return model.emitError("@model must return the softmax_ce loss and "
                           "correct count");
  return leaves;
}

/// Builds a function whose leading arguments replace the leaf ops and clones
/// the forward graph into it. `extra` arguments follow the leaves.
struct StepBuilder {
  OpBuilder &b;
  Leaves leaves;
  func::FuncOp func;
  IRMapping mapping;
  Block *body = nullptr;

  StepBuilder(OpBuilder &b, Leaves leaves) : b(b), leaves(leaves) {}

  /// Arguments: params, `velocities` (one per param if true), input, label,
  /// then `extraTypes` with their `extraAttrs`.
  void create(Location loc, StringRef name, bool velocities,
              ArrayRef<Type> extraTypes,
              ArrayRef<NamedAttribute> extraAttrs) {
    SmallVector<Type> argTypes;
    SmallVector<DictionaryAttr> argAttrs;
    MLIRContext *ctx = b.getContext();
    auto dict = [&](ArrayRef<NamedAttribute> attrs) {
      return DictionaryAttr::get(ctx, attrs);
    };
    for (ParamOp p : leaves.params) {
      argTypes.push_back(p.getType());
      argAttrs.push_back(dict({b.getNamedAttr(kParamArgAttr, p.getNameAttr()),
                               b.getNamedAttr(kInitArgAttr, p.getInit()),
                               b.getNamedAttr(kSeedArgAttr, p.getSeedAttr())}));
    }
    if (velocities)
      for (ParamOp p : leaves.params) {
        argTypes.push_back(p.getType());
        argAttrs.push_back(
            dict({b.getNamedAttr(kVelocityArgAttr, p.getNameAttr())}));
      }
    argTypes.push_back(leaves.input.getType());
    argAttrs.push_back(
        dict({b.getNamedAttr(kInputArgAttr, leaves.input.getNameAttr())}));
    argTypes.push_back(leaves.label.getType());
    argAttrs.push_back(
        dict({b.getNamedAttr(kLabelArgAttr, leaves.label.getNameAttr()),
              b.getNamedAttr(kClassesArgAttr, leaves.label.getClassesAttr())}));
    for (auto [type, attr] : llvm::zip(extraTypes, extraAttrs)) {
      argTypes.push_back(type);
      argAttrs.push_back(dict({attr}));
    }

    func = func::FuncOp::create(b, loc, name, b.getFunctionType(argTypes, {}));
    func.setAllArgAttrs(argAttrs);
    body = func.addEntryBlock();
    // Name each argument after what it binds, so dumps printed with
    // name-locations-as-prefix read %dense1.weight instead of %arg0.
    for (BlockArgument arg : body->getArguments()) {
      DictionaryAttr attrs = argAttrs[arg.getArgNumber()];
      for (StringRef key : {kParamArgAttr, kVelocityArgAttr, kInputArgAttr,
                            kLabelArgAttr, kHyperArgAttr})
        if (auto text = attrs.getAs<StringAttr>(key)) {
          std::string argName = text.str();
          if (key == StringRef(kVelocityArgAttr))
            argName += ".velocity";
          arg.setLoc(NameLoc::get(b.getStringAttr(argName), loc));
        }
    }

    unsigned i = 0;
    for (ParamOp p : leaves.params)
      mapping.map(p.getResult(), body->getArgument(i++));
    if (velocities)
      i += leaves.params.size();
    mapping.map(leaves.input.getResult(), body->getArgument(i++));
    mapping.map(leaves.label.getResult(), body->getArgument(i++));
  }

  Value param(unsigned i) { return body->getArgument(i); }
  Value velocity(unsigned i) {
    return body->getArgument(leaves.params.size() + i);
  }
  Value arg(unsigned i) { return body->getArgument(i); }

  /// Clones every non-leaf op of @model but the terminator.
  void cloneForward(func::FuncOp model, OpBuilder &inner) {
    for (Operation &op : model.getBody().front().without_terminator())
      if (!isa<ParamOp, InputOp, LabelOp>(op))
        inner.clone(op, mapping);
  }

  void finish(OpBuilder &inner, Location loc, ValueRange results) {
    func::ReturnOp::create(inner, loc, results);
    func.setFunctionType(
        b.getFunctionType(func.getArgumentTypes(), TypeRange(results)));
  }
};

/// Erases pure ops whose results are unused, last to first.
void eraseDeadOps(Block &block) {
  for (Operation &op : llvm::make_early_inc_range(llvm::reverse(block)))
    if (!op.hasTrait<OpTrait::IsTerminator>() && op.use_empty() &&
        isa<DLDialect>(op.getDialect()))
      op.erase();
}

/// Reverse-mode differentiation of the ops of `block` (already cloned
/// forward ops), seeded with d(loss) = 1. Returns the gradient of each
/// value in `wrt`, or a null Value for those that do not reach the loss.
FailureOr<SmallVector<Value>> differentiate(OpBuilder &b, Block &block,
                                            Value loss, ValueRange wrt) {
  // Only values that depend on a parameter need a gradient.
  llvm::DenseSet<Value> dependsOnParam(wrt.begin(), wrt.end());
  SmallVector<Operation *> forward;
  for (Operation &op : block.without_terminator()) {
    forward.push_back(&op);
    if (llvm::any_of(op.getOperands(),
                     [&](Value v) { return dependsOnParam.contains(v); }))
      for (Value r : op.getResults())
        if (isa<FloatType>(getElementTypeOrSelf(r.getType())))
          dependsOnParam.insert(r);
  }

  llvm::DenseMap<Value, Value> grads;
  Location lossLoc = loss.getLoc();
  grads[loss] = ConstantOp::create(b, lossLoc, loss.getType(),
                                   b.getF32FloatAttr(1.0f));
  auto accumulate = [&](Value v, Value g, Location loc) {
    auto [it, inserted] = grads.try_emplace(v, g);
    if (!inserted)
      it->second = AddOp::create(b, loc, it->second, g);
  };

  for (Operation *op : llvm::reverse(forward)) {
    SmallVector<Value> resultGrads;
    bool any = false;
    for (Value r : op->getResults()) {
      resultGrads.push_back(grads.lookup(r));
      any |= static_cast<bool>(resultGrads.back());
    }
    if (!any)
      continue;
    SmallVector<bool> needed;
    bool anyNeeded = false;
    for (Value operand : op->getOperands()) {
      needed.push_back(dependsOnParam.contains(operand));
      anyNeeded |= needed.back();
    }
    if (!anyNeeded)
      continue;
    auto differentiable = dyn_cast<DifferentiableOpInterface>(op);
    if (!differentiable)
      return op->emitError("no gradient rule for '")
             << op->getName()
             << "': it lies between a parameter and the loss; implement "
                "DifferentiableOpInterface for it";
    SmallVector<Value> operandGrads(op->getNumOperands());
    if (failed(differentiable.buildGradients(b, resultGrads, needed,
                                             operandGrads)))
      return failure();
    for (auto [operand, g, need] :
         llvm::zip(op->getOperands(), operandGrads, needed))
      if (need && g)
        accumulate(operand, g, op->getLoc());
  }

  SmallVector<Value> result;
  for (Value v : wrt)
    result.push_back(grads.lookup(v));
  return result;
}

struct GenerateTrainStepPass
    : public dl::impl::GenerateTrainStepBase<GenerateTrainStepPass> {
  void runOnOperation() override;
  LogicalResult buildTrainStep(func::FuncOp model, Leaves leaves,
                               bool momentum);
  LogicalResult buildEvalStep(func::FuncOp model, Leaves leaves);
};

LogicalResult GenerateTrainStepPass::buildTrainStep(func::FuncOp model,
                                                    Leaves leaves,
                                                    bool momentum) {
  ModuleOp module = getOperation();
  OpBuilder b(module.getContext());
  b.setInsertionPoint(model);
  Type f32 = b.getF32Type();
  StepBuilder step(b, leaves);
  step.create(model.getLoc(), kTrainStepName, momentum, {f32, f32, f32},
              {b.getNamedAttr(kHyperArgAttr, b.getStringAttr("lr")),
               b.getNamedAttr(kHyperArgAttr, b.getStringAttr("weight_decay")),
               b.getNamedAttr(kHyperArgAttr, b.getStringAttr("momentum"))});
  OpBuilder inner = OpBuilder::atBlockEnd(step.body);
  step.cloneForward(model, inner);

  size_t numParams = leaves.params.size();
  unsigned hyper = step.func.getNumArguments() - 3;
  Value lr = step.arg(hyper), weightDecay = step.arg(hyper + 1),
        momentumValue = step.arg(hyper + 2);
  Value loss = step.mapping.lookup(leaves.loss.getLoss());
  Value correct = step.mapping.lookup(leaves.loss.getCorrect());

  SmallVector<Value> params;
  for (unsigned i = 0; i < numParams; ++i)
    params.push_back(step.param(i));
  FailureOr<SmallVector<Value>> grads =
      differentiate(inner, *step.body, loss, params);
  if (failed(grads))
    return failure();

  SmallVector<Value> newParams, newVelocities;
  for (unsigned i = 0; i < numParams; ++i) {
    Value g = (*grads)[i];
    Location loc = leaves.params[i].getLoc();
    if (!g) {
      // Weight decay alone would still move it, but a parameter the loss
      // never sees is almost surely a modelling mistake: say so.
      mlir::emitWarning(loc, "parameter '")
          << leaves.params[i].getName()
          << "' does not reach the loss; it is left untrained";
      newParams.push_back(params[i]);
      if (momentum)
        newVelocities.push_back(step.velocity(i));
      continue;
    }
    if (momentum) {
      auto update = SGDMomentumUpdateOp::create(inner, loc, params[i],
                                                step.velocity(i), g, lr,
                                                weightDecay, momentumValue);
      newParams.push_back(update.getNewParam());
      newVelocities.push_back(update.getNewVelocity());
    } else {
      newParams.push_back(
          SGDUpdateOp::create(inner, loc, params[i], g, lr, weightDecay));
    }
  }

  SmallVector<Value> results(newParams);
  results.append(newVelocities);
  results.push_back(loss);
  results.push_back(correct);
  step.finish(inner, model.getLoc(), results);
  // Forward ops that reach neither the loss nor a gradient would otherwise
  // become kernels that run every step for nothing.
  eraseDeadOps(*step.body);
  return success();
}

LogicalResult GenerateTrainStepPass::buildEvalStep(func::FuncOp model,
                                                   Leaves leaves) {
  ModuleOp module = getOperation();
  OpBuilder b(module.getContext());
  b.setInsertionPoint(model);
  StepBuilder step(b, leaves);
  step.create(model.getLoc(), kEvalStepName, /*velocities=*/false,
              {b.getI32Type()},
              {b.getNamedAttr(kHyperArgAttr, b.getStringAttr("valid_rows"))});
  OpBuilder inner = OpBuilder::atBlockEnd(step.body);
  step.cloneForward(model, inner);

  auto loss = cast<SoftmaxCEOp>(step.mapping.lookup(leaves.loss.getLoss())
                                    .getDefiningOp());
  auto eval = SoftmaxCEEvalOp::create(
      inner, loss.getLoc(), loss.getLogits(), loss.getLabels(),
      step.arg(step.func.getNumArguments() - 1));
  step.finish(inner, model.getLoc(),
              ValueRange{eval.getLossSum(), eval.getCorrect()});
  eraseDeadOps(*step.body);
  return success();
}

void GenerateTrainStepPass::runOnOperation() {
  ModuleOp module = getOperation();
  auto model = module.lookupSymbol<func::FuncOp>(kModelFuncName);
  if (!model) {
    module.emitError("no func.func @model: nothing to differentiate");
    return signalPassFailure();
  }
  auto sgd = module->getAttrOfType<SGDAttr>(kOptimizerAttrName);
  if (!sgd) {
    module.emitError("the module carries no '")
        << kOptimizerAttrName << "' attribute (#dl.sgd<...>)";
    return signalPassFailure();
  }
  FailureOr<Leaves> leaves = collectLeaves(model);
  if (failed(leaves))
    return signalPassFailure();
  // Only a .mlir model can do this; the model language feeds the input to
  // its first layer.
  SetVector<Operation *> usesOfInput;
  getForwardSlice(leaves->input.getResult(), &usesOfInput);
  if (!usesOfInput.contains(leaves->loss))
    mlir::emitWarning(leaves->input.getLoc(), "input '")
        << leaves->input.getName()
        << "' does not reach the loss; the model ignores its data";
  bool momentum = !sgd.getMomentum().isZero();
  if (failed(buildTrainStep(model, *leaves, momentum)) ||
      failed(buildEvalStep(model, *leaves)))
    return signalPassFailure();
  model.erase();
}

} // namespace
