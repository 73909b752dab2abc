//===- LowerKernelsToLinalg.cpp - dl kernels to linalg on tensors ---------===//
//
// Each kernel (a fusion group outlined by dl-form-kernels) is rebuilt in
// destination-passing style: every value is computed into a tensor argument
// (an output, the parameter an update overwrites, or a scratch buffer), so
// one-shot bufferization turns the kernel into loops over its arguments
// with no allocation. Elementwise consumers of a fused producer run as
// outs-only linalg.generic ops on the producer's result, which bufferize in
// place: dense+relu is one matmul into the output followed by an in-place
// max(x, 0) over it.
//
//===----------------------------------------------------------------------===//

#include "dlc/Dialect/DL/Transforms/Passes.h"

#include "dlc/Dialect/DL/IR/DLOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/AffineMap.h"
#include "mlir/IR/Builders.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/TypeSwitch.h"

namespace dlc::dl {
#define GEN_PASS_DEF_LOWERKERNELSTOLINALG
#include "dlc/Dialect/DL/Transforms/Passes.h.inc"
} // namespace dlc::dl

using namespace mlir;
using namespace dlc;
using namespace dlc::dl;

namespace {
/// max(m, x) that keeps a NaN from either side, as arith.maximumf does, but
/// without ordering -0 below +0: two compares and a select, where x86
/// expands maximumf into a much longer sequence (pooling windows, relu,
/// softmax row maxima).
Value nanPropagatingMax(OpBuilder &ob, Location l, Value m, Value x) {
  Value greater = arith::CmpFOp::create(ob, l, arith::CmpFPredicate::OGT, x, m);
  Value xIsNaN = arith::CmpFOp::create(ob, l, arith::CmpFPredicate::UNO, x, x);
  Value takeX = arith::OrIOp::create(ob, l, greater, xIsNaN);
  return arith::SelectOp::create(ob, l, takeX, x, m);
}
} // namespace

namespace {

using IT = utils::IteratorType;

/// Pooling windows of at most this many positions get one operand per
/// position (combined in registers) instead of a reduction over the window.
constexpr int64_t kMaxWindowOperands = 9;

/// Dense input gradients of at least this many multiply-adds get a
/// transposed weight in the CPU forms (smaller ones are not worth a copy).
constexpr int64_t kMinTransposeMacs = 500000;

/// f32 lanes of the CPU's vectors (AVX-512): the channel- and batch-lanes
/// convolution forms need whole vectors of filters or images.
constexpr int64_t kVectorLanes = 16;

/// Row-major position i * k + j inside a k x k window, from the generic's
/// loop dims 4 and 5 (the window's rows and columns).
Value windowPosition(OpBuilder &ob, Location l, int64_t k) {
  Value i = linalg::IndexOp::create(ob, l, 4);
  Value j = linalg::IndexOp::create(ob, l, 5);
  return arith::AddIOp::create(
      ob, l,
      arith::MulIOp::create(ob, l, i, arith::ConstantIndexOp::create(ob, l, k)),
      j);
}

using BodyFn = function_ref<void(OpBuilder &, Location, ValueRange)>;

void yield(OpBuilder &b, Location loc, Value value) {
  linalg::YieldOp::create(b, loc, value);
}
void yield(OpBuilder &b, Location loc, ValueRange values) {
  linalg::YieldOp::create(b, loc, values);
}

Value relu(OpBuilder &ob, Location l, Value x, Value = {}) {
  return nanPropagatingMax(
      ob, l, arith::ConstantOp::create(ob, l, ob.getF32FloatAttr(0)), x);
}

Value sigmoid(OpBuilder &ob, Location l, Value x, Value = {}) {
  Value one = arith::ConstantOp::create(ob, l, ob.getF32FloatAttr(1));
  Value e = math::ExpOp::create(ob, l, arith::NegFOp::create(ob, l, x));
  return arith::DivFOp::create(ob, l, one,
                               arith::AddFOp::create(ob, l, one, e));
}

/// Ops that update their fused operand in place (see dl-form-kernels).
Value inPlaceOperand(Operation *op) {
  if (isa<ReluOp, SigmoidOp>(op))
    return op->getOperand(0);
  if (isa<ReluGradOp, SigmoidGradOp>(op))
    return op->getOperand(0);
  return {};
}

class KernelLowering {
public:
  KernelLowering(func::FuncOp kernel, bool cpuForms)
      : kernel(kernel), b(kernel.getContext()),
        cpuForms(cpuForms) {}

  LogicalResult run();

private:
  // Destinations.
  Value destFor(Value v);
  Value newScratch(Type type);

  // Lowering of each op; returns the tensors of its results.
  FailureOr<SmallVector<Value>> lower(Operation *op);
  Value lowerDense(DenseOp op);
  Value biasInit(Value bias, Value dest, unsigned channelDim = 1);
  Value lowerElementwise(Operation *op, Value in, Value other,
                         function_ref<Value(OpBuilder &, Location, Value, Value)>
                             fn);
  /// dest += lhs * rhs as one linalg.generic: the dense matmuls and the
  /// convolutions. The loop order follows the dims of the maps, chosen per
  /// use so the innermost loop runs over contiguous memory.
  Value lowerContraction(Value lhs, Value rhs, Value dest, AffineMap lhsMap,
                         AffineMap rhsMap, AffineMap outMap,
                         ArrayRef<IT> iterators);
  Value lowerBiasGrad(BiasGradOp op);
  Value lowerConv(Conv2DOp op);
  Value lowerConvGradInput(Conv2DGradInputOp op);
  Value lowerConvGradFilter(Conv2DGradFilterOp op);
  Value lowerPool(Operation *op, bool isMax);
  Value lowerPoolGrad(Operation *op, bool isMax);
  Value lowerTilingPoolGrad(Operation *op, bool isMax, Value dest);
  SmallVector<AffineMap> windowPositionMaps(int64_t k, int64_t stride,
                                            unsigned dims = 4);

  // Windows over NCHW tensors.
  Value padded(Value x, int64_t padding, double padValue);
  RankedTensorType paddedType(RankedTensorType type, int64_t padding);
  Value scatterTarget(Value dest, int64_t padding);
  Value interior(Value paddedValue, int64_t padding, Value dest);
  Value markZeroPadding(Value contraction, unsigned input, int64_t padding);

  // Channel lanes: the filters as the vector dim, over [N, H, W, F] copies.
  bool useChannelLanes(int64_t filters, int64_t rowWidth) const;
  Value permuted(Value x, ArrayRef<unsigned> perm, Value dest = {});
  Value lowerConvChannelLanes(Conv2DOp op);
  Value lowerConvGradFilterChannelLanes(Conv2DGradFilterOp op);
  bool useBatchLanes(int64_t batch, int64_t rowWidth) const;
  Value lowerConvGradInputBatchLanes(Conv2DGradInputOp op);
  Value lowerConvGradInputColumns(Conv2DGradInputOp op);
  AffineMap windowMap(unsigned dims, unsigned n, unsigned c, unsigned oh,
                      unsigned ow, unsigned kh, unsigned kw, int64_t stride);
  Value windowShape(int64_t kh, int64_t kw);
  SmallVector<Value> lowerLossAndCorrect(Value logits, Value labels,
                                         Value rowMax, Value rowSum,
                                         SoftmaxCEOp loss,
                                         SoftmaxCEEvalOp eval);
  SmallVector<Value> lowerSoftmax(Value logits, Value labels,
                                  SoftmaxCEOp loss, SoftmaxCEGradOp grad,
                                  SoftmaxCEEvalOp eval);
  SmallVector<Value> lowerUpdate(Operation *op);

