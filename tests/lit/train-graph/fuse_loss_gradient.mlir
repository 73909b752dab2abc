// dl-form-kernels=fuse-loss-gradient on hand-made train graphs: which ops
// move after the loss gradient's chain, and when the chain stops.
// RUN: dl-opt %s --split-input-file --dl-form-kernels=fuse-loss-gradient=true | FileCheck %s

// A view of the loss gradient between it and the input gradient moves
// after the chain (it has no kernel of its own), with the loss and the
// head's gradients.
// CHECK-LABEL: func.func @train_step
// CHECK: %[[CHAIN:.*]]:3 = dl.launch @kernels::@k1_dense_softmax_ce_grad_dense_grad_input_relu_grad(
// CHECK: dl.launch @kernels::@k2_softmax_ce(%[[CHAIN]]#0
// CHECK: dl.reshape %[[CHAIN]]#1 : tensor<4x3xf32> -> tensor<12xf32>
// CHECK: dl.launch @kernels::@k3_dense_grad_weight_sgd_update(%{{.*}}, %[[CHAIN]]#1,
module @tiny {
  func.func @train_step(%dense1.weight: tensor<6x5xf32>, %dense1.bias: tensor<5xf32>, %dense2.weight: tensor<5x3xf32>, %dense2.bias: tensor<3xf32>, %image: tensor<4x1x2x3xf32>, %label: tensor<4xi32>, %lr: f32, %weight_decay: f32, %momentum: f32) -> (tensor<6x5xf32>, tensor<5xf32>, tensor<5x3xf32>, tensor<3xf32>, tensor<f32>, tensor<i32>) {
    %0 = dl.flatten %image : tensor<4x1x2x3xf32> -> tensor<4x6xf32>
    %1 = dl.dense %0, %dense1.weight, %dense1.bias : tensor<4x6xf32>, tensor<6x5xf32>, tensor<5xf32> -> tensor<4x5xf32>
    %2 = dl.relu %1 : tensor<4x5xf32>
    %3 = dl.dense %2, %dense2.weight, %dense2.bias : tensor<4x5xf32>, tensor<5x3xf32>, tensor<3xf32> -> tensor<4x3xf32>
    %loss, %correct = dl.softmax_ce %3, %label : tensor<4x3xf32>, tensor<4xi32>
    %4 = dl.constant 1.000000e+00 : tensor<f32>
    %5 = dl.softmax_ce_grad %3, %label, %4 : tensor<4x3xf32>, tensor<4xi32>, tensor<f32>
    %view = dl.reshape %5 : tensor<4x3xf32> -> tensor<12xf32>
    %6 = dl.dense_grad_input %5, %dense2.weight : tensor<4x3xf32>, tensor<5x3xf32>
    %7 = dl.dense_grad_weight %2, %5 : tensor<4x5xf32>, tensor<4x3xf32>
    %8 = dl.bias_grad %5 : tensor<4x3xf32> -> tensor<3xf32>
    %9 = dl.relu_grad %6, %2 : tensor<4x5xf32>
    %10 = dl.dense_grad_weight %0, %9 : tensor<4x6xf32>, tensor<4x5xf32>
    %11 = dl.bias_grad %9 : tensor<4x5xf32> -> tensor<5xf32>
    %12 = dl.sgd_update %dense1.weight, %10, %lr, %weight_decay : tensor<6x5xf32>
    %13 = dl.sgd_update %dense1.bias, %11, %lr, %weight_decay : tensor<5xf32>
    %14 = dl.sgd_update %dense2.weight, %7, %lr, %weight_decay : tensor<5x3xf32>
    %15 = dl.sgd_update %dense2.bias, %8, %lr, %weight_decay : tensor<3xf32>
    return %12, %13, %14, %15, %loss, %correct : tensor<6x5xf32>, tensor<5xf32>, tensor<5x3xf32>, tensor<3xf32>, tensor<f32>, tensor<i32>
  }
  func.func @eval_step(%dense1.weight: tensor<6x5xf32>, %dense1.bias: tensor<5xf32>, %dense2.weight: tensor<5x3xf32>, %dense2.bias: tensor<3xf32>, %image: tensor<4x1x2x3xf32>, %label: tensor<4xi32>, %valid_rows: i32) -> (tensor<f32>, tensor<i32>) {
    %0 = dl.flatten %image : tensor<4x1x2x3xf32> -> tensor<4x6xf32>
    %1 = dl.dense %0, %dense1.weight, %dense1.bias : tensor<4x6xf32>, tensor<6x5xf32>, tensor<5xf32> -> tensor<4x5xf32>
    %2 = dl.relu %1 : tensor<4x5xf32>
    %3 = dl.dense %2, %dense2.weight, %dense2.bias : tensor<4x5xf32>, tensor<5x3xf32>, tensor<3xf32> -> tensor<4x3xf32>
    %loss_sum, %correct = dl.softmax_ce_eval %3, %label, %valid_rows : tensor<4x3xf32>, tensor<4xi32>
    return %loss_sum, %correct : tensor<f32>, tensor<i32>
  }
}

