//===- CompiledKernelTest.cpp - compiled kernels against the reference ----===//
//
// Every kernel the CPU backend emits, and whole train/eval steps run from the
// memory plan, must compute what the double-precision reference executor
// computes on the same dl ops, on fresh random inputs.
//
//===----------------------------------------------------------------------===//

#include "dlc/Driver/Compiler.h"
#include "dlc/Dialect/DL/IR/DLOps.h"
#include "dlc/Dialect/DL/Transforms/Passes.h"
#include "dlc/FrontEnd/ModelParser.h"
#include "dlc/Reference/ReferenceExecutor.h"

#include "GPUSimulator.h"
#include "plan/CodeObject.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <map>
#include <optional>
#include <random>

using namespace mlir;
using namespace dlc;
namespace ref = dlc::reference;

namespace {

uint64_t testSeed() {
  if (const char *env = std::getenv("DLC_TEST_SEED"))
    return std::strtoull(env, nullptr, 10);
  return std::random_device{}();
}

struct Compiled {
  MLIRContext context;
  OwningOpRef<ModuleOp> trainGraph; // train_step/eval_step in dl ops
  OwningOpRef<ModuleOp> fused;      // kernels as dl ops
  NativeCode code;
  std::unique_ptr<runtime::CodeObject> object;
  // GPU mapping: static slices, so a launch is exactly `workgroups` calls.
  bool staticSlices = false;

