//===- CudaBackend.cpp - steps replayed on an NVIDIA GPU ------------------===//

#include "train/CudaBackend.h"

#include "train/BatchOrder.h"

#include <cstring>

namespace dlc {
namespace runtime {

using namespace dlc::plan;

namespace {
uint32_t bitsOf(float value) {
  uint32_t bits;
  std::memcpy(&bits, &value, sizeof bits);
  return bits;
}

std::vector<int32_t> toInt32(const std::vector<int64_t> &order) {
  return std::vector<int32_t>(order.begin(), order.end());
}
} // namespace

std::unique_ptr<CudaBackend>
CudaBackend::create(const PlanFile &plan, const CudaExecutor::Options &options,
                    std::string &error) {
  std::unique_ptr<CudaBackend> backend(new CudaBackend(plan));
  backend->exec = CudaExecutor::create(plan, options, error);
  if (!backend->exec)
    return nullptr;
  const Plan &p = plan.plan();
  backend->staging.resize(p.tensors()->size());
  for (int32_t i = 0; i < static_cast<int32_t>(p.tensors()->size()); ++i) {
    const Tensor *t = p.tensors()->Get(i);
    if (t->role() == Role::Parameter)
      backend->staging[i].resize(static_cast<size_t>(t->size()) / 4);
  }
  return backend;
}

void CudaBackend::pullParameters() {
  for (int32_t i = 0; i < static_cast<int32_t>(staging.size()); ++i)
    if (!staging[i].empty() && !exec->readTensor(i, staging[i].data()))
      return;
}

void CudaBackend::pushParameters() {
  for (int32_t i = 0; i < static_cast<int32_t>(staging.size()); ++i)
    if (!staging[i].empty() && !exec->writeTensor(i, staging[i].data()))
      return;
}

void CudaBackend::zeroVelocities() {
  const Plan &plan = file.plan();
  for (int32_t i = 0; i < static_cast<int32_t>(plan.tensors()->size()); ++i)
    if (plan.tensors()->Get(i)->role() == Role::Velocity &&
        !exec->zeroTensor(i))
      return;
}

bool CudaBackend::useData(CudaExecutor::Phase phase, const IdxImages &images,
                          const IdxLabels &labels) {
  DataKey key{images.pixels.data(), labels.labels.data(), images.pixels.size(),
              labels.labels.size()};
  if (key == uploaded[phase] && exec->error().empty())
    return true;
  uploaded[phase] = DataKey();
  if (!exec->setData(phase, images.pixels.data(), labels.labels.data(),
                     images.count))
    return false;
  // Evaluation always walks the whole test set in the same batches.
  if (phase == CudaExecutor::Eval &&
      !exec->setOrder(phase,
                      toInt32(evalOrder(images.count, file.plan().batch()))))
    return false;
  uploaded[phase] = key;
  return true;
}

bool CudaBackend::setHyper(const TrainConfig &config) {
  const Plan &plan = file.plan();
  return exec->setScalar(plan.lr(), bitsOf(static_cast<float>(config.lr))) &&
         exec->setScalar(plan.weight_decay(),
                         bitsOf(static_cast<float>(config.weightDecay))) &&
         (plan.momentum() < 0 ||
          exec->setScalar(plan.momentum(),
                          bitsOf(static_cast<float>(config.momentum)))) &&
         exec->setScalar(plan.valid_rows(),
                         static_cast<uint32_t>(plan.batch()));
}

PhaseTotals CudaBackend::train(const IdxImages &images, const IdxLabels &labels,
                               const std::vector<int64_t> &order, int64_t steps,
                               const TrainConfig &config,
                               StepListener *listener,
                               std::vector<float> *stepLosses) {
  const Plan &plan = file.plan();
  PhaseTotals totals;
  if (!useData(CudaExecutor::Train, images, labels) ||
      !exec->setOrder(CudaExecutor::Train, toInt32(order)) ||
      !setHyper(config) || !exec->resetSums())
    return totals;
  // Each step's loss is read after it; otherwise the executor may run
  // several steps as one graph.
  for (int64_t b = 0; stepLosses && b < steps; ++b) {
    float loss = 0.0f;
    if (!exec->runStep(CudaExecutor::Train) ||
        !exec->readTensor(plan.train_loss(), &loss))
      return totals;
    stepLosses->push_back(loss);
  }
  if (!stepLosses && !exec->runSteps(CudaExecutor::Train, steps))
    return totals;
  if (exec->readSums(totals.lossSum, totals.correct) && listener && steps > 0)
    listener->phaseDone(steps, steps * plan.batch(), totals.lossSum);
  return totals;
}

PhaseTotals CudaBackend::evaluate(const IdxImages &images,
                                  const IdxLabels &labels,
                                  StepListener *listener) {
  const Plan &plan = file.plan();
  int64_t batch = plan.batch();
  PhaseTotals totals;
  if (!useData(CudaExecutor::Eval, images, labels) || !exec->resetSums())
    return totals;
  // Whole batches (several a graph, as the executor chooses), then the
  // partial one with its valid rows.
  int64_t full = images.count / batch, rest = images.count % batch;
  int64_t done = full + (rest > 0);
  if ((full > 0 &&
       (!exec->setScalar(plan.valid_rows(), static_cast<uint32_t>(batch)) ||
        !exec->runSteps(CudaExecutor::Eval, full))) ||
      (rest > 0 &&
       (!exec->setScalar(plan.valid_rows(), static_cast<uint32_t>(rest)) ||
        !exec->runStep(CudaExecutor::Eval))))
    return totals;
  if (exec->readSums(totals.lossSum, totals.correct) && listener && done > 0)
    listener->phaseDone(done, images.count, totals.lossSum);
  return totals;
}

} // namespace runtime
} // namespace dlc
