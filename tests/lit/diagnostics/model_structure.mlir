// What dl-generate-train-step requires of @model beyond the verifiers; a
// .dl file cannot break these, a module fed back to dlc can.
// RUN: dl-opt %s -split-input-file -verify-diagnostics --dl-generate-train-step

module attributes {dl.optimizer = #dl.sgd<lr = 1.000000e-01, weight_decay = 0.000000e+00, momentum = 0.000000e+00>} {
  // expected-error @+1 {{@model takes no arguments; its leaves are dl.input, dl.label and dl.param ops}}
  func.func @model(%a: tensor<f32>) -> (tensor<f32>, tensor<i32>) {
    %x = dl.input "image" : tensor<4x3xf32>
    %y = dl.label "label" classes 2 : tensor<4xi32>
    %w = dl.param "w" init(#dl.zeros) : tensor<3x2xf32>
    %0 = dl.dense %x, %w : tensor<4x3xf32>, tensor<3x2xf32> -> tensor<4x2xf32>
    %loss, %correct = dl.softmax_ce %0, %y : tensor<4x2xf32>, tensor<4xi32>
    return %loss, %correct : tensor<f32>, tensor<i32>
  }
}

// -----

// Two parameters of one name would be one tensor of the plan.
module attributes {dl.optimizer = #dl.sgd<lr = 1.000000e-01, weight_decay = 0.000000e+00, momentum = 0.000000e+00>} {
  func.func @model() -> (tensor<f32>, tensor<i32>) {
    %x = dl.input "image" : tensor<4x3xf32>
    %y = dl.label "label" classes 2 : tensor<4xi32>
    // expected-note @+1 {{the first is here}}
    %w = dl.param "w" init(#dl.zeros) : tensor<3x2xf32>
    // expected-error @+1 {{a second parameter named 'w'}}
    %b = dl.param "w" init(#dl.zeros) : tensor<2xf32>
    %0 = dl.dense %x, %w, %b : tensor<4x3xf32>, tensor<3x2xf32>, tensor<2xf32> -> tensor<4x2xf32>
    %loss, %correct = dl.softmax_ce %0, %y : tensor<4x2xf32>, tensor<4xi32>
    return %loss, %correct : tensor<f32>, tensor<i32>
  }
}

// -----

module attributes {dl.optimizer = #dl.sgd<lr = 1.000000e-01, weight_decay = 0.000000e+00, momentum = 0.000000e+00>} {
  // expected-error @+1 {{@model needs a body of one block}}
  func.func private @model() -> (tensor<f32>, tensor<i32>)
}

// -----

// A model that ignores its data compiles, with a warning.
module attributes {dl.optimizer = #dl.sgd<lr = 1.000000e-01, weight_decay = 0.000000e+00, momentum = 0.000000e+00>} {
  func.func @model() -> (tensor<f32>, tensor<i32>) {
    // expected-warning @+1 {{input 'image' does not reach the loss; the model ignores its data}}
    %x = dl.input "image" : tensor<4x3xf32>
    %y = dl.label "label" classes 2 : tensor<4xi32>
    %fake = dl.param "fake" init(#dl.zeros) : tensor<4x3xf32>
    %w = dl.param "w" init(#dl.zeros) : tensor<3x2xf32>
    %0 = dl.dense %fake, %w : tensor<4x3xf32>, tensor<3x2xf32> -> tensor<4x2xf32>
    %loss, %correct = dl.softmax_ce %0, %y : tensor<4x2xf32>, tensor<4xi32>
    return %loss, %correct : tensor<f32>, tensor<i32>
  }
}
