// dl-lower-kernels-to-linalg lowers every kernel, launched or not; an alias
// past the kernel's arguments would index past them.
// RUN: dl-opt %s -verify-diagnostics --dl-lower-kernels-to-linalg

module {
  module @kernels {
    // expected-error @+1 {{a result aliases argument 3, which is no argument of its type}}
    func.func private @k0(%a: tensor<4x3xf32>) -> tensor<4x3xf32> attributes {dl.result_aliases = array<i64: 3>} {
      %0 = dl.relu %a : tensor<4x3xf32>
      return %0 : tensor<4x3xf32>
    }
  }
}
