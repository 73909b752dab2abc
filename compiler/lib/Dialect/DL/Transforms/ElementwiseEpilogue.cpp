//===- ElementwiseEpilogue.cpp - fusing in-place elementwise ops ----------===//

#include "ElementwiseEpilogue.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/ViewLikeInterface.h"

using namespace mlir;

Value dlc::dl::rootBuffer(Value v) {
  while (auto view = v.getDefiningOp<ViewLikeOpInterface>())
    v = view.getViewSource();
  return v;
}

namespace {
bool loadableAlongOutput(Value source, AffineMap map, unsigned outRank) {
  auto type = dyn_cast<MemRefType>(source.getType());
  if (!type || !type.getElementType().isF32() ||
      map.getNumDims() != outRank || !map.isProjectedPermutation() ||
      llvm::any_of(map.getResults(),
                   [](AffineExpr e) { return !isa<AffineDimExpr>(e); }))
    return false;
  if (!map.isFunctionOfDim(outRank - 1))
    return true;
  return map.getResults().back() ==
             getAffineDimExpr(outRank - 1, map.getContext()) &&
         type.isLastDimUnitStride();
}
} // namespace

bool dlc::dl::isElementwiseOver(linalg::GenericOp op, Value out) {
  auto outType = cast<MemRefType>(out.getType());
  if (op.getNumDpsInits() != 1 || op.getDpsInits()[0] != out ||
      !op.hasPureBufferSemantics() || op.hasIndexSemantics() ||
      op.getNumLoops() != static_cast<unsigned>(outType.getRank()) ||
      op.getNumParallelLoops() != op.getNumLoops() ||
      !op.getMatchingIndexingMap(op.getDpsInitOperand(0)).isIdentity())
    return false;
  Value outRoot = rootBuffer(out);
  for (OpOperand *input : op.getDpsInputOperands())
    if (rootBuffer(input->get()) == outRoot ||
        !loadableAlongOutput(input->get(), op.getMatchingIndexingMap(input),
                             outType.getRank()))
      return false;
  return true;
}

bool dlc::dl::independentOf(Operation *op, ArrayRef<Value> roots) {
  if (isMemoryEffectFree(op))
    return true;
  if (!isa<linalg::LinalgOp>(op))
    return false;
  for (Value operand : op->getOperands())
    if (isa<MemRefType>(operand.getType()) &&
        llvm::is_contained(roots, rootBuffer(operand)))
      return false;
  return true;
}

linalg::GenericOp dlc::dl::takeEpilogue(Operation *producer, Value out) {
  Operation *next = producer->getNextNode();
  while (next && isMemoryEffectFree(next))
    next = next->getNextNode();
  auto generic = dyn_cast_or_null<linalg::GenericOp>(next);
  if (!generic || !isElementwiseOver(generic, out))
    return {};
  for (Operation &inner : generic.getRegion().front().without_terminator()) {
    if (inner.getNumRegions() != 0 || inner.getNumResults() != 1 ||
        !isa<arith::ArithDialect, math::MathDialect>(inner.getDialect()))
      return {};
    Type t = inner.getResult(0).getType();
    if (!t.isF32() && !t.isInteger(1))
      return {};
  }
  // It runs where the producer is: the effect-free ops in between (the
  // views and constants it uses) move above the producer, in their order.
  SmallVector<Operation *> between;
  for (Operation *o = producer->getNextNode(); o != generic;
       o = o->getNextNode())
    between.push_back(o);
  for (Operation *o : between)
    o->moveBefore(producer);
  return generic;
}

Value dlc::dl::loadAlongOutput(OpBuilder &b, Location loc, Value source,
                               AffineMap map, ArrayRef<Value> outIdx,
                               int64_t lanes, Value mask) {
  auto vecType = VectorType::get({lanes}, b.getF32Type());
  SmallVector<Value> idx;
  for (AffineExpr e : map.getResults())
    idx.push_back(outIdx[cast<AffineDimExpr>(e).getPosition()]);
  unsigned last = outIdx.size() - 1;
  if (map.getNumResults() > 0 &&
      map.getResults().back() == b.getAffineDimExpr(last)) {
    if (mask)
      return vector::MaskedLoadOp::create(
          b, loc, vecType, source, idx, mask,
          arith::ConstantOp::create(
              b, loc, DenseElementsAttr::get(vecType, b.getF32FloatAttr(0))));
    return vector::LoadOp::create(b, loc, vecType, source, idx);
  }
  Value scalar = memref::LoadOp::create(b, loc, source, idx);
  return vector::BroadcastOp::create(b, loc, vecType, scalar);
}

Value dlc::dl::cloneBodyOnLanes(OpBuilder &b, Location loc, Block &body,
                                IRMapping &mapping, int64_t lanes,
                                function_ref<Value(unsigned)> index) {
  auto vectorOf = [&](Type t) { return VectorType::get({lanes}, t); };
  auto isVector = [](Value v) { return isa<VectorType>(v.getType()); };
  for (Operation &inner : body.without_terminator()) {
    if (auto indexOp = dyn_cast<linalg::IndexOp>(inner)) {
      mapping.map(indexOp.getResult(), index(indexOp.getDim()));
      continue;
    }
    bool anyVector = llvm::any_of(inner.getOperands(), [&](Value v) {
      return isVector(mapping.lookupOrDefault(v));
    });
    if (!anyVector) {
      b.clone(inner, mapping);
      continue;
    }
    // Scalar operands meet the lanes as broadcasts, for this op only.
    IRMapping local = mapping;
    for (Value operand : inner.getOperands()) {
      Value mapped = mapping.lookupOrDefault(operand);
      if (!isVector(mapped))
        local.map(operand, vector::BroadcastOp::create(
                               b, loc, vectorOf(mapped.getType()), mapped));
    }
    Operation *clone = b.clone(inner, local);
    for (Value result : clone->getResults())
      result.setType(vectorOf(result.getType()));
    mapping.map(inner.getResults(), clone->getResults());
  }
  Value result = mapping.lookupOrDefault(body.getTerminator()->getOperand(0));
  if (!isVector(result))
    result = vector::BroadcastOp::create(b, loc, vectorOf(result.getType()),
                                         result);
  return result;
}

Value dlc::dl::applyEpilogue(OpBuilder &b, Location loc,
                             linalg::GenericOp epilogue, Value values,
                             ArrayRef<Value> outIdx, Value mask) {
  int64_t lanes = cast<VectorType>(values.getType()).getDimSize(0);
  IRMapping mapping;
  for (OpOperand *input : epilogue.getDpsInputOperands())
    mapping.map(epilogue.getMatchingBlockArgument(input),
                loadAlongOutput(b, loc, input->get(),
                                epilogue.getMatchingIndexingMap(input), outIdx,
                                lanes, mask));
  mapping.map(epilogue.getMatchingBlockArgument(epilogue.getDpsInitOperand(0)),
              values);
  return cloneBodyOnLanes(b, loc, epilogue.getRegion().front(), mapping,
                          lanes);
}