  Compiled() : context(registry()) { context.loadAllAvailableDialects(); }
  static DialectRegistry registry() {
    DialectRegistry r;
    registerCompilerDialects(r);
    return r;
  }
};

/// With `gpuMapping`, the kernels use the CUDA target's thread mapping
/// (dl-map-kernels-to-gpu), run sequentially on the CPU, or with
/// `simulateGPU` the GPU kernels themselves on the GPU simulator.
/// `vectorMinFlops` overrides the size under which kernels keep scalar
/// loops.
std::unique_ptr<Compiled>
compileModel(const std::string &text, int64_t batch, bool gpuMapping = false,
             std::optional<int64_t> vectorMinFlops = std::nullopt,
             unsigned compileThreads = 0, const std::string &cpu = "native",
             const cuda::CUDATargetOptions &cudaOptions = {},
             bool simulateGPU = false) {
  auto result = std::make_unique<Compiled>();
  llvm::SourceMgr sm;
  sm.AddNewSourceBuffer(llvm::MemoryBuffer::getMemBufferCopy(text, "test.dl"),
                        llvm::SMLoc());
  FrontEndOptions options;
  options.batchOverride = batch;
  OwningOpRef<ModuleOp> module =
      parseModelFile(sm, &result->context, options);
  if (!module)
    return nullptr;
  CompileOptions compile;
  compile.gpuMappingOnCPU = gpuMapping;
  compile.simulateGPU = simulateGPU;
  compile.target.vectorMinFlops = vectorMinFlops;
  compile.compileThreads = compileThreads;
  compile.target.cpu = cpu;
  compile.cuda = cudaOptions;
  if (failed(runToStage(*module, Stage::TrainGraph, compile)))
    return nullptr;
  result->trainGraph = module->clone();
  if (failed(runToStage(*module, Stage::Fused, compile)))
    return nullptr;
  result->fused = module->clone();
  FailureOr<NativeCode> code = compileToNative(*module, compile);
  if (failed(code))
    return nullptr;
  result->code = std::move(*code);
  result->staticSlices = gpuMapping;
  std::string error;
  result->object = runtime::CodeObject::load(
      reinterpret_cast<const uint8_t *>(result->code.sharedObject.data()),
      result->code.sharedObject.size(), "test", error);
  EXPECT_TRUE(result->object) << error;
  return result->object ? std::move(result) : nullptr;
}

std::string readModel(const std::string &name) {
  auto buffer = llvm::MemoryBuffer::getFile(DLC_MODELS_DIR "/" + name);
  return buffer ? (*buffer)->getBuffer().str() : std::string();
}

/// Random contents for an argument of `type`. `classes` bounds labels,
/// `rows` bounds valid_rows.
ref::Tensor randomTensor(Type type, std::mt19937_64 &rng, int64_t classes,
                         int64_t rows, bool isHyper = false) {
  ref::Tensor t;
  Type element = type;
  if (auto tensor = dyn_cast<RankedTensorType>(type)) {
    t.shape.assign(tensor.getShape().begin(), tensor.getShape().end());
    element = tensor.getElementType();
  }
  t.data.resize(t.numElements());
  std::normal_distribution<double> normal(0.0, 1.0);
  std::uniform_real_distribution<double> hyper(0.01, 0.5);
  for (double &v : t.data) {
    if (element.isInteger(32)) {
      v = t.shape.empty()
              ? std::uniform_int_distribution<int64_t>(1, rows)(rng)
              : std::uniform_int_distribution<int64_t>(0, classes - 1)(rng);
    } else {
      // Kept on float's grid so both sides start from the same values.
      v = static_cast<float>(isHyper || t.shape.empty() ? hyper(rng)
                                                        : normal(rng));
    }
  }
  return t;
}

/// |a - b| <= 1e-4 * (|b| + rms(reference)) + floor for every element. A
/// loss is a difference of log-sum-exp and a picked logit: float rounding
/// of those O(1) terms bounds its absolute error, hence a larger floor.
bool expectClose(const ref::Tensor &expected, const float *actual,
                 const std::string &what) {
  const double floor = expected.shape.empty() ? 1e-5 : 1e-7;
  double rms = 0;
  for (double v : expected.data)
    rms += v * v;
  rms = std::sqrt(rms / std::max<size_t>(1, expected.data.size()));
  int reported = 0;
  for (size_t i = 0; i < expected.data.size(); ++i) {
    double diff = std::fabs(actual[i] - expected.data[i]);
    double tol = 1e-4 * (std::fabs(expected.data[i]) + rms) + floor;
    if (!(diff <= tol) && reported++ < 5)
      ADD_FAILURE() << what << "[" << i << "]: compiled " << actual[i]
                    << ", reference " << expected.data[i];
  }
  return reported == 0;
}

int64_t classesOf(func::FuncOp func) {
  // A softmax's logits say; else the first matrix argument's columns.
  int64_t classes = 0;
  func.walk([&](Operation *op) {
    if (isa<dl::SoftmaxCEOp, dl::SoftmaxCEGradOp, dl::SoftmaxCEEvalOp>(op))
      classes = cast<RankedTensorType>(op->getOperand(0).getType())
                    .getDimSize(1);
  });
  if (classes)
    return classes;
  for (Type t : func.getArgumentTypes())
    if (auto tensor = dyn_cast<RankedTensorType>(t))
      if (tensor.getRank() == 2 && tensor.getElementType().isF32())
        return tensor.getDimSize(1);
  return 10;
}

int64_t rowsOf(func::FuncOp func) {
  for (Type t : func.getArgumentTypes())
    if (auto tensor = dyn_cast<RankedTensorType>(t))
      if (tensor.getRank() >= 1)
        return tensor.getDimSize(0);
  return 1;
}

/// Runs every slice of a kernel, as the runtime may spread them over threads
/// (a block of the GPU simulator's, which must find no error).
void runKernel(dlc_kernel_fn fn, std::vector<void *> &buffers,
               int64_t workgroups) {
  for (int64_t wg = 0; wg < workgroups; ++wg)
    fn(buffers.data(), wg, workgroups);
  EXPECT_EQ(test::takeGPUSimulatorError(), "");
}

/// The fused kernel plan kernel `symbol` runs: itself, or the kernel whose
/// phase `<kernel>_p<i>` it is (the GPU's phased kernels have only phases).
std::string fusedKernelOf(ModuleOp kernels, StringRef symbol) {
  if (kernels.lookupSymbol<func::FuncOp>(symbol))
    return symbol.str();
  return symbol.substr(0, symbol.rfind("_p")).str();
}

/// Each kernel alone, in its own buffers, against its dl ops. A kernel split
/// into phases (`<kernel>_p<i>`, the plan kernels after it) runs them all.
void checkEveryKernel(Compiled &c, std::mt19937_64 &rng) {
  auto kernels = c.fused->lookupSymbol<ModuleOp>(dl::kKernelsModuleName);
  ASSERT_TRUE(kernels);
  const auto &planned = c.code.memory.kernels;
  for (size_t k = 0; k < planned.size(); ++k) {
    // The simulated CUDA plan's data kernels have no dl ops (they run in
    // SimulatedGPUTrainingTest).
    if ((int)k == c.code.gatherKernel || (int)k == c.code.accumulateKernel)
      continue;
    const plan::PlannedKernel &pk = planned[k];
    SCOPED_TRACE(pk.symbol);
    std::vector<const plan::PlannedKernel *> phases = {&pk};
    std::string kernel = fusedKernelOf(kernels, pk.symbol);
    while (k + 1 < planned.size() &&
           fusedKernelOf(kernels, planned[k + 1].symbol) == kernel)
      phases.push_back(&planned[++k]);
    auto func = kernels.lookupSymbol<func::FuncOp>(kernel);
    ASSERT_TRUE(func);
    auto aliases = func->getAttrOfType<DenseI64ArrayAttr>("dl.result_aliases");
    int64_t classes = classesOf(func), rows = rowsOf(func);

    std::vector<ref::Tensor> inputs;
    for (Type t : func.getArgumentTypes())
      inputs.push_back(randomTensor(t, rng, classes, rows));
    FailureOr<std::vector<ref::Tensor>> expected = ref::run(func, inputs);
    ASSERT_TRUE(succeeded(expected));

    // Buffers in ABI order: inputs, non-aliased outputs, scratch.
    std::vector<std::vector<float>> storage;
    auto addBuffer = [&](const ref::Tensor &t, bool isInt) {
      std::vector<float> data(std::max<int64_t>(1, t.numElements()));
      for (size_t i = 0; i < t.data.size(); ++i) {
        if (isInt) {
          int32_t v = static_cast<int32_t>(t.data[i]);
          std::memcpy(&data[i], &v, 4);
        } else {
          data[i] = static_cast<float>(t.data[i]);
        }
      }
      storage.push_back(std::move(data));
    };
    auto isInt = [](Type t) { return getElementTypeOrSelf(t).isInteger(32); };
    for (auto [t, type] : llvm::zip(inputs, func.getArgumentTypes()))
      addBuffer(t, isInt(type));
    std::vector<int> outputBuffer;
    for (auto [i, type] : llvm::enumerate(func.getResultTypes())) {
      if (aliases[i] >= 0) {
        outputBuffer.push_back(aliases[i]);
        continue;
      }
      outputBuffer.push_back(storage.size());
      ref::Tensor garbage = randomTensor(type, rng, classes, rows);
      addBuffer(garbage, isInt(type));
    }
    size_t numArgs = pk.argumentTypes.size();
    while (storage.size() < numArgs) {
      // Scratch starts as NaN: a kernel must not read what it did not write.
      auto type = cast<ShapedType>(pk.argumentTypes[storage.size()]);
      storage.emplace_back(std::max<int64_t>(1, type.getNumElements()), NAN);
    }
    std::vector<void *> buffers;
    for (auto &s : storage)
      buffers.push_back(s.data());
    for (const plan::PlannedKernel *phase : phases) {
      dlc_kernel_fn fn = c.object->lookup(phase->symbol);
      ASSERT_TRUE(fn) << phase->symbol;
      runKernel(fn, buffers, phase->workgroups);
    }

    for (auto [i, type] : llvm::enumerate(func.getResultTypes())) {
      const std::vector<float> &out = storage[outputBuffer[i]];
      if (isInt(type)) {
        for (size_t e = 0; e < (*expected)[i].data.size(); ++e) {
          int32_t v;
          std::memcpy(&v, &out[e], 4);
          EXPECT_EQ(v, (int32_t)(*expected)[i].data[e]) << "result " << i;
        }
      } else {
        expectClose((*expected)[i], out.data(), "result " + std::to_string(i));
      }
    }
  }
}

/// The whole train and eval steps from the memory plan against the
/// reference's train_step/eval_step.
void checkSteps(Compiled &c, std::mt19937_64 &rng) {
  const plan::MemoryPlan &mp = c.code.memory;
  std::vector<float> block(mp.memorySize / 4 + 16, NAN);
  auto at = [&](int tensor) { return block.data() + mp.tensors[tensor].offset / 4; };

  auto trainStep = c.trainGraph->lookupSymbol<func::FuncOp>(dl::kTrainStepName);
  auto evalStep = c.trainGraph->lookupSymbol<func::FuncOp>(dl::kEvalStepName);
  int64_t classes = mp.classes, rows = mp.batch;

  // Bind the reference's arguments to the plan's fixed slots.
  auto slotFor = [&](func::FuncOp step, unsigned arg) -> int {
    DictionaryAttr attrs = step.getArgAttrDict(arg);
    for (auto [i, t] : llvm::enumerate(mp.tensors)) {
      if (auto p = attrs.getAs<StringAttr>(dl::kParamArgAttr))
        if (t.role == plan::TensorRole::Parameter && t.name == p.getValue())
          return i;
      if (auto v = attrs.getAs<StringAttr>(dl::kVelocityArgAttr))
        if (t.role == plan::TensorRole::Velocity &&
            t.name == (v.getValue() + ".velocity").str())
          return i;
    }
    if (attrs.get(dl::kInputArgAttr))
      return mp.image;
    if (attrs.get(dl::kLabelArgAttr))
      return mp.label;
    StringRef hyper = attrs.getAs<StringAttr>(dl::kHyperArgAttr).getValue();
    return hyper == "lr" ? mp.lr
           : hyper == "weight_decay" ? mp.weightDecay
           : hyper == "momentum"     ? mp.momentum
                                     : mp.validRows;
  };
  auto fill = [&](func::FuncOp step, std::vector<ref::Tensor> &args) {
    for (unsigned i = 0; i < step.getNumArguments(); ++i) {
      int slot = slotFor(step, i);
      ASSERT_GE(slot, 0);
      bool isHyper = mp.tensors[slot].role == plan::TensorRole::Hyper;
      ref::Tensor t = randomTensor(step.getArgumentTypes()[i], rng, classes,
                                   rows, isHyper);
      if (mp.tensors[slot].role == plan::TensorRole::Image)
        for (double &v : t.data)
          v = static_cast<float>(std::fabs(v) / 3); // pixels in [0, ~1]
      float *dst = at(slot);
      for (size_t e = 0; e < t.data.size(); ++e) {
        if (mp.tensors[slot].isInteger) {
          int32_t v = static_cast<int32_t>(t.data[e]);
          std::memcpy(&dst[e], &v, 4);
        } else {
          dst[e] = static_cast<float>(t.data[e]);
        }
      }
      args.push_back(std::move(t));
    }
  };
  auto runLaunch = [&](const plan::PlannedLaunch &l) {
    std::vector<void *> buffers;
    for (int b : l.bindings)
      buffers.push_back(at(b));
    const plan::PlannedKernel &k = mp.kernels[l.kernel];
    // Uneven slices, as the runtime makes with fewer threads than rows.
    runKernel(c.object->lookup(k.symbol), buffers,
              c.staticSlices ? k.workgroups
                             : std::min<int64_t>(k.workgroups, 3));
  };
  // A tensor of the plan as the reference's input.
  auto readTensor = [&](int slot, Type type) {
    ref::Tensor t;
    auto shaped = dyn_cast<ShapedType>(type);
    if (shaped)
      t.shape.assign(shaped.getShape().begin(), shaped.getShape().end());
    bool isInt = getElementTypeOrSelf(type).isInteger(32);
    const float *src = at(slot);
    for (int64_t e = 0; e < t.numElements(); ++e) {
      if (isInt) {
        int32_t v;
        std::memcpy(&v, &src[e], 4);
        t.data.push_back(v);
      } else {
        t.data.push_back(src[e]);
      }
    }
    return t;
  };
  // Runs a step's launches, each kernel (with its phases) checked in place:
  // its inputs as they are in the memory block, which must hold exactly
  // what their producers wrote earlier in the step (the plan's lifetimes),
  // and its results against the reference on those same inputs. Unlike
  // comparing the whole step with the reference, this sees no relu or
  // max-pool decision flip between float and double forward values, which
  // moves a gradient by a whole term.
  auto kernelsModule = c.fused->lookupSymbol<ModuleOp>(dl::kKernelsModuleName);
  auto run = [&](ArrayRef<plan::PlannedLaunch> launches) {
    std::map<int, std::vector<float>> written; // tensor -> what it holds
    for (size_t i = 0; i < launches.size();) {
      const plan::PlannedLaunch &l = launches[i];
      const plan::PlannedKernel &k = mp.kernels[l.kernel];
      SCOPED_TRACE(k.symbol + " in the step");
      size_t end = i + 1;
      std::string kernel = fusedKernelOf(kernelsModule, k.symbol);
      while (end < launches.size() &&
             mp.kernels[launches[end].kernel].symbol != k.symbol &&
             fusedKernelOf(kernelsModule,
                           mp.kernels[launches[end].kernel].symbol) == kernel)
        ++end;
      auto func = kernelsModule.lookupSymbol<func::FuncOp>(kernel);
      ASSERT_TRUE(func);
      auto aliases =
          func->getAttrOfType<DenseI64ArrayAttr>("dl.result_aliases");
      std::vector<ref::Tensor> inputs;
      for (auto [a, type] : llvm::enumerate(func.getArgumentTypes())) {
        int slot = l.bindings[a];
        if (auto it = written.find(slot); it != written.end()) {
          EXPECT_EQ(std::memcmp(it->second.data(), at(slot),
                                it->second.size() * 4),
                    0)
              << "input " << a << " (" << mp.tensors[slot].name
              << ") changed since it was written";
        }
        inputs.push_back(readTensor(slot, type));
      }
      FailureOr<std::vector<ref::Tensor>> expected = ref::run(func, inputs);
      ASSERT_TRUE(succeeded(expected));
      for (size_t p = i; p < end; ++p)
        runLaunch(launches[p]);
      size_t next = func.getNumArguments();
      for (auto [r, type] : llvm::enumerate(func.getResultTypes())) {
        int slot = aliases[r] >= 0 ? l.bindings[aliases[r]] : l.bindings[next++];
        const float *out = at(slot);
        if (getElementTypeOrSelf(type).isInteger(32)) {
          int32_t v;
          std::memcpy(&v, out, 4);
          EXPECT_NEAR(v, (*expected)[r].data[0], 1) << "result " << r;
        } else {
          expectClose((*expected)[r], out, "result " + std::to_string(r));
        }
        written[slot].assign(out, out + (*expected)[r].numElements());
      }
      i = end;
    }
  };
  auto readInt = [&](int slot) {
    int32_t v;
    std::memcpy(&v, at(slot), 4);
    return v;
  };

  // Train step: updated parameters and velocities, loss, correct.
  std::vector<ref::Tensor> args;
  fill(trainStep, args);
  FailureOr<std::vector<ref::Tensor>> expected = ref::run(trainStep, args);
  ASSERT_TRUE(succeeded(expected));
  run(mp.trainLaunches);
  // The loss is continuous in the forward values: to the reference's. The
  // updated parameters land where the reference's do, to the precision a
  // relu or max-pool decision flip allows (a few % of one filter); each
  // kernel was checked tightly in place above.
  unsigned numState = trainStep.getNumResults() - 2;
  for (unsigned i = 0; i < numState; ++i) {
    int slot = slotFor(trainStep, i);
    const ref::Tensor &want = (*expected)[i];
    double err = 0, norm = 0;
    for (size_t e = 0; e < want.data.size(); ++e) {
      double d = at(slot)[e] - want.data[e];
      err += d * d;
      norm += want.data[e] * want.data[e];
    }
    EXPECT_LE(std::sqrt(err), 0.05 * std::sqrt(norm) + 1e-6)
        << mp.tensors[slot].name << " after the step";
  }
  expectClose((*expected)[numState], at(mp.trainLoss), "loss");
  EXPECT_NEAR(readInt(mp.trainCorrect), (*expected)[numState + 1].data[0], 1);

  // Eval step with a random number of valid rows.
  args.clear();
  fill(evalStep, args);
  FailureOr<std::vector<ref::Tensor>> evalExpected = ref::run(evalStep, args);
  ASSERT_TRUE(succeeded(evalExpected));
  run(mp.evalLaunches);
  expectClose((*evalExpected)[0], at(mp.evalLoss), "eval loss sum");
  EXPECT_NEAR(readInt(mp.evalCorrect), (*evalExpected)[1].data[0], 1);
}

// relu and max pooling use a max that keeps NaN (and is cheaper than
// arith.maximumf, which also orders -0 below +0): a NaN pixel must reach
// the relu output and its pooling window, and a negative one must not.
TEST(CompiledModel, ReluAndMaxPoolKeepNaN) {
  auto compiled = compileModel(R"(model nan
input image: f32[1, 1, 4, 4]
label label: i32[1] classes 2
a = max_pool2d(relu(conv2d(image, 1, kernel=1)), kernel=2, stride=2)
logits = dense(flatten(a), 2)
loss = softmax_ce(logits, label)
train sgd(lr=0.1)
)",
                               0);
  ASSERT_TRUE(compiled);
  auto find = [&](StringRef prefix) -> const plan::PlannedKernel * {
    for (const plan::PlannedKernel &k : compiled->code.memory.kernels)
      if (StringRef(k.symbol).contains(prefix))
        return &k;
    return nullptr;
  };
  const plan::PlannedKernel *conv = find("conv2d_relu");
  const plan::PlannedKernel *pool = find("_max_pool2d");
  ASSERT_TRUE(conv && pool);
  ASSERT_EQ(conv->argumentTypes.size(), 4u); // image, weight, bias, out
  ASSERT_EQ(pool->argumentTypes.size(), 2u); // in, out

