//===- ReferenceExecutor.cpp - double-precision dl interpreter ------------===//
//
// One small function per op, each a direct transcription of the op's
// definition into naive loops over row-major double buffers. Every value is
// checked against its IR type when it is produced, and every op re-checks the
// shape relations it indexes by, so that unverified or inconsistent IR gives
// a located error instead of an out-of-bounds access.
//
//===----------------------------------------------------------------------===//

#include "dlc/Reference/ReferenceExecutor.h"

#include "dlc/Dialect/DL/IR/DLOps.h"

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <optional>

using namespace mlir;
namespace dl = dlc::dl;
using dlc::reference::LeafValues;
using dlc::reference::Tensor;

int64_t Tensor::numElements() const {
  int64_t count = 1;
  for (int64_t d : shape)
    count *= d;
  return count;
}

namespace {
using Shape = std::vector<int64_t>;

int64_t product(ArrayRef<int64_t> shape) {
  int64_t count = 1;
  for (int64_t d : shape)
    count *= d;
  return count;
}

std::string str(ArrayRef<int64_t> shape) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << "[";
  llvm::interleave(shape, os, ",");
  os << "]";
  return text;
}

/// A number as a person writes it: 3, 0.5, 1e+30 (shortest that round-trips).
std::string num(double value) {
  char buffer[32];
  for (int precision : {15, 17}) {
    std::snprintf(buffer, sizeof(buffer), "%.*g", precision, value);
    if (precision == 17 || std::strtod(buffer, nullptr) == value)
      break;
  }
  return buffer;
}

Tensor zeros(Shape shape) {
  Tensor t;
  t.data.assign(static_cast<size_t>(product(shape)), 0.0);
  t.shape = std::move(shape);
  return t;
}

/// The shape a value of `type` has at run time: a static ranked tensor's
/// shape, {} for an f32/i32 scalar; nothing for types we cannot hold.
std::optional<Shape> staticShape(Type type) {
  if (auto tensor = dyn_cast<RankedTensorType>(type)) {
    if (!tensor.hasStaticShape())
      return std::nullopt;
    return Shape(tensor.getShape().begin(), tensor.getShape().end());
  }
  if (isa<FloatType, IntegerType>(type))
    return Shape{};
  return std::nullopt;
}

/// Why `t` cannot be a value of `type`, or "" when it can.
std::string mismatch(const Tensor &t, Type type) {
  std::string text;
  llvm::raw_string_ostream os(text);
  std::optional<Shape> shape = staticShape(type);
  if (!shape) {
    os << "type " << type
       << " is not supported (needs a static ranked tensor or a scalar)";
    return text;
  }
  if (t.shape != *shape) {
    os << "expects shape " << str(*shape) << " (" << type << "), got "
       << str(t.shape);
    return text;
  }
  if (t.data.size() != static_cast<size_t>(product(*shape))) {
    os << "shape " << str(t.shape) << " needs " << product(*shape)
       << " values, got " << t.data.size();
    return text;
  }
  if (auto integer = dyn_cast<IntegerType>(getElementTypeOrSelf(type))) {
    unsigned width = std::min(integer.getWidth(), 53u);
    double limit = std::ldexp(1.0, static_cast<int>(width) - 1);
    for (size_t i = 0; i < t.data.size(); ++i) {
      double v = t.data[i];
      if (!(v == std::floor(v)) || v < -limit || v >= limit) {
        os << "expects i" << integer.getWidth() << " values, got " << num(v)
           << " at flat index " << i;
        return text;
      }
    }
  }
  return text;
}

size_t at4(int64_t a, int64_t b, int64_t c, int64_t d, int64_t B, int64_t C,
           int64_t D) {
  return static_cast<size_t>(((a * B + b) * C + c) * D + d);
}

/// Sizes of a convolution x[N,C,H,W] * w[F,C,KH,KW] -> y[N,F,OH,OW].
struct ConvGeometry {
  int64_t n, c, h, w, f, kh, kw, oh, ow, stride, padding;
};

std::optional<ConvGeometry> convGeometry(ArrayRef<int64_t> x,
                                         ArrayRef<int64_t> w,
                                         ArrayRef<int64_t> y, int64_t stride,
                                         int64_t padding) {
  if (x.size() != 4 || w.size() != 4 || y.size() != 4 || stride < 1 ||
      padding < 0)
    return std::nullopt;
  ConvGeometry g{x[0], x[1], x[2], x[3],   w[0],   w[2],
                 w[3], y[2], y[3], stride, padding};
  if (w[1] != g.c || y[0] != g.n || y[1] != g.f || g.kh > g.h + 2 * padding ||
      g.kw > g.w + 2 * padding ||
      g.oh != dl::windowOutputSize(g.h, g.kh, stride, padding) ||
      g.ow != dl::windowOutputSize(g.w, g.kw, stride, padding))
    return std::nullopt;
  return g;
}

