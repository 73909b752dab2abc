#map = affine_map<(d0, d1) -> (d1)>
#map1 = affine_map<(d0, d1) -> (d0, d1)>
#map2 = affine_map<(d0, d1, d2) -> (d0, d1)>
#map3 = affine_map<(d0, d1, d2) -> (d1, d2)>
#map4 = affine_map<(d0, d1, d2) -> (d0, d2)>
#map5 = affine_map<(d0, d1) -> (d0)>
#map6 = affine_map<(d0) -> (d0)>
#map7 = affine_map<(d0) -> ()>
#map8 = affine_map<(d0, d1, d2) -> (d1, d0)>
#map9 = affine_map<(d0, d1) -> (d1, d0)>
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
    %1 = dl.launch @kernels::@k0_dense(%0, %dense1.weight, %dense1.bias) : (tensor<256x784xf32>, tensor<784x10xf32>, tensor<10xf32>) -> tensor<256x10xf32>
    %2:2 = dl.launch @kernels::@k5_softmax_ce_eval(%1, %label, %valid_rows) : (tensor<256x10xf32>, tensor<256xi32>, i32) -> (tensor<f32>, tensor<i32>)
    return %2#0, %2#1 : tensor<f32>, tensor<i32>
  }
  module @kernels {
    func.func private @k0_dense(%arg0: tensor<256x784xf32>, %arg1: tensor<784x10xf32>, %arg2: tensor<10xf32>, %arg3: tensor<256x10xf32>) -> tensor<256x10xf32> attributes {dl.flops = 4014080 : i64, dl.num_inputs = 3 : i64, dl.num_outputs = 1 : i64, dl.origin = ["dl.dense @ models/softmax_regression.dl:6:10"], dl.result_aliases = array<i64: -1>, dl.result_kinds = ["activation"], dl.scratch = [], dl.step = "train_step"} {
      %0 = linalg.generic {indexing_maps = [#map, #map1], iterator_types = ["parallel", "parallel"]} ins(%arg2 : tensor<10xf32>) outs(%arg3 : tensor<256x10xf32>) {
      ^bb0(%in: f32, %out: f32):
        linalg.yield %in : f32
      } -> tensor<256x10xf32>
      %1 = linalg.generic {indexing_maps = [#map2, #map3, #map4], iterator_types = ["parallel", "reduction", "parallel"]} ins(%arg0, %arg1 : tensor<256x784xf32>, tensor<784x10xf32>) outs(%0 : tensor<256x10xf32>) {
      ^bb0(%in: f32, %in_0: f32, %out: f32):
        %2 = arith.mulf %in, %in_0 fastmath<reassoc,contract> : f32
        %3 = arith.addf %out, %2 fastmath<reassoc,contract> : f32
        linalg.yield %3 : f32
      } -> tensor<256x10xf32>
      return %1 : tensor<256x10xf32>
    }
    func.func private @k1_softmax_ce_grad(%arg0: tensor<256x10xf32>, %arg1: tensor<256xi32>, %arg2: tensor<f32>, %arg3: tensor<i32>, %arg4: tensor<256x10xf32>, %arg5: tensor<256xf32>, %arg6: tensor<256xf32>, %arg7: tensor<256xi32>) -> (tensor<f32>, tensor<i32>, tensor<256x10xf32>) attributes {dl.flops = 20480 : i64, dl.num_inputs = 2 : i64, dl.num_outputs = 3 : i64, dl.origin = ["dl.softmax_ce @ models/softmax_regression.dl:7:8", "dl.softmax_ce_grad @ models/softmax_regression.dl:7:8"], dl.result_aliases = array<i64: -1, -1, -1>, dl.result_kinds = ["gradient", "gradient", "gradient"], dl.scratch = [tensor<256xf32>, tensor<256xf32>, tensor<256xi32>], dl.step = "train_step"} {
      %cst = arith.constant dense<1.000000e+00> : tensor<f32>
      %cst_0 = arith.constant 0xFF800000 : f32
      %0 = linalg.fill ins(%cst_0 : f32) outs(%arg5 : tensor<256xf32>) -> tensor<256xf32>
      %1 = linalg.generic {indexing_maps = [#map1, #map5], iterator_types = ["parallel", "reduction"]} ins(%arg0 : tensor<256x10xf32>) outs(%0 : tensor<256xf32>) {
      ^bb0(%in: f32, %out: f32):
        %11 = arith.cmpf ogt, %in, %out : f32
        %12 = arith.cmpf uno, %in, %in : f32
        %13 = arith.ori %11, %12 : i1
        %14 = arith.select %13, %in, %out : f32
        linalg.yield %14 : f32
      } -> tensor<256xf32>
      %cst_1 = arith.constant 0.000000e+00 : f32
      %2 = linalg.fill ins(%cst_1 : f32) outs(%arg6 : tensor<256xf32>) -> tensor<256xf32>
      %3 = linalg.generic {indexing_maps = [#map1, #map5, #map5], iterator_types = ["parallel", "reduction"]} ins(%arg0, %1 : tensor<256x10xf32>, tensor<256xf32>) outs(%2 : tensor<256xf32>) {
      ^bb0(%in: f32, %in_3: f32, %out: f32):
        %11 = arith.subf %in, %in_3 : f32
        %12 = math.exp %11 : f32
        %13 = arith.addf %out, %12 : f32
        linalg.yield %13 : f32
      } -> tensor<256xf32>
      %cst_2 = arith.constant 0.000000e+00 : f32
      %4 = linalg.fill ins(%cst_2 : f32) outs(%arg2 : tensor<f32>) -> tensor<f32>
      %5 = linalg.generic {indexing_maps = [#map6, #map6, #map6, #map7], iterator_types = ["reduction"]} ins(%1, %3, %arg1 : tensor<256xf32>, tensor<256xf32>, tensor<256xi32>) outs(%4 : tensor<f32>) {
      ^bb0(%in: f32, %in_3: f32, %in_4: i32, %out: f32):
        %11 = linalg.index 0 : index
        %12 = arith.index_cast %in_4 : i32 to index
        %extracted_5 = tensor.extract %arg0[%11, %12] : tensor<256x10xf32>
        %13 = math.log %in_3 : f32
        %14 = arith.addf %in, %13 : f32
        %cst_6 = arith.constant 3.906250e-03 : f32
        %15 = arith.subf %14, %extracted_5 : f32
        %16 = arith.mulf %15, %cst_6 : f32
        %cst_7 = arith.constant 0.000000e+00 : f32
        %17 = arith.addf %out, %16 : f32
        linalg.yield %17 : f32
      } -> tensor<f32>
      %c10_i32 = arith.constant 10 : i32
      %6 = linalg.fill ins(%c10_i32 : i32) outs(%arg7 : tensor<256xi32>) -> tensor<256xi32>
      %7 = linalg.generic {indexing_maps = [#map1, #map5, #map5], iterator_types = ["parallel", "reduction"]} ins(%arg0, %1 : tensor<256x10xf32>, tensor<256xf32>) outs(%6 : tensor<256xi32>) {
      ^bb0(%in: f32, %in_3: f32, %out: i32):
        %11 = linalg.index 1 : index
        %12 = arith.index_cast %11 : index to i32
        %13 = arith.cmpf oeq, %in, %in_3 : f32
        %14 = arith.minsi %out, %12 : i32
        %15 = arith.select %13, %14, %out : i32
        linalg.yield %15 : i32
      } -> tensor<256xi32>
      %c0_i32 = arith.constant 0 : i32
      %8 = linalg.fill ins(%c0_i32 : i32) outs(%arg3 : tensor<i32>) -> tensor<i32>
      %9 = linalg.generic {indexing_maps = [#map6, #map6, #map7], iterator_types = ["reduction"]} ins(%7, %arg1 : tensor<256xi32>, tensor<256xi32>) outs(%8 : tensor<i32>) {
      ^bb0(%in: i32, %in_3: i32, %out: i32):
        %11 = arith.cmpi eq, %in, %in_3 : i32
        %12 = arith.extui %11 : i1 to i32
        %c0_i32_4 = arith.constant 0 : i32
        %13 = arith.addi %out, %12 : i32
        linalg.yield %13 : i32
      } -> tensor<i32>
      %extracted = tensor.extract %cst[] : tensor<f32>
      %10 = linalg.generic {indexing_maps = [#map1, #map5, #map5, #map5, #map1], iterator_types = ["parallel", "parallel"]} ins(%arg0, %1, %3, %arg1 : tensor<256x10xf32>, tensor<256xf32>, tensor<256xf32>, tensor<256xi32>) outs(%arg4 : tensor<256x10xf32>) {
      ^bb0(%in: f32, %in_3: f32, %in_4: f32, %in_5: i32, %out: f32):
        %11 = arith.subf %in, %in_3 : f32
        %12 = math.exp %11 : f32
        %13 = arith.divf %12, %in_4 : f32
        %14 = linalg.index 1 : index
        %15 = arith.index_cast %14 : index to i32
        %16 = arith.cmpi eq, %15, %in_5 : i32
        %17 = arith.uitofp %16 : i1 to f32
        %cst_6 = arith.constant 3.906250e-03 : f32
        %18 = arith.mulf %extracted, %cst_6 : f32
        %19 = arith.subf %13, %17 : f32
        %20 = arith.mulf %19, %18 : f32
        linalg.yield %20 : f32
      } -> tensor<256x10xf32>
      return %5, %9, %10 : tensor<f32>, tensor<i32>, tensor<256x10xf32>
    }
    func.func private @k2_dense_grad_weight_sgd_update(%arg0: tensor<256x784xf32>, %arg1: tensor<256x10xf32>, %arg2: tensor<784x10xf32>, %arg3: tensor<f32>, %arg4: tensor<f32>, %arg5: tensor<784x10xf32>) -> tensor<784x10xf32> attributes {dl.flops = 4045440 : i64, dl.num_inputs = 5 : i64, dl.num_outputs = 0 : i64, dl.origin = ["dl.dense_grad_weight @ models/softmax_regression.dl:6:10", "dl.sgd_update @ models/softmax_regression.dl:6:10"], dl.result_aliases = array<i64: 2>, dl.result_kinds = ["gradient"], dl.scratch = [tensor<784x10xf32>], dl.step = "train_step"} {
      %cst = arith.constant 0.000000e+00 : f32
      %0 = linalg.fill ins(%cst : f32) outs(%arg5 : tensor<784x10xf32>) -> tensor<784x10xf32>
      %1 = linalg.generic {indexing_maps = [#map8, #map3, #map4], iterator_types = ["parallel", "reduction", "parallel"]} ins(%arg0, %arg1 : tensor<256x784xf32>, tensor<256x10xf32>) outs(%0 : tensor<784x10xf32>) {
      ^bb0(%in: f32, %in_1: f32, %out: f32):
        %3 = arith.mulf %in, %in_1 fastmath<reassoc,contract> : f32
        %4 = arith.addf %out, %3 fastmath<reassoc,contract> : f32
        linalg.yield %4 : f32
      } -> tensor<784x10xf32>
      %extracted = tensor.extract %arg3[] : tensor<f32>
      %extracted_0 = tensor.extract %arg4[] : tensor<f32>
      %2 = linalg.generic {indexing_maps = [#map1, #map1], iterator_types = ["parallel", "parallel"]} ins(%1 : tensor<784x10xf32>) outs(%arg2 : tensor<784x10xf32>) {
      ^bb0(%in: f32, %out: f32):
        %3 = arith.mulf %extracted_0, %out : f32
        %4 = arith.addf %in, %3 : f32
        %5 = arith.mulf %extracted, %4 : f32
        %6 = arith.subf %out, %5 : f32
        linalg.yield %6 : f32
      } -> tensor<784x10xf32>
      return %2 : tensor<784x10xf32>
    }
    func.func private @k3_bias_grad_sgd_update(%arg0: tensor<256x10xf32>, %arg1: tensor<10xf32>, %arg2: tensor<f32>, %arg3: tensor<f32>, %arg4: tensor<10xf32>) -> tensor<10xf32> attributes {dl.flops = 50 : i64, dl.num_inputs = 4 : i64, dl.num_outputs = 0 : i64, dl.origin = ["dl.bias_grad @ models/softmax_regression.dl:6:10", "dl.sgd_update @ models/softmax_regression.dl:6:10"], dl.result_aliases = array<i64: 1>, dl.result_kinds = ["gradient"], dl.scratch = [tensor<10xf32>], dl.step = "train_step"} {
      %cst = arith.constant 0.000000e+00 : f32
      %0 = linalg.fill ins(%cst : f32) outs(%arg4 : tensor<10xf32>) -> tensor<10xf32>
      %1 = linalg.generic {indexing_maps = [#map9, #map5], iterator_types = ["parallel", "reduction"]} ins(%arg0 : tensor<256x10xf32>) outs(%0 : tensor<10xf32>) {
      ^bb0(%in: f32, %out: f32):
        %3 = arith.addf %out, %in fastmath<reassoc,contract> : f32
        linalg.yield %3 : f32
      } -> tensor<10xf32>
      %extracted = tensor.extract %arg2[] : tensor<f32>
      %extracted_0 = tensor.extract %arg3[] : tensor<f32>
      %2 = linalg.generic {indexing_maps = [#map6, #map6], iterator_types = ["parallel"]} ins(%1 : tensor<10xf32>) outs(%arg1 : tensor<10xf32>) {
      ^bb0(%in: f32, %out: f32):
        %3 = arith.mulf %extracted_0, %out : f32
        %4 = arith.addf %in, %3 : f32
        %5 = arith.mulf %extracted, %4 : f32
        %6 = arith.subf %out, %5 : f32
        linalg.yield %6 : f32
      } -> tensor<10xf32>
      return %2 : tensor<10xf32>
    }
    func.func private @k5_softmax_ce_eval(%arg0: tensor<256x10xf32>, %arg1: tensor<256xi32>, %arg2: tensor<i32>, %arg3: tensor<f32>, %arg4: tensor<i32>, %arg5: tensor<256xf32>, %arg6: tensor<256xf32>, %arg7: tensor<256xi32>) -> (tensor<f32>, tensor<i32>) attributes {dl.flops = 10240 : i64, dl.num_inputs = 3 : i64, dl.num_outputs = 2 : i64, dl.origin = ["dl.softmax_ce_eval @ models/softmax_regression.dl:7:8"], dl.result_aliases = array<i64: -1, -1>, dl.result_kinds = ["gradient", "gradient"], dl.scratch = [tensor<256xf32>, tensor<256xf32>, tensor<256xi32>], dl.step = "eval_step"} {
      %cst = arith.constant 0xFF800000 : f32
      %0 = linalg.fill ins(%cst : f32) outs(%arg5 : tensor<256xf32>) -> tensor<256xf32>
      %1 = linalg.generic {indexing_maps = [#map1, #map5], iterator_types = ["parallel", "reduction"]} ins(%arg0 : tensor<256x10xf32>) outs(%0 : tensor<256xf32>) {
      ^bb0(%in: f32, %out: f32):
        %10 = arith.cmpf ogt, %in, %out : f32
        %11 = arith.cmpf uno, %in, %in : f32
        %12 = arith.ori %10, %11 : i1
        %13 = arith.select %12, %in, %out : f32
        linalg.yield %13 : f32
      } -> tensor<256xf32>
      %cst_0 = arith.constant 0.000000e+00 : f32
      %2 = linalg.fill ins(%cst_0 : f32) outs(%arg6 : tensor<256xf32>) -> tensor<256xf32>
      %3 = linalg.generic {indexing_maps = [#map1, #map5, #map5], iterator_types = ["parallel", "reduction"]} ins(%arg0, %1 : tensor<256x10xf32>, tensor<256xf32>) outs(%2 : tensor<256xf32>) {
      ^bb0(%in: f32, %in_2: f32, %out: f32):
        %10 = arith.subf %in, %in_2 : f32
        %11 = math.exp %10 : f32
        %12 = arith.addf %out, %11 : f32
        linalg.yield %12 : f32
      } -> tensor<256xf32>
      %extracted = tensor.extract %arg2[] : tensor<i32>
      %cst_1 = arith.constant 0.000000e+00 : f32
      %4 = linalg.fill ins(%cst_1 : f32) outs(%arg3 : tensor<f32>) -> tensor<f32>
      %5 = linalg.generic {indexing_maps = [#map6, #map6, #map6, #map7], iterator_types = ["reduction"]} ins(%1, %3, %arg1 : tensor<256xf32>, tensor<256xf32>, tensor<256xi32>) outs(%4 : tensor<f32>) {
      ^bb0(%in: f32, %in_2: f32, %in_3: i32, %out: f32):
        %10 = linalg.index 0 : index
        %11 = arith.index_cast %in_3 : i32 to index
        %extracted_4 = tensor.extract %arg0[%10, %11] : tensor<256x10xf32>
        %12 = math.log %in_2 : f32
        %13 = arith.addf %in, %12 : f32
        %cst_5 = arith.constant 1.000000e+00 : f32
        %14 = arith.subf %13, %extracted_4 : f32
        %15 = arith.mulf %14, %cst_5 : f32
        %cst_6 = arith.constant 0.000000e+00 : f32
        %16 = linalg.index 0 : index
        %17 = arith.index_cast %16 : index to i32
        %18 = arith.cmpi slt, %17, %extracted : i32
        %19 = arith.select %18, %15, %cst_6 : f32
        %20 = arith.addf %out, %19 : f32
        linalg.yield %20 : f32
      } -> tensor<f32>
      %c10_i32 = arith.constant 10 : i32
      %6 = linalg.fill ins(%c10_i32 : i32) outs(%arg7 : tensor<256xi32>) -> tensor<256xi32>
      %7 = linalg.generic {indexing_maps = [#map1, #map5, #map5], iterator_types = ["parallel", "reduction"]} ins(%arg0, %1 : tensor<256x10xf32>, tensor<256xf32>) outs(%6 : tensor<256xi32>) {
      ^bb0(%in: f32, %in_2: f32, %out: i32):
        %10 = linalg.index 1 : index
        %11 = arith.index_cast %10 : index to i32
        %12 = arith.cmpf oeq, %in, %in_2 : f32
        %13 = arith.minsi %out, %11 : i32
        %14 = arith.select %12, %13, %out : i32
        linalg.yield %14 : i32
      } -> tensor<256xi32>
      %c0_i32 = arith.constant 0 : i32
      %8 = linalg.fill ins(%c0_i32 : i32) outs(%arg4 : tensor<i32>) -> tensor<i32>
      %9 = linalg.generic {indexing_maps = [#map6, #map6, #map7], iterator_types = ["reduction"]} ins(%7, %arg1 : tensor<256xi32>, tensor<256xi32>) outs(%8 : tensor<i32>) {
      ^bb0(%in: i32, %in_2: i32, %out: i32):
        %10 = arith.cmpi eq, %in, %in_2 : i32
        %11 = arith.extui %10 : i1 to i32
        %c0_i32_3 = arith.constant 0 : i32
        %12 = linalg.index 0 : index
        %13 = arith.index_cast %12 : index to i32
        %14 = arith.cmpi slt, %13, %extracted : i32
        %15 = arith.select %14, %11, %c0_i32_3 : i32
        %16 = arith.addi %out, %15 : i32
        linalg.yield %16 : i32
      } -> tensor<i32>
      return %5, %9 : tensor<f32>, tensor<i32>
    }
  }
}

