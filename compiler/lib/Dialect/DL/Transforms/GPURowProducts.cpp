//===- GPURowProducts.cpp - skinny products, a warp per output row --------===//

#include "GPURowProducts.h"

#include "GPUElementwiseFusion.h"
#include "GPUIndexMath.h"
#include "GPUOrderedSplits.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

#include <tuple>

using namespace mlir;
using namespace dlc;

namespace {
constexpr int64_t kWarp = 32;
constexpr int64_t kRows = dl::kRowProductBlock / kWarp; // rows per block
/// Most outputs per row: a lane keeps the row's sums in registers and
/// spends 5 shuffles on each.
constexpr int64_t kMaxRowOutputs = 16;
/// K bounds: at least 4 k a lane (shorter rows, as LeNet's 84-k head,
/// stay tiled; not timed), at most 32, whose multiply-adds are written
/// out unrolled.
constexpr int64_t kMinK = 4 * kWarp, kMaxK = 32 * kWarp;
/// A's elements a lane loads at a time: registers stay bounded, and the
/// first group flies while B is staged.
constexpr int64_t kLoadGroup = 8;
constexpr int64_t kMaxStagedBytes = 48 * 1024;

/// Row pitch of staged B: odd, so that the 32 lanes (on 32 consecutive k)
/// read 32 distinct banks.
int64_t pitchOf(int64_t n) { return n | 1; }
} // namespace

bool dl::isRowProduct(linalg::GenericOp op, const ContractionShape &shape) {
  if (shape.kDims.size() != 1 || shape.n > kMaxRowOutputs || shape.k < kMinK ||
      shape.k > kMaxK || shape.k * pitchOf(shape.n) * 4 > kMaxStagedBytes)
    return false;
  // A's row is contiguous along k: the k part of its flat offset is k.
  AffineMap kPart = flatOffsetParts(op, shape.a, shape.mDims).second;
  return simplifyAffineExpr(kPart.getResult(0), kPart.getNumDims(), 0) ==
         getAffineDimExpr(shape.kDims[0], op.getContext());
}