/// Sizes of a pooling x[N,C,H,W] -> y[N,C,OH,OW] with a square kernel.
struct PoolGeometry {
  int64_t n, c, h, w, oh, ow, kernel, stride, padding;
};

std::optional<PoolGeometry> poolGeometry(ArrayRef<int64_t> x,
                                         ArrayRef<int64_t> y, int64_t kernel,
                                         int64_t stride, int64_t padding) {
  if (x.size() != 4 || y.size() != 4 || kernel < 1 || stride < 1 || padding < 0)
    return std::nullopt;
  PoolGeometry g{x[0], x[1], x[2], x[3], y[2], y[3], kernel, stride, padding};
  if (y[0] != g.n || y[1] != g.c || kernel > g.h + 2 * padding ||
      kernel > g.w + 2 * padding ||
      g.oh != dl::windowOutputSize(g.h, kernel, stride, padding) ||
      g.ow != dl::windowOutputSize(g.w, kernel, stride, padding))
    return std::nullopt;
  return g;
}

/// log(sum_k exp(z[k])), shifted by the maximum so large logits stay finite.
double logSumExp(const double *z, int64_t k) {
  double m = z[0];
  for (int64_t i = 1; i < k; ++i)
    m = std::max(m, z[i]);
  double sum = 0.0;
  for (int64_t i = 0; i < k; ++i)
    sum += std::exp(z[i] - m);
  return m + std::log(sum);
}

/// Index of the first maximum of z[0..k).
int64_t firstArgMax(const double *z, int64_t k) {
  int64_t best = 0;
  for (int64_t i = 1; i < k; ++i)
    if (z[i] > z[best])
      best = i;
  return best;
}

double sigmoid(double x) {
  if (x >= 0.0)
    return 1.0 / (1.0 + std::exp(-x));
  double e = std::exp(x);
  return e / (1.0 + e);
}

class Executor {
public:
  explicit Executor(const LeafValues &leaves) : leaves(leaves) {}

  FailureOr<std::vector<Tensor>> run(func::FuncOp func, ArrayRef<Tensor> args);

private:
  const LeafValues &leaves;
  llvm::DenseMap<Value, Tensor> values;

  /// An error at `op`, prefixed so the reader knows who complains.
  static InFlightDiagnostic fail(Operation *op) {
    return op->emitError() << "reference executor: '" << op->getName() << "' ";
  }

  const Tensor &get(Value value) const { return values.find(value)->second; }
  static Shape shapeOf(Value value) { return *staticShape(value.getType()); }
  LogicalResult set(Operation *op, Value value, Tensor tensor);
  LogicalResult execute(Operation *op);

  LogicalResult leaf(Operation *op, StringRef name, Value result);
  LogicalResult checkLabels(Operation *op, const Tensor &labels,
                            int64_t classes, int64_t rows);
  LogicalResult shapeError(Operation *op, StringRef what,
                           ArrayRef<ArrayRef<int64_t>> shapes);

  LogicalResult exec(dl::InputOp op);
  LogicalResult exec(dl::LabelOp op);
  LogicalResult exec(dl::ParamOp op);
  LogicalResult exec(dl::ConstantOp op);
  LogicalResult exec(dl::DenseOp op);
  LogicalResult exec(dl::ReluOp op);
  LogicalResult exec(dl::SigmoidOp op);
  LogicalResult exec(dl::FlattenOp op);
  LogicalResult exec(dl::ReshapeOp op);
  LogicalResult exec(dl::Conv2DOp op);
  LogicalResult exec(dl::MaxPool2DOp op);
  LogicalResult exec(dl::AvgPool2DOp op);
  LogicalResult exec(dl::SoftmaxCEOp op);
  LogicalResult exec(dl::DenseGradInputOp op);
  LogicalResult exec(dl::DenseGradWeightOp op);
  LogicalResult exec(dl::BiasGradOp op);
  LogicalResult exec(dl::ReluGradOp op);
  LogicalResult exec(dl::SigmoidGradOp op);
  LogicalResult exec(dl::Conv2DGradInputOp op);
  LogicalResult exec(dl::Conv2DGradFilterOp op);
  LogicalResult exec(dl::MaxPool2DGradOp op);
  LogicalResult exec(dl::AvgPool2DGradOp op);
  LogicalResult exec(dl::SoftmaxCEGradOp op);
  LogicalResult exec(dl::AddOp op);
  LogicalResult exec(dl::SGDUpdateOp op);
  LogicalResult exec(dl::SGDMomentumUpdateOp op);
  LogicalResult exec(dl::SoftmaxCEEvalOp op);

  LogicalResult reshape(Operation *op, Value input, Value result);
  LogicalResult conv(Operation *op, const Tensor &x, const Tensor &w,
                     const Tensor *bias, int64_t stride, int64_t padding);
  LogicalResult pool(Operation *op, bool isMax, const Tensor &x, int64_t kernel,
                     int64_t stride, int64_t padding);
};
} // namespace

//===----------------------------------------------------------------------===//
// Driver
//===----------------------------------------------------------------------===//

