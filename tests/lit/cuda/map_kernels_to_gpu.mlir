// dl-map-kernels-to-gpu on hand-written bufferized kernels (the form
// dl-distribute-workgroups leaves: trailing slice id and count).
// RUN: dl-opt %s --dl-map-kernels-to-gpu | FileCheck %s
// RUN: dl-opt %s --dl-map-kernels-to-gpu=sequential=true | FileCheck %s --check-prefix=SEQ

#row = affine_map<(d0, d1) -> (d0, d1)>
#sum = affine_map<(d0, d1) -> (d0)>
module @kernels {
  // Elementwise on a row slice: block id for the slice id, thread loop over
  // the slice's elements, no barrier after the last op.
  // CHECK: module @kernels attributes {gpu.container_module}
  // CHECK: gpu.module @dl_gpu
  // CHECK-LABEL: gpu.func @scale(
  // CHECK-SAME: %[[X:.*]]: memref<4x8xf32>, %[[Y:.*]]: memref<4x8xf32>) kernel
  // CHECK-SAME: dl.block = 256
  // CHECK-SAME: known_block_size = array<i32: 256, 1, 1>
  // CHECK: %[[BID:.*]] = gpu.block_id x
  // CHECK: %[[TID:.*]] = gpu.thread_id x
  // CHECK: memref.subview %[[X]][%[[BID]], 0] [1, 8] [1, 1]
  // CHECK: scf.for %{{.*}} = %[[TID]] to %c8 step %c256
  // CHECK: arith.mulf
  // CHECK-NOT: gpu.barrier
  // CHECK: gpu.return
  // SEQ-LABEL: func.func private @scale(%{{.*}}: memref<4x8xf32>, %{{.*}}: memref<4x8xf32>, %{{.*}}: index, %{{.*}}: index)
  // SEQ: scf.for %{{.*}} = %c0 to %c8 step %c1
  // SEQ-NOT: gpu.
  func.func private @scale(%x: memref<4x8xf32>, %y: memref<4x8xf32>, %id: index, %count: index) attributes {dl.workgroups = 4 : i64} {
    %sx = memref.subview %x[%id, 0] [1, 8] [1, 1] : memref<4x8xf32> to memref<1x8xf32, strided<[8, 1], offset: ?>>
    %sy = memref.subview %y[%id, 0] [1, 8] [1, 1] : memref<4x8xf32> to memref<1x8xf32, strided<[8, 1], offset: ?>>
    linalg.generic {indexing_maps = [#row, #row], iterator_types = ["parallel", "parallel"]}
        ins(%sx : memref<1x8xf32, strided<[8, 1], offset: ?>>) outs(%sy : memref<1x8xf32, strided<[8, 1], offset: ?>>) {
    ^bb0(%in: f32, %out: f32):
      %two = arith.constant 2.0 : f32
      %r = arith.mulf %in, %two : f32
      linalg.yield %r : f32
    }
    return
  }

  // A whole-tensor kernel in one block of 1024 threads: the fill, a
  // barrier, then row sums whose 4 outputs leave threads idle, so 8 threads
  // share each row and add their partial sums atomically; each thread's
  // share counted from zero (constant trip count).
  // CHECK-LABEL: gpu.func @rowsum
  // CHECK-SAME: dl.block = 1024
  // CHECK-SAME: known_block_size = array<i32: 1024, 1, 1>
  // CHECK: %[[T:.*]] = gpu.thread_id x
  // CHECK: scf.for %{{.*}} = %[[T]] to %c4 step %c1024
  // CHECK: memref.store %cst
  // CHECK: gpu.barrier
  // CHECK: scf.for %{{.*}} = %[[T]] to %c32 step %c1024
  // CHECK: scf.for %{{.*}} = %c0 to %c1 step %c1 iter_args
  // CHECK: memref.atomic_rmw addf
  // CHECK: gpu.return
  // SEQ-LABEL: func.func private @rowsum
  // SEQ: memref.atomic_rmw addf
  func.func private @rowsum(%x: memref<4x8xf32>, %s: memref<4xf32>, %id: index, %count: index) attributes {dl.workgroups = 1 : i64} {
    %zero = arith.constant 0.0 : f32
    linalg.fill ins(%zero : f32) outs(%s : memref<4xf32>)
    linalg.generic {indexing_maps = [#row, #sum], iterator_types = ["parallel", "reduction"]}
        ins(%x : memref<4x8xf32>) outs(%s : memref<4xf32>) {
    ^bb0(%in: f32, %out: f32):
      %r = arith.addf %out, %in : f32
      linalg.yield %r : f32
    }
    return
  }

  // Column sums over 512 rows into 4 outputs: whole warps per output, lanes
  // on consecutive rows, the lanes' sums added by shuffles and lane 0
  // adding the warp's; sequentially (no shuffles) each lane adds its own.
  // CHECK-LABEL: gpu.func @colsum
  // CHECK: %[[T:.*]] = gpu.thread_id x
  // CHECK: scf.for %[[V:.*]] = %[[T]] to %c1024 step %c1024
  // CHECK: %[[W:.*]] = arith.divui %[[V]], %c32
  // CHECK: %[[L:.*]] = arith.remui %[[V]], %c32
  // CHECK: scf.for %{{.*}} = %{{.*}} to %c512 step %c256 iter_args
  // CHECK-COUNT-5: gpu.shuffle xor
  // CHECK: arith.cmpi eq, %[[L]], %c0
  // CHECK: scf.if
  // CHECK-NEXT: memref.atomic_rmw addf
  // SEQ-LABEL: func.func private @colsum
  // SEQ-NOT: gpu.shuffle
  // SEQ: memref.atomic_rmw addf
  func.func private @colsum(%x: memref<512x4xf32>, %s: memref<4xf32>, %id: index, %count: index) attributes {dl.workgroups = 1 : i64} {
    %zero = arith.constant 0.0 : f32
    linalg.fill ins(%zero : f32) outs(%s : memref<4xf32>)
    linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d1, d0)>, #sum], iterator_types = ["parallel", "reduction"]}
        ins(%x : memref<512x4xf32>) outs(%s : memref<4xf32>) {
    ^bb0(%in: f32, %out: f32):
      %r = arith.addf %out, %in : f32
      linalg.yield %r : f32
    }
    return
  }

  // Row sums that one thread each completes: the fill becomes the sums'
  // start and the relu after them runs at the stores, one loop and no
  // barrier.
  // CHECK-LABEL: gpu.func @rowsum_relu
  // CHECK-NOT: gpu.barrier
  // CHECK: scf.for %{{.*}} = %c0 to %c8 step %c1 iter_args(%{{.*}} = %cst)
  // CHECK: arith.maximumf
  // CHECK: memref.store
  // CHECK-NOT: gpu.barrier
  // CHECK: gpu.return
  // SEQ-LABEL: func.func private @rowsum_relu
  // SEQ: scf.for %{{.*}} = %c0 to %c8 step %c1 iter_args(%{{.*}} = %cst)
  // SEQ: arith.maximumf
  func.func private @rowsum_relu(%x: memref<2048x8xf32>, %s: memref<2048xf32>, %id: index, %count: index) attributes {dl.workgroups = 4 : i64} {
    %zero = arith.constant 0.0 : f32
    linalg.fill ins(%zero : f32) outs(%s : memref<2048xf32>)
    linalg.generic {indexing_maps = [#row, #sum], iterator_types = ["parallel", "reduction"]}
        ins(%x : memref<2048x8xf32>) outs(%s : memref<2048xf32>) {
    ^bb0(%in: f32, %out: f32):
      %r = arith.addf %out, %in : f32
      linalg.yield %r : f32
    }
    linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]}
        outs(%s : memref<2048xf32>) {
    ^bb0(%out: f32):
      %r = arith.maximumf %out, %zero : f32
      linalg.yield %r : f32
    }
    return
  }

  // Phased kernels (too heavy for one block): each output of the row sums
  // is one thread's, so the init before them folds in and they run as one
  // launch, starting from the init's value...
  // CHECK-LABEL: gpu.func @init_folds_p0
  // CHECK-SAME: dl.phase_of = "init_folds"
  // CHECK: scf.for
  // CHECK: memref.load %arg1
  // CHECK: scf.for %{{.*}} = %c0 to %c8 step %c1 iter_args
  // CHECK: gpu.return
  // CHECK-NOT: gpu.func @init_folds_p1
  func.func private @init_folds(%x: memref<65536x8xf32>, %b: memref<65536xf32>, %s: memref<65536xf32>, %id: index, %count: index) attributes {dl.workgroups = 1 : i64} {
    linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]}
        ins(%b : memref<65536xf32>) outs(%s : memref<65536xf32>) {
    ^bb0(%in: f32, %out: f32):
      linalg.yield %in : f32
    }
    linalg.generic {indexing_maps = [#row, #sum], iterator_types = ["parallel", "reduction"]}
        ins(%x : memref<65536x8xf32>) outs(%s : memref<65536xf32>) {
    ^bb0(%in: f32, %out: f32):
      %r = arith.addf %out, %in : f32
      linalg.yield %r : f32
    }
    return
  }

  // ...but not past an op that changes what the init reads: three launches.
  // CHECK-LABEL: gpu.func @init_stays_p0
  // CHECK-LABEL: gpu.func @init_stays_p1
  // CHECK: arith.mulf
  // CHECK-LABEL: gpu.func @init_stays_p2
  // CHECK-NOT: memref.load %arg1
  // CHECK: gpu.return
  func.func private @init_stays(%x: memref<65536x8xf32>, %b: memref<65536xf32>, %s: memref<65536xf32>, %id: index, %count: index) attributes {dl.workgroups = 1 : i64} {
    linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]}
        ins(%b : memref<65536xf32>) outs(%s : memref<65536xf32>) {
    ^bb0(%in: f32, %out: f32):
      linalg.yield %in : f32
    }
    linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]}
        outs(%b : memref<65536xf32>) {
    ^bb0(%out: f32):
      %two = arith.constant 2.0 : f32
      %r = arith.mulf %out, %two : f32
      linalg.yield %r : f32
    }
    linalg.generic {indexing_maps = [#row, #sum], iterator_types = ["parallel", "reduction"]}
        ins(%x : memref<65536x8xf32>) outs(%s : memref<65536xf32>) {
    ^bb0(%in: f32, %out: f32):
      %r = arith.addf %out, %in : f32
      linalg.yield %r : f32
    }
    return
  }
}
