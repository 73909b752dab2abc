//===- DistributeWorkgroups.cpp - row slices of bufferized kernels --------===//
//
// The runtime spreads one launch over its threads by calling the kernel once
// per workgroup. A kernel is split along the outermost loop of its linalg
// ops when that is provably safe: each op's outermost loop is parallel over
// the same extent, writes only that row of its outputs, and reads buffers
// written inside the kernel only at that row. Then every slice touches its
// own rows of everything the kernel writes, so slices are independent.
//
//===----------------------------------------------------------------------===//

#include "dlc/Dialect/DL/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/ViewLikeInterface.h"
#include "llvm/ADT/DenseSet.h"

namespace dlc::dl {
#define GEN_PASS_DEF_DISTRIBUTEWORKGROUPS
#include "dlc/Dialect/DL/Transforms/Passes.h.inc"
} // namespace dlc::dl

using namespace mlir;
using namespace dlc;

namespace {

/// The buffer `v` views, or null if `v` is not a function argument, a
/// subview that keeps dimension 0 whole (offset 0, full size, stride 1), or
/// an expand_shape (its dim 0 is the outermost factor of its source's, so
/// a run of its rows is a run of the source's).
Value rowPreservingRoot(Value v) {
  while (true) {
    if (auto subview = v.getDefiningOp<memref::SubViewOp>()) {
      auto sourceType = cast<MemRefType>(subview.getSource().getType());
      if (subview.getStaticOffsets()[0] != 0 ||
          subview.getStaticStrides()[0] != 1 ||
          subview.getStaticSizes()[0] != sourceType.getDimSize(0))
        return {};
      v = subview.getSource();
    } else if (auto expand = v.getDefiningOp<memref::ExpandShapeOp>()) {
      v = expand.getSrc();
    } else {
      break;
    }
  }
  return isa<BlockArgument>(v) ? v : Value();
}

/// Any root buffer `v` may alias (for the written-set), through views.
Value anyRoot(Value v) {
  while (auto view = v.getDefiningOp<ViewLikeOpInterface>())
    v = view.getViewSource();
  return v;
}

bool mapsRowToD0(AffineMap map) {
  return map.getNumResults() > 0 &&
         map.getResult(0) == getAffineDimExpr(0, map.getContext());
}

/// Positions of the results of `map` that are exactly d0. Slicing must cut
/// every operand along each of them, or linalg would infer the full extent
/// of d0 from an uncut operand. Fails if d0 also appears inside a compound
/// expression, which a slice cannot express.
FailureOr<SmallVector<unsigned>> d0Positions(AffineMap map) {
  SmallVector<unsigned> positions;
  AffineExpr d0 = getAffineDimExpr(0, map.getContext());
  for (auto [i, expr] : llvm::enumerate(map.getResults())) {
    if (expr == d0)
      positions.push_back(i);
    else if (expr.isFunctionOfDim(0))
      return failure();
  }
  return positions;
}

/// The common extent of dimension 0 if `kernel` can be split, else 0.
int64_t splittableExtent(func::FuncOp kernel) {
  SmallVector<linalg::LinalgOp> ops;
  SmallVector<memref::LoadOp> scalarLoads;
  bool onlyLinalg = true;
  kernel.walk([&](Operation *op) {
    if (op->getParentOfType<linalg::LinalgOp>())
      return;
    if (auto linalgOp = dyn_cast<linalg::LinalgOp>(op))
      ops.push_back(linalgOp);
    else if (auto load = dyn_cast<memref::LoadOp>(op);
             load && load.getMemRefType().getRank() == 0)
      scalarLoads.push_back(load); // lr, weight_decay, ...
    else if (!isa<func::FuncOp, func::ReturnOp, memref::SubViewOp,
                  memref::ExpandShapeOp, arith::ConstantOp,
                  memref::GetGlobalOp>(op))
      onlyLinalg = false;
  });
  if (!onlyLinalg || ops.empty())
    return 0;

  llvm::DenseSet<Value> written;
  for (linalg::LinalgOp op : ops)
    for (OpOperand &out : op.getDpsInitsMutable())
      written.insert(anyRoot(out.get()));
  // Scalars are read by every slice: none may be written in the kernel.
  for (memref::LoadOp load : scalarLoads)
    if (written.contains(anyRoot(load.getMemRef())))
      return 0;

  int64_t extent = -1;
  for (linalg::LinalgOp op : ops) {
    if (op.getNumLoops() == 0 ||
        op.getIteratorTypesArray()[0] != utils::IteratorType::parallel)
      return 0;
    // linalg.index 0 would see slice-relative rows.
    bool usesRow = false;
    op->walk([&](linalg::IndexOp index) { usesRow |= index.getDim() == 0; });
    if (usesRow)
      return 0;
    SmallVector<int64_t> ranges = op.getStaticLoopRanges();
    if (ShapedType::isDynamic(ranges[0]) || (extent >= 0 && ranges[0] != extent))
      return 0;
    extent = ranges[0];
    for (OpOperand &operand : op->getOpOperands()) {
      if (!isa<MemRefType>(operand.get().getType()))
        continue;
      if (failed(d0Positions(op.getMatchingIndexingMap(&operand))))
        return 0;
      bool isOutput = op.isDpsInit(&operand);
      bool readsWritten = written.contains(anyRoot(operand.get()));
      if (!isOutput && !readsWritten)
        continue; // A read-only input may be read anywhere.
      if (!mapsRowToD0(op.getMatchingIndexingMap(&operand)) ||
          !rowPreservingRoot(operand.get()))
        return 0;
    }
  }
  return extent > 1 ? extent : 0;
}

/// The fewest rows, dividing `extent`, whose parallel iterations (the most
/// of any op, per row) reach `threads`.
int64_t staticRowsFor(func::FuncOp kernel, int64_t extent, int64_t threads) {
  int64_t perRow = 1;
  kernel.walk([&](linalg::LinalgOp op) {
    int64_t work = 1;
    SmallVector<int64_t> ranges = op.getStaticLoopRanges();
    for (auto [d, type] : llvm::enumerate(op.getIteratorTypesArray()))
      if (d > 0 && type == utils::IteratorType::parallel &&
          !ShapedType::isDynamic(ranges[d]))
        work *= ranges[d];
    perRow = std::max(perRow, work);
  });
  for (int64_t rows = 1; rows < extent; ++rows)
    if (extent % rows == 0 && rows * perRow >= threads)
      return rows;
  return extent;
}

} // namespace