  std::vector<float> image(16, 1.0f), weight = {1.0f}, bias = {0.0f},
                     relu(16, 7.0f), pooled(4, 7.0f);
  image[0] = -2.0f; // relu -> 0
  image[5] = NAN;   // row 1, col 1: the first 2x2 window
  std::vector<void *> convArgs = {image.data(), weight.data(), bias.data(),
                                  relu.data()};
  runKernel(compiled->object->lookup(conv->symbol), convArgs,
            conv->workgroups);
  EXPECT_EQ(relu[0], 0.0f);
  EXPECT_TRUE(std::isnan(relu[5]));
  EXPECT_EQ(relu[15], 1.0f);
  std::vector<void *> poolArgs = {relu.data(), pooled.data()};
  runKernel(compiled->object->lookup(pool->symbol), poolArgs,
            pool->workgroups);
  EXPECT_TRUE(std::isnan(pooled[0]));
  EXPECT_EQ(pooled[1], 1.0f);
  EXPECT_EQ(pooled[3], 1.0f);
}

// Pooling whose windows tile the input (stride == kernel) has its own
// gradient form: each input element reads its window and takes dy when it
// holds the window's first (row-major) maximum. Ties are the case random
// inputs never reach, NaN windows pass no gradient (as the general form).
TEST(CompiledModel, TilingMaxPoolGradientGoesToFirstMaximum) {
  // k = 2 takes the CPU's strided-window vector code (chunks of 8 windows:
  // 20 across is two full chunks and a masked one), k = 3 plain loops.
  for (int64_t k : {2, 3}) {
    SCOPED_TRACE("kernel " + std::to_string(k));
    const int64_t N = 2, C = 2, OH = 2, OW = 20, H = OH * k, W = OW * k;
    std::string text =
        "model tiles\ninput image: f32[2, 1, " + std::to_string(H) + ", " +
        std::to_string(W) +
        "]\nlabel label: i32[2] classes 3\nc = conv2d(image, 2, kernel=1)\n"
        "p = max_pool2d(c, kernel=" + std::to_string(k) + ", stride=" +
        std::to_string(k) +
        ")\nlogits = dense(flatten(p), 3)\nloss = softmax_ce(logits, label)\n"
        "train sgd(lr=0.1)\n";
    auto compiled = compileModel(text, 0);
    ASSERT_TRUE(compiled);
    const plan::PlannedKernel *grad = nullptr;
    for (const plan::PlannedKernel &pk : compiled->code.memory.kernels)
      if (StringRef(pk.symbol).ends_with("_max_pool2d_grad"))
        grad = &pk;
    ASSERT_TRUE(grad);
    ASSERT_EQ(grad->argumentTypes.size(), 3u); // dy, x, dx

    std::mt19937_64 rng(testSeed());
    std::uniform_int_distribution<int> level(0, 2);
    std::vector<float> x(N * C * H * W), dy(N * C * OH * OW),
        dx(x.size(), 7.0f);
    for (float &v : x)
      v = static_cast<float>(level(rng)); // three levels: many ties
    x[1] = NAN;     // first window of image 0, channel 0
    x[W + 5] = NAN; // and one in the third window's second row
    for (auto [i, v] : llvm::enumerate(dy))
      v = 1.0f + static_cast<float>(i);
    std::vector<void *> args = {dy.data(), x.data(), dx.data()};
    runKernel(compiled->object->lookup(grad->symbol), args, grad->workgroups);

    std::vector<float> expected(x.size(), 0.0f);
    for (int64_t n = 0; n < N; ++n)
      for (int64_t c = 0; c < C; ++c)
        for (int64_t oh = 0; oh < OH; ++oh)
          for (int64_t ow = 0; ow < OW; ++ow) {
            auto at = [&](int64_t i, int64_t j) {
              return ((n * C + c) * H + oh * k + i) * W + ow * k + j;
            };
            int64_t first = -1;
            bool nan = false;
            float best = -INFINITY;
            for (int64_t i = 0; i < k; ++i)
              for (int64_t j = 0; j < k; ++j) {
                float v = x[at(i, j)];
                nan |= std::isnan(v);
                if (v > best) {
                  best = v;
                  first = at(i, j);
                }
              }
            if (!nan)
              expected[first] = dy[((n * C + c) * OH + oh) * OW + ow];
          }
    for (size_t i = 0; i < x.size(); ++i)
      EXPECT_EQ(dx[i], expected[i]) << "element " << i << ", x " << x[i];
  }
}

