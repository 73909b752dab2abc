//===- FormKernels.cpp - partition steps into fused kernels ---------------===//
//
// A kernel is one launch of the runtime. Fusing an op into its producer's
// kernel saves a launch and, for elementwise epilogues, a round trip of the
// tensor through memory. The rules are a small table of producer/consumer
// pairs that the lowering knows how to emit as one kernel.
//
//===----------------------------------------------------------------------===//

#include "dlc/Dialect/DL/Transforms/Passes.h"

#include "dlc/Dialect/DL/IR/DLOps.h"
#include "dlc/Support/Diagnostics.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/IRMapping.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/ADT/TypeSwitch.h"

namespace dlc::dl {
#define GEN_PASS_DEF_FORMKERNELS
#include "dlc/Dialect/DL/Transforms/Passes.h.inc"
} // namespace dlc::dl

using namespace mlir;
using namespace dlc;
using namespace dlc::dl;

namespace {

/// Ops that are views of their operand: the memory planner aliases them.
bool isView(Operation *op) { return isa<FlattenOp, ReshapeOp>(op); }

/// The operand through which `consumer` may join its producer's kernel, or
/// null. The producer kinds are those whose lowering leaves the value in a
/// destination the consumer can update in place.
Value fusibleOperand(Operation *consumer) {
  if (isa<ReluOp, SigmoidOp>(consumer)) {
    Value in = consumer->getOperand(0);
    if (isa_and_nonnull<DenseOp, Conv2DOp>(in.getDefiningOp()))
      return in;
    return {};
  }
  if (isa<ReluGradOp, SigmoidGradOp>(consumer)) {
    Value dy = consumer->getOperand(0);
    if (isa_and_nonnull<DenseGradInputOp, Conv2DGradInputOp, MaxPool2DGradOp,
                        AvgPool2DGradOp>(dy.getDefiningOp()))
      return dy;
    return {};
  }
  if (auto update = dyn_cast<SGDUpdateOp>(consumer)) {
    Value g = update.getGrad();
    if (isa_and_nonnull<DenseGradWeightOp, Conv2DGradFilterOp, BiasGradOp>(
            g.getDefiningOp()))
      return g;
    return {};
  }
  if (auto update = dyn_cast<SGDMomentumUpdateOp>(consumer)) {
    Value g = update.getGrad();
    if (isa_and_nonnull<DenseGradWeightOp, Conv2DGradFilterOp, BiasGradOp>(
            g.getDefiningOp()))
      return g;
    return {};
  }
  return {};
}

int64_t numElements(Value v) {
  auto type = dyn_cast<RankedTensorType>(v.getType());
  return type ? type.getNumElements() : 1;
}

/// Floating-point operations of one op (a multiply-add counts two), for
/// --emit=kernels and the benchmark's GFLOP/s.
int64_t countFlops(Operation *op) {
  auto shape = [](Value v) { return cast<RankedTensorType>(v.getType()).getShape(); };
  return llvm::TypeSwitch<Operation *, int64_t>(op)
      .Case([&](DenseOp d) {
        return 2 * numElements(d.getResult()) * shape(d.getInput())[1];
      })
      .Case([&](DenseGradInputOp d) {
        return 2 * numElements(d.getResult()) * shape(d.getWeight())[1];
      })
      .Case([&](DenseGradWeightOp d) {
        return 2 * numElements(d.getResult()) * shape(d.getInput())[0];
      })
      .Case([&](Conv2DOp c) {
        auto w = shape(c.getFilter());
        return 2 * numElements(c.getResult()) * w[1] * w[2] * w[3];
      })
      .Case([&](Conv2DGradInputOp c) {
        auto w = shape(c.getFilter());
        return 2 * numElements(c.getResultGrad()) * w[1] * w[2] * w[3];
      })
      .Case([&](Conv2DGradFilterOp c) {
        auto w = shape(c.getResult());
        return 2 * numElements(c.getResultGrad()) * w[1] * w[2] * w[3];
      })
      .Case<MaxPool2DOp, AvgPool2DOp>([&](Operation *p) {
        int64_t k = p->getAttrOfType<IntegerAttr>("kernel").getInt();
        return numElements(p->getResult(0)) * k * k;
      })
      .Case<MaxPool2DGradOp, AvgPool2DGradOp>([&](Operation *p) {
        int64_t k = p->getAttrOfType<IntegerAttr>("kernel").getInt();
        return numElements(p->getOperand(0)) * k * k;
      })
      .Case<SoftmaxCEOp, SoftmaxCEGradOp, SoftmaxCEEvalOp>(
          [&](Operation *s) { return 4 * numElements(s->getOperand(0)); })
      .Case<SGDUpdateOp>([&](Operation *u) { return 4 * numElements(u->getResult(0)); })
      .Case<SGDMomentumUpdateOp>(
          [&](Operation *u) { return 6 * numElements(u->getResult(0)); })
      .Default([&](Operation *o) {
        return o->getNumResults() ? numElements(o->getResult(0)) : 0;
      });
}

struct Group {
  SmallVector<Operation *> ops;
  /// A dense layer with the loss gradient of its logits (fuse-loss-gradient).
  bool lossGradient = false;
};

class KernelFormer {
public:
  KernelFormer(ModuleOp kernels, unsigned &counter, bool fuseLossGradient)
      : kernels(kernels), counter(counter),
        fuseLossGradient(fuseLossGradient) {}

