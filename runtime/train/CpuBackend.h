//===- CpuBackend.h - steps on the host's threads ---------------*- C++ -*-===//
//
// Runs a CPU plan's steps with StepExecutor, one at a time: each train step
// gathers its batch into the image and label tensors, rewrites the
// hyper-parameter slots (nothing guarantees a kernel leaves them alone) and
// reads the step's metrics back from the memory block.
//
//===----------------------------------------------------------------------===//

#ifndef DLC_RUNTIME_TRAIN_CPUBACKEND_H
#define DLC_RUNTIME_TRAIN_CPUBACKEND_H

#include "exec/StepExecutor.h"
#include "plan/PlanFile.h"
#include "train/StepBackend.h"

#include <memory>
#include <string>

namespace dlc {
namespace runtime {

class CpuBackend : public StepBackend {
public:
  /// A backend for CPU plan `plan` (which must outlive it) on `threads`
  /// threads.
  static std::unique_ptr<CpuBackend>
  create(const PlanFile &plan, unsigned threads, bool profile,
         std::string &error);

  float *parameterData(int32_t index) override {
    return exec->tensor<float>(index);
  }
  void pullParameters() override {}
  void pushParameters() override {}
  void zeroVelocities() override;

  PhaseTotals train(const IdxImages &images, const IdxLabels &labels,
                    const std::vector<int64_t> &order, int64_t steps,
                    const TrainConfig &config, StepListener *listener,
                    std::vector<float> *stepLosses) override;
  PhaseTotals evaluate(const IdxImages &images, const IdxLabels &labels,
                       StepListener *listener) override;

  const std::string &error() const override { return noError; }
  std::string description() const override { return std::string(); }
  std::string profileReport() const override;

private:
  CpuBackend(const PlanFile &plan) : file(plan) {}
  void loadBatch(const IdxImages &images, const IdxLabels &labels,
                 const int64_t *indices);
  void setHyper(const TrainConfig &config);

  const PlanFile &file;
  std::unique_ptr<StepExecutor> exec;
  std::string noError;
  // With profiling: time spent loading batches (gather, labels).
  double loadSeconds = 0;
  int64_t loads = 0;
};

} // namespace runtime
} // namespace dlc

#endif // DLC_RUNTIME_TRAIN_CPUBACKEND_H
