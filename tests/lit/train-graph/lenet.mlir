// The generated training step of models/lenet.dl (sigmoid, average pooling):
// the gradient walks the layers backwards, dense3 to conv2d1, each gradient
// op reading the forward values it needs; one sgd_update per parameter.
// conv2d1 reads the image, so it gets a filter and a bias gradient but no
// conv2d_grad_input: no gradient with respect to the image is formed.

// RUN: dlc %models/lenet.dl --emit=train-graph | FileCheck %s
// RUN: dlc %models/lenet.dl --emit=train-graph | FileCheck %s --check-prefix=NOINPUT
// RUN: dlc %models/lenet.dl --emit=train-graph | FileCheck %s --check-prefix=ONCE
// RUN: dlc %models/lenet_relu.dl --emit=train-graph --batch=16 | FileCheck %s --check-prefix=RELU

// CHECK-LABEL: func.func @train_step(
// CHECK:      %[[C1:[0-9]+]] = dl.conv2d %image, %conv2d1.weight, %conv2d1.bias stride 1 padding 2
// CHECK-NEXT: %[[S1:[0-9]+]] = dl.sigmoid %[[C1]]
// CHECK-NEXT: %[[P1:[0-9]+]] = dl.avg_pool2d %[[S1]] kernel 2 stride 2 padding 0
// CHECK-NEXT: %[[C2:[0-9]+]] = dl.conv2d %[[P1]], %conv2d2.weight, %conv2d2.bias stride 1 padding 0
// CHECK-NEXT: %[[S2:[0-9]+]] = dl.sigmoid %[[C2]]
// CHECK-NEXT: %[[P2:[0-9]+]] = dl.avg_pool2d %[[S2]] kernel 2 stride 2 padding 0
// CHECK-NEXT: %[[F:[0-9]+]] = dl.flatten %[[P2]]
// CHECK-NEXT: %[[D1:[0-9]+]] = dl.dense %[[F]], %dense1.weight, %dense1.bias
// CHECK-NEXT: %[[S3:[0-9]+]] = dl.sigmoid %[[D1]]
// CHECK-NEXT: %[[D2:[0-9]+]] = dl.dense %[[S3]], %dense2.weight, %dense2.bias
// CHECK-NEXT: %[[S4:[0-9]+]] = dl.sigmoid %[[D2]]
// CHECK-NEXT: %[[D3:[0-9]+]] = dl.dense %[[S4]], %dense3.weight, %dense3.bias
// CHECK-NEXT: %loss, %correct = dl.softmax_ce %[[D3]], %label
// CHECK-NEXT: %[[ONE:[0-9]+]] = dl.constant 1.000000e+00
// CHECK-NEXT: %[[G_D3:[0-9]+]] = dl.softmax_ce_grad %[[D3]], %label, %[[ONE]]
// CHECK-NEXT: %[[G_S4:[0-9]+]] = dl.dense_grad_input %[[G_D3]], %dense3.weight
// CHECK-NEXT: %[[G_W5:[0-9]+]] = dl.dense_grad_weight %[[S4]], %[[G_D3]]
// CHECK-NEXT: %[[G_B5:[0-9]+]] = dl.bias_grad %[[G_D3]] : tensor<256x10xf32> -> tensor<10xf32>
// CHECK-NEXT: %[[G_D2:[0-9]+]] = dl.sigmoid_grad %[[G_S4]], %[[S4]]
// CHECK-NEXT: %[[G_S3:[0-9]+]] = dl.dense_grad_input %[[G_D2]], %dense2.weight
// CHECK-NEXT: %[[G_W4:[0-9]+]] = dl.dense_grad_weight %[[S3]], %[[G_D2]]
// CHECK-NEXT: %[[G_B4:[0-9]+]] = dl.bias_grad %[[G_D2]] : tensor<256x84xf32> -> tensor<84xf32>
// CHECK-NEXT: %[[G_D1:[0-9]+]] = dl.sigmoid_grad %[[G_S3]], %[[S3]]
// CHECK-NEXT: %[[G_F:[0-9]+]] = dl.dense_grad_input %[[G_D1]], %dense1.weight
// CHECK-NEXT: %[[G_W3:[0-9]+]] = dl.dense_grad_weight %[[F]], %[[G_D1]]
// CHECK-NEXT: %[[G_B3:[0-9]+]] = dl.bias_grad %[[G_D1]] : tensor<256x120xf32> -> tensor<120xf32>
// CHECK-NEXT: %[[G_P2:[0-9]+]] = dl.reshape %[[G_F]] : tensor<256x400xf32> -> tensor<256x16x5x5xf32>
// CHECK-NEXT: %[[G_S2:[0-9]+]] = dl.avg_pool2d_grad %[[G_P2]] kernel 2 stride 2 padding 0 : tensor<256x16x5x5xf32> -> tensor<256x16x10x10xf32>
// CHECK-NEXT: %[[G_C2:[0-9]+]] = dl.sigmoid_grad %[[G_S2]], %[[S2]]
// CHECK-NEXT: %[[G_P1:[0-9]+]] = dl.conv2d_grad_input %[[G_C2]], %conv2d2.weight stride 1 padding 0 : tensor<256x16x10x10xf32>, tensor<16x6x5x5xf32> -> tensor<256x6x14x14xf32>
// CHECK-NEXT: %[[G_W2:[0-9]+]] = dl.conv2d_grad_filter %[[P1]], %[[G_C2]] stride 1 padding 0 : tensor<256x6x14x14xf32>, tensor<256x16x10x10xf32> -> tensor<16x6x5x5xf32>
// CHECK-NEXT: %[[G_B2:[0-9]+]] = dl.bias_grad %[[G_C2]] : tensor<256x16x10x10xf32> -> tensor<16xf32>
// CHECK-NEXT: %[[G_S1:[0-9]+]] = dl.avg_pool2d_grad %[[G_P1]] kernel 2 stride 2 padding 0 : tensor<256x6x14x14xf32> -> tensor<256x6x28x28xf32>
// CHECK-NEXT: %[[G_C1:[0-9]+]] = dl.sigmoid_grad %[[G_S1]], %[[S1]]
// CHECK-NEXT: %[[G_W1:[0-9]+]] = dl.conv2d_grad_filter %image, %[[G_C1]] stride 1 padding 2 : tensor<256x1x28x28xf32>, tensor<256x6x28x28xf32> -> tensor<6x1x5x5xf32>
// CHECK-NEXT: %[[G_B1:[0-9]+]] = dl.bias_grad %[[G_C1]] : tensor<256x6x28x28xf32> -> tensor<6xf32>
// CHECK-NEXT: %[[U1:[0-9]+]] = dl.sgd_update %conv2d1.weight, %[[G_W1]], %lr, %weight_decay : tensor<6x1x5x5xf32>
// CHECK-NEXT: %[[U2:[0-9]+]] = dl.sgd_update %conv2d1.bias, %[[G_B1]], %lr, %weight_decay : tensor<6xf32>
// CHECK-NEXT: %[[U3:[0-9]+]] = dl.sgd_update %conv2d2.weight, %[[G_W2]], %lr, %weight_decay : tensor<16x6x5x5xf32>
// CHECK-NEXT: %[[U4:[0-9]+]] = dl.sgd_update %conv2d2.bias, %[[G_B2]], %lr, %weight_decay : tensor<16xf32>
// CHECK-NEXT: %[[U5:[0-9]+]] = dl.sgd_update %dense1.weight, %[[G_W3]], %lr, %weight_decay : tensor<400x120xf32>
// CHECK-NEXT: %[[U6:[0-9]+]] = dl.sgd_update %dense1.bias, %[[G_B3]], %lr, %weight_decay : tensor<120xf32>
// CHECK-NEXT: %[[U7:[0-9]+]] = dl.sgd_update %dense2.weight, %[[G_W4]], %lr, %weight_decay : tensor<120x84xf32>
// CHECK-NEXT: %[[U8:[0-9]+]] = dl.sgd_update %dense2.bias, %[[G_B4]], %lr, %weight_decay : tensor<84xf32>
// CHECK-NEXT: %[[U9:[0-9]+]] = dl.sgd_update %dense3.weight, %[[G_W5]], %lr, %weight_decay : tensor<84x10xf32>
// CHECK-NEXT: %[[U10:[0-9]+]] = dl.sgd_update %dense3.bias, %[[G_B5]], %lr, %weight_decay : tensor<10xf32>
// CHECK-NEXT: return %[[U1]], %[[U2]], %[[U3]], %[[U4]], %[[U5]], %[[U6]], %[[U7]], %[[U8]], %[[U9]], %[[U10]], %loss, %correct
// CHECK-LABEL: func.func @eval_step(

