//===- DLOps.cpp - dl dialect operations ----------------------------------===//
//
// Verifiers and shape inference. Messages are written for users of the model
// language: they name shapes as f32[...] and say how to fix the model.
//
//===----------------------------------------------------------------------===//

#include "dlc/Dialect/DL/IR/DLOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "mlir/IR/OpImplementation.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace dlc::dl;

std::string dlc::dl::formatShape(Type type) {
  std::string text;
  llvm::raw_string_ostream os(text);
  auto tensor = dyn_cast<RankedTensorType>(type);
  if (!tensor) {
    os << type;
    return text;
  }
  Type element = tensor.getElementType();
  if (element.isF32())
    os << "f32";
  else if (element.isSignlessInteger(32))
    os << "i32";
  else
    os << element;
  os << "[";
  llvm::interleave(
      tensor.getShape(), os,
      [&](int64_t d) {
        if (ShapedType::isDynamic(d))
          os << "?";
        else
          os << d;
      },
      ",");
  os << "]";
  return text;
}

int64_t dlc::dl::windowOutputSize(int64_t size, int64_t kernel, int64_t stride,
                                  int64_t padding) {
  int64_t span = size + 2 * padding - kernel;
  if (span < 0 || stride <= 0)
    return 0;
  return span / stride + 1;
}

namespace {
RankedTensorType f32Tensor(MLIRContext *ctx, ArrayRef<int64_t> shape) {
  return RankedTensorType::get(shape, Float32Type::get(ctx));
}

/// The operand as a ranked f32 tensor of the given rank (-1: any), or null
/// after reporting what was expected.
RankedTensorType expectF32(std::optional<Location> loc, StringRef op,
                           StringRef what, Value value, int64_t rank,
                           StringRef hint = {}) {
  auto type = dyn_cast_or_null<RankedTensorType>(value ? value.getType()
                                                        : Type());
  if (!type || !type.getElementType().isF32()) {
    (void)emitOptionalError(loc, op, " expects an f32 tensor ", what, ", got ",
                            value ? formatShape(value.getType()) : "nothing");
    return {};
  }
  if (rank >= 0 && type.getRank() != rank) {
    (void)emitOptionalError(loc, op, " expects a rank-", rank, " ", what,
                            ", got ", formatShape(type), hint);
    return {};
  }
  if (!type.hasStaticShape()) {
    (void)emitOptionalError(loc, op, " expects a static shape for ", what,
                            ", got ", formatShape(type));
    return {};
  }
  return type;
}

/// Spatial output size of a sliding window, with a message when the window
/// does not fit its padded input.
FailureOr<std::pair<int64_t, int64_t>>
windowOutput(std::optional<Location> loc, StringRef op, ArrayRef<int64_t> in,
             int64_t kh, int64_t kw, int64_t stride, int64_t padding) {
  int64_t h = in[in.size() - 2], w = in[in.size() - 1];
  if (kh > h + 2 * padding || kw > w + 2 * padding)
    return emitOptionalError(loc, op, " kernel ", kh, "x", kw,
                             " is larger than its padded input ",
                             h + 2 * padding, "x", w + 2 * padding,
                             " (input ", h, "x", w, ", padding ", padding,
                             "); use a smaller kernel or more padding");
  return std::make_pair(windowOutputSize(h, kh, stride, padding),
                        windowOutputSize(w, kw, stride, padding));
}

LogicalResult inferPool(std::optional<Location> loc, StringRef op, Value input,
                        int64_t kernel, int64_t stride, int64_t padding,
                        SmallVectorImpl<Type> &types) {
  auto x = expectF32(loc, op, "NCHW input", input, 4);
  if (!x)
    return failure();
  if (padding * 2 > kernel)
    return emitOptionalError(loc, op, " padding ", padding,
                             " is more than half the kernel ", kernel,
                             "; a window would see only padding");
  auto out = windowOutput(loc, op, x.getShape(), kernel, kernel, stride,
                          padding);
  if (failed(out))
    return failure();
  types.push_back(f32Tensor(x.getContext(), {x.getDimSize(0), x.getDimSize(1),
                                             out->first, out->second}));
  return success();
}

/// Checks that `expected` (the shape a forward op would produce) equals
/// `actual` for the gradient ops whose result shape is explicit.
LogicalResult expectShape(Operation *op, StringRef what,
                          ArrayRef<int64_t> expected, Type actual) {
  auto type = cast<RankedTensorType>(actual);
  if (type.getShape() == expected)
    return success();
  return op->emitOpError() << what << " implies shape "
                           << formatShape(f32Tensor(op->getContext(), expected))
                           << ", got " << formatShape(type);
}
} // namespace

