//===- MapKernelsToGPU.cpp - bufferized kernels as GPU kernels ------------===//
//
// One gpu.func per kernel; one block per row slice of dl-distribute-
// workgroups; inside a block, each linalg op spread over the threads and
// followed by a barrier (see Passes.td for the contract).
//
//===----------------------------------------------------------------------===//

#include "dlc/Dialect/DL/Transforms/Passes.h"

#include "ElementwiseEpilogue.h"
#include "GPUBufferAccess.h"
#include "GPUElementwiseFusion.h"
#include "GPUIndexMath.h"
#include "GPUOrderedSplits.h"
#include "GPURowProducts.h"
#include "GPUTiledContraction.h"
#include "GPUWindowSums.h"
#include "GPUWorkgroupScratch.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/PatternMatch.h"

#include <algorithm>
#include <functional>

namespace dlc::dl {
#define GEN_PASS_DEF_MAPKERNELSTOGPU
#include "dlc/Dialect/DL/Transforms/Passes.h.inc"
} // namespace dlc::dl

using namespace mlir;
using namespace dlc;

namespace {

/// True if every output of `op` is combined as `out + f(inputs)` and `out`
/// is used nowhere else: partial sums over any split of the reduction then
/// add up to the same result.
bool combinesByAdd(linalg::GenericOp op) {
  Block &body = op.getRegion().front();
  auto yield = cast<linalg::YieldOp>(body.getTerminator());
  for (OpOperand &init : op.getDpsInitsMutable()) {
    BlockArgument out = op.getMatchingBlockArgument(&init);
    unsigned result = init.getOperandNumber() - op.getNumDpsInputs();
    Operation *combiner = yield.getValues()[result].getDefiningOp();
    if (!combiner || !isa<arith::AddFOp, arith::AddIOp>(combiner) ||
        !out.hasOneUse() ||
        (combiner->getOperand(0) != out && combiner->getOperand(1) != out))
      return false;
  }
  return true;
}

/// Most threads that may share one reduction: more would pile up atomic
/// adds on the same output.
constexpr int64_t kMaxSplits = 1024;

/// Threads that keep a GPU busy (an H100 holds 132 x 2048 resident): a
/// phased reduction gets at least this many when it can use them.
constexpr int64_t kFillThreads = 65536;

/// Threads of a kernel that runs as a single block.
constexpr int64_t kSingleBlock = 1024;

/// Outputs per thread a sliced kernel's block is sized for.
constexpr int64_t kOutputsPerThread = 4;

/// Most outputs one thread accumulates at once (registers).
constexpr int64_t kMaxJam = 8;

/// True if every output is indexed by distinct plain parallel dims, all of
/// them: parallel iterations then write distinct elements.
bool ownsOutputs(linalg::GenericOp op) {
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  unsigned numParallel = llvm::count(iterators, utils::IteratorType::parallel);
  for (OpOperand &init : op.getDpsInitsMutable()) {
    AffineMap map = op.getMatchingIndexingMap(&init);
    llvm::SmallDenseSet<unsigned> dims;
    for (AffineExpr e : map.getResults()) {
      auto dim = dyn_cast<AffineDimExpr>(e);
      if (!dim || iterators[dim.getPosition()] != utils::IteratorType::parallel ||
          !dims.insert(dim.getPosition()).second)
        return false;
    }
    if (dims.size() != numParallel)
      return false;
  }
  return true;
}

/// For an op whose parallel iterations share outputs (gathered per output
/// element): an output dim of a few elements that some input does not
/// depend on (the input channel of a convolution's input gradient), as
/// (output position, extent). Each thread then takes all its elements at
/// once, so the loads they share happen once.
std::optional<std::pair<unsigned, int64_t>> gatherJam(linalg::GenericOp op) {
  OpOperand *init = op.getDpsInitOperand(0);
  auto outType = cast<MemRefType>(init->get().getType());
  std::optional<std::pair<unsigned, int64_t>> best;
  for (auto [k, e] : llvm::enumerate(op.getMatchingIndexingMap(init).getResults())) {
    auto dim = dyn_cast<AffineDimExpr>(e);
    if (!dim || outType.isDynamicDim(k) || outType.getDimSize(k) < 2 ||
        outType.getDimSize(k) > kMaxJam)
      continue;
    bool shared = llvm::any_of(op.getDpsInputOperands(), [&](OpOperand *in) {
      return isa<MemRefType>(in->get().getType()) &&
             !op.getMatchingBlockArgument(in).use_empty() &&
             !op.getMatchingIndexingMap(in).isFunctionOfDim(dim.getPosition());
    });
    if (shared && (!best || outType.getDimSize(k) < best->second))
      best = std::make_pair(static_cast<unsigned>(k), outType.getDimSize(k));
  }
  return best;
}

/// How many threads `op` (static shapes) can keep busy: one per output
/// element (or jammed group of them), times the reduction splits of an
/// add-combined reduction.
/// The products of `op`'s parallel and of its reduction loop ranges,
/// dynamic ones counted as 1 (GPU kernels have none).
struct LoopExtents {
  int64_t parallel = 1, reduction = 1;
  bool dynamic = false;
};
LoopExtents loopExtents(linalg::LinalgOp op) {
  LoopExtents e;
  for (auto [range, type] :
       llvm::zip(op.getStaticLoopRanges(), op.getIteratorTypesArray())) {
    e.dynamic |= ShapedType::isDynamic(range);
    (type == utils::IteratorType::parallel ? e.parallel : e.reduction) *=
        ShapedType::isDynamic(range) ? 1 : range;
  }
  return e;
}

/// Of reduction dims (loop order), those reductionLoops flattens and a
/// split reduction's threads share out: all but the innermost, which each
/// thread walks whole.
ArrayRef<unsigned> outerDims(ArrayRef<unsigned> dims) {
  return dims.size() > 1 ? dims.drop_back() : dims;
}

/// Threads sharing each output's reduction when `threads` threads run
/// `outputs` outputs over `reductions` (outer) reduction iterations.
int64_t reductionSplits(int64_t outputs, int64_t reductions, int64_t threads) {
  return std::clamp<int64_t>(threads / std::max<int64_t>(outputs, 1), 1,
                             std::clamp<int64_t>(reductions, 1, kMaxSplits));
}

int64_t usefulThreads(linalg::GenericOp op) {
  auto [parallel, reduction, dynamic] = loopExtents(op);
  if (!ownsOutputs(op)) {
    auto out = cast<MemRefType>(op.getDpsInits()[0].getType());
    if (!out.hasStaticShape())
      return 1;
    auto jam = gatherJam(op);
    return out.getNumElements() / (jam ? jam->second : 1);
  }
  if (reduction > 1 && combinesByAdd(op))
    return parallel * std::min(reduction, kMaxSplits);
  return parallel;
}

/// Lanes of a warp.
constexpr int64_t kWarp = 32;

/// Most outputs a reduction over several dims may have to be reduced by
/// warps: their lanes split each iteration's index into the dims, which
/// made LeNet's first filter gradient (150 outputs, 2 loads a multiply-add)
/// twice as slow, but a bias gradient (6 outputs) a third faster.
constexpr int64_t kMaxWarpReducedOutputs = 64;

/// Whether `op` sums a long reduction into a few f32 outputs (a bias
/// gradient summed over a batch of images) or over one dim: then each
/// output is reduced by whole warps whose lanes take consecutive reduction
/// iterations, so that a warp's loads walk the inputs' contiguous rows,
/// and a warp adds one sum (across its lanes by shuffles) atomically, or
/// in a phased kernel with ordered splits stores it for the grid's last
/// block (emitOrderedWarpReduction).
bool reducesByWarps(linalg::GenericOp op) {
  if (op.getNumReductionLoops() == 0 || op.getNumDpsInits() != 1 ||
      !ownsOutputs(op) || !combinesByAdd(op) ||
      !getElementTypeOrSelf(op.getDpsInits()[0].getType()).isF32())
    return false;
  LoopExtents e = loopExtents(op);
  return !e.dynamic &&
         (e.parallel <= kMaxWarpReducedOutputs ||
          op.getNumReductionLoops() == 1) &&
         e.reduction >= 4 * kWarp;
}

/// Emits `op` as a loop of the block's threads over its iterations, in
/// place of `op`.
class GenericToThreads {
public:
  /// Thread `tid` takes iterations tid, tid + stride, ...: stride is the
  /// block (or grid) size on the GPU, 1 for the sequential CPU form;
  /// `threads` is how many threads the GPU runs the op on, which decides
  /// how reductions split.
  GenericToThreads(linalg::GenericOp op, Value tid, int64_t stride,
                   int64_t threads, bool shuffles,
                   linalg::GenericOp prologue = {},
                   linalg::GenericOp epilogue = {})
      : op(op), b(op), loc(op.getLoc()), tid(tid), stride(stride),
        blockSize(threads), shuffles(shuffles), prologue(prologue),
        epilogue(epilogue) {}

  /// Whether `op` on `threads` threads is reduced by warps.
  static bool warpReduced(linalg::GenericOp op, int64_t threads) {
    return reducesByWarps(op) && threads % kWarp == 0 &&
           loopExtents(op).parallel * kWarp <= threads;
  }

