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
  func.func @train_step(%arg0: tensor<784x10xf32> {dl.init = #dl.normal<mean = 0.000000e+00, std = 1.000000e-02>, dl.param = "dense1.weight", dl.seed = 1 : i64}, %arg1: tensor<10xf32> {dl.init = #dl.zeros, dl.param = "dense1.bias", dl.seed = 2 : i64}, %arg2: tensor<256x1x28x28xf32> {dl.input = "image"}, %arg3: tensor<256xi32> {dl.classes = 10 : i64, dl.label = "label"}, %arg4: f32 {dl.hyper = "lr"}, %arg5: f32 {dl.hyper = "weight_decay"}, %arg6: f32 {dl.hyper = "momentum"}) -> (tensor<784x10xf32>, tensor<10xf32>, tensor<f32>, tensor<i32>) {
    %0 = dl.flatten %arg2 : tensor<256x1x28x28xf32> -> tensor<256x784xf32>
    %1 = dl.launch @kernels::@k0_dense(%0, %arg0, %arg1) : (tensor<256x784xf32>, tensor<784x10xf32>, tensor<10xf32>) -> tensor<256x10xf32>
    %2:3 = dl.launch @kernels::@k1_softmax_ce_grad(%1, %arg3) : (tensor<256x10xf32>, tensor<256xi32>) -> (tensor<f32>, tensor<i32>, tensor<256x10xf32>)
    %3 = dl.launch @kernels::@k2_dense_grad_weight_sgd_update(%0, %2#2, %arg0, %arg4, %arg5) : (tensor<256x784xf32>, tensor<256x10xf32>, tensor<784x10xf32>, f32, f32) -> tensor<784x10xf32>
    %4 = dl.launch @kernels::@k3_bias_grad_sgd_update(%2#2, %arg1, %arg4, %arg5) : (tensor<256x10xf32>, tensor<10xf32>, f32, f32) -> tensor<10xf32>
    return %3, %4, %2#0, %2#1 : tensor<784x10xf32>, tensor<10xf32>, tensor<f32>, tensor<i32>
  }
  func.func @eval_step(%arg0: tensor<784x10xf32> {dl.init = #dl.normal<mean = 0.000000e+00, std = 1.000000e-02>, dl.param = "dense1.weight", dl.seed = 1 : i64}, %arg1: tensor<10xf32> {dl.init = #dl.zeros, dl.param = "dense1.bias", dl.seed = 2 : i64}, %arg2: tensor<256x1x28x28xf32> {dl.input = "image"}, %arg3: tensor<256xi32> {dl.classes = 10 : i64, dl.label = "label"}, %arg4: i32 {dl.hyper = "valid_rows"}) -> (tensor<f32>, tensor<i32>) {
    %0 = dl.flatten %arg2 : tensor<256x1x28x28xf32> -> tensor<256x784xf32>
    %1 = dl.launch @kernels::@k0_dense(%0, %arg0, %arg1) : (tensor<256x784xf32>, tensor<784x10xf32>, tensor<10xf32>) -> tensor<256x10xf32>
    %2:2 = dl.launch @kernels::@k5_softmax_ce_eval(%1, %arg3, %arg4) : (tensor<256x10xf32>, tensor<256xi32>, i32) -> (tensor<f32>, tensor<i32>)
    return %2#0, %2#1 : tensor<f32>, tensor<i32>
  }
  module @kernels {
    memref.global "private" constant @__constant_xf32 : memref<f32> = dense<1.000000e+00> {alignment = 64 : i64}
    func.func private @k0_dense(%arg0: memref<256x784xf32>, %arg1: memref<784x10xf32>, %arg2: memref<10xf32>, %arg3: memref<256x10xf32>, %arg4: index, %arg5: index) attributes {dl.flops = 4014080 : i64, dl.num_inputs = 3 : i64, dl.num_outputs = 1 : i64, dl.origin = ["dl.dense @ models/softmax_regression.dl:6:10"], dl.result_aliases = array<i64: -1>, dl.result_kinds = ["activation"], dl.scratch = [], dl.step = "train_step", dl.workgroups = 256 : i64} {
      %c256 = arith.constant 256 : index
      %0 = arith.muli %arg4, %c256 : index
      %1 = arith.divui %0, %arg5 : index
      %c1 = arith.constant 1 : index
      %2 = arith.addi %arg4, %c1 : index
      %3 = arith.muli %2, %c256 : index
      %4 = arith.divui %3, %arg5 : index
      %5 = arith.subi %4, %1 : index
      %subview = memref.subview %arg3[%1, 0] [%5, 10] [1, 1] : memref<256x10xf32> to memref<?x10xf32, strided<[10, 1], offset: ?>>
      linalg.generic {indexing_maps = [#map, #map1], iterator_types = ["parallel", "parallel"]} ins(%arg2 : memref<10xf32>) outs(%subview : memref<?x10xf32, strided<[10, 1], offset: ?>>) {
      ^bb0(%in: f32, %out: f32):
        linalg.yield %in : f32
      }
      %subview_0 = memref.subview %arg0[%1, 0] [%5, 784] [1, 1] : memref<256x784xf32> to memref<?x784xf32, strided<[784, 1], offset: ?>>
      %subview_1 = memref.subview %arg3[%1, 0] [%5, 10] [1, 1] : memref<256x10xf32> to memref<?x10xf32, strided<[10, 1], offset: ?>>
      linalg.generic {indexing_maps = [#map2, #map3, #map4], iterator_types = ["parallel", "reduction", "parallel"]} ins(%subview_0, %arg1 : memref<?x784xf32, strided<[784, 1], offset: ?>>, memref<784x10xf32>) outs(%subview_1 : memref<?x10xf32, strided<[10, 1], offset: ?>>) {
      ^bb0(%in: f32, %in_2: f32, %out: f32):
        %6 = arith.mulf %in, %in_2 fastmath<reassoc,contract> : f32
        %7 = arith.addf %out, %6 fastmath<reassoc,contract> : f32
        linalg.yield %7 : f32
      }
      return
    }
    func.func private @k1_softmax_ce_grad(%arg0: memref<256x10xf32>, %arg1: memref<256xi32>, %arg2: memref<f32>, %arg3: memref<i32>, %arg4: memref<256x10xf32>, %arg5: memref<256xf32>, %arg6: memref<256xf32>, %arg7: memref<256xi32>, %arg8: index, %arg9: index) attributes {dl.flops = 20480 : i64, dl.num_inputs = 2 : i64, dl.num_outputs = 3 : i64, dl.origin = ["dl.softmax_ce @ models/softmax_regression.dl:7:8", "dl.softmax_ce_grad @ models/softmax_regression.dl:7:8"], dl.result_aliases = array<i64: -1, -1, -1>, dl.result_kinds = ["gradient", "gradient", "gradient"], dl.scratch = [tensor<256xf32>, tensor<256xf32>, tensor<256xi32>], dl.step = "train_step", dl.workgroups = 1 : i64} {
      %c0_i32 = arith.constant 0 : i32
      %c10_i32 = arith.constant 10 : i32
      %cst = arith.constant 3.906250e-03 : f32
      %cst_0 = arith.constant 0.000000e+00 : f32
      %cst_1 = arith.constant 0xFF800000 : f32
      %0 = memref.get_global @__constant_xf32 : memref<f32>
      linalg.fill ins(%cst_1 : f32) outs(%arg5 : memref<256xf32>)
      linalg.generic {indexing_maps = [#map1, #map5], iterator_types = ["parallel", "reduction"]} ins(%arg0 : memref<256x10xf32>) outs(%arg5 : memref<256xf32>) {
      ^bb0(%in: f32, %out: f32):
        %2 = arith.cmpf ogt, %in, %out : f32
        %3 = arith.cmpf uno, %in, %in : f32
        %4 = arith.ori %2, %3 : i1
        %5 = arith.select %4, %in, %out : f32
        linalg.yield %5 : f32
      }
      linalg.fill ins(%cst_0 : f32) outs(%arg6 : memref<256xf32>)
      linalg.generic {indexing_maps = [#map1, #map5, #map5], iterator_types = ["parallel", "reduction"]} ins(%arg0, %arg5 : memref<256x10xf32>, memref<256xf32>) outs(%arg6 : memref<256xf32>) {
      ^bb0(%in: f32, %in_2: f32, %out: f32):
        %2 = arith.subf %in, %in_2 : f32
        %3 = math.exp %2 : f32
        %4 = arith.addf %out, %3 : f32
        linalg.yield %4 : f32
      }
      linalg.fill ins(%cst_0 : f32) outs(%arg2 : memref<f32>)
      linalg.generic {indexing_maps = [#map6, #map6, #map6, #map7], iterator_types = ["reduction"]} ins(%arg5, %arg6, %arg1 : memref<256xf32>, memref<256xf32>, memref<256xi32>) outs(%arg2 : memref<f32>) {
      ^bb0(%in: f32, %in_2: f32, %in_3: i32, %out: f32):
        %2 = linalg.index 0 : index
        %3 = arith.index_cast %in_3 : i32 to index
        %4 = memref.load %arg0[%2, %3] : memref<256x10xf32>
        %5 = math.log %in_2 : f32
        %6 = arith.addf %in, %5 : f32
        %7 = arith.subf %6, %4 : f32
        %8 = arith.mulf %7, %cst : f32
        %9 = arith.addf %out, %8 : f32
        linalg.yield %9 : f32
      }
      linalg.fill ins(%c10_i32 : i32) outs(%arg7 : memref<256xi32>)
      linalg.generic {indexing_maps = [#map1, #map5, #map5], iterator_types = ["parallel", "reduction"]} ins(%arg0, %arg5 : memref<256x10xf32>, memref<256xf32>) outs(%arg7 : memref<256xi32>) {
      ^bb0(%in: f32, %in_2: f32, %out: i32):
        %2 = linalg.index 1 : index
        %3 = arith.index_cast %2 : index to i32
        %4 = arith.cmpf oeq, %in, %in_2 : f32
        %5 = arith.minsi %out, %3 : i32
        %6 = arith.select %4, %5, %out : i32
        linalg.yield %6 : i32
      }
      linalg.fill ins(%c0_i32 : i32) outs(%arg3 : memref<i32>)
      linalg.generic {indexing_maps = [#map6, #map6, #map7], iterator_types = ["reduction"]} ins(%arg7, %arg1 : memref<256xi32>, memref<256xi32>) outs(%arg3 : memref<i32>) {
      ^bb0(%in: i32, %in_2: i32, %out: i32):
        %2 = arith.cmpi eq, %in, %in_2 : i32
        %3 = arith.extui %2 : i1 to i32
        %4 = arith.addi %out, %3 : i32
        linalg.yield %4 : i32
      }
      %1 = memref.load %0[] : memref<f32>
      linalg.generic {indexing_maps = [#map1, #map5, #map5, #map5, #map1], iterator_types = ["parallel", "parallel"]} ins(%arg0, %arg5, %arg6, %arg1 : memref<256x10xf32>, memref<256xf32>, memref<256xf32>, memref<256xi32>) outs(%arg4 : memref<256x10xf32>) {
      ^bb0(%in: f32, %in_2: f32, %in_3: f32, %in_4: i32, %out: f32):
        %2 = arith.subf %in, %in_2 : f32
        %3 = math.exp %2 : f32
        %4 = arith.divf %3, %in_3 : f32
        %5 = linalg.index 1 : index
        %6 = arith.index_cast %5 : index to i32
        %7 = arith.cmpi eq, %6, %in_4 : i32
        %8 = arith.uitofp %7 : i1 to f32
        %9 = arith.mulf %1, %cst : f32
        %10 = arith.subf %4, %8 : f32
        %11 = arith.mulf %10, %9 : f32
        linalg.yield %11 : f32
      }
      return
    }
    func.func private @k2_dense_grad_weight_sgd_update(%arg0: memref<256x784xf32>, %arg1: memref<256x10xf32>, %arg2: memref<784x10xf32>, %arg3: memref<f32>, %arg4: memref<f32>, %arg5: memref<784x10xf32>, %arg6: index, %arg7: index) attributes {dl.flops = 4045440 : i64, dl.num_inputs = 5 : i64, dl.num_outputs = 0 : i64, dl.origin = ["dl.dense_grad_weight @ models/softmax_regression.dl:6:10", "dl.sgd_update @ models/softmax_regression.dl:6:10"], dl.result_aliases = array<i64: 2>, dl.result_kinds = ["gradient"], dl.scratch = [tensor<784x10xf32>], dl.step = "train_step", dl.workgroups = 784 : i64} {
      %c784 = arith.constant 784 : index
      %0 = arith.muli %arg6, %c784 : index
      %1 = arith.divui %0, %arg7 : index
      %c1 = arith.constant 1 : index
      %2 = arith.addi %arg6, %c1 : index
      %3 = arith.muli %2, %c784 : index
      %4 = arith.divui %3, %arg7 : index
      %5 = arith.subi %4, %1 : index
      %cst = arith.constant 0.000000e+00 : f32
      %subview = memref.subview %arg5[%1, 0] [%5, 10] [1, 1] : memref<784x10xf32> to memref<?x10xf32, strided<[10, 1], offset: ?>>
      linalg.fill ins(%cst : f32) outs(%subview : memref<?x10xf32, strided<[10, 1], offset: ?>>)
      %subview_0 = memref.subview %arg0[0, %1] [256, %5] [1, 1] : memref<256x784xf32> to memref<256x?xf32, strided<[784, 1], offset: ?>>
      %subview_1 = memref.subview %arg5[%1, 0] [%5, 10] [1, 1] : memref<784x10xf32> to memref<?x10xf32, strided<[10, 1], offset: ?>>
      linalg.generic {indexing_maps = [#map8, #map3, #map4], iterator_types = ["parallel", "reduction", "parallel"]} ins(%subview_0, %arg1 : memref<256x?xf32, strided<[784, 1], offset: ?>>, memref<256x10xf32>) outs(%subview_1 : memref<?x10xf32, strided<[10, 1], offset: ?>>) {
      ^bb0(%in: f32, %in_4: f32, %out: f32):
        %8 = arith.mulf %in, %in_4 fastmath<reassoc,contract> : f32
        %9 = arith.addf %out, %8 fastmath<reassoc,contract> : f32
        linalg.yield %9 : f32
      }
      %6 = memref.load %arg3[] : memref<f32>
      %7 = memref.load %arg4[] : memref<f32>
      %subview_2 = memref.subview %arg5[%1, 0] [%5, 10] [1, 1] : memref<784x10xf32> to memref<?x10xf32, strided<[10, 1], offset: ?>>
      %subview_3 = memref.subview %arg2[%1, 0] [%5, 10] [1, 1] : memref<784x10xf32> to memref<?x10xf32, strided<[10, 1], offset: ?>>
      linalg.generic {indexing_maps = [#map1, #map1], iterator_types = ["parallel", "parallel"]} ins(%subview_2 : memref<?x10xf32, strided<[10, 1], offset: ?>>) outs(%subview_3 : memref<?x10xf32, strided<[10, 1], offset: ?>>) {
      ^bb0(%in: f32, %out: f32):
        %8 = arith.mulf %7, %out : f32
        %9 = arith.addf %in, %8 : f32
        %10 = arith.mulf %6, %9 : f32
        %11 = arith.subf %out, %10 : f32
        linalg.yield %11 : f32
      }
      return
    }
    func.func private @k3_bias_grad_sgd_update(%arg0: memref<256x10xf32>, %arg1: memref<10xf32>, %arg2: memref<f32>, %arg3: memref<f32>, %arg4: memref<10xf32>, %arg5: index, %arg6: index) attributes {dl.flops = 50 : i64, dl.num_inputs = 4 : i64, dl.num_outputs = 0 : i64, dl.origin = ["dl.bias_grad @ models/softmax_regression.dl:6:10", "dl.sgd_update @ models/softmax_regression.dl:6:10"], dl.result_aliases = array<i64: 1>, dl.result_kinds = ["gradient"], dl.scratch = [tensor<10xf32>], dl.step = "train_step", dl.workgroups = 10 : i64} {
      %c10 = arith.constant 10 : index
      %0 = arith.muli %arg5, %c10 : index
      %1 = arith.divui %0, %arg6 : index
      %c1 = arith.constant 1 : index
      %2 = arith.addi %arg5, %c1 : index
      %3 = arith.muli %2, %c10 : index
      %4 = arith.divui %3, %arg6 : index
      %5 = arith.subi %4, %1 : index
      %cst = arith.constant 0.000000e+00 : f32
      %subview = memref.subview %arg4[%1] [%5] [1] : memref<10xf32> to memref<?xf32, strided<[1], offset: ?>>
      linalg.fill ins(%cst : f32) outs(%subview : memref<?xf32, strided<[1], offset: ?>>)
      %subview_0 = memref.subview %arg0[0, %1] [256, %5] [1, 1] : memref<256x10xf32> to memref<256x?xf32, strided<[10, 1], offset: ?>>
      %subview_1 = memref.subview %arg4[%1] [%5] [1] : memref<10xf32> to memref<?xf32, strided<[1], offset: ?>>
      linalg.generic {indexing_maps = [#map9, #map5], iterator_types = ["parallel", "reduction"]} ins(%subview_0 : memref<256x?xf32, strided<[10, 1], offset: ?>>) outs(%subview_1 : memref<?xf32, strided<[1], offset: ?>>) {
      ^bb0(%in: f32, %out: f32):
        %8 = arith.addf %out, %in fastmath<reassoc,contract> : f32
        linalg.yield %8 : f32
      }
      %6 = memref.load %arg2[] : memref<f32>
      %7 = memref.load %arg3[] : memref<f32>
      %subview_2 = memref.subview %arg4[%1] [%5] [1] : memref<10xf32> to memref<?xf32, strided<[1], offset: ?>>
      %subview_3 = memref.subview %arg1[%1] [%5] [1] : memref<10xf32> to memref<?xf32, strided<[1], offset: ?>>
      linalg.generic {indexing_maps = [#map6, #map6], iterator_types = ["parallel"]} ins(%subview_2 : memref<?xf32, strided<[1], offset: ?>>) outs(%subview_3 : memref<?xf32, strided<[1], offset: ?>>) {
      ^bb0(%in: f32, %out: f32):
        %8 = arith.mulf %7, %out : f32
        %9 = arith.addf %in, %8 : f32
        %10 = arith.mulf %6, %9 : f32
        %11 = arith.subf %out, %10 : f32
        linalg.yield %11 : f32
      }
      return
    }
    func.func private @k5_softmax_ce_eval(%arg0: memref<256x10xf32>, %arg1: memref<256xi32>, %arg2: memref<i32>, %arg3: memref<f32>, %arg4: memref<i32>, %arg5: memref<256xf32>, %arg6: memref<256xf32>, %arg7: memref<256xi32>, %arg8: index, %arg9: index) attributes {dl.flops = 10240 : i64, dl.num_inputs = 3 : i64, dl.num_outputs = 2 : i64, dl.origin = ["dl.softmax_ce_eval @ models/softmax_regression.dl:7:8"], dl.result_aliases = array<i64: -1, -1>, dl.result_kinds = ["gradient", "gradient"], dl.scratch = [tensor<256xf32>, tensor<256xf32>, tensor<256xi32>], dl.step = "eval_step", dl.workgroups = 1 : i64} {
      %c0_i32 = arith.constant 0 : i32
      %c10_i32 = arith.constant 10 : i32
      %cst = arith.constant 0.000000e+00 : f32
      %cst_0 = arith.constant 0xFF800000 : f32
      linalg.fill ins(%cst_0 : f32) outs(%arg5 : memref<256xf32>)
      linalg.generic {indexing_maps = [#map1, #map5], iterator_types = ["parallel", "reduction"]} ins(%arg0 : memref<256x10xf32>) outs(%arg5 : memref<256xf32>) {
      ^bb0(%in: f32, %out: f32):
        %1 = arith.cmpf ogt, %in, %out : f32
        %2 = arith.cmpf uno, %in, %in : f32
        %3 = arith.ori %1, %2 : i1
        %4 = arith.select %3, %in, %out : f32
        linalg.yield %4 : f32
      }
      linalg.fill ins(%cst : f32) outs(%arg6 : memref<256xf32>)
      linalg.generic {indexing_maps = [#map1, #map5, #map5], iterator_types = ["parallel", "reduction"]} ins(%arg0, %arg5 : memref<256x10xf32>, memref<256xf32>) outs(%arg6 : memref<256xf32>) {
      ^bb0(%in: f32, %in_1: f32, %out: f32):
        %1 = arith.subf %in, %in_1 : f32
        %2 = math.exp %1 : f32
        %3 = arith.addf %out, %2 : f32
        linalg.yield %3 : f32
      }
      %0 = memref.load %arg2[] : memref<i32>
      linalg.fill ins(%cst : f32) outs(%arg3 : memref<f32>)
      linalg.generic {indexing_maps = [#map6, #map6, #map6, #map7], iterator_types = ["reduction"]} ins(%arg5, %arg6, %arg1 : memref<256xf32>, memref<256xf32>, memref<256xi32>) outs(%arg3 : memref<f32>) {
      ^bb0(%in: f32, %in_1: f32, %in_2: i32, %out: f32):
        %1 = linalg.index 0 : index
        %2 = arith.index_cast %in_2 : i32 to index
        %3 = memref.load %arg0[%1, %2] : memref<256x10xf32>
        %4 = math.log %in_1 : f32
        %5 = arith.addf %in, %4 : f32
        %6 = arith.subf %5, %3 : f32
        %7 = arith.index_cast %1 : index to i32
        %8 = arith.cmpi slt, %7, %0 : i32
        %9 = arith.select %8, %6, %cst : f32
        %10 = arith.addf %out, %9 : f32
        linalg.yield %10 : f32
      }
      linalg.fill ins(%c10_i32 : i32) outs(%arg7 : memref<256xi32>)
      linalg.generic {indexing_maps = [#map1, #map5, #map5], iterator_types = ["parallel", "reduction"]} ins(%arg0, %arg5 : memref<256x10xf32>, memref<256xf32>) outs(%arg7 : memref<256xi32>) {
      ^bb0(%in: f32, %in_1: f32, %out: i32):
        %1 = linalg.index 1 : index
        %2 = arith.index_cast %1 : index to i32
        %3 = arith.cmpf oeq, %in, %in_1 : f32
        %4 = arith.minsi %out, %2 : i32
        %5 = arith.select %3, %4, %out : i32
        linalg.yield %5 : i32
      }
      linalg.fill ins(%c0_i32 : i32) outs(%arg4 : memref<i32>)
      linalg.generic {indexing_maps = [#map6, #map6, #map7], iterator_types = ["reduction"]} ins(%arg7, %arg1 : memref<256xi32>, memref<256xi32>) outs(%arg4 : memref<i32>) {
      ^bb0(%in: i32, %in_1: i32, %out: i32):
        %1 = arith.cmpi eq, %in, %in_1 : i32
        %2 = arith.extui %1 : i1 to i32
        %3 = linalg.index 0 : index
        %4 = arith.index_cast %3 : index to i32
        %5 = arith.cmpi slt, %4, %0 : i32
        %6 = arith.select %5, %2, %c0_i32 : i32
        %7 = arith.addi %out, %6 : i32
        linalg.yield %7 : i32
      }
      return
    }
  }
}