class TilingPool : public ::testing::TestWithParam<std::string> {};

TEST_P(TilingPool, KernelsMatchReference) {
  uint64_t seed = testSeed();
  SCOPED_TRACE("DLC_TEST_SEED=" + std::to_string(seed));
  std::mt19937_64 rng(seed);
  std::string text = "model tiles\n"
                     "input image: f32[3, 2, 9, 12]\n"
                     "label label: i32[3] classes 4\n"
                     "c = relu(conv2d(image, 5, kernel=1))\n"
                     "p = " + GetParam() + "(c, kernel=3, stride=3)\n"
                     "logits = dense(flatten(p), 4)\n"
                     "loss = softmax_ce(logits, label)\n"
                     "train sgd(lr=0.1)\n";
  SCOPED_TRACE(text);
  for (bool gpuMapping : {false, true}) {
    auto compiled = compileModel(text, 0, gpuMapping);
    ASSERT_TRUE(compiled);
    checkEveryKernel(*compiled, rng);
    checkSteps(*compiled, rng);
  }
}

INSTANTIATE_TEST_SUITE_P(Pools, TilingPool,
                         ::testing::Values("max_pool2d", "avg_pool2d"));

/// `text` compiled for the CPU and with the GPU mapping: every kernel and
/// whole steps against the reference, on inputs from a fresh seed.
void checkCPUAndGPUMapping(const char *text) {
  uint64_t seed = testSeed();
  SCOPED_TRACE("DLC_TEST_SEED=" + std::to_string(seed));
  std::mt19937_64 rng(seed);
  for (bool gpuMapping : {false, true}) {
    SCOPED_TRACE(gpuMapping ? "GPU mapping" : "CPU");
    auto compiled = compileModel(text, 0, gpuMapping);
    ASSERT_TRUE(compiled);
    checkEveryKernel(*compiled, rng);
    checkSteps(*compiled, rng);
  }
}

