//===- ToyPlan.h - plans and data for runtime tests -------------*- C++ -*-===//
//
// Builds training plans without the compiler: a PlanSpec (plain structs that
// tests can break on purpose) around the hand-written kernels of
// Inputs/ToyKernels.c, serialised with the FlatBuffers builder and framed
// with a correct header. Also synthetic, linearly separable IDX data.
//
//===----------------------------------------------------------------------===//

#ifndef DLC_TESTS_UNIT_TOYPLAN_H
#define DLC_TESTS_UNIT_TOYPLAN_H

#include "data/IdxReader.h"
#include "plan_generated.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

namespace dlc {
namespace test {

struct TensorSpec {
  std::string name;
  std::vector<int64_t> shape;
  plan::DType dtype = plan::DType::F32;
  plan::Role role = plan::Role::Activation;
  int64_t offset = 0, size = 0;
};

struct KernelSpec {
  std::string symbol;
  int64_t workgroups = 1;
  std::vector<std::string> originOps;
  int32_t block = 0, sharedBytes = 0; // CUDA plans
};

struct LaunchSpec {
  int32_t kernel = 0;
  std::vector<int32_t> bindings;
  /// Per binding, plan::Access bits (1 read, 2 written); serialised only
  /// when not empty (plans without it count every binding as written).
  std::vector<uint8_t> access = {};
};

struct InitializerSpec {
  int32_t tensor = 0;
  plan::InitKind kind = plan::InitKind::Zeros;
  double a = 0, b = 0;
  uint64_t seed = 0;
};

struct PlanSpec {
  uint32_t formatVersion = 1;
  std::string modelName = "toy";
  std::vector<TensorSpec> tensors;
  int64_t memorySize = 0, arenaOffset = 0, arenaSize = 0, naiveSize = 0;
  std::vector<InitializerSpec> initializers;
  std::vector<KernelSpec> kernels;
  std::vector<uint8_t> code;
  std::vector<LaunchSpec> trainLaunches, evalLaunches;
  int64_t batch = 0;
  std::vector<int64_t> imageShape;
  int64_t classes = 0;
  int32_t image = -1, label = -1, lr = -1, weightDecay = -1, momentum = -1,
          validRows = -1, trainLoss = -1, trainCorrect = -1, evalLoss = -1,
          evalCorrect = -1;
  bool hasMomentumState = true;
  double defaultLr = 0.5, defaultWeightDecay = 0.0, defaultMomentum = 0.0;
  int64_t defaultEpochs = 3;
  std::string target = "cpu";
  // CUDA plans.
  std::string gpuArch, ptx;
  std::vector<uint8_t> cubin;
  int32_t gatherKernel = -1, accumulateKernel = -1;
  bool dependentLaunch = false;
  /// The toy kernels' shared object (not serialised; the fake CUDA
  /// driver's modules name it).
  std::string kernelLibrary;

  int32_t tensorIndex(const std::string &name) const;
};

/// Which build of Inputs/ToyKernels.c: sizes baked into the shared object.
enum class ToySize {
  Small, // 4x4 images, 3 classes, batch 8
  Mnist  // 1x28x28 images, 10 classes, batch 64
};

/// A valid plan for softmax regression with the toy kernels.
PlanSpec makeToyPlan(ToySize size);

/// The same as a CUDA plan for sm_90 for the fake driver of
/// Inputs/FakeCuda.cpp: the toy kernels plus the data kernels
/// (dl_gather_batch, dl_accumulate), `ptx` = fakePtx(spec), no cubin.
PlanSpec makeToyCudaPlan(ToySize size);
/// One `.entry` of a fake driver module: a kernel and the pointers its
/// launches bind.
struct FakeEntry {
  std::string name;
  size_t params = 0;
};
/// A PTX-like module for the fake driver: `// fake-so:` the kernel library
/// `library`, `extra` as a comment line, and the entries (each waiting
/// first when `dependentLaunch`).
std::string fakeModule(const std::string &library, const std::string &arch,
                       const std::vector<FakeEntry> &entries,
                       bool dependentLaunch, const std::string &extra = "");
/// fakeModule of `spec`'s kernels, each with as many parameters as its
/// launches bind (6 and 5 for the data kernels).
std::string fakePtx(const PlanSpec &spec, const std::string &extra = "");
/// A "cubin" for the fake driver: "\x7fELF", the module text for device
/// architecture `arch`, NUL.
std::vector<uint8_t> fakeCubin(const PlanSpec &spec, const std::string &arch);

/// The FlatBuffer of `spec` (no header).
std::vector<uint8_t> buildPayload(const PlanSpec &spec);
/// A whole plan file: header with `headerVersion` + crc, then the payload.
std::vector<uint8_t> buildPlanFile(const PlanSpec &spec,
                                   uint32_t headerVersion = 1);

/// Linearly separable data of `rows`x`cols` images: class c is bright in
/// its own band of pixels, plus noise.
runtime::Dataset makeSeparableData(int64_t rows, int64_t cols,
                                   int64_t classes, int64_t trainCount,
                                   int64_t testCount, uint64_t seed);
/// Writes `data` as raw IDX files into `dir` (which must exist).
void writeIdxDataset(const runtime::Dataset &data, const std::string &dir);

std::vector<uint8_t> readFileBytes(const std::string &path);
void writeFileBytes(const std::string &path, const std::vector<uint8_t> &b);

/// A fresh empty directory under the test temp dir.
std::string makeTempDir(const std::string &tag);

/// Plain gtest has no string matchers without gmock; this prints both sides.
inline ::testing::AssertionResult contains(const std::string &s,
                                           const std::string &part) {
  if (s.find(part) != std::string::npos)
    return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << "\"" << s << "\" does not contain \"" << part << "\"";
}

} // namespace test
} // namespace dlc

#endif // DLC_TESTS_UNIT_TOYPLAN_H
