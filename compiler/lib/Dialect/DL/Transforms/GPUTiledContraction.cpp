//===- GPUTiledContraction.cpp - C += A * B as a tiled GPU product --------===//

#include "GPUTiledContraction.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

#include <algorithm>

using namespace mlir;
using namespace dlc;

namespace {
constexpr int64_t kTile = 64;    // C tile edge
constexpr int64_t kStep = 16;    // k per staging step
constexpr int64_t kPerThread = 4; // C rows (and columns) per thread
constexpr int64_t kMaxSplits = 8; // blocks sharing one tile's k range
constexpr int64_t kBusyBlocks = 264; // two blocks per H100 multiprocessor

/// The plain dims `map` reads, or nothing if a result is not a plain dim.
std::optional<SmallVector<unsigned>> plainDims(AffineMap map) {
  SmallVector<unsigned> dims;
  for (AffineExpr e : map.getResults()) {
    auto dim = dyn_cast<AffineDimExpr>(e);
    if (!dim)
      return std::nullopt;
    dims.push_back(dim.getPosition());
  }
  return dims;
}
} // namespace

std::optional<dl::ContractionShape>
dl::matchContraction(linalg::GenericOp op) {
  if (op.getNumLoops() != 3 || op.getNumReductionLoops() != 1 ||
      op.getNumDpsInputs() != 2 || op.getNumDpsInits() != 1)
    return std::nullopt;
  Block &body = op.getRegion().front();
  auto yield = cast<linalg::YieldOp>(body.getTerminator());
  BlockArgument x = body.getArgument(0), y = body.getArgument(1),
                out = body.getArgument(2);
  auto add = yield.getValues()[0].getDefiningOp<arith::AddFOp>();
  if (!add || !add.getType().isF32() || !out.hasOneUse())
    return std::nullopt;
  Value product = add.getLhs() == out ? add.getRhs() : add.getLhs();
  auto mul = product.getDefiningOp<arith::MulFOp>();
  if ((add.getLhs() != out && add.getRhs() != out) || !mul ||
      !((mul.getLhs() == x && mul.getRhs() == y) ||
        (mul.getLhs() == y && mul.getRhs() == x)) ||
      body.getOperations().size() != 3)
    return std::nullopt;

  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  if (llvm::any_of(ranges, ShapedType::isDynamic))
    return std::nullopt;
  unsigned k = 0;
  for (auto [d, type] : llvm::enumerate(op.getIteratorTypesArray()))
    if (type == utils::IteratorType::reduction)
      k = d;
  auto outDims = plainDims(op.getMatchingIndexingMap(op.getDpsInitOperand(0)));
  if (!outDims || outDims->size() != 2 || llvm::is_contained(*outDims, k))
    return std::nullopt;
  unsigned m = (*outDims)[0], n = (*outDims)[1];

  ContractionShape shape;
  shape.m = ranges[m];
  shape.n = ranges[n];
  shape.k = ranges[k];
  bool haveA = false, haveB = false;
  for (unsigned i = 0; i < 2; ++i) {
    OpOperand *input = op.getDpsInputOperand(i);
    if (!isa<MemRefType>(input->get().getType()))
      return std::nullopt;
    auto dims = plainDims(op.getMatchingIndexingMap(input));
    if (!dims || dims->size() != 2)
      return std::nullopt;
    auto is = [&](unsigned first, unsigned second) {
      return (*dims)[0] == first && (*dims)[1] == second;
    };
    if (is(m, k) || is(k, m)) {
      shape.a = i;
      shape.aKMajor = is(k, m);
      haveA = true;
    } else if (is(n, k) || is(k, n)) {
      shape.b = i;
      shape.bKMajor = is(k, n);
      haveB = true;
    } else {
      return std::nullopt;
    }
  }
  if (!haveA || !haveB)
    return std::nullopt;
  return shape;
}