// A convolution right after a relu'd one: the second's input gradient (the
// gather form on the CPU, the scatter form for the GPU mapping) carries the
// first's relu gradient, fused into its register blocks on the CPU.
TEST(CompiledModel, ConvInputGradientWithReluGradient) {
  // Big enough (over 1 MFLOP) for the gradients to be vectorized.
  const char *text = R"(model chain
input image: f32[24, 2, 13, 11]
label label: i32[24] classes 3
c1 = relu(conv2d(image, 5, kernel=3, padding=1))
c2 = relu(conv2d(c1, 7, kernel=3, padding=1))
c3 = sigmoid(conv2d(c2, 3, kernel=4))
logits = dense(flatten(c3), 3)
loss = softmax_ce(logits, label)
train sgd(lr=0.1)
)";
  checkCPUAndGPUMapping(text);
}

/// Compiles `text` at `batch` (0: the model's) with these options and
/// checks every kernel and whole steps against the reference, on inputs
/// from a fresh seed (DLC_TEST_SEED reproduces one).
void checkAgainstReference(const std::string &text, int64_t batch,
                           bool gpuMapping,
                           std::optional<int64_t> vectorMinFlops,
                           const std::string &cpu = "native",
                           const cuda::CUDATargetOptions &cudaOptions = {},
                           bool simulateGPU = false) {
  uint64_t seed = testSeed();
  SCOPED_TRACE("DLC_TEST_SEED=" + std::to_string(seed));
  std::mt19937_64 rng(seed);
  auto compiled = compileModel(text, batch, gpuMapping, vectorMinFlops,
                               /*compileThreads=*/0, cpu, cudaOptions,
                               simulateGPU);
  ASSERT_TRUE(compiled);
  int64_t blocks = test::gpuSimulatorBlocks();
  checkEveryKernel(*compiled, rng);
  checkSteps(*compiled, rng);
  if (simulateGPU) {
    EXPECT_GT(test::gpuSimulatorBlocks(), blocks) << "nothing simulated";
  }
}

