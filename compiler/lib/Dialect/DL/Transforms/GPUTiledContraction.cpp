//===- GPUTiledContraction.cpp - C += A * B as a tiled GPU product --------===//

#include "GPUTiledContraction.h"

#include "GPUElementwiseFusion.h"
#include "GPUIndexMath.h"
#include "GPUOrderedSplits.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlowOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

#include <algorithm>
#include <array>

using namespace mlir;
using namespace dlc;

namespace {
/// K staged per step: 32 where the tiles fit in kMaxStepTileBytes and K
/// pads by at most 3% more than with 16, else 16. Fewer, longer steps keep more
/// loads in flight per barrier: the MLP's epoch went from 10.93 to 10.48
/// ms on an H200 (same grids).
constexpr int64_t kLongStep = 32, kShortStep = 16;
constexpr int64_t kMaxStepTileBytes = 40 * 1024;
constexpr int64_t kPerThread = 4;  // C rows (and columns) per thread
constexpr int64_t kPad = 4;        // workgroup-memory row padding (banks)
constexpr int64_t kMaxSplits = 128; // blocks sharing one tile's k range
/// Least k a split block takes, and most partial sums a split product
/// makes. Chosen from epochs timed on an H200 with atomic splits and
/// 16-k steps (training ms per epoch, MLP / LeNet): one step a block and
/// no cap 21.4 / 57.7, 4 steps 15.2 / 57.2, 2 steps with 2^18 atomics
/// 14.2 / 55.8, with 2^19 13.8 / 55.4. With ordered splits and concurrent
/// launches, 2^21 partial sums changed nothing measurable (10.93 / 40.99
/// against 10.74 / 40.88) and 2^17 lost (15.2 / 49.5). With 32-k steps, a
/// least chunk of 64 or 128 k lost too (10.80 and 13.03 / 37.84 and 38.65
/// against 10.13 / 36.05).
constexpr int64_t kMinChunk = 32;
constexpr int64_t kMaxAtomics = int64_t(1) << 19;
constexpr int64_t kBusyBlocks = 264; // two blocks per H100 multiprocessor
/// Tiles that keep the GPU busy enough without splitting K, when an
/// elementwise op or an init folds into the stores. Measured on an H200
/// with atomic splits, where a split kept them from folding: LeNet's
/// second convolution, 100 tiles, with its bias and relu 15 us against
/// 22 us in three launches; needing more tiles since it saves only a fill,
/// an init (its input gradient, 98 tiles, was 36 us against 33 us split in
/// two with a fill). Ordered splits fold them either way; the rule stands
/// until timed.
constexpr int64_t kFuseTiles = 96;
constexpr int64_t kFuseInitTiles = 132;
/// Static workgroup memory a block may have (tiles and k-offset tables).
constexpr int64_t kMaxWorkgroupBytes = 48 * 1024;
/// Least share of the multiply-adds a tiling may spend on real elements
/// (the rest pads partial tiles); below it the generic mapping is faster,
/// unless the padded product is small: then launches cost more than the
/// padding, and with ordered splits a tiled product is one launch where a
/// generic reduction split over a grid is three (init, sums, epilogue).
/// LeNet's last weight gradient (84 x 10 outputs over 256 images: 20% of a
/// 128 x 32 tile) is one.
constexpr double kMinUseful = 0.25;
constexpr int64_t kSmallProduct = int64_t(1) << 22; // padded multiply-adds

/// Tile shapes of 256 threads x 4x4 outputs, square first.
constexpr std::pair<int64_t, int64_t> kTiles[] = {
    {64, 64}, {128, 32}, {32, 128}, {256, 16}, {16, 256}, {512, 8}, {8, 512}};

int64_t ceilDiv(int64_t x, int64_t y) { return (x + y - 1) / y; }

int64_t productOf(ArrayRef<unsigned> dims, ArrayRef<int64_t> ranges) {
  int64_t p = 1;
  for (unsigned d : dims)
    p *= ranges[d];
  return p;
}

/// Whether `e` is a sum of dims and constants times constants: then its
/// value splits into the parts of any partition of the dims.
bool isLinear(AffineExpr e) {
  bool linear = true;
  e.walk([&](AffineExpr sub) {
    if (auto bin = dyn_cast<AffineBinaryOpExpr>(sub))
      linear &= bin.getKind() == AffineExprKind::Add ||
                (bin.getKind() == AffineExprKind::Mul &&
                 (isa<AffineConstantExpr>(bin.getLHS()) ||
                  isa<AffineConstantExpr>(bin.getRHS())));
    else
      linear &= !isa<AffineSymbolExpr>(sub);
  });
  return linear;
}

/// Whether consecutive k (rather than consecutive elements of `group`)
/// walk `map`'s contiguous last index further.
bool kWalksFurther(AffineMap map, ArrayRef<unsigned> group,
                   ArrayRef<unsigned> kDims, ArrayRef<int64_t> ranges) {
  AffineExpr last = map.getResults().back();
  int64_t kRun = last.isFunctionOfDim(kDims.back()) ? ranges[kDims.back()] : 0;
  int64_t gRun = last.isFunctionOfDim(group.back()) ? ranges[group.back()] : 0;
  return kRun >= gRun;
}
} // namespace

