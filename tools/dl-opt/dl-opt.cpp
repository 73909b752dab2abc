//===- dl-opt.cpp - mlir-opt for the dl dialect ---------------------------===//
//
// Every dialect and pass the compiler uses is registered, so any stage of
// `dlc --emit=...` can be fed back through any pass or pipeline.
//
//===----------------------------------------------------------------------===//

#include "dlc/Driver/Compiler.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  dlc::registerCompilerPasses();
  mlir::DialectRegistry registry;
  dlc::registerCompilerDialects(registry);
  return mlir::asMainReturnCode(mlir::MlirOptMain(
      argc, argv, "dl-opt: the dl dialect's optimizer driver\n", registry));
}
