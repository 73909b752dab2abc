//===- VectorizeKernels.cpp - register-tiled vector code for contractions -===//
//
// Rewrites every multiply-accumulate linalg.generic of a bufferized kernel
// (`out += in0 * in1` with affine indexing maps and at least one reduction
// loop: the dense matmuls and the three convolution generics) into explicit
// loops around a register-tiled block of 1-D vector FMAs:
//
//   for the dims the output depends on (original order; two of them, r1/r2,
//   step by R1/R2 rows and one, v, by W lanes):
//     acc[R1][R2] = R1*R2 vectors of W lanes of the output
//     for the dims the output does not depend on (the reductions):
//       acc[i][j] = fma(in0[i][j], in1[i][j], acc[i][j])
//     store acc
//
// Each input is either a contiguous vector along v or a scalar broadcast,
// loaded once per block row/column it depends on. One short reduction dim
// u may be unrolled inside the block as well: in a window (oh + kh) its
// steps and the rows read the same values, loaded once. This is the
// "parallel" form: v is an output dim (the columns of a matmul, `ow` of a
// convolution).
// When no output dim gives a contiguous vector but a reduction dim does
// (the filter gradient reduces over `ow`), the "reduction" form keeps W
// partial sums per output element and adds their horizontal sum to it after
// the reduction loops.
//
// Why this is exact (up to floating-point reassociation, which the generic's
// fastmath<reassoc, contract> already allows):
//  * the body only reads in0/in1, which never alias the output, and
//    read-modify-writes out[map(iv)], so any order of the iterations gives
//    the same sum for every output element;
//  * within a block, the output elements of different lanes and different
//    (r1, r2) rows are distinct (v moves only the last output index, by one
//    per lane; r1, r2 are plain output indices on their own), and they
//    do not change inside the reduction loops (the output depends on none
//    of those dims), so they can live in registers across them;
//  * blocks run one after another, so blocks that overlap in memory (the
//    scatter-form input gradient of a convolution) see each other's sums.
// Remainders: a row dim whose extent is not a multiple of its block (the
// dynamic row slices of dl-distribute-workgroups) finishes with blocks of
// one row; a vector dim whose extent is not a multiple of W (a power of
// two) is processed with masked loads and stores throughout.
//
// Fusion: when every output element gets its whole sum inside one block
// (parallel form, no chunks, output indexed by plain loop dims), the op
// that sets the output first (a fill, or a broadcast such as the bias)
// becomes the accumulators' initial values and the elementwise op that
// updates the output in place next (relu, relu's gradient) is applied to
// the accumulators before the store; both ops go. The prologue may move
// down over ops that touch neither the output nor its source.
//
// Also: when one block's inputs exceed a cache budget, the outermost
// reduction dim runs in chunks; kernels under `min-flops` stay scalar; a
// kernel blocked along its sliced dim gets dl.workgroups divided by the
// block so slices hold whole blocks; the loops around the blocks carry
// llvm.loop_annotation<unroll disable> (compile time).
//
//===----------------------------------------------------------------------===//

#include "dlc/Dialect/DL/Transforms/Passes.h"

#include "ElementwiseEpilogue.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/Builders.h"
#include "llvm/ADT/DenseSet.h"

#include <map>
#include <set>

namespace dlc::dl {
#define GEN_PASS_DEF_VECTORIZEKERNELS
#include "dlc/Dialect/DL/Transforms/Passes.h.inc"
} // namespace dlc::dl

using namespace mlir;
using namespace dlc;
using dlc::dl::independentOf;
using dlc::dl::isElementwiseOver;
using dlc::dl::rootBuffer;

namespace {

/// sum(coef[d] * d) + cst.
struct Linear {
  SmallVector<int64_t> coef;
  int64_t cst = 0;
};

bool accumulate(AffineExpr e, int64_t scale, Linear &l) {
  if (auto d = dyn_cast<AffineDimExpr>(e)) {
    l.coef[d.getPosition()] += scale;
    return true;
  }
  if (auto c = dyn_cast<AffineConstantExpr>(e)) {
    l.cst += scale * c.getValue();
    return true;
  }
  auto bin = dyn_cast<AffineBinaryOpExpr>(e);
  if (!bin)
    return false;
  if (e.getKind() == AffineExprKind::Add)
    return accumulate(bin.getLHS(), scale, l) &&
           accumulate(bin.getRHS(), scale, l);
  if (e.getKind() == AffineExprKind::Mul) {
    if (auto c = dyn_cast<AffineConstantExpr>(bin.getRHS()))
      return accumulate(bin.getLHS(), scale * c.getValue(), l);
    if (auto c = dyn_cast<AffineConstantExpr>(bin.getLHS()))
      return accumulate(bin.getRHS(), scale * c.getValue(), l);
  }
  return false;
}

/// One operand: its buffer and each index as a linear form of the loops.
struct Access {
  Value memref;
  SmallVector<Linear> index;
  bool unitStrideLast = false;