bool dl::isProductSum(linalg::GenericOp op) {
  if (op.getNumReductionLoops() == 0 || op.getNumDpsInputs() != 2 ||
      op.getNumDpsInits() != 1)
    return false;
  Block &body = op.getRegion().front();
  auto yield = cast<linalg::YieldOp>(body.getTerminator());
  BlockArgument x = body.getArgument(0), y = body.getArgument(1),
                out = body.getArgument(2);
  auto add = yield.getValues()[0].getDefiningOp<arith::AddFOp>();
  if (!add || !add.getType().isF32() || !out.hasOneUse())
    return false;
  Value product = add.getLhs() == out ? add.getRhs() : add.getLhs();
  auto mul = product.getDefiningOp<arith::MulFOp>();
  return (add.getLhs() == out || add.getRhs() == out) && mul &&
         ((mul.getLhs() == x && mul.getRhs() == y) ||
          (mul.getLhs() == y && mul.getRhs() == x)) &&
         body.getOperations().size() == 3;
}

std::optional<dl::ContractionShape>
dl::matchProductDims(linalg::GenericOp op) {
  if (!isProductSum(op))
    return std::nullopt;

  ContractionShape shape;
  shape.ranges = op.getStaticLoopRanges();
  if (llvm::any_of(shape.ranges, ShapedType::isDynamic))
    return std::nullopt;
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  OpOperand *init = op.getDpsInitOperand(0);
  AffineMap outMap = op.getMatchingIndexingMap(init);
  // The output: every parallel dim once, plainly.
  llvm::SmallDenseSet<unsigned> outDims;
  for (AffineExpr e : outMap.getResults()) {
    auto dim = dyn_cast<AffineDimExpr>(e);
    if (!dim || iterators[dim.getPosition()] != utils::IteratorType::parallel ||
        !outDims.insert(dim.getPosition()).second)
      return std::nullopt;
  }
  if (outDims.size() != op.getNumParallelLoops() || outMap.getNumResults() == 0)
    return std::nullopt;
  for (OpOperand *input : op.getDpsInputOperands()) {
    auto type = dyn_cast<MemRefType>(input->get().getType());
    if (!type || !type.hasStaticShape() || !type.getLayout().isIdentity() ||
        input->get() == init->get() ||
        !llvm::all_of(op.getMatchingIndexingMap(input).getResults(), isLinear))
      return std::nullopt;
  }

  // Each parallel dim belongs to the one input that reads it.
  AffineMap maps[2] = {op.getMatchingIndexingMap(op.getDpsInputOperand(0)),
                       op.getMatchingIndexingMap(op.getDpsInputOperand(1))};
  SmallVector<unsigned> groups[2];
  for (auto [d, type] : llvm::enumerate(iterators)) {
    if (type == utils::IteratorType::reduction) {
      shape.kDims.push_back(d);
      continue;
    }
    bool first = maps[0].isFunctionOfDim(d),
         second = maps[1].isFunctionOfDim(d);
    if (first == second)
      return std::nullopt;
    groups[first ? 0 : 1].push_back(d);
  }
  if (groups[0].empty() || groups[1].empty())
    return std::nullopt;
  // N holds the output's contiguous dim, so a row of threads stores along it.
  unsigned lastOut =
      cast<AffineDimExpr>(outMap.getResults().back()).getPosition();
  shape.b = llvm::is_contained(groups[0], lastOut) ? 0 : 1;
  shape.a = 1 - shape.b;
  shape.mDims = groups[shape.a];
  shape.nDims = groups[shape.b];
  shape.m = productOf(shape.mDims, shape.ranges);
  shape.n = productOf(shape.nDims, shape.ranges);
  shape.k = productOf(shape.kDims, shape.ranges);
  shape.aKFast =
      kWalksFurther(maps[shape.a], shape.mDims, shape.kDims, shape.ranges);
  shape.bKFast =
      kWalksFurther(maps[shape.b], shape.nDims, shape.kDims, shape.ranges);

  return shape;
}

std::optional<dl::ContractionShape>
dl::matchContraction(linalg::GenericOp op) {
  std::optional<ContractionShape> dims = matchProductDims(op);
  if (!dims)
    return std::nullopt;
  ContractionShape shape = *dims;

  // The squarest tile (fewest staged elements per multiply-add) among
  // those that pad within 10% of the least.
  auto areaOf = [&](int64_t tm, int64_t tn) {
    return ceilDiv(shape.m, tm) * tm * ceilDiv(shape.n, tn) * tn;
  };
  int64_t leastArea = 0;
  for (auto [tm, tn] : kTiles)
    if (leastArea == 0 || areaOf(tm, tn) < leastArea)
      leastArea = areaOf(tm, tn);
  int64_t bestArea = 0;
  for (auto [tm, tn] : kTiles) {
    if (areaOf(tm, tn) * 10 > leastArea * 11 ||
        (bestArea && tm + tn >= shape.tileM + shape.tileN))
      continue;
    bestArea = areaOf(tm, tn);
    shape.tileM = tm;
    shape.tileN = tn;
  }
  auto padded = [&](int64_t step) { return ceilDiv(shape.k, step) * step; };
  shape.kStep = kShortStep;
  if (kLongStep * (shape.tileM + shape.tileN + 2 * kPad) * 4 <=
          kMaxStepTileBytes &&
      padded(kLongStep) * 100 <= padded(kShortStep) * 103)
    shape.kStep = kLongStep;
  int64_t paddedK = padded(shape.kStep);
  double useful = double(shape.m * shape.n) / double(bestArea) *
                  double(shape.k) / double(paddedK);
  if (useful < kMinUseful && bestArea * paddedK > kSmallProduct)
    return std::nullopt;
  return shape;
}