class CompiledModel : public ::testing::TestWithParam<std::string> {
protected:
  /// Compiles the model file at `batch` with these options and checks every
  /// kernel and whole steps against the reference.
  void check(int64_t batch, bool gpuMapping,
             std::optional<int64_t> vectorMinFlops, const std::string &cpu) {
    std::string text = readModel(GetParam());
    ASSERT_FALSE(text.empty()) << GetParam();
    checkAgainstReference(text, batch, gpuMapping, vectorMinFlops, cpu);
  }
};

// A small batch keeps the double-precision reference quick.
TEST_P(CompiledModel, KernelsAndStepsMatchReference) {
  check(8, /*gpuMapping=*/false, std::nullopt, "native");
}

// Code for an AVX2 CPU (16 registers of 8 lanes: smaller register blocks,
// 16-lane vectors at most), every kernel through the vector code; it runs
// on any x86-64 CPU with AVX2.
TEST_P(CompiledModel, AVX2KernelsMatchReference) {
  check(16, /*gpuMapping=*/false, /*vectorMinFlops=*/0, "x86-64-v3");
}

// The GPU kernels' iteration split (block slices, thread loops, reductions
// shared by idle threads and added atomically) and their polynomial exp/log,
// checked on the CPU: the batch of 40 makes some ops split their reduction.
TEST_P(CompiledModel, GPUThreadMappingMatchesReference) {
  check(40, /*gpuMapping=*/true, std::nullopt, "native");
}

// The same with the GPU's split sums added atomically (dlc
// --gpu-ordered-splits=false): fills and epilogues as phases of their own.
TEST(CompiledModel, GPUThreadMappingWithAtomicSplits) {
  cuda::CUDATargetOptions atomic;
  atomic.orderedSplits = false;
  for (const char *name : {"mlp.dl", "lenet_relu.dl"}) {
    SCOPED_TRACE(name);
    checkAgainstReference(readModel(name), 40, /*gpuMapping=*/true,
                          std::nullopt, "native", atomic);
  }
}

// The same with tiled products storing each thread's columns as vectors
// (dlc --gpu-vector-stores): 4 wide for the MLP's layers and LeNet's first
// convolution (rows of 28), 2 wide for its second (rows of 10) and the
// column matrix of its input gradient; through relu epilogues and from
// bias inits at a batch of 40 (partial row tiles), and at 128 also the
// weight gradients through their SGD and momentum steps, which write
// another buffer. Each vector store asserts its alignment on the CPU.
TEST(CompiledModel, GPUThreadMappingWithVectorStores) {
  cuda::CUDATargetOptions vectors;
  vectors.vectorStores = true;
  for (int64_t batch : {40, 128})
    for (const char *name : {"mlp.dl", "lenet_relu.dl", "cnn_wd.dl"}) {
      SCOPED_TRACE(std::string(name) + " batch " + std::to_string(batch));
      checkAgainstReference(readModel(name), batch, /*gpuMapping=*/true,
                            std::nullopt, "native", vectors);
    }
}

// The same with products of few outputs per row by warps (dlc
// --gpu-row-products): the MLP's and softmax regression's heads (K 256 and
// 784, the latter leaving lanes past its end); a layer of 13 outputs a row
// (odd, the pitch itself) over K = 784, from its bias and through its
// relu, on 37 rows (a block's last warps without a row); and the input
// gradient of the next layer (13 outputs a row over its 160 outputs'
// gradients, B read along k), through the relu's gradient.
TEST(CompiledModel, GPUThreadMappingWithRowProducts) {
  cuda::CUDATargetOptions rows;
  rows.rowProducts = true;
  const std::pair<std::string, int64_t> models[] = {
      {readModel("mlp.dl"), 40},
      {readModel("softmax_regression.dl"), 40},
      {R"(model rows
input image: f32[37, 1, 28, 28]
label label: i32[37] classes 7
x = flatten(image)
h = relu(dense(x, 13))
g = relu(dense(h, 160))
logits = dense(g, 7)
loss = softmax_ce(logits, label)
train sgd(lr=0.3, weight_decay=0.01, momentum=0.9) epochs 1
)",
       0}};
  for (const auto &[text, batch] : models) {
    SCOPED_TRACE(text.substr(0, text.find('\n')));
    checkAgainstReference(text, batch, /*gpuMapping=*/true, std::nullopt,
                          "native", rows);
  }
}

// The GPU kernels themselves (dl-simulate-gpu-on-cpu), each block's threads
// as fibers of the GPU simulator: barriers, workgroup memory, shuffles,
// the tiles' loads carried a step ahead and the ordered splits' tickets,
// which the sequential form above replaces by loops.
TEST_P(CompiledModel, SimulatedGPUKernelsMatchReference) {
  checkAgainstReference(readModel(GetParam()), 40, /*gpuMapping=*/true,
                        std::nullopt, "native", {}, /*simulateGPU=*/true);
}

