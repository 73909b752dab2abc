// dl-simulate-gpu-on-cpu: gpu.funcs become CPU kernels for the GPU simulator
// of tests/unit/GPUSimulator.h.
// RUN: dl-opt %s --split-input-file --verify-diagnostics --dl-simulate-gpu-on-cpu | FileCheck %s

// CHECK-LABEL: module @kernels {
// CHECK-NOT: gpu.container_module
// CHECK-DAG: func.func private @dlc_gpusim_thread_id() -> i64
// Barriers and shuffles are convergent for LLVM, as on a GPU.
// CHECK-DAG: func.func private @dlc_gpusim_barrier(i32) attributes {passthrough = ["convergent"]}
// CHECK-DAG: func.func private @dlc_gpusim_shuffle_f32(f32, i32, i32, i32, i32) -> f32 attributes {passthrough = ["convergent"]}
// The gpu.module's globals move out, without their address space.
// CHECK-DAG: memref.global "private" @counters : memref<4xi32> = dense<0>
// CHECK-NOT: gpu.module
// Buffers, workgroup buffers, then the workgroup id and count.
// CHECK: func.func @k0(%[[IN:.*]]: memref<64xf32>, %[[OUT:.*]]: memref<64xf32>, %[[WG:.*]]: memref<64xf32>, %[[ID:.*]]: index, %[[COUNT:.*]]: index)
// CHECK-SAME: dl.simulated_block = 64 : i64
// CHECK-SAME: dl.simulated_workgroup_bytes = array<i64: 256>
// CHECK-SAME: dl.workgroups = 3 : i64
// CHECK-NOT: nvvm.griddepcontrol
// CHECK: %[[T64:.*]] = call @dlc_gpusim_thread_id() : () -> i64
// CHECK: %[[T:.*]] = arith.index_cast %[[T64]] : i64 to index
// CHECK: memref.load %[[IN]][%[[T]]]
// CHECK: memref.store %{{.*}}, %[[WG]][%[[T]]] : memref<64xf32>
// Each barrier and shuffle numbers its place: 0, 1, ...
// CHECK: %[[SITE0:.*]] = arith.constant 0 : i32
// CHECK: call @dlc_gpusim_barrier(%[[SITE0]]) : (i32) -> ()
// The shuffle's mode: 0 for xor.
// CHECK: %[[XOR:.*]] = arith.constant 0 : i32
// CHECK: %[[SITE1:.*]] = arith.constant 1 : i32
// CHECK: call @dlc_gpusim_shuffle_f32(%{{.*}}, %{{.*}}, %{{.*}}, %[[XOR]], %[[SITE1]])
// A memory barrier between blocks becomes a fence; the block id and grid
// size are the slice's arguments.
// CHECK: llvm.fence seq_cst
// CHECK: memref.get_global @counters : memref<4xi32>
// CHECK: memref.atomic_rmw addi %{{.*}}, %{{.*}}[%[[COUNT]]]
// CHECK: memref.store %{{.*}}, %[[OUT]][%[[ID]]]
// CHECK: return
module @kernels attributes {gpu.container_module} {
  gpu.module @dl_gpu {
    memref.global "private" @counters : memref<4xi32, #gpu.address_space<global>> = dense<0>
    gpu.func @k0(%in: memref<64xf32>, %out: memref<64xf32>) workgroup(%wg : memref<64xf32, #gpu.address_space<workgroup>>) kernel attributes {dl.block = 64 : i64, dl.workgroups = 3 : i64, known_block_size = array<i32: 64, 1, 1>} {
      nvvm.griddepcontrol wait
      %t = gpu.thread_id x
      %x = memref.load %in[%t] : memref<64xf32>
      %view = memref.memory_space_cast %wg : memref<64xf32, #gpu.address_space<workgroup>> to memref<64xf32>
      memref.store %x, %view[%t] : memref<64xf32>
      gpu.barrier
      %c1 = arith.constant 1 : i32
      %c32 = arith.constant 32 : i32
      %s, %valid = gpu.shuffle xor %x, %c1, %c32 : f32
      nvvm.memory.barrier <gpu>
      %counters = memref.get_global @counters : memref<4xi32, #gpu.address_space<global>>
      %one = arith.constant 1 : i32
      %n = gpu.grid_dim x
      %old = memref.atomic_rmw addi %one, %counters[%n] : (i32, memref<4xi32, #gpu.address_space<global>>) -> i32
      %b = gpu.block_id x
      memref.store %s, %out[%b] : memref<64xf32>
      gpu.return
    }
  }
}

// -----

module @kernels attributes {gpu.container_module} {
  gpu.module @dl_gpu {
    gpu.func @k0(%in: memref<64xf64>) kernel attributes {dl.block = 64 : i64} {
      %t = gpu.thread_id x
      %x = memref.load %in[%t] : memref<64xf64>
      %c1 = arith.constant 1 : i32
      %c32 = arith.constant 32 : i32
      // expected-error @+1 {{cannot simulate a shuffle of 'f64'}}
      %s, %valid = gpu.shuffle xor %x, %c1, %c32 : f64
      memref.store %s, %in[%t] : memref<64xf64>
      gpu.return
    }
  }
}

// -----

module @kernels attributes {gpu.container_module} {
  gpu.module @dl_gpu {
    gpu.func @k0(%in: memref<64xf32>) kernel attributes {dl.block = 64 : i64} {
      %t = gpu.thread_id x
      %x = memref.load %in[%t] : memref<64xf32>
      %c1 = arith.constant 1 : i32
      %c32 = arith.constant 32 : i32
      // expected-error @+1 {{cannot simulate a shuffle whose validity is used}}
      %s, %valid = gpu.shuffle down %x, %c1, %c32 : f32
      %y = arith.select %valid, %s, %x : f32
      memref.store %y, %in[%t] : memref<64xf32>
      gpu.return
    }
  }
}

// -----

// A kernel whose name the kernels module already has.
module @kernels attributes {gpu.container_module} {
  func.func private @k0()
  gpu.module @dl_gpu {
    // expected-error @+1 {{cannot move k0 out of the gpu.module: the name is taken}}
    gpu.func @k0() kernel attributes {dl.block = 64 : i64} {
      gpu.return
    }
  }
}