  bool dependsOn(unsigned d) const {
    return llvm::any_of(index, [&](const Linear &l) { return l.coef[d] != 0; });
  }
  /// d moves only the last index, by one element: a vector along d is a
  /// contiguous load.
  bool contiguousIn(unsigned d) const {
    if (index.empty() || !unitStrideLast)
      return false;
    for (const Linear &l : ArrayRef(index).drop_back())
      if (l.coef[d] != 0)
        return false;
    return index.back().coef[d] == 1;
  }
  /// Every W-lane vector along d starts on a 64-byte line (given a
  /// line-aligned buffer): W fills whole lines, and the strides and
  /// offsets of the memref and of the last index are multiples of 16.
  bool lineAligned(unsigned d, int64_t W) const {
    if (W % 16 != 0 || !contiguousIn(d))
      return false;
    auto type = cast<MemRefType>(memref.getType());
    SmallVector<int64_t> strides;
    int64_t offset;
    if (failed(type.getStridesAndOffset(strides, offset)))
      return false;
    for (int64_t s : ArrayRef(strides).drop_back())
      if (ShapedType::isDynamic(s) || s % 16 != 0)
        return false;
    // A dynamic offset is a slice's start times a stride checked above.
    if (!ShapedType::isDynamic(offset) && offset % 16 != 0)
      return false;
    const Linear &last = index.back();
    for (auto [e, c] : llvm::enumerate(last.coef))
      if (e != d && c % 16 != 0)
        return false;
    return last.cst % 16 == 0;
  }
  /// d is an index of its own: exactly one index is `d` (coefficient 1, no
  /// other dim) and no other index involves d.
  bool plainIn(unsigned d) const {
    int found = 0;
    for (const Linear &l : index) {
      if (l.coef[d] == 0)
        continue;
      if (l.coef[d] != 1)
        return false;
      for (auto [e, c] : llvm::enumerate(l.coef))
        if (e != d && c != 0)
          return false;
      ++found;
    }
    return found == 1;
  }
};

/// The constant part of each index of `a` at step (i, j, t) of a block over
/// dims (r1, r2, u) (a dim < 0 takes no part): two steps read the same
/// value exactly when these agree.
SmallVector<int64_t> blockOffsets(const Access &a, int r1, int64_t i, int r2,
                                  int64_t j, int u, int64_t t) {
  SmallVector<int64_t> offsets;
  for (const Linear &l : a.index)
    offsets.push_back((r1 >= 0 ? l.coef[r1] * i : 0) +
                      (r2 >= 0 ? l.coef[r2] * j : 0) +
                      (u >= 0 ? l.coef[u] * t : 0));
  return offsets;
}

/// Matches `yield(addf(out, mulf(in0, in1)))` up to commutation.
bool isMulAddBody(linalg::GenericOp op) {
  Block &body = op.getRegion().front();
  if (body.getNumArguments() != 3 || body.getOperations().size() != 3)
    return false;
  auto yield = cast<linalg::YieldOp>(body.getTerminator());
  auto add = yield.getValues()[0].getDefiningOp<arith::AddFOp>();
  if (!add)
    return false;
  Value out = body.getArgument(2);
  Value product = add.getLhs() == out ? add.getRhs() : add.getLhs();
  if ((add.getLhs() == out) == (add.getRhs() == out))
    return false;
  auto mul = product.getDefiningOp<arith::MulFOp>();
  if (!mul)
    return false;
  Value a = body.getArgument(0), b = body.getArgument(1);
  return (mul.getLhs() == a && mul.getRhs() == b) ||
         (mul.getLhs() == b && mul.getRhs() == a);
}

/// Input `input` is zero unless its index `index` is in [lo, hi).
struct ZeroOutside {
  unsigned input, index;
  int64_t lo, hi;
};

/// How one generic is tiled.
struct Plan {
  unsigned numLoops = 0;
  SmallVector<int64_t> extents; // static loop extents (dynamic if unknown)
  Access in[2], out;
  unsigned v = 0;
  int64_t W = 1;
  bool reductionForm = false;
  int r1 = -1, r2 = -1;
  int64_t R1 = 1, R2 = 1;
  // A reduction dim unrolled inside the block: its steps share the loads
  // whose index also moves with a row dim (a window's kh with the rows
  // oh), so a value is loaded once for several FMAs.
  int u = -1;
  int64_t U = 1;
  SmallVector<unsigned> outer; // dims the output depends on, r1/r2/v too
  SmallVector<unsigned> inner; // the others, v too in the reduction form
  int chunkDim = -1;            // an inner dim run in chunks of `chunk`,
  int64_t chunk = 0;            // outermost, to keep the inputs in cache
  // Fused into the block (parallel form, no chunks): the op that sets the
  // output before the contraction (a fill or a broadcast, e.g. the bias)
  // gives the accumulators' initial values; the elementwise op that
  // updates it in place afterwards (relu, its gradient) runs on the
  // accumulators before the store. Either may be null.
  Operation *prologue = nullptr;
  linalg::GenericOp epilogue;
  // From dl.zero_padding: reduction steps whose products all read an
  // input's zero padding are skipped (see Emitter::nonzeroRange).
  SmallVector<ZeroOutside> zeros;
};

/// Vector width for a vector dim of `extent`: a power of two, since LLVM
/// legalises other widths (10, 28) into shuffles and spills, worst on AVX2.
/// A short dim takes one vector, masked when it is not a power of two;
/// a long one 32 (up to `maxWidth`) or 16 lanes when that divides it, else
/// 16 with a masked tail.
int64_t chooseWidth(int64_t extent, bool reductionForm, int64_t maxWidth) {
  if (ShapedType::isDynamic(extent))
    return 16;
  if (extent <= 16)
    return llvm::PowerOf2Ceil(extent);
  for (int64_t w : {32, 16})
    if (w <= maxWidth && extent % w == 0)
      return w;
  if (reductionForm && extent % 8 == 0)
    return 8;
  return 16;
}

/// Blocks of the sliced dim leave at least this many slices to share.
constexpr int64_t kMinSlices = 4;

/// Longest reduction dim unrolled inside a block.
constexpr int64_t kMaxUnroll = 16;

/// Input bytes a block may read and still find in L1 (48 KiB on current
/// x86 server cores).
constexpr int64_t kL1Bytes = 48 * 1024;

/// `slicedExtent`: the whole extent of the dim dl-distribute-workgroups
/// sliced (dynamic here), or 0 if unknown.
std::optional<Plan> makePlan(linalg::GenericOp op, int64_t budget,
                             int64_t maxBlock, int64_t maxWidth,
                             int64_t cacheBytes,
                             int64_t slicedExtent) {
  if (op.getNumDpsInputs() != 2 || op.getNumDpsInits() != 1 ||
      !op.hasPureBufferSemantics() || op.getNumReductionLoops() == 0 ||
      op.hasIndexSemantics() || !isMulAddBody(op))
    return std::nullopt;
  Plan p;
  p.numLoops = op.getNumLoops();
  p.extents = op.getStaticLoopRanges();
  OpOperand *operands[3] = {op.getDpsInputOperand(0),
                            op.getDpsInputOperand(1),
                            op.getDpsInitOperand(0)};
  Access *accesses[3] = {&p.in[0], &p.in[1], &p.out};
  for (int k = 0; k < 3; ++k) {
    auto type = dyn_cast<MemRefType>(operands[k]->get().getType());
    if (!type || !type.getElementType().isF32())
      return std::nullopt;
    Access &a = *accesses[k];
    a.memref = operands[k]->get();
    a.unitStrideLast = type.getRank() > 0 && type.isLastDimUnitStride();
    for (AffineExpr e : op.getMatchingIndexingMap(operands[k]).getResults()) {
      Linear l;
      l.coef.assign(p.numLoops, 0);
      if (!accumulate(e, 1, l))
        return std::nullopt;
      a.index.push_back(std::move(l));
    }
  }
  if (auto pad = op->getAttrOfType<DenseI64ArrayAttr>(dl::kZeroPaddingAttr)) {
    ArrayRef<int64_t> v = pad.asArrayRef();
    if (v.size() == 2 && (v[0] == 0 || v[0] == 1) && v[1] > 0) {
      auto type = cast<MemRefType>(operands[v[0]]->get().getType());
      for (unsigned index : {2u, 3u})
        if (type.getRank() >= 4 && !type.isDynamicDim(index) &&
            type.getDimSize(index) > 2 * v[1])
          p.zeros.push_back({unsigned(v[0]), index, v[1],
                             type.getDimSize(index) - v[1]});
    }
  }
  // The inputs are read while the output is written.
  Value outRoot = rootBuffer(p.out.memref);
  if (rootBuffer(p.in[0].memref) == outRoot ||
      rootBuffer(p.in[1].memref) == outRoot)
    return std::nullopt;

  // The vector dim: contiguous (or absent) in every operand and read as a
  // vector by at least one input. Prefer more useful lanes, then the
  // parallel form (no horizontal sums).
  int best = -1;
  int64_t bestScore = 0;
  for (unsigned d = 0; d < p.numLoops; ++d) {
    bool ok = true;
    for (Access *a : accesses)
      ok &= !a->dependsOn(d) || a->contiguousIn(d);
    if (!ok || (!p.in[0].dependsOn(d) && !p.in[1].dependsOn(d)))
      continue;
    bool reduction = !p.out.dependsOn(d);
    int64_t extent = p.extents[d];
    // The reduction form needs a static extent and enough work per block
    // to pay for the horizontal sums.
    if (reduction && ShapedType::isDynamic(extent))
      continue;
    if (reduction) {
      int64_t work = 1;
      for (unsigned e = 0; e < p.numLoops; ++e)
        if (!p.out.dependsOn(e))
          work = ShapedType::isDynamic(p.extents[e]) ? 1 << 20
                                                     : work * p.extents[e];
      if (work < 4 * chooseWidth(extent, true, maxWidth))
        continue;
    }
    int64_t lanes = ShapedType::isDynamic(extent) ? 16 : std::min<int64_t>(extent, 16);
    int64_t score = 2 * lanes + (reduction ? 0 : 1);
    if (score > bestScore) {
      bestScore = score;
      best = d;
    }
  }
  if (best < 0)
    return std::nullopt;
  p.v = best;
  p.reductionForm = !p.out.dependsOn(p.v);
  // Widths to try: chooseWidth's, and in the parallel form of a long dim,
  // rows of one or more 16-lane vectors whatever the dim's divisors: 8 rows
  // of a 120-wide dense layer at 32 lanes (a masked half vector at the end)
  // broadcast each input value for two FMAs instead of one (measured: the
  // LeNet dense kernels 25-35% faster than at 16 lanes).
  int64_t vExtent = p.extents[p.v];
  int64_t defaultWidth = chooseWidth(vExtent, p.reductionForm, maxWidth);
  SmallVector<int64_t> widths = {defaultWidth};
  if (!p.reductionForm && !ShapedType::isDynamic(vExtent) && vExtent > 16)
    for (int64_t w : {16, 32, 64})
      if (w != defaultWidth && w <= maxWidth && w < vExtent + 16)
        widths.push_back(w);
  // Useful lanes of all the vectors along v.
  auto laneEfficiency = [&](int64_t w) {
    if (ShapedType::isDynamic(vExtent))
      return 1.0;
    return double(vExtent) / double(llvm::divideCeil(vExtent, w) * w);
  };
  p.W = defaultWidth;
  int64_t units = (p.W + 15) / 16;

  // Row dims: plain output indices other than the vector's, at most two,
  // each unrolled into a block of rows. Pick the pair and block sizes with
  // the fewest cycles per FMA by a simple model of one reduction step:
  // max(FMAs / 2, loads, 5 cycles of FMA latency per accumulator and
  // unrolled step), with the one-row remainder blocks weighed in; a block
  // that also unrolls a reduction dim, or takes another than the default
  // width, must be 2% better than the best so far. Blocking the sliced dim
  // of dl-distribute-workgroups (dynamic) costs slices of at least a block.
  // Blocks there divide the dim's whole extent (balanced slices). In the
  // parallel form they leave at least kMinSlices slices and are weighed
  // like any other; in the reduction form, or when the extent is unknown,
  // they must be clearly better (measured on LeNet's filter gradients:
  // conv2's 1.7x slower blocked 2 x 6 over filters and channels, conv1's
  // 25% faster blocked 3 x 5 over filters and rows than 2 x 5 without).
  SmallVector<int> candidates = {-1};
  for (unsigned d = 0; d < p.numLoops; ++d)
    if (d != p.v && p.out.plainIn(d) &&
        (p.reductionForm || p.out.index.back().coef[d] == 0))
      candidates.push_back(d);
  // A vector load that straddles two cache lines costs two loads. Not so
  // in the reduction form, whose row blocks (kh) mostly re-read the lines
  // of the previous iteration (measured: the conv2 filter gradient of
  // LeNet slows down by 40% when blocked for fewer line splits).
  double loadCost[2];
  auto setWidth = [&](int64_t w) {
    p.W = w;
    units = (w + 15) / 16;
    for (int k = 0; k < 2; ++k)
      loadCost[k] = !p.in[k].dependsOn(p.v) ? 1.0
                    : p.reductionForm || p.in[k].lineAligned(p.v, p.W)
                        ? double(units)
                        : 2.0 * units;
  };
  setWidth(defaultWidth);
  // Distinct values input k needs in one step of a block of ra x rb rows
  // (dims a, b) and U unrolled steps of dim c: products whose indices
  // differ only by constants that cancel share one load.
  auto distinctLoads = [&](int k, int a, int64_t ra, int b, int64_t rb,
                           int c, int64_t U) {
    std::set<SmallVector<int64_t>> offsets;
    for (int64_t i = 0; i < ra; ++i)
      for (int64_t j = 0; j < rb; ++j)
        for (int64_t t = 0; t < U; ++t)
          offsets.insert(blockOffsets(p.in[k], a, i, b, j, c, t));
    return int64_t(offsets.size());
  };
  // Cycles per FMA of one reduction step: two FMAs a cycle, one load a
  // cycle (measured here: FMAs that each take a load from L1, vector or
  // broadcast, run at half the FMA peak), and 5 cycles of FMA latency per
  // accumulator for each of the U steps.
  auto stepCost = [&](int a, int64_t ra, int b, int64_t rb, int c,
                      int64_t U) {
    double fmas = double(ra * rb * U * units), loads = 0;
    for (int k = 0; k < 2; ++k)
      loads += distinctLoads(k, a, ra, b, rb, c, U) * loadCost[k];
    return std::max({fmas / 2, loads, 5.0 * U}) / fmas;
  };
  // Bytes of the inputs one block reads over all the reduction loops, with
  // rows ra x rb of dims a, b (the sliced dim's extent unknown: all).
  auto footprint = [&](int a, int64_t ra, int b, int64_t rb) {
    int64_t total = 0;
    for (const Access &acc : p.in) {
      int64_t elements = 1;
      for (const Linear &l : acc.index) {
        int64_t range = 1;
        for (unsigned d = 0; d < p.numLoops; ++d) {
          int64_t c = std::abs(l.coef[d]), span = 1;
          if (!c)
            continue;
          if (!p.out.dependsOn(d) || (d == p.v && !p.reductionForm))
            span = d == p.v ? p.W : p.extents[d];
          else if ((int)d == a)
            span = ra;
          else if ((int)d == b)
            span = rb;
          if (ShapedType::isDynamic(span))
            return int64_t(1) << 40;
          range += c * (span - 1);
        }
        elements *= range;
      }
      total += elements * 4;
    }
    return total;
  };
  auto remainderFraction = [&](int d, int64_t r) {
    if (d < 0 || ShapedType::isDynamic(p.extents[d]))
      return 0.0;
    return double(p.extents[d] % r) / double(p.extents[d]);
  };
  auto cost = [&](int a, int64_t ra, int b, int64_t rb, int c, int64_t U) {
    double fa = remainderFraction(a, ra), fb = remainderFraction(b, rb);
    double cost = (1 - fa) * (1 - fb) * stepCost(a, ra, b, rb, c, U) +
                  fa * (1 - fb) * stepCost(a, 1, b, rb, c, U) +
                  (1 - fa) * fb * stepCost(a, ra, b, 1, c, U) +
                  fa * fb * stepCost(a, 1, b, 1, c, U);
    for (int d : {a, b})
      if (d >= 0 && ShapedType::isDynamic(p.extents[d]) &&
          (slicedExtent <= 0 || p.reductionForm))
        cost *= 1.25;
    // In the parallel form, the next block along a window re-reads most of
    // a block's inputs; rows that multiply them past L1 make it stream them
    // from L2 instead (measured: the batch-lanes conv input gradient
    // blocked 4 images x 3 channels, 109 KB a block, ran 1.5x slower than 6
    // channels x 2 rows, 40 KB). Reductions over more than the cache budget
    // run in chunks instead (below).
    int64_t bytes = footprint(a, ra, b, rb), single = footprint(-1, 1, -1, 1);
    if (!p.reductionForm && single <= cacheBytes && bytes > kL1Bytes &&
        bytes > 2 * single)
      cost *= 1.5;
    return cost;
  };
  auto blocks = [&](int d) {
    SmallVector<int64_t> rs = {1};
    if (d >= 0)
      for (int64_t r = 2; r <= maxBlock; ++r)
        if (ShapedType::isDynamic(p.extents[d])
                ? slicedExtent <= 0 ||
                      (slicedExtent % r == 0 &&
                       (p.reductionForm || slicedExtent / r >= kMinSlices))
                : r <= p.extents[d])
          rs.push_back(r);
    return rs;
  };
  // Unrollable reduction dims: static and short, and not narrowed by zero
  // padding (measured: LeNet's conv2 input gradient, unrolled over kh,
  // loses more to the padding it no longer skips than it gains).
  // Innermost first: of two dims whose blocks cost the same, the one whose
  // steps walk memory contiguously wins (measured: conv2's channel-lanes
  // filter gradient 0.80-0.85 ms unrolled over ow, 0.92-0.95 over oh).
  SmallVector<int> unrollable = {-1};
  for (int d = p.numLoops - 1; d >= 0; --d) {
    int64_t extent = p.extents[d];
    if (p.out.dependsOn(d) || unsigned(d) == p.v ||
        ShapedType::isDynamic(extent) || extent < 2 || extent > kMaxUnroll)
      continue;
    bool narrowed = llvm::any_of(p.zeros, [&](const ZeroOutside &z) {
      return p.in[z.input].index[z.index].coef[d] != 0;
    });
    if (!narrowed)
      unrollable.push_back(d);
  }
  double bestCost =
      cost(-1, 1, -1, 1, -1, 1) / laneEfficiency(defaultWidth);
  int64_t bestWidth = defaultWidth;
  for (int64_t w : widths) {
    setWidth(w);
    double efficiency = laneEfficiency(w);
    int64_t cap = std::max<int64_t>(1, budget / units);
    for (int c : unrollable) {
      int64_t U = c >= 0 ? p.extents[c] : 1;
      for (auto [ia, a] : llvm::enumerate(candidates))
        for (int b : ArrayRef(candidates).drop_front(ia + 1))
          for (int64_t ra : blocks(a))
            for (int64_t rb : blocks(b)) {
              if (ra * rb > cap)
                continue;
              // Unrolled, the vectors reused over the whole block (the
              // filter's, one per step) stay in registers too.
              if (c >= 0) {
                int64_t live = 0;
                for (int k = 0; k < 2; ++k)
                  if (p.in[k].dependsOn(p.v) &&
                      !(a >= 0 && p.in[k].dependsOn(a)) &&
                      !(b >= 0 && p.in[k].dependsOn(b)))
                    live += distinctLoads(k, a, ra, b, rb, c, U) * units;
                if (ra * rb * units + live > budget + budget / 2)
                  continue;
              }
              double cst = cost(a, ra, b, rb, c, U) / efficiency;
              // Ties go to the default width and no unrolling (less code),
              // then to more accumulators (more latency slack).
              bool plain = c < 0 && w == defaultWidth;
              if (!plain && cst >= 0.98 * bestCost)
                continue;
              if (cst < bestCost - 1e-9 ||
                  (cst < bestCost + 1e-9 && p.u == c && p.W == bestWidth &&
                   ra * rb > p.R1 * p.R2)) {
                bestCost = cst;
                bestWidth = w;
                p.r1 = ra > 1 ? a : -1;
                p.R1 = ra;
                p.r2 = rb > 1 ? b : -1;
                p.R2 = rb;
                p.u = c;
                p.U = U;
              }
            }
    }
  }
  setWidth(bestWidth);
  if (p.r1 < 0) {
    std::swap(p.r1, p.r2);
    std::swap(p.R1, p.R2);
  }
  if (p.r2 < 0)
    p.R2 = 1;
  if (p.r1 < 0)
    p.R1 = 1;
  for (unsigned d = 0; d < p.numLoops; ++d) {
    if (p.out.dependsOn(d))
      p.outer.push_back(d);
    else
      p.inner.push_back(d);
  }
  // Every block streams the inputs over all the inner dims. When what one
  // block reads does not fit in cache (the filter gradient reduces over the
  // whole batch), run the outermost inner dim in chunks whose inputs, for
  // all blocks, do; the output then accumulates chunk by chunk.
  auto bytes = [](Value v) {
    auto type = cast<MemRefType>(rootBuffer(v).getType());
    return type.hasStaticShape() ? type.getNumElements() * 4 : int64_t(0);
  };
  if (footprint(p.r1, p.R1, p.r2, p.R2) > cacheBytes) {
    for (unsigned d : p.inner) {
      if (d == p.v || ShapedType::isDynamic(p.extents[d]) || p.extents[d] < 2)
        continue;
      int64_t perIndex = 0;
      for (const Access &a : p.in)
        if (a.dependsOn(d))
          perIndex += bytes(a.memref) / p.extents[d];
      int64_t chunk =
          std::max<int64_t>(1, cacheBytes / std::max<int64_t>(1, perIndex));
      if (chunk < p.extents[d]) {
        p.chunkDim = d;
        p.chunk = chunk;
      }
      break;
    }
  }
  return p;
}

/// Emits the loops of one planned generic in front of it.
class Emitter {
public:
  Emitter(OpBuilder &b, Location loc, Plan &p, ArrayRef<Value> sizes)
      : b(b), loc(loc), p(p), sizes(sizes), ivs(p.numLoops) {
    vecType = VectorType::get({p.W}, b.getF32Type());
  }

