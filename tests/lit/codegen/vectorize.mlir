// dl-vectorize-kernels: multiply-accumulate generics of bufferized kernels
// become register blocks of 1-D vector FMAs.
// RUN: dl-opt %s --dl-vectorize-kernels | FileCheck %s
// RUN: dl-opt %s --dl-vectorize-kernels --convert-linalg-to-loops --canonicalize | FileCheck %s --check-prefix=LOOPS
// Whole pipeline: every contraction and convolution of a small CNN is
// vectorized, none is left as a generic with a multiply-add body.
// RUN: dlc %S/Inputs/tiny_cnn.dl --emit=loops | FileCheck %s --check-prefix=CNN
// RUN: dlc %S/Inputs/tiny_cnn.dl --emit=llvm-dialect | FileCheck %s --check-prefix=LLVM

module @kernels {

// A dense layer on a row slice of dl-distribute-workgroups (dynamic rows),
// 20 columns: blocks of 8 rows x 32 lanes (each broadcast feeds two
// 16-lane FMAs), one-row blocks for the rows left over; 20 is not a
// multiple of 32, so the column chunk is masked. Slices must hold a whole
// block: 32 rows give 4 workgroups.
// CHECK-LABEL: func.func private @dense
// CHECK-SAME: dl.workgroups = 4
// CHECK-NOT: linalg.generic
// CHECK-DAG: %[[C8:.*]] = arith.constant 8 : index
// CHECK: %[[REM:.*]] = arith.remui %[[ROWS:.*]], %[[C8]]
// CHECK: %[[FULL:.*]] = arith.subi %[[ROWS]], %[[REM]]
// CHECK: scf.for %[[I:.*]] = %{{.*}} to %[[FULL]] step %[[C8]]
// CHECK: scf.for %[[J:.*]] = %{{.*}} to %{{.*}} step %[[C16:.*]] {
// CHECK: %[[LEFT:.*]] = arith.subi %{{.*}}, %[[J]]
// CHECK: %[[MASK:.*]] = vector.create_mask %[[LEFT]] : vector<32xi1>
// CHECK: vector.maskedload {{.*}}, %[[MASK]]
// CHECK: scf.for {{.*}} iter_args({{.*}}) -> (vector<32xf32>, vector<32xf32>, vector<32xf32>, vector<32xf32>, vector<32xf32>, vector<32xf32>, vector<32xf32>, vector<32xf32>)
// CHECK: memref.load
// CHECK: vector.broadcast {{.*}} : f32 to vector<32xf32>
// CHECK: vector.maskedload
// CHECK: vector.fma {{.*}} : vector<32xf32>
// CHECK: vector.maskedstore
// The outer loops are not worth unrolling to LLVM.
// CHECK: } {llvm.loop_annotation = #[[NOUNROLL:.*]]}
// CHECK: scf.for %{{.*}} = %[[FULL]] to %[[ROWS]] step %{{.*}} {
// CHECK: vector.fma
func.func private @dense(%x: memref<32x5xf32>, %w: memref<5x20xf32>, %y: memref<32x20xf32>, %lo: index, %rows: index) attributes {dl.workgroups = 32 : i64} {
  %xs = memref.subview %x[%lo, 0] [%rows, 5] [1, 1] : memref<32x5xf32> to memref<?x5xf32, strided<[5, 1], offset: ?>>
  %ys = memref.subview %y[%lo, 0] [%rows, 20] [1, 1] : memref<32x20xf32> to memref<?x20xf32, strided<[20, 1], offset: ?>>
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1)>, affine_map<(d0, d1, d2) -> (d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d2)>], iterator_types = ["parallel", "reduction", "parallel"]} ins(%xs, %w : memref<?x5xf32, strided<[5, 1], offset: ?>>, memref<5x20xf32>) outs(%ys : memref<?x20xf32, strided<[20, 1], offset: ?>>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %m = arith.mulf %a, %b fastmath<reassoc,contract> : f32
    %s = arith.addf %acc, %m fastmath<reassoc,contract> : f32
    linalg.yield %s : f32
  }
  return
}

// A dense layer with its bias and relu: the broadcast that sets the output
// (moved over the unrelated copy in between) gives the accumulators' first
// values, and the relu runs on them before the one store; neither is left
// as a pass over the output.
// CHECK-LABEL: func.func private @dense_bias_relu
// CHECK: linalg.generic
// CHECK-SAME: ins(%{{.*}} : memref<16x5xf32>) outs(%{{.*}} : memref<16x5xf32>)
// CHECK-NOT: linalg.generic
// CHECK: vector.maskedload %{{.*}} : memref<20xf32>, vector<32xi1>, vector<32xf32>
// CHECK: scf.for {{.*}} iter_args
// CHECK: vector.fma
// CHECK: arith.cmpf ogt, {{.*}} : vector<32xf32>
// CHECK: arith.select {{.*}} : vector<32xi1>, vector<32xf32>
// CHECK: vector.maskedstore
// CHECK-NOT: vector.maskedload %{{.*}} : memref<16x20xf32>
// CHECK: return
func.func private @dense_bias_relu(%x: memref<16x5xf32>, %w: memref<5x20xf32>, %b: memref<20xf32>, %y: memref<16x20xf32>, %copy: memref<16x5xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%b : memref<20xf32>) outs(%y : memref<16x20xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  }
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%x : memref<16x5xf32>) outs(%copy : memref<16x5xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  }
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1)>, affine_map<(d0, d1, d2) -> (d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d2)>], iterator_types = ["parallel", "reduction", "parallel"]} ins(%x, %w : memref<16x5xf32>, memref<5x20xf32>) outs(%y : memref<16x20xf32>) {
  ^bb0(%a: f32, %c: f32, %acc: f32):
    %m = arith.mulf %a, %c fastmath<reassoc,contract> : f32
    %s = arith.addf %acc, %m fastmath<reassoc,contract> : f32
    linalg.yield %s : f32
  }
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} outs(%y : memref<16x20xf32>) {
  ^bb0(%out: f32):
    %p = arith.cmpf ogt, %out, %zero : f32
    %r = arith.select %p, %out, %zero : f32
    linalg.yield %r : f32
  }
  return
}

