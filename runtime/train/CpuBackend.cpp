//===- CpuBackend.cpp - steps on the host's threads -----------------------===//

#include "train/CpuBackend.h"

#include "train/BatchOrder.h"

#include <chrono>
#include <cstdio>
#include <cstring>

namespace dlc {
namespace runtime {

using namespace dlc::plan;

std::unique_ptr<CpuBackend>
CpuBackend::create(const PlanFile &plan, unsigned threads, bool profile,
                   std::string &error) {
  std::unique_ptr<CpuBackend> backend(new CpuBackend(plan));
  backend->exec = StepExecutor::create(plan, threads, error);
  if (!backend->exec)
    return nullptr;
  if (profile)
    backend->exec->enableProfiling();
  return backend;
}

void CpuBackend::zeroVelocities() {
  const Plan &plan = file.plan();
  for (int32_t i = 0; i < static_cast<int32_t>(plan.tensors()->size()); ++i) {
    const Tensor *t = plan.tensors()->Get(i);
    if (t->role() == Role::Velocity)
      std::memset(exec->tensorData(i), 0, static_cast<size_t>(t->size()));
  }
}

void CpuBackend::loadBatch(const IdxImages &images, const IdxLabels &labels,
                           const int64_t *indices) {
  using Clock = std::chrono::steady_clock;
  Clock::time_point start;
  bool profiling = exec->isProfiling();
  if (profiling)
    start = Clock::now();
  const Plan &plan = file.plan();
  int64_t batch = plan.batch();
  // The images are split over the step's threads, which wait for it.
  struct Gather {
    const IdxImages *images;
    const int64_t *indices;
    int64_t batch;
    float *dst;
  } gather = {&images, indices, batch, exec->tensor<float>(plan.image())};
  auto slice = [](void *context, int64_t id, int64_t count) {
    const Gather &g = *static_cast<const Gather *>(context);
    int64_t lo = g.batch * id / count, hi = g.batch * (id + 1) / count;
    gatherImages(*g.images, g.indices + lo, hi - lo,
                 g.dst + lo * g.images->rows * g.images->cols);
  };
  exec->runOnThreads(slice, &gather,
                     std::min<int64_t>(exec->threads(), batch / 32 + 1));
  int32_t *dst = exec->tensor<int32_t>(plan.label());
  for (int64_t i = 0; i < batch; ++i)
    dst[i] = static_cast<int32_t>(labels.labels[indices[i]]);
  if (profiling) {
    loadSeconds +=
        std::chrono::duration<double>(Clock::now() - start).count();
    ++loads;
  }
}

std::string CpuBackend::profileReport() const {
  std::string out = exec->profileReport();
  if (loads > 0) {
    char line[160];
    std::snprintf(line, sizeof line,
                  "batch loading (gather and convert images, labels): %.3f "
                  "ms per step\n",
                  1e3 * loadSeconds / static_cast<double>(loads));
    out += line;
  }
  return out;
}

void CpuBackend::setHyper(const TrainConfig &config) {
  const Plan &plan = file.plan();
  *exec->tensor<float>(plan.lr()) = static_cast<float>(config.lr);
  *exec->tensor<float>(plan.weight_decay()) =
      static_cast<float>(config.weightDecay);
  if (plan.momentum() >= 0)
    *exec->tensor<float>(plan.momentum()) = static_cast<float>(config.momentum);
  *exec->tensor<int32_t>(plan.valid_rows()) =
      static_cast<int32_t>(plan.batch());
}

PhaseTotals CpuBackend::train(const IdxImages &images, const IdxLabels &labels,
                              const std::vector<int64_t> &order, int64_t steps,
                              const TrainConfig &config, StepListener *listener,
                              std::vector<float> *stepLosses) {
  const Plan &plan = file.plan();
  int64_t batch = plan.batch();
  PhaseTotals totals;
  for (int64_t b = 0; b < steps; ++b) {
    loadBatch(images, labels, order.data() + b * batch);
    // Hyper slots are rewritten each step: nothing guarantees a kernel
    // leaves them alone.
    setHyper(config);
    exec->runTrainStep();
    float loss = *exec->tensor<float>(plan.train_loss());
    totals.lossSum += loss;
    totals.correct += *exec->tensor<int32_t>(plan.train_correct());
    if (stepLosses)
      stepLosses->push_back(loss);
    if (listener)
      listener->stepDone(b + 1, (b + 1) * batch, totals.lossSum);
  }
  return totals;
}

PhaseTotals CpuBackend::evaluate(const IdxImages &images,
                                 const IdxLabels &labels,
                                 StepListener *listener) {
  const Plan &plan = file.plan();
  int64_t batch = plan.batch();
  std::vector<int64_t> order = evalOrder(images.count, batch);
  PhaseTotals totals;
  int64_t done = 0;
  for (int64_t start = 0; start < images.count; start += batch) {
    int64_t rows = std::min(batch, images.count - start);
    loadBatch(images, labels, order.data() + start);
    *exec->tensor<int32_t>(plan.valid_rows()) = static_cast<int32_t>(rows);
    exec->runEvalStep();
    totals.lossSum += *exec->tensor<float>(plan.eval_loss());
    totals.correct += *exec->tensor<int32_t>(plan.eval_correct());
    if (listener)
      listener->stepDone(++done, start + rows, totals.lossSum);
  }
  return totals;
}

} // namespace runtime
} // namespace dlc
