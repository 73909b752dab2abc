//===- GPUElementwiseFusion.cpp - ops folded into a GPU op's stores -------===//

#include "GPUElementwiseFusion.h"

#include "ElementwiseEpilogue.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

using namespace mlir;
using namespace dlc;

namespace {

/// The same memory: one value, or equal views of it (each op slices its
/// operands with a subview of its own).
bool sameView(Value a, Value b) {
  if (a == b)
    return true;
  Operation *x = a.getDefiningOp(), *y = b.getDefiningOp();
  return x && y && isMemoryEffectFree(x) &&
         OperationEquivalence::isEquivalentTo(
             x, y, OperationEquivalence::exactValueMatch, nullptr,
             OperationEquivalence::IgnoreLocations);
}

/// A body of scalar arith/math ops.
bool hasScalarBody(linalg::GenericOp op) {
  for (Operation &inner : op.getRegion().front().without_terminator())
    if (inner.getNumRegions() != 0 ||
        !isa<arith::ArithDialect, math::MathDialect>(inner.getDialect()))
      return false;
  return true;
}

/// Every result a plain dim: the operand is read at (a projection of) the
/// op's own element.
bool readsPlainDims(AffineMap map) {
  return llvm::all_of(map.getResults(),
                      [](AffineExpr e) { return isa<AffineDimExpr>(e); });
}

/// All-parallel over exactly the elements of its one output.
bool isElementwiseInit(linalg::GenericOp op) {
  if (!op.hasPureBufferSemantics() || op.hasIndexSemantics() ||
      op.getNumDpsInits() != 1 ||
      op.getNumParallelLoops() != op.getNumLoops() ||
      !op.getMatchingIndexingMap(op.getDpsInitOperand(0)).isIdentity() ||
      !hasScalarBody(op))
    return false;
  auto type = dyn_cast<MemRefType>(op.getDpsInits()[0].getType());
  return type && type.getRank() == static_cast<int64_t>(op.getNumLoops());
}

/// Values `op` uses that are defined in `anchor`'s block between `anchor`
/// and `op`, through their operands, in program order.
SetVector<Operation *> definedBetween(Operation *anchor, Operation *op) {
  SetVector<Operation *> found;
  SmallVector<Value> work;
  op->walk([&](Operation *inner) { llvm::append_range(work, inner->getOperands()); });
  while (!work.empty()) {
    Operation *def = work.pop_back_val().getDefiningOp();
    if (!def || def->getBlock() != anchor->getBlock() ||
        !anchor->isBeforeInBlock(def) || !def->isBeforeInBlock(op) ||
        !found.insert(def))
      continue;
    llvm::append_range(work, def->getOperands());
  }
  SmallVector<Operation *> ordered(found.begin(), found.end());
  llvm::sort(ordered, [](Operation *x, Operation *y) {
    return x->isBeforeInBlock(y);
  });
  return SetVector<Operation *>(ordered.begin(), ordered.end());
}

/// Loads `source` (read through `map` of plain dims) at the op element
/// `idx`, or passes a scalar through.
Value readAt(OpBuilder &b, Location loc, Value source, AffineMap map,
             ValueRange idx) {
  if (!isa<MemRefType>(source.getType()))
    return source;
  SmallVector<Value> at;
  for (AffineExpr e : map.getResults())
    at.push_back(idx[cast<AffineDimExpr>(e).getPosition()]);
  return memref::LoadOp::create(b, loc, source, at);
}

/// Clones `op`'s body with its block arguments bound by `mapping` and
/// returns the yielded value.
Value cloneBody(OpBuilder &b, linalg::GenericOp op, IRMapping &mapping) {
  Block &body = op.getRegion().front();
  for (Operation &inner : body.without_terminator())
    b.clone(inner, mapping);
  auto yield = cast<linalg::YieldOp>(body.getTerminator());
  return mapping.lookupOrDefault(yield.getValues()[0]);
}

} // namespace

bool dl::isFusableEpilogue(linalg::GenericOp producer,
                           linalg::GenericOp epilogue) {
  if (producer.getNumDpsInits() != 1 || !isElementwiseInit(epilogue) ||
      producer->getBlock() != epilogue->getBlock())
    return false;
  Value out = producer.getDpsInits()[0];
  Value outRoot = rootBuffer(out);
  Value eOut = epilogue.getDpsInits()[0];
  if (eOut.getType() != out.getType())
    return false;
  bool inPlace = sameView(eOut, out);
  if (!inPlace) {
    // Another buffer, which the producer must not read (its other threads
    // would see it updated) and which is not the producer's output.
    Value eRoot = rootBuffer(eOut);
    if (eRoot == outRoot ||
        llvm::any_of(producer.getDpsInputs(),
                     [&](Value in) { return rootBuffer(in) == eRoot; }))
      return false;
  }
  bool readsOut = inPlace;
  for (OpOperand *input : epilogue.getDpsInputOperands()) {
    AffineMap map = epilogue.getMatchingIndexingMap(input);
    if (!isa<MemRefType>(input->get().getType()))
      continue;
    if (!readsPlainDims(map))
      return false;
    if (sameView(input->get(), out) && !inPlace && map.isIdentity()) {
      readsOut = true;
      continue;
    }
    if (rootBuffer(input->get()) == outRoot)
      return false;
  }
  if (!readsOut)
    return false;
  // What the epilogue uses from between the two ops moves above the
  // producer: views, constants, scalar loads of other buffers.
  for (Operation *def : definedBetween(producer, epilogue)) {
    if (isa<linalg::LinalgOp>(def))
      return false;
    if (auto load = dyn_cast<memref::LoadOp>(def)) {
      if (rootBuffer(load.getMemRef()) == outRoot)
        return false;
      continue;
    }
    if (!isMemoryEffectFree(def))
      return false;
  }
  return true;
}

