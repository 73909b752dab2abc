//===- ToyPlan.cpp - plans and data for runtime tests ---------------------===//

#include "ToyPlan.h"

#include "abi/KernelABI.h"
#include "plan/PlanFraming.h"

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <random>
#include <stdexcept>
#include <unistd.h>

namespace dlc {
namespace test {

using namespace dlc::plan;

int32_t PlanSpec::tensorIndex(const std::string &name) const {
  for (size_t i = 0; i < tensors.size(); ++i)
    if (tensors[i].name == name)
      return static_cast<int32_t>(i);
  throw std::runtime_error("no tensor " + name);
}

std::vector<uint8_t> readFileBytes(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw std::runtime_error("cannot read " + path);
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), {});
}

void writeFileBytes(const std::string &path, const std::vector<uint8_t> &b) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char *>(b.data()),
            static_cast<std::streamsize>(b.size()));
  if (!out)
    throw std::runtime_error("cannot write " + path);
}

std::string makeTempDir(const std::string &tag) {
  const char *base = std::getenv("TMPDIR");
  std::string tmpl = std::string(base && *base ? base : "/tmp") + "/dlc-" +
                     tag + "-XXXXXX";
  std::vector<char> buf(tmpl.begin(), tmpl.end());
  buf.push_back('\0');
  if (!mkdtemp(buf.data()))
    throw std::runtime_error("mkdtemp failed");
  return buf.data();
}

PlanSpec makeToyPlan(ToySize size) {
  PlanSpec s;
  int64_t dim, classes, batch;
  std::string so;
  if (size == ToySize::Small) {
    s.imageShape = {4, 4};
    dim = 16, classes = 3, batch = 8;
    so = DLC_TOY_KERNELS_SMALL;
  } else {
    s.imageShape = {1, 28, 28};
    dim = 784, classes = 10, batch = 64;
    so = DLC_TOY_KERNELS_MNIST;
  }
  s.batch = batch;
  s.classes = classes;
  s.code = readFileBytes(so);
  s.kernelLibrary = so;

  using R = Role;
  auto add = [&](const std::string &name, std::vector<int64_t> shape,
                 Role role, DType dtype = DType::F32) {
    s.tensors.push_back({name, shape, dtype, role, 0, 0});
    return static_cast<int32_t>(s.tensors.size() - 1);
  };
  std::vector<int64_t> imageShape{batch};
  imageShape.insert(imageShape.end(), s.imageShape.begin(),
                    s.imageShape.end());
  int32_t w = add("dense.w", {dim, classes}, R::Parameter);
  int32_t b = add("dense.b", {classes}, R::Parameter);
  int32_t vw = add("dense.w.velocity", {dim, classes}, R::Velocity);
  int32_t vb = add("dense.b.velocity", {classes}, R::Velocity);
  s.image = add("image", imageShape, R::Image);
  s.label = add("label", {batch}, R::Label, DType::I32);
  s.lr = add("lr", {}, R::Hyper);
  s.weightDecay = add("weight_decay", {}, R::Hyper);
  s.momentum = add("momentum", {}, R::Hyper);
  s.validRows = add("valid_rows", {}, R::Hyper, DType::I32);
  s.trainLoss = add("train_loss", {}, R::Metric);
  s.trainCorrect = add("train_correct", {}, R::Metric, DType::I32);
  s.evalLoss = add("eval_loss", {}, R::Metric);
  s.evalCorrect = add("eval_correct", {}, R::Metric, DType::I32);
  int32_t firstArena = static_cast<int32_t>(s.tensors.size());
  int32_t logits = add("logits", {batch, classes}, R::Activation);
  int32_t dlogits = add("logits.grad", {batch, classes}, R::Gradient);
  int32_t rowloss = add("row_loss", {batch}, R::Activation);
  int32_t rowcorrect = add("row_correct", {batch}, R::Activation, DType::I32);
  int32_t dw = add("dense.w.grad", {dim, classes}, R::Gradient);
  int32_t db = add("dense.b.grad", {classes}, R::Gradient);

  int64_t offset = 0;
  for (size_t i = 0; i < s.tensors.size(); ++i) {
    TensorSpec &t = s.tensors[i];
    if (static_cast<int32_t>(i) == firstArena)
      s.arenaOffset = offset;
    t.size = 4;
    for (int64_t d : t.shape)
      t.size *= d;
    t.offset = offset;
    offset += (t.size + DLC_TENSOR_ALIGNMENT - 1) / DLC_TENSOR_ALIGNMENT *
              DLC_TENSOR_ALIGNMENT;
  }
  s.memorySize = offset;
  s.arenaSize = offset - s.arenaOffset;
  s.naiveSize = s.arenaSize;

  s.initializers = {{w, InitKind::Normal, 0.0, 0.01, 11},
                    {b, InitKind::Zeros, 0.0, 0.0, 12}};
  s.kernels = {{"toy_logits", 4, {"dense @ toy.dl:3:5"}},
               {"toy_softmax_ce_grad", 4, {"softmax_ce @ toy.dl:4:8"}},
               {"toy_reduce_train", 1, {"softmax_ce @ toy.dl:4:8"}},
               {"toy_grad", 4, {"dense @ toy.dl:3:5"}},
               {"toy_sgd_w", 3, {"sgd"}},
               {"toy_sgd_b", 1, {"sgd"}},
               {"toy_eval", 1, {"eval_metrics"}}};
  s.trainLaunches = {{0, {s.image, w, b, logits}},
                     {1, {logits, s.label, dlogits, rowloss, rowcorrect}},
                     {2, {rowloss, rowcorrect, s.trainLoss, s.trainCorrect}},
                     {3, {s.image, dlogits, dw, db}},
                     {4, {w, dw, vw, s.lr, s.weightDecay, s.momentum}},
                     {5, {b, db, vb, s.lr, s.weightDecay, s.momentum}}};
  s.evalLaunches = {{0, {s.image, w, b, logits}},
                    {6, {logits, s.label, s.validRows, s.evalLoss,
                         s.evalCorrect}}};
  return s;
}

