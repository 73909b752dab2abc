//===- PlanTables.cpp - --emit=kernels and --emit=memory ------------------===//

#include "dlc/Plan/MemoryPlan.h"

#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

using namespace dlc::plan;

static std::string shapeText(const PlannedTensor &t) {
  std::string text = t.isInteger ? "i32[" : "f32[";
  for (size_t i = 0; i < t.shape.size(); ++i)
    text += (i ? "," : "") + std::to_string(t.shape[i]);
  return text + "]";
}

void dlc::plan::printKernels(const MemoryPlan &plan, llvm::raw_ostream &os) {
  auto printStep = [&](llvm::StringRef name,
                       llvm::ArrayRef<PlannedLaunch> launches) {
    int64_t flops = 0;
    for (const PlannedLaunch &l : launches)
      flops += plan.kernels[l.kernel].flops;
    os << name << ": " << launches.size() << " kernels, "
       << llvm::format("%.3f", flops / 1e9) << " GFLOP per step\n";
    for (const PlannedLaunch &l : launches) {
      const PlannedKernel &k = plan.kernels[l.kernel];
      os << "  " << k.symbol << "  flops " << k.flops << "  bytes " << k.bytes
         << "  workgroups " << k.workgroups;
      if (k.block > 0) // CUDA: blocks of this many threads
        os << "  block " << k.block;
      os << "\n";
      for (const std::string &origin : k.origin)
        os << "    from " << origin << "\n";
      os << "    args";
      for (int b : l.bindings)
        os << " " << plan.tensors[b].name << ":" << shapeText(plan.tensors[b]);
      os << "\n";
    }
  };
  printStep("train_step", plan.trainLaunches);
  printStep("eval_step", plan.evalLaunches);
}

void dlc::plan::printMemory(const MemoryPlan &plan, llvm::raw_ostream &os) {
  os << llvm::format("%-32s %-10s %-18s %10s %10s\n", "tensor", "role",
                     "shape", "offset", "bytes");
  for (const PlannedTensor &t : plan.tensors)
    os << llvm::format("%-32s %-10s %-18s %10lld %10lld\n", t.name.c_str(),
                       roleName(t.role).str().c_str(), shapeText(t).c_str(),
                       (long long)t.offset, (long long)t.size);
  os << "memory block: " << plan.memorySize << " bytes (fixed slots "
     << plan.arenaOffset << ", arena " << plan.arenaSize << ")\n";
  os << "arena without reuse would be " << plan.naiveSize << " bytes";
  if (plan.arenaSize > 0)
    os << llvm::format(" (%.2fx)", double(plan.naiveSize) / plan.arenaSize);
  os << "\n";
}
