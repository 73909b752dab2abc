//===- Passes.td - dl dialect passes -----------------------*- tablegen -*-===//

#ifndef DLC_DIALECT_DL_TRANSFORMS_PASSES_TD
#define DLC_DIALECT_DL_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def GenerateTrainStep : Pass<"dl-generate-train-step", "mlir::ModuleOp"> {
  let summary = "Writes train_step and eval_step from the forward graph @model";
  let description = [{
    Replaces `func.func @model` (a forward graph over dl.input, dl.label and
    dl.param leaves, returning the softmax_ce loss and correct count) with:

    * `@train_step(params..., velocities..., images, labels, lr, weight_decay,
      momentum) -> (new params..., new velocities..., loss, correct)`: the
      forward graph, its reverse-mode gradient built from each op's
      DifferentiableOpInterface, and one SGD update per parameter. Velocity
      state exists only when the module's optimizer has momentum != 0.
    * `@eval_step(params..., images, labels, valid_rows) -> (loss_sum,
      correct)`, where rows at or beyond valid_rows count for nothing.

    Only values that depend on a parameter and reach the loss get a
    gradient; data inputs never do. Block arguments carry what the runtime
    needs to bind them: `dl.param` (name), `dl.init`, `dl.seed`,
    `dl.velocity`, `dl.input`, `dl.label` with `dl.classes`, and
    `dl.hyper` for the scalar operands.
  }];
  let dependentDialects = ["mlir::func::FuncDialect"];
}

#endif // DLC_DIALECT_DL_TRANSFORMS_PASSES_TD