//===----------------------------------------------------------------------===//
// Leaves
//===----------------------------------------------------------------------===//

bool dlc::dl::hasControlBytes(StringRef text) {
  return llvm::any_of(
      text, [](unsigned char c) { return c < 0x20 || c == 0x7f; });
}

/// A leaf's name becomes a tensor name of the plan.
static LogicalResult verifyLeafName(Operation *op, StringRef name) {
  if (!isPrintableName(name))
    return op->emitOpError("needs a name without control bytes");
  return success();
}

// Leaves print as %image, %label, %dense1.weight: dumps read like the model.
void InputOp::getAsmResultNames(OpAsmSetValueNameFn setNameFn) {
  setNameFn(getResult(), getName());
}
void LabelOp::getAsmResultNames(OpAsmSetValueNameFn setNameFn) {
  setNameFn(getResult(), getName());
}
void ParamOp::getAsmResultNames(OpAsmSetValueNameFn setNameFn) {
  setNameFn(getResult(), getName());
}

LogicalResult InputOp::verify() {
  if (failed(verifyLeafName(*this, getName())))
    return failure();
  if (getType().getRank() < 2)
    return emitOpError("needs a batch dimension and at least one feature "
                       "dimension, got ")
           << formatShape(getType());
  return success();
}

LogicalResult LabelOp::verify() {
  if (failed(verifyLeafName(*this, getName())))
    return failure();
  if (getType().getRank() != 1)
    return emitOpError("labels are one class index per example, expected "
                       "i32[batch], got ")
           << formatShape(getType());
  if (getClasses() < 2)
    return emitOpError("a classifier needs at least 2 classes, got ")
           << getClasses();
  return success();
}

LogicalResult ParamOp::verify() {
  if (failed(verifyLeafName(*this, getName())))
    return failure();
  // Initializers take their fans from the dimensions.
  if (getType().getRank() == 0)
    return emitOpError("needs at least one dimension, got ")
           << formatShape(getType());
  return success();
}

//===----------------------------------------------------------------------===//
// Forward ops
//===----------------------------------------------------------------------===//

LogicalResult DenseOp::inferReturnTypes(MLIRContext *ctx,
                                        std::optional<Location> loc,
                                        Adaptor adaptor,
                                        SmallVectorImpl<Type> &types) {
  auto x = expectF32(loc, "dense", "input", adaptor.getInput(), 2,
                     "; flatten it first");
  if (!x)
    return failure();
  auto w = expectF32(loc, "dense", "weight", adaptor.getWeight(), 2);
  if (!w)
    return failure();
  if (w.getDimSize(0) != x.getDimSize(1))
    return emitOptionalError(loc, "dense weight ", formatShape(w),
                             " does not fit input ", formatShape(x),
                             ": expected [", x.getDimSize(1), ", units]");
  int64_t units = w.getDimSize(1);
  if (Value bias = adaptor.getBias()) {
    auto b = expectF32(loc, "dense", "bias", bias, 1);
    if (!b)
      return failure();
    if (b.getDimSize(0) != units)
      return emitOptionalError(loc, "dense bias ", formatShape(b),
                               " does not match ", units, " units");
  }
  types.push_back(f32Tensor(ctx, {x.getDimSize(0), units}));
  return success();
}

static LogicalResult inferElementwise(std::optional<Location> loc,
                                      StringRef op, Value input,
                                      SmallVectorImpl<Type> &types) {
  auto x = expectF32(loc, op, "input", input, -1);
  if (!x)
    return failure();
  types.push_back(x);
  return success();
}