int64_t dl::emitTiledContraction(gpu::GPUFuncOp func, linalg::GenericOp op,
                                 const ContractionShape &shape) {
  MLIRContext *ctx = op.getContext();
  Location loc = op.getLoc();
  OpBuilder b(op);
  Type f32 = b.getF32Type();
  auto c = [&](int64_t v) -> Value {
    return arith::ConstantIndexOp::create(b, loc, v);
  };
  auto add = [&](Value x, Value y) -> Value {
    return arith::AddIOp::create(b, loc, x, y);
  };
  auto mul = [&](Value x, Value y) -> Value {
    return arith::MulIOp::create(b, loc, x, y);
  };
  auto div = [&](Value x, int64_t y) -> Value {
    return arith::DivUIOp::create(b, loc, x, c(y));
  };
  auto rem = [&](Value x, int64_t y) -> Value {
    return arith::RemUIOp::create(b, loc, x, c(y));
  };
  auto less = [&](Value x, Value y) -> Value {
    return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, x, y);
  };

  int64_t tilesM = (shape.m + kTile - 1) / kTile;
  int64_t tilesN = (shape.n + kTile - 1) / kTile;
  int64_t tiles = tilesM * tilesN;
  int64_t steps = (shape.k + kStep - 1) / kStep;
  int64_t splits =
      std::clamp<int64_t>(kBusyBlocks / tiles, 1, std::min(kMaxSplits, steps));
  int64_t chunk = (steps + splits - 1) / splits * kStep; // k per block
  splits = (shape.k + chunk - 1) / chunk;
  int64_t grid = tiles * splits;

  auto shared = MemRefType::get(
      {kStep, kTile}, f32, MemRefLayoutAttrInterface(),
      gpu::AddressSpaceAttr::get(ctx, gpu::AddressSpace::Workgroup));
  Value aTile = func.addWorkgroupAttribution(shared, loc);
  Value bTile = func.addWorkgroupAttribution(shared, loc);
  Value a = op.getDpsInputs()[shape.a], bMat = op.getDpsInputs()[shape.b];
  Value out = op.getDpsInits()[0];

  Value block = gpu::BlockIdOp::create(b, loc, gpu::Dimension::x);
  Value tid = gpu::ThreadIdOp::create(b, loc, gpu::Dimension::x);
  Value split = rem(block, splits), tile = div(block, splits);
  Value m0 = mul(div(tile, tilesN), c(kTile));
  Value n0 = mul(rem(tile, tilesN), c(kTile));
  Value ty = div(tid, kTile / kPerThread), tx = rem(tid, kTile / kPerThread);
  Value kBegin = mul(split, c(chunk));
  Value kEnd = arith::MinUIOp::create(b, loc, add(kBegin, c(chunk)),
                                      c(shape.k));
  Value zero = arith::ConstantOp::create(b, loc, f32, b.getF32FloatAttr(0));
  SmallVector<Value> init(kPerThread * kPerThread, zero);

  // One element of a k step into workgroup memory, zero outside the matrix.
  auto stage = [&](Value matrix, bool kMajor, Value idx, Value kb, Value base,
                   int64_t extent, Value tileMem) {
    Value kk = kMajor ? div(idx, kTile) : rem(idx, kStep);
    Value xx = kMajor ? rem(idx, kTile) : div(idx, kStep);
    Value gx = add(base, xx), gk = add(kb, kk);
    Value inside = arith::AndIOp::create(b, loc, less(gx, c(extent)),
                                         less(gk, kEnd));
    Value sx = arith::SelectOp::create(b, loc, inside, gx, c(0));
    Value sk = arith::SelectOp::create(b, loc, inside, gk, c(0));
    Value v = memref::LoadOp::create(
        b, loc, matrix, kMajor ? ValueRange{sk, sx} : ValueRange{sx, sk});
    v = arith::SelectOp::create(b, loc, inside, v, zero);
    memref::StoreOp::create(b, loc, v, tileMem, ValueRange{kk, xx});
  };

  auto steps_ = scf::ForOp::create(
      b, loc, kBegin, kEnd, c(kStep), init,
      [&](OpBuilder &nested, Location, Value kb, ValueRange accs) {
        OpBuilder::InsertionGuard guard(b);
        b.setInsertionPoint(nested.getInsertionBlock(),
                            nested.getInsertionPoint());
        for (int64_t e = 0; e < kTile * kStep / kTiledContractionBlock; ++e) {
          Value idx = add(tid, c(e * kTiledContractionBlock));
          stage(a, shape.aKMajor, idx, kb, m0, shape.m, aTile);
          stage(bMat, shape.bKMajor, idx, kb, n0, shape.n, bTile);
        }
        gpu::BarrierOp::create(b, loc);
        auto inner = scf::ForOp::create(
            b, loc, c(0), c(kStep), c(1), accs,
            [&](OpBuilder &innerBuilder, Location, Value kk,
                ValueRange carried) {
              OpBuilder::InsertionGuard innerGuard(b);
              b.setInsertionPoint(innerBuilder.getInsertionBlock(),
                                  innerBuilder.getInsertionPoint());
              SmallVector<Value> as, bs, next;
              for (int64_t r = 0; r < kPerThread; ++r)
                as.push_back(memref::LoadOp::create(
                    b, loc, aTile,
                    ValueRange{kk, add(mul(ty, c(kPerThread)), c(r))}));
              for (int64_t q = 0; q < kPerThread; ++q)
                bs.push_back(memref::LoadOp::create(
                    b, loc, bTile,
                    ValueRange{kk, add(mul(tx, c(kPerThread)), c(q))}));
              auto contract = arith::FastMathFlagsAttr::get(
                  ctx, arith::FastMathFlags::contract);
              for (int64_t r = 0; r < kPerThread; ++r)
                for (int64_t q = 0; q < kPerThread; ++q) {
                  Value p =
                      arith::MulFOp::create(b, loc, as[r], bs[q], contract);
                  next.push_back(arith::AddFOp::create(
                      b, loc, carried[r * kPerThread + q], p, contract));
                }
              scf::YieldOp::create(b, loc, next);
            });
        // The next step overwrites the tiles everyone reads.
        gpu::BarrierOp::create(b, loc);
        scf::YieldOp::create(b, loc, inner.getResults());
      });

  for (int64_t r = 0; r < kPerThread; ++r)
    for (int64_t q = 0; q < kPerThread; ++q) {
      Value gm = add(m0, add(mul(ty, c(kPerThread)), c(r)));
      Value gn = add(n0, add(mul(tx, c(kPerThread)), c(q)));
      Value inside = arith::AndIOp::create(b, loc, less(gm, c(shape.m)),
                                           less(gn, c(shape.n)));
      Value acc = steps_.getResult(r * kPerThread + q);
      auto ifInside = scf::IfOp::create(b, loc, inside, false);
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(ifInside.thenBlock());
      if (splits == 1) {
        Value old = memref::LoadOp::create(b, loc, out, ValueRange{gm, gn});
        memref::StoreOp::create(b, loc, arith::AddFOp::create(b, loc, old, acc),
                                out, ValueRange{gm, gn});
      } else {
        memref::AtomicRMWOp::create(b, loc, arith::AtomicRMWKind::addf, acc,
                                    out, ValueRange{gm, gn});
      }
    }
  return grid;
}