LogicalResult Executor::set(Operation *op, Value value, Tensor tensor) {
  std::string problem = mismatch(tensor, value.getType());
  if (!problem.empty())
    return fail(op) << "computed a result that does not fit its type: "
                    << problem;
  values[value] = std::move(tensor);
  return success();
}

LogicalResult Executor::shapeError(Operation *op, StringRef what,
                                   ArrayRef<ArrayRef<int64_t>> shapes) {
  InFlightDiagnostic diag = fail(op);
  diag << "shapes do not fit (" << what << "):";
  for (ArrayRef<int64_t> shape : shapes)
    diag << " " << str(shape);
  return diag;
}

LogicalResult Executor::execute(Operation *op) {
  for (auto [index, operand] : llvm::enumerate(op->getOperands()))
    if (!values.count(operand))
      return fail(op) << "operand #" << index
                      << " has no value (not defined earlier in the "
                         "function body)";
  for (auto [index, result] : llvm::enumerate(op->getResults()))
    if (!staticShape(result.getType()))
      return fail(op) << "result #" << index << " has type " << result.getType()
                      << ", which the reference executor cannot hold";
  return llvm::TypeSwitch<Operation *, LogicalResult>(op)
      .Case<dl::InputOp, dl::LabelOp, dl::ParamOp, dl::ConstantOp, dl::DenseOp,
            dl::ReluOp, dl::SigmoidOp, dl::FlattenOp, dl::ReshapeOp,
            dl::Conv2DOp, dl::MaxPool2DOp, dl::AvgPool2DOp, dl::SoftmaxCEOp,
            dl::DenseGradInputOp, dl::DenseGradWeightOp, dl::BiasGradOp,
            dl::ReluGradOp, dl::SigmoidGradOp, dl::Conv2DGradInputOp,
            dl::Conv2DGradFilterOp, dl::MaxPool2DGradOp, dl::AvgPool2DGradOp,
            dl::SoftmaxCEGradOp, dl::AddOp, dl::SGDUpdateOp,
            dl::SGDMomentumUpdateOp, dl::SoftmaxCEEvalOp>(
          [&](auto concrete) { return exec(concrete); })
      .Default([](Operation *other) {
        return other->emitError() << "reference executor does not support op '"
                                  << other->getName() << "'";
      });
}

FailureOr<std::vector<Tensor>> Executor::run(func::FuncOp func,
                                             ArrayRef<Tensor> args) {
  if (func.isExternal())
    return func.emitError() << "reference executor: function @"
                            << func.getSymName() << " has no body";
  if (!llvm::hasSingleElement(func.getBody()))
    return func.emitError() << "reference executor: function @"
                            << func.getSymName() << " must have a single block";
  Block &block = func.getBody().front();
  if (args.size() != block.getNumArguments())
    return func.emitError()
           << "reference executor: function @" << func.getSymName() << " takes "
           << block.getNumArguments() << " arguments, got " << args.size();
  for (auto [index, arg] : llvm::enumerate(block.getArguments())) {
    std::string problem = mismatch(args[index], arg.getType());
    if (!problem.empty())
      return func.emitError()
             << "reference executor: argument #" << index << " of @"
             << func.getSymName() << ": " << problem;
    values[arg] = args[index];
  }
  for (Operation &op : block) {
    if (auto ret = dyn_cast<func::ReturnOp>(op)) {
      std::vector<Tensor> results;
      for (Value operand : ret.getOperands()) {
        if (!values.count(operand))
          return fail(ret) << "returns a value that was never computed";
        results.push_back(get(operand));
      }
      return results;
    }
    if (failed(execute(&op)))
      return failure();
  }
  return func.emitError() << "reference executor: function @"
                          << func.getSymName()
                          << " does not end in func.return";
}

FailureOr<std::vector<Tensor>> dlc::reference::run(func::FuncOp func,
                                                   ArrayRef<Tensor> args,
                                                   const LeafValues &leaves) {
  Executor executor(leaves);
  return executor.run(func, args);
}

//===----------------------------------------------------------------------===//
// Leaves and constants
//===----------------------------------------------------------------------===//

LogicalResult Executor::leaf(Operation *op, StringRef name, Value result) {
  auto it = leaves.find(name.str());
  if (it == leaves.end())
    return fail(op) << "has no value: leaf '" << name
                    << "' is missing from the leaf values";
  std::string problem = mismatch(it->second, result.getType());
  if (!problem.empty())
    return fail(op) << "value of leaf '" << name << "': " << problem;
  values[result] = it->second;
  return success();
}

LogicalResult Executor::exec(dl::InputOp op) {
  return leaf(op, op.getName(), op.getResult());
}

LogicalResult Executor::exec(dl::ParamOp op) {
  return leaf(op, op.getName(), op.getResult());
}