  /// Whether `op`, on `threads` threads, writes each output element once
  /// from one thread, accumulating from the element's starting value (a
  /// reduction that threads do not share): then an op initialising the
  /// output can run where that value is read, and an epilogue at the store.
  static bool summedByOneThread(linalg::GenericOp op, int64_t threads) {
    if (op.getNumReductionLoops() == 0 || op.getNumDpsInits() != 1 ||
        warpReduced(op, threads))
      return false;
    if (!ownsOutputs(op))
      return true; // gathered
    if (!combinesByAdd(op))
      return true;
    LoopExtents e = loopExtents(op);
    if (e.dynamic)
      return false;
    // As emit(): the splits share the outer reduction dims (all but the
    // innermost).
    SmallVector<int64_t> ranges = op.getStaticLoopRanges();
    SmallVector<unsigned> red;
    for (auto [d, type] : llvm::enumerate(op.getIteratorTypesArray()))
      if (type == utils::IteratorType::reduction)
        red.push_back(d);
    int64_t outer = 1;
    for (unsigned d : outerDims(red))
      outer *= ranges[d];
    return reductionSplits(e.parallel, outer, threads) == 1;
  }

  void emit() {
    setUp();
    if (!ownsOutputs(op))
      return emitGather();
    if (warpReduced(op, blockSize))
      return emitWarpReduction();
    Value c0 = constant(0), c1 = constant(1);
    // Splits share out the outer reduction iterations (reductionLoops).
    Value total = product(par), reductions = product(outerReductionDims());
    bool split = !red.empty() && combinesByAdd(op);
    // Threads left idle by the parallel iterations share the reduction.
    Value splits = c1;
    std::optional<int64_t> staticTotal = getConstantIntValue(total);
    std::optional<int64_t> staticReductions = getConstantIntValue(reductions);
    if (split && staticTotal && staticReductions) {
      int64_t n = reductionSplits(*staticTotal, *staticReductions, blockSize);
      // Every thread owns whole outputs: no atomics needed.
      split = n > 1;
      splits = constant(n);
    } else if (split) {
      Value busy = arith::MaxUIOp::create(b, loc, total, c1);
      splits = arith::DivUIOp::create(b, loc, constant(blockSize), busy);
      splits = arith::MaxUIOp::create(b, loc, splits, c1);
      splits = arith::MinUIOp::create(b, loc, splits, reductions);
      splits = arith::MinUIOp::create(b, loc, splits, constant(kMaxSplits));
    }
    // A few owned outputs per thread: one reduction loop for all of them,
    // so that inputs they share (a weight column) load once per iteration.
    if (!red.empty() && !split && staticTotal && *staticTotal % stride == 0 &&
        *staticTotal / stride >= 2 && *staticTotal / stride <= kMaxJam)
      return emitJammed(*staticTotal / stride);
    Value work = b.createOrFold<arith::MulIOp>(loc, total, splits);
    auto loop = scf::ForOp::create(b, loc, tid, work, constant(stride));
    b.setInsertionPoint(loop.getBody()->getTerminator());
    Value lin = loop.getInductionVar();
    // Parallel index fastest: neighbouring threads, neighbouring outputs.
    Value p = split ? arith::RemUIOp::create(b, loc, lin, total) : lin;
    Value part = split ? arith::DivUIOp::create(b, loc, lin, total) : c0;
    SmallVector<Value> ivs(sizes.size(), c0);
    delinearize(p, par, ivs);

    if (red.empty()) {
      SmallVector<Value> results =
          cloneBody(ivs, loadOperands(op.getDpsInputOperands(), ivs),
                    loadOperands(initOperands(), ivs));
      for (auto [init, value] : llvm::zip(initOperands(), results))
        storeOutput(value, init->get(), indices(*init, ivs));
      return;
    }

    // Outputs do not depend on reduction dims: index them with those at 0.
    SmallVector<SmallVector<Value>> outIndices;
    SmallVector<Value> accs;
    for (OpOperand *init : initOperands()) {
      outIndices.push_back(indices(*init, ivs));
      if (split)
        accs.push_back(zero(getElementTypeOrSelf(init->get().getType())));
      else
        accs.push_back(startValue(init->get(), outIndices.back()));
    }
    auto reduce = reductionLoops(
        red, part, splits, accs, ivs,
        [&](ArrayRef<Value> rivs, ValueRange carried) {
          SmallVector<Value> outs(carried.begin(), carried.end());
          return cloneBody(rivs, loadOperands(op.getDpsInputOperands(), rivs),
                           outs);
        });
    for (auto [i, init] : llvm::enumerate(initOperands())) {
      Value value = reduce.getResult(i);
      if (!split) {
        storeOutput(value, init->get(), outIndices[i]);
        continue;
      }
      auto kind = isa<FloatType>(value.getType()) ? arith::AtomicRMWKind::addf
                                                  : arith::AtomicRMWKind::addi;
      memref::AtomicRMWOp::create(b, loc, kind, value, init->get(),
                                  outIndices[i]);
    }
  }

  /// Warp w of the op's threads (lanes l) reduces output w % total over
  /// part q = w / total of the flattened reduction: iterations
  /// q * 32 + l + j * 32 * Q for Q parts per output. Its lanes' sums are
  /// added by shuffles and lane 0 adds the warp's atomically. Without
  /// shuffles (the sequential CPU form) every lane adds its own.
  void emitWarpReduction() {
    WarpShape w = warpShape(blockSize);
    auto loop = scf::ForOp::create(b, loc, tid, constant(blockSize),
                                   constant(stride));
    b.setInsertionPoint(loop.getBody()->getTerminator());
    Value thread = loop.getInductionVar();
    Value warp = arith::DivUIOp::create(b, loc, thread, constant(kWarp));
    Value lane = arith::RemUIOp::create(b, loc, thread, constant(kWarp));
    auto [sum, active, outIdx] = warpPart(w, warp, lane);
    Value adds = active;
    if (shuffles) {
      sum = acrossLanes(sum);
      adds = arith::AndIOp::create(b, loc, adds, isLaneZero(lane));
    }
    auto ifAdds = scf::IfOp::create(b, loc, adds, false);
    b.setInsertionPointToStart(ifAdds.thenBlock());
    memref::AtomicRMWOp::create(b, loc, arith::AtomicRMWKind::addf, sum,
                                initOperands().front()->get(), outIdx);
  }