  void emit() {
    if (p.chunkDim < 0)
      return emitOuter(0, p.R1, p.R2, Value());
    unsigned d = p.chunkDim;
    forLoop(cst(0), sizes[d], p.chunk, [&](Value iv) {
      chunkBegin = iv;
      chunkEnd = p.extents[d] % p.chunk == 0
                     ? arith::AddIOp::create(b, loc, iv, cst(p.chunk)).getResult()
                     : arith::MinSIOp::create(
                           b, loc, arith::AddIOp::create(b, loc, iv, cst(p.chunk)),
                           sizes[d])
                           .getResult();
      emitOuter(0, p.R1, p.R2, Value());
    });
  }

private:
  OpBuilder &b;
  Location loc;
  Plan &p;
  ArrayRef<Value> sizes;
  SmallVector<Value> ivs;
  VectorType vecType;
  Value chunkBegin, chunkEnd;

  Value cst(int64_t v) { return arith::ConstantIndexOp::create(b, loc, v); }

  /// The index values of `a` with the block dims offset by (i, j) and the
  /// unrolled dim at step t.
  SmallVector<Value> indices(const Access &a, int64_t i, int64_t j,
                             int64_t t = 0) {
    SmallVector<Value> result;
    for (const Linear &l : a.index) {
      int64_t constant = l.cst;
      Value sum;
      for (unsigned d = 0; d < p.numLoops; ++d) {
        if (l.coef[d] == 0)
          continue;
        if ((int)d == p.r1)
          constant += l.coef[d] * i;
        if ((int)d == p.r2)
          constant += l.coef[d] * j;
        if ((int)d == p.u) {
          constant += l.coef[d] * t;
          continue;
        }
        Value term = ivs[d];
        if (l.coef[d] != 1)
          term = arith::MulIOp::create(b, loc, term, cst(l.coef[d]));
        sum = sum ? arith::AddIOp::create(b, loc, sum, term).getResult()
                  : term;
      }
      if (!sum)
        sum = cst(constant);
      else if (constant != 0)
        sum = arith::AddIOp::create(b, loc, sum, cst(constant));
      result.push_back(sum);
    }
    return result;
  }

