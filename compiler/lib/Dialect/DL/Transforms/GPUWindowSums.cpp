//===- GPUWindowSums.cpp - a filter gradient with its window in registers -===//

#include "GPUWindowSums.h"

#include "GPUElementwiseFusion.h"
#include "GPUIndexMath.h"
#include "GPUOrderedSplits.h"
#include "GPUTiledContraction.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

#include "llvm/ADT/DenseMap.h"

#include <functional>

using namespace mlir;
using namespace dlc;

namespace {
constexpr int64_t kWarp = 32;
constexpr int64_t kMaxWindow = 49;     // sums a thread holds
constexpr int64_t kMaxColumn = 64;     // oh a thread walks, unrolled
constexpr int64_t kMaxUnrolled = 2048; // multiply-adds a thread unrolls

/// `e` as (dim, coefficient) terms of a sum of dims times constants, or
/// nothing.
std::optional<SmallVector<std::pair<unsigned, int64_t>>>
linearTerms(AffineExpr e) {
  SmallVector<std::pair<unsigned, int64_t>> terms;
  std::function<bool(AffineExpr, int64_t)> walk = [&](AffineExpr x,
                                                      int64_t scale) {
    if (auto d = dyn_cast<AffineDimExpr>(x)) {
      terms.push_back({d.getPosition(), scale});
      return true;
    }
    auto bin = dyn_cast<AffineBinaryOpExpr>(x);
    if (!bin)
      return false;
    if (bin.getKind() == AffineExprKind::Add)
      return walk(bin.getLHS(), scale) && walk(bin.getRHS(), scale);
    if (bin.getKind() != AffineExprKind::Mul)
      return false;
    if (auto c = dyn_cast<AffineConstantExpr>(bin.getRHS()))
      return walk(bin.getLHS(), scale * c.getValue());
    if (auto c = dyn_cast<AffineConstantExpr>(bin.getLHS()))
      return walk(bin.getRHS(), scale * c.getValue());
    return false;
  };
  if (!walk(e, 1))
    return std::nullopt;
  return terms;
}

std::optional<unsigned> plainDim(AffineExpr e) {
  if (auto d = dyn_cast<AffineDimExpr>(e))
    return d.getPosition();
  return std::nullopt;
}

/// Whether `e` is `window + coefficient * out` for the dims given, with
/// `window`'s coefficient 1; sets `stride`.
bool isWindowIndex(AffineExpr e, unsigned window, unsigned out,
                   int64_t &stride) {
  auto terms = linearTerms(e);
  if (!terms || terms->size() != 2)
    return false;
  auto [d0, c0] = (*terms)[0];
  auto [d1, c1] = (*terms)[1];
  if (d0 == window && c0 == 1 && d1 == out && c1 >= 1)
    stride = c1;
  else if (d1 == window && c1 == 1 && d0 == out && c0 >= 1)
    stride = c0;
  else
    return false;
  return true;
}

} // namespace

