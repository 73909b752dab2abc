//===- DLOps.td - dl dialect operations --------------------*- tablegen -*-===//
//
// Tensors are ranked f32 (activations, parameters, gradients) or i32
// (labels); images and feature maps are NCHW, dense weights are [in, out],
// conv filters are [out_channels, in_channels, kh, kw].
//
//===----------------------------------------------------------------------===//

#ifndef DLC_DIALECT_DL_IR_DLOPS_TD
#define DLC_DIALECT_DL_IR_DLOPS_TD

include "dlc/Dialect/DL/IR/DLBase.td"
include "dlc/Dialect/DL/IR/DLAttrs.td"
include "dlc/Dialect/DL/IR/DLInterfaces.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/IR/OpAsmInterface.td"
include "mlir/IR/SymbolInterfaces.td"

def DL_PositiveI64 : ConfinedAttr<I64Attr, [IntPositive]>;
def DL_NonNegativeI64 : ConfinedAttr<I64Attr, [IntNonNegative]>;

// A forward op of the model language: infers its result types (the
// front-end reports shape errors through this) and knows its gradient.
class DL_ForwardOp<string mnemonic, list<Trait> traits = []>
    : DL_Op<mnemonic, traits # [Pure, InferTypeOpAdaptor,
        DeclareOpInterfaceMethods<DL_DifferentiableOpInterface>]>;

//===----------------------------------------------------------------------===//
// Leaves: data inputs and trainable parameters
//===----------------------------------------------------------------------===//

def DL_InputOp : DL_Op<"input", [Pure,
    DeclareOpInterfaceMethods<OpAsmOpInterface, ["getAsmResultNames"]>]> {
  let summary = "A batch of images fed by the runtime";
  let arguments = (ins StrAttr:$name);
  let results = (outs DL_F32Tensor:$result);
  let assemblyFormat = "$name attr-dict `:` type($result)";
  let hasVerifier = 1;
}

def DL_LabelOp : DL_Op<"label", [Pure,
    DeclareOpInterfaceMethods<OpAsmOpInterface, ["getAsmResultNames"]>]> {
  let summary = "A batch of integer class labels in [0, classes)";
  let arguments = (ins StrAttr:$name, DL_PositiveI64:$classes);
  let results = (outs DL_I32Tensor:$result);
  let assemblyFormat = "$name `classes` $classes attr-dict `:` type($result)";
  let hasVerifier = 1;
}

def DL_ParamOp : DL_Op<"param", [Pure,
    DeclareOpInterfaceMethods<OpAsmOpInterface, ["getAsmResultNames"]>]> {
  let summary = "A trainable parameter with its initializer";
  let description = [{
    `seed` makes initialisation reproducible per parameter; the runtime mixes
    it with its own --seed.
  }];
  let arguments = (ins StrAttr:$name, DL_AnyInitAttr:$init,
                       DefaultValuedAttr<I64Attr, "0">:$seed);
  let results = (outs DL_F32Tensor:$result);
  let assemblyFormat = "$name `init` `(` $init `)` attr-dict `:` type($result)";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Forward ops of the model language
//===----------------------------------------------------------------------===//

def DL_DenseOp : DL_ForwardOp<"dense"> {
  let summary = "Fully connected layer: x . W + b";
  let arguments = (ins DL_F32Tensor:$input, DL_F32Tensor:$weight,
                       Optional<DL_F32Tensor>:$bias);
  let results = (outs DL_F32Tensor:$result);
  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)? attr-dict `:` type($input) `,` type($weight) (`,` type($bias)^)?
    `->` type($result)
  }];
}

