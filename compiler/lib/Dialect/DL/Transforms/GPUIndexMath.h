//===- GPUIndexMath.h - index arithmetic of the GPU schedules ---*- C++ -*-===//
//
// The index arithmetic and loops that the GPU mapping's schedules (tiled
// products, window sums, thread loops) emit at one builder's insertion
// point.
//
//===----------------------------------------------------------------------===//

#ifndef DLC_LIB_DIALECT_DL_TRANSFORMS_GPUINDEXMATH_H
#define DLC_LIB_DIALECT_DL_TRANSFORMS_GPUINDEXMATH_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/Builders.h"

namespace dlc::dl {

/// Index values, unsigned arithmetic on them and loops, built at `b`'s
/// insertion point (which moves as `b` does).
struct IndexMath {
  IndexMath(mlir::OpBuilder &b, mlir::Location loc) : b(b), loc(loc) {}

  mlir::Value c(int64_t v) const {
    return mlir::arith::ConstantIndexOp::create(b, loc, v);
  }
  mlir::Value add(mlir::Value x, mlir::Value y) const {
    return mlir::arith::AddIOp::create(b, loc, x, y);
  }
  mlir::Value mul(mlir::Value x, mlir::Value y) const {
    return mlir::arith::MulIOp::create(b, loc, x, y);
  }
  mlir::Value div(mlir::Value x, int64_t y) const {
    return mlir::arith::DivUIOp::create(b, loc, x, c(y));
  }
  mlir::Value rem(mlir::Value x, int64_t y) const {
    return mlir::arith::RemUIOp::create(b, loc, x, c(y));
  }
  mlir::Value less(mlir::Value x, mlir::Value y) const {
    return mlir::arith::CmpIOp::create(b, loc, mlir::arith::CmpIPredicate::ult,
                                       x, y);
  }
  mlir::Value both(mlir::Value x, mlir::Value y) const {
    return mlir::arith::AndIOp::create(b, loc, x, y);
  }

  /// Splits `linear` over loop dims `dims` (the last fastest; `ranges`
  /// every loop dim's extent) into their entries of `ivs`.
  void delinearize(mlir::Value linear, llvm::ArrayRef<unsigned> dims,
                   llvm::ArrayRef<int64_t> ranges,
                   llvm::MutableArrayRef<mlir::Value> ivs) const {
    for (unsigned i = dims.size(); i-- > 0;) {
      ivs[dims[i]] = i == 0 ? linear : rem(linear, ranges[dims[i]]);
      if (i != 0)
        linear = div(linear, ranges[dims[i]]);
    }
  }

  /// An scf.for from `lb` to `ub` by `step` carrying `iterArgs`, whose body
  /// `body(iv, carried)` builds at `b` and returns the values to yield; `b`
  /// is back where it was afterwards.
  mlir::scf::ForOp
  loop(mlir::Value lb, mlir::Value ub, mlir::Value step,
       mlir::ValueRange iterArgs,
       llvm::function_ref<llvm::SmallVector<mlir::Value>(mlir::Value,
                                                         mlir::ValueRange)>
           body) const {
    return mlir::scf::ForOp::create(
        b, loc, lb, ub, step, iterArgs,
        [&](mlir::OpBuilder &nested, mlir::Location, mlir::Value iv,
            mlir::ValueRange carried) {
          mlir::OpBuilder::InsertionGuard guard(b);
          b.setInsertionPoint(nested.getInsertionBlock(),
                              nested.getInsertionPoint());
          mlir::scf::YieldOp::create(b, loc, body(iv, carried));
        });
  }

  mlir::OpBuilder &b;
  mlir::Location loc;
};

} // namespace dlc::dl

#endif // DLC_LIB_DIALECT_DL_TRANSFORMS_GPUINDEXMATH_H
