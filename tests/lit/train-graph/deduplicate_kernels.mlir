// dl-deduplicate-kernels: eval_step's forward kernels are the same
// computations as train_step's; after lowering, the duplicates go and the
// eval launches call the train kernels.
// RUN: dlc %models/mlp.dl --emit=fused | dl-opt --dl-lower-kernels-to-linalg --dl-deduplicate-kernels | FileCheck %s
// RUN: dlc %models/mlp.dl --emit=fused | dl-opt --dl-lower-kernels-to-linalg | FileCheck %s --check-prefix=BEFORE

// CHECK-LABEL: func.func @eval_step
// CHECK: dl.launch @kernels::@k0_dense_relu(
// CHECK: dl.launch @kernels::@k1_dense(
// CHECK: dl.launch @kernels::@k10_softmax_ce_eval(
// CHECK: module @kernels
// CHECK-NOT: func.func private @k8_dense_relu
// CHECK-NOT: func.func private @k9_dense

// BEFORE-LABEL: func.func @eval_step
// BEFORE: dl.launch @kernels::@k8_dense_relu(
// BEFORE: func.func private @k8_dense_relu
