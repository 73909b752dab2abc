//===- PlanPrinter.h - dlrun --inspect --------------------------*- C++ -*-===//
//
// A readable summary of a checked plan: provenance, input contract,
// defaults, the tensor table, memory sizes, kernels and both steps' launch
// lists.
//
//===----------------------------------------------------------------------===//

#ifndef DLC_RUNTIME_PLAN_PLANPRINTER_H
#define DLC_RUNTIME_PLAN_PLANPRINTER_H

#include "plan/PlanFile.h"

#include <string>

namespace dlc {
namespace runtime {

std::string describePlan(const PlanFile &file);

} // namespace runtime
} // namespace dlc

#endif // DLC_RUNTIME_PLAN_PLANPRINTER_H
