//===- VectorizeStridedWindows.cpp - vector code for 2x2/2 pooling --------===//
//
// Pooling with stride 2 reads its windows two elements apart: LLVM's loop
// vectorizer turns those accesses into gathers and scatters. This pass
// emits the vector code itself for the all-parallel pooling generics of
// dl-lower-kernels-to-linalg, over VL = 8 outputs of the `ow` loop at a
// time:
//
//  * an operand indexed at `ow` along its last dim is a contiguous load of
//    VL lanes;
//  * one indexed at `2*ow + c` is a load of 2*VL - 1 contiguous lanes from
//    `2*ow0 + c` of which the even lanes are kept (a shuffle);
//  * an output indexed at `2*ow + j`, with j a loop dim of extent 2 (the
//    gradient of a pooling whose windows tile its input), is computed for
//    j = 0 and j = 1 and the two are interleaved into one 2*VL-lane store.
//
// The body is cloned onto vectors: values that depend on the lanes become
// vectors, the others (loop indices, constants) stay scalars and are
// broadcast where they meet a vector. The other loop dims stay scalar
// loops; the last chunk of `ow` is masked. Generics that do not fit this
// shape are left alone.
//
//===----------------------------------------------------------------------===//

#include "dlc/Dialect/DL/Transforms/Passes.h"

#include "ElementwiseEpilogue.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/IRMapping.h"

namespace dlc::dl {
#define GEN_PASS_DEF_VECTORIZESTRIDEDWINDOWS
#include "dlc/Dialect/DL/Transforms/Passes.h.inc"
} // namespace dlc::dl

using namespace mlir;

namespace {

constexpr int64_t VL = 8;

/// How an access's last index moves with the vector dim v.
enum class Lanes { Uniform, Contiguous, EvenLanes, Interleaved };

/// The form of `map`'s last result in dims v (vector) and j (the output's
/// interleaved dim, or -1): v, 2*v + c, 2*v + j; none of v or j in the
/// other results.
std::optional<Lanes> lanesOf(AffineMap map, unsigned v, int j) {
  if (map.getNumResults() == 0)
    return Lanes::Uniform;
  for (AffineExpr e : map.getResults().drop_back())
    if (e.isFunctionOfDim(v) || (j >= 0 && e.isFunctionOfDim(j)))
      return std::nullopt;
  AffineExpr last = map.getResults().back();
  MLIRContext *ctx = map.getContext();
  AffineExpr dv = getAffineDimExpr(v, ctx);
  if (!last.isFunctionOfDim(v))
    return (j >= 0 && last.isFunctionOfDim(j)) ? std::nullopt
                                                : std::optional(Lanes::Uniform);
  if (last == dv)
    return Lanes::Contiguous;
  if (j >= 0 && last == dv * 2 + getAffineDimExpr(j, ctx))
    return Lanes::Interleaved;
  // 2*v + c, c a non-negative constant.
  auto c = dyn_cast<AffineConstantExpr>(
      simplifyAffineExpr(last - dv * 2, map.getNumDims(), 0));
  if (c && c.getValue() >= 0)
    return Lanes::EvenLanes;
  return std::nullopt;
}

struct Shape {
  unsigned v;  // the vector dim (ow)
  int j = -1;  // the output's interleaved dim, extent 2
};

std::optional<Shape> match(linalg::GenericOp op) {
  if (!op.hasPureBufferSemantics() || op.getNumDpsInits() != 1 ||
      op.getNumParallelLoops() != op.getNumLoops() || op.getNumLoops() < 2)
    return std::nullopt;
  for (OpOperand &operand : op->getOpOperands()) {
    auto type = dyn_cast<MemRefType>(operand.get().getType());
    if (!type || !type.getElementType().isF32() ||
        (type.getRank() > 0 && !type.isLastDimUnitStride()))
      return std::nullopt;
  }
  OpOperand *init = op.getDpsInitOperand(0);
  if (!op.getMatchingBlockArgument(init).use_empty())
    return std::nullopt;
  AffineMap outMap = op.getMatchingIndexingMap(init);
  if (outMap.getNumResults() == 0)
    return std::nullopt;
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  // The output's last index: v, or 2*v + j with j of extent 2.
  AffineExpr last = outMap.getResults().back();
  Shape s;
  if (auto d = dyn_cast<AffineDimExpr>(last)) {
    s.v = d.getPosition();
  } else {
    bool found = false;
    for (unsigned v = 0; v < op.getNumLoops() && !found; ++v)
      for (unsigned j = 0; j < op.getNumLoops() && !found; ++j)
        if (v != j && ranges[j] == 2 &&
            last == getAffineDimExpr(v, op.getContext()) * 2 +
                        getAffineDimExpr(j, op.getContext())) {
          s.v = v;
          s.j = j;
          found = true;
        }
    if (!found)
      return std::nullopt;
  }
  if (lanesOf(outMap, s.v, s.j) !=
      (s.j >= 0 ? Lanes::Interleaved : Lanes::Contiguous))
    return std::nullopt;
  // Worth it only where some input reads every other element.
  bool strided = false;
  for (OpOperand *input : op.getDpsInputOperands()) {
    if (op.getMatchingBlockArgument(input).use_empty())
      continue;
    std::optional<Lanes> l =
        lanesOf(op.getMatchingIndexingMap(input), s.v, s.j);
    if (!l || *l == Lanes::Interleaved)
      return std::nullopt;
    strided |= *l == Lanes::EvenLanes;
  }
  if (!strided && s.j < 0)
    return std::nullopt;
  // The body: arith ops only; linalg.index of v is not supported.
  for (Operation &inner : op.getRegion().front().without_terminator()) {
    if (auto index = dyn_cast<linalg::IndexOp>(inner)) {
      if (index.getDim() == s.v)
        return std::nullopt;
      continue;
    }
    if (inner.getNumRegions() != 0 || inner.getNumResults() != 1 ||
        !isa<arith::ArithDialect>(inner.getDialect()))
      return std::nullopt;
  }
  return s;
}

class Emitter {
public:
  Emitter(OpBuilder &b, linalg::GenericOp op, Shape s,
          linalg::GenericOp epilogue)
      : b(b), loc(op.getLoc()), op(op), s(s), epilogue(epilogue),
        ivs(op.getNumLoops()) {
    for (Range r : cast<linalg::LinalgOp>(op.getOperation())
                       .createLoopRanges(b, loc))
      sizes.push_back(getValueOrCreateConstantIndexOp(b, loc, r.size));
  }