int64_t dl::tiledSplits(const ContractionShape &shape, bool fuseInit,
                        bool fuseEpilogue) {
  int64_t tiles = ceilDiv(shape.m, shape.tileM) * ceilDiv(shape.n, shape.tileN);
  int64_t kStep = shape.kStep;
  int64_t steps = ceilDiv(shape.k, kStep);
  if ((fuseEpilogue && tiles >= kFuseTiles) ||
      (fuseInit && tiles >= kFuseInitTiles))
    return 1;
  // Atomic adds cost more than ncu's times of a kernel alone show: cap
  // them (or the partial sums of ordered splits) at kMaxAtomics per
  // product, at least two splits.
  int64_t maxSplits = std::min<int64_t>(
      kMaxSplits, std::max<int64_t>(2, kMaxAtomics / (shape.m * shape.n)));
  int64_t splits = std::clamp<int64_t>(
      kBusyBlocks / tiles, 1,
      std::min(maxSplits,
               std::max<int64_t>(steps / ceilDiv(kMinChunk, kStep), 1)));
  int64_t chunk = ceilDiv(steps, splits) * kStep;
  return ceilDiv(shape.k, chunk);
}

std::pair<AffineMap, AffineMap>
dl::flatOffsetParts(linalg::GenericOp op, unsigned input,
                    ArrayRef<unsigned> group) {
  MLIRContext *ctx = op.getContext();
  auto type = cast<MemRefType>(op.getDpsInputs()[input].getType());
  AffineMap map = op.getMatchingIndexingMap(op.getDpsInputOperand(input));
  int64_t numLoops = op.getNumLoops();
  AffineExpr flat = getAffineConstantExpr(0, ctx);
  int64_t stride = 1;
  for (int64_t i = type.getRank(); i-- > 0;) {
    flat = flat + map.getResult(i) * stride;
    stride *= type.getDimSize(i);
  }
  SmallVector<AffineExpr> onlyGroup, onlyRest, none;
  for (int64_t d = 0; d < numLoops; ++d) {
    AffineExpr dim = getAffineDimExpr(d, ctx),
               zeroExpr = getAffineConstantExpr(0, ctx);
    bool inGroup = llvm::is_contained(group, d);
    onlyGroup.push_back(inGroup ? dim : zeroExpr);
    onlyRest.push_back(inGroup ? zeroExpr : dim);
    none.push_back(zeroExpr);
  }
  AffineExpr constant = flat.replaceDims(none);
  return {AffineMap::get(numLoops, 0, flat.replaceDims(onlyGroup)),
          AffineMap::get(numLoops, 0, flat.replaceDims(onlyRest) - constant)};
}

