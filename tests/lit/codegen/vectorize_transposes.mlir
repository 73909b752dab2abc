// dl-vectorize-transposes: copies that permute dims so that the output's
// contiguous dim is not the input's (the channel- and batch-lanes
// convolution forms' copies to and from NCHW) run in 16x16 register tiles
// instead of one strided access per element.
// RUN: dl-opt %s --dl-vectorize-transposes | FileCheck %s

// A batch of 100 x 16 -> 16 x 100 transposes, on a row slice: a loop over
// the images; 6 whole tiles along the 100 (16 row loads, shuffles, 16 row
// stores), then one tile masked to the last 4 columns.
// CHECK-LABEL: func.func @batched
// CHECK: %[[N:.*]] = memref.dim %{{.*}}, %c0
// CHECK: scf.for %[[I:.*]] = %c0 to %[[N]] step %c1
// CHECK: scf.for %{{.*}} = %c0 to %{{.*}} step %c16
// CHECK: scf.for %{{.*}} = %c0 to %{{.*}} step %c16
// CHECK-COUNT-16: vector.load %{{.*}}[%[[I]], %{{.*}}, %{{.*}}] : memref<?x100x16xf32
// CHECK: vector.shuffle
// CHECK-COUNT-16: vector.store %{{.*}}, %{{.*}}[%[[I]], %{{.*}}, %{{.*}}] : memref<?x16x100xf32
// CHECK: scf.for %{{.*}} = %c96 to %c100 step %c16
// CHECK-COUNT-16: vector.maskedload
// CHECK: vector.shuffle
// CHECK-COUNT-16: vector.maskedstore
// CHECK-NOT: linalg.generic
func.func @batched(%in: memref<?x100x16xf32, strided<[1600, 16, 1], offset: ?>>,
                   %out: memref<?x16x100xf32, strided<[1600, 100, 1], offset: ?>>) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2, d1)>,
                                   affine_map<(d0, d1, d2) -> (d0, d1, d2)>],
                  iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%in : memref<?x100x16xf32, strided<[1600, 16, 1], offset: ?>>)
      outs(%out : memref<?x16x100xf32, strided<[1600, 100, 1], offset: ?>>) {
  ^bb0(%a: f32, %b: f32):
    linalg.yield %a : f32
  }
  return
}

// A plain 2-D transpose (a filter [F, C*K*K] to [C*K*K, F]).
// CHECK-LABEL: func.func @plain
// CHECK-NOT: memref.dim %{{.*}}, %c2
// CHECK: vector.shuffle
// CHECK-NOT: linalg.generic
func.func @plain(%in: memref<16x150xf32>, %out: memref<150x16xf32>) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d1, d0)>,
                                   affine_map<(d0, d1) -> (d0, d1)>],
                  iterator_types = ["parallel", "parallel"]}
      ins(%in : memref<16x150xf32>) outs(%out : memref<150x16xf32>) {
  ^bb0(%a: f32, %b: f32):
    linalg.yield %a : f32
  }
  return
}

// A 4-D permutation whose contiguous dims are not the last two loops: the
// batch-lanes [H, C, W, N] product back to [N, C, H, W]; tiles of 16 images
// by the 14 columns (masked), loops over c and h around them.
// CHECK-LABEL: func.func @four_d
// CHECK: scf.for %[[C:.*]] = %c0 to %c6 step %c1
// CHECK: scf.for %[[H:.*]] = %c0 to %c14 step %c1
// CHECK: vector.maskedload %{{.*}}[%[[H]], %[[C]], %{{.*}}, %{{.*}}]
// CHECK: vector.shuffle
// CHECK: vector.maskedstore %{{.*}}[%{{.*}}, %[[C]], %[[H]], %{{.*}}]
// CHECK-NOT: linalg.generic
func.func @four_d(%in: memref<14x6x14x32xf32>, %out: memref<32x6x14x14xf32>) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d2, d1, d3, d0)>,
                                   affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>],
                  iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%in : memref<14x6x14x32xf32>) outs(%out : memref<32x6x14x14xf32>) {
  ^bb0(%a: f32, %b: f32):
    linalg.yield %a : f32
  }
  return
}

// Copies that are not transposes stay generics: a permutation of the
// leading dims, and a transpose that also computes.
// CHECK-LABEL: func.func @others
// CHECK: linalg.generic
// CHECK: linalg.generic
// CHECK-NOT: vector.shuffle
func.func @others(%a: memref<4x5x6xf32>, %b: memref<5x4x6xf32>,
                  %c: memref<8x16xf32>, %d: memref<16x8xf32>) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d1, d0, d2)>,
                                   affine_map<(d0, d1, d2) -> (d0, d1, d2)>],
                  iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%a : memref<4x5x6xf32>) outs(%b : memref<5x4x6xf32>) {
  ^bb0(%x: f32, %y: f32):
    linalg.yield %x : f32
  }
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d1, d0)>,
                                   affine_map<(d0, d1) -> (d0, d1)>],
                  iterator_types = ["parallel", "parallel"]}
      ins(%c : memref<8x16xf32>) outs(%d : memref<16x8xf32>) {
  ^bb0(%x: f32, %y: f32):
    %z = arith.negf %x : f32
    linalg.yield %z : f32
  }
  return
}
