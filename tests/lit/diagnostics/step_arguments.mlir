// Memory planning binds the steps' arguments to the plan's tensors by role
// and name: two arguments of one step may not be one tensor, and the steps
// may not disagree on a shared one. A parameter needs its initializer. dlrun
// reads no results: @train_step returns each parameter updated in place.
// RUN: split-file --leading-lines %s %t
// RUN: not dlc %t/twice.mlir -o %t/twice.plan 2>&1 | FileCheck %s --check-prefix=TWICE --implicit-check-not=error:
// RUN: not dlc %t/shapes.mlir -o %t/shapes.plan 2>&1 | FileCheck %s --check-prefix=SHAPES --implicit-check-not=error:
// RUN: not dlc %t/noinit.mlir -o %t/noinit.plan 2>&1 | FileCheck %s --check-prefix=NOINIT --implicit-check-not=error:
// RUN: not dlc %t/swapped.mlir -o %t/swapped.plan 2>&1 | FileCheck %s --check-prefix=SWAPPED --implicit-check-not=error:
// RUN: not dlc %t/noupdates.mlir -o %t/noupdates.plan 2>&1 | FileCheck %s --check-prefix=NOUPDATES --implicit-check-not=error:
// RUN: not dlc %t/external.mlir -o %t/external.plan 2>&1 | FileCheck %s --check-prefix=EXTERNAL --implicit-check-not=error:
// RUN: not test -e %t/twice.plan
// RUN: not test -e %t/shapes.plan
// RUN: not test -e %t/noinit.plan
// RUN: not test -e %t/swapped.plan
// RUN: not test -e %t/noupdates.plan