// The same with every GPU option that is off by default (dlc
// --gpu-row-products --gpu-workgroup-scratch --gpu-vector-stores
// --gpu-fuse-loss-gradient), and
// with split sums added atomically (--gpu-ordered-splits=false): the MLP at
// its own batch of 256 (a head of 32 row-product blocks, its loss's scratch
// in workgroup memory) and at 40, LeNet at 40.
TEST(CompiledModel, SimulatedGPUKernelsWithOptions) {
  cuda::CUDATargetOptions every;
  every.rowProducts = every.workgroupScratch = every.vectorStores = true;
  every.fuseLossGradient = true;
  cuda::CUDATargetOptions atomic;
  atomic.orderedSplits = false;
  const std::pair<const char *, int64_t> runs[] = {
      {"mlp.dl", 0}, {"mlp.dl", 40}, {"lenet_relu.dl", 40}};
  for (const cuda::CUDATargetOptions &options : {every, atomic})
    for (auto [name, batch] : runs) {
      SCOPED_TRACE(std::string(name) + " batch " + std::to_string(batch) +
                   (options.orderedSplits ? " every option" : " atomic"));
      checkAgainstReference(readModel(name), batch, /*gpuMapping=*/true,
                            std::nullopt, "native", options,
                            /*simulateGPU=*/true);
    }
}

// The same with the loss's gradient fused with the dense layer before it
// and the input gradient after it (dlc --gpu-fuse-loss-gradient): one
// kernel of row slices for the MLP and the CNNs (through the relu's or
// the sigmoid's gradient), the loss a kernel of its own; softmax
// regression's head (784 features) stays as it was.
TEST(CompiledModel, GPUThreadMappingWithFusedLossGradient) {
  cuda::CUDATargetOptions fused;
  fused.fuseLossGradient = true;
  for (const char *name : {"mlp.dl", "lenet_relu.dl", "lenet.dl", "cnn_wd.dl",
                           "softmax_regression.dl"}) {
    SCOPED_TRACE(name);
    checkAgainstReference(readModel(name), 40, /*gpuMapping=*/true,
                          std::nullopt, "native", fused);
  }
}

INSTANTIATE_TEST_SUITE_P(Models, CompiledModel,
                         ::testing::Values("mlp.dl", "softmax_regression.dl",
                                           "lenet.dl", "lenet_relu.dl",
                                           "cnn_wd.dl"),
                         [](const auto &info) {
                           std::string name = info.param;
                           return name.substr(0, name.find('.'));
                         });

TEST(CompiledModel, MomentumAndWeightDecayWithoutBias) {
  uint64_t seed = testSeed();
  SCOPED_TRACE("DLC_TEST_SEED=" + std::to_string(seed));
  std::mt19937_64 rng(seed);
  auto compiled = compileModel(R"(model tiny
input image: f32[5, 3, 4, 4]
label label: i32[5] classes 7
x = flatten(image)
h = sigmoid(dense(x, 13, bias=false))
g = relu(dense(h, 11))
logits = dense(g, 7)
loss = softmax_ce(logits, label)
train sgd(lr=0.3, weight_decay=0.01, momentum=0.9) epochs 1
)",
                               0);
  ASSERT_TRUE(compiled);
  EXPECT_TRUE(compiled->code.memory.hasMomentumState);
  checkEveryKernel(*compiled, rng);
  checkSteps(*compiled, rng);
}

} // namespace

namespace {
// LLVM compiles the kernels in groups on several threads; the steps they
// make are those of the kernels compiled as one module, bit for bit.
TEST(ParallelCompile, StepsMatchOneThread) {
  std::string text = readModel("lenet_relu.dl");
  ASSERT_FALSE(text.empty());
  auto one = compileModel(text, 16, false, std::nullopt, /*compileThreads=*/1);
  auto three = compileModel(text, 16, false, std::nullopt, /*compileThreads=*/3);
  ASSERT_TRUE(one && three);
  const plan::MemoryPlan &mp = one->code.memory;
  ASSERT_EQ(mp.memorySize, three->code.memory.memorySize);
  ASSERT_EQ(mp.trainLaunches.size(), three->code.memory.trainLaunches.size());
  EXPECT_NE(one->code.sharedObject, three->code.sharedObject);

  std::mt19937_64 rng(testSeed());
  std::uniform_real_distribution<float> value(-0.5f, 0.5f);
  std::vector<float> start(mp.memorySize / 4);
  for (float &v : start)
    v = value(rng);
  auto setInt = [&](int slot, int64_t i, int32_t v) {
    std::memcpy(&start[mp.tensors[slot].offset / 4 + i], &v, 4);
  };
  for (int64_t i = 0; i < mp.batch; ++i)
    setInt(mp.label, i, static_cast<int32_t>(rng() % mp.classes));
  start[mp.tensors[mp.lr].offset / 4] = 0.1f;
  std::vector<float> ends[2];
  Compiled *compiled[2] = {one.get(), three.get()};
  for (int c = 0; c < 2; ++c) {
    std::vector<float> block = start;
    for (const plan::PlannedLaunch &l : compiled[c]->code.memory.trainLaunches) {
      std::vector<void *> buffers;
      for (int b : l.bindings)
        buffers.push_back(block.data() + mp.tensors[b].offset / 4);
      const plan::PlannedKernel &k = compiled[c]->code.memory.kernels[l.kernel];
      dlc_kernel_fn fn = compiled[c]->object->lookup(k.symbol);
      ASSERT_TRUE(fn) << k.symbol;
      runKernel(fn, buffers, std::min<int64_t>(k.workgroups, 3));
    }
    ends[c] = std::move(block);
  }
  ASSERT_EQ(ends[0].size(), ends[1].size());
  EXPECT_EQ(std::memcmp(ends[0].data(), ends[1].data(), ends[0].size() * 4), 0);
  float lossBits = ends[0][mp.tensors[mp.trainLoss].offset / 4];
  EXPECT_TRUE(std::isfinite(lossBits)) << "the step ran";
}

// Strided convolutions whose filter gradient is too heavy for one block:
// the GPU mapping sums it with the window in registers (dl::emitWindowSum,
// for the first 4 x 2 filters and channels, 2 blocks of image columns
// each), strided rows and columns included.
TEST(CompiledModel, StridedFilterGradientWindowSums) {
  const char *text = R"(model strided
input image: f32[32, 2, 23, 21]
label label: i32[32] classes 3
c1 = relu(conv2d(image, 4, kernel=3, stride=2, padding=1))
c2 = relu(conv2d(c1, 3, kernel=2, stride=2))
logits = dense(flatten(c2), 3)
loss = softmax_ce(logits, label)
train sgd(lr=0.1, momentum=0.5)
)";
  checkCPUAndGPUMapping(text);
}

