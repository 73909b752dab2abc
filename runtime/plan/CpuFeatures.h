//===- CpuFeatures.h - can this CPU run a plan's kernels? -------*- C++ -*-===//
//
// A plan compiled for a newer CPU would die of SIGILL in the first kernel.
// The plan records LLVM's feature string ("+avx2,-avx512f,..."); the
// enabled features this runtime knows how to test are checked against the
// host before the code is loaded.
//
//===----------------------------------------------------------------------===//

#ifndef DLC_RUNTIME_PLAN_CPUFEATURES_H
#define DLC_RUNTIME_PLAN_CPUFEATURES_H

#include <string>
#include <vector>

namespace dlc {
namespace runtime {

/// Whether the host CPU has LLVM feature `name` (e.g. "avx512f"): true,
/// false, or -1 when the runtime cannot tell (then it is not held against
/// the plan).
int hostHasCpuFeature(const std::string &name);

/// The features enabled ("+name") in `llvmFeatures` that the host lacks,
/// in order; `hasFeature` defaults to hostHasCpuFeature.
std::vector<std::string>
missingCpuFeatures(const std::string &llvmFeatures,
                   int (*hasFeature)(const std::string &) = hostHasCpuFeature);

} // namespace runtime
} // namespace dlc

#endif // DLC_RUNTIME_PLAN_CPUFEATURES_H
