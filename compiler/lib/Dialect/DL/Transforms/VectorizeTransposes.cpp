//===- VectorizeTransposes.cpp - 16x16 register transposes ----------------===//
//
// A copy that permutes dims so that the output's contiguous dim X is not the
// input's contiguous dim Y (the channel- and batch-lanes convolution forms
// move NCHW tensors to and from [N, H, W, F] or [C, H, W, N] copies) would
// otherwise become scalar loops with one strided access per element. Here
// it runs in 16x16 tiles of X by Y: 16 row loads along Y, one
// vector.transpose lowered to AVX-512 shuffles, 16 row stores along X.
// Tiles at the end of X or Y are masked; the other dims are loops around.
//
//===----------------------------------------------------------------------===//

#include "dlc/Dialect/DL/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Dialect/Vector/Transforms/LoweringPatterns.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace dlc::dl {
#define GEN_PASS_DEF_VECTORIZETRANSPOSES
#include "dlc/Dialect/DL/Transforms/Passes.h.inc"
} // namespace dlc::dl

using namespace mlir;
using namespace dlc;

namespace {

constexpr int64_t kTile = 16;

/// The loop dim of the input's last index if `op` is a copy out[d...] =
/// in[perm(d)...] over f32 memrefs with unit-stride rows whose contiguous
/// dims differ; -1 otherwise.
int transposedDim(linalg::GenericOp op) {
  unsigned rank = op.getNumLoops();
  if (op.getNumDpsInputs() != 1 || op.getNumDpsInits() != 1 || rank < 2 ||
      op.getNumParallelLoops() != rank || !op.hasPureBufferSemantics() ||
      op.hasIndexSemantics())
    return -1;
  Block &body = op.getRegion().front();
  auto yield = cast<linalg::YieldOp>(body.getTerminator());
  if (body.getOperations().size() != 1 ||
      yield.getValues()[0] != body.getArgument(0))
    return -1;
  AffineMap in = op.getIndexingMapsArray()[0];
  AffineMap out = op.getIndexingMapsArray()[1];
  if (!out.isIdentity() || !in.isPermutation())
    return -1;
  for (Value v : {op.getDpsInputs()[0], op.getDpsInits()[0]}) {
    auto type = dyn_cast<MemRefType>(v.getType());
    if (!type || !type.getElementType().isF32() ||
        !type.isLastDimUnitStride())
      return -1;
  }
  unsigned y = in.getDimPosition(rank - 1);
  return y == rank - 1 ? -1 : int(y);
}

class TransposeEmitter {
public:
  TransposeEmitter(OpBuilder &b, linalg::GenericOp op, unsigned y)
      : b(b), loc(op.getLoc()), in(op.getDpsInputs()[0]),
        out(op.getDpsInits()[0]), inMap(op.getIndexingMapsArray()[0]),
        rank(op.getNumLoops()), x(rank - 1), y(y), ivs(rank) {}

  void emit() { loops(0); }

private:
  OpBuilder &b;
  Location loc;
  Value in, out;
  AffineMap inMap;
  unsigned rank, x, y;
  SmallVector<Value> ivs;

  Value cst(int64_t v) { return arith::ConstantIndexOp::create(b, loc, v); }
  Value extent(unsigned d) { return memref::DimOp::create(b, loc, out, d); }

  void forLoop(Value lb, Value ub, int64_t step,
               function_ref<void(Value)> body) {
    scf::ForOp::create(b, loc, lb, ub, cst(step), ValueRange(),
                       [&](OpBuilder &nested, Location, Value iv, ValueRange) {
                         OpBuilder::InsertionGuard guard(b);
                         b.setInsertionPointToStart(nested.getInsertionBlock());
                         body(iv);
                         scf::YieldOp::create(b, loc);
                       });
  }

  /// Loops over the dims other than x and y, then over the tiles.
  void loops(unsigned d) {
    if (d == rank)
      return tiles();
    if (d == x || d == y)
      return loops(d + 1);
    forLoop(cst(0), extent(d), 1, [&](Value iv) {
      ivs[d] = iv;
      loops(d + 1);
    });
  }