int64_t dl::emitTiledContraction(gpu::GPUFuncOp func, linalg::GenericOp op,
                                 const ContractionShape &shape,
                                 int64_t splits, bool orderedSplits,
                                 linalg::GenericOp prologue,
                                 linalg::GenericOp epilogue,
                                 bool vectorStores) {
  MLIRContext *ctx = op.getContext();
  Location loc = op.getLoc();
  OpBuilder b(op);
  Type f32 = b.getF32Type();
  dl::IndexMath im(b, loc);
  auto delinearize = [&](Value linear, ArrayRef<unsigned> dims,
                         SmallVector<Value> &ivs) {
    im.delinearize(linear, dims, shape.ranges, ivs);
  };
  int64_t tm = shape.tileM, tn = shape.tileN;
  int64_t threadsN = tn / kPerThread;
  int64_t kStep = shape.kStep;

  int64_t tilesM = ceilDiv(shape.m, tm);
  int64_t tilesN = ceilDiv(shape.n, tn);
  int64_t tiles = tilesM * tilesN;
  int64_t steps = ceilDiv(shape.k, kStep);
  int64_t chunk = ceilDiv(steps, splits) * kStep; // k per block
  assert(ceilDiv(shape.k, chunk) == splits && "splits from tiledSplits");
  int64_t grid = tiles * splits;
  bool ordered = splits > 1 && orderedSplits;
  bool atomic = splits > 1 && !orderedSplits;
  assert((!atomic || (!prologue && !epilogue)) &&
         "atomic splits fold in neither init nor epilogue");

  // On the GPU, workgroup buffers aligned for 16-byte accesses (which LLVM
  // forms from neighbouring loads); in the sequential CPU form, stack ones.
  auto workgroupBuffer = [&](ArrayRef<int64_t> shape, Type type) -> Value {
    if (!func)
      return memref::AllocaOp::create(b, loc, MemRefType::get(shape, type),
                                      ValueRange{}, b.getI64IntegerAttr(16));
    auto workgroup =
        gpu::AddressSpaceAttr::get(ctx, gpu::AddressSpace::Workgroup);
    Value buffer = func.addWorkgroupAttribution(
        MemRefType::get(shape, type, MemRefLayoutAttrInterface(), workgroup),
        loc);
    func.setWorkgroupAttributionAttr(func.getNumWorkgroupAttributions() - 1,
                                     LLVM::LLVMDialect::getAlignAttrName(),
                                     b.getI64IntegerAttr(16));
    return buffer;
  };
  Value aTile = workgroupBuffer({kStep, tm + kPad}, f32);
  Value bTile = workgroupBuffer({kStep, tn + kPad}, f32);
  // Tables of the k part, one entry per k of the block's chunk plus two
  // steps (zeros past the end): the last step's k and the loads ahead of it
  // need no clamp (elements past a partial tile's end, whose k may run a
  // step further, are clamped), when they fit beside the tiles. Per chunk,
  // not per product: a split product's blocks each fill only their range.
  // Each buffer starts 16-byte aligned; an ordered split adds the last
  // block's flag.
  auto aligned = [](int64_t bytes) { return (bytes + 15) / 16 * 16; };
  int64_t tableSize = std::min(chunk, shape.k) + 2 * kStep;
  int64_t tileBytes = kStep * (tm + kPad + tn + kPad) * 4;
  int64_t tableBytes = 2 * aligned(tableSize * 4);
  int64_t flagBytes = ordered ? dl::kLastBlockFlagBytes : 0;
  bool tabled = shape.kDims.size() > 1 &&
                tileBytes + tableBytes + flagBytes <= kMaxWorkgroupBytes;
  Value tables[2];
  if (tabled)
    for (Value &table : tables)
      table = workgroupBuffer({tableSize}, b.getI32Type());
  int64_t numAccs = kPerThread * kPerThread;
  // Ordered splits: the partial tiles, and a counter per tile.
  dl::SplitWorkspace workspace;
  if (ordered)
    workspace = dl::getSplitWorkspace(
        b, loc, op, func, grid * numAccs * kTiledContractionBlock, tiles);
  Value partials = workspace.partials;
  Value out = op.getDpsInits()[0];
  AffineMap outMap = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
  int64_t numLoops = shape.ranges.size();

  // What a block and a thread work on. On the GPU, the block and thread
  // ids; in the sequential form, loops over them.
  Value zero, indexZero, split, tile, m0, n0, kBegin, kEnd;
  auto blockGeometry = [&](Value block) {
    split = im.rem(block, splits);
    tile = im.div(block, splits);
    m0 = im.mul(im.div(tile, tilesN), im.c(tm));
    n0 = im.mul(im.rem(tile, tilesN), im.c(tn));
  };
  auto kRange = [&]() {
    kBegin = im.mul(split, im.c(chunk));
    kEnd = arith::MinUIOp::create(b, loc, im.add(kBegin, im.c(chunk)),
                                  im.c(shape.k));
  };
  auto threadCoords = [&](Value tid) {
    Value ty =
        im.div(tid, threadsN); // before tx: argument order is unspecified
    return std::make_pair(ty, im.rem(tid, threadsN));
  };

  /// One input's staging: the elements idx = tid + e * 256 of the
  /// [kStep][extent] tile each thread loads, as (k offset, the element's
  /// flat offset apart from k, whether it is inside the operand at all).
  /// Each input is read through a flat view at offset L(ivs) = G(group
  /// ivs) + Kp(k ivs) (dl::flatOffsetParts): G is fixed per staged slot
  /// (computed once), Kp per k (from a table in workgroup memory when k
  /// spans several dims, whose division would otherwise cost more than the
  /// multiply-adds).
  struct Slot {
    Value kk, xx, groupOffset, inside;
    Value partial; // idx < elements, where not all threads have an element
  };
  struct Staging {
    Value flat, tileMem;
    AffineMap kPart;
    Value table; // kPart of every k, when k spans several dims
    SmallVector<Slot> slots;
  };
  auto apply = [&](AffineMap map, ArrayRef<Value> ivs) -> Value {
    return affine::AffineApplyOp::create(b, loc, map, ivs);
  };
  auto staging = [&](Value tid, unsigned input, Value tileMem, Value table,
                     ArrayRef<unsigned> group, int64_t size, Value base,
                     int64_t extent, bool kFast) {
    Value matrix = op.getDpsInputs()[input];
    auto type = cast<MemRefType>(matrix.getType());
    SmallVector<ReassociationIndices> all(1);
    for (int64_t i = 0; i < type.getRank(); ++i)
      all[0].push_back(i);
    auto [groupPart, kPart] = dl::flatOffsetParts(op, input, group);
    Staging s{memref::CollapseShapeOp::create(b, loc, matrix, all), tileMem,
              kPart, table, {}};
    int64_t elements = kStep * extent;
    for (int64_t e = 0; e < ceilDiv(elements, kTiledContractionBlock); ++e) {
      Value idx = im.add(tid, im.c(e * kTiledContractionBlock));
      Value kk = kFast ? im.rem(idx, kStep) : im.div(idx, extent);
      Value xx = kFast ? im.div(idx, kStep) : im.rem(idx, extent);
      Value gx = im.add(base, xx);
      Value inside = im.less(gx, im.c(size));
      Value partial;
      if ((e + 1) * kTiledContractionBlock > elements) {
        partial = im.less(idx, im.c(elements));
        inside = im.both(inside, partial);
      }
      SmallVector<Value> ivs(numLoops, indexZero);
      delinearize(arith::SelectOp::create(b, loc, inside, gx, indexZero),
                  group, ivs);
      s.slots.push_back({kk, xx, apply(groupPart, ivs), inside, partial});
    }
    return s;
  };
  auto stagingsFor = [&](Value tid) -> std::array<Staging, 2> {
    return {staging(tid, shape.a, aTile, tables[0], shape.mDims, shape.m, m0,
                    tm, shape.aKFast),
            staging(tid, shape.b, bTile, tables[1], shape.nDims, shape.n, n0,
                    tn, shape.bKFast)};
  };

  // One thread's share of filling the tables: entry i is k = kBegin + i.
  auto fillTables = [&](Value tid, ArrayRef<Staging> stagings) {
    Type i32 = b.getI32Type();
    for (const Staging &s : stagings) {
      auto fill = scf::ForOp::create(b, loc, tid, im.c(tableSize),
                                     im.c(kTiledContractionBlock));
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPoint(fill.getBody()->getTerminator());
      Value entryIndex = fill.getInductionVar();
      Value k = im.add(kBegin, entryIndex);
      Value inRange = im.less(k, im.c(shape.k));
      SmallVector<Value> ivs(numLoops, indexZero);
      delinearize(arith::SelectOp::create(b, loc, inRange, k, indexZero),
                  shape.kDims, ivs);
      Value offset = arith::SelectOp::create(b, loc, inRange,
                                             apply(s.kPart, ivs), indexZero);
      memref::StoreOp::create(
          b, loc, arith::IndexCastOp::create(b, loc, i32, offset), s.table,
          ValueRange{entryIndex});
    }
  };

  // The values of a k step's tile elements, zero outside the operand.
  auto load = [&](ArrayRef<Staging> stagings, Value kb) {
    SmallVector<Value> values;
    for (const Staging &s : stagings)
      for (const Slot &slot : s.slots) {
        Value gk = im.add(kb, slot.kk);
        Value inside = im.both(slot.inside, im.less(gk, kEnd));
        Value kOffset;
        if (s.table) {
          Value rel = arith::SubIOp::create(b, loc, gk, kBegin);
          Value at = slot.partial ? arith::SelectOp::create(
                                        b, loc, slot.partial, rel, indexZero)
                                        .getResult()
                                  : rel;
          Value entry = memref::LoadOp::create(b, loc, s.table, ValueRange{at});
          kOffset = arith::IndexCastOp::create(b, loc, b.getIndexType(), entry);
        } else {
          SmallVector<Value> ivs(numLoops, indexZero);
          delinearize(arith::SelectOp::create(b, loc, inside, gk, indexZero),
                      shape.kDims, ivs);
          kOffset = apply(s.kPart, ivs);
        }
        Value v = memref::LoadOp::create(b, loc, s.flat,
                                         ValueRange{im.add(slot.groupOffset,
                                                        kOffset)});
        values.push_back(arith::SelectOp::create(b, loc, inside, v, zero));
      }
    return values;
  };
  auto store = [&](ArrayRef<Staging> stagings, ValueRange values) {
    unsigned i = 0;
    for (const Staging &s : stagings)
      for (const Slot &slot : s.slots) {
        Value v = values[i++];
        if (!slot.partial) {
          memref::StoreOp::create(b, loc, v, s.tileMem,
                                  ValueRange{slot.kk, slot.xx});
          continue;
        }
        auto ifElement = scf::IfOp::create(b, loc, slot.partial, false);
        OpBuilder::InsertionGuard guard(b);
        b.setInsertionPointToStart(ifElement.thenBlock());
        memref::StoreOp::create(b, loc, v, s.tileMem,
                                ValueRange{slot.kk, slot.xx});
      }
  };

  // A step's products from the staged tiles, all kStep steps unrolled: the
  // scheduler can then interleave the workgroup-memory loads of one step
  // with the products of another.
  auto multiply = [&](Value ty, Value tx, SmallVector<Value> accs) {
    auto contract =
        arith::FastMathFlagsAttr::get(ctx, arith::FastMathFlags::contract);
    for (int64_t kk = 0; kk < kStep; ++kk) {
      SmallVector<Value> as, bs;
      for (int64_t r = 0; r < kPerThread; ++r)
        as.push_back(memref::LoadOp::create(
            b, loc, aTile,
            ValueRange{im.c(kk),
                       im.add(im.mul(ty, im.c(kPerThread)), im.c(r))}));
      for (int64_t q = 0; q < kPerThread; ++q)
        bs.push_back(memref::LoadOp::create(
            b, loc, bTile,
            ValueRange{im.c(kk),
                       im.add(im.mul(tx, im.c(kPerThread)), im.c(q))}));
      for (int64_t r = 0; r < kPerThread; ++r)
        for (int64_t q = 0; q < kPerThread; ++q) {
          Value p = arith::MulFOp::create(b, loc, as[r], bs[q], contract);
          accs[r * kPerThread + q] = arith::AddFOp::create(
              b, loc, accs[r * kPerThread + q], p, contract);
        }
    }
    return accs;
  };

  // C's indices of a thread's row and column (as loop ivs of the M and N
  // dims).
  auto outIndex = [&](ArrayRef<Value> rowIvs, ArrayRef<Value> colIvs) {
    SmallVector<Value> idx;
    for (AffineExpr e : outMap.getResults()) {
      unsigned d = cast<AffineDimExpr>(e).getPosition();
      idx.push_back(llvm::is_contained(shape.mDims, d) ? rowIvs[d]
                                                        : colIvs[d]);
    }
    return idx;
  };

  // A kernel argument, or a reshape of one: its base is the plan buffer's.
  auto wholeBuffer = [](Value v) {
    while (isa_and_nonnull<memref::ExpandShapeOp, memref::CollapseShapeOp>(
        v.getDefiningOp()))
      v = v.getDefiningOp()->getOperand(0);
    return isa<BlockArgument>(v);
  };
  // Columns a thread stores as one vector: consecutive elements of C's
  // last dim, N's innermost, whose extent they divide; each thread's
  // columns start at a multiple of 4, so with C a whole buffer (identity
  // layout; plan buffers are 64-byte aligned) the vector is aligned too.
  int64_t width = 1;
  if (vectorStores && !atomic) {
    auto outType = cast<MemRefType>(out.getType());
    unsigned lastOut =
        cast<AffineDimExpr>(outMap.getResults().back()).getPosition();
    int64_t last = shape.ranges[shape.nDims.back()];
    if (outType.hasStaticShape() && outType.getLayout().isIdentity() &&
        lastOut == shape.nDims.back() && wholeBuffer(out) &&
        (!epilogue || wholeBuffer(epilogue.getDpsInits()[0])))
      width = last % 4 == 0 ? 4 : last % 2 == 0 ? 2 : 1;
  }
  // Stores `values` at `idx` and the elements after it as one vector. The
  // sequential CPU form asserts the address is aligned as the GPU needs
  // (a misaligned 2-wide store would not fault on the CPU).
  auto storeVector = [&](ArrayRef<Value> values, Value buffer,
                         ValueRange idx) {
    int64_t bytes = values.size() * 4;
    if (!func) {
      auto type = cast<MemRefType>(buffer.getType());
      Value flat = im.c(0);
      int64_t stride = 1;
      for (int64_t d = type.getRank(); d-- > 0;) {
        flat = im.add(flat, im.mul(idx[d], im.c(stride)));
        stride *= type.getDimSize(d);
      }
      Value address = im.add(
          memref::ExtractAlignedPointerAsIndexOp::create(b, loc, buffer),
          im.mul(flat, im.c(4)));
      cf::AssertOp::create(
          b, loc,
          arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq,
                                im.rem(address, bytes), im.c(0)),
          "misaligned vector store");
    }
    auto type = VectorType::get({int64_t(values.size())}, f32);
    vector::StoreOp::create(
        b, loc, vector::FromElementsOp::create(b, loc, type, values), buffer,
        idx, /*nontemporal=*/false, llvm::Align(bytes));
  };
  // The vector path of finish(): row r's columns q0 .. q0 + width - 1.
  auto finishVector = [&](int64_t r, int64_t q0, ArrayRef<Value> rows,
                          ArrayRef<Value> cols,
                          ArrayRef<SmallVector<Value>> rowIvs,
                          ArrayRef<SmallVector<Value>> colIvs,
                          ValueRange sums) {
    // All columns are inside C or none: the width divides N's extent.
    Value inside = im.both(im.less(rows[r], im.c(shape.m)),
                           im.less(cols[q0], im.c(shape.n)));
    auto ifInside = scf::IfOp::create(b, loc, inside, false);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(ifInside.thenBlock());
    SmallVector<Value> idx = outIndex(rowIvs[r], colIvs[q0]);
    SmallVector<SmallVector<Value>> idxs;
    for (int64_t i = 0; i < width; ++i) {
      idxs.push_back(idx);
      idxs.back().back() = im.add(idx.back(), im.c(i));
    }
    SmallVector<Value> starts;
    if (prologue) {
      for (int64_t i = 0; i < width; ++i)
        starts.push_back(dl::prologueValueAt(b, loc, prologue, idxs[i]));
    } else {
      Value loaded = vector::LoadOp::create(
          b, loc, VectorType::get({width}, f32), out, idx,
          /*nontemporal=*/false, llvm::Align(width * 4));
      for (int64_t i = 0; i < width; ++i)
        starts.push_back(vector::ExtractOp::create(b, loc, loaded, i));
    }
    SmallVector<Value> values, results;
    bool alsoToOut = false;
    for (int64_t i = 0; i < width; ++i) {
      values.push_back(arith::AddFOp::create(
          b, loc, starts[i], sums[r * kPerThread + q0 + i]));
      if (epilogue) {
        dl::EpilogueResult e =
            dl::epilogueResultAt(b, loc, epilogue, out, values[i], idxs[i]);
        results.push_back(e.result);
        alsoToOut = e.alsoToOut;
      }
    }
    if (!epilogue || alsoToOut)
      storeVector(values, out, idx);
    if (epilogue)
      storeVector(results, epilogue.getDpsInits()[0], idx);
  };

  // A thread's sums into C: added atomically (atomic splits), else from the
  // element's start (C's or the prologue's) through the epilogue.
  auto finish = [&](Value ty, Value tx, ValueRange sums) {
    // Each thread's rows and columns, as loop ivs of the M and N dims.
    SmallVector<Value> rows, cols;
    SmallVector<SmallVector<Value>> rowIvs, colIvs;
    for (int64_t r = 0; r < kPerThread; ++r) {
      rows.push_back(im.add(m0, im.add(im.mul(ty, im.c(kPerThread)), im.c(r))));
      rowIvs.emplace_back(shape.ranges.size(), indexZero);
      delinearize(rows.back(), shape.mDims, rowIvs.back());
    }
    for (int64_t q = 0; q < kPerThread; ++q) {
      cols.push_back(im.add(n0, im.add(im.mul(tx, im.c(kPerThread)), im.c(q))));
      colIvs.emplace_back(shape.ranges.size(), indexZero);
      delinearize(cols.back(), shape.nDims, colIvs.back());
    }
    if (width > 1) {
      for (int64_t r = 0; r < kPerThread; ++r)
        for (int64_t q0 = 0; q0 < kPerThread; q0 += width)
          finishVector(r, q0, rows, cols, rowIvs, colIvs, sums);
      return;
    }
    for (int64_t r = 0; r < kPerThread; ++r)
      for (int64_t q = 0; q < kPerThread; ++q) {
        Value inside = im.both(im.less(rows[r], im.c(shape.m)),
                               im.less(cols[q], im.c(shape.n)));
        Value acc = sums[r * kPerThread + q];
        auto ifInside = scf::IfOp::create(b, loc, inside, false);
        OpBuilder::InsertionGuard guard(b);
        b.setInsertionPointToStart(ifInside.thenBlock());
        SmallVector<Value> idx = outIndex(rowIvs[r], colIvs[q]);
        if (!atomic) {
          dl::storeSumAt(b, loc, prologue, epilogue, out, acc, idx);
        } else {
          memref::AtomicRMWOp::create(b, loc, arith::AtomicRMWKind::addf, acc,
                                      out, idx);
        }
      }
  };

  // Ordered splits. Thread t's partial sum a of block `block` is at
  // ((block * 16 + a) * 256 + t): a block's stores are coalesced, and the
  // last block's thread t reads what the tile's threads t stored.
  auto partialAt = [&](Value block, int64_t a, Value tid) {
    return im.add(im.mul(im.add(im.mul(block, im.c(numAccs)), im.c(a)),
                   im.c(kTiledContractionBlock)),
               tid);
  };
  auto storePartials = [&](Value block, Value tid, ValueRange sums) {
    for (int64_t a = 0; a < numAccs; ++a)
      memref::StoreOp::create(b, loc, sums[a], partials,
                              ValueRange{partialAt(block, a, tid)});
  };
  // The tile's partial sums, added in split order.
  auto orderedSums = [&](Value tid) {
    SmallVector<Value> first;
    for (int64_t a = 0; a < numAccs; ++a)
      first.push_back(memref::LoadOp::create(
          b, loc, partials,
          ValueRange{partialAt(im.mul(tile, im.c(splits)), a, tid)}));
    auto loop = im.loop(
        im.c(1), im.c(splits), im.c(1), first,
        [&](Value s, ValueRange carried) {
          Value block = im.add(im.mul(tile, im.c(splits)), s);
          SmallVector<Value> sums;
          for (int64_t a = 0; a < numAccs; ++a)
            sums.push_back(arith::AddFOp::create(
                b, loc, carried[a],
                memref::LoadOp::create(b, loc, partials,
                                       ValueRange{partialAt(block, a, tid)})));
          return sums;
        });
    return SmallVector<Value>(loop.getResults());
  };
  if (func) {
    // A plain matrix product (K one dim, both inputs indexed by loop dims
    // alone) whose grid leaves multiprocessors idle asks ptxas for
    // registers that let two blocks share one (128 at most): then a
    // concurrent launch finds room beside it. Training ms per epoch on an
    // H200: MLP 10.38 -> 10.05, LeNet 37.32 -> 35.86; asked of every
    // product, LeNet's convolutions spilled and its epoch lost 1.5%.
    if (grid <= kBusyBlocks && shape.kDims.size() == 1 &&
        llvm::all_of(op.getDpsInputOperands(), [&](OpOperand *input) {
          return op.getMatchingIndexingMap(input).isProjectedPermutation();
        }))
      func->setAttr(NVVM::NVVMDialect::getMinctasmAttrName(),
                    b.getI32IntegerAttr(2));
    Value block = gpu::BlockIdOp::create(b, loc, gpu::Dimension::x);
    Value tid = gpu::ThreadIdOp::create(b, loc, gpu::Dimension::x);
    blockGeometry(block);
    // Plain values, not a structured binding: the loop body's lambda
    // captures them (C++17).
    std::pair<Value, Value> coords = threadCoords(tid);
    Value ty = coords.first, tx = coords.second;
    kRange();
    zero = arith::ConstantOp::create(b, loc, f32, b.getF32FloatAttr(0));
    indexZero = im.c(0);
    std::array<Staging, 2> stagings = stagingsFor(tid);
    if (tabled) {
      fillTables(tid, stagings);
      gpu::BarrierOp::create(b, loc);
    }
    SmallVector<Value> init(numAccs, zero);
    llvm::append_range(init, load(stagings, kBegin));
    auto steps_ = im.loop(
        kBegin, kEnd, im.c(kStep), init, [&](Value kb, ValueRange carried) {
          store(stagings, carried.drop_front(numAccs));
          gpu::BarrierOp::create(b, loc);
          // The next step's loads fly while this step multiplies.
          SmallVector<Value> next = load(stagings, im.add(kb, im.c(kStep)));
          SmallVector<Value> yields =
              multiply(ty, tx, SmallVector<Value>(carried.take_front(numAccs)));
          // The next step overwrites the tiles everyone reads.
          gpu::BarrierOp::create(b, loc);
          llvm::append_range(yields, next);
          return yields;
        });
    ValueRange sums = steps_.getResults().take_front(numAccs);
    if (!ordered) {
      finish(ty, tx, sums);
      return grid;
    }
    storePartials(block, tid, sums);
    dl::inLastBlock(b, loc, func, tid, workspace, tile, splits,
                    [&] { finish(ty, tx, orderedSums(tid)); });
    return grid;
  }

  // The sequential CPU form: the same index arithmetic, staging and
  // products, with loops over blocks and threads between the points where
  // the GPU has barriers; each thread's sums live in a stack array across
  // them (and each step's tile elements are loaded when staged, not ahead).
  zero = arith::ConstantOp::create(b, loc, f32, b.getF32FloatAttr(0));
  indexZero = im.c(0);
  Value sumsBuffer = memref::AllocaOp::create(
      b, loc, MemRefType::get({kTiledContractionBlock, numAccs}, f32));
  auto forEach = [&](Value lb, Value ub, Value step,
                     function_ref<void(Value)> body) {
    im.loop(lb, ub, step, {}, [&](Value iv, ValueRange) {
      body(iv);
      return SmallVector<Value>{};
    });
  };
  auto forEachThread = [&](function_ref<void(Value)> body) {
    forEach(im.c(0), im.c(kTiledContractionBlock), im.c(1), body);
  };
  auto sumsOf = [&](Value tid) {
    SmallVector<Value> values;
    for (int64_t a = 0; a < numAccs; ++a)
      values.push_back(
          memref::LoadOp::create(b, loc, sumsBuffer, ValueRange{tid, im.c(a)}));
    return values;
  };
  // Blocks in reverse: the last block of a tile is then its first split,
  // as it may be on the GPU (where any block can finish last).
  forEach(im.c(0), im.c(grid), im.c(1), [&](Value iv) {
    Value block = arith::SubIOp::create(b, loc, im.c(grid - 1), iv);
    blockGeometry(block);
    kRange();
    if (tabled)
      forEachThread([&](Value tid) { fillTables(tid, stagingsFor(tid)); });
    forEachThread([&](Value tid) {
      for (int64_t a = 0; a < numAccs; ++a)
        memref::StoreOp::create(b, loc, zero, sumsBuffer,
                                ValueRange{tid, im.c(a)});
    });
    forEach(kBegin, kEnd, im.c(kStep), [&](Value kb) {
      forEachThread([&](Value tid) {
        std::array<Staging, 2> stagings = stagingsFor(tid);
        store(stagings, load(stagings, kb));
      });
      forEachThread([&](Value tid) {
        auto [ty, tx] = threadCoords(tid);
        SmallVector<Value> accs = multiply(ty, tx, sumsOf(tid));
        for (int64_t a = 0; a < numAccs; ++a)
          memref::StoreOp::create(b, loc, accs[a], sumsBuffer,
                                  ValueRange{tid, im.c(a)});
      });
    });
    if (!ordered) {
      forEachThread([&](Value tid) {
        auto [ty, tx] = threadCoords(tid);
        finish(ty, tx, sumsOf(tid));
      });
      return;
    }
    forEachThread([&](Value tid) { storePartials(block, tid, sumsOf(tid)); });
    dl::inLastBlock(b, loc, nullptr, Value(), workspace, tile, splits, [&] {
      forEachThread([&](Value tid) {
        auto [ty, tx] = threadCoords(tid);
        finish(ty, tx, orderedSums(tid));
      });
    });
  });
  return grid;
}
