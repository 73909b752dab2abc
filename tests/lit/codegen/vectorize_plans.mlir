// The register blocks dl-vectorize-kernels picks (its cost model).
// RUN: dl-opt %s --dl-vectorize-kernels=print-plans=true -o /dev/null 2>&1 | FileCheck %s
// RUN: dl-opt %s --dl-vectorize-kernels --canonicalize | FileCheck %s --check-prefix=IR
// RUN: dl-opt %s --dl-vectorize-kernels --canonicalize > %t
// RUN: grep -c "memref.load .*memref<4x6x14x14xf32>" %t > %t.counts
// RUN: grep -c "vector.load .*memref<6x5x5x16xf32>" %t >> %t.counts
// RUN: FileCheck %s --check-prefix=SHARED < %t.counts

module @kernels {

// LeNet's second convolution's input gradient in the gather form: rows of
// 14 lanes read from a padded dy with 18-float rows, so most dy vectors
// straddle two cache lines and cost two loads. Six channels by two rows
// read 2 such vectors and 6 broadcast weights per 12 FMAs; the blocks of
// more rows that count every load the same (2 x 7: 7 vectors and 2
// broadcasts per 14 FMAs) are load-bound.
// CHECK: remark: vector dim d3 x 16, rows d1 x 6, d2 x 2, unrolled d-1 x 1, chunks d-1 x 0
//
// dy is zero outside rows [4, 14) (dl.zero_padding): the block of rows
// ih, ih + 1 reads dy row ih - kh + 4 and ih - kh + 5, so kh runs over
// [max(0, ih - 9), min(5, ih + 2)) only.
// IR-LABEL: func.func private @gather_input_grad
// IR: scf.for %[[IH:.*]] = %{{.*}} to %{{.*}} step %c2
// IR: scf.for %[[F:.*]] = %{{.*}} to %c16 step %c1
// IR-DAG: %[[FROM:.*]] = arith.addi %[[IH]], %c-9
// IR-DAG: %[[TO:.*]] = arith.addi %[[IH]], %c2
// IR-DAG: %[[LB:.*]] = arith.maxsi %[[FROM]], %c0
// IR-DAG: %[[UB:.*]] = arith.minsi %[[TO]], %c5
// IR: scf.for %{{.*}} = %[[LB]] to %[[UB]] step %c1
// IR: vector.fma
func.func private @gather_input_grad(%dyp: memref<1x16x18x18xf32>, %w: memref<16x6x5x5xf32>, %dx: memref<1x6x14x14xf32>) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d4, d2 - d5 + 4, d3 - d6 + 4)>, affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d4, d1, d5, d6)>, affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"], dl.zero_padding = array<i64: 0, 4>} ins(%dyp, %w : memref<1x16x18x18xf32>, memref<16x6x5x5xf32>) outs(%dx : memref<1x6x14x14xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %m = arith.mulf %a, %b fastmath<reassoc,contract> : f32
    %s = arith.addf %acc, %m fastmath<reassoc,contract> : f32
    linalg.yield %s : f32
  }
  return
}

// A dense layer on a row slice (dynamic rows) of a kernel with 12
// workgroups: a block of the sliced rows divides 12 (8 would leave slices
// with one-row remainders) into at least 4 slices (6 would leave 2).
// CHECK: remark: vector dim d2 x 32, rows d0 x 3, d-1 x 1, unrolled d-1 x 1, chunks d-1 x 0
func.func private @sliced_rows(%x: memref<12x64xf32>, %w: memref<64x32xf32>, %y: memref<12x32xf32>, %lo: index, %rows: index) attributes {dl.workgroups = 12 : i64} {
  %xs = memref.subview %x[%lo, 0] [%rows, 64] [1, 1] : memref<12x64xf32> to memref<?x64xf32, strided<[64, 1], offset: ?>>
  %ys = memref.subview %y[%lo, 0] [%rows, 32] [1, 1] : memref<12x32xf32> to memref<?x32xf32, strided<[32, 1], offset: ?>>
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1)>, affine_map<(d0, d1, d2) -> (d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d2)>], iterator_types = ["parallel", "reduction", "parallel"]} ins(%xs, %w : memref<?x64xf32, strided<[64, 1], offset: ?>>, memref<64x32xf32>) outs(%ys : memref<?x32xf32, strided<[32, 1], offset: ?>>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %m = arith.mulf %a, %b fastmath<reassoc,contract> : f32
    %s = arith.addf %acc, %m fastmath<reassoc,contract> : f32
    linalg.yield %s : f32
  }
  return
}

// LeNet's second convolution in the channel-lanes form: the 16 filters
// are the lanes of yT[n, oh, ow, f], the image is read as broadcasts.
// Each FMA would take a broadcast of its own; unrolling kw inside a block
// of 2 images x 5 output columns lets columns ow and ow + 1 share the
// image column ow + kw + 1: per block step (c, kh), 5 filter vectors and
// 2 x 9 broadcasts feed 50 FMAs, where the best block without unrolling
// needs one load per FMA. Unrolling kh over 5 rows would cost the same;
// the innermost dim wins, its steps reading along a row.
// CHECK: remark: vector dim d3 x 16, rows d0 x 2, d2 x 5, unrolled d6 x 5, chunks d-1 x 0
// IR-LABEL: func.func private @channel_lanes_conv
// IR: scf.for %{{.*}} = %c0 to %c4 step %c2
// IR: scf.for %{{.*}} = %c0 to %c10 step %c1
// IR: scf.for %{{.*}} = %c0 to %c10 step %c5
// IR: scf.for %{{.*}} = %c0 to %c6 step %c1
// IR: scf.for %{{.*}} = %c0 to %c5 step %c1
// IR-COUNT-50: vector.fma
// IR-NOT: vector.fma
// IR: scf.yield
// SHARED: 18
// SHARED-NEXT: 5
func.func private @channel_lanes_conv(%x: memref<4x6x14x14xf32>, %w: memref<6x5x5x16xf32>, %y: memref<4x10x10x16xf32>) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d4, d1 + d5, d2 + d6)>, affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d4, d5, d6, d3)>, affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]} ins(%x, %w : memref<4x6x14x14xf32>, memref<6x5x5x16xf32>) outs(%y : memref<4x10x10x16xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %m = arith.mulf %a, %b fastmath<reassoc,contract> : f32
    %s = arith.addf %acc, %m fastmath<reassoc,contract> : f32
    linalg.yield %s : f32
  }
  return
}

}
