// The dl dialect verifies its discardable attributes: the module's training
// configuration and the steps' argument roles, which a module fed back to
// dlc may carry in any form.
// RUN: dl-opt %s -split-input-file -verify-diagnostics

// expected-error @+1 {{'dl.epochs' must be a positive i64 on the module}}
module attributes {dl.epochs = 0 : i64} {}

// -----

// expected-error @+1 {{'dl.epochs' must be a positive i64 on the module}}
module attributes {dl.epochs = 5 : i32} {}

// -----

module {
  // expected-error @+1 {{'dl.epochs' must be a positive i64 on the module}}
  func.func @f() attributes {dl.epochs = 5 : i64} { return }
}

// -----

// expected-error @+1 {{'dl.optimizer' must be a #dl.sgd<...> on the module}}
module attributes {dl.optimizer = #dl.zeros} {}

// -----

// expected-error @+1 {{argument 0: 'dl.param' needs an f32 tensor of positive static sizes (at most 2^31 elements), got f32}}
func.func @param_scalar(%w: f32 {dl.param = "w"}) { return }

// -----

// expected-error @+1 {{argument 0: 'dl.param' must be a non-empty string without control bytes}}
func.func @param_unnamed(%w: tensor<4xf32> {dl.param = ""}) { return }

// -----

// expected-error @+1 {{argument 0: 'dl.input' must be a non-empty string without control bytes}}
func.func @input_newline(%x: tensor<2x3xf32> {dl.input = "im\0Aage"}) { return }

// -----

// expected-error @+1 {{argument 0: 'dl.velocity' needs an f32 tensor of positive static sizes (at most 2^31 elements), got f32[?]}}
func.func @velocity_dynamic(%v: tensor<?xf32> {dl.velocity = "w"}) { return }

// -----

// expected-error @+1 {{argument 0: 'dl.input' needs an f32 tensor [batch, features...] of positive static sizes (at most 2^31 elements), got f32[256]}}
func.func @input_rank1(%x: tensor<256xf32> {dl.input = "image"}) { return }

// -----

// expected-error @+1 {{argument 0: 'dl.label' needs an i32 tensor [batch] of positive static size, got f32[256]}}
func.func @label_f32(%y: tensor<256xf32> {dl.label = "label"}) { return }

// -----

// expected-error @+1 {{argument 0: 'dl.hyper' names no hyper-parameter of dlrun's (lr, weight_decay, momentum, valid_rows): 'rate'}}
func.func @hyper_unknown(%r: f32 {dl.hyper = "rate"}) { return }

// -----

// expected-error @+1 {{argument 0: 'dl.hyper' 'lr' needs a scalar 'f32', got 'i32'}}
func.func @hyper_type(%lr: i32 {dl.hyper = "lr"}) { return }

// -----

// expected-error @+1 {{argument 0: 'dl.classes' must be an i64 of at least 2}}
func.func @one_class(%y: tensor<256xi32> {dl.label = "label", dl.classes = 1 : i64}) { return }

// -----

// expected-error @+1 {{argument 0: 'dl.seed' must be an i64}}
func.func @seed_float(%w: tensor<4xf32> {dl.param = "w", dl.seed = 1.0 : f32}) { return }

// -----

// expected-error @+1 {{argument 0: 'dl.init' must be an initializer (#dl.zeros, #dl.normal<...>, ...)}}
func.func @init_integer(%w: tensor<4xf32> {dl.param = "w", dl.init = 3 : i64}) { return }

// -----

// Other dl attributes are the passes' own and pass.
module attributes {dl.epochs = 3 : i64, dl.optimizer = #dl.sgd<lr = 1.000000e-01, weight_decay = 0.000000e+00, momentum = 0.000000e+00>} {
  func.func @f(%w: tensor<4xf32> {dl.param = "w", dl.init = #dl.zeros, dl.seed = 7 : i64}, %lr: f32 {dl.hyper = "lr"}, %n: i32 {dl.hyper = "valid_rows"}) attributes {dl.flops = 4 : i64} { return }
}

// -----

// dlrun checks labels against dl.classes; the loss indexes its logits with
// them, directly or in a launched kernel.
func.func @classes_wider_than_logits(%logits: tensor<4x3xf32>, %y: tensor<4xi32> {dl.label = "label", dl.classes = 1000 : i64}) -> tensor<f32> {
  %loss, %correct = dl.softmax_ce %logits, %y : tensor<4x3xf32>, tensor<4xi32>
  return %loss : tensor<f32>
}
// expected-error @-4 {{argument 1: 'dl.classes' is 1000 but the logits of the loss have 3 classes}}

// -----

module {
  // expected-error @+1 {{argument 1: 'dl.classes' is 1000 but the logits of the loss have 3 classes}}
  func.func @step(%logits: tensor<4x3xf32>, %y: tensor<4xi32> {dl.label = "label", dl.classes = 1000 : i64}) -> tensor<f32> {
    %0:2 = dl.launch @kernels::@k0(%logits, %y) : (tensor<4x3xf32>, tensor<4xi32>) -> (tensor<f32>, tensor<i32>)
    return %0#0 : tensor<f32>
  }
  module @kernels {
    func.func private @k0(%a: tensor<4x3xf32>, %b: tensor<4xi32>) -> (tensor<f32>, tensor<i32>) attributes {dl.result_aliases = array<i64: -1, -1>} {
      %loss, %correct = dl.softmax_ce %a, %b : tensor<4x3xf32>, tensor<4xi32>
      return %loss, %correct : tensor<f32>, tensor<i32>
    }
  }
}

// -----

// Inputs of any rank from 2 up, as the model language allows.
func.func @input_rank5(%x: tensor<2x1x2x3x4xf32> {dl.input = "image"}) { return }
