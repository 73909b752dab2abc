module @mlp attributes {dl.epochs = 5 : i64, dl.optimizer = #dl.sgd<lr = 5.000000e-01, weight_decay = 0.000000e+00, momentum = 0.000000e+00>} {
  func.func @train_step(%dense1.weight: tensor<784x256xf32> {dl.init = #dl.normal<mean = 0.000000e+00, std = 1.000000e-02>, dl.param = "dense1.weight", dl.seed = 1 : i64}, %dense1.bias: tensor<256xf32> {dl.init = #dl.zeros, dl.param = "dense1.bias", dl.seed = 2 : i64}, %dense2.weight: tensor<256x10xf32> {dl.init = #dl.normal<mean = 0.000000e+00, std = 1.000000e-02>, dl.param = "dense2.weight", dl.seed = 3 : i64}, %dense2.bias: tensor<10xf32> {dl.init = #dl.zeros, dl.param = "dense2.bias", dl.seed = 4 : i64}, %image: tensor<256x1x28x28xf32> {dl.input = "image"}, %label: tensor<256xi32> {dl.classes = 10 : i64, dl.label = "label"}, %lr: f32 {dl.hyper = "lr"}, %weight_decay: f32 {dl.hyper = "weight_decay"}, %momentum: f32 {dl.hyper = "momentum"}) -> (tensor<784x256xf32>, tensor<256xf32>, tensor<256x10xf32>, tensor<10xf32>, tensor<f32>, tensor<i32>) {
    %0 = dl.flatten %image : tensor<256x1x28x28xf32> -> tensor<256x784xf32>
    %1 = dl.dense %0, %dense1.weight, %dense1.bias : tensor<256x784xf32>, tensor<784x256xf32>, tensor<256xf32> -> tensor<256x256xf32>
    %2 = dl.relu %1 : tensor<256x256xf32>
    %3 = dl.dense %2, %dense2.weight, %dense2.bias : tensor<256x256xf32>, tensor<256x10xf32>, tensor<10xf32> -> tensor<256x10xf32>
    %loss, %correct = dl.softmax_ce %3, %label : tensor<256x10xf32>, tensor<256xi32>
    %4 = dl.constant 1.000000e+00 : tensor<f32>
    %5 = dl.softmax_ce_grad %3, %label, %4 : tensor<256x10xf32>, tensor<256xi32>, tensor<f32>
    %6 = dl.dense_grad_input %5, %dense2.weight : tensor<256x10xf32>, tensor<256x10xf32>
    %7 = dl.dense_grad_weight %2, %5 : tensor<256x256xf32>, tensor<256x10xf32>
    %8 = dl.bias_grad %5 : tensor<256x10xf32> -> tensor<10xf32>
    %9 = dl.relu_grad %6, %2 : tensor<256x256xf32>
    %10 = dl.dense_grad_weight %0, %9 : tensor<256x784xf32>, tensor<256x256xf32>
    %11 = dl.bias_grad %9 : tensor<256x256xf32> -> tensor<256xf32>
    %12 = dl.sgd_update %dense1.weight, %10, %lr, %weight_decay : tensor<784x256xf32>
    %13 = dl.sgd_update %dense1.bias, %11, %lr, %weight_decay : tensor<256xf32>
    %14 = dl.sgd_update %dense2.weight, %7, %lr, %weight_decay : tensor<256x10xf32>
    %15 = dl.sgd_update %dense2.bias, %8, %lr, %weight_decay : tensor<10xf32>
    return %12, %13, %14, %15, %loss, %correct : tensor<784x256xf32>, tensor<256xf32>, tensor<256x10xf32>, tensor<10xf32>, tensor<f32>, tensor<i32>
  }
  func.func @eval_step(%dense1.weight: tensor<784x256xf32> {dl.init = #dl.normal<mean = 0.000000e+00, std = 1.000000e-02>, dl.param = "dense1.weight", dl.seed = 1 : i64}, %dense1.bias: tensor<256xf32> {dl.init = #dl.zeros, dl.param = "dense1.bias", dl.seed = 2 : i64}, %dense2.weight: tensor<256x10xf32> {dl.init = #dl.normal<mean = 0.000000e+00, std = 1.000000e-02>, dl.param = "dense2.weight", dl.seed = 3 : i64}, %dense2.bias: tensor<10xf32> {dl.init = #dl.zeros, dl.param = "dense2.bias", dl.seed = 4 : i64}, %image: tensor<256x1x28x28xf32> {dl.input = "image"}, %label: tensor<256xi32> {dl.classes = 10 : i64, dl.label = "label"}, %valid_rows: i32 {dl.hyper = "valid_rows"}) -> (tensor<f32>, tensor<i32>) {
    %0 = dl.flatten %image : tensor<256x1x28x28xf32> -> tensor<256x784xf32>
    %1 = dl.dense %0, %dense1.weight, %dense1.bias : tensor<256x784xf32>, tensor<784x256xf32>, tensor<256xf32> -> tensor<256x256xf32>
    %2 = dl.relu %1 : tensor<256x256xf32>
    %3 = dl.dense %2, %dense2.weight, %dense2.bias : tensor<256x256xf32>, tensor<256x10xf32>, tensor<10xf32> -> tensor<256x10xf32>
    %loss_sum, %correct = dl.softmax_ce_eval %3, %label, %valid_rows : tensor<256x10xf32>, tensor<256xi32>
    return %loss_sum, %correct : tensor<f32>, tensor<i32>
  }
}

