//===- MemoryPlan.cpp - buffers and launches of a compiled model ----------===//
//
// Every tensor gets a byte offset in one memory block that dlrun allocates
// once. Intermediates are placed by greedy best-offset packing over their
// lifetimes (in launch order): largest first, each at the lowest offset that
// does not collide with an already placed buffer alive at the same time.
// train_step and eval_step never run together, so they share the arena.
//
//===----------------------------------------------------------------------===//

#include "dlc/Plan/MemoryPlan.h"

#include "dlc/Dialect/DL/IR/DLOps.h"
#include "dlc/Dialect/DL/Transforms/Passes.h"
#include "dlc/Support/Diagnostics.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <limits>

using namespace mlir;
using namespace dlc;
using namespace dlc::plan;

static constexpr int64_t kAlignment = 64; // DLC_TENSOR_ALIGNMENT
static constexpr int64_t kPrivateScratchBytes = 4096;

static int64_t alignUp(int64_t v) {
  return (v + kAlignment - 1) / kAlignment * kAlignment;
}

StringRef dlc::plan::roleName(TensorRole role) {
  switch (role) {
  case TensorRole::Parameter:
    return "parameter";
  case TensorRole::Velocity:
    return "velocity";
  case TensorRole::Image:
    return "image";
  case TensorRole::Label:
    return "label";
  case TensorRole::Hyper:
    return "hyper";
  case TensorRole::Metric:
    return "metric";
  case TensorRole::Activation:
    return "activation";
  case TensorRole::Gradient:
    return "gradient";
  }
  return "?";
}

namespace {

class Planner {
public:
  explicit Planner(ModuleOp module) : module(module) {}
  FailureOr<MemoryPlan> run();

private:
  int addTensor(StringRef name, Type type, TensorRole role) {
    PlannedTensor t;
    t.name = name.str();
    auto tensor = dyn_cast<RankedTensorType>(type);
    Type element = tensor ? tensor.getElementType() : type;
    if (tensor)
      t.shape.assign(tensor.getShape().begin(), tensor.getShape().end());
    t.isInteger = element.isInteger(32);
    t.role = role;
    t.size = 4 * (tensor ? tensor.getNumElements() : 1);
    plan.tensors.push_back(t);
    return plan.tensors.size() - 1;
  }
  LogicalResult bindArguments(func::FuncOp step);
  LogicalResult planStep(func::FuncOp step,
                         SmallVectorImpl<PlannedLaunch> &launches);
  int kernelIndex(func::FuncOp kernel);

  ModuleOp module;
  ModuleOp kernels;
  MemoryPlan plan;
  llvm::StringMap<int> fixedByName; // "param:dense1.weight", "image", ...
  llvm::DenseMap<Value, int> tensorOf;
  llvm::StringMap<int> kernelIndices;
  llvm::DenseMap<int, int> views; // view tensor -> the tensor it reshapes

