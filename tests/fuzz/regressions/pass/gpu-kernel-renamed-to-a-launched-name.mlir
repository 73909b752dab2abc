module @softmax_regression attributes {dl.epochs = 5 : i64, dl.optimizer = #dl.sgd<lr = 1.000000e-01, weight_decay = 0.000000e+00, momentum = 0.000000e+00>} {
  func.func @train_step(%dense1.weight: tensor<784x10xf32> {dl.init = #dl.normal<mean = 0.000000e+00, std = 1.000000e-02>, dl.param = "dense1.weight", dl.seed = 1 : i64}, %dense1.bias: tensor<10xf32> {dl.init = #dl.zeros, dl.param = "dense1.bias", dl.seed = 2 : i64}, %image: tensor<8x1x28x28xf32> {dl.input = "image"}, %label: tensor<8xi32> {dl.classes = 10 : i64, dl.label = "label"}, %lr: f32 {dl.hyper = "lr"}, %weight_decay: f32 {dl.hyper = "weight_decay"}, %momentum: f32 {dl.hyper = "momentum"}) -> (tensor<784x10xf32>, tensor<10xf32>, tensor<f32>, tensor<i32>) {
    %0 = dl.flatten %image : tensor<8x1x28x28xf32> -> tensor<8x784xf32>
    %1 = dl.launch @kernels::@k0_dense(%0, %dense1.weight, %dense1.bias) : (tensor<8x784xf32>, tensor<784x10xf32>, tensor<10xf32>) -> tensor<8x10xf32>
    %2:3 = dl.launch @kernels::@k1_softmax_ce_grad(%1, %label) : (tensor<8x10xf32>, tensor<8xi32>) -> (tensor<f32>, tensor<i32>, tensor<8x10xf32>)
    %3 = dl.launch @kernels::@k2_dense_grad_weight_sgd_update(%0, %2#2, %dense1.weight, %lr, %weight_decay) : (tensor<8x784xf32>, tensor<8x10xf32>, tensor<784x10xf32>, f32, f32) -> tensor<784x10xf32>
    %4 = dl.launch @kernels::@k3_bias_grad_sgd_update(%2#2, %dense1.bias, %lr, %weight_decay) : (tensor<8x10xf32>, tensor<10xf32>, f32, f32) -> tensor<10xf32>
    return %3, %4, %2#0, %2#1 : tensor<784x10xf32>, tensor<10xf32>, tensor<f32>, tensor<i32>
  }
  func.func @eval_step(%dense1.weight: tensor<784x10xf32> {dl.init = #dl.normal<mean = 0.000000e+00, std = 1.000000e-02>, dl.param = "dense1.weight", dl.seed = 1 : i64}, %dense1.bias: tensor<10xf32> {dl.init = #dl.zeros, dl.param = "dense1.bias", dl.seed = 2 : i64}, %image: tensor<8x1x28x28xf32> {dl.input = "image"}, %label: tensor<8xi32> {dl.classes = 10 : i64, dl.label = "label"}, %valid_rows: i32 {dl.hyper = "valid_rows"}) -> (tensor<f32>, tensor<i32>) {
    %0 = dl.flatten %image : tensor<8x1x28x28xf32> -> tensor<8x784xf32>
    %1 = dl.launch @kernels::@k0_dense(%0, %dense1.weight, %dense1.bias) : (tensor<8x784xf32>, tensor<784x10xf32>, tensor<10xf32>) -> tensor<8x10xf32>
    %2:2 = dl.launch @kernels::@k5_softmax_ce_eval(%1, %label, %valid_rows) : (tensor<8x10xf32>, tensor<8xi32>, i32) -> (tensor<f32>, tensor<i32>)
    return %2#0, %2#1 : tensor<f32>, tensor<i32>
  }
  module @kernels attributes {gpu.container_module} {
    gpu.module @dl_gpu {
      gpu.func @softmax_regression(%arg0: memref<8x784xf32>, %arg1: memref<784x10xf32>, %arg2: memref<10xf32>, %arg3: memref<8x10xf32>) kernel attributes {dl.block = 1024 : i64, dl.buffer_access = array<i32: 1, 1, 1, 3>, dl.flops = 125440 : i64, dl.num_inputs = 3 : i64, dl.num_outputs = 1 : i64, dl.origin = ["dl.dense @ models/softmax_regression.dl:6:10"], dl.result_aliases = array<i64: -1>, dl.result_kinds = ["activation"], dl.scratch = [], dl.step = "train_step", dl.workgroups = 1 : i64, known_block_size = array<i32: 1024, 1, 1>} {
        %c784 = arith.constant 784 : index
        %cst = arith.constant 0.000000e+00 : f32
        %c960 = arith.constant 960 : index
        %c12 = arith.constant 12 : index
        %c1024 = arith.constant 1024 : index
        %c80 = arith.constant 80 : index
        %c10 = arith.constant 10 : index
        %c8 = arith.constant 8 : index
        %block_id_x = gpu.block_id  x
        %thread_id_x = gpu.thread_id  x
        %0 = arith.muli %block_id_x, %c8 : index
        %subview = memref.subview %arg3[%0, 0] [8, 10] [1, 1] : memref<8x10xf32> to memref<8x10xf32, strided<[10, 1], offset: ?>>
        scf.for %arg4 = %thread_id_x to %c80 step %c1024 {
          %1 = arith.remui %arg4, %c10 : index
          %2 = arith.divui %arg4, %c10 : index
          %3 = memref.load %arg2[%1] : memref<10xf32>
          memref.store %3, %subview[%2, %1] : memref<8x10xf32, strided<[10, 1], offset: ?>>
        }
        gpu.barrier
        %subview_0 = memref.subview %arg0[%0, 0] [8, 784] [1, 1] : memref<8x784xf32> to memref<8x784xf32, strided<[784, 1], offset: ?>>
        scf.for %arg4 = %thread_id_x to %c960 step %c1024 {
          %1 = arith.remui %arg4, %c80 : index
          %2 = arith.divui %arg4, %c80 : index
          %3 = arith.remui %1, %c10 : index
          %4 = arith.divui %1, %c10 : index
          %5 = scf.for %arg5 = %2 to %c784 step %c12 iter_args(%arg6 = %cst) -> (f32) {
            %7 = memref.load %subview_0[%4, %arg5] : memref<8x784xf32, strided<[784, 1], offset: ?>>
            %8 = memref.load %arg1[%arg5, %3] : memref<784x10xf32>
            %9 = arith.mulf %7, %8 fastmath<reassoc,contract> : f32
            %10 = arith.addf %arg6, %9 fastmath<reassoc,contract> : f32
            scf.yield %10 : f32
          }
          %6 = memref.atomic_rmw addf %5, %subview[%4, %3] : (f32, memref<8x10xf32, strided<[10, 1], offset: ?>>) -> f32
        }
        gpu.return
      }
      gpu.func @k1_softmax_ce_grad(%arg0: memref<8x10xf32>, %arg1: memref<8xi32>, %arg2: memref<f32>, %arg3: memref<i32>, %arg4: memref<8x10xf32>, %arg5: memref<8xf32>, %arg6: memref<8xf32>, %arg7: memref<8xi32>) kernel attributes {dl.block = 1024 : i64, dl.buffer_access = array<i32: 1, 1, 3, 3, 2, 3, 3, 3>, dl.flops = 640 : i64, dl.num_inputs = 2 : i64, dl.num_outputs = 3 : i64, dl.origin = ["dl.softmax_ce @ models/softmax_regression.dl:7:8", "dl.softmax_ce_grad @ models/softmax_regression.dl:7:8"], dl.result_aliases = array<i64: -1, -1, -1>, dl.result_kinds = ["gradient", "gradient", "gradient"], dl.scratch = [tensor<8xf32>, tensor<8xf32>, tensor<8xi32>], dl.step = "train_step", dl.workgroups = 1 : i64, known_block_size = array<i32: 1024, 1, 1>} {
        %cst = arith.constant 0.693147182 : f32
        %c-2139095041_i32 = arith.constant -2139095041 : i32
        %c1056964608_i32 = arith.constant 1056964608 : i32
        %cst_0 = arith.constant 1.260000e+02 : f32
        %cst_1 = arith.constant 0.333333313 : f32
        %cst_2 = arith.constant -0.24999994 : f32
        %cst_3 = arith.constant 0.200007141 : f32
        %cst_4 = arith.constant -0.166680574 : f32
        %cst_5 = arith.constant 0.142493233 : f32
        %cst_6 = arith.constant -0.12420141 : f32
        %cst_7 = arith.constant 0.116769984 : f32
        %cst_8 = arith.constant -0.115146101 : f32
        %cst_9 = arith.constant 0.0703768358 : f32
        %cst_10 = arith.constant 0.707106769 : f32
        %cst_11 = arith.constant 0x7FC00000 : f32
        %cst_12 = arith.constant 0x7F800000 : f32
        %cst_13 = arith.constant 1.17549435E-38 : f32
        %cst_14 = arith.constant -5.000000e-01 : f32
        %c127_i32 = arith.constant 127 : i32
        %c23_i32 = arith.constant 23 : i32
        %cst_15 = arith.constant 1.270000e+02 : f32
        %cst_16 = arith.constant -1.270000e+02 : f32
        %cst_17 = arith.constant 8.880000e+01 : f32
        %cst_18 = arith.constant -8.780000e+01 : f32
        %cst_19 = arith.constant 0.166666657 : f32
        %cst_20 = arith.constant 0.0416657962 : f32
        %cst_21 = arith.constant 0.00833345205 : f32
        %cst_22 = arith.constant 0.00139819994 : f32
        %cst_23 = arith.constant 1.98756912E-4 : f32
        %cst_24 = arith.constant 2.12194442E-4 : f32
        %cst_25 = arith.constant -0.693359375 : f32
        %cst_26 = arith.constant 1.44269502 : f32
        %cst_27 = arith.constant 1.000000e+00 : f32
        %cst_28 = arith.constant 5.000000e-01 : f32
        %c80 = arith.constant 80 : index
        %c10 = arith.constant 10 : index
        %c1024 = arith.constant 1024 : index
        %c8 = arith.constant 8 : index
        %c1 = arith.constant 1 : index
        %c0 = arith.constant 0 : index
        %cst_29 = arith.constant 0xFF800000 : f32
        %cst_30 = arith.constant 0.000000e+00 : f32
        %cst_31 = arith.constant 1.250000e-01 : f32
        %c10_i32 = arith.constant 10 : i32
        %c0_i32 = arith.constant 0 : i32
        %thread_id_x = gpu.thread_id  x
        scf.for %arg8 = %thread_id_x to %c8 step %c1024 {
          %0 = scf.for %arg9 = %c0 to %c10 step %c1 iter_args(%arg10 = %cst_29) -> (f32) {
            %1 = memref.load %arg0[%arg8, %arg9] : memref<8x10xf32>
            %2 = arith.cmpf ogt, %1, %arg10 : f32
            %3 = arith.cmpf uno, %1, %1 : f32
            %4 = arith.ori %2, %3 : i1
            %5 = arith.select %4, %1, %arg10 : f32
            scf.yield %5 : f32
          }
          memref.store %0, %arg5[%arg8] : memref<8xf32>
        }
        gpu.barrier
        scf.for %arg8 = %thread_id_x to %c8 step %c1024 {
          memref.store %cst_30, %arg6[%arg8] : memref<8xf32>
        }
        gpu.barrier
        scf.for %arg8 = %thread_id_x to %c80 step %c1024 {
          %0 = arith.remui %arg8, %c8 : index
          %1 = arith.divui %arg8, %c8 : index
          %2 = memref.load %arg0[%0, %1] : memref<8x10xf32>
          %3 = memref.load %arg5[%0] : memref<8xf32>
          %4 = arith.subf %2, %3 : f32
          %5 = arith.cmpf uge, %4, %cst_18 : f32
          %6 = arith.select %5, %4, %cst_18 : f32
          %7 = arith.cmpf ule, %6, %cst_17 : f32
          %8 = arith.select %7, %6, %cst_17 : f32
          %9 = math.fma %8, %cst_26, %cst_28 : f32
          %10 = math.floor %9 : f32
          %11 = arith.cmpf uge, %10, %cst_16 : f32
          %12 = arith.select %11, %10, %cst_16 : f32
          %13 = arith.cmpf ule, %12, %cst_15 : f32
          %14 = arith.select %13, %12, %cst_15 : f32
          %15 = math.fma %cst_25, %14, %8 : f32
          %16 = math.fma %cst_24, %14, %15 : f32
          %17 = math.fma %16, %cst_23, %cst_22 : f32
          %18 = math.fma %17, %16, %cst_21 : f32
          %19 = math.fma %18, %16, %cst_20 : f32
          %20 = math.fma %19, %16, %cst_19 : f32
          %21 = math.fma %20, %16, %cst_28 : f32
          %22 = arith.mulf %16, %16 : f32
          %23 = math.fma %21, %22, %16 : f32
          %24 = arith.addf %23, %cst_27 : f32
          %25 = arith.fptosi %14 : f32 to i32
          %26 = arith.addi %25, %c127_i32 : i32
          %27 = arith.shli %26, %c23_i32 : i32
          %28 = arith.bitcast %27 : i32 to f32
          %29 = arith.mulf %24, %28 : f32
          %30 = arith.addf %29, %cst_30 : f32
          %31 = memref.atomic_rmw addf %30, %arg6[%0] : (f32, memref<8xf32>) -> f32
        }
        gpu.barrier
        scf.for %arg8 = %thread_id_x to %c1 step %c1024 {
          memref.store %cst_30, %arg2[] : memref<f32>
        }
        gpu.barrier
        scf.for %arg8 = %thread_id_x to %c8 step %c1024 {
          %0 = memref.load %arg5[%arg8] : memref<8xf32>
          %1 = memref.load %arg6[%arg8] : memref<8xf32>
          %2 = memref.load %arg1[%arg8] : memref<8xi32>
          %3 = arith.index_cast %2 : i32 to index
          %4 = memref.load %arg0[%arg8, %3] : memref<8x10xf32>
          %5 = arith.cmpf ugt, %1, %cst_13 : f32
          %6 = arith.select %5, %1, %cst_13 : f32
          %7 = arith.bitcast %6 : f32 to i32
          %8 = arith.andi %7, %c-2139095041_i32 : i32
          %9 = arith.ori %8, %c1056964608_i32 : i32
          %10 = arith.bitcast %9 : i32 to f32
          %11 = arith.shrui %7, %c23_i32 : i32
          %12 = arith.sitofp %11 : i32 to f32
          %13 = arith.subf %12, %cst_0 : f32
          %14 = arith.cmpf olt, %10, %cst_10 : f32
          %15 = arith.select %14, %10, %cst_30 : f32
          %16 = arith.subf %10, %cst_27 : f32
          %17 = arith.select %14, %cst_27, %cst_30 : f32
          %18 = arith.subf %13, %17 : f32
          %19 = arith.addf %16, %15 : f32
          %20 = arith.mulf %19, %19 : f32
          %21 = arith.mulf %20, %19 : f32
          %22 = math.fma %cst_9, %19, %cst_8 : f32
          %23 = math.fma %cst_6, %19, %cst_5 : f32
          %24 = math.fma %cst_3, %19, %cst_2 : f32
          %25 = math.fma %22, %19, %cst_7 : f32
          %26 = math.fma %23, %19, %cst_4 : f32
          %27 = math.fma %24, %19, %cst_1 : f32
          %28 = math.fma %25, %21, %26 : f32
          %29 = math.fma %28, %21, %27 : f32
          %30 = arith.mulf %29, %21 : f32
          %31 = math.fma %cst_14, %20, %30 : f32
          %32 = arith.addf %19, %31 : f32
          %33 = math.fma %18, %cst, %32 : f32
          %34 = arith.cmpf ult, %1, %cst_30 : f32
          %35 = arith.cmpf oeq, %1, %cst_30 : f32
          %36 = arith.cmpf oeq, %1, %cst_12 : f32
          %37 = arith.select %36, %cst_12, %33 : f32
          %38 = arith.select %34, %cst_11, %37 : f32
          %39 = arith.select %35, %cst_29, %38 : f32
          %40 = arith.addf %0, %39 : f32
          %41 = arith.subf %40, %4 : f32
          %42 = arith.mulf %41, %cst_31 : f32
          %43 = arith.addf %42, %cst_30 : f32
          %44 = memref.atomic_rmw addf %43, %arg2[] : (f32, memref<f32>) -> f32
        }
        gpu.barrier
        scf.for %arg8 = %thread_id_x to %c8 step %c1024 {
          %0 = scf.for %arg9 = %c0 to %c10 step %c1 iter_args(%arg10 = %c10_i32) -> (i32) {
            %1 = memref.load %arg0[%arg8, %arg9] : memref<8x10xf32>
            %2 = memref.load %arg5[%arg8] : memref<8xf32>
            %3 = arith.index_cast %arg9 : index to i32
            %4 = arith.cmpf oeq, %1, %2 : f32
            %5 = arith.minsi %arg10, %3 : i32
            %6 = arith.select %4, %5, %arg10 : i32
            scf.yield %6 : i32
          }
          memref.store %0, %arg7[%arg8] : memref<8xi32>
        }
        gpu.barrier
        scf.for %arg8 = %thread_id_x to %c1 step %c1024 {
          memref.store %c0_i32, %arg3[] : memref<i32>
        }
        gpu.barrier
        scf.for %arg8 = %thread_id_x to %c8 step %c1024 {
          %0 = memref.load %arg7[%arg8] : memref<8xi32>
          %1 = memref.load %arg1[%arg8] : memref<8xi32>
          %2 = arith.cmpi eq, %0, %1 : i32
          %3 = arith.extui %2 : i1 to i32
          %4 = memref.atomic_rmw addi %3, %arg3[] : (i32, memref<i32>) -> i32
        }
        gpu.barrier
        scf.for %arg8 = %thread_id_x to %c80 step %c1024 {
          %0 = arith.remui %arg8, %c10 : index
          %1 = arith.divui %arg8, %c10 : index
          %2 = memref.load %arg0[%1, %0] : memref<8x10xf32>
          %3 = memref.load %arg5[%1] : memref<8xf32>
          %4 = memref.load %arg6[%1] : memref<8xf32>
          %5 = memref.load %arg1[%1] : memref<8xi32>
          %6 = arith.subf %2, %3 : f32
          %7 = arith.cmpf uge, %6, %cst_18 : f32
          %8 = arith.select %7, %6, %cst_18 : f32
          %9 = arith.cmpf ule, %8, %cst_17 : f32
          %10 = arith.select %9, %8, %cst_17 : f32
          %11 = math.fma %10, %cst_26, %cst_28 : f32
          %12 = math.floor %11 : f32
          %13 = arith.cmpf uge, %12, %cst_16 : f32
          %14 = arith.select %13, %12, %cst_16 : f32
          %15 = arith.cmpf ule, %14, %cst_15 : f32
          %16 = arith.select %15, %14, %cst_15 : f32
          %17 = math.fma %cst_25, %16, %10 : f32
          %18 = math.fma %cst_24, %16, %17 : f32
          %19 = math.fma %18, %cst_23, %cst_22 : f32
          %20 = math.fma %19, %18, %cst_21 : f32
          %21 = math.fma %20, %18, %cst_20 : f32
          %22 = math.fma %21, %18, %cst_19 : f32
          %23 = math.fma %22, %18, %cst_28 : f32
          %24 = arith.mulf %18, %18 : f32
          %25 = math.fma %23, %24, %18 : f32
          %26 = arith.addf %25, %cst_27 : f32
          %27 = arith.fptosi %16 : f32 to i32
          %28 = arith.addi %27, %c127_i32 : i32
          %29 = arith.shli %28, %c23_i32 : i32
          %30 = arith.bitcast %29 : i32 to f32
          %31 = arith.mulf %26, %30 : f32
          %32 = arith.divf %31, %4 : f32
          %33 = arith.index_cast %0 : index to i32
          %34 = arith.cmpi eq, %33, %5 : i32
          %35 = arith.uitofp %34 : i1 to f32
          %36 = arith.subf %32, %35 : f32
          %37 = arith.mulf %36, %cst_31 : f32
          memref.store %37, %arg4[%1, %0] : memref<8x10xf32>
        }
        gpu.return
      }
      gpu.func @k0_dense(%arg0: memref<8x784xf32>, %arg1: memref<8x10xf32>, %arg2: memref<784x10xf32>, %arg3: memref<f32>, %arg4: memref<f32>, %arg5: memref<784x10xf32>) kernel attributes {dl.block = 512 : i64, dl.buffer_access = array<i32: 1, 1, 3, 1, 1, 0>, dl.flops = 156800 : i64, dl.num_inputs = 5 : i64, dl.num_outputs = 0 : i64, dl.origin = ["dl.dense_grad_weight @ models/softmax_regression.dl:6:10", "dl.sgd_update @ models/softmax_regression.dl:6:10"], dl.result_aliases = array<i64: 2>, dl.result_kinds = ["gradient"], dl.scratch = [tensor<784x10xf32>], dl.step = "train_step", dl.workgroups = 7 : i64, known_block_size = array<i32: 512, 1, 1>} {
        %c8 = arith.constant 8 : index
        %c512 = arith.constant 512 : index
        %c1 = arith.constant 1 : index
        %c1120 = arith.constant 1120 : index
        %c0 = arith.constant 0 : index
        %c10 = arith.constant 10 : index
        %cst = arith.constant 0.000000e+00 : f32
        %c112 = arith.constant 112 : index
        %block_id_x = gpu.block_id  x
        %thread_id_x = gpu.thread_id  x
        %0 = arith.muli %block_id_x, %c112 : index
        %subview = memref.subview %arg0[0, %0] [8, 112] [1, 1] : memref<8x784xf32> to memref<8x112xf32, strided<[784, 1], offset: ?>>
        %1 = memref.load %arg3[] : memref<f32>
        %2 = memref.load %arg4[] : memref<f32>
        %subview_0 = memref.subview %arg2[%0, 0] [112, 10] [1, 1] : memref<784x10xf32> to memref<112x10xf32, strided<[10, 1], offset: ?>>
        scf.for %arg6 = %thread_id_x to %c1120 step %c512 {
          %3 = arith.remui %arg6, %c10 : index
          %4 = arith.divui %arg6, %c10 : index
          %5 = scf.for %arg7 = %c0 to %c8 step %c1 iter_args(%arg8 = %cst) -> (f32) {
            %11 = memref.load %subview[%arg7, %4] : memref<8x112xf32, strided<[784, 1], offset: ?>>
            %12 = memref.load %arg1[%arg7, %3] : memref<8x10xf32>
            %13 = arith.mulf %11, %12 fastmath<reassoc,contract> : f32
            %14 = arith.addf %arg8, %13 fastmath<reassoc,contract> : f32
            scf.yield %14 : f32
          }
          %6 = memref.load %subview_0[%4, %3] : memref<112x10xf32, strided<[10, 1], offset: ?>>
          %7 = arith.mulf %2, %6 : f32
          %8 = arith.addf %5, %7 : f32
          %9 = arith.mulf %1, %8 : f32
          %10 = arith.subf %6, %9 : f32
          memref.store %10, %subview_0[%4, %3] : memref<112x10xf32, strided<[10, 1], offset: ?>>
        }
        gpu.return
      }
      gpu.func @k3_bias_grad_sgd_update(%arg0: memref<8x10xf32>, %arg1: memref<10xf32>, %arg2: memref<f32>, %arg3: memref<f32>, %arg4: memref<10xf32>) kernel attributes {dl.block = 1024 : i64, dl.buffer_access = array<i32: 1, 3, 1, 1, 3>, dl.flops = 50 : i64, dl.num_inputs = 4 : i64, dl.num_outputs = 0 : i64, dl.origin = ["dl.bias_grad @ models/softmax_regression.dl:6:10", "dl.sgd_update @ models/softmax_regression.dl:6:10"], dl.result_aliases = array<i64: 1>, dl.result_kinds = ["gradient"], dl.scratch = [tensor<10xf32>], dl.step = "train_step", dl.workgroups = 1 : i64, known_block_size = array<i32: 1024, 1, 1>} {
        %c80 = arith.constant 80 : index
        %c1024 = arith.constant 1024 : index
        %cst = arith.constant 0.000000e+00 : f32
        %c10 = arith.constant 10 : index
        %block_id_x = gpu.block_id  x
        %thread_id_x = gpu.thread_id  x
        %0 = arith.muli %block_id_x, %c10 : index
        %subview = memref.subview %arg4[%0] [10] [1] : memref<10xf32> to memref<10xf32, strided<[1], offset: ?>>
        scf.for %arg5 = %thread_id_x to %c10 step %c1024 {
          memref.store %cst, %subview[%arg5] : memref<10xf32, strided<[1], offset: ?>>
        }
        gpu.barrier
        %subview_0 = memref.subview %arg0[0, %0] [8, 10] [1, 1] : memref<8x10xf32> to memref<8x10xf32, strided<[10, 1], offset: ?>>
        %1 = memref.load %arg2[] : memref<f32>
        %2 = memref.load %arg3[] : memref<f32>
        %subview_1 = memref.subview %arg1[%0] [10] [1] : memref<10xf32> to memref<10xf32, strided<[1], offset: ?>>
        scf.for %arg5 = %thread_id_x to %c80 step %c1024 {
          %3 = arith.remui %arg5, %c10 : index
          %4 = arith.divui %arg5, %c10 : index
          %5 = memref.load %subview_0[%4, %3] : memref<8x10xf32, strided<[10, 1], offset: ?>>
          %6 = arith.addf %5, %cst fastmath<reassoc,contract> : f32
          %7 = memref.atomic_rmw addf %6, %subview[%3] : (f32, memref<10xf32, strided<[1], offset: ?>>) -> f32
        }
        gpu.barrier
        scf.for %arg5 = %thread_id_x to %c10 step %c1024 {
          %3 = memref.load %subview_1[%arg5] : memref<10xf32, strided<[1], offset: ?>>
          %4 = memref.load %subview[%arg5] : memref<10xf32, strided<[1], offset: ?>>
          %5 = arith.mulf %2, %3 : f32
          %6 = arith.addf %4, %5 : f32
          %7 = arith.mulf %1, %6 : f32
          %8 = arith.subf %3, %7 : f32
          memref.store %8, %subview_1[%arg5] : memref<10xf32, strided<[1], offset: ?>>
        }
        gpu.return
      }
      gpu.func @k5_softmax_ce_eval(%arg0: memref<8x10xf32>, %arg1: memref<8xi32>, %arg2: memref<i32>, %arg3: memref<f32>, %arg4: memref<i32>, %arg5: memref<8xf32>, %arg6: memref<8xf32>, %arg7: memref<8xi32>) kernel attributes {dl.block = 1024 : i64, dl.buffer_access = array<i32: 1, 1, 1, 3, 3, 3, 3, 3>, dl.flops = 320 : i64, dl.num_inputs = 3 : i64, dl.num_outputs = 2 : i64, dl.origin = ["dl.softmax_ce_eval @ models/softmax_regression.dl:7:8"], dl.result_aliases = array<i64: -1, -1>, dl.result_kinds = ["gradient", "gradient"], dl.scratch = [tensor<8xf32>, tensor<8xf32>, tensor<8xi32>], dl.step = "eval_step", dl.workgroups = 1 : i64, known_block_size = array<i32: 1024, 1, 1>} {
        %cst = arith.constant 0.693147182 : f32
        %c-2139095041_i32 = arith.constant -2139095041 : i32
        %c1056964608_i32 = arith.constant 1056964608 : i32
        %cst_0 = arith.constant 1.260000e+02 : f32
        %cst_1 = arith.constant 0.333333313 : f32
        %cst_2 = arith.constant -0.24999994 : f32
        %cst_3 = arith.constant 0.200007141 : f32
        %cst_4 = arith.constant -0.166680574 : f32
        %cst_5 = arith.constant 0.142493233 : f32
        %cst_6 = arith.constant -0.12420141 : f32
        %cst_7 = arith.constant 0.116769984 : f32
        %cst_8 = arith.constant -0.115146101 : f32
        %cst_9 = arith.constant 0.0703768358 : f32
        %cst_10 = arith.constant 0.707106769 : f32
        %cst_11 = arith.constant 0x7FC00000 : f32
        %cst_12 = arith.constant 0x7F800000 : f32
        %cst_13 = arith.constant 1.17549435E-38 : f32
        %cst_14 = arith.constant -5.000000e-01 : f32
        %c127_i32 = arith.constant 127 : i32
        %c23_i32 = arith.constant 23 : i32
        %cst_15 = arith.constant 1.270000e+02 : f32
        %cst_16 = arith.constant -1.270000e+02 : f32
        %cst_17 = arith.constant 8.880000e+01 : f32
        %cst_18 = arith.constant -8.780000e+01 : f32
        %cst_19 = arith.constant 0.166666657 : f32
        %cst_20 = arith.constant 0.0416657962 : f32
        %cst_21 = arith.constant 0.00833345205 : f32
        %cst_22 = arith.constant 0.00139819994 : f32
        %cst_23 = arith.constant 1.98756912E-4 : f32
        %cst_24 = arith.constant 2.12194442E-4 : f32
        %cst_25 = arith.constant -0.693359375 : f32
        %cst_26 = arith.constant 1.44269502 : f32
        %cst_27 = arith.constant 1.000000e+00 : f32
        %cst_28 = arith.constant 5.000000e-01 : f32
        %c80 = arith.constant 80 : index
        %c10 = arith.constant 10 : index
        %c1024 = arith.constant 1024 : index
        %c8 = arith.constant 8 : index
        %c1 = arith.constant 1 : index
        %c0 = arith.constant 0 : index
        %cst_29 = arith.constant 0xFF800000 : f32
        %cst_30 = arith.constant 0.000000e+00 : f32
        %c10_i32 = arith.constant 10 : i32
        %c0_i32 = arith.constant 0 : i32
        %thread_id_x = gpu.thread_id  x
        scf.for %arg8 = %thread_id_x to %c8 step %c1024 {
          %1 = scf.for %arg9 = %c0 to %c10 step %c1 iter_args(%arg10 = %cst_29) -> (f32) {
            %2 = memref.load %arg0[%arg8, %arg9] : memref<8x10xf32>
            %3 = arith.cmpf ogt, %2, %arg10 : f32
            %4 = arith.cmpf uno, %2, %2 : f32
            %5 = arith.ori %3, %4 : i1
            %6 = arith.select %5, %2, %arg10 : f32
            scf.yield %6 : f32
          }
          memref.store %1, %arg5[%arg8] : memref<8xf32>
        }
        gpu.barrier
        scf.for %arg8 = %thread_id_x to %c8 step %c1024 {
          memref.store %cst_30, %arg6[%arg8] : memref<8xf32>
        }
        gpu.barrier
        scf.for %arg8 = %thread_id_x to %c80 step %c1024 {
          %1 = arith.remui %arg8, %c8 : index
          %2 = arith.divui %arg8, %c8 : index
          %3 = memref.load %arg0[%1, %2] : memref<8x10xf32>
          %4 = memref.load %arg5[%1] : memref<8xf32>
          %5 = arith.subf %3, %4 : f32
          %6 = arith.cmpf uge, %5, %cst_18 : f32
          %7 = arith.select %6, %5, %cst_18 : f32
          %8 = arith.cmpf ule, %7, %cst_17 : f32
          %9 = arith.select %8, %7, %cst_17 : f32
          %10 = math.fma %9, %cst_26, %cst_28 : f32
          %11 = math.floor %10 : f32
          %12 = arith.cmpf uge, %11, %cst_16 : f32
          %13 = arith.select %12, %11, %cst_16 : f32
          %14 = arith.cmpf ule, %13, %cst_15 : f32
          %15 = arith.select %14, %13, %cst_15 : f32
          %16 = math.fma %cst_25, %15, %9 : f32
          %17 = math.fma %cst_24, %15, %16 : f32
          %18 = math.fma %17, %cst_23, %cst_22 : f32
          %19 = math.fma %18, %17, %cst_21 : f32
          %20 = math.fma %19, %17, %cst_20 : f32
          %21 = math.fma %20, %17, %cst_19 : f32
          %22 = math.fma %21, %17, %cst_28 : f32
          %23 = arith.mulf %17, %17 : f32
          %24 = math.fma %22, %23, %17 : f32
          %25 = arith.addf %24, %cst_27 : f32
          %26 = arith.fptosi %15 : f32 to i32
          %27 = arith.addi %26, %c127_i32 : i32
          %28 = arith.shli %27, %c23_i32 : i32
          %29 = arith.bitcast %28 : i32 to f32
          %30 = arith.mulf %25, %29 : f32
          %31 = arith.addf %30, %cst_30 : f32
          %32 = memref.atomic_rmw addf %31, %arg6[%1] : (f32, memref<8xf32>) -> f32
        }
        gpu.barrier
        %0 = memref.load %arg2[] : memref<i32>
        scf.for %arg8 = %thread_id_x to %c1 step %c1024 {
          memref.store %cst_30, %arg3[] : memref<f32>
        }
        gpu.barrier
        scf.for %arg8 = %thread_id_x to %c8 step %c1024 {
          %1 = memref.load %arg5[%arg8] : memref<8xf32>
          %2 = memref.load %arg6[%arg8] : memref<8xf32>
          %3 = memref.load %arg1[%arg8] : memref<8xi32>
          %4 = arith.index_cast %3 : i32 to index
          %5 = memref.load %arg0[%arg8, %4] : memref<8x10xf32>
          %6 = arith.cmpf ugt, %2, %cst_13 : f32
          %7 = arith.select %6, %2, %cst_13 : f32
          %8 = arith.bitcast %7 : f32 to i32
          %9 = arith.andi %8, %c-2139095041_i32 : i32
          %10 = arith.ori %9, %c1056964608_i32 : i32
          %11 = arith.bitcast %10 : i32 to f32
          %12 = arith.shrui %8, %c23_i32 : i32
          %13 = arith.sitofp %12 : i32 to f32
          %14 = arith.subf %13, %cst_0 : f32
          %15 = arith.cmpf olt, %11, %cst_10 : f32
          %16 = arith.select %15, %11, %cst_30 : f32
          %17 = arith.subf %11, %cst_27 : f32
          %18 = arith.select %15, %cst_27, %cst_30 : f32
          %19 = arith.subf %14, %18 : f32
          %20 = arith.addf %17, %16 : f32
          %21 = arith.mulf %20, %20 : f32
          %22 = arith.mulf %21, %20 : f32
          %23 = math.fma %cst_9, %20, %cst_8 : f32
          %24 = math.fma %cst_6, %20, %cst_5 : f32
          %25 = math.fma %cst_3, %20, %cst_2 : f32
          %26 = math.fma %23, %20, %cst_7 : f32
          %27 = math.fma %24, %20, %cst_4 : f32
          %28 = math.fma %25, %20, %cst_1 : f32
          %29 = math.fma %26, %22, %27 : f32
          %30 = math.fma %29, %22, %28 : f32
          %31 = arith.mulf %30, %22 : f32
          %32 = math.fma %cst_14, %21, %31 : f32
          %33 = arith.addf %20, %32 : f32
          %34 = math.fma %19, %cst, %33 : f32
          %35 = arith.cmpf ult, %2, %cst_30 : f32
          %36 = arith.cmpf oeq, %2, %cst_30 : f32
          %37 = arith.cmpf oeq, %2, %cst_12 : f32
          %38 = arith.select %37, %cst_12, %34 : f32
          %39 = arith.select %35, %cst_11, %38 : f32
          %40 = arith.select %36, %cst_29, %39 : f32
          %41 = arith.addf %1, %40 : f32
          %42 = arith.subf %41, %5 : f32
          %43 = arith.index_cast %arg8 : index to i32
          %44 = arith.cmpi slt, %43, %0 : i32
          %45 = arith.select %44, %42, %cst_30 : f32
          %46 = arith.addf %45, %cst_30 : f32
          %47 = memref.atomic_rmw addf %46, %arg3[] : (f32, memref<f32>) -> f32
        }
        gpu.barrier
        scf.for %arg8 = %thread_id_x to %c8 step %c1024 {
          %1 = scf.for %arg9 = %c0 to %c10 step %c1 iter_args(%arg10 = %c10_i32) -> (i32) {
            %2 = memref.load %arg0[%arg8, %arg9] : memref<8x10xf32>
            %3 = memref.load %arg5[%arg8] : memref<8xf32>
            %4 = arith.index_cast %arg9 : index to i32
            %5 = arith.cmpf oeq, %2, %3 : f32
            %6 = arith.minsi %arg10, %4 : i32
            %7 = arith.select %5, %6, %arg10 : i32
            scf.yield %7 : i32
          }
          memref.store %1, %arg7[%arg8] : memref<8xi32>
        }
        gpu.barrier
        scf.for %arg8 = %thread_id_x to %c1 step %c1024 {
          memref.store %c0_i32, %arg4[] : memref<i32>
        }
        gpu.barrier
        scf.for %arg8 = %thread_id_x to %c8 step %c1024 {
          %1 = memref.load %arg7[%arg8] : memref<8xi32>
          %2 = memref.load %arg1[%arg8] : memref<8xi32>
          %3 = arith.cmpi eq, %1, %2 : i32
          %4 = arith.extui %3 : i1 to i32
          %5 = arith.index_cast %arg8 : index to i32
          %6 = arith.cmpi slt, %5, %0 : i32
          %7 = arith.select %6, %4, %c0_i32 : i32
          %8 = memref.atomic_rmw addi %7, %arg4[] : (i32, memref<i32>) -> i32
        }
        gpu.return
      }
      gpu.func @dl_gather_batch(%arg0: !llvm.ptr, %arg1: !llvm.ptr, %arg2: !llvm.ptr, %arg3: !llvm.ptr, %arg4: !llvm.ptr, %arg5: !llvm.ptr) kernel attributes {known_block_size = array<i32: 256, 1, 1>} {
        %block_id_x = gpu.block_id  x
        %0 = arith.index_castui %block_id_x : index to i64
        %thread_id_x = gpu.thread_id  x
        %1 = arith.index_castui %thread_id_x : index to i64
        %c256_i64 = arith.constant 256 : i64
        %2 = arith.muli %0, %c256_i64 : i64
        %3 = arith.addi %2, %1 : i64
        %c6272_i64 = arith.constant 6272 : i64
        %4 = arith.cmpi ult, %3, %c6272_i64 : i64
        scf.if %4 {
          %c784_i64 = arith.constant 784 : i64
          %5 = arith.divui %3, %c784_i64 : i64
          %c784_i64_0 = arith.constant 784 : i64
          %6 = arith.remui %3, %c784_i64_0 : i64
          %c0_i64 = arith.constant 0 : i64
          %7 = llvm.getelementptr %arg3[%c0_i64] : (!llvm.ptr, i64) -> !llvm.ptr, i32
          %8 = llvm.load %7 : !llvm.ptr -> i32
          %9 = arith.extsi %8 : i32 to i64
          %10 = arith.addi %9, %5 : i64
          %11 = llvm.getelementptr %arg2[%10] : (!llvm.ptr, i64) -> !llvm.ptr, i32
          %12 = llvm.load %11 : !llvm.ptr -> i32
          %13 = arith.extsi %12 : i32 to i64
          %c784_i64_1 = arith.constant 784 : i64
          %14 = arith.muli %13, %c784_i64_1 : i64
          %15 = arith.addi %14, %6 : i64
          %16 = llvm.getelementptr %arg0[%15] : (!llvm.ptr, i64) -> !llvm.ptr, i8
          %17 = llvm.load %16 : !llvm.ptr -> i8
          %cst = arith.constant 2.550000e+02 : f32
          %18 = arith.uitofp %17 : i8 to f32
          %19 = arith.divf %18, %cst : f32
          %20 = llvm.getelementptr %arg4[%3] : (!llvm.ptr, i64) -> !llvm.ptr, f32
          llvm.store %19, %20 : f32, !llvm.ptr
          %c0_i64_2 = arith.constant 0 : i64
          %21 = arith.cmpi eq, %6, %c0_i64_2 : i64
          scf.if %21 {
            %22 = llvm.getelementptr %arg1[%13] : (!llvm.ptr, i64) -> !llvm.ptr, i8
            %23 = llvm.load %22 : !llvm.ptr -> i8
            %24 = arith.extui %23 : i8 to i32
            %25 = llvm.getelementptr %arg5[%5] : (!llvm.ptr, i64) -> !llvm.ptr, i32
            llvm.store %24, %25 : i32, !llvm.ptr
          }
        }
        gpu.return
      }
      gpu.func @dl_accumulate(%arg0: !llvm.ptr, %arg1: !llvm.ptr, %arg2: !llvm.ptr, %arg3: !llvm.ptr, %arg4: !llvm.ptr) kernel attributes {known_block_size = array<i32: 1, 1, 1>} {
        %c0_i64 = arith.constant 0 : i64
        %0 = llvm.getelementptr %arg0[%c0_i64] : (!llvm.ptr, i64) -> !llvm.ptr, f32
        %1 = llvm.load %0 : !llvm.ptr -> f32
        %2 = arith.extf %1 : f32 to f64
        %3 = llvm.getelementptr %arg2[%c0_i64] : (!llvm.ptr, i64) -> !llvm.ptr, f64
        %4 = llvm.load %3 : !llvm.ptr -> f64
        %5 = arith.addf %4, %2 : f64
        %6 = llvm.getelementptr %arg2[%c0_i64] : (!llvm.ptr, i64) -> !llvm.ptr, f64
        llvm.store %5, %6 : f64, !llvm.ptr
        %7 = llvm.getelementptr %arg1[%c0_i64] : (!llvm.ptr, i64) -> !llvm.ptr, i32
        %8 = llvm.load %7 : !llvm.ptr -> i32
        %9 = arith.extsi %8 : i32 to i64
        %10 = llvm.getelementptr %arg3[%c0_i64] : (!llvm.ptr, i64) -> !llvm.ptr, i64
        %11 = llvm.load %10 : !llvm.ptr -> i64
        %12 = arith.addi %11, %9 : i64
        %13 = llvm.getelementptr %arg3[%c0_i64] : (!llvm.ptr, i64) -> !llvm.ptr, i64
        llvm.store %12, %13 : i64, !llvm.ptr
        %c8_i32 = arith.constant 8 : i32
        %14 = llvm.getelementptr %arg4[%c0_i64] : (!llvm.ptr, i64) -> !llvm.ptr, i32
        %15 = llvm.load %14 : !llvm.ptr -> i32
        %16 = arith.addi %15, %c8_i32 : i32
        %17 = llvm.getelementptr %arg4[%c0_i64] : (!llvm.ptr, i64) -> !llvm.ptr, i32
        llvm.store %16, %17 : i32, !llvm.ptr
        gpu.return
      }
    }
  }
}

