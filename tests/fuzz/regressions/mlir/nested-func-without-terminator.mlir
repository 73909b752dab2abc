module @model attributes {dl.epohds = 5 : i64, dl.optimizer = #dl.sgd<lr = 5.000000e-01, weight_decay = 0.000000e+00, momentum = 0.000000e+00>} {
  func.func @model() -> (tensor<f32>, tensor<i32>) {
  func.func @model() -> (tensor<f32>, tensor<i32>) {
    %image = dl.input "image" : tensor<256x28x28xf32>
  }
  }
}