  /// The upper bound of the full blocks of `step` over dim d.
  Value fullBlocksEnd(unsigned d, int64_t step) {
    int64_t extent = p.extents[d];
    if (!ShapedType::isDynamic(extent))
      return cst(extent - extent % step);
    if (step == 1)
      return sizes[d];
    return arith::SubIOp::create(
        b, loc, sizes[d], arith::RemUIOp::create(b, loc, sizes[d], cst(step)));
  }
  bool mayHaveRemainder(unsigned d, int64_t step) {
    return step > 1 &&
           (ShapedType::isDynamic(p.extents[d]) || p.extents[d] % step != 0);
  }

  /// A loop over [lb, ub) by step without results, not to be unrolled.
  void forLoop(Value lb, Value ub, int64_t step,
               function_ref<void(Value)> body) {
    auto loop = scf::ForOp::create(
        b, loc, lb, ub, cst(step), ValueRange(),
        [&](OpBuilder &nested, Location, Value iv, ValueRange) {
          OpBuilder::InsertionGuard guard(b);
          b.setInsertionPointToStart(nested.getInsertionBlock());
          body(iv);
          scf::YieldOp::create(b, loc);
        });
    // Unrolling these (the blocks are unrolled already) only multiplies the
    // code LLVM must compile; the reduction loops inside stay unrollable.
    noUnroll(loop);
  }

