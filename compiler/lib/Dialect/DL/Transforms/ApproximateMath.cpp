//===- ApproximateMath.cpp - exp/log as polynomials -----------------------===//
//
// Both targets evaluate math.exp and math.log (sigmoid, softmax) with MLIR's
// polynomial approximations: on the CPU they vectorise where LLVM would
// call libm's scalar expf once per lane, and the GPU then needs no
// libdevice.
//
//===----------------------------------------------------------------------===//

#include "dlc/Dialect/DL/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace dlc::dl {
#define GEN_PASS_DEF_APPROXIMATEMATH
#include "dlc/Dialect/DL/Transforms/Passes.h.inc"
} // namespace dlc::dl

using namespace mlir;

LogicalResult dlc::dl::approximateMath(Operation *root) {
  RewritePatternSet patterns(root->getContext());
  populateMathPolynomialApproximationPatterns(
      patterns, [](StringRef) { return true; });
  return applyPatternsGreedily(root, std::move(patterns));
}

namespace {
struct ApproximateMathPass
    : public dlc::dl::impl::ApproximateMathBase<ApproximateMathPass> {
  void runOnOperation() override {
    if (failed(dlc::dl::approximateMath(getOperation())))
      signalPassFailure();
  }
};
} // namespace