LogicalResult ReluOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                       Adaptor adaptor,
                                       SmallVectorImpl<Type> &types) {
  return inferElementwise(loc, "relu", adaptor.getInput(), types);
}

LogicalResult SigmoidOp::inferReturnTypes(MLIRContext *,
                                          std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &types) {
  return inferElementwise(loc, "sigmoid", adaptor.getInput(), types);
}

LogicalResult FlattenOp::inferReturnTypes(MLIRContext *ctx,
                                          std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &types) {
  auto x = expectF32(loc, "flatten", "input", adaptor.getInput(), -1);
  if (!x)
    return failure();
  if (x.getRank() < 2)
    return emitOptionalError(loc, "flatten expects a batch dimension and "
                                  "features, got ",
                             formatShape(x));
  int64_t features = 1;
  for (int64_t d : x.getShape().drop_front())
    if (llvm::MulOverflow(features, d, features))
      return emitOptionalError(loc, "flatten of ", formatShape(x),
                               " overflows the feature count");
  types.push_back(f32Tensor(ctx, {x.getDimSize(0), features}));
  return success();
}

LogicalResult Conv2DOp::inferReturnTypes(MLIRContext *ctx,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  auto x = expectF32(loc, "conv2d", "NCHW input", adaptor.getInput(), 4);
  if (!x)
    return failure();
  auto w = expectF32(loc, "conv2d", "filter [out, in, kh, kw]",
                     adaptor.getFilter(), 4);
  if (!w)
    return failure();
  if (w.getDimSize(1) != x.getDimSize(1))
    return emitOptionalError(loc, "conv2d filter ", formatShape(w),
                             " expects ", w.getDimSize(1),
                             " input channels, input ", formatShape(x),
                             " has ", x.getDimSize(1));
  if (Value bias = adaptor.getBias()) {
    auto b = expectF32(loc, "conv2d", "bias", bias, 1);
    if (!b)
      return failure();
    if (b.getDimSize(0) != w.getDimSize(0))
      return emitOptionalError(loc, "conv2d bias ", formatShape(b),
                               " does not match ", w.getDimSize(0),
                               " filters");
  }
  int64_t stride = adaptor.getStride(), padding = adaptor.getPadding();
  auto out = windowOutput(loc, "conv2d", x.getShape(), w.getDimSize(2),
                          w.getDimSize(3), stride, padding);
  if (failed(out))
    return failure();
  types.push_back(f32Tensor(
      ctx, {x.getDimSize(0), w.getDimSize(0), out->first, out->second}));
  return success();
}

LogicalResult MaxPool2DOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &types) {
  return inferPool(loc, "max_pool2d", adaptor.getInput(), adaptor.getKernel(),
                   adaptor.getStride(), adaptor.getPadding(), types);
}

LogicalResult AvgPool2DOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &types) {
  return inferPool(loc, "avg_pool2d", adaptor.getInput(), adaptor.getKernel(),
                   adaptor.getStride(), adaptor.getPadding(), types);
}

/// Shared by softmax_ce and softmax_ce_eval: logits [N, K], labels [N].
static LogicalResult checkLogitsAndLabels(std::optional<Location> loc,
                                          StringRef op, Value logitsValue,
                                          Value labelsValue) {
  auto logits = expectF32(loc, op, "logits [batch, classes]", logitsValue, 2);
  if (!logits)
    return failure();
  auto labels = dyn_cast_or_null<RankedTensorType>(
      labelsValue ? labelsValue.getType() : Type());
  if (!labels || !labels.getElementType().isSignlessInteger(32) ||
      labels.getRank() != 1)
    return emitOptionalError(loc, op, " expects labels i32[batch], got ",
                             labelsValue ? formatShape(labelsValue.getType())
                                         : "nothing");
  if (labels.getDimSize(0) != logits.getDimSize(0))
    return emitOptionalError(loc, op, " batch mismatch: logits ",
                             formatShape(logits), " but labels ",
                             formatShape(labels));
  if (auto label = labelsValue.getDefiningOp<LabelOp>()) {
    if (label.getClasses() != static_cast<uint64_t>(logits.getDimSize(1)))
      return emitOptionalError(
          loc, "label '", label.getName(), "' has ", label.getClasses(),
          " classes but the logits ", formatShape(logits), " have ",
          logits.getDimSize(1), "; make the last layer ", label.getClasses(),
          " units wide");
  }
  return success();
}

