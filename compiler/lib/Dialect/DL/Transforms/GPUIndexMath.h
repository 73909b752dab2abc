//===- GPUIndexMath.h - index arithmetic of the GPU schedules ---*- C++ -*-===//
//
// The index arithmetic that the hand-built GPU schedules (tiled products,
// window sums) emit at one builder's insertion point.
//
//===----------------------------------------------------------------------===//

#ifndef DLC_LIB_DIALECT_DL_TRANSFORMS_GPUINDEXMATH_H
#define DLC_LIB_DIALECT_DL_TRANSFORMS_GPUINDEXMATH_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/Builders.h"

namespace dlc::dl {

/// Index values and unsigned arithmetic on them, built at `b`'s insertion
/// point (which moves as `b` does).
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

  mlir::OpBuilder &b;
  mlir::Location loc;
};

} // namespace dlc::dl

#endif // DLC_LIB_DIALECT_DL_TRANSFORMS_GPUINDEXMATH_H