//--- twice.mlir
// TWICE: twice.mlir:[[@LINE+2]]:3: error: arguments 0 and 1 are both the param 'w'
module attributes {dl.epochs = 1 : i64, dl.optimizer = #dl.sgd<lr = 1.000000e-01, weight_decay = 0.000000e+00, momentum = 0.000000e+00>} {
  func.func @train_step(%w: tensor<3x2xf32> {dl.init = #dl.zeros, dl.param = "w"}, %b: tensor<2xf32> {dl.init = #dl.zeros, dl.param = "w"}, %x: tensor<4x3xf32> {dl.input = "image"}, %y: tensor<4xi32> {dl.classes = 2 : i64, dl.label = "label"}, %lr: f32 {dl.hyper = "lr"}, %wd: f32 {dl.hyper = "weight_decay"}, %m: f32 {dl.hyper = "momentum"}) -> (tensor<3x2xf32>, tensor<2xf32>, tensor<f32>, tensor<i32>) {
    %0 = dl.dense %x, %w, %b : tensor<4x3xf32>, tensor<3x2xf32>, tensor<2xf32> -> tensor<4x2xf32>
    %loss, %correct = dl.softmax_ce %0, %y : tensor<4x2xf32>, tensor<4xi32>
    %1 = dl.constant 1.000000e+00 : tensor<f32>
    %2 = dl.softmax_ce_grad %0, %y, %1 : tensor<4x2xf32>, tensor<4xi32>, tensor<f32>
    %3 = dl.dense_grad_weight %x, %2 : tensor<4x3xf32>, tensor<4x2xf32>
    %4 = dl.bias_grad %2 : tensor<4x2xf32> -> tensor<2xf32>
    %5 = dl.sgd_update %w, %3, %lr, %wd : tensor<3x2xf32>
    %6 = dl.sgd_update %b, %4, %lr, %wd : tensor<2xf32>
    return %5, %6, %loss, %correct : tensor<3x2xf32>, tensor<2xf32>, tensor<f32>, tensor<i32>
  }
  func.func @eval_step(%w: tensor<3x2xf32> {dl.init = #dl.zeros, dl.param = "w"}, %x: tensor<4x3xf32> {dl.input = "image"}, %y: tensor<4xi32> {dl.classes = 2 : i64, dl.label = "label"}, %n: i32 {dl.hyper = "valid_rows"}) -> (tensor<f32>, tensor<i32>) {
    %0 = dl.dense %x, %w : tensor<4x3xf32>, tensor<3x2xf32> -> tensor<4x2xf32>
    %loss_sum, %correct = dl.softmax_ce_eval %0, %y, %n : tensor<4x2xf32>, tensor<4xi32>
    return %loss_sum, %correct : tensor<f32>, tensor<i32>
  }
}

//--- shapes.mlir
// SHAPES: shapes.mlir:[[@LINE+12]]:3: error: argument 1, the image, is f32[8,3] here but not in the step before
module attributes {dl.epochs = 1 : i64, dl.optimizer = #dl.sgd<lr = 1.000000e-01, weight_decay = 0.000000e+00, momentum = 0.000000e+00>} {
  func.func @train_step(%w: tensor<3x2xf32> {dl.init = #dl.zeros, dl.param = "w"}, %x: tensor<4x3xf32> {dl.input = "image"}, %y: tensor<4xi32> {dl.classes = 2 : i64, dl.label = "label"}, %lr: f32 {dl.hyper = "lr"}, %wd: f32 {dl.hyper = "weight_decay"}, %m: f32 {dl.hyper = "momentum"}) -> (tensor<3x2xf32>, tensor<f32>, tensor<i32>) {
    %0 = dl.dense %x, %w : tensor<4x3xf32>, tensor<3x2xf32> -> tensor<4x2xf32>
    %loss, %correct = dl.softmax_ce %0, %y : tensor<4x2xf32>, tensor<4xi32>
    %1 = dl.constant 1.000000e+00 : tensor<f32>
    %2 = dl.softmax_ce_grad %0, %y, %1 : tensor<4x2xf32>, tensor<4xi32>, tensor<f32>
    %3 = dl.dense_grad_weight %x, %2 : tensor<4x3xf32>, tensor<4x2xf32>
    %5 = dl.sgd_update %w, %3, %lr, %wd : tensor<3x2xf32>
    return %5, %loss, %correct : tensor<3x2xf32>, tensor<f32>, tensor<i32>
  }
  // The eval step's batch is not the train step's.
  func.func @eval_step(%w: tensor<3x2xf32> {dl.init = #dl.zeros, dl.param = "w"}, %x: tensor<8x3xf32> {dl.input = "image"}, %y: tensor<8xi32> {dl.classes = 2 : i64, dl.label = "label"}, %n: i32 {dl.hyper = "valid_rows"}) -> (tensor<f32>, tensor<i32>) {
    %0 = dl.dense %x, %w : tensor<8x3xf32>, tensor<3x2xf32> -> tensor<8x2xf32>
    %loss_sum, %correct = dl.softmax_ce_eval %0, %y, %n : tensor<8x2xf32>, tensor<8xi32>
    return %loss_sum, %correct : tensor<f32>, tensor<i32>
  }
}

//--- noinit.mlir
// NOINIT: noinit.mlir:[[@LINE+2]]:3: error: argument 0, the param 'w', has no 'dl.init' initializer
module attributes {dl.epochs = 1 : i64, dl.optimizer = #dl.sgd<lr = 1.000000e-01, weight_decay = 0.000000e+00, momentum = 0.000000e+00>} {
  func.func @train_step(%w: tensor<3x2xf32> {dl.param = "w"}, %x: tensor<4x3xf32> {dl.input = "image"}, %y: tensor<4xi32> {dl.classes = 2 : i64, dl.label = "label"}, %lr: f32 {dl.hyper = "lr"}, %wd: f32 {dl.hyper = "weight_decay"}, %m: f32 {dl.hyper = "momentum"}) -> (tensor<3x2xf32>, tensor<f32>, tensor<i32>) {
    %0 = dl.dense %x, %w : tensor<4x3xf32>, tensor<3x2xf32> -> tensor<4x2xf32>
    %loss, %correct = dl.softmax_ce %0, %y : tensor<4x2xf32>, tensor<4xi32>
    %1 = dl.constant 1.000000e+00 : tensor<f32>
    %2 = dl.softmax_ce_grad %0, %y, %1 : tensor<4x2xf32>, tensor<4xi32>, tensor<f32>
    %3 = dl.dense_grad_weight %x, %2 : tensor<4x3xf32>, tensor<4x2xf32>
    %5 = dl.sgd_update %w, %3, %lr, %wd : tensor<3x2xf32>
    return %5, %loss, %correct : tensor<3x2xf32>, tensor<f32>, tensor<i32>
  }
  func.func @eval_step(%w: tensor<3x2xf32> {dl.param = "w"}, %x: tensor<4x3xf32> {dl.input = "image"}, %y: tensor<4xi32> {dl.classes = 2 : i64, dl.label = "label"}, %n: i32 {dl.hyper = "valid_rows"}) -> (tensor<f32>, tensor<i32>) {
    %0 = dl.dense %x, %w : tensor<4x3xf32>, tensor<3x2xf32> -> tensor<4x2xf32>
    %loss_sum, %correct = dl.softmax_ce_eval %0, %y, %n : tensor<4x2xf32>, tensor<4xi32>
    return %loss_sum, %correct : tensor<f32>, tensor<i32>
  }
}

//--- swapped.mlir
// SWAPPED: swapped.mlir:[[@LINE+2]]:3: error: result 0 of @train_step is not argument 0 updated in place
module attributes {dl.epochs = 1 : i64, dl.optimizer = #dl.sgd<lr = 1.000000e-01, weight_decay = 0.000000e+00, momentum = 0.000000e+00>} {
  func.func @train_step(%w1: tensor<3x3xf32> {dl.init = #dl.zeros, dl.param = "w1"}, %w2: tensor<3x3xf32> {dl.init = #dl.zeros, dl.param = "w2"}, %x: tensor<4x3xf32> {dl.input = "image"}, %y: tensor<4xi32> {dl.classes = 3 : i64, dl.label = "label"}, %lr: f32 {dl.hyper = "lr"}, %wd: f32 {dl.hyper = "weight_decay"}, %m: f32 {dl.hyper = "momentum"}) -> (tensor<3x3xf32>, tensor<3x3xf32>, tensor<f32>, tensor<i32>) {
    %0 = dl.dense %x, %w1 : tensor<4x3xf32>, tensor<3x3xf32> -> tensor<4x3xf32>
    %1 = dl.dense %0, %w2 : tensor<4x3xf32>, tensor<3x3xf32> -> tensor<4x3xf32>
    %loss, %correct = dl.softmax_ce %1, %y : tensor<4x3xf32>, tensor<4xi32>
    %2 = dl.constant 1.000000e+00 : tensor<f32>
    %3 = dl.softmax_ce_grad %1, %y, %2 : tensor<4x3xf32>, tensor<4xi32>, tensor<f32>
    %4 = dl.dense_grad_input %3, %w2 : tensor<4x3xf32>, tensor<3x3xf32>
    %5 = dl.dense_grad_weight %0, %3 : tensor<4x3xf32>, tensor<4x3xf32>
    %6 = dl.dense_grad_weight %x, %4 : tensor<4x3xf32>, tensor<4x3xf32>
    %7 = dl.sgd_update %w1, %6, %lr, %wd : tensor<3x3xf32>
    %8 = dl.sgd_update %w2, %5, %lr, %wd : tensor<3x3xf32>
    return %8, %7, %loss, %correct : tensor<3x3xf32>, tensor<3x3xf32>, tensor<f32>, tensor<i32>
  }
  func.func @eval_step(%w1: tensor<3x3xf32> {dl.init = #dl.zeros, dl.param = "w1"}, %w2: tensor<3x3xf32> {dl.init = #dl.zeros, dl.param = "w2"}, %x: tensor<4x3xf32> {dl.input = "image"}, %y: tensor<4xi32> {dl.classes = 3 : i64, dl.label = "label"}, %n: i32 {dl.hyper = "valid_rows"}) -> (tensor<f32>, tensor<i32>) {
    %0 = dl.dense %x, %w1 : tensor<4x3xf32>, tensor<3x3xf32> -> tensor<4x3xf32>
    %1 = dl.dense %0, %w2 : tensor<4x3xf32>, tensor<3x3xf32> -> tensor<4x3xf32>
    %loss_sum, %correct = dl.softmax_ce_eval %1, %y, %n : tensor<4x3xf32>, tensor<4xi32>
    return %loss_sum, %correct : tensor<f32>, tensor<i32>
  }
}

//--- noupdates.mlir
// NOUPDATES: noupdates.mlir:[[@LINE+2]]:3: error: @train_step must return its parameters and velocities updated, then the loss (f32) and the correct count (i32)
module attributes {dl.epochs = 1 : i64, dl.optimizer = #dl.sgd<lr = 1.000000e-01, weight_decay = 0.000000e+00, momentum = 0.000000e+00>} {
  func.func @train_step(%w: tensor<3x2xf32> {dl.init = #dl.zeros, dl.param = "w"}, %x: tensor<4x3xf32> {dl.input = "image"}, %y: tensor<4xi32> {dl.classes = 2 : i64, dl.label = "label"}, %lr: f32 {dl.hyper = "lr"}, %wd: f32 {dl.hyper = "weight_decay"}, %m: f32 {dl.hyper = "momentum"}) -> (tensor<f32>, tensor<i32>) {
    %0 = dl.dense %x, %w : tensor<4x3xf32>, tensor<3x2xf32> -> tensor<4x2xf32>
    %loss, %correct = dl.softmax_ce %0, %y : tensor<4x2xf32>, tensor<4xi32>
    return %loss, %correct : tensor<f32>, tensor<i32>
  }
  func.func @eval_step(%w: tensor<3x2xf32> {dl.init = #dl.zeros, dl.param = "w"}, %x: tensor<4x3xf32> {dl.input = "image"}, %y: tensor<4xi32> {dl.classes = 2 : i64, dl.label = "label"}, %n: i32 {dl.hyper = "valid_rows"}) -> (tensor<f32>, tensor<i32>) {
    %0 = dl.dense %x, %w : tensor<4x3xf32>, tensor<3x2xf32> -> tensor<4x2xf32>
    %loss_sum, %correct = dl.softmax_ce_eval %0, %y, %n : tensor<4x2xf32>, tensor<4xi32>
    return %loss_sum, %correct : tensor<f32>, tensor<i32>
  }
}

//--- external.mlir
// EXTERNAL: external.mlir:[[@LINE+2]]:3: error: a function of a dl module needs a body of one block
module attributes {dl.epochs = 1 : i64, dl.optimizer = #dl.sgd<lr = 1.000000e-01, weight_decay = 0.000000e+00, momentum = 0.000000e+00>} {
  func.func private @train_step(%w: tensor<3x2xf32> {dl.init = #dl.zeros, dl.param = "w"}, %x: tensor<4x3xf32> {dl.input = "image"}, %y: tensor<4xi32> {dl.classes = 2 : i64, dl.label = "label"}, %lr: f32 {dl.hyper = "lr"}, %wd: f32 {dl.hyper = "weight_decay"}, %m: f32 {dl.hyper = "momentum"}) -> (tensor<3x2xf32>, tensor<f32>, tensor<i32>)
  func.func private @eval_step(%w: tensor<3x2xf32> {dl.init = #dl.zeros, dl.param = "w"}, %x: tensor<4x3xf32> {dl.input = "image"}, %y: tensor<4xi32> {dl.classes = 2 : i64, dl.label = "label"}, %n: i32 {dl.hyper = "valid_rows"}) -> (tensor<f32>, tensor<i32>)
}