LogicalResult SoftmaxCEOp::inferReturnTypes(MLIRContext *ctx,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &types) {
  if (failed(checkLogitsAndLabels(loc, "softmax_ce", adaptor.getLogits(),
                                  adaptor.getLabels())))
    return failure();
  types.push_back(f32Tensor(ctx, {}));
  types.push_back(RankedTensorType::get({}, IntegerType::get(ctx, 32)));
  return success();
}

//===----------------------------------------------------------------------===//
// Gradient ops
//===----------------------------------------------------------------------===//

LogicalResult DenseGradInputOp::inferReturnTypes(MLIRContext *ctx,
                                                 std::optional<Location> loc,
                                                 Adaptor adaptor,
                                                 SmallVectorImpl<Type> &types) {
  auto dy = expectF32(loc, "dense_grad_input", "result gradient",
                      adaptor.getResultGrad(), 2);
  auto w = expectF32(loc, "dense_grad_input", "weight", adaptor.getWeight(), 2);
  if (!dy || !w)
    return failure();
  if (dy.getDimSize(1) != w.getDimSize(1))
    return emitOptionalError(loc, "dense_grad_input: gradient ",
                             formatShape(dy), " does not fit weight ",
                             formatShape(w));
  types.push_back(f32Tensor(ctx, {dy.getDimSize(0), w.getDimSize(0)}));
  return success();
}

LogicalResult DenseGradWeightOp::inferReturnTypes(
    MLIRContext *ctx, std::optional<Location> loc, Adaptor adaptor,
    SmallVectorImpl<Type> &types) {
  auto x = expectF32(loc, "dense_grad_weight", "input", adaptor.getInput(), 2);
  auto dy = expectF32(loc, "dense_grad_weight", "result gradient",
                      adaptor.getResultGrad(), 2);
  if (!x || !dy)
    return failure();
  if (x.getDimSize(0) != dy.getDimSize(0))
    return emitOptionalError(loc, "dense_grad_weight: input ", formatShape(x),
                             " and gradient ", formatShape(dy),
                             " differ in batch");
  types.push_back(f32Tensor(ctx, {x.getDimSize(1), dy.getDimSize(1)}));
  return success();
}

LogicalResult BiasGradOp::inferReturnTypes(MLIRContext *ctx,
                                           std::optional<Location> loc,
                                           Adaptor adaptor,
                                           SmallVectorImpl<Type> &types) {
  auto dy = expectF32(loc, "bias_grad", "result gradient",
                      adaptor.getResultGrad(), -1);
  if (!dy)
    return failure();
  if (dy.getRank() < 2)
    return emitOptionalError(loc, "bias_grad expects rank >= 2, got ",
                             formatShape(dy));
  types.push_back(f32Tensor(ctx, {dy.getDimSize(1)}));
  return success();
}

static LogicalResult inferSameShapePair(std::optional<Location> loc,
                                        StringRef op, Value lhs, Value rhs,
                                        SmallVectorImpl<Type> &types) {
  auto a = expectF32(loc, op, "first operand", lhs, -1);
  auto b = expectF32(loc, op, "second operand", rhs, -1);
  if (!a || !b)
    return failure();
  if (a != b)
    return emitOptionalError(loc, op, " operands differ in shape: ",
                             formatShape(a), " vs ", formatShape(b));
  types.push_back(a);
  return success();
}

LogicalResult ReluGradOp::inferReturnTypes(MLIRContext *,
                                           std::optional<Location> loc,
                                           Adaptor adaptor,
                                           SmallVectorImpl<Type> &types) {
  return inferSameShapePair(loc, "relu_grad", adaptor.getResultGrad(),
                            adaptor.getOutput(), types);
}