  /// The warp reduction of a phase on `grid` blocks of `block` threads,
  /// combined in order: warp w (global) stores its sum as partial w, and
  /// the last block to finish (dl::inLastBlock) reduces each output's
  /// partials with one warp, lane l adding parts l, l + 32, ... in turn and
  /// the lanes meeting by shuffles, from the output's start (the folded
  /// init's) and through the epilogue. On the GPU with `func`; without it,
  /// the sequential CPU form, blocks, warps and lanes as loops (each warp's
  /// lanes and each output's parts added in turn).
  void emitOrderedWarpReduction(gpu::GPUFuncOp func, int64_t grid,
                                int64_t block) {
    setUp();
    WarpShape w = warpShape(grid * block);
    int64_t warpsPerBlock = block / kWarp;
    dl::SplitWorkspace workspace =
        dl::getSplitWorkspace(b, loc, op, func, grid * warpsPerBlock, 1);
    Value c0 = constant(0);
    Type f32 = getElementTypeOrSelf(initOperands().front()->get().getType());
    OpOperand *init = initOperands().front();
    // Output o's result from its parts' sum.
    auto finishOutput = [&](Value o, Value sum) {
      SmallVector<Value> ivs(sizes.size(), c0);
      delinearize(o, par, ivs);
      SmallVector<Value> idx = indices(*init, ivs);
      Value start = startValue(init->get(), idx);
      storeOutput(arith::AddFOp::create(b, loc, start, sum), init->get(), idx);
    };
    auto partAt = [&](Value q, Value o) {
      return memref::LoadOp::create(
          b, loc, workspace.partials,
          ValueRange{arith::AddIOp::create(
              b, loc, arith::MulIOp::create(b, loc, q, constant(w.total)), o)});
    };
    if (func) {
      Value blockId = gpu::BlockIdOp::create(b, loc, gpu::Dimension::x);
      Value warpInBlock = arith::DivUIOp::create(b, loc, tid, constant(kWarp));
      Value lane = arith::RemUIOp::create(b, loc, tid, constant(kWarp));
      Value warp = arith::AddIOp::create(
          b, loc,
          arith::MulIOp::create(b, loc, blockId, constant(warpsPerBlock)),
          warpInBlock);
      auto part = warpPart(w, warp, lane);
      Value sum = acrossLanes(std::get<0>(part));
      auto ifStores = scf::IfOp::create(
          b, loc,
          arith::AndIOp::create(b, loc, std::get<1>(part), isLaneZero(lane)),
          false);
      {
        OpBuilder::InsertionGuard guard(b);
        b.setInsertionPointToStart(ifStores.thenBlock());
        memref::StoreOp::create(b, loc, sum, workspace.partials,
                                ValueRange{warp});
      }
      dl::inLastBlock(b, loc, func, tid, workspace, c0, grid, [&] {
        forLoop(warpInBlock, constant(w.total), constant(warpsPerBlock), {},
                [&](Value o, ValueRange) {
                  auto parts = forLoop(
                      lane, constant(w.parts), constant(kWarp),
                      ValueRange{zero(f32)}, [&](Value q, ValueRange carried) {
                        return SmallVector<Value>{arith::AddFOp::create(
                            b, loc, carried[0], partAt(q, o))};
                      });
                  Value total = acrossLanes(parts.getResult(0));
                  auto ifFirst =
                      scf::IfOp::create(b, loc, isLaneZero(lane), false);
                  OpBuilder::InsertionGuard guard(b);
                  b.setInsertionPointToStart(ifFirst.thenBlock());
                  finishOutput(o, total);
                  return SmallVector<Value>{};
                });
      });
      return;
    }
    // Blocks in reverse, so that the last is block 0; the last block's
    // sums walk outputs and parts as the GPU's warps and lanes do.
    forLoop(c0, constant(grid), constant(1), {}, [&](Value iv, ValueRange) {
      Value blockId = arith::SubIOp::create(b, loc, constant(grid - 1), iv);
      forLoop(
          c0, constant(warpsPerBlock), constant(1), {},
          [&](Value warpInBlock, ValueRange) {
            Value warp = arith::AddIOp::create(
                b, loc,
                arith::MulIOp::create(b, loc, blockId, constant(warpsPerBlock)),
                warpInBlock);
            auto lanes =
                forLoop(c0, constant(kWarp), constant(1), ValueRange{zero(f32)},
                        [&](Value lane, ValueRange carried) {
                          auto part = warpPart(w, warp, lane);
                          return SmallVector<Value>{arith::AddFOp::create(
                              b, loc, carried[0], std::get<0>(part))};
                        });
            // Whether the warp has a part: the same for all its lanes.
            Value q = arith::DivUIOp::create(b, loc, warp, constant(w.total));
            auto ifStores = scf::IfOp::create(
                b, loc,
                arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, q,
                                      constant(w.parts)),
                false);
            OpBuilder::InsertionGuard guard(b);
            b.setInsertionPointToStart(ifStores.thenBlock());
            memref::StoreOp::create(b, loc, lanes.getResult(0),
                                    workspace.partials, ValueRange{warp});
            return SmallVector<Value>{};
          });
      dl::inLastBlock(b, loc, nullptr, Value(), workspace, c0, grid, [&] {
        forLoop(
            c0, constant(warpsPerBlock), constant(1), {},
            [&](Value warpInBlock, ValueRange) {
              forLoop(
                  warpInBlock, constant(w.total), constant(warpsPerBlock), {},
                  [&](Value o, ValueRange) {
                    auto lanes = forLoop(
                        c0, constant(kWarp), constant(1), ValueRange{zero(f32)},
                        [&](Value lane, ValueRange laneCarried) {
                          auto parts = forLoop(
                              lane, constant(w.parts), constant(kWarp),
                              ValueRange{zero(f32)},
                              [&](Value q, ValueRange carried) {
                                return SmallVector<Value>{arith::AddFOp::create(
                                    b, loc, carried[0], partAt(q, o))};
                              });
                          return SmallVector<Value>{arith::AddFOp::create(
                              b, loc, laneCarried[0], parts.getResult(0))};
                        });
                    finishOutput(o, lanes.getResult(0));
                    return SmallVector<Value>{};
                  });
              return SmallVector<Value>{};
            });
      });
      return SmallVector<Value>{};
    });
  }

  /// Thread `tid` owns outputs tid + u * stride, u < n: all of them
  /// accumulate in registers through one pass over the reduction.
  void emitJammed(int64_t n) {
    SmallVector<SmallVector<Value>> ivsOf, outIdx;
    SmallVector<Value> accs;
    for (int64_t u = 0; u < n; ++u) {
      Value lin = u == 0 ? tid
                         : arith::AddIOp::create(b, loc, tid,
                                                 constant(u * stride))
                               .getResult();
      SmallVector<Value> ivs(sizes.size(), constant(0));
      delinearize(lin, par, ivs);
      ivsOf.push_back(ivs);
      for (OpOperand *init : initOperands()) {
        outIdx.push_back(indices(*init, ivs));
        accs.push_back(startValue(init->get(), outIdx.back()));
      }
    }
    unsigned numOuts = op.getNumDpsInits();
    // The outputs differ only in parallel dims: walk the reduction once with
    // the first output's ivs and substitute each output's parallel ivs.
    auto reduce = reductionLoops(
        red, constant(0), constant(1), accs, ivsOf[0],
        [&](ArrayRef<Value> rivs0, ValueRange carried) {
          SmallVector<Value> yields;
          for (int64_t u = 0; u < n; ++u) {
            SmallVector<Value> rivs(rivs0.begin(), rivs0.end());
            for (unsigned d : par)
              rivs[d] = ivsOf[u][d];
            SmallVector<Value> outs(carried.slice(u * numOuts, numOuts));
            llvm::append_range(
                yields, cloneBody(rivs,
                                  loadOperands(op.getDpsInputOperands(), rivs),
                                  outs));
          }
          return yields;
        });
    for (auto [i, result] : llvm::enumerate(reduce.getResults()))
      storeOutput(result, op.getDpsInits()[i % numOuts], outIdx[i]);
  }

  /// Loops over `dims` (last fastest) carrying `init`: the outer dims
  /// flattened, from `first` by `step`, the innermost dim as a full loop of
  /// its own inside, so that splitting a flat index into dims costs once per
  /// inner sweep rather than once per iteration. `body` gets each point's
  /// loop ivs (`base` with `dims` set) and the carried values.
  scf::ForOp reductionLoops(
      ArrayRef<unsigned> dims, Value first, Value step, ValueRange init,
      ArrayRef<Value> base,
      function_ref<SmallVector<Value>(ArrayRef<Value>, ValueRange)> body) {
    ArrayRef<unsigned> outer = outerDims(dims);
    // With a constant split that divides the range, count iterations from
    // zero: LLVM then knows the trip count and unrolls, keeping several of
    // a thread's loads in flight.
    Value lb = first, ub = product(outer), loopStep = step;
    std::optional<int64_t> splits = getConstantIntValue(step);
    std::optional<int64_t> range = getConstantIntValue(ub);
    bool counted = splits && range && *splits > 1 && *range % *splits == 0;
    if (counted) {
      lb = constant(0);
      ub = constant(*range / *splits);
      loopStep = constant(1);
    }
    return forLoop(lb, ub, loopStep, init, [&](Value r, ValueRange carried) {
      if (counted)
        r = arith::AddIOp::create(b, loc, first,
                                  arith::MulIOp::create(b, loc, r, step));
      SmallVector<Value> ivs(base.begin(), base.end());
      delinearize(r, outer, ivs);
      if (dims.size() == 1)
        return body(ivs, carried);
      unsigned inner = dims.back();
      auto sweep = forLoop(constant(0), sizes[inner], constant(1), carried,
                           [&](Value i, ValueRange innerCarried) {
                             ivs[inner] = i;
                             return body(ivs, innerCarried);
                           });
      return SmallVector<Value>(sweep.getResults());
    });
  }

  /// The reduction dims that reductionLoops flattens (all but the innermost).
  ArrayRef<unsigned> outerReductionDims() { return outerDims(red); }

  /// Set when the op has a form neither emit path supports.
  bool failedToMap = false;
  /// Set when every output element went through the epilogue (each was
  /// stored once, by one thread); else the epilogue still has to run.
  bool fusedEpilogue = false;

private:
  /// The loop sizes, and which loops are parallel and which reductions.
  void setUp() {
    SmallVector<Range> ranges =
        cast<linalg::LinalgOp>(op.getOperation()).createLoopRanges(b, loc);
    for (Range &r : ranges)
      sizes.push_back(getValueOrCreateConstantIndexOp(b, loc, r.size));
    for (auto [d, type] : llvm::enumerate(op.getIteratorTypesArray()))
      (type == utils::IteratorType::parallel ? par : red).push_back(d);
  }

  /// A warp reduction on `threads` threads: `total` outputs, each over
  /// `reductions` iterations in `parts` parts of whole warps.
  struct WarpShape {
    int64_t total = 1, reductions = 1, parts = 1;
  };
  WarpShape warpShape(int64_t threads) {
    WarpShape w;
    for (unsigned d : par)
      w.total *= *getConstantIntValue(sizes[d]);
    for (unsigned d : red)
      w.reductions *= *getConstantIntValue(sizes[d]);
    w.parts = threads / kWarp / w.total;
    return w;
  }

