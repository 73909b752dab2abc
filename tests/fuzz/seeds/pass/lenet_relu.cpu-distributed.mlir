#map = affine_map<(d0, d1, d2, d3) -> (d1)>
#map1 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#map2 = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d2, d3 + d5, d4 + d6)>
#map3 = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d1, d2, d3, d4)>
#map4 = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d5, d6)>
#map5 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2 * 2, d3 * 2)>
#map6 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2 * 2, d3 * 2 + 1)>
#map7 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2 * 2 + 1, d3 * 2)>
#map8 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2 * 2 + 1, d3 * 2 + 1)>
#map9 = affine_map<(d0, d1, d2, d3) -> (d3, d0, d1, d2)>
#map10 = affine_map<(d0, d1, d2, d3) -> (d3)>
#map11 = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d4, d1 + d5, d2 + d6)>
#map12 = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d4, d5, d6, d3)>
#map13 = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d2, d3)>
#map14 = affine_map<(d0, d1, d2, d3) -> (d0, d2, d3, d1)>
#map15 = affine_map<(d0, d1) -> (d1)>
#map16 = affine_map<(d0, d1) -> (d0, d1)>
#map17 = affine_map<(d0, d1, d2) -> (d0, d1)>
#map18 = affine_map<(d0, d1, d2) -> (d1, d2)>
#map19 = affine_map<(d0, d1, d2) -> (d0, d2)>
#map20 = affine_map<(d0, d1) -> (d0)>
#map21 = affine_map<(d0) -> (d0)>
#map22 = affine_map<(d0) -> ()>
#map23 = affine_map<(d0, d1, d2) -> (d1, d0)>
#map24 = affine_map<(d0, d1) -> (d1, d0)>
#map25 = affine_map<(d0, d1, d2) -> (d2, d1)>
#map26 = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3)>
#map27 = affine_map<(d0, d1, d2, d3, d4, d5) -> (d4, d5)>
#map28 = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2 * 2, d3 * 2)>
#map29 = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2 * 2, d3 * 2 + 1)>
#map30 = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2 * 2 + 1, d3 * 2)>
#map31 = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2 * 2 + 1, d3 * 2 + 1)>
#map32 = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2 * 2 + d4, d3 * 2 + d5)>
#map33 = affine_map<(d0, d1, d2, d3, d4) -> (d0, d4, d1, d2, d3)>
#map34 = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3, d4)>
#map35 = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d7, d1 - d5 + 4, d3 - d6 + 4, d4)>
#map36 = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d7, d2, d5, d6)>
#map37 = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1, d2, d3, d4)>
#map38 = affine_map<(d0, d1, d2, d3, d4) -> (d0, d3, d2, d4, d1)>
#map39 = affine_map<(d0, d1, d2, d3) -> (d0, d3, d1, d2)>
#map40 = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d4, d0, d1 + d5, d2 + d6)>
#map41 = affine_map<(d0, d1, d2, d3) -> (d1, d2, d3, d0)>
#map42 = affine_map<(d0, d1, d2, d3) -> (d1, d0, d2, d3)>
#map43 = affine_map<(d0, d1, d2, d3) -> (d0)>
#map44 = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d4, d0, d5, d6)>
#map45 = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d4, d1, d2 + d5, d3 + d6)>
module @lenet_relu attributes {dl.epochs = 10 : i64, dl.optimizer = #dl.sgd<lr = 1.000000e-01, weight_decay = 0.000000e+00, momentum = 0.000000e+00>} {
  func.func @train_step(%arg0: tensor<6x1x5x5xf32> {dl.init = #dl.glorot_uniform, dl.param = "conv2d1.weight", dl.seed = 1 : i64}, %arg1: tensor<6xf32> {dl.init = #dl.zeros, dl.param = "conv2d1.bias", dl.seed = 2 : i64}, %arg2: tensor<16x6x5x5xf32> {dl.init = #dl.glorot_uniform, dl.param = "conv2d2.weight", dl.seed = 3 : i64}, %arg3: tensor<16xf32> {dl.init = #dl.zeros, dl.param = "conv2d2.bias", dl.seed = 4 : i64}, %arg4: tensor<400x120xf32> {dl.init = #dl.glorot_uniform, dl.param = "dense1.weight", dl.seed = 5 : i64}, %arg5: tensor<120xf32> {dl.init = #dl.zeros, dl.param = "dense1.bias", dl.seed = 6 : i64}, %arg6: tensor<120x84xf32> {dl.init = #dl.glorot_uniform, dl.param = "dense2.weight", dl.seed = 7 : i64}, %arg7: tensor<84xf32> {dl.init = #dl.zeros, dl.param = "dense2.bias", dl.seed = 8 : i64}, %arg8: tensor<84x10xf32> {dl.init = #dl.glorot_uniform, dl.param = "dense3.weight", dl.seed = 9 : i64}, %arg9: tensor<10xf32> {dl.init = #dl.zeros, dl.param = "dense3.bias", dl.seed = 10 : i64}, %arg10: tensor<256x1x28x28xf32> {dl.input = "image"}, %arg11: tensor<256xi32> {dl.classes = 10 : i64, dl.label = "label"}, %arg12: f32 {dl.hyper = "lr"}, %arg13: f32 {dl.hyper = "weight_decay"}, %arg14: f32 {dl.hyper = "momentum"}) -> (tensor<6x1x5x5xf32>, tensor<6xf32>, tensor<16x6x5x5xf32>, tensor<16xf32>, tensor<400x120xf32>, tensor<120xf32>, tensor<120x84xf32>, tensor<84xf32>, tensor<84x10xf32>, tensor<10xf32>, tensor<f32>, tensor<i32>) {
    %0 = dl.launch @kernels::@k0_conv2d_relu(%arg10, %arg0, %arg1) : (tensor<256x1x28x28xf32>, tensor<6x1x5x5xf32>, tensor<6xf32>) -> tensor<256x6x28x28xf32>
    %1 = dl.launch @kernels::@k1_max_pool2d(%0) : (tensor<256x6x28x28xf32>) -> tensor<256x6x14x14xf32>
    %2 = dl.launch @kernels::@k2_conv2d_relu(%1, %arg2, %arg3) : (tensor<256x6x14x14xf32>, tensor<16x6x5x5xf32>, tensor<16xf32>) -> tensor<256x16x10x10xf32>
    %3 = dl.launch @kernels::@k3_max_pool2d(%2) : (tensor<256x16x10x10xf32>) -> tensor<256x16x5x5xf32>
    %4 = dl.flatten %3 : tensor<256x16x5x5xf32> -> tensor<256x400xf32>
    %5 = dl.launch @kernels::@k4_dense_relu(%4, %arg4, %arg5) : (tensor<256x400xf32>, tensor<400x120xf32>, tensor<120xf32>) -> tensor<256x120xf32>
    %6 = dl.launch @kernels::@k5_dense_relu(%5, %arg6, %arg7) : (tensor<256x120xf32>, tensor<120x84xf32>, tensor<84xf32>) -> tensor<256x84xf32>
    %7 = dl.launch @kernels::@k6_dense(%6, %arg8, %arg9) : (tensor<256x84xf32>, tensor<84x10xf32>, tensor<10xf32>) -> tensor<256x10xf32>
    %8:3 = dl.launch @kernels::@k7_softmax_ce_grad(%7, %arg11) : (tensor<256x10xf32>, tensor<256xi32>) -> (tensor<f32>, tensor<i32>, tensor<256x10xf32>)
    %9 = dl.launch @kernels::@k8_dense_grad_input_relu_grad(%8#2, %arg8, %6) : (tensor<256x10xf32>, tensor<84x10xf32>, tensor<256x84xf32>) -> tensor<256x84xf32>
    %10 = dl.launch @kernels::@k11_dense_grad_input_relu_grad(%9, %arg6, %5) : (tensor<256x84xf32>, tensor<120x84xf32>, tensor<256x120xf32>) -> tensor<256x120xf32>
    %11 = dl.launch @kernels::@k14_dense_grad_input(%10, %arg4) : (tensor<256x120xf32>, tensor<400x120xf32>) -> tensor<256x400xf32>
    %12 = dl.reshape %11 : tensor<256x400xf32> -> tensor<256x16x5x5xf32>
    %13 = dl.launch @kernels::@k17_max_pool2d_grad_relu_grad(%12, %2) : (tensor<256x16x5x5xf32>, tensor<256x16x10x10xf32>) -> tensor<256x16x10x10xf32>
    %14 = dl.launch @kernels::@k18_conv2d_grad_input(%13, %arg2) : (tensor<256x16x10x10xf32>, tensor<16x6x5x5xf32>) -> tensor<256x6x14x14xf32>
    %15 = dl.launch @kernels::@k21_max_pool2d_grad_relu_grad(%14, %0) : (tensor<256x6x14x14xf32>, tensor<256x6x28x28xf32>) -> tensor<256x6x28x28xf32>
    %16 = dl.launch @kernels::@k22_conv2d_grad_filter_sgd_update(%arg10, %15, %arg0, %arg12, %arg13) : (tensor<256x1x28x28xf32>, tensor<256x6x28x28xf32>, tensor<6x1x5x5xf32>, f32, f32) -> tensor<6x1x5x5xf32>
    %17 = dl.launch @kernels::@k23_bias_grad_sgd_update(%15, %arg1, %arg12, %arg13) : (tensor<256x6x28x28xf32>, tensor<6xf32>, f32, f32) -> tensor<6xf32>
    %18 = dl.launch @kernels::@k19_conv2d_grad_filter_sgd_update(%1, %13, %arg2, %arg12, %arg13) : (tensor<256x6x14x14xf32>, tensor<256x16x10x10xf32>, tensor<16x6x5x5xf32>, f32, f32) -> tensor<16x6x5x5xf32>
    %19 = dl.launch @kernels::@k20_bias_grad_sgd_update(%13, %arg3, %arg12, %arg13) : (tensor<256x16x10x10xf32>, tensor<16xf32>, f32, f32) -> tensor<16xf32>
    %20 = dl.launch @kernels::@k15_dense_grad_weight_sgd_update(%4, %10, %arg4, %arg12, %arg13) : (tensor<256x400xf32>, tensor<256x120xf32>, tensor<400x120xf32>, f32, f32) -> tensor<400x120xf32>
    %21 = dl.launch @kernels::@k16_bias_grad_sgd_update(%10, %arg5, %arg12, %arg13) : (tensor<256x120xf32>, tensor<120xf32>, f32, f32) -> tensor<120xf32>
    %22 = dl.launch @kernels::@k12_dense_grad_weight_sgd_update(%5, %9, %arg6, %arg12, %arg13) : (tensor<256x120xf32>, tensor<256x84xf32>, tensor<120x84xf32>, f32, f32) -> tensor<120x84xf32>
    %23 = dl.launch @kernels::@k13_bias_grad_sgd_update(%9, %arg7, %arg12, %arg13) : (tensor<256x84xf32>, tensor<84xf32>, f32, f32) -> tensor<84xf32>
    %24 = dl.launch @kernels::@k9_dense_grad_weight_sgd_update(%6, %8#2, %arg8, %arg12, %arg13) : (tensor<256x84xf32>, tensor<256x10xf32>, tensor<84x10xf32>, f32, f32) -> tensor<84x10xf32>
    %25 = dl.launch @kernels::@k10_bias_grad_sgd_update(%8#2, %arg9, %arg12, %arg13) : (tensor<256x10xf32>, tensor<10xf32>, f32, f32) -> tensor<10xf32>
    return %16, %17, %18, %19, %20, %21, %22, %23, %24, %25, %8#0, %8#1 : tensor<6x1x5x5xf32>, tensor<6xf32>, tensor<16x6x5x5xf32>, tensor<16xf32>, tensor<400x120xf32>, tensor<120xf32>, tensor<120x84xf32>, tensor<84xf32>, tensor<84x10xf32>, tensor<10xf32>, tensor<f32>, tensor<i32>
  }
  func.func @eval_step(%arg0: tensor<6x1x5x5xf32> {dl.init = #dl.glorot_uniform, dl.param = "conv2d1.weight", dl.seed = 1 : i64}, %arg1: tensor<6xf32> {dl.init = #dl.zeros, dl.param = "conv2d1.bias", dl.seed = 2 : i64}, %arg2: tensor<16x6x5x5xf32> {dl.init = #dl.glorot_uniform, dl.param = "conv2d2.weight", dl.seed = 3 : i64}, %arg3: tensor<16xf32> {dl.init = #dl.zeros, dl.param = "conv2d2.bias", dl.seed = 4 : i64}, %arg4: tensor<400x120xf32> {dl.init = #dl.glorot_uniform, dl.param = "dense1.weight", dl.seed = 5 : i64}, %arg5: tensor<120xf32> {dl.init = #dl.zeros, dl.param = "dense1.bias", dl.seed = 6 : i64}, %arg6: tensor<120x84xf32> {dl.init = #dl.glorot_uniform, dl.param = "dense2.weight", dl.seed = 7 : i64}, %arg7: tensor<84xf32> {dl.init = #dl.zeros, dl.param = "dense2.bias", dl.seed = 8 : i64}, %arg8: tensor<84x10xf32> {dl.init = #dl.glorot_uniform, dl.param = "dense3.weight", dl.seed = 9 : i64}, %arg9: tensor<10xf32> {dl.init = #dl.zeros, dl.param = "dense3.bias", dl.seed = 10 : i64}, %arg10: tensor<256x1x28x28xf32> {dl.input = "image"}, %arg11: tensor<256xi32> {dl.classes = 10 : i64, dl.label = "label"}, %arg12: i32 {dl.hyper = "valid_rows"}) -> (tensor<f32>, tensor<i32>) {
    %0 = dl.launch @kernels::@k0_conv2d_relu(%arg10, %arg0, %arg1) : (tensor<256x1x28x28xf32>, tensor<6x1x5x5xf32>, tensor<6xf32>) -> tensor<256x6x28x28xf32>
    %1 = dl.launch @kernels::@k1_max_pool2d(%0) : (tensor<256x6x28x28xf32>) -> tensor<256x6x14x14xf32>
    %2 = dl.launch @kernels::@k2_conv2d_relu(%1, %arg2, %arg3) : (tensor<256x6x14x14xf32>, tensor<16x6x5x5xf32>, tensor<16xf32>) -> tensor<256x16x10x10xf32>
    %3 = dl.launch @kernels::@k3_max_pool2d(%2) : (tensor<256x16x10x10xf32>) -> tensor<256x16x5x5xf32>
    %4 = dl.flatten %3 : tensor<256x16x5x5xf32> -> tensor<256x400xf32>
    %5 = dl.launch @kernels::@k4_dense_relu(%4, %arg4, %arg5) : (tensor<256x400xf32>, tensor<400x120xf32>, tensor<120xf32>) -> tensor<256x120xf32>
    %6 = dl.launch @kernels::@k5_dense_relu(%5, %arg6, %arg7) : (tensor<256x120xf32>, tensor<120x84xf32>, tensor<84xf32>) -> tensor<256x84xf32>
    %7 = dl.launch @kernels::@k6_dense(%6, %arg8, %arg9) : (tensor<256x84xf32>, tensor<84x10xf32>, tensor<10xf32>) -> tensor<256x10xf32>
    %8:2 = dl.launch @kernels::@k31_softmax_ce_eval(%7, %arg11, %arg12) : (tensor<256x10xf32>, tensor<256xi32>, i32) -> (tensor<f32>, tensor<i32>)
    return %8#0, %8#1 : tensor<f32>, tensor<i32>
  }
  module @kernels {
    memref.global "private" constant @__constant_2x2xf32 : memref<2x2xf32> = dense<0.000000e+00> {alignment = 64 : i64}
    memref.global "private" constant @__constant_xf32 : memref<f32> = dense<1.000000e+00> {alignment = 64 : i64}
    func.func private @k0_conv2d_relu(%arg0: memref<256x1x28x28xf32>, %arg1: memref<6x1x5x5xf32>, %arg2: memref<6xf32>, %arg3: memref<256x6x28x28xf32>, %arg4: memref<256x1x32x32xf32>, %arg5: index, %arg6: index) attributes {dl.flops = 61415424 : i64, dl.num_inputs = 3 : i64, dl.num_outputs = 1 : i64, dl.origin = ["dl.conv2d @ models/lenet_relu.dl:5:11", "dl.relu @ models/lenet_relu.dl:5:6"], dl.result_aliases = array<i64: -1>, dl.result_kinds = ["activation"], dl.scratch = [tensor<256x1x32x32xf32>], dl.step = "train_step", dl.workgroups = 256 : i64} {
      %c256 = arith.constant 256 : index
      %0 = arith.muli %arg5, %c256 : index
      %1 = arith.divui %0, %arg6 : index
      %c1 = arith.constant 1 : index
      %2 = arith.addi %arg5, %c1 : index
      %3 = arith.muli %2, %c256 : index
      %4 = arith.divui %3, %arg6 : index
      %5 = arith.subi %4, %1 : index
      %cst = arith.constant 0.000000e+00 : f32
      %subview = memref.subview %arg3[%1, 0, 0, 0] [%5, 6, 28, 28] [1, 1, 1, 1] : memref<256x6x28x28xf32> to memref<?x6x28x28xf32, strided<[4704, 784, 28, 1], offset: ?>>
      linalg.generic {indexing_maps = [#map, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%arg2 : memref<6xf32>) outs(%subview : memref<?x6x28x28xf32, strided<[4704, 784, 28, 1], offset: ?>>) {
      ^bb0(%in: f32, %out: f32):
        linalg.yield %in : f32
      }
      %subview_0 = memref.subview %arg4[%1, 0, 0, 0] [%5, 1, 32, 32] [1, 1, 1, 1] : memref<256x1x32x32xf32> to memref<?x1x32x32xf32, strided<[1024, 1024, 32, 1], offset: ?>>
      linalg.fill ins(%cst : f32) outs(%subview_0 : memref<?x1x32x32xf32, strided<[1024, 1024, 32, 1], offset: ?>>)
      %subview_1 = memref.subview %arg4[0, 0, 2, 2] [256, 1, 28, 28] [1, 1, 1, 1] : memref<256x1x32x32xf32> to memref<256x1x28x28xf32, strided<[1024, 1024, 32, 1], offset: 66>>
      %subview_2 = memref.subview %arg0[%1, 0, 0, 0] [%5, 1, 28, 28] [1, 1, 1, 1] : memref<256x1x28x28xf32> to memref<?x1x28x28xf32, strided<[784, 784, 28, 1], offset: ?>>
      %subview_3 = memref.subview %subview_1[%1, 0, 0, 0] [%5, 1, 28, 28] [1, 1, 1, 1] : memref<256x1x28x28xf32, strided<[1024, 1024, 32, 1], offset: 66>> to memref<?x1x28x28xf32, strided<[1024, 1024, 32, 1], offset: ?>>
      linalg.generic {indexing_maps = [#map1, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%subview_2 : memref<?x1x28x28xf32, strided<[784, 784, 28, 1], offset: ?>>) outs(%subview_3 : memref<?x1x28x28xf32, strided<[1024, 1024, 32, 1], offset: ?>>) {
      ^bb0(%in: f32, %out: f32):
        linalg.yield %in : f32
      }
      %subview_4 = memref.subview %arg4[%1, 0, 0, 0] [%5, 1, 32, 32] [1, 1, 1, 1] : memref<256x1x32x32xf32> to memref<?x1x32x32xf32, strided<[1024, 1024, 32, 1], offset: ?>>
      %subview_5 = memref.subview %arg3[%1, 0, 0, 0] [%5, 6, 28, 28] [1, 1, 1, 1] : memref<256x6x28x28xf32> to memref<?x6x28x28xf32, strided<[4704, 784, 28, 1], offset: ?>>
      linalg.generic {indexing_maps = [#map2, #map3, #map4], iterator_types = ["parallel", "parallel", "reduction", "reduction", "reduction", "parallel", "parallel"]} ins(%subview_4, %arg1 : memref<?x1x32x32xf32, strided<[1024, 1024, 32, 1], offset: ?>>, memref<6x1x5x5xf32>) outs(%subview_5 : memref<?x6x28x28xf32, strided<[4704, 784, 28, 1], offset: ?>>) attrs =  {dl.zero_padding = array<i64: 0, 2>} {
      ^bb0(%in: f32, %in_7: f32, %out: f32):
        %6 = arith.mulf %in, %in_7 fastmath<reassoc,contract> : f32
        %7 = arith.addf %out, %6 fastmath<reassoc,contract> : f32
        linalg.yield %7 : f32
      }
      %subview_6 = memref.subview %arg3[%1, 0, 0, 0] [%5, 6, 28, 28] [1, 1, 1, 1] : memref<256x6x28x28xf32> to memref<?x6x28x28xf32, strided<[4704, 784, 28, 1], offset: ?>>
      linalg.generic {indexing_maps = [#map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} outs(%subview_6 : memref<?x6x28x28xf32, strided<[4704, 784, 28, 1], offset: ?>>) {
      ^bb0(%out: f32):
        %6 = arith.cmpf ogt, %out, %cst : f32
        %7 = arith.cmpf uno, %out, %out : f32
        %8 = arith.ori %6, %7 : i1
        %9 = arith.select %8, %out, %cst : f32
        linalg.yield %9 : f32
      }
      return
    }
    func.func private @k1_max_pool2d(%arg0: memref<256x6x28x28xf32>, %arg1: memref<256x6x14x14xf32>, %arg2: index, %arg3: index) attributes {dl.flops = 1204224 : i64, dl.num_inputs = 1 : i64, dl.num_outputs = 1 : i64, dl.origin = ["dl.max_pool2d @ models/lenet_relu.dl:6:6"], dl.result_aliases = array<i64: -1>, dl.result_kinds = ["activation"], dl.scratch = [], dl.step = "train_step", dl.workgroups = 256 : i64} {
      %c256 = arith.constant 256 : index
      %0 = arith.muli %arg2, %c256 : index
      %1 = arith.divui %0, %arg3 : index
      %c1 = arith.constant 1 : index
      %2 = arith.addi %arg2, %c1 : index
      %3 = arith.muli %2, %c256 : index
      %4 = arith.divui %3, %arg3 : index
      %5 = arith.subi %4, %1 : index
      %cst = arith.constant 0xFF800000 : f32
      %subview = memref.subview %arg0[%1, 0, 0, 0] [%5, 6, 28, 28] [1, 1, 1, 1] : memref<256x6x28x28xf32> to memref<?x6x28x28xf32, strided<[4704, 784, 28, 1], offset: ?>>
      %subview_0 = memref.subview %arg0[%1, 0, 0, 0] [%5, 6, 28, 28] [1, 1, 1, 1] : memref<256x6x28x28xf32> to memref<?x6x28x28xf32, strided<[4704, 784, 28, 1], offset: ?>>
      %subview_1 = memref.subview %arg0[%1, 0, 0, 0] [%5, 6, 28, 28] [1, 1, 1, 1] : memref<256x6x28x28xf32> to memref<?x6x28x28xf32, strided<[4704, 784, 28, 1], offset: ?>>
      %subview_2 = memref.subview %arg0[%1, 0, 0, 0] [%5, 6, 28, 28] [1, 1, 1, 1] : memref<256x6x28x28xf32> to memref<?x6x28x28xf32, strided<[4704, 784, 28, 1], offset: ?>>
      %subview_3 = memref.subview %arg1[%1, 0, 0, 0] [%5, 6, 14, 14] [1, 1, 1, 1] : memref<256x6x14x14xf32> to memref<?x6x14x14xf32, strided<[1176, 196, 14, 1], offset: ?>>
      linalg.generic {indexing_maps = [#map5, #map6, #map7, #map8, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%subview, %subview_0, %subview_1, %subview_2 : memref<?x6x28x28xf32, strided<[4704, 784, 28, 1], offset: ?>>, memref<?x6x28x28xf32, strided<[4704, 784, 28, 1], offset: ?>>, memref<?x6x28x28xf32, strided<[4704, 784, 28, 1], offset: ?>>, memref<?x6x28x28xf32, strided<[4704, 784, 28, 1], offset: ?>>) outs(%subview_3 : memref<?x6x14x14xf32, strided<[1176, 196, 14, 1], offset: ?>>) {
      ^bb0(%in: f32, %in_4: f32, %in_5: f32, %in_6: f32, %out: f32):
        %6 = arith.cmpf ogt, %in, %cst : f32
        %7 = arith.cmpf uno, %in, %in : f32
        %8 = arith.ori %6, %7 : i1
        %9 = arith.select %8, %in, %cst : f32
        %10 = arith.cmpf ogt, %in_4, %9 : f32
        %11 = arith.cmpf uno, %in_4, %in_4 : f32
        %12 = arith.ori %10, %11 : i1
        %13 = arith.select %12, %in_4, %9 : f32
        %14 = arith.cmpf ogt, %in_5, %13 : f32
        %15 = arith.cmpf uno, %in_5, %in_5 : f32
        %16 = arith.ori %14, %15 : i1
        %17 = arith.select %16, %in_5, %13 : f32
        %18 = arith.cmpf ogt, %in_6, %17 : f32
        %19 = arith.cmpf uno, %in_6, %in_6 : f32
        %20 = arith.ori %18, %19 : i1
        %21 = arith.select %20, %in_6, %17 : f32
        linalg.yield %21 : f32
      }
      return
    }
    func.func private @k2_conv2d_relu(%arg0: memref<256x6x14x14xf32>, %arg1: memref<16x6x5x5xf32>, %arg2: memref<16xf32>, %arg3: memref<256x16x10x10xf32>, %arg4: memref<6x5x5x16xf32>, %arg5: memref<256x10x10x16xf32>, %arg6: index, %arg7: index) attributes {dl.flops = 123289600 : i64, dl.num_inputs = 3 : i64, dl.num_outputs = 1 : i64, dl.origin = ["dl.conv2d @ models/lenet_relu.dl:7:11", "dl.relu @ models/lenet_relu.dl:7:6"], dl.result_aliases = array<i64: -1>, dl.result_kinds = ["activation"], dl.scratch = [tensor<6x5x5x16xf32>, tensor<256x10x10x16xf32>], dl.step = "train_step", dl.workgroups = 6 : i64} {
      %c6 = arith.constant 6 : index
      %0 = arith.muli %arg6, %c6 : index
      %1 = arith.divui %0, %arg7 : index
      %c1 = arith.constant 1 : index
      %2 = arith.addi %arg6, %c1 : index
      %3 = arith.muli %2, %c6 : index
      %4 = arith.divui %3, %arg7 : index
      %5 = arith.subi %4, %1 : index
      %subview = memref.subview %arg1[0, %1, 0, 0] [16, %5, 5, 5] [1, 1, 1, 1] : memref<16x6x5x5xf32> to memref<16x?x5x5xf32, strided<[150, 25, 5, 1], offset: ?>>
      %subview_0 = memref.subview %arg4[%1, 0, 0, 0] [%5, 5, 5, 16] [1, 1, 1, 1] : memref<6x5x5x16xf32> to memref<?x5x5x16xf32, strided<[400, 80, 16, 1], offset: ?>>
      linalg.generic {indexing_maps = [#map9, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%subview : memref<16x?x5x5xf32, strided<[150, 25, 5, 1], offset: ?>>) outs(%subview_0 : memref<?x5x5x16xf32, strided<[400, 80, 16, 1], offset: ?>>) {
      ^bb0(%in: f32, %out: f32):
        linalg.yield %in : f32
      }
      return
    }
    func.func private @k2_conv2d_relu_p1(%arg0: memref<256x6x14x14xf32>, %arg1: memref<16x6x5x5xf32>, %arg2: memref<16xf32>, %arg3: memref<256x16x10x10xf32>, %arg4: memref<6x5x5x16xf32>, %arg5: memref<256x10x10x16xf32>, %arg6: index, %arg7: index) attributes {dl.num_inputs = 3 : i64, dl.num_outputs = 1 : i64, dl.origin = ["dl.conv2d @ models/lenet_relu.dl:7:11", "dl.relu @ models/lenet_relu.dl:7:6"], dl.phase_of = "k2_conv2d_relu", dl.result_aliases = array<i64: -1>, dl.result_kinds = ["activation"], dl.scratch = [tensor<6x5x5x16xf32>, tensor<256x10x10x16xf32>], dl.step = "train_step", dl.workgroups = 256 : i64} {
      %c256 = arith.constant 256 : index
      %0 = arith.muli %arg6, %c256 : index
      %1 = arith.divui %0, %arg7 : index
      %c1 = arith.constant 1 : index
      %2 = arith.addi %arg6, %c1 : index
      %3 = arith.muli %2, %c256 : index
      %4 = arith.divui %3, %arg7 : index
      %5 = arith.subi %4, %1 : index
      %cst = arith.constant 0.000000e+00 : f32
      %subview = memref.subview %arg5[%1, 0, 0, 0] [%5, 10, 10, 16] [1, 1, 1, 1] : memref<256x10x10x16xf32> to memref<?x10x10x16xf32, strided<[1600, 160, 16, 1], offset: ?>>
      linalg.generic {indexing_maps = [#map10, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%arg2 : memref<16xf32>) outs(%subview : memref<?x10x10x16xf32, strided<[1600, 160, 16, 1], offset: ?>>) {
      ^bb0(%in: f32, %out: f32):
        linalg.yield %in : f32
      }
      %subview_0 = memref.subview %arg0[%1, 0, 0, 0] [%5, 6, 14, 14] [1, 1, 1, 1] : memref<256x6x14x14xf32> to memref<?x6x14x14xf32, strided<[1176, 196, 14, 1], offset: ?>>
      %subview_1 = memref.subview %arg5[%1, 0, 0, 0] [%5, 10, 10, 16] [1, 1, 1, 1] : memref<256x10x10x16xf32> to memref<?x10x10x16xf32, strided<[1600, 160, 16, 1], offset: ?>>
      linalg.generic {indexing_maps = [#map11, #map12, #map13], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]} ins(%subview_0, %arg4 : memref<?x6x14x14xf32, strided<[1176, 196, 14, 1], offset: ?>>, memref<6x5x5x16xf32>) outs(%subview_1 : memref<?x10x10x16xf32, strided<[1600, 160, 16, 1], offset: ?>>) {
      ^bb0(%in: f32, %in_5: f32, %out: f32):
        %6 = arith.mulf %in, %in_5 fastmath<reassoc,contract> : f32
        %7 = arith.addf %out, %6 fastmath<reassoc,contract> : f32
        linalg.yield %7 : f32
      }
      %subview_2 = memref.subview %arg5[%1, 0, 0, 0] [%5, 10, 10, 16] [1, 1, 1, 1] : memref<256x10x10x16xf32> to memref<?x10x10x16xf32, strided<[1600, 160, 16, 1], offset: ?>>
      linalg.generic {indexing_maps = [#map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} outs(%subview_2 : memref<?x10x10x16xf32, strided<[1600, 160, 16, 1], offset: ?>>) {
      ^bb0(%out: f32):
        %6 = arith.cmpf ogt, %out, %cst : f32
        %7 = arith.cmpf uno, %out, %out : f32
        %8 = arith.ori %6, %7 : i1
        %9 = arith.select %8, %out, %cst : f32
        linalg.yield %9 : f32
      }
      %subview_3 = memref.subview %arg5[%1, 0, 0, 0] [%5, 10, 10, 16] [1, 1, 1, 1] : memref<256x10x10x16xf32> to memref<?x10x10x16xf32, strided<[1600, 160, 16, 1], offset: ?>>
      %subview_4 = memref.subview %arg3[%1, 0, 0, 0] [%5, 16, 10, 10] [1, 1, 1, 1] : memref<256x16x10x10xf32> to memref<?x16x10x10xf32, strided<[1600, 100, 10, 1], offset: ?>>
      linalg.generic {indexing_maps = [#map14, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%subview_3 : memref<?x10x10x16xf32, strided<[1600, 160, 16, 1], offset: ?>>) outs(%subview_4 : memref<?x16x10x10xf32, strided<[1600, 100, 10, 1], offset: ?>>) {
      ^bb0(%in: f32, %out: f32):
        linalg.yield %in : f32
      }
      return
    }
    func.func private @k3_max_pool2d(%arg0: memref<256x16x10x10xf32>, %arg1: memref<256x16x5x5xf32>, %arg2: index, %arg3: index) attributes {dl.flops = 409600 : i64, dl.num_inputs = 1 : i64, dl.num_outputs = 1 : i64, dl.origin = ["dl.max_pool2d @ models/lenet_relu.dl:8:6"], dl.result_aliases = array<i64: -1>, dl.result_kinds = ["activation"], dl.scratch = [], dl.step = "train_step", dl.workgroups = 256 : i64} {
      %c256 = arith.constant 256 : index
      %0 = arith.muli %arg2, %c256 : index
      %1 = arith.divui %0, %arg3 : index
      %c1 = arith.constant 1 : index
      %2 = arith.addi %arg2, %c1 : index
      %3 = arith.muli %2, %c256 : index
      %4 = arith.divui %3, %arg3 : index
      %5 = arith.subi %4, %1 : index
      %cst = arith.constant 0xFF800000 : f32
      %subview = memref.subview %arg0[%1, 0, 0, 0] [%5, 16, 10, 10] [1, 1, 1, 1] : memref<256x16x10x10xf32> to memref<?x16x10x10xf32, strided<[1600, 100, 10, 1], offset: ?>>
      %subview_0 = memref.subview %arg0[%1, 0, 0, 0] [%5, 16, 10, 10] [1, 1, 1, 1] : memref<256x16x10x10xf32> to memref<?x16x10x10xf32, strided<[1600, 100, 10, 1], offset: ?>>
      %subview_1 = memref.subview %arg0[%1, 0, 0, 0] [%5, 16, 10, 10] [1, 1, 1, 1] : memref<256x16x10x10xf32> to memref<?x16x10x10xf32, strided<[1600, 100, 10, 1], offset: ?>>
      %subview_2 = memref.subview %arg0[%1, 0, 0, 0] [%5, 16, 10, 10] [1, 1, 1, 1] : memref<256x16x10x10xf32> to memref<?x16x10x10xf32, strided<[1600, 100, 10, 1], offset: ?>>
      %subview_3 = memref.subview %arg1[%1, 0, 0, 0] [%5, 16, 5, 5] [1, 1, 1, 1] : memref<256x16x5x5xf32> to memref<?x16x5x5xf32, strided<[400, 25, 5, 1], offset: ?>>
      linalg.generic {indexing_maps = [#map5, #map6, #map7, #map8, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%subview, %subview_0, %subview_1, %subview_2 : memref<?x16x10x10xf32, strided<[1600, 100, 10, 1], offset: ?>>, memref<?x16x10x10xf32, strided<[1600, 100, 10, 1], offset: ?>>, memref<?x16x10x10xf32, strided<[1600, 100, 10, 1], offset: ?>>, memref<?x16x10x10xf32, strided<[1600, 100, 10, 1], offset: ?>>) outs(%subview_3 : memref<?x16x5x5xf32, strided<[400, 25, 5, 1], offset: ?>>) {
      ^bb0(%in: f32, %in_4: f32, %in_5: f32, %in_6: f32, %out: f32):
        %6 = arith.cmpf ogt, %in, %cst : f32
        %7 = arith.cmpf uno, %in, %in : f32
        %8 = arith.ori %6, %7 : i1
        %9 = arith.select %8, %in, %cst : f32
        %10 = arith.cmpf ogt, %in_4, %9 : f32
        %11 = arith.cmpf uno, %in_4, %in_4 : f32
        %12 = arith.ori %10, %11 : i1
        %13 = arith.select %12, %in_4, %9 : f32
        %14 = arith.cmpf ogt, %in_5, %13 : f32
        %15 = arith.cmpf uno, %in_5, %in_5 : f32
        %16 = arith.ori %14, %15 : i1
        %17 = arith.select %16, %in_5, %13 : f32
        %18 = arith.cmpf ogt, %in_6, %17 : f32
        %19 = arith.cmpf uno, %in_6, %in_6 : f32
        %20 = arith.ori %18, %19 : i1
        %21 = arith.select %20, %in_6, %17 : f32
        linalg.yield %21 : f32
      }
      return
    }
    func.func private @k4_dense_relu(%arg0: memref<256x400xf32>, %arg1: memref<400x120xf32>, %arg2: memref<120xf32>, %arg3: memref<256x120xf32>, %arg4: index, %arg5: index) attributes {dl.flops = 24606720 : i64, dl.num_inputs = 3 : i64, dl.num_outputs = 1 : i64, dl.origin = ["dl.dense @ models/lenet_relu.dl:10:11", "dl.relu @ models/lenet_relu.dl:10:6"], dl.result_aliases = array<i64: -1>, dl.result_kinds = ["activation"], dl.scratch = [], dl.step = "train_step", dl.workgroups = 256 : i64} {
      %c256 = arith.constant 256 : index
      %0 = arith.muli %arg4, %c256 : index
      %1 = arith.divui %0, %arg5 : index
      %c1 = arith.constant 1 : index
      %2 = arith.addi %arg4, %c1 : index
      %3 = arith.muli %2, %c256 : index
      %4 = arith.divui %3, %arg5 : index
      %5 = arith.subi %4, %1 : index
      %cst = arith.constant 0.000000e+00 : f32
      %subview = memref.subview %arg3[%1, 0] [%5, 120] [1, 1] : memref<256x120xf32> to memref<?x120xf32, strided<[120, 1], offset: ?>>
      linalg.generic {indexing_maps = [#map15, #map16], iterator_types = ["parallel", "parallel"]} ins(%arg2 : memref<120xf32>) outs(%subview : memref<?x120xf32, strided<[120, 1], offset: ?>>) {
      ^bb0(%in: f32, %out: f32):
        linalg.yield %in : f32
      }
      %subview_0 = memref.subview %arg0[%1, 0] [%5, 400] [1, 1] : memref<256x400xf32> to memref<?x400xf32, strided<[400, 1], offset: ?>>
      %subview_1 = memref.subview %arg3[%1, 0] [%5, 120] [1, 1] : memref<256x120xf32> to memref<?x120xf32, strided<[120, 1], offset: ?>>
      linalg.generic {indexing_maps = [#map17, #map18, #map19], iterator_types = ["parallel", "reduction", "parallel"]} ins(%subview_0, %arg1 : memref<?x400xf32, strided<[400, 1], offset: ?>>, memref<400x120xf32>) outs(%subview_1 : memref<?x120xf32, strided<[120, 1], offset: ?>>) {
      ^bb0(%in: f32, %in_3: f32, %out: f32):
        %6 = arith.mulf %in, %in_3 fastmath<reassoc,contract> : f32
        %7 = arith.addf %out, %6 fastmath<reassoc,contract> : f32
        linalg.yield %7 : f32
      }
      %subview_2 = memref.subview %arg3[%1, 0] [%5, 120] [1, 1] : memref<256x120xf32> to memref<?x120xf32, strided<[120, 1], offset: ?>>
      linalg.generic {indexing_maps = [#map16], iterator_types = ["parallel", "parallel"]} outs(%subview_2 : memref<?x120xf32, strided<[120, 1], offset: ?>>) {
      ^bb0(%out: f32):
        %6 = arith.cmpf ogt, %out, %cst : f32
        %7 = arith.cmpf uno, %out, %out : f32
        %8 = arith.ori %6, %7 : i1
        %9 = arith.select %8, %out, %cst : f32
        linalg.yield %9 : f32
      }
      return
    }
    func.func private @k5_dense_relu(%arg0: memref<256x120xf32>, %arg1: memref<120x84xf32>, %arg2: memref<84xf32>, %arg3: memref<256x84xf32>, %arg4: index, %arg5: index) attributes {dl.flops = 5182464 : i64, dl.num_inputs = 3 : i64, dl.num_outputs = 1 : i64, dl.origin = ["dl.dense @ models/lenet_relu.dl:11:11", "dl.relu @ models/lenet_relu.dl:11:6"], dl.result_aliases = array<i64: -1>, dl.result_kinds = ["activation"], dl.scratch = [], dl.step = "train_step", dl.workgroups = 256 : i64} {
      %c256 = arith.constant 256 : index
      %0 = arith.muli %arg4, %c256 : index
      %1 = arith.divui %0, %arg5 : index
      %c1 = arith.constant 1 : index
      %2 = arith.addi %arg4, %c1 : index
      %3 = arith.muli %2, %c256 : index
      %4 = arith.divui %3, %arg5 : index
      %5 = arith.subi %4, %1 : index
      %cst = arith.constant 0.000000e+00 : f32
      %subview = memref.subview %arg3[%1, 0] [%5, 84] [1, 1] : memref<256x84xf32> to memref<?x84xf32, strided<[84, 1], offset: ?>>
      linalg.generic {indexing_maps = [#map15, #map16], iterator_types = ["parallel", "parallel"]} ins(%arg2 : memref<84xf32>) outs(%subview : memref<?x84xf32, strided<[84, 1], offset: ?>>) {
      ^bb0(%in: f32, %out: f32):
        linalg.yield %in : f32
      }
      %subview_0 = memref.subview %arg0[%1, 0] [%5, 120] [1, 1] : memref<256x120xf32> to memref<?x120xf32, strided<[120, 1], offset: ?>>
      %subview_1 = memref.subview %arg3[%1, 0] [%5, 84] [1, 1] : memref<256x84xf32> to memref<?x84xf32, strided<[84, 1], offset: ?>>
      linalg.generic {indexing_maps = [#map17, #map18, #map19], iterator_types = ["parallel", "reduction", "parallel"]} ins(%subview_0, %arg1 : memref<?x120xf32, strided<[120, 1], offset: ?>>, memref<120x84xf32>) outs(%subview_1 : memref<?x84xf32, strided<[84, 1], offset: ?>>) {
      ^bb0(%in: f32, %in_3: f32, %out: f32):
        %6 = arith.mulf %in, %in_3 fastmath<reassoc,contract> : f32
        %7 = arith.addf %out, %6 fastmath<reassoc,contract> : f32
        linalg.yield %7 : f32
      }
      %subview_2 = memref.subview %arg3[%1, 0] [%5, 84] [1, 1] : memref<256x84xf32> to memref<?x84xf32, strided<[84, 1], offset: ?>>
      linalg.generic {indexing_maps = [#map16], iterator_types = ["parallel", "parallel"]} outs(%subview_2 : memref<?x84xf32, strided<[84, 1], offset: ?>>) {
      ^bb0(%out: f32):
        %6 = arith.cmpf ogt, %out, %cst : f32
        %7 = arith.cmpf uno, %out, %out : f32
        %8 = arith.ori %6, %7 : i1
        %9 = arith.select %8, %out, %cst : f32
        linalg.yield %9 : f32
      }
      return
    }
    func.func private @k6_dense(%arg0: memref<256x84xf32>, %arg1: memref<84x10xf32>, %arg2: memref<10xf32>, %arg3: memref<256x10xf32>, %arg4: index, %arg5: index) attributes {dl.flops = 430080 : i64, dl.num_inputs = 3 : i64, dl.num_outputs = 1 : i64, dl.origin = ["dl.dense @ models/lenet_relu.dl:12:10"], dl.result_aliases = array<i64: -1>, dl.result_kinds = ["activation"], dl.scratch = [], dl.step = "train_step", dl.workgroups = 256 : i64} {
      %c256 = arith.constant 256 : index
      %0 = arith.muli %arg4, %c256 : index
      %1 = arith.divui %0, %arg5 : index
      %c1 = arith.constant 1 : index
      %2 = arith.addi %arg4, %c1 : index
      %3 = arith.muli %2, %c256 : index
      %4 = arith.divui %3, %arg5 : index
      %5 = arith.subi %4, %1 : index
      %subview = memref.subview %arg3[%1, 0] [%5, 10] [1, 1] : memref<256x10xf32> to memref<?x10xf32, strided<[10, 1], offset: ?>>
      linalg.generic {indexing_maps = [#map15, #map16], iterator_types = ["parallel", "parallel"]} ins(%arg2 : memref<10xf32>) outs(%subview : memref<?x10xf32, strided<[10, 1], offset: ?>>) {
      ^bb0(%in: f32, %out: f32):
        linalg.yield %in : f32
      }
      %subview_0 = memref.subview %arg0[%1, 0] [%5, 84] [1, 1] : memref<256x84xf32> to memref<?x84xf32, strided<[84, 1], offset: ?>>
      %subview_1 = memref.subview %arg3[%1, 0] [%5, 10] [1, 1] : memref<256x10xf32> to memref<?x10xf32, strided<[10, 1], offset: ?>>
      linalg.generic {indexing_maps = [#map17, #map18, #map19], iterator_types = ["parallel", "reduction", "parallel"]} ins(%subview_0, %arg1 : memref<?x84xf32, strided<[84, 1], offset: ?>>, memref<84x10xf32>) outs(%subview_1 : memref<?x10xf32, strided<[10, 1], offset: ?>>) {
      ^bb0(%in: f32, %in_2: f32, %out: f32):
        %6 = arith.mulf %in, %in_2 fastmath<reassoc,contract> : f32
        %7 = arith.addf %out, %6 fastmath<reassoc,contract> : f32
        linalg.yield %7 : f32
      }
      return
    }
    func.func private @k7_softmax_ce_grad(%arg0: memref<256x10xf32>, %arg1: memref<256xi32>, %arg2: memref<f32>, %arg3: memref<i32>, %arg4: memref<256x10xf32>, %arg5: memref<256xf32>, %arg6: memref<256xf32>, %arg7: memref<256xi32>, %arg8: index, %arg9: index) attributes {dl.flops = 20480 : i64, dl.num_inputs = 2 : i64, dl.num_outputs = 3 : i64, dl.origin = ["dl.softmax_ce @ models/lenet_relu.dl:13:8", "dl.softmax_ce_grad @ models/lenet_relu.dl:13:8"], dl.result_aliases = array<i64: -1, -1, -1>, dl.result_kinds = ["gradient", "gradient", "gradient"], dl.scratch = [tensor<256xf32>, tensor<256xf32>, tensor<256xi32>], dl.step = "train_step", dl.workgroups = 1 : i64} {
      %c0_i32 = arith.constant 0 : i32
      %c10_i32 = arith.constant 10 : i32
      %cst = arith.constant 3.906250e-03 : f32
      %cst_0 = arith.constant 0.000000e+00 : f32
      %cst_1 = arith.constant 0xFF800000 : f32
      %0 = memref.get_global @__constant_xf32 : memref<f32>
      linalg.fill ins(%cst_1 : f32) outs(%arg5 : memref<256xf32>)
      linalg.generic {indexing_maps = [#map16, #map20], iterator_types = ["parallel", "reduction"]} ins(%arg0 : memref<256x10xf32>) outs(%arg5 : memref<256xf32>) {
      ^bb0(%in: f32, %out: f32):
        %2 = arith.cmpf ogt, %in, %out : f32
        %3 = arith.cmpf uno, %in, %in : f32
        %4 = arith.ori %2, %3 : i1
        %5 = arith.select %4, %in, %out : f32
        linalg.yield %5 : f32
      }
      linalg.fill ins(%cst_0 : f32) outs(%arg6 : memref<256xf32>)
      linalg.generic {indexing_maps = [#map16, #map20, #map20], iterator_types = ["parallel", "reduction"]} ins(%arg0, %arg5 : memref<256x10xf32>, memref<256xf32>) outs(%arg6 : memref<256xf32>) {
      ^bb0(%in: f32, %in_2: f32, %out: f32):
        %2 = arith.subf %in, %in_2 : f32
        %3 = math.exp %2 : f32
        %4 = arith.addf %out, %3 : f32
        linalg.yield %4 : f32
      }
      linalg.fill ins(%cst_0 : f32) outs(%arg2 : memref<f32>)
      linalg.generic {indexing_maps = [#map21, #map21, #map21, #map22], iterator_types = ["reduction"]} ins(%arg5, %arg6, %arg1 : memref<256xf32>, memref<256xf32>, memref<256xi32>) outs(%arg2 : memref<f32>) {
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
      linalg.generic {indexing_maps = [#map16, #map20, #map20], iterator_types = ["parallel", "reduction"]} ins(%arg0, %arg5 : memref<256x10xf32>, memref<256xf32>) outs(%arg7 : memref<256xi32>) {
      ^bb0(%in: f32, %in_2: f32, %out: i32):
        %2 = linalg.index 1 : index
        %3 = arith.index_cast %2 : index to i32
        %4 = arith.cmpf oeq, %in, %in_2 : f32
        %5 = arith.minsi %out, %3 : i32
        %6 = arith.select %4, %5, %out : i32
        linalg.yield %6 : i32
      }
      linalg.fill ins(%c0_i32 : i32) outs(%arg3 : memref<i32>)
      linalg.generic {indexing_maps = [#map21, #map21, #map22], iterator_types = ["reduction"]} ins(%arg7, %arg1 : memref<256xi32>, memref<256xi32>) outs(%arg3 : memref<i32>) {
      ^bb0(%in: i32, %in_2: i32, %out: i32):
        %2 = arith.cmpi eq, %in, %in_2 : i32
        %3 = arith.extui %2 : i1 to i32
        %4 = arith.addi %out, %3 : i32
        linalg.yield %4 : i32
      }
      %1 = memref.load %0[] : memref<f32>
      linalg.generic {indexing_maps = [#map16, #map20, #map20, #map20, #map16], iterator_types = ["parallel", "parallel"]} ins(%arg0, %arg5, %arg6, %arg1 : memref<256x10xf32>, memref<256xf32>, memref<256xf32>, memref<256xi32>) outs(%arg4 : memref<256x10xf32>) {
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
    func.func private @k8_dense_grad_input_relu_grad(%arg0: memref<256x10xf32>, %arg1: memref<84x10xf32>, %arg2: memref<256x84xf32>, %arg3: memref<256x84xf32>, %arg4: index, %arg5: index) attributes {dl.flops = 451584 : i64, dl.num_inputs = 3 : i64, dl.num_outputs = 1 : i64, dl.origin = ["dl.dense_grad_input @ models/lenet_relu.dl:12:10", "dl.relu_grad @ models/lenet_relu.dl:11:6"], dl.result_aliases = array<i64: -1>, dl.result_kinds = ["gradient"], dl.scratch = [], dl.step = "train_step", dl.workgroups = 256 : i64} {
      %c256 = arith.constant 256 : index
      %0 = arith.muli %arg4, %c256 : index
      %1 = arith.divui %0, %arg5 : index
      %c1 = arith.constant 1 : index
      %2 = arith.addi %arg4, %c1 : index
      %3 = arith.muli %2, %c256 : index
      %4 = arith.divui %3, %arg5 : index
      %5 = arith.subi %4, %1 : index
      %cst = arith.constant 0.000000e+00 : f32
      %subview = memref.subview %arg3[%1, 0] [%5, 84] [1, 1] : memref<256x84xf32> to memref<?x84xf32, strided<[84, 1], offset: ?>>
      linalg.fill ins(%cst : f32) outs(%subview : memref<?x84xf32, strided<[84, 1], offset: ?>>)
      %subview_0 = memref.subview %arg0[%1, 0] [%5, 10] [1, 1] : memref<256x10xf32> to memref<?x10xf32, strided<[10, 1], offset: ?>>
      %subview_1 = memref.subview %arg3[%1, 0] [%5, 84] [1, 1] : memref<256x84xf32> to memref<?x84xf32, strided<[84, 1], offset: ?>>
      linalg.generic {indexing_maps = [#map19, #map18, #map17], iterator_types = ["parallel", "parallel", "reduction"]} ins(%subview_0, %arg1 : memref<?x10xf32, strided<[10, 1], offset: ?>>, memref<84x10xf32>) outs(%subview_1 : memref<?x84xf32, strided<[84, 1], offset: ?>>) {
      ^bb0(%in: f32, %in_4: f32, %out: f32):
        %6 = arith.mulf %in, %in_4 fastmath<reassoc,contract> : f32
        %7 = arith.addf %out, %6 fastmath<reassoc,contract> : f32
        linalg.yield %7 : f32
      }
      %subview_2 = memref.subview %arg2[%1, 0] [%5, 84] [1, 1] : memref<256x84xf32> to memref<?x84xf32, strided<[84, 1], offset: ?>>
      %subview_3 = memref.subview %arg3[%1, 0] [%5, 84] [1, 1] : memref<256x84xf32> to memref<?x84xf32, strided<[84, 1], offset: ?>>
      linalg.generic {indexing_maps = [#map16, #map16], iterator_types = ["parallel", "parallel"]} ins(%subview_2 : memref<?x84xf32, strided<[84, 1], offset: ?>>) outs(%subview_3 : memref<?x84xf32, strided<[84, 1], offset: ?>>) {
      ^bb0(%in: f32, %out: f32):
        %6 = arith.cmpf ogt, %in, %cst : f32
        %7 = arith.select %6, %out, %cst : f32
        linalg.yield %7 : f32
      }
      return
    }
    func.func private @k9_dense_grad_weight_sgd_update(%arg0: memref<256x84xf32>, %arg1: memref<256x10xf32>, %arg2: memref<84x10xf32>, %arg3: memref<f32>, %arg4: memref<f32>, %arg5: memref<84x10xf32>, %arg6: index, %arg7: index) attributes {dl.flops = 433440 : i64, dl.num_inputs = 5 : i64, dl.num_outputs = 0 : i64, dl.origin = ["dl.dense_grad_weight @ models/lenet_relu.dl:12:10", "dl.sgd_update @ models/lenet_relu.dl:12:10"], dl.result_aliases = array<i64: 2>, dl.result_kinds = ["gradient"], dl.scratch = [tensor<84x10xf32>], dl.step = "train_step", dl.workgroups = 84 : i64} {
      %c84 = arith.constant 84 : index
      %0 = arith.muli %arg6, %c84 : index
      %1 = arith.divui %0, %arg7 : index
      %c1 = arith.constant 1 : index
      %2 = arith.addi %arg6, %c1 : index
      %3 = arith.muli %2, %c84 : index
      %4 = arith.divui %3, %arg7 : index
      %5 = arith.subi %4, %1 : index
      %cst = arith.constant 0.000000e+00 : f32
      %subview = memref.subview %arg5[%1, 0] [%5, 10] [1, 1] : memref<84x10xf32> to memref<?x10xf32, strided<[10, 1], offset: ?>>
      linalg.fill ins(%cst : f32) outs(%subview : memref<?x10xf32, strided<[10, 1], offset: ?>>)
      %subview_0 = memref.subview %arg0[0, %1] [256, %5] [1, 1] : memref<256x84xf32> to memref<256x?xf32, strided<[84, 1], offset: ?>>
      %subview_1 = memref.subview %arg5[%1, 0] [%5, 10] [1, 1] : memref<84x10xf32> to memref<?x10xf32, strided<[10, 1], offset: ?>>
      linalg.generic {indexing_maps = [#map23, #map18, #map19], iterator_types = ["parallel", "reduction", "parallel"]} ins(%subview_0, %arg1 : memref<256x?xf32, strided<[84, 1], offset: ?>>, memref<256x10xf32>) outs(%subview_1 : memref<?x10xf32, strided<[10, 1], offset: ?>>) {
      ^bb0(%in: f32, %in_4: f32, %out: f32):
        %8 = arith.mulf %in, %in_4 fastmath<reassoc,contract> : f32
        %9 = arith.addf %out, %8 fastmath<reassoc,contract> : f32
        linalg.yield %9 : f32
      }
      %6 = memref.load %arg3[] : memref<f32>
      %7 = memref.load %arg4[] : memref<f32>
      %subview_2 = memref.subview %arg5[%1, 0] [%5, 10] [1, 1] : memref<84x10xf32> to memref<?x10xf32, strided<[10, 1], offset: ?>>
      %subview_3 = memref.subview %arg2[%1, 0] [%5, 10] [1, 1] : memref<84x10xf32> to memref<?x10xf32, strided<[10, 1], offset: ?>>
      linalg.generic {indexing_maps = [#map16, #map16], iterator_types = ["parallel", "parallel"]} ins(%subview_2 : memref<?x10xf32, strided<[10, 1], offset: ?>>) outs(%subview_3 : memref<?x10xf32, strided<[10, 1], offset: ?>>) {
      ^bb0(%in: f32, %out: f32):
        %8 = arith.mulf %7, %out : f32
        %9 = arith.addf %in, %8 : f32
        %10 = arith.mulf %6, %9 : f32
        %11 = arith.subf %out, %10 : f32
        linalg.yield %11 : f32
      }
      return
    }
    func.func private @k10_bias_grad_sgd_update(%arg0: memref<256x10xf32>, %arg1: memref<10xf32>, %arg2: memref<f32>, %arg3: memref<f32>, %arg4: memref<10xf32>, %arg5: index, %arg6: index) attributes {dl.flops = 50 : i64, dl.num_inputs = 4 : i64, dl.num_outputs = 0 : i64, dl.origin = ["dl.bias_grad @ models/lenet_relu.dl:12:10", "dl.sgd_update @ models/lenet_relu.dl:12:10"], dl.result_aliases = array<i64: 1>, dl.result_kinds = ["gradient"], dl.scratch = [tensor<10xf32>], dl.step = "train_step", dl.workgroups = 10 : i64} {
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
      linalg.generic {indexing_maps = [#map24, #map20], iterator_types = ["parallel", "reduction"]} ins(%subview_0 : memref<256x?xf32, strided<[10, 1], offset: ?>>) outs(%subview_1 : memref<?xf32, strided<[1], offset: ?>>) {
      ^bb0(%in: f32, %out: f32):
        %8 = arith.addf %out, %in fastmath<reassoc,contract> : f32
        linalg.yield %8 : f32
      }
      %6 = memref.load %arg2[] : memref<f32>
      %7 = memref.load %arg3[] : memref<f32>
      %subview_2 = memref.subview %arg4[%1] [%5] [1] : memref<10xf32> to memref<?xf32, strided<[1], offset: ?>>
      %subview_3 = memref.subview %arg1[%1] [%5] [1] : memref<10xf32> to memref<?xf32, strided<[1], offset: ?>>
      linalg.generic {indexing_maps = [#map21, #map21], iterator_types = ["parallel"]} ins(%subview_2 : memref<?xf32, strided<[1], offset: ?>>) outs(%subview_3 : memref<?xf32, strided<[1], offset: ?>>) {
      ^bb0(%in: f32, %out: f32):
        %8 = arith.mulf %7, %out : f32
        %9 = arith.addf %in, %8 : f32
        %10 = arith.mulf %6, %9 : f32
        %11 = arith.subf %out, %10 : f32
        linalg.yield %11 : f32
      }
      return
    }
    func.func private @k11_dense_grad_input_relu_grad(%arg0: memref<256x84xf32>, %arg1: memref<120x84xf32>, %arg2: memref<256x120xf32>, %arg3: memref<256x120xf32>, %arg4: memref<84x120xf32>, %arg5: index, %arg6: index) attributes {dl.flops = 5191680 : i64, dl.num_inputs = 3 : i64, dl.num_outputs = 1 : i64, dl.origin = ["dl.dense_grad_input @ models/lenet_relu.dl:11:11", "dl.relu_grad @ models/lenet_relu.dl:10:6"], dl.result_aliases = array<i64: -1>, dl.result_kinds = ["gradient"], dl.scratch = [tensor<84x120xf32>], dl.step = "train_step", dl.workgroups = 84 : i64} {
      %c84 = arith.constant 84 : index
      %0 = arith.muli %arg5, %c84 : index
      %1 = arith.divui %0, %arg6 : index
      %c1 = arith.constant 1 : index
      %2 = arith.addi %arg5, %c1 : index
      %3 = arith.muli %2, %c84 : index
      %4 = arith.divui %3, %arg6 : index
      %5 = arith.subi %4, %1 : index
      %subview = memref.subview %arg1[0, %1] [120, %5] [1, 1] : memref<120x84xf32> to memref<120x?xf32, strided<[84, 1], offset: ?>>
      %subview_0 = memref.subview %arg4[%1, 0] [%5, 120] [1, 1] : memref<84x120xf32> to memref<?x120xf32, strided<[120, 1], offset: ?>>
      linalg.generic {indexing_maps = [#map24, #map16], iterator_types = ["parallel", "parallel"]} ins(%subview : memref<120x?xf32, strided<[84, 1], offset: ?>>) outs(%subview_0 : memref<?x120xf32, strided<[120, 1], offset: ?>>) {
      ^bb0(%in: f32, %out: f32):
        linalg.yield %in : f32
      }
      return
    }
    func.func private @k11_dense_grad_input_relu_grad_p1(%arg0: memref<256x84xf32>, %arg1: memref<120x84xf32>, %arg2: memref<256x120xf32>, %arg3: memref<256x120xf32>, %arg4: memref<84x120xf32>, %arg5: index, %arg6: index) attributes {dl.num_inputs = 3 : i64, dl.num_outputs = 1 : i64, dl.origin = ["dl.dense_grad_input @ models/lenet_relu.dl:11:11", "dl.relu_grad @ models/lenet_relu.dl:10:6"], dl.phase_of = "k11_dense_grad_input_relu_grad", dl.result_aliases = array<i64: -1>, dl.result_kinds = ["gradient"], dl.scratch = [tensor<84x120xf32>], dl.step = "train_step", dl.workgroups = 256 : i64} {
      %c256 = arith.constant 256 : index
      %0 = arith.muli %arg5, %c256 : index
      %1 = arith.divui %0, %arg6 : index
      %c1 = arith.constant 1 : index
      %2 = arith.addi %arg5, %c1 : index
      %3 = arith.muli %2, %c256 : index
      %4 = arith.divui %3, %arg6 : index
      %5 = arith.subi %4, %1 : index
      %cst = arith.constant 0.000000e+00 : f32
      %subview = memref.subview %arg3[%1, 0] [%5, 120] [1, 1] : memref<256x120xf32> to memref<?x120xf32, strided<[120, 1], offset: ?>>
      linalg.fill ins(%cst : f32) outs(%subview : memref<?x120xf32, strided<[120, 1], offset: ?>>)
      %subview_0 = memref.subview %arg0[%1, 0] [%5, 84] [1, 1] : memref<256x84xf32> to memref<?x84xf32, strided<[84, 1], offset: ?>>
      %subview_1 = memref.subview %arg3[%1, 0] [%5, 120] [1, 1] : memref<256x120xf32> to memref<?x120xf32, strided<[120, 1], offset: ?>>
      linalg.generic {indexing_maps = [#map19, #map25, #map17], iterator_types = ["parallel", "parallel", "reduction"]} ins(%subview_0, %arg4 : memref<?x84xf32, strided<[84, 1], offset: ?>>, memref<84x120xf32>) outs(%subview_1 : memref<?x120xf32, strided<[120, 1], offset: ?>>) {
      ^bb0(%in: f32, %in_4: f32, %out: f32):
        %6 = arith.mulf %in, %in_4 fastmath<reassoc,contract> : f32
        %7 = arith.addf %out, %6 fastmath<reassoc,contract> : f32
        linalg.yield %7 : f32
      }
      %subview_2 = memref.subview %arg2[%1, 0] [%5, 120] [1, 1] : memref<256x120xf32> to memref<?x120xf32, strided<[120, 1], offset: ?>>
      %subview_3 = memref.subview %arg3[%1, 0] [%5, 120] [1, 1] : memref<256x120xf32> to memref<?x120xf32, strided<[120, 1], offset: ?>>
      linalg.generic {indexing_maps = [#map16, #map16], iterator_types = ["parallel", "parallel"]} ins(%subview_2 : memref<?x120xf32, strided<[120, 1], offset: ?>>) outs(%subview_3 : memref<?x120xf32, strided<[120, 1], offset: ?>>) {
      ^bb0(%in: f32, %out: f32):
        %6 = arith.cmpf ogt, %in, %cst : f32
        %7 = arith.select %6, %out, %cst : f32
        linalg.yield %7 : f32
      }
      return
    }
    func.func private @k12_dense_grad_weight_sgd_update(%arg0: memref<256x120xf32>, %arg1: memref<256x84xf32>, %arg2: memref<120x84xf32>, %arg3: memref<f32>, %arg4: memref<f32>, %arg5: memref<120x84xf32>, %arg6: index, %arg7: index) attributes {dl.flops = 5201280 : i64, dl.num_inputs = 5 : i64, dl.num_outputs = 0 : i64, dl.origin = ["dl.dense_grad_weight @ models/lenet_relu.dl:11:11", "dl.sgd_update @ models/lenet_relu.dl:11:11"], dl.result_aliases = array<i64: 2>, dl.result_kinds = ["gradient"], dl.scratch = [tensor<120x84xf32>], dl.step = "train_step", dl.workgroups = 120 : i64} {
      %c120 = arith.constant 120 : index
      %0 = arith.muli %arg6, %c120 : index
      %1 = arith.divui %0, %arg7 : index
      %c1 = arith.constant 1 : index
      %2 = arith.addi %arg6, %c1 : index
      %3 = arith.muli %2, %c120 : index
      %4 = arith.divui %3, %arg7 : index
      %5 = arith.subi %4, %1 : index
      %cst = arith.constant 0.000000e+00 : f32
      %subview = memref.subview %arg5[%1, 0] [%5, 84] [1, 1] : memref<120x84xf32> to memref<?x84xf32, strided<[84, 1], offset: ?>>
      linalg.fill ins(%cst : f32) outs(%subview : memref<?x84xf32, strided<[84, 1], offset: ?>>)
      %subview_0 = memref.subview %arg0[0, %1] [256, %5] [1, 1] : memref<256x120xf32> to memref<256x?xf32, strided<[120, 1], offset: ?>>
      %subview_1 = memref.subview %arg5[%1, 0] [%5, 84] [1, 1] : memref<120x84xf32> to memref<?x84xf32, strided<[84, 1], offset: ?>>
      linalg.generic {indexing_maps = [#map23, #map18, #map19], iterator_types = ["parallel", "reduction", "parallel"]} ins(%subview_0, %arg1 : memref<256x?xf32, strided<[120, 1], offset: ?>>, memref<256x84xf32>) outs(%subview_1 : memref<?x84xf32, strided<[84, 1], offset: ?>>) {
      ^bb0(%in: f32, %in_4: f32, %out: f32):
        %8 = arith.mulf %in, %in_4 fastmath<reassoc,contract> : f32
        %9 = arith.addf %out, %8 fastmath<reassoc,contract> : f32
        linalg.yield %9 : f32
      }
      %6 = memref.load %arg3[] : memref<f32>
      %7 = memref.load %arg4[] : memref<f32>
      %subview_2 = memref.subview %arg5[%1, 0] [%5, 84] [1, 1] : memref<120x84xf32> to memref<?x84xf32, strided<[84, 1], offset: ?>>
      %subview_3 = memref.subview %arg2[%1, 0] [%5, 84] [1, 1] : memref<120x84xf32> to memref<?x84xf32, strided<[84, 1], offset: ?>>
      linalg.generic {indexing_maps = [#map16, #map16], iterator_types = ["parallel", "parallel"]} ins(%subview_2 : memref<?x84xf32, strided<[84, 1], offset: ?>>) outs(%subview_3 : memref<?x84xf32, strided<[84, 1], offset: ?>>) {
      ^bb0(%in: f32, %out: f32):
        %8 = arith.mulf %7, %out : f32
        %9 = arith.addf %in, %8 : f32
        %10 = arith.mulf %6, %9 : f32
        %11 = arith.subf %out, %10 : f32
        linalg.yield %11 : f32
      }
      return
    }
    func.func private @k13_bias_grad_sgd_update(%arg0: memref<256x84xf32>, %arg1: memref<84xf32>, %arg2: memref<f32>, %arg3: memref<f32>, %arg4: memref<84xf32>, %arg5: index, %arg6: index) attributes {dl.flops = 420 : i64, dl.num_inputs = 4 : i64, dl.num_outputs = 0 : i64, dl.origin = ["dl.bias_grad @ models/lenet_relu.dl:11:11", "dl.sgd_update @ models/lenet_relu.dl:11:11"], dl.result_aliases = array<i64: 1>, dl.result_kinds = ["gradient"], dl.scratch = [tensor<84xf32>], dl.step = "train_step", dl.workgroups = 84 : i64} {
      %c84 = arith.constant 84 : index
      %0 = arith.muli %arg5, %c84 : index
      %1 = arith.divui %0, %arg6 : index
      %c1 = arith.constant 1 : index
      %2 = arith.addi %arg5, %c1 : index
      %3 = arith.muli %2, %c84 : index
      %4 = arith.divui %3, %arg6 : index
      %5 = arith.subi %4, %1 : index
      %cst = arith.constant 0.000000e+00 : f32
      %subview = memref.subview %arg4[%1] [%5] [1] : memref<84xf32> to memref<?xf32, strided<[1], offset: ?>>
      linalg.fill ins(%cst : f32) outs(%subview : memref<?xf32, strided<[1], offset: ?>>)
      %subview_0 = memref.subview %arg0[0, %1] [256, %5] [1, 1] : memref<256x84xf32> to memref<256x?xf32, strided<[84, 1], offset: ?>>
      %subview_1 = memref.subview %arg4[%1] [%5] [1] : memref<84xf32> to memref<?xf32, strided<[1], offset: ?>>
      linalg.generic {indexing_maps = [#map24, #map20], iterator_types = ["parallel", "reduction"]} ins(%subview_0 : memref<256x?xf32, strided<[84, 1], offset: ?>>) outs(%subview_1 : memref<?xf32, strided<[1], offset: ?>>) {
      ^bb0(%in: f32, %out: f32):
        %8 = arith.addf %out, %in fastmath<reassoc,contract> : f32
        linalg.yield %8 : f32
      }
      %6 = memref.load %arg2[] : memref<f32>
      %7 = memref.load %arg3[] : memref<f32>
      %subview_2 = memref.subview %arg4[%1] [%5] [1] : memref<84xf32> to memref<?xf32, strided<[1], offset: ?>>
      %subview_3 = memref.subview %arg1[%1] [%5] [1] : memref<84xf32> to memref<?xf32, strided<[1], offset: ?>>
      linalg.generic {indexing_maps = [#map21, #map21], iterator_types = ["parallel"]} ins(%subview_2 : memref<?xf32, strided<[1], offset: ?>>) outs(%subview_3 : memref<?xf32, strided<[1], offset: ?>>) {
      ^bb0(%in: f32, %out: f32):
        %8 = arith.mulf %7, %out : f32
        %9 = arith.addf %in, %8 : f32
        %10 = arith.mulf %6, %9 : f32
        %11 = arith.subf %out, %10 : f32
        linalg.yield %11 : f32
      }
      return
    }
    func.func private @k14_dense_grad_input(%arg0: memref<256x120xf32>, %arg1: memref<400x120xf32>, %arg2: memref<256x400xf32>, %arg3: memref<120x400xf32>, %arg4: index, %arg5: index) attributes {dl.flops = 24576000 : i64, dl.num_inputs = 2 : i64, dl.num_outputs = 1 : i64, dl.origin = ["dl.dense_grad_input @ models/lenet_relu.dl:10:11"], dl.result_aliases = array<i64: -1>, dl.result_kinds = ["gradient"], dl.scratch = [tensor<120x400xf32>], dl.step = "train_step", dl.workgroups = 120 : i64} {
      %c120 = arith.constant 120 : index
      %0 = arith.muli %arg4, %c120 : index
      %1 = arith.divui %0, %arg5 : index
      %c1 = arith.constant 1 : index
      %2 = arith.addi %arg4, %c1 : index
      %3 = arith.muli %2, %c120 : index
      %4 = arith.divui %3, %arg5 : index
      %5 = arith.subi %4, %1 : index
      %subview = memref.subview %arg1[0, %1] [400, %5] [1, 1] : memref<400x120xf32> to memref<400x?xf32, strided<[120, 1], offset: ?>>
      %subview_0 = memref.subview %arg3[%1, 0] [%5, 400] [1, 1] : memref<120x400xf32> to memref<?x400xf32, strided<[400, 1], offset: ?>>
      linalg.generic {indexing_maps = [#map24, #map16], iterator_types = ["parallel", "parallel"]} ins(%subview : memref<400x?xf32, strided<[120, 1], offset: ?>>) outs(%subview_0 : memref<?x400xf32, strided<[400, 1], offset: ?>>) {
      ^bb0(%in: f32, %out: f32):
        linalg.yield %in : f32
      }
      return
    }
    func.func private @k14_dense_grad_input_p1(%arg0: memref<256x120xf32>, %arg1: memref<400x120xf32>, %arg2: memref<256x400xf32>, %arg3: memref<120x400xf32>, %arg4: index, %arg5: index) attributes {dl.num_inputs = 2 : i64, dl.num_outputs = 1 : i64, dl.origin = ["dl.dense_grad_input @ models/lenet_relu.dl:10:11"], dl.phase_of = "k14_dense_grad_input", dl.result_aliases = array<i64: -1>, dl.result_kinds = ["gradient"], dl.scratch = [tensor<120x400xf32>], dl.step = "train_step", dl.workgroups = 256 : i64} {
      %c256 = arith.constant 256 : index
      %0 = arith.muli %arg4, %c256 : index
      %1 = arith.divui %0, %arg5 : index
      %c1 = arith.constant 1 : index
      %2 = arith.addi %arg4, %c1 : index
      %3 = arith.muli %2, %c256 : index
      %4 = arith.divui %3, %arg5 : index
      %5 = arith.subi %4, %1 : index
      %cst = arith.constant 0.000000e+00 : f32
      %subview = memref.subview %arg2[%1, 0] [%5, 400] [1, 1] : memref<256x400xf32> to memref<?x400xf32, strided<[400, 1], offset: ?>>
      linalg.fill ins(%cst : f32) outs(%subview : memref<?x400xf32, strided<[400, 1], offset: ?>>)
      %subview_0 = memref.subview %arg0[%1, 0] [%5, 120] [1, 1] : memref<256x120xf32> to memref<?x120xf32, strided<[120, 1], offset: ?>>
      %subview_1 = memref.subview %arg2[%1, 0] [%5, 400] [1, 1] : memref<256x400xf32> to memref<?x400xf32, strided<[400, 1], offset: ?>>
      linalg.generic {indexing_maps = [#map19, #map25, #map17], iterator_types = ["parallel", "parallel", "reduction"]} ins(%subview_0, %arg3 : memref<?x120xf32, strided<[120, 1], offset: ?>>, memref<120x400xf32>) outs(%subview_1 : memref<?x400xf32, strided<[400, 1], offset: ?>>) {
      ^bb0(%in: f32, %in_2: f32, %out: f32):
        %6 = arith.mulf %in, %in_2 fastmath<reassoc,contract> : f32
        %7 = arith.addf %out, %6 fastmath<reassoc,contract> : f32
        linalg.yield %7 : f32
      }
      return
    }
    func.func private @k15_dense_grad_weight_sgd_update(%arg0: memref<256x400xf32>, %arg1: memref<256x120xf32>, %arg2: memref<400x120xf32>, %arg3: memref<f32>, %arg4: memref<f32>, %arg5: memref<400x120xf32>, %arg6: index, %arg7: index) attributes {dl.flops = 24768000 : i64, dl.num_inputs = 5 : i64, dl.num_outputs = 0 : i64, dl.origin = ["dl.dense_grad_weight @ models/lenet_relu.dl:10:11", "dl.sgd_update @ models/lenet_relu.dl:10:11"], dl.result_aliases = array<i64: 2>, dl.result_kinds = ["gradient"], dl.scratch = [tensor<400x120xf32>], dl.step = "train_step", dl.workgroups = 400 : i64} {
      %c400 = arith.constant 400 : index
      %0 = arith.muli %arg6, %c400 : index
      %1 = arith.divui %0, %arg7 : index
      %c1 = arith.constant 1 : index
      %2 = arith.addi %arg6, %c1 : index
      %3 = arith.muli %2, %c400 : index
      %4 = arith.divui %3, %arg7 : index
      %5 = arith.subi %4, %1 : index
      %cst = arith.constant 0.000000e+00 : f32
      %subview = memref.subview %arg5[%1, 0] [%5, 120] [1, 1] : memref<400x120xf32> to memref<?x120xf32, strided<[120, 1], offset: ?>>
      linalg.fill ins(%cst : f32) outs(%subview : memref<?x120xf32, strided<[120, 1], offset: ?>>)
      %subview_0 = memref.subview %arg0[0, %1] [256, %5] [1, 1] : memref<256x400xf32> to memref<256x?xf32, strided<[400, 1], offset: ?>>
      %subview_1 = memref.subview %arg5[%1, 0] [%5, 120] [1, 1] : memref<400x120xf32> to memref<?x120xf32, strided<[120, 1], offset: ?>>
      linalg.generic {indexing_maps = [#map23, #map18, #map19], iterator_types = ["parallel", "reduction", "parallel"]} ins(%subview_0, %arg1 : memref<256x?xf32, strided<[400, 1], offset: ?>>, memref<256x120xf32>) outs(%subview_1 : memref<?x120xf32, strided<[120, 1], offset: ?>>) {
      ^bb0(%in: f32, %in_4: f32, %out: f32):
        %8 = arith.mulf %in, %in_4 fastmath<reassoc,contract> : f32
        %9 = arith.addf %out, %8 fastmath<reassoc,contract> : f32
        linalg.yield %9 : f32
      }
      %6 = memref.load %arg3[] : memref<f32>
      %7 = memref.load %arg4[] : memref<f32>
      %subview_2 = memref.subview %arg5[%1, 0] [%5, 120] [1, 1] : memref<400x120xf32> to memref<?x120xf32, strided<[120, 1], offset: ?>>
      %subview_3 = memref.subview %arg2[%1, 0] [%5, 120] [1, 1] : memref<400x120xf32> to memref<?x120xf32, strided<[120, 1], offset: ?>>
      linalg.generic {indexing_maps = [#map16, #map16], iterator_types = ["parallel", "parallel"]} ins(%subview_2 : memref<?x120xf32, strided<[120, 1], offset: ?>>) outs(%subview_3 : memref<?x120xf32, strided<[120, 1], offset: ?>>) {
      ^bb0(%in: f32, %out: f32):
        %8 = arith.mulf %7, %out : f32
        %9 = arith.addf %in, %8 : f32
        %10 = arith.mulf %6, %9 : f32
        %11 = arith.subf %out, %10 : f32
        linalg.yield %11 : f32
      }
      return
    }
    func.func private @k16_bias_grad_sgd_update(%arg0: memref<256x120xf32>, %arg1: memref<120xf32>, %arg2: memref<f32>, %arg3: memref<f32>, %arg4: memref<120xf32>, %arg5: index, %arg6: index) attributes {dl.flops = 600 : i64, dl.num_inputs = 4 : i64, dl.num_outputs = 0 : i64, dl.origin = ["dl.bias_grad @ models/lenet_relu.dl:10:11", "dl.sgd_update @ models/lenet_relu.dl:10:11"], dl.result_aliases = array<i64: 1>, dl.result_kinds = ["gradient"], dl.scratch = [tensor<120xf32>], dl.step = "train_step", dl.workgroups = 120 : i64} {
      %c120 = arith.constant 120 : index
      %0 = arith.muli %arg5, %c120 : index
      %1 = arith.divui %0, %arg6 : index
      %c1 = arith.constant 1 : index
      %2 = arith.addi %arg5, %c1 : index
      %3 = arith.muli %2, %c120 : index
      %4 = arith.divui %3, %arg6 : index
      %5 = arith.subi %4, %1 : index
      %cst = arith.constant 0.000000e+00 : f32
      %subview = memref.subview %arg4[%1] [%5] [1] : memref<120xf32> to memref<?xf32, strided<[1], offset: ?>>
      linalg.fill ins(%cst : f32) outs(%subview : memref<?xf32, strided<[1], offset: ?>>)
      %subview_0 = memref.subview %arg0[0, %1] [256, %5] [1, 1] : memref<256x120xf32> to memref<256x?xf32, strided<[120, 1], offset: ?>>
      %subview_1 = memref.subview %arg4[%1] [%5] [1] : memref<120xf32> to memref<?xf32, strided<[1], offset: ?>>
      linalg.generic {indexing_maps = [#map24, #map20], iterator_types = ["parallel", "reduction"]} ins(%subview_0 : memref<256x?xf32, strided<[120, 1], offset: ?>>) outs(%subview_1 : memref<?xf32, strided<[1], offset: ?>>) {
      ^bb0(%in: f32, %out: f32):
        %8 = arith.addf %out, %in fastmath<reassoc,contract> : f32
        linalg.yield %8 : f32
      }
      %6 = memref.load %arg2[] : memref<f32>
      %7 = memref.load %arg3[] : memref<f32>
      %subview_2 = memref.subview %arg4[%1] [%5] [1] : memref<120xf32> to memref<?xf32, strided<[1], offset: ?>>
      %subview_3 = memref.subview %arg1[%1] [%5] [1] : memref<120xf32> to memref<?xf32, strided<[1], offset: ?>>
      linalg.generic {indexing_maps = [#map21, #map21], iterator_types = ["parallel"]} ins(%subview_2 : memref<?xf32, strided<[1], offset: ?>>) outs(%subview_3 : memref<?xf32, strided<[1], offset: ?>>) {
      ^bb0(%in: f32, %out: f32):
        %8 = arith.mulf %7, %out : f32
        %9 = arith.addf %in, %8 : f32
        %10 = arith.mulf %6, %9 : f32
        %11 = arith.subf %out, %10 : f32
        linalg.yield %11 : f32
      }
      return
    }
    func.func private @k17_max_pool2d_grad_relu_grad(%arg0: memref<256x16x5x5xf32>, %arg1: memref<256x16x10x10xf32>, %arg2: memref<256x16x10x10xf32>, %arg3: index, %arg4: index) attributes {dl.flops = 819200 : i64, dl.num_inputs = 2 : i64, dl.num_outputs = 1 : i64, dl.origin = ["dl.max_pool2d_grad @ models/lenet_relu.dl:8:6", "dl.relu_grad @ models/lenet_relu.dl:7:6"], dl.result_aliases = array<i64: -1>, dl.result_kinds = ["gradient"], dl.scratch = [], dl.step = "train_step", dl.workgroups = 256 : i64} {
      %c256 = arith.constant 256 : index
      %0 = arith.muli %arg3, %c256 : index
      %1 = arith.divui %0, %arg4 : index
      %c1 = arith.constant 1 : index
      %2 = arith.addi %arg3, %c1 : index
      %3 = arith.muli %2, %c256 : index
      %4 = arith.divui %3, %arg4 : index
      %5 = arith.subi %4, %1 : index
      %c3 = arith.constant 3 : index
      %c1_0 = arith.constant 1 : index
      %c0 = arith.constant 0 : index
      %true = arith.constant true
      %c2 = arith.constant 2 : index
      %cst = arith.constant 0xFF800000 : f32
      %cst_1 = arith.constant 0.000000e+00 : f32
      %6 = memref.get_global @__constant_2x2xf32 : memref<2x2xf32>
      %subview = memref.subview %arg0[%1, 0, 0, 0] [%5, 16, 5, 5] [1, 1, 1, 1] : memref<256x16x5x5xf32> to memref<?x16x5x5xf32, strided<[400, 25, 5, 1], offset: ?>>
      %subview_2 = memref.subview %arg1[%1, 0, 0, 0] [%5, 16, 10, 10] [1, 1, 1, 1] : memref<256x16x10x10xf32> to memref<?x16x10x10xf32, strided<[1600, 100, 10, 1], offset: ?>>
      %subview_3 = memref.subview %arg1[%1, 0, 0, 0] [%5, 16, 10, 10] [1, 1, 1, 1] : memref<256x16x10x10xf32> to memref<?x16x10x10xf32, strided<[1600, 100, 10, 1], offset: ?>>
      %subview_4 = memref.subview %arg1[%1, 0, 0, 0] [%5, 16, 10, 10] [1, 1, 1, 1] : memref<256x16x10x10xf32> to memref<?x16x10x10xf32, strided<[1600, 100, 10, 1], offset: ?>>
      %subview_5 = memref.subview %arg1[%1, 0, 0, 0] [%5, 16, 10, 10] [1, 1, 1, 1] : memref<256x16x10x10xf32> to memref<?x16x10x10xf32, strided<[1600, 100, 10, 1], offset: ?>>
      %subview_6 = memref.subview %arg2[%1, 0, 0, 0] [%5, 16, 10, 10] [1, 1, 1, 1] : memref<256x16x10x10xf32> to memref<?x16x10x10xf32, strided<[1600, 100, 10, 1], offset: ?>>
      linalg.generic {indexing_maps = [#map26, #map27, #map28, #map29, #map30, #map31, #map32], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "parallel"]} ins(%subview, %6, %subview_2, %subview_3, %subview_4, %subview_5 : memref<?x16x5x5xf32, strided<[400, 25, 5, 1], offset: ?>>, memref<2x2xf32>, memref<?x16x10x10xf32, strided<[1600, 100, 10, 1], offset: ?>>, memref<?x16x10x10xf32, strided<[1600, 100, 10, 1], offset: ?>>, memref<?x16x10x10xf32, strided<[1600, 100, 10, 1], offset: ?>>, memref<?x16x10x10xf32, strided<[1600, 100, 10, 1], offset: ?>>) outs(%subview_6 : memref<?x16x10x10xf32, strided<[1600, 100, 10, 1], offset: ?>>) {
      ^bb0(%in: f32, %in_9: f32, %in_10: f32, %in_11: f32, %in_12: f32, %in_13: f32, %out: f32):
        %7 = arith.cmpf ogt, %in_10, %cst : f32
        %8 = arith.cmpf uno, %in_10, %in_10 : f32
        %9 = arith.ori %7, %8 : i1
        %10 = arith.select %9, %in_10, %cst : f32
        %11 = arith.cmpf ogt, %in_11, %10 : f32
        %12 = arith.cmpf uno, %in_11, %in_11 : f32
        %13 = arith.ori %11, %12 : i1
        %14 = arith.select %13, %in_11, %10 : f32
        %15 = arith.cmpf ogt, %in_12, %14 : f32
        %16 = arith.cmpf uno, %in_12, %in_12 : f32
        %17 = arith.ori %15, %16 : i1
        %18 = arith.select %17, %in_12, %14 : f32
        %19 = arith.cmpf ogt, %in_13, %18 : f32
        %20 = arith.cmpf uno, %in_13, %in_13 : f32
        %21 = arith.ori %19, %20 : i1
        %22 = arith.select %21, %in_13, %18 : f32
        %23 = linalg.index 4 : index
        %24 = linalg.index 5 : index
        %25 = arith.muli %23, %c2 : index
        %26 = arith.addi %25, %24 : index
        %27 = arith.cmpf oeq, %in_10, %22 : f32
        %28 = arith.cmpi eq, %26, %c0 : index
        %29 = arith.andi %27, %28 : i1
        %30 = arith.select %29, %in, %cst_1 : f32
        %31 = arith.cmpf oeq, %in_11, %22 : f32
        %32 = arith.xori %27, %true : i1
        %33 = arith.andi %31, %32 : i1
        %34 = arith.cmpi eq, %26, %c1_0 : index
        %35 = arith.andi %33, %34 : i1
        %36 = arith.select %35, %in, %30 : f32
        %37 = arith.ori %27, %31 : i1
        %38 = arith.cmpf oeq, %in_12, %22 : f32
        %39 = arith.xori %37, %true : i1
        %40 = arith.andi %38, %39 : i1
        %41 = arith.cmpi eq, %26, %c2 : index
        %42 = arith.andi %40, %41 : i1
        %43 = arith.select %42, %in, %36 : f32
        %44 = arith.ori %37, %38 : i1
        %45 = arith.cmpf oeq, %in_13, %22 : f32
        %46 = arith.xori %44, %true : i1
        %47 = arith.andi %45, %46 : i1
        %48 = arith.cmpi eq, %26, %c3 : index
        %49 = arith.andi %47, %48 : i1
        %50 = arith.select %49, %in, %43 : f32
        linalg.yield %50 : f32
      }
      %subview_7 = memref.subview %arg1[%1, 0, 0, 0] [%5, 16, 10, 10] [1, 1, 1, 1] : memref<256x16x10x10xf32> to memref<?x16x10x10xf32, strided<[1600, 100, 10, 1], offset: ?>>
      %subview_8 = memref.subview %arg2[%1, 0, 0, 0] [%5, 16, 10, 10] [1, 1, 1, 1] : memref<256x16x10x10xf32> to memref<?x16x10x10xf32, strided<[1600, 100, 10, 1], offset: ?>>
      linalg.generic {indexing_maps = [#map1, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%subview_7 : memref<?x16x10x10xf32, strided<[1600, 100, 10, 1], offset: ?>>) outs(%subview_8 : memref<?x16x10x10xf32, strided<[1600, 100, 10, 1], offset: ?>>) {
      ^bb0(%in: f32, %out: f32):
        %7 = arith.cmpf ogt, %in, %cst_1 : f32
        %8 = arith.select %7, %out, %cst_1 : f32
        linalg.yield %8 : f32
      }
      return
    }
    func.func private @k18_conv2d_grad_input(%arg0: memref<256x16x10x10xf32>, %arg1: memref<16x6x5x5xf32>, %arg2: memref<256x6x14x14xf32>, %arg3: memref<16x16x10x10x16xf32>, %arg4: memref<16x16x18x18x16xf32>, %arg5: memref<16x14x6x14x16xf32>, %arg6: index, %arg7: index) attributes {dl.flops = 122880000 : i64, dl.num_inputs = 2 : i64, dl.num_outputs = 1 : i64, dl.origin = ["dl.conv2d_grad_input @ models/lenet_relu.dl:7:11"], dl.result_aliases = array<i64: -1>, dl.result_kinds = ["gradient"], dl.scratch = [tensor<16x16x10x10x16xf32>, tensor<16x16x18x18x16xf32>, tensor<16x14x6x14x16xf32>], dl.step = "train_step", dl.workgroups = 16 : i64} {
      %c16 = arith.constant 16 : index
      %0 = arith.muli %arg6, %c16 : index
      %1 = arith.divui %0, %arg7 : index
      %c1 = arith.constant 1 : index
      %2 = arith.addi %arg6, %c1 : index
      %3 = arith.muli %2, %c16 : index
      %4 = arith.divui %3, %arg7 : index
      %5 = arith.subi %4, %1 : index
      %cst = arith.constant 0.000000e+00 : f32
      %expand_shape = memref.expand_shape %arg0 [[0, 1], [2], [3], [4]] output_shape [16, 16, 16, 10, 10] : memref<256x16x10x10xf32> into memref<16x16x16x10x10xf32>
      %subview = memref.subview %expand_shape[%1, 0, 0, 0, 0] [%5, 16, 16, 10, 10] [1, 1, 1, 1, 1] : memref<16x16x16x10x10xf32> to memref<?x16x16x10x10xf32, strided<[25600, 1600, 100, 10, 1], offset: ?>>
      %subview_0 = memref.subview %arg3[%1, 0, 0, 0, 0] [%5, 16, 10, 10, 16] [1, 1, 1, 1, 1] : memref<16x16x10x10x16xf32> to memref<?x16x10x10x16xf32, strided<[25600, 1600, 160, 16, 1], offset: ?>>
      linalg.generic {indexing_maps = [#map33, #map34], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel"]} ins(%subview : memref<?x16x16x10x10xf32, strided<[25600, 1600, 100, 10, 1], offset: ?>>) outs(%subview_0 : memref<?x16x10x10x16xf32, strided<[25600, 1600, 160, 16, 1], offset: ?>>) {
      ^bb0(%in: f32, %out: f32):
        linalg.yield %in : f32
      }
      %subview_1 = memref.subview %arg4[%1, 0, 0, 0, 0] [%5, 16, 18, 18, 16] [1, 1, 1, 1, 1] : memref<16x16x18x18x16xf32> to memref<?x16x18x18x16xf32, strided<[82944, 5184, 288, 16, 1], offset: ?>>
      linalg.fill ins(%cst : f32) outs(%subview_1 : memref<?x16x18x18x16xf32, strided<[82944, 5184, 288, 16, 1], offset: ?>>)
      %subview_2 = memref.subview %arg4[0, 0, 4, 4, 0] [16, 16, 10, 10, 16] [1, 1, 1, 1, 1] : memref<16x16x18x18x16xf32> to memref<16x16x10x10x16xf32, strided<[82944, 5184, 288, 16, 1], offset: 1216>>
      %subview_3 = memref.subview %arg3[%1, 0, 0, 0, 0] [%5, 16, 10, 10, 16] [1, 1, 1, 1, 1] : memref<16x16x10x10x16xf32> to memref<?x16x10x10x16xf32, strided<[25600, 1600, 160, 16, 1], offset: ?>>
      %subview_4 = memref.subview %subview_2[%1, 0, 0, 0, 0] [%5, 16, 10, 10, 16] [1, 1, 1, 1, 1] : memref<16x16x10x10x16xf32, strided<[82944, 5184, 288, 16, 1], offset: 1216>> to memref<?x16x10x10x16xf32, strided<[82944, 5184, 288, 16, 1], offset: ?>>
      linalg.generic {indexing_maps = [#map34, #map34], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel"]} ins(%subview_3 : memref<?x16x10x10x16xf32, strided<[25600, 1600, 160, 16, 1], offset: ?>>) outs(%subview_4 : memref<?x16x10x10x16xf32, strided<[82944, 5184, 288, 16, 1], offset: ?>>) {
      ^bb0(%in: f32, %out: f32):
        linalg.yield %in : f32
      }
      %subview_5 = memref.subview %arg5[%1, 0, 0, 0, 0] [%5, 14, 6, 14, 16] [1, 1, 1, 1, 1] : memref<16x14x6x14x16xf32> to memref<?x14x6x14x16xf32, strided<[18816, 1344, 224, 16, 1], offset: ?>>
      linalg.fill ins(%cst : f32) outs(%subview_5 : memref<?x14x6x14x16xf32, strided<[18816, 1344, 224, 16, 1], offset: ?>>)
      %subview_6 = memref.subview %arg4[%1, 0, 0, 0, 0] [%5, 16, 18, 18, 16] [1, 1, 1, 1, 1] : memref<16x16x18x18x16xf32> to memref<?x16x18x18x16xf32, strided<[82944, 5184, 288, 16, 1], offset: ?>>
      %subview_7 = memref.subview %arg5[%1, 0, 0, 0, 0] [%5, 14, 6, 14, 16] [1, 1, 1, 1, 1] : memref<16x14x6x14x16xf32> to memref<?x14x6x14x16xf32, strided<[18816, 1344, 224, 16, 1], offset: ?>>
      linalg.generic {indexing_maps = [#map35, #map36, #map37], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]} ins(%subview_6, %arg1 : memref<?x16x18x18x16xf32, strided<[82944, 5184, 288, 16, 1], offset: ?>>, memref<16x6x5x5xf32>) outs(%subview_7 : memref<?x14x6x14x16xf32, strided<[18816, 1344, 224, 16, 1], offset: ?>>) attrs =  {dl.zero_padding = array<i64: 0, 4>} {
      ^bb0(%in: f32, %in_11: f32, %out: f32):
        %6 = arith.mulf %in, %in_11 fastmath<reassoc,contract> : f32
        %7 = arith.addf %out, %6 fastmath<reassoc,contract> : f32
        linalg.yield %7 : f32
      }
      %expand_shape_8 = memref.expand_shape %arg2 [[0, 1], [2], [3], [4]] output_shape [16, 16, 6, 14, 14] : memref<256x6x14x14xf32> into memref<16x16x6x14x14xf32>
      %subview_9 = memref.subview %arg5[%1, 0, 0, 0, 0] [%5, 14, 6, 14, 16] [1, 1, 1, 1, 1] : memref<16x14x6x14x16xf32> to memref<?x14x6x14x16xf32, strided<[18816, 1344, 224, 16, 1], offset: ?>>
      %subview_10 = memref.subview %expand_shape_8[%1, 0, 0, 0, 0] [%5, 16, 6, 14, 14] [1, 1, 1, 1, 1] : memref<16x16x6x14x14xf32> to memref<?x16x6x14x14xf32, strided<[18816, 1176, 196, 14, 1], offset: ?>>
      linalg.generic {indexing_maps = [#map38, #map34], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel"]} ins(%subview_9 : memref<?x14x6x14x16xf32, strided<[18816, 1344, 224, 16, 1], offset: ?>>) outs(%subview_10 : memref<?x16x6x14x14xf32, strided<[18816, 1176, 196, 14, 1], offset: ?>>) {
      ^bb0(%in: f32, %out: f32):
        linalg.yield %in : f32
      }
      return
    }
    func.func private @k19_conv2d_grad_filter_sgd_update(%arg0: memref<256x6x14x14xf32>, %arg1: memref<256x16x10x10xf32>, %arg2: memref<16x6x5x5xf32>, %arg3: memref<f32>, %arg4: memref<f32>, %arg5: memref<256x10x10x16xf32>, %arg6: memref<6x5x5x16xf32>, %arg7: memref<16x6x5x5xf32>, %arg8: index, %arg9: index) attributes {dl.flops = 122889600 : i64, dl.num_inputs = 5 : i64, dl.num_outputs = 0 : i64, dl.origin = ["dl.conv2d_grad_filter @ models/lenet_relu.dl:7:11", "dl.sgd_update @ models/lenet_relu.dl:7:11"], dl.result_aliases = array<i64: 2>, dl.result_kinds = ["gradient"], dl.scratch = [tensor<256x10x10x16xf32>, tensor<6x5x5x16xf32>, tensor<16x6x5x5xf32>], dl.step = "train_step", dl.workgroups = 256 : i64} {
      %c256 = arith.constant 256 : index
      %0 = arith.muli %arg8, %c256 : index
      %1 = arith.divui %0, %arg9 : index
      %c1 = arith.constant 1 : index
      %2 = arith.addi %arg8, %c1 : index
      %3 = arith.muli %2, %c256 : index
      %4 = arith.divui %3, %arg9 : index
      %5 = arith.subi %4, %1 : index
      %subview = memref.subview %arg1[%1, 0, 0, 0] [%5, 16, 10, 10] [1, 1, 1, 1] : memref<256x16x10x10xf32> to memref<?x16x10x10xf32, strided<[1600, 100, 10, 1], offset: ?>>
      %subview_0 = memref.subview %arg5[%1, 0, 0, 0] [%5, 10, 10, 16] [1, 1, 1, 1] : memref<256x10x10x16xf32> to memref<?x10x10x16xf32, strided<[1600, 160, 16, 1], offset: ?>>
      linalg.generic {indexing_maps = [#map39, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%subview : memref<?x16x10x10xf32, strided<[1600, 100, 10, 1], offset: ?>>) outs(%subview_0 : memref<?x10x10x16xf32, strided<[1600, 160, 16, 1], offset: ?>>) {
      ^bb0(%in: f32, %out: f32):
        linalg.yield %in : f32
      }
      return
    }
    func.func private @k19_conv2d_grad_filter_sgd_update_p1(%arg0: memref<256x6x14x14xf32>, %arg1: memref<256x16x10x10xf32>, %arg2: memref<16x6x5x5xf32>, %arg3: memref<f32>, %arg4: memref<f32>, %arg5: memref<256x10x10x16xf32>, %arg6: memref<6x5x5x16xf32>, %arg7: memref<16x6x5x5xf32>, %arg8: index, %arg9: index) attributes {dl.num_inputs = 5 : i64, dl.num_outputs = 0 : i64, dl.origin = ["dl.conv2d_grad_filter @ models/lenet_relu.dl:7:11", "dl.sgd_update @ models/lenet_relu.dl:7:11"], dl.phase_of = "k19_conv2d_grad_filter_sgd_update", dl.result_aliases = array<i64: 2>, dl.result_kinds = ["gradient"], dl.scratch = [tensor<256x10x10x16xf32>, tensor<6x5x5x16xf32>, tensor<16x6x5x5xf32>], dl.step = "train_step", dl.workgroups = 6 : i64} {
      %c6 = arith.constant 6 : index
      %0 = arith.muli %arg8, %c6 : index
      %1 = arith.divui %0, %arg9 : index
      %c1 = arith.constant 1 : index
      %2 = arith.addi %arg8, %c1 : index
      %3 = arith.muli %2, %c6 : index
      %4 = arith.divui %3, %arg9 : index
      %5 = arith.subi %4, %1 : index
      %cst = arith.constant 0.000000e+00 : f32
      %subview = memref.subview %arg6[%1, 0, 0, 0] [%5, 5, 5, 16] [1, 1, 1, 1] : memref<6x5x5x16xf32> to memref<?x5x5x16xf32, strided<[400, 80, 16, 1], offset: ?>>
      linalg.fill ins(%cst : f32) outs(%subview : memref<?x5x5x16xf32, strided<[400, 80, 16, 1], offset: ?>>)
      %subview_0 = memref.subview %arg0[0, %1, 0, 0] [256, %5, 14, 14] [1, 1, 1, 1] : memref<256x6x14x14xf32> to memref<256x?x14x14xf32, strided<[1176, 196, 14, 1], offset: ?>>
      %subview_1 = memref.subview %arg6[%1, 0, 0, 0] [%5, 5, 5, 16] [1, 1, 1, 1] : memref<6x5x5x16xf32> to memref<?x5x5x16xf32, strided<[400, 80, 16, 1], offset: ?>>
      linalg.generic {indexing_maps = [#map12, #map40, #map13], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]} ins(%arg5, %subview_0 : memref<256x10x10x16xf32>, memref<256x?x14x14xf32, strided<[1176, 196, 14, 1], offset: ?>>) outs(%subview_1 : memref<?x5x5x16xf32, strided<[400, 80, 16, 1], offset: ?>>) {
      ^bb0(%in: f32, %in_2: f32, %out: f32):
        %6 = arith.mulf %in, %in_2 fastmath<reassoc,contract> : f32
        %7 = arith.addf %out, %6 fastmath<reassoc,contract> : f32
        linalg.yield %7 : f32
      }
      return
    }
    func.func private @k19_conv2d_grad_filter_sgd_update_p2(%arg0: memref<256x6x14x14xf32>, %arg1: memref<256x16x10x10xf32>, %arg2: memref<16x6x5x5xf32>, %arg3: memref<f32>, %arg4: memref<f32>, %arg5: memref<256x10x10x16xf32>, %arg6: memref<6x5x5x16xf32>, %arg7: memref<16x6x5x5xf32>, %arg8: index, %arg9: index) attributes {dl.num_inputs = 5 : i64, dl.num_outputs = 0 : i64, dl.origin = ["dl.conv2d_grad_filter @ models/lenet_relu.dl:7:11", "dl.sgd_update @ models/lenet_relu.dl:7:11"], dl.phase_of = "k19_conv2d_grad_filter_sgd_update", dl.result_aliases = array<i64: 2>, dl.result_kinds = ["gradient"], dl.scratch = [tensor<256x10x10x16xf32>, tensor<6x5x5x16xf32>, tensor<16x6x5x5xf32>], dl.step = "train_step", dl.workgroups = 16 : i64} {
      %c16 = arith.constant 16 : index
      %0 = arith.muli %arg8, %c16 : index
      %1 = arith.divui %0, %arg9 : index
      %c1 = arith.constant 1 : index
      %2 = arith.addi %arg8, %c1 : index
      %3 = arith.muli %2, %c16 : index
      %4 = arith.divui %3, %arg9 : index
      %5 = arith.subi %4, %1 : index
      %subview = memref.subview %arg6[0, 0, 0, %1] [6, 5, 5, %5] [1, 1, 1, 1] : memref<6x5x5x16xf32> to memref<6x5x5x?xf32, strided<[400, 80, 16, 1], offset: ?>>
      %subview_0 = memref.subview %arg7[%1, 0, 0, 0] [%5, 6, 5, 5] [1, 1, 1, 1] : memref<16x6x5x5xf32> to memref<?x6x5x5xf32, strided<[150, 25, 5, 1], offset: ?>>
      linalg.generic {indexing_maps = [#map41, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%subview : memref<6x5x5x?xf32, strided<[400, 80, 16, 1], offset: ?>>) outs(%subview_0 : memref<?x6x5x5xf32, strided<[150, 25, 5, 1], offset: ?>>) {
      ^bb0(%in: f32, %out: f32):
        linalg.yield %in : f32
      }
      %6 = memref.load %arg3[] : memref<f32>
      %7 = memref.load %arg4[] : memref<f32>
      %subview_1 = memref.subview %arg7[%1, 0, 0, 0] [%5, 6, 5, 5] [1, 1, 1, 1] : memref<16x6x5x5xf32> to memref<?x6x5x5xf32, strided<[150, 25, 5, 1], offset: ?>>
      %subview_2 = memref.subview %arg2[%1, 0, 0, 0] [%5, 6, 5, 5] [1, 1, 1, 1] : memref<16x6x5x5xf32> to memref<?x6x5x5xf32, strided<[150, 25, 5, 1], offset: ?>>
      linalg.generic {indexing_maps = [#map1, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%subview_1 : memref<?x6x5x5xf32, strided<[150, 25, 5, 1], offset: ?>>) outs(%subview_2 : memref<?x6x5x5xf32, strided<[150, 25, 5, 1], offset: ?>>) {
      ^bb0(%in: f32, %out: f32):
        %8 = arith.mulf %7, %out : f32
        %9 = arith.addf %in, %8 : f32
        %10 = arith.mulf %6, %9 : f32
        %11 = arith.subf %out, %10 : f32
        linalg.yield %11 : f32
      }
      return
    }
    func.func private @k20_bias_grad_sgd_update(%arg0: memref<256x16x10x10xf32>, %arg1: memref<16xf32>, %arg2: memref<f32>, %arg3: memref<f32>, %arg4: memref<16xf32>, %arg5: index, %arg6: index) attributes {dl.flops = 80 : i64, dl.num_inputs = 4 : i64, dl.num_outputs = 0 : i64, dl.origin = ["dl.bias_grad @ models/lenet_relu.dl:7:11", "dl.sgd_update @ models/lenet_relu.dl:7:11"], dl.result_aliases = array<i64: 1>, dl.result_kinds = ["gradient"], dl.scratch = [tensor<16xf32>], dl.step = "train_step", dl.workgroups = 16 : i64} {
      %c16 = arith.constant 16 : index
      %0 = arith.muli %arg5, %c16 : index
      %1 = arith.divui %0, %arg6 : index
      %c1 = arith.constant 1 : index
      %2 = arith.addi %arg5, %c1 : index
      %3 = arith.muli %2, %c16 : index
      %4 = arith.divui %3, %arg6 : index
      %5 = arith.subi %4, %1 : index
      %cst = arith.constant 0.000000e+00 : f32
      %subview = memref.subview %arg4[%1] [%5] [1] : memref<16xf32> to memref<?xf32, strided<[1], offset: ?>>
      linalg.fill ins(%cst : f32) outs(%subview : memref<?xf32, strided<[1], offset: ?>>)
      %subview_0 = memref.subview %arg0[0, %1, 0, 0] [256, %5, 10, 10] [1, 1, 1, 1] : memref<256x16x10x10xf32> to memref<256x?x10x10xf32, strided<[1600, 100, 10, 1], offset: ?>>
      %subview_1 = memref.subview %arg4[%1] [%5] [1] : memref<16xf32> to memref<?xf32, strided<[1], offset: ?>>
      linalg.generic {indexing_maps = [#map42, #map43], iterator_types = ["parallel", "reduction", "reduction", "reduction"]} ins(%subview_0 : memref<256x?x10x10xf32, strided<[1600, 100, 10, 1], offset: ?>>) outs(%subview_1 : memref<?xf32, strided<[1], offset: ?>>) {
      ^bb0(%in: f32, %out: f32):
        %8 = arith.addf %out, %in fastmath<reassoc,contract> : f32
        linalg.yield %8 : f32
      }
      %6 = memref.load %arg2[] : memref<f32>
      %7 = memref.load %arg3[] : memref<f32>
      %subview_2 = memref.subview %arg4[%1] [%5] [1] : memref<16xf32> to memref<?xf32, strided<[1], offset: ?>>
      %subview_3 = memref.subview %arg1[%1] [%5] [1] : memref<16xf32> to memref<?xf32, strided<[1], offset: ?>>
      linalg.generic {indexing_maps = [#map21, #map21], iterator_types = ["parallel"]} ins(%subview_2 : memref<?xf32, strided<[1], offset: ?>>) outs(%subview_3 : memref<?xf32, strided<[1], offset: ?>>) {
      ^bb0(%in: f32, %out: f32):
        %8 = arith.mulf %7, %out : f32
        %9 = arith.addf %in, %8 : f32
        %10 = arith.mulf %6, %9 : f32
        %11 = arith.subf %out, %10 : f32
        linalg.yield %11 : f32
      }
      return
    }
    func.func private @k21_max_pool2d_grad_relu_grad(%arg0: memref<256x6x14x14xf32>, %arg1: memref<256x6x28x28xf32>, %arg2: memref<256x6x28x28xf32>, %arg3: index, %arg4: index) attributes {dl.flops = 2408448 : i64, dl.num_inputs = 2 : i64, dl.num_outputs = 1 : i64, dl.origin = ["dl.max_pool2d_grad @ models/lenet_relu.dl:6:6", "dl.relu_grad @ models/lenet_relu.dl:5:6"], dl.result_aliases = array<i64: -1>, dl.result_kinds = ["gradient"], dl.scratch = [], dl.step = "train_step", dl.workgroups = 256 : i64} {
      %c256 = arith.constant 256 : index
      %0 = arith.muli %arg3, %c256 : index
      %1 = arith.divui %0, %arg4 : index
      %c1 = arith.constant 1 : index
      %2 = arith.addi %arg3, %c1 : index
      %3 = arith.muli %2, %c256 : index
      %4 = arith.divui %3, %arg4 : index
      %5 = arith.subi %4, %1 : index
      %c3 = arith.constant 3 : index
      %c1_0 = arith.constant 1 : index
      %c0 = arith.constant 0 : index
      %true = arith.constant true
      %c2 = arith.constant 2 : index
      %cst = arith.constant 0xFF800000 : f32
      %cst_1 = arith.constant 0.000000e+00 : f32
      %6 = memref.get_global @__constant_2x2xf32 : memref<2x2xf32>
      %subview = memref.subview %arg0[%1, 0, 0, 0] [%5, 6, 14, 14] [1, 1, 1, 1] : memref<256x6x14x14xf32> to memref<?x6x14x14xf32, strided<[1176, 196, 14, 1], offset: ?>>
      %subview_2 = memref.subview %arg1[%1, 0, 0, 0] [%5, 6, 28, 28] [1, 1, 1, 1] : memref<256x6x28x28xf32> to memref<?x6x28x28xf32, strided<[4704, 784, 28, 1], offset: ?>>
      %subview_3 = memref.subview %arg1[%1, 0, 0, 0] [%5, 6, 28, 28] [1, 1, 1, 1] : memref<256x6x28x28xf32> to memref<?x6x28x28xf32, strided<[4704, 784, 28, 1], offset: ?>>
      %subview_4 = memref.subview %arg1[%1, 0, 0, 0] [%5, 6, 28, 28] [1, 1, 1, 1] : memref<256x6x28x28xf32> to memref<?x6x28x28xf32, strided<[4704, 784, 28, 1], offset: ?>>
      %subview_5 = memref.subview %arg1[%1, 0, 0, 0] [%5, 6, 28, 28] [1, 1, 1, 1] : memref<256x6x28x28xf32> to memref<?x6x28x28xf32, strided<[4704, 784, 28, 1], offset: ?>>
      %subview_6 = memref.subview %arg2[%1, 0, 0, 0] [%5, 6, 28, 28] [1, 1, 1, 1] : memref<256x6x28x28xf32> to memref<?x6x28x28xf32, strided<[4704, 784, 28, 1], offset: ?>>
      linalg.generic {indexing_maps = [#map26, #map27, #map28, #map29, #map30, #map31, #map32], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "parallel"]} ins(%subview, %6, %subview_2, %subview_3, %subview_4, %subview_5 : memref<?x6x14x14xf32, strided<[1176, 196, 14, 1], offset: ?>>, memref<2x2xf32>, memref<?x6x28x28xf32, strided<[4704, 784, 28, 1], offset: ?>>, memref<?x6x28x28xf32, strided<[4704, 784, 28, 1], offset: ?>>, memref<?x6x28x28xf32, strided<[4704, 784, 28, 1], offset: ?>>, memref<?x6x28x28xf32, strided<[4704, 784, 28, 1], offset: ?>>) outs(%subview_6 : memref<?x6x28x28xf32, strided<[4704, 784, 28, 1], offset: ?>>) {
      ^bb0(%in: f32, %in_9: f32, %in_10: f32, %in_11: f32, %in_12: f32, %in_13: f32, %out: f32):
        %7 = arith.cmpf ogt, %in_10, %cst : f32
        %8 = arith.cmpf uno, %in_10, %in_10 : f32
        %9 = arith.ori %7, %8 : i1
        %10 = arith.select %9, %in_10, %cst : f32
        %11 = arith.cmpf ogt, %in_11, %10 : f32
        %12 = arith.cmpf uno, %in_11, %in_11 : f32
        %13 = arith.ori %11, %12 : i1
        %14 = arith.select %13, %in_11, %10 : f32
        %15 = arith.cmpf ogt, %in_12, %14 : f32
        %16 = arith.cmpf uno, %in_12, %in_12 : f32
        %17 = arith.ori %15, %16 : i1
        %18 = arith.select %17, %in_12, %14 : f32
        %19 = arith.cmpf ogt, %in_13, %18 : f32
        %20 = arith.cmpf uno, %in_13, %in_13 : f32
        %21 = arith.ori %19, %20 : i1
        %22 = arith.select %21, %in_13, %18 : f32
        %23 = linalg.index 4 : index
        %24 = linalg.index 5 : index
        %25 = arith.muli %23, %c2 : index
        %26 = arith.addi %25, %24 : index
        %27 = arith.cmpf oeq, %in_10, %22 : f32
        %28 = arith.cmpi eq, %26, %c0 : index
        %29 = arith.andi %27, %28 : i1
        %30 = arith.select %29, %in, %cst_1 : f32
        %31 = arith.cmpf oeq, %in_11, %22 : f32
        %32 = arith.xori %27, %true : i1
        %33 = arith.andi %31, %32 : i1
        %34 = arith.cmpi eq, %26, %c1_0 : index
        %35 = arith.andi %33, %34 : i1
        %36 = arith.select %35, %in, %30 : f32
        %37 = arith.ori %27, %31 : i1
        %38 = arith.cmpf oeq, %in_12, %22 : f32
        %39 = arith.xori %37, %true : i1
        %40 = arith.andi %38, %39 : i1
        %41 = arith.cmpi eq, %26, %c2 : index
        %42 = arith.andi %40, %41 : i1
        %43 = arith.select %42, %in, %36 : f32
        %44 = arith.ori %37, %38 : i1
        %45 = arith.cmpf oeq, %in_13, %22 : f32
        %46 = arith.xori %44, %true : i1
        %47 = arith.andi %45, %46 : i1
        %48 = arith.cmpi eq, %26, %c3 : index
        %49 = arith.andi %47, %48 : i1
        %50 = arith.select %49, %in, %43 : f32
        linalg.yield %50 : f32
      }
      %subview_7 = memref.subview %arg1[%1, 0, 0, 0] [%5, 6, 28, 28] [1, 1, 1, 1] : memref<256x6x28x28xf32> to memref<?x6x28x28xf32, strided<[4704, 784, 28, 1], offset: ?>>
      %subview_8 = memref.subview %arg2[%1, 0, 0, 0] [%5, 6, 28, 28] [1, 1, 1, 1] : memref<256x6x28x28xf32> to memref<?x6x28x28xf32, strided<[4704, 784, 28, 1], offset: ?>>
      linalg.generic {indexing_maps = [#map1, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%subview_7 : memref<?x6x28x28xf32, strided<[4704, 784, 28, 1], offset: ?>>) outs(%subview_8 : memref<?x6x28x28xf32, strided<[4704, 784, 28, 1], offset: ?>>) {
      ^bb0(%in: f32, %out: f32):
        %7 = arith.cmpf ogt, %in, %cst_1 : f32
        %8 = arith.select %7, %out, %cst_1 : f32
        linalg.yield %8 : f32
      }
      return
    }
    func.func private @k22_conv2d_grad_filter_sgd_update(%arg0: memref<256x1x28x28xf32>, %arg1: memref<256x6x28x28xf32>, %arg2: memref<6x1x5x5xf32>, %arg3: memref<f32>, %arg4: memref<f32>, %arg5: memref<6x1x5x5xf32>, %arg6: memref<256x1x32x32xf32>, %arg7: index, %arg8: index) attributes {dl.flops = 60211800 : i64, dl.num_inputs = 5 : i64, dl.num_outputs = 0 : i64, dl.origin = ["dl.conv2d_grad_filter @ models/lenet_relu.dl:5:11", "dl.sgd_update @ models/lenet_relu.dl:5:11"], dl.result_aliases = array<i64: 2>, dl.result_kinds = ["gradient"], dl.scratch = [tensor<6x1x5x5xf32>, tensor<256x1x32x32xf32>], dl.step = "train_step", dl.workgroups = 6 : i64} {
      %c6 = arith.constant 6 : index
      %0 = arith.muli %arg7, %c6 : index
      %1 = arith.divui %0, %arg8 : index
      %c1 = arith.constant 1 : index
      %2 = arith.addi %arg7, %c1 : index
      %3 = arith.muli %2, %c6 : index
      %4 = arith.divui %3, %arg8 : index
      %5 = arith.subi %4, %1 : index
      %cst = arith.constant 0.000000e+00 : f32
      %subview = memref.subview %arg5[%1, 0, 0, 0] [%5, 1, 5, 5] [1, 1, 1, 1] : memref<6x1x5x5xf32> to memref<?x1x5x5xf32, strided<[25, 25, 5, 1], offset: ?>>
      linalg.fill ins(%cst : f32) outs(%subview : memref<?x1x5x5xf32, strided<[25, 25, 5, 1], offset: ?>>)
      return
    }
    func.func private @k22_conv2d_grad_filter_sgd_update_p1(%arg0: memref<256x1x28x28xf32>, %arg1: memref<256x6x28x28xf32>, %arg2: memref<6x1x5x5xf32>, %arg3: memref<f32>, %arg4: memref<f32>, %arg5: memref<6x1x5x5xf32>, %arg6: memref<256x1x32x32xf32>, %arg7: index, %arg8: index) attributes {dl.num_inputs = 5 : i64, dl.num_outputs = 0 : i64, dl.origin = ["dl.conv2d_grad_filter @ models/lenet_relu.dl:5:11", "dl.sgd_update @ models/lenet_relu.dl:5:11"], dl.phase_of = "k22_conv2d_grad_filter_sgd_update", dl.result_aliases = array<i64: 2>, dl.result_kinds = ["gradient"], dl.scratch = [tensor<6x1x5x5xf32>, tensor<256x1x32x32xf32>], dl.step = "train_step", dl.workgroups = 256 : i64} {
      %c256 = arith.constant 256 : index
      %0 = arith.muli %arg7, %c256 : index
      %1 = arith.divui %0, %arg8 : index
      %c1 = arith.constant 1 : index
      %2 = arith.addi %arg7, %c1 : index
      %3 = arith.muli %2, %c256 : index
      %4 = arith.divui %3, %arg8 : index
      %5 = arith.subi %4, %1 : index
      %cst = arith.constant 0.000000e+00 : f32
      %subview = memref.subview %arg6[%1, 0, 0, 0] [%5, 1, 32, 32] [1, 1, 1, 1] : memref<256x1x32x32xf32> to memref<?x1x32x32xf32, strided<[1024, 1024, 32, 1], offset: ?>>
      linalg.fill ins(%cst : f32) outs(%subview : memref<?x1x32x32xf32, strided<[1024, 1024, 32, 1], offset: ?>>)
      %subview_0 = memref.subview %arg6[0, 0, 2, 2] [256, 1, 28, 28] [1, 1, 1, 1] : memref<256x1x32x32xf32> to memref<256x1x28x28xf32, strided<[1024, 1024, 32, 1], offset: 66>>
      %subview_1 = memref.subview %arg0[%1, 0, 0, 0] [%5, 1, 28, 28] [1, 1, 1, 1] : memref<256x1x28x28xf32> to memref<?x1x28x28xf32, strided<[784, 784, 28, 1], offset: ?>>
      %subview_2 = memref.subview %subview_0[%1, 0, 0, 0] [%5, 1, 28, 28] [1, 1, 1, 1] : memref<256x1x28x28xf32, strided<[1024, 1024, 32, 1], offset: 66>> to memref<?x1x28x28xf32, strided<[1024, 1024, 32, 1], offset: ?>>
      linalg.generic {indexing_maps = [#map1, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%subview_1 : memref<?x1x28x28xf32, strided<[784, 784, 28, 1], offset: ?>>) outs(%subview_2 : memref<?x1x28x28xf32, strided<[1024, 1024, 32, 1], offset: ?>>) {
      ^bb0(%in: f32, %out: f32):
        linalg.yield %in : f32
      }
      return
    }
    func.func private @k22_conv2d_grad_filter_sgd_update_p2(%arg0: memref<256x1x28x28xf32>, %arg1: memref<256x6x28x28xf32>, %arg2: memref<6x1x5x5xf32>, %arg3: memref<f32>, %arg4: memref<f32>, %arg5: memref<6x1x5x5xf32>, %arg6: memref<256x1x32x32xf32>, %arg7: index, %arg8: index) attributes {dl.num_inputs = 5 : i64, dl.num_outputs = 0 : i64, dl.origin = ["dl.conv2d_grad_filter @ models/lenet_relu.dl:5:11", "dl.sgd_update @ models/lenet_relu.dl:5:11"], dl.phase_of = "k22_conv2d_grad_filter_sgd_update", dl.result_aliases = array<i64: 2>, dl.result_kinds = ["gradient"], dl.scratch = [tensor<6x1x5x5xf32>, tensor<256x1x32x32xf32>], dl.step = "train_step", dl.workgroups = 6 : i64} {
      %c6 = arith.constant 6 : index
      %0 = arith.muli %arg7, %c6 : index
      %1 = arith.divui %0, %arg8 : index
      %c1 = arith.constant 1 : index
      %2 = arith.addi %arg7, %c1 : index
      %3 = arith.muli %2, %c6 : index
      %4 = arith.divui %3, %arg8 : index
      %5 = arith.subi %4, %1 : index
      %subview = memref.subview %arg1[0, %1, 0, 0] [256, %5, 28, 28] [1, 1, 1, 1] : memref<256x6x28x28xf32> to memref<256x?x28x28xf32, strided<[4704, 784, 28, 1], offset: ?>>
      %subview_0 = memref.subview %arg5[%1, 0, 0, 0] [%5, 1, 5, 5] [1, 1, 1, 1] : memref<6x1x5x5xf32> to memref<?x1x5x5xf32, strided<[25, 25, 5, 1], offset: ?>>
      linalg.generic {indexing_maps = [#map44, #map45, #map13], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]} ins(%subview, %arg6 : memref<256x?x28x28xf32, strided<[4704, 784, 28, 1], offset: ?>>, memref<256x1x32x32xf32>) outs(%subview_0 : memref<?x1x5x5xf32, strided<[25, 25, 5, 1], offset: ?>>) attrs =  {dl.zero_padding = array<i64: 1, 2>} {
      ^bb0(%in: f32, %in_3: f32, %out: f32):
        %8 = arith.mulf %in, %in_3 fastmath<reassoc,contract> : f32
        %9 = arith.addf %out, %8 fastmath<reassoc,contract> : f32
        linalg.yield %9 : f32
      }
      %6 = memref.load %arg3[] : memref<f32>
      %7 = memref.load %arg4[] : memref<f32>
      %subview_1 = memref.subview %arg5[%1, 0, 0, 0] [%5, 1, 5, 5] [1, 1, 1, 1] : memref<6x1x5x5xf32> to memref<?x1x5x5xf32, strided<[25, 25, 5, 1], offset: ?>>
      %subview_2 = memref.subview %arg2[%1, 0, 0, 0] [%5, 1, 5, 5] [1, 1, 1, 1] : memref<6x1x5x5xf32> to memref<?x1x5x5xf32, strided<[25, 25, 5, 1], offset: ?>>
      linalg.generic {indexing_maps = [#map1, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%subview_1 : memref<?x1x5x5xf32, strided<[25, 25, 5, 1], offset: ?>>) outs(%subview_2 : memref<?x1x5x5xf32, strided<[25, 25, 5, 1], offset: ?>>) {
      ^bb0(%in: f32, %out: f32):
        %8 = arith.mulf %7, %out : f32
        %9 = arith.addf %in, %8 : f32
        %10 = arith.mulf %6, %9 : f32
        %11 = arith.subf %out, %10 : f32
        linalg.yield %11 : f32
      }
      return
    }
    func.func private @k23_bias_grad_sgd_update(%arg0: memref<256x6x28x28xf32>, %arg1: memref<6xf32>, %arg2: memref<f32>, %arg3: memref<f32>, %arg4: memref<6xf32>, %arg5: index, %arg6: index) attributes {dl.flops = 30 : i64, dl.num_inputs = 4 : i64, dl.num_outputs = 0 : i64, dl.origin = ["dl.bias_grad @ models/lenet_relu.dl:5:11", "dl.sgd_update @ models/lenet_relu.dl:5:11"], dl.result_aliases = array<i64: 1>, dl.result_kinds = ["gradient"], dl.scratch = [tensor<6xf32>], dl.step = "train_step", dl.workgroups = 6 : i64} {
      %c6 = arith.constant 6 : index
      %0 = arith.muli %arg5, %c6 : index
      %1 = arith.divui %0, %arg6 : index
      %c1 = arith.constant 1 : index
      %2 = arith.addi %arg5, %c1 : index
      %3 = arith.muli %2, %c6 : index
      %4 = arith.divui %3, %arg6 : index
      %5 = arith.subi %4, %1 : index
      %cst = arith.constant 0.000000e+00 : f32
      %subview = memref.subview %arg4[%1] [%5] [1] : memref<6xf32> to memref<?xf32, strided<[1], offset: ?>>
      linalg.fill ins(%cst : f32) outs(%subview : memref<?xf32, strided<[1], offset: ?>>)
      %subview_0 = memref.subview %arg0[0, %1, 0, 0] [256, %5, 28, 28] [1, 1, 1, 1] : memref<256x6x28x28xf32> to memref<256x?x28x28xf32, strided<[4704, 784, 28, 1], offset: ?>>
      %subview_1 = memref.subview %arg4[%1] [%5] [1] : memref<6xf32> to memref<?xf32, strided<[1], offset: ?>>
      linalg.generic {indexing_maps = [#map42, #map43], iterator_types = ["parallel", "reduction", "reduction", "reduction"]} ins(%subview_0 : memref<256x?x28x28xf32, strided<[4704, 784, 28, 1], offset: ?>>) outs(%subview_1 : memref<?xf32, strided<[1], offset: ?>>) {
      ^bb0(%in: f32, %out: f32):
        %8 = arith.addf %out, %in fastmath<reassoc,contract> : f32
        linalg.yield %8 : f32
      }
      %6 = memref.load %arg2[] : memref<f32>
      %7 = memref.load %arg3[] : memref<f32>
      %subview_2 = memref.subview %arg4[%1] [%5] [1] : memref<6xf32> to memref<?xf32, strided<[1], offset: ?>>
      %subview_3 = memref.subview %arg1[%1] [%5] [1] : memref<6xf32> to memref<?xf32, strided<[1], offset: ?>>
      linalg.generic {indexing_maps = [#map21, #map21], iterator_types = ["parallel"]} ins(%subview_2 : memref<?xf32, strided<[1], offset: ?>>) outs(%subview_3 : memref<?xf32, strided<[1], offset: ?>>) {
      ^bb0(%in: f32, %out: f32):
        %8 = arith.mulf %7, %out : f32
        %9 = arith.addf %in, %8 : f32
        %10 = arith.mulf %6, %9 : f32
        %11 = arith.subf %out, %10 : f32
        linalg.yield %11 : f32
      }
      return
    }
    func.func private @k31_softmax_ce_eval(%arg0: memref<256x10xf32>, %arg1: memref<256xi32>, %arg2: memref<i32>, %arg3: memref<f32>, %arg4: memref<i32>, %arg5: memref<256xf32>, %arg6: memref<256xf32>, %arg7: memref<256xi32>, %arg8: index, %arg9: index) attributes {dl.flops = 10240 : i64, dl.num_inputs = 3 : i64, dl.num_outputs = 2 : i64, dl.origin = ["dl.softmax_ce_eval @ models/lenet_relu.dl:13:8"], dl.result_aliases = array<i64: -1, -1>, dl.result_kinds = ["gradient", "gradient"], dl.scratch = [tensor<256xf32>, tensor<256xf32>, tensor<256xi32>], dl.step = "eval_step", dl.workgroups = 1 : i64} {
      %c0_i32 = arith.constant 0 : i32
      %c10_i32 = arith.constant 10 : i32
      %cst = arith.constant 0.000000e+00 : f32
      %cst_0 = arith.constant 0xFF800000 : f32
      linalg.fill ins(%cst_0 : f32) outs(%arg5 : memref<256xf32>)
      linalg.generic {indexing_maps = [#map16, #map20], iterator_types = ["parallel", "reduction"]} ins(%arg0 : memref<256x10xf32>) outs(%arg5 : memref<256xf32>) {
      ^bb0(%in: f32, %out: f32):
        %1 = arith.cmpf ogt, %in, %out : f32
        %2 = arith.cmpf uno, %in, %in : f32
        %3 = arith.ori %1, %2 : i1
        %4 = arith.select %3, %in, %out : f32
        linalg.yield %4 : f32
      }
      linalg.fill ins(%cst : f32) outs(%arg6 : memref<256xf32>)
      linalg.generic {indexing_maps = [#map16, #map20, #map20], iterator_types = ["parallel", "reduction"]} ins(%arg0, %arg5 : memref<256x10xf32>, memref<256xf32>) outs(%arg6 : memref<256xf32>) {
      ^bb0(%in: f32, %in_1: f32, %out: f32):
        %1 = arith.subf %in, %in_1 : f32
        %2 = math.exp %1 : f32
        %3 = arith.addf %out, %2 : f32
        linalg.yield %3 : f32
      }
      %0 = memref.load %arg2[] : memref<i32>
      linalg.fill ins(%cst : f32) outs(%arg3 : memref<f32>)
      linalg.generic {indexing_maps = [#map21, #map21, #map21, #map22], iterator_types = ["reduction"]} ins(%arg5, %arg6, %arg1 : memref<256xf32>, memref<256xf32>, memref<256xi32>) outs(%arg3 : memref<f32>) {
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
      linalg.generic {indexing_maps = [#map16, #map20, #map20], iterator_types = ["parallel", "reduction"]} ins(%arg0, %arg5 : memref<256x10xf32>, memref<256xf32>) outs(%arg7 : memref<256xi32>) {
      ^bb0(%in: f32, %in_1: f32, %out: i32):
        %1 = linalg.index 1 : index
        %2 = arith.index_cast %1 : index to i32
        %3 = arith.cmpf oeq, %in, %in_1 : f32
        %4 = arith.minsi %out, %2 : i32
        %5 = arith.select %3, %4, %out : i32
        linalg.yield %5 : i32
      }
      linalg.fill ins(%c0_i32 : i32) outs(%arg4 : memref<i32>)
      linalg.generic {indexing_maps = [#map21, #map21, #map22], iterator_types = ["reduction"]} ins(%arg7, %arg1 : memref<256xi32>, memref<256xi32>) outs(%arg4 : memref<i32>) {
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