LogicalResult Executor::exec(dl::LabelOp op) {
  if (failed(leaf(op, op.getName(), op.getResult())))
    return failure();
  const Tensor &labels = get(op.getResult());
  int64_t classes = static_cast<int64_t>(op.getClasses());
  for (size_t i = 0; i < labels.data.size(); ++i)
    if (!(labels.data[i] >= 0.0 && labels.data[i] < double(classes)))
      return fail(op) << "label '" << op.getName() << "' holds "
                      << num(labels.data[i]) << " at index " << i
                      << ", outside [0, " << classes << ")";
  return success();
}

LogicalResult Executor::exec(dl::ConstantOp op) {
  Tensor t = zeros(shapeOf(op.getResult()));
  double value = op.getValueAttr().getValueAsDouble();
  for (double &v : t.data)
    v = value;
  return set(op, op.getResult(), std::move(t));
}

//===----------------------------------------------------------------------===//
// Forward ops
//===----------------------------------------------------------------------===//

LogicalResult Executor::exec(dl::DenseOp op) {
  const Tensor &x = get(op.getInput());
  const Tensor &w = get(op.getWeight());
  const Tensor *b = op.getBias() ? &get(op.getBias()) : nullptr;
  Shape out = shapeOf(op.getResult());
  if (x.shape.size() != 2 || w.shape.size() != 2 || w.shape[0] != x.shape[1] ||
      out != Shape{x.shape[0], w.shape[1]} ||
      (b && b->shape != Shape{w.shape[1]}))
    return shapeError(op, "input, weight, bias, result",
                      {x.shape, w.shape, b ? b->shape : Shape{}, out});
  int64_t n = x.shape[0], k = x.shape[1], u = w.shape[1];
  Tensor y = zeros(out);
  for (int64_t i = 0; i < n; ++i) {
    double *row = &y.data[i * u];
    for (int64_t j = 0; j < u; ++j)
      row[j] = b ? b->data[j] : 0.0;
    for (int64_t l = 0; l < k; ++l) {
      double xv = x.data[i * k + l];
      const double *wrow = &w.data[l * u];
      for (int64_t j = 0; j < u; ++j)
        row[j] += xv * wrow[j];
    }
  }
  return set(op, op.getResult(), std::move(y));
}

LogicalResult Executor::exec(dl::ReluOp op) {
  Tensor y = get(op.getInput());
  for (double &v : y.data)
    v = v > 0.0 ? v : 0.0;
  return set(op, op.getResult(), std::move(y));
}

LogicalResult Executor::exec(dl::SigmoidOp op) {
  Tensor y = get(op.getInput());
  for (double &v : y.data)
    v = sigmoid(v);
  return set(op, op.getResult(), std::move(y));
}

LogicalResult Executor::reshape(Operation *op, Value input, Value result) {
  Tensor y = get(input);
  Shape out = shapeOf(result);
  if (product(out) != y.numElements())
    return shapeError(op, "input, result", {y.shape, out});
  y.shape = std::move(out);
  return set(op, result, std::move(y));
}

LogicalResult Executor::exec(dl::FlattenOp op) {
  return reshape(op, op.getInput(), op.getResult());
}

LogicalResult Executor::exec(dl::ReshapeOp op) {
  return reshape(op, op.getInput(), op.getResult());
}

LogicalResult Executor::conv(Operation *op, const Tensor &x, const Tensor &w,
                             const Tensor *bias, int64_t stride,
                             int64_t padding) {
  Value result = op->getResult(0);
  Shape out = shapeOf(result);
  auto g = convGeometry(x.shape, w.shape, out, stride, padding);
  if (!g || (bias && bias->shape != Shape{w.shape[0]}))
    return shapeError(op, "input, filter, bias, result",
                      {x.shape, w.shape, bias ? bias->shape : Shape{}, out});
  Tensor y = zeros(out);
  for (int64_t n = 0; n < g->n; ++n)
    for (int64_t f = 0; f < g->f; ++f)
      for (int64_t oh = 0; oh < g->oh; ++oh)
        for (int64_t ow = 0; ow < g->ow; ++ow) {
          double sum = bias ? bias->data[f] : 0.0;
          for (int64_t c = 0; c < g->c; ++c)
            for (int64_t i = 0; i < g->kh; ++i) {
              int64_t ih = oh * stride - padding + i;
              if (ih < 0 || ih >= g->h)
                continue;
              for (int64_t j = 0; j < g->kw; ++j) {
                int64_t iw = ow * stride - padding + j;
                if (iw < 0 || iw >= g->w)
                  continue;
                sum += x.data[at4(n, c, ih, iw, g->c, g->h, g->w)] *
                       w.data[at4(f, c, i, j, g->c, g->kh, g->kw)];
              }
            }
          y.data[at4(n, f, oh, ow, g->f, g->oh, g->ow)] = sum;
        }
  return set(op, result, std::move(y));
}

LogicalResult Executor::exec(dl::Conv2DOp op) {
  return conv(op, get(op.getInput()), get(op.getFilter()),
              op.getBias() ? &get(op.getBias()) : nullptr,
              static_cast<int64_t>(op.getStride()),
              static_cast<int64_t>(op.getPadding()));
}

