// Op and attribute verifiers of the dl dialect on hand-written IR.
// RUN: dl-opt %s -split-input-file -verify-diagnostics

func.func @reshape_element_count(%a: tensor<2x3xf32>) -> tensor<7xf32> {
  // expected-error @+1 {{'dl.reshape' op cannot reshape f32[2,3] to f32[7]: element counts differ}}
  %0 = dl.reshape %a : tensor<2x3xf32> -> tensor<7xf32>
  return %0 : tensor<7xf32>
}

// -----

// Input 9x9, kernel 3, stride 1: the forward output is 7x7, not 6x6.
func.func @conv2d_grad_input_result(%dy: tensor<2x4x6x6xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<2x3x9x9xf32> {
  // expected-error @+1 {{'dl.conv2d_grad_input' op the result gradient of the convolution implies shape f32[2,4,7,7], got f32[2,4,6,6]}}
  %0 = dl.conv2d_grad_input %dy, %w stride 1 padding 0 : tensor<2x4x6x6xf32>, tensor<4x3x3x3xf32> -> tensor<2x3x9x9xf32>
  return %0 : tensor<2x3x9x9xf32>
}

// -----

// The result's channels (2) are not the filter's input channels (3).
func.func @conv2d_grad_input_channels(%dy: tensor<2x4x7x7xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<2x2x9x9xf32> {
  // expected-error @+1 {{'dl.conv2d_grad_input' op input f32[2,2,9,9] and filter f32[4,3,3,3] do not form a convolution}}
  %0 = dl.conv2d_grad_input %dy, %w stride 1 padding 0 : tensor<2x4x7x7xf32>, tensor<4x3x3x3xf32> -> tensor<2x2x9x9xf32>
  return %0 : tensor<2x2x9x9xf32>
}

// -----

// Stride 2, padding 1: (8 + 2 - 3) / 2 + 1 = 4, not 3.
func.func @conv2d_grad_input_stride(%dy: tensor<1x2x3x3xf32>, %w: tensor<2x1x3x3xf32>) -> tensor<1x1x8x8xf32> {
  // expected-error @+1 {{'dl.conv2d_grad_input' op the result gradient of the convolution implies shape f32[1,2,4,4], got f32[1,2,3,3]}}
  %0 = dl.conv2d_grad_input %dy, %w stride 2 padding 1 : tensor<1x2x3x3xf32>, tensor<2x1x3x3xf32> -> tensor<1x1x8x8xf32>
  return %0 : tensor<1x1x8x8xf32>
}

// -----

func.func @conv2d_grad_filter_result(%x: tensor<2x3x8x8xf32>, %dy: tensor<2x4x6x6xf32>) -> tensor<4x3x2x2xf32> {
  // expected-error @+1 {{'dl.conv2d_grad_filter' op the convolution of the input with the filter implies shape f32[2,4,7,7], got f32[2,4,6,6]}}
  %0 = dl.conv2d_grad_filter %x, %dy stride 1 padding 0 : tensor<2x3x8x8xf32>, tensor<2x4x6x6xf32> -> tensor<4x3x2x2xf32>
  return %0 : tensor<4x3x2x2xf32>
}

// -----

// 10x10 input, kernel 2, stride 2: the pooled gradient is 5x5.
func.func @avg_pool2d_grad_shape(%dy: tensor<2x3x4x4xf32>) -> tensor<2x3x10x10xf32> {
  // expected-error @+1 {{'dl.avg_pool2d_grad' op pooling the input implies shape f32[2,3,5,5], got f32[2,3,4,4]}}
  %0 = dl.avg_pool2d_grad %dy kernel 2 stride 2 padding 0 : tensor<2x3x4x4xf32> -> tensor<2x3x10x10xf32>
  return %0 : tensor<2x3x10x10xf32>
}

// -----

func.func @avg_pool2d_grad_rank(%dy: tensor<2x3x4x4xf32>) -> tensor<2x30xf32> {
  // expected-error @+1 {{'dl.avg_pool2d_grad' op expects an NCHW input, got f32[2,30]}}
  %0 = dl.avg_pool2d_grad %dy kernel 2 stride 2 padding 0 : tensor<2x3x4x4xf32> -> tensor<2x30xf32>
  return %0 : tensor<2x30xf32>
}

// -----

func.func @max_pool2d_grad_shape(%dy: tensor<2x3x4x4xf32>, %x: tensor<2x3x9x9xf32>) -> tensor<2x3x9x9xf32> {
  // expected-error @+1 {{'dl.max_pool2d_grad' op pooling the input implies shape f32[2,3,8,8], got f32[2,3,4,4]}}
  %0 = dl.max_pool2d_grad %dy, %x kernel 2 stride 1 padding 0 : tensor<2x3x4x4xf32>, tensor<2x3x9x9xf32>
  return %0 : tensor<2x3x9x9xf32>
}

// -----

func.func @max_pool2d_grad_kernel(%dy: tensor<2x3x1x1xf32>, %x: tensor<2x3x3x3xf32>) -> tensor<2x3x3x3xf32> {
  // expected-error @+1 {{kernel 5x5 is larger than its padded input 3x3 (input 3x3, padding 0); use a smaller kernel or more padding}}
  %0 = dl.max_pool2d_grad %dy, %x kernel 5 stride 1 padding 0 : tensor<2x3x1x1xf32>, tensor<2x3x3x3xf32>
  return %0 : tensor<2x3x3x3xf32>
}

// -----

func.func @label_rank2() -> tensor<2x3xi32> {
  // expected-error @+1 {{'dl.label' op labels are one class index per example, expected i32[batch], got i32[2,3]}}
  %0 = dl.label "l" classes 10 : tensor<2x3xi32>
  return %0 : tensor<2x3xi32>
}

// -----

func.func @label_zero_classes() -> tensor<2xi32> {
  // expected-error @+1 {{'dl.label' op attribute 'classes' failed to satisfy constraint: 64-bit signless integer attribute whose value is positive}}
  %0 = dl.label "l" classes 0 : tensor<2xi32>
  return %0 : tensor<2xi32>
}

// -----

func.func @input_rank1() -> tensor<2xf32> {
  // expected-error @+1 {{'dl.input' op needs a batch dimension and at least one feature dimension, got f32[2]}}
  %0 = dl.input "i" : tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @input_dynamic() -> tensor<?x3xf32> {
  // expected-error @+1 {{'dl.input' op result #0 must be ranked f32 tensor of static positive sizes, at most 2^31 elements, but got 'tensor<?x3xf32>'}}
  %0 = dl.input "i" : tensor<?x3xf32>
  return %0 : tensor<?x3xf32>
}

// -----

func.func @param_zero_size() -> tensor<0x3xf32> {
  // expected-error @+1 {{'dl.param' op result #0 must be ranked f32 tensor of static positive sizes, at most 2^31 elements, but got 'tensor<0x3xf32>'}}
  %0 = dl.param "p" init(#dl.zeros) : tensor<0x3xf32>
  return %0 : tensor<0x3xf32>
}

// -----

func.func @dense_weight_mismatch(%x: tensor<2x3xf32>, %w: tensor<4x5xf32>) -> tensor<2x5xf32> {
  // expected-error @+2 {{dense weight f32[4,5] does not fit input f32[2,3]: expected [3, units]}}
  // expected-error @+1 {{'dl.dense' op failed to infer returned types}}
  %0 = dl.dense %x, %w : tensor<2x3xf32>, tensor<4x5xf32> -> tensor<2x5xf32>
  return %0 : tensor<2x5xf32>
}

// -----

func.func @conv2d_stride_zero(%x: tensor<1x1x5x5xf32>, %w: tensor<1x1x3x3xf32>) -> tensor<1x1x3x3xf32> {
  // expected-error @+1 {{'dl.conv2d' op attribute 'stride' failed to satisfy constraint: 64-bit signless integer attribute whose value is positive}}
  %0 = dl.conv2d %x, %w stride 0 padding 0 : tensor<1x1x5x5xf32>, tensor<1x1x3x3xf32> -> tensor<1x1x3x3xf32>
  return %0 : tensor<1x1x3x3xf32>
}

// -----

// expected-error @+1 {{sgd momentum must be in [0, 1), got 1.000000e+00}}
module attributes {dl.optimizer = #dl.sgd<lr = 1.0, weight_decay = 0.0, momentum = 1.0>} {}

// -----

// expected-error @+1 {{sgd lr must be positive, got 0.000000e+00}}
module attributes {dl.optimizer = #dl.sgd<lr = 0.0, weight_decay = 0.0, momentum = 0.0>} {}

// -----

// expected-error @+1 {{sgd weight_decay must be >= 0, got -1.000000e+00}}
module attributes {dl.optimizer = #dl.sgd<lr = 0.1, weight_decay = -1.0, momentum = 0.0>} {}

// -----

// expected-error @+1 {{normal init needs a finite mean and std >= 0, got (0.000000e+00, -1.000000e+00)}}
module attributes {init = #dl.normal<mean = 0.0, std = -1.0>} {}

// -----

// expected-error @+1 {{uniform init needs finite low <= high, got (1.000000e+00, 0.000000e+00)}}
module attributes {init = #dl.uniform<low = 1.0, high = 0.0>} {}

// -----

// A leaf's name becomes a plan's tensor name, quoted in one-line messages.
func.func @param_name_with_tab() -> tensor<4xf32> {
  // expected-error @+1 {{'dl.param' op needs a name without control bytes}}
  %w = dl.param "w\09" init(#dl.zeros) : tensor<4xf32>
  return %w : tensor<4xf32>
}

// -----

// 2^20 x 2^12 = 2^32 elements: more than the model language allows.
func.func @relu_too_large(%a: tensor<1048576x4096xf32>) -> tensor<1048576x4096xf32> {
  // expected-error @+1 {{'dl.relu' op operand #0 must be ranked f32 tensor of static positive sizes, at most 2^31 elements, but got 'tensor<1048576x4096xf32>'}}
  %0 = dl.relu %a : tensor<1048576x4096xf32>
  return %0 : tensor<1048576x4096xf32>
}

// -----

func.func @relu_dynamic(%a: tensor<?x4xf32>) -> tensor<?x4xf32> {
  // expected-error @+1 {{relu expects a static shape for input, got f32[?,4]}}
  %0 = dl.relu %a : tensor<?x4xf32>
  return %0 : tensor<?x4xf32>
}