std::optional<dl::WindowSumShape> dl::matchWindowSum(linalg::GenericOp op) {
  if (!isProductSum(op) || op.getNumLoops() != 7 ||
      op.getNumReductionLoops() != 3)
    return std::nullopt;
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  if (llvm::any_of(ranges, ShapedType::isDynamic))
    return std::nullopt;
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  auto isReduction = [&](unsigned d) {
    return iterators[d] == utils::IteratorType::reduction;
  };
  // The output: dw[f, c, kh, kw], plain parallel dims.
  AffineMap out = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
  if (out.getNumResults() != 4)
    return std::nullopt;
  SmallVector<unsigned> outDims;
  for (AffineExpr e : out.getResults()) {
    std::optional<unsigned> d = plainDim(e);
    if (!d || isReduction(*d))
      return std::nullopt;
    outDims.push_back(*d);
  }
  WindowSumShape s;
  s.f = outDims[0];
  s.c = outDims[1];
  s.kh = outDims[2];
  s.kw = outDims[3];
  for (unsigned dyOperand : {0u, 1u}) {
    AffineMap dy = op.getMatchingIndexingMap(op.getDpsInputOperand(dyOperand));
    AffineMap x =
        op.getMatchingIndexingMap(op.getDpsInputOperand(1 - dyOperand));
    if (dy.getNumResults() != 4 || x.getNumResults() != 4)
      continue;
    // dy[n, f, oh, ow].
    SmallVector<unsigned> dyDims;
    for (AffineExpr e : dy.getResults())
      if (std::optional<unsigned> d = plainDim(e))
        dyDims.push_back(*d);
    if (dyDims.size() != 4 || dyDims[1] != s.f || !isReduction(dyDims[0]) ||
        !isReduction(dyDims[2]) || !isReduction(dyDims[3]) ||
        dyDims[0] == dyDims[2] || dyDims[0] == dyDims[3] ||
        dyDims[2] == dyDims[3])
      continue;
    s.n = dyDims[0];
    s.oh = dyDims[2];
    s.ow = dyDims[3];
    // x[n, c, oh * sh + kh, ow * sw + kw].
    if (plainDim(x.getResult(0)) != s.n || plainDim(x.getResult(1)) != s.c ||
        !isWindowIndex(x.getResult(2), s.kh, s.oh, s.strideH) ||
        !isWindowIndex(x.getResult(3), s.kw, s.ow, s.strideW))
      continue;
    s.dy = dyOperand;
    s.x = 1 - dyOperand;
    s.filters = ranges[s.f];
    s.channels = ranges[s.c];
    s.kernelH = ranges[s.kh];
    s.kernelW = ranges[s.kw];
    s.images = ranges[s.n];
    s.outH = ranges[s.oh];
    s.outW = ranges[s.ow];
    int64_t window = s.kernelH * s.kernelW;
    if (llvm::any_of(ranges, [](int64_t r) { return r <= 0; }) ||
        window > kMaxWindow || s.outH > kMaxColumn ||
        window * s.outH > kMaxUnrolled)
      return std::nullopt;
    return s;
  }
  return std::nullopt;
}

