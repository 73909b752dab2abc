//===- CollapseContiguousLoops.cpp - merge loops over contiguous memory ---===//
//
// Elementwise and broadcasting generics over NCHW buffers have a short
// innermost loop (W = 28 or 10). LLVM fully unrolls such a loop and then
// vectorises the next one out, whose accesses are W elements apart: strided
// gathers and scatters. Merging the dims that every operand walks
// contiguously gives one long unit-stride loop instead.
//
//===----------------------------------------------------------------------===//

#include "dlc/Dialect/DL/Transforms/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/PatternMatch.h"

namespace dlc::dl {
#define GEN_PASS_DEF_COLLAPSECONTIGUOUSLOOPS
#include "dlc/Dialect/DL/Transforms/Passes.h.inc"
} // namespace dlc::dl

using namespace mlir;

namespace {

/// Whether loop dims d and d + 1 can become one loop of `op`.
bool canMerge(linalg::GenericOp op, unsigned d) {
  auto iterators = op.getIteratorTypesArray();
  if (iterators[d] != iterators[d + 1])
    return false;
  for (OpOperand &operand : op->getOpOperands()) {
    AffineMap map = op.getMatchingIndexingMap(&operand);
    if (!linalg::isDimSequencePreserved(map, {int64_t(d), int64_t(d + 1)}))
      return false;
    std::optional<unsigned> pos = map.getResultPosition(
        getAffineDimExpr(d, op.getContext()));
    if (!pos)
      continue; // the operand ignores both dims
    auto type = dyn_cast<MemRefType>(operand.get().getType());
    if (!type)
      return false;
    SmallVector<int64_t> strides;
    int64_t offset;
    if (failed(type.getStridesAndOffset(strides, offset)))
      return false;
    int64_t inner = type.getDimSize(*pos + 1);
    if (ShapedType::isDynamic(inner) ||
        ShapedType::isDynamic(strides[*pos]) ||
        ShapedType::isDynamic(strides[*pos + 1]) ||
        strides[*pos] != inner * strides[*pos + 1])
      return false;
  }
  return true;
}

/// Runs of mergeable neighbouring dims, as linalg's reassociation groups.
SmallVector<ReassociationIndices> mergeableDims(linalg::LinalgOp linalgOp) {
  auto op = dyn_cast<linalg::GenericOp>(linalgOp.getOperation());
  if (!op || !op.hasPureBufferSemantics() || op.hasIndexSemantics())
    return {};
  // Ops whose dims are a window over their input (pooling, convolution
  // scatters) keep them: only projected permutations merge.
  if (!llvm::all_of(op.getIndexingMapsArray(), [](AffineMap map) {
        return map.isProjectedPermutation();
      }))
    return {};
  SmallVector<ReassociationIndices> groups;
  ReassociationIndices current = {0};
  bool merged = false;
  for (unsigned d = 0; d + 1 < op.getNumLoops(); ++d) {
    if (canMerge(op, d)) {
      current.push_back(d + 1);
      merged = true;
      continue;
    }
    groups.push_back(current);
    current = {int64_t(d + 1)};
  }
  groups.push_back(current);
  if (!merged)
    return {};
  return groups;
}

struct CollapseContiguousLoopsPass
    : public dlc::dl::impl::CollapseContiguousLoopsBase<
          CollapseContiguousLoopsPass> {
  void runOnOperation() override {
    SmallVector<linalg::GenericOp> generics;
    getOperation()->walk([&](linalg::GenericOp op) { generics.push_back(op); });
    IRRewriter rewriter(&getContext());
    for (linalg::GenericOp op : generics) {
      SmallVector<ReassociationIndices> groups = mergeableDims(op);
      if (groups.empty())
        continue;
      rewriter.setInsertionPoint(op);
      FailureOr<linalg::CollapseResult> collapsed =
          linalg::collapseOpIterationDims(op, groups, rewriter);
      if (failed(collapsed)) {
        op.emitError("internal error: could not merge contiguous loops");
        return signalPassFailure();
      }
      rewriter.eraseOp(op);
    }
  }
};

} // namespace
