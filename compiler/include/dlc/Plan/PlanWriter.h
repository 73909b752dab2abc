//===- PlanWriter.h - serialize a training plan -----------------*- C++ -*-===//

#ifndef DLC_PLAN_PLANWRITER_H
#define DLC_PLAN_PLANWRITER_H

#include "dlc/Plan/MemoryPlan.h"

#include <string>

namespace dlc::plan {

struct PlanMetadata {
  std::string modelName;
  std::string sourceHash; // SHA-256 of the model file, hex
  std::string compilerVersion;
  std::string compilerOptions;
  std::string target = "cpu";
  std::string cpu;
  std::string cpuFeatures;
  double lr = 0.1, weightDecay = 0.0, momentum = 0.0;
  int64_t epochs = 10;
};

/// What a CUDA plan carries instead of a shared object.
struct GPUPlanCode {
  std::string arch; // sm_XX
  std::string ptx;
  std::string cubin; // empty when ptxas was not available
  int gatherKernel = -1, accumulateKernel = -1;
  bool dependentLaunch = false; // kernels wait for their prerequisites
};

/// The bytes of a .plan file: the header of runtime/abi/PlanFormat.h (magic,
/// version, crc32) followed by the FlatBuffer of schemas/plan.fbs.
/// The model's name and training defaults, from the module's attributes;
/// the rest of the metadata is the caller's.
PlanMetadata modelMetadata(mlir::ModuleOp module);

std::string serializePlan(const MemoryPlan &plan, const PlanMetadata &meta,
                          llvm::StringRef code,
                          const GPUPlanCode *gpu = nullptr);

} // namespace dlc::plan

#endif // DLC_PLAN_PLANWRITER_H