  void noUnroll(scf::ForOp loop) {
    MLIRContext *ctx = b.getContext();
    auto unroll = LLVM::LoopUnrollAttr::get(
        ctx, /*disable=*/b.getBoolAttr(true), /*count=*/{}, /*runtimeDisable=*/{},
        /*full=*/{}, /*followupUnrolled=*/{}, /*followupRemainder=*/{},
        /*followupAll=*/{});
    loop->setAttr("llvm.loop_annotation",
                  LLVM::LoopAnnotationAttr::get(
                      ctx, {}, {}, {}, unroll, {}, {}, {}, {}, {}, {}, {}, {},
                      {}, {}, {}));
  }

  /// Loops over the output dims, `level` onwards.
  void emitOuter(unsigned level, int64_t R1, int64_t R2, Value mask) {
    if (level == p.outer.size())
      return emitBlock(R1, R2, mask);
    unsigned d = p.outer[level];
    auto next = [&](int64_t r1, int64_t r2, Value m) {
      return [=, this](Value iv) {
        ivs[d] = iv;
        emitOuter(level + 1, r1, r2, m);
      };
    };
    if ((int)d == p.r1 || (int)d == p.r2) {
      int64_t R = (int)d == p.r1 ? R1 : R2;
      Value end = fullBlocksEnd(d, R);
      forLoop(cst(0), end, R, next(R1, R2, mask));
      if (mayHaveRemainder(d, R))
        forLoop(end, sizes[d], 1,
                (int)d == p.r1 ? next(1, R2, mask) : next(R1, 1, mask));
      return;
    }
    if (d == p.v) {
      // A dim that is not a multiple of W is masked throughout: one copy of
      // the block code instead of a full and a tail copy.
      if (!mayHaveRemainder(d, p.W)) {
        forLoop(cst(0), sizes[d], p.W, next(R1, R2, Value()));
        return;
      }
      forLoop(cst(0), sizes[d], p.W, [&](Value iv) {
        ivs[d] = iv;
        emitOuter(level + 1, R1, R2, tailMask(d, iv));
      });
      return;
    }
    forLoop(cst(0), sizes[d], 1, next(R1, R2, mask));
  }

