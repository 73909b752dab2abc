// dl-map-kernels-to-gpu=row-products=true on hand-written phased products
// (one slice each): which products run a warp per output row, and how.
// RUN: dl-opt %s --dl-map-kernels-to-gpu=row-products=true | FileCheck %s
// RUN: dl-opt %s --dl-map-kernels-to-gpu="row-products=true sequential=true" | FileCheck %s --check-prefix=SEQ
// RUN: dl-opt %s --dl-map-kernels-to-gpu | FileCheck %s --check-prefix=TILED

#a = affine_map<(d0, d1, d2) -> (d0, d2)>
#b = affine_map<(d0, d1, d2) -> (d2, d1)>
#bt = affine_map<(d0, d1, d2) -> (d1, d2)>
#at = affine_map<(d0, d1, d2) -> (d2, d0)>
#c = affine_map<(d0, d1, d2) -> (d0, d1)>
#bias = affine_map<(d0, d1) -> (d1)>
#id = affine_map<(d0, d1) -> (d0, d1)>
module @kernels {
  // One output a row over 777 k (the last of a lane's 25 k past the end
  // for lanes 9 and up): 300 rows, 8 a block, from the bias. B (777 x 1)
  // is staged whole; each lane's sum meets the others' in 5 shuffles, and
  // lane 0 of a row that exists stores it.
  // CHECK-LABEL: gpu.func @head_p0(
  // CHECK-SAME: workgroup(%[[B:arg[0-9]+]] : memref<777x1xf32, #gpu.address_space<workgroup>>)
  // CHECK-SAME: dl.workgroups = 38
  // CHECK: memref.store %{{.*}}, %[[B]]
  // CHECK: gpu.barrier
  // CHECK-NOT: gpu.barrier
  // CHECK: arith.cmpi ult, %{{.*}}, %c777
  // CHECK-COUNT-5: gpu.shuffle xor
  // CHECK-NOT: gpu.shuffle
  // CHECK: %[[STORES:.*]] = arith.andi %{{.*}}, %{{.*}} : i1
  // CHECK: scf.if %[[STORES]]
  // CHECK-NEXT: %[[BIAS:.*]] = memref.load %arg2
  // CHECK-NEXT: %[[SUM:.*]] = arith.addf %[[BIAS]],
  // CHECK-NEXT: memref.store %[[SUM]], %arg3
  // CHECK: gpu.return
  // The CPU form: B and the lanes' sums in stack buffers, the sums added
  // pairwise (lane, lane xor offset) for offsets 16 down to 1.
  // SEQ-LABEL: func.func private @head(
  // SEQ-DAG: memref.alloca() : memref<777x1xf32>
  // SEQ-DAG: memref.alloca() : memref<32x1xf32>
  // SEQ-COUNT-5: arith.xori
  // SEQ-NOT: gpu.
  // SEQ: return
  // TILED-LABEL: gpu.func @head_p0(
  // TILED-NOT: gpu.shuffle
  // TILED: gpu.return
  func.func private @head(%a: memref<300x777xf32>, %b: memref<777x1xf32>, %bias: memref<1xf32>, %out: memref<300x1xf32>, %id: index, %cnt: index) attributes {dl.workgroups = 1 : i64, dl.scratch = []} {
    linalg.generic {indexing_maps = [#bias, #id], iterator_types = ["parallel", "parallel"]} ins(%bias : memref<1xf32>) outs(%out : memref<300x1xf32>) {
    ^bb0(%in: f32, %o: f32):
      linalg.yield %in : f32
    }
    linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]} ins(%a, %b : memref<300x777xf32>, memref<777x1xf32>) outs(%out : memref<300x1xf32>) {
    ^bb0(%x: f32, %y: f32, %o: f32):
      %0 = arith.mulf %x, %y : f32
      %1 = arith.addf %o, %0 : f32
      linalg.yield %1 : f32
    }
    return
  }

  // B read as [n][k] (an input gradient through the weights): staged with
  // consecutive threads on consecutive k, its 16 rows at a pitch of 17.
  // CHECK-LABEL: gpu.func @weights_by_rows_p0(
  // CHECK-SAME: workgroup(%{{.*}} : memref<256x17xf32, #gpu.address_space<workgroup>>)
  // CHECK-SAME: dl.workgroups = 8
  // CHECK-COUNT-80: gpu.shuffle xor
  // CHECK-NOT: gpu.shuffle
  // CHECK: gpu.return
  func.func private @weights_by_rows(%a: memref<64x256xf32>, %b: memref<16x256xf32>, %out: memref<64x16xf32>, %id: index, %cnt: index) attributes {dl.workgroups = 1 : i64, dl.scratch = []} {
    linalg.generic {indexing_maps = [#a, #bt, #c], iterator_types = ["parallel", "parallel", "reduction"]} ins(%a, %b : memref<64x256xf32>, memref<16x256xf32>) outs(%out : memref<64x16xf32>) {
    ^bb0(%x: f32, %y: f32, %o: f32):
      %0 = arith.mulf %x, %y : f32
      %1 = arith.addf %o, %0 : f32
      linalg.yield %1 : f32
    }
    return
  }

  // Stay tiled: A read along its rows' other dim (k strided), 17 outputs a
  // row, and K past 1024.
  // CHECK-LABEL: gpu.func @a_transposed_p0(
  // CHECK-NOT: gpu.shuffle
  // CHECK: gpu.return
  // CHECK-LABEL: gpu.func @seventeen_p0(
  // CHECK-NOT: gpu.shuffle
  // CHECK: gpu.return
  // CHECK-LABEL: gpu.func @long_p0(
  // CHECK-NOT: gpu.shuffle
  // CHECK: gpu.return
  func.func private @a_transposed(%a: memref<700x301xf32>, %b: memref<700x10xf32>, %out: memref<301x10xf32>, %id: index, %cnt: index) attributes {dl.workgroups = 1 : i64, dl.scratch = []} {
    linalg.generic {indexing_maps = [#at, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]} ins(%a, %b : memref<700x301xf32>, memref<700x10xf32>) outs(%out : memref<301x10xf32>) {
    ^bb0(%x: f32, %y: f32, %o: f32):
      %0 = arith.mulf %x, %y : f32
      %1 = arith.addf %o, %0 : f32
      linalg.yield %1 : f32
    }
    return
  }
  func.func private @seventeen(%a: memref<300x256xf32>, %b: memref<256x17xf32>, %out: memref<300x17xf32>, %id: index, %cnt: index) attributes {dl.workgroups = 1 : i64, dl.scratch = []} {
    linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]} ins(%a, %b : memref<300x256xf32>, memref<256x17xf32>) outs(%out : memref<300x17xf32>) {
    ^bb0(%x: f32, %y: f32, %o: f32):
      %0 = arith.mulf %x, %y : f32
      %1 = arith.addf %o, %0 : f32
      linalg.yield %1 : f32
    }
    return
  }
  func.func private @long(%a: memref<300x1056xf32>, %b: memref<1056x4xf32>, %out: memref<300x4xf32>, %id: index, %cnt: index) attributes {dl.workgroups = 1 : i64, dl.scratch = []} {
    linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]} ins(%a, %b : memref<300x1056xf32>, memref<1056x4xf32>) outs(%out : memref<300x4xf32>) {
    ^bb0(%x: f32, %y: f32, %o: f32):
      %0 = arith.mulf %x, %y : f32
      %1 = arith.addf %o, %0 : f32
      linalg.yield %1 : f32
    }
    return
  }
}