void dl::hoistEpilogueOperands(linalg::GenericOp producer,
                               linalg::GenericOp epilogue) {
  for (Operation *def : definedBetween(producer, epilogue))
    def->moveBefore(producer);
}

void dl::storeThroughEpilogue(OpBuilder &b, Location loc,
                              linalg::GenericOp epilogue, Value out,
                              Value value, ValueRange idx) {
  IRMapping mapping;
  Value eOut = epilogue.getDpsInits()[0];
  for (OpOperand *input : epilogue.getDpsInputOperands()) {
    BlockArgument arg = epilogue.getMatchingBlockArgument(input);
    if (arg.use_empty())
      continue;
    mapping.map(arg, sameView(input->get(), out)
                         ? value
                         : readAt(b, loc, input->get(),
                                  epilogue.getMatchingIndexingMap(input), idx));
  }
  BlockArgument outArg =
      epilogue.getMatchingBlockArgument(epilogue.getDpsInitOperand(0));
  bool inPlace = sameView(eOut, out);
  if (!outArg.use_empty())
    mapping.map(outArg, inPlace ? value
                                : memref::LoadOp::create(b, loc, eOut, idx)
                                      .getResult());
  Value result = cloneBody(b, epilogue, mapping);
  if (!inPlace)
    memref::StoreOp::create(b, loc, value, out, idx);
  memref::StoreOp::create(b, loc, result, eOut, idx);
}

bool dl::isFusablePrologue(linalg::GenericOp init,
                           linalg::GenericOp consumer) {
  if (consumer.getNumDpsInits() != 1 || !isElementwiseInit(init) ||
      !sameView(init.getDpsInits()[0], consumer.getDpsInits()[0]) ||
      !init.getMatchingBlockArgument(init.getDpsInitOperand(0)).use_empty())
    return false;
  Value outRoot = rootBuffer(init.getDpsInits()[0]);
  SmallVector<Value> inputRoots;
  for (OpOperand *input : init.getDpsInputOperands()) {
    if (!isa<MemRefType>(input->get().getType()))
      continue;
    if (!readsPlainDims(init.getMatchingIndexingMap(input)) ||
        rootBuffer(input->get()) == outRoot)
      return false;
    inputRoots.push_back(rootBuffer(input->get()));
  }
  // The init moves down to the consumer: nothing in between may read the
  // output it would have set, or write what it reads.
  if (init->getBlock() != consumer->getBlock() ||
      !init->isBeforeInBlock(consumer))
    return false;
  for (Operation *op = init->getNextNode(); op != consumer;
       op = op->getNextNode()) {
    if (isMemoryEffectFree(op))
      continue;
    for (Value operand : op->getOperands())
      if (isa<MemRefType>(operand.getType()) && rootBuffer(operand) == outRoot)
        return false;
    if (auto linalgOp = dyn_cast<linalg::LinalgOp>(op)) {
      for (Value written : linalgOp.getDpsInits())
        if (llvm::is_contained(inputRoots, rootBuffer(written)))
          return false;
    } else if (!isa<memref::LoadOp>(op)) {
      return false; // stores, copies: anything might change
    }
  }
  return true;
}

bool dl::fusableTogether(linalg::GenericOp prologue,
                         linalg::GenericOp epilogue) {
  if (!prologue || !epilogue)
    return true;
  Value written = rootBuffer(epilogue.getDpsInits()[0]);
  return llvm::none_of(prologue.getDpsInputs(), [&](Value in) {
    return isa<MemRefType>(in.getType()) && rootBuffer(in) == written;
  });
}

Value dl::prologueValueAt(OpBuilder &b, Location loc, linalg::GenericOp init,
                          ValueRange idx) {
  IRMapping mapping;
  for (OpOperand *input : init.getDpsInputOperands())
    mapping.map(init.getMatchingBlockArgument(input),
                readAt(b, loc, input->get(), init.getMatchingIndexingMap(input),
                       idx));
  return cloneBody(b, init, mapping);
}
