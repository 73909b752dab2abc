//===- DLInterfaces.td - dl op interfaces ------------------*- tablegen -*-===//

#ifndef DLC_DIALECT_DL_IR_DLINTERFACES_TD
#define DLC_DIALECT_DL_IR_DLINTERFACES_TD

include "mlir/IR/OpBase.td"

def DL_DifferentiableOpInterface : OpInterface<"DifferentiableOpInterface"> {
  let cppNamespace = "::dlc::dl";
  let description = [{
    An op that knows its own reverse-mode derivative. The autodiff pass walks
    the forward graph backwards and asks each op for the gradients of its
    operands, given the gradients of its results. A new op brings its own
    gradient rule by implementing this interface.
  }];
  let methods = [
    InterfaceMethod<[{
        Builds the gradients of this op's operands at the builder's insertion
        point. `resultGrads[i]` is the gradient of result i, or null when that
        result does not reach the loss. `operandGrads` is pre-sized to the
        operand count; fill entry i only when `needed[i]` is true. Gradient
        ops take this op's location so dumps point back to the forward op.
      }],
      "::llvm::LogicalResult", "buildGradients",
      (ins "::mlir::OpBuilder &":$builder,
           "::llvm::ArrayRef<::mlir::Value>":$resultGrads,
           "::llvm::ArrayRef<bool>":$needed,
           "::llvm::MutableArrayRef<::mlir::Value>":$operandGrads)>
  ];
}

#endif // DLC_DIALECT_DL_IR_DLINTERFACES_TD
