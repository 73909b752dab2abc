//===- GPUElementwiseFusion.cpp - ops folded into a GPU op's stores -------===//

#include "GPUElementwiseFusion.h"

#include "ElementwiseEpilogue.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
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
  EpilogueResult r = epilogueResultAt(b, loc, epilogue, out, value, idx);
  if (r.alsoToOut)
    memref::StoreOp::create(b, loc, value, out, idx);
  memref::StoreOp::create(b, loc, r.result, epilogue.getDpsInits()[0], idx);
}

dl::EpilogueResult dl::epilogueResultAt(OpBuilder &b, Location loc,
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
  return {cloneBody(b, epilogue, mapping), !inPlace};
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

void dl::storeSumAt(OpBuilder &b, Location loc, linalg::GenericOp prologue,
                    linalg::GenericOp epilogue, Value out, Value sum,
                    ValueRange idx) {
  Value start = prologue ? prologueValueAt(b, loc, prologue, idx)
                         : memref::LoadOp::create(b, loc, out, idx).getResult();
  Value value = arith::AddFOp::create(b, loc, start, sum);
  if (epilogue)
    storeThroughEpilogue(b, loc, epilogue, out, value, idx);
  else
    memref::StoreOp::create(b, loc, value, out, idx);
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

namespace {
/// A generic whose body yields its one input unchanged, read and written at
/// the same (identity) element.
bool isPlainCopy(linalg::GenericOp op) {
  if (op.getNumDpsInputs() != 1 || op.getNumDpsInits() != 1 ||
      op.getNumParallelLoops() != op.getNumLoops() ||
      !llvm::all_of(op.getIndexingMapsArray(),
                    [](AffineMap m) { return m.isIdentity(); }))
    return false;
  auto yield = cast<linalg::YieldOp>(op.getRegion().front().getTerminator());
  return yield.getValues()[0] ==
         op.getMatchingBlockArgument(op.getDpsInputOperand(0));
}
} // namespace

void dl::fusePaddingCopies(Block &body) {
  SmallVector<linalg::GenericOp> generics;
  for (Operation &op : body)
    if (auto generic = dyn_cast<linalg::GenericOp>(op))
      generics.push_back(generic);
  for (size_t i = 0; i + 1 < generics.size(); ++i) {
    linalg::GenericOp fill = generics[i], copy = generics[i + 1];
    // A fill: every element the scalar input itself.
    if (!isElementwiseInit(fill) || fill.getNumDpsInputs() != 1 ||
        isa<MemRefType>(fill.getDpsInputs()[0].getType()) ||
        cast<linalg::YieldOp>(fill.getRegion().front().getTerminator())
                .getValues()[0] !=
            fill.getMatchingBlockArgument(fill.getDpsInputOperand(0)) ||
        !isPlainCopy(copy))
      continue;
    Value buffer = fill.getDpsInits()[0];
    auto window = copy.getDpsInits()[0].getDefiningOp<memref::SubViewOp>();
    Value source = copy.getDpsInputs()[0];
    if (!window || window.getSource() != buffer ||
        !isa<MemRefType>(source.getType()) ||
        rootBuffer(source) == rootBuffer(buffer) ||
        !llvm::all_of(window.getMixedStrides(),
                      [](OpFoldResult s) { return isConstantIntValue(s, 1); }))
      continue;
    SmallVector<int64_t> offsets, sizes;
    for (auto [offset, size] :
         llvm::zip(window.getMixedOffsets(), window.getMixedSizes())) {
      std::optional<int64_t> o = getConstantIntValue(offset),
                             n = getConstantIntValue(size);
      if (!o || !n)
        break;
      offsets.push_back(*o);
      sizes.push_back(*n);
    }
    auto type = cast<MemRefType>(buffer.getType());
    if (static_cast<int64_t>(offsets.size()) != type.getRank() ||
        window.getType().getRank() != type.getRank())
      continue;
    bool quiet = true;
    for (Operation *op = fill->getNextNode(); op != copy;
         op = op->getNextNode())
      quiet &= isMemoryEffectFree(op);
    if (!quiet)
      continue;

    OpBuilder b(copy);
    Location loc = fill.getLoc();
    unsigned rank = type.getRank();
    auto padded = linalg::GenericOp::create(
        b, loc, TypeRange{}, fill.getDpsInputs(), ValueRange{buffer},
        {fill.getMatchingIndexingMap(fill.getDpsInputOperand(0)),
         b.getMultiDimIdentityMap(rank)},
        SmallVector<utils::IteratorType>(rank, utils::IteratorType::parallel),
        [&](OpBuilder &ob, Location l, ValueRange args) {
          Value inside = arith::ConstantIntOp::create(ob, l, 1, 1);
          SmallVector<Value> at;
          for (unsigned d = 0; d < rank; ++d) {
            Value idx = linalg::IndexOp::create(ob, l, d);
            if (offsets[d] == 0 && sizes[d] == type.getDimSize(d)) {
              at.push_back(idx);
              continue;
            }
            // Unsigned: before the window, idx - offset wraps past size.
            Value shifted = arith::SubIOp::create(
                ob, l, idx, arith::ConstantIndexOp::create(ob, l, offsets[d]));
            Value in = arith::CmpIOp::create(
                ob, l, arith::CmpIPredicate::ult, shifted,
                arith::ConstantIndexOp::create(ob, l, sizes[d]));
            inside = arith::AndIOp::create(ob, l, inside, in);
            at.push_back(arith::SelectOp::create(
                ob, l, in, shifted, arith::ConstantIndexOp::create(ob, l, 0)));
          }
          Value v = memref::LoadOp::create(ob, l, source, at);
          linalg::YieldOp::create(
              ob, l,
              ValueRange{arith::SelectOp::create(ob, l, inside, v, args[0])});
        });
    padded->setAttr(kPadOffsetsAttr, b.getDenseI64ArrayAttr(offsets));
    copy.erase();
    fill.erase();
    ++i;
  }
}

std::optional<dl::Padding> dl::paddingOf(linalg::GenericOp op) {
  auto offsets = op->getAttrOfType<DenseI64ArrayAttr>(kPadOffsetsAttr);
  if (!offsets || op.getNumDpsInputs() != 1 || op.getNumDpsInits() != 1)
    return std::nullopt;
  Padding p;
  p.fill = op.getDpsInputs()[0];
  p.offsets.assign(offsets.asArrayRef().begin(), offsets.asArrayRef().end());
  // The body's one load, of the source.
  int loads = 0;
  op.getRegion().walk([&](memref::LoadOp load) {
    p.source = load.getMemRef();
    ++loads;
  });
  if (loads != 1)
    return std::nullopt;
  return p;
}
