// The generated training step of models/mlp.dl: the forward graph, then its
// gradient in reverse order (softmax_ce, dense2, relu, dense1), then one
// sgd_update per parameter, all returned in parameter order. No gradient
// with respect to the input is formed: dense1's input is the flattened
// image, so there is no dense_grad_input of dense1 (it would be the
// 256x784 tensor) and no reshape back to the image.

// RUN: dlc %models/mlp.dl --emit=train-graph | FileCheck %s
// RUN: dlc %models/mlp.dl --emit=train-graph | FileCheck %s --check-prefix=NOINPUT

// CHECK-LABEL: func.func @train_step(
// CHECK-SAME: %dense1.weight: tensor<784x256xf32> {dl.init = #dl.normal<mean = 0.000000e+00, std = 1.000000e-02>, dl.param = "dense1.weight", dl.seed = 1 : i64},
// CHECK-SAME: %dense1.bias: tensor<256xf32> {dl.init = #dl.zeros, dl.param = "dense1.bias", dl.seed = 2 : i64},
// CHECK-SAME: %dense2.weight: tensor<256x10xf32> {dl.init = #dl.normal<mean = 0.000000e+00, std = 1.000000e-02>, dl.param = "dense2.weight", dl.seed = 3 : i64},
// CHECK-SAME: %dense2.bias: tensor<10xf32> {dl.init = #dl.zeros, dl.param = "dense2.bias", dl.seed = 4 : i64},
// CHECK-SAME: %image: tensor<256x1x28x28xf32> {dl.input = "image"}
// CHECK-SAME: %label: tensor<256xi32> {dl.classes = 10 : i64, dl.label = "label"}
// CHECK-SAME: %lr: f32 {dl.hyper = "lr"}, %weight_decay: f32 {dl.hyper = "weight_decay"}, %momentum: f32 {dl.hyper = "momentum"})
// CHECK-SAME: -> (tensor<784x256xf32>, tensor<256xf32>, tensor<256x10xf32>, tensor<10xf32>, tensor<f32>, tensor<i32>)
// CHECK-NEXT: %[[X:[0-9]+]] = dl.flatten %image
// CHECK-NEXT: %[[Z1:[0-9]+]] = dl.dense %[[X]], %dense1.weight, %dense1.bias
// CHECK-NEXT: %[[H:[0-9]+]] = dl.relu %[[Z1]]
// CHECK-NEXT: %[[Z2:[0-9]+]] = dl.dense %[[H]], %dense2.weight, %dense2.bias
// CHECK-NEXT: %loss, %correct = dl.softmax_ce %[[Z2]], %label
// CHECK-NEXT: %[[ONE:[0-9]+]] = dl.constant 1.000000e+00 : tensor<f32>
// CHECK-NEXT: %[[DZ2:[0-9]+]] = dl.softmax_ce_grad %[[Z2]], %label, %[[ONE]] : tensor<256x10xf32>, tensor<256xi32>, tensor<f32>
// CHECK-NEXT: %[[DH:[0-9]+]] = dl.dense_grad_input %[[DZ2]], %dense2.weight : tensor<256x10xf32>, tensor<256x10xf32>
// CHECK-NEXT: %[[DW2:[0-9]+]] = dl.dense_grad_weight %[[H]], %[[DZ2]] : tensor<256x256xf32>, tensor<256x10xf32>
// CHECK-NEXT: %[[DB2:[0-9]+]] = dl.bias_grad %[[DZ2]] : tensor<256x10xf32> -> tensor<10xf32>
// CHECK-NEXT: %[[DZ1:[0-9]+]] = dl.relu_grad %[[DH]], %[[H]] : tensor<256x256xf32>
// CHECK-NEXT: %[[DW1:[0-9]+]] = dl.dense_grad_weight %[[X]], %[[DZ1]] : tensor<256x784xf32>, tensor<256x256xf32>
// CHECK-NEXT: %[[DB1:[0-9]+]] = dl.bias_grad %[[DZ1]] : tensor<256x256xf32> -> tensor<256xf32>
// CHECK-NEXT: %[[W1:[0-9]+]] = dl.sgd_update %dense1.weight, %[[DW1]], %lr, %weight_decay : tensor<784x256xf32>
// CHECK-NEXT: %[[B1:[0-9]+]] = dl.sgd_update %dense1.bias, %[[DB1]], %lr, %weight_decay : tensor<256xf32>
// CHECK-NEXT: %[[W2:[0-9]+]] = dl.sgd_update %dense2.weight, %[[DW2]], %lr, %weight_decay : tensor<256x10xf32>
// CHECK-NEXT: %[[B2:[0-9]+]] = dl.sgd_update %dense2.bias, %[[DB2]], %lr, %weight_decay : tensor<10xf32>
// CHECK-NEXT: return %[[W1]], %[[B1]], %[[W2]], %[[B2]], %loss, %correct
// CHECK-NEXT: }

// eval_step: the forward graph with a masked loss, no gradient or update.
// CHECK-LABEL: func.func @eval_step(
// CHECK-SAME: %valid_rows: i32 {dl.hyper = "valid_rows"}) -> (tensor<f32>, tensor<i32>)
// CHECK-NEXT: dl.flatten
// CHECK-NEXT: dl.dense
// CHECK-NEXT: dl.relu
// CHECK-NEXT: dl.dense
// CHECK-NEXT: %loss_sum, %correct = dl.softmax_ce_eval %{{[0-9]+}}, %label, %valid_rows
// CHECK-NEXT: return %loss_sum, %correct
// CHECK-NEXT: }

// NOINPUT-NOT: dl.dense_grad_input {{.*}}, %dense1.weight
// NOINPUT-NOT: dl.reshape
// NOINPUT-NOT: sgd_momentum_update
// NOINPUT-NOT: velocity
// NOINPUT: func.func @eval_step
// NOINPUT-NOT: _grad
// NOINPUT-NOT: sgd_update
