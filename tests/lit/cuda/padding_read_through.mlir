// A window-sum filter gradient reads its image through the padding that
// wrote its padded scratch, and the padding gets no phase, only when
// nothing else can tell: not when the image is written in between, nor
// when something else reads the scratch.
// RUN: dl-opt %s --split-input-file --dl-map-kernels-to-gpu | FileCheck %s
// RUN: dl-opt %s --split-input-file --dl-map-kernels-to-gpu=sequential=true | FileCheck %s --check-prefix=SEQ

// LeNet's first filter gradient as lowered: one launch, the image read
// directly, the scratch (%arg6) never written.
// CHECK-LABEL: gpu.func @k22_conv2d_grad_filter_sgd_update_p0(
// CHECK-SAME: dl.workgroups = 168
// CHECK-NOT: memref.store %{{.*}}, %arg6
// CHECK: memref.load %arg0
// CHECK-NOT: memref.store %{{.*}}, %arg6
// CHECK: gpu.return
// CHECK-NOT: gpu.func @k22_conv2d_grad_filter_sgd_update_p1(
// SEQ-LABEL: func.func private @k22_conv2d_grad_filter_sgd_update(
// SEQ-NOT: memref.store %{{.*}}, %arg6
// SEQ: return
module @kernels {
  func.func private @k22_conv2d_grad_filter_sgd_update(%arg0: memref<256x1x28x28xf32>, %arg1: memref<256x6x28x28xf32>, %arg2: memref<6x1x5x5xf32>, %arg3: memref<f32>, %arg4: memref<f32>, %arg5: memref<6x1x5x5xf32>, %arg6: memref<256x1x32x32xf32>, %arg7: index, %arg8: index) attributes {dl.flops = 60211800 : i64, dl.num_inputs = 5 : i64, dl.num_outputs = 0 : i64, dl.origin = ["dl.conv2d_grad_filter @ /work/main/models/lenet_relu.dl:5:11", "dl.sgd_update @ /work/main/models/lenet_relu.dl:5:11"], dl.result_aliases = array<i64: 2>, dl.result_kinds = ["gradient"], dl.scratch = [tensor<6x1x5x5xf32>, tensor<256x1x32x32xf32>], dl.step = "train_step", dl.workgroups = 1 : i64} {
    %cst = arith.constant 0.000000e+00 : f32
    linalg.fill ins(%cst : f32) outs(%arg5 : memref<6x1x5x5xf32>)
    linalg.fill ins(%cst : f32) outs(%arg6 : memref<256x1x32x32xf32>)
    %subview = memref.subview %arg6[0, 0, 2, 2] [256, 1, 28, 28] [1, 1, 1, 1] : memref<256x1x32x32xf32> to memref<256x1x28x28xf32, strided<[1024, 1024, 32, 1], offset: 66>>
    linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%arg0 : memref<256x1x28x28xf32>) outs(%subview : memref<256x1x28x28xf32, strided<[1024, 1024, 32, 1], offset: 66>>) {
    ^bb0(%in: f32, %out: f32):
      linalg.yield %in : f32
    }
    linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d4, d0, d5, d6)>, affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d4, d1, d2 + d5, d3 + d6)>, affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]} ins(%arg1, %arg6 : memref<256x6x28x28xf32>, memref<256x1x32x32xf32>) outs(%arg5 : memref<6x1x5x5xf32>) attrs =  {dl.zero_padding = array<i64: 1, 2>} {
    ^bb0(%in: f32, %in_0: f32, %out: f32):
      %2 = arith.mulf %in, %in_0 fastmath<reassoc,contract> : f32
      %3 = arith.addf %out, %2 fastmath<reassoc,contract> : f32
      linalg.yield %3 : f32
    }
    %0 = memref.load %arg3[] : memref<f32>
    %1 = memref.load %arg4[] : memref<f32>
    linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%arg5 : memref<6x1x5x5xf32>) outs(%arg2 : memref<6x1x5x5xf32>) {
    ^bb0(%in: f32, %out: f32):
      %2 = arith.mulf %1, %out : f32
      %3 = arith.addf %in, %2 : f32
      %4 = arith.mulf %0, %3 : f32
      %5 = arith.subf %out, %4 : f32
      linalg.yield %5 : f32
    }
    return
  }
}

