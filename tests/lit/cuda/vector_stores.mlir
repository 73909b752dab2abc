// dl-map-kernels-to-gpu=vector-stores=true on hand-written phased products
// (one slice each): which outputs a tiled product stores as vectors.
// RUN: dl-opt %s --dl-map-kernels-to-gpu=vector-stores=true | FileCheck %s
// RUN: dl-opt %s --dl-map-kernels-to-gpu="vector-stores=true sequential=true" | FileCheck %s --check-prefix=SEQ

#a = affine_map<(d0, d1, d2) -> (d0, d2)>
#b = affine_map<(d0, d1, d2) -> (d2, d1)>
#c = affine_map<(d0, d1, d2) -> (d0, d1)>
#a3 = affine_map<(d0, d1, d2, d3) -> (d0, d3)>
#b3 = affine_map<(d0, d1, d2, d3) -> (d3, d1, d2)>
#c3 = affine_map<(d0, d1, d2, d3) -> (d0, d2, d1)>
module @kernels {
  // Summed into C (no init): each run of 4 columns starts from C's values,
  // one aligned vector load, and goes back as one aligned vector store.
  // CHECK-LABEL: gpu.func @into_c_p0(
  // CHECK: %[[START:.*]] = vector.load %arg2[%[[I:.*]], %[[J:.*]]] {alignment = 16 : i64} : memref<300x132xf32>, vector<4xf32>
  // CHECK: vector.store %{{.*}}, %arg2[%[[I]], %[[J]]] {alignment = 16 : i64} : memref<300x132xf32>, vector<4xf32>
  // CHECK-NOT: memref.store %{{.*}}, %arg2
  // CHECK: gpu.return
  // On the CPU every vector store first asserts its alignment.
  // SEQ-LABEL: func.func private @into_c(
  // SEQ: memref.extract_aligned_pointer_as_index %arg2
  // SEQ: cf.assert %{{.*}}, "misaligned vector store"
  // SEQ: vector.store %{{.*}}, %arg2
  func.func private @into_c(%a: memref<300x64xf32>, %b: memref<64x132xf32>, %out: memref<300x132xf32>, %id: index, %cnt: index) attributes {dl.workgroups = 1 : i64, dl.scratch = []} {
    linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]} ins(%a, %b : memref<300x64xf32>, memref<64x132xf32>) outs(%out : memref<300x132xf32>) {
    ^bb0(%x: f32, %y: f32, %o: f32):
      %0 = arith.mulf %x, %y : f32
      %1 = arith.addf %o, %0 : f32
      linalg.yield %1 : f32
    }
    return
  }

  // Stay scalar (still tiled products): an output at an offset inside its buffer (its alignment
  // unknown here), and an output whose last dim (n1) is not N's innermost
  // (n2): a thread's columns step through n2.
  // CHECK-LABEL: gpu.func @offset_view_p0(
  // CHECK-SAME: workgroup(%{{.*}} : memref<32x68xf32
  // CHECK-NOT: vector.store
  // CHECK: gpu.return
  // CHECK-LABEL: gpu.func @permuted_n_p0(
  // CHECK-SAME: workgroup(%{{.*}} : memref<32x68xf32
  // CHECK-NOT: vector.store
  // CHECK: gpu.return
  func.func private @offset_view(%a: memref<300x64xf32>, %b: memref<64x132xf32>, %big: memref<301x132xf32>, %id: index, %cnt: index) attributes {dl.workgroups = 1 : i64, dl.scratch = []} {
    %out = memref.subview %big[1, 0] [300, 132] [1, 1] : memref<301x132xf32> to memref<300x132xf32, strided<[132, 1], offset: 132>>
    linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]} ins(%a, %b : memref<300x64xf32>, memref<64x132xf32>) outs(%out : memref<300x132xf32, strided<[132, 1], offset: 132>>) {
    ^bb0(%x: f32, %y: f32, %o: f32):
      %0 = arith.mulf %x, %y : f32
      %1 = arith.addf %o, %0 : f32
      linalg.yield %1 : f32
    }
    return
  }
  func.func private @permuted_n(%a: memref<300x64xf32>, %b: memref<64x12x16xf32>, %out: memref<300x16x12xf32>, %id: index, %cnt: index) attributes {dl.workgroups = 1 : i64, dl.scratch = []} {
    linalg.generic {indexing_maps = [#a3, #b3, #c3], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%a, %b : memref<300x64xf32>, memref<64x12x16xf32>) outs(%out : memref<300x16x12xf32>) {
    ^bb0(%x: f32, %y: f32, %o: f32):
      %0 = arith.mulf %x, %y : f32
      %1 = arith.addf %o, %0 : f32
      linalg.yield %1 : f32
    }
    return
  }
}
