// The plan dlc writes is the plan dlrun reads: compile mlp.dl and inspect it.
// RUN: dlc %models/mlp.dl -o %t.plan
// RUN: dlrun %t.plan --inspect | FileCheck %s

// CHECK: model mlp
// CHECK: format version 1
// CHECK: source sha256 {{[0-9a-f]+}}
// CHECK: input contract
// CHECK-NEXT: batch 256, image [1, 28, 28] f32, label i32 in [0, 10)
// CHECK: epochs 5, lr 0.5, weight_decay 0, momentum 0 (momentum state: no)
// CHECK: dense1.weight {{ *}}Parameter {{ *}}f32 {{ *}}[784, 256] {{ *}}0 {{ *}}802816
// Train and eval share the forward kernels (dl-deduplicate-kernels); the
// input gradient of the hidden layer is two phases on the CPU (the weight's
// transposed copy, then the product).
// CHECK: kernels: 10
// CHECK: k0_dense_relu
// CHECK-NEXT: from dl.dense @ {{.*}}mlp.dl:6:10
// CHECK-NEXT: from dl.relu @ {{.*}}mlp.dl:6:5
// CHECK: k2_softmax_ce_grad workgroups 1

// --emit=kernels: the fused kernels of each step and where they come from.
// RUN: dlc %models/mlp.dl --emit=kernels | FileCheck %s --check-prefix=KERNELS
// KERNELS: train_step: 9 kernels, 0.210 GFLOP per step
// KERNELS-NEXT: k0_dense_relu flops 102825984 bytes 1868800 workgroups {{[0-9]+}}
// KERNELS-NEXT: from dl.dense @ {{.*}}mlp.dl:6:10
// KERNELS-NEXT: from dl.relu @ {{.*}}mlp.dl:6:5
// KERNELS-NEXT: args image.view:f32[256,784] dense1.weight:f32[784,256] dense1.bias:f32[256] k0_dense_relu.out0:f32[256,256]
// KERNELS: k2_softmax_ce_grad
// KERNELS: k3_dense_grad_input_relu_grad flops
// KERNELS: k3_dense_grad_input_relu_grad_p1 flops 0 bytes 0
// KERNELS: k6_dense_grad_weight_sgd_update
// KERNELS: eval_step: 3 kernels
// KERNELS-NEXT: k0_dense_relu
// KERNELS: k1_dense
// KERNELS: k10_softmax_ce_eval

// --emit=memory: fixed slots, then intermediates sharing the arena.
// RUN: dlc %models/mlp.dl --emit=memory | FileCheck %s --check-prefix=MEMORY
// MEMORY: dense1.weight parameter f32[784,256] 0 802816
// MEMORY: image.view image f32[256,784] 814144 802816
// MEMORY: memory block: {{[0-9]+}} bytes (fixed slots {{[0-9]+}}, arena {{[0-9]+}})
// MEMORY-NEXT: arena without reuse would be {{[0-9]+}} bytes ({{[0-9.]+}}x)

// A named CPU instead of the host.
// RUN: dlc %models/mlp.dl --cpu=x86-64-v3 -o %t.v3.plan
// RUN: dlrun %t.v3.plan --inspect | FileCheck %s --check-prefix=V3
// V3: cpu x86-64-v3