  /// Whole tiles unmasked; the tiles that reach past the end of x or y,
  /// masked.
  void tiles() {
    Value ex = extent(x), ey = extent(y);
    auto whole = [&](Value n) {
      Value rest = arith::RemUIOp::create(b, loc, n, cst(kTile));
      return arith::SubIOp::create(b, loc, n, rest).getResult();
    };
    Value wx = whole(ex), wy = whole(ey);
    forLoop(cst(0), wy, kTile, [&](Value y0) {
      forLoop(cst(0), wx, kTile, [&](Value x0) { tile(x0, y0, {}, {}); });
      forLoop(wx, ex, kTile, [&](Value x0) { tile(x0, y0, ex, ey); });
    });
    forLoop(wy, ey, kTile, [&](Value y0) {
      forLoop(cst(0), ex, kTile, [&](Value x0) { tile(x0, y0, ex, ey); });
    });
  }

  /// Lanes [0, n) when `take`, else none.
  Value maskIf(Value take, Value n) {
    Value lanes = arith::SelectOp::create(b, loc, take, n, cst(0));
    return vector::CreateMaskOp::create(
        b, loc, VectorType::get({kTile}, b.getI1Type()), ValueRange{lanes});
  }

  /// The 16x16 tile at (x0, y0); masked to the extents ex, ey if given.
  void tile(Value x0, Value y0, Value ex, Value ey) {
    auto rowType = VectorType::get({kTile}, b.getF32Type());
    auto tileType = VectorType::get({kTile, kTile}, b.getF32Type());
    Value nx, ny;
    if (ex) {
      nx = arith::MinSIOp::create(
          b, loc, cst(kTile), arith::SubIOp::create(b, loc, ex, x0));
      ny = arith::MinSIOp::create(
          b, loc, cst(kTile), arith::SubIOp::create(b, loc, ey, y0));
    }
    Value zero = arith::ConstantOp::create(
        b, loc, DenseElementsAttr::get(rowType, b.getF32FloatAttr(0)));
    Value t = arith::ConstantOp::create(
        b, loc, DenseElementsAttr::get(tileType, b.getF32FloatAttr(0)));
    // Row r: in[...] along y at x = x0 + r.
    for (int64_t r = 0; r < kTile; ++r) {
      ivs[x] = arith::AddIOp::create(b, loc, x0, cst(r));
      ivs[y] = y0;
      SmallVector<Value> idx;
      for (unsigned k = 0; k < rank; ++k)
        idx.push_back(ivs[inMap.getDimPosition(k)]);
      Value row;
      if (ex) {
        Value inside = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt,
                                             cst(r), nx);
        row = vector::MaskedLoadOp::create(b, loc, rowType, in, idx,
                                           maskIf(inside, ny), zero);
      } else {
        row = vector::LoadOp::create(b, loc, rowType, in, idx);
      }
      t = vector::InsertOp::create(b, loc, row, t, r);
    }
    t = vector::TransposeOp::create(b, loc, t, ArrayRef<int64_t>{1, 0});
    // Row j: out[...] along x at y = y0 + j.
    for (int64_t j = 0; j < kTile; ++j) {
      ivs[x] = x0;
      ivs[y] = arith::AddIOp::create(b, loc, y0, cst(j));
      Value row = vector::ExtractOp::create(b, loc, t, j);
      if (ex) {
        Value inside = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt,
                                             cst(j), ny);
        vector::MaskedStoreOp::create(b, loc, out, ivs, maskIf(inside, nx),
                                      row);
      } else {
        vector::StoreOp::create(b, loc, row, out, ivs);
      }
    }
  }
};

struct VectorizeTransposesPass
    : public dl::impl::VectorizeTransposesBase<VectorizeTransposesPass> {
  void runOnOperation() override {
    SmallVector<std::pair<linalg::GenericOp, unsigned>> transposes;
    getOperation()->walk([&](linalg::GenericOp op) {
      int y = transposedDim(op);
      if (y >= 0)
        transposes.push_back({op, unsigned(y)});
    });
    if (transposes.empty())
      return;
    for (auto [op, y] : transposes) {
      OpBuilder b(op);
      TransposeEmitter(b, op, y).emit();
      op.erase();
    }
    // 16x16 f32 transposes as two-source shuffles (AVX-512); LLVM would
    // otherwise get one 256-lane shuffle or element-wise moves.
    RewritePatternSet patterns(&getContext());
    vector::populateVectorTransposeLoweringPatterns(
        patterns, vector::VectorTransposeLowering::Shuffle16x16);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