PlanSpec makeToyCudaPlan(ToySize size) {
  PlanSpec s = makeToyPlan(size);
  s.target = "cuda";
  s.code.clear();
  s.gpuArch = "sm_90";
  for (KernelSpec &k : s.kernels)
    k.block = 128;
  s.gatherKernel = static_cast<int32_t>(s.kernels.size());
  s.kernels.push_back({"dl_gather_batch", 4, {}, 256, 0});
  s.accumulateKernel = static_cast<int32_t>(s.kernels.size());
  s.kernels.push_back({"dl_accumulate", 1, {}, 1, 0});
  // What each launch does with its bindings (1 read, 2 written), as dlc
  // records it: the executor may then overlap the metrics' reduction with
  // the gradients, and the two SGD updates.
  const std::vector<std::vector<uint8_t>> trainAccess = {
      {1, 1, 1, 2},       {1, 1, 2, 2, 2},    {1, 1, 2, 2},
      {1, 1, 2, 2},       {3, 1, 3, 1, 1, 1}, {3, 1, 3, 1, 1, 1}};
  for (size_t i = 0; i < s.trainLaunches.size(); ++i)
    s.trainLaunches[i].access = trainAccess[i];
  const std::vector<std::vector<uint8_t>> evalAccess = {{1, 1, 1, 2},
                                                        {1, 1, 1, 2, 2}};
  for (size_t i = 0; i < s.evalLaunches.size(); ++i)
    s.evalLaunches[i].access = evalAccess[i];
  s.ptx = fakePtx(s);
  return s;
}