// -----

// The image scaled in place between the padding and the sums: the padding
// runs (its phase stores %arg6) and the sums read the scratch.
// CHECK-LABEL: gpu.func @k22_conv2d_grad_filter_sgd_update_p0(
// CHECK: memref.store %{{.*}}, %arg6
// CHECK-LABEL: gpu.func @k22_conv2d_grad_filter_sgd_update_p2(
// CHECK: memref.load %arg6
// SEQ-LABEL: func.func private @k22_conv2d_grad_filter_sgd_update(
// SEQ: memref.store %{{.*}}, %arg6
module @kernels {
  func.func private @k22_conv2d_grad_filter_sgd_update(%arg0: memref<256x1x28x28xf32>, %arg1: memref<256x6x28x28xf32>, %arg2: memref<6x1x5x5xf32>, %arg3: memref<f32>, %arg4: memref<f32>, %arg5: memref<6x1x5x5xf32>, %arg6: memref<256x1x32x32xf32>, %arg7: index, %arg8: index) attributes {dl.flops = 60211800 : i64, dl.num_inputs = 5 : i64, dl.num_outputs = 0 : i64, dl.origin = ["dl.conv2d_grad_filter @ /work/main/models/lenet_relu.dl:5:11", "dl.sgd_update @ /work/main/models/lenet_relu.dl:5:11"], dl.result_aliases = array<i64: 2>, dl.result_kinds = ["gradient"], dl.scratch = [tensor<6x1x5x5xf32>, tensor<256x1x32x32xf32>], dl.step = "train_step", dl.workgroups = 1 : i64} {
    %cst = arith.constant 0.000000e+00 : f32
    linalg.fill ins(%cst : f32) outs(%arg5 : memref<6x1x5x5xf32>)
    linalg.fill ins(%cst : f32) outs(%arg6 : memref<256x1x32x32xf32>)
    %subview = memref.subview %arg6[0, 0, 2, 2] [256, 1, 28, 28] [1, 1, 1, 1] : memref<256x1x32x32xf32> to memref<256x1x28x28xf32, strided<[1024, 1024, 32, 1], offset: 66>>
    linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%arg0 : memref<256x1x28x28xf32>) outs(%subview : memref<256x1x28x28xf32, strided<[1024, 1024, 32, 1], offset: 66>>) {
    ^bb0(%in: f32, %out: f32):
      linalg.yield %in : f32
    }
    linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} outs(%arg0 : memref<256x1x28x28xf32>) {
    ^bb0(%out: f32):
      %two = arith.constant 2.0 : f32
      %s = arith.mulf %out, %two : f32
      linalg.yield %s : f32
    }
    linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d4, d0, d5, d6)>, affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d4, d1, d2 + d5, d3 + d6)>, affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]} ins(%arg1, %arg6 : memref<256x6x28x28xf32>, memref<256x1x32x32xf32>) outs(%arg5 : memref<6x1x5x5xf32>) attrs =  {dl.zero_padding = array<i64: 1, 2>} {
    ^bb0(%in: f32, %in_0: f32, %out: f32):
      %2 = arith.mulf %in, %in_0 fastmath<reassoc,contract> : f32
      %3 = arith.addf %out, %2 fastmath<reassoc,contract> : f32
      linalg.yield %3 : f32
    }
    %0 = memref.load %arg3[] : memref<f32>
    %1 = memref.load %arg4[] : memref<f32>
    linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%arg5 : memref<6x1x5x5xf32>) outs(%arg2 : memref<6x1x5x5xf32>) {
    ^bb0(%in: f32, %out: f32):
      %2 = arith.mulf %1, %out : f32
      %3 = arith.addf %in, %2 : f32
      %4 = arith.mulf %0, %3 : f32
      %5 = arith.subf %out, %4 : f32
      linalg.yield %5 : f32
    }
    return
  }
}

