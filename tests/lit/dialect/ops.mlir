// Every dl op and attribute in its custom form: dl-opt accepts the
// forward-consistent types, prints them back unchanged, and the generic form
// parses to the same thing.
// RUN: dl-opt %s | FileCheck %s
// RUN: dl-opt %s | dl-opt | FileCheck %s
// RUN: dl-opt %s --mlir-print-op-generic | dl-opt | FileCheck %s
// RUN: dl-opt %s --verify-roundtrip > /dev/null

// CHECK-LABEL: module @ops attributes {dl.epochs = 3 : i64, dl.optimizer = #dl.sgd<lr = 2.500000e-01, weight_decay = 1.000000e-04, momentum = 9.000000e-01>}
module @ops attributes {dl.epochs = 3 : i64, dl.optimizer = #dl.sgd<lr = 0.25, weight_decay = 1.0e-4, momentum = 0.9>} {

// CHECK-LABEL: func.func @leaves
func.func @leaves() -> (tensor<4x1x9x9xf32>, tensor<4xi32>, tensor<3x1x3x3xf32>, tensor<3xf32>, tensor<5x2xf32>, tensor<2xf32>, tensor<2x2xf32>) {
  // CHECK-NEXT: %image = dl.input "image" : tensor<4x1x9x9xf32>
  %0 = dl.input "image" : tensor<4x1x9x9xf32>
  // CHECK-NEXT: %label = dl.label "label" classes 3 : tensor<4xi32>
  %1 = dl.label "label" classes 3 : tensor<4xi32>
  // CHECK-NEXT: %c.weight = dl.param "c.weight" init(#dl.glorot_uniform) {seed = 7 : i64} : tensor<3x1x3x3xf32>
  %2 = dl.param "c.weight" init(#dl.glorot_uniform) {seed = 7 : i64} : tensor<3x1x3x3xf32>
  // CHECK-NEXT: %c.bias = dl.param "c.bias" init(#dl.zeros) : tensor<3xf32>
  %3 = dl.param "c.bias" init(#dl.zeros) : tensor<3xf32>
  // CHECK-NEXT: %d.weight = dl.param "d.weight" init(#dl.normal<mean = 0.000000e+00, std = 1.000000e-02>) : tensor<5x2xf32>
  %4 = dl.param "d.weight" init(#dl.normal<mean = 0.0, std = 0.01>) : tensor<5x2xf32>
  // CHECK-NEXT: %d.bias = dl.param "d.bias" init(#dl.uniform<low = -5.000000e-01, high = 5.000000e-01>) : tensor<2xf32>
  %5 = dl.param "d.bias" init(#dl.uniform<low = -0.5, high = 0.5>) : tensor<2xf32>
  // CHECK-NEXT: %e = dl.param "e" init(#dl.glorot_normal) : tensor<2x2xf32>
  %6 = dl.param "e" init(#dl.glorot_normal) : tensor<2x2xf32>
  return %0, %1, %2, %3, %4, %5, %6 : tensor<4x1x9x9xf32>, tensor<4xi32>, tensor<3x1x3x3xf32>, tensor<3xf32>, tensor<5x2xf32>, tensor<2xf32>, tensor<2x2xf32>
}

// CHECK-LABEL: func.func @forward
func.func @forward(%x: tensor<4x1x9x9xf32>, %w: tensor<3x1x3x3xf32>, %b: tensor<3xf32>,
                   %dw: tensor<12x2xf32>, %db: tensor<2xf32>, %l: tensor<4xi32>) -> (tensor<f32>, tensor<i32>) {
  // CHECK: dl.conv2d %{{.*}}, %{{.*}}, %{{.*}} stride 2 padding 1 : tensor<4x1x9x9xf32>, tensor<3x1x3x3xf32>, tensor<3xf32> -> tensor<4x3x5x5xf32>
  %c = dl.conv2d %x, %w, %b stride 2 padding 1 : tensor<4x1x9x9xf32>, tensor<3x1x3x3xf32>, tensor<3xf32> -> tensor<4x3x5x5xf32>
  // CHECK: dl.conv2d %{{.*}}, %{{.*}} stride 1 padding 0 : tensor<4x1x9x9xf32>, tensor<3x1x3x3xf32> -> tensor<4x3x7x7xf32>
  %c2 = dl.conv2d %x, %w stride 1 padding 0 : tensor<4x1x9x9xf32>, tensor<3x1x3x3xf32> -> tensor<4x3x7x7xf32>
  // CHECK: dl.relu %{{.*}} : tensor<4x3x5x5xf32>
  %r = dl.relu %c : tensor<4x3x5x5xf32>
  // CHECK: dl.sigmoid %{{.*}} : tensor<4x3x5x5xf32>
  %s = dl.sigmoid %r : tensor<4x3x5x5xf32>
  // CHECK: dl.max_pool2d %{{.*}} kernel 3 stride 2 padding 1 : tensor<4x3x5x5xf32> -> tensor<4x3x3x3xf32>
  %p = dl.max_pool2d %s kernel 3 stride 2 padding 1 : tensor<4x3x5x5xf32> -> tensor<4x3x3x3xf32>
  // CHECK: dl.avg_pool2d %{{.*}} kernel 2 stride 1 padding 0 : tensor<4x3x3x3xf32> -> tensor<4x3x2x2xf32>
  %a = dl.avg_pool2d %p kernel 2 stride 1 padding 0 : tensor<4x3x3x3xf32> -> tensor<4x3x2x2xf32>
  // CHECK: dl.flatten %{{.*}} : tensor<4x3x2x2xf32> -> tensor<4x12xf32>
  %f = dl.flatten %a : tensor<4x3x2x2xf32> -> tensor<4x12xf32>
  // CHECK: dl.dense %{{.*}}, %{{.*}}, %{{.*}} : tensor<4x12xf32>, tensor<12x2xf32>, tensor<2xf32> -> tensor<4x2xf32>
  %d = dl.dense %f, %dw, %db : tensor<4x12xf32>, tensor<12x2xf32>, tensor<2xf32> -> tensor<4x2xf32>
  // CHECK: dl.dense %{{.*}}, %{{.*}} : tensor<4x12xf32>, tensor<12x2xf32> -> tensor<4x2xf32>
  %d2 = dl.dense %f, %dw : tensor<4x12xf32>, tensor<12x2xf32> -> tensor<4x2xf32>
  // CHECK: dl.softmax_ce %{{.*}}, %{{.*}} : tensor<4x2xf32>, tensor<4xi32>
  %loss, %correct = dl.softmax_ce %d, %l : tensor<4x2xf32>, tensor<4xi32>
  return %loss, %correct : tensor<f32>, tensor<i32>
}

// CHECK-LABEL: func.func @gradients
func.func @gradients(%x: tensor<4x1x9x9xf32>, %w: tensor<3x1x3x3xf32>, %dyc: tensor<4x3x5x5xf32>,
                     %h: tensor<4x12xf32>, %dw: tensor<12x2xf32>, %dyd: tensor<4x2xf32>,
                     %l: tensor<4xi32>, %g: tensor<f32>, %pin: tensor<4x3x5x5xf32>,
                     %dyp: tensor<4x3x3x3xf32>, %n: i32, %lr: f32) {
  // CHECK: dl.dense_grad_input %{{.*}}, %{{.*}} : tensor<4x2xf32>, tensor<12x2xf32>
  %0 = dl.dense_grad_input %dyd, %dw : tensor<4x2xf32>, tensor<12x2xf32>
  // CHECK: dl.dense_grad_weight %{{.*}}, %{{.*}} : tensor<4x12xf32>, tensor<4x2xf32>
  %1 = dl.dense_grad_weight %h, %dyd : tensor<4x12xf32>, tensor<4x2xf32>
  // CHECK: dl.bias_grad %{{.*}} : tensor<4x2xf32> -> tensor<2xf32>
  %2 = dl.bias_grad %dyd : tensor<4x2xf32> -> tensor<2xf32>
  // CHECK: dl.bias_grad %{{.*}} : tensor<4x3x5x5xf32> -> tensor<3xf32>
  %3 = dl.bias_grad %dyc : tensor<4x3x5x5xf32> -> tensor<3xf32>
  // CHECK: dl.relu_grad %{{.*}}, %{{.*}} : tensor<4x2xf32>
  %4 = dl.relu_grad %dyd, %dyd : tensor<4x2xf32>
  // CHECK: dl.sigmoid_grad %{{.*}}, %{{.*}} : tensor<4x2xf32>
  %5 = dl.sigmoid_grad %dyd, %dyd : tensor<4x2xf32>
  // CHECK: dl.reshape %{{.*}} : tensor<4x12xf32> -> tensor<4x3x2x2xf32>
  %6 = dl.reshape %0 : tensor<4x12xf32> -> tensor<4x3x2x2xf32>
  // CHECK: dl.conv2d_grad_input %{{.*}}, %{{.*}} stride 2 padding 1 : tensor<4x3x5x5xf32>, tensor<3x1x3x3xf32> -> tensor<4x1x9x9xf32>
  %7 = dl.conv2d_grad_input %dyc, %w stride 2 padding 1 : tensor<4x3x5x5xf32>, tensor<3x1x3x3xf32> -> tensor<4x1x9x9xf32>
  // With stride 2 a 10x10 input also gives 5x5: the explicit type decides.
  // CHECK: dl.conv2d_grad_input %{{.*}}, %{{.*}} stride 2 padding 1 : tensor<4x3x5x5xf32>, tensor<3x1x3x3xf32> -> tensor<4x1x10x10xf32>
  %8 = dl.conv2d_grad_input %dyc, %w stride 2 padding 1 : tensor<4x3x5x5xf32>, tensor<3x1x3x3xf32> -> tensor<4x1x10x10xf32>
  // CHECK: dl.conv2d_grad_filter %{{.*}}, %{{.*}} stride 2 padding 1 : tensor<4x1x9x9xf32>, tensor<4x3x5x5xf32> -> tensor<3x1x3x3xf32>
  %9 = dl.conv2d_grad_filter %x, %dyc stride 2 padding 1 : tensor<4x1x9x9xf32>, tensor<4x3x5x5xf32> -> tensor<3x1x3x3xf32>
  // CHECK: dl.max_pool2d_grad %{{.*}}, %{{.*}} kernel 3 stride 2 padding 1 : tensor<4x3x3x3xf32>, tensor<4x3x5x5xf32>
  %10 = dl.max_pool2d_grad %dyp, %pin kernel 3 stride 2 padding 1 : tensor<4x3x3x3xf32>, tensor<4x3x5x5xf32>
  // CHECK: dl.avg_pool2d_grad %{{.*}} kernel 3 stride 2 padding 1 : tensor<4x3x3x3xf32> -> tensor<4x3x5x5xf32>
  %11 = dl.avg_pool2d_grad %dyp kernel 3 stride 2 padding 1 : tensor<4x3x3x3xf32> -> tensor<4x3x5x5xf32>
  // CHECK: dl.softmax_ce_grad %{{.*}}, %{{.*}}, %{{.*}} : tensor<4x2xf32>, tensor<4xi32>, tensor<f32>
  %12 = dl.softmax_ce_grad %dyd, %l, %g : tensor<4x2xf32>, tensor<4xi32>, tensor<f32>
  // CHECK: dl.add %{{.*}}, %{{.*}} : tensor<4x2xf32>
  %13 = dl.add %4, %5 : tensor<4x2xf32>
  // CHECK: dl.constant 1.000000e+00 : tensor<f32>
  %14 = dl.constant 1.0 : tensor<f32>
  // CHECK: dl.sgd_update %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} : tensor<12x2xf32>
  %15 = dl.sgd_update %dw, %1, %lr, %lr : tensor<12x2xf32>
  // CHECK: dl.sgd_momentum_update %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} : tensor<12x2xf32>
  %16:2 = dl.sgd_momentum_update %dw, %dw, %1, %lr, %lr, %lr : tensor<12x2xf32>
  // CHECK: dl.softmax_ce_eval %{{.*}}, %{{.*}}, %{{.*}} : tensor<4x2xf32>, tensor<4xi32>
  %17:2 = dl.softmax_ce_eval %dyd, %l, %n : tensor<4x2xf32>, tensor<4xi32>
  return
}

}
