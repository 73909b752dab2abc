//===- PlanFuzzer.cpp - fuzzes what dlrun trusts in a plan ----------------===//
//
// The input is a plan FlatBuffer; it gets a correct header (magic, version,
// crc32), so that every mutation reaches the verifier and the semantic
// checks instead of stopping at the checksum. A plan the checks accept is
// then used as dlrun uses it before running code: printed (--inspect), its
// launches' byte ranges, dependencies and streams computed (the CUDA
// executor's capture), its PTX scanned. None of that may read out of
// bounds, overflow or loop; a rejected plan must give a one-line error.
//
// Half the mutations overwrite an aligned word, where a FlatBuffer keeps
// its scalars, with a value at the edge of a range: byte-level mutations
// alone mostly stop at the verifier, short of the semantic checks.
//
//===----------------------------------------------------------------------===//

#include "FuzzInput.h"

#include "abi/PlanFormat.h"
#include "plan/LaunchGraph.h"
#include "plan/PlanChecks.h"
#include "plan/PlanFile.h"
#include "plan/PlanFraming.h"
#include "plan/PlanPrinter.h"
#include "plan/PtxEntries.h"

#include <cstring>
#include <random>

using namespace dlc::runtime;

static void useLoadedPlan(const PlanFile &file) {
  std::string text = describePlan(file);
  if (text.empty())
    std::abort();
  const dlc::plan::Plan &plan = file.plan();
  for (const auto *step : {plan.train_step(), plan.eval_step()}) {
    if (!step || !step->launches())
      continue;
    const uint64_t base = 4096, end = base + plan.memory_size();
    std::vector<LaunchAccess> launches;
    for (const dlc::plan::Launch *l : *step->launches()) {
      launches.push_back(launchAccess(plan, *l, base));
      // What the checks promise: every binding inside the memory block.
      for (const auto *ranges : {&launches.back().reads,
                                 &launches.back().writes})
        for (ByteRange r : *ranges)
          if (r.begin < base || r.begin > r.end || r.end > end)
            std::abort();
    }
    std::vector<std::vector<int>> deps = launchDependencies(launches);
    StreamAssignment streams = assignStreams(deps);
    if (streams.stream.size() != launches.size())
      std::abort();
  }
  if (file.target() == PlanTarget::Cuda && plan.ptx()) {
    std::string ptx = plan.ptx()->str();
    ptxEntriesWaitingFirst(ptx);
    ptxModuleDirective(ptx, ".version");
  }
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::vector<uint8_t> bytes =
      framePlan(data, size, DLC_PLAN_FORMAT_VERSION);
  std::string error;
  std::unique_ptr<PlanFile> file = PlanFile::loadBytes(
      std::move(bytes), "fuzz.plan", error, PlanFile::LoadMode::MetadataOnly);
  if (!file) {
    dlc::fuzz::checkError(error, "fuzz.plan: ");
    dlc::fuzz::rejected(error, size);
    return 0;
  }
  useLoadedPlan(*file);
  return 0;
}

#ifdef DLC_FUZZING_ENGINE
extern "C" size_t LLVMFuzzerMutate(uint8_t *data, size_t size,
                                   size_t maxSize);

extern "C" size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size,
                                          size_t maxSize, unsigned seed) {
  std::minstd_rand rng(seed);
  if (size < 8 || rng() % 2)
    return LLVMFuzzerMutate(data, size, maxSize);
  bool wide = rng() % 4 == 0;
  size_t width = wide ? 8 : 4;
  size_t at = rng() % (size / width) * width;
  int64_t old = 0;
  std::memcpy(&old, data + at, width);
  if (!wide)
    old = static_cast<int32_t>(old);
  uint64_t u = static_cast<uint64_t>(old); // wraps, as the words would
  const uint64_t edges[] = {0,         1,         ~uint64_t(0), 2,
                            u + 1,     u - 1,     u * 2,        u + 4096,
                            INT32_MAX, uint64_t(INT32_MIN), INT64_MAX,
                            uint64_t(INT64_MIN),
                            1 << 20,   uint64_t(1) << 40};
  uint64_t value = edges[rng() % (sizeof edges / sizeof edges[0])];
  std::memcpy(data + at, &value, width); // little-endian: the low word
  return size;
}
#endif
