//===- Trainer.h - the training loop of dlrun -------------------*- C++ -*-===//
//
// One epoch = a seeded shuffle of the training examples (BatchOrder.h),
// every full batch through train_step (the remainder that does not fill a
// batch is dropped), then the whole test set once through eval_step, its
// last partial batch padded and masked with valid_rows.
//
// The steps run on a StepBackend chosen by the plan's target: CpuBackend
// (host threads) or CudaBackend (an NVIDIA GPU), so both see the same
// batches and report the same fields.
//
// Determinism: parameters come from ParamInit.h with (run seed, the
// initializer's seed), computed on the host for either target. Results do
// not depend on the thread count as long as the kernels' slices write
// disjoint outputs.
//
// Progress: with a callback set (setProgress), the loops read the clock every
// few steps (a stride adapted so that reads are milliseconds apart) and call
// it at most once per interval; without one they do no extra work. A GPU
// reports a phase only when it ends.
//
// Errors: a CPU run cannot fail once created; a GPU can fail at any call.
// The first failure is kept (error()) and makes later results meaningless,
// so callers check it after each call that runs steps or moves parameters.
//
//===----------------------------------------------------------------------===//

#ifndef DLC_RUNTIME_TRAIN_TRAINER_H
#define DLC_RUNTIME_TRAIN_TRAINER_H

#include "data/IdxReader.h"
#include "plan/PlanFile.h"
#include "train/BatchOrder.h"
#include "train/ParamFile.h"
#include "train/StepBackend.h"

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace dlc {
namespace runtime {

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

/// How to run a plan: the CPU's threads, or which GPU.
struct ExecutionOptions {
  unsigned threads = 1;   // CPU plans: threads running kernels (>= 1)
  int device = 0;         // CUDA plans: device ordinal
  std::string cudaDriver; // CUDA plans: the driver library; empty: default
  bool profile = false;   // CPU plans: time every kernel launch
};

class Trainer : private StepListener {
public:
  /// A trainer for `plan` (which must outlive it). A CPU plan runs on
  /// `options.threads` threads; a CUDA plan on GPU `options.device`, which
  /// needs the NVIDIA driver. Null with a one-line error on failure.
  static std::unique_ptr<Trainer> create(const PlanFile &plan,
                                         const ExecutionOptions &options,
                                         std::string &error);
  /// The same with default options and `threads` threads.
  static std::unique_ptr<Trainer> create(const PlanFile &plan,
                                         unsigned threads, std::string &error);

  /// Sets every parameter from its initializer with run seed `seed` and
  /// zeroes the velocities.
  void initParameters(uint64_t seed);
  /// The plan's parameters, in tensor order. On the CPU they point into the
  /// memory block; on a GPU into a host copy read back now, whose changes
  /// take effect with storeParameters.
  std::vector<ParamTensor> parameters();
  /// Makes changes to what parameters() returned the trained parameters
  /// (after loading saved ones). Nothing to do on the CPU.
  void storeParameters();
  /// Zeroes the velocities (after loading saved parameters).
  void resetVelocities();

  /// Checks `config` against the plan (momentum needs momentum state, finite
  /// hyper-parameters).
  bool checkConfig(const TrainConfig &config, std::string &error) const;
  /// Checks `data` (read from `dataName`) against the plan's input contract
  /// and `limitTrain`.
  bool checkData(const Dataset &data, const std::string &dataName,
                 int64_t limitTrain, std::string &error) const;
  /// Full batches an epoch trains on `data` with `limitTrain`.
  int64_t batchesPerEpoch(const Dataset &data, int64_t limitTrain) const;

  /// Runs epoch `epoch` (1-based) on data that passed checkData.
  EpochResult runEpoch(const Dataset &data, int64_t epoch,
                       const TrainConfig &config);
  /// Evaluates the whole test set once; returns (summed loss, correct).
  void evaluate(const IdxImages &images, const IdxLabels &labels,
                double &lossSum, int64_t &correct);
  /// Runs the first `steps` train steps of epoch 1 (at most an epoch's) and
  /// returns each one's loss: the same batches and parameters on any target,
  /// for comparing them.
  std::vector<float> stepLosses(const Dataset &data, int64_t steps,
                                const TrainConfig &config);

  /// Calls `callback` during runEpoch/evaluate, at most once per
  /// `intervalSeconds` (the clock is read only every few steps, so a fast
  /// step costs nothing extra). An empty callback turns progress off.
  void setProgress(ProgressCallback callback, double intervalSeconds = 0.1);

  /// The first failure (one line), or empty.
  const std::string &error() const { return backend->error(); }
  /// What runs the steps ("device 0: ..."), or empty for the CPU.
  std::string deviceDescription() const { return backend->description(); }
  /// Per-kernel times when created with ExecutionOptions::profile.
  std::string profileReport() const { return backend->profileReport(); }

private:
  Trainer(const PlanFile &plan) : file(plan) {}
  /// StepListener: a step of the current phase is done.
  void stepDone(int64_t done, int64_t examples, double lossSum) override;
  /// StepListener: the whole phase is done; reported whatever the stride.
  void phaseDone(int64_t done, int64_t examples, double lossSum) override;
  /// Starts reporting `phase` of `total` steps.
  void startPhase(StepProgress::Phase phase, int64_t total);
  /// Reports progress if it is time.
  void report(StepProgress &progress);
  StepListener *listener() { return progress ? this : nullptr; }

  const PlanFile &file;
  std::unique_ptr<StepBackend> backend;

  using Clock = std::chrono::steady_clock;
  ProgressCallback progress;
  double progressInterval = 0.1;
  StepProgress current;
  Clock::time_point epochStart, phaseStart, lastReport, lastCheck;
  int64_t checkStride = 1, untilCheck = 1;
};

} // namespace runtime
} // namespace dlc

#endif // DLC_RUNTIME_TRAIN_TRAINER_H
