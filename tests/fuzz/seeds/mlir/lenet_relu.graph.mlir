module @lenet_relu attributes {dl.epochs = 10 : i64, dl.optimizer = #dl.sgd<lr = 1.000000e-01, weight_decay = 0.000000e+00, momentum = 0.000000e+00>} {
  func.func @model() -> (tensor<f32>, tensor<i32>) {
    %image = dl.input "image" : tensor<256x1x28x28xf32>
    %label = dl.label "label" classes 10 : tensor<256xi32>
    %conv2d1.weight = dl.param "conv2d1.weight" init(#dl.glorot_uniform) {seed = 1 : i64} : tensor<6x1x5x5xf32>
    %conv2d1.bias = dl.param "conv2d1.bias" init(#dl.zeros) {seed = 2 : i64} : tensor<6xf32>
    %0 = dl.conv2d %image, %conv2d1.weight, %conv2d1.bias stride 1 padding 2 : tensor<256x1x28x28xf32>, tensor<6x1x5x5xf32>, tensor<6xf32> -> tensor<256x6x28x28xf32>
    %1 = dl.relu %0 : tensor<256x6x28x28xf32>
    %2 = dl.max_pool2d %1 kernel 2 stride 2 padding 0 : tensor<256x6x28x28xf32> -> tensor<256x6x14x14xf32>
    %conv2d2.weight = dl.param "conv2d2.weight" init(#dl.glorot_uniform) {seed = 3 : i64} : tensor<16x6x5x5xf32>
    %conv2d2.bias = dl.param "conv2d2.bias" init(#dl.zeros) {seed = 4 : i64} : tensor<16xf32>
    %3 = dl.conv2d %2, %conv2d2.weight, %conv2d2.bias stride 1 padding 0 : tensor<256x6x14x14xf32>, tensor<16x6x5x5xf32>, tensor<16xf32> -> tensor<256x16x10x10xf32>
    %4 = dl.relu %3 : tensor<256x16x10x10xf32>
    %5 = dl.max_pool2d %4 kernel 2 stride 2 padding 0 : tensor<256x16x10x10xf32> -> tensor<256x16x5x5xf32>
    %6 = dl.flatten %5 : tensor<256x16x5x5xf32> -> tensor<256x400xf32>
    %dense1.weight = dl.param "dense1.weight" init(#dl.glorot_uniform) {seed = 5 : i64} : tensor<400x120xf32>
    %dense1.bias = dl.param "dense1.bias" init(#dl.zeros) {seed = 6 : i64} : tensor<120xf32>
    %7 = dl.dense %6, %dense1.weight, %dense1.bias : tensor<256x400xf32>, tensor<400x120xf32>, tensor<120xf32> -> tensor<256x120xf32>
    %8 = dl.relu %7 : tensor<256x120xf32>
    %dense2.weight = dl.param "dense2.weight" init(#dl.glorot_uniform) {seed = 7 : i64} : tensor<120x84xf32>
    %dense2.bias = dl.param "dense2.bias" init(#dl.zeros) {seed = 8 : i64} : tensor<84xf32>
    %9 = dl.dense %8, %dense2.weight, %dense2.bias : tensor<256x120xf32>, tensor<120x84xf32>, tensor<84xf32> -> tensor<256x84xf32>
    %10 = dl.relu %9 : tensor<256x84xf32>
    %dense3.weight = dl.param "dense3.weight" init(#dl.glorot_uniform) {seed = 9 : i64} : tensor<84x10xf32>
    %dense3.bias = dl.param "dense3.bias" init(#dl.zeros) {seed = 10 : i64} : tensor<10xf32>
    %11 = dl.dense %10, %dense3.weight, %dense3.bias : tensor<256x84xf32>, tensor<84x10xf32>, tensor<10xf32> -> tensor<256x10xf32>
    %loss, %correct = dl.softmax_ce %11, %label : tensor<256x10xf32>, tensor<256xi32>
    return %loss, %correct : tensor<f32>, tensor<i32>
  }
}

