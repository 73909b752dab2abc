//===- PlanFileTest.cpp - loading and checking plans ----------------------===//

#include "ToyPlan.h"

#include "abi/PlanFormat.h"
#include "plan/CpuFeatures.h"
#include "plan/PlanFile.h"
#include "plan/PlanFraming.h"
#include "plan/PlanPrinter.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <unistd.h>

using namespace dlc;
using namespace dlc::runtime;
using namespace dlc::test;

namespace {

std::unique_ptr<PlanFile> load(std::vector<uint8_t> bytes,
                               std::string &error) {
  return PlanFile::loadBytes(std::move(bytes), "toy.plan", error);
}

// Refused with one line naming the file.
void expectRefused(std::vector<uint8_t> bytes, const std::string &part) {
  std::string error;
  EXPECT_EQ(load(std::move(bytes), error), nullptr);
  EXPECT_TRUE(contains(error, "toy.plan: "));
  EXPECT_TRUE(contains(error, part));
  EXPECT_EQ(error.find('\n'), std::string::npos) << error;
}

TEST(PlanFile, LoadsValidPlan) {
  std::string error;
  std::unique_ptr<PlanFile> plan =
      load(buildPlanFile(makeToyPlan(ToySize::Small)), error);
  ASSERT_NE(plan, nullptr) << error;
  EXPECT_EQ(plan->plan().batch(), 8);
  for (size_t i = 0; i < plan->plan().kernels()->size(); ++i)
    EXPECT_NE(plan->kernel(i), nullptr);
  std::string text = describePlan(*plan);
  EXPECT_TRUE(contains(text, "model           toy"));
  EXPECT_TRUE(contains(text, "dense.w"));
  EXPECT_TRUE(contains(text, "toy_softmax_ce_grad"));
  EXPECT_TRUE(contains(text, "train_step: 6 launches"));
}

TEST(PlanFile, LoadsFromDisk) {
  std::string dir = makeTempDir("planfile");
  std::string path = dir + "/toy.plan";
  writeFileBytes(path, buildPlanFile(makeToyPlan(ToySize::Small)));
  std::string error;
  EXPECT_NE(PlanFile::load(path, error), nullptr) << error;
  EXPECT_EQ(PlanFile::load(dir + "/missing.plan", error), nullptr);
  EXPECT_TRUE(contains(error, "missing.plan: No such file"));
  std::remove(path.c_str());
  rmdir(dir.c_str());
}

// Two plans alive at once must each get their own code object.
TEST(PlanFile, TwoPlansKeepTheirOwnCode) {
  std::string error;
  auto small = load(buildPlanFile(makeToyPlan(ToySize::Small)), error);
  auto mnist = load(buildPlanFile(makeToyPlan(ToySize::Mnist)), error);
  ASSERT_NE(small, nullptr);
  ASSERT_NE(mnist, nullptr) << error;
  EXPECT_NE(small->kernel(0), mnist->kernel(0));
  small.reset();
  auto again = load(buildPlanFile(makeToyPlan(ToySize::Small)), error);
  ASSERT_NE(again, nullptr);
  EXPECT_NE(again->kernel(0), mnist->kernel(0));
}

TEST(PlanFile, ForeignFile) {
  std::string text = "#!/bin/sh\necho this is not a plan at all\n";
  expectRefused(std::vector<uint8_t>(text.begin(), text.end()),
                "toy.plan: not a dlc plan (bad magic)");
  expectRefused({}, "not a dlc plan (bad magic)");
}

TEST(PlanFile, VersionMismatchNamesBothVersions) {
  PlanSpec spec = makeToyPlan(ToySize::Small);
  expectRefused(buildPlanFile(spec, 7),
                "toy.plan: plan format version 7, this dlrun reads version "
                "1; recompile the model with a matching dlc");
  expectRefused(buildPlanFile(spec, 0), "plan format version 0");
}

TEST(PlanFile, EveryByteFlipIsRejected) {
  std::vector<uint8_t> good = buildPlanFile(makeToyPlan(ToySize::Small));
  size_t size = good.size();
  // Locate the code blob (an ELF object) so that some flips land in it.
  const char elf[] = "\x7f" "ELF";
  size_t codeStart =
      std::search(good.begin(), good.end(), elf, elf + 4) - good.begin();
  size_t codeSize = makeToyPlan(ToySize::Small).code.size();
  ASSERT_LT(codeStart + codeSize, size);

  std::vector<size_t> positions;
  for (size_t i = 0; i < DLC_PLAN_HEADER_SIZE; ++i)
    positions.push_back(i);
  for (size_t i = 0; i < 14; ++i) // spread over the whole file
    positions.push_back(DLC_PLAN_HEADER_SIZE +
                        (size - DLC_PLAN_HEADER_SIZE - 1) * i / 13);
  for (size_t i = 0; i < 12; ++i) // inside the code blob
    positions.push_back(codeStart + codeSize * i / 12);
  ASSERT_GE(positions.size(), 50u);
  for (size_t pos : positions)
    for (uint8_t mask : {0x01, 0x80, 0xff}) {
      SCOPED_TRACE("flip at " + std::to_string(pos) + " mask " +
                   std::to_string(mask));
      std::vector<uint8_t> bad = good;
      bad[pos] ^= mask;
      std::string why;
      EXPECT_EQ(load(std::move(bad), why), nullptr);
      EXPECT_FALSE(why.empty());
      EXPECT_EQ(why.find('\n'), std::string::npos) << why;
      if (pos >= DLC_PLAN_HEADER_SIZE || (pos >= 8 && pos < 16)) {
        EXPECT_TRUE(contains(why, "checksum mismatch: the plan is corrupt"));
      }
    }
}

TEST(PlanFile, TruncationIsRejected) {
  std::vector<uint8_t> good = buildPlanFile(makeToyPlan(ToySize::Small));
  std::vector<size_t> lengths{1, 4, 7, 8, 12, 16, 23, 24, 25, 32, 100};
  for (size_t i = 1; i < 40; ++i)
    lengths.push_back(good.size() * i / 40);
  lengths.push_back(good.size() - 1);
  for (size_t length : lengths) {
    SCOPED_TRACE("length " + std::to_string(length));
    expectRefused(std::vector<uint8_t>(good.begin(), good.begin() + length),
                  "truncated plan");
  }
  // Extra bytes are no better.
  std::vector<uint8_t> longer = good;
  longer.push_back(0);
  expectRefused(longer, "the header announces");
}

TEST(PlanFile, FramedGarbageIsRejectedByTheVerifier) {
  std::vector<uint8_t> junk(200, 0x5a);
  expectRefused(framePlan(junk.data(), junk.size(), DLC_PLAN_FORMAT_VERSION),
                "identifier \"DLCP\" missing");
  // Right identifier, broken root offset.
  std::vector<uint8_t> payload =
      buildPayload(makeToyPlan(ToySize::Small));
  payload[0] = 0xf0; // root offset 0xfffffff0: past the end
  payload[1] = payload[2] = payload[3] = 0xff;
  expectRefused(
      framePlan(payload.data(), payload.size(), DLC_PLAN_FORMAT_VERSION),
      "the plan FlatBuffer is malformed");
}

struct SemanticCase {
  const char *what;
  std::function<void(PlanSpec &)> breakIt;
  const char *message;
};

TEST(PlanFile, SemanticChecks) {
  const SemanticCase cases[] = {
      {"offset out of range",
       [](PlanSpec &s) { s.tensors[0].offset = s.memorySize; },
       "tensor 0 'dense.w' (offset "},
      {"offset past the end",
       [](PlanSpec &s) { s.tensors[0].offset = s.memorySize - 64; },
       "lies outside the memory block"},
      {"misaligned offset", [](PlanSpec &s) { s.tensors[1].offset += 32; },
       "not a multiple of 64"},
      {"size mismatch", [](PlanSpec &s) { s.tensors[0].size = 64; },
       "has size 64 bytes but its shape [16, 3] needs 192"},
      {"negative dim", [](PlanSpec &s) { s.tensors[0].shape = {-1, 3}; },
       "negative dimension"},
      {"bad kernel index", [](PlanSpec &s) { s.trainLaunches[2].kernel = 99; },
       "train_step launch 2 uses kernel 99, out of range [0, 7)"},
      {"bad binding", [](PlanSpec &s) { s.evalLaunches[1].bindings[0] = 500; },
       "eval_step launch 1 binds tensor 500"},
      {"missing symbol", [](PlanSpec &s) { s.kernels[3].symbol = "toy_nope"; },
       "does not export kernel 'toy_nope'"},
      {"no workgroups", [](PlanSpec &s) { s.kernels[0].workgroups = 0; },
       "'toy_logits' has 0 workgroups"},
      {"no code", [](PlanSpec &s) { s.code.clear(); }, "has no code"},
      {"code not ELF",
       [](PlanSpec &s) { s.code.assign(100, 'x'); },
       "cannot load the plan's code object"},
      {"no kernels", [](PlanSpec &s) { s.kernels.clear(); }, "no kernels"},
      {"empty train step", [](PlanSpec &s) { s.trainLaunches.clear(); },
       "no train_step"},
      {"batch", [](PlanSpec &s) { s.batch = 0; }, "batch must be positive"},
      {"classes", [](PlanSpec &s) { s.classes = 1; },
       "classes must be at least 2"},
      {"image shape", [](PlanSpec &s) { s.imageShape = {16}; },
       "the image slot, tensor 4 'image', has shape [8, 4, 4], expected [8, "
       "16]"},
      {"label dtype",
       [](PlanSpec &s) { s.tensors[s.label].dtype = plan::DType::F32; },
       "the label slot, tensor 5 'label', has dtype F32, expected I32"},
      {"lr out of range", [](PlanSpec &s) { s.lr = 1000; },
       "the lr tensor index 1000 is out of range"},
      {"eval_correct role", [](PlanSpec &s) { s.evalCorrect = s.label; },
       "the eval_correct slot, tensor 5 'label', has role Label, expected "
       "Metric"},
      {"metric rank", [](PlanSpec &s) { s.trainLoss = s.tensorIndex("row_loss"); },
       "has role Activation"},
      {"momentum slot",
       [](PlanSpec &s) { s.momentum = s.tensorIndex("valid_rows"); },
       "the momentum slot"},
      {"init on non-parameter",
       [](PlanSpec &s) { s.initializers[0].tensor = s.image; },
       "initializer 0 refers to tensor 4 'image', which is not an f32 "
       "Parameter"},
      {"parameter without init",
       [](PlanSpec &s) { s.initializers.pop_back(); },
       "tensor 1 'dense.b' is a Parameter without an initializer"},
      {"memory size", [](PlanSpec &s) { s.memorySize = 0; },
       "memory_size must be positive"},
      {"arena", [](PlanSpec &s) { s.arenaSize = s.memorySize; },
       "the arena"},
      {"format version field", [](PlanSpec &s) { s.formatVersion = 2; },
       "the plan says format version 2"},
      // Names are quoted in messages and --inspect: one line, no escapes.
      {"newline in a tensor name",
       [](PlanSpec &s) { s.tensors[2].name = "logits\nrm -rf"; },
       "the name of tensor 2 contains control byte 10"},
      {"escape in a symbol",
       [](PlanSpec &s) { s.kernels[1].symbol = "toy\x1b[2J"; },
       "the symbol of kernel 1 contains control byte 27"},
      {"control byte in an origin op",
       [](PlanSpec &s) { s.kernels[0].originOps = {"dl.dense\r"}; },
       "an origin op of kernel 0 contains control byte 13"},
      {"newline in the model name",
       [](PlanSpec &s) { s.modelName = "toy\n"; },
       "the model name contains control byte 10"},
  };
  for (const SemanticCase &c : cases) {
    SCOPED_TRACE(c.what);
    PlanSpec spec = makeToyPlan(ToySize::Small);
    c.breakIt(spec);
    expectRefused(buildPlanFile(spec), c.message);
  }
}

int fakeHost(const std::string &name) {
  if (name == "avx2" || name == "sse4.2")
    return 1;
  if (name == "avx512f" || name == "avx512bw")
    return 0;
  return -1; // unknown: not held against the plan
}

TEST(PlanFile, CpuFeatures) {
  EXPECT_EQ(missingCpuFeatures("+avx2,-avx512f,+avx512bw,+sse4.2,+avx512f,"
                               "+madeup,-avx2",
                               fakeHost),
            (std::vector<std::string>{"avx512bw", "avx512f"}));
  EXPECT_TRUE(missingCpuFeatures("", fakeHost).empty());
  EXPECT_EQ(hostHasCpuFeature("no-such-feature"), -1);
#if defined(__x86_64__)
  EXPECT_EQ(hostHasCpuFeature("sse3"), 1); // every x86-64 CPU since 2005
#endif
}

// --inspect loads without the code: a plan for another CPU (or with a
// broken code object) can still be looked at.
TEST(PlanFile, MetadataOnlySkipsTheCode) {
  PlanSpec spec = makeToyPlan(ToySize::Small);
  spec.kernels[0].symbol = "toy_absent";
  std::string error;
  auto plan = PlanFile::loadBytes(buildPlanFile(spec), "toy.plan", error,
                                  PlanFile::LoadMode::MetadataOnly);
  ASSERT_NE(plan, nullptr) << error;
  EXPECT_FALSE(plan->codeLoaded());
  EXPECT_TRUE(contains(describePlan(*plan), "toy_absent"));
  EXPECT_EQ(PlanFile::loadBytes(buildPlanFile(spec), "toy.plan", error),
            nullptr);
}

// Whatever the layout, empty shape vectors (scalars) are accepted: the
// builder does not align their (absent) data.
TEST(PlanFile, ScalarShapesAtAnyAlignment) {
  for (size_t codeSize = 1; codeSize <= 16; ++codeSize) {
    PlanSpec spec = makeToyPlan(ToySize::Small);
    spec.code.assign(codeSize, 0);
    spec.modelName.append(codeSize % 5, 'x');
    std::string error;
    EXPECT_NE(PlanFile::loadBytes(buildPlanFile(spec), "toy.plan", error,
                                  PlanFile::LoadMode::MetadataOnly),
              nullptr)
        << error;
  }
}

} // namespace
