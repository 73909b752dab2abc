module @cnn_wd attributes {dl.epochs = 5 : i64, dl.optimizer = #dl.sgd<lr = 5.000000e-02, weight_decay = 5.000000e-04, momentum = 9.000000e-01>} {
  func.func @train_step(%conv2d1.weight: tensor<8x1x3x3xf32> {dl.init = #dl.glorot_uniform, dl.param = "conv2d1.weight", dl.seed = 1 : i64}, %conv2d1.bias: tensor<8xf32> {dl.init = #dl.zeros, dl.param = "conv2d1.bias", dl.seed = 2 : i64}, %conv2d2.weight: tensor<16x8x3x3xf32> {dl.init = #dl.glorot_uniform, dl.param = "conv2d2.weight", dl.seed = 3 : i64}, %conv2d2.bias: tensor<16xf32> {dl.init = #dl.zeros, dl.param = "conv2d2.bias", dl.seed = 4 : i64}, %dense1.weight: tensor<576x64xf32> {dl.init = #dl.glorot_uniform, dl.param = "dense1.weight", dl.seed = 5 : i64}, %dense1.bias: tensor<64xf32> {dl.init = #dl.zeros, dl.param = "dense1.bias", dl.seed = 6 : i64}, %dense2.weight: tensor<64x10xf32> {dl.init = #dl.glorot_uniform, dl.param = "dense2.weight", dl.seed = 7 : i64}, %dense2.bias: tensor<10xf32> {dl.init = #dl.zeros, dl.param = "dense2.bias", dl.seed = 8 : i64}, %conv2d1.weight.velocity: tensor<8x1x3x3xf32> {dl.velocity = "conv2d1.weight"}, %conv2d1.bias.velocity: tensor<8xf32> {dl.velocity = "conv2d1.bias"}, %conv2d2.weight.velocity: tensor<16x8x3x3xf32> {dl.velocity = "conv2d2.weight"}, %conv2d2.bias.velocity: tensor<16xf32> {dl.velocity = "conv2d2.bias"}, %dense1.weight.velocity: tensor<576x64xf32> {dl.velocity = "dense1.weight"}, %dense1.bias.velocity: tensor<64xf32> {dl.velocity = "dense1.bias"}, %dense2.weight.velocity: tensor<64x10xf32> {dl.velocity = "dense2.weight"}, %dense2.bias.velocity: tensor<10xf32> {dl.velocity = "dense2.bias"}, %image: tensor<256x1x28x28xf32> {dl.input = "image"}, %label: tensor<256xi32> {dl.classes = 10 : i64, dl.label = "label"}, %lr: f32 {dl.hyper = "lr"}, %weight_decay: f32 {dl.hyper = "weight_decay"}, %momentum: f32 {dl.hyper = "momentum"}) -> (tensor<8x1x3x3xf32>, tensor<8xf32>, tensor<16x8x3x3xf32>, tensor<16xf32>, tensor<576x64xf32>, tensor<64xf32>, tensor<64x10xf32>, tensor<10xf32>, tensor<8x1x3x3xf32>, tensor<8xf32>, tensor<16x8x3x3xf32>, tensor<16xf32>, tensor<576x64xf32>, tensor<64xf32>, tensor<64x10xf32>, tensor<10xf32>, tensor<f32>, tensor<i32>) {
    %0 = dl.launch @kernels::@k0_conv2d_relu(%image, %conv2d1.weight, %conv2d1.bias) : (tensor<256x1x28x28xf32>, tensor<8x1x3x3xf32>, tensor<8xf32>) -> tensor<256x8x28x28xf32>
    %1 = dl.launch @kernels::@k1_max_pool2d(%0) : (tensor<256x8x28x28xf32>) -> tensor<256x8x14x14xf32>
    %2 = dl.launch @kernels::@k2_conv2d_relu(%1, %conv2d2.weight, %conv2d2.bias) : (tensor<256x8x14x14xf32>, tensor<16x8x3x3xf32>, tensor<16xf32>) -> tensor<256x16x12x12xf32>
    %3 = dl.launch @kernels::@k3_avg_pool2d(%2) : (tensor<256x16x12x12xf32>) -> tensor<256x16x6x6xf32>
    %4 = dl.flatten %3 : tensor<256x16x6x6xf32> -> tensor<256x576xf32>
    %5 = dl.launch @kernels::@k4_dense_relu(%4, %dense1.weight, %dense1.bias) : (tensor<256x576xf32>, tensor<576x64xf32>, tensor<64xf32>) -> tensor<256x64xf32>
    %6 = dl.launch @kernels::@k5_dense(%5, %dense2.weight, %dense2.bias) : (tensor<256x64xf32>, tensor<64x10xf32>, tensor<10xf32>) -> tensor<256x10xf32>
    %7:3 = dl.launch @kernels::@k6_softmax_ce_grad(%6, %label) : (tensor<256x10xf32>, tensor<256xi32>) -> (tensor<f32>, tensor<i32>, tensor<256x10xf32>)
    %8 = dl.launch @kernels::@k7_dense_grad_input_relu_grad(%7#2, %dense2.weight, %5) : (tensor<256x10xf32>, tensor<64x10xf32>, tensor<256x64xf32>) -> tensor<256x64xf32>
    %9 = dl.launch @kernels::@k10_dense_grad_input(%8, %dense1.weight) : (tensor<256x64xf32>, tensor<576x64xf32>) -> tensor<256x576xf32>
    %10 = dl.reshape %9 : tensor<256x576xf32> -> tensor<256x16x6x6xf32>
    %11 = dl.launch @kernels::@k13_avg_pool2d_grad_relu_grad(%10, %2) : (tensor<256x16x6x6xf32>, tensor<256x16x12x12xf32>) -> tensor<256x16x12x12xf32>
    %12 = dl.launch @kernels::@k14_conv2d_grad_input(%11, %conv2d2.weight) : (tensor<256x16x12x12xf32>, tensor<16x8x3x3xf32>) -> tensor<256x8x14x14xf32>
    %13 = dl.launch @kernels::@k17_max_pool2d_grad_relu_grad(%12, %0) : (tensor<256x8x14x14xf32>, tensor<256x8x28x28xf32>) -> tensor<256x8x28x28xf32>
    %14:2 = dl.launch @kernels::@k18_conv2d_grad_filter_sgd_momentum_update(%image, %13, %conv2d1.weight, %conv2d1.weight.velocity, %lr, %weight_decay, %momentum) : (tensor<256x1x28x28xf32>, tensor<256x8x28x28xf32>, tensor<8x1x3x3xf32>, tensor<8x1x3x3xf32>, f32, f32, f32) -> (tensor<8x1x3x3xf32>, tensor<8x1x3x3xf32>)
    %15:2 = dl.launch @kernels::@k19_bias_grad_sgd_momentum_update(%13, %conv2d1.bias, %conv2d1.bias.velocity, %lr, %weight_decay, %momentum) : (tensor<256x8x28x28xf32>, tensor<8xf32>, tensor<8xf32>, f32, f32, f32) -> (tensor<8xf32>, tensor<8xf32>)
    %16:2 = dl.launch @kernels::@k15_conv2d_grad_filter_sgd_momentum_update(%1, %11, %conv2d2.weight, %conv2d2.weight.velocity, %lr, %weight_decay, %momentum) : (tensor<256x8x14x14xf32>, tensor<256x16x12x12xf32>, tensor<16x8x3x3xf32>, tensor<16x8x3x3xf32>, f32, f32, f32) -> (tensor<16x8x3x3xf32>, tensor<16x8x3x3xf32>)
    %17:2 = dl.launch @kernels::@k16_bias_grad_sgd_momentum_update(%11, %conv2d2.bias, %conv2d2.bias.velocity, %lr, %weight_decay, %momentum) : (tensor<256x16x12x12xf32>, tensor<16xf32>, tensor<16xf32>, f32, f32, f32) -> (tensor<16xf32>, tensor<16xf32>)
    %18:2 = dl.launch @kernels::@k11_dense_grad_weight_sgd_momentum_update(%4, %8, %dense1.weight, %dense1.weight.velocity, %lr, %weight_decay, %momentum) : (tensor<256x576xf32>, tensor<256x64xf32>, tensor<576x64xf32>, tensor<576x64xf32>, f32, f32, f32) -> (tensor<576x64xf32>, tensor<576x64xf32>)
    %19:2 = dl.launch @kernels::@k12_bias_grad_sgd_momentum_update(%8, %dense1.bias, %dense1.bias.velocity, %lr, %weight_decay, %momentum) : (tensor<256x64xf32>, tensor<64xf32>, tensor<64xf32>, f32, f32, f32) -> (tensor<64xf32>, tensor<64xf32>)
    %20:2 = dl.launch @kernels::@k8_dense_grad_weight_sgd_momentum_update(%5, %7#2, %dense2.weight, %dense2.weight.velocity, %lr, %weight_decay, %momentum) : (tensor<256x64xf32>, tensor<256x10xf32>, tensor<64x10xf32>, tensor<64x10xf32>, f32, f32, f32) -> (tensor<64x10xf32>, tensor<64x10xf32>)
    %21:2 = dl.launch @kernels::@k9_bias_grad_sgd_momentum_update(%7#2, %dense2.bias, %dense2.bias.velocity, %lr, %weight_decay, %momentum) : (tensor<256x10xf32>, tensor<10xf32>, tensor<10xf32>, f32, f32, f32) -> (tensor<10xf32>, tensor<10xf32>)
    return %14#0, %15#0, %16#0, %17#0, %18#0, %19#0, %20#0, %21#0, %14#1, %15#1, %16#1, %17#1, %18#1, %19#1, %20#1, %21#1, %7#0, %7#1 : tensor<8x1x3x3xf32>, tensor<8xf32>, tensor<16x8x3x3xf32>, tensor<16xf32>, tensor<576x64xf32>, tensor<64xf32>, tensor<64x10xf32>, tensor<10xf32>, tensor<8x1x3x3xf32>, tensor<8xf32>, tensor<16x8x3x3xf32>, tensor<16xf32>, tensor<576x64xf32>, tensor<64xf32>, tensor<64x10xf32>, tensor<10xf32>, tensor<f32>, tensor<i32>
  }
  func.func @eval_step(%conv2d1.weight: tensor<8x1x3x3xf32> {dl.init = #dl.glorot_uniform, dl.param = "conv2d1.weight", dl.seed = 1 : i64}, %conv2d1.bias: tensor<8xf32> {dl.init = #dl.zeros, dl.param = "conv2d1.bias", dl.seed = 2 : i64}, %conv2d2.weight: tensor<16x8x3x3xf32> {dl.init = #dl.glorot_uniform, dl.param = "conv2d2.weight", dl.seed = 3 : i64}, %conv2d2.bias: tensor<16xf32> {dl.init = #dl.zeros, dl.param = "conv2d2.bias", dl.seed = 4 : i64}, %dense1.weight: tensor<576x64xf32> {dl.init = #dl.glorot_uniform, dl.param = "dense1.weight", dl.seed = 5 : i64}, %dense1.bias: tensor<64xf32> {dl.init = #dl.zeros, dl.param = "dense1.bias", dl.seed = 6 : i64}, %dense2.weight: tensor<64x10xf32> {dl.init = #dl.glorot_uniform, dl.param = "dense2.weight", dl.seed = 7 : i64}, %dense2.bias: tensor<10xf32> {dl.init = #dl.zeros, dl.param = "dense2.bias", dl.seed = 8 : i64}, %image: tensor<256x1x28x28xf32> {dl.input = "image"}, %label: tensor<256xi32> {dl.classes = 10 : i64, dl.label = "label"}, %valid_rows: i32 {dl.hyper = "valid_rows"}) -> (tensor<f32>, tensor<i32>) {
    %0 = dl.launch @kernels::@k20_conv2d_relu(%image, %conv2d1.weight, %conv2d1.bias) : (tensor<256x1x28x28xf32>, tensor<8x1x3x3xf32>, tensor<8xf32>) -> tensor<256x8x28x28xf32>
    %1 = dl.launch @kernels::@k21_max_pool2d(%0) : (tensor<256x8x28x28xf32>) -> tensor<256x8x14x14xf32>
    %2 = dl.launch @kernels::@k22_conv2d_relu(%1, %conv2d2.weight, %conv2d2.bias) : (tensor<256x8x14x14xf32>, tensor<16x8x3x3xf32>, tensor<16xf32>) -> tensor<256x16x12x12xf32>
    %3 = dl.launch @kernels::@k23_avg_pool2d(%2) : (tensor<256x16x12x12xf32>) -> tensor<256x16x6x6xf32>
    %4 = dl.flatten %3 : tensor<256x16x6x6xf32> -> tensor<256x576xf32>
    %5 = dl.launch @kernels::@k24_dense_relu(%4, %dense1.weight, %dense1.bias) : (tensor<256x576xf32>, tensor<576x64xf32>, tensor<64xf32>) -> tensor<256x64xf32>
    %6 = dl.launch @kernels::@k25_dense(%5, %dense2.weight, %dense2.bias) : (tensor<256x64xf32>, tensor<64x10xf32>, tensor<10xf32>) -> tensor<256x10xf32>
    %7:2 = dl.launch @kernels::@k26_softmax_ce_eval(%6, %label, %valid_rows) : (tensor<256x10xf32>, tensor<256xi32>, i32) -> (tensor<f32>, tensor<i32>)
    return %7#0, %7#1 : tensor<f32>, tensor<i32>
  }
  module @kernels {
    func.func private @k0_conv2d_relu(%arg0: tensor<256x1x28x28xf32>, %arg1: tensor<8x1x3x3xf32>, %arg2: tensor<8xf32>) -> tensor<256x8x28x28xf32> attributes {dl.flops = 30507008 : i64, dl.origin = ["dl.conv2d @ models/cnn_wd.dl:7:11", "dl.relu @ models/cnn_wd.dl:7:6"], dl.result_aliases = array<i64: -1>, dl.result_kinds = ["activation"], dl.step = "train_step"} {
      %0 = dl.conv2d %arg0, %arg1, %arg2 stride 1 padding 1 : tensor<256x1x28x28xf32>, tensor<8x1x3x3xf32>, tensor<8xf32> -> tensor<256x8x28x28xf32>
      %1 = dl.relu %0 : tensor<256x8x28x28xf32>
      return %1 : tensor<256x8x28x28xf32>
    }
    func.func private @k1_max_pool2d(%arg0: tensor<256x8x28x28xf32>) -> tensor<256x8x14x14xf32> attributes {dl.flops = 1605632 : i64, dl.origin = ["dl.max_pool2d @ models/cnn_wd.dl:8:6"], dl.result_aliases = array<i64: -1>, dl.result_kinds = ["activation"], dl.step = "train_step"} {
      %0 = dl.max_pool2d %arg0 kernel 2 stride 2 padding 0 : tensor<256x8x28x28xf32> -> tensor<256x8x14x14xf32>
      return %0 : tensor<256x8x14x14xf32>
    }
    func.func private @k2_conv2d_relu(%arg0: tensor<256x8x14x14xf32>, %arg1: tensor<16x8x3x3xf32>, %arg2: tensor<16xf32>) -> tensor<256x16x12x12xf32> attributes {dl.flops = 85524480 : i64, dl.origin = ["dl.conv2d @ models/cnn_wd.dl:9:11", "dl.relu @ models/cnn_wd.dl:9:6"], dl.result_aliases = array<i64: -1>, dl.result_kinds = ["activation"], dl.step = "train_step"} {
      %0 = dl.conv2d %arg0, %arg1, %arg2 stride 1 padding 0 : tensor<256x8x14x14xf32>, tensor<16x8x3x3xf32>, tensor<16xf32> -> tensor<256x16x12x12xf32>
      %1 = dl.relu %0 : tensor<256x16x12x12xf32>
      return %1 : tensor<256x16x12x12xf32>
    }
    func.func private @k3_avg_pool2d(%arg0: tensor<256x16x12x12xf32>) -> tensor<256x16x6x6xf32> attributes {dl.flops = 589824 : i64, dl.origin = ["dl.avg_pool2d @ models/cnn_wd.dl:10:6"], dl.result_aliases = array<i64: -1>, dl.result_kinds = ["activation"], dl.step = "train_step"} {
      %0 = dl.avg_pool2d %arg0 kernel 2 stride 2 padding 0 : tensor<256x16x12x12xf32> -> tensor<256x16x6x6xf32>
      return %0 : tensor<256x16x6x6xf32>
    }
    func.func private @k4_dense_relu(%arg0: tensor<256x576xf32>, %arg1: tensor<576x64xf32>, %arg2: tensor<64xf32>) -> tensor<256x64xf32> attributes {dl.flops = 18890752 : i64, dl.origin = ["dl.dense @ models/cnn_wd.dl:12:10", "dl.relu @ models/cnn_wd.dl:12:5"], dl.result_aliases = array<i64: -1>, dl.result_kinds = ["activation"], dl.step = "train_step"} {
      %0 = dl.dense %arg0, %arg1, %arg2 : tensor<256x576xf32>, tensor<576x64xf32>, tensor<64xf32> -> tensor<256x64xf32>
      %1 = dl.relu %0 : tensor<256x64xf32>
      return %1 : tensor<256x64xf32>
    }
    func.func private @k5_dense(%arg0: tensor<256x64xf32>, %arg1: tensor<64x10xf32>, %arg2: tensor<10xf32>) -> tensor<256x10xf32> attributes {dl.flops = 327680 : i64, dl.origin = ["dl.dense @ models/cnn_wd.dl:13:10"], dl.result_aliases = array<i64: -1>, dl.result_kinds = ["activation"], dl.step = "train_step"} {
      %0 = dl.dense %arg0, %arg1, %arg2 : tensor<256x64xf32>, tensor<64x10xf32>, tensor<10xf32> -> tensor<256x10xf32>
      return %0 : tensor<256x10xf32>
    }
    func.func private @k6_softmax_ce_grad(%arg0: tensor<256x10xf32>, %arg1: tensor<256xi32>) -> (tensor<f32>, tensor<i32>, tensor<256x10xf32>) attributes {dl.flops = 20480 : i64, dl.origin = ["dl.softmax_ce @ models/cnn_wd.dl:14:8", "dl.softmax_ce_grad @ models/cnn_wd.dl:14:8"], dl.result_aliases = array<i64: -1, -1, -1>, dl.result_kinds = ["gradient", "gradient", "gradient"], dl.step = "train_step"} {
      %0 = dl.constant 1.000000e+00 : tensor<f32>
      %loss, %correct = dl.softmax_ce %arg0, %arg1 : tensor<256x10xf32>, tensor<256xi32>
      %1 = dl.softmax_ce_grad %arg0, %arg1, %0 : tensor<256x10xf32>, tensor<256xi32>, tensor<f32>
      return %loss, %correct, %1 : tensor<f32>, tensor<i32>, tensor<256x10xf32>
    }
    func.func private @k7_dense_grad_input_relu_grad(%arg0: tensor<256x10xf32>, %arg1: tensor<64x10xf32>, %arg2: tensor<256x64xf32>) -> tensor<256x64xf32> attributes {dl.flops = 344064 : i64, dl.origin = ["dl.dense_grad_input @ models/cnn_wd.dl:13:10", "dl.relu_grad @ models/cnn_wd.dl:12:5"], dl.result_aliases = array<i64: -1>, dl.result_kinds = ["gradient"], dl.step = "train_step"} {
      %0 = dl.dense_grad_input %arg0, %arg1 : tensor<256x10xf32>, tensor<64x10xf32>
      %1 = dl.relu_grad %0, %arg2 : tensor<256x64xf32>
      return %1 : tensor<256x64xf32>
    }
    func.func private @k8_dense_grad_weight_sgd_momentum_update(%arg0: tensor<256x64xf32>, %arg1: tensor<256x10xf32>, %arg2: tensor<64x10xf32>, %arg3: tensor<64x10xf32>, %arg4: f32, %arg5: f32, %arg6: f32) -> (tensor<64x10xf32>, tensor<64x10xf32>) attributes {dl.flops = 331520 : i64, dl.origin = ["dl.dense_grad_weight @ models/cnn_wd.dl:13:10", "dl.sgd_momentum_update @ models/cnn_wd.dl:13:10"], dl.result_aliases = array<i64: 2, 3>, dl.result_kinds = ["gradient", "gradient"], dl.step = "train_step"} {
      %0 = dl.dense_grad_weight %arg0, %arg1 : tensor<256x64xf32>, tensor<256x10xf32>
      %new_param, %new_velocity = dl.sgd_momentum_update %arg2, %arg3, %0, %arg4, %arg5, %arg6 : tensor<64x10xf32>
      return %new_param, %new_velocity : tensor<64x10xf32>, tensor<64x10xf32>
    }
    func.func private @k9_bias_grad_sgd_momentum_update(%arg0: tensor<256x10xf32>, %arg1: tensor<10xf32>, %arg2: tensor<10xf32>, %arg3: f32, %arg4: f32, %arg5: f32) -> (tensor<10xf32>, tensor<10xf32>) attributes {dl.flops = 70 : i64, dl.origin = ["dl.bias_grad @ models/cnn_wd.dl:13:10", "dl.sgd_momentum_update @ models/cnn_wd.dl:13:10"], dl.result_aliases = array<i64: 1, 2>, dl.result_kinds = ["gradient", "gradient"], dl.step = "train_step"} {
      %0 = dl.bias_grad %arg0 : tensor<256x10xf32> -> tensor<10xf32>
      %new_param, %new_velocity = dl.sgd_momentum_update %arg1, %arg2, %0, %arg3, %arg4, %arg5 : tensor<10xf32>
      return %new_param, %new_velocity : tensor<10xf32>, tensor<10xf32>
    }
    func.func private @k10_dense_grad_input(%arg0: tensor<256x64xf32>, %arg1: tensor<576x64xf32>) -> tensor<256x576xf32> attributes {dl.flops = 18874368 : i64, dl.origin = ["dl.dense_grad_input @ models/cnn_wd.dl:12:10"], dl.result_aliases = array<i64: -1>, dl.result_kinds = ["gradient"], dl.step = "train_step"} {
      %0 = dl.dense_grad_input %arg0, %arg1 : tensor<256x64xf32>, tensor<576x64xf32>
      return %0 : tensor<256x576xf32>
    }
    func.func private @k11_dense_grad_weight_sgd_momentum_update(%arg0: tensor<256x576xf32>, %arg1: tensor<256x64xf32>, %arg2: tensor<576x64xf32>, %arg3: tensor<576x64xf32>, %arg4: f32, %arg5: f32, %arg6: f32) -> (tensor<576x64xf32>, tensor<576x64xf32>) attributes {dl.flops = 19095552 : i64, dl.origin = ["dl.dense_grad_weight @ models/cnn_wd.dl:12:10", "dl.sgd_momentum_update @ models/cnn_wd.dl:12:10"], dl.result_aliases = array<i64: 2, 3>, dl.result_kinds = ["gradient", "gradient"], dl.step = "train_step"} {
      %0 = dl.dense_grad_weight %arg0, %arg1 : tensor<256x576xf32>, tensor<256x64xf32>
      %new_param, %new_velocity = dl.sgd_momentum_update %arg2, %arg3, %0, %arg4, %arg5, %arg6 : tensor<576x64xf32>
      return %new_param, %new_velocity : tensor<576x64xf32>, tensor<576x64xf32>
    }
    func.func private @k12_bias_grad_sgd_momentum_update(%arg0: tensor<256x64xf32>, %arg1: tensor<64xf32>, %arg2: tensor<64xf32>, %arg3: f32, %arg4: f32, %arg5: f32) -> (tensor<64xf32>, tensor<64xf32>) attributes {dl.flops = 448 : i64, dl.origin = ["dl.bias_grad @ models/cnn_wd.dl:12:10", "dl.sgd_momentum_update @ models/cnn_wd.dl:12:10"], dl.result_aliases = array<i64: 1, 2>, dl.result_kinds = ["gradient", "gradient"], dl.step = "train_step"} {
      %0 = dl.bias_grad %arg0 : tensor<256x64xf32> -> tensor<64xf32>
      %new_param, %new_velocity = dl.sgd_momentum_update %arg1, %arg2, %0, %arg3, %arg4, %arg5 : tensor<64xf32>
      return %new_param, %new_velocity : tensor<64xf32>, tensor<64xf32>
    }
    func.func private @k13_avg_pool2d_grad_relu_grad(%arg0: tensor<256x16x6x6xf32>, %arg1: tensor<256x16x12x12xf32>) -> tensor<256x16x12x12xf32> attributes {dl.flops = 1179648 : i64, dl.origin = ["dl.avg_pool2d_grad @ models/cnn_wd.dl:10:6", "dl.relu_grad @ models/cnn_wd.dl:9:6"], dl.result_aliases = array<i64: -1>, dl.result_kinds = ["gradient"], dl.step = "train_step"} {
      %0 = dl.avg_pool2d_grad %arg0 kernel 2 stride 2 padding 0 : tensor<256x16x6x6xf32> -> tensor<256x16x12x12xf32>
      %1 = dl.relu_grad %0, %arg1 : tensor<256x16x12x12xf32>
      return %1 : tensor<256x16x12x12xf32>
    }
    func.func private @k14_conv2d_grad_input(%arg0: tensor<256x16x12x12xf32>, %arg1: tensor<16x8x3x3xf32>) -> tensor<256x8x14x14xf32> attributes {dl.flops = 84934656 : i64, dl.origin = ["dl.conv2d_grad_input @ models/cnn_wd.dl:9:11"], dl.result_aliases = array<i64: -1>, dl.result_kinds = ["gradient"], dl.step = "train_step"} {
      %0 = dl.conv2d_grad_input %arg0, %arg1 stride 1 padding 0 : tensor<256x16x12x12xf32>, tensor<16x8x3x3xf32> -> tensor<256x8x14x14xf32>
      return %0 : tensor<256x8x14x14xf32>
    }
    func.func private @k15_conv2d_grad_filter_sgd_momentum_update(%arg0: tensor<256x8x14x14xf32>, %arg1: tensor<256x16x12x12xf32>, %arg2: tensor<16x8x3x3xf32>, %arg3: tensor<16x8x3x3xf32>, %arg4: f32, %arg5: f32, %arg6: f32) -> (tensor<16x8x3x3xf32>, tensor<16x8x3x3xf32>) attributes {dl.flops = 84941568 : i64, dl.origin = ["dl.conv2d_grad_filter @ models/cnn_wd.dl:9:11", "dl.sgd_momentum_update @ models/cnn_wd.dl:9:11"], dl.result_aliases = array<i64: 2, 3>, dl.result_kinds = ["gradient", "gradient"], dl.step = "train_step"} {
      %0 = dl.conv2d_grad_filter %arg0, %arg1 stride 1 padding 0 : tensor<256x8x14x14xf32>, tensor<256x16x12x12xf32> -> tensor<16x8x3x3xf32>
      %new_param, %new_velocity = dl.sgd_momentum_update %arg2, %arg3, %0, %arg4, %arg5, %arg6 : tensor<16x8x3x3xf32>
      return %new_param, %new_velocity : tensor<16x8x3x3xf32>, tensor<16x8x3x3xf32>
    }
    func.func private @k16_bias_grad_sgd_momentum_update(%arg0: tensor<256x16x12x12xf32>, %arg1: tensor<16xf32>, %arg2: tensor<16xf32>, %arg3: f32, %arg4: f32, %arg5: f32) -> (tensor<16xf32>, tensor<16xf32>) attributes {dl.flops = 112 : i64, dl.origin = ["dl.bias_grad @ models/cnn_wd.dl:9:11", "dl.sgd_momentum_update @ models/cnn_wd.dl:9:11"], dl.result_aliases = array<i64: 1, 2>, dl.result_kinds = ["gradient", "gradient"], dl.step = "train_step"} {
      %0 = dl.bias_grad %arg0 : tensor<256x16x12x12xf32> -> tensor<16xf32>
      %new_param, %new_velocity = dl.sgd_momentum_update %arg1, %arg2, %0, %arg3, %arg4, %arg5 : tensor<16xf32>
      return %new_param, %new_velocity : tensor<16xf32>, tensor<16xf32>
    }
    func.func private @k17_max_pool2d_grad_relu_grad(%arg0: tensor<256x8x14x14xf32>, %arg1: tensor<256x8x28x28xf32>) -> tensor<256x8x28x28xf32> attributes {dl.flops = 3211264 : i64, dl.origin = ["dl.max_pool2d_grad @ models/cnn_wd.dl:8:6", "dl.relu_grad @ models/cnn_wd.dl:7:6"], dl.result_aliases = array<i64: -1>, dl.result_kinds = ["gradient"], dl.step = "train_step"} {
      %0 = dl.max_pool2d_grad %arg0, %arg1 kernel 2 stride 2 padding 0 : tensor<256x8x14x14xf32>, tensor<256x8x28x28xf32>
      %1 = dl.relu_grad %0, %arg1 : tensor<256x8x28x28xf32>
      return %1 : tensor<256x8x28x28xf32>
    }
    func.func private @k18_conv2d_grad_filter_sgd_momentum_update(%arg0: tensor<256x1x28x28xf32>, %arg1: tensor<256x8x28x28xf32>, %arg2: tensor<8x1x3x3xf32>, %arg3: tensor<8x1x3x3xf32>, %arg4: f32, %arg5: f32, %arg6: f32) -> (tensor<8x1x3x3xf32>, tensor<8x1x3x3xf32>) attributes {dl.flops = 28901808 : i64, dl.origin = ["dl.conv2d_grad_filter @ models/cnn_wd.dl:7:11", "dl.sgd_momentum_update @ models/cnn_wd.dl:7:11"], dl.result_aliases = array<i64: 2, 3>, dl.result_kinds = ["gradient", "gradient"], dl.step = "train_step"} {
      %0 = dl.conv2d_grad_filter %arg0, %arg1 stride 1 padding 1 : tensor<256x1x28x28xf32>, tensor<256x8x28x28xf32> -> tensor<8x1x3x3xf32>
      %new_param, %new_velocity = dl.sgd_momentum_update %arg2, %arg3, %0, %arg4, %arg5, %arg6 : tensor<8x1x3x3xf32>
      return %new_param, %new_velocity : tensor<8x1x3x3xf32>, tensor<8x1x3x3xf32>
    }
    func.func private @k19_bias_grad_sgd_momentum_update(%arg0: tensor<256x8x28x28xf32>, %arg1: tensor<8xf32>, %arg2: tensor<8xf32>, %arg3: f32, %arg4: f32, %arg5: f32) -> (tensor<8xf32>, tensor<8xf32>) attributes {dl.flops = 56 : i64, dl.origin = ["dl.bias_grad @ models/cnn_wd.dl:7:11", "dl.sgd_momentum_update @ models/cnn_wd.dl:7:11"], dl.result_aliases = array<i64: 1, 2>, dl.result_kinds = ["gradient", "gradient"], dl.step = "train_step"} {
      %0 = dl.bias_grad %arg0 : tensor<256x8x28x28xf32> -> tensor<8xf32>
      %new_param, %new_velocity = dl.sgd_momentum_update %arg1, %arg2, %0, %arg3, %arg4, %arg5 : tensor<8xf32>
      return %new_param, %new_velocity : tensor<8xf32>, tensor<8xf32>
    }
    func.func private @k20_conv2d_relu(%arg0: tensor<256x1x28x28xf32>, %arg1: tensor<8x1x3x3xf32>, %arg2: tensor<8xf32>) -> tensor<256x8x28x28xf32> attributes {dl.flops = 30507008 : i64, dl.origin = ["dl.conv2d @ models/cnn_wd.dl:7:11", "dl.relu @ models/cnn_wd.dl:7:6"], dl.result_aliases = array<i64: -1>, dl.result_kinds = ["activation"], dl.step = "eval_step"} {
      %0 = dl.conv2d %arg0, %arg1, %arg2 stride 1 padding 1 : tensor<256x1x28x28xf32>, tensor<8x1x3x3xf32>, tensor<8xf32> -> tensor<256x8x28x28xf32>
      %1 = dl.relu %0 : tensor<256x8x28x28xf32>
      return %1 : tensor<256x8x28x28xf32>
    }
    func.func private @k21_max_pool2d(%arg0: tensor<256x8x28x28xf32>) -> tensor<256x8x14x14xf32> attributes {dl.flops = 1605632 : i64, dl.origin = ["dl.max_pool2d @ models/cnn_wd.dl:8:6"], dl.result_aliases = array<i64: -1>, dl.result_kinds = ["activation"], dl.step = "eval_step"} {
      %0 = dl.max_pool2d %arg0 kernel 2 stride 2 padding 0 : tensor<256x8x28x28xf32> -> tensor<256x8x14x14xf32>
      return %0 : tensor<256x8x14x14xf32>
    }
    func.func private @k22_conv2d_relu(%arg0: tensor<256x8x14x14xf32>, %arg1: tensor<16x8x3x3xf32>, %arg2: tensor<16xf32>) -> tensor<256x16x12x12xf32> attributes {dl.flops = 85524480 : i64, dl.origin = ["dl.conv2d @ models/cnn_wd.dl:9:11", "dl.relu @ models/cnn_wd.dl:9:6"], dl.result_aliases = array<i64: -1>, dl.result_kinds = ["activation"], dl.step = "eval_step"} {
      %0 = dl.conv2d %arg0, %arg1, %arg2 stride 1 padding 0 : tensor<256x8x14x14xf32>, tensor<16x8x3x3xf32>, tensor<16xf32> -> tensor<256x16x12x12xf32>
      %1 = dl.relu %0 : tensor<256x16x12x12xf32>
      return %1 : tensor<256x16x12x12xf32>
    }
    func.func private @k23_avg_pool2d(%arg0: tensor<256x16x12x12xf32>) -> tensor<256x16x6x6xf32> attributes {dl.flops = 589824 : i64, dl.origin = ["dl.avg_pool2d @ models/cnn_wd.dl:10:6"], dl.result_aliases = array<i64: -1>, dl.result_kinds = ["activation"], dl.step = "eval_step"} {
      %0 = dl.avg_pool2d %arg0 kernel 2 stride 2 padding 0 : tensor<256x16x12x12xf32> -> tensor<256x16x6x6xf32>
      return %0 : tensor<256x16x6x6xf32>
    }
    func.func private @k24_dense_relu(%arg0: tensor<256x576xf32>, %arg1: tensor<576x64xf32>, %arg2: tensor<64xf32>) -> tensor<256x64xf32> attributes {dl.flops = 18890752 : i64, dl.origin = ["dl.dense @ models/cnn_wd.dl:12:10", "dl.relu @ models/cnn_wd.dl:12:5"], dl.result_aliases = array<i64: -1>, dl.result_kinds = ["activation"], dl.step = "eval_step"} {
      %0 = dl.dense %arg0, %arg1, %arg2 : tensor<256x576xf32>, tensor<576x64xf32>, tensor<64xf32> -> tensor<256x64xf32>
      %1 = dl.relu %0 : tensor<256x64xf32>
      return %1 : tensor<256x64xf32>
    }
    func.func private @k25_dense(%arg0: tensor<256x64xf32>, %arg1: tensor<64x10xf32>, %arg2: tensor<10xf32>) -> tensor<256x10xf32> attributes {dl.flops = 327680 : i64, dl.origin = ["dl.dense @ models/cnn_wd.dl:13:10"], dl.result_aliases = array<i64: -1>, dl.result_kinds = ["activation"], dl.step = "eval_step"} {
      %0 = dl.dense %arg0, %arg1, %arg2 : tensor<256x64xf32>, tensor<64x10xf32>, tensor<10xf32> -> tensor<256x10xf32>
      return %0 : tensor<256x10xf32>
    }
    func.func private @k26_softmax_ce_eval(%arg0: tensor<256x10xf32>, %arg1: tensor<256xi32>, %arg2: i32) -> (tensor<f32>, tensor<i32>) attributes {dl.flops = 10240 : i64, dl.origin = ["dl.softmax_ce_eval @ models/cnn_wd.dl:14:8"], dl.result_aliases = array<i64: -1, -1>, dl.result_kinds = ["gradient", "gradient"], dl.step = "eval_step"} {
      %loss_sum, %correct = dl.softmax_ce_eval %arg0, %arg1, %arg2 : tensor<256x10xf32>, tensor<256xi32>
      return %loss_sum, %correct : tensor<f32>, tensor<i32>
    }
  }
}