// A scatter-form input gradient: blocks add to each other's outputs, so
// the zero fill stays a pass of its own and every block loads its
// accumulators.
// CHECK-LABEL: func.func private @scatter_keeps_fill
// CHECK: linalg.fill
// CHECK: vector.load %{{.*}} : memref<2x3x10x10xf32>, vector<8xf32>
// CHECK: vector.fma
func.func private @scatter_keeps_fill(%dy: memref<2x4x8x8xf32>, %w: memref<4x3x3x3xf32>, %dx: memref<2x3x10x10xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%dx : memref<2x3x10x10xf32>)
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d2, d5, d6)>, affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d2, d1, d3, d4)>, affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d5 + d3, d6 + d4)>], iterator_types = ["parallel", "parallel", "reduction", "reduction", "reduction", "reduction", "reduction"]} ins(%dy, %w : memref<2x4x8x8xf32>, memref<4x3x3x3xf32>) outs(%dx : memref<2x3x10x10xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %m = arith.mulf %a, %b fastmath<reassoc,contract> : f32
    %s = arith.addf %acc, %m fastmath<reassoc,contract> : f32
    linalg.yield %s : f32
  }
  return
}

// A filter gradient: no output dim is contiguous in the inputs, the
// reduction over ow is. Lanes are partial sums, added to the output after
// the reduction loops.
// CHECK-LABEL: func.func private @filter_grad
// CHECK-NOT: linalg.generic
// CHECK: scf.for {{.*}} -> (vector<8xf32>
// CHECK: vector.load {{.*}} vector<8xf32>
// CHECK: vector.fma {{.*}} : vector<8xf32>
// CHECK: vector.reduction <add>, {{.*}} fastmath<reassoc,contract> : vector<8xf32> into f32
// CHECK: memref.store
func.func private @filter_grad(%dy: memref<2x4x8x8xf32>, %x: memref<2x3x10x10xf32>, %dw: memref<4x3x3x3xf32>) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d4, d0, d5, d6)>, affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d4, d1, d2 + d5, d3 + d6)>, affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]} ins(%dy, %x : memref<2x4x8x8xf32>, memref<2x3x10x10xf32>) outs(%dw : memref<4x3x3x3xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %m = arith.mulf %a, %b fastmath<reassoc,contract> : f32
    %s = arith.addf %acc, %m fastmath<reassoc,contract> : f32
    linalg.yield %s : f32
  }
  return
}

// Not a multiply-accumulate: left to convert-linalg-to-loops.
// CHECK-LABEL: func.func private @max_rows
// CHECK: linalg.generic
// LOOPS-LABEL: func.func private @max_rows
// LOOPS-NOT: vector.
// LOOPS: arith.maximumf
func.func private @max_rows(%x: memref<4x8xf32>, %y: memref<4xf32>) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]} ins(%x : memref<4x8xf32>) outs(%y : memref<4xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %m = arith.maximumf %acc, %a : f32
    linalg.yield %m : f32
  }
  return
}

}

// CNN-LABEL: func.func private @k0_conv2d_relu
// CNN-NOT: func.func
// CNN: vector.fma
// CNN-LABEL: func.func private @k1_conv2d_relu
// CNN-NOT: func.func
// CNN: vector.fma
// CNN-LABEL: func.func private @k2_dense_relu
// CNN-NOT: func.func
// CNN: vector.fma
// Kernels under 1 MFLOP stay scalar.
// CNN-LABEL: func.func private @k3_dense
// CNN-NOT: vector.fma
// CNN: arith.mulf {{.*}} fastmath<reassoc,contract> : f32
// CNN-LABEL: func.func private @k12_conv2d_grad_input_relu_grad
// CNN-NOT: func.func
// CNN: vector.fma
// CNN-LABEL: func.func private @k13_conv2d_grad_filter_sgd_update
// CNN-NOT: func.func
// CNN: vector.fma
// The padded conv's filter gradient is in phases (dl-distribute-workgroups):
// the padding copy, then the gradient.
// CNN-LABEL: func.func private @k15_conv2d_grad_filter_sgd_update_p2
// CNN-NOT: func.func
// CNN: vector.fma
// CNN: vector.reduction <add>

// LLVM: llvm.intr.fmuladd({{.*}}) : (vector<{{[0-9]+}}xf32>
// LLVM: llvm.br {{.*}} {loop_annotation = #{{.*}}}
