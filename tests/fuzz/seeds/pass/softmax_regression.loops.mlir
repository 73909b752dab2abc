#loop_unroll = #llvm.loop_unroll<disable = true>
#loop_annotation = #llvm.loop_annotation<unroll = #loop_unroll>
module @softmax_regression attributes {dl.epochs = 5 : i64, dl.optimizer = #dl.sgd<lr = 1.000000e-01, weight_decay = 0.000000e+00, momentum = 0.000000e+00>} {
  func.func @train_step(%dense1.weight: tensor<784x10xf32> {dl.init = #dl.normal<mean = 0.000000e+00, std = 1.000000e-02>, dl.param = "dense1.weight", dl.seed = 1 : i64}, %dense1.bias: tensor<10xf32> {dl.init = #dl.zeros, dl.param = "dense1.bias", dl.seed = 2 : i64}, %image: tensor<256x1x28x28xf32> {dl.input = "image"}, %label: tensor<256xi32> {dl.classes = 10 : i64, dl.label = "label"}, %lr: f32 {dl.hyper = "lr"}, %weight_decay: f32 {dl.hyper = "weight_decay"}, %momentum: f32 {dl.hyper = "momentum"}) -> (tensor<784x10xf32>, tensor<10xf32>, tensor<f32>, tensor<i32>) {
    %0 = dl.flatten %image : tensor<256x1x28x28xf32> -> tensor<256x784xf32>
    %1 = dl.launch @kernels::@k0_dense(%0, %dense1.weight, %dense1.bias) : (tensor<256x784xf32>, tensor<784x10xf32>, tensor<10xf32>) -> tensor<256x10xf32>
    %2:3 = dl.launch @kernels::@k1_softmax_ce_grad(%1, %label) : (tensor<256x10xf32>, tensor<256xi32>) -> (tensor<f32>, tensor<i32>, tensor<256x10xf32>)
    %3 = dl.launch @kernels::@k2_dense_grad_weight_sgd_update(%0, %2#2, %dense1.weight, %lr, %weight_decay) : (tensor<256x784xf32>, tensor<256x10xf32>, tensor<784x10xf32>, f32, f32) -> tensor<784x10xf32>
    %4 = dl.launch @kernels::@k3_bias_grad_sgd_update(%2#2, %dense1.bias, %lr, %weight_decay) : (tensor<256x10xf32>, tensor<10xf32>, f32, f32) -> tensor<10xf32>
    return %3, %4, %2#0, %2#1 : tensor<784x10xf32>, tensor<10xf32>, tensor<f32>, tensor<i32>
  }
  func.func @eval_step(%dense1.weight: tensor<784x10xf32> {dl.init = #dl.normal<mean = 0.000000e+00, std = 1.000000e-02>, dl.param = "dense1.weight", dl.seed = 1 : i64}, %dense1.bias: tensor<10xf32> {dl.init = #dl.zeros, dl.param = "dense1.bias", dl.seed = 2 : i64}, %image: tensor<256x1x28x28xf32> {dl.input = "image"}, %label: tensor<256xi32> {dl.classes = 10 : i64, dl.label = "label"}, %valid_rows: i32 {dl.hyper = "valid_rows"}) -> (tensor<f32>, tensor<i32>) {
    %0 = dl.flatten %image : tensor<256x1x28x28xf32> -> tensor<256x784xf32>
    %1 = dl.launch @kernels::@k0_dense(%0, %dense1.weight, %dense1.bias) : (tensor<256x784xf32>, tensor<784x10xf32>, tensor<10xf32>) -> tensor<256x10xf32>
    %2:2 = dl.launch @kernels::@k5_softmax_ce_eval(%1, %label, %valid_rows) : (tensor<256x10xf32>, tensor<256xi32>, i32) -> (tensor<f32>, tensor<i32>)
    return %2#0, %2#1 : tensor<f32>, tensor<i32>
  }
  module @kernels {
    memref.global "private" constant @__constant_xf32 : memref<f32> = dense<1.000000e+00> {alignment = 64 : i64}
    func.func private @k0_dense(%arg0: memref<256x784xf32>, %arg1: memref<784x10xf32>, %arg2: memref<10xf32>, %arg3: memref<256x10xf32>, %arg4: index, %arg5: index) attributes {dl.flops = 4014080 : i64, dl.num_inputs = 3 : i64, dl.num_outputs = 1 : i64, dl.origin = ["dl.dense @ models/softmax_regression.dl:6:10"], dl.result_aliases = array<i64: -1>, dl.result_kinds = ["activation"], dl.scratch = [], dl.step = "train_step", dl.workgroups = 32 : i64} {
      %c7 = arith.constant 7 : index
      %c6 = arith.constant 6 : index
      %c5 = arith.constant 5 : index
      %c4 = arith.constant 4 : index
      %c3 = arith.constant 3 : index
      %c2 = arith.constant 2 : index
      %cst = arith.constant dense<0.000000e+00> : vector<16xf32>
      %c8 = arith.constant 8 : index
      %c784 = arith.constant 784 : index
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %c256 = arith.constant 256 : index
      %0 = arith.muli %arg4, %c256 : index
      %1 = arith.divui %0, %arg5 : index
      %2 = arith.addi %arg4, %c1 : index
      %3 = arith.muli %2, %c256 : index
      %4 = arith.divui %3, %arg5 : index
      %5 = arith.subi %4, %1 : index
      %subview = memref.subview %arg3[%1, 0] [%5, 10] [1, 1] : memref<256x10xf32> to memref<?x10xf32, strided<[10, 1], offset: ?>>
      %subview_0 = memref.subview %arg0[%1, 0] [%5, 784] [1, 1] : memref<256x784xf32> to memref<?x784xf32, strided<[784, 1], offset: ?>>
      %6 = arith.remui %5, %c8 : index
      %7 = arith.subi %5, %6 : index
      scf.for %arg6 = %c0 to %7 step %c8 {
        %8 = vector.constant_mask [10] : vector<16xi1>
        %9 = vector.maskedload %arg2[%c0], %8, %cst : memref<10xf32>, vector<16xi1>, vector<16xf32> into vector<16xf32>
        %10:8 = scf.for %arg7 = %c0 to %c784 step %c1 iter_args(%arg8 = %9, %arg9 = %9, %arg10 = %9, %arg11 = %9, %arg12 = %9, %arg13 = %9, %arg14 = %9, %arg15 = %9) -> (vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>) {
          %18 = memref.load %subview_0[%arg6, %arg7] : memref<?x784xf32, strided<[784, 1], offset: ?>>
          %19 = vector.broadcast %18 : f32 to vector<16xf32>
          %20 = vector.maskedload %arg1[%arg7, %c0], %8, %cst : memref<784x10xf32>, vector<16xi1>, vector<16xf32> into vector<16xf32>
          %21 = vector.fma %19, %20, %arg8 : vector<16xf32>
          %22 = arith.addi %arg6, %c1 : index
          %23 = memref.load %subview_0[%22, %arg7] : memref<?x784xf32, strided<[784, 1], offset: ?>>
          %24 = vector.broadcast %23 : f32 to vector<16xf32>
          %25 = vector.fma %24, %20, %arg9 : vector<16xf32>
          %26 = arith.addi %arg6, %c2 : index
          %27 = memref.load %subview_0[%26, %arg7] : memref<?x784xf32, strided<[784, 1], offset: ?>>
          %28 = vector.broadcast %27 : f32 to vector<16xf32>
          %29 = vector.fma %28, %20, %arg10 : vector<16xf32>
          %30 = arith.addi %arg6, %c3 : index
          %31 = memref.load %subview_0[%30, %arg7] : memref<?x784xf32, strided<[784, 1], offset: ?>>
          %32 = vector.broadcast %31 : f32 to vector<16xf32>
          %33 = vector.fma %32, %20, %arg11 : vector<16xf32>
          %34 = arith.addi %arg6, %c4 : index
          %35 = memref.load %subview_0[%34, %arg7] : memref<?x784xf32, strided<[784, 1], offset: ?>>
          %36 = vector.broadcast %35 : f32 to vector<16xf32>
          %37 = vector.fma %36, %20, %arg12 : vector<16xf32>
          %38 = arith.addi %arg6, %c5 : index
          %39 = memref.load %subview_0[%38, %arg7] : memref<?x784xf32, strided<[784, 1], offset: ?>>
          %40 = vector.broadcast %39 : f32 to vector<16xf32>
          %41 = vector.fma %40, %20, %arg13 : vector<16xf32>
          %42 = arith.addi %arg6, %c6 : index
          %43 = memref.load %subview_0[%42, %arg7] : memref<?x784xf32, strided<[784, 1], offset: ?>>
          %44 = vector.broadcast %43 : f32 to vector<16xf32>
          %45 = vector.fma %44, %20, %arg14 : vector<16xf32>
          %46 = arith.addi %arg6, %c7 : index
          %47 = memref.load %subview_0[%46, %arg7] : memref<?x784xf32, strided<[784, 1], offset: ?>>
          %48 = vector.broadcast %47 : f32 to vector<16xf32>
          %49 = vector.fma %48, %20, %arg15 : vector<16xf32>
          scf.yield %21, %25, %29, %33, %37, %41, %45, %49 : vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>
        }
        vector.maskedstore %subview[%arg6, %c0], %8, %10#0 : memref<?x10xf32, strided<[10, 1], offset: ?>>, vector<16xi1>, vector<16xf32>
        %11 = arith.addi %arg6, %c1 : index
        vector.maskedstore %subview[%11, %c0], %8, %10#1 : memref<?x10xf32, strided<[10, 1], offset: ?>>, vector<16xi1>, vector<16xf32>
        %12 = arith.addi %arg6, %c2 : index
        vector.maskedstore %subview[%12, %c0], %8, %10#2 : memref<?x10xf32, strided<[10, 1], offset: ?>>, vector<16xi1>, vector<16xf32>
        %13 = arith.addi %arg6, %c3 : index
        vector.maskedstore %subview[%13, %c0], %8, %10#3 : memref<?x10xf32, strided<[10, 1], offset: ?>>, vector<16xi1>, vector<16xf32>
        %14 = arith.addi %arg6, %c4 : index
        vector.maskedstore %subview[%14, %c0], %8, %10#4 : memref<?x10xf32, strided<[10, 1], offset: ?>>, vector<16xi1>, vector<16xf32>
        %15 = arith.addi %arg6, %c5 : index
        vector.maskedstore %subview[%15, %c0], %8, %10#5 : memref<?x10xf32, strided<[10, 1], offset: ?>>, vector<16xi1>, vector<16xf32>
        %16 = arith.addi %arg6, %c6 : index
        vector.maskedstore %subview[%16, %c0], %8, %10#6 : memref<?x10xf32, strided<[10, 1], offset: ?>>, vector<16xi1>, vector<16xf32>
        %17 = arith.addi %arg6, %c7 : index
        vector.maskedstore %subview[%17, %c0], %8, %10#7 : memref<?x10xf32, strided<[10, 1], offset: ?>>, vector<16xi1>, vector<16xf32>
      } {llvm.loop_annotation = #loop_annotation}
      scf.for %arg6 = %7 to %5 step %c1 {
        %8 = vector.constant_mask [10] : vector<16xi1>
        %9 = vector.maskedload %arg2[%c0], %8, %cst : memref<10xf32>, vector<16xi1>, vector<16xf32> into vector<16xf32>
        %10 = scf.for %arg7 = %c0 to %c784 step %c1 iter_args(%arg8 = %9) -> (vector<16xf32>) {
          %11 = memref.load %subview_0[%arg6, %arg7] : memref<?x784xf32, strided<[784, 1], offset: ?>>
          %12 = vector.broadcast %11 : f32 to vector<16xf32>
          %13 = vector.maskedload %arg1[%arg7, %c0], %8, %cst : memref<784x10xf32>, vector<16xi1>, vector<16xf32> into vector<16xf32>
          %14 = vector.fma %12, %13, %arg8 : vector<16xf32>
          scf.yield %14 : vector<16xf32>
        }
        vector.maskedstore %subview[%arg6, %c0], %8, %10 : memref<?x10xf32, strided<[10, 1], offset: ?>>, vector<16xi1>, vector<16xf32>
      } {llvm.loop_annotation = #loop_annotation}
      return
    }
    func.func private @k1_softmax_ce_grad(%arg0: memref<256x10xf32>, %arg1: memref<256xi32>, %arg2: memref<f32>, %arg3: memref<i32>, %arg4: memref<256x10xf32>, %arg5: memref<256xf32>, %arg6: memref<256xf32>, %arg7: memref<256xi32>, %arg8: index, %arg9: index) attributes {dl.flops = 20480 : i64, dl.num_inputs = 2 : i64, dl.num_outputs = 3 : i64, dl.origin = ["dl.softmax_ce @ models/softmax_regression.dl:7:8", "dl.softmax_ce_grad @ models/softmax_regression.dl:7:8"], dl.result_aliases = array<i64: -1, -1, -1>, dl.result_kinds = ["gradient", "gradient", "gradient"], dl.scratch = [tensor<256xf32>, tensor<256xf32>, tensor<256xi32>], dl.step = "train_step", dl.workgroups = 1 : i64} {
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
      %c10 = arith.constant 10 : index
      %c1 = arith.constant 1 : index
      %c256 = arith.constant 256 : index
      %c0 = arith.constant 0 : index
      %c0_i32 = arith.constant 0 : i32
      %c10_i32 = arith.constant 10 : i32
      %cst_29 = arith.constant 3.906250e-03 : f32
      %cst_30 = arith.constant 0.000000e+00 : f32
      %cst_31 = arith.constant 0xFF800000 : f32
      %0 = memref.get_global @__constant_xf32 : memref<f32>
      scf.for %arg10 = %c0 to %c256 step %c1 {
        memref.store %cst_31, %arg5[%arg10] : memref<256xf32>
      }
      scf.for %arg10 = %c0 to %c256 step %c1 {
        scf.for %arg11 = %c0 to %c10 step %c1 {
          %2 = memref.load %arg0[%arg10, %arg11] : memref<256x10xf32>
          %3 = memref.load %arg5[%arg10] : memref<256xf32>
          %4 = arith.cmpf ogt, %2, %3 : f32
          %5 = arith.cmpf uno, %2, %2 : f32
          %6 = arith.ori %4, %5 : i1
          %7 = arith.select %6, %2, %3 : f32
          memref.store %7, %arg5[%arg10] : memref<256xf32>
        }
      }
      scf.for %arg10 = %c0 to %c256 step %c1 {
        memref.store %cst_30, %arg6[%arg10] : memref<256xf32>
      }
      scf.for %arg10 = %c0 to %c256 step %c1 {
        scf.for %arg11 = %c0 to %c10 step %c1 {
          %2 = memref.load %arg0[%arg10, %arg11] : memref<256x10xf32>
          %3 = memref.load %arg5[%arg10] : memref<256xf32>
          %4 = memref.load %arg6[%arg10] : memref<256xf32>
          %5 = arith.subf %2, %3 : f32
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
          %31 = arith.addf %4, %30 : f32
          memref.store %31, %arg6[%arg10] : memref<256xf32>
        }
      }
      memref.store %cst_30, %arg2[] : memref<f32>
      scf.for %arg10 = %c0 to %c256 step %c1 {
        %2 = memref.load %arg5[%arg10] : memref<256xf32>
        %3 = memref.load %arg6[%arg10] : memref<256xf32>
        %4 = memref.load %arg1[%arg10] : memref<256xi32>
        %5 = memref.load %arg2[] : memref<f32>
        %6 = arith.index_cast %4 : i32 to index
        %7 = memref.load %arg0[%arg10, %6] : memref<256x10xf32>
        %8 = arith.cmpf ugt, %3, %cst_13 : f32
        %9 = arith.select %8, %3, %cst_13 : f32
        %10 = arith.bitcast %9 : f32 to i32
        %11 = arith.andi %10, %c-2139095041_i32 : i32
        %12 = arith.ori %11, %c1056964608_i32 : i32
        %13 = arith.bitcast %12 : i32 to f32
        %14 = arith.shrui %10, %c23_i32 : i32
        %15 = arith.sitofp %14 : i32 to f32
        %16 = arith.subf %15, %cst_0 : f32
        %17 = arith.cmpf olt, %13, %cst_10 : f32
        %18 = arith.select %17, %13, %cst_30 : f32
        %19 = arith.subf %13, %cst_27 : f32
        %20 = arith.select %17, %cst_27, %cst_30 : f32
        %21 = arith.subf %16, %20 : f32
        %22 = arith.addf %19, %18 : f32
        %23 = arith.mulf %22, %22 : f32
        %24 = arith.mulf %23, %22 : f32
        %25 = math.fma %cst_9, %22, %cst_8 : f32
        %26 = math.fma %cst_6, %22, %cst_5 : f32
        %27 = math.fma %cst_3, %22, %cst_2 : f32
        %28 = math.fma %25, %22, %cst_7 : f32
        %29 = math.fma %26, %22, %cst_4 : f32
        %30 = math.fma %27, %22, %cst_1 : f32
        %31 = math.fma %28, %24, %29 : f32
        %32 = math.fma %31, %24, %30 : f32
        %33 = arith.mulf %32, %24 : f32
        %34 = math.fma %cst_14, %23, %33 : f32
        %35 = arith.addf %22, %34 : f32
        %36 = math.fma %21, %cst, %35 : f32
        %37 = arith.cmpf ult, %3, %cst_30 : f32
        %38 = arith.cmpf oeq, %3, %cst_30 : f32
        %39 = arith.cmpf oeq, %3, %cst_12 : f32
        %40 = arith.select %39, %cst_12, %36 : f32
        %41 = arith.select %37, %cst_11, %40 : f32
        %42 = arith.select %38, %cst_31, %41 : f32
        %43 = arith.addf %2, %42 : f32
        %44 = arith.subf %43, %7 : f32
        %45 = arith.mulf %44, %cst_29 : f32
        %46 = arith.addf %5, %45 : f32
        memref.store %46, %arg2[] : memref<f32>
      }
      scf.for %arg10 = %c0 to %c256 step %c1 {
        memref.store %c10_i32, %arg7[%arg10] : memref<256xi32>
      }
      scf.for %arg10 = %c0 to %c256 step %c1 {
        scf.for %arg11 = %c0 to %c10 step %c1 {
          %2 = memref.load %arg0[%arg10, %arg11] : memref<256x10xf32>
          %3 = memref.load %arg5[%arg10] : memref<256xf32>
          %4 = memref.load %arg7[%arg10] : memref<256xi32>
          %5 = arith.index_cast %arg11 : index to i32
          %6 = arith.cmpf oeq, %2, %3 : f32
          %7 = arith.minsi %4, %5 : i32
          %8 = arith.select %6, %7, %4 : i32
          memref.store %8, %arg7[%arg10] : memref<256xi32>
        }
      }
      memref.store %c0_i32, %arg3[] : memref<i32>
      scf.for %arg10 = %c0 to %c256 step %c1 {
        %2 = memref.load %arg7[%arg10] : memref<256xi32>
        %3 = memref.load %arg1[%arg10] : memref<256xi32>
        %4 = memref.load %arg3[] : memref<i32>
        %5 = arith.cmpi eq, %2, %3 : i32
        %6 = arith.extui %5 : i1 to i32
        %7 = arith.addi %4, %6 : i32
        memref.store %7, %arg3[] : memref<i32>
      }
      %1 = memref.load %0[] : memref<f32>
      scf.for %arg10 = %c0 to %c256 step %c1 {
        scf.for %arg11 = %c0 to %c10 step %c1 {
          %2 = memref.load %arg0[%arg10, %arg11] : memref<256x10xf32>
          %3 = memref.load %arg5[%arg10] : memref<256xf32>
          %4 = memref.load %arg6[%arg10] : memref<256xf32>
          %5 = memref.load %arg1[%arg10] : memref<256xi32>
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
          %33 = arith.index_cast %arg11 : index to i32
          %34 = arith.cmpi eq, %33, %5 : i32
          %35 = arith.uitofp %34 : i1 to f32
          %36 = arith.mulf %1, %cst_29 : f32
          %37 = arith.subf %32, %35 : f32
          %38 = arith.mulf %37, %36 : f32
          memref.store %38, %arg4[%arg10, %arg11] : memref<256x10xf32>
        }
      }
      return
    }
    func.func private @k2_dense_grad_weight_sgd_update(%arg0: memref<256x784xf32>, %arg1: memref<256x10xf32>, %arg2: memref<784x10xf32>, %arg3: memref<f32>, %arg4: memref<f32>, %arg5: memref<784x10xf32>, %arg6: index, %arg7: index) attributes {dl.flops = 4045440 : i64, dl.num_inputs = 5 : i64, dl.num_outputs = 0 : i64, dl.origin = ["dl.dense_grad_weight @ models/softmax_regression.dl:6:10", "dl.sgd_update @ models/softmax_regression.dl:6:10"], dl.result_aliases = array<i64: 2>, dl.result_kinds = ["gradient"], dl.scratch = [tensor<784x10xf32>], dl.step = "train_step", dl.workgroups = 98 : i64} {
      %c7 = arith.constant 7 : index
      %c6 = arith.constant 6 : index
      %c5 = arith.constant 5 : index
      %c4 = arith.constant 4 : index
      %c3 = arith.constant 3 : index
      %c2 = arith.constant 2 : index
      %cst = arith.constant dense<0.000000e+00> : vector<16xf32>
      %c8 = arith.constant 8 : index
      %c256 = arith.constant 256 : index
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %c784 = arith.constant 784 : index
      %0 = arith.muli %arg6, %c784 : index
      %1 = arith.divui %0, %arg7 : index
      %2 = arith.addi %arg6, %c1 : index
      %3 = arith.muli %2, %c784 : index
      %4 = arith.divui %3, %arg7 : index
      %5 = arith.subi %4, %1 : index
      %subview = memref.subview %arg5[%1, 0] [%5, 10] [1, 1] : memref<784x10xf32> to memref<?x10xf32, strided<[10, 1], offset: ?>>
      %subview_0 = memref.subview %arg0[0, %1] [256, %5] [1, 1] : memref<256x784xf32> to memref<256x?xf32, strided<[784, 1], offset: ?>>
      %6 = arith.remui %5, %c8 : index
      %7 = arith.subi %5, %6 : index
      scf.for %arg8 = %c0 to %7 step %c8 {
        %10 = vector.constant_mask [10] : vector<16xi1>
        %11:8 = scf.for %arg9 = %c0 to %c256 step %c1 iter_args(%arg10 = %cst, %arg11 = %cst, %arg12 = %cst, %arg13 = %cst, %arg14 = %cst, %arg15 = %cst, %arg16 = %cst, %arg17 = %cst) -> (vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>) {
          %19 = memref.load %subview_0[%arg9, %arg8] : memref<256x?xf32, strided<[784, 1], offset: ?>>
          %20 = vector.broadcast %19 : f32 to vector<16xf32>
          %21 = vector.maskedload %arg1[%arg9, %c0], %10, %cst : memref<256x10xf32>, vector<16xi1>, vector<16xf32> into vector<16xf32>
          %22 = vector.fma %20, %21, %arg10 : vector<16xf32>
          %23 = arith.addi %arg8, %c1 : index
          %24 = memref.load %subview_0[%arg9, %23] : memref<256x?xf32, strided<[784, 1], offset: ?>>
          %25 = vector.broadcast %24 : f32 to vector<16xf32>
          %26 = vector.fma %25, %21, %arg11 : vector<16xf32>
          %27 = arith.addi %arg8, %c2 : index
          %28 = memref.load %subview_0[%arg9, %27] : memref<256x?xf32, strided<[784, 1], offset: ?>>
          %29 = vector.broadcast %28 : f32 to vector<16xf32>
          %30 = vector.fma %29, %21, %arg12 : vector<16xf32>
          %31 = arith.addi %arg8, %c3 : index
          %32 = memref.load %subview_0[%arg9, %31] : memref<256x?xf32, strided<[784, 1], offset: ?>>
          %33 = vector.broadcast %32 : f32 to vector<16xf32>
          %34 = vector.fma %33, %21, %arg13 : vector<16xf32>
          %35 = arith.addi %arg8, %c4 : index
          %36 = memref.load %subview_0[%arg9, %35] : memref<256x?xf32, strided<[784, 1], offset: ?>>
          %37 = vector.broadcast %36 : f32 to vector<16xf32>
          %38 = vector.fma %37, %21, %arg14 : vector<16xf32>
          %39 = arith.addi %arg8, %c5 : index
          %40 = memref.load %subview_0[%arg9, %39] : memref<256x?xf32, strided<[784, 1], offset: ?>>
          %41 = vector.broadcast %40 : f32 to vector<16xf32>
          %42 = vector.fma %41, %21, %arg15 : vector<16xf32>
          %43 = arith.addi %arg8, %c6 : index
          %44 = memref.load %subview_0[%arg9, %43] : memref<256x?xf32, strided<[784, 1], offset: ?>>
          %45 = vector.broadcast %44 : f32 to vector<16xf32>
          %46 = vector.fma %45, %21, %arg16 : vector<16xf32>
          %47 = arith.addi %arg8, %c7 : index
          %48 = memref.load %subview_0[%arg9, %47] : memref<256x?xf32, strided<[784, 1], offset: ?>>
          %49 = vector.broadcast %48 : f32 to vector<16xf32>
          %50 = vector.fma %49, %21, %arg17 : vector<16xf32>
          scf.yield %22, %26, %30, %34, %38, %42, %46, %50 : vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>
        }
        vector.maskedstore %subview[%arg8, %c0], %10, %11#0 : memref<?x10xf32, strided<[10, 1], offset: ?>>, vector<16xi1>, vector<16xf32>
        %12 = arith.addi %arg8, %c1 : index
        vector.maskedstore %subview[%12, %c0], %10, %11#1 : memref<?x10xf32, strided<[10, 1], offset: ?>>, vector<16xi1>, vector<16xf32>
        %13 = arith.addi %arg8, %c2 : index
        vector.maskedstore %subview[%13, %c0], %10, %11#2 : memref<?x10xf32, strided<[10, 1], offset: ?>>, vector<16xi1>, vector<16xf32>
        %14 = arith.addi %arg8, %c3 : index
        vector.maskedstore %subview[%14, %c0], %10, %11#3 : memref<?x10xf32, strided<[10, 1], offset: ?>>, vector<16xi1>, vector<16xf32>
        %15 = arith.addi %arg8, %c4 : index
        vector.maskedstore %subview[%15, %c0], %10, %11#4 : memref<?x10xf32, strided<[10, 1], offset: ?>>, vector<16xi1>, vector<16xf32>
        %16 = arith.addi %arg8, %c5 : index
        vector.maskedstore %subview[%16, %c0], %10, %11#5 : memref<?x10xf32, strided<[10, 1], offset: ?>>, vector<16xi1>, vector<16xf32>
        %17 = arith.addi %arg8, %c6 : index
        vector.maskedstore %subview[%17, %c0], %10, %11#6 : memref<?x10xf32, strided<[10, 1], offset: ?>>, vector<16xi1>, vector<16xf32>
        %18 = arith.addi %arg8, %c7 : index
        vector.maskedstore %subview[%18, %c0], %10, %11#7 : memref<?x10xf32, strided<[10, 1], offset: ?>>, vector<16xi1>, vector<16xf32>
      } {llvm.loop_annotation = #loop_annotation}
      scf.for %arg8 = %7 to %5 step %c1 {
        %10 = vector.constant_mask [10] : vector<16xi1>
        %11 = scf.for %arg9 = %c0 to %c256 step %c1 iter_args(%arg10 = %cst) -> (vector<16xf32>) {
          %12 = memref.load %subview_0[%arg9, %arg8] : memref<256x?xf32, strided<[784, 1], offset: ?>>
          %13 = vector.broadcast %12 : f32 to vector<16xf32>
          %14 = vector.maskedload %arg1[%arg9, %c0], %10, %cst : memref<256x10xf32>, vector<16xi1>, vector<16xf32> into vector<16xf32>
          %15 = vector.fma %13, %14, %arg10 : vector<16xf32>
          scf.yield %15 : vector<16xf32>
        }
        vector.maskedstore %subview[%arg8, %c0], %10, %11 : memref<?x10xf32, strided<[10, 1], offset: ?>>, vector<16xi1>, vector<16xf32>
      } {llvm.loop_annotation = #loop_annotation}
      %8 = memref.load %arg3[] : memref<f32>
      %9 = memref.load %arg4[] : memref<f32>
      %subview_1 = memref.subview %arg2[%1, 0] [%5, 10] [1, 1] : memref<784x10xf32> to memref<?x10xf32, strided<[10, 1], offset: ?>>
      %collapse_shape = memref.collapse_shape %subview [[0, 1]] : memref<?x10xf32, strided<[10, 1], offset: ?>> into memref<?xf32, strided<[1], offset: ?>>
      %collapse_shape_2 = memref.collapse_shape %subview_1 [[0, 1]] : memref<?x10xf32, strided<[10, 1], offset: ?>> into memref<?xf32, strided<[1], offset: ?>>
      %dim = memref.dim %collapse_shape, %c0 : memref<?xf32, strided<[1], offset: ?>>
      scf.for %arg8 = %c0 to %dim step %c1 {
        %10 = memref.load %collapse_shape[%arg8] : memref<?xf32, strided<[1], offset: ?>>
        %11 = memref.load %collapse_shape_2[%arg8] : memref<?xf32, strided<[1], offset: ?>>
        %12 = arith.mulf %9, %11 : f32
        %13 = arith.addf %10, %12 : f32
        %14 = arith.mulf %8, %13 : f32
        %15 = arith.subf %11, %14 : f32
        memref.store %15, %collapse_shape_2[%arg8] : memref<?xf32, strided<[1], offset: ?>>
      }
      return
    }
    func.func private @k3_bias_grad_sgd_update(%arg0: memref<256x10xf32>, %arg1: memref<10xf32>, %arg2: memref<f32>, %arg3: memref<f32>, %arg4: memref<10xf32>, %arg5: index, %arg6: index) attributes {dl.flops = 50 : i64, dl.num_inputs = 4 : i64, dl.num_outputs = 0 : i64, dl.origin = ["dl.bias_grad @ models/softmax_regression.dl:6:10", "dl.sgd_update @ models/softmax_regression.dl:6:10"], dl.result_aliases = array<i64: 1>, dl.result_kinds = ["gradient"], dl.scratch = [tensor<10xf32>], dl.step = "train_step", dl.workgroups = 10 : i64} {
      %c256 = arith.constant 256 : index
      %c0 = arith.constant 0 : index
      %cst = arith.constant 0.000000e+00 : f32
      %c1 = arith.constant 1 : index
      %c10 = arith.constant 10 : index
      %0 = arith.muli %arg5, %c10 : index
      %1 = arith.divui %0, %arg6 : index
      %2 = arith.addi %arg5, %c1 : index
      %3 = arith.muli %2, %c10 : index
      %4 = arith.divui %3, %arg6 : index
      %5 = arith.subi %4, %1 : index
      %subview = memref.subview %arg4[%1] [%5] [1] : memref<10xf32> to memref<?xf32, strided<[1], offset: ?>>
      scf.for %arg7 = %c0 to %5 step %c1 {
        memref.store %cst, %subview[%arg7] : memref<?xf32, strided<[1], offset: ?>>
      }
      %subview_0 = memref.subview %arg0[0, %1] [256, %5] [1, 1] : memref<256x10xf32> to memref<256x?xf32, strided<[10, 1], offset: ?>>
      scf.for %arg7 = %c0 to %5 step %c1 {
        scf.for %arg8 = %c0 to %c256 step %c1 {
          %8 = memref.load %subview_0[%arg8, %arg7] : memref<256x?xf32, strided<[10, 1], offset: ?>>
          %9 = memref.load %subview[%arg7] : memref<?xf32, strided<[1], offset: ?>>
          %10 = arith.addf %9, %8 fastmath<reassoc,contract> : f32
          memref.store %10, %subview[%arg7] : memref<?xf32, strided<[1], offset: ?>>
        }
      }
      %6 = memref.load %arg2[] : memref<f32>
      %7 = memref.load %arg3[] : memref<f32>
      %subview_1 = memref.subview %arg1[%1] [%5] [1] : memref<10xf32> to memref<?xf32, strided<[1], offset: ?>>
      scf.for %arg7 = %c0 to %5 step %c1 {
        %8 = memref.load %subview[%arg7] : memref<?xf32, strided<[1], offset: ?>>
        %9 = memref.load %subview_1[%arg7] : memref<?xf32, strided<[1], offset: ?>>
        %10 = arith.mulf %7, %9 : f32
        %11 = arith.addf %8, %10 : f32
        %12 = arith.mulf %6, %11 : f32
        %13 = arith.subf %9, %12 : f32
        memref.store %13, %subview_1[%arg7] : memref<?xf32, strided<[1], offset: ?>>
      }
      return
    }
    func.func private @k5_softmax_ce_eval(%arg0: memref<256x10xf32>, %arg1: memref<256xi32>, %arg2: memref<i32>, %arg3: memref<f32>, %arg4: memref<i32>, %arg5: memref<256xf32>, %arg6: memref<256xf32>, %arg7: memref<256xi32>, %arg8: index, %arg9: index) attributes {dl.flops = 10240 : i64, dl.num_inputs = 3 : i64, dl.num_outputs = 2 : i64, dl.origin = ["dl.softmax_ce_eval @ models/softmax_regression.dl:7:8"], dl.result_aliases = array<i64: -1, -1>, dl.result_kinds = ["gradient", "gradient"], dl.scratch = [tensor<256xf32>, tensor<256xf32>, tensor<256xi32>], dl.step = "eval_step", dl.workgroups = 1 : i64} {
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
      %c10 = arith.constant 10 : index
      %c0_i32 = arith.constant 0 : i32
      %c10_i32 = arith.constant 10 : i32
      %cst_29 = arith.constant 0.000000e+00 : f32
      %cst_30 = arith.constant 0xFF800000 : f32
      %c0 = arith.constant 0 : index
      %c256 = arith.constant 256 : index
      %c1 = arith.constant 1 : index
      scf.for %arg10 = %c0 to %c256 step %c1 {
        memref.store %cst_30, %arg5[%arg10] : memref<256xf32>
      }
      scf.for %arg10 = %c0 to %c256 step %c1 {
        scf.for %arg11 = %c0 to %c10 step %c1 {
          %1 = memref.load %arg0[%arg10, %arg11] : memref<256x10xf32>
          %2 = memref.load %arg5[%arg10] : memref<256xf32>
          %3 = arith.cmpf ogt, %1, %2 : f32
          %4 = arith.cmpf uno, %1, %1 : f32
          %5 = arith.ori %3, %4 : i1
          %6 = arith.select %5, %1, %2 : f32
          memref.store %6, %arg5[%arg10] : memref<256xf32>
        }
      }
      scf.for %arg10 = %c0 to %c256 step %c1 {
        memref.store %cst_29, %arg6[%arg10] : memref<256xf32>
      }
      scf.for %arg10 = %c0 to %c256 step %c1 {
        scf.for %arg11 = %c0 to %c10 step %c1 {
          %1 = memref.load %arg0[%arg10, %arg11] : memref<256x10xf32>
          %2 = memref.load %arg5[%arg10] : memref<256xf32>
          %3 = memref.load %arg6[%arg10] : memref<256xf32>
          %4 = arith.subf %1, %2 : f32
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
          %30 = arith.addf %3, %29 : f32
          memref.store %30, %arg6[%arg10] : memref<256xf32>
        }
      }
      %0 = memref.load %arg2[] : memref<i32>
      memref.store %cst_29, %arg3[] : memref<f32>
      scf.for %arg10 = %c0 to %c256 step %c1 {
        %1 = memref.load %arg5[%arg10] : memref<256xf32>
        %2 = memref.load %arg6[%arg10] : memref<256xf32>
        %3 = memref.load %arg1[%arg10] : memref<256xi32>
        %4 = memref.load %arg3[] : memref<f32>
        %5 = arith.index_cast %3 : i32 to index
        %6 = memref.load %arg0[%arg10, %5] : memref<256x10xf32>
        %7 = arith.cmpf ugt, %2, %cst_13 : f32
        %8 = arith.select %7, %2, %cst_13 : f32
        %9 = arith.bitcast %8 : f32 to i32
        %10 = arith.andi %9, %c-2139095041_i32 : i32
        %11 = arith.ori %10, %c1056964608_i32 : i32
        %12 = arith.bitcast %11 : i32 to f32
        %13 = arith.shrui %9, %c23_i32 : i32
        %14 = arith.sitofp %13 : i32 to f32
        %15 = arith.subf %14, %cst_0 : f32
        %16 = arith.cmpf olt, %12, %cst_10 : f32
        %17 = arith.select %16, %12, %cst_29 : f32
        %18 = arith.subf %12, %cst_27 : f32
        %19 = arith.select %16, %cst_27, %cst_29 : f32
        %20 = arith.subf %15, %19 : f32
        %21 = arith.addf %18, %17 : f32
        %22 = arith.mulf %21, %21 : f32
        %23 = arith.mulf %22, %21 : f32
        %24 = math.fma %cst_9, %21, %cst_8 : f32
        %25 = math.fma %cst_6, %21, %cst_5 : f32
        %26 = math.fma %cst_3, %21, %cst_2 : f32
        %27 = math.fma %24, %21, %cst_7 : f32
        %28 = math.fma %25, %21, %cst_4 : f32
        %29 = math.fma %26, %21, %cst_1 : f32
        %30 = math.fma %27, %23, %28 : f32
        %31 = math.fma %30, %23, %29 : f32
        %32 = arith.mulf %31, %23 : f32
        %33 = math.fma %cst_14, %22, %32 : f32
        %34 = arith.addf %21, %33 : f32
        %35 = math.fma %20, %cst, %34 : f32
        %36 = arith.cmpf ult, %2, %cst_29 : f32
        %37 = arith.cmpf oeq, %2, %cst_29 : f32
        %38 = arith.cmpf oeq, %2, %cst_12 : f32
        %39 = arith.select %38, %cst_12, %35 : f32
        %40 = arith.select %36, %cst_11, %39 : f32
        %41 = arith.select %37, %cst_30, %40 : f32
        %42 = arith.addf %1, %41 : f32
        %43 = arith.subf %42, %6 : f32
        %44 = arith.index_cast %arg10 : index to i32
        %45 = arith.cmpi slt, %44, %0 : i32
        %46 = arith.select %45, %43, %cst_29 : f32
        %47 = arith.addf %4, %46 : f32
        memref.store %47, %arg3[] : memref<f32>
      }
      scf.for %arg10 = %c0 to %c256 step %c1 {
        memref.store %c10_i32, %arg7[%arg10] : memref<256xi32>
      }
      scf.for %arg10 = %c0 to %c256 step %c1 {
        scf.for %arg11 = %c0 to %c10 step %c1 {
          %1 = memref.load %arg0[%arg10, %arg11] : memref<256x10xf32>
          %2 = memref.load %arg5[%arg10] : memref<256xf32>
          %3 = memref.load %arg7[%arg10] : memref<256xi32>
          %4 = arith.index_cast %arg11 : index to i32
          %5 = arith.cmpf oeq, %1, %2 : f32
          %6 = arith.minsi %3, %4 : i32
          %7 = arith.select %5, %6, %3 : i32
          memref.store %7, %arg7[%arg10] : memref<256xi32>
        }
      }
      memref.store %c0_i32, %arg4[] : memref<i32>
      scf.for %arg10 = %c0 to %c256 step %c1 {
        %1 = memref.load %arg7[%arg10] : memref<256xi32>
        %2 = memref.load %arg1[%arg10] : memref<256xi32>
        %3 = memref.load %arg4[] : memref<i32>
        %4 = arith.cmpi eq, %1, %2 : i32
        %5 = arith.extui %4 : i1 to i32
        %6 = arith.index_cast %arg10 : index to i32
        %7 = arith.cmpi slt, %6, %0 : i32
        %8 = arith.select %7, %5, %c0_i32 : i32
        %9 = arith.addi %3, %8 : i32
        memref.store %9, %arg4[] : memref<i32>
      }
      return
    }
  }
}

