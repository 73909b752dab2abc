module @lenet_relu attributes {dl.epochs = 10 : i64, dl.optimizer = #dl.sgd<lr = 1.000000e-01, weight_decay = 0.000000e+00, momentum = 0.000000e+00>} {
  func.func @train_step(%conv2d1.weight: tensor<6x1x5x5xf32> {dl.init = #dl.glorot_uniform, dl.param = "conv2d1.weight", dl.seed = 1 : i64}, %conv2d1.bias: tensor<6xf32> {dl.init = #dl.zeros, dl.param = "conv2d1.bias", dl.seed = 2 : i64}, %conv2d2.weight: tensor<16x6x5x5xf32> {dl.init = #dl.glorot_uniform, dl.param = "conv2d2.weight", dl.seed = 3 : i64}, %conv2d2.bias: tensor<16xf32> {dl.init = #dl.zeros, dl.param = "conv2d2.bias", dl.seed = 4 : i64}, %dense1.weight: tensor<400x120xf32> {dl.init = #dl.glorot_uniform, dl.param = "dense1.weight", dl.seed = 5 : i64}, %dense1.bias: tensor<120xf32> {dl.init = #dl.zeros, dl.param = "dense1.bias", dl.seed = 6 : i64}, %dense2.weight: tensor<120x84xf32> {dl.init = #dl.glorot_uniform, dl.param = "dense2.weight", dl.seed = 7 : i64}, %dense2.bias: tensor<84xf32> {dl.init = #dl.zeros, dl.param = "dense2.bias", dl.seed = 8 : i64}, %dense3.weight: tensor<84x10xf32> {dl.init = #dl.glorot_uniform, dl.param = "dense3.weight", dl.seed = 9 : i64}, %dense3.bias: tensor<10xf32> {dl.init = #dl.zeros, dl.param = "dense3.bias", dl.seed = 10 : i64}, %image: tensor<256x1x28x28xf32> {dl.input = "image"}, %label: tensor<256xi32> {dl.classes = 10 : i64, dl.label = "label"}, %lr: f32 {dl.hyper = "lr"}, %weight_decay: f32 {dl.hyper = "weight_decay"}, %momentum: f32 {dl.hyper = "momentum"}) -> (tensor<6x1x5x5xf32>, tensor<6xf32>, tensor<16x6x5x5xf32>, tensor<16xf32>, tensor<400x120xf32>, tensor<120xf32>, tensor<120x84xf32>, tensor<84xf32>, tensor<84x10xf32>, tensor<10xf32>, tensor<f32>, tensor<i32>) {
    %0 = dl.conv2d %image, %conv2d1.weight, %conv2d1.bias stride 1 padding 2 : tensor<256x1x28x28xf32>, tensor<6x1x5x5xf32>, tensor<6xf32> -> tensor<256x6x28x28xf32>
    %1 = dl.relu %0 : tensor<256x6x28x28xf32>
    %2 = dl.max_pool2d %1 kernel 2 stride 2 padding 0 : tensor<256x6x28x28xf32> -> tensor<256x6x14x14xf32>
    %3 = dl.conv2d %2, %conv2d2.weight, %conv2d2.bias stride 1 padding 0 : tensor<256x6x14x14xf32>, tensor<16x6x5x5xf32>, tensor<16xf32> -> tensor<256x16x10x10xf32>
    %4 = dl.relu %3 : tensor<256x16x10x10xf32>
    %5 = dl.max_pool2d %4 kernel 2 stride 2 padding 0 : tensor<256x16x10x10xf32> -> tensor<256x16x5x5xf32>
    %6 = dl.flatten %5 : tensor<256x16x5x5xf32> -> tensor<256x400xf32>
    %7 = dl.dense %6, %dense1.weight, %dense1.bias : tensor<256x400xf32>, tensor<400x120xf32>, tensor<120xf32> -> tensor<256x120xf32>
    %8 = dl.relu %7 : tensor<256x120xf32>
    %9 = dl.dense %8, %dense2.weight, %dense2.bias : tensor<256x120xf32>, tensor<120x84xf32>, tensor<84xf32> -> tensor<256x84xf32>
    %10 = dl.relu %9 : tensor<256x84xf32>
    %11 = dl.dense %10, %dense3.weight, %dense3.bias : tensor<256x84xf32>, tensor<84x10xf32>, tensor<10xf32> -> tensor<256x10xf32>
    %loss, %correct = dl.softmax_ce %11, %label : tensor<256x10xf32>, tensor<256xi32>
    %12 = dl.constant 1.000000e+00 : tensor<f32>
    %13 = dl.softmax_ce_grad %11, %label, %12 : tensor<256x10xf32>, tensor<256xi32>, tensor<f32>
    %14 = dl.dense_grad_input %13, %dense3.weight : tensor<256x10xf32>, tensor<84x10xf32>
    %15 = dl.dense_grad_weight %10, %13 : tensor<256x84xf32>, tensor<256x10xf32>
    %16 = dl.bias_grad %13 : tensor<256x10xf32> -> tensor<10xf32>
    %17 = dl.relu_grad %14, %10 : tensor<256x84xf32>
    %18 = dl.dense_grad_input %17, %dense2.weight : tensor<256x84xf32>, tensor<120x84xf32>
    %19 = dl.dense_grad_weight %8, %17 : tensor<256x120xf32>, tensor<256x84xf32>
    %20 = dl.bias_grad %17 : tensor<256x84xf32> -> tensor<84xf32>
    %21 = dl.relu_grad %18, %8 : tensor<256x120xf32>
    %22 = dl.dense_grad_input %21, %dense1.weight : tensor<256x120xf32>, tensor<400x120xf32>
    %23 = dl.dense_grad_weight %6, %21 : tensor<256x400xf32>, tensor<256x120xf32>
    %24 = dl.bias_grad %21 : tensor<256x120xf32> -> tensor<120xf32>
    %25 = dl.reshape %22 : tensor<256x400xf32> -> tensor<256x16x5x5xf32>
    %26 = dl.max_pool2d_grad %25, %4 kernel 2 stride 2 padding 0 : tensor<256x16x5x5xf32>, tensor<256x16x10x10xf32>
    %27 = dl.relu_grad %26, %4 : tensor<256x16x10x10xf32>
    %28 = dl.conv2d_grad_input %27, %conv2d2.weight stride 1 padding 0 : tensor<256x16x10x10xf32>, tensor<16x6x5x5xf32> -> tensor<256x6x14x14xf32>
    %29 = dl.conv2d_grad_filter %2, %27 stride 1 padding 0 : tensor<256x6x14x14xf32>, tensor<256x16x10x10xf32> -> tensor<16x6x5x5xf32>
    %30 = dl.bias_grad %27 : tensor<256x16x10x10xf32> -> tensor<16xf32>
    %31 = dl.max_pool2d_grad %28, %1 kernel 2 stride 2 padding 0 : tensor<256x6x14x14xf32>, tensor<256x6x28x28xf32>
    %32 = dl.relu_grad %31, %1 : tensor<256x6x28x28xf32>
    %33 = dl.conv2d_grad_filter %image, %32 stride 1 padding 2 : tensor<256x1x28x28xf32>, tensor<256x6x28x28xf32> -> tensor<6x1x5x5xf32>
    %34 = dl.bias_grad %32 : tensor<256x6x28x28xf32> -> tensor<6xf32>
    %35 = dl.sgd_update %conv2d1.weight, %33, %lr, %weight_decay : tensor<6x1x5x5xf32>
    %36 = dl.sgd_update %conv2d1.bias, %34, %lr, %weight_decay : tensor<6xf32>
    %37 = dl.sgd_update %conv2d2.weight, %29, %lr, %weight_decay : tensor<16x6x5x5xf32>
    %38 = dl.sgd_update %conv2d2.bias, %30, %lr, %weight_decay : tensor<16xf32>
    %39 = dl.sgd_update %dense1.weight, %23, %lr, %weight_decay : tensor<400x120xf32>
    %40 = dl.sgd_update %dense1.bias, %24, %lr, %weight_decay : tensor<120xf32>
    %41 = dl.sgd_update %dense2.weight, %19, %lr, %weight_decay : tensor<120x84xf32>
    %42 = dl.sgd_update %dense2.bias, %20, %lr, %weight_decay : tensor<84xf32>
    %43 = dl.sgd_update %dense3.weight, %15, %lr, %weight_decay : tensor<84x10xf32>
    %44 = dl.sgd_update %dense3.bias, %16, %lr, %weight_decay : tensor<10xf32>
    return %35, %36, %37, %38, %39, %40, %41, %42, %43, %44, %loss, %correct : tensor<6x1x5x5xf32>, tensor<6xf32>, tensor<16x6x5x5xf32>, tensor<16xf32>, tensor<400x120xf32>, tensor<120xf32>, tensor<120x84xf32>, tensor<84xf32>, tensor<84x10xf32>, tensor<10xf32>, tensor<f32>, tensor<i32>
  }
  func.func @eval_step(%conv2d1.weight: tensor<6x1x5x5xf32> {dl.init = #dl.glorot_uniform, dl.param = "conv2d1.weight", dl.seed = 1 : i64}, %conv2d1.bias: tensor<6xf32> {dl.init = #dl.zeros, dl.param = "conv2d1.bias", dl.seed = 2 : i64}, %conv2d2.weight: tensor<16x6x5x5xf32> {dl.init = #dl.glorot_uniform, dl.param = "conv2d2.weight", dl.seed = 3 : i64}, %conv2d2.bias: tensor<16xf32> {dl.init = #dl.zeros, dl.param = "conv2d2.bias", dl.seed = 4 : i64}, %dense1.weight: tensor<400x120xf32> {dl.init = #dl.glorot_uniform, dl.param = "dense1.weight", dl.seed = 5 : i64}, %dense1.bias: tensor<120xf32> {dl.init = #dl.zeros, dl.param = "dense1.bias", dl.seed = 6 : i64}, %dense2.weight: tensor<120x84xf32> {dl.init = #dl.glorot_uniform, dl.param = "dense2.weight", dl.seed = 7 : i64}, %dense2.bias: tensor<84xf32> {dl.init = #dl.zeros, dl.param = "dense2.bias", dl.seed = 8 : i64}, %dense3.weight: tensor<84x10xf32> {dl.init = #dl.glorot_uniform, dl.param = "dense3.weight", dl.seed = 9 : i64}, %dense3.bias: tensor<10xf32> {dl.init = #dl.zeros, dl.param = "dense3.bias", dl.seed = 10 : i64}, %image: tensor<256x1x28x28xf32> {dl.input = "image"}, %label: tensor<256xi32> {dl.classes = 10 : i64, dl.label = "label"}, %valid_rows: i32 {dl.hyper = "valid_rows"}) -> (tensor<f32>, tensor<i32>) {
    %0 = dl.conv2d %image, %conv2d1.weight, %conv2d1.bias stride 1 padding 2 : tensor<256x1x28x28xf32>, tensor<6x1x5x5xf32>, tensor<6xf32> -> tensor<256x6x28x28xf32>
    %1 = dl.relu %0 : tensor<256x6x28x28xf32>
    %2 = dl.max_pool2d %1 kernel 2 stride 2 padding 0 : tensor<256x6x28x28xf32> -> tensor<256x6x14x14xf32>
    %3 = dl.conv2d %2, %conv2d2.weight, %conv2d2.bias stride 1 padding 0 : tensor<256x6x14x14xf32>, tensor<16x6x5x5xf32>, tensor<16xf32> -> tensor<256x16x10x10xf32>
    %4 = dl.relu %3 : tensor<256x16x10x10xf32>
    %5 = dl.max_pool2d %4 kernel 2 stride 2 padding 0 : tensor<256x16x10x10xf32> -> tensor<256x16x5x5xf32>
    %6 = dl.flatten %5 : tensor<256x16x5x5xf32> -> tensor<256x400xf32>
    %7 = dl.dense %6, %dense1.weight, %dense1.bias : tensor<256x400xf32>, tensor<400x120xf32>, tensor<120xf32> -> tensor<256x120xf32>
    %8 = dl.relu %7 : tensor<256x120xf32>
    %9 = dl.dense %8, %dense2.weight, %dense2.bias : tensor<256x120xf32>, tensor<120x84xf32>, tensor<84xf32> -> tensor<256x84xf32>
    %10 = dl.relu %9 : tensor<256x84xf32>
    %11 = dl.dense %10, %dense3.weight, %dense3.bias : tensor<256x84xf32>, tensor<84x10xf32>, tensor<10xf32> -> tensor<256x10xf32>
    %loss_sum, %correct = dl.softmax_ce_eval %11, %label, %valid_rows : tensor<256x10xf32>, tensor<256xi32>
    return %loss_sum, %correct : tensor<f32>, tensor<i32>
  }
}