LogicalResult Executor::pool(Operation *op, bool isMax, const Tensor &x,
                             int64_t kernel, int64_t stride, int64_t padding) {
  Value result = op->getResult(0);
  Shape out = shapeOf(result);
  auto g = poolGeometry(x.shape, out, kernel, stride, padding);
  if (!g)
    return shapeError(op, "input, result", {x.shape, out});
  Tensor y = zeros(out);
  double divisor = double(kernel * kernel);
  for (int64_t n = 0; n < g->n; ++n)
    for (int64_t c = 0; c < g->c; ++c)
      for (int64_t oh = 0; oh < g->oh; ++oh)
        for (int64_t ow = 0; ow < g->ow; ++ow) {
          bool any = false;
          double acc = 0.0;
          for (int64_t i = 0; i < kernel; ++i) {
            int64_t ih = oh * stride - padding + i;
            if (ih < 0 || ih >= g->h)
              continue;
            for (int64_t j = 0; j < kernel; ++j) {
              int64_t iw = ow * stride - padding + j;
              if (iw < 0 || iw >= g->w)
                continue;
              double v = x.data[at4(n, c, ih, iw, g->c, g->h, g->w)];
              if (!isMax)
                acc += v;
              else if (!any || v > acc)
                acc = v;
              any = true;
            }
          }
          if (isMax && !any)
            return fail(op)
                   << "window (" << oh << ", " << ow << ") covers only padding";
          y.data[at4(n, c, oh, ow, g->c, g->oh, g->ow)] =
              isMax ? acc : acc / divisor;
        }
  return set(op, result, std::move(y));
}

LogicalResult Executor::exec(dl::MaxPool2DOp op) {
  return pool(op, /*isMax=*/true, get(op.getInput()),
              static_cast<int64_t>(op.getKernel()),
              static_cast<int64_t>(op.getStride()),
              static_cast<int64_t>(op.getPadding()));
}

LogicalResult Executor::exec(dl::AvgPool2DOp op) {
  return pool(op, /*isMax=*/false, get(op.getInput()),
              static_cast<int64_t>(op.getKernel()),
              static_cast<int64_t>(op.getStride()),
              static_cast<int64_t>(op.getPadding()));
}

LogicalResult Executor::checkLabels(Operation *op, const Tensor &labels,
                                    int64_t classes, int64_t rows) {
  for (int64_t n = 0; n < rows; ++n) {
    double label = labels.data[n];
    if (!(label >= 0.0 && label < double(classes) &&
          label == std::floor(label)))
      return fail(op) << "label " << num(label) << " of row " << n
                      << " is outside [0, " << classes << ")";
  }
  return success();
}

LogicalResult Executor::exec(dl::SoftmaxCEOp op) {
  const Tensor &z = get(op.getLogits());
  const Tensor &labels = get(op.getLabels());
  if (z.shape.size() != 2 || labels.shape != Shape{z.shape[0]} ||
      z.shape[0] < 1 || z.shape[1] < 1)
    return shapeError(op, "logits, labels", {z.shape, labels.shape});
  int64_t n = z.shape[0], k = z.shape[1];
  if (failed(checkLabels(op, labels, k, n)))
    return failure();
  double loss = 0.0, correct = 0.0;
  for (int64_t i = 0; i < n; ++i) {
    const double *row = &z.data[i * k];
    int64_t label = static_cast<int64_t>(labels.data[i]);
    loss += logSumExp(row, k) - row[label];
    if (firstArgMax(row, k) == label)
      correct += 1.0;
  }
  if (failed(set(op, op.getLoss(), Tensor{{}, {loss / double(n)}})))
    return failure();
  return set(op, op.getCorrect(), Tensor{{}, {correct}});
}

//===----------------------------------------------------------------------===//
// Gradient ops
//===----------------------------------------------------------------------===//

LogicalResult Executor::exec(dl::DenseGradInputOp op) {
  const Tensor &dy = get(op.getResultGrad());
  const Tensor &w = get(op.getWeight());
  Shape out = shapeOf(op.getResult());
  if (dy.shape.size() != 2 || w.shape.size() != 2 ||
      dy.shape[1] != w.shape[1] || out != Shape{dy.shape[0], w.shape[0]})
    return shapeError(op, "result_grad, weight, result",
                      {dy.shape, w.shape, out});
  int64_t n = dy.shape[0], u = dy.shape[1], k = w.shape[0];
  Tensor dx = zeros(out);
  for (int64_t i = 0; i < n; ++i)
    for (int64_t l = 0; l < k; ++l) {
      const double *dyrow = &dy.data[i * u];
      const double *wrow = &w.data[l * u];
      double sum = 0.0;
      for (int64_t j = 0; j < u; ++j)
        sum += dyrow[j] * wrow[j];
      dx.data[i * k + l] = sum;
    }
  return set(op, op.getResult(), std::move(dx));
}

