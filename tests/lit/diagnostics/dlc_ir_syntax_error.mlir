// A syntax error in a .mlir input is one line, without MLIR's source snippet.
// RUN: not dlc %s --emit=graph 2>&1 | FileCheck %s --implicit-check-not=error:
// RUN: not dlc %s --emit=graph 2>&1 | not grep -vE '^[^ ]+:[0-9]+:[0-9]+: (error|note): '

// CHECK: {{.*}}dlc_ir_syntax_error.mlir:[[@LINE+2]]:18: error: expected ':'
func.func @f(%a: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = dl.relu %a tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}
