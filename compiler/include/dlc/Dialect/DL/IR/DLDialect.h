//===- DLDialect.h - dl dialect ---------------------------------*- C++ -*-===//

#ifndef DLC_DIALECT_DL_IR_DLDIALECT_H
#define DLC_DIALECT_DL_IR_DLDIALECT_H

#include "mlir/IR/Dialect.h"
#include "mlir/IR/DialectImplementation.h"

namespace mlir {
/// f64 attribute parameters (initializer and optimizer constants).
template <>
struct FieldParser<llvm::APFloat> {
  static FailureOr<llvm::APFloat> parse(AsmParser &parser) {
    llvm::APFloat value(0.0);
    if (parser.parseFloat(llvm::APFloat::IEEEdouble(), value))
      return failure();
    return value;
  }
};
} // namespace mlir

#include "dlc/Dialect/DL/IR/DLDialect.h.inc"

namespace dlc::dl {
/// Module attributes: the optimizer (#dl.sgd) and the default epoch count.
inline constexpr const char *kOptimizerAttrName = "dl.optimizer";
inline constexpr const char *kEpochsAttrName = "dl.epochs";
/// The forward graph's function, as written by the front-end.
inline constexpr const char *kModelFuncName = "model";
} // namespace dlc::dl

#define GET_ATTRDEF_CLASSES
#include "dlc/Dialect/DL/IR/DLAttrs.h.inc"

#endif // DLC_DIALECT_DL_IR_DLDIALECT_H