LogicalResult SigmoidGradOp::inferReturnTypes(MLIRContext *,
                                              std::optional<Location> loc,
                                              Adaptor adaptor,
                                              SmallVectorImpl<Type> &types) {
  return inferSameShapePair(loc, "sigmoid_grad", adaptor.getResultGrad(),
                            adaptor.getOutput(), types);
}

LogicalResult AddOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                      Adaptor adaptor,
                                      SmallVectorImpl<Type> &types) {
  return inferSameShapePair(loc, "add", adaptor.getLhs(), adaptor.getRhs(),
                            types);
}

LogicalResult ReshapeOp::verify() {
  if (getInput().getType().getNumElements() != getType().getNumElements())
    return emitOpError("cannot reshape ")
           << formatShape(getInput().getType()) << " to "
           << formatShape(getType()) << ": element counts differ";
  return success();
}

/// The forward conv2d output shape for `input` and `filter`, or failure.
static FailureOr<SmallVector<int64_t>>
convOutputShape(ArrayRef<int64_t> input, ArrayRef<int64_t> filter,
                int64_t stride, int64_t padding) {
  if (input.size() != 4 || filter.size() != 4 || input[1] != filter[1])
    return failure();
  auto out = windowOutput(std::nullopt, "", input, filter[2], filter[3], stride,
                          padding);
  if (failed(out))
    return failure();
  return SmallVector<int64_t>{input[0], filter[0], out->first, out->second};
}

LogicalResult Conv2DGradInputOp::verify() {
  auto dy = getResultGrad().getType();
  auto out = convOutputShape(getType().getShape(),
                             getFilter().getType().getShape(), getStride(),
                             getPadding());
  if (failed(out))
    return emitOpError("input ") << formatShape(getType())
                                 << " and filter "
                                 << formatShape(getFilter().getType())
                                 << " do not form a convolution";
  return expectShape(*this, "the result gradient of the convolution", *out,
                     dy);
}

LogicalResult Conv2DGradFilterOp::verify() {
  auto out = convOutputShape(getInput().getType().getShape(),
                             getType().getShape(), getStride(), getPadding());
  if (failed(out))
    return emitOpError("input ") << formatShape(getInput().getType())
                                 << " and filter " << formatShape(getType())
                                 << " do not form a convolution";
  return expectShape(*this, "the convolution of the input with the filter",
                     *out, getResultGrad().getType());
}

static LogicalResult verifyPoolGrad(Operation *op, Type input, Type resultGrad,
                                    int64_t kernel, int64_t stride,
                                    int64_t padding) {
  auto x = cast<RankedTensorType>(input);
  if (x.getRank() != 4)
    return op->emitOpError("expects an NCHW input, got ") << formatShape(x);
  if (padding * 2 > kernel)
    return op->emitOpError("padding ")
           << padding << " is more than half the kernel " << kernel;
  auto out = windowOutput(std::nullopt, "", x.getShape(), kernel, kernel,
                          stride, padding);
  if (failed(out)) {
    int64_t h = x.getDimSize(2), w = x.getDimSize(3);
    return op->emitOpError("kernel ")
           << kernel << "x" << kernel << " is larger than its padded input "
           << h + 2 * padding << "x" << w + 2 * padding << " (input " << h
           << "x" << w << ", padding " << padding
           << "); use a smaller kernel or more padding";
  }
  return expectShape(op, "pooling the input",
                     {x.getDimSize(0), x.getDimSize(1), out->first,
                      out->second},
                     resultGrad);
}

LogicalResult MaxPool2DGradOp::inferReturnTypes(MLIRContext *,
                                                std::optional<Location> loc,
                                                Adaptor adaptor,
                                                SmallVectorImpl<Type> &types) {
  auto x = expectF32(loc, "max_pool2d_grad", "NCHW input", adaptor.getInput(),
                     4);
  if (!x)
    return failure();
  types.push_back(x);
  return success();
}

LogicalResult MaxPool2DGradOp::verify() {
  return verifyPoolGrad(*this, getInput().getType(), getResultGrad().getType(),
                        getKernel(), getStride(), getPadding());
}

