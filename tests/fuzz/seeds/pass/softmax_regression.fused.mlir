module @softmax_regression attributes {dl.epochs = 5 : i64, dl.optimizer = #dl.sgd<lr = 1.000000e-01, weight_decay = 0.000000e+00, momentum = 0.000000e+00>} {
  func.func @train_step(%dense1.weight: tensor<784x10xf32> {dl.init = #dl.normal<mean = 0.000000e+00, std = 1.000000e-02>, dl.param = "dense1.weight", dl.seed = 1 : i64}, %dense1.bias: tensor<10xf32> {dl.init = #dl.zeros, dl.param = "dense1.bias", dl.seed = 2 : i64}, %image: tensor<256x1x28x28xf32> {dl.input = "image"}, %label: tensor<256xi32> {dl.classes = 10 : i64, dl.label = "label"}, %lr: f32 {dl.hyper = "lr"}, %weight_decay: f32 {dl.hyper = "weight_decay"}, %momentum: f32 {dl.hyper = "momentum"}) -> (tensor<784x10xf32>, tensor<10xf32>, tensor<f32>, tensor<i32>) {
    %0 = dl.flatten %image : tensor<256x1x28x28xf32> -> tensor<256x784xf32>
    %1 = dl.launch @kernels::@k0_dense(%0, %dense1.weight, %dense1.bias) : (tensor<256x784xf32>, tensor<784x10xf32>, tensor<10xf32>) -> tensor<256x10xf32>
    %2:3 = dl.launch @kernels::@k1_softmax_ce_grad(%1, %label) : (tensor<256x10xf32>, tensor<256xi32>) -> (tensor<f32>, tensor<i32>, tensor<256x10xf32>)
    %3 = dl.launch @kernels::@k2_dense_grad_weight_sgd_update(%0, %2#2, %dense1.weight, %lr, %weight_decay) : (tensor<256x784xf32>, tensor<256x10xf32>, tensor<784x10xf32>, f32, f32) -> tensor<784x10xf32>
    %4 = dl.launch @kernels::@k3_bias_grad_sgd_update(%2#2, %dense1.bias, %lr, %weight_decay) : (tensor<256x10xf32>, tensor<10xf32>, f32, f32) -> tensor<10xf32>
    return %3, %4, %2#0, %2#1 : tensor<784x10xf32>, tensor<10xf32>, tensor<f32>, tensor<i32>
  }
  func.func @eval_step(%dense1.weight: tensor<784x10xf32> {dl.init = #dl.normal<mean = 0.000000e+00, std = 1.000000e-02>, dl.param = "dense1.weight", dl.seed = 1 : i64}, %dense1.bias: tensor<10xf32> {dl.init = #dl.zeros, dl.param = "dense1.bias", dl.seed = 2 : i64}, %image: tensor<256x1x28x28xf32> {dl.input = "image"}, %label: tensor<256xi32> {dl.classes = 10 : i64, dl.label = "label"}, %valid_rows: i32 {dl.hyper = "valid_rows"}) -> (tensor<f32>, tensor<i32>) {
    %0 = dl.flatten %image : tensor<256x1x28x28xf32> -> tensor<256x784xf32>
    %1 = dl.launch @kernels::@k4_dense(%0, %dense1.weight, %dense1.bias) : (tensor<256x784xf32>, tensor<784x10xf32>, tensor<10xf32>) -> tensor<256x10xf32>
    %2:2 = dl.launch @kernels::@k5_softmax_ce_eval(%1, %label, %valid_rows) : (tensor<256x10xf32>, tensor<256xi32>, i32) -> (tensor<f32>, tensor<i32>)
    return %2#0, %2#1 : tensor<f32>, tensor<i32>
  }
  module @kernels {
    func.func private @k0_dense(%arg0: tensor<256x784xf32>, %arg1: tensor<784x10xf32>, %arg2: tensor<10xf32>) -> tensor<256x10xf32> attributes {dl.flops = 4014080 : i64, dl.origin = ["dl.dense @ models/softmax_regression.dl:6:10"], dl.result_aliases = array<i64: -1>, dl.result_kinds = ["activation"], dl.step = "train_step"} {
      %0 = dl.dense %arg0, %arg1, %arg2 : tensor<256x784xf32>, tensor<784x10xf32>, tensor<10xf32> -> tensor<256x10xf32>
      return %0 : tensor<256x10xf32>
    }
    func.func private @k1_softmax_ce_grad(%arg0: tensor<256x10xf32>, %arg1: tensor<256xi32>) -> (tensor<f32>, tensor<i32>, tensor<256x10xf32>) attributes {dl.flops = 20480 : i64, dl.origin = ["dl.softmax_ce @ models/softmax_regression.dl:7:8", "dl.softmax_ce_grad @ models/softmax_regression.dl:7:8"], dl.result_aliases = array<i64: -1, -1, -1>, dl.result_kinds = ["gradient", "gradient", "gradient"], dl.step = "train_step"} {
      %0 = dl.constant 1.000000e+00 : tensor<f32>
      %loss, %correct = dl.softmax_ce %arg0, %arg1 : tensor<256x10xf32>, tensor<256xi32>
      %1 = dl.softmax_ce_grad %arg0, %arg1, %0 : tensor<256x10xf32>, tensor<256xi32>, tensor<f32>
      return %loss, %correct, %1 : tensor<f32>, tensor<i32>, tensor<256x10xf32>
    }
    func.func private @k2_dense_grad_weight_sgd_update(%arg0: tensor<256x784xf32>, %arg1: tensor<256x10xf32>, %arg2: tensor<784x10xf32>, %arg3: f32, %arg4: f32) -> tensor<784x10xf32> attributes {dl.flops = 4045440 : i64, dl.origin = ["dl.dense_grad_weight @ models/softmax_regression.dl:6:10", "dl.sgd_update @ models/softmax_regression.dl:6:10"], dl.result_aliases = array<i64: 2>, dl.result_kinds = ["gradient"], dl.step = "train_step"} {
      %0 = dl.dense_grad_weight %arg0, %arg1 : tensor<256x784xf32>, tensor<256x10xf32>
      %1 = dl.sgd_update %arg2, %0, %arg3, %arg4 : tensor<784x10xf32>
      return %1 : tensor<784x10xf32>
    }
    func.func private @k3_bias_grad_sgd_update(%arg0: tensor<256x10xf32>, %arg1: tensor<10xf32>, %arg2: f32, %arg3: f32) -> tensor<10xf32> attributes {dl.flops = 50 : i64, dl.origin = ["dl.bias_grad @ models/softmax_regression.dl:6:10", "dl.sgd_update @ models/softmax_regression.dl:6:10"], dl.result_aliases = array<i64: 1>, dl.result_kinds = ["gradient"], dl.step = "train_step"} {
      %0 = dl.bias_grad %arg0 : tensor<256x10xf32> -> tensor<10xf32>
      %1 = dl.sgd_update %arg1, %0, %arg2, %arg3 : tensor<10xf32>
      return %1 : tensor<10xf32>
    }
    func.func private @k4_dense(%arg0: tensor<256x784xf32>, %arg1: tensor<784x10xf32>, %arg2: tensor<10xf32>) -> tensor<256x10xf32> attributes {dl.flops = 4014080 : i64, dl.origin = ["dl.dense @ models/softmax_regression.dl:6:10"], dl.result_aliases = array<i64: -1>, dl.result_kinds = ["activation"], dl.step = "eval_step"} {
      %0 = dl.dense %arg0, %arg1, %arg2 : tensor<256x784xf32>, tensor<784x10xf32>, tensor<10xf32> -> tensor<256x10xf32>
      return %0 : tensor<256x10xf32>
    }
    func.func private @k5_softmax_ce_eval(%arg0: tensor<256x10xf32>, %arg1: tensor<256xi32>, %arg2: i32) -> (tensor<f32>, tensor<i32>) attributes {dl.flops = 10240 : i64, dl.origin = ["dl.softmax_ce_eval @ models/softmax_regression.dl:7:8"], dl.result_aliases = array<i64: -1, -1>, dl.result_kinds = ["gradient", "gradient"], dl.step = "eval_step"} {
      %loss_sum, %correct = dl.softmax_ce_eval %arg0, %arg1, %arg2 : tensor<256x10xf32>, tensor<256xi32>
      return %loss_sum, %correct : tensor<f32>, tensor<i32>
    }
  }
}

