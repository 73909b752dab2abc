// The parsed forward graph of models/mlp.dl, line by line.
// 784-256-10 perceptron: flatten, two dense layers with normal(0, 0.01)
// weights and zeros biases, relu, and a train line with every sgd keyword.
// The second RUN writes the same through -o.

// RUN: dlc %models/mlp.dl --emit=graph | FileCheck %s --match-full-lines
// RUN: dlc %models/mlp.dl --emit=graph -o %t.mlir && FileCheck %s --match-full-lines --input-file=%t.mlir

// CHECK: module @mlp attributes {dl.epochs = 5 : i64, dl.optimizer = #dl.sgd<lr = 5.000000e-01, weight_decay = 0.000000e+00, momentum = 0.000000e+00>} {
// CHECK-NEXT: func.func @model() -> (tensor<f32>, tensor<i32>) {
// CHECK-NEXT: %image = dl.input "image" : tensor<256x1x28x28xf32>
// CHECK-NEXT: %label = dl.label "label" classes 10 : tensor<256xi32>
// CHECK-NEXT: %[[FLAT1:[0-9]+]] = dl.flatten %image : tensor<256x1x28x28xf32> -> tensor<256x784xf32>
// CHECK-NEXT: %dense1.weight = dl.param "dense1.weight" init(#dl.normal<mean = 0.000000e+00, std = 1.000000e-02>) {seed = 1 : i64} : tensor<784x256xf32>
// CHECK-NEXT: %dense1.bias = dl.param "dense1.bias" init(#dl.zeros) {seed = 2 : i64} : tensor<256xf32>
// CHECK-NEXT: %[[DENSE1:[0-9]+]] = dl.dense %[[FLAT1]], %dense1.weight, %dense1.bias : tensor<256x784xf32>, tensor<784x256xf32>, tensor<256xf32> -> tensor<256x256xf32>
// CHECK-NEXT: %[[RELU1:[0-9]+]] = dl.relu %[[DENSE1]] : tensor<256x256xf32>
// CHECK-NEXT: %dense2.weight = dl.param "dense2.weight" init(#dl.normal<mean = 0.000000e+00, std = 1.000000e-02>) {seed = 3 : i64} : tensor<256x10xf32>
// CHECK-NEXT: %dense2.bias = dl.param "dense2.bias" init(#dl.zeros) {seed = 4 : i64} : tensor<10xf32>
// CHECK-NEXT: %[[DENSE2:[0-9]+]] = dl.dense %[[RELU1]], %dense2.weight, %dense2.bias : tensor<256x256xf32>, tensor<256x10xf32>, tensor<10xf32> -> tensor<256x10xf32>
// CHECK-NEXT: %loss, %correct = dl.softmax_ce %[[DENSE2]], %label : tensor<256x10xf32>, tensor<256xi32>
// CHECK-NEXT: return %loss, %correct : tensor<f32>, tensor<i32>
// CHECK-NEXT: }
// CHECK-NEXT: }
// CHECK-EMPTY:
// CHECK-NOT: {{.}}