// -----

// The scratch also read by the SGD step: the padding runs.
// CHECK-LABEL: gpu.func @k22_conv2d_grad_filter_sgd_update_p0(
// CHECK: memref.store %{{.*}}, %arg6
// SEQ-LABEL: func.func private @k22_conv2d_grad_filter_sgd_update(
// SEQ: memref.store %{{.*}}, %arg6
module @kernels {
  func.func private @k22_conv2d_grad_filter_sgd_update(%arg0: memref<256x1x28x28xf32>, %arg1: memref<256x6x28x28xf32>, %arg2: memref<6x1x5x5xf32>, %arg3: memref<f32>, %arg4: memref<f32>, %arg5: memref<6x1x5x5xf32>, %arg6: memref<256x1x32x32xf32>, %arg7: index, %arg8: index) attributes {dl.flops = 60211800 : i64, dl.num_inputs = 5 : i64, dl.num_outputs = 0 : i64, dl.origin = ["dl.conv2d_grad_filter @ /work/main/models/lenet_relu.dl:5:11", "dl.sgd_update @ /work/main/models/lenet_relu.dl:5:11"], dl.result_aliases = array<i64: 2>, dl.result_kinds = ["gradient"], dl.scratch = [tensor<6x1x5x5xf32>, tensor<256x1x32x32xf32>], dl.step = "train_step", dl.workgroups = 1 : i64} {
    %cst = arith.constant 0.000000e+00 : f32
    linalg.fill ins(%cst : f32) outs(%arg5 : memref<6x1x5x5xf32>)
    linalg.fill ins(%cst : f32) outs(%arg6 : memref<256x1x32x32xf32>)
    %subview = memref.subview %arg6[0, 0, 2, 2] [256, 1, 28, 28] [1, 1, 1, 1] : memref<256x1x32x32xf32> to memref<256x1x28x28xf32, strided<[1024, 1024, 32, 1], offset: 66>>
    linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%arg0 : memref<256x1x28x28xf32>) outs(%subview : memref<256x1x28x28xf32, strided<[1024, 1024, 32, 1], offset: 66>>) {
    ^bb0(%in: f32, %out: f32):
      linalg.yield %in : f32
    }
    linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d4, d0, d5, d6)>, affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d4, d1, d2 + d5, d3 + d6)>, affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]} ins(%arg1, %arg6 : memref<256x6x28x28xf32>, memref<256x1x32x32xf32>) outs(%arg5 : memref<6x1x5x5xf32>) attrs =  {dl.zero_padding = array<i64: 1, 2>} {
    ^bb0(%in: f32, %in_0: f32, %out: f32):
      %2 = arith.mulf %in, %in_0 fastmath<reassoc,contract> : f32
      %3 = arith.addf %out, %2 fastmath<reassoc,contract> : f32
      linalg.yield %3 : f32
    }
    %0 = memref.load %arg3[] : memref<f32>
    %1 = memref.load %arg4[] : memref<f32>
    %ci = arith.constant 2 : index
    %c0i = arith.constant 0 : index
    %pv = memref.load %arg6[%ci, %c0i, %ci, %ci] : memref<256x1x32x32xf32>
    linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%arg5 : memref<6x1x5x5xf32>) outs(%arg2 : memref<6x1x5x5xf32>) {
    ^bb0(%in: f32, %out: f32):
      %2 = arith.mulf %1, %out : f32
      %3 = arith.addf %in, %2 : f32
      %33 = arith.addf %3, %pv : f32
      %4 = arith.mulf %0, %33 : f32
      %5 = arith.subf %out, %4 : f32
      linalg.yield %5 : f32
    }
    return
  }
}