def DL_ReluOp : DL_ForwardOp<"relu"> {
  let summary = "max(x, 0)";
  let arguments = (ins DL_F32Tensor:$input);
  let results = (outs DL_F32Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
}

def DL_SigmoidOp : DL_ForwardOp<"sigmoid"> {
  let summary = "1 / (1 + exp(-x))";
  let arguments = (ins DL_F32Tensor:$input);
  let results = (outs DL_F32Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
}

def DL_FlattenOp : DL_ForwardOp<"flatten"> {
  let summary = "Collapses all but the batch dimension: [N, ...] -> [N, prod(...)]";
  let arguments = (ins DL_F32Tensor:$input);
  let results = (outs DL_F32Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
}

def DL_Conv2DOp : DL_ForwardOp<"conv2d"> {
  let summary = "2-D cross-correlation over NCHW input with optional bias";
  let description = [{
    input [N, C, H, W], filter [F, C, KH, KW], bias [F] ->
    [N, F, (H + 2p - KH) / s + 1, (W + 2p - KW) / s + 1], zero padding.
  }];
  let arguments = (ins DL_F32Tensor:$input, DL_F32Tensor:$filter,
                       Optional<DL_F32Tensor>:$bias,
                       DL_PositiveI64:$stride, DL_NonNegativeI64:$padding);
  let results = (outs DL_F32Tensor:$result);
  let assemblyFormat = [{
    $input `,` $filter (`,` $bias^)? `stride` $stride `padding` $padding attr-dict
    `:` type($input) `,` type($filter) (`,` type($bias)^)? `->` type($result)
  }];
}

class DL_Pool2DOp<string mnemonic> : DL_ForwardOp<mnemonic> {
  let arguments = (ins DL_F32Tensor:$input, DL_PositiveI64:$kernel,
                       DL_PositiveI64:$stride, DL_NonNegativeI64:$padding);
  let results = (outs DL_F32Tensor:$result);
  let assemblyFormat = [{
    $input `kernel` $kernel `stride` $stride `padding` $padding attr-dict
    `:` type($input) `->` type($result)
  }];
}

def DL_MaxPool2DOp : DL_Pool2DOp<"max_pool2d"> {
  let summary = "Max pooling; padding never wins (it is -inf)";
}

def DL_AvgPool2DOp : DL_Pool2DOp<"avg_pool2d"> {
  let summary = "Average pooling; padded zeros count in the window (kernel^2 divisor)";
}

def DL_SoftmaxCEOp : DL_ForwardOp<"softmax_ce"> {
  let summary = "Mean softmax cross-entropy and the count of correct argmax predictions";
  let description = [{
    logits [N, K], labels [N] -> mean over the batch of
    logsumexp(logits) - logits[label], and the number of rows whose first
    arg-max equals the label. Only the loss is differentiable.
  }];
  let arguments = (ins DL_F32Tensor:$logits, DL_I32Tensor:$labels);
  let results = (outs DL_F32Scalar:$loss, DL_I32Scalar:$correct);
  let assemblyFormat = "$logits `,` $labels attr-dict `:` type($logits) `,` type($labels)";
}

//===----------------------------------------------------------------------===//
// Gradient ops (written by autodiff)
//===----------------------------------------------------------------------===//

class DL_GradOp<string mnemonic, list<Trait> traits = []>
    : DL_Op<mnemonic, traits # [Pure]>;

def DL_DenseGradInputOp : DL_GradOp<"dense_grad_input", [InferTypeOpAdaptor]> {
  let summary = "dX = dY . W^T";
  let arguments = (ins DL_F32Tensor:$result_grad, DL_F32Tensor:$weight);
  let results = (outs DL_F32Tensor:$result);
  let assemblyFormat = "$result_grad `,` $weight attr-dict `:` type($result_grad) `,` type($weight)";
}

def DL_DenseGradWeightOp : DL_GradOp<"dense_grad_weight", [InferTypeOpAdaptor]> {
  let summary = "dW = X^T . dY";
  let arguments = (ins DL_F32Tensor:$input, DL_F32Tensor:$result_grad);
  let results = (outs DL_F32Tensor:$result);
  let assemblyFormat = "$input `,` $result_grad attr-dict `:` type($input) `,` type($result_grad)";
}

def DL_BiasGradOp : DL_GradOp<"bias_grad", [InferTypeOpAdaptor]> {
  let summary = "Sum of dY over every dimension but 1 (the channel/unit axis)";
  let arguments = (ins DL_F32Tensor:$result_grad);
  let results = (outs DL_F32Tensor:$result);
  let assemblyFormat = "$result_grad attr-dict `:` type($result_grad) `->` type($result)";
}

def DL_ReluGradOp : DL_GradOp<"relu_grad", [InferTypeOpAdaptor,
    AllTypesMatch<["result_grad", "output"]>]> {
  let summary = "dX = dY where the relu output is positive, else 0";
  let arguments = (ins DL_F32Tensor:$result_grad, DL_F32Tensor:$output);
  let results = (outs DL_F32Tensor:$result);
  let assemblyFormat = "$result_grad `,` $output attr-dict `:` type($result_grad)";
}

def DL_SigmoidGradOp : DL_GradOp<"sigmoid_grad", [InferTypeOpAdaptor,
    AllTypesMatch<["result_grad", "output"]>]> {
  let summary = "dX = dY * y * (1 - y) with y the sigmoid output";
  let arguments = (ins DL_F32Tensor:$result_grad, DL_F32Tensor:$output);
  let results = (outs DL_F32Tensor:$result);
  let assemblyFormat = "$result_grad `,` $output attr-dict `:` type($result_grad)";
}

def DL_ReshapeOp : DL_GradOp<"reshape"> {
  let summary = "Same elements, new shape (the gradient of flatten)";
  let arguments = (ins DL_F32Tensor:$input);
  let results = (outs DL_F32Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
}

def DL_Conv2DGradInputOp : DL_GradOp<"conv2d_grad_input"> {
  let summary = "Gradient of conv2d with respect to its input (transposed convolution)";
  let description = [{
    The result type is explicit: with stride > 1 several input sizes map to
    the same output size.
  }];
  let arguments = (ins DL_F32Tensor:$result_grad, DL_F32Tensor:$filter,
                       DL_PositiveI64:$stride, DL_NonNegativeI64:$padding);
  let results = (outs DL_F32Tensor:$result);
  let assemblyFormat = [{
    $result_grad `,` $filter `stride` $stride `padding` $padding attr-dict
    `:` type($result_grad) `,` type($filter) `->` type($result)
  }];
  let hasVerifier = 1;
}

def DL_Conv2DGradFilterOp : DL_GradOp<"conv2d_grad_filter"> {
  let summary = "Gradient of conv2d with respect to its filter";
  let arguments = (ins DL_F32Tensor:$input, DL_F32Tensor:$result_grad,
                       DL_PositiveI64:$stride, DL_NonNegativeI64:$padding);
  let results = (outs DL_F32Tensor:$result);
  let assemblyFormat = [{
    $input `,` $result_grad `stride` $stride `padding` $padding attr-dict
    `:` type($input) `,` type($result_grad) `->` type($result)
  }];
  let hasVerifier = 1;
}

def DL_MaxPool2DGradOp : DL_GradOp<"max_pool2d_grad", [InferTypeOpAdaptor]> {
  let summary = "Routes dY to the first arg-max of each window of the input";
  let arguments = (ins DL_F32Tensor:$result_grad, DL_F32Tensor:$input,
                       DL_PositiveI64:$kernel, DL_PositiveI64:$stride,
                       DL_NonNegativeI64:$padding);
  let results = (outs DL_F32Tensor:$result);
  let assemblyFormat = [{
    $result_grad `,` $input `kernel` $kernel `stride` $stride `padding` $padding
    attr-dict `:` type($result_grad) `,` type($input)
  }];
  let hasVerifier = 1;
}

def DL_AvgPool2DGradOp : DL_GradOp<"avg_pool2d_grad"> {
  let summary = "Spreads dY / kernel^2 over each window of the input";
  let arguments = (ins DL_F32Tensor:$result_grad, DL_PositiveI64:$kernel,
                       DL_PositiveI64:$stride, DL_NonNegativeI64:$padding);
  let results = (outs DL_F32Tensor:$result);
  let assemblyFormat = [{
    $result_grad `kernel` $kernel `stride` $stride `padding` $padding attr-dict
    `:` type($result_grad) `->` type($result)
  }];
  let hasVerifier = 1;
}

def DL_SoftmaxCEGradOp : DL_GradOp<"softmax_ce_grad", [InferTypeOpAdaptor]> {
  let summary = "d(mean loss)/d(logits) = (softmax(logits) - onehot(labels)) * loss_grad / N";
  let arguments = (ins DL_F32Tensor:$logits, DL_I32Tensor:$labels,
                       DL_F32Scalar:$loss_grad);
  let results = (outs DL_F32Tensor:$result);
  let assemblyFormat = [{
    $logits `,` $labels `,` $loss_grad attr-dict `:` type($logits) `,` type($labels) `,` type($loss_grad)
  }];
}

def DL_AddOp : DL_GradOp<"add", [InferTypeOpAdaptor, Commutative,
    AllTypesMatch<["lhs", "rhs"]>]> {
  let summary = "Elementwise sum; accumulates the gradients of a value with several users";
  let arguments = (ins DL_F32Tensor:$lhs, DL_F32Tensor:$rhs);
  let results = (outs DL_F32Tensor:$result);
  let assemblyFormat = "$lhs `,` $rhs attr-dict `:` type($lhs)";
}

def DL_ConstantOp : DL_Op<"constant", [Pure]> {
  let summary = "A splat f32 tensor (the unit gradient that seeds autodiff)";
  let arguments = (ins F32Attr:$value);
  let results = (outs DL_F32Tensor:$result);
  let assemblyFormat = "$value attr-dict `:` type($result)";
}

//===----------------------------------------------------------------------===//
// Optimizer and evaluation
//===----------------------------------------------------------------------===//

def DL_SGDUpdateOp : DL_Op<"sgd_update", [Pure, InferTypeOpAdaptor,
    AllTypesMatch<["param", "grad"]>]> {
  let summary = "w' = w - lr * (g + weight_decay * w)";
  let arguments = (ins DL_F32Tensor:$param, DL_F32Tensor:$grad, F32:$lr,
                       F32:$weight_decay);
  let results = (outs DL_F32Tensor:$result);
  let assemblyFormat = [{
    $param `,` $grad `,` $lr `,` $weight_decay attr-dict `:` type($param)
  }];
}

def DL_SGDMomentumUpdateOp : DL_Op<"sgd_momentum_update", [Pure,
    InferTypeOpAdaptor, AllTypesMatch<["param", "velocity", "grad"]>]> {
  let summary = "v' = momentum * v + (g + weight_decay * w); w' = w - lr * v'";
  let arguments = (ins DL_F32Tensor:$param, DL_F32Tensor:$velocity,
                       DL_F32Tensor:$grad, F32:$lr, F32:$weight_decay,
                       F32:$momentum);
  let results = (outs DL_F32Tensor:$new_param, DL_F32Tensor:$new_velocity);
  let assemblyFormat = [{
    $param `,` $velocity `,` $grad `,` $lr `,` $weight_decay `,` $momentum
    attr-dict `:` type($param)
  }];
}

def DL_SoftmaxCEEvalOp : DL_Op<"softmax_ce_eval", [Pure, InferTypeOpAdaptor]> {
  let summary = "Summed loss and correct count over the first valid_rows rows";
  let description = [{
    Rows at or beyond `valid_rows` are padding of a last partial batch and
    count for nothing, so a test set is evaluated exactly.
  }];
  let arguments = (ins DL_F32Tensor:$logits, DL_I32Tensor:$labels,
                       I32:$valid_rows);
  let results = (outs DL_F32Scalar:$loss_sum, DL_I32Scalar:$correct);
  let assemblyFormat = [{
    $logits `,` $labels `,` $valid_rows attr-dict `:` type($logits) `,` type($labels)
  }];
}

//===----------------------------------------------------------------------===//
// Kernels
//===----------------------------------------------------------------------===//

def DL_LaunchOp : DL_Op<"launch",
    [DeclareOpInterfaceMethods<SymbolUserOpInterface>]> {
  let summary = "Runs one compiled kernel (a fusion group) of a step";
  let description = [{
    Written by dl-form-kernels: each fusion group of train_step/eval_step is
    outlined into a function of the nested `kernels` module and replaced by
    a launch. The kernel's signature changes as it is lowered (destinations
    and scratch buffers are added), so the launch keeps the group's tensor
    view: its operands are the group's inputs, its results the group's
    outputs. The memory planner binds both to buffers. The verifier holds
    the launch to its kernel's signature at each stage, since a mismatch
    would read or write past a buffer at run time.
  }];
  let arguments = (ins SymbolRefAttr:$kernel, Variadic<AnyType>:$inputs);
  let results = (outs Variadic<AnyType>:$outputs);
  let assemblyFormat = [{
    $kernel `(` $inputs `)` attr-dict `:` functional-type($inputs, $outputs)
  }];
}

#endif // DLC_DIALECT_DL_IR_DLOPS_TD