  // Helpers.
  Value generic(ValueRange ins, ValueRange outs, ArrayRef<AffineMap> maps,
                ArrayRef<IT> iterators, BodyFn body) {
    SmallVector<Type> types;
    for (Value out : outs)
      types.push_back(out.getType());
    auto op = linalg::GenericOp::create(b, loc, types, ins, outs, maps,
                                        iterators, body);
    return op.getResult(0);
  }
  Value fill(double value, Value dest) {
    Type element = getElementTypeOrSelf(dest.getType());
    Value c = isa<FloatType>(element)
                  ? arith::ConstantOp::create(b, loc, b.getFloatAttr(element, value))
                        .getResult()
                  : arith::ConstantOp::create(
                        b, loc, b.getIntegerAttr(element, (int64_t)value))
                        .getResult();
    return linalg::FillOp::create(b, loc, ValueRange{c}, ValueRange{dest})
        .getResult(0);
  }
  Value f32(OpBuilder &ob, double v) {
    return arith::ConstantOp::create(ob, loc, ob.getF32FloatAttr(v));
  }
  /// A rank-0 tensor's element, read once at the top of the kernel.
  Value scalar(Value tensor) {
    return tensor::ExtractOp::create(b, loc, tensor, ValueRange{});
  }
  AffineMap map(unsigned dims, ArrayRef<unsigned> results) {
    SmallVector<AffineExpr> exprs;
    for (unsigned r : results)
      exprs.push_back(b.getAffineDimExpr(r));
    return AffineMap::get(dims, 0, exprs, b.getContext());
  }
  /// Reassociation lets LLVM vectorise reductions; contraction forms FMAs.
  arith::FastMathFlagsAttr contractFlags() {
    return arith::FastMathFlagsAttr::get(b.getContext(),
                                         arith::FastMathFlags::reassoc |
                                             arith::FastMathFlags::contract);
  }
  AffineMap identity(unsigned rank) {
    return b.getMultiDimIdentityMap(rank);
  }
  SmallVector<IT> parallel(unsigned n) {
    return SmallVector<IT>(n, IT::parallel);
  }