std::string fakeModule(const std::string &library, const std::string &arch,
                       const std::vector<FakeEntry> &entries,
                       bool dependentLaunch, const std::string &extra) {
  std::string text = "// Fake PTX for tests/unit/Inputs/FakeCuda.cpp\n"
                     "// fake-so: " +
                     library + "\n";
  if (!extra.empty())
    text += "// " + extra + "\n";
  text += ".version 8.0\n.target " + arch + "\n.address_size 64\n";
  for (const FakeEntry &e : entries) {
    text += "\n.visible .entry " + e.name + "(\n";
    for (size_t p = 0; p < e.params; ++p)
      text += "\t.param .u64 .ptr .global .align 16 " + e.name + "_param_" +
              std::to_string(p) + (p + 1 < e.params ? ",\n" : "\n");
    // A body touching memory, after the wait when launches are dependent.
    text += std::string(")\n{\n") +
            (dependentLaunch ? "\tgriddepcontrol.wait;\n" : "") +
            "\tld.global.u32 %r1, [%rd1];\n\tret;\n}\n";
  }
  return text;
}

std::string fakePtx(const PlanSpec &s, const std::string &extra) {
  std::vector<FakeEntry> entries;
  for (size_t i = 0; i < s.kernels.size(); ++i) {
    int32_t kernel = static_cast<int32_t>(i);
    size_t params = kernel == s.gatherKernel       ? 6
                    : kernel == s.accumulateKernel ? 5
                                                   : 0;
    for (const std::vector<LaunchSpec> *step :
         {&s.trainLaunches, &s.evalLaunches})
      for (const LaunchSpec &l : *step)
        if (l.kernel == kernel)
          params = l.bindings.size();
    entries.push_back({s.kernels[i].symbol, params});
  }
  return fakeModule(s.kernelLibrary, s.gpuArch, entries, s.dependentLaunch,
                    extra);
}

std::vector<uint8_t> fakeCubin(const PlanSpec &s, const std::string &arch) {
  std::string text = "\x7f" "ELF// fake-arch: " + arch + "\n" + fakePtx(s);
  std::vector<uint8_t> bytes(text.begin(), text.end());
  bytes.push_back(0);
  return bytes;
}

std::vector<uint8_t> buildPayload(const PlanSpec &s) {
  flatbuffers::FlatBufferBuilder fbb;
  std::vector<flatbuffers::Offset<Tensor>> tensors;
  for (const TensorSpec &t : s.tensors)
    tensors.push_back(CreateTensorDirect(fbb, t.name.c_str(), &t.shape,
                                         t.dtype, t.role, t.offset, t.size));
  std::vector<flatbuffers::Offset<Initializer>> inits;
  for (const InitializerSpec &i : s.initializers)
    inits.push_back(
        CreateInitializer(fbb, i.tensor, i.kind, i.a, i.b, i.seed, 0, 0));
  std::vector<flatbuffers::Offset<Kernel>> kernels;
  for (const KernelSpec &k : s.kernels) {
    std::vector<flatbuffers::Offset<flatbuffers::String>> origins;
    for (const std::string &o : k.originOps)
      origins.push_back(fbb.CreateString(o));
    kernels.push_back(CreateKernelDirect(fbb, k.symbol.c_str(), &origins,
                                         k.workgroups, 1000, 2000, k.block,
                                         k.sharedBytes));
  }
  auto step = [&](const std::vector<LaunchSpec> &launches) {
    std::vector<flatbuffers::Offset<Launch>> out;
    for (const LaunchSpec &l : launches)
      out.push_back(CreateLaunch(
          fbb, l.kernel, fbb.CreateVector(l.bindings),
          l.access.empty()
              ? 0
              : fbb.CreateVector(
                    reinterpret_cast<const Access *>(l.access.data()),
                    l.access.size())));
    return CreateStepDirect(fbb, &out);
  };
  auto train = step(s.trainLaunches);
  auto eval = step(s.evalLaunches);
  auto orNull = [](const std::string &text) {
    return text.empty() ? nullptr : text.c_str();
  };
  auto plan = CreatePlanDirect(
      fbb, s.formatVersion, "dlc-test 0.1", "-O2", s.modelName.c_str(),
      "00ff", s.target.c_str(), "x86-64", "+sse2", &tensors, s.memorySize,
      s.arenaOffset, s.arenaSize, s.naiveSize, &inits, &kernels, &s.code,
      train, eval, s.batch, &s.imageShape, s.classes, s.image, s.label, s.lr,
      s.weightDecay, s.momentum, s.validRows, s.trainLoss, s.trainCorrect,
      s.evalLoss, s.evalCorrect, s.hasMomentumState, s.defaultLr,
      s.defaultWeightDecay, s.defaultMomentum, s.defaultEpochs,
      orNull(s.gpuArch), orNull(s.ptx), s.cubin.empty() ? nullptr : &s.cubin,
      s.gatherKernel, s.accumulateKernel, s.dependentLaunch);
  FinishPlanBuffer(fbb, plan);
  return std::vector<uint8_t>(fbb.GetBufferPointer(),
                              fbb.GetBufferPointer() + fbb.GetSize());
}

