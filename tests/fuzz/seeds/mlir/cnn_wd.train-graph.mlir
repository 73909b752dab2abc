module @cnn_wd attributes {dl.epochs = 5 : i64, dl.optimizer = #dl.sgd<lr = 5.000000e-02, weight_decay = 5.000000e-04, momentum = 9.000000e-01>} {
  func.func @train_step(%conv2d1.weight: tensor<8x1x3x3xf32> {dl.init = #dl.glorot_uniform, dl.param = "conv2d1.weight", dl.seed = 1 : i64}, %conv2d1.bias: tensor<8xf32> {dl.init = #dl.zeros, dl.param = "conv2d1.bias", dl.seed = 2 : i64}, %conv2d2.weight: tensor<16x8x3x3xf32> {dl.init = #dl.glorot_uniform, dl.param = "conv2d2.weight", dl.seed = 3 : i64}, %conv2d2.bias: tensor<16xf32> {dl.init = #dl.zeros, dl.param = "conv2d2.bias", dl.seed = 4 : i64}, %dense1.weight: tensor<576x64xf32> {dl.init = #dl.glorot_uniform, dl.param = "dense1.weight", dl.seed = 5 : i64}, %dense1.bias: tensor<64xf32> {dl.init = #dl.zeros, dl.param = "dense1.bias", dl.seed = 6 : i64}, %dense2.weight: tensor<64x10xf32> {dl.init = #dl.glorot_uniform, dl.param = "dense2.weight", dl.seed = 7 : i64}, %dense2.bias: tensor<10xf32> {dl.init = #dl.zeros, dl.param = "dense2.bias", dl.seed = 8 : i64}, %conv2d1.weight.velocity: tensor<8x1x3x3xf32> {dl.velocity = "conv2d1.weight"}, %conv2d1.bias.velocity: tensor<8xf32> {dl.velocity = "conv2d1.bias"}, %conv2d2.weight.velocity: tensor<16x8x3x3xf32> {dl.velocity = "conv2d2.weight"}, %conv2d2.bias.velocity: tensor<16xf32> {dl.velocity = "conv2d2.bias"}, %dense1.weight.velocity: tensor<576x64xf32> {dl.velocity = "dense1.weight"}, %dense1.bias.velocity: tensor<64xf32> {dl.velocity = "dense1.bias"}, %dense2.weight.velocity: tensor<64x10xf32> {dl.velocity = "dense2.weight"}, %dense2.bias.velocity: tensor<10xf32> {dl.velocity = "dense2.bias"}, %image: tensor<256x1x28x28xf32> {dl.input = "image"}, %label: tensor<256xi32> {dl.classes = 10 : i64, dl.label = "label"}, %lr: f32 {dl.hyper = "lr"}, %weight_decay: f32 {dl.hyper = "weight_decay"}, %momentum: f32 {dl.hyper = "momentum"}) -> (tensor<8x1x3x3xf32>, tensor<8xf32>, tensor<16x8x3x3xf32>, tensor<16xf32>, tensor<576x64xf32>, tensor<64xf32>, tensor<64x10xf32>, tensor<10xf32>, tensor<8x1x3x3xf32>, tensor<8xf32>, tensor<16x8x3x3xf32>, tensor<16xf32>, tensor<576x64xf32>, tensor<64xf32>, tensor<64x10xf32>, tensor<10xf32>, tensor<f32>, tensor<i32>) {
    %0 = dl.conv2d %image, %conv2d1.weight, %conv2d1.bias stride 1 padding 1 : tensor<256x1x28x28xf32>, tensor<8x1x3x3xf32>, tensor<8xf32> -> tensor<256x8x28x28xf32>
    %1 = dl.relu %0 : tensor<256x8x28x28xf32>
    %2 = dl.max_pool2d %1 kernel 2 stride 2 padding 0 : tensor<256x8x28x28xf32> -> tensor<256x8x14x14xf32>
    %3 = dl.conv2d %2, %conv2d2.weight, %conv2d2.bias stride 1 padding 0 : tensor<256x8x14x14xf32>, tensor<16x8x3x3xf32>, tensor<16xf32> -> tensor<256x16x12x12xf32>
    %4 = dl.relu %3 : tensor<256x16x12x12xf32>
    %5 = dl.avg_pool2d %4 kernel 2 stride 2 padding 0 : tensor<256x16x12x12xf32> -> tensor<256x16x6x6xf32>
    %6 = dl.flatten %5 : tensor<256x16x6x6xf32> -> tensor<256x576xf32>
    %7 = dl.dense %6, %dense1.weight, %dense1.bias : tensor<256x576xf32>, tensor<576x64xf32>, tensor<64xf32> -> tensor<256x64xf32>
    %8 = dl.relu %7 : tensor<256x64xf32>
    %9 = dl.dense %8, %dense2.weight, %dense2.bias : tensor<256x64xf32>, tensor<64x10xf32>, tensor<10xf32> -> tensor<256x10xf32>
    %loss, %correct = dl.softmax_ce %9, %label : tensor<256x10xf32>, tensor<256xi32>
    %10 = dl.constant 1.000000e+00 : tensor<f32>
    %11 = dl.softmax_ce_grad %9, %label, %10 : tensor<256x10xf32>, tensor<256xi32>, tensor<f32>
    %12 = dl.dense_grad_input %11, %dense2.weight : tensor<256x10xf32>, tensor<64x10xf32>
    %13 = dl.dense_grad_weight %8, %11 : tensor<256x64xf32>, tensor<256x10xf32>
    %14 = dl.bias_grad %11 : tensor<256x10xf32> -> tensor<10xf32>
    %15 = dl.relu_grad %12, %8 : tensor<256x64xf32>
    %16 = dl.dense_grad_input %15, %dense1.weight : tensor<256x64xf32>, tensor<576x64xf32>
    %17 = dl.dense_grad_weight %6, %15 : tensor<256x576xf32>, tensor<256x64xf32>
    %18 = dl.bias_grad %15 : tensor<256x64xf32> -> tensor<64xf32>
    %19 = dl.reshape %16 : tensor<256x576xf32> -> tensor<256x16x6x6xf32>
    %20 = dl.avg_pool2d_grad %19 kernel 2 stride 2 padding 0 : tensor<256x16x6x6xf32> -> tensor<256x16x12x12xf32>
    %21 = dl.relu_grad %20, %4 : tensor<256x16x12x12xf32>
    %22 = dl.conv2d_grad_input %21, %conv2d2.weight stride 1 padding 0 : tensor<256x16x12x12xf32>, tensor<16x8x3x3xf32> -> tensor<256x8x14x14xf32>
    %23 = dl.conv2d_grad_filter %2, %21 stride 1 padding 0 : tensor<256x8x14x14xf32>, tensor<256x16x12x12xf32> -> tensor<16x8x3x3xf32>
    %24 = dl.bias_grad %21 : tensor<256x16x12x12xf32> -> tensor<16xf32>
    %25 = dl.max_pool2d_grad %22, %1 kernel 2 stride 2 padding 0 : tensor<256x8x14x14xf32>, tensor<256x8x28x28xf32>
    %26 = dl.relu_grad %25, %1 : tensor<256x8x28x28xf32>
    %27 = dl.conv2d_grad_filter %image, %26 stride 1 padding 1 : tensor<256x1x28x28xf32>, tensor<256x8x28x28xf32> -> tensor<8x1x3x3xf32>
    %28 = dl.bias_grad %26 : tensor<256x8x28x28xf32> -> tensor<8xf32>
    %new_param, %new_velocity = dl.sgd_momentum_update %conv2d1.weight, %conv2d1.weight.velocity, %27, %lr, %weight_decay, %momentum : tensor<8x1x3x3xf32>
    %new_param_0, %new_velocity_1 = dl.sgd_momentum_update %conv2d1.bias, %conv2d1.bias.velocity, %28, %lr, %weight_decay, %momentum : tensor<8xf32>
    %new_param_2, %new_velocity_3 = dl.sgd_momentum_update %conv2d2.weight, %conv2d2.weight.velocity, %23, %lr, %weight_decay, %momentum : tensor<16x8x3x3xf32>
    %new_param_4, %new_velocity_5 = dl.sgd_momentum_update %conv2d2.bias, %conv2d2.bias.velocity, %24, %lr, %weight_decay, %momentum : tensor<16xf32>
    %new_param_6, %new_velocity_7 = dl.sgd_momentum_update %dense1.weight, %dense1.weight.velocity, %17, %lr, %weight_decay, %momentum : tensor<576x64xf32>
    %new_param_8, %new_velocity_9 = dl.sgd_momentum_update %dense1.bias, %dense1.bias.velocity, %18, %lr, %weight_decay, %momentum : tensor<64xf32>
    %new_param_10, %new_velocity_11 = dl.sgd_momentum_update %dense2.weight, %dense2.weight.velocity, %13, %lr, %weight_decay, %momentum : tensor<64x10xf32>
    %new_param_12, %new_velocity_13 = dl.sgd_momentum_update %dense2.bias, %dense2.bias.velocity, %14, %lr, %weight_decay, %momentum : tensor<10xf32>
    return %new_param, %new_param_0, %new_param_2, %new_param_4, %new_param_6, %new_param_8, %new_param_10, %new_param_12, %new_velocity, %new_velocity_1, %new_velocity_3, %new_velocity_5, %new_velocity_7, %new_velocity_9, %new_velocity_11, %new_velocity_13, %loss, %correct : tensor<8x1x3x3xf32>, tensor<8xf32>, tensor<16x8x3x3xf32>, tensor<16xf32>, tensor<576x64xf32>, tensor<64xf32>, tensor<64x10xf32>, tensor<10xf32>, tensor<8x1x3x3xf32>, tensor<8xf32>, tensor<16x8x3x3xf32>, tensor<16xf32>, tensor<576x64xf32>, tensor<64xf32>, tensor<64x10xf32>, tensor<10xf32>, tensor<f32>, tensor<i32>
  }
  func.func @eval_step(%conv2d1.weight: tensor<8x1x3x3xf32> {dl.init = #dl.glorot_uniform, dl.param = "conv2d1.weight", dl.seed = 1 : i64}, %conv2d1.bias: tensor<8xf32> {dl.init = #dl.zeros, dl.param = "conv2d1.bias", dl.seed = 2 : i64}, %conv2d2.weight: tensor<16x8x3x3xf32> {dl.init = #dl.glorot_uniform, dl.param = "conv2d2.weight", dl.seed = 3 : i64}, %conv2d2.bias: tensor<16xf32> {dl.init = #dl.zeros, dl.param = "conv2d2.bias", dl.seed = 4 : i64}, %dense1.weight: tensor<576x64xf32> {dl.init = #dl.glorot_uniform, dl.param = "dense1.weight", dl.seed = 5 : i64}, %dense1.bias: tensor<64xf32> {dl.init = #dl.zeros, dl.param = "dense1.bias", dl.seed = 6 : i64}, %dense2.weight: tensor<64x10xf32> {dl.init = #dl.glorot_uniform, dl.param = "dense2.weight", dl.seed = 7 : i64}, %dense2.bias: tensor<10xf32> {dl.init = #dl.zeros, dl.param = "dense2.bias", dl.seed = 8 : i64}, %image: tensor<256x1x28x28xf32> {dl.input = "image"}, %label: tensor<256xi32> {dl.classes = 10 : i64, dl.label = "label"}, %valid_rows: i32 {dl.hyper = "valid_rows"}) -> (tensor<f32>, tensor<i32>) {
    %0 = dl.conv2d %image, %conv2d1.weight, %conv2d1.bias stride 1 padding 1 : tensor<256x1x28x28xf32>, tensor<8x1x3x3xf32>, tensor<8xf32> -> tensor<256x8x28x28xf32>
    %1 = dl.relu %0 : tensor<256x8x28x28xf32>
    %2 = dl.max_pool2d %1 kernel 2 stride 2 padding 0 : tensor<256x8x28x28xf32> -> tensor<256x8x14x14xf32>
    %3 = dl.conv2d %2, %conv2d2.weight, %conv2d2.bias stride 1 padding 0 : tensor<256x8x14x14xf32>, tensor<16x8x3x3xf32>, tensor<16xf32> -> tensor<256x16x12x12xf32>
    %4 = dl.relu %3 : tensor<256x16x12x12xf32>
    %5 = dl.avg_pool2d %4 kernel 2 stride 2 padding 0 : tensor<256x16x12x12xf32> -> tensor<256x16x6x6xf32>
    %6 = dl.flatten %5 : tensor<256x16x6x6xf32> -> tensor<256x576xf32>
    %7 = dl.dense %6, %dense1.weight, %dense1.bias : tensor<256x576xf32>, tensor<576x64xf32>, tensor<64xf32> -> tensor<256x64xf32>
    %8 = dl.relu %7 : tensor<256x64xf32>
    %9 = dl.dense %8, %dense2.weight, %dense2.bias : tensor<256x64xf32>, tensor<64x10xf32>, tensor<10xf32> -> tensor<256x10xf32>
    %loss_sum, %correct = dl.softmax_ce_eval %9, %label, %valid_rows : tensor<256x10xf32>, tensor<256xi32>
    return %loss_sum, %correct : tensor<f32>, tensor<i32>
  }
}