int64_t dl::iterationsPerThread(func::FuncOp kernel, int64_t rows,
                                int64_t threads) {
  int64_t most = 0;
  kernel.walk([&](linalg::LinalgOp op) {
    int64_t work = 1;
    for (auto [d, range] : llvm::enumerate(op.getStaticLoopRanges()))
      if (!ShapedType::isDynamic(range))
        work *= d == 0 && rows > 0 ? rows : range;
    most = std::max(most, work);
  });
  return (most + threads - 1) / threads;
}

namespace {

/// Rewrites every row-indexed operand of every linalg op onto rows [lo, hi):
/// lo = id * extent / count when `staticRows` is 0, else slices of exactly
/// `staticRows` rows starting at id * staticRows.
void splitRows(func::FuncOp kernel, Value id, Value count, int64_t extent,
               int64_t staticRows) {
  OpBuilder b(kernel.getContext());
  b.setInsertionPointToStart(&kernel.getBody().front());
  Location loc = kernel.getLoc();
  Value lo;
  OpFoldResult rows;
  if (staticRows > 0) {
    lo = arith::MulIOp::create(
        b, loc, id, arith::ConstantIndexOp::create(b, loc, staticRows));
    rows = b.getIndexAttr(staticRows);
  } else {
    Value n = arith::ConstantIndexOp::create(b, loc, extent);
    lo = arith::DivUIOp::create(
        b, loc, arith::MulIOp::create(b, loc, id, n), count);
    Value next = arith::AddIOp::create(
        b, loc, id, arith::ConstantIndexOp::create(b, loc, 1));
    Value hi = arith::DivUIOp::create(
        b, loc, arith::MulIOp::create(b, loc, next, n), count);
    rows = arith::SubIOp::create(b, loc, hi, lo).getResult();
  }

  llvm::DenseSet<Value> written;
  kernel.walk([&](linalg::LinalgOp op) {
    for (OpOperand &out : op.getDpsInitsMutable())
      written.insert(anyRoot(out.get()));
  });
  kernel.walk([&](linalg::LinalgOp op) {
    b.setInsertionPoint(op);
    for (OpOperand &operand : op->getOpOperands()) {
      auto type = dyn_cast<MemRefType>(operand.get().getType());
      if (!type)
        continue;
      SmallVector<unsigned> cut =
          *d0Positions(op.getMatchingIndexingMap(&operand));
      if (cut.empty())
        continue;
      SmallVector<OpFoldResult> offsets(type.getRank(), b.getIndexAttr(0));
      SmallVector<OpFoldResult> sizes, strides(type.getRank(),
                                               b.getIndexAttr(1));
      for (int64_t d = 0; d < type.getRank(); ++d)
        sizes.push_back(b.getIndexAttr(type.getDimSize(d)));
      for (unsigned d : cut) {
        offsets[d] = lo;
        sizes[d] = rows;
      }
      Value slice = memref::SubViewOp::create(b, op.getLoc(), operand.get(),
                                              offsets, sizes, strides);
      operand.set(slice);
    }
  });
}

/// Erases what only erased ops used (views, constants, scalar loads).
void eraseDeadOps(func::FuncOp func) {
  SmallVector<Operation *> body;
  for (Operation &op : func.getBody().front().without_terminator())
    body.push_back(&op);
  for (Operation *op : llvm::reverse(body))
    if (isOpTriviallyDead(op))
      op->erase();
}

/// A copy of `kernel` named `name` (inserted after `after`) that keeps
/// only linalg ops [first, last] of `ops`, in order, and what they use.
func::FuncOp phaseOf(func::FuncOp kernel, ArrayRef<linalg::LinalgOp> ops,
                     size_t first, size_t last, StringRef name,
                     Operation *after) {
  IRMapping mapping;
  auto phase = cast<func::FuncOp>(kernel->clone(mapping));
  phase.setSymName(name);
  OpBuilder(after).insert(phase);
  phase->moveAfter(after);
  for (size_t i = 0; i < ops.size(); ++i)
    if (i < first || i > last)
      mapping.lookup(linalg::LinalgOp(ops[i]).getOperation())->erase();
  eraseDeadOps(phase);
  return phase;
}

/// Splits `kernel`, which cannot be sliced as a whole, into consecutive
/// runs of its linalg ops that can each be (as long as possible, greedily):
/// the kernel keeps the first run, new functions `<kernel>_p<i>` with
/// `dl.phase_of` the others. Returns the new functions; none when fewer
/// than two runs result or no run can be sliced.
SmallVector<func::FuncOp> splitIntoPhases(func::FuncOp kernel) {
  SmallVector<linalg::LinalgOp> ops;
  for (Operation &op : kernel.getBody().front())
    if (auto linalgOp = dyn_cast<linalg::LinalgOp>(op))
      ops.push_back(linalgOp);
  if (ops.size() < 2)
    return {};
  // Runs [first, last], each extended while it stays sliceable.
  SmallVector<std::pair<size_t, size_t>> runs;
  bool anySliced = false;
  for (size_t first = 0; first < ops.size();) {
    size_t last = first;
    bool sliced = false;
    for (size_t end = first; end < ops.size(); ++end) {
      func::FuncOp trial =
          phaseOf(kernel, ops, first, end, "dl.trial", kernel);
      bool ok = splittableExtent(trial) > 0;
      trial.erase();
      if (!ok && end > first)
        break;
      last = end;
      sliced = ok;
    }
    anySliced |= sliced;
    runs.push_back({first, last});
    first = last + 1;
  }
  if (runs.size() < 2 || !anySliced)
    return {};
  SmallVector<func::FuncOp> phases;
  Operation *after = kernel;
  for (auto [i, run] : llvm::enumerate(runs)) {
    if (i == 0)
      continue;
    std::string name = (kernel.getSymName() + "_p" + Twine(i)).str();
    func::FuncOp phase =
        phaseOf(kernel, ops, run.first, run.second, name, after);
    phase->setAttr("dl.phase_of", StringAttr::get(kernel.getContext(),
                                                  kernel.getSymName()));
    // Counted once, on the kernel.
    phase->removeAttr("dl.flops");
    phases.push_back(phase);
    after = phase;
  }
  // The kernel itself keeps the first run.
  for (size_t i = runs[0].second + 1; i < ops.size(); ++i)
    ops[i]->erase();
  eraseDeadOps(kernel);
  return phases;
}

struct DistributeWorkgroupsPass
    : public dl::impl::DistributeWorkgroupsBase<DistributeWorkgroupsPass> {
  using Base::Base;
  void runOnOperation() override {
    ModuleOp module = getOperation();
    ModuleOp kernels = dl::findKernelsModule(module);
    if (!kernels ||
        failed(dl::checkOptionRange(*this, kernels, "threads", threads, 0,
                                    1024)) ||
        failed(dl::checkOptionRange(*this, kernels, "outputs-per-thread",
                                    outputsPerThread, 1, 64)) ||
        failed(dl::checkOptionRange(*this, kernels, "phase-min-flops",
                                    phaseMinFlops, 0, INT64_MAX)) ||
        failed(dl::checkBufferizedKernels(kernels)))
      return signalPassFailure();
    for (auto kernel : kernels.getOps<func::FuncOp>())
      if (kernel->hasAttr("dl.workgroups")) {
        kernel.emitError("kernel @")
            << kernel.getSymName() << " is already distributed";
        return signalPassFailure();
      }
    Builder b(module.getContext());
    if (phases) {
      SmallVector<func::FuncOp> whole;
      for (auto kernel : kernels.getOps<func::FuncOp>()) {
        auto flops = kernel->getAttrOfType<IntegerAttr>("dl.flops");
        if (flops && flops.getInt() >= phaseMinFlops &&
            splittableExtent(kernel) == 0)
          whole.push_back(kernel);
      }
      for (func::FuncOp kernel : whole)
        splitIntoPhases(kernel);
    }
    for (auto kernel : kernels.getOps<func::FuncOp>()) {
      int64_t extent = splittableExtent(kernel);
      // Every kernel takes (id, count) so the ABI wrapper is uniform.
      Type index = b.getIndexType();
      unsigned numArgs = kernel.getNumArguments();
      if (failed(kernel.insertArguments({numArgs, numArgs}, {index, index},
                                        {}, {kernel.getLoc(), kernel.getLoc()})))
        return signalPassFailure();
      Value id = kernel.getArgument(numArgs);
      Value count = kernel.getArgument(numArgs + 1);
      int64_t staticRows =
          extent > 0 && threads > 0
              ? staticRowsFor(kernel, extent, threads * outputsPerThread)
              : 0;
      // A slice too heavy for one block stays whole: the GPU mapping then
      // spreads each of its ops over a grid of its own.
      if (staticRows > 0 &&
          dl::iterationsPerThread(kernel, staticRows, threads) >
              dl::kMaxIterationsPerThread) {
        extent = 0;
        staticRows = 0;
      }
      if (extent > 0)
        splitRows(kernel, id, count, extent, staticRows);
      int64_t workgroups = std::max<int64_t>(extent, 1);
      if (staticRows > 0)
        workgroups = extent / staticRows;
      kernel->setAttr("dl.workgroups", b.getI64IntegerAttr(workgroups));
    }
  }
};

} // namespace