  /// Lanes of the chunk at `iv` that are inside dim d.
  Value tailMask(unsigned d, Value iv) {
    Value left = arith::SubIOp::create(b, loc, sizes[d], iv);
    return vector::CreateMaskOp::create(
        b, loc, VectorType::get({p.W}, b.getI1Type()), ValueRange{left});
  }

  Value zeroVector() {
    return arith::ConstantOp::create(
        b, loc, DenseElementsAttr::get(vecType, b.getF32FloatAttr(0.0f)));
  }

  Value loadVector(const Access &a, int64_t i, int64_t j, Value mask,
                   int64_t t = 0) {
    SmallVector<Value> idx = indices(a, i, j, t);
    if (mask)
      return vector::MaskedLoadOp::create(b, loc, vecType, a.memref, idx, mask,
                                          zeroVector());
    return vector::LoadOp::create(b, loc, vecType, a.memref, idx);
  }

  Value prologueValue(int64_t i, int64_t j, Value mask) {
    if (auto fill = dyn_cast<linalg::FillOp>(p.prologue))
      return vector::BroadcastOp::create(b, loc, vecType,
                                         fill.getInputs()[0]);
    auto generic = cast<linalg::GenericOp>(p.prologue);
    OpOperand *input = generic.getDpsInputOperand(0);
    return dl::loadAlongOutput(b, loc, input->get(),
                               generic.getMatchingIndexingMap(input),
                               indices(p.out, i, j), p.W, mask);
  }

  /// Loads and keeps the accumulators in registers over the reductions.
  void emitBlock(int64_t R1, int64_t R2, Value mask) {
    SmallVector<Value> accs;
    for (int64_t i = 0; i < R1; ++i)
      for (int64_t j = 0; j < R2; ++j)
        accs.push_back(p.reductionForm ? zeroVector()
                       : p.prologue    ? prologueValue(i, j, mask)
                                       : loadVector(p.out, i, j, mask));
    accs = emitInner(0, R1, R2, mask, accs);
    for (int64_t i = 0; i < R1; ++i)
      for (int64_t j = 0; j < R2; ++j) {
        Value acc = accs[i * R2 + j];
        SmallVector<Value> idx = indices(p.out, i, j);
        if (p.epilogue)
          acc = dl::applyEpilogue(b, loc, p.epilogue, acc, idx, mask);
        if (p.reductionForm) {
          Value sum = vector::ReductionOp::create(
              b, loc, vector::CombiningKind::ADD, acc,
              arith::FastMathFlags::reassoc | arith::FastMathFlags::contract);
          Value old = memref::LoadOp::create(b, loc, p.out.memref, idx);
          Value updated = arith::AddFOp::create(b, loc, old, sum);
          memref::StoreOp::create(b, loc, updated, p.out.memref, idx);
        } else if (mask) {
          vector::MaskedStoreOp::create(b, loc, p.out.memref, idx, mask, acc);
        } else {
          vector::StoreOp::create(b, loc, acc, p.out.memref, idx);
        }
      }
  }

