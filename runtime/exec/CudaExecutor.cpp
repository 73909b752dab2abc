//===- CudaExecutor.cpp - runs a CUDA plan's steps on a GPU ---------------===//

#include "exec/CudaExecutor.h"

#include "plan/PtxEntries.h"

#include <algorithm>
#include <cctype>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <iterator>

namespace dlc {
namespace runtime {

using namespace dlc::cuda;

namespace {
constexpr size_t LossSumOffset = 0, CorrectSumOffset = 8, CursorOffset = 16;
constexpr size_t SumsBytes = 64;

const char *phaseStep(CudaExecutor::Phase phase) {
  return phase == CudaExecutor::Train ? "train_step" : "eval_step";
}

/// "sm_90" -> (9, 0); "sm_90a", "sm_100f" likewise. False if not "sm_NN".
bool parseArch(const std::string &arch, int &major, int &minor) {
  if (arch.compare(0, 3, "sm_") != 0)
    return false;
  size_t i = 3;
  int number = 0, digits = 0;
  while (i < arch.size() && std::isdigit(static_cast<unsigned char>(arch[i])) &&
         digits < 4) {
    number = number * 10 + (arch[i++] - '0');
    ++digits;
  }
  if (digits < 2)
    return false;
  major = number / 10;
  minor = number % 10;
  return true;
}

/// Whether environment variable `name` is set to something other than "0".
bool envFlag(const char *name) {
  const char *value = std::getenv(name);
  return value && *value && std::strcmp(value, "0") != 0;
}

std::string oneLine(std::string text) {
  for (char &c : text)
    if (c == '\n' || c == '\r' || c == '\t')
      c = ' ';
  while (!text.empty() && text.back() == ' ')
    text.pop_back();
  return text;
}
} // namespace

std::unique_ptr<CudaExecutor> CudaExecutor::create(const PlanFile &plan,
                                                   const Options &options,
                                                   std::string &error) {
  std::unique_ptr<CudaExecutor> exec(new CudaExecutor(plan));
  if (!exec->open(options, error))
    return nullptr;
  return exec;
}

bool CudaExecutor::open(const Options &options, std::string &error) {
  const dlc::plan::Plan &plan = file.plan();
  std::string arch = plan.gpu_arch() && plan.gpu_arch()->size()
                         ? plan.gpu_arch()->str()
                         : "unknown architecture";
  std::string path = options.driverPath.empty() ? CudaDriver::defaultPath()
                                                : options.driverPath;
  bool missingLibrary = false;
  std::string why;
  driver = CudaDriver::load(path, why, missingLibrary);
  if (!driver) {
    error =
        file.name() + ": " +
        (missingLibrary ? "this is a CUDA plan (" + arch +
                              ") but no NVIDIA driver was found (" + why + ")"
                        : why);
    return false;
  }
  debug = envFlag("DLC_CUDA_DEBUG");
  serial = envFlag("DLC_CUDA_SERIAL");
  if (const char *steps = std::getenv("DLC_CUDA_GRAPH_STEPS");
      steps && *steps) {
    char *end = nullptr;
    long n = std::strtol(steps, &end, 10);
    if (*end || n < 1 || n > 64) {
      error = file.name() + ": DLC_CUDA_GRAPH_STEPS must be a number of " +
              "steps from 1 to 64, not '" + steps + "'";
      return false;
    }
    stepsPerGraph = static_cast<int>(n);
  }
  prefetch = !debug && envFlag("DLC_CUDA_PREFETCH");
  const char *dependent = std::getenv("DLC_CUDA_DEPENDENT_LAUNCH");
  dependentLaunch = plan.dependent_launch() &&
                    !(dependent && std::strcmp(dependent, "0") == 0);
  features = 1;
  for (int64_t d : *plan.image_shape())
    features *= d;

  bool ok =
      check(driver->cuInit(0), "cuInit") && selectDevice(options.device) &&
      chooseLaunchMode() && loadModule() && resolveKernels() &&
      check(driver->cuStreamCreate(&stream, CU_STREAM_NON_BLOCKING),
            "cuStreamCreate") &&
      allocate(memory, static_cast<size_t>(plan.memory_size()),
               "the memory block") &&
      allocate(sums, SumsBytes, "the sums") &&
      // On the legacy stream, so the context synchronisation below
      // orders it before anything on ours.
      check(driver->cuMemsetD8(memory, 0,
                               static_cast<size_t>(plan.memory_size())),
            "cuMemsetD8(the memory block)") &&
      check(driver->cuMemsetD8(sums, 0, SumsBytes), "cuMemsetD8(the sums)") &&
      (!prefetch ||
       (allocate(altImage, plan.tensors()->Get(plan.image())->size(),
                 "the second image batch") &&
        allocate(altLabel, plan.tensors()->Get(plan.label())->size(),
                 "the second label batch"))) &&
      check(driver->cuCtxSynchronize(), "cuCtxSynchronize") && buildSteps();
  if (!ok)
    error = errorText;
  return ok;
}

bool CudaExecutor::selectDevice(int ordinal) {
  int count = 0, version = 0;
  if (!check(driver->cuDriverGetVersion(&version), "cuDriverGetVersion") ||
      !check(driver->cuDeviceGetCount(&count), "cuDeviceGetCount"))
    return false;
  driverVersion = version;
  // The newest PTX ISA and cubin the driver loads follow its CUDA version.
  driverText = "driver for CUDA " + std::to_string(version / 1000) + "." +
               std::to_string(version % 1000 / 10);
  if (count < 1)
    return fail("no CUDA device found");
  if (ordinal < 0 || ordinal >= count)
    return fail("there is no CUDA device " + std::to_string(ordinal) +
                ": this machine has " + std::to_string(count) +
                (count == 1 ? " CUDA device (--device 0)"
                            : " CUDA devices (--device 0 to " +
                                  std::to_string(count - 1) + ")"));
  char name[256] = {0};
  CUcontext context = nullptr;
  if (!check(driver->cuDeviceGet(&device, ordinal), "cuDeviceGet") ||
      !check(driver->cuDeviceGetName(name, sizeof name - 1, device),
             "cuDeviceGetName") ||
      !check(
          driver->cuDeviceGetAttribute(
              &ccMajor, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, device),
          "cuDeviceGetAttribute(COMPUTE_CAPABILITY_MAJOR)") ||
      !check(
          driver->cuDeviceGetAttribute(
              &ccMinor, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, device),
          "cuDeviceGetAttribute(COMPUTE_CAPABILITY_MINOR)") ||
      !check(driver->cuDevicePrimaryCtxRetain(&context, device),
             "cuDevicePrimaryCtxRetain"))
    return false;
  contextRetained = true;
  if (!check(driver->cuCtxSetCurrent(context), "cuCtxSetCurrent"))
    return false;
  deviceText = "device " + std::to_string(ordinal) + ": " + name +
               ", compute capability " + std::to_string(ccMajor) + "." +
               std::to_string(ccMinor) + ", " + driverText;
  return true;
}

bool CudaExecutor::chooseLaunchMode() {
  if (!dependentLaunch)
    return true;
  // Programmatic edges in captured graphs came with CUDA 12.3; the
  // kernels' waits are no-ops without them, so the plan runs either way.
  if (driverVersion >= 12030 && ccMajor >= 9 && driver->cuLaunchKernelEx) {
    deviceText += ", programmatic dependent launches";
  } else {
    dependentLaunch = false;
    deviceText += ", plain launches (programmatic dependent launches need "
                  "CUDA 12.3 and compute capability 9.0)";
  }
  return true;
}

bool CudaExecutor::loadModule() {
  const dlc::plan::Plan &plan = file.plan();
  std::string arch = plan.gpu_arch() ? plan.gpu_arch()->str() : "";
  int archMajor = 0, archMinor = 0;
  bool cubinFits = plan.cubin() && plan.cubin()->size() > 0 &&
                   parseArch(arch, archMajor, archMinor) &&
                   archMajor == ccMajor && archMinor == ccMinor;
  std::string cubinFailure;
  if (cubinFits) {
    // FlatBuffers aligns a byte vector to 4 only; give the driver's ELF
    // reader an 8-byte aligned copy.
    std::vector<uint64_t> image((plan.cubin()->size() + 7) / 8);
    std::memcpy(image.data(), plan.cubin()->data(), plan.cubin()->size());
    CUresult result =
        driver->cuModuleLoadDataEx(&module, image.data(), 0, nullptr, nullptr);
    if (result == CUDA_SUCCESS) {
      deviceText += ", kernels from the plan's cubin (" + arch + ")";
      return true;
    }
    // The PTX may still load (e.g. a cubin from a newer toolkit than the
    // driver knows).
    module = nullptr;
    cubinFailure = driver->describe(result);
  }

  char errorLog[8192] = {0};
  CUjit_option options[] = {CU_JIT_ERROR_LOG_BUFFER,
                            CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES};
  void *values[] = {errorLog, reinterpret_cast<void *>(
                                  static_cast<uintptr_t>(sizeof errorLog))};
  // FlatBuffers strings are NUL-terminated, as the JIT requires.
  CUresult result = driver->cuModuleLoadDataEx(&module, plan.ptx()->c_str(), 2,
                                               options, values);
  if (result != CUDA_SUCCESS) {
    module = nullptr;
    errorLog[sizeof errorLog - 1] = '\0';
    std::string isa = ptxModuleDirective(plan.ptx()->str(), ".version");
    std::string message =
        "CUDA error in cuModuleLoadDataEx (the plan's PTX, ISA " +
        (isa.empty() ? std::string("?") : isa) + ", for " +
        (arch.empty() ? std::string("?") : arch) + ", " + driverText +
        "): " + driver->describe(result);
    std::string log = oneLine(errorLog);
    if (!log.empty())
      message += "; JIT log: " + log;
    if (!cubinFailure.empty())
      message += "; the cubin did not load either: " + cubinFailure;
    return fail(message);
  }
  deviceText += ", kernels JIT-compiled from the plan's PTX";
  if (!cubinFailure.empty())
    deviceText +=
        " (the " + arch + " cubin did not load: " + cubinFailure + ")";
  else if (plan.cubin() && plan.cubin()->size() > 0)
    deviceText += " (its cubin is for " + arch + ")";
  return true;
}

bool CudaExecutor::resolveKernels() {
  const dlc::plan::Plan &plan = file.plan();
  int sharedOptIn = 0;
  for (const dlc::plan::Kernel *k : *plan.kernels()) {
    CUfunction function = nullptr;
    std::string symbol = k->symbol()->str();
    if (!check(driver->cuModuleGetFunction(&function, module, symbol.c_str()),
               "cuModuleGetFunction('" + symbol + "')"))
      return false;
    // More than 48 KiB of dynamic shared memory must be opted into.
    if (k->shared_bytes() > DefaultMaxDynamicSharedBytes) {
      if (sharedOptIn == 0 &&
          !check(driver->cuDeviceGetAttribute(
                     &sharedOptIn,
                     CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK_OPTIN,
                     device),
                 "cuDeviceGetAttribute(MAX_SHARED_MEMORY_PER_BLOCK_OPTIN)"))
        return false;
      if (k->shared_bytes() > sharedOptIn)
        return fail("kernel '" + symbol + "' needs " +
                    std::to_string(k->shared_bytes()) +
                    " bytes of shared memory per block; this device has " +
                    std::to_string(sharedOptIn));
      if (!check(driver->cuFuncSetAttribute(
                     function, CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES,
                     k->shared_bytes()),
                 "cuFuncSetAttribute('" + symbol +
                     "', MAX_DYNAMIC_SHARED_SIZE_BYTES)"))
        return false;
    }
    functions.push_back(function);
  }
  return true;
}

bool CudaExecutor::buildSteps() {
  const dlc::plan::Plan &plan = file.plan();
  for (Phase phase : {Train, Eval}) {
    const dlc::plan::Step *step =
        phase == Train ? plan.train_step() : plan.eval_step();
    std::vector<DeviceLaunch> &launches = phases[phase].step;
    for (flatbuffers::uoffset_t i = 0; i < step->launches()->size(); ++i) {
      const dlc::plan::Launch *l = step->launches()->Get(i);
      const dlc::plan::Kernel *k = plan.kernels()->Get(l->kernel());
      DeviceLaunch d;
      d.function = functions[l->kernel()];
      d.grid = static_cast<unsigned>(k->workgroups());
      d.block = static_cast<unsigned>(k->block());
      d.sharedBytes = static_cast<unsigned>(k->shared_bytes());
      d.access = launchAccess(plan, *l, memory);
      d.accessKnown = l->access() != nullptr;
      if (l->bindings())
        for (int32_t t : *l->bindings())
          d.args.push_back(tensorPtr(t));
      d.what = std::string(phaseStep(phase)) + " launch " + std::to_string(i) +
               " '" + k->symbol()->str() + "'";
      launches.push_back(std::move(d));
    }
  }
  return true;
}

CudaExecutor::~CudaExecutor() {
  if (!driver)
    return;
  // Best effort: after a device fault these fail too, and nothing else can
  // be done about it.
  if (stream)
    driver->cuStreamSynchronize(stream);
  for (Phase phase : {Train, Eval}) {
    dropGraph(phase);
    release(phases[phase].images);
    release(phases[phase].labels);
    release(phases[phase].order);
  }
  release(sums);
  release(altImage);
  release(altLabel);
  release(memory);
  for (CUevent event : events)
    driver->cuEventDestroy(event);
  for (CUstream side : sideStreams)
    driver->cuStreamDestroy(side);
  if (stream)
    driver->cuStreamDestroy(stream);
  if (module)
    driver->cuModuleUnload(module);
  if (contextRetained)
    driver->cuDevicePrimaryCtxRelease(device);
}

bool CudaExecutor::check(CUresult result, const std::string &call) {
  if (result == CUDA_SUCCESS)
    return true;
  return fail("CUDA error in " + call + ": " + driver->describe(result));
}

bool CudaExecutor::fail(const std::string &message) {
  if (errorText.empty())
    errorText = oneLine(file.name() + ": " + message);
  return false;
}

bool CudaExecutor::allocate(CUdeviceptr &ptr, size_t bytes, const char *what) {
  // cuMemAlloc refuses 0 bytes; its blocks are 256-byte aligned, more than
  // the 64 bytes tensors need.
  return check(driver->cuMemAlloc(&ptr, bytes ? bytes : 1),
               std::string("cuMemAlloc(") + std::to_string(bytes) +
                   " bytes for " + what + ")");
}

void CudaExecutor::release(CUdeviceptr &ptr) {
  if (ptr)
    driver->cuMemFree(ptr);
  ptr = 0;
}

bool CudaExecutor::synchronize(const char *why) {
  return check(driver->cuStreamSynchronize(stream),
               std::string("cuStreamSynchronize (") + why + ")");
}

bool CudaExecutor::upload(CUdeviceptr dst, const void *src, size_t bytes,
                          const std::string &what) {
  if (bytes == 0)
    return true;
  // Waiting right away lets the caller reuse `src` and keeps every copy in
  // stream order; uploads are rare (data once, orders once per epoch).
  return check(driver->cuMemcpyHtoDAsync(dst, src, bytes, stream),
               "cuMemcpyHtoDAsync(" + what + ")") &&
         synchronize(what.c_str());
}

CUdeviceptr CudaExecutor::tensorPtr(int32_t index) const {
  return memory +
         static_cast<CUdeviceptr>(file.plan().tensors()->Get(index)->offset());
}

bool CudaExecutor::readTensor(int32_t index, void *dst) {
  if (!errorText.empty())
    return false;
  const dlc::plan::Tensor *t = file.plan().tensors()->Get(index);
  std::string what = "tensor '" + t->name()->str() + "'";
  // The copy runs on the legacy stream, which does not wait for ours.
  return synchronize(("before reading " + what).c_str()) &&
         check(driver->cuMemcpyDtoH(dst, tensorPtr(index),
                                    static_cast<size_t>(t->size())),
               "cuMemcpyDtoH(" + what + ")");
}

bool CudaExecutor::writeTensor(int32_t index, const void *src) {
  if (!errorText.empty())
    return false;
  const dlc::plan::Tensor *t = file.plan().tensors()->Get(index);
  return upload(tensorPtr(index), src, static_cast<size_t>(t->size()),
                "tensor '" + t->name()->str() + "'");
}

bool CudaExecutor::zeroTensor(int32_t index) {
  if (!errorText.empty())
    return false;
  const dlc::plan::Tensor *t = file.plan().tensors()->Get(index);
  // Sizes are element counts x 4 bytes (checked at load).
  return check(driver->cuMemsetD32Async(tensorPtr(index), 0,
                                        static_cast<size_t>(t->size()) / 4,
                                        stream),
               "cuMemsetD32Async(tensor '" + t->name()->str() + "')");
}

bool CudaExecutor::setScalar(int32_t index, uint32_t bits) {
  if (!errorText.empty())
    return false;
  return check(driver->cuMemsetD32Async(tensorPtr(index), bits, 1, stream),
               "cuMemsetD32Async(tensor '" +
                   file.plan().tensors()->Get(index)->name()->str() + "')");
}

void CudaExecutor::dropGraph(Phase phase) {
  PhaseState &s = phases[phase];
  for (CUgraphExec *g : {&s.graph, &s.prefetchGraphs[0], &s.prefetchGraphs[1],
                         &s.multiStepGraphs[0], &s.multiStepGraphs[1]}) {
    if (*g)
      driver->cuGraphExecDestroy(*g);
    *g = nullptr;
  }
}

bool CudaExecutor::setData(Phase phase, const uint8_t *pixels,
                           const uint8_t *labels, int64_t count) {
  if (!errorText.empty())
    return false;
  PhaseState &s = phases[phase];
  const char *split = phase == Train ? "training set" : "test set";
  // The order, the cursor and the data kernels index examples with int32.
  if (count > INT32_MAX)
    return fail(std::string("the ") + split + " has " + std::to_string(count) +
                " examples; CUDA plans take at most " +
                std::to_string(INT32_MAX));
  size_t imageBytes = static_cast<size_t>(count * features);
  size_t labelBytes = static_cast<size_t>(count);
  // Nothing may still read the old buffers.
  if (!synchronize(split))
    return false;
  if (imageBytes != s.imageBytes || labelBytes != s.labelBytes) {
    // The captured graph holds the old addresses.
    dropGraph(phase);
    release(s.images);
    release(s.labels);
    s.imageBytes = s.labelBytes = 0;
    if (!allocate(s.images, imageBytes, split) ||
        !allocate(s.labels, labelBytes, split))
      return false;
    s.imageBytes = imageBytes;
    s.labelBytes = labelBytes;
  }
  s.count = count;
  primed = false;
  return upload(s.images, pixels, imageBytes, std::string(split) + " images") &&
         upload(s.labels, labels, labelBytes, std::string(split) + " labels");
}

bool CudaExecutor::setOrder(Phase phase, const std::vector<int32_t> &order) {
  if (!errorText.empty())
    return false;
  PhaseState &s = phases[phase];
  const char *what = phase == Train ? "the training order" : "the test order";
  if (order.size() > static_cast<size_t>(INT32_MAX))
    return fail(std::string(what) + " has more than " +
                std::to_string(INT32_MAX) + " entries");
  // A prefetching step gathers the batch after its own, so the last one
  // reads a batch past the order: padding of index 0.
  size_t padding = prefetch && phase == Train
                       ? static_cast<size_t>(file.plan().batch())
                       : 0;
  if (order.size() + padding > s.orderCapacity) {
    if (!synchronize(what))
      return false;
    dropGraph(phase);
    release(s.order);
    s.orderCapacity = 0;
    if (!allocate(s.order, (order.size() + padding) * sizeof(int32_t), what))
      return false;
    s.orderCapacity = order.size() + padding;
  }
  primed = false;
  return upload(s.order, order.data(), order.size() * sizeof(int32_t), what) &&
         (padding == 0 ||
          check(driver->cuMemsetD32Async(
                    s.order + order.size() * sizeof(int32_t), 0,
                    s.orderCapacity - order.size(), stream),
                "cuMemsetD32Async(the order's padding)"));
}

bool CudaExecutor::resetSums() {
  if (!errorText.empty())
    return false;
  // loss_sum, correct_sum and the cursor: 20 bytes, 5 words.
  primed = false;
  return check(
      driver->cuMemsetD32Async(sums, 0, (CursorOffset + 4) / 4, stream),
      "cuMemsetD32Async(the sums)");
}

std::vector<CudaExecutor::DeviceLaunch>
CudaExecutor::phaseLaunches(Phase phase, bool prefetching, int parity) const {
  const dlc::plan::Plan &plan = file.plan();
  const PhaseState &s = phases[phase];
  auto dataLaunch = [&](int32_t kernel, std::vector<CUdeviceptr> args,
                        std::vector<ByteRange> reads,
                        std::vector<ByteRange> writes) {
    const dlc::plan::Kernel *k = plan.kernels()->Get(kernel);
    DeviceLaunch d;
    d.function = functions[kernel];
    d.grid = static_cast<unsigned>(k->workgroups());
    d.block = static_cast<unsigned>(k->block());
    d.sharedBytes = static_cast<unsigned>(k->shared_bytes());
    d.args = std::move(args);
    d.what = std::string(phaseStep(phase)) + " data kernel '" +
             k->symbol()->str() + "'";
    d.access = {kernel, std::move(reads), std::move(writes)};
    return d;
  };
  auto bytes = [](CUdeviceptr at, size_t size) {
    return ByteRange{at, at + size};
  };
  CUdeviceptr cursor = sums + CursorOffset;
  std::vector<DeviceLaunch> launches;
  ByteRange image = tensorRange(plan.image()), label = tensorRange(plan.label());
  // Batch buffer b: 0 the plan's tensors, 1 the alternates.
  auto imageOf = [&](int b) { return b ? altImage : image.begin; };
  auto labelOf = [&](int b) { return b ? altLabel : label.begin; };
  // Without prefetching the gather fills this step's batch; with it, the
  // next step's (order entries one batch on) into the other buffer.
  int fill = prefetching ? 1 - parity : 0;
  CUdeviceptr order =
      s.order + (prefetching ? plan.batch() * sizeof(int32_t) : 0);
  // KernelABI.h: dl_gather_batch(images, labels, order, cursor, image,
  // label) and dl_accumulate(loss, correct, loss_sum, correct_sum, cursor).
  launches.push_back(dataLaunch(
      plan.gather_kernel(),
      {s.images, s.labels, order, cursor, imageOf(fill), labelOf(fill)},
      {bytes(s.images, s.imageBytes), bytes(s.labels, s.labelBytes),
       bytes(s.order, s.orderCapacity * sizeof(int32_t)),
       bytes(cursor, sizeof(int32_t))},
      {bytes(imageOf(fill), image.end - image.begin),
       bytes(labelOf(fill), label.end - label.begin)}));
  // Bindings in the batch tensors (views included) move to the alternates.
  auto move = [&](uint64_t p) -> uint64_t {
    if (p >= image.begin && p < image.end)
      return altImage + (p - image.begin);
    if (p >= label.begin && p < label.end)
      return altLabel + (p - label.begin);
    return p;
  };
  for (DeviceLaunch l : s.step) {
    if (parity == 1) {
      for (CUdeviceptr &arg : l.args)
        arg = move(arg);
      for (std::vector<ByteRange> *ranges : {&l.access.reads, &l.access.writes})
        for (ByteRange &r : *ranges) {
          uint64_t begin = move(r.begin);
          r = {begin, begin + (r.end - r.begin)};
        }
    }
    launches.push_back(std::move(l));
  }
  int32_t loss = phase == Train ? plan.train_loss() : plan.eval_loss();
  int32_t correct = phase == Train ? plan.train_correct() : plan.eval_correct();
  launches.push_back(dataLaunch(
      plan.accumulate_kernel(),
      {tensorPtr(loss), tensorPtr(correct), sums + LossSumOffset,
       sums + CorrectSumOffset, cursor},
      {tensorRange(loss), tensorRange(correct)}, {bytes(sums, SumsBytes)}));
  return launches;
}

ByteRange CudaExecutor::tensorRange(int32_t index) const {
  CUdeviceptr at = tensorPtr(index);
  return {at, at + static_cast<uint64_t>(
                        file.plan().tensors()->Get(index)->size())};
}

bool CudaExecutor::launch(const DeviceLaunch &l, CUstream on,
                          bool dependent) {
  // The driver reads each argument through its pointer when the launch is
  // made (or captured); `args` only has to live until then.
  std::vector<void *> params(l.args.size());
  for (size_t i = 0; i < l.args.size(); ++i)
    params[i] = const_cast<CUdeviceptr *>(&l.args[i]);
  if (dependent) {
    CUlaunchAttribute attribute{};
    attribute.id = CU_LAUNCH_ATTRIBUTE_PROGRAMMATIC_STREAM_SERIALIZATION;
    attribute.value.programmaticStreamSerializationAllowed = 1;
    CUlaunchConfig config{};
    config.gridDimX = l.grid;
    config.gridDimY = config.gridDimZ = 1;
    config.blockDimX = l.block;
    config.blockDimY = config.blockDimZ = 1;
    config.sharedMemBytes = l.sharedBytes;
    config.hStream = on;
    config.attrs = &attribute;
    config.numAttrs = 1;
    return check(driver->cuLaunchKernelEx(
                     &config, l.function,
                     params.empty() ? nullptr : params.data(), nullptr),
                 "cuLaunchKernelEx(" + l.what + ", grid " +
                     std::to_string(l.grid) + ", block " +
                     std::to_string(l.block) + ", programmatic)");
  }
  return check(driver->cuLaunchKernel(
                   l.function, l.grid, 1, 1, l.block, 1, 1, l.sharedBytes,
                   on, params.empty() ? nullptr : params.data(), nullptr),
               "cuLaunchKernel(" + l.what + ", grid " + std::to_string(l.grid) +
                   ", block " + std::to_string(l.block) + ")");
}

bool CudaExecutor::reserveCaptureResources(int streams, size_t eventCount) {
  while (static_cast<int>(sideStreams.size()) + 1 < streams) {
    CUstream side = nullptr;
    if (!check(driver->cuStreamCreate(&side, CU_STREAM_NON_BLOCKING),
               "cuStreamCreate(capture stream)"))
      return false;
    sideStreams.push_back(side);
  }
  while (events.size() < eventCount) {
    CUevent event = nullptr;
    if (!check(driver->cuEventCreate(&event, CU_EVENT_DISABLE_TIMING),
               "cuEventCreate"))
      return false;
    events.push_back(event);
  }
  return true;
}

bool CudaExecutor::capture(Phase phase, bool prefetching, int parity,
                           int steps) {
  // Step i reads batch buffer parity ^ (i & 1) when prefetching.
  std::vector<DeviceLaunch> launches;
  for (int i = 0; i < steps; ++i) {
    std::vector<DeviceLaunch> step =
        phaseLaunches(phase, prefetching, prefetching ? parity ^ (i & 1) : 0);
    std::move(step.begin(), step.end(), std::back_inserter(launches));
  }
  std::string what = std::string(phaseStep(phase));
  if (steps > 1)
    what += " x" + std::to_string(steps);
  std::vector<LaunchAccess> accesses;
  for (const DeviceLaunch &l : launches)
    accesses.push_back(l.access);
  StreamAssignment order = assignStreams(launchDependencies(accesses));
  // One stream in plan order: asked for, or a plan from before
  // Launch.access, whose kernels share one split-sum workspace that no
  // byte range shows.
  bool unknown = std::any_of(launches.begin(), launches.end(),
                             [](const DeviceLaunch &l) { return !l.accessKnown; });
  if (serial || unknown)
    order = StreamAssignment{std::vector<int>(launches.size(), 0),
                             std::vector<std::vector<int>>(launches.size()), 1};
  // Event i follows launch i; the last event marks the capture's start,
  // which every further stream waits for before its first launch (a
  // stream joins the capture only through such a wait).
  size_t start = launches.size();
  if (!reserveCaptureResources(order.streams, launches.size() + 1))
    return false;
  auto streamOf = [&](int s) { return s == 0 ? stream : sideStreams[s - 1]; };
  // Captured work is not run; with nothing pending, nothing earlier can be
  // mistaken for part of the graph either. Once per phase.
  if (!synchronize(("before capturing " + what).c_str()) ||
      !check(
          driver->cuStreamBeginCapture(stream, CU_STREAM_CAPTURE_MODE_GLOBAL),
          "cuStreamBeginCapture(" + what + ")"))
    return false;
  std::vector<int> tail(order.streams, -1);
  bool ok = check(driver->cuEventRecord(events[start], stream),
                  "cuEventRecord(" + what + " start)");
  for (size_t i = 0; ok && i < launches.size(); ++i) {
    int s = order.stream[i];
    CUstream on = streamOf(s);
    if (s != 0 && tail[s] < 0)
      ok = check(driver->cuStreamWaitEvent(on, events[start], 0),
                 "cuStreamWaitEvent(" + what + " start)");
    for (size_t w = 0; ok && w < order.waits[i].size(); ++w)
      ok = check(driver->cuStreamWaitEvent(on, events[order.waits[i][w]], 0),
                 "cuStreamWaitEvent(before " + launches[i].what + ")");
    // Programmatic edges join kernel nodes only: a memset or copy captured
    // here would need the launch after it made plainly.
    ok = ok && launch(launches[i], on, dependentLaunch) &&
         check(driver->cuEventRecord(events[i], on),
               "cuEventRecord(after " + launches[i].what + ")");
    tail[s] = static_cast<int>(i);
  }
  // Every stream joins the first again before the capture ends.
  for (int s = 1; ok && s < order.streams; ++s)
    ok = check(driver->cuStreamWaitEvent(stream, events[tail[s]], 0),
               "cuStreamWaitEvent(" + what + " join)");
  CUgraph graph = nullptr;
  if (!ok) {
    // Leave capture mode, every forked stream joined first (best effort);
    // the first error is the one reported.
    for (int s = 1; s < order.streams; ++s)
      if (tail[s] >= 0 &&
          driver->cuEventRecord(events[start], streamOf(s)) == CUDA_SUCCESS)
        driver->cuStreamWaitEvent(stream, events[start], 0);
    driver->cuStreamEndCapture(stream, &graph);
    if (graph)
      driver->cuGraphDestroy(graph);
    return false;
  }
  if (!check(driver->cuStreamEndCapture(stream, &graph),
             "cuStreamEndCapture(" + what + ")"))
    return false;
  CUgraphExec &exec = graphOf(phase, prefetching, parity, steps);
  ok = check(driver->cuGraphInstantiate(&exec, graph, 0),
             "cuGraphInstantiateWithFlags(" + what + ")");
  if (!ok)
    exec = nullptr;
  // The executable graph does not need its template.
  return check(driver->cuGraphDestroy(graph), "cuGraphDestroy(" + what + ")") &&
         ok;
}

bool CudaExecutor::runStep(Phase phase) {
  if (!debug)
    return runGraph(phase, 1);
  if (!haveData(phase))
    return false;
  for (const DeviceLaunch &l : phaseLaunches(phase))
    if (!launch(l, stream) || !synchronize(("after " + l.what).c_str()))
      return false;
  return true;
}

bool CudaExecutor::runSteps(Phase phase, int64_t count) {
  if (stepsPerGraph > 1 && !debug)
    for (; count >= stepsPerGraph; count -= stepsPerGraph)
      if (!runGraph(phase, stepsPerGraph))
        return false;
  for (; count > 0; --count)
    if (!runStep(phase))
      return false;
  return true;
}

bool CudaExecutor::haveData(Phase phase) {
  if (!errorText.empty())
    return false;
  if (!phases[phase].images || !phases[phase].order)
    return fail(std::string("no data for ") + phaseStep(phase) +
                " (setData and setOrder come first)");
  return true;
}

CUgraphExec &CudaExecutor::graphOf(Phase phase, bool prefetching, int first,
                                   int steps) {
  PhaseState &s = phases[phase];
  return steps > 1     ? s.multiStepGraphs[prefetching ? first : 0]
         : prefetching ? s.prefetchGraphs[first]
                       : s.graph;
}

bool CudaExecutor::runGraph(Phase phase, int steps) {
  if (!haveData(phase))
    return false;
  bool prefetching = prefetch && phase == Train;
  int first = 0; // the batch buffer the first step reads
  if (prefetching) {
    if (!primed) {
      if (!launchFirstGather(phase))
        return false;
      primed = true;
      parity = 0;
    }
    first = parity;
    parity ^= steps & 1;
  }
  CUgraphExec &graph = graphOf(phase, prefetching, first, steps);
  if (!graph && !capture(phase, prefetching, first, steps))
    return false;
  return check(driver->cuGraphLaunch(graph, stream),
               std::string("cuGraphLaunch(") + phaseStep(phase) +
                   (steps > 1 ? " x" + std::to_string(steps) : "") + ")");
}

bool CudaExecutor::launchFirstGather(Phase phase) {
  // The plain gather: this step's batch into the plan's tensors.
  return launch(phaseLaunches(phase).front(), stream);
}

bool CudaExecutor::readSums(double &lossSum, int64_t &correct) {
  if (!errorText.empty())
    return false;
  unsigned char host[CursorOffset];
  if (!synchronize("end of phase") ||
      !check(driver->cuMemcpyDtoH(host, sums, sizeof host),
             "cuMemcpyDtoH(the sums)"))
    return false;
  std::memcpy(&lossSum, host + LossSumOffset, sizeof lossSum);
  std::memcpy(&correct, host + CorrectSumOffset, sizeof correct);
  return true;
}

} // namespace runtime
} // namespace dlc
