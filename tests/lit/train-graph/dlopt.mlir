// dl-opt --dl-generate-train-step on a hand-written @model gives what dlc
// gives (dlc prints arguments under their names; dl-opt does with
// --mlir-use-nameloc-as-prefix), and so it does on dlc's forward graphs.
//
// The model has values and parameters with several users, which the model
// language cannot write (it has no op combining two tensors): %s feeds one
// dense as input and as weight, %h feeds a sigmoid and a dense, %w and %b
// are each used by two layers. Each gets the sum of its gradients through
// dl.add, and its update uses the sum.

// RUN: dl-opt %s --dl-generate-train-step --mlir-use-nameloc-as-prefix > %t.opt.mlir
// RUN: dlc %s --emit=train-graph > %t.dlc.mlir
// RUN: diff %t.opt.mlir %t.dlc.mlir
// RUN: FileCheck %s --input-file=%t.dlc.mlir

// RUN: dlc %models/lenet.dl --emit=graph > %t.lenet.mlir
// RUN: dl-opt %t.lenet.mlir --dl-generate-train-step --mlir-use-nameloc-as-prefix > %t.lenet.opt.mlir
// RUN: dlc %models/lenet.dl --emit=train-graph | diff %t.lenet.opt.mlir -
// RUN: dlc %models/mlp.dl --emit=graph | dl-opt --dl-generate-train-step --mlir-use-nameloc-as-prefix > %t.mlp.opt.mlir
// RUN: dlc %models/mlp.dl --emit=train-graph | diff %t.mlp.opt.mlir -
// RUN: dlc %S/Inputs/momentum.dl --emit=graph | dl-opt --dl-generate-train-step --mlir-use-nameloc-as-prefix > %t.mom.opt.mlir
// RUN: dlc %S/Inputs/momentum.dl --emit=train-graph | diff %t.mom.opt.mlir -

// CHECK-LABEL: func.func @train_step(
// CHECK-SAME: %w: tensor<4x4xf32> {{[{]}}dl.init = #dl.glorot_uniform, dl.param = "w", dl.seed = 1 : i64},
// CHECK:      %[[H:[0-9]+]] = dl.dense %{{[0-9]+}}, %w, %b
// CHECK-NEXT: %[[S:[0-9]+]] = dl.sigmoid %[[H]]
// CHECK-NEXT: dl.dense %[[S]], %[[S]], %b
// CHECK:      %[[DZ:[0-9]+]] = dl.softmax_ce_grad
// CHECK-NEXT: %[[DA:[0-9]+]] = dl.dense_grad_input %[[DZ]], %v
// CHECK-NEXT: %[[DV:[0-9]+]] = dl.dense_grad_weight %{{[0-9]+}}, %[[DZ]]
// CHECK-NEXT: %[[DU:[0-9]+]] = dl.dense_grad_input %[[DA]], %w
// CHECK-NEXT: %[[DW_A:[0-9]+]] = dl.dense_grad_weight %{{[0-9]+}}, %[[DA]]
// CHECK-NEXT: %[[DH_U:[0-9]+]] = dl.dense_grad_input %[[DU]], %[[T:[0-9]+]]
// CHECK-NEXT: %[[DT:[0-9]+]] = dl.dense_grad_weight %[[H]], %[[DU]]
// CHECK-NEXT: %[[DG:[0-9]+]] = dl.sigmoid_grad %[[DT]], %[[T]]
// CHECK-NEXT: %[[DS_IN:[0-9]+]] = dl.dense_grad_input %[[DG]], %[[S]]
// CHECK-NEXT: %[[DS_W:[0-9]+]] = dl.dense_grad_weight %[[S]], %[[DG]]
// CHECK-NEXT: %[[DB_G:[0-9]+]] = dl.bias_grad %[[DG]]
// CHECK-NEXT: %[[DS:[0-9]+]] = dl.add %[[DS_IN]], %[[DS_W]]
// CHECK-NEXT: %[[DH_S:[0-9]+]] = dl.sigmoid_grad %[[DS]], %[[S]]
// CHECK-NEXT: %[[DH:[0-9]+]] = dl.add %[[DH_U]], %[[DH_S]]
// CHECK-NEXT: %[[DW_H:[0-9]+]] = dl.dense_grad_weight %{{[0-9]+}}, %[[DH]]
// CHECK-NEXT: %[[DB_H:[0-9]+]] = dl.bias_grad %[[DH]]
// CHECK-NEXT: %[[DW:[0-9]+]] = dl.add %[[DW_A]], %[[DW_H]]
// CHECK-NEXT: %[[DB:[0-9]+]] = dl.add %[[DB_G]], %[[DB_H]]
// CHECK-NEXT: dl.sgd_update %w, %[[DW]], %lr, %weight_decay
// CHECK-NEXT: dl.sgd_update %b, %[[DB]], %lr, %weight_decay
// CHECK-NEXT: dl.sgd_update %v, %[[DV]], %lr, %weight_decay
// CHECK-LABEL: func.func @eval_step(
// CHECK-NOT: dl.add

module @shared attributes {dl.optimizer = #dl.sgd<lr = 1.000000e-01, weight_decay = 0.000000e+00, momentum = 0.000000e+00>} {
  func.func @model() -> (tensor<f32>, tensor<i32>) {
    %image = dl.input "image" : tensor<4x1x2x2xf32>
    %label = dl.label "label" classes 3 : tensor<4xi32>
    %x = dl.flatten %image : tensor<4x1x2x2xf32> -> tensor<4x4xf32>
    %w = dl.param "w" init(#dl.glorot_uniform) {seed = 1 : i64} : tensor<4x4xf32>
    %b = dl.param "b" init(#dl.zeros) {seed = 2 : i64} : tensor<4xf32>
    %v = dl.param "v" init(#dl.glorot_uniform) {seed = 3 : i64} : tensor<4x3xf32>
    %h = dl.dense %x, %w, %b : tensor<4x4xf32>, tensor<4x4xf32>, tensor<4xf32> -> tensor<4x4xf32>
    %s = dl.sigmoid %h : tensor<4x4xf32>
    %g = dl.dense %s, %s, %b : tensor<4x4xf32>, tensor<4x4xf32>, tensor<4xf32> -> tensor<4x4xf32>
    %t = dl.sigmoid %g : tensor<4x4xf32>
    %u = dl.dense %h, %t : tensor<4x4xf32>, tensor<4x4xf32> -> tensor<4x4xf32>
    %a = dl.dense %u, %w : tensor<4x4xf32>, tensor<4x4xf32> -> tensor<4x4xf32>
    %logits = dl.dense %a, %v : tensor<4x4xf32>, tensor<4x3xf32> -> tensor<4x3xf32>
    %loss, %correct = dl.softmax_ce %logits, %label : tensor<4x3xf32>, tensor<4xi32>
    return %loss, %correct : tensor<f32>, tensor<i32>
  }
}