LogicalResult Executor::exec(dl::DenseGradWeightOp op) {
  const Tensor &x = get(op.getInput());
  const Tensor &dy = get(op.getResultGrad());
  Shape out = shapeOf(op.getResult());
  if (x.shape.size() != 2 || dy.shape.size() != 2 ||
      x.shape[0] != dy.shape[0] || out != Shape{x.shape[1], dy.shape[1]})
    return shapeError(op, "input, result_grad, result",
                      {x.shape, dy.shape, out});
  int64_t n = x.shape[0], k = x.shape[1], u = dy.shape[1];
  Tensor dw = zeros(out);
  for (int64_t i = 0; i < n; ++i)
    for (int64_t l = 0; l < k; ++l) {
      double xv = x.data[i * k + l];
      const double *dyrow = &dy.data[i * u];
      double *dwrow = &dw.data[l * u];
      for (int64_t j = 0; j < u; ++j)
        dwrow[j] += xv * dyrow[j];
    }
  return set(op, op.getResult(), std::move(dw));
}

LogicalResult Executor::exec(dl::BiasGradOp op) {
  const Tensor &dy = get(op.getResultGrad());
  Shape out = shapeOf(op.getResult());
  if (dy.shape.size() < 2 || out != Shape{dy.shape[1]})
    return shapeError(op, "result_grad, result", {dy.shape, out});
  int64_t outer = dy.shape[0], channels = dy.shape[1];
  int64_t inner = product(ArrayRef<int64_t>(dy.shape).drop_front(2));
  Tensor db = zeros(out);
  for (int64_t n = 0; n < outer; ++n)
    for (int64_t c = 0; c < channels; ++c)
      for (int64_t i = 0; i < inner; ++i)
        db.data[c] += dy.data[(n * channels + c) * inner + i];
  return set(op, op.getResult(), std::move(db));
}

LogicalResult Executor::exec(dl::ReluGradOp op) {
  const Tensor &dy = get(op.getResultGrad());
  const Tensor &y = get(op.getOutput());
  if (dy.shape != y.shape)
    return shapeError(op, "result_grad, output", {dy.shape, y.shape});
  Tensor dx = dy;
  for (size_t i = 0; i < dx.data.size(); ++i)
    dx.data[i] = y.data[i] > 0.0 ? dy.data[i] : 0.0;
  return set(op, op.getResult(), std::move(dx));
}

LogicalResult Executor::exec(dl::SigmoidGradOp op) {
  const Tensor &dy = get(op.getResultGrad());
  const Tensor &y = get(op.getOutput());
  if (dy.shape != y.shape)
    return shapeError(op, "result_grad, output", {dy.shape, y.shape});
  Tensor dx = dy;
  for (size_t i = 0; i < dx.data.size(); ++i)
    dx.data[i] = dy.data[i] * y.data[i] * (1.0 - y.data[i]);
  return set(op, op.getResult(), std::move(dx));
}

LogicalResult Executor::exec(dl::Conv2DGradInputOp op) {
  const Tensor &dy = get(op.getResultGrad());
  const Tensor &w = get(op.getFilter());
  Shape out = shapeOf(op.getResult());
  int64_t stride = static_cast<int64_t>(op.getStride());
  int64_t padding = static_cast<int64_t>(op.getPadding());
  auto g = convGeometry(out, w.shape, dy.shape, stride, padding);
  if (!g)
    return shapeError(op, "result_grad, filter, result",
                      {dy.shape, w.shape, out});
  // The forward loops with the multiply-add reversed: every x element that
  // contributed to y[n,f,oh,ow] with weight w receives dy * w.
  Tensor dx = zeros(out);
  for (int64_t n = 0; n < g->n; ++n)
    for (int64_t f = 0; f < g->f; ++f)
      for (int64_t oh = 0; oh < g->oh; ++oh)
        for (int64_t ow = 0; ow < g->ow; ++ow) {
          double grad = dy.data[at4(n, f, oh, ow, g->f, g->oh, g->ow)];
          for (int64_t c = 0; c < g->c; ++c)
            for (int64_t i = 0; i < g->kh; ++i) {
              int64_t ih = oh * stride - padding + i;
              if (ih < 0 || ih >= g->h)
                continue;
              for (int64_t j = 0; j < g->kw; ++j) {
                int64_t iw = ow * stride - padding + j;
                if (iw < 0 || iw >= g->w)
                  continue;
                dx.data[at4(n, c, ih, iw, g->c, g->h, g->w)] +=
                    grad * w.data[at4(f, c, i, j, g->c, g->kh, g->kw)];
              }
            }
        }
  return set(op, op.getResult(), std::move(dx));
}

