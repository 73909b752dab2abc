//===- StepExecutor.cpp - runs a plan's train and eval steps --------------===//

#include "exec/StepExecutor.h"

#include <algorithm>

namespace dlc {
namespace runtime {

std::unique_ptr<StepExecutor> StepExecutor::create(const PlanFile &file,
                                                   unsigned threads,
                                                   std::string &error) {
  const dlc::plan::Plan &plan = file.plan();
  threads = std::max(threads, 1u);
  std::unique_ptr<StepExecutor> exec(new StepExecutor(threads));
  if (!exec->memory.allocate(static_cast<size_t>(plan.memory_size()),
                             DLC_TENSOR_ALIGNMENT)) {
    error = file.name() + ": cannot allocate the memory block of " +
            std::to_string(plan.memory_size()) + " bytes";
    return nullptr;
  }
  for (const dlc::plan::Tensor *t : *plan.tensors())
    exec->offsets.push_back(t->offset());

  // Size the argument storage first so the pointers into it stay valid.
  size_t numArgs = 0;
  for (const dlc::plan::Step *step : {plan.train_step(), plan.eval_step()})
    for (const dlc::plan::Launch *l : *step->launches())
      numArgs += l->bindings() ? l->bindings()->size() : 0;
  exec->argStorage.reserve(numArgs);
  auto build = [&](const dlc::plan::Step *step,
                   std::vector<LaunchRecord> &records) {
    for (const dlc::plan::Launch *l : *step->launches()) {
      size_t first = exec->argStorage.size();
      if (l->bindings())
        for (int32_t t : *l->bindings())
          exec->argStorage.push_back(exec->tensorData(t));
      const dlc::plan::Kernel *k = plan.kernels()->Get(l->kernel());
      int64_t slices = std::min<int64_t>(k->workgroups(), threads);
      records.push_back({file.kernel(l->kernel()),
                         exec->argStorage.data() + first, slices});
    }
  };
  build(plan.train_step(), exec->trainLaunches);
  build(plan.eval_step(), exec->evalLaunches);
  return exec;
}

void StepExecutor::runSlice(void *context, int64_t slice, int64_t count) {
  const LaunchRecord *launch = static_cast<const LaunchRecord *>(context);
  launch->fn(launch->args, slice, count);
}

void StepExecutor::runLaunches(const std::vector<LaunchRecord> &launches) {
  for (const LaunchRecord &launch : launches)
    pool.run(&runSlice, const_cast<LaunchRecord *>(&launch), launch.slices);
}

} // namespace runtime
} // namespace dlc