LogicalResult AvgPool2DGradOp::verify() {
  return verifyPoolGrad(*this, getType(), getResultGrad().getType(),
                        getKernel(), getStride(), getPadding());
}

LogicalResult SoftmaxCEGradOp::inferReturnTypes(MLIRContext *,
                                                std::optional<Location> loc,
                                                Adaptor adaptor,
                                                SmallVectorImpl<Type> &types) {
  if (failed(checkLogitsAndLabels(loc, "softmax_ce_grad", adaptor.getLogits(),
                                  adaptor.getLabels())))
    return failure();
  types.push_back(adaptor.getLogits().getType());
  return success();
}

//===----------------------------------------------------------------------===//
// Optimizer and evaluation
//===----------------------------------------------------------------------===//

LogicalResult SGDUpdateOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &types) {
  return inferSameShapePair(loc, "sgd_update", adaptor.getParam(),
                            adaptor.getGrad(), types);
}

LogicalResult SGDMomentumUpdateOp::inferReturnTypes(
    MLIRContext *, std::optional<Location> loc, Adaptor adaptor,
    SmallVectorImpl<Type> &types) {
  if (failed(inferSameShapePair(loc, "sgd_momentum_update", adaptor.getParam(),
                                adaptor.getGrad(), types)))
    return failure();
  if (adaptor.getVelocity().getType() != types.front())
    return emitOptionalError(loc, "sgd_momentum_update: velocity ",
                             formatShape(adaptor.getVelocity().getType()),
                             " does not match parameter ",
                             formatShape(types.front()));
  types.push_back(types.front());
  return success();
}

LogicalResult SoftmaxCEEvalOp::inferReturnTypes(MLIRContext *ctx,
                                                std::optional<Location> loc,
                                                Adaptor adaptor,
                                                SmallVectorImpl<Type> &types) {
  if (failed(checkLogitsAndLabels(loc, "softmax_ce_eval", adaptor.getLogits(),
                                  adaptor.getLabels())))
    return failure();
  types.push_back(f32Tensor(ctx, {}));
  types.push_back(RankedTensorType::get({}, IntegerType::get(ctx, 32)));
  return success();
}

//===----------------------------------------------------------------------===//
// Launches
//===----------------------------------------------------------------------===//

/// The buffer a value of `type` occupies: its shape and element type (a
/// scalar is a rank-0 buffer, as kernels take it).
static std::pair<ArrayRef<int64_t>, Type> bufferOf(Type type) {
  if (auto shaped = dyn_cast<ShapedType>(type); shaped && shaped.hasRank())
    return {shaped.getShape(), shaped.getElementType()};
  return {{}, type};
}

static bool sameBuffer(Type a, Type b) { return bufferOf(a) == bufferOf(b); }