int64_t dl::emitRowProduct(gpu::GPUFuncOp func, linalg::GenericOp op,
                           const ContractionShape &shape,
                           linalg::GenericOp prologue,
                           linalg::GenericOp epilogue) {
  MLIRContext *ctx = op.getContext();
  Location loc = op.getLoc();
  OpBuilder b(op);
  Type f32 = b.getF32Type();
  IndexMath im(b, loc);
  int64_t numLoops = shape.ranges.size();
  unsigned kDim = shape.kDims[0];
  int64_t n = shape.n, k = shape.k;
  int64_t perLane = llvm::divideCeil(k, kWarp);
  int64_t grid = llvm::divideCeil(shape.m, kRows);
  Value indexZero = im.c(0);
  Value zero = arith::ConstantOp::create(b, loc, f32, b.getF32FloatAttr(0));
  auto contract =
      arith::FastMathFlagsAttr::get(ctx, arith::FastMathFlags::contract);

  auto delinearize = [&](Value linear, ArrayRef<unsigned> dims,
                         SmallVector<Value> &ivs) {
    im.delinearize(linear, dims, shape.ranges, ivs);
  };
  auto apply = [&](AffineMap map, ArrayRef<Value> ivs) -> Value {
    return affine::AffineApplyOp::create(b, loc, map, ivs);
  };
  auto flatView = [&](unsigned input) -> Value {
    Value matrix = op.getDpsInputs()[input];
    SmallVector<ReassociationIndices> all(1);
    for (int64_t i = 0; i < cast<MemRefType>(matrix.getType()).getRank(); ++i)
      all[0].push_back(i);
    return memref::CollapseShapeOp::create(b, loc, matrix, all);
  };
  // Named maps, not structured bindings: lambdas below capture them.
  AffineMap aRowPart, aKPart, bColPart, bKPart;
  std::tie(aRowPart, aKPart) = flatOffsetParts(op, shape.a, shape.mDims);
  std::tie(bColPart, bKPart) = flatOffsetParts(op, shape.b, shape.nDims);
  Value aFlat = flatView(shape.a), bFlat = flatView(shape.b);
  Value out = op.getDpsInits()[0];
  AffineMap outMap = op.getMatchingIndexingMap(op.getDpsInitOperand(0));

  // B as [k][pitch] in workgroup memory (a stack buffer on the CPU).
  auto stagedType = [&](Attribute space) {
    return MemRefType::get({k, pitchOf(n)}, f32, MemRefLayoutAttrInterface(),
                           space);
  };
  Value staged;
  if (func)
    staged =
        func.addWorkgroupAttribution(stagedType(gpu::AddressSpaceAttr::get(
                                         ctx, gpu::AddressSpace::Workgroup)),
                                     loc);
  else
    staged = memref::AllocaOp::create(b, loc, stagedType({}));

  // Thread `tid`'s share of staging B: elements tid, tid + 256, ... of its
  // k x n, consecutive threads along B's contiguous dim (coalesced).
  auto stage = [&](Value tid) {
    int64_t elements = k * n;
    int64_t perThread = llvm::divideCeil(elements, kRowProductBlock);
    for (int64_t e = 0; e < perThread; ++e) {
      Value idx = im.add(tid, im.c(e * kRowProductBlock));
      OpBuilder::InsertionGuard guard(b);
      if ((e + 1) * kRowProductBlock > elements) {
        auto inside =
            scf::IfOp::create(b, loc, im.less(idx, im.c(elements)), false);
        b.setInsertionPointToStart(inside.thenBlock());
      }
      Value kk = shape.bKFast ? im.rem(idx, k) : im.div(idx, n);
      Value nn = shape.bKFast ? im.div(idx, k) : im.rem(idx, n);
      SmallVector<Value> ivs(numLoops, indexZero);
      delinearize(nn, shape.nDims, ivs);
      ivs[kDim] = kk;
      Value v = memref::LoadOp::create(
          b, loc, bFlat,
          ValueRange{im.add(apply(bColPart, ivs), apply(bKPart, ivs))});
      memref::StoreOp::create(b, loc, v, staged, ValueRange{kk, nn});
    }
  };

  // Warp `warp` of block `block`: its row (clamped into range), whether
  // the row exists, its ivs and A's offset of the row.
  struct Row {
    Value live, aBase;
    SmallVector<Value> ivs;
  };
  auto rowOf = [&](Value block, Value warp) {
    Value m = im.add(im.mul(block, im.c(kRows)), warp);
    Value live = im.less(m, im.c(shape.m));
    SmallVector<Value> ivs(numLoops, indexZero);
    delinearize(arith::SelectOp::create(b, loc, live, m, indexZero),
                shape.mDims, ivs);
    return Row{live, apply(aRowPart, ivs), ivs};
  };

  // Lane `lane`'s k: lane + 32 j, and whether it is inside K (clamped to
  // 0 past it; only the last j can pass it).
  auto laneK = [&](Value lane, int64_t j) -> std::pair<Value, Value> {
    Value kk = im.add(lane, im.c(j * kWarp));
    if ((j + 1) * kWarp <= k)
      return {kk, Value()};
    Value inside = im.less(kk, im.c(k));
    return {arith::SelectOp::create(b, loc, inside, kk, indexZero), inside};
  };
  // The lane's elements j of A's row in [first, first + kLoadGroup).
  auto loadGroup = [&](const Row &row, Value lane, int64_t first) {
    SmallVector<Value> values;
    for (int64_t j = first; j < std::min(first + kLoadGroup, perLane); ++j) {
      Value kk = laneK(lane, j).first;
      values.push_back(memref::LoadOp::create(
          b, loc, aFlat, ValueRange{im.add(row.aBase, kk)}));
    }
    return values;
  };
  // The lane's n sums over its k, in k order, A's elements loaded a group
  // ahead of their products (`firstGroup`, when given, loaded already).
  auto laneSums = [&](const Row &row, Value lane,
                      SmallVector<Value> firstGroup) {
    SmallVector<Value> sums(n, zero);
    SmallVector<Value> group =
        firstGroup.empty() ? loadGroup(row, lane, 0) : std::move(firstGroup);
    for (int64_t j = 0; j < perLane; ++j) {
      if (j % kLoadGroup == 0 && j + kLoadGroup < perLane) {
        SmallVector<Value> next = loadGroup(row, lane, j + kLoadGroup);
        group.append(next.begin(), next.end());
      }
      Value a = group[j];
      auto [kk, inside] = laneK(lane, j);
      for (int64_t i = 0; i < n; ++i) {
        Value w =
            memref::LoadOp::create(b, loc, staged, ValueRange{kk, im.c(i)});
        Value sum = arith::AddFOp::create(
            b, loc, sums[i], arith::MulFOp::create(b, loc, a, w, contract),
            contract);
        sums[i] = inside ? arith::SelectOp::create(b, loc, inside, sum, sums[i])
                               .getResult()
                         : sum;
      }
    }
    return sums;
  };

  // Output (row, lane) of a row that exists: the sum added to its start
  // (the prologue's value, else C's), stored through the epilogue.
  auto storeOutput = [&](const Row &row, Value lane, Value sum) {
    SmallVector<Value> ivs = row.ivs;
    delinearize(lane, shape.nDims, ivs);
    SmallVector<Value> idx;
    for (AffineExpr e : outMap.getResults())
      idx.push_back(ivs[cast<AffineDimExpr>(e).getPosition()]);
    dl::storeSumAt(b, loc, prologue, epilogue, out, sum, idx);
  };

  if (func) {
    Value block = gpu::BlockIdOp::create(b, loc, gpu::Dimension::x);
    Value tid = gpu::ThreadIdOp::create(b, loc, gpu::Dimension::x);
    Value lane = im.rem(tid, kWarp);
    Row row = rowOf(block, im.div(tid, kWarp));
    // A's first group is in flight while B is staged.
    SmallVector<Value> firstGroup = loadGroup(row, lane, 0);
    stage(tid);
    gpu::BarrierOp::create(b, loc);
    SmallVector<Value> sums = laneSums(row, lane, std::move(firstGroup));
    // Every lane ends with the row's n sums; lane j stores output j.
    Value mine;
    for (int64_t i = 0; i < n; ++i) {
      Value total = dl::sumAcrossLanes(b, loc, sums[i]);
      mine = i == 0 ? total
                    : arith::SelectOp::create(
                          b, loc,
                          arith::CmpIOp::create(
                              b, loc, arith::CmpIPredicate::eq, lane, im.c(i)),
                          total, mine)
                          .getResult();
    }
    auto stores = scf::IfOp::create(
        b, loc, im.both(row.live, im.less(lane, im.c(n))), false);
    b.setInsertionPointToStart(stores.thenBlock());
    storeOutput(row, lane, mine);
    return grid;
  }

  // The sequential CPU form: each lane's sums in a [32][n] stack array,
  // combined as the shuffles combine them (sumAcrossLanes: in round
  // `offset` each lane adds its partner's, lane ^ offset; both get the same
  // sum, since the addition commutes).
  Value lanes =
      memref::AllocaOp::create(b, loc, MemRefType::get({kWarp, n}, f32));
  auto forEach = [&](int64_t count, function_ref<void(Value)> body) {
    im.loop(im.c(0), im.c(count), im.c(1), {}, [&](Value iv, ValueRange) {
      body(iv);
      return SmallVector<Value>{};
    });
  };
  forEach(grid, [&](Value block) {
    forEach(kRowProductBlock, stage);
    forEach(kRows, [&](Value warp) {
      Row row = rowOf(block, warp);
      forEach(kWarp, [&](Value lane) {
        SmallVector<Value> sums = laneSums(row, lane, {});
        for (int64_t i = 0; i < n; ++i)
          memref::StoreOp::create(b, loc, sums[i], lanes,
                                  ValueRange{lane, im.c(i)});
      });
      for (int64_t offset = kWarp / 2; offset > 0; offset /= 2)
        forEach(kWarp, [&](Value lane) {
          Value partner = arith::XOrIOp::create(b, loc, lane, im.c(offset));
          auto first = scf::IfOp::create(b, loc, im.less(lane, partner), false);
          OpBuilder::InsertionGuard guard(b);
          b.setInsertionPointToStart(first.thenBlock());
          for (int64_t i = 0; i < n; ++i) {
            Value mine = memref::LoadOp::create(b, loc, lanes,
                                                ValueRange{lane, im.c(i)});
            Value theirs = memref::LoadOp::create(b, loc, lanes,
                                                  ValueRange{partner, im.c(i)});
            Value sum = arith::AddFOp::create(b, loc, mine, theirs);
            memref::StoreOp::create(b, loc, sum, lanes,
                                    ValueRange{lane, im.c(i)});
            memref::StoreOp::create(b, loc, sum, lanes,
                                    ValueRange{partner, im.c(i)});
          }
        });
      auto live = scf::IfOp::create(b, loc, row.live, false);
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(live.thenBlock());
      forEach(n, [&](Value lane) {
        storeOutput(
            row, lane,
            memref::LoadOp::create(b, loc, lanes, ValueRange{lane, lane}));
      });
    });
  });
  return grid;
}
