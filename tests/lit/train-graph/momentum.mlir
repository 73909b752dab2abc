// With momentum in the train line, train_step takes one velocity per
// parameter (after the parameters, named after them), updates each
// parameter with sgd_momentum_update from its own velocity and gradient,
// and returns the new parameters, then the new velocities, then loss and
// correct. eval_step has no velocities. Without momentum (mlp.dl spells out
// momentum=0) there is no velocity at all.

// RUN: dlc %S/Inputs/momentum.dl --emit=train-graph | FileCheck %s
// RUN: dlc %models/mlp.dl --emit=train-graph | FileCheck %s --check-prefix=NOMOMENTUM
// RUN: dlc %models/lenet.dl --emit=train-graph | FileCheck %s --check-prefix=NOMOMENTUM

// CHECK: module @momentum_net attributes {dl.epochs = 2 : i64, dl.optimizer = #dl.sgd<lr = 5.000000e-02, weight_decay = 5.000000e-04, momentum = 9.000000e-01>}
// CHECK-LABEL: func.func @train_step(
// CHECK-SAME: %conv2d1.weight: tensor<2x1x3x3xf32> {dl.init = #dl.glorot_uniform, dl.param = "conv2d1.weight", dl.seed = 1 : i64},
// CHECK-SAME: %conv2d1.bias: tensor<2xf32> {dl.init = #dl.zeros, dl.param = "conv2d1.bias", dl.seed = 2 : i64},
// CHECK-SAME: %dense1.weight: tensor<8x3xf32> {dl.init = #dl.glorot_uniform, dl.param = "dense1.weight", dl.seed = 3 : i64},
// CHECK-SAME: %conv2d1.weight.velocity: tensor<2x1x3x3xf32> {dl.velocity = "conv2d1.weight"},
// CHECK-SAME: %conv2d1.bias.velocity: tensor<2xf32> {dl.velocity = "conv2d1.bias"},
// CHECK-SAME: %dense1.weight.velocity: tensor<8x3xf32> {dl.velocity = "dense1.weight"},
// CHECK-SAME: %image: tensor<8x1x6x6xf32> {dl.input = "image"},
// CHECK-SAME: %label: tensor<8xi32> {dl.classes = 3 : i64, dl.label = "label"},
// CHECK-SAME: %lr: f32 {dl.hyper = "lr"}, %weight_decay: f32 {dl.hyper = "weight_decay"}, %momentum: f32 {dl.hyper = "momentum"})
// CHECK-SAME: -> (tensor<2x1x3x3xf32>, tensor<2xf32>, tensor<8x3xf32>, tensor<2x1x3x3xf32>, tensor<2xf32>, tensor<8x3xf32>, tensor<f32>, tensor<i32>)
// CHECK:      %[[GW3:[0-9]+]] = dl.dense_grad_weight
// CHECK:      %[[GW1:[0-9]+]] = dl.conv2d_grad_filter %image,
// CHECK-NEXT: %[[GB1:[0-9]+]] = dl.bias_grad
// CHECK-NEXT: %[[W1:new_param[_0-9]*]], %[[V1:new_velocity[_0-9]*]] = dl.sgd_momentum_update %conv2d1.weight, %conv2d1.weight.velocity, %[[GW1]], %lr, %weight_decay, %momentum : tensor<2x1x3x3xf32>
// CHECK-NEXT: %[[W2:new_param[_0-9]*]], %[[V2:new_velocity[_0-9]*]] = dl.sgd_momentum_update %conv2d1.bias, %conv2d1.bias.velocity, %[[GB1]], %lr, %weight_decay, %momentum : tensor<2xf32>
// CHECK-NEXT: %[[W3:new_param[_0-9]*]], %[[V3:new_velocity[_0-9]*]] = dl.sgd_momentum_update %dense1.weight, %dense1.weight.velocity, %[[GW3]], %lr, %weight_decay, %momentum : tensor<8x3xf32>
// CHECK-NEXT: return %[[W1]], %[[W2]], %[[W3]], %[[V1]], %[[V2]], %[[V3]], %loss, %correct
// CHECK-NOT:  dl.sgd_update
// CHECK-LABEL: func.func @eval_step(
// CHECK-NOT:  velocity
// CHECK-SAME: %valid_rows: i32 {dl.hyper = "valid_rows"}) -> (tensor<f32>, tensor<i32>)
// CHECK-NOT:  velocity
// CHECK-NOT:  sgd

// NOMOMENTUM-NOT: velocity
// NOMOMENTUM-NOT: sgd_momentum_update
// NOMOMENTUM: dl.sgd_update
// NOMOMENTUM-NOT: velocity
// NOMOMENTUM-NOT: sgd_momentum_update
