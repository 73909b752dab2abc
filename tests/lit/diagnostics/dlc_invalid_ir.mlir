// dlc also reads .mlir; verifier errors in it are one-line diagnostics too,
// without a dump of the failing op.
// RUN: not dlc %s --emit=graph 2>&1 | FileCheck %s --implicit-check-not=error: --implicit-check-not=note:
// RUN: not dlc %s --emit=graph 2>&1 | not grep -vE '^[^ ]+:[0-9]+:[0-9]+: (error|note): '

// CHECK: {{.*}}dlc_invalid_ir.mlir:[[@LINE+2]]:8: error: 'dl.reshape' op cannot reshape f32[2,3] to f32[7]: element counts differ
func.func @f(%a: tensor<2x3xf32>) -> tensor<7xf32> {
  %0 = dl.reshape %a : tensor<2x3xf32> -> tensor<7xf32>
  return %0 : tensor<7xf32>
}
