//===- DLGradients.cpp - reverse-mode rules of the forward ops ------------===//
//
// Each forward op's DifferentiableOpInterface implementation. Gradient ops
// take the forward op's location, so dumps of the training step point back
// to the model line they differentiate.
//
//===----------------------------------------------------------------------===//

#include "dlc/Dialect/DL/IR/DLOps.h"

using namespace mlir;
using namespace dlc::dl;

LogicalResult DenseOp::buildGradients(OpBuilder &b, ArrayRef<Value> resultGrads,
                                      ArrayRef<bool> needed,
                                      MutableArrayRef<Value> operandGrads) {
  Value dy = resultGrads[0];
  Location loc = getLoc();
  if (needed[0])
    operandGrads[0] = DenseGradInputOp::create(b, loc, dy, getWeight());
  if (needed[1])
    operandGrads[1] = DenseGradWeightOp::create(b, loc, getInput(), dy);
  if (getBias() && needed[2])
    operandGrads[2] = BiasGradOp::create(b, loc, dy);
  return success();
}

LogicalResult ReluOp::buildGradients(OpBuilder &b, ArrayRef<Value> resultGrads,
                                     ArrayRef<bool> needed,
                                     MutableArrayRef<Value> operandGrads) {
  // relu(x) > 0 exactly where x > 0, so the output carries the mask.
  operandGrads[0] = ReluGradOp::create(b, getLoc(), resultGrads[0], getResult());
  return success();
}

LogicalResult SigmoidOp::buildGradients(OpBuilder &b,
                                        ArrayRef<Value> resultGrads,
                                        ArrayRef<bool> needed,
                                        MutableArrayRef<Value> operandGrads) {
  operandGrads[0] =
      SigmoidGradOp::create(b, getLoc(), resultGrads[0], getResult());
  return success();
}

LogicalResult FlattenOp::buildGradients(OpBuilder &b,
                                        ArrayRef<Value> resultGrads,
                                        ArrayRef<bool> needed,
                                        MutableArrayRef<Value> operandGrads) {
  operandGrads[0] = ReshapeOp::create(b, getLoc(), getInput().getType(),
                                      resultGrads[0]);
  return success();
}

LogicalResult Conv2DOp::buildGradients(OpBuilder &b,
                                       ArrayRef<Value> resultGrads,
                                       ArrayRef<bool> needed,
                                       MutableArrayRef<Value> operandGrads) {
  Value dy = resultGrads[0];
  Location loc = getLoc();
  if (needed[0])
    operandGrads[0] = Conv2DGradInputOp::create(
        b, loc, getInput().getType(), dy, getFilter(), getStrideAttr(),
        getPaddingAttr());
  if (needed[1])
    operandGrads[1] = Conv2DGradFilterOp::create(
        b, loc, getFilter().getType(), getInput(), dy, getStrideAttr(),
        getPaddingAttr());
  if (getBias() && needed[2])
    operandGrads[2] = BiasGradOp::create(b, loc, dy);
  return success();
}

LogicalResult MaxPool2DOp::buildGradients(OpBuilder &b,
                                          ArrayRef<Value> resultGrads,
                                          ArrayRef<bool> needed,
                                          MutableArrayRef<Value> operandGrads) {
  operandGrads[0] = MaxPool2DGradOp::create(
      b, getLoc(), resultGrads[0], getInput(), getKernelAttr(),
      getStrideAttr(), getPaddingAttr());
  return success();
}

LogicalResult AvgPool2DOp::buildGradients(OpBuilder &b,
                                          ArrayRef<Value> resultGrads,
                                          ArrayRef<bool> needed,
                                          MutableArrayRef<Value> operandGrads) {
  operandGrads[0] = AvgPool2DGradOp::create(
      b, getLoc(), getInput().getType(), resultGrads[0], getKernelAttr(),
      getStrideAttr(), getPaddingAttr());
  return success();
}

LogicalResult SoftmaxCEOp::buildGradients(OpBuilder &b,
                                          ArrayRef<Value> resultGrads,
                                          ArrayRef<bool> needed,
                                          MutableArrayRef<Value> operandGrads) {
  // The correct count is an integer metric: it has no gradient. Labels are
  // integers too, so only the logits ever need one.
  if (needed[0] && resultGrads[0])
    operandGrads[0] = SoftmaxCEGradOp::create(b, getLoc(), getLogits(),
                                              getLabels(), resultGrads[0]);
  return success();
}