/// One conv/pool configuration of the grid below.
struct WindowCase {
  int kernel, stride, padding;
};

std::string windowModel(const WindowCase &c) {
  // Odd, non-square images. The first conv has 16 filters and rows shorter
  // than a vector, so the CPU runs its forward and filter gradient in the
  // channel-lanes forms; the second conv's 3 filters and channels are not a
  // multiple of any vector width. The second conv (whose input gradient is
  // computed, with padding of its own) and the pools vary with the case
  // too.
  int poolKernel = std::max(1, std::min(3, c.kernel));
  int poolPadding = std::min(c.padding, poolKernel / 2);
  int kernel2 = std::min(3, c.kernel);
  std::string s = std::to_string(c.stride), p = std::to_string(c.padding),
              k = std::to_string(c.kernel), pk = std::to_string(poolKernel),
              pp = std::to_string(poolPadding);
  return "model grid\n"
         "input image: f32[3, 3, 17, 15]\n"
         "label label: i32[3] classes 5\n"
         "a = relu(conv2d(image, 16, kernel=" + k + ", stride=" + s +
         ", padding=" + p + "))\n"
         "b = max_pool2d(a, kernel=" + pk + ", stride=" + s + ", padding=" +
         pp + ")\n"
         "c = sigmoid(conv2d(b, 3, kernel=" + std::to_string(kernel2) +
         ", padding=" + std::to_string(kernel2 / 2) + "))\n"
         "d = avg_pool2d(c, kernel=2, stride=1, padding=" +
         std::to_string(std::min(c.padding, 1)) + ")\n"
         "f = flatten(d)\n"
         "logits = dense(f, 5)\n"
         "loss = softmax_ce(logits, label)\n"
         "train sgd(lr=0.1, weight_decay=0.01, momentum=0.5)\n";
}

class WindowGrid : public ::testing::TestWithParam<WindowCase> {
protected:
  /// Compiles the case's model with these options and checks every kernel
  /// and whole steps against the reference.
  void check(bool gpuMapping, std::optional<int64_t> vectorMinFlops) {
    std::string text = windowModel(GetParam());
    SCOPED_TRACE(text);
    checkAgainstReference(text, 0, gpuMapping, vectorMinFlops);
  }
};

TEST_P(WindowGrid, ConvAndPoolKernelsMatchReference) {
  check(/*gpuMapping=*/false, std::nullopt);
}

// The same shapes through the vector code (dl-vectorize-kernels and
// dl-vectorize-strided-windows), which kernels this small skip by default:
// masked tails, one-row remainder blocks, strides, and the reduction steps
// skipped over zero padding.
TEST_P(WindowGrid, VectorKernelsMatchReference) {
  check(/*gpuMapping=*/false, /*vectorMinFlops=*/0);
}

TEST_P(WindowGrid, GPUThreadMappingMatchesReference) {
  check(/*gpuMapping=*/true, std::nullopt);
}

std::vector<WindowCase> windowCases() {
  std::vector<WindowCase> cases;
  for (int kernel = 1; kernel <= 5; ++kernel)
    for (int stride = 1; stride <= 2; ++stride)
      for (int padding = 0; padding <= 2; ++padding)
        if (padding < kernel) // a window of nothing but padding is pointless
          cases.push_back({kernel, stride, padding});
  return cases;
}

INSTANTIATE_TEST_SUITE_P(
    Shapes, WindowGrid, ::testing::ValuesIn(windowCases()),
    [](const ::testing::TestParamInfo<WindowCase> &info) {
      return "k" + std::to_string(info.param.kernel) + "s" +
             std::to_string(info.param.stride) + "p" +
             std::to_string(info.param.padding);
    });

/// One convolution of the batch-lanes grid below.
struct LanesCase {
  int kernel, padding;
};

std::string lanesModel(const LanesCase &c) {
  // A batch of 16 and rows of 7: the second conv's input gradient runs with
  // the batch as lanes on the CPU (its dy padded by K-1-padding, the
  // window loops cut at that padding); its sigmoid gradient is fused after.
  return "model lanes\n"
         "input image: f32[16, 3, 11, 9]\n"
         "label label: i32[16] classes 5\n"
         "a = sigmoid(conv2d(image, 5, kernel=3))\n"
         "b = relu(conv2d(a, 4, kernel=" + std::to_string(c.kernel) +
         ", padding=" + std::to_string(c.padding) + "))\n"
         "logits = dense(flatten(b), 5)\n"
         "loss = softmax_ce(logits, label)\n"
         "train sgd(lr=0.1, weight_decay=0.01)\n";
}

class BatchLanesGrid : public ::testing::TestWithParam<LanesCase> {
protected:
  void check(std::optional<int64_t> vectorMinFlops) {
    std::string text = lanesModel(GetParam());
    SCOPED_TRACE(text);
    checkAgainstReference(text, 0, /*gpuMapping=*/false, vectorMinFlops);
  }
};

// Scalar loops (kernels this small are not vectorised by default): the
// blocked copies, the padding and the product's maps.
TEST_P(BatchLanesGrid, KernelsMatchReference) { check(std::nullopt); }

// The vector code: 16-lane transposes with masked edges and the product's
// register blocks with their window loops narrowed to the padding.
TEST_P(BatchLanesGrid, VectorKernelsMatchReference) { check(0); }

std::vector<LanesCase> lanesCases() {
  std::vector<LanesCase> cases;
  for (int kernel : {1, 2, 3, 5})
    for (int padding = 0; padding < kernel; ++padding)
      cases.push_back({kernel, padding});
  return cases;
}

INSTANTIATE_TEST_SUITE_P(
    Shapes, BatchLanesGrid, ::testing::ValuesIn(lanesCases()),
    [](const ::testing::TestParamInfo<LanesCase> &info) {
      return "k" + std::to_string(info.param.kernel) + "p" +
             std::to_string(info.param.padding);
    });
} // namespace
