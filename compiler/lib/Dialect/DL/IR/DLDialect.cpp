//===- DLDialect.cpp - dl dialect registration and attributes ------------===//

#include "dlc/Dialect/DL/IR/DLDialect.h"
#include "dlc/Dialect/DL/IR/DLOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace dlc::dl;

#include "dlc/Dialect/DL/IR/DLDialect.cpp.inc"
#include "dlc/Dialect/DL/IR/DLInterfaces.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "dlc/Dialect/DL/IR/DLAttrs.cpp.inc"

void DLDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "dlc/Dialect/DL/IR/DLOps.cpp.inc"
      >();
  addAttributes<
#define GET_ATTRDEF_LIST
#include "dlc/Dialect/DL/IR/DLAttrs.cpp.inc"
      >();
}

LogicalResult
NormalInitAttr::verify(llvm::function_ref<InFlightDiagnostic()> emitError,
                       APFloat meanValue, APFloat stdValue) {
  double mean = meanValue.convertToDouble(), std = stdValue.convertToDouble();
  if (!(std >= 0.0) || !std::isfinite(mean) || !std::isfinite(std))
    return emitError() << "normal init needs a finite mean and std >= 0, got ("
                       << mean << ", " << std << ")";
  return success();
}

LogicalResult
UniformInitAttr::verify(llvm::function_ref<InFlightDiagnostic()> emitError,
                        APFloat lowValue, APFloat highValue) {
  double low = lowValue.convertToDouble(), high = highValue.convertToDouble();
  if (!(low <= high) || !std::isfinite(low) || !std::isfinite(high))
    return emitError() << "uniform init needs finite low <= high, got ("
                       << low << ", " << high << ")";
  return success();
}

LogicalResult SGDAttr::verify(llvm::function_ref<InFlightDiagnostic()> emitError,
                              APFloat lrValue, APFloat weightDecayValue,
                              APFloat momentumValue) {
  double lr = lrValue.convertToDouble();
  double weightDecay = weightDecayValue.convertToDouble();
  double momentum = momentumValue.convertToDouble();
  if (!(lr > 0.0) || !std::isfinite(lr))
    return emitError() << "sgd lr must be positive, got " << lr;
  if (!(weightDecay >= 0.0) || !std::isfinite(weightDecay))
    return emitError() << "sgd weight_decay must be >= 0, got " << weightDecay;
  if (!(momentum >= 0.0 && momentum < 1.0))
    return emitError() << "sgd momentum must be in [0, 1), got " << momentum;
  return success();
}

//===----------------------------------------------------------------------===//
// Discardable attributes: what a module fed back to dlc may not get wrong
//===----------------------------------------------------------------------===//

LogicalResult DLDialect::verifyOperationAttribute(Operation *op,
                                                  NamedAttribute attr) {
  StringRef name = attr.getName().getValue();
  if (name == kEpochsAttrName) {
    auto epochs = dyn_cast<IntegerAttr>(attr.getValue());
    if (!isa<ModuleOp>(op) || !epochs || !epochs.getType().isSignlessInteger(64) ||
        epochs.getInt() < 1)
      return op->emitError("'")
             << name << "' must be a positive i64 on the module";
  } else if (name == kOptimizerAttrName) {
    if (!isa<ModuleOp>(op) || !isa<SGDAttr>(attr.getValue()))
      return op->emitError("'")
             << name << "' must be a #dl.sgd<...> on the module";
  }
  return success();
}

bool dlc::dl::hasStaticShapeWithin(Type type, int64_t maxElements) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  if (!tensor)
    return false;
  int64_t elements = 1;
  for (int64_t d : tensor.getShape()) {
    // Dynamic sizes are negative.
    if (d <= 0 || d > maxElements / elements)
      return false;
    elements *= d;
  }
  return true;
}

/// A bounded shape with `elementType` and at least `minRank` dimensions.
static bool isStaticTensorOf(Type type, Type elementType, int64_t minRank) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  return tensor && tensor.getElementType() == elementType &&
         tensor.getRank() >= minRank && isBoundedShape(tensor);
}

