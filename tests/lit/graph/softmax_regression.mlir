// The parsed forward graph of models/softmax_regression.dl, line by line.
// One dense layer 784 -> 10 after flatten; the train line gives only lr, so
// weight_decay and momentum default to 0.
// The second RUN writes the same through -o.

// RUN: dlc %models/softmax_regression.dl --emit=graph | FileCheck %s --match-full-lines
// RUN: dlc %models/softmax_regression.dl --emit=graph -o %t.mlir && FileCheck %s --match-full-lines --input-file=%t.mlir

// CHECK: module @softmax_regression attributes {dl.epochs = 5 : i64, dl.optimizer = #dl.sgd<lr = 1.000000e-01, weight_decay = 0.000000e+00, momentum = 0.000000e+00>} {
// CHECK-NEXT: func.func @model() -> (tensor<f32>, tensor<i32>) {
// CHECK-NEXT: %image = dl.input "image" : tensor<256x1x28x28xf32>
// CHECK-NEXT: %label = dl.label "label" classes 10 : tensor<256xi32>
// CHECK-NEXT: %[[FLAT1:[0-9]+]] = dl.flatten %image : tensor<256x1x28x28xf32> -> tensor<256x784xf32>
// CHECK-NEXT: %dense1.weight = dl.param "dense1.weight" init(#dl.normal<mean = 0.000000e+00, std = 1.000000e-02>) {seed = 1 : i64} : tensor<784x10xf32>
// CHECK-NEXT: %dense1.bias = dl.param "dense1.bias" init(#dl.zeros) {seed = 2 : i64} : tensor<10xf32>
// CHECK-NEXT: %[[DENSE1:[0-9]+]] = dl.dense %[[FLAT1]], %dense1.weight, %dense1.bias : tensor<256x784xf32>, tensor<784x10xf32>, tensor<10xf32> -> tensor<256x10xf32>
// CHECK-NEXT: %loss, %correct = dl.softmax_ce %[[DENSE1]], %label : tensor<256x10xf32>, tensor<256xi32>
// CHECK-NEXT: return %loss, %correct : tensor<f32>, tensor<i32>
// CHECK-NEXT: }
// CHECK-NEXT: }
// CHECK-EMPTY:
// CHECK-NOT: {{.}}
