//===- Trainer.h - the training loop of dlrun -------------------*- C++ -*-===//
//
// One epoch = a seeded shuffle of the training examples, every full batch
// through train_step (the remainder that does not fill a batch is dropped),
// then the whole test set once through eval_step, its last partial batch
// padded and masked with valid_rows.
//
// Determinism: parameters come from ParamInit.h with (run seed, the
// initializer's seed); the shuffle of epoch e (1-based) uses
// std::mt19937_64(mixSeeds(mixSeeds(seed, ShuffleSeedTag), e)) and a
// Fisher-Yates pass with rejection-sampled bounded draws, so the order is
// the same with every standard library. Results do not depend on the
// thread count as long as the kernels' slices write disjoint outputs.
//
// Progress: with a callback set (setProgress), the loops read the clock every
// few steps (a stride adapted so that reads are milliseconds apart) and call
// it at most once per interval; without one they do no extra work.
//
//===----------------------------------------------------------------------===//

#ifndef DLC_RUNTIME_TRAIN_TRAINER_H
#define DLC_RUNTIME_TRAIN_TRAINER_H

#include "data/IdxReader.h"
#include "exec/StepExecutor.h"
#include "plan/PlanFile.h"
#include "train/ParamFile.h"

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace dlc {
namespace runtime {

/// Keeps the shuffle's random stream apart from parameter init streams.
constexpr uint64_t ShuffleSeedTag = 0x73687566666c6521ULL; // "shuffle!"

struct TrainConfig {
  double lr = 0.0;
  double weightDecay = 0.0;
  double momentum = 0.0;
  uint64_t seed = 0;
  int64_t limitTrain = 0; // use only the first N examples; 0: all
};

struct EpochResult {
  double loss = 0.0;          // mean over batches of the batch-mean loss
  double trainAccuracy = 0.0; // correct / examples seen
  double testLoss = 0.0;      // mean over test examples
  double testAccuracy = 0.0;  // correct / test examples
  double seconds = 0.0;       // wall time of training + evaluation
  double trainSeconds = 0.0;  // wall time of the training steps alone
  int64_t batches = 0;
  int64_t examples = 0; // trained examples: batches x batch

  /// Trained examples per second of training (evaluation excluded).
  double examplesPerSecond() const {
    return trainSeconds > 0 ? static_cast<double>(examples) / trainSeconds
                            : 0.0;
  }
};

/// Where an epoch stands, handed to the progress callback.
struct StepProgress {
  enum Phase { Train, Eval } phase = Train;
  int64_t done = 0;  // steps (batches) of this phase done
  int64_t total = 0; // steps of this phase
  int64_t examples = 0;       // examples through the steps done
  double phaseSeconds = 0.0;  // since this phase started
  double epochSeconds = 0.0;  // since the epoch started
  double runningLoss = 0.0;   // Train: mean batch loss so far
};
using ProgressCallback = std::function<void(const StepProgress &)>;

/// The order in which epoch `epoch` visits examples [0, count).
std::vector<int64_t> shuffledOrder(int64_t count, uint64_t seed,
                                   int64_t epoch);

class Trainer {
public:
  /// A trainer for `plan` (which must outlive it) on `threads` threads.
  static std::unique_ptr<Trainer> create(const PlanFile &plan,
                                         unsigned threads, std::string &error);

  /// Sets every parameter from its initializer with run seed `seed` and
  /// zeroes the velocities.
  void initParameters(uint64_t seed);
  /// The plan's parameters, in tensor order, pointing into the memory block.
  std::vector<ParamTensor> parameters() const;
  /// Zeroes the velocities (after loading saved parameters).
  void resetVelocities();

  /// Checks `config` against the plan (momentum needs momentum state, finite
  /// hyper-parameters).
  bool checkConfig(const TrainConfig &config, std::string &error) const;
  /// Checks `data` (read from `dataName`) against the plan's input contract
  /// and `limitTrain`.
  bool checkData(const Dataset &data, const std::string &dataName,
                 int64_t limitTrain, std::string &error) const;

  /// Runs epoch `epoch` (1-based) on data that passed checkData.
  EpochResult runEpoch(const Dataset &data, int64_t epoch,
                       const TrainConfig &config);
  /// Evaluates the whole test set once; returns (summed loss, correct).
  void evaluate(const IdxImages &images, const IdxLabels &labels,
                double &lossSum, int64_t &correct);

  /// Calls `callback` during runEpoch/evaluate, at most once per
  /// `intervalSeconds` (the clock is read only every few steps, so a fast
  /// step costs nothing extra). An empty callback turns progress off.
  void setProgress(ProgressCallback callback, double intervalSeconds = 0.1);

  StepExecutor &executor() { return *exec; }

private:
  Trainer(const PlanFile &plan) : file(plan) {}
  void loadBatch(const IdxImages &images, const IdxLabels &labels,
                 const int64_t *indices);
  void setHyper(const TrainConfig &config);
  /// The evaluation loop of evaluate and runEpoch.
  void evaluateSteps(const IdxImages &images, const IdxLabels &labels,
                     double &lossSum, int64_t &correct);
  /// After a step of the current phase: reports progress if it is time.
  void stepDone(StepProgress &progress);

  const PlanFile &file;
  std::unique_ptr<StepExecutor> exec;
  std::vector<int64_t> batchIndices;

  using Clock = std::chrono::steady_clock;
  ProgressCallback progress;
  double progressInterval = 0.1;
  Clock::time_point epochStart, phaseStart, lastReport, lastCheck;
  int64_t checkStride = 1, untilCheck = 1;
};

} // namespace runtime
} // namespace dlc

#endif // DLC_RUNTIME_TRAIN_TRAINER_H
