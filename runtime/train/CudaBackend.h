//===- CudaBackend.h - steps replayed on an NVIDIA GPU ----------*- C++ -*-===//
//
// Runs a CUDA plan's phases with CudaExecutor. A training phase uploads the
// epoch's order and the hyper-parameters, zeroes the sums, replays the train
// step once per batch without waiting, and reads the sums back at the end.
// Evaluation replays the eval step once per batch of evalOrder (uploaded
// with the test set), setting valid_rows before each replay.
//
// Data sets are uploaded the first time a phase sees them and kept on the
// device; a later call with the same vectors (same address and size) reuses
// them, so a data set must not change while a trainer uses it. Parameters
// live on the device; parameterData is a host staging copy.
//
//===----------------------------------------------------------------------===//

#ifndef DLC_RUNTIME_TRAIN_CUDABACKEND_H
#define DLC_RUNTIME_TRAIN_CUDABACKEND_H

#include "exec/CudaExecutor.h"
#include "train/StepBackend.h"

#include <memory>
#include <string>
#include <vector>

namespace dlc {
namespace runtime {

class CudaBackend : public StepBackend {
public:
  /// A backend for CUDA plan `plan` (which must outlive it); one-line error
  /// on failure (no driver, no such device, the module does not load, ...).
  static std::unique_ptr<CudaBackend>
  create(const PlanFile &plan, const CudaExecutor::Options &options,
         std::string &error);

  float *parameterData(int32_t index) override { return staging[index].data(); }
  void pullParameters() override;
  void pushParameters() override;
  void zeroVelocities() override;

  PhaseTotals train(const IdxImages &images, const IdxLabels &labels,
                    const std::vector<int64_t> &order, int64_t steps,
                    const TrainConfig &config, StepListener *listener,
                    std::vector<float> *stepLosses) override;
  PhaseTotals evaluate(const IdxImages &images, const IdxLabels &labels,
                       StepListener *listener) override;

  const std::string &error() const override { return exec->error(); }
  std::string description() const override { return exec->description(); }

private:
  /// Which vectors a phase's device data came from.
  struct DataKey {
    const uint8_t *pixels = nullptr, *labels = nullptr;
    size_t pixelBytes = 0, labelBytes = 0;
    bool operator==(const DataKey &o) const {
      return pixels == o.pixels && labels == o.labels &&
             pixelBytes == o.pixelBytes && labelBytes == o.labelBytes;
    }
  };

  CudaBackend(const PlanFile &plan) : file(plan) {}
  bool useData(CudaExecutor::Phase phase, const IdxImages &images,
               const IdxLabels &labels);
  bool setHyper(const TrainConfig &config);

  const PlanFile &file;
  std::unique_ptr<CudaExecutor> exec;
  std::vector<std::vector<float>> staging; // per tensor; Parameters only
  DataKey uploaded[2];
};

} // namespace runtime
} // namespace dlc

#endif // DLC_RUNTIME_TRAIN_CUDABACKEND_H