  /// Lane `lane` of warp `warp`: its sum over iterations q * 32 + lane +
  /// j * 32 * parts of the flattened reduction for output warp % total,
  /// q = warp / total; whether the warp has a part (q < parts); and the
  /// output's indices.
  std::tuple<Value, Value, SmallVector<Value>> warpPart(const WarpShape &w,
                                                        Value warp,
                                                        Value lane) {
    Value output = arith::RemUIOp::create(b, loc, warp, constant(w.total));
    Value part = arith::DivUIOp::create(b, loc, warp, constant(w.total));
    Value active = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult,
                                         part, constant(w.parts));
    SmallVector<Value> ivs(sizes.size(), constant(0));
    delinearize(output, par, ivs);
    OpOperand *init = initOperands().front();
    SmallVector<Value> outIdx = indices(*init, ivs);
    Type f32 = getElementTypeOrSelf(init->get().getType());
    // Idle warps (beyond `parts` per output) start past the end.
    Value first = arith::AddIOp::create(
        b, loc, arith::MulIOp::create(b, loc, part, constant(kWarp)), lane);
    first = arith::SelectOp::create(b, loc, active, first,
                                    constant(w.reductions));
    auto sweep = forLoop(
        first, constant(w.reductions), constant(kWarp * w.parts),
        ValueRange{zero(f32)}, [&](Value r, ValueRange carried) {
          SmallVector<Value> rivs = ivs;
          delinearize(r, red, rivs);
          SmallVector<Value> outs(carried.begin(), carried.end());
          return cloneBody(rivs, loadOperands(op.getDpsInputOperands(), rivs),
                           outs);
        });
    return {sweep.getResult(0), active, outIdx};
  }

  Value acrossLanes(Value v) { return dl::sumAcrossLanes(b, loc, v); }

  scf::ForOp forLoop(Value lb, Value ub, Value step, ValueRange iterArgs,
                     function_ref<SmallVector<Value>(Value, ValueRange)> body) {
    return dl::IndexMath(b, loc).loop(lb, ub, step, iterArgs, body);
  }

  Value isLaneZero(Value lane) {
    return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, lane,
                                 constant(0));
  }

  /// An output element's value before the op: the prologue's, if fused.
  Value startValue(Value out, ValueRange idx) {
    if (prologue)
      return dl::prologueValueAt(b, loc, prologue, idx);
    return memref::LoadOp::create(b, loc, out, idx);
  }

  /// The final store of an output element.
  void storeOutput(Value value, Value out, ValueRange idx) {
    if (!epilogue) {
      memref::StoreOp::create(b, loc, value, out, idx);
      return;
    }
    dl::storeThroughEpilogue(b, loc, epilogue, out, value, idx);
    fusedEpilogue = true;
  }

  Value constant(int64_t v) { return arith::ConstantIndexOp::create(b, loc, v); }

  /// `c * dA + dB` (c >= 1, either order) as (dA, c, dB): dA is derived from
  /// the output index and dB, which is looped over.
  static std::optional<std::tuple<unsigned, int64_t, unsigned>>
  matchWindowIndex(AffineExpr e) {
    auto add = dyn_cast<AffineBinaryOpExpr>(e);
    if (!add || add.getKind() != AffineExprKind::Add)
      return std::nullopt;
    auto term = [](AffineExpr t) -> std::optional<std::pair<unsigned, int64_t>> {
      if (auto d = dyn_cast<AffineDimExpr>(t))
        return std::make_pair(d.getPosition(), int64_t(1));
      auto mul = dyn_cast<AffineBinaryOpExpr>(t);
      if (!mul || mul.getKind() != AffineExprKind::Mul)
        return std::nullopt;
      auto d = dyn_cast<AffineDimExpr>(mul.getLHS());
      auto c = dyn_cast<AffineConstantExpr>(mul.getRHS());
      if (!d || !c || c.getValue() < 1)
        return std::nullopt;
      return std::make_pair(d.getPosition(), c.getValue());
    };
    auto l = term(add.getLHS()), r = term(add.getRHS());
    if (!l || !r || l->first == r->first)
      return std::nullopt;
    if (r->second != 1)
      return std::make_tuple(r->first, r->second, l->first);
    return std::make_tuple(l->first, l->second, r->first);
  }

  /// Ops whose parallel iterations may write the same element (the
  /// scatter-form pooling and convolution gradients, out[.., dA*s + dB, ..]
  /// += ...): one thread per output element gathers every iteration that
  /// writes it, deriving dA from the element's index and each dB, so no
  /// two threads write the same element.
  void emitGather() {
    if (op.getNumDpsInits() != 1) {
      failedToMap = true;
      return;
    }
    OpOperand *init = initOperands().front();
    AffineMap map = op.getMatchingIndexingMap(init);
    unsigned numLoops = sizes.size();
    // For each loop dim: fixed by an output index, derived, or looped.
    enum Kind { Looped, Fixed, Derived };
    SmallVector<Kind> kind(numLoops, Looped);
    SmallVector<std::tuple<unsigned, unsigned, int64_t, unsigned>> windows;
    for (auto [k, e] : llvm::enumerate(map.getResults())) {
      if (auto dim = dyn_cast<AffineDimExpr>(e)) {
        if (kind[dim.getPosition()] != Looped) {
          failedToMap = true;
          return;
        }
        kind[dim.getPosition()] = Fixed;
        continue;
      }
      auto window = matchWindowIndex(e);
      if (!window) {
        failedToMap = true;
        return;
      }
      auto [derived, coeff, looped] = *window;
      // With both coefficients 1, walk the smaller range (the window) and
      // derive the larger: fewer positions fail the bounds check.
      SmallVector<int64_t> ranges = op.getStaticLoopRanges();
      if (coeff == 1 && ranges[looped] > ranges[derived])
        std::swap(derived, looped);
      if (kind[derived] != Looped || kind[looped] != Looped) {
        failedToMap = true;
        return;
      }
      kind[derived] = Derived;
      windows.push_back({static_cast<unsigned>(k), derived, coeff, looped});
    }
    SmallVector<unsigned> loops;
    for (unsigned d = 0; d < numLoops; ++d)
      if (kind[d] == Looped)
        loops.push_back(d);

    Value out = init->get();
    auto outType = cast<MemRefType>(out.getType());
    std::optional<unsigned> jam;
    int64_t jamCount = 0;
    if (auto j = gatherJam(op)) {
      jam = j->first;
      jamCount = j->second;
    }
    SmallVector<Value> outSizes;
    for (int64_t d = 0; d < outType.getRank(); ++d)
      outSizes.push_back(
          outType.isDynamicDim(d)
              ? memref::DimOp::create(b, loc, out, d).getResult()
              : constant(jam && d == *jam ? 1 : outType.getDimSize(d)));
    Value total = constant(1);
    for (Value size : outSizes)
      total = arith::MulIOp::create(b, loc, total, size);
    auto loop = scf::ForOp::create(b, loc, tid, total, constant(stride));
    b.setInsertionPoint(loop.getBody()->getTerminator());
    SmallVector<Value> outIdx(outSizes.size());
    Value rest = loop.getInductionVar();
    for (unsigned k = outSizes.size(); k-- > 0;) {
      outIdx[k] = k == 0 ? rest
                         : arith::RemUIOp::create(b, loc, rest, outSizes[k])
                               .getResult();
      if (k != 0)
        rest = arith::DivUIOp::create(b, loc, rest, outSizes[k]);
    }
    // The output elements this thread accumulates: one, or the jammed dim's.
    SmallVector<SmallVector<Value>> outIdxOf;
    for (int64_t u = 0; u < (jam ? jamCount : 1); ++u) {
      outIdxOf.push_back(outIdx);
      if (jam)
        outIdxOf.back()[*jam] = constant(u);
    }
    auto ivsFor = [&](ArrayRef<Value> idx, SmallVector<Value> ivs) {
      for (auto [k, e] : llvm::enumerate(map.getResults()))
        if (auto dim = dyn_cast<AffineDimExpr>(e))
          ivs[dim.getPosition()] = idx[k];
      return ivs;
    };
    SmallVector<Value> ivs = ivsFor(outIdx, SmallVector<Value>(numLoops, constant(0)));
    SmallVector<Value> accs;
    for (ArrayRef<Value> idx : outIdxOf)
      accs.push_back(startValue(out, idx));
    // A unit-stride window dB walks only the positions whose dA = o - dB is
    // in range, [max(0, o - |dA| + 1), min(|dB|, o + 1)): no check needed.
    auto unitWindowOf = [&](unsigned d) -> std::optional<unsigned> {
      for (auto [i, w] : llvm::enumerate(windows))
        if (std::get<3>(w) == d && std::get<2>(w) == 1)
          return i;
      return std::nullopt;
    };
    std::function<SmallVector<Value>(unsigned, ValueRange, SmallVector<Value>)>
        nest = [&](unsigned i, ValueRange carried,
                   SmallVector<Value> rivs) -> SmallVector<Value> {
      if (i == loops.size()) {
        SmallVector<Value> results;
        for (auto [u, idx] : llvm::enumerate(outIdxOf))
          llvm::append_range(results, gatherBody(windows, idx,
                                                 ivsFor(idx, rivs), carried[u]));
        return results;
      }
      unsigned d = loops[i];
      Value lb = constant(0), ub = sizes[d];
      if (auto w = unitWindowOf(d)) {
        auto [k, derived, coeff, looped] = windows[*w];
        Value next = arith::AddIOp::create(b, loc, outIdx[k], constant(1));
        Value over = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ugt,
                                           next, sizes[derived]);
        lb = arith::SelectOp::create(
            b, loc, over, arith::SubIOp::create(b, loc, next, sizes[derived]),
            constant(0));
        ub = arith::MinUIOp::create(b, loc, ub, next);
      }
      auto loop = forLoop(lb, ub, constant(1), carried,
                          [&](Value iv, ValueRange inner) {
                            SmallVector<Value> next = rivs;
                            next[d] = iv;
                            return nest(i + 1, inner, next);
                          });
      return SmallVector<Value>(loop.getResults());
    };
    SmallVector<Value> result = nest(0, accs, ivs);
    for (auto [value, idx] : llvm::zip(result, outIdxOf))
      storeOutput(value, out, idx);
  }

  /// One iteration of the gather: derives each window's dA from the output
  /// index, checks what the loop bounds did not guarantee, accumulates.
  SmallVector<Value> gatherBody(
      ArrayRef<std::tuple<unsigned, unsigned, int64_t, unsigned>> windows,
      ArrayRef<Value> outIdx, SmallVector<Value> rivs, Value current) {
    Value valid = arith::ConstantIntOp::create(b, loc, 1, 1);
    for (auto [k, derived, coeff, looped] : windows) {
      Value t = arith::SubIOp::create(b, loc, outIdx[k], rivs[looped]);
      if (coeff == 1) {
        rivs[derived] = t; // in range by the loop bounds
        continue;
      }
      // Unsigned: t < 0 wraps to a huge value, rejected by the bound.
      Value q = arith::DivUIOp::create(b, loc, t, constant(coeff));
      Value rem = arith::RemUIOp::create(b, loc, t, constant(coeff));
      Value whole = arith::AndIOp::create(
          b, loc,
          arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, q,
                                sizes[derived]),
          arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, rem,
                                constant(0)));
      valid = arith::AndIOp::create(b, loc, valid, whole);
      rivs[derived] = q;
    }
    auto ifValid = scf::IfOp::create(
        b, loc, valid,
        [&](OpBuilder &thenBuilder, Location) {
          OpBuilder::InsertionGuard inner(b);
          b.setInsertionPoint(thenBuilder.getInsertionBlock(),
                              thenBuilder.getInsertionPoint());
          SmallVector<Value> results = cloneBody(
              rivs, loadOperands(op.getDpsInputOperands(), rivs), {current});
          scf::YieldOp::create(b, loc, results);
        },
        [&](OpBuilder &elseBuilder, Location) {
          scf::YieldOp::create(elseBuilder, loc, current);
        });
    return SmallVector<Value>(ifValid.getResults());
  }

  Value zero(Type type) {
    return arith::ConstantOp::create(b, loc, type, b.getZeroAttr(type));
  }

  Value product(ArrayRef<unsigned> dims) {
    Value result = constant(1);
    for (unsigned d : dims)
      result = b.createOrFold<arith::MulIOp>(loc, result, sizes[d]);
    return result;
  }

  /// Splits `linear` over `dims` (last fastest) into `ivs`.
  void delinearize(Value linear, ArrayRef<unsigned> dims,
                   SmallVector<Value> &ivs) {
    for (unsigned k = dims.size(); k-- > 0;) {
      unsigned d = dims[k];
      if (k == 0) {
        ivs[d] = linear;
        break;
      }
      ivs[d] = arith::RemUIOp::create(b, loc, linear, sizes[d]);
      linear = arith::DivUIOp::create(b, loc, linear, sizes[d]);
    }
  }

  SmallVector<OpOperand *> initOperands() {
    return llvm::map_to_vector(op.getDpsInitsMutable(),
                               [](OpOperand &o) { return &o; });
  }

  SmallVector<Value> indices(OpOperand &operand, ArrayRef<Value> ivs) {
    AffineMap map = op.getMatchingIndexingMap(&operand);
    SmallVector<Value> result;
    for (unsigned i = 0; i < map.getNumResults(); ++i) {
      AffineExpr expr = map.getResult(i);
      if (auto dim = dyn_cast<AffineDimExpr>(expr))
        result.push_back(ivs[dim.getPosition()]);
      else
        result.push_back(
            affine::AffineApplyOp::create(b, loc, map.getSubMap({i}), ivs));
    }
    return result;
  }

  /// The values the body reads, or null where it does not read them.
  SmallVector<Value> loadOperands(ArrayRef<OpOperand *> operands,
                                  ArrayRef<Value> ivs) {
    SmallVector<Value> values;
    for (OpOperand *operand : operands) {
      if (op.getMatchingBlockArgument(operand).use_empty()) {
        values.push_back({});
        continue;
      }
      Value v = operand->get();
      if (!isa<MemRefType>(v.getType()))
        values.push_back(v); // a scalar operand, e.g. a fill value
      else
        values.push_back(
            memref::LoadOp::create(b, loc, v, indices(*operand, ivs)));
    }
    return values;
  }

  SmallVector<Value> cloneBody(ArrayRef<Value> ivs, ArrayRef<Value> inputs,
                               ArrayRef<Value> outputs) {
    Block &body = op.getRegion().front();
    IRMapping mapping;
    unsigned numInputs = op.getNumDpsInputs();
    for (auto [i, arg] : llvm::enumerate(body.getArguments())) {
      Value v = i < numInputs ? inputs[i] : outputs[i - numInputs];
      if (v)
        mapping.map(arg, v);
    }
    for (Operation &inner : body.without_terminator()) {
      if (auto index = dyn_cast<linalg::IndexOp>(inner)) {
        mapping.map(index.getResult(), ivs[index.getDim()]);
        continue;
      }
      b.clone(inner, mapping);
    }
    auto yield = cast<linalg::YieldOp>(body.getTerminator());
    return llvm::map_to_vector(yield.getValues(), [&](Value v) {
      return mapping.lookupOrDefault(v);
    });
  }

  linalg::GenericOp op;
  OpBuilder b;
  Location loc;
  Value tid;
  int64_t stride, blockSize;
  bool shuffles;
  linalg::GenericOp prologue, epilogue;
  SmallVector<Value> sizes;
  SmallVector<unsigned> par, red;
};

