//===- DLDialect.cpp - dl dialect registration and attributes ------------===//

#include "dlc/Dialect/DL/IR/DLDialect.h"
#include "dlc/Dialect/DL/IR/DLOps.h"

#include "mlir/IR/Builders.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace dlc::dl;

#include "dlc/Dialect/DL/IR/DLDialect.cpp.inc"
#include "dlc/Dialect/DL/IR/DLInterfaces.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "dlc/Dialect/DL/IR/DLAttrs.cpp.inc"

void DLDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "dlc/Dialect/DL/IR/DLOps.cpp.inc"
      >();
  addAttributes<
#define GET_ATTRDEF_LIST
#include "dlc/Dialect/DL/IR/DLAttrs.cpp.inc"
      >();
}

LogicalResult
NormalInitAttr::verify(llvm::function_ref<InFlightDiagnostic()> emitError,
                       APFloat meanValue, APFloat stdValue) {
  double mean = meanValue.convertToDouble(), std = stdValue.convertToDouble();
  if (!(std >= 0.0) || !std::isfinite(mean) || !std::isfinite(std))
    return emitError() << "normal init needs a finite mean and std >= 0, got ("
                       << mean << ", " << std << ")";
  return success();
}

LogicalResult
UniformInitAttr::verify(llvm::function_ref<InFlightDiagnostic()> emitError,
                        APFloat lowValue, APFloat highValue) {
  double low = lowValue.convertToDouble(), high = highValue.convertToDouble();
  if (!(low <= high) || !std::isfinite(low) || !std::isfinite(high))
    return emitError() << "uniform init needs finite low <= high, got ("
                       << low << ", " << high << ")";
  return success();
}

LogicalResult SGDAttr::verify(llvm::function_ref<InFlightDiagnostic()> emitError,
                              APFloat lrValue, APFloat weightDecayValue,
                              APFloat momentumValue) {
  double lr = lrValue.convertToDouble();
  double weightDecay = weightDecayValue.convertToDouble();
  double momentum = momentumValue.convertToDouble();
  if (!(lr > 0.0) || !std::isfinite(lr))
    return emitError() << "sgd lr must be positive, got " << lr;
  if (!(weightDecay >= 0.0) || !std::isfinite(weightDecay))
    return emitError() << "sgd weight_decay must be >= 0, got " << weightDecay;
  if (!(momentum >= 0.0 && momentum < 1.0))
    return emitError() << "sgd momentum must be in [0, 1), got " << momentum;
  return success();
}