std::vector<uint8_t> buildPlanFile(const PlanSpec &spec,
                                   uint32_t headerVersion) {
  std::vector<uint8_t> payload = buildPayload(spec);
  return runtime::framePlan(payload.data(), payload.size(), headerVersion);
}

runtime::Dataset makeSeparableData(int64_t rows, int64_t cols,
                                   int64_t classes, int64_t trainCount,
                                   int64_t testCount, uint64_t seed) {
  std::mt19937_64 rng(seed);
  int64_t pixels = rows * cols;
  auto fill = [&](runtime::IdxImages &images, runtime::IdxLabels &labels,
                  int64_t count) {
    images.count = labels.count = count;
    images.rows = rows;
    images.cols = cols;
    images.pixels.resize(count * pixels);
    labels.labels.resize(count);
    for (int64_t i = 0; i < count; ++i) {
      int64_t c = static_cast<int64_t>(rng() % classes);
      labels.labels[i] = static_cast<uint8_t>(c);
      for (int64_t p = 0; p < pixels; ++p) {
        bool on = p * classes / pixels == c;
        int noise = static_cast<int>(rng() % 96);
        images.pixels[i * pixels + p] =
            static_cast<uint8_t>(on ? 159 + noise : noise);
      }
    }
  };
  runtime::Dataset d;
  fill(d.trainImages, d.trainLabels, trainCount);
  fill(d.testImages, d.testLabels, testCount);
  return d;
}

void writeIdxDataset(const runtime::Dataset &data, const std::string &dir) {
  auto be32 = [](std::vector<uint8_t> &out, uint32_t v) {
    for (int shift = 24; shift >= 0; shift -= 8)
      out.push_back(static_cast<uint8_t>(v >> shift));
  };
  auto images = [&](const runtime::IdxImages &im, const std::string &name) {
    std::vector<uint8_t> out;
    be32(out, 0x803);
    be32(out, static_cast<uint32_t>(im.count));
    be32(out, static_cast<uint32_t>(im.rows));
    be32(out, static_cast<uint32_t>(im.cols));
    out.insert(out.end(), im.pixels.begin(), im.pixels.end());
    writeFileBytes(dir + "/" + name, out);
  };
  auto labels = [&](const runtime::IdxLabels &l, const std::string &name) {
    std::vector<uint8_t> out;
    be32(out, 0x801);
    be32(out, static_cast<uint32_t>(l.count));
    out.insert(out.end(), l.labels.begin(), l.labels.end());
    writeFileBytes(dir + "/" + name, out);
  };
  images(data.trainImages, "train-images-idx3-ubyte");
  labels(data.trainLabels, "train-labels-idx1-ubyte");
  images(data.testImages, "t10k-images-idx3-ubyte");
  labels(data.testLabels, "t10k-labels-idx1-ubyte");
}

} // namespace test
} // namespace dlc
