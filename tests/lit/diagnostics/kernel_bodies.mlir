// dl-lower-kernels-to-linalg takes a fused kernel as a .mlir input may
// write it: an op it cannot lower, or a softmax_ce_grad seeded with the
// loss of its sibling (lowered apart from it, as the seed comes after).
// RUN: dl-opt %s -split-input-file -verify-diagnostics --dl-lower-kernels-to-linalg

module {
  module @kernels {
    func.func private @k0(%a: tensor<4x3xf32>) -> tensor<4x3xf32> attributes {dl.result_aliases = array<i64: -1>, dl.result_kinds = ["activation"]} {
      %0 = dl.relu %a : tensor<4x3xf32>
      // expected-error @+1 {{'gpu.barrier' has no lowering to linalg in a kernel}}
      gpu.barrier
      return %0 : tensor<4x3xf32>
    }
  }
}

// -----

// Lowers without a diagnostic (it crashed: the gradient looked up its seed
// before the loss was lowered).
module {
  module @kernels {
    func.func private @k1(%logits: tensor<4x3xf32>, %labels: tensor<4xi32>) -> (tensor<f32>, tensor<i32>, tensor<4x3xf32>) attributes {dl.result_aliases = array<i64: -1, -1, -1>, dl.result_kinds = ["gradient", "gradient", "gradient"]} {
      %loss, %correct = dl.softmax_ce %logits, %labels : tensor<4x3xf32>, tensor<4xi32>
      %0 = dl.softmax_ce_grad %logits, %labels, %loss : tensor<4x3xf32>, tensor<4xi32>, tensor<f32>
      return %loss, %correct, %0 : tensor<f32>, tensor<i32>, tensor<4x3xf32>
    }
  }
}
