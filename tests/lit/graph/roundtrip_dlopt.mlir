// dl-opt parses and prints dlc's output unchanged, twice over, and through
// the generic op form.

// RUN: dlc %models/lenet.dl --emit=graph > %t1.mlir
// RUN: dl-opt %t1.mlir > %t2.mlir && diff %t1.mlir %t2.mlir
// RUN: dl-opt %t1.mlir | dl-opt > %t3.mlir && diff %t1.mlir %t3.mlir
// RUN: dl-opt %t1.mlir --mlir-print-op-generic | dl-opt > %t4.mlir && diff %t1.mlir %t4.mlir
// RUN: dl-opt %t1.mlir --verify-roundtrip > /dev/null

// The same for the other models.
// RUN: dlc %models/lenet_relu.dl --emit=graph > %t.a.mlir && dl-opt %t.a.mlir | diff %t.a.mlir -
// RUN: dlc %models/mlp.dl --emit=graph > %t.b.mlir && dl-opt %t.b.mlir | diff %t.b.mlir -
// RUN: dlc %models/softmax_regression.dl --emit=graph > %t.c.mlir && dl-opt %t.c.mlir | diff %t.c.mlir -

// RUN: FileCheck %s --input-file=%t4.mlir
// CHECK: module @lenet attributes {dl.epochs = 10 : i64, dl.optimizer = #dl.sgd<lr = 9.000000e-01, weight_decay = 0.000000e+00, momentum = 0.000000e+00>}
// CHECK: dl.conv2d %image, %conv2d1.weight, %conv2d1.bias stride 1 padding 2