  // Arena candidates of the step being planned.
  struct Interval {
    int tensor;
    int first, last;
  };
  SmallVector<Interval> intervals;
  int64_t arenaEnd = 0;
};

int Planner::kernelIndex(func::FuncOp kernel) {
  auto [it, inserted] =
      kernelIndices.try_emplace(kernel.getSymName(), plan.kernels.size());
  if (!inserted)
    return it->second;
  PlannedKernel k;
  k.symbol = kernel.getSymName().str();
  if (auto origin = kernel->getAttrOfType<ArrayAttr>("dl.origin"))
    for (auto s : origin.getAsRange<StringAttr>())
      k.origin.push_back(s.str());
  k.argumentTypes.assign(kernel.getArgumentTypes().begin(),
                         kernel.getArgumentTypes().end());
  if (auto flops = kernel->getAttrOfType<IntegerAttr>("dl.flops"))
    k.flops = flops.getInt();
  if (auto wg = kernel->getAttrOfType<IntegerAttr>("dl.workgroups"))
    k.workgroups = wg.getInt();
  for (Type t : k.argumentTypes)
    if (auto tensor = dyn_cast<ShapedType>(t))
      k.bytes += 4 * tensor.getNumElements();
  plan.kernels.push_back(k);
  return it->second;
}

/// Fixed slots for the step's arguments, shared by both steps by role and
/// name.
LogicalResult Planner::bindArguments(func::FuncOp step) {
  llvm::StringMap<unsigned> argumentOf; // this step's keys
  for (BlockArgument arg : step.getArguments()) {
    DictionaryAttr attrs = step.getArgAttrDict(arg.getArgNumber());
    auto get = [&](StringRef key) {
      return attrs ? attrs.getAs<StringAttr>(key) : StringAttr();
    };
    std::string key;
    TensorRole role;
    std::string name;
    if (auto p = get(dl::kParamArgAttr)) {
      key = ("param:" + p.getValue()).str();
      role = TensorRole::Parameter;
      name = p.str();
    } else if (auto v = get(dl::kVelocityArgAttr)) {
      key = ("velocity:" + v.getValue()).str();
      role = TensorRole::Velocity;
      name = (v.getValue() + ".velocity").str();
    } else if (auto i = get(dl::kInputArgAttr)) {
      key = "image";
      role = TensorRole::Image;
      name = i.str();
    } else if (auto l = get(dl::kLabelArgAttr)) {
      key = "label";
      role = TensorRole::Label;
      name = l.str();
    } else if (auto h = get(dl::kHyperArgAttr)) {
      key = ("hyper:" + h.getValue()).str();
      role = TensorRole::Hyper;
      name = h.str();
    } else {
      return step.emitError("argument ")
             << arg.getArgNumber() << " has no dl role attribute";
    }
    // "param:w" -> "param 'w'", for messages.
    auto [kind, keyName] = StringRef(key).split(':');
    std::string what =
        keyName.empty() ? kind.str() : (kind + " '" + keyName + "'").str();
    auto [seen, inserted] = argumentOf.try_emplace(key, arg.getArgNumber());
    if (!inserted)
      return step.emitError("arguments ")
             << seen->second << " and " << arg.getArgNumber()
             << " are both the " << what;
    auto it = fixedByName.find(key);
    int index;
    if (it != fixedByName.end()) {
      index = it->second;
      // The steps share it: it must be the same tensor in both.
      const PlannedTensor &shared = plan.tensors[index];
      auto tensor = dyn_cast<RankedTensorType>(arg.getType());
      Type element = tensor ? tensor.getElementType() : arg.getType();
      if (shared.isInteger != element.isInteger(32) ||
          ArrayRef<int64_t>(shared.shape) !=
              (tensor ? tensor.getShape() : ArrayRef<int64_t>()))
        return step.emitError("argument ")
               << arg.getArgNumber() << ", the " << what << ", is "
               << dl::formatShape(arg.getType())
               << " here but not in the step before";
    } else {
      index = addTensor(name, arg.getType(), role);
      fixedByName[key] = index;
      if (role == TensorRole::Parameter) {
        PlannedInitializer init;
        init.tensor = index;
        init.init = attrs.get(dl::kInitArgAttr);
        if (!init.init)
          return step.emitError("argument ")
                 << arg.getArgNumber() << ", the " << what << ", has no '"
                 << dl::kInitArgAttr << "' initializer";
        if (auto seed = attrs.getAs<IntegerAttr>(dl::kSeedArgAttr))
          init.seed = seed.getInt();
        ArrayRef<int64_t> shape = plan.tensors[index].shape;
        int64_t receptive = 1;
        for (size_t d = 2; d < shape.size(); ++d)
          receptive *= shape[d];
        if (shape.size() == 2) {
          init.fanIn = shape[0];
          init.fanOut = shape[1];
        } else if (shape.size() >= 3) {
          init.fanIn = shape[1] * receptive;
          init.fanOut = shape[0] * receptive;
        } else if (shape.size() == 1) {
          init.fanIn = init.fanOut = shape[0];
        }
        plan.initializers.push_back(init);
      }
      if (role == TensorRole::Velocity)
        plan.hasMomentumState = true;
      if (role == TensorRole::Image) {
        plan.image = index;
        auto type = cast<RankedTensorType>(arg.getType());
        plan.batch = type.getDimSize(0);
        plan.imageShape.assign(type.getShape().begin() + 1,
                               type.getShape().end());
      }
      if (role == TensorRole::Label) {
        plan.label = index;
        auto classes = attrs.getAs<IntegerAttr>(dl::kClassesArgAttr);
        if (!classes)
          return step.emitError("argument ")
                 << arg.getArgNumber() << ", the label, has no '"
                 << dl::kClassesArgAttr << "' class count";
        plan.classes = classes.getInt();
      }
    }
    tensorOf[arg] = index;
  }
  return success();
}

LogicalResult Planner::planStep(func::FuncOp step,
                                SmallVectorImpl<PlannedLaunch> &launches) {
  if (failed(bindArguments(step)))
    return failure();
  intervals.clear();
  bool isTrain = step.getSymName() == dl::kTrainStepName;
  auto ret = dyn_cast<func::ReturnOp>(step.getBody().front().getTerminator());
  // The steps' contract with dlrun: @train_step returns each parameter and
  // velocity argument, in order, then the loss and the correct count;
  // @eval_step the summed loss and the correct count.
  unsigned numState = llvm::count_if(step.getArguments(), [&](BlockArgument a) {
    return step.getArgAttr(a.getArgNumber(), dl::kParamArgAttr) ||
           step.getArgAttr(a.getArgNumber(), dl::kVelocityArgAttr);
  });
  unsigned numUpdates = isTrain ? numState : 0;
  Builder b(step.getContext());
  if (!ret || ret.getNumOperands() != numUpdates + 2 ||
      ret.getOperand(numUpdates).getType() !=
          RankedTensorType::get({}, b.getF32Type()) ||
      ret.getOperand(numUpdates + 1).getType() !=
          RankedTensorType::get({}, b.getI32Type()))
    return step.emitError("@")
           << step.getSymName() << " must return "
           << (isTrain ? "its parameters and velocities updated, then " : "")
           << "the loss (f32) and the correct count (i32)";
  unsigned numResults = ret.getNumOperands();
  Value lossValue = ret.getOperand(numResults - 2);
  Value correctValue = ret.getOperand(numResults - 1);

  // Arena intervals, indexed by tensor; views extend their source's life.
  llvm::DenseMap<int, int> intervalOf;
  auto touch = [&](int tensor, int at) {
    auto it = intervalOf.find(tensor);
    if (it != intervalOf.end())
      intervals[it->second].last = std::max(intervals[it->second].last, at);
  };
  llvm::DenseMap<int, int> viewSource; // view tensor -> source tensor
  auto rootOf = [&](int tensor) {
    while (viewSource.count(tensor))
      tensor = viewSource[tensor];
    return tensor;
  };

  // Values overwritten in place must not be read after the overwrite.
  llvm::DenseMap<Value, int> overwrittenAt;

  int index = 0;
  for (Operation &op : step.getBody().front().without_terminator()) {
    for (Value operand : op.getOperands()) {
      auto it = overwrittenAt.find(operand);
      if (it != overwrittenAt.end() && it->second < index)
        return op.emitError("internal error: reads a value that launch ")
               << it->second << " overwrote in place";
      if (!tensorOf.count(operand))
        return op.emitError("internal error: operand has no buffer");
      touch(rootOf(tensorOf[operand]), index);
    }
    if (isa<dl::FlattenOp, dl::ReshapeOp>(op)) {
      int source = tensorOf[op.getOperand(0)];
      PlannedTensor view = plan.tensors[source];
      view.shape.assign(
          cast<RankedTensorType>(op.getResult(0).getType()).getShape().begin(),
          cast<RankedTensorType>(op.getResult(0).getType()).getShape().end());
      view.name = plan.tensors[source].name + ".view";
      plan.tensors.push_back(view);
      int viewIndex = plan.tensors.size() - 1;
      viewSource[viewIndex] = source;
      tensorOf[op.getResult(0)] = viewIndex;
      continue;
    }
    auto launch = dyn_cast<dl::LaunchOp>(op);
    if (!launch)
      return op.emitError("'")
             << op.getName()
             << "' is in a step after fusion, where only launches and "
                "views may be";
    auto kernel = SymbolTable::lookupNearestSymbolFrom<func::FuncOp>(
        module, launch.getKernel());
    if (!kernel)
      return launch.emitError("unknown kernel ") << launch.getKernel();
    auto aliases = kernel->getAttrOfType<DenseI64ArrayAttr>("dl.result_aliases");
    auto kinds = kernel->getAttrOfType<ArrayAttr>("dl.result_kinds");
    auto scratch = kernel->getAttrOfType<ArrayAttr>("dl.scratch");
    if (!aliases || !kinds || !scratch)
      return launch.emitError("kernel ")
             << launch.getKernel() << " is not lowered";

    PlannedLaunch planned;
    planned.kernel = kernelIndex(kernel);
    for (Value operand : launch.getInputs()) {
      planned.bindings.push_back(tensorOf[operand]);
      planned.access.push_back(kRead);
    }
    for (auto [i, result] : llvm::enumerate(launch.getOutputs())) {
      int64_t alias = aliases[i];
      if (alias >= 0) {
        tensorOf[result] = tensorOf[launch.getInputs()[alias]];
        overwrittenAt[launch.getInputs()[alias]] = index;
        planned.access[alias] = kRead | kWritten;
        continue;
      }
      std::string name =
          (kernel.getSymName() + ".out" + Twine(i)).str();
      int t;
      if (result == lossValue || result == correctValue) {
        bool isLoss = result == lossValue;
        std::string metric = (Twine(isTrain ? "train_" : "eval_") +
                              (isLoss ? "loss" : "correct"))
                                 .str();
        t = addTensor(metric, result.getType(), TensorRole::Metric);
        int &slot = isTrain ? (isLoss ? plan.trainLoss : plan.trainCorrect)
                            : (isLoss ? plan.evalLoss : plan.evalCorrect);
        slot = t;
      } else {
        bool gradient =
            cast<StringAttr>(kinds[i]).getValue() == "gradient";
        t = addTensor(name, result.getType(),
                      gradient ? TensorRole::Gradient : TensorRole::Activation);
        intervalOf[t] = intervals.size();
        intervals.push_back({t, index, index});
      }
      tensorOf[result] = t;
      planned.bindings.push_back(t);
      planned.access.push_back(kWritten);
    }
    for (auto [i, type] : llvm::enumerate(scratch.getAsValueRange<TypeAttr>())) {
      int t = addTensor((kernel.getSymName() + ".scratch" + Twine(i)).str(),
                        type, TensorRole::Gradient);
      if (!isTrain)
        plan.tensors[t].role = TensorRole::Activation;
      // A small scratch gets bytes of its own for the whole step: sharing
      // them would save little and order launches that are otherwise
      // independent (a GPU runs those concurrently).
      bool small = plan.tensors[t].size <= kPrivateScratchBytes;
      intervalOf[t] = intervals.size();
      intervals.push_back({t, small ? 0 : index,
                           small ? std::numeric_limits<int>::max() : index});
      planned.bindings.push_back(t);
      planned.access.push_back(kRead | kWritten);
    }
    // Kernels are compiled with their buffers marked noalias: a buffer the
    // launch writes in place must not also reach it as another binding.
    for (auto [i, result] : llvm::enumerate(launch.getOutputs())) {
      if (aliases[i] < 0)
        continue;
      int written = rootOf(tensorOf[launch.getInputs()[aliases[i]]]);
      for (auto [j, operand] : llvm::enumerate(launch.getInputs()))
        if (j != static_cast<size_t>(aliases[i]) &&
            rootOf(tensorOf[operand]) == written)
          return launch.emitError("internal error: kernel ")
                 << launch.getKernel() << " writes input " << aliases[i]
                 << " in place, which input " << j << " also reads";
    }
    launches.push_back(planned);
    ++index;
  }
  for (Value v : ret.getOperands())
    if (tensorOf.count(v))
      touch(rootOf(tensorOf[v]), index);
  // dlrun reads no results: an update is the launch that writes its
  // argument's buffer in place, and the value returned must be that one.
  for (unsigned i = 0; i < numUpdates; ++i)
    if (!tensorOf.count(ret.getOperand(i)) ||
        rootOf(tensorOf[ret.getOperand(i)]) !=
            rootOf(tensorOf[step.getArgument(i)]))
      return step.emitError("result ")
             << i << " of @train_step is not argument " << i
             << " updated in place";

  // Greedy placement: largest first, lowest offset free over the lifetime.
  SmallVector<Interval> order(intervals);
  // Ties in creation order, which is tensor order.
  llvm::sort(order, [&](const Interval &a, const Interval &b) {
    int64_t sizeA = plan.tensors[a.tensor].size;
    int64_t sizeB = plan.tensors[b.tensor].size;
    return sizeA != sizeB ? sizeA > sizeB : a.tensor < b.tensor;
  });
  struct Placed {
    int64_t offset, end;
    int first, last;
  };
  SmallVector<Placed> placed;
  for (const Interval &iv : order) {
    int64_t size = alignUp(plan.tensors[iv.tensor].size);
    plan.naiveSize += size;
    SmallVector<Placed> live;
    for (const Placed &p : placed)
      if (p.first <= iv.last && iv.first <= p.last)
        live.push_back(p);
    llvm::sort(live, [](const Placed &a, const Placed &b) {
      return a.offset < b.offset;
    });
    int64_t offset = 0;
    for (const Placed &p : live) {
      if (offset + size <= p.offset)
        break;
      offset = std::max(offset, p.end);
    }
    placed.push_back({offset, offset + size, iv.first, iv.last});
    plan.tensors[iv.tensor].offset = offset; // relative to the arena
    arenaEnd = std::max(arenaEnd, offset + size);
  }
  for (auto [view, source] : viewSource)
    views[view] = source;
  return success();
}

FailureOr<MemoryPlan> Planner::run() {
  kernels = module.lookupSymbol<ModuleOp>(dl::kKernelsModuleName);
  auto train = module.lookupSymbol<func::FuncOp>(dl::kTrainStepName);
  auto eval = module.lookupSymbol<func::FuncOp>(dl::kEvalStepName);
  if (!kernels || !train || !eval)
    return module.emitError("expected train_step, eval_step and kernels");
  for (func::FuncOp step : {train, eval})
    if (!step.getBody().hasOneBlock())
      return step.emitError("a step needs a body of one block");

  if (failed(planStep(train, plan.trainLaunches)))
    return failure();
  SmallVector<Interval> trainIntervals(intervals);
  if (failed(planStep(eval, plan.evalLaunches)))
    return failure();
  SmallVector<Interval> evalIntervals(intervals);

  llvm::DenseSet<int> arenaTensors;
  for (const Interval &iv : trainIntervals)
    arenaTensors.insert(iv.tensor);
  for (const Interval &iv : evalIntervals)
    arenaTensors.insert(iv.tensor);

  // Fixed slots first, then the arena; views take their source's offset.
  int64_t offset = 0;
  for (auto [i, t] : llvm::enumerate(plan.tensors)) {
    if (arenaTensors.contains(i) || views.count(i))
      continue;
    t.offset = offset;
    offset += alignUp(t.size);
  }
  plan.arenaOffset = offset;
  plan.arenaSize = arenaEnd;
  for (int t : arenaTensors)
    plan.tensors[t].offset += plan.arenaOffset;
  plan.memorySize = plan.arenaOffset + plan.arenaSize;
  for (auto [view, source] : views) {
    int root = source;
    while (views.count(root))
      root = views[root];
    plan.tensors[view].offset = plan.tensors[root].offset;
  }

  // dlrun quotes these names in its messages and refuses control bytes in
  // them; the verifiers cover the leaves, not what a module fed back to dlc
  // names itself and its kernels.
  if (std::optional<StringRef> name = module.getSymName();
      name && !dl::isPrintableName(*name))
    return module.emitError("the module's name holds control bytes");
  for (const PlannedKernel &k : plan.kernels)
    if (!dl::isPrintableName(k.symbol) ||
        llvm::any_of(k.origin, [](const std::string &origin) {
          return dl::hasControlBytes(origin);
        }))
      return module.emitError("kernel ")
             << (&k - plan.kernels.data())
             << ": its symbol or origin ops hold control bytes";
  for (const PlannedTensor &t : plan.tensors)
    if (!dl::isPrintableName(t.name))
      return module.emitError("tensor ")
             << (&t - plan.tensors.data()) << ": its name holds control bytes";

  for (auto &[key, index] : fixedByName) {
    if (key == "hyper:lr")
      plan.lr = index;
    else if (key == "hyper:weight_decay")
      plan.weightDecay = index;
    else if (key == "hyper:momentum")
      plan.momentum = index;
    else if (key == "hyper:valid_rows")
      plan.validRows = index;
  }
  return plan;
}

} // namespace

FailureOr<MemoryPlan> dlc::plan::planMemory(ModuleOp module) {
  return Planner(module).run();
}
