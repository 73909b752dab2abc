//===- BatchOrder.h - which examples each step sees -------------*- C++ -*-===//
//
// Shared by every backend so that a CPU and a CUDA run see the same batches:
// the seeded shuffle of an epoch's training examples, and the test set in
// order with its last partial batch padded.
//
// The shuffle of epoch e (1-based) uses
// std::mt19937_64(mixSeeds(mixSeeds(seed, ShuffleSeedTag), e)) and a
// Fisher-Yates pass with rejection-sampled bounded draws, so the order is
// the same with every standard library.
//
//===----------------------------------------------------------------------===//

#ifndef DLC_RUNTIME_TRAIN_BATCHORDER_H
#define DLC_RUNTIME_TRAIN_BATCHORDER_H

#include <cstdint>
#include <vector>

namespace dlc {
namespace runtime {

/// Keeps the shuffle's random stream apart from parameter init streams.
constexpr uint64_t ShuffleSeedTag = 0x73687566666c6521ULL; // "shuffle!"

/// The order in which epoch `epoch` visits examples [0, count).
std::vector<int64_t> shuffledOrder(int64_t count, uint64_t seed, int64_t epoch);

/// Examples [0, count) in order, in ceil(count / batch) batches of `batch`:
/// the padding rows of the last batch repeat that batch's first example
/// (valid_rows masks them out).
std::vector<int64_t> evalOrder(int64_t count, int64_t batch);

} // namespace runtime
} // namespace dlc

#endif // DLC_RUNTIME_TRAIN_BATCHORDER_H
