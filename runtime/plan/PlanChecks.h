//===- PlanChecks.h - semantic checks of a verified plan --------*- C++ -*-===//
//
// The FlatBuffer verifier only proves that a plan can be read safely. These
// checks prove that it can be run safely: every tensor inside the memory
// block, every index in range, every slot the runtime fills of the right
// role, dtype and shape. After them the runtime trusts the plan. CUDA plans
// need PTX instead of a code object, blocks of 1 to 1024 threads, in-range
// data kernels (gather_kernel, accumulate_kernel) and PTX entries taking one
// pointer per binding.
//
//===----------------------------------------------------------------------===//

#ifndef DLC_RUNTIME_PLAN_PLANCHECKS_H
#define DLC_RUNTIME_PLAN_PLANCHECKS_H

#include "plan_generated.h"

#include <string>

namespace dlc {
namespace runtime {

/// What runs a plan's kernels, from its `target` field.
enum class PlanTarget {
  Cpu,    // "cpu" (or empty): a shared object of host kernels, `code`
  Cuda,   // "cuda": a PTX module (and maybe a cubin) for an NVIDIA GPU
  Unknown // anything else; refused by checkPlan
};
PlanTarget planTarget(const dlc::plan::Plan &plan);

/// Checks a plan that passed the FlatBuffer verifier. On failure returns
/// false and sets `error` to one line prefixed with `name`.
bool checkPlan(const dlc::plan::Plan &plan, const std::string &name,
               std::string &error);

/// "[256, 1, 28, 28]" (or "[]" for a scalar / null shape).
std::string formatShape(const flatbuffers::Vector<int64_t> *shape);

} // namespace runtime
} // namespace dlc

#endif // DLC_RUNTIME_PLAN_PLANCHECKS_H
