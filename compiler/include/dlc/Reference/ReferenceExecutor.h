//===- ReferenceExecutor.h - double-precision dl interpreter ----*- C++ -*-===//
//
// The reference executor runs a func.func of dl ops straight from the IR on
// host buffers, in double precision, with plain loops. It is the oracle that
// every backend (compiled CPU kernels, GPU) is compared against and the
// function evaluated by finite-difference gradient checks, so it favours
// obvious correctness over speed and shares no code with any code generator.
//
// Nothing here throws: problems are reported as MLIR errors at the location
// of the offending op (or function) and a failure result.
//
//===----------------------------------------------------------------------===//

#ifndef DLC_REFERENCE_REFERENCEEXECUTOR_H
#define DLC_REFERENCE_REFERENCEEXECUTOR_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Attributes.h"
#include "mlir/Support/LLVM.h"
#include "llvm/ADT/ArrayRef.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace dlc::reference {

/// A dense row-major host tensor. Integer tensors (labels, counts,
/// valid_rows) hold exact integral doubles.
struct Tensor {
  std::vector<int64_t> shape; // {} for scalars
  std::vector<double> data;   // row-major

  /// Product of `shape` (1 for a scalar).
  int64_t numElements() const;
};

/// Values of the leaf ops of a forward graph (dl.input, dl.label, dl.param),
/// keyed by their "name" attribute.
using LeafValues = std::map<std::string, Tensor>;

/// Runs `func`, a single-block func.func of dl ops ending in func.return.
/// `args` bind to the entry block arguments in order (a rank-0 Tensor for a
/// scalar f32/i32 argument such as lr or valid_rows); leaf ops take their
/// value from `leaves`. Every argument, leaf and result is checked against its
/// IR type (shape; integer element types must hold integers). On any problem
/// (missing leaf, wrong argument count or shape, label out of range,
/// unsupported op, ...) an error is emitted at the op's location and failure
/// returned. On success returns the operands of func.return in order.
mlir::FailureOr<std::vector<Tensor>> run(mlir::func::FuncOp func,
                                         llvm::ArrayRef<Tensor> args,
                                         const LeafValues &leaves = {});

/// The initial value of a parameter from a dl.param `init` attribute (one of
/// #dl.zeros, #dl.normal, #dl.uniform, #dl.glorot_uniform, #dl.glorot_normal),
/// deterministic for (seed, paramSeed). The samples are the float values of
/// runtime/init/ParamInit.h (bit-identical to what the runtime produces),
/// widened to double. An unknown attribute gives an empty Tensor (shape {},
/// no data).
Tensor initParam(mlir::Attribute init, llvm::ArrayRef<int64_t> shape,
                 uint64_t seed, uint64_t paramSeed);

/// Initial values of every dl.param in `func` (by name), each from its init
/// attribute and its `seed` attribute as paramSeed.
LeafValues initParams(mlir::func::FuncOp func, uint64_t seed);

} // namespace dlc::reference

#endif // DLC_REFERENCE_REFERENCEEXECUTOR_H
