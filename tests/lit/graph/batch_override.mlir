// --batch replaces the batch dimension of the input and the label, and every
// shape that follows from them; parameters keep their shapes. --batch=0
// keeps the model file's batch.

// RUN: dlc %models/lenet.dl --emit=graph --batch=64 | FileCheck %s --match-full-lines --implicit-check-not=256
// RUN: dlc %models/lenet.dl --emit=graph --batch 64 | FileCheck %s --match-full-lines --implicit-check-not=256
// RUN: dlc %models/lenet.dl --emit=graph --batch=0 | FileCheck %s --check-prefix=DEFAULT
// RUN: dlc %models/mlp.dl --emit=graph --batch=1 | FileCheck %s --check-prefix=MLP

// DEFAULT: dl.input "image" : tensor<256x1x28x28xf32>
// DEFAULT: dl.label "label" classes 10 : tensor<256xi32>

// In mlp the hidden width is also 256: only the batch changes.
// MLP:      %image = dl.input "image" : tensor<1x1x28x28xf32>
// MLP-NEXT: %label = dl.label "label" classes 10 : tensor<1xi32>
// MLP-NEXT: dl.flatten %image : tensor<1x1x28x28xf32> -> tensor<1x784xf32>
// MLP-NEXT: %dense1.weight = dl.param {{.*}} : tensor<784x256xf32>
// MLP-NEXT: %dense1.bias = dl.param {{.*}} : tensor<256xf32>
// MLP-NEXT: dl.dense {{.*}} : tensor<1x784xf32>, tensor<784x256xf32>, tensor<256xf32> -> tensor<1x256xf32>
// MLP-NEXT: dl.relu {{.*}} : tensor<1x256xf32>
// MLP-NEXT: %dense2.weight = dl.param {{.*}} : tensor<256x10xf32>
// MLP-NEXT: %dense2.bias = dl.param {{.*}} : tensor<10xf32>
// MLP-NEXT: dl.dense {{.*}} : tensor<1x256xf32>, tensor<256x10xf32>, tensor<10xf32> -> tensor<1x10xf32>
// MLP-NEXT: dl.softmax_ce {{.*}} : tensor<1x10xf32>, tensor<1xi32>

// CHECK: module @lenet attributes {dl.epochs = 10 : i64, dl.optimizer = #dl.sgd<lr = 9.000000e-01, weight_decay = 0.000000e+00, momentum = 0.000000e+00>} {
// CHECK-NEXT: func.func @model() -> (tensor<f32>, tensor<i32>) {
// CHECK-NEXT: %image = dl.input "image" : tensor<64x1x28x28xf32>
// CHECK-NEXT: %label = dl.label "label" classes 10 : tensor<64xi32>
// CHECK-NEXT: %conv2d1.weight = dl.param "conv2d1.weight" init(#dl.glorot_uniform) {seed = 1 : i64} : tensor<6x1x5x5xf32>
// CHECK-NEXT: %conv2d1.bias = dl.param "conv2d1.bias" init(#dl.zeros) {seed = 2 : i64} : tensor<6xf32>
// CHECK-NEXT: %[[CONV1:[0-9]+]] = dl.conv2d %image, %conv2d1.weight, %conv2d1.bias stride 1 padding 2 : tensor<64x1x28x28xf32>, tensor<6x1x5x5xf32>, tensor<6xf32> -> tensor<64x6x28x28xf32>
// CHECK-NEXT: %[[SIG1:[0-9]+]] = dl.sigmoid %[[CONV1]] : tensor<64x6x28x28xf32>
// CHECK-NEXT: %[[POOL1:[0-9]+]] = dl.avg_pool2d %[[SIG1]] kernel 2 stride 2 padding 0 : tensor<64x6x28x28xf32> -> tensor<64x6x14x14xf32>
// CHECK-NEXT: %conv2d2.weight = dl.param "conv2d2.weight" init(#dl.glorot_uniform) {seed = 3 : i64} : tensor<16x6x5x5xf32>
// CHECK-NEXT: %conv2d2.bias = dl.param "conv2d2.bias" init(#dl.zeros) {seed = 4 : i64} : tensor<16xf32>
// CHECK-NEXT: %[[CONV2:[0-9]+]] = dl.conv2d %[[POOL1]], %conv2d2.weight, %conv2d2.bias stride 1 padding 0 : tensor<64x6x14x14xf32>, tensor<16x6x5x5xf32>, tensor<16xf32> -> tensor<64x16x10x10xf32>
// CHECK-NEXT: %[[SIG2:[0-9]+]] = dl.sigmoid %[[CONV2]] : tensor<64x16x10x10xf32>
// CHECK-NEXT: %[[POOL2:[0-9]+]] = dl.avg_pool2d %[[SIG2]] kernel 2 stride 2 padding 0 : tensor<64x16x10x10xf32> -> tensor<64x16x5x5xf32>
// CHECK-NEXT: %[[FLAT1:[0-9]+]] = dl.flatten %[[POOL2]] : tensor<64x16x5x5xf32> -> tensor<64x400xf32>
// CHECK-NEXT: %dense1.weight = dl.param "dense1.weight" init(#dl.glorot_uniform) {seed = 5 : i64} : tensor<400x120xf32>
// CHECK-NEXT: %dense1.bias = dl.param "dense1.bias" init(#dl.zeros) {seed = 6 : i64} : tensor<120xf32>
// CHECK-NEXT: %[[DENSE1:[0-9]+]] = dl.dense %[[FLAT1]], %dense1.weight, %dense1.bias : tensor<64x400xf32>, tensor<400x120xf32>, tensor<120xf32> -> tensor<64x120xf32>
// CHECK-NEXT: %[[SIG3:[0-9]+]] = dl.sigmoid %[[DENSE1]] : tensor<64x120xf32>
// CHECK-NEXT: %dense2.weight = dl.param "dense2.weight" init(#dl.glorot_uniform) {seed = 7 : i64} : tensor<120x84xf32>
// CHECK-NEXT: %dense2.bias = dl.param "dense2.bias" init(#dl.zeros) {seed = 8 : i64} : tensor<84xf32>
// CHECK-NEXT: %[[DENSE2:[0-9]+]] = dl.dense %[[SIG3]], %dense2.weight, %dense2.bias : tensor<64x120xf32>, tensor<120x84xf32>, tensor<84xf32> -> tensor<64x84xf32>
// CHECK-NEXT: %[[SIG4:[0-9]+]] = dl.sigmoid %[[DENSE2]] : tensor<64x84xf32>
// CHECK-NEXT: %dense3.weight = dl.param "dense3.weight" init(#dl.glorot_uniform) {seed = 9 : i64} : tensor<84x10xf32>
// CHECK-NEXT: %dense3.bias = dl.param "dense3.bias" init(#dl.zeros) {seed = 10 : i64} : tensor<10xf32>
// CHECK-NEXT: %[[DENSE3:[0-9]+]] = dl.dense %[[SIG4]], %dense3.weight, %dense3.bias : tensor<64x84xf32>, tensor<84x10xf32>, tensor<10xf32> -> tensor<64x10xf32>
// CHECK-NEXT: %loss, %correct = dl.softmax_ce %[[DENSE3]], %label : tensor<64x10xf32>, tensor<64xi32>
// CHECK-NEXT: return %loss, %correct : tensor<f32>, tensor<i32>
// CHECK-NEXT: }
// CHECK-NEXT: }
// CHECK-EMPTY:
// CHECK-NOT: {{.}}
