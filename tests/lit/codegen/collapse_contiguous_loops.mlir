// dl-collapse-contiguous-loops: loop dims that every operand walks
// contiguously merge, so elementwise ops over NCHW run one long loop.
// RUN: dl-opt %s --dl-collapse-contiguous-loops | FileCheck %s

#id4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#chan = affine_map<(d0, d1, d2, d3) -> (d1)>
#win = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2 * 2, d3 * 2)>

// Identity maps over a row slice of whole images: one loop over the slice.
// CHECK-LABEL: func.func @relu_grad
// CHECK: memref.collapse_shape %{{.*}} {{\[}}[0, 1, 2, 3]]
// CHECK-SAME: into memref<?xf32, strided<[1], offset: ?>>
// CHECK: linalg.generic
// CHECK-SAME: iterator_types = ["parallel"]
// CHECK-SAME: ins(%{{.*}} : memref<?xf32
func.func @relu_grad(%y: memref<?x6x28x28xf32, strided<[4704, 784, 28, 1], offset: ?>>,
                     %dx: memref<?x6x28x28xf32, strided<[4704, 784, 28, 1], offset: ?>>) {
  %zero = arith.constant 0.0 : f32
  linalg.generic {indexing_maps = [#id4, #id4],
                  iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%y : memref<?x6x28x28xf32, strided<[4704, 784, 28, 1], offset: ?>>)
      outs(%dx : memref<?x6x28x28xf32, strided<[4704, 784, 28, 1], offset: ?>>) {
  ^bb0(%in: f32, %out: f32):
    %p = arith.cmpf ogt, %in, %zero : f32
    %r = arith.select %p, %out, %zero : f32
    linalg.yield %r : f32
  }
  return
}

// A bias broadcast over (h, w): only h and w merge; n and c stay.
// CHECK-LABEL: func.func @bias
// CHECK: memref.collapse_shape %{{.*}} {{\[}}[0], [1], [2, 3]]
// CHECK-SAME: into memref<4x6x100xf32>
// CHECK: linalg.generic
// CHECK-SAME: iterator_types = ["parallel", "parallel", "parallel"]
func.func @bias(%b: memref<6xf32>, %out: memref<4x6x10x10xf32>) {
  linalg.generic {indexing_maps = [#chan, #id4],
                  iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%b : memref<6xf32>) outs(%out : memref<4x6x10x10xf32>) {
  ^bb0(%in: f32, %o: f32):
    linalg.yield %in : f32
  }
  return
}

// A padded interior: images and channels are contiguous (300 = 3 x 100),
// rows are not (100 != 8 x 10). A window map stays as it is.
// CHECK-LABEL: func.func @strided_and_window
// CHECK: memref.collapse_shape %{{.*}} {{\[}}[0, 1], [2], [3]]
// CHECK-SAME: into memref<6x8x8xf32, strided<[100, 10, 1], offset: 11>>
// CHECK: iterator_types = ["parallel", "parallel", "parallel"]
// CHECK-NOT: memref.collapse_shape
// CHECK: iterator_types = ["parallel", "parallel", "parallel", "parallel"]
func.func @strided_and_window(%x: memref<2x3x8x8xf32, strided<[300, 100, 10, 1], offset: 11>>,
                              %y: memref<2x3x8x8xf32>, %p: memref<2x3x4x4xf32>) {
  linalg.generic {indexing_maps = [#id4, #id4],
                  iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%x : memref<2x3x8x8xf32, strided<[300, 100, 10, 1], offset: 11>>)
      outs(%y : memref<2x3x8x8xf32>) {
  ^bb0(%in: f32, %o: f32):
    linalg.yield %in : f32
  }
  linalg.generic {indexing_maps = [#win, #id4],
                  iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%y : memref<2x3x8x8xf32>) outs(%p : memref<2x3x4x4xf32>) {
  ^bb0(%in: f32, %o: f32):
    linalg.yield %in : f32
  }
  return
}
