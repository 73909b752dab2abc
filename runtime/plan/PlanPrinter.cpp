//===- PlanPrinter.cpp - dlrun --inspect ----------------------------------===//

#include "plan/PlanPrinter.h"

#include "abi/PlanFormat.h"
#include "plan/CpuFeatures.h"
#include "plan/LaunchGraph.h"
#include "plan/PlanChecks.h"
#include "plan/PtxEntries.h"

#include <algorithm>
#include <cinttypes>
#include <cstdarg>
#include <cstdio>

namespace dlc {
namespace runtime {

using namespace dlc::plan;

namespace {
void appendf(std::string &out, const char *format, ...)
    __attribute__((format(printf, 2, 3)));
void appendf(std::string &out, const char *format, ...) {
  va_list args, again;
  va_start(args, format);
  va_copy(again, args);
  int n = vsnprintf(nullptr, 0, format, args);
  va_end(args);
  if (n > 0) {
    size_t old = out.size();
    out.resize(old + n + 1);
    vsnprintf(&out[old], n + 1, format, again);
    out.resize(old + n);
  }
  va_end(again);
}

std::string str(const flatbuffers::String *s) {
  return s && s->size() ? s->str() : std::string("-");
}

std::string bytesText(int64_t bytes) {
  char buffer[64];
  if (bytes >= (1 << 20))
    snprintf(buffer, sizeof buffer, "%" PRId64 " B (%.2f MiB)", bytes,
             bytes / 1048576.0);
  else if (bytes >= (1 << 10))
    snprintf(buffer, sizeof buffer, "%" PRId64 " B (%.1f KiB)", bytes,
             bytes / 1024.0);
  else
    snprintf(buffer, sizeof buffer, "%" PRId64 " B", bytes);
  return buffer;
}

// LLVM feature strings list every feature as +name or -name; the enabled
// ones are what a reader wants.
std::string enabledFeatures(const flatbuffers::String *features) {
  std::string all = str(features), out;
  if (all.find('+') == std::string::npos)
    return all;
  size_t start = 0;
  while (start <= all.size()) {
    size_t end = all.find(',', start);
    if (end == std::string::npos)
      end = all.size();
    if (end > start + 1 && all[start] == '+')
      out += (out.empty() ? "" : " ") + all.substr(start + 1, end - start - 1);
    start = end + 1;
  }
  return out;
}

std::string slotName(const Plan &plan, int32_t index) {
  if (index < 0)
    return "-";
  return "#" + std::to_string(index) + " " +
         plan.tensors()->Get(index)->name()->str();
}

/// Each launch with its arguments, those it writes marked [w] (or [rw]
/// when it also reads them, [unused] when neither); with `dependencies`,
/// the earlier launches it must wait for (LaunchGraph.h): the others may
/// run beside it.
void describeStep(std::string &out, const Plan &plan, const Step *step,
                  const char *name, bool dependencies) {
  std::vector<LaunchAccess> accesses;
  for (const Launch *l : *step->launches())
    accesses.push_back(launchAccess(plan, *l, 0));
  std::vector<std::vector<int>> deps = launchDependencies(accesses);
  appendf(out, "\n%s: %u launches\n", name, step->launches()->size());
  for (flatbuffers::uoffset_t i = 0; i < step->launches()->size(); ++i) {
    const Launch *l = step->launches()->Get(i);
    std::string args;
    static const char *const tags[] = {" [unused]", "", " [w]", " [rw]"};
    if (l->bindings())
      for (flatbuffers::uoffset_t b = 0; b < l->bindings()->size(); ++b)
        args += (b ? ", " : "") +
                plan.tensors()->Get(l->bindings()->Get(b))->name()->str() +
                (l->access() ? tags[static_cast<uint8_t>(l->access()->Get(b)) & 3]
                             : "");
    std::string after;
    for (int d : deps[i])
      after += (after.empty() ? "  after " : ", ") + std::to_string(d);
    appendf(out, "  %3u  %s(%s)%s\n", i,
            plan.kernels()->Get(l->kernel())->symbol()->c_str(), args.c_str(),
            dependencies ? after.c_str() : "");
  }
}
} // namespace

std::string describePlan(const PlanFile &file) {
  const Plan &plan = file.plan();
  std::string out;
  appendf(out, "plan %s\n", file.name().c_str());
  appendf(out, "  model           %s\n", str(plan.model_name()).c_str());
  appendf(out, "  format version  %u\n", plan.format_version());
  appendf(out, "  compiler        %s\n", str(plan.compiler_version()).c_str());
  appendf(out, "  options         %s\n", str(plan.compiler_options()).c_str());
  appendf(out, "  source sha256   %s\n", str(plan.source_hash()).c_str());
  bool cuda = file.target() == PlanTarget::Cuda;
  if (cuda) {
    // Whether it runs here depends on a driver and a GPU, which --inspect
    // does not look for.
    appendf(out, "  target          cuda, gpu %s\n",
            str(plan.gpu_arch()).c_str());
    std::string ptx = plan.ptx() ? plan.ptx()->str() : std::string();
    std::string isa = ptxModuleDirective(ptx, ".version");
    std::string target = ptxModuleDirective(ptx, ".target");
    appendf(out, "  ptx             %s, ISA %s, .target %s\n",
            bytesText(static_cast<int64_t>(ptx.size())).c_str(),
            isa.empty() ? "?" : isa.c_str(),
            target.empty() ? "?" : target.c_str());
    if (plan.cubin() && plan.cubin()->size())
      appendf(out, "  cubin           %s for %s\n",
              bytesText(plan.cubin()->size()).c_str(),
              str(plan.gpu_arch()).c_str());
    else
      appendf(out, "  cubin           none (the PTX is compiled at load)\n");
    if (plan.dependent_launch())
      appendf(out, "  launches        programmatic dependents (each kernel "
                   "waits for the grids before it)\n");
  } else {
    appendf(out, "  target          %s, cpu %s\n", str(plan.target()).c_str(),
            str(plan.cpu()).c_str());
    appendf(out, "  cpu features    %s\n",
            enabledFeatures(plan.cpu_features()).c_str());
    std::vector<std::string> missing = missingCpuFeatures(
        plan.cpu_features() ? plan.cpu_features()->str() : std::string());
    std::string runsHere = "yes";
    if (!missing.empty()) {
      runsHere = "no, this CPU lacks";
      for (const std::string &f : missing)
        runsHere += " " + f;
    }
    appendf(out, "  runs here       %s\n", runsHere.c_str());
  }

  appendf(out, "\ninput contract\n");
  appendf(out, "  batch %" PRId64 ", image %s f32, label i32 in [0, %" PRId64
               ")\n",
          plan.batch(), formatShape(plan.image_shape()).c_str(),
          plan.classes());
  appendf(out, "  slots: image %s, label %s, lr %s, weight_decay %s, "
               "momentum %s, valid_rows %s\n",
          slotName(plan, plan.image()).c_str(),
          slotName(plan, plan.label()).c_str(),
          slotName(plan, plan.lr()).c_str(),
          slotName(plan, plan.weight_decay()).c_str(),
          slotName(plan, plan.momentum()).c_str(),
          slotName(plan, plan.valid_rows()).c_str());
  appendf(out, "  metrics: train_loss %s, train_correct %s, eval_loss %s, "
               "eval_correct %s\n",
          slotName(plan, plan.train_loss()).c_str(),
          slotName(plan, plan.train_correct()).c_str(),
          slotName(plan, plan.eval_loss()).c_str(),
          slotName(plan, plan.eval_correct()).c_str());

  appendf(out, "\ndefaults\n");
  appendf(out, "  epochs %" PRId64 ", lr %g, weight_decay %g, momentum %g "
               "(momentum state: %s)\n",
          plan.default_epochs(), plan.default_lr(),
          plan.default_weight_decay(), plan.default_momentum(),
          plan.has_momentum_state() ? "yes" : "no");

  size_t nameWidth = 4;
  for (const Tensor *t : *plan.tensors())
    nameWidth = std::max<size_t>(nameWidth, t->name()->size());
  appendf(out, "\ntensors: %u\n", plan.tensors()->size());
  appendf(out, "  %4s  %-*s  %-10s  %-5s  %-18s  %10s  %10s\n", "#",
          static_cast<int>(nameWidth), "name", "role", "dtype", "shape",
          "offset", "size");
  for (flatbuffers::uoffset_t i = 0; i < plan.tensors()->size(); ++i) {
    const Tensor *t = plan.tensors()->Get(i);
    appendf(out, "  %4u  %-*s  %-10s  %-5s  %-18s  %10" PRId64 "  %10" PRId64
                 "\n",
            i, static_cast<int>(nameWidth), t->name()->c_str(),
            EnumNameRole(t->role()), t->dtype() == DType::F32 ? "f32" : "i32",
            formatShape(t->shape()).c_str(), t->offset(), t->size());
  }

  appendf(out, "\nmemory\n");
  appendf(out, "  block           %s\n", bytesText(plan.memory_size()).c_str());
  appendf(out, "  arena           %s at offset %" PRId64 "\n",
          bytesText(plan.arena_size()).c_str(), plan.arena_offset());
  appendf(out, "  naive           %s (no reuse)\n", bytesText(plan.naive_size()).c_str());

  if (cuda)
    appendf(out, "\nkernels: %u, launched as grid x block threads\n",
            plan.kernels()->size());
  else
    appendf(out, "\nkernels: %u, code object %s\n", plan.kernels()->size(),
            bytesText(plan.code()->size()).c_str());
  for (flatbuffers::uoffset_t i = 0; i < plan.kernels()->size(); ++i) {
    const Kernel *k = plan.kernels()->Get(i);
    if (cuda) {
      const char *role = static_cast<int32_t>(i) == plan.gather_kernel()
                             ? " (gather_kernel)"
                         : static_cast<int32_t>(i) == plan.accumulate_kernel()
                             ? " (accumulate_kernel)"
                             : "";
      appendf(out, "  %3u  %s%s  grid %" PRId64 ", block %d, shared %s"
                   ", flops %" PRId64 ", bytes %" PRId64 "\n",
              i, k->symbol()->c_str(), role, k->workgroups(), k->block(),
              bytesText(k->shared_bytes()).c_str(), k->flops(), k->bytes());
    } else {
      appendf(out, "  %3u  %s  workgroups %" PRId64 ", flops %" PRId64
                   ", bytes %" PRId64 "\n",
              i, k->symbol()->c_str(), k->workgroups(), k->flops(),
              k->bytes());
    }
    if (k->origin_ops())
      for (const flatbuffers::String *op : *k->origin_ops())
        appendf(out, "         from %s\n", op->c_str());
  }
  describeStep(out, plan, plan.train_step(), "train_step", cuda);
  describeStep(out, plan, plan.eval_step(), "eval_step", cuda);
  return out;
}

} // namespace runtime
} // namespace dlc