/// The logits width of a loss that argument `argIndex` of `op`, a step,
/// feeds as labels: directly, or through a launch of a fused kernel.
static std::optional<int64_t> lossWidth(Operation *op, unsigned argIndex) {
  auto function = dyn_cast<FunctionOpInterface>(op);
  if (!function || function.isExternal() ||
      argIndex >= function.getFunctionBody().getNumArguments())
    return std::nullopt;
  auto widthAmong = [](Value labels) -> std::optional<int64_t> {
    for (Operation *user : labels.getUsers())
      if (isa<SoftmaxCEOp, SoftmaxCEGradOp, SoftmaxCEEvalOp>(user) &&
          user->getOperand(1) == labels)
        if (auto logits =
                dyn_cast<RankedTensorType>(user->getOperand(0).getType());
            logits && logits.getRank() == 2)
          return logits.getDimSize(1);
    return std::nullopt;
  };
  Value labels = function.getArgument(argIndex);
  if (std::optional<int64_t> width = widthAmong(labels))
    return width;
  for (OpOperand &use : labels.getUses()) {
    auto launch = dyn_cast<LaunchOp>(use.getOwner());
    if (!launch)
      continue;
    auto kernel = SymbolTable::lookupNearestSymbolFrom<func::FuncOp>(
        launch, launch.getKernelAttr());
    if (!kernel || kernel.isExternal() ||
        use.getOperandNumber() >= kernel.getNumArguments())
      continue;
    if (std::optional<int64_t> width =
            widthAmong(kernel.getArgument(use.getOperandNumber())))
      return width;
  }
  return std::nullopt;
}

LogicalResult DLDialect::verifyRegionArgAttribute(Operation *op,
                                                  unsigned regionIndex,
                                                  unsigned argIndex,
                                                  NamedAttribute attr) {
  StringRef name = attr.getName().getValue();
  Attribute value = attr.getValue();
  Type type;
  if (auto function = dyn_cast<FunctionOpInterface>(op)) {
    if (argIndex < function.getNumArguments())
      type = function.getArgumentTypes()[argIndex];
  } else if (regionIndex < op->getNumRegions() &&
             !op->getRegion(regionIndex).empty() &&
             argIndex < op->getRegion(regionIndex).getNumArguments()) {
    type = op->getRegion(regionIndex).getArgument(argIndex).getType();
  }
  auto error = [&]() -> InFlightDiagnostic {
    return op->emitError("argument ") << argIndex << ": '" << name << "' ";
  };
  Builder b(op->getContext());
  Type f32 = b.getF32Type(), i32 = b.getI32Type();
  auto role = dyn_cast<StringAttr>(value);
  bool isRole = name == kParamArgAttr || name == kVelocityArgAttr ||
                name == kInputArgAttr || name == kLabelArgAttr ||
                name == kHyperArgAttr;
  if (isRole && (!role || !isPrintableName(role.getValue())))
    return error() << "must be a non-empty string without control bytes";
  if ((name == kParamArgAttr || name == kVelocityArgAttr) &&
      !isStaticTensorOf(type, f32, 1))
    return error() << "needs an f32 tensor of positive static sizes (at "
                      "most 2^31 elements), got "
                   << formatShape(type);
  if (name == kInputArgAttr && !isStaticTensorOf(type, f32, 2))
    return error() << "needs an f32 tensor [batch, features...] of positive "
                      "static sizes (at most 2^31 elements), got "
                   << formatShape(type);
  if (name == kLabelArgAttr && (!isStaticTensorOf(type, i32, 1) ||
                                 cast<RankedTensorType>(type).getRank() != 1))
    return error() << "needs an i32 tensor [batch] of positive static size, "
                      "got "
                   << formatShape(type);
  if (name == kHyperArgAttr) {
    StringRef hyper = role.getValue();
    Type expected = hyper == "valid_rows" ? i32
                    : hyper == "lr" || hyper == "weight_decay" ||
                            hyper == "momentum"
                        ? f32
                        : Type();
    if (!expected)
      return error() << "names no hyper-parameter of dlrun's (lr, "
                        "weight_decay, momentum, valid_rows): '"
                     << hyper << "'";
    if (type != expected)
      return error() << "'" << hyper << "' needs a scalar " << expected
                     << ", got " << type;
  }
  if (name == kClassesArgAttr) {
    auto classes = dyn_cast<IntegerAttr>(value);
    if (!classes || !classes.getType().isSignlessInteger(64) ||
        classes.getInt() < 2)
      return error() << "must be an i64 of at least 2";
    // dlrun checks labels against the count; the loss indexes the logits
    // with them, so the two must agree.
    if (std::optional<int64_t> width = lossWidth(op, argIndex);
        width && *width != classes.getInt())
      return error() << "is " << classes.getInt()
                     << " but the logits of the loss have " << *width
                     << " classes";
  }
  if (name == kSeedArgAttr) {
    auto seed = dyn_cast<IntegerAttr>(value);
    if (!seed || !seed.getType().isSignlessInteger(64))
      return error() << "must be an i64";
  }
  if (name == kInitArgAttr &&
      !isa<ZerosInitAttr, NormalInitAttr, UniformInitAttr,
           GlorotUniformInitAttr, GlorotNormalInitAttr>(value))
    return error() << "must be an initializer (#dl.zeros, #dl.normal<...>, "
                      "...)";
  return success();
}
