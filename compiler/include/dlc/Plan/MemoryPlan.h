//===- MemoryPlan.h - buffers and launches of a compiled model --*- C++ -*-===//

#ifndef DLC_PLAN_MEMORYPLAN_H
#define DLC_PLAN_MEMORYPLAN_H

#include "dlc/Dialect/DL/Transforms/BufferAccess.h"
#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/SmallVector.h"

#include <string>

namespace dlc::plan {

/// Mirrors dlc.plan.Role in schemas/plan.fbs.
enum class TensorRole {
  Parameter,
  Velocity,
  Image,
  Label,
  Hyper,
  Metric,
  Activation,
  Gradient
};
llvm::StringRef roleName(TensorRole role);

struct PlannedTensor {
  std::string name;
  llvm::SmallVector<int64_t> shape;
  bool isInteger = false;
  TensorRole role = TensorRole::Activation;
  int64_t offset = 0;
  int64_t size = 0; // bytes
};

struct PlannedInitializer {
  int tensor = -1;
  mlir::Attribute init; // a #dl initializer attribute
  uint64_t seed = 0;
  int64_t fanIn = 1, fanOut = 1;
};

struct PlannedKernel {
  std::string symbol;
  llvm::SmallVector<std::string> origin;
  llvm::SmallVector<mlir::Type> argumentTypes; // after lowering
  int64_t workgroups = 1;
  int64_t block = 0;       // CUDA: threads per block
  int64_t sharedBytes = 0; // CUDA: dynamic shared memory
  int64_t flops = 0;
  int64_t bytes = 0;
  /// Per argument, what the kernel's code does with it (as
  /// PlannedLaunch::access); empty where not known.
  llvm::SmallVector<uint8_t> argumentAccess;
};

/// Bits of PlannedLaunch::access (plan.fbs's Access).
inline constexpr uint8_t kRead = dl::kBufferRead, kWritten = dl::kBufferWritten;

struct PlannedLaunch {
  int kernel = -1;
  llvm::SmallVector<int> bindings;
  /// Per binding, what the launch does with it (plan::Access bits: 1
  /// read, 2 written): inputs are read, outputs written, inputs updated in
  /// place and scratch both; a CUDA phase refines it from its code.
  llvm::SmallVector<uint8_t> access;
};

/// Where every tensor of both steps lives and which kernels each step runs.
/// Fixed slots (parameters, velocities, data, hyper-parameters, metrics)
/// come first; intermediates share the arena after them, placed so that
/// buffers whose lifetimes overlap never overlap in memory.
struct MemoryPlan {
  llvm::SmallVector<PlannedTensor> tensors;
  llvm::SmallVector<PlannedInitializer> initializers;
  llvm::SmallVector<PlannedKernel> kernels;
  llvm::SmallVector<PlannedLaunch> trainLaunches, evalLaunches;
  int64_t memorySize = 0, arenaOffset = 0, arenaSize = 0, naiveSize = 0;
  int image = -1, label = -1, lr = -1, weightDecay = -1, momentum = -1,
      validRows = -1, trainLoss = -1, trainCorrect = -1, evalLoss = -1,
      evalCorrect = -1;
  bool hasMomentumState = false;
  int64_t batch = 0, classes = 0;
  llvm::SmallVector<int64_t> imageShape; // without the batch dimension
};

/// Plans memory for a module holding train_step/eval_step made of
/// dl.launch ops and a lowered `kernels` module (dl.num_inputs,
/// dl.num_outputs, dl.scratch on each kernel).
mlir::FailureOr<MemoryPlan> planMemory(mlir::ModuleOp module);

/// Human-readable tables for --emit=kernels and --emit=memory.
void printKernels(const MemoryPlan &plan, llvm::raw_ostream &os);
void printMemory(const MemoryPlan &plan, llvm::raw_ostream &os);

} // namespace dlc::plan

#endif // DLC_PLAN_MEMORYPLAN_H