  /// A loop over [lb, ub) by step carrying `accs`.
  SmallVector<Value>
  reduceLoop(Value lb, Value ub, int64_t step, ValueRange accs,
             function_ref<SmallVector<Value>(Value, ValueRange)> body) {
    auto loop = scf::ForOp::create(
        b, loc, lb, ub, cst(step), accs,
        [&](OpBuilder &nested, Location, Value iv, ValueRange iterArgs) {
          OpBuilder::InsertionGuard guard(b);
          b.setInsertionPointToStart(nested.getInsertionBlock());
          scf::YieldOp::create(b, loc, body(iv, iterArgs));
        });
    return SmallVector<Value>(loop.getResults());
  }

  SmallVector<Value> emitInner(unsigned level, int64_t R1, int64_t R2,
                               Value mask, SmallVector<Value> accs) {
    if (level == p.inner.size())
      return emitFMAs(R1, R2, mask, accs);
    unsigned d = p.inner[level];
    if ((int)d == p.u)
      return emitInner(level + 1, R1, R2, mask, accs);
    if (p.reductionForm && d == p.v) {
      bool masked = mayHaveRemainder(d, p.W);
      return reduceLoop(cst(0), sizes[d], p.W, accs, [&](Value iv, ValueRange a) {
        ivs[d] = iv;
        return emitInner(level + 1, R1, R2, masked ? tailMask(d, iv) : Value(),
                         llvm::to_vector(a));
      });
    }
    bool chunked = (int)d == p.chunkDim;
    Value lb = chunked ? chunkBegin : cst(0);
    Value ub = chunked ? chunkEnd : sizes[d];
    if (!chunked)
      std::tie(lb, ub) = nonzeroRange(level, R1, R2, lb, ub);
    return reduceLoop(lb, ub, 1, accs,
                      [&](Value iv, ValueRange a) {
      ivs[d] = iv;
      return emitInner(level + 1, R1, R2, mask, llvm::to_vector(a));
    });
  }

  /// [lb, ub) of inner dim p.inner[level] narrowed to the steps where some
  /// row of the block reads inside the nonzero window of every input that
  /// has one: the others only add products with zero. Used where the
  /// window's index is the dim (coefficient +-1) plus dims whose values are
  /// known here (outer dims but the lanes', inner dims of earlier levels).
  std::pair<Value, Value> nonzeroRange(unsigned level, int64_t R1, int64_t R2,
                                       Value lb, Value ub) {
    unsigned d = p.inner[level];
    for (const ZeroOutside &z : p.zeros) {
      const Linear &l = p.in[z.input].index[z.index];
      int64_t c = l.coef[d];
      if (c != 1 && c != -1)
        continue;
      bool known = true;
      for (unsigned e = 0; e < p.numLoops; ++e) {
        if (e == d || l.coef[e] == 0)
          continue;
        auto at = llvm::find(p.inner, e);
        known &= e != p.v && (at == p.inner.end() ||
                              unsigned(at - p.inner.begin()) < level);
      }
      if (!known)
        continue;
      // index = base + off + c * iv, off over the block's rows.
      int64_t minOff = 0, maxOff = 0;
      for (auto [r, R] : {std::pair(p.r1, R1), std::pair(p.r2, R2)})
        if (r >= 0) {
          int64_t span = l.coef[r] * (R - 1);
          minOff += std::min<int64_t>(0, span);
          maxOff += std::max<int64_t>(0, span);
        }
      Value base = cst(l.cst);
      for (unsigned e = 0; e < p.numLoops; ++e)
        if (e != d && l.coef[e] != 0)
          base = arith::AddIOp::create(
              b, loc, base,
              arith::MulIOp::create(b, loc, ivs[e], cst(l.coef[e])));
      // c = +1: lo <= base + off + iv < hi for some off;
      // c = -1: lo <= base + off - iv < hi for some off.
      Value from, to;
      if (c == 1) {
        from = arith::SubIOp::create(b, loc, cst(z.lo - maxOff), base);
        to = arith::SubIOp::create(b, loc, cst(z.hi - minOff), base);
      } else {
        from = arith::AddIOp::create(b, loc, base, cst(minOff - z.hi + 1));
        to = arith::AddIOp::create(b, loc, base, cst(maxOff - z.lo + 1));
      }
      lb = arith::MaxSIOp::create(b, loc, lb, from);
      ub = arith::MinSIOp::create(b, loc, ub, to);
    }
    return {lb, ub};
  }

