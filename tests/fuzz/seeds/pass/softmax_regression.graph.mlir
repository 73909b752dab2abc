module @softmax_regression attributes {dl.epochs = 5 : i64, dl.optimizer = #dl.sgd<lr = 1.000000e-01, weight_decay = 0.000000e+00, momentum = 0.000000e+00>} {
  func.func @model() -> (tensor<f32>, tensor<i32>) {
    %image = dl.input "image" : tensor<256x1x28x28xf32>
    %label = dl.label "label" classes 10 : tensor<256xi32>
    %0 = dl.flatten %image : tensor<256x1x28x28xf32> -> tensor<256x784xf32>
    %dense1.weight = dl.param "dense1.weight" init(#dl.normal<mean = 0.000000e+00, std = 1.000000e-02>) {seed = 1 : i64} : tensor<784x10xf32>
    %dense1.bias = dl.param "dense1.bias" init(#dl.zeros) {seed = 2 : i64} : tensor<10xf32>
    %1 = dl.dense %0, %dense1.weight, %dense1.bias : tensor<256x784xf32>, tensor<784x10xf32>, tensor<10xf32> -> tensor<256x10xf32>
    %loss, %correct = dl.softmax_ce %1, %label : tensor<256x10xf32>, tensor<256xi32>
    return %loss, %correct : tensor<f32>, tensor<i32>
  }
}

