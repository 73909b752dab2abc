module @mlp attributes {dl.epochs = 5 : i64, dl.optimizer = #dl.sgd<lr = 5.000000e-01, weight_decay = 0.000000e+00, momentum = 0.000000e+00>} {
  func.func @train_step(%dense1.weight: tensor<784x256xf32> {dl.init = #dl.normal<mean = 0.000000e+00, std = 1.000000e-02>, dl.param = "dense1.weight", dl.seed = 1 : i64}, %dense1.bias: tensor<256xf32> {dl.init = #dl.zeros, dl.param = "dense1.bias", dl.seed = 2 : i64}, %dense2.weight: tensor<256x10xf32> {dl.init = #dl.normal<mean = 0.000000e+00, std = 1.000000e-02>, dl.param = "dense2.weight", dl.seed = 3 : i64}, %dense2.bias: tensor<10xf32> {dl.init = #dl.zeros, dl.param = "dense2.bias", dl.seed = 4 : i64}, %image: tensor<256x1x28x28xf32> {dl.input = "image"}, %label: tensor<256xi32> {dl.classes = 10 : i64, dl.label = "label"}, %lr: f32 {dl.hyper = "lr"}, %weight_decay: f32 {dl.hyper = "weight_decay"}, %momentum: f32 {dl.hyper = "momentum"}) -> (tensor<784x256xf32>, tensor<256xf32>, tensor<256x10xf32>, tensor<10xf32>, tensor<f32>, tensor<i32>) {
    %0 = dl.flatten %image : tensor<256x1x28x28xf32> -> tensor<256x784xf32>
    %1 = dl.launch @kernels::@k0_dense_relu(%0, %dense1.weight, %dense1.bias) : (tensor<256x784xf32>, tensor<784x256xf32>, tensor<256xf32>) -> tensor<256x256xf32>
    %2 = dl.launch @kernels::@k1_dense(%1, %dense2.weight, %dense2.bias) : (tensor<256x256xf32>, tensor<256x10xf32>, tensor<10xf32>) -> tensor<256x10xf32>
    %3:3 = dl.launch @kernels::@k2_softmax_ce_grad(%2, %label) : (tensor<256x10xf32>, tensor<256xi32>) -> (tensor<f32>, tensor<i32>, tensor<256x10xf32>)
    %4 = dl.launch @kernels::@k3_dense_grad_input_relu_grad(%3#2, %dense2.weight, %1) : (tensor<256x10xf32>, tensor<256x10xf32>, tensor<256x256xf32>) -> tensor<256x256xf32>
    %5 = dl.launch @kernels::@k6_dense_grad_weight_sgd_update(%0, %4, %dense1.weight, %lr, %weight_decay) : (tensor<256x784xf32>, tensor<256x256xf32>, tensor<784x256xf32>, f32, f32) -> tensor<784x256xf32>
    %6 = dl.launch @kernels::@k7_bias_grad_sgd_update(%4, %dense1.bias, %lr, %weight_decay) : (tensor<256x256xf32>, tensor<256xf32>, f32, f32) -> tensor<256xf32>
    %7 = dl.launch @kernels::@k4_dense_grad_weight_sgd_update(%1, %3#2, %dense2.weight, %lr, %weight_decay) : (tensor<256x256xf32>, tensor<256x10xf32>, tensor<256x10xf32>, f32, f32) -> tensor<256x10xf32>
    %8 = dl.launch @kernels::@k5_bias_grad_sgd_update(%3#2, %dense2.bias, %lr, %weight_decay) : (tensor<256x10xf32>, tensor<10xf32>, f32, f32) -> tensor<10xf32>
    return %5, %6, %7, %8, %3#0, %3#1 : tensor<784x256xf32>, tensor<256xf32>, tensor<256x10xf32>, tensor<10xf32>, tensor<f32>, tensor<i32>
  }
  func.func @eval_step(%dense1.weight: tensor<784x256xf32> {dl.init = #dl.normal<mean = 0.000000e+00, std = 1.000000e-02>, dl.param = "dense1.weight", dl.seed = 1 : i64}, %dense1.bias: tensor<256xf32> {dl.init = #dl.zeros, dl.param = "dense1.bias", dl.seed = 2 : i64}, %dense2.weight: tensor<256x10xf32> {dl.init = #dl.normal<mean = 0.000000e+00, std = 1.000000e-02>, dl.param = "dense2.weight", dl.seed = 3 : i64}, %dense2.bias: tensor<10xf32> {dl.init = #dl.zeros, dl.param = "dense2.bias", dl.seed = 4 : i64}, %image: tensor<256x1x28x28xf32> {dl.input = "image"}, %label: tensor<256xi32> {dl.classes = 10 : i64, dl.label = "label"}, %valid_rows: i32 {dl.hyper = "valid_rows"}) -> (tensor<f32>, tensor<i32>) {
    %0 = dl.flatten %image : tensor<256x1x28x28xf32> -> tensor<256x784xf32>
    %1 = dl.launch @kernels::@k8_dense_relu(%0, %dense1.weight, %dense1.bias) : (tensor<256x784xf32>, tensor<784x256xf32>, tensor<256xf32>) -> tensor<256x256xf32>
    %2 = dl.launch @kernels::@k9_dense(%1, %dense2.weight, %dense2.bias) : (tensor<256x256xf32>, tensor<256x10xf32>, tensor<10xf32>) -> tensor<256x10xf32>
    %3:2 = dl.launch @kernels::@k10_softmax_ce_eval(%2, %label, %valid_rows) : (tensor<256x10xf32>, tensor<256xi32>, i32) -> (tensor<f32>, tensor<i32>)
    return %3#0, %3#1 : tensor<f32>, tensor<i32>
  }
  module @kernels {
    func.func private @k0_dense_relu(%arg0: tensor<256x784xf32>, %arg1: tensor<784x256xf32>, %arg2: tensor<256xf32>) -> tensor<256x256xf32> attributes {dl.flops = 102825984 : i64, dl.origin = ["dl.dense @ models/mlp.dl:6:10", "dl.relu @ models/mlp.dl:6:5"], dl.result_aliases = array<i64: -1>, dl.result_kinds = ["activation"], dl.step = "train_step"} {
      %0 = dl.dense %arg0, %arg1, %arg2 : tensor<256x784xf32>, tensor<784x256xf32>, tensor<256xf32> -> tensor<256x256xf32>
      %1 = dl.relu %0 : tensor<256x256xf32>
      return %1 : tensor<256x256xf32>
    }
    func.func private @k1_dense(%arg0: tensor<256x256xf32>, %arg1: tensor<256x10xf32>, %arg2: tensor<10xf32>) -> tensor<256x10xf32> attributes {dl.flops = 1310720 : i64, dl.origin = ["dl.dense @ models/mlp.dl:7:10"], dl.result_aliases = array<i64: -1>, dl.result_kinds = ["activation"], dl.step = "train_step"} {
      %0 = dl.dense %arg0, %arg1, %arg2 : tensor<256x256xf32>, tensor<256x10xf32>, tensor<10xf32> -> tensor<256x10xf32>
      return %0 : tensor<256x10xf32>
    }
    func.func private @k2_softmax_ce_grad(%arg0: tensor<256x10xf32>, %arg1: tensor<256xi32>) -> (tensor<f32>, tensor<i32>, tensor<256x10xf32>) attributes {dl.flops = 20480 : i64, dl.origin = ["dl.softmax_ce @ models/mlp.dl:8:8", "dl.softmax_ce_grad @ models/mlp.dl:8:8"], dl.result_aliases = array<i64: -1, -1, -1>, dl.result_kinds = ["gradient", "gradient", "gradient"], dl.step = "train_step"} {
      %0 = dl.constant 1.000000e+00 : tensor<f32>
      %loss, %correct = dl.softmax_ce %arg0, %arg1 : tensor<256x10xf32>, tensor<256xi32>
      %1 = dl.softmax_ce_grad %arg0, %arg1, %0 : tensor<256x10xf32>, tensor<256xi32>, tensor<f32>
      return %loss, %correct, %1 : tensor<f32>, tensor<i32>, tensor<256x10xf32>
    }
    func.func private @k3_dense_grad_input_relu_grad(%arg0: tensor<256x10xf32>, %arg1: tensor<256x10xf32>, %arg2: tensor<256x256xf32>) -> tensor<256x256xf32> attributes {dl.flops = 1376256 : i64, dl.origin = ["dl.dense_grad_input @ models/mlp.dl:7:10", "dl.relu_grad @ models/mlp.dl:6:5"], dl.result_aliases = array<i64: -1>, dl.result_kinds = ["gradient"], dl.step = "train_step"} {
      %0 = dl.dense_grad_input %arg0, %arg1 : tensor<256x10xf32>, tensor<256x10xf32>
      %1 = dl.relu_grad %0, %arg2 : tensor<256x256xf32>
      return %1 : tensor<256x256xf32>
    }
    func.func private @k4_dense_grad_weight_sgd_update(%arg0: tensor<256x256xf32>, %arg1: tensor<256x10xf32>, %arg2: tensor<256x10xf32>, %arg3: f32, %arg4: f32) -> tensor<256x10xf32> attributes {dl.flops = 1320960 : i64, dl.origin = ["dl.dense_grad_weight @ models/mlp.dl:7:10", "dl.sgd_update @ models/mlp.dl:7:10"], dl.result_aliases = array<i64: 2>, dl.result_kinds = ["gradient"], dl.step = "train_step"} {
      %0 = dl.dense_grad_weight %arg0, %arg1 : tensor<256x256xf32>, tensor<256x10xf32>
      %1 = dl.sgd_update %arg2, %0, %arg3, %arg4 : tensor<256x10xf32>
      return %1 : tensor<256x10xf32>
    }
    func.func private @k5_bias_grad_sgd_update(%arg0: tensor<256x10xf32>, %arg1: tensor<10xf32>, %arg2: f32, %arg3: f32) -> tensor<10xf32> attributes {dl.flops = 50 : i64, dl.origin = ["dl.bias_grad @ models/mlp.dl:7:10", "dl.sgd_update @ models/mlp.dl:7:10"], dl.result_aliases = array<i64: 1>, dl.result_kinds = ["gradient"], dl.step = "train_step"} {
      %0 = dl.bias_grad %arg0 : tensor<256x10xf32> -> tensor<10xf32>
      %1 = dl.sgd_update %arg1, %0, %arg2, %arg3 : tensor<10xf32>
      return %1 : tensor<10xf32>
    }
    func.func private @k6_dense_grad_weight_sgd_update(%arg0: tensor<256x784xf32>, %arg1: tensor<256x256xf32>, %arg2: tensor<784x256xf32>, %arg3: f32, %arg4: f32) -> tensor<784x256xf32> attributes {dl.flops = 103563264 : i64, dl.origin = ["dl.dense_grad_weight @ models/mlp.dl:6:10", "dl.sgd_update @ models/mlp.dl:6:10"], dl.result_aliases = array<i64: 2>, dl.result_kinds = ["gradient"], dl.step = "train_step"} {
      %0 = dl.dense_grad_weight %arg0, %arg1 : tensor<256x784xf32>, tensor<256x256xf32>
      %1 = dl.sgd_update %arg2, %0, %arg3, %arg4 : tensor<784x256xf32>
      return %1 : tensor<784x256xf32>
    }
    func.func private @k7_bias_grad_sgd_update(%arg0: tensor<256x256xf32>, %arg1: tensor<256xf32>, %arg2: f32, %arg3: f32) -> tensor<256xf32> attributes {dl.flops = 1280 : i64, dl.origin = ["dl.bias_grad @ models/mlp.dl:6:10", "dl.sgd_update @ models/mlp.dl:6:10"], dl.result_aliases = array<i64: 1>, dl.result_kinds = ["gradient"], dl.step = "train_step"} {
      %0 = dl.bias_grad %arg0 : tensor<256x256xf32> -> tensor<256xf32>
      %1 = dl.sgd_update %arg1, %0, %arg2, %arg3 : tensor<256xf32>
      return %1 : tensor<256xf32>
    }
    func.func private @k8_dense_relu(%arg0: tensor<256x784xf32>, %arg1: tensor<784x256xf32>, %arg2: tensor<256xf32>) -> tensor<256x256xf32> attributes {dl.flops = 102825984 : i64, dl.origin = ["dl.dense @ models/mlp.dl:6:10", "dl.relu @ models/mlp.dl:6:5"], dl.result_aliases = array<i64: -1>, dl.result_kinds = ["activation"], dl.step = "eval_step"} {
      %0 = dl.dense %arg0, %arg1, %arg2 : tensor<256x784xf32>, tensor<784x256xf32>, tensor<256xf32> -> tensor<256x256xf32>
      %1 = dl.relu %0 : tensor<256x256xf32>
      return %1 : tensor<256x256xf32>
    }
    func.func private @k9_dense(%arg0: tensor<256x256xf32>, %arg1: tensor<256x10xf32>, %arg2: tensor<10xf32>) -> tensor<256x10xf32> attributes {dl.flops = 1310720 : i64, dl.origin = ["dl.dense @ models/mlp.dl:7:10"], dl.result_aliases = array<i64: -1>, dl.result_kinds = ["activation"], dl.step = "eval_step"} {
      %0 = dl.dense %arg0, %arg1, %arg2 : tensor<256x256xf32>, tensor<256x10xf32>, tensor<10xf32> -> tensor<256x10xf32>
      return %0 : tensor<256x10xf32>
    }
    func.func private @k10_softmax_ce_eval(%arg0: tensor<256x10xf32>, %arg1: tensor<256xi32>, %arg2: i32) -> (tensor<f32>, tensor<i32>) attributes {dl.flops = 10240 : i64, dl.origin = ["dl.softmax_ce_eval @ models/mlp.dl:8:8"], dl.result_aliases = array<i64: -1, -1>, dl.result_kinds = ["gradient", "gradient"], dl.step = "eval_step"} {
      %loss_sum, %correct = dl.softmax_ce_eval %arg0, %arg1, %arg2 : tensor<256x10xf32>, tensor<256xi32>
      return %loss_sum, %correct : tensor<f32>, tensor<i32>
    }
  }
}

