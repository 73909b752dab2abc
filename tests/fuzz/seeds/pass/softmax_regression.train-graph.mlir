module @softmax_regression attributes {dl.epochs = 5 : i64, dl.optimizer = #dl.sgd<lr = 1.000000e-01, weight_decay = 0.000000e+00, momentum = 0.000000e+00>} {
  func.func @train_step(%dense1.weight: tensor<784x10xf32> {dl.init = #dl.normal<mean = 0.000000e+00, std = 1.000000e-02>, dl.param = "dense1.weight", dl.seed = 1 : i64}, %dense1.bias: tensor<10xf32> {dl.init = #dl.zeros, dl.param = "dense1.bias", dl.seed = 2 : i64}, %image: tensor<256x1x28x28xf32> {dl.input = "image"}, %label: tensor<256xi32> {dl.classes = 10 : i64, dl.label = "label"}, %lr: f32 {dl.hyper = "lr"}, %weight_decay: f32 {dl.hyper = "weight_decay"}, %momentum: f32 {dl.hyper = "momentum"}) -> (tensor<784x10xf32>, tensor<10xf32>, tensor<f32>, tensor<i32>) {
    %0 = dl.flatten %image : tensor<256x1x28x28xf32> -> tensor<256x784xf32>
    %1 = dl.dense %0, %dense1.weight, %dense1.bias : tensor<256x784xf32>, tensor<784x10xf32>, tensor<10xf32> -> tensor<256x10xf32>
    %loss, %correct = dl.softmax_ce %1, %label : tensor<256x10xf32>, tensor<256xi32>
    %2 = dl.constant 1.000000e+00 : tensor<f32>
    %3 = dl.softmax_ce_grad %1, %label, %2 : tensor<256x10xf32>, tensor<256xi32>, tensor<f32>
    %4 = dl.dense_grad_weight %0, %3 : tensor<256x784xf32>, tensor<256x10xf32>
    %5 = dl.bias_grad %3 : tensor<256x10xf32> -> tensor<10xf32>
    %6 = dl.sgd_update %dense1.weight, %4, %lr, %weight_decay : tensor<784x10xf32>
    %7 = dl.sgd_update %dense1.bias, %5, %lr, %weight_decay : tensor<10xf32>
    return %6, %7, %loss, %correct : tensor<784x10xf32>, tensor<10xf32>, tensor<f32>, tensor<i32>
  }
  func.func @eval_step(%dense1.weight: tensor<784x10xf32> {dl.init = #dl.normal<mean = 0.000000e+00, std = 1.000000e-02>, dl.param = "dense1.weight", dl.seed = 1 : i64}, %dense1.bias: tensor<10xf32> {dl.init = #dl.zeros, dl.param = "dense1.bias", dl.seed = 2 : i64}, %image: tensor<256x1x28x28xf32> {dl.input = "image"}, %label: tensor<256xi32> {dl.classes = 10 : i64, dl.label = "label"}, %valid_rows: i32 {dl.hyper = "valid_rows"}) -> (tensor<f32>, tensor<i32>) {
    %0 = dl.flatten %image : tensor<256x1x28x28xf32> -> tensor<256x784xf32>
    %1 = dl.dense %0, %dense1.weight, %dense1.bias : tensor<256x784xf32>, tensor<784x10xf32>, tensor<10xf32> -> tensor<256x10xf32>
    %loss_sum, %correct = dl.softmax_ce_eval %1, %label, %valid_rows : tensor<256x10xf32>, tensor<256xi32>
    return %loss_sum, %correct : tensor<f32>, tensor<i32>
  }
}

