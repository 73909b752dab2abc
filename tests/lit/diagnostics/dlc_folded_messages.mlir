// MLIR's verifier prints the op into some messages, over several lines, and
// a .mlir location may name any file: dlc still prints one line each.
// RUN: split-file %s %t
// RUN: not dlc %t/noterminator.mlir --emit=graph 2>&1 | FileCheck %s --check-prefix=NOTERM
// RUN: not dlc %t/noterminator.mlir --emit=graph 2>&1 | count 1
// RUN: not dlc %t/location.mlir --emit=graph 2>&1 | FileCheck %s --check-prefix=LOC
// RUN: not dlc %t/location.mlir --emit=graph 2>&1 | count 1

// NOTERM: noterminator.mlir:3:3: error: block with no terminator, has "func.func"() <{function_type = () -> (), sym_name = "f"}> ({   %0 = "dl.input"() {name = "image"} : () -> tensor<2x3xf32> }) : () -> ()
// LOC: a b.mlir:7:9: error: 'dl.reshape' op cannot reshape f32[2,3] to f32[7]: element counts differ

//--- noterminator.mlir
module {
func.func @g() {
  func.func @f() {
    %0 = dl.input "image" : tensor<2x3xf32>
  }
}
}
//--- location.mlir
func.func @f(%a: tensor<2x3xf32>) -> tensor<7xf32> {
  %0 = dl.reshape %a : tensor<2x3xf32> -> tensor<7xf32> loc("a\0Ab.mlir":7:9)
  return %0 : tensor<7xf32>
}
