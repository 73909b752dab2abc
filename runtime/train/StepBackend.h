//===- StepBackend.h - what runs a plan's steps for the Trainer -*- C++ -*-===//
//
// The Trainer owns the epoch (shuffle, batch count, metrics, progress); a
// backend owns the plan's memory and runs whole phases on it: every train
// step of an epoch over a given order, or the test set once. CpuBackend
// runs steps one by one on the host's memory block; CudaBackend replays
// them on a GPU and reads back only the phase's sums.
//
//===----------------------------------------------------------------------===//

#ifndef DLC_RUNTIME_TRAIN_STEPBACKEND_H
#define DLC_RUNTIME_TRAIN_STEPBACKEND_H

#include "data/IdxReader.h"

#include <cstdint>
#include <string>
#include <vector>

namespace dlc {
namespace runtime {

struct TrainConfig {
  double lr = 0.0;
  double weightDecay = 0.0;
  double momentum = 0.0;
  uint64_t seed = 0;
  int64_t limitTrain = 0; // use only the first N examples; 0: all
};

/// What a phase adds up: per-step losses (train: batch means; eval: sums
/// over valid rows) and correct predictions.
struct PhaseTotals {
  double lossSum = 0.0;
  int64_t correct = 0;
};

/// Told about steps as a backend completes them.
class StepListener {
public:
  virtual ~StepListener() = default;
  /// `done` steps of the current phase have run, over `examples` examples,
  /// their losses summing to `lossSum`. Called after each step.
  virtual void stepDone(int64_t done, int64_t examples, double lossSum) = 0;
  /// The same, once at the end of a phase, from a backend that does not
  /// wait for single steps.
  virtual void phaseDone(int64_t done, int64_t examples, double lossSum) = 0;
};

class StepBackend {
public:
  virtual ~StepBackend() = default;

  /// The host copy of f32 Parameter tensor `index`: the tensor itself on the
  /// CPU, a staging copy that pull/pushParameters move on a GPU.
  virtual float *parameterData(int32_t index) = 0;
  /// Makes parameterData hold the parameters being trained.
  virtual void pullParameters() = 0;
  /// Makes the values in parameterData the parameters being trained.
  virtual void pushParameters() = 0;
  virtual void zeroVelocities() = 0;

  /// Runs `steps` train steps, step b on examples order[b*batch ..
  /// (b+1)*batch) of `images`/`labels`, with `config`'s hyper-parameters.
  /// `listener` (may be null) hears of completed steps: after each one on the
  /// CPU (stepDone), once at the end on a GPU (phaseDone). `stepLosses`,
  /// when not null, receives each step's loss (a GPU then waits for every
  /// step).
  virtual PhaseTotals train(const IdxImages &images, const IdxLabels &labels,
                            const std::vector<int64_t> &order, int64_t steps,
                            const TrainConfig &config, StepListener *listener,
                            std::vector<float> *stepLosses) = 0;
  /// Runs eval_step over every example once (evalOrder's batches).
  virtual PhaseTotals evaluate(const IdxImages &images, const IdxLabels &labels,
                               StepListener *listener) = 0;

  /// The first failure, one line; empty while everything succeeded (always
  /// on the CPU). After a failure, results are meaningless.
  virtual const std::string &error() const = 0;
  /// What runs the steps, for the user ("device 0: ..."); empty on the CPU.
  virtual std::string description() const = 0;
  /// Per-kernel times of the steps run so far, when the backend was created
  /// with profiling (CPU plans); empty otherwise.
  virtual std::string profileReport() const { return std::string(); }
};

} // namespace runtime
} // namespace dlc

#endif // DLC_RUNTIME_TRAIN_STEPBACKEND_H