  SmallVector<Value> emitFMAs(int64_t R1, int64_t R2, Value mask,
                              SmallVector<Value> accs) {
    // Each operand value is loaded once per block step: products whose
    // indices differ by the same constants (rows and unrolled steps a
    // window shares) take the same load.
    std::map<SmallVector<int64_t>, Value> loaded[2];
    auto operand = [&](int k, int64_t i, int64_t j, int64_t t) {
      const Access &a = p.in[k];
      Value &value = loaded[k][blockOffsets(a, p.r1, i, p.r2, j, p.u, t)];
      if (value)
        return value;
      if (a.dependsOn(p.v)) {
        value = loadVector(a, i, j, mask, t);
      } else {
        Value s = memref::LoadOp::create(b, loc, a.memref, indices(a, i, j, t));
        value = vector::BroadcastOp::create(b, loc, vecType, s);
      }
      return value;
    };
    for (int64_t t = 0; t < p.U; ++t)
      for (int64_t i = 0; i < R1; ++i)
        for (int64_t j = 0; j < R2; ++j) {
          // In operand order, whatever the compiler's argument order.
          Value lhs = operand(0, i, j, t), rhs = operand(1, i, j, t);
          Value &acc = accs[i * R2 + j];
          acc = vector::FMAOp::create(b, loc, lhs, rhs, acc);
        }
    return accs;
  }
};

/// The op that sets the whole output of contraction `op` before it: a
/// linalg.fill or a broadcasting copy (the bias), with only independent ops
/// in between.
Operation *findPrologue(linalg::GenericOp op) {
  Value out = op.getDpsInits()[0];
  SmallVector<Value> roots = {rootBuffer(out)};
  for (Operation *prev = op->getPrevNode(); prev; prev = prev->getPrevNode()) {
    if (auto fill = dyn_cast<linalg::FillOp>(prev)) {
      if (fill.getOutputs()[0] == out &&
          fill.getInputs()[0].getType().isF32())
        return fill;
    } else if (auto generic = dyn_cast<linalg::GenericOp>(prev)) {
      Block &body = generic.getRegion().front();
      if (isElementwiseOver(generic, out) && generic.getNumDpsInputs() == 1 &&
          body.getOperations().size() == 1 &&
          body.getTerminator()->getOperand(0) == body.getArgument(0)) {
        // Moved below the ops in between: they must not write its source.
        Value source = rootBuffer(generic.getDpsInputs()[0]);
        for (Operation *o = prev->getNextNode(); o != op; o = o->getNextNode())
          if (!independentOf(o, {source}))
            return nullptr;
        return generic;
      }
    }
    if (!independentOf(prev, roots))
      return nullptr;
  }
  return nullptr;
}

struct VectorizeKernelsPass
    : public dl::impl::VectorizeKernelsBase<VectorizeKernelsPass> {
  using VectorizeKernelsBase::VectorizeKernelsBase;

  void runOnOperation() override {
    Operation *root = getOperation();
    if (failed(dl::checkOptionRange(*this, root, "budget", budget, 1, 64)) ||
        failed(dl::checkOptionRange(*this, root, "max-block", maxBlock, 1,
                                    64)) ||
        // Shorter vectors than 16 lanes are chosen by the dims, not capped.
        failed(dl::checkOptionRange(*this, root, "max-width", maxWidth, 16,
                                    64)) ||
        failed(dl::checkOptionRange(*this, root, "cache-kib", cacheKiB, 1,
                                    int64_t(1) << 30)) ||
        failed(dl::checkOptionRange(*this, root, "min-flops", minFlops, 0,
                                    INT64_MAX)))
      return signalPassFailure();
    SmallVector<linalg::GenericOp> generics;
    getOperation()->walk([&](linalg::GenericOp op) { generics.push_back(op); });
    // Rows per slice each kernel needs for its blocks along the sliced dim.
    llvm::DenseMap<Operation *, int64_t> grain;
    // Generics already emitted as another's prologue or epilogue (and
    // erased): they are still in `generics`.
    llvm::DenseSet<Operation *> absorbed;
    for (linalg::GenericOp op : generics) {
      if (absorbed.contains(op))
        continue;
      // Kernels too small to matter stay scalar: vector code is big, and
      // compile time counts too.
      auto kernel = op->getParentOfType<func::FuncOp>();
      if (auto flops = kernel ? kernel->getAttrOfType<IntegerAttr>("dl.flops")
                              : IntegerAttr())
        if (flops.getInt() < minFlops)
          continue;
      auto workgroups =
          kernel ? kernel->getAttrOfType<IntegerAttr>("dl.workgroups")
                 : IntegerAttr();
      std::optional<Plan> plan =
          makePlan(op, budget, maxBlock, maxWidth, cacheKiB * 1024,
                   workgroups ? workgroups.getInt() : 0);
      if (!plan)
        continue;
      // Only where each block computes its outputs' whole sums: not in
      // chunks, not as partial sums, and not in a scatter form (out[oh + kh]),
      // where blocks add to each other's outputs.
      if (!plan->reductionForm && plan->chunkDim < 0 &&
          op.getMatchingIndexingMap(op.getDpsInitOperand(0))
              .isProjectedPermutation()) {
        plan->prologue = findPrologue(op);
        plan->epilogue = dl::takeEpilogue(op, op.getDpsInits()[0]);
      }
      if (printPlans)
        op.emitRemark() << "vector dim d" << plan->v << " x " << plan->W
                        << (plan->reductionForm ? " (partial sums)" : "")
                        << ", rows d" << plan->r1 << " x " << plan->R1
                        << ", d" << plan->r2 << " x " << plan->R2
                        << ", unrolled d" << plan->u << " x " << plan->U
                        << ", chunks d" << plan->chunkDim << " x " << plan->chunk;
      if (kernel) {
        int64_t &g = grain[kernel];
        if (ShapedType::isDynamic(plan->extents[0]))
          for (auto [r, R] : {std::pair(plan->r1, plan->R1),
                              std::pair(plan->r2, plan->R2)})
            if (r == 0)
              g = std::max(g, R);
      }
      OpBuilder b(op);
      SmallVector<Value> sizes;
      for (Range r : cast<linalg::LinalgOp>(op.getOperation())
                         .createLoopRanges(b, op.getLoc()))
        sizes.push_back(
            getValueOrCreateConstantIndexOp(b, op.getLoc(), r.size));
      Emitter(b, op.getLoc(), *plan, sizes).emit();
      op.erase();
      if (plan->prologue) {
        absorbed.insert(plan->prologue);
        plan->prologue->erase();
      }
      if (plan->epilogue) {
        absorbed.insert(plan->epilogue.getOperation());
        plan->epilogue.erase();
      }
    }
    // A slice of fewer rows than a block would run only the one-row
    // remainder code: keep slices at least a block tall (the runtime uses
    // at most dl.workgroups slices).
    for (auto [kernel, g] : grain) {
      auto wg = kernel->getAttrOfType<IntegerAttr>("dl.workgroups");
      if (g <= 1 || !wg || wg.getInt() <= 1)
        continue;
      kernel->setAttr("dl.workgroups",
                      IntegerAttr::get(wg.getType(),
                                       std::max<int64_t>(1, wg.getInt() / g)));
    }
  }
};

} // namespace