  void emit() { loops(0); }

private:
  OpBuilder &b;
  Location loc;
  linalg::GenericOp op;
  Shape s;
  linalg::GenericOp epilogue; // applied before the store, if any
  SmallVector<Value> sizes, ivs;

  Value cst(int64_t v) { return arith::ConstantIndexOp::create(b, loc, v); }
  VectorType vec(int64_t lanes, Type t) { return VectorType::get({lanes}, t); }

  void loops(unsigned d) {
    if (d == op.getNumLoops())
      return chunk();
    if ((int)d == s.j)
      return loops(d + 1);
    int64_t step = d == s.v ? VL : 1;
    scf::ForOp::create(b, loc, cst(0), sizes[d], cst(step), ValueRange(),
                       [&](OpBuilder &nested, Location, Value iv, ValueRange) {
                         OpBuilder::InsertionGuard guard(b);
                         b.setInsertionPointToStart(nested.getInsertionBlock());
                         ivs[d] = iv;
                         loops(d + 1);
                         scf::YieldOp::create(b, loc);
                       });
  }

  /// The indices of `map` at the current ivs, with j = jv.
  SmallVector<Value> indices(AffineMap map, int64_t jv) {
    SmallVector<Value> operands(ivs);
    if (s.j >= 0)
      operands[s.j] = cst(jv);
    SmallVector<Value> result;
    for (AffineExpr e : map.getResults())
      result.push_back(affine::AffineApplyOp::create(
          b, loc, AffineMap::get(map.getNumDims(), 0, e), operands));
    return result;
  }

  Value mask(Value lanes, int64_t width) {
    return vector::CreateMaskOp::create(b, loc, vec(width, b.getI1Type()),
                                        ValueRange{lanes});
  }

