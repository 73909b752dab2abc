//===- StepExecutor.cpp - runs a plan's train and eval steps --------------===//

#include "exec/StepExecutor.h"

#include <algorithm>
#include <chrono>
#include <cstdio>

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
                         exec->argStorage.data() + first, slices,
                         k->symbol()->c_str()});
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

void StepExecutor::runLaunches(std::vector<LaunchRecord> &launches,
                               int64_t &steps) {
  ++steps;
  if (!profiling) {
    for (LaunchRecord &launch : launches)
      pool.run(&runSlice, &launch, launch.slices);
    return;
  }
  using Clock = std::chrono::steady_clock;
  for (LaunchRecord &launch : launches) {
    Clock::time_point start = Clock::now();
    pool.run(&runSlice, &launch, launch.slices);
    launch.seconds += std::chrono::duration<double>(Clock::now() - start).count();
  }
}

std::string StepExecutor::stepReport(const char *step,
                                     const std::vector<LaunchRecord> &launches,
                                     int64_t steps) const {
  double total = 0;
  for (const LaunchRecord &l : launches)
    total += l.seconds;
  if (steps == 0 || total <= 0)
    return std::string();
  char line[256];
  std::snprintf(line, sizeof line,
                "%s: %lld steps, %zu launches per step, %.3f ms per step in "
                "kernels, %u threads\n",
                step, static_cast<long long>(steps), launches.size(),
                1e3 * total / steps, pool.size());
  std::string out = line;
  std::snprintf(line, sizeof line, "  %-44s %9s %9s %7s  %s\n", "kernel",
                "ms/step", "us/call", "share", "slices");
  out += line;
  for (const LaunchRecord &l : launches) {
    std::snprintf(line, sizeof line, "  %-44s %9.3f %9.1f %6.1f%%  %lld\n",
                  l.name, 1e3 * l.seconds / steps, 1e6 * l.seconds / steps,
                  100 * l.seconds / total, static_cast<long long>(l.slices));
    out += line;
  }
  return out;
}

std::string StepExecutor::profileReport() const {
  return stepReport("train_step", trainLaunches, trainSteps) +
         stepReport("eval_step", evalLaunches, evalSteps);
}

} // namespace runtime
} // namespace dlc