/// `memref.load` of a constant splat global becomes the constant: the
/// kernels module's globals are not visible inside gpu.module.
void foldConstantGlobalLoads(gpu::GPUFuncOp func, ModuleOp kernels) {
  func.walk([&](memref::LoadOp load) {
    auto get = load.getMemref().getDefiningOp<memref::GetGlobalOp>();
    if (!get)
      return;
    auto global = kernels.lookupSymbol<memref::GlobalOp>(get.getNameAttr());
    if (!global || !global.getConstant())
      return;
    auto value = dyn_cast_or_null<SplatElementsAttr>(
        global.getInitialValue().value_or(Attribute()));
    if (!value)
      return;
    OpBuilder b(load);
    Value c = arith::ConstantOp::create(
        b, load.getLoc(), cast<TypedAttr>(value.getSplatValue<Attribute>()));
    load.replaceAllUsesWith(c);
    load.erase();
  });
}

struct MapKernelsToGPUPass
    : public dl::impl::MapKernelsToGPUBase<MapKernelsToGPUPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    ModuleOp kernels = dl::findKernelsModule(module);
    if (!kernels || failed(dl::checkBufferizedKernels(kernels)))
      return signalPassFailure();
    MLIRContext *ctx = &getContext();
    if (blockSize < 32 || blockSize > 1024 || blockSize % 32 != 0) {
      kernels.emitError("block size must be a multiple of 32 in [32, 1024]");
      return signalPassFailure();
    }
    if (sequential) {
      for (auto func : kernels.getOps<func::FuncOp>()) {
        Block &body = func.getBody().front();
        if (failed(generalizeNamedOps(body)))
          return signalPassFailure();
        dl::fusePaddingCopies(body);
        if (isPhased(func)) {
          if (failed(mapPhasedSequentially(func)))
            return signalPassFailure();
          continue;
        }
        // Before any op is mapped: the GPU sizes the block from all of them.
        int64_t block = blockFor(func);
        OpBuilder b(&body, body.begin());
        Value zero = arith::ConstantIndexOp::create(b, func.getLoc(), 0);
        if (failed(mapOps(body, zero, /*stride=*/1, /*barriers=*/false,
                          [&](linalg::GenericOp) { return block; })))
          return signalPassFailure();
      }
      if (failed(dl::approximateMath(kernels)))
        signalPassFailure();
      return;
    }
    OpBuilder b(ctx);
    kernels->setAttr(gpu::GPUDialect::getContainerModuleAttrName(),
                     b.getUnitAttr());
    b.setInsertionPointToEnd(kernels.getBody());
    auto gpuModule = gpu::GPUModuleOp::create(b, kernels.getLoc(), "dl_gpu");

    for (auto func : llvm::to_vector(kernels.getOps<func::FuncOp>())) {
      if (failed(mapKernel(func, kernels, gpuModule)))
        return signalPassFailure();
    }
    // Each kernel's functions (itself, or its phases) together.
    llvm::MapVector<StringRef, SmallVector<gpu::GPUFuncOp>> kernelFuncs;
    for (auto f : gpuModule.getOps<gpu::GPUFuncOp>()) {
      auto of = f->getAttrOfType<StringAttr>("dl.phase_of");
      kernelFuncs[of ? of.getValue() : f.getName()].push_back(f);
    }
    if (workgroupScratch)
      for (auto f : gpuModule.getOps<gpu::GPUFuncOp>())
        dl::moveScratchToWorkgroup(f);
    for (auto &entry : kernelFuncs)
      dl::annotateBufferAccess(entry.second);
    // Constants now folded into the kernels; nothing else may use them.
    for (auto global : llvm::to_vector(kernels.getOps<memref::GlobalOp>()))
      if (SymbolTable::symbolKnownUseEmpty(global, kernels))
        global.erase();

    if (failed(dl::approximateMath(gpuModule)))
      signalPassFailure();
  }

  /// Named ops (fills, copies) become generics.
  LogicalResult generalizeNamedOps(Block &body) {
    IRRewriter rewriter(&getContext());
    SmallVector<linalg::LinalgOp> named;
    for (Operation &op : body)
      if (isa<linalg::LinalgOp>(op) && !isa<linalg::GenericOp>(op))
        named.push_back(cast<linalg::LinalgOp>(op));
    for (linalg::LinalgOp op : named) {
      rewriter.setInsertionPoint(op);
      if (failed(linalg::generalizeNamedOp(rewriter, op)))
        return op.emitError("cannot generalize for the GPU");
    }
    return success();
  }

  /// The top-level generics of `body`, in order; fails on other region ops.
  FailureOr<SmallVector<linalg::GenericOp>> genericsOf(Block &body) {
    SmallVector<linalg::GenericOp> generics;
    for (Operation &op : body) {
      if (auto generic = dyn_cast<linalg::GenericOp>(op)) {
        if (!generic.hasPureBufferSemantics())
          return generic.emitError("GPU mapping needs bufferized kernels");
        generics.push_back(generic);
      } else if (op.getNumRegions() != 0) {
        return op.emitError("unexpected region op in a kernel: ")
               << op.getName();
      }
    }
    return generics;
  }

  /// A kernel that one block cannot carry (unsliced and too many iterations
  /// per thread) runs as one launch per op, each on a grid of its own.
  bool isPhased(func::FuncOp func) {
    auto wg = func->getAttrOfType<IntegerAttr>("dl.workgroups");
    return (!wg || wg.getInt() == 1) &&
           dl::iterationsPerThread(func, 0, blockSize) >
               dl::kMaxIterationsPerThread;
  }

  /// Blocks for one op of a phased kernel. A reduction that threads can
  /// share (added partial sums) gets about 128 iterations per thread, but
  /// at least enough threads to fill the GPU; any other op one thread per
  /// output element (4 per thread when elementwise); never more threads
  /// than can share the op's work.
  int64_t phaseGrid(linalg::GenericOp op) {
    int64_t work = 1;
    for (int64_t range : op.getStaticLoopRanges())
      work *= ShapedType::isDynamic(range) ? 1 : range;
    int64_t threads = usefulThreads(op);
    if (op.getNumReductionLoops() == 0)
      threads = std::min(threads, (work + 3) / 4);
    else if (reducesByWarps(op)) {
      // A warp per output at least, and lanes of about 128 iterations.
      int64_t outputs = loopExtents(op).parallel;
      threads = std::clamp(std::max((work + 127) / 128, kFillThreads),
                           outputs * kWarp, outputs * kWarp * kMaxSplits);
    }
    else if (ownsOutputs(op) && combinesByAdd(op))
      threads = std::min(threads, std::max((work + 127) / 128, kFillThreads));
    return std::clamp<int64_t>((threads + blockSize - 1) / blockSize, 1,
                               65535);
  }

  /// Every generic of `body` to a thread loop, on `threadsFor(op)` threads.
  LogicalResult mapOps(Block &body, Value tid, int64_t stride, bool barriers,
                       function_ref<int64_t(linalg::GenericOp)> threadsFor) {
    FailureOr<SmallVector<linalg::GenericOp>> generics = genericsOf(body);
    if (failed(generics))
      return failure();
    for (size_t i = 0; i < generics->size(); ++i) {
      linalg::GenericOp generic = (*generics)[i];
      // An op that only initialises the next one's output runs inside it.
      linalg::GenericOp prologue;
      if (i + 1 < generics->size() &&
          dl::isFusablePrologue(generic, (*generics)[i + 1]) &&
          GenericToThreads::summedByOneThread(
              (*generics)[i + 1], threadsFor((*generics)[i + 1]))) {
        prologue = generic;
        generic = (*generics)[++i];
      }
      linalg::GenericOp epilogue;
      if (i + 1 < generics->size() &&
          dl::isFusableEpilogue(generic, (*generics)[i + 1]) &&
          dl::fusableTogether(prologue, (*generics)[i + 1])) {
        epilogue = (*generics)[i + 1];
        dl::hoistEpilogueOperands(generic, epilogue);
      }
      FailureOr<bool> fused = lower(generic, tid, stride, threadsFor(generic),
                                    prologue, epilogue);
      if (failed(fused))
        return failure();
      if (prologue)
        prologue.erase();
      if (*fused) {
        epilogue.erase();
        ++i;
      }
      // The next op may read any element this one wrote.
      if (barriers && i + 1 < generics->size()) {
        OpBuilder after(generic);
        after.setInsertionPointAfter(generic);
        gpu::BarrierOp::create(after, generic.getLoc());
      }
      generic.erase();
    }
    return success();
  }

  /// Maps `generic` onto threads, through `epilogue` (if given) where each
  /// output element is stored once; returns whether it was.
  FailureOr<bool> lower(linalg::GenericOp generic, Value tid, int64_t stride,
                        int64_t threads, linalg::GenericOp prologue = {},
                        linalg::GenericOp epilogue = {}) {
    GenericToThreads lowering(generic, tid, stride, threads, !sequential,
                              prologue, epilogue);
    lowering.emit();
    if (lowering.failedToMap)
      return generic.emitError("no GPU mapping for this indexing of the "
                               "output");
    return lowering.fusedEpilogue;
  }

  /// Maps `generic`, a warp reduction of a phase on `grid` blocks, as
  /// GenericToThreads::emitOrderedWarpReduction (`tid` the thread id in the
  /// block; the sequential CPU form without `func`); returns whether
  /// `epilogue` was folded in.
  FailureOr<bool> lowerOrderedWarps(linalg::GenericOp generic,
                                    gpu::GPUFuncOp func, Value tid,
                                    int64_t grid, linalg::GenericOp prologue,
                                    linalg::GenericOp epilogue) {
    GenericToThreads lowering(generic, tid, blockSize, grid * blockSize,
                              !sequential, prologue, epilogue);
    lowering.emitOrderedWarpReduction(func, grid, blockSize);
    return lowering.fusedEpilogue;
  }

  /// Threads per block of an unphased kernel: a kernel that runs as one
  /// block (its ops need the whole batch, e.g. a bias gradient or the loss)
  /// gets the most a block can have, so its loops are shorter; a sliced one
  /// doubles its block until no op gives a thread more than
  /// kOutputsPerThread outputs (a pooling gradient's slice of one image has
  /// thousands), since each thread's outputs are a chain of loads.
  int64_t blockFor(func::FuncOp func) {
    auto wg = func->getAttrOfType<IntegerAttr>("dl.workgroups");
    if (!wg || wg.getInt() == 1)
      return kSingleBlock;
    int64_t outputs = 1;
    func.walk([&](linalg::LinalgOp op) {
      outputs = std::max(outputs, loopExtents(op).parallel);
    });
    int64_t threads = blockSize;
    while (threads < kSingleBlock && outputs > threads * kOutputsPerThread)
      threads *= 2;
    return std::min<int64_t>(threads, kSingleBlock);
  }

  /// An empty kernel `name` with `func`'s buffer arguments and dl.* attrs,
  /// for blocks of `threads`.
  gpu::GPUFuncOp createGPUFunc(func::FuncOp func, StringRef name,
                               gpu::GPUModuleOp gpuModule, int64_t threads) {
    MLIRContext *ctx = &getContext();
    SmallVector<Type> argTypes(func.getArgumentTypes().drop_back(2));
    OpBuilder b(ctx);
    b.setInsertionPointToEnd(gpuModule.getBody());
    auto gpuFunc = gpu::GPUFuncOp::create(b, func.getLoc(), name,
                                          FunctionType::get(ctx, argTypes, {}));
    gpuFunc->setAttr(gpu::GPUDialect::getKernelFuncAttrName(), b.getUnitAttr());
    gpuFunc.setKnownBlockSizeAttr(
        b.getDenseI32ArrayAttr({static_cast<int32_t>(threads), 1, 1}));
    for (NamedAttribute attr : func->getAttrs())
      if (attr.getName().strref().starts_with("dl."))
        gpuFunc->setAttr(attr.getName(), attr.getValue());
    gpuFunc->setAttr("dl.block", b.getI64IntegerAttr(threads));
    return gpuFunc;
  }

  /// Folds constant loads, drops dead views and constants, and checks no
  /// constant array is left (the kernels module's globals are out of reach).
  LogicalResult finish(gpu::GPUFuncOp gpuFunc, ModuleOp kernels) {
    foldConstantGlobalLoads(gpuFunc, kernels);
    Block &body = gpuFunc.getBody().front();
    bool changed = true;
    while (changed) {
      changed = false;
      for (Operation &op : llvm::make_early_inc_range(body.getOperations()))
        if (isa<memref::SubViewOp, memref::GetGlobalOp, arith::ConstantOp,
                affine::AffineApplyOp, memref::LoadOp, arith::MulIOp,
                arith::AddIOp, arith::SubIOp, arith::DivUIOp>(op) &&
            op.use_empty()) {
          op.erase();
          changed = true;
        }
    }
    // Globals of the gpu.module itself (the split workspace) are in reach.
    auto gpuModule = gpuFunc->getParentOfType<gpu::GPUModuleOp>();
    WalkResult stray = gpuFunc.walk([&](memref::GetGlobalOp get) {
      if (SymbolTable::lookupSymbolIn(gpuModule, get.getNameAttr()))
        return WalkResult::advance();
      get.emitError("a GPU kernel cannot read constant array ")
          << get.getName();
      return WalkResult::interrupt();
    });
    return failure(stray.wasInterrupted());
  }

  LogicalResult mapKernel(func::FuncOp func, ModuleOp kernels,
                          gpu::GPUModuleOp gpuModule) {
    unsigned numArgs = func.getNumArguments();
    if (numArgs < 2 ||
        !llvm::all_of(func.getArgumentTypes().take_back(2),
                      [](Type t) { return t.isIndex(); }))
      return func.emitError("expected the (id, count) arguments of "
                            "dl-distribute-workgroups");
    for (Type t : func.getArgumentTypes().drop_back(2)) {
      auto memref = dyn_cast<MemRefType>(t);
      if (!memref || !memref.hasStaticShape() ||
          !memref.getLayout().isIdentity())
        return func.emitError("GPU kernels take static, identity-layout "
                              "buffers; got ")
               << t;
    }
    Block &src = func.getBody().front();
    if (failed(generalizeNamedOps(src)))
      return failure();
    dl::fusePaddingCopies(src);
    if (isPhased(func))
      return mapPhased(func, kernels, gpuModule);

    int64_t threads = blockFor(func);
    gpu::GPUFuncOp gpuFunc =
        createGPUFunc(func, func.getSymName(), gpuModule, threads);
    // Move the body over; the slice id and count become block id and grid.
    Block &dst = gpuFunc.getBody().front();
    OpBuilder b(&dst, dst.begin());
    Location loc = func.getLoc();
    Value id = gpu::BlockIdOp::create(b, loc, gpu::Dimension::x);
    Value count = gpu::GridDimOp::create(b, loc, gpu::Dimension::x);
    Value tid = gpu::ThreadIdOp::create(b, loc, gpu::Dimension::x);
    for (unsigned i = 0; i < numArgs - 2; ++i)
      src.getArgument(i).replaceAllUsesWith(dst.getArgument(i));
    src.getArgument(numArgs - 2).replaceAllUsesWith(id);
    src.getArgument(numArgs - 1).replaceAllUsesWith(count);
    dst.getOperations().splice(dst.end(), src.getOperations());
    auto ret = cast<func::ReturnOp>(dst.getTerminator());
    b.setInsertionPoint(ret);
    gpu::ReturnOp::create(b, ret.getLoc());
    ret.erase();
    func.erase();

    if (failed(mapOps(dst, tid, threads, /*barriers=*/true,
                      [&](linalg::GenericOp) { return threads; })))
      return failure();
    return finish(gpuFunc, kernels);
  }

  /// Which op of a phased kernel runs how: ops with a schedule of their
  /// own (tiled or row products, window sums) with the init and epilogue
  /// they take in (and the padding a window sum reads through), the inits
  /// that reductions summed by one thread (or by warps whose blocks combine
  /// in order) take in, and the ops so absorbed (no phase of their own).
  /// The GPU and the sequential CPU form decide alike.
  struct OwnSchedule {
    dl::ContractionShape shape; // a product, unless `window`
    bool rows = false;          // the product by rows (else tiled)
    int64_t splits = 1;
    std::optional<dl::WindowSumShape> window;
    linalg::GenericOp prologue, epilogue;
    /// Window sums: the padding that wrote x, read through instead.
    linalg::GenericOp padding;

    /// Replaces `op` (alone in `func`; the sequential form without it);
    /// returns the grid.
    int64_t emit(gpu::GPUFuncOp func, linalg::GenericOp op, bool ordered,
                 bool vectorStores, linalg::GenericOp prologueCopy,
                 linalg::GenericOp epilogueCopy,
                 linalg::GenericOp paddingCopy) const {
      if (window)
        return dl::emitWindowSum(func, op, *window, prologueCopy,
                                 epilogueCopy, paddingCopy);
      if (rows)
        return dl::emitRowProduct(func, op, shape, prologueCopy, epilogueCopy);
      return dl::emitTiledContraction(func, op, shape, splits, ordered,
                                      prologueCopy, epilogueCopy,
                                      vectorStores);
    }
  };
  struct PhasePlan {
    SmallVector<linalg::GenericOp> generics;
    DenseMap<Operation *, OwnSchedule> scheduled;
    /// Warp reductions whose blocks combine in order (orderedSplits).
    DenseSet<Operation *> orderedWarps;
    DenseMap<Operation *, linalg::GenericOp> prologueOf;
    DenseSet<Operation *> absorbed;

    linalg::GenericOp epilogueAfter(size_t i) const {
      return i + 1 < generics.size() &&
                     dl::isFusableEpilogue(generics[i], generics[i + 1])
                 ? generics[i + 1]
                 : linalg::GenericOp();
    }

    /// The epilogue `generics[i]` would take in: its own schedule's, or
    /// the next op if it may.
    linalg::GenericOp epilogueOf(size_t i) const {
      auto own = scheduled.find(generics[i]);
      if (own != scheduled.end())
        return own->second.epilogue;
      linalg::GenericOp epilogue = epilogueAfter(i);
      return dl::fusableTogether(prologueOf.lookup(generics[i]), epilogue)
                 ? epilogue
                 : linalg::GenericOp();
    }
  };

  PhasePlan planPhases(ArrayRef<linalg::GenericOp> generics) {
    PhasePlan plan;
    plan.generics.assign(generics.begin(), generics.end());
    size_t n = generics.size();
    static_assert(dl::kTiledContractionBlock == dl::kWindowSumBlock &&
                  dl::kTiledContractionBlock == dl::kRowProductBlock);
    for (size_t i = 0; i < n && blockSize == dl::kTiledContractionBlock;
         ++i) {
      OwnSchedule t;
      // Rows before tiles: the narrowest products fail the tiles' test of
      // useful work.
      std::optional<dl::ContractionShape> dims;
      if (rowProducts)
        dims = dl::matchProductDims(generics[i]);
      if (dims && dl::isRowProduct(generics[i], *dims)) {
        t.shape = *dims;
        t.rows = true;
      } else if (std::optional<dl::ContractionShape> shape =
                     dl::matchContraction(generics[i])) {
        t.shape = *shape;
      } else if (orderedSplits) { // the window sums combine blocks in order
        t.window = dl::matchWindowSum(generics[i]);
      }
      if (!t.window && t.shape.m == 0)
        continue;
      t.prologue = initBefore(generics, i);
      t.epilogue = plan.epilogueAfter(i);
      if (!dl::fusableTogether(t.prologue, t.epilogue))
        t.epilogue = {};
      if (t.rows) {
        t.splits = 1;
      } else if (!t.window) {
        t.splits =
            dl::tiledSplits(t.shape, bool(t.prologue), bool(t.epilogue));
        if (t.splits != 1 && !orderedSplits)
          t.prologue = t.epilogue = {};
      } else {
        t.padding = paddingReadOnlyBy(generics, i, t.window->x);
      }
      for (linalg::GenericOp fused : {t.prologue, t.epilogue, t.padding})
        if (fused)
          plan.absorbed.insert(fused);
      plan.scheduled[generics[i]] = t;
    }
    for (size_t i = 0; i < n; ++i) {
      if (plan.scheduled.contains(generics[i]))
        continue;
      int64_t threads = phaseGrid(generics[i]) * blockSize;
      if (orderedSplits &&
          GenericToThreads::warpReduced(generics[i], threads))
        plan.orderedWarps.insert(generics[i]);
      else if (!GenericToThreads::summedByOneThread(generics[i], threads))
        continue;
      if (linalg::GenericOp init = initBefore(generics, i);
          init && !plan.absorbed.contains(init)) {
        plan.prologueOf[generics[i]] = init;
        plan.absorbed.insert(init);
      }
    }
    return plan;
  }

  /// The sequential CPU form of a phased kernel: each op in place, as its
  /// phase would run it (one thread walking all the phase's threads).
  LogicalResult mapPhasedSequentially(func::FuncOp func) {
    Block &body = func.getBody().front();
    FailureOr<SmallVector<linalg::GenericOp>> found = genericsOf(body);
    if (failed(found))
      return failure();
    PhasePlan plan = planPhases(*found);
    OpBuilder b(&body, body.begin());
    Value zero = arith::ConstantIndexOp::create(b, func.getLoc(), 0);
    for (auto [i, generic] : llvm::enumerate(plan.generics)) {
      if (plan.absorbed.contains(generic))
        continue;
      auto own = plan.scheduled.find(generic);
      linalg::GenericOp epilogue = plan.epilogueOf(i);
      if (epilogue)
        dl::hoistEpilogueOperands(generic, epilogue);
      if (own != plan.scheduled.end()) {
        const OwnSchedule &t = own->second;
        t.emit(nullptr, generic, orderedSplits, vectorStores, t.prologue,
               t.epilogue,
               t.padding);
        continue;
      }
      int64_t grid = phaseGrid(generic);
      FailureOr<bool> fused =
          plan.orderedWarps.contains(generic)
              ? lowerOrderedWarps(generic, nullptr, zero, grid,
                                  plan.prologueOf.lookup(generic), epilogue)
              : lower(generic, zero, /*stride=*/1, grid * blockSize,
                      plan.prologueOf.lookup(generic), epilogue);
      if (failed(fused))
        return failure();
      if (*fused)
        plan.absorbed.insert(epilogue);
    }
    for (linalg::GenericOp generic : plan.generics)
      generic.erase();
    return success();
  }

  /// One gpu.func per op, `<kernel>_p<i>` with `dl.phase_of` = the kernel:
  /// launched in order, each on its own grid, with global thread ids. An
  /// op folded into another's stores, start values or loads (an
  /// elementwise epilogue, an init, a padding: see PhasePlan) gets no
  /// phase.
  LogicalResult mapPhased(func::FuncOp func, ModuleOp kernels,
                          gpu::GPUModuleOp gpuModule) {
    Block &src = func.getBody().front();
    FailureOr<SmallVector<linalg::GenericOp>> found = genericsOf(src);
    if (failed(found))
      return failure();
    PhasePlan plan = planPhases(*found);
    unsigned numArgs = func.getNumArguments();
    unsigned phase = 0;
    for (auto [i, generic] : llvm::enumerate(plan.generics)) {
      if (plan.absorbed.contains(generic))
        continue;
      auto own = plan.scheduled.find(generic);
      linalg::GenericOp epilogue = plan.epilogueOf(i);
      std::string name = (func.getSymName() + "_p" + Twine(phase++)).str();
      gpu::GPUFuncOp gpuFunc = createGPUFunc(func, name, gpuModule, blockSize);
      Block &dst = gpuFunc.getBody().front();
      OpBuilder b(&dst, dst.begin());
      Location loc = func.getLoc();
      int64_t grid = phaseGrid(generic);
      Value block = gpu::BlockIdOp::create(b, loc, gpu::Dimension::x);
      Value thread = gpu::ThreadIdOp::create(b, loc, gpu::Dimension::x);
      Value gid = arith::AddIOp::create(
          b, loc,
          arith::MulIOp::create(
              b, loc, block, arith::ConstantIndexOp::create(b, loc, blockSize)),
          thread);
      IRMapping mapping;
      for (unsigned a = 0; a < numArgs - 2; ++a)
        mapping.map(src.getArgument(a), dst.getArgument(a));
      mapping.map(src.getArgument(numArgs - 2),
                  arith::ConstantIndexOp::create(b, loc, 0));
      mapping.map(src.getArgument(numArgs - 1),
                  arith::ConstantIndexOp::create(b, loc, 1));
      // Everything but the ops first (views, constants, scalar loads: only
      // this phase's ops run here, so nothing they read changes), then the
      // op and those folded into it.
      for (Operation &op : src.without_terminator())
        if (!isa<linalg::GenericOp>(op))
          b.clone(op, mapping);
      auto cloneOf = [&](linalg::GenericOp op) {
        return op ? cast<linalg::GenericOp>(b.clone(*op, mapping))
                  : linalg::GenericOp();
      };
      linalg::GenericOp cloned = cloneOf(generic);
      linalg::GenericOp clonedEpilogue = cloneOf(epilogue);
      linalg::GenericOp clonedPrologue = cloneOf(
          own != plan.scheduled.end() ? own->second.prologue
                                      : plan.prologueOf.lookup(generic));
      linalg::GenericOp clonedPadding =
          cloneOf(own != plan.scheduled.end() ? own->second.padding
                                              : linalg::GenericOp());
      gpu::ReturnOp::create(b, loc);
      if (own != plan.scheduled.end()) {
        grid = own->second.emit(gpuFunc, cloned, orderedSplits, vectorStores,
                                clonedPrologue,
                                clonedEpilogue, clonedPadding);
      } else {
        FailureOr<bool> fused =
            plan.orderedWarps.contains(generic)
                ? lowerOrderedWarps(cloned, gpuFunc, thread, grid,
                                    clonedPrologue, clonedEpilogue)
                : lower(cloned, gid, grid * blockSize, grid * blockSize,
                        clonedPrologue, clonedEpilogue);
        if (failed(fused))
          return failure();
        if (*fused)
          plan.absorbed.insert(epilogue);
      }
      for (linalg::GenericOp op :
           {cloned, clonedEpilogue, clonedPrologue, clonedPadding})
        if (op)
          op.erase();
      gpuFunc->setAttr("dl.workgroups", b.getI64IntegerAttr(grid));
      gpuFunc->setAttr("dl.phase_of", b.getStringAttr(func.getSymName()));
      if (failed(finish(gpuFunc, kernels)))
        return failure();
    }
    func.erase();
    return success();
  }

  /// The padding op (dl::paddingOf) before `generics[i]` that writes its
  /// input `input` in full, offset in the last two dims only, when
  /// `generics[i]` may read the padding's source instead and the padding
  /// need not run: the padded buffer is a scratch of the kernel (nothing
  /// outside it reads it), used by nothing but the two ops and views, and
  /// nothing in between writes the source. Null if none.
  static linalg::GenericOp
  paddingReadOnlyBy(ArrayRef<linalg::GenericOp> generics, size_t i,
                    unsigned input) {
    linalg::GenericOp reader = generics[i];
    Value padded = reader.getDpsInputs()[input];
    // A scratch argument: after the inputs and outputs, before (id, count).
    auto root = dyn_cast<BlockArgument>(dl::rootBuffer(padded));
    auto kernel = reader->getParentOfType<func::FuncOp>();
    auto scratch =
        kernel ? kernel->getAttrOfType<ArrayAttr>("dl.scratch") : ArrayAttr();
    if (!root || !scratch || root.getOwner() != &kernel.getBody().front())
      return {};
    unsigned numArgs = kernel.getNumArguments();
    if (root.getArgNumber() + 2 >= numArgs ||
        root.getArgNumber() + 2 + scratch.size() < numArgs)
      return {};
    // Its users: one padding op writing all of it, the reader, views.
    linalg::GenericOp padding;
    std::optional<dl::Padding> p;
    SmallVector<Value> work = {root};
    while (!work.empty()) {
      Value v = work.pop_back_val();
      for (OpOperand &use : v.getUses()) {
        Operation *user = use.getOwner();
        if (isa<ViewLikeOpInterface>(user)) {
          llvm::append_range(work, user->getResults());
          continue;
        }
        if (user == reader.getOperation() && use.get() == padded &&
            use.getOperandNumber() == input)
          continue;
        auto op = dyn_cast<linalg::GenericOp>(user);
        if (!op || padding || !(p = dl::paddingOf(op)) ||
            op.getDpsInits()[0] != padded || !op.isDpsInit(&use))
          return {};
        padding = op;
      }
    }
    if (!padding)
      return {};
    auto source = cast<MemRefType>(p->source.getType());
    auto type = cast<MemRefType>(padded.getType());
    if (p->offsets.size() != 4 || p->offsets[0] != 0 || p->offsets[1] != 0 ||
        source.getRank() != 4 || !source.hasStaticShape() ||
        source.getDimSize(0) != type.getDimSize(0) ||
        source.getDimSize(1) != type.getDimSize(1))
      return {};
    // The reader comes later and reads the source where the padding did:
    // nothing in between (the reader included) may write it.
    auto at = llvm::find(generics, padding);
    if (at == generics.end() || size_t(at - generics.begin()) >= i)
      return {};
    Value sourceRoot = dl::rootBuffer(p->source);
    for (size_t k = at - generics.begin() + 1; k <= i; ++k) {
      linalg::GenericOp op = generics[k];
      for (Value written : op.getDpsInits())
        if (dl::rootBuffer(written) == sourceRoot)
          return {};
    }
    return padding;
  }

  /// The nearest op before `generics[i]` that only initialises its output
  /// and may move down to it (isFusablePrologue: nothing in between
  /// touches that buffer); null if none.
  static linalg::GenericOp initBefore(ArrayRef<linalg::GenericOp> generics,
                                      size_t i) {
    for (size_t j = i; j-- > 0;)
      if (dl::isFusablePrologue(generics[j], generics[i]))
        return generics[j];
    return {};
  }
};

} // namespace