int64_t dl::emitWindowSum(gpu::GPUFuncOp func, linalg::GenericOp op,
                          const WindowSumShape &s, linalg::GenericOp prologue,
                          linalg::GenericOp epilogue,
                          linalg::GenericOp padding) {
  MLIRContext *ctx = op.getContext();
  Location loc = op.getLoc();
  OpBuilder b(op);
  Type f32 = b.getF32Type();
  dl::IndexMath im(b, loc);
  auto forLoop = [&](int64_t lb, int64_t ub, ValueRange iterArgs,
                     function_ref<SmallVector<Value>(Value, ValueRange)> body) {
    return im.loop(im.c(lb), im.c(ub), im.c(1), iterArgs, body);
  };

  int64_t rows = s.images * s.outW; // thread items (n, ow)
  int64_t blocksPerGroup = llvm::divideCeil(rows, kWindowSumBlock);
  int64_t groups = s.filters * s.channels;
  int64_t grid = groups * blocksPerGroup;
  int64_t window = s.kernelH * s.kernelW;
  static_assert(kMaxWindow <= kWindowSumBlock && kWindowSumBlock % kWarp == 0,
                "a block's first threads own the window's sums");
  Value dy = op.getDpsInputs()[s.dy], x = op.getDpsInputs()[s.x];
  Value out = op.getDpsInits()[0];
  std::optional<Padding> pad;
  int64_t sourceHeight = 0, sourceWidth = 0;
  if (padding) {
    pad = paddingOf(padding);
    assert(pad && "a padding the window sums read through");
    auto sourceType = cast<MemRefType>(pad->source.getType());
    sourceHeight = sourceType.getDimSize(2);
    sourceWidth = sourceType.getDimSize(3);
  }
  AffineMap outMap = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
  SplitWorkspace workspace =
      getSplitWorkspace(b, loc, op, func, grid * window, groups);
  Value zero = arith::ConstantOp::create(b, loc, f32, b.getF32FloatAttr(0));
  auto contract =
      arith::FastMathFlagsAttr::get(ctx, arith::FastMathFlags::contract);

  // Block `block` sums items part * 256 + t (flattened n, ow) of group
  // (f, c) = block / blocksPerGroup.
  Value f, ch, group;
  auto groupOf = [&](Value block) {
    group = im.div(block, blocksPerGroup);
    f = im.div(group, s.channels);
    ch = im.rem(group, s.channels);
  };
  // Thread `tid`'s window sums down its column ow of image n, every x
  // loaded once. Neighbouring threads take neighbouring columns, so a
  // warp's loads of a dy or x row are contiguous.
  auto threadSums = [&](Value block, Value tid) {
    Value item = im.add(
        im.mul(im.rem(block, blocksPerGroup), im.c(kWindowSumBlock)), tid);
    Value active = im.less(item, im.c(rows));
    // Past the end, a thread reads item 0 (in bounds) and keeps no sums.
    Value clamped = arith::SelectOp::create(b, loc, active, item, im.c(0));
    Value n = im.div(clamped, s.outW), ow = im.rem(clamped, s.outW);
    SmallVector<Value> sums(window, zero);
    DenseMap<std::pair<int64_t, int64_t>, Value> xs; // (x row, kw)
    SmallVector<Value> xColumns;
    for (int64_t kw = 0; kw < s.kernelW; ++kw)
      xColumns.push_back(im.add(im.mul(ow, im.c(s.strideW)), im.c(kw)));
    // x at (row, column kw): a load, or with `padding` the padding source's
    // element inside its window (rows decided here, columns by a select)
    // and the fill value outside.
    std::function<Value(int64_t, int64_t)> xAt = [&](int64_t xRow,
                                                     int64_t kw) -> Value {
      return memref::LoadOp::create(
          b, loc, x, ValueRange{n, ch, im.c(xRow), xColumns[kw]});
    };
    SmallVector<Value> columnInside, sourceColumns;
    if (pad) {
      for (Value column : xColumns) {
        // Unsigned: left of the window, column - offset wraps past the end.
        Value shifted =
            arith::SubIOp::create(b, loc, column, im.c(pad->offsets[3]));
        columnInside.push_back(im.less(shifted, im.c(sourceWidth)));
        sourceColumns.push_back(arith::SelectOp::create(
            b, loc, columnInside.back(), shifted, im.c(0)));
      }
      xAt = [&](int64_t xRow, int64_t kw) -> Value {
        int64_t row = xRow - pad->offsets[2];
        if (row < 0 || row >= sourceHeight)
          return pad->fill;
        Value v = memref::LoadOp::create(
            b, loc, pad->source,
            ValueRange{n, ch, im.c(row), sourceColumns[kw]});
        return arith::SelectOp::create(b, loc, columnInside[kw], v, pad->fill);
      };
    }
    for (int64_t oh = 0; oh < s.outH; ++oh) {
      Value d =
          memref::LoadOp::create(b, loc, dy, ValueRange{n, f, im.c(oh), ow});
      for (int64_t kh = 0; kh < s.kernelH; ++kh)
        for (int64_t kw = 0; kw < s.kernelW; ++kw) {
          int64_t xRow = oh * s.strideH + kh;
          Value &v = xs[{xRow, kw}];
          if (!v)
            v = xAt(xRow, kw);
          Value &sum = sums[kh * s.kernelW + kw];
          sum = arith::AddFOp::create(
              b, loc, sum, arith::MulFOp::create(b, loc, d, v, contract),
              contract);
        }
    }
    for (Value &sum : sums)
      sum = arith::SelectOp::create(b, loc, active, sum, zero);
    return sums;
  };
  auto partialAt = [&](Value block, Value a) {
    return im.add(im.mul(block, im.c(window)), a);
  };
  // Window position `a`'s result from its blocks' partial sums, in order.
  auto finishOutput = [&](Value a) {
    auto parts = forLoop(
        0, blocksPerGroup, ValueRange{zero}, [&](Value j, ValueRange carried) {
          Value block = im.add(im.mul(group, im.c(blocksPerGroup)), j);
          return SmallVector<Value>{arith::AddFOp::create(
              b, loc, carried[0],
              memref::LoadOp::create(b, loc, workspace.partials,
                                     ValueRange{partialAt(block, a)}))};
        });
    SmallVector<Value> ivs(7, im.c(0));
    ivs[s.f] = f;
    ivs[s.c] = ch;
    ivs[s.kh] = im.div(a, s.kernelW);
    ivs[s.kw] = im.rem(a, s.kernelW);
    SmallVector<Value> idx;
    for (AffineExpr e : outMap.getResults())
      idx.push_back(ivs[cast<AffineDimExpr>(e).getPosition()]);
    storeSumAt(b, loc, prologue, epilogue, out, parts.getResult(0), idx);
  };

  if (func) {
    Value block = gpu::BlockIdOp::create(b, loc, gpu::Dimension::x);
    Value tid = gpu::ThreadIdOp::create(b, loc, gpu::Dimension::x);
    groupOf(block);
    SmallVector<Value> sums = threadSums(block, tid);
    // The block's sums: each warp's by shuffles, then the warps' in
    // workgroup memory, added in warp order.
    int64_t warps = kWindowSumBlock / kWarp;
    Value shared = func.addWorkgroupAttribution(
        MemRefType::get(
            {warps, window}, f32, MemRefLayoutAttrInterface(),
            gpu::AddressSpaceAttr::get(ctx, gpu::AddressSpace::Workgroup)),
        loc);
    func.setWorkgroupAttributionAttr(func.getNumWorkgroupAttributions() - 1,
                                     LLVM::LLVMDialect::getAlignAttrName(),
                                     b.getI64IntegerAttr(16));
    for (Value &sum : sums)
      sum = sumAcrossLanes(b, loc, sum);
    Value warp = im.div(tid, kWarp);
    auto ifLaneZero = scf::IfOp::create(
        b, loc,
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq,
                              im.rem(tid, kWarp), im.c(0)),
        false);
    {
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(ifLaneZero.thenBlock());
      for (int64_t a = 0; a < window; ++a)
        memref::StoreOp::create(b, loc, sums[a], shared,
                                ValueRange{warp, im.c(a)});
    }
    gpu::BarrierOp::create(b, loc);
    Value owner = im.less(tid, im.c(window));
    auto ifOwner = scf::IfOp::create(b, loc, owner, false);
    {
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(ifOwner.thenBlock());
      Value total = zero;
      for (int64_t w = 0; w < warps; ++w)
        total = arith::AddFOp::create(
            b, loc, total,
            memref::LoadOp::create(b, loc, shared, ValueRange{im.c(w), tid}));
      memref::StoreOp::create(b, loc, total, workspace.partials,
                              ValueRange{partialAt(block, tid)});
    }
    inLastBlock(b, loc, func, tid, workspace, group, blocksPerGroup, [&] {
      auto ifFinal = scf::IfOp::create(b, loc, owner, false);
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(ifFinal.thenBlock());
      finishOutput(tid);
    });
    return grid;
  }

  // The sequential CPU form: each thread's sums in a stack array, added in
  // thread order as the block's.
  Value threadBuffer = memref::AllocaOp::create(
      b, loc, MemRefType::get({kWindowSumBlock, window}, f32));
  // Blocks in reverse, so that the last of a group is its first block.
  forLoop(0, grid, {}, [&](Value iv, ValueRange) {
    Value block = arith::SubIOp::create(b, loc, im.c(grid - 1), iv);
    groupOf(block);
    forLoop(0, kWindowSumBlock, {}, [&](Value tid, ValueRange) {
      SmallVector<Value> sums = threadSums(block, tid);
      for (int64_t a = 0; a < window; ++a)
        memref::StoreOp::create(b, loc, sums[a], threadBuffer,
                                ValueRange{tid, im.c(a)});
      return SmallVector<Value>{};
    });
    forLoop(0, window, {}, [&](Value a, ValueRange) {
      auto total = forLoop(0, kWindowSumBlock, ValueRange{zero},
                           [&](Value tid, ValueRange carried) {
                             return SmallVector<Value>{arith::AddFOp::create(
                                 b, loc, carried[0],
                                 memref::LoadOp::create(b, loc, threadBuffer,
                                                        ValueRange{tid, a}))};
                           });
      memref::StoreOp::create(b, loc, total.getResult(0), workspace.partials,
                              ValueRange{partialAt(block, a)});
      return SmallVector<Value>{};
    });
    inLastBlock(b, loc, nullptr, Value(), workspace, group, blocksPerGroup,
                [&] {
                  forLoop(0, window, {}, [&](Value a, ValueRange) {
                    finishOutput(a);
                    return SmallVector<Value>{};
                  });
                });
    return SmallVector<Value>{};
  });
  return grid;
}