  func::FuncOp kernel;
  OpBuilder b;
  Location loc = kernel.getLoc();
  Block *oldBody = nullptr;
  Block *newBody = nullptr;
  IRMapping lowered;                        // dl value -> tensor/scalar
  llvm::DenseMap<Value, Value> dests;       // dl value -> destination arg
  llvm::DenseMap<Value, Value> outputDests; // returned dl value -> arg
  SmallVector<Type> scratchTypes;
  bool cpuForms;
};

Value KernelLowering::newScratch(Type type) {
  scratchTypes.push_back(type);
  return newBody->addArgument(type, loc);
}

Value KernelLowering::destFor(Value v) {
  if (Value d = dests.lookup(v))
    return d;
  Value dest;
  if (Value out = outputDests.lookup(v)) {
    dest = out;
  } else if (v.hasOneUse() &&
             inPlaceOperand(*v.getUsers().begin()) == v) {
    dest = destFor(v.getUsers().begin()->getResult(0));
  } else {
    dest = newScratch(v.getType());
  }
  dests[v] = dest;
  return dest;
}

Value KernelLowering::lowerContraction(Value lhs, Value rhs, Value dest,
                                  AffineMap lhsMap, AffineMap rhsMap,
                                  AffineMap outMap, ArrayRef<IT> iterators) {
  auto fm = contractFlags();
  return generic({lhs, rhs}, {dest}, {lhsMap, rhsMap, outMap}, iterators,
                 [&](OpBuilder &ob, Location l, ValueRange args) {
                   Value mul =
                       arith::MulFOp::create(ob, l, args[0], args[1], fm);
                   yield(ob, l,
                         arith::AddFOp::create(ob, l, args[2], mul, fm));
                 });
}

/// `dest` holding the bias broadcast along dimension `channelDim` (units or
/// channels), or zeros without one: the start of an accumulation.
Value KernelLowering::biasInit(Value bias, Value dest, unsigned channelDim) {
  if (!bias)
    return fill(0.0, dest);
  unsigned rank = cast<RankedTensorType>(dest.getType()).getRank();
  return generic({lowered.lookup(bias)}, {dest},
                 {map(rank, {channelDim}), identity(rank)},
                 parallel(rank), [](OpBuilder &ob, Location l, ValueRange a) {
                   yield(ob, l, a[0]);
                 });
}

Value KernelLowering::lowerDense(DenseOp op) {
  Value init = biasInit(op.getBias(), destFor(op.getResult()));
  // (n, k, u): y[n, u] += x[n, k] * w[k, u]
  return lowerContraction(lowered.lookup(op.getInput()),
                     lowered.lookup(op.getWeight()), init, map(3, {0, 1}),
                     map(3, {1, 2}), map(3, {0, 2}),
                     {IT::parallel, IT::reduction, IT::parallel});
}

Value KernelLowering::lowerElementwise(
    Operation *op, Value in, Value other,
    function_ref<Value(OpBuilder &, Location, Value, Value)> fn) {
  Value result = op->getResult(0);
  Value dest = destFor(result);
  unsigned rank = cast<RankedTensorType>(result.getType()).getRank();
  Value loweredIn = lowered.lookup(in);
  // The fused producer already wrote `in` into our destination: update it
  // in place (outs-only) so bufferization needs no second buffer.
  bool inPlace = dests.lookup(in) == dest;
  SmallVector<Value> ins;
  if (!inPlace)
    ins.push_back(loweredIn);
  if (other)
    ins.push_back(lowered.lookup(other));
  SmallVector<AffineMap> maps(ins.size() + 1, identity(rank));
  return generic(ins, {inPlace ? loweredIn : dest}, maps, parallel(rank),
                 [&](OpBuilder &ob, Location l, ValueRange args) {
                   // args: [in]?, [other]?, out
                   Value x = inPlace ? args.back() : args[0];
                   Value y = other ? args[inPlace ? 0 : 1] : Value();
                   yield(ob, l, fn(ob, l, x, y));
                 });
}

Value KernelLowering::lowerBiasGrad(BiasGradOp op) {
  Value dest = fill(0.0, destFor(op.getResult()));
  auto dyType = cast<RankedTensorType>(op.getResultGrad().getType());
  unsigned rank = dyType.getRank();
  // Loop d0 is the channel; d1.. the rest: dy[d1, d0, d2, ...].
  SmallVector<unsigned> dyDims = {1, 0};
  for (unsigned i = 2; i < rank; ++i)
    dyDims.push_back(i);
  SmallVector<IT> iterators(rank, IT::reduction);
  iterators[0] = IT::parallel;
  // Reassociable, so that the sum over each image's positions vectorises
  // instead of being one chain of dependent adds.
  arith::FastMathFlagsAttr fm = contractFlags();
  return generic({lowered.lookup(op.getResultGrad())}, {dest},
                 {map(rank, dyDims), map(rank, {0})}, iterators,
                 [&](OpBuilder &ob, Location l, ValueRange args) {
                   yield(ob, l,
                         arith::AddFOp::create(ob, l, args[1], args[0], fm));
                 });
}

/// Row-wise softmax cross-entropy: the loss (mean or masked sum), the
/// correct count and, when fused, the gradient share two row statistics
/// (max and sum of exponentials) kept in scratch buffers.
SmallVector<Value> KernelLowering::lowerSoftmax(Value logitsValue,
                                                Value labelsValue,
                                                SoftmaxCEOp loss,
                                                SoftmaxCEGradOp grad,
                                                SoftmaxCEEvalOp eval) {
  Value logits = lowered.lookup(logitsValue);
  Value labels = lowered.lookup(labelsValue);
  int64_t rows = cast<RankedTensorType>(logitsValue.getType()).getDimSize(0);
  auto rowType = RankedTensorType::get({rows}, b.getF32Type());
  AffineMap row2 = map(2, {0}), full2 = identity(2);

  Value rowMax = generic(
      {logits}, {fill(-INFINITY, newScratch(rowType))}, {full2, row2},
      {IT::parallel, IT::reduction},
      [](OpBuilder &ob, Location l, ValueRange a) {
        yield(ob, l, nanPropagatingMax(ob, l, a[1], a[0]));
      });
  Value rowSum = generic(
      {logits, rowMax}, {fill(0.0, newScratch(rowType))}, {full2, row2, row2},
      {IT::parallel, IT::reduction},
      [](OpBuilder &ob, Location l, ValueRange a) {
        Value e = math::ExpOp::create(
            ob, l, arith::SubFOp::create(ob, l, a[0], a[1]));
        yield(ob, l, arith::AddFOp::create(ob, l, a[2], e));
      });

  SmallVector<Value> results;
  if (loss || eval)
    results = lowerLossAndCorrect(logits, labels, rowMax, rowSum, loss, eval);
  if (grad) {
    Value g = scalar(lowered.lookup(grad.getLossGrad()));
    Value gradValue = generic(
        {logits, rowMax, rowSum, labels}, {destFor(grad.getResult())},
        {full2, row2, row2, row2, full2}, parallel(2),
        [&](OpBuilder &ob, Location l, ValueRange a) {
          Value p = arith::DivFOp::create(
              ob, l,
              math::ExpOp::create(ob, l,
                                  arith::SubFOp::create(ob, l, a[0], a[1])),
              a[2]);
          Value k = arith::IndexCastOp::create(
              ob, l, ob.getI32Type(), linalg::IndexOp::create(ob, l, 1));
          Value isLabel = arith::CmpIOp::create(
              ob, l, arith::CmpIPredicate::eq, k, a[3]);
          Value onehot = arith::UIToFPOp::create(ob, l, ob.getF32Type(), isLabel);
          Value scaled = arith::MulFOp::create(
              ob, l, g, f32(ob, 1.0 / static_cast<double>(rows)));
          yield(
              ob, l,
              arith::MulFOp::create(
                  ob, l, arith::SubFOp::create(ob, l, p, onehot), scaled));
        });
    results.push_back(gradValue);
  }
  return results;
}

/// The loss (mean, or the masked sum of eval) and the correct count of the
/// rows whose max and sum of exponentials are `rowMax` and `rowSum`.
SmallVector<Value> KernelLowering::lowerLossAndCorrect(
    Value logits, Value labels, Value rowMax, Value rowSum, SoftmaxCEOp loss,
    SoftmaxCEEvalOp eval) {
  auto type = cast<RankedTensorType>(logits.getType());
  int64_t rows = type.getDimSize(0), classes = type.getDimSize(1);
  auto rowIndexType = RankedTensorType::get({rows}, b.getI32Type());
  AffineMap row2 = map(2, {0}), full2 = identity(2), row1 = identity(1);
  AffineMap scalar1 = AffineMap::get(1, 0, {}, b.getContext());
  Value validRows =
      eval ? scalar(lowered.lookup(eval.getValidRows())) : Value();
  double scale = eval ? 1.0 : 1.0 / static_cast<double>(rows);
  auto maskRow = [&](OpBuilder &ob, Location l, Value value, Value zero) {
    if (!validRows)
      return value;
    Value n = arith::IndexCastOp::create(ob, l, ob.getI32Type(),
                                         linalg::IndexOp::create(ob, l, 0));
    Value valid = arith::CmpIOp::create(ob, l, arith::CmpIPredicate::slt, n,
                                        validRows);
    return arith::SelectOp::create(ob, l, valid, value, zero).getResult();
  };

  // loss += (max + log(sum) - logits[n, label[n]]) * scale over rows.
  Value lossResult = loss ? loss.getLoss() : eval.getLossSum();
  Value lossValue = generic(
      {rowMax, rowSum, labels}, {fill(0.0, destFor(lossResult))},
      {row1, row1, row1, scalar1}, {IT::reduction},
      [&](OpBuilder &ob, Location l, ValueRange a) {
        Value n = linalg::IndexOp::create(ob, l, 0);
        Value label = arith::IndexCastOp::create(ob, l, ob.getIndexType(), a[2]);
        Value picked =
            tensor::ExtractOp::create(ob, l, logits, ValueRange{n, label});
        Value lse = arith::AddFOp::create(ob, l, a[0],
                                          math::LogOp::create(ob, l, a[1]));
        Value term = arith::MulFOp::create(
            ob, l, arith::SubFOp::create(ob, l, lse, picked), f32(ob, scale));
        term = maskRow(ob, l, term, f32(ob, 0.0));
        yield(ob, l, arith::AddFOp::create(ob, l, a[3], term));
      });

  // The first arg-max of each row, then the rows where it equals the label.
  Value argMax = generic(
      {logits, rowMax},
      {fill(static_cast<double>(classes), newScratch(rowIndexType))},
      {full2, row2, row2}, {IT::parallel, IT::reduction},
      [](OpBuilder &ob, Location l, ValueRange a) {
        Value k = arith::IndexCastOp::create(ob, l, ob.getI32Type(),
                                             linalg::IndexOp::create(ob, l, 1));
        Value isMax = arith::CmpFOp::create(ob, l, arith::CmpFPredicate::OEQ,
                                            a[0], a[1]);
        Value first = arith::MinSIOp::create(ob, l, a[2], k);
        yield(
            ob, l, arith::SelectOp::create(ob, l, isMax, first, a[2]));
      });
  Value correctResult = loss ? loss.getCorrect() : eval.getCorrect();
  Value correct = generic(
      {argMax, labels}, {fill(0.0, destFor(correctResult))},
      {row1, row1, scalar1}, {IT::reduction},
      [&](OpBuilder &ob, Location l, ValueRange a) {
        Value hit = arith::CmpIOp::create(ob, l, arith::CmpIPredicate::eq,
                                          a[0], a[1]);
        Value one = arith::ExtUIOp::create(ob, l, ob.getI32Type(), hit);
        Value zero = arith::ConstantOp::create(ob, l, ob.getI32IntegerAttr(0));
        one = maskRow(ob, l, one, zero);
        yield(ob, l, arith::AddIOp::create(ob, l, a[2], one));
      });
  return {lossValue, correct};
}

SmallVector<Value> KernelLowering::lowerUpdate(Operation *op) {
  bool momentum = isa<SGDMomentumUpdateOp>(op);
  Value param = op->getOperand(0);
  Value velocity = momentum ? op->getOperand(1) : Value();
  Value grad = op->getOperand(momentum ? 2 : 1);
  Value lr = scalar(lowered.lookup(op->getOperand(momentum ? 3 : 2)));
  Value wd = scalar(lowered.lookup(op->getOperand(momentum ? 4 : 3)));
  Value mu = momentum ? scalar(lowered.lookup(op->getOperand(5))) : Value();
  unsigned rank = cast<RankedTensorType>(param.getType()).getRank();

  // The parameter (and velocity) are read from and written to their own
  // buffers when the update overwrites them; otherwise from ins.
  Value paramDest = destFor(op->getResult(0));
  bool paramInPlace = paramDest == lowered.lookup(param);
  SmallVector<Value> ins = {lowered.lookup(grad)};
  if (!paramInPlace)
    ins.push_back(lowered.lookup(param));
  SmallVector<Value> outs = {paramDest};
  bool velocityInPlace = false;
  if (momentum) {
    Value velocityDest = destFor(op->getResult(1));
    velocityInPlace = velocityDest == lowered.lookup(velocity);
    if (!velocityInPlace)
      ins.push_back(lowered.lookup(velocity));
    outs.push_back(velocityDest);
  }
  SmallVector<AffineMap> maps(ins.size() + outs.size(), identity(rank));
  SmallVector<Type> types;
  for (Value out : outs)
    types.push_back(out.getType());
  auto generic = linalg::GenericOp::create(
      b, loc, types, ins, outs, maps, parallel(rank),
      [&](OpBuilder &ob, Location l, ValueRange a) {
        unsigned next = 1;
        Value g = a[0];
        Value w = paramInPlace ? a[ins.size()] : a[next++];
        // g + wd * w: L2 weight decay as a gradient term.
        Value decayed = arith::AddFOp::create(
            ob, l, g, arith::MulFOp::create(ob, l, wd, w));
        if (!momentum) {
          Value step = arith::MulFOp::create(ob, l, lr, decayed);
          yield(ob, l, arith::SubFOp::create(ob, l, w, step)
                                             .getResult());
          return;
        }
        Value v = velocityInPlace ? a[ins.size() + 1] : a[next++];
        Value newV = arith::AddFOp::create(
            ob, l, arith::MulFOp::create(ob, l, mu, v), decayed);
        Value newW = arith::SubFOp::create(
            ob, l, w, arith::MulFOp::create(ob, l, lr, newV));
        yield(ob, l, ValueRange{newW, newV});
      });
  return SmallVector<Value>(generic.getResults());
}

/// `x` [N, C, H, W, ...] surrounded by `padding` elements of `padValue` in
/// H and W, in a scratch buffer (or `x` itself without padding). The copy
/// is a linalg.generic into a slice of the scratch, so it bufferizes in
/// place.
Value KernelLowering::padded(Value x, int64_t padding, double padValue) {
  if (padding == 0)
    return x;
  auto type = cast<RankedTensorType>(x.getType());
  Value filled = fill(padValue, newScratch(paddedType(type, padding)));
  unsigned rank = type.getRank();
  SmallVector<OpFoldResult> offsets(rank, b.getIndexAttr(0));
  offsets[2] = offsets[3] = b.getIndexAttr(padding);
  SmallVector<OpFoldResult> sizes, strides(rank, b.getIndexAttr(1));
  for (int64_t d : type.getShape())
    sizes.push_back(b.getIndexAttr(d));
  Value slice = tensor::ExtractSliceOp::create(b, loc, filled, offsets, sizes,
                                               strides);
  Value copied = generic({x}, {slice}, {identity(rank), identity(rank)},
                         parallel(rank),
                         [](OpBuilder &ob, Location l, ValueRange a) {
                           yield(ob, l, a[0]);
                         });
  return tensor::InsertSliceOp::create(b, loc, copied, filled, offsets, sizes,
                                       strides);
}

/// `type` [N, C, H, W, ...] grown by `padding` on both sides of H and W.
RankedTensorType KernelLowering::paddedType(RankedTensorType type,
                                            int64_t padding) {
  SmallVector<int64_t> shape(type.getShape());
  shape[2] += 2 * padding;
  shape[3] += 2 * padding;
  return RankedTensorType::get(shape, type.getElementType());
}

/// A zeroed buffer for a scatter-form gradient: `dest` itself, or a padded
/// scratch whose interior is copied to `dest` afterwards (see interior()).
Value KernelLowering::scatterTarget(Value dest, int64_t padding) {
  if (padding == 0)
    return fill(0.0, dest);
  auto type = cast<RankedTensorType>(dest.getType());
  return fill(0.0, newScratch(paddedType(type, padding)));
}

/// Copies the unpadded interior of `paddedValue` into `dest`.
Value KernelLowering::interior(Value paddedValue, int64_t padding,
                               Value dest) {
  auto type = cast<RankedTensorType>(dest.getType());
  SmallVector<OpFoldResult> offsets = {b.getIndexAttr(0), b.getIndexAttr(0),
                                       b.getIndexAttr(padding),
                                       b.getIndexAttr(padding)};
  SmallVector<OpFoldResult> sizes, strides(4, b.getIndexAttr(1));
  for (int64_t d : type.getShape())
    sizes.push_back(b.getIndexAttr(d));
  Value slice = tensor::ExtractSliceOp::create(b, loc, paddedValue, offsets,
                                               sizes, strides);
  return generic({slice}, {dest}, {identity(4), identity(4)}, parallel(4),
                 [](OpBuilder &ob, Location l, ValueRange a) {
                   yield(ob, l, a[0]);
                 });
}

/// Records on the generic that computes `contraction` that its input
/// `input` is zero outside [padding, size - padding) of dims 2 and 3 (a
/// tensor from padded(..., 0.0)): dl-vectorize-kernels skips the reduction
/// steps that would only multiply that padding.
Value KernelLowering::markZeroPadding(Value contraction, unsigned input,
                                      int64_t padding) {
  if (padding > 0)
    contraction.getDefiningOp()->setAttr(
        kZeroPaddingAttr, b.getDenseI64ArrayAttr({input, padding}));
  return contraction;
}

/// The CPU's vector dim of a convolution in NCHW is a row of the image:
/// rows shorter than a vector (LeNet's 10) leave lanes idle and their loads
/// straddle cache lines. With whole vectors of filters, the forward and
/// filter-gradient products run with the filters as lanes instead: every
/// lane busy, the image read as broadcasts, and one transposing copy of the
/// [N, F, H, W] operand (dl-vectorize-transposes).
bool KernelLowering::useChannelLanes(int64_t filters, int64_t rowWidth) const {
  return cpuForms && filters % kVectorLanes == 0 && rowWidth < kVectorLanes;
}

/// result[i...] = x[...] with result dim i taken from x's dim perm[i]: a
/// copy into `dest`, or into a new scratch buffer.
Value KernelLowering::permuted(Value x, ArrayRef<unsigned> perm, Value dest) {
  auto type = cast<RankedTensorType>(x.getType());
  unsigned rank = type.getRank();
  SmallVector<int64_t> shape;
  for (unsigned d : perm)
    shape.push_back(type.getDimSize(d));
  if (!dest)
    dest = newScratch(RankedTensorType::get(shape, type.getElementType()));
  // Loops over the result; x's dim perm[i] is loop i.
  SmallVector<unsigned> xDims(rank);
  for (auto [i, d] : llvm::enumerate(perm))
    xDims[d] = i;
  return generic({x}, {dest}, {map(rank, xDims), identity(rank)},
                 parallel(rank), [](OpBuilder &ob, Location l, ValueRange a) {
                   yield(ob, l, a[0]);
                 });
}

/// yT[n, oh, ow, f] = bias[f] + sum x[n, c, oh * s + kh, ow * s + kw] *
/// wT[c, kh, kw, f] over loops (n, oh, ow, f, c, kh, kw), then copied to
/// y[n, f, oh, ow].
Value KernelLowering::lowerConvChannelLanes(Conv2DOp op) {
  int64_t stride = op.getStride(), padding = op.getPadding();
  Value w = permuted(lowered.lookup(op.getFilter()), {1, 2, 3, 0});
  auto yType = cast<RankedTensorType>(op.getResult().getType());
  ArrayRef<int64_t> y = yType.getShape();
  Value yT = newScratch(RankedTensorType::get({y[0], y[2], y[3], y[1]},
                                              yType.getElementType()));
  Value init = biasInit(op.getBias(), yT, /*channelDim=*/3);
  Value x = padded(lowered.lookup(op.getInput()), padding, 0.0);
  Value product = markZeroPadding(
      lowerContraction(x, w, init, windowMap(7, 0, 4, 1, 2, 5, 6, stride),
                       map(7, {4, 5, 6, 3}), map(7, {0, 1, 2, 3}),
                       {IT::parallel, IT::parallel, IT::parallel, IT::parallel,
                        IT::reduction, IT::reduction, IT::reduction}),
      0, padding);
  // The fused activation runs on yT, before the copy, so that
  // dl-vectorize-kernels applies it to the accumulators.
  Value result = op.getResult();
  Operation *activation =
      result.hasOneUse() ? *result.getUsers().begin() : nullptr;
  if (activation && isa<ReluOp, SigmoidOp>(activation) &&
      inPlaceOperand(activation) == result) {
    bool isRelu = isa<ReluOp>(activation);
    product = generic({}, {product}, {identity(4)}, parallel(4),
                      [&](OpBuilder &ob, Location l, ValueRange a) {
                        yield(ob, l, isRelu ? relu(ob, l, a[0])
                                            : sigmoid(ob, l, a[0]));
                      });
    Value y =
        permuted(product, {0, 3, 1, 2}, destFor(activation->getResult(0)));
    lowered.map(activation->getResult(0), y);
    return y;
  }
  return permuted(product, {0, 3, 1, 2}, destFor(result));
}

/// dwT[c, kh, kw, f] = sum dyT[n, oh, ow, f] * x[n, c, oh * s + kh,
/// ow * s + kw] over loops (c, kh, kw, f, n, oh, ow), then copied to
/// dw[f, c, kh, kw].
Value KernelLowering::lowerConvGradFilterChannelLanes(Conv2DGradFilterOp op) {
  int64_t stride = op.getStride(), padding = op.getPadding();
  Value dy = permuted(lowered.lookup(op.getResultGrad()), {0, 2, 3, 1});
  auto wType = cast<RankedTensorType>(op.getResult().getType());
  ArrayRef<int64_t> w = wType.getShape();
  Value dwT = fill(0.0, newScratch(RankedTensorType::get(
                            {w[1], w[2], w[3], w[0]}, wType.getElementType())));
  Value x = padded(lowered.lookup(op.getInput()), padding, 0.0);
  Value product = markZeroPadding(
      lowerContraction(dy, x, dwT, map(7, {4, 5, 6, 3}),
                       windowMap(7, 4, 0, 5, 6, 1, 2, stride),
                       map(7, {0, 1, 2, 3}),
                       {IT::parallel, IT::parallel, IT::parallel, IT::parallel,
                        IT::reduction, IT::reduction, IT::reduction}),
      1, padding);
  return permuted(product, {3, 0, 1, 2}, destFor(op.getResult()));
}

/// The gather-form input gradient in NCHW has dx's rows as its vector dim:
/// LeNet's rows of 14 leave 2 of 16 lanes idle, and of each dy row only 10
/// of 14 positions are not padding. With whole vectors of images, it runs
/// with the batch as lanes instead: every lane busy, and the window loops
/// skip the padding exactly (see lowerConvGradInputBatchLanes).
bool KernelLowering::useBatchLanes(int64_t batch, int64_t rowWidth) const {
  return cpuForms && batch % kVectorLanes == 0 && rowWidth < kVectorLanes;
}

/// Gather form with the batch as lanes, over copies blocked by 16 images:
/// dxB[nb, h, c, w, i] = sum dyBP[nb, f, h + K-1 - kh, w + K-1 - kw, i] *
/// w[f, c, kh, kw] over loops (nb, h, c, w, i, kh, kw, f), where image
/// n = 16 nb + i, dyBP is dy copied to [N/16, F, OH, OW, 16] and padded by
/// K-1-padding, and dxB is copied back to dx. Every op of the kernel runs
/// over nb, so it splits into blocks of 16 images; h, c and w are left to
/// the register blocks. The filters are the innermost loop: the window
/// loops, cut short at the padding, would be too short for it.
Value KernelLowering::lowerConvGradInputBatchLanes(Conv2DGradInputOp op) {
  int64_t k = cast<RankedTensorType>(op.getFilter().getType()).getDimSize(2);
  int64_t padding = k - 1 - op.getPadding();
  SmallVector<ReassociationIndices> byBlocks = {{0, 1}, {2}, {3}, {4}};
  auto blocked = [&](RankedTensorType type) {
    ArrayRef<int64_t> s = type.getShape();
    return RankedTensorType::get(
        {s[0] / kVectorLanes, kVectorLanes, s[1], s[2], s[3]},
        type.getElementType());
  };
  Value dy = lowered.lookup(op.getResultGrad());
  dy = tensor::ExpandShapeOp::create(
      b, loc, blocked(cast<RankedTensorType>(dy.getType())), dy, byBlocks);
  dy = padded(permuted(dy, {0, 2, 3, 4, 1}), padding, 0.0);
  auto dxType = cast<RankedTensorType>(op.getResult().getType());
  ArrayRef<int64_t> x = dxType.getShape();
  Value dxB = fill(0.0, newScratch(RankedTensorType::get(
                            {x[0] / kVectorLanes, x[2], x[1], x[3],
                             kVectorLanes},
                            dxType.getElementType())));
  AffineExpr d[8];
  for (unsigned i = 0; i < 8; ++i)
    d[i] = b.getAffineDimExpr(i);
  AffineMap dyMap = AffineMap::get(
      8, 0, {d[0], d[7], d[1] - d[5] + (k - 1), d[3] - d[6] + (k - 1), d[4]},
      b.getContext());
  Value product = markZeroPadding(
      lowerContraction(dy, lowered.lookup(op.getFilter()), dxB, dyMap,
                       map(8, {7, 2, 5, 6}), map(8, {0, 1, 2, 3, 4}),
                       {IT::parallel, IT::parallel, IT::parallel, IT::parallel,
                        IT::parallel, IT::reduction, IT::reduction,
                        IT::reduction}),
      0, padding);
  Value dest = destFor(op.getResult());
  Value dx = permuted(product, {0, 4, 2, 1, 3},
                      tensor::ExpandShapeOp::create(b, loc, blocked(dxType),
                                                    dest, byBlocks));
  return tensor::CollapseShapeOp::create(b, loc, dxType, dx, byBlocks);
}

/// (n, c, oh * stride + kh, ow * stride + kw) over the loop dims given.
AffineMap KernelLowering::windowMap(unsigned dims, unsigned n, unsigned c,
                                    unsigned oh, unsigned ow, unsigned kh,
                                    unsigned kw, int64_t stride) {
  AffineExpr d[] = {b.getAffineDimExpr(n), b.getAffineDimExpr(c),
                    b.getAffineDimExpr(oh) * stride + b.getAffineDimExpr(kh),
                    b.getAffineDimExpr(ow) * stride + b.getAffineDimExpr(kw)};
  return AffineMap::get(dims, 0, d, b.getContext());
}

/// A constant [kh, kw] operand that only gives the window loops their
/// extent (linalg infers loop bounds from operand shapes).
Value KernelLowering::windowShape(int64_t kh, int64_t kw) {
  auto type = RankedTensorType::get({kh, kw}, b.getF32Type());
  return arith::ConstantOp::create(
      b, loc, DenseElementsAttr::get(type, b.getF32FloatAttr(0)));
}

Value KernelLowering::lowerConv(Conv2DOp op) {
  auto yType = cast<RankedTensorType>(op.getResult().getType());
  if (useChannelLanes(yType.getDimSize(1), yType.getDimSize(3)))
    return lowerConvChannelLanes(op);
  int64_t stride = op.getStride(), padding = op.getPadding();
  Value init = biasInit(op.getBias(), destFor(op.getResult()));
  Value x = padded(lowered.lookup(op.getInput()), padding, 0.0);
  // Loops (n, f, c, kh, kw, oh, ow): ow innermost runs over contiguous
  // output and input rows.
  return markZeroPadding(
      lowerContraction(x, lowered.lookup(op.getFilter()), init,
                       windowMap(7, 0, 2, 5, 6, 3, 4, stride),
                       map(7, {1, 2, 3, 4}), map(7, {0, 1, 5, 6}),
                       {IT::parallel, IT::parallel, IT::reduction,
                        IT::reduction, IT::reduction, IT::parallel,
                        IT::parallel}),
      0, padding);
}

/// For the GPU: the product of dy and the filter at every window position,
/// cols[n, c, kh, kw, oh, ow] = sum over f of dy[n, f, oh, ow] *
/// w[f, c, kh, kw] (a plain matrix product over the filters, which the GPU
/// tiles with little staging per multiply-add), then the scatter of the
/// columns onto dx, which the GPU mapping gathers per dx element with
/// neighbouring elements on neighbouring columns (ow innermost).
Value KernelLowering::lowerConvGradInputColumns(Conv2DGradInputOp op) {
  Value dest = destFor(op.getResult());
  int64_t stride = op.getStride(), padding = op.getPadding();
  ArrayRef<int64_t> dy =
      cast<RankedTensorType>(op.getResultGrad().getType()).getShape();
  ArrayRef<int64_t> w =
      cast<RankedTensorType>(op.getFilter().getType()).getShape();
  Value cols = fill(0.0, newScratch(RankedTensorType::get(
                             {dy[0], w[1], w[2], w[3], dy[2], dy[3]},
                             b.getF32Type())));
  // Loops (n, c, kh, kw, oh, ow, f).
  SmallVector<IT> its(6, IT::parallel);
  its.push_back(IT::reduction);
  cols = lowerContraction(lowered.lookup(op.getResultGrad()),
                          lowered.lookup(op.getFilter()), cols,
                          map(7, {0, 6, 4, 5}), map(7, {6, 1, 2, 3}),
                          map(7, {0, 1, 2, 3, 4, 5}), its);
  // Loops (n, c, kh, kw, oh, ow): dx[n, c, oh*s + kh, ow*s + kw] += cols.
  Value scattered = generic(
      {cols}, {scatterTarget(dest, padding)},
      {identity(6), windowMap(6, 0, 1, 4, 5, 2, 3, stride)},
      {IT::parallel, IT::parallel, IT::reduction, IT::reduction,
       IT::reduction, IT::reduction},
      [&](OpBuilder &ob, Location l, ValueRange a) {
        yield(ob, l, arith::AddFOp::create(ob, l, a[1], a[0], contractFlags()));
      });
  return padding > 0 ? interior(scattered, padding, dest) : scattered;
}

Value KernelLowering::lowerConvGradInput(Conv2DGradInputOp op) {
  if (!cpuForms)
    return lowerConvGradInputColumns(op);
  Value dest = destFor(op.getResult());
  int64_t stride = op.getStride(), padding = op.getPadding();
  auto filterType = cast<RankedTensorType>(op.getFilter().getType());
  int64_t kh = filterType.getDimSize(2), kw = filterType.getDimSize(3);
  if (stride == 1 && kh == kw && padding < kh) {
    auto dxType = cast<RankedTensorType>(op.getResult().getType());
    if (useBatchLanes(dxType.getDimSize(0), dxType.getDimSize(3)))
      return lowerConvGradInputBatchLanes(op);
    // Gather form: dy padded by K-1-padding, correlated with the flipped
    // filter, dx[n, c, h, w] = sum dyP[n, f, h + K-1 - kh, w + K-1 - kw] *
    // w[f, c, kh, kw]. Loops (n, c, h, w, f, kh, kw).
    int64_t k = kh;
    Value dyPadded =
        padded(lowered.lookup(op.getResultGrad()), k - 1 - padding, 0.0);
    AffineExpr d[7];
    for (unsigned i = 0; i < 7; ++i)
      d[i] = b.getAffineDimExpr(i);
    // The window walks dy backwards, so that the filter keeps plain dims
    // (linalg takes the loop extents of kh, kw from it).
    AffineMap dyMap = AffineMap::get(
        7, 0, {d[0], d[4], d[2] - d[5] + (k - 1), d[3] - d[6] + (k - 1)},
        b.getContext());
    return markZeroPadding(
        lowerContraction(dyPadded, lowered.lookup(op.getFilter()),
                         fill(0.0, dest), dyMap, map(7, {4, 1, 5, 6}),
                         map(7, {0, 1, 2, 3}),
                         {IT::parallel, IT::parallel, IT::parallel,
                          IT::parallel, IT::reduction, IT::reduction,
                          IT::reduction}),
        0, k - 1 - padding);
  }
  // Scatter form, the exact adjoint of the forward loops: every output
  // gradient flows back to the input positions its window read.
  Value target = scatterTarget(dest, padding);
  // Loops (n, c, f, kh, kw, oh, ow).
  Value scattered = lowerContraction(
      lowered.lookup(op.getResultGrad()), lowered.lookup(op.getFilter()),
      target, map(7, {0, 2, 5, 6}), map(7, {2, 1, 3, 4}),
      windowMap(7, 0, 1, 5, 6, 3, 4, stride),
      {IT::parallel, IT::parallel, IT::reduction, IT::reduction, IT::reduction,
       IT::reduction, IT::reduction});
  return padding > 0 ? interior(scattered, padding, dest) : scattered;
}

Value KernelLowering::lowerConvGradFilter(Conv2DGradFilterOp op) {
  auto dyType = cast<RankedTensorType>(op.getResultGrad().getType());
  if (useChannelLanes(dyType.getDimSize(1), dyType.getDimSize(3)))
    return lowerConvGradFilterChannelLanes(op);
  Value dest = fill(0.0, destFor(op.getResult()));
  int64_t stride = op.getStride(), padding = op.getPadding();
  Value x = padded(lowered.lookup(op.getInput()), padding, 0.0);
  // Loops (f, c, kh, kw, n, oh, ow).
  return markZeroPadding(
      lowerContraction(lowered.lookup(op.getResultGrad()), x, dest,
                       map(7, {4, 0, 5, 6}),
                       windowMap(7, 4, 1, 5, 6, 2, 3, stride),
                       map(7, {0, 1, 2, 3}),
                       {IT::parallel, IT::parallel, IT::parallel,
                        IT::parallel, IT::reduction, IT::reduction,
                        IT::reduction}),
      1, padding);
}

Value KernelLowering::lowerPool(Operation *op, bool isMax) {
  Value dest = destFor(op->getResult(0));
  int64_t k = op->getAttrOfType<IntegerAttr>("kernel").getInt();
  int64_t stride = op->getAttrOfType<IntegerAttr>("stride").getInt();
  int64_t padding = op->getAttrOfType<IntegerAttr>("padding").getInt();
  // Max pooling pads with -inf so padding never wins; average pooling with
  // zeros that count in the k*k divisor.
  Value x = padded(lowered.lookup(op->getOperand(0)), padding,
                   isMax ? -INFINITY : 0.0);
  double scale = 1.0 / static_cast<double>(k * k);
  // With stride 1 the first position's map is x's own (n, c, oh, ow) and
  // linalg would take the loop extents from x, which is larger than y.
  if (k * k <= kMaxWindowOperands && (stride > 1 || k == 1)) {
    // Loops (n, c, oh, ow), one operand per window position: the window is
    // combined in registers in the same row-major order as the reduction
    // form below, so both give the same bits.
    SmallVector<Value> ins(k * k, x);
    SmallVector<AffineMap> maps = windowPositionMaps(k, stride);
    maps.push_back(identity(4));
    return generic(ins, {dest}, maps, parallel(4),
                   [&](OpBuilder &ob, Location l, ValueRange a) {
                     Value acc = f32(ob, isMax ? -INFINITY : 0.0);
                     for (Value v : a.drop_back())
                       acc = isMax ? nanPropagatingMax(ob, l, acc, v)
                                   : arith::AddFOp::create(ob, l, acc, v)
                                         .getResult();
                     if (!isMax)
                       acc = arith::MulFOp::create(ob, l, acc, f32(ob, scale));
                     yield(ob, l, acc);
                   });
  }
  Value init = fill(isMax ? -INFINITY : 0.0, dest);
  // Loops (n, c, oh, ow, kh, kw).
  Value pooled = generic(
      {x, windowShape(k, k)}, {init},
      {windowMap(6, 0, 1, 2, 3, 4, 5, stride), map(6, {4, 5}),
       map(6, {0, 1, 2, 3})},
      {IT::parallel, IT::parallel, IT::parallel, IT::parallel, IT::reduction,
       IT::reduction},
      [&](OpBuilder &ob, Location l, ValueRange a) {
        yield(ob, l,
              isMax ? nanPropagatingMax(ob, l, a[2], a[0])
                    : arith::AddFOp::create(ob, l, a[2], a[0]).getResult());
      });
  if (isMax)
    return pooled;
  return generic({}, {pooled}, {identity(4)}, parallel(4),
                 [&](OpBuilder &ob, Location l, ValueRange a) {
                   yield(ob, l, arith::MulFOp::create(ob, l, a[0],
                                                      f32(ob, scale)));
                 });
}

/// (n, c, oh * stride + i, ow * stride + j) over loops (n, c, oh, ow, ...),
/// one map per window position (i, j) in row-major order.
SmallVector<AffineMap> KernelLowering::windowPositionMaps(int64_t k,
                                                          int64_t stride,
                                                          unsigned dims) {
  SmallVector<AffineMap> maps;
  for (int64_t i = 0; i < k; ++i)
    for (int64_t j = 0; j < k; ++j) {
      AffineExpr d[] = {b.getAffineDimExpr(0), b.getAffineDimExpr(1),
                        b.getAffineDimExpr(2) * stride + i,
                        b.getAffineDimExpr(3) * stride + j};
      maps.push_back(AffineMap::get(dims, 0, d, b.getContext()));
    }
  return maps;
}

/// Gradient of a pooling whose windows tile the input exactly (stride ==
/// kernel, no padding, sizes divisible): every input element belongs to one
/// window, so each is written once, with no zero fill and no scatter-add.
/// Loops (n, c, oh, ow, i, j) over dx[n, c, oh*k + i, ow*k + j]; a max
/// pooling reads its whole window per element and routes dy to the first
/// (row-major) position holding the window's maximum, as the general form
/// does.
Value KernelLowering::lowerTilingPoolGrad(Operation *op, bool isMax,
                                          Value dest) {
  int64_t k = op->getAttrOfType<IntegerAttr>("kernel").getInt();
  Value dy = lowered.lookup(op->getOperand(0));
  SmallVector<Value> ins = {dy, windowShape(k, k)};
  SmallVector<AffineMap> maps = {map(6, {0, 1, 2, 3}), map(6, {4, 5})};
  if (isMax) {
    ins.append(k * k, lowered.lookup(op->getOperand(1)));
    llvm::append_range(maps, windowPositionMaps(k, k, 6));
  }
  maps.push_back(windowMap(6, 0, 1, 2, 3, 4, 5, k));
  double scale = 1.0 / static_cast<double>(k * k);
  return generic(
      ins, {dest}, maps, parallel(6),
      [&](OpBuilder &ob, Location l, ValueRange a) {
        Value zero = f32(ob, 0.0);
        if (!isMax) {
          yield(ob, l, arith::MulFOp::create(ob, l, a[0], f32(ob, scale)));
          return;
        }
        ValueRange window = a.slice(2, k * k);
        Value m = f32(ob, -INFINITY);
        for (Value v : window)
          m = nanPropagatingMax(ob, l, m, v);
        Value pos = windowPosition(ob, l, k);
        // taken: whether a position before the current one already holds
        // the maximum; route: the value for this element.
        Value taken = arith::ConstantIntOp::create(ob, l, ob.getI1Type(), 0);
        Value route = zero;
        for (auto [q, v] : llvm::enumerate(window)) {
          Value isMaxHere =
              arith::CmpFOp::create(ob, l, arith::CmpFPredicate::OEQ, v, m);
          Value first = arith::AndIOp::create(
              ob, l, isMaxHere,
              arith::XOrIOp::create(
                  ob, l, taken,
                  arith::ConstantIntOp::create(ob, l, ob.getI1Type(), 1)));
          Value atQ = arith::CmpIOp::create(
              ob, l, arith::CmpIPredicate::eq, pos,
              arith::ConstantIndexOp::create(ob, l, q));
          Value hit = arith::AndIOp::create(ob, l, first, atQ);
          route = arith::SelectOp::create(ob, l, hit, a[0], route);
          taken = arith::OrIOp::create(ob, l, taken, isMaxHere);
        }
        yield(ob, l, route);
      });
}

Value KernelLowering::lowerPoolGrad(Operation *op, bool isMax) {
  Value result = op->getResult(0);
  Value dest = destFor(result);
  int64_t k = op->getAttrOfType<IntegerAttr>("kernel").getInt();
  int64_t stride = op->getAttrOfType<IntegerAttr>("stride").getInt();
  int64_t padding = op->getAttrOfType<IntegerAttr>("padding").getInt();
  Value dy = lowered.lookup(op->getOperand(0));
  auto dyType = cast<RankedTensorType>(dy.getType());
  auto dxType = cast<RankedTensorType>(result.getType());
  if (stride == k && padding == 0 && dxType.getDimSize(2) % k == 0 &&
      dxType.getDimSize(3) % k == 0 &&
      (!isMax || k * k <= kMaxWindowOperands))
    return lowerTilingPoolGrad(op, isMax, dest);

  Value target = scatterTarget(dest, padding);
  AffineMap window = windowMap(6, 0, 1, 2, 3, 4, 5, stride);
  AffineMap outer = map(6, {0, 1, 2, 3}), kernelMap = map(6, {4, 5});
  SmallVector<IT> iterators = {IT::parallel,  IT::parallel, IT::parallel,
                               IT::parallel,  IT::reduction, IT::reduction};
  Value window2 = windowShape(k, k);
  // Row-major position (kh * k + kw) inside the window, as i32.
  auto windowPosition32 = [k](OpBuilder &ob, Location l) -> Value {
    return arith::IndexCastOp::create(ob, l, ob.getI32Type(),
                                      windowPosition(ob, l, k));
  };

  if (!isMax) {
    double scale = 1.0 / static_cast<double>(k * k);
    Value scattered = generic(
        {dy, window2}, {target}, {outer, kernelMap, window}, iterators,
        [&](OpBuilder &ob, Location l, ValueRange a) {
          Value share = arith::MulFOp::create(ob, l, a[0], f32(ob, scale));
          yield(ob, l, arith::AddFOp::create(ob, l, a[2], share));
        });
    return padding > 0 ? interior(scattered, padding, dest) : scattered;
  }

  // Max: the window maximum, then the first (row-major) position holding
  // it, then dy routed there; each pass is order-independent.
  Value x = padded(lowered.lookup(op->getOperand(1)), padding, -INFINITY);
  Value maxima = generic(
      {x, window2}, {fill(-INFINITY, newScratch(dyType))},
      {window, kernelMap, outer}, iterators,
      [](OpBuilder &ob, Location l, ValueRange a) {
        yield(ob, l, nanPropagatingMax(ob, l, a[2], a[0]));
      });
  auto indexType = RankedTensorType::get(dyType.getShape(), b.getI32Type());
  Value first = generic(
      {x, window2, maxima}, {fill(static_cast<double>(k * k), newScratch(indexType))},
      {window, kernelMap, outer, outer}, iterators,
      [&](OpBuilder &ob, Location l, ValueRange a) {
        Value pos32 = windowPosition32(ob, l);
        Value isMax = arith::CmpFOp::create(ob, l, arith::CmpFPredicate::OEQ,
                                            a[0], a[2]);
        Value lower = arith::MinSIOp::create(ob, l, a[3], pos32);
        yield(ob, l, arith::SelectOp::create(ob, l, isMax, lower, a[3]));
      });
  Value scattered = generic(
      {dy, first, window2}, {target}, {outer, outer, kernelMap, window},
      iterators, [&](OpBuilder &ob, Location l, ValueRange a) {
        Value pos32 = windowPosition32(ob, l);
        Value hit = arith::CmpIOp::create(ob, l, arith::CmpIPredicate::eq,
                                          pos32, a[1]);
        Value share = arith::SelectOp::create(ob, l, hit, a[0], f32(ob, 0.0));
        yield(ob, l, arith::AddFOp::create(ob, l, a[3], share));
      });
  return padding > 0 ? interior(scattered, padding, dest) : scattered;
}

FailureOr<SmallVector<Value>> KernelLowering::lower(Operation *op) {
  loc = op->getLoc();
  auto single = [](Value v) { return SmallVector<Value>{v}; };
  auto reluGrad = [](OpBuilder &ob, Location l, Value dy, Value y) -> Value {
    Value zero = arith::ConstantOp::create(ob, l, ob.getF32FloatAttr(0));
    Value positive =
        arith::CmpFOp::create(ob, l, arith::CmpFPredicate::OGT, y, zero);
    return arith::SelectOp::create(ob, l, positive, dy, zero);
  };
  auto sigmoidGrad = [](OpBuilder &ob, Location l, Value dy, Value y) -> Value {
    Value one = arith::ConstantOp::create(ob, l, ob.getF32FloatAttr(1));
    Value d = arith::MulFOp::create(ob, l, y,
                                    arith::SubFOp::create(ob, l, one, y));
    return arith::MulFOp::create(ob, l, dy, d);
  };
  auto add = [](OpBuilder &ob, Location l, Value x, Value y) -> Value {
    return arith::AddFOp::create(ob, l, x, y);
  };

  return TypeSwitch<Operation *, FailureOr<SmallVector<Value>>>(op)
      .Case([&](ConstantOp c) {
        auto type = cast<RankedTensorType>(c.getType());
        return single(arith::ConstantOp::create(
            b, loc, DenseElementsAttr::get(type, c.getValueAttr())));
      })
      .Case([&](DenseOp d) { return single(lowerDense(d)); })
      .Case([&](ReluOp r) {
        return single(lowerElementwise(r, r.getInput(), {}, relu));
      })
      .Case([&](SigmoidOp s) {
        return single(lowerElementwise(s, s.getInput(), {}, sigmoid));
      })
      .Case([&](ReluGradOp g) {
        return single(
            lowerElementwise(g, g.getResultGrad(), g.getOutput(), reluGrad));
      })
      .Case([&](SigmoidGradOp g) {
        return single(lowerElementwise(g, g.getResultGrad(), g.getOutput(),
                                       sigmoidGrad));
      })
      .Case([&](AddOp a) {
        return single(lowerElementwise(a, a.getLhs(), a.getRhs(), add));
      })
      .Case([&](DenseGradInputOp g) {
        // (n, k, u): dx[n, k] += dy[n, u] * w[k, u]
        Value w = lowered.lookup(g.getWeight());
        AffineMap wMap = map(3, {1, 2});
        auto wType = cast<RankedTensorType>(w.getType());
        auto dxType = cast<RankedTensorType>(g.getResult().getType());
        int64_t macs = dxType.getDimSize(0) * wType.getDimSize(0) *
                       wType.getDimSize(1);
        if (cpuForms && macs >= kMinTransposeMacs) {
          // The CPU's register blocks want k, dx's row, contiguous in the
          // weight too: a transposed copy wt[u, k] (small next to the
          // product) turns the strided reads into vector loads.
          w = permuted(w, {1, 0});
          wMap = map(3, {2, 1});
        }
        // The zero fill right before the product, which takes it as its
        // accumulators' start (dl-vectorize-kernels).
        Value dest = fill(0.0, destFor(g.getResult()));
        return single(lowerContraction(lowered.lookup(g.getResultGrad()), w,
                                       dest, map(3, {0, 2}), wMap,
                                       map(3, {0, 1}),
                                       {IT::parallel, IT::parallel,
                                        IT::reduction}));
      })
      .Case([&](DenseGradWeightOp g) {
        // (k, n, u): dw[k, u] += x[n, k] * dy[n, u]; rows of dw are
        // independent, so the kernel splits over k.
        Value dest = fill(0.0, destFor(g.getResult()));
        return single(lowerContraction(lowered.lookup(g.getInput()),
                                  lowered.lookup(g.getResultGrad()), dest,
                                  map(3, {1, 0}), map(3, {1, 2}),
                                  map(3, {0, 2}),
                                  {IT::parallel, IT::reduction, IT::parallel}));
      })
      .Case([&](BiasGradOp g) { return single(lowerBiasGrad(g)); })
      .Case([&](Conv2DOp c) { return single(lowerConv(c)); })
      .Case([&](Conv2DGradInputOp g) { return single(lowerConvGradInput(g)); })
      .Case([&](Conv2DGradFilterOp g) {
        return single(lowerConvGradFilter(g));
      })
      .Case([&](MaxPool2DOp p) { return single(lowerPool(p, true)); })
      .Case([&](AvgPool2DOp p) { return single(lowerPool(p, false)); })
      .Case([&](MaxPool2DGradOp g) { return single(lowerPoolGrad(g, true)); })
      .Case([&](AvgPool2DGradOp g) {
        return single(lowerPoolGrad(g, false));
      })
      .Case([&](SoftmaxCEOp s) -> FailureOr<SmallVector<Value>> {
        // A fused gradient is lowered together with the loss, when its
        // seed is already there (in a .mlir kernel it may be the loss).
        SoftmaxCEGradOp grad;
        for (Operation &other : *s->getBlock())
          if (auto g = dyn_cast<SoftmaxCEGradOp>(other))
            if (g.getLogits() == s.getLogits() &&
                g.getLabels() == s.getLabels() &&
                lowered.contains(g.getLossGrad()))
              grad = g;
        SmallVector<Value> values =
            lowerSoftmax(s.getLogits(), s.getLabels(), s, grad, {});
        if (grad)
          lowered.map(grad.getResult(), values.pop_back_val());
        return values;
      })
      .Case([&](SoftmaxCEGradOp g) -> FailureOr<SmallVector<Value>> {
        if (lowered.contains(g.getResult()))
          return SmallVector<Value>{lowered.lookup(g.getResult())};
        // Without its softmax_ce (dl-form-kernels' fuse-loss-gradient).
        return lowerSoftmax(g.getLogits(), g.getLabels(), {}, g, {});
      })
      .Case([&](SoftmaxCEEvalOp e) {
        return lowerSoftmax(e.getLogits(), e.getLabels(), {}, {}, e);
      })
      .Case<SGDUpdateOp, SGDMomentumUpdateOp>(
          [&](Operation *u) { return lowerUpdate(u); })
      .Default([&](Operation *) -> FailureOr<SmallVector<Value>> {
        return op->emitError("'")
               << op->getName() << "' has no lowering to linalg in a kernel";
      });
}

LogicalResult KernelLowering::run() {
  if (kernel->hasAttr("dl.num_inputs"))
    return kernel.emitError("kernel @")
           << kernel.getSymName() << " is already lowered";
  if (!kernel.getBody().hasOneBlock())
    return kernel.emitError("a kernel needs a body of one block");
  oldBody = &kernel.getBody().front();
  auto ret = dyn_cast<func::ReturnOp>(oldBody->getTerminator());
  if (!ret)
    return kernel.emitError("a kernel ends with func.return");
  auto aliases = kernel->getAttrOfType<DenseI64ArrayAttr>("dl.result_aliases");
  if (!aliases || aliases.size() != ret.getNumOperands())
    return kernel.emitError("kernel lacks dl.result_aliases");
  // Carried to the lowered kernel, where launches and the planner read it.
  auto kinds = kernel->getAttrOfType<ArrayAttr>("dl.result_kinds");
  if (!kinds || kinds.size() != ret.getNumOperands() ||
      !llvm::all_of(kinds, [](Attribute a) { return isa<StringAttr>(a); }))
    return kernel.emitError("kernel lacks dl.result_kinds (a string per "
                            "result)");
  // The launches' verifier checks aliases too, but a kernel nothing
  // launches is lowered as well.
  for (auto [value, alias] : llvm::zip(ret.getOperands(), aliases.asArrayRef()))
    if (alias != -1 &&
        (alias < 0 || alias >= oldBody->getNumArguments() ||
         oldBody->getArgument(alias).getType() != value.getType()))
      return kernel.emitError("a result aliases argument ")
             << alias << ", which is no argument of its type";

  // Inputs keep their order; scalars become rank-0 tensors so every
  // kernel argument is a buffer.
  newBody = new Block();
  kernel.getBody().push_back(newBody);
  b.setInsertionPointToStart(newBody);
  SmallVector<Type> inputTypes;
  for (BlockArgument arg : oldBody->getArguments()) {
    Type type = arg.getType();
    bool isScalar = !isa<RankedTensorType>(type);
    if (isScalar)
      type = RankedTensorType::get({}, type);
    inputTypes.push_back(type);
    Value newArg = newBody->addArgument(type, arg.getLoc());
    lowered.map(arg, newArg);
  }
  unsigned numOutputs = 0;
  for (auto [value, alias] : llvm::zip(ret.getOperands(), aliases.asArrayRef())) {
    if (alias >= 0) {
      outputDests[value] = newBody->getArgument(alias);
      continue;
    }
    outputDests[value] = newBody->addArgument(value.getType(), loc);
    ++numOutputs;
  }

  for (Operation &op : oldBody->without_terminator()) {
    if (op.getNumResults() != 0 && lowered.contains(op.getResult(0)))
      continue; // Lowered together with an earlier op (softmax gradient).
    FailureOr<SmallVector<Value>> values = lower(&op);
    if (failed(values))
      return failure();
    for (auto [result, value] : llvm::zip(op.getResults(), *values))
      lowered.map(result, value);
  }
  SmallVector<Value> results;
  for (Value v : ret.getOperands())
    results.push_back(lowered.lookup(v));
  func::ReturnOp::create(b, kernel.getLoc(), results);

  oldBody->dropAllDefinedValueUses();
  oldBody->erase();
  kernel.setFunctionType(
      FunctionType::get(kernel.getContext(), newBody->getArgumentTypes(),
                        TypeRange(results)));
  kernel->setAttr("dl.num_inputs", b.getI64IntegerAttr(inputTypes.size()));
  kernel->setAttr("dl.num_outputs", b.getI64IntegerAttr(numOutputs));
  SmallVector<Attribute> scratch;
  for (Type t : scratchTypes)
    scratch.push_back(TypeAttr::get(t));
  kernel->setAttr("dl.scratch", b.getArrayAttr(scratch));
  return success();
}

struct LowerKernelsToLinalgPass
    : public dl::impl::LowerKernelsToLinalgBase<LowerKernelsToLinalgPass> {
  using LowerKernelsToLinalgBase::LowerKernelsToLinalgBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    auto kernels = module.lookupSymbol<ModuleOp>(kKernelsModuleName);
    if (!kernels) {
      module.emitError("no kernels module: run dl-form-kernels first");
      return signalPassFailure();
    }
    for (auto kernel : kernels.getOps<func::FuncOp>())
      if (failed(KernelLowering(kernel, cpuForms).run()))
        return signalPassFailure();
  }
};

} // namespace