  LogicalResult run(func::FuncOp step);

private:
  void formGroups(Block &body);
  Group *lossGradientTarget(Operation *op);
  bool canJoin(Operation *op, Group &group);
  bool sinkUsersBetween(Operation *op, Group &group);
  void outline(Group &group, StringRef stepName);

  ModuleOp kernels;
  unsigned &counter;
  bool fuseLossGradient;
  SmallVector<std::unique_ptr<Group>> groups;
  llvm::DenseMap<Operation *, Group *> groupOf;
};

/// `op` may join `group` if moving the group to `op`'s position keeps every
/// use of the group's results after it: no op outside the group between the
/// group's first op and `op` may use a group result.
bool KernelFormer::canJoin(Operation *op, Group &group) {
  Operation *first = group.ops.front();
  for (Operation *it = first->getNextNode(); it && it != op;
       it = it->getNextNode()) {
    if (groupOf.lookup(it) == &group)
      continue;
    for (Value operand : it->getOperands())
      if (Operation *def = operand.getDefiningOp())
        if (groupOf.lookup(def) == &group)
          return false;
  }
  return true;
}

/// With fuse-loss-gradient, the group `op` joins as part of a loss
/// gradient's chain, or null: softmax_ce_grad joins the dense layer that
/// computes its logits (not its softmax_ce), and the input gradient of that
/// layer's input joins the loss gradient. The chain's ops are each row-local
/// (row n of every result reads row n of the batch), so the kernel splits
/// into slices of rows; the loss and the correct count, sums over all rows,
/// stay a kernel of their own, which nothing in the step waits for.
Group *KernelFormer::lossGradientTarget(Operation *op) {
  if (!fuseLossGradient)
    return nullptr;
  if (auto grad = dyn_cast<SoftmaxCEGradOp>(op)) {
    auto dense = grad.getLogits().getDefiningOp<DenseOp>();
    // Row slices' threads each take whole dot products of the dense layer
    // (dl-distribute-workgroups leaves longer ones unsliced, in phases).
    if (!dense ||
        cast<RankedTensorType>(dense.getInput().getType()).getDimSize(1) >
            kMaxIterationsPerThread)
      return nullptr;
    Group *group = groupOf.lookup(dense);
    return group && group->ops.size() == 1 ? group : nullptr;
  }
  if (auto input = dyn_cast<DenseGradInputOp>(op)) {
    Operation *dy = input.getResultGrad().getDefiningOp();
    Group *group = dy ? groupOf.lookup(dy) : nullptr;
    if (group && group->lossGradient && isa<SoftmaxCEGradOp>(dy))
      return group;
  }
  return nullptr;
}

/// For a loss gradient's chain: moves the ops between `group`'s first op and
/// `op` that use the group's results (the loss, other users of the logits'
/// gradient) to just after `op`, in order, so that the group may take `op`
/// (canJoin). Fails, moving nothing, when one of them feeds an op that stays
/// before `op`.
bool KernelFormer::sinkUsersBetween(Operation *op, Group &group) {
  SmallVector<Operation *> moved;
  llvm::SmallPtrSet<Operation *, 8> movedSet;
  for (Operation *it = group.ops.front()->getNextNode(); it && it != op;
       it = it->getNextNode()) {
    if (groupOf.lookup(it) == &group)
      continue;
    bool usesGroup = llvm::any_of(it->getOperands(), [&](Value operand) {
      Operation *def = operand.getDefiningOp();
      return def && (groupOf.lookup(def) == &group || movedSet.contains(def));
    });
    if (usesGroup) {
      moved.push_back(it);
      movedSet.insert(it);
    }
  }
  for (Operation *m : moved) {
    for (Operation *user : m->getUsers())
      if (!movedSet.contains(user) && user->getBlock() == op->getBlock() &&
          (user == op || user->isBeforeInBlock(op)))
        return false;
    // A group's launch goes where its last op is: moving part of a group
    // would move the rest's results past their users. (Views have none.)
    if (Group *other = groupOf.lookup(m))
      for (Operation *member : other->ops)
        if (!movedSet.contains(member))
          return false;
  }
  Operation *after = op;
  for (Operation *m : moved) {
    m->moveAfter(after);
    after = m;
  }
  return true;
}

void KernelFormer::formGroups(Block &body) {
  for (Operation &op : llvm::make_early_inc_range(body.without_terminator())) {
    if (isView(&op) || isa<ConstantOp>(op))
      continue;
    Group *target = nullptr;
    bool chainsLossGradient = false;
    if (Group *chain = lossGradientTarget(&op);
        chain && sinkUsersBetween(&op, *chain)) {
      target = chain;
      chainsLossGradient = true;
    } else if (Value in = fusibleOperand(&op)) {
      Operation *producer = in.getDefiningOp();
      // Only a single use: the consumer overwrites the producer's value.
      if (in.hasOneUse())
        target = groupOf.lookup(producer);
      // The end of a loss gradient's chain (its relu gradient) may need
      // the other users of the chain's results moved after it.
      if (target && target->lossGradient && !canJoin(&op, *target) &&
          !sinkUsersBetween(&op, *target))
        target = nullptr;
    } else if (auto grad = dyn_cast<SoftmaxCEGradOp>(op)) {
      // Sibling fusion: the gradient reuses the row statistics of the loss.
      for (Operation *user : grad.getLogits().getUsers())
        if (auto loss = dyn_cast<SoftmaxCEOp>(user))
          if (loss.getLabels() == grad.getLabels())
            target = groupOf.lookup(loss);
    }
    if (target && canJoin(&op, *target)) {
      target->ops.push_back(&op);
      target->lossGradient |= chainsLossGradient;
      groupOf[&op] = target;
      continue;
    }
    groups.push_back(std::make_unique<Group>());
    groups.back()->ops.push_back(&op);
    groupOf[&op] = groups.back().get();
  }
}

/// A readable kernel name from its ops: "dense_relu", "softmax_ce_grad".
std::string kernelName(ArrayRef<Operation *> ops) {
  std::string name;
  for (Operation *op : ops) {
    StringRef opName = op->getName().stripDialect();
    // softmax_ce + softmax_ce_grad reads better as softmax_ce_grad.
    if (!name.empty() && opName.starts_with(name))
      opName = opName.drop_front(name.size()).ltrim("_");
    if (!name.empty())
      name += "_";
    name += opName.str();
  }
  return name;
}

void KernelFormer::outline(Group &group, StringRef stepName) {
  llvm::SmallPtrSet<Operation *, 8> members(group.ops.begin(),
                                            group.ops.end());
  llvm::SetVector<Value> inputs;
  SmallVector<Operation *> constants;
  for (Operation *op : group.ops)
    for (Value operand : op->getOperands()) {
      Operation *def = operand.getDefiningOp();
      if (def && members.contains(def))
        continue;
      if (auto constant = dyn_cast_or_null<ConstantOp>(def)) {
        if (!llvm::is_contained(constants, def))
          constants.push_back(def);
        continue;
      }
      inputs.insert(operand);
    }
  SmallVector<Value> outputs;
  for (Operation *op : group.ops)
    for (Value result : op->getResults())
      if (llvm::any_of(result.getUsers(), [&](Operation *user) {
            return !members.contains(user);
          }))
        outputs.push_back(result);

  MLIRContext *ctx = kernels.getContext();
  OpBuilder b(ctx);
  b.setInsertionPointToEnd(kernels.getBody());
  std::string name = ("k" + Twine(counter++) + "_" + kernelName(group.ops)).str();
  auto kernel = func::FuncOp::create(
      b, group.ops.back()->getLoc(), name,
      b.getFunctionType(llvm::to_vector(TypeRange(inputs.getArrayRef())),
                        llvm::to_vector(TypeRange(outputs))));
  // Private: only launches refer to kernels (and bufferization may then
  // drop results that are just the destination arguments).
  kernel.setPrivate();
  Block *body = kernel.addEntryBlock();
  IRMapping mapping;
  for (auto [input, arg] : llvm::zip(inputs, body->getArguments()))
    mapping.map(input, arg);
  OpBuilder inner = OpBuilder::atBlockEnd(body);
  for (Operation *constant : constants)
    inner.clone(*constant, mapping);
  for (Operation *op : group.ops)
    inner.clone(*op, mapping);
  SmallVector<Value> results;
  for (Value output : outputs)
    results.push_back(mapping.lookup(output));
  func::ReturnOp::create(inner, kernel.getLoc(), results);

  // Provenance for dumps and the plan: "dl.dense @ mlp.dl:6:10".
  SmallVector<Attribute> origin;
  for (Operation *op : group.ops)
    origin.push_back(b.getStringAttr(op->getName().getStringRef() + " @ " +
                                     formatLocation(op->getLoc())));
  kernel->setAttr("dl.origin", b.getArrayAttr(origin));
  kernel->setAttr("dl.step", b.getStringAttr(stepName));
  int64_t flops = 0;
  for (Operation *op : group.ops)
    flops += countFlops(op);
  kernel->setAttr("dl.flops", b.getI64IntegerAttr(flops));

  // Updates overwrite their parameter (and velocity) in place.
  SmallVector<int64_t> aliases;
  for (Value output : outputs) {
    int64_t alias = -1;
    Operation *def = output.getDefiningOp();
    Value overwritten;
    if (auto update = dyn_cast<SGDUpdateOp>(def))
      overwritten = update.getParam();
    else if (auto update = dyn_cast<SGDMomentumUpdateOp>(def))
      overwritten = output == update.getNewParam() ? update.getParam()
                                                   : update.getVelocity();
    if (overwritten) {
      auto it = llvm::find(inputs, overwritten);
      if (it != inputs.end())
        alias = it - inputs.begin();
    }
    aliases.push_back(alias);
  }
  kernel->setAttr("dl.result_aliases", b.getDenseI64ArrayAttr(aliases));

  // What each result holds, for the plan's tensor roles: values of forward
  // ops are activations; everything else a gradient-side value.
  SmallVector<Attribute> kinds;
  for (Value output : outputs)
    kinds.push_back(b.getStringAttr(
        isa<DifferentiableOpInterface>(output.getDefiningOp()) &&
                !isa<SoftmaxCEOp>(output.getDefiningOp())
            ? "activation"
            : "gradient"));
  kernel->setAttr("dl.result_kinds", b.getArrayAttr(kinds));

  Operation *last = group.ops.back();
  OpBuilder at(last);
  auto launch = LaunchOp::create(
      at, last->getLoc(), TypeRange(outputs),
      SymbolRefAttr::get(kernels.getSymNameAttr(),
                         {FlatSymbolRefAttr::get(kernel.getSymNameAttr())}),
      inputs.getArrayRef());
  for (auto [output, replacement] : llvm::zip(outputs, launch.getResults()))
    output.replaceAllUsesWith(replacement);
  for (Operation *op : llvm::reverse(group.ops))
    op->erase();
}

LogicalResult KernelFormer::run(func::FuncOp step) {
  groups.clear();
  groupOf.clear();
  Block &body = step.getBody().front();
  formGroups(body);
  for (auto &group : groups)
    outline(*group, step.getSymName());
  // Constants now live inside the kernels that use them.
  for (Operation &op : llvm::make_early_inc_range(body))
    if (isa<ConstantOp>(op) && op.use_empty())
      op.erase();
  return success();
}

struct FormKernelsPass : public dl::impl::FormKernelsBase<FormKernelsPass> {
  using FormKernelsBase::FormKernelsBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    if (Operation *formed = module.lookupSymbol(kKernelsModuleName)) {
      formed->emitError("the steps are already formed into kernels: @")
          << kKernelsModuleName << " exists";
      return signalPassFailure();
    }
    OpBuilder b(module.getContext());
    b.setInsertionPointToEnd(module.getBody());
    auto kernels = ModuleOp::create(b, module.getLoc(), kKernelsModuleName);
    unsigned counter = 0;
    for (StringRef name : {kTrainStepName, kEvalStepName}) {
      auto step = module.lookupSymbol<func::FuncOp>(name);
      if (!step) {
        module.emitError("no @") << name << ": run dl-generate-train-step first";
        return signalPassFailure();
      }
      KernelFormer former(kernels, counter, fuseLossGradient);
      if (failed(former.run(step)))
        return signalPassFailure();
    }
  }
};

} // namespace
