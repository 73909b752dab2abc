//===- CpuFeatures.cpp - can this CPU run a plan's kernels? ---------------===//

#include "plan/CpuFeatures.h"

namespace dlc {
namespace runtime {

int hostHasCpuFeature(const std::string &name) {
#if defined(__x86_64__) && defined(__GNUC__)
  // __builtin_cpu_supports takes literals only. These are the features that
  // change which instructions LLVM emits for dense and convolution kernels.
#define DLC_FEATURE(llvmName, gccName)                                         \
  if (name == llvmName)                                                        \
    return __builtin_cpu_supports(gccName) ? 1 : 0;
  DLC_FEATURE("sse3", "sse3")
  DLC_FEATURE("ssse3", "ssse3")
  DLC_FEATURE("sse4.1", "sse4.1")
  DLC_FEATURE("sse4.2", "sse4.2")
  DLC_FEATURE("popcnt", "popcnt")
  DLC_FEATURE("avx", "avx")
  DLC_FEATURE("avx2", "avx2")
  DLC_FEATURE("fma", "fma")
  DLC_FEATURE("f16c", "f16c")
  DLC_FEATURE("bmi", "bmi")
  DLC_FEATURE("bmi2", "bmi2")
  DLC_FEATURE("avx512f", "avx512f")
  DLC_FEATURE("avx512bw", "avx512bw")
  DLC_FEATURE("avx512dq", "avx512dq")
  DLC_FEATURE("avx512vl", "avx512vl")
  DLC_FEATURE("avx512cd", "avx512cd")
  DLC_FEATURE("avx512vnni", "avx512vnni")
  DLC_FEATURE("avx512bf16", "avx512bf16")
  DLC_FEATURE("avx512fp16", "avx512fp16")
  DLC_FEATURE("avx512vbmi", "avx512vbmi")
  DLC_FEATURE("avx512vbmi2", "avx512vbmi2")
  DLC_FEATURE("avx512ifma", "avx512ifma")
  DLC_FEATURE("avx512bitalg", "avx512bitalg")
  DLC_FEATURE("avx512vpopcntdq", "avx512vpopcntdq")
  DLC_FEATURE("avxvnni", "avxvnni")
  DLC_FEATURE("gfni", "gfni")
  DLC_FEATURE("vaes", "vaes")
  DLC_FEATURE("vpclmulqdq", "vpclmulqdq")
#undef DLC_FEATURE
#endif
  return -1;
}

std::vector<std::string>
missingCpuFeatures(const std::string &llvmFeatures,
                   int (*hasFeature)(const std::string &)) {
  std::vector<std::string> missing;
  size_t start = 0;
  while (start < llvmFeatures.size()) {
    size_t end = llvmFeatures.find(',', start);
    if (end == std::string::npos)
      end = llvmFeatures.size();
    if (end > start + 1 && llvmFeatures[start] == '+') {
      std::string name = llvmFeatures.substr(start + 1, end - start - 1);
      if (hasFeature(name) == 0)
        missing.push_back(name);
    }
    start = end + 1;
  }
  return missing;
}

} // namespace runtime
} // namespace dlc
