// dl-lower-kernels-to-linalg lowers every kernel, launched or not; an alias
// past the kernel's arguments would index past them, and the lowered
// kernel's launches and the planner read a result kind per result.
// RUN: dl-opt %s -split-input-file -verify-diagnostics --dl-lower-kernels-to-linalg

module {
  module @kernels {
    // expected-error @+1 {{a result aliases argument 3, which is no argument of its type}}
    func.func private @k0(%a: tensor<4x3xf32>) -> tensor<4x3xf32> attributes {dl.result_aliases = array<i64: 3>, dl.result_kinds = ["activation"]} {
      %0 = dl.relu %a : tensor<4x3xf32>
      return %0 : tensor<4x3xf32>
    }
  }
}

// -----

module {
  module @kernels {
    // expected-error @+1 {{kernel lacks dl.result_kinds (a string per result)}}
    func.func private @k0(%a: tensor<4x3xf32>) -> tensor<4x3xf32> attributes {dl.result_aliases = array<i64: -1>} {
      %0 = dl.relu %a : tensor<4x3xf32>
      return %0 : tensor<4x3xf32>
    }
  }
}

// -----

module {
  module @kernels {
    // expected-error @+1 {{kernel lacks dl.result_kinds (a string per result)}}
    func.func private @k0(%a: tensor<4x3xf32>) -> tensor<4x3xf32> attributes {dl.result_aliases = array<i64: -1>, dl.result_kinds = [1]} {
      %0 = dl.relu %a : tensor<4x3xf32>
      return %0 : tensor<4x3xf32>
    }
  }
}