  /// One operand's value for the chunk, as VL lanes (or a scalar).
  Value load(OpOperand *operand, int64_t jv, Value remaining) {
    AffineMap map = op.getMatchingIndexingMap(operand);
    Value memref = operand->get();
    SmallVector<Value> idx = indices(map, jv);
    Type f32 = b.getF32Type();
    auto zero = [&](int64_t lanes) -> Value {
      return arith::ConstantOp::create(
          b, loc,
          DenseElementsAttr::get(vec(lanes, f32), b.getF32FloatAttr(0)));
    };
    switch (*lanesOf(map, s.v, s.j)) {
    case Lanes::Uniform:
      return memref::LoadOp::create(b, loc, memref, idx);
    case Lanes::Contiguous:
      return vector::MaskedLoadOp::create(b, loc, vec(VL, f32), memref, idx,
                                          mask(remaining, VL), zero(VL));
    case Lanes::EvenLanes: {
      // Lanes 0, 2, ... of the 2*VL - 1 elements from the first.
      Value used = arith::SubIOp::create(
          b, loc, arith::MulIOp::create(b, loc, remaining, cst(2)), cst(1));
      Value row = vector::MaskedLoadOp::create(
          b, loc, vec(2 * VL, f32), memref, idx, mask(used, 2 * VL), zero(2 * VL));
      SmallVector<int64_t> even;
      for (int64_t l = 0; l < VL; ++l)
        even.push_back(2 * l);
      return vector::ShuffleOp::create(b, loc, row, row, even);
    }
    case Lanes::Interleaved:
      break;
    }
    llvm_unreachable("matched operands only");
  }

  /// The body for the chunk at j = jv, as VL lanes.
  Value body(int64_t jv, Value remaining) {
    Block &block = op.getRegion().front();
    IRMapping mapping;
    for (OpOperand *input : op.getDpsInputOperands())
      if (!op.getMatchingBlockArgument(input).use_empty())
        mapping.map(op.getMatchingBlockArgument(input),
                    load(input, jv, remaining));
    return dlc::dl::cloneBodyOnLanes(
        b, loc, block, mapping, VL, [&](unsigned dim) -> Value {
          return (int)dim == s.j ? cst(jv) : ivs[dim];
        });
  }

  void chunk() {
    Value remaining = arith::MinSIOp::create(
        b, loc, cst(VL), arith::SubIOp::create(b, loc, sizes[s.v], ivs[s.v]));
    OpOperand *init = op.getDpsInitOperand(0);
    AffineMap outMap = op.getMatchingIndexingMap(init);
    if (s.j < 0) {
      Value r = body(0, remaining);
      SmallVector<Value> idx = indices(outMap, 0);
      Value m = mask(remaining, VL);
      if (epilogue)
        r = dlc::dl::applyEpilogue(b, loc, epilogue, r, idx, m);
      vector::MaskedStoreOp::create(b, loc, init->get(), idx, m, r);
      return;
    }
    Value r0 = body(0, remaining), r1 = body(1, remaining);
    SmallVector<int64_t> interleave;
    for (int64_t l = 0; l < VL; ++l) {
      interleave.push_back(l);
      interleave.push_back(VL + l);
    }
    Value both = vector::ShuffleOp::create(b, loc, r0, r1, interleave);
    SmallVector<Value> idx = indices(outMap, 0);
    Value m = mask(arith::MulIOp::create(b, loc, remaining, cst(2)), 2 * VL);
    if (epilogue)
      both = dlc::dl::applyEpilogue(b, loc, epilogue, both, idx, m);
    vector::MaskedStoreOp::create(b, loc, init->get(), idx, m, both);
  }
};

struct VectorizeStridedWindowsPass
    : public dlc::dl::impl::VectorizeStridedWindowsBase<
          VectorizeStridedWindowsPass> {
  void runOnOperation() override {
    SmallVector<std::pair<linalg::GenericOp, Shape>> todo;
    getOperation()->walk([&](linalg::GenericOp op) {
      if (std::optional<Shape> s = match(op))
        todo.push_back({op, *s});
    });
    for (auto [op, s] : todo) {
      // An elementwise op updating the output next (relu's or sigmoid's
      // gradient) runs on the vectors before the store.
      linalg::GenericOp epilogue = dlc::dl::takeEpilogue(op, op.getDpsInits()[0]);
      OpBuilder b(op);
      Emitter(b, op, s, epilogue).emit();
      op.erase();
      if (epilogue)
        epilogue.erase();
    }
  }
};

} // namespace
