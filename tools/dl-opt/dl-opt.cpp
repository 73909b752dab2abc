//===- dl-opt.cpp - mlir-opt for the dl dialect ---------------------------===//

#include "dlc/Dialect/DL/IR/DLDialect.h"
#include "dlc/Dialect/DL/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "mlir/Transforms/Passes.h"

int main(int argc, char **argv) {
  mlir::registerTransformsPasses();
  dlc::dl::registerDLPasses();
  mlir::DialectRegistry registry;
  registry.insert<dlc::dl::DLDialect, mlir::func::FuncDialect>();
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "dl-opt: the dl dialect's optimizer driver\n",
                        registry));
}