// -----

// The head's weight gradient between the loss gradient and an input
// gradient that reads it cannot move after that: the chain stops at the
// loss gradient, and the input gradient keeps its relu gradient.
// CHECK-LABEL: func.func @train_step
// CHECK: %[[CHAIN:.*]]:2 = dl.launch @kernels::@k{{[0-9]+}}_dense_softmax_ce_grad(
// CHECK: %[[W:.*]] = dl.launch @kernels::@k{{[0-9]+}}_dense_grad_weight(%{{.*}}, %[[CHAIN]]#1)
// CHECK: dl.launch @kernels::@k{{[0-9]+}}_dense_grad_input_relu_grad(%[[CHAIN]]#1, %[[W]],
module @tiny {
  func.func @train_step(%dense1.weight: tensor<6x5xf32>, %dense1.bias: tensor<5xf32>, %dense2.weight: tensor<5x3xf32>, %dense2.bias: tensor<3xf32>, %image: tensor<4x1x2x3xf32>, %label: tensor<4xi32>, %lr: f32, %weight_decay: f32, %momentum: f32) -> (tensor<6x5xf32>, tensor<5xf32>, tensor<5x3xf32>, tensor<3xf32>, tensor<f32>, tensor<i32>) {
    %0 = dl.flatten %image : tensor<4x1x2x3xf32> -> tensor<4x6xf32>
    %1 = dl.dense %0, %dense1.weight, %dense1.bias : tensor<4x6xf32>, tensor<6x5xf32>, tensor<5xf32> -> tensor<4x5xf32>
    %2 = dl.relu %1 : tensor<4x5xf32>
    %3 = dl.dense %2, %dense2.weight, %dense2.bias : tensor<4x5xf32>, tensor<5x3xf32>, tensor<3xf32> -> tensor<4x3xf32>
    %loss, %correct = dl.softmax_ce %3, %label : tensor<4x3xf32>, tensor<4xi32>
    %4 = dl.constant 1.000000e+00 : tensor<f32>
    %5 = dl.softmax_ce_grad %3, %label, %4 : tensor<4x3xf32>, tensor<4xi32>, tensor<f32>
    %7 = dl.dense_grad_weight %2, %5 : tensor<4x5xf32>, tensor<4x3xf32>
    %6 = dl.dense_grad_input %5, %7 : tensor<4x3xf32>, tensor<5x3xf32>
    %8 = dl.bias_grad %5 : tensor<4x3xf32> -> tensor<3xf32>
    %9 = dl.relu_grad %6, %2 : tensor<4x5xf32>
    %10 = dl.dense_grad_weight %0, %9 : tensor<4x6xf32>, tensor<4x5xf32>
    %11 = dl.bias_grad %9 : tensor<4x5xf32> -> tensor<5xf32>
    %12 = dl.sgd_update %dense1.weight, %10, %lr, %weight_decay : tensor<6x5xf32>
    %13 = dl.sgd_update %dense1.bias, %11, %lr, %weight_decay : tensor<5xf32>
    %14 = dl.sgd_update %dense2.weight, %7, %lr, %weight_decay : tensor<5x3xf32>
    %15 = dl.sgd_update %dense2.bias, %8, %lr, %weight_decay : tensor<3xf32>
    return %12, %13, %14, %15, %loss, %correct : tensor<6x5xf32>, tensor<5xf32>, tensor<5x3xf32>, tensor<3xf32>, tensor<f32>, tensor<i32>
  }
  func.func @eval_step(%dense1.weight: tensor<6x5xf32>, %dense1.bias: tensor<5xf32>, %dense2.weight: tensor<5x3xf32>, %dense2.bias: tensor<3xf32>, %image: tensor<4x1x2x3xf32>, %label: tensor<4xi32>, %valid_rows: i32) -> (tensor<f32>, tensor<i32>) {
    %0 = dl.flatten %image : tensor<4x1x2x3xf32> -> tensor<4x6xf32>
    %1 = dl.dense %0, %dense1.weight, %dense1.bias : tensor<4x6xf32>, tensor<6x5xf32>, tensor<5xf32> -> tensor<4x5xf32>
    %2 = dl.relu %1 : tensor<4x5xf32>
    %3 = dl.dense %2, %dense2.weight, %dense2.bias : tensor<4x5xf32>, tensor<5x3xf32>, tensor<3xf32> -> tensor<4x3xf32>
    %loss_sum, %correct = dl.softmax_ce_eval %3, %label, %valid_rows : tensor<4x3xf32>, tensor<4xi32>
    return %loss_sum, %correct : tensor<f32>, tensor<i32>
  }
}
