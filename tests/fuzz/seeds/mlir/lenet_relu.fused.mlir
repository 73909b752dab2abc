module @lenet_relu attributes {dl.epochs = 10 : i64, dl.optimizer = #dl.sgd<lr = 1.000000e-01, weight_decay = 0.000000e+00, momentum = 0.000000e+00>} {
  func.func @train_step(%conv2d1.weight: tensor<6x1x5x5xf32> {dl.init = #dl.glorot_uniform, dl.param = "conv2d1.weight", dl.seed = 1 : i64}, %conv2d1.bias: tensor<6xf32> {dl.init = #dl.zeros, dl.param = "conv2d1.bias", dl.seed = 2 : i64}, %conv2d2.weight: tensor<16x6x5x5xf32> {dl.init = #dl.glorot_uniform, dl.param = "conv2d2.weight", dl.seed = 3 : i64}, %conv2d2.bias: tensor<16xf32> {dl.init = #dl.zeros, dl.param = "conv2d2.bias", dl.seed = 4 : i64}, %dense1.weight: tensor<400x120xf32> {dl.init = #dl.glorot_uniform, dl.param = "dense1.weight", dl.seed = 5 : i64}, %dense1.bias: tensor<120xf32> {dl.init = #dl.zeros, dl.param = "dense1.bias", dl.seed = 6 : i64}, %dense2.weight: tensor<120x84xf32> {dl.init = #dl.glorot_uniform, dl.param = "dense2.weight", dl.seed = 7 : i64}, %dense2.bias: tensor<84xf32> {dl.init = #dl.zeros, dl.param = "dense2.bias", dl.seed = 8 : i64}, %dense3.weight: tensor<84x10xf32> {dl.init = #dl.glorot_uniform, dl.param = "dense3.weight", dl.seed = 9 : i64}, %dense3.bias: tensor<10xf32> {dl.init = #dl.zeros, dl.param = "dense3.bias", dl.seed = 10 : i64}, %image: tensor<256x1x28x28xf32> {dl.input = "image"}, %label: tensor<256xi32> {dl.classes = 10 : i64, dl.label = "label"}, %lr: f32 {dl.hyper = "lr"}, %weight_decay: f32 {dl.hyper = "weight_decay"}, %momentum: f32 {dl.hyper = "momentum"}) -> (tensor<6x1x5x5xf32>, tensor<6xf32>, tensor<16x6x5x5xf32>, tensor<16xf32>, tensor<400x120xf32>, tensor<120xf32>, tensor<120x84xf32>, tensor<84xf32>, tensor<84x10xf32>, tensor<10xf32>, tensor<f32>, tensor<i32>) {
    %0 = dl.launch @kernels::@k0_conv2d_relu(%image, %conv2d1.weight, %conv2d1.bias) : (tensor<256x1x28x28xf32>, tensor<6x1x5x5xf32>, tensor<6xf32>) -> tensor<256x6x28x28xf32>
    %1 = dl.launch @kernels::@k1_max_pool2d(%0) : (tensor<256x6x28x28xf32>) -> tensor<256x6x14x14xf32>
    %2 = dl.launch @kernels::@k2_conv2d_relu(%1, %conv2d2.weight, %conv2d2.bias) : (tensor<256x6x14x14xf32>, tensor<16x6x5x5xf32>, tensor<16xf32>) -> tensor<256x16x10x10xf32>
    %3 = dl.launch @kernels::@k3_max_pool2d(%2) : (tensor<256x16x10x10xf32>) -> tensor<256x16x5x5xf32>
    %4 = dl.flatten %3 : tensor<256x16x5x5xf32> -> tensor<256x400xf32>
    %5 = dl.launch @kernels::@k4_dense_relu(%4, %dense1.weight, %dense1.bias) : (tensor<256x400xf32>, tensor<400x120xf32>, tensor<120xf32>) -> tensor<256x120xf32>
    %6 = dl.launch @kernels::@k5_dense_relu(%5, %dense2.weight, %dense2.bias) : (tensor<256x120xf32>, tensor<120x84xf32>, tensor<84xf32>) -> tensor<256x84xf32>
    %7 = dl.launch @kernels::@k6_dense(%6, %dense3.weight, %dense3.bias) : (tensor<256x84xf32>, tensor<84x10xf32>, tensor<10xf32>) -> tensor<256x10xf32>
    %8:3 = dl.launch @kernels::@k7_softmax_ce_grad(%7, %label) : (tensor<256x10xf32>, tensor<256xi32>) -> (tensor<f32>, tensor<i32>, tensor<256x10xf32>)
    %9 = dl.launch @kernels::@k8_dense_grad_input_relu_grad(%8#2, %dense3.weight, %6) : (tensor<256x10xf32>, tensor<84x10xf32>, tensor<256x84xf32>) -> tensor<256x84xf32>
    %10 = dl.launch @kernels::@k11_dense_grad_input_relu_grad(%9, %dense2.weight, %5) : (tensor<256x84xf32>, tensor<120x84xf32>, tensor<256x120xf32>) -> tensor<256x120xf32>
    %11 = dl.launch @kernels::@k14_dense_grad_input(%10, %dense1.weight) : (tensor<256x120xf32>, tensor<400x120xf32>) -> tensor<256x400xf32>
    %12 = dl.reshape %11 : tensor<256x400xf32> -> tensor<256x16x5x5xf32>
    %13 = dl.launch @kernels::@k17_max_pool2d_grad_relu_grad(%12, %2) : (tensor<256x16x5x5xf32>, tensor<256x16x10x10xf32>) -> tensor<256x16x10x10xf32>
    %14 = dl.launch @kernels::@k18_conv2d_grad_input(%13, %conv2d2.weight) : (tensor<256x16x10x10xf32>, tensor<16x6x5x5xf32>) -> tensor<256x6x14x14xf32>
    %15 = dl.launch @kernels::@k21_max_pool2d_grad_relu_grad(%14, %0) : (tensor<256x6x14x14xf32>, tensor<256x6x28x28xf32>) -> tensor<256x6x28x28xf32>
    %16 = dl.launch @kernels::@k22_conv2d_grad_filter_sgd_update(%image, %15, %conv2d1.weight, %lr, %weight_decay) : (tensor<256x1x28x28xf32>, tensor<256x6x28x28xf32>, tensor<6x1x5x5xf32>, f32, f32) -> tensor<6x1x5x5xf32>
    %17 = dl.launch @kernels::@k23_bias_grad_sgd_update(%15, %conv2d1.bias, %lr, %weight_decay) : (tensor<256x6x28x28xf32>, tensor<6xf32>, f32, f32) -> tensor<6xf32>
    %18 = dl.launch @kernels::@k19_conv2d_grad_filter_sgd_update(%1, %13, %conv2d2.weight, %lr, %weight_decay) : (tensor<256x6x14x14xf32>, tensor<256x16x10x10xf32>, tensor<16x6x5x5xf32>, f32, f32) -> tensor<16x6x5x5xf32>
    %19 = dl.launch @kernels::@k20_bias_grad_sgd_update(%13, %conv2d2.bias, %lr, %weight_decay) : (tensor<256x16x10x10xf32>, tensor<16xf32>, f32, f32) -> tensor<16xf32>
    %20 = dl.launch @kernels::@k15_dense_grad_weight_sgd_update(%4, %10, %dense1.weight, %lr, %weight_decay) : (tensor<256x400xf32>, tensor<256x120xf32>, tensor<400x120xf32>, f32, f32) -> tensor<400x120xf32>
    %21 = dl.launch @kernels::@k16_bias_grad_sgd_update(%10, %dense1.bias, %lr, %weight_decay) : (tensor<256x120xf32>, tensor<120xf32>, f32, f32) -> tensor<120xf32>
    %22 = dl.launch @kernels::@k12_dense_grad_weight_sgd_update(%5, %9, %dense2.weight, %lr, %weight_decay) : (tensor<256x120xf32>, tensor<256x84xf32>, tensor<120x84xf32>, f32, f32) -> tensor<120x84xf32>
    %23 = dl.launch @kernels::@k13_bias_grad_sgd_update(%9, %dense2.bias, %lr, %weight_decay) : (tensor<256x84xf32>, tensor<84xf32>, f32, f32) -> tensor<84xf32>
    %24 = dl.launch @kernels::@k9_dense_grad_weight_sgd_update(%6, %8#2, %dense3.weight, %lr, %weight_decay) : (tensor<256x84xf32>, tensor<256x10xf32>, tensor<84x10xf32>, f32, f32) -> tensor<84x10xf32>
    %25 = dl.launch @kernels::@k10_bias_grad_sgd_update(%8#2, %dense3.bias, %lr, %weight_decay) : (tensor<256x10xf32>, tensor<10xf32>, f32, f32) -> tensor<10xf32>
    return %16, %17, %18, %19, %20, %21, %22, %23, %24, %25, %8#0, %8#1 : tensor<6x1x5x5xf32>, tensor<6xf32>, tensor<16x6x5x5xf32>, tensor<16xf32>, tensor<400x120xf32>, tensor<120xf32>, tensor<120x84xf32>, tensor<84xf32>, tensor<84x10xf32>, tensor<10xf32>, tensor<f32>, tensor<i32>
  }
  func.func @eval_step(%conv2d1.weight: tensor<6x1x5x5xf32> {dl.init = #dl.glorot_uniform, dl.param = "conv2d1.weight", dl.seed = 1 : i64}, %conv2d1.bias: tensor<6xf32> {dl.init = #dl.zeros, dl.param = "conv2d1.bias", dl.seed = 2 : i64}, %conv2d2.weight: tensor<16x6x5x5xf32> {dl.init = #dl.glorot_uniform, dl.param = "conv2d2.weight", dl.seed = 3 : i64}, %conv2d2.bias: tensor<16xf32> {dl.init = #dl.zeros, dl.param = "conv2d2.bias", dl.seed = 4 : i64}, %dense1.weight: tensor<400x120xf32> {dl.init = #dl.glorot_uniform, dl.param = "dense1.weight", dl.seed = 5 : i64}, %dense1.bias: tensor<120xf32> {dl.init = #dl.zeros, dl.param = "dense1.bias", dl.seed = 6 : i64}, %dense2.weight: tensor<120x84xf32> {dl.init = #dl.glorot_uniform, dl.param = "dense2.weight", dl.seed = 7 : i64}, %dense2.bias: tensor<84xf32> {dl.init = #dl.zeros, dl.param = "dense2.bias", dl.seed = 8 : i64}, %dense3.weight: tensor<84x10xf32> {dl.init = #dl.glorot_uniform, dl.param = "dense3.weight", dl.seed = 9 : i64}, %dense3.bias: tensor<10xf32> {dl.init = #dl.zeros, dl.param = "dense3.bias", dl.seed = 10 : i64}, %image: tensor<256x1x28x28xf32> {dl.input = "image"}, %label: tensor<256xi32> {dl.classes = 10 : i64, dl.label = "label"}, %valid_rows: i32 {dl.hyper = "valid_rows"}) -> (tensor<f32>, tensor<i32>) {
    %0 = dl.launch @kernels::@k24_conv2d_relu(%image, %conv2d1.weight, %conv2d1.bias) : (tensor<256x1x28x28xf32>, tensor<6x1x5x5xf32>, tensor<6xf32>) -> tensor<256x6x28x28xf32>
    %1 = dl.launch @kernels::@k25_max_pool2d(%0) : (tensor<256x6x28x28xf32>) -> tensor<256x6x14x14xf32>
    %2 = dl.launch @kernels::@k26_conv2d_relu(%1, %conv2d2.weight, %conv2d2.bias) : (tensor<256x6x14x14xf32>, tensor<16x6x5x5xf32>, tensor<16xf32>) -> tensor<256x16x10x10xf32>
    %3 = dl.launch @kernels::@k27_max_pool2d(%2) : (tensor<256x16x10x10xf32>) -> tensor<256x16x5x5xf32>
    %4 = dl.flatten %3 : tensor<256x16x5x5xf32> -> tensor<256x400xf32>
    %5 = dl.launch @kernels::@k28_dense_relu(%4, %dense1.weight, %dense1.bias) : (tensor<256x400xf32>, tensor<400x120xf32>, tensor<120xf32>) -> tensor<256x120xf32>
    %6 = dl.launch @kernels::@k29_dense_relu(%5, %dense2.weight, %dense2.bias) : (tensor<256x120xf32>, tensor<120x84xf32>, tensor<84xf32>) -> tensor<256x84xf32>
    %7 = dl.launch @kernels::@k30_dense(%6, %dense3.weight, %dense3.bias) : (tensor<256x84xf32>, tensor<84x10xf32>, tensor<10xf32>) -> tensor<256x10xf32>
    %8:2 = dl.launch @kernels::@k31_softmax_ce_eval(%7, %label, %valid_rows) : (tensor<256x10xf32>, tensor<256xi32>, i32) -> (tensor<f32>, tensor<i32>)
    return %8#0, %8#1 : tensor<f32>, tensor<i32>
  }
  module @kernels {
    func.func private @k0_conv2d_relu(%arg0: tensor<256x1x28x28xf32>, %arg1: tensor<6x1x5x5xf32>, %arg2: tensor<6xf32>) -> tensor<256x6x28x28xf32> attributes {dl.flops = 61415424 : i64, dl.origin = ["dl.conv2d @ models/lenet_relu.dl:5:11", "dl.relu @ models/lenet_relu.dl:5:6"], dl.result_aliases = array<i64: -1>, dl.result_kinds = ["activation"], dl.step = "train_step"} {
      %0 = dl.conv2d %arg0, %arg1, %arg2 stride 1 padding 2 : tensor<256x1x28x28xf32>, tensor<6x1x5x5xf32>, tensor<6xf32> -> tensor<256x6x28x28xf32>
      %1 = dl.relu %0 : tensor<256x6x28x28xf32>
      return %1 : tensor<256x6x28x28xf32>
    }
    func.func private @k1_max_pool2d(%arg0: tensor<256x6x28x28xf32>) -> tensor<256x6x14x14xf32> attributes {dl.flops = 1204224 : i64, dl.origin = ["dl.max_pool2d @ models/lenet_relu.dl:6:6"], dl.result_aliases = array<i64: -1>, dl.result_kinds = ["activation"], dl.step = "train_step"} {
      %0 = dl.max_pool2d %arg0 kernel 2 stride 2 padding 0 : tensor<256x6x28x28xf32> -> tensor<256x6x14x14xf32>
      return %0 : tensor<256x6x14x14xf32>
    }
    func.func private @k2_conv2d_relu(%arg0: tensor<256x6x14x14xf32>, %arg1: tensor<16x6x5x5xf32>, %arg2: tensor<16xf32>) -> tensor<256x16x10x10xf32> attributes {dl.flops = 123289600 : i64, dl.origin = ["dl.conv2d @ models/lenet_relu.dl:7:11", "dl.relu @ models/lenet_relu.dl:7:6"], dl.result_aliases = array<i64: -1>, dl.result_kinds = ["activation"], dl.step = "train_step"} {
      %0 = dl.conv2d %arg0, %arg1, %arg2 stride 1 padding 0 : tensor<256x6x14x14xf32>, tensor<16x6x5x5xf32>, tensor<16xf32> -> tensor<256x16x10x10xf32>
      %1 = dl.relu %0 : tensor<256x16x10x10xf32>
      return %1 : tensor<256x16x10x10xf32>
    }
    func.func private @k3_max_pool2d(%arg0: tensor<256x16x10x10xf32>) -> tensor<256x16x5x5xf32> attributes {dl.flops = 409600 : i64, dl.origin = ["dl.max_pool2d @ models/lenet_relu.dl:8:6"], dl.result_aliases = array<i64: -1>, dl.result_kinds = ["activation"], dl.step = "train_step"} {
      %0 = dl.max_pool2d %arg0 kernel 2 stride 2 padding 0 : tensor<256x16x10x10xf32> -> tensor<256x16x5x5xf32>
      return %0 : tensor<256x16x5x5xf32>
    }
    func.func private @k4_dense_relu(%arg0: tensor<256x400xf32>, %arg1: tensor<400x120xf32>, %arg2: tensor<120xf32>) -> tensor<256x120xf32> attributes {dl.flops = 24606720 : i64, dl.origin = ["dl.dense @ models/lenet_relu.dl:10:11", "dl.relu @ models/lenet_relu.dl:10:6"], dl.result_aliases = array<i64: -1>, dl.result_kinds = ["activation"], dl.step = "train_step"} {
      %0 = dl.dense %arg0, %arg1, %arg2 : tensor<256x400xf32>, tensor<400x120xf32>, tensor<120xf32> -> tensor<256x120xf32>
      %1 = dl.relu %0 : tensor<256x120xf32>
      return %1 : tensor<256x120xf32>
    }
    func.func private @k5_dense_relu(%arg0: tensor<256x120xf32>, %arg1: tensor<120x84xf32>, %arg2: tensor<84xf32>) -> tensor<256x84xf32> attributes {dl.flops = 5182464 : i64, dl.origin = ["dl.dense @ models/lenet_relu.dl:11:11", "dl.relu @ models/lenet_relu.dl:11:6"], dl.result_aliases = array<i64: -1>, dl.result_kinds = ["activation"], dl.step = "train_step"} {
      %0 = dl.dense %arg0, %arg1, %arg2 : tensor<256x120xf32>, tensor<120x84xf32>, tensor<84xf32> -> tensor<256x84xf32>
      %1 = dl.relu %0 : tensor<256x84xf32>
      return %1 : tensor<256x84xf32>
    }
    func.func private @k6_dense(%arg0: tensor<256x84xf32>, %arg1: tensor<84x10xf32>, %arg2: tensor<10xf32>) -> tensor<256x10xf32> attributes {dl.flops = 430080 : i64, dl.origin = ["dl.dense @ models/lenet_relu.dl:12:10"], dl.result_aliases = array<i64: -1>, dl.result_kinds = ["activation"], dl.step = "train_step"} {
      %0 = dl.dense %arg0, %arg1, %arg2 : tensor<256x84xf32>, tensor<84x10xf32>, tensor<10xf32> -> tensor<256x10xf32>
      return %0 : tensor<256x10xf32>
    }
    func.func private @k7_softmax_ce_grad(%arg0: tensor<256x10xf32>, %arg1: tensor<256xi32>) -> (tensor<f32>, tensor<i32>, tensor<256x10xf32>) attributes {dl.flops = 20480 : i64, dl.origin = ["dl.softmax_ce @ models/lenet_relu.dl:13:8", "dl.softmax_ce_grad @ models/lenet_relu.dl:13:8"], dl.result_aliases = array<i64: -1, -1, -1>, dl.result_kinds = ["gradient", "gradient", "gradient"], dl.step = "train_step"} {
      %0 = dl.constant 1.000000e+00 : tensor<f32>
      %loss, %correct = dl.softmax_ce %arg0, %arg1 : tensor<256x10xf32>, tensor<256xi32>
      %1 = dl.softmax_ce_grad %arg0, %arg1, %0 : tensor<256x10xf32>, tensor<256xi32>, tensor<f32>
      return %loss, %correct, %1 : tensor<f32>, tensor<i32>, tensor<256x10xf32>
    }
    func.func private @k8_dense_grad_input_relu_grad(%arg0: tensor<256x10xf32>, %arg1: tensor<84x10xf32>, %arg2: tensor<256x84xf32>) -> tensor<256x84xf32> attributes {dl.flops = 451584 : i64, dl.origin = ["dl.dense_grad_input @ models/lenet_relu.dl:12:10", "dl.relu_grad @ models/lenet_relu.dl:11:6"], dl.result_aliases = array<i64: -1>, dl.result_kinds = ["gradient"], dl.step = "train_step"} {
      %0 = dl.dense_grad_input %arg0, %arg1 : tensor<256x10xf32>, tensor<84x10xf32>
      %1 = dl.relu_grad %0, %arg2 : tensor<256x84xf32>
      return %1 : tensor<256x84xf32>
    }
    func.func private @k9_dense_grad_weight_sgd_update(%arg0: tensor<256x84xf32>, %arg1: tensor<256x10xf32>, %arg2: tensor<84x10xf32>, %arg3: f32, %arg4: f32) -> tensor<84x10xf32> attributes {dl.flops = 433440 : i64, dl.origin = ["dl.dense_grad_weight @ models/lenet_relu.dl:12:10", "dl.sgd_update @ models/lenet_relu.dl:12:10"], dl.result_aliases = array<i64: 2>, dl.result_kinds = ["gradient"], dl.step = "train_step"} {
      %0 = dl.dense_grad_weight %arg0, %arg1 : tensor<256x84xf32>, tensor<256x10xf32>
      %1 = dl.sgd_update %arg2, %0, %arg3, %arg4 : tensor<84x10xf32>
      return %1 : tensor<84x10xf32>
    }
    func.func private @k10_bias_grad_sgd_update(%arg0: tensor<256x10xf32>, %arg1: tensor<10xf32>, %arg2: f32, %arg3: f32) -> tensor<10xf32> attributes {dl.flops = 50 : i64, dl.origin = ["dl.bias_grad @ models/lenet_relu.dl:12:10", "dl.sgd_update @ models/lenet_relu.dl:12:10"], dl.result_aliases = array<i64: 1>, dl.result_kinds = ["gradient"], dl.step = "train_step"} {
      %0 = dl.bias_grad %arg0 : tensor<256x10xf32> -> tensor<10xf32>
      %1 = dl.sgd_update %arg1, %0, %arg2, %arg3 : tensor<10xf32>
      return %1 : tensor<10xf32>
    }
    func.func private @k11_dense_grad_input_relu_grad(%arg0: tensor<256x84xf32>, %arg1: tensor<120x84xf32>, %arg2: tensor<256x120xf32>) -> tensor<256x120xf32> attributes {dl.flops = 5191680 : i64, dl.origin = ["dl.dense_grad_input @ models/lenet_relu.dl:11:11", "dl.relu_grad @ models/lenet_relu.dl:10:6"], dl.result_aliases = array<i64: -1>, dl.result_kinds = ["gradient"], dl.step = "train_step"} {
      %0 = dl.dense_grad_input %arg0, %arg1 : tensor<256x84xf32>, tensor<120x84xf32>
      %1 = dl.relu_grad %0, %arg2 : tensor<256x120xf32>
      return %1 : tensor<256x120xf32>
    }
    func.func private @k12_dense_grad_weight_sgd_update(%arg0: tensor<256x120xf32>, %arg1: tensor<256x84xf32>, %arg2: tensor<120x84xf32>, %arg3: f32, %arg4: f32) -> tensor<120x84xf32> attributes {dl.flops = 5201280 : i64, dl.origin = ["dl.dense_grad_weight @ models/lenet_relu.dl:11:11", "dl.sgd_update @ models/lenet_relu.dl:11:11"], dl.result_aliases = array<i64: 2>, dl.result_kinds = ["gradient"], dl.step = "train_step"} {
      %0 = dl.dense_grad_weight %arg0, %arg1 : tensor<256x120xf32>, tensor<256x84xf32>
      %1 = dl.sgd_update %arg2, %0, %arg3, %arg4 : tensor<120x84xf32>
      return %1 : tensor<120x84xf32>
    }
    func.func private @k13_bias_grad_sgd_update(%arg0: tensor<256x84xf32>, %arg1: tensor<84xf32>, %arg2: f32, %arg3: f32) -> tensor<84xf32> attributes {dl.flops = 420 : i64, dl.origin = ["dl.bias_grad @ models/lenet_relu.dl:11:11", "dl.sgd_update @ models/lenet_relu.dl:11:11"], dl.result_aliases = array<i64: 1>, dl.result_kinds = ["gradient"], dl.step = "train_step"} {
      %0 = dl.bias_grad %arg0 : tensor<256x84xf32> -> tensor<84xf32>
      %1 = dl.sgd_update %arg1, %0, %arg2, %arg3 : tensor<84xf32>
      return %1 : tensor<84xf32>
    }
    func.func private @k14_dense_grad_input(%arg0: tensor<256x120xf32>, %arg1: tensor<400x120xf32>) -> tensor<256x400xf32> attributes {dl.flops = 24576000 : i64, dl.origin = ["dl.dense_grad_input @ models/lenet_relu.dl:10:11"], dl.result_aliases = array<i64: -1>, dl.result_kinds = ["gradient"], dl.step = "train_step"} {
      %0 = dl.dense_grad_input %arg0, %arg1 : tensor<256x120xf32>, tensor<400x120xf32>
      return %0 : tensor<256x400xf32>
    }
    func.func private @k15_dense_grad_weight_sgd_update(%arg0: tensor<256x400xf32>, %arg1: tensor<256x120xf32>, %arg2: tensor<400x120xf32>, %arg3: f32, %arg4: f32) -> tensor<400x120xf32> attributes {dl.flops = 24768000 : i64, dl.origin = ["dl.dense_grad_weight @ models/lenet_relu.dl:10:11", "dl.sgd_update @ models/lenet_relu.dl:10:11"], dl.result_aliases = array<i64: 2>, dl.result_kinds = ["gradient"], dl.step = "train_step"} {
      %0 = dl.dense_grad_weight %arg0, %arg1 : tensor<256x400xf32>, tensor<256x120xf32>
      %1 = dl.sgd_update %arg2, %0, %arg3, %arg4 : tensor<400x120xf32>
      return %1 : tensor<400x120xf32>
    }
    func.func private @k16_bias_grad_sgd_update(%arg0: tensor<256x120xf32>, %arg1: tensor<120xf32>, %arg2: f32, %arg3: f32) -> tensor<120xf32> attributes {dl.flops = 600 : i64, dl.origin = ["dl.bias_grad @ models/lenet_relu.dl:10:11", "dl.sgd_update @ models/lenet_relu.dl:10:11"], dl.result_aliases = array<i64: 1>, dl.result_kinds = ["gradient"], dl.step = "train_step"} {
      %0 = dl.bias_grad %arg0 : tensor<256x120xf32> -> tensor<120xf32>
      %1 = dl.sgd_update %arg1, %0, %arg2, %arg3 : tensor<120xf32>
      return %1 : tensor<120xf32>
    }
    func.func private @k17_max_pool2d_grad_relu_grad(%arg0: tensor<256x16x5x5xf32>, %arg1: tensor<256x16x10x10xf32>) -> tensor<256x16x10x10xf32> attributes {dl.flops = 819200 : i64, dl.origin = ["dl.max_pool2d_grad @ models/lenet_relu.dl:8:6", "dl.relu_grad @ models/lenet_relu.dl:7:6"], dl.result_aliases = array<i64: -1>, dl.result_kinds = ["gradient"], dl.step = "train_step"} {
      %0 = dl.max_pool2d_grad %arg0, %arg1 kernel 2 stride 2 padding 0 : tensor<256x16x5x5xf32>, tensor<256x16x10x10xf32>
      %1 = dl.relu_grad %0, %arg1 : tensor<256x16x10x10xf32>
      return %1 : tensor<256x16x10x10xf32>
    }
    func.func private @k18_conv2d_grad_input(%arg0: tensor<256x16x10x10xf32>, %arg1: tensor<16x6x5x5xf32>) -> tensor<256x6x14x14xf32> attributes {dl.flops = 122880000 : i64, dl.origin = ["dl.conv2d_grad_input @ models/lenet_relu.dl:7:11"], dl.result_aliases = array<i64: -1>, dl.result_kinds = ["gradient"], dl.step = "train_step"} {
      %0 = dl.conv2d_grad_input %arg0, %arg1 stride 1 padding 0 : tensor<256x16x10x10xf32>, tensor<16x6x5x5xf32> -> tensor<256x6x14x14xf32>
      return %0 : tensor<256x6x14x14xf32>
    }
    func.func private @k19_conv2d_grad_filter_sgd_update(%arg0: tensor<256x6x14x14xf32>, %arg1: tensor<256x16x10x10xf32>, %arg2: tensor<16x6x5x5xf32>, %arg3: f32, %arg4: f32) -> tensor<16x6x5x5xf32> attributes {dl.flops = 122889600 : i64, dl.origin = ["dl.conv2d_grad_filter @ models/lenet_relu.dl:7:11", "dl.sgd_update @ models/lenet_relu.dl:7:11"], dl.result_aliases = array<i64: 2>, dl.result_kinds = ["gradient"], dl.step = "train_step"} {
      %0 = dl.conv2d_grad_filter %arg0, %arg1 stride 1 padding 0 : tensor<256x6x14x14xf32>, tensor<256x16x10x10xf32> -> tensor<16x6x5x5xf32>
      %1 = dl.sgd_update %arg2, %0, %arg3, %arg4 : tensor<16x6x5x5xf32>
      return %1 : tensor<16x6x5x5xf32>
    }
    func.func private @k20_bias_grad_sgd_update(%arg0: tensor<256x16x10x10xf32>, %arg1: tensor<16xf32>, %arg2: f32, %arg3: f32) -> tensor<16xf32> attributes {dl.flops = 80 : i64, dl.origin = ["dl.bias_grad @ models/lenet_relu.dl:7:11", "dl.sgd_update @ models/lenet_relu.dl:7:11"], dl.result_aliases = array<i64: 1>, dl.result_kinds = ["gradient"], dl.step = "train_step"} {
      %0 = dl.bias_grad %arg0 : tensor<256x16x10x10xf32> -> tensor<16xf32>
      %1 = dl.sgd_update %arg1, %0, %arg2, %arg3 : tensor<16xf32>
      return %1 : tensor<16xf32>
    }
    func.func private @k21_max_pool2d_grad_relu_grad(%arg0: tensor<256x6x14x14xf32>, %arg1: tensor<256x6x28x28xf32>) -> tensor<256x6x28x28xf32> attributes {dl.flops = 2408448 : i64, dl.origin = ["dl.max_pool2d_grad @ models/lenet_relu.dl:6:6", "dl.relu_grad @ models/lenet_relu.dl:5:6"], dl.result_aliases = array<i64: -1>, dl.result_kinds = ["gradient"], dl.step = "train_step"} {
      %0 = dl.max_pool2d_grad %arg0, %arg1 kernel 2 stride 2 padding 0 : tensor<256x6x14x14xf32>, tensor<256x6x28x28xf32>
      %1 = dl.relu_grad %0, %arg1 : tensor<256x6x28x28xf32>
      return %1 : tensor<256x6x28x28xf32>
    }
    func.func private @k22_conv2d_grad_filter_sgd_update(%arg0: tensor<256x1x28x28xf32>, %arg1: tensor<256x6x28x28xf32>, %arg2: tensor<6x1x5x5xf32>, %arg3: f32, %arg4: f32) -> tensor<6x1x5x5xf32> attributes {dl.flops = 60211800 : i64, dl.origin = ["dl.conv2d_grad_filter @ models/lenet_relu.dl:5:11", "dl.sgd_update @ models/lenet_relu.dl:5:11"], dl.result_aliases = array<i64: 2>, dl.result_kinds = ["gradient"], dl.step = "train_step"} {
      %0 = dl.conv2d_grad_filter %arg0, %arg1 stride 1 padding 2 : tensor<256x1x28x28xf32>, tensor<256x6x28x28xf32> -> tensor<6x1x5x5xf32>
      %1 = dl.sgd_update %arg2, %0, %arg3, %arg4 : tensor<6x1x5x5xf32>
      return %1 : tensor<6x1x5x5xf32>
    }
    func.func private @k23_bias_grad_sgd_update(%arg0: tensor<256x6x28x28xf32>, %arg1: tensor<6xf32>, %arg2: f32, %arg3: f32) -> tensor<6xf32> attributes {dl.flops = 30 : i64, dl.origin = ["dl.bias_grad @ models/lenet_relu.dl:5:11", "dl.sgd_update @ models/lenet_relu.dl:5:11"], dl.result_aliases = array<i64: 1>, dl.result_kinds = ["gradient"], dl.step = "train_step"} {
      %0 = dl.bias_grad %arg0 : tensor<256x6x28x28xf32> -> tensor<6xf32>
      %1 = dl.sgd_update %arg1, %0, %arg2, %arg3 : tensor<6xf32>
      return %1 : tensor<6xf32>
    }
    func.func private @k24_conv2d_relu(%arg0: tensor<256x1x28x28xf32>, %arg1: tensor<6x1x5x5xf32>, %arg2: tensor<6xf32>) -> tensor<256x6x28x28xf32> attributes {dl.flops = 61415424 : i64, dl.origin = ["dl.conv2d @ models/lenet_relu.dl:5:11", "dl.relu @ models/lenet_relu.dl:5:6"], dl.result_aliases = array<i64: -1>, dl.result_kinds = ["activation"], dl.step = "eval_step"} {
      %0 = dl.conv2d %arg0, %arg1, %arg2 stride 1 padding 2 : tensor<256x1x28x28xf32>, tensor<6x1x5x5xf32>, tensor<6xf32> -> tensor<256x6x28x28xf32>
      %1 = dl.relu %0 : tensor<256x6x28x28xf32>
      return %1 : tensor<256x6x28x28xf32>
    }
    func.func private @k25_max_pool2d(%arg0: tensor<256x6x28x28xf32>) -> tensor<256x6x14x14xf32> attributes {dl.flops = 1204224 : i64, dl.origin = ["dl.max_pool2d @ models/lenet_relu.dl:6:6"], dl.result_aliases = array<i64: -1>, dl.result_kinds = ["activation"], dl.step = "eval_step"} {
      %0 = dl.max_pool2d %arg0 kernel 2 stride 2 padding 0 : tensor<256x6x28x28xf32> -> tensor<256x6x14x14xf32>
      return %0 : tensor<256x6x14x14xf32>
    }
    func.func private @k26_conv2d_relu(%arg0: tensor<256x6x14x14xf32>, %arg1: tensor<16x6x5x5xf32>, %arg2: tensor<16xf32>) -> tensor<256x16x10x10xf32> attributes {dl.flops = 123289600 : i64, dl.origin = ["dl.conv2d @ models/lenet_relu.dl:7:11", "dl.relu @ models/lenet_relu.dl:7:6"], dl.result_aliases = array<i64: -1>, dl.result_kinds = ["activation"], dl.step = "eval_step"} {
      %0 = dl.conv2d %arg0, %arg1, %arg2 stride 1 padding 0 : tensor<256x6x14x14xf32>, tensor<16x6x5x5xf32>, tensor<16xf32> -> tensor<256x16x10x10xf32>
      %1 = dl.relu %0 : tensor<256x16x10x10xf32>
      return %1 : tensor<256x16x10x10xf32>
    }
    func.func private @k27_max_pool2d(%arg0: tensor<256x16x10x10xf32>) -> tensor<256x16x5x5xf32> attributes {dl.flops = 409600 : i64, dl.origin = ["dl.max_pool2d @ models/lenet_relu.dl:8:6"], dl.result_aliases = array<i64: -1>, dl.result_kinds = ["activation"], dl.step = "eval_step"} {
      %0 = dl.max_pool2d %arg0 kernel 2 stride 2 padding 0 : tensor<256x16x10x10xf32> -> tensor<256x16x5x5xf32>
      return %0 : tensor<256x16x5x5xf32>
    }
    func.func private @k28_dense_relu(%arg0: tensor<256x400xf32>, %arg1: tensor<400x120xf32>, %arg2: tensor<120xf32>) -> tensor<256x120xf32> attributes {dl.flops = 24606720 : i64, dl.origin = ["dl.dense @ models/lenet_relu.dl:10:11", "dl.relu @ models/lenet_relu.dl:10:6"], dl.result_aliases = array<i64: -1>, dl.result_kinds = ["activation"], dl.step = "eval_step"} {
      %0 = dl.dense %arg0, %arg1, %arg2 : tensor<256x400xf32>, tensor<400x120xf32>, tensor<120xf32> -> tensor<256x120xf32>
      %1 = dl.relu %0 : tensor<256x120xf32>
      return %1 : tensor<256x120xf32>
    }
    func.func private @k29_dense_relu(%arg0: tensor<256x120xf32>, %arg1: tensor<120x84xf32>, %arg2: tensor<84xf32>) -> tensor<256x84xf32> attributes {dl.flops = 5182464 : i64, dl.origin = ["dl.dense @ models/lenet_relu.dl:11:11", "dl.relu @ models/lenet_relu.dl:11:6"], dl.result_aliases = array<i64: -1>, dl.result_kinds = ["activation"], dl.step = "eval_step"} {
      %0 = dl.dense %arg0, %arg1, %arg2 : tensor<256x120xf32>, tensor<120x84xf32>, tensor<84xf32> -> tensor<256x84xf32>
      %1 = dl.relu %0 : tensor<256x84xf32>
      return %1 : tensor<256x84xf32>
    }
    func.func private @k30_dense(%arg0: tensor<256x84xf32>, %arg1: tensor<84x10xf32>, %arg2: tensor<10xf32>) -> tensor<256x10xf32> attributes {dl.flops = 430080 : i64, dl.origin = ["dl.dense @ models/lenet_relu.dl:12:10"], dl.result_aliases = array<i64: -1>, dl.result_kinds = ["activation"], dl.step = "eval_step"} {
      %0 = dl.dense %arg0, %arg1, %arg2 : tensor<256x84xf32>, tensor<84x10xf32>, tensor<10xf32> -> tensor<256x10xf32>
      return %0 : tensor<256x10xf32>
    }
    func.func private @k31_softmax_ce_eval(%arg0: tensor<256x10xf32>, %arg1: tensor<256xi32>, %arg2: i32) -> (tensor<f32>, tensor<i32>) attributes {dl.flops = 10240 : i64, dl.origin = ["dl.softmax_ce_eval @ models/lenet_relu.dl:13:8"], dl.result_aliases = array<i64: -1, -1>, dl.result_kinds = ["gradient", "gradient"], dl.step = "eval_step"} {
      %loss_sum, %correct = dl.softmax_ce_eval %arg0, %arg1, %arg2 : tensor<256x10xf32>, tensor<256xi32>
      return %loss_sum, %correct : tensor<f32>, tensor<i32>
    }
  }
}

