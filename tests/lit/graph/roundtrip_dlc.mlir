// Print -> parse -> print through dlc is a fixed point for every model, in
// the custom and in the generic op form, and the generic form parses back to
// the same custom form.

// RUN: dlc %models/lenet.dl --emit=graph > %t1.mlir && dlc %t1.mlir --emit=graph > %t2.mlir && diff %t1.mlir %t2.mlir
// RUN: dlc %models/lenet_relu.dl --emit=graph > %t.relu1.mlir && dlc %t.relu1.mlir --emit=graph > %t.relu2.mlir && diff %t.relu1.mlir %t.relu2.mlir
// RUN: dlc %models/mlp.dl --emit=graph > %t.mlp1.mlir && dlc %t.mlp1.mlir --emit=graph > %t.mlp2.mlir && diff %t.mlp1.mlir %t.mlp2.mlir
// RUN: dlc %models/softmax_regression.dl --emit=graph > %t.sr1.mlir && dlc %t.sr1.mlir --emit=graph > %t.sr2.mlir && diff %t.sr1.mlir %t.sr2.mlir

// Generic form: parses back to the custom form and is itself a fixed point.
// RUN: dlc %models/lenet.dl --emit=graph --mlir-print-op-generic > %t.g1.mlir
// RUN: dlc %t.g1.mlir --emit=graph > %t.g2.mlir && diff %t1.mlir %t.g2.mlir
// RUN: dlc %t.g1.mlir --emit=graph --mlir-print-op-generic > %t.g3.mlir && diff %t.g1.mlir %t.g3.mlir

// Locations survive the trip: ops keep the model file's line:column.
// RUN: dlc %models/lenet.dl --emit=graph --mlir-print-debuginfo > %t.d1.mlir
// RUN: dlc %t.d1.mlir --emit=graph --mlir-print-debuginfo > %t.d2.mlir && diff %t.d1.mlir %t.d2.mlir

// The printed file really is the parsed model (guards against both runs
// printing nothing).
// RUN: FileCheck %s --input-file=%t2.mlir
// CHECK: module @lenet
// CHECK: dl.softmax_ce
// CHECK: return %loss, %correct