LogicalResult
LaunchOp::verifySymbolUses(SymbolTableCollection &symbolTable) {
  // The planner sizes a buffer for each operand and result.
  for (Type type : llvm::concat<const Type>(getInputs().getTypes(),
                                            getOutputs().getTypes()))
    if (!isBoundedShape(type) && !type.isF32() && !type.isSignlessInteger(32))
      return emitOpError("takes and gives dl tensors (static positive "
                         "sizes, at most 2^31 elements), f32 or i32, not ")
             << type;
  auto kernel = symbolTable.lookupNearestSymbolFrom<FunctionOpInterface>(
      *this, getKernelAttr());
  if (!kernel) {
    // In the CUDA form the kernels became gpu.funcs of a nested gpu.module,
    // which the plan's launch table names instead.
    auto container = symbolTable.lookupNearestSymbolFrom<ModuleOp>(
        *this, FlatSymbolRefAttr::get(getKernelAttr().getRootReference()));
    if (container && container->hasAttr("gpu.container_module"))
      return success();
    return emitOpError("launches an unknown kernel ") << getKernel();
  }
  // Only the forms made from dl.func kernels are checked: fused, lowered
  // to linalg, bufferized. The LLVM and GPU forms are made by passes, and
  // so are the GPU form's CPU functions for the simulator of the tests
  // (buffers only; the attribute alone exempts nothing).
  if (!isa<func::FuncOp>(kernel.getOperation()))
    return success();
  if (kernel->hasAttr("dl.simulated_block") &&
      kernel.getResultTypes().empty() &&
      llvm::all_of(kernel.getArgumentTypes(),
                   [](Type t) { return isa<MemRefType, IndexType>(t); }))
    return success();
  // The symbol prints escaped, a kernel name may hold any byte.
  auto fail = [&]() {
    return emitOpError("does not match kernel ") << getKernel() << ": ";
  };
  size_t numInputs = getInputs().size(), numResults = getOutputs().size();
  auto aliases = kernel->getAttrOfType<DenseI64ArrayAttr>("dl.result_aliases");
  if (aliases) {
    if (aliases.size() != static_cast<int64_t>(numResults))
      return fail() << "its dl.result_aliases has " << aliases.size()
                    << " entries for " << numResults << " results";
    for (auto [i, alias] : llvm::enumerate(aliases.asArrayRef()))
      if (alias != -1 &&
          (alias < 0 || alias >= static_cast<int64_t>(numInputs) ||
           !sameBuffer(getInputs()[alias].getType(),
                       getOutputs()[i].getType())))
        return fail() << "result " << i << " aliases " << alias
                      << ", which is no input of its shape";
  }
  ArrayRef<Type> args = kernel.getArgumentTypes();
  auto numInputsAttr = kernel->getAttrOfType<IntegerAttr>("dl.num_inputs");
  if (!numInputsAttr) {
    // Fused: the kernel's signature is the launch's.
    if (TypeRange(args) != getInputs().getTypes() ||
        TypeRange(kernel.getResultTypes()) != getOutputs().getTypes())
      return fail() << "the operand or result types differ";
    return success();
  }
  // Lowered: the inputs, a destination per result that aliases no input,
  // the scratch buffers; bufferized kernels then take index bounds.
  auto numOutputsAttr = kernel->getAttrOfType<IntegerAttr>("dl.num_outputs");
  auto scratch = kernel->getAttrOfType<ArrayAttr>("dl.scratch");
  auto kinds = kernel->getAttrOfType<ArrayAttr>("dl.result_kinds");
  if (!aliases || !numOutputsAttr || !scratch || !kinds)
    return fail() << "it lacks dl.result_aliases, dl.result_kinds, "
                     "dl.num_outputs or dl.scratch";
  if (kinds.size() != numResults ||
      !llvm::all_of(kinds, [](Attribute a) { return isa<StringAttr>(a); }))
    return fail() << "its dl.result_kinds is not one string per result";
  SmallVector<Type> expected(getInputs().getTypes());
  for (auto [i, alias] : llvm::enumerate(aliases.asArrayRef()))
    if (alias == -1)
      expected.push_back(getOutputs()[i].getType());
  int64_t numOutputs = expected.size() - numInputs;
  for (Attribute a : scratch) {
    // Scratch is the compiler's (a GPU kernel's column matrix may pass the
    // model language's 2^31 elements): static sizes whose bytes fit.
    auto type = dyn_cast<TypeAttr>(a);
    if (!type || !hasStaticShapeWithin(type.getValue(), int64_t(1) << 56))
      return fail() << "its dl.scratch holds something other than a tensor "
                       "of static positive sizes";
    expected.push_back(type.getValue());
  }
  if (numInputsAttr.getInt() != static_cast<int64_t>(numInputs) ||
      numOutputsAttr.getInt() != numOutputs || args.size() < expected.size())
    return fail() << "it takes " << args.size() << " arguments ("
                  << numInputsAttr.getInt() << " inputs, "
                  << numOutputsAttr.getInt() << " outputs) for "
                  << numInputs << " inputs, " << numOutputs
                  << " outputs and " << scratch.size() << " scratch buffers";
  for (auto [i, type] : llvm::enumerate(args))
    if (i < expected.size() ? !sameBuffer(type, expected[i])
                            : !type.isIndex())
      return fail() << "argument " << i << " is " << type;
  return success();
}

#define GET_OP_CLASSES
#include "dlc/Dialect/DL/IR/DLOps.cpp.inc"