// Nothing in the module is a gradient with respect to the image: no
// conv2d_grad_input through conv2d1's filter, nothing of the image's type
// produced; the one conv2d_grad_input is conv2d2's.
// NOINPUT-NOT: dl.conv2d_grad_input {{.*}}, %conv2d1.weight
// NOINPUT-NOT: -> tensor<256x1x28x28xf32>
// ONCE-COUNT-1: dl.conv2d_grad_input {{.*}}, %conv2d2.weight
// ONCE-NOT: dl.conv2d_grad_input

// lenet_relu: relu_grad reads the relu output; max_pool2d_grad reads the
// pool's input to find each window's maximum; the image still gets no
// gradient.
// RELU-LABEL: func.func @train_step(
// RELU:      %[[C1:[0-9]+]] = dl.conv2d %image, %conv2d1.weight, %conv2d1.bias stride 1 padding 2
// RELU-NEXT: %[[R1:[0-9]+]] = dl.relu %[[C1]]
// RELU-NEXT: %[[P1:[0-9]+]] = dl.max_pool2d %[[R1]] kernel 2 stride 2 padding 0
// RELU-NEXT: %[[C2:[0-9]+]] = dl.conv2d %[[P1]], %conv2d2.weight
// RELU-NEXT: %[[R2:[0-9]+]] = dl.relu %[[C2]]
// RELU-NEXT: %[[P2:[0-9]+]] = dl.max_pool2d %[[R2]] kernel 2 stride 2 padding 0
// RELU:      %[[G_P2:[0-9]+]] = dl.reshape {{.*}} : tensor<16x400xf32> -> tensor<16x16x5x5xf32>
// RELU-NEXT: %[[G_R2:[0-9]+]] = dl.max_pool2d_grad %[[G_P2]], %[[R2]] kernel 2 stride 2 padding 0 : tensor<16x16x5x5xf32>, tensor<16x16x10x10xf32>
// RELU-NEXT: %[[G_C2:[0-9]+]] = dl.relu_grad %[[G_R2]], %[[R2]] : tensor<16x16x10x10xf32>
// RELU-NEXT: %[[G_P1:[0-9]+]] = dl.conv2d_grad_input %[[G_C2]], %conv2d2.weight stride 1 padding 0
// RELU-NEXT: dl.conv2d_grad_filter %[[P1]], %[[G_C2]]
// RELU-NEXT: dl.bias_grad %[[G_C2]]
// RELU-NEXT: %[[G_R1:[0-9]+]] = dl.max_pool2d_grad %[[G_P1]], %[[R1]] kernel 2 stride 2 padding 0
// RELU-NEXT: %[[G_C1:[0-9]+]] = dl.relu_grad %[[G_R1]], %[[R1]]
// RELU-NEXT: dl.conv2d_grad_filter %image, %[[G_C1]] stride 1 padding 2
// RELU-NEXT: dl.bias_grad %[[G_C1]]
// RELU-NEXT: dl.sgd_update %conv2d1.weight
// RELU-NOT:  conv2d_grad_input
// RELU:      return
