// A dl.launch is held to its kernel's signature: in the fused form the
// kernel's, after dl-lower-kernels-to-linalg the destination-passing one
// (inputs, a destination per result that aliases no input, scratch). A
// mismatch would read or write past a buffer at run time.
// RUN: dl-opt %s -split-input-file -verify-diagnostics

module {
  func.func @step(%x: tensor<4x3xf32>) -> tensor<4x3xf32> {
    // expected-error @+1 {{'dl.launch' op launches an unknown kernel @kernels::@k9}}
    %0 = dl.launch @kernels::@k9(%x) : (tensor<4x3xf32>) -> tensor<4x3xf32>
    return %0 : tensor<4x3xf32>
  }
  module @kernels {
    func.func private @k0(%a: tensor<4x3xf32>) -> tensor<4x3xf32> attributes {dl.result_aliases = array<i64: -1>} {
      %0 = dl.relu %a : tensor<4x3xf32>
      return %0 : tensor<4x3xf32>
    }
  }
}

// -----

module {
  func.func @step(%x: tensor<4x2xf32>) -> tensor<4x2xf32> {
    // expected-error @+1 {{'dl.launch' op does not match kernel @kernels::@k0: the operand or result types differ}}
    %0 = dl.launch @kernels::@k0(%x) : (tensor<4x2xf32>) -> tensor<4x2xf32>
    return %0 : tensor<4x2xf32>
  }
  module @kernels {
    func.func private @k0(%a: tensor<4x3xf32>) -> tensor<4x3xf32> attributes {dl.result_aliases = array<i64: -1>} {
      %0 = dl.relu %a : tensor<4x3xf32>
      return %0 : tensor<4x3xf32>
    }
  }
}

// -----

// Only the simulator's CPU functions (buffers, no results) are left to the
// tests; the attribute does not exempt a kernel of tensors.
module {
  func.func @step(%x: tensor<4x2xf32>) -> tensor<4x2xf32> {
    // expected-error @+1 {{'dl.launch' op does not match kernel @kernels::@k0: the operand or result types differ}}
    %0 = dl.launch @kernels::@k0(%x) : (tensor<4x2xf32>) -> tensor<4x2xf32>
    return %0 : tensor<4x2xf32>
  }
  module @kernels {
    func.func private @k0(%a: tensor<4x3xf32>) -> tensor<4x3xf32> attributes {dl.result_aliases = array<i64: -1>, dl.simulated_block = 256 : i64} {
      %0 = dl.relu %a : tensor<4x3xf32>
      return %0 : tensor<4x3xf32>
    }
  }
}

// -----

module {
  func.func @step(%x: tensor<4x3xf32>, %w: tensor<4xf32>) -> tensor<4x3xf32> {
    // expected-error @+1 {{'dl.launch' op does not match kernel @kernels::@k0: result 0 aliases 1, which is no input of its shape}}
    %0 = dl.launch @kernels::@k0(%x, %w) : (tensor<4x3xf32>, tensor<4xf32>) -> tensor<4x3xf32>
    return %0 : tensor<4x3xf32>
  }
  module @kernels {
    func.func private @k0(%a: tensor<4x3xf32>, %b: tensor<4xf32>) -> tensor<4x3xf32> attributes {dl.result_aliases = array<i64: 1>} {
      %0 = dl.relu %a : tensor<4x3xf32>
      return %0 : tensor<4x3xf32>
    }
  }
}

// -----

// Lowered: the destination of the result is missing.
module {
  func.func @step(%x: tensor<4x3xf32>) -> tensor<4x3xf32> {
    // expected-error @+1 {{'dl.launch' op does not match kernel @kernels::@k0: it takes 1 arguments (1 inputs, 1 outputs) for 1 inputs, 1 outputs and 0 scratch buffers}}
    %0 = dl.launch @kernels::@k0(%x) : (tensor<4x3xf32>) -> tensor<4x3xf32>
    return %0 : tensor<4x3xf32>
  }
  module @kernels {
    func.func private @k0(%a: tensor<4x3xf32>) -> tensor<4x3xf32> attributes {dl.num_inputs = 1 : i64, dl.num_outputs = 1 : i64, dl.result_aliases = array<i64: -1>, dl.result_kinds = ["activation"], dl.scratch = []} {
      return %a : tensor<4x3xf32>
    }
  }
}

// -----

// Lowered: the destination is smaller than the result.
module {
  func.func @step(%x: tensor<4x3xf32>) -> tensor<4x3xf32> {
    // expected-error @+1 {{'dl.launch' op does not match kernel @kernels::@k0: argument 1 is 'tensor<2x3xf32>'}}
    %0 = dl.launch @kernels::@k0(%x) : (tensor<4x3xf32>) -> tensor<4x3xf32>
    return %0 : tensor<4x3xf32>
  }
  module @kernels {
    func.func private @k0(%a: tensor<4x3xf32>, %d: tensor<2x3xf32>) -> tensor<4x3xf32> attributes {dl.num_inputs = 1 : i64, dl.num_outputs = 1 : i64, dl.result_aliases = array<i64: -1>, dl.result_kinds = ["activation"], dl.scratch = []} {
      return %a : tensor<4x3xf32>
    }
  }
}

// -----

// Bufferized: memrefs of the same buffers, then index bounds.
module {
  func.func @step(%x: tensor<4x3xf32>, %lr: f32) -> tensor<4x3xf32> {
    %0 = dl.launch @kernels::@k0(%x, %lr) : (tensor<4x3xf32>, f32) -> tensor<4x3xf32>
    return %0 : tensor<4x3xf32>
  }
  module @kernels {
    func.func private @k0(%a: memref<4x3xf32>, %lr: memref<f32>, %d: memref<4x3xf32>, %s: memref<3xf32>, %lo: index, %hi: index) attributes {dl.num_inputs = 2 : i64, dl.num_outputs = 1 : i64, dl.result_aliases = array<i64: -1>, dl.result_kinds = ["activation"], dl.scratch = [tensor<3xf32>]} {
      return
    }
  }
}

// -----

// The planner sizes a buffer per operand and result: they are dl tensors.
module {
  func.func @step(%x: tensor<4x3xf32>) -> tensor<4194304x4194304xf32> {
    // expected-error @+1 {{'dl.launch' op takes and gives dl tensors (static positive sizes, at most 2^31 elements), f32 or i32, not 'tensor<4194304x4194304xf32>'}}
    %0 = dl.launch @kernels::@k0(%x) : (tensor<4x3xf32>) -> tensor<4194304x4194304xf32>
    return %0 : tensor<4194304x4194304xf32>
  }
  module @kernels {
    func.func private @k0(%a: tensor<4x3xf32>) -> tensor<4194304x4194304xf32> attributes {dl.result_aliases = array<i64: -1>} {
      %0 = tensor.empty() : tensor<4194304x4194304xf32>
      return %0 : tensor<4194304x4194304xf32>
    }
  }
}
