//===- ParamInit.h - deterministic parameter initialisation -----*- C++ -*-===//
//
// Header-only, dependency-free (plain C++17, no LLVM/MLIR): shared by the
// compiler's reference executor and the dlrun runtime so that both produce
// bit-identical initial parameters for the same (seed, param seed).
//
// The algorithm is part of the contract; change it only together with every
// user (and the golden values in tests/unit/ReferenceExecutorTest.cpp):
//
//   mixing: state = seed; h = splitmix64(state);
//           state = h ^ paramSeed; mixed = splitmix64(state)
//   rng:    std::mt19937_64(mixed) (its output is fixed by the C++ standard)
//   u01():  (rng() >> 11) * 2^-53, in [0, 1) with 53 random bits
//   normal: sqrt(-2 ln(1 - u01())) * cos(2 pi u01()) (Box-Muller; the two
//           draws are taken in that order and the sine half is discarded)
//
// Element i (row-major order) consumes one u01() for uniform kinds and two for
// normal kinds; zeros consume nothing. Values are computed in double and
// rounded to float once, at the end:
//
//   zeros              0
//   normal<mean, std>  mean + std * normal
//   uniform<low, high> low + (high - low) * u01()
//   glorot_uniform     -a + 2a * u01(), a = sqrt(6 / (fan_in + fan_out))
//   glorot_normal      sqrt(2 / (fan_in + fan_out)) * normal
//
// Fans: rank 2 (dense weight [in, out]) -> (in, out); rank >= 3 (conv filter
// [F, C, kh, kw, ...]) -> (C * r, F * r) with r the product of the remaining
// dims; rank 1 [n] -> (n, n); rank 0 -> (1, 1).
//
//===----------------------------------------------------------------------===//

#ifndef DLC_RUNTIME_INIT_PARAMINIT_H
#define DLC_RUNTIME_INIT_PARAMINIT_H

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <random>
#include <vector>

namespace dlc {
namespace runtime {

enum class InitKind { Zeros, Normal, Uniform, GlorotUniform, GlorotNormal };

/// An initializer: `a`, `b` are (mean, std) for Normal, (low, high) for
/// Uniform, unused otherwise.
struct InitSpec {
  InitKind kind = InitKind::Zeros;
  double a = 0.0;
  double b = 0.0;
};

/// One step of the splitmix64 generator (Steele, Lea, Flood 2014).
inline uint64_t splitmix64(uint64_t &state) {
  state += 0x9E3779B97F4A7C15ULL;
  uint64_t z = state;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

/// The mt19937_64 seed for one parameter: run seed and parameter seed mixed
/// so that neither nearby run seeds nor nearby parameter seeds correlate.
inline uint64_t mixSeeds(uint64_t seed, uint64_t paramSeed) {
  uint64_t state = seed;
  uint64_t h = splitmix64(state);
  state = h ^ paramSeed;
  return splitmix64(state);
}

/// Uniform in [0, 1) from the top 53 bits of one draw.
inline double uniform01(std::mt19937_64 &rng) {
  return static_cast<double>(rng() >> 11) * (1.0 / 9007199254740992.0);
}

/// Standard normal by Box-Muller; consumes exactly two draws.
inline double standardNormal(std::mt19937_64 &rng) {
  const double twoPi = 6.283185307179586476925286766559;
  double u1 = 1.0 - uniform01(rng); // (0, 1]: log is finite
  double u2 = uniform01(rng);
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(twoPi * u2);
}

/// fan_in and fan_out of a parameter of the given shape (see the file header).
inline void computeFans(const int64_t *shape, size_t rank, double *fanIn,
                        double *fanOut) {
  if (rank == 0) {
    *fanIn = *fanOut = 1.0;
  } else if (rank == 1) {
    *fanIn = *fanOut = static_cast<double>(shape[0]);
  } else if (rank == 2) {
    *fanIn = static_cast<double>(shape[0]);
    *fanOut = static_cast<double>(shape[1]);
  } else {
    double receptive = 1.0;
    for (size_t i = 2; i < rank; ++i)
      receptive *= static_cast<double>(shape[i]);
    *fanIn = static_cast<double>(shape[1]) * receptive;
    *fanOut = static_cast<double>(shape[0]) * receptive;
  }
}

/// Fills `out` (the product of `shape` floats, row-major) with the initial
/// value of a parameter.
inline void initParam(const InitSpec &spec, const int64_t *shape, size_t rank,
                      uint64_t seed, uint64_t paramSeed, float *out) {
  size_t count = 1;
  for (size_t i = 0; i < rank; ++i)
    count *= static_cast<size_t>(shape[i]);
  if (spec.kind == InitKind::Zeros) {
    for (size_t i = 0; i < count; ++i)
      out[i] = 0.0f;
    return;
  }
  double fanIn = 1.0, fanOut = 1.0;
  computeFans(shape, rank, &fanIn, &fanOut);
  std::mt19937_64 rng(mixSeeds(seed, paramSeed));
  for (size_t i = 0; i < count; ++i) {
    double value = 0.0;
    switch (spec.kind) {
    case InitKind::Zeros:
      break;
    case InitKind::Normal:
      value = spec.a + spec.b * standardNormal(rng);
      break;
    case InitKind::Uniform:
      value = spec.a + (spec.b - spec.a) * uniform01(rng);
      break;
    case InitKind::GlorotUniform: {
      double limit = std::sqrt(6.0 / (fanIn + fanOut));
      value = -limit + 2.0 * limit * uniform01(rng);
      break;
    }
    case InitKind::GlorotNormal:
      value = std::sqrt(2.0 / (fanIn + fanOut)) * standardNormal(rng);
      break;
    }
    out[i] = static_cast<float>(value);
  }
}

/// Convenience overload returning a vector.
inline std::vector<float> initParam(const InitSpec &spec,
                                    const std::vector<int64_t> &shape,
                                    uint64_t seed, uint64_t paramSeed) {
  size_t count = 1;
  for (int64_t d : shape)
    count *= static_cast<size_t>(d);
  std::vector<float> out(count);
  initParam(spec, shape.data(), shape.size(), seed, paramSeed, out.data());
  return out;
}

} // namespace runtime
} // namespace dlc

#endif // DLC_RUNTIME_INIT_PARAMINIT_H