LogicalResult Executor::exec(dl::Conv2DGradFilterOp op) {
  const Tensor &x = get(op.getInput());
  const Tensor &dy = get(op.getResultGrad());
  Shape out = shapeOf(op.getResult());
  int64_t stride = static_cast<int64_t>(op.getStride());
  int64_t padding = static_cast<int64_t>(op.getPadding());
  auto g = convGeometry(x.shape, out, dy.shape, stride, padding);
  if (!g)
    return shapeError(op, "input, result_grad, result",
                      {x.shape, dy.shape, out});
  Tensor dw = zeros(out);
  for (int64_t n = 0; n < g->n; ++n)
    for (int64_t f = 0; f < g->f; ++f)
      for (int64_t oh = 0; oh < g->oh; ++oh)
        for (int64_t ow = 0; ow < g->ow; ++ow) {
          double grad = dy.data[at4(n, f, oh, ow, g->f, g->oh, g->ow)];
          for (int64_t c = 0; c < g->c; ++c)
            for (int64_t i = 0; i < g->kh; ++i) {
              int64_t ih = oh * stride - padding + i;
              if (ih < 0 || ih >= g->h)
                continue;
              for (int64_t j = 0; j < g->kw; ++j) {
                int64_t iw = ow * stride - padding + j;
                if (iw < 0 || iw >= g->w)
                  continue;
                dw.data[at4(f, c, i, j, g->c, g->kh, g->kw)] +=
                    grad * x.data[at4(n, c, ih, iw, g->c, g->h, g->w)];
              }
            }
        }
  return set(op, op.getResult(), std::move(dw));
}

LogicalResult Executor::exec(dl::MaxPool2DGradOp op) {
  const Tensor &dy = get(op.getResultGrad());
  const Tensor &x = get(op.getInput());
  Shape out = shapeOf(op.getResult());
  int64_t kernel = static_cast<int64_t>(op.getKernel());
  int64_t stride = static_cast<int64_t>(op.getStride());
  int64_t padding = static_cast<int64_t>(op.getPadding());
  auto g = poolGeometry(x.shape, dy.shape, kernel, stride, padding);
  if (!g || out != x.shape)
    return shapeError(op, "result_grad, input, result",
                      {dy.shape, x.shape, out});
  Tensor dx = zeros(out);
  for (int64_t n = 0; n < g->n; ++n)
    for (int64_t c = 0; c < g->c; ++c)
      for (int64_t oh = 0; oh < g->oh; ++oh)
        for (int64_t ow = 0; ow < g->ow; ++ow) {
          // The first in-bounds position (row-major in the window) holding
          // the window maximum.
          std::optional<size_t> best;
          for (int64_t i = 0; i < kernel; ++i) {
            int64_t ih = oh * stride - padding + i;
            if (ih < 0 || ih >= g->h)
              continue;
            for (int64_t j = 0; j < kernel; ++j) {
              int64_t iw = ow * stride - padding + j;
              if (iw < 0 || iw >= g->w)
                continue;
              size_t index = at4(n, c, ih, iw, g->c, g->h, g->w);
              if (!best || x.data[index] > x.data[*best])
                best = index;
            }
          }
          if (!best)
            return fail(op)
                   << "window (" << oh << ", " << ow << ") covers only padding";
          dx.data[*best] += dy.data[at4(n, c, oh, ow, g->c, g->oh, g->ow)];
        }
  return set(op, op.getResult(), std::move(dx));
}

LogicalResult Executor::exec(dl::AvgPool2DGradOp op) {
  const Tensor &dy = get(op.getResultGrad());
  Shape out = shapeOf(op.getResult());
  int64_t kernel = static_cast<int64_t>(op.getKernel());
  int64_t stride = static_cast<int64_t>(op.getStride());
  int64_t padding = static_cast<int64_t>(op.getPadding());
  auto g = poolGeometry(out, dy.shape, kernel, stride, padding);
  if (!g)
    return shapeError(op, "result_grad, result", {dy.shape, out});
  double divisor = double(kernel * kernel);
  Tensor dx = zeros(out);
  for (int64_t n = 0; n < g->n; ++n)
    for (int64_t c = 0; c < g->c; ++c)
      for (int64_t oh = 0; oh < g->oh; ++oh)
        for (int64_t ow = 0; ow < g->ow; ++ow) {
          double share =
              dy.data[at4(n, c, oh, ow, g->c, g->oh, g->ow)] / divisor;
          for (int64_t i = 0; i < kernel; ++i) {
            int64_t ih = oh * stride - padding + i;
            if (ih < 0 || ih >= g->h)
              continue;
            for (int64_t j = 0; j < kernel; ++j) {
              int64_t iw = ow * stride - padding + j;
              if (iw < 0 || iw >= g->w)
                continue;
              dx.data[at4(n, c, ih, iw, g->c, g->h, g->w)] += share;
            }
          }
        }
  return set(op, op.getResult(), std::move(dx));
}

