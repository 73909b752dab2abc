//===- TestRng.h - seeded random tensors for the tests ----------*- C++ -*-===//
//
// A fresh seed per test, or DLC_TEST_SEED=<n> to replay a failure; tests
// print the seed with SCOPED_TRACE(rng.trace()).
//
//===----------------------------------------------------------------------===//

#ifndef DLC_TESTS_UNIT_TESTRNG_H
#define DLC_TESTS_UNIT_TESTRNG_H

#include "dlc/Reference/ReferenceExecutor.h"

#include <cstdint>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

namespace dlc::test {

/// DLC_TEST_SEED if set, else a fresh seed from std::random_device.
inline uint64_t freshSeed() {
  if (const char *env = std::getenv("DLC_TEST_SEED"))
    return std::strtoull(env, nullptr, 10);
  std::random_device device;
  return (uint64_t(device()) << 32) ^ device();
}

struct Rng {
  uint64_t seed = freshSeed();
  std::mt19937_64 engine{seed};

  std::string trace() const {
    return "random seed " + std::to_string(seed) +
           " (replay with DLC_TEST_SEED=" + std::to_string(seed) + ")";
  }
  double uniform(double low = -1.0, double high = 1.0) {
    return std::uniform_real_distribution<double>(low, high)(engine);
  }
  int64_t integer(int64_t low, int64_t high) { // inclusive
    return std::uniform_int_distribution<int64_t>(low, high)(engine);
  }
  reference::Tensor tensor(const std::vector<int64_t> &shape,
                           double low = -1.0, double high = 1.0) {
    reference::Tensor t{shape, {}};
    t.data.resize(size_t(t.numElements()));
    for (double &v : t.data)
      v = uniform(low, high);
    return t;
  }
  reference::Tensor labels(int64_t n, int64_t classes) {
    reference::Tensor t{{n}, {}};
    for (int64_t i = 0; i < n; ++i)
      t.data.push_back(double(integer(0, classes - 1)));
    return t;
  }
};

} // namespace dlc::test

#endif // DLC_TESTS_UNIT_TESTRNG_H
