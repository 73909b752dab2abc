//===- VectorizeTransposes.cpp - 16x16 register transposes ----------------===//
//
// A transposing copy out[n, i, j] = in[n, j, i], with or without the batch
// dim n (the channel-lanes convolution forms move [N, F, H*W] to
// [N, H*W, F] and back; dl-collapse-contiguous-loops has merged H and W)
// would otherwise become scalar loops with one strided access per element.
// Here it runs in 16x16 tiles: 16 row loads, one vector.transpose lowered
// to AVX-512 shuffles, 16 row stores. Rows and columns past the last whole
// tile stay scalar.
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

/// out[n, i, j] = in[n, j, i] (or out[i, j] = in[j, i]) over f32 memrefs
/// with unit-stride rows.
bool isTranspose(linalg::GenericOp op) {
  unsigned rank = op.getNumLoops();
  if (op.getNumDpsInputs() != 1 || op.getNumDpsInits() != 1 ||
      (rank != 2 && rank != 3) || op.getNumParallelLoops() != rank ||
      !op.hasPureBufferSemantics() || op.hasIndexSemantics())
    return false;
  Block &body = op.getRegion().front();
  auto yield = cast<linalg::YieldOp>(body.getTerminator());
  if (body.getOperations().size() != 1 ||
      yield.getValues()[0] != body.getArgument(0))
    return false;
  MLIRContext *ctx = op.getContext();
  SmallVector<AffineExpr> dims, swapped;
  for (unsigned d = 0; d < rank; ++d)
    dims.push_back(getAffineDimExpr(d, ctx));
  swapped = dims;
  std::swap(swapped[rank - 2], swapped[rank - 1]);
  if (op.getIndexingMapsArray() !=
      SmallVector<AffineMap>{AffineMap::get(rank, 0, swapped, ctx),
                             AffineMap::get(rank, 0, dims, ctx)})
    return false;
  for (Value v : {op.getDpsInputs()[0], op.getDpsInits()[0]}) {
    auto type = dyn_cast<MemRefType>(v.getType());
    if (!type || !type.getElementType().isF32() ||
        !type.isLastDimUnitStride())
      return false;
  }
  return true;
}

/// One 2-D transpose, of out[batch..., i, j] = in[batch..., j, i].
void emitTranspose(OpBuilder &b, Location loc, Value in, Value out,
                   ValueRange batch) {
  auto cst = [&](int64_t v) {
    return arith::ConstantIndexOp::create(b, loc, v).getResult();
  };
  auto at = [&](Value r, Value c) {
    SmallVector<Value> indices(batch);
    indices.push_back(r);
    indices.push_back(c);
    return indices;
  };
  unsigned rank = batch.size() + 2;
  Value rows = memref::DimOp::create(b, loc, out, rank - 2);
  Value cols = memref::DimOp::create(b, loc, out, rank - 1);
  auto wholeTiles = [&](Value n) {
    return arith::SubIOp::create(
               b, loc, n, arith::RemUIOp::create(b, loc, n, cst(kTile)))
        .getResult();
  };
  Value rowsEnd = wholeTiles(rows), colsEnd = wholeTiles(cols);
  auto rowType = VectorType::get({kTile}, b.getF32Type());
  auto tileType = VectorType::get({kTile, kTile}, b.getF32Type());
  auto scalarCopy = [&](OpBuilder &nb, Value i, Value j) {
    Value v = memref::LoadOp::create(nb, loc, in, at(j, i));
    memref::StoreOp::create(nb, loc, v, out, at(i, j));
  };
  scf::ForOp::create(
      b, loc, cst(0), rowsEnd, cst(kTile), ValueRange(),
      [&](OpBuilder &nb, Location, Value i0, ValueRange) {
        scf::ForOp::create(
            nb, loc, cst(0), colsEnd, cst(kTile), ValueRange(),
            [&](OpBuilder &tb, Location, Value j0, ValueRange) {
              Value tile = arith::ConstantOp::create(
                  tb, loc, DenseElementsAttr::get(tileType, 0.0f));
              for (int64_t r = 0; r < kTile; ++r) {
                Value j = arith::AddIOp::create(tb, loc, j0, cst(r));
                Value row =
                    vector::LoadOp::create(tb, loc, rowType, in, at(j, i0));
                tile = vector::InsertOp::create(tb, loc, row, tile, r);
              }
              Value t = vector::TransposeOp::create(tb, loc, tile,
                                                    ArrayRef<int64_t>{1, 0});
              for (int64_t r = 0; r < kTile; ++r) {
                Value i = arith::AddIOp::create(tb, loc, i0, cst(r));
                Value row = vector::ExtractOp::create(tb, loc, t, r);
                vector::StoreOp::create(tb, loc, row, out, at(i, j0));
              }
              scf::YieldOp::create(tb, loc);
            });
        // Columns past the whole tiles, for these 16 rows.
        scf::ForOp::create(
            nb, loc, colsEnd, cols, cst(1), ValueRange(),
            [&](OpBuilder &cb, Location, Value j, ValueRange) {
              for (int64_t r = 0; r < kTile; ++r)
                scalarCopy(cb, arith::AddIOp::create(cb, loc, i0, cst(r)), j);
              scf::YieldOp::create(cb, loc);
            });
        scf::YieldOp::create(nb, loc);
      });
  // Rows past the whole tiles.
  scf::ForOp::create(
      b, loc, rowsEnd, rows, cst(1), ValueRange(),
      [&](OpBuilder &nb, Location, Value i, ValueRange) {
        scf::ForOp::create(nb, loc, cst(0), cols, cst(1), ValueRange(),
                           [&](OpBuilder &cb, Location, Value j, ValueRange) {
                             scalarCopy(cb, i, j);
                             scf::YieldOp::create(cb, loc);
                           });
        scf::YieldOp::create(nb, loc);
      });
}

void emitTranspose(OpBuilder &b, linalg::GenericOp op) {
  Location loc = op.getLoc();
  Value in = op.getDpsInputs()[0], out = op.getDpsInits()[0];
  if (op.getNumLoops() == 2)
    return emitTranspose(b, loc, in, out, {});
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  Value batch = memref::DimOp::create(b, loc, out, 0);
  scf::ForOp::create(b, loc, zero, batch, one, ValueRange(),
                     [&](OpBuilder &nb, Location, Value n, ValueRange) {
                       emitTranspose(nb, loc, in, out, n);
                       scf::YieldOp::create(nb, loc);
                     });
}

struct VectorizeTransposesPass
    : public dl::impl::VectorizeTransposesBase<VectorizeTransposesPass> {
  void runOnOperation() override {
    SmallVector<linalg::GenericOp> transposes;
    getOperation()->walk([&](linalg::GenericOp op) {
      if (isTranspose(op))
        transposes.push_back(op);
    });
    if (transposes.empty())
      return;
    for (linalg::GenericOp op : transposes) {
      OpBuilder b(op);
      emitTranspose(b, op);
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
