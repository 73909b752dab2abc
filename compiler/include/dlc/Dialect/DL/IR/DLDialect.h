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
/// The most elements a dl tensor may have (the model language's limit).
inline constexpr int64_t kMaxTensorElements = int64_t(1) << 31;

/// A ranked tensor type of static positive sizes and at most `maxElements`
/// elements (counted without overflow).
bool hasStaticShapeWithin(mlir::Type type, int64_t maxElements);

/// A ranked tensor type of static positive sizes and at most
/// kMaxTensorElements elements.
inline bool isBoundedShape(mlir::Type type) {
  return hasStaticShapeWithin(type, kMaxTensorElements);
}

/// Module attributes: the optimizer (#dl.sgd) and the default epoch count.
inline constexpr const char *kOptimizerAttrName = "dl.optimizer";
inline constexpr const char *kEpochsAttrName = "dl.epochs";
/// The forward graph's function, as written by the front-end.
inline constexpr const char *kModelFuncName = "model";
/// Names of the generated functions and of the argument attributes that tell
/// the runtime what each argument is (verified by the dialect).
inline constexpr const char *kTrainStepName = "train_step";
inline constexpr const char *kEvalStepName = "eval_step";
/// The nested module that holds the outlined kernels.
inline constexpr const char *kKernelsModuleName = "kernels";
inline constexpr const char *kParamArgAttr = "dl.param";
inline constexpr const char *kInitArgAttr = "dl.init";
inline constexpr const char *kSeedArgAttr = "dl.seed";
inline constexpr const char *kVelocityArgAttr = "dl.velocity";
inline constexpr const char *kInputArgAttr = "dl.input";
inline constexpr const char *kLabelArgAttr = "dl.label";
inline constexpr const char *kClassesArgAttr = "dl.classes";
inline constexpr const char *kHyperArgAttr = "dl.hyper";
} // namespace dlc::dl

#define GET_ATTRDEF_CLASSES
#include "dlc/Dialect/DL/IR/DLAttrs.h.inc"

#endif // DLC_DIALECT_DL_IR_DLDIALECT_H
