//===- BatchOrder.cpp - which examples each step sees ---------------------===//

#include "train/BatchOrder.h"

#include "init/ParamInit.h"

#include <algorithm>
#include <random>

namespace dlc {
namespace runtime {

namespace {
// Uniform in [0, bound) by rejection, so it does not depend on the standard
// library's distribution implementation.
uint64_t drawBelow(std::mt19937_64 &rng, uint64_t bound) {
  uint64_t threshold = (0 - bound) % bound; // 2^64 mod bound
  for (;;) {
    uint64_t r = rng();
    if (r >= threshold)
      return r % bound;
  }
}
} // namespace

std::vector<int64_t> shuffledOrder(int64_t count, uint64_t seed,
                                   int64_t epoch) {
  std::vector<int64_t> order(count);
  for (int64_t i = 0; i < count; ++i)
    order[i] = i;
  std::mt19937_64 rng(
      mixSeeds(mixSeeds(seed, ShuffleSeedTag), static_cast<uint64_t>(epoch)));
  for (int64_t i = count - 1; i > 0; --i)
    std::swap(order[i], order[drawBelow(rng, static_cast<uint64_t>(i) + 1)]);
  return order;
}

std::vector<int64_t> evalOrder(int64_t count, int64_t batch) {
  std::vector<int64_t> order;
  order.reserve(static_cast<size_t>((count + batch - 1) / batch * batch));
  for (int64_t start = 0; start < count; start += batch) {
    int64_t rows = std::min(batch, count - start);
    for (int64_t i = 0; i < batch; ++i)
      order.push_back(start + (i < rows ? i : 0));
  }
  return order;
}

} // namespace runtime
} // namespace dlc