LogicalResult Executor::exec(dl::SoftmaxCEGradOp op) {
  const Tensor &z = get(op.getLogits());
  const Tensor &labels = get(op.getLabels());
  const Tensor &lossGrad = get(op.getLossGrad());
  if (z.shape.size() != 2 || labels.shape != Shape{z.shape[0]} ||
      z.shape[0] < 1 || z.shape[1] < 1 || !lossGrad.shape.empty())
    return shapeError(op, "logits, labels, loss_grad",
                      {z.shape, labels.shape, lossGrad.shape});
  int64_t n = z.shape[0], k = z.shape[1];
  if (failed(checkLabels(op, labels, k, n)))
    return failure();
  double scale = lossGrad.data[0] / double(n);
  Tensor dz = zeros(z.shape);
  for (int64_t i = 0; i < n; ++i) {
    const double *row = &z.data[i * k];
    double lse = logSumExp(row, k);
    int64_t label = static_cast<int64_t>(labels.data[i]);
    for (int64_t j = 0; j < k; ++j) {
      double p = std::exp(row[j] - lse);
      dz.data[i * k + j] = (p - (j == label ? 1.0 : 0.0)) * scale;
    }
  }
  return set(op, op.getResult(), std::move(dz));
}

LogicalResult Executor::exec(dl::AddOp op) {
  const Tensor &a = get(op.getLhs());
  const Tensor &b = get(op.getRhs());
  if (a.shape != b.shape)
    return shapeError(op, "lhs, rhs", {a.shape, b.shape});
  Tensor sum = a;
  for (size_t i = 0; i < sum.data.size(); ++i)
    sum.data[i] += b.data[i];
  return set(op, op.getResult(), std::move(sum));
}

//===----------------------------------------------------------------------===//
// Optimizer and evaluation
//===----------------------------------------------------------------------===//

LogicalResult Executor::exec(dl::SGDUpdateOp op) {
  const Tensor &w = get(op.getParam());
  const Tensor &g = get(op.getGrad());
  const Tensor &lr = get(op.getLr());
  const Tensor &wd = get(op.getWeightDecay());
  if (w.shape != g.shape || !lr.shape.empty() || !wd.shape.empty())
    return shapeError(op, "param, grad, lr, weight_decay",
                      {w.shape, g.shape, lr.shape, wd.shape});
  Tensor next = w;
  for (size_t i = 0; i < next.data.size(); ++i)
    next.data[i] =
        w.data[i] - lr.data[0] * (g.data[i] + wd.data[0] * w.data[i]);
  return set(op, op.getResult(), std::move(next));
}

LogicalResult Executor::exec(dl::SGDMomentumUpdateOp op) {
  const Tensor &w = get(op.getParam());
  const Tensor &v = get(op.getVelocity());
  const Tensor &g = get(op.getGrad());
  const Tensor &lr = get(op.getLr());
  const Tensor &wd = get(op.getWeightDecay());
  const Tensor &momentum = get(op.getMomentum());
  if (w.shape != g.shape || w.shape != v.shape || !lr.shape.empty() ||
      !wd.shape.empty() || !momentum.shape.empty())
    return shapeError(
        op, "param, velocity, grad, lr, weight_decay, momentum",
        {w.shape, v.shape, g.shape, lr.shape, wd.shape, momentum.shape});
  Tensor nextW = w, nextV = v;
  for (size_t i = 0; i < w.data.size(); ++i) {
    nextV.data[i] =
        momentum.data[0] * v.data[i] + (g.data[i] + wd.data[0] * w.data[i]);
    nextW.data[i] = w.data[i] - lr.data[0] * nextV.data[i];
  }
  if (failed(set(op, op.getNewParam(), std::move(nextW))))
    return failure();
  return set(op, op.getNewVelocity(), std::move(nextV));
}

LogicalResult Executor::exec(dl::SoftmaxCEEvalOp op) {
  const Tensor &z = get(op.getLogits());
  const Tensor &labels = get(op.getLabels());
  const Tensor &validRows = get(op.getValidRows());
  if (z.shape.size() != 2 || labels.shape != Shape{z.shape[0]} ||
      z.shape[1] < 1 || !validRows.shape.empty())
    return shapeError(op, "logits, labels, valid_rows",
                      {z.shape, labels.shape, validRows.shape});
  int64_t n = z.shape[0], k = z.shape[1];
  double valid = validRows.data[0];
  if (!(valid >= 0.0 && valid <= double(n) && valid == std::floor(valid)))
    return fail(op) << "valid_rows " << num(valid) << " is outside [0, " << n
                    << "]";
  int64_t rows = static_cast<int64_t>(valid);
  if (failed(checkLabels(op, labels, k, rows)))
    return failure();
  double lossSum = 0.0, correct = 0.0;
  for (int64_t i = 0; i < rows; ++i) {
    const double *row = &z.data[i * k];
    int64_t label = static_cast<int64_t>(labels.data[i]);
    lossSum += logSumExp(row, k) - row[label];
    if (firstArgMax(row, k) == label)
      correct += 1.0;
  }
  if (failed(set(op, op.getLossSum(), Tensor{{}, {lossSum}})))
    return failure();
  return set(op, op.getCorrect(), Tensor{{}, {correct}});
}
