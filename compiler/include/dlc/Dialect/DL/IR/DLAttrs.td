//===- DLAttrs.td - dl dialect attributes ------------------*- tablegen -*-===//

#ifndef DLC_DIALECT_DL_IR_DLATTRS_TD
#define DLC_DIALECT_DL_IR_DLATTRS_TD

include "dlc/Dialect/DL/IR/DLBase.td"

// An f64 constant; printed exactly, so the textual form round-trips.
def DL_Float : APFloatParameter<"an f64 constant">;

//===----------------------------------------------------------------------===//
// Parameter initializers
//===----------------------------------------------------------------------===//

def DL_ZerosInitAttr : DL_Attr<"ZerosInit", "zeros"> {
  let summary = "Initialise every element to zero";
}

def DL_NormalInitAttr : DL_Attr<"NormalInit", "normal"> {
  let summary = "Initialise from N(mean, std^2)";
  let parameters = (ins DL_Float:$mean, DL_Float:$std);
  let builders = [AttrBuilder<(ins "double":$mean, "double":$std), [{
    return $_get($_ctxt, ::llvm::APFloat(mean), ::llvm::APFloat(std));
  }]>];
  let assemblyFormat = "`<` struct(params) `>`";
  let genVerifyDecl = 1;
}

def DL_UniformInitAttr : DL_Attr<"UniformInit", "uniform"> {
  let summary = "Initialise from U(low, high)";
  let parameters = (ins DL_Float:$low, DL_Float:$high);
  let builders = [AttrBuilder<(ins "double":$low, "double":$high), [{
    return $_get($_ctxt, ::llvm::APFloat(low), ::llvm::APFloat(high));
  }]>];
  let assemblyFormat = "`<` struct(params) `>`";
  let genVerifyDecl = 1;
}

def DL_GlorotUniformInitAttr : DL_Attr<"GlorotUniformInit", "glorot_uniform"> {
  let summary = "Xavier/Glorot uniform: U(-a, a), a = sqrt(6 / (fan_in + fan_out))";
}

def DL_GlorotNormalInitAttr : DL_Attr<"GlorotNormalInit", "glorot_normal"> {
  let summary = "Xavier/Glorot normal: N(0, 2 / (fan_in + fan_out))";
}

def DL_AnyInitAttr : AnyAttrOf<[DL_ZerosInitAttr, DL_NormalInitAttr,
                                DL_UniformInitAttr, DL_GlorotUniformInitAttr,
                                DL_GlorotNormalInitAttr]>;

//===----------------------------------------------------------------------===//
// Training configuration carried on the module
//===----------------------------------------------------------------------===//

def DL_SGDAttr : DL_Attr<"SGD", "sgd"> {
  let summary = "Stochastic gradient descent with L2 weight decay and momentum";
  let description = [{
    Defaults for the generated training step; the step takes lr, weight_decay
    and momentum as runtime operands, so these can be overridden without
    recompiling. Momentum state is only allocated when momentum != 0.
  }];
  let parameters = (ins DL_Float:$lr, DL_Float:$weight_decay,
                        DL_Float:$momentum);
  let builders = [AttrBuilder<(ins "double":$lr, "double":$weight_decay,
                                   "double":$momentum), [{
    return $_get($_ctxt, ::llvm::APFloat(lr), ::llvm::APFloat(weight_decay),
                 ::llvm::APFloat(momentum));
  }]>];
  let assemblyFormat = "`<` struct(params) `>`";
  let genVerifyDecl = 1;
}

#endif // DLC_DIALECT_DL_IR_DLATTRS_TD
