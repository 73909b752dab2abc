//===- FakeCuda.cpp - a CPU stand-in for libcuda.so.1 in tests ------------===//
//
// Exports the driver functions dlrun resolves (runtime/cuda/
// CudaApiFunctions.def), under the same versioned symbols, so that the CUDA
// executor runs end to end without a GPU. Device memory is host memory; a
// "module" is a PTX-like text naming a shared object of CPU kernels with the
// KernelABI signature (`// fake-so: PATH`) and declaring each `.entry`; a
// launch runs its grid's blocks as slices of the CPU kernel. A cubin is
// "\x7fELF" followed by such a text (`// fake-arch: sm_XY` says which device
// it is for).
//
// Stricter than the real driver where that catches runtime bugs:
//   - work on a stream runs only when the stream (or the context) is
//     synchronised; copies on the legacy stream (cuMemcpyDtoH, cuMemsetD8)
//     run at once and do not wait for a non-blocking stream, so a read that
//     forgets to synchronise sees stale data;
//   - an async host-to-device copy reads the host buffer when it runs;
//   - freeing memory while any stream has pending work, launching with an
//     argument outside every allocation, legacy-stream use or
//     synchronisation during a capture, all fail;
//   - new allocations are filled with 0xCD;
//   - a captured graph keeps only the dependencies the capture made (stream
//     order, event waits between streams), and a replay runs its launches
//     in an order they allow (the first replay the ready launch captured
//     last first, later ones pseudo-random), so a missing dependency shows
//     as wrong results; a capture whose forked streams are not joined back
//     fails.
//
// Test hooks (extern "C"): dlcFakeCudaLiveObjects, dlcFakeCudaCalls,
// dlcFakeCudaResetCalls. Environment: DLC_FAKE_CUDA_DEVICES (count, default
// 1), DLC_FAKE_CUDA_CC ("9.0"), DLC_FAKE_CUDA_DRIVER_VERSION (13000),
// DLC_FAKE_CUDA_INIT_ERROR (cuInit's result),
// DLC_FAKE_CUDA_FAULT (a kernel whose launches fault with an illegal
// address, like a kernel that reads out of bounds).
//
//===----------------------------------------------------------------------===//

#include "abi/KernelABI.h"
#include "cuda/CudaApi.h"
#include "plan/PtxEntries.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dlfcn.h>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

using namespace dlc::cuda;

namespace {

enum : CUresult {
  ErrInvalidValue = 1,
  ErrNotInitialized = 3,
  ErrNoDevice = 100,
  ErrInvalidDevice = 101,
  ErrInvalidImage = 200,
  ErrInvalidContext = 201,
  ErrNoBinaryForGpu = 209,
  ErrInvalidPtx = 218,
  ErrInvalidHandle = 400,
  ErrIllegalState = 401,
  ErrNotFound = 500,
  ErrIllegalAddress = 700,
  ErrCaptureUnsupported = 900,
  ErrCaptureInvalidated = 901,
  ErrCaptureUnjoined = 904,
  ErrCaptureIsolation = 905,
};

const std::map<CUresult, std::pair<const char *, const char *>> &errorNames() {
  static const std::map<CUresult, std::pair<const char *, const char *>> names{
      {0, {"CUDA_SUCCESS", "no error"}},
      {ErrInvalidValue, {"CUDA_ERROR_INVALID_VALUE", "invalid argument"}},
      {ErrNotInitialized,
       {"CUDA_ERROR_NOT_INITIALIZED", "initialization error"}},
      {ErrNoDevice,
       {"CUDA_ERROR_NO_DEVICE", "no CUDA-capable device is detected"}},
      {ErrInvalidDevice,
       {"CUDA_ERROR_INVALID_DEVICE", "invalid device ordinal"}},
      {ErrInvalidImage,
       {"CUDA_ERROR_INVALID_IMAGE", "device kernel image is invalid"}},
      {ErrInvalidContext,
       {"CUDA_ERROR_INVALID_CONTEXT", "invalid device context"}},
      {ErrNoBinaryForGpu,
       {"CUDA_ERROR_NO_BINARY_FOR_GPU",
        "no kernel image is available for execution on the device"}},
      {ErrInvalidPtx,
       {"CUDA_ERROR_INVALID_PTX", "a PTX JIT compilation failed"}},
      {ErrInvalidHandle,
       {"CUDA_ERROR_INVALID_HANDLE", "invalid resource handle"}},
      {ErrIllegalState,
       {"CUDA_ERROR_ILLEGAL_STATE", "the operation is not permitted"}},
      {ErrNotFound, {"CUDA_ERROR_NOT_FOUND", "named symbol not found"}},
      {ErrIllegalAddress,
       {"CUDA_ERROR_ILLEGAL_ADDRESS",
        "an illegal memory access was encountered"}},
      {ErrCaptureUnsupported,
       {"CUDA_ERROR_STREAM_CAPTURE_UNSUPPORTED",
        "operation not permitted when stream is capturing"}},
      {ErrCaptureInvalidated,
       {"CUDA_ERROR_STREAM_CAPTURE_INVALIDATED",
        "operation failed due to a previous error during capture"}},
      {ErrCaptureUnjoined,
       {"CUDA_ERROR_STREAM_CAPTURE_UNJOINED",
        "capturing stream has unjoined work"}},
      {ErrCaptureIsolation,
       {"CUDA_ERROR_STREAM_CAPTURE_ISOLATION",
        "dependency created on uncaptured work in another stream"}},
  };
  return names;
}

using Op = std::function<CUresult()>;

/// A captured operation and the earlier nodes it waits for.
struct Node {
  Op op;
  std::vector<int> deps;
};
struct Graph {
  std::vector<Node> nodes;
  bool invalidated = false;
};
struct GraphExec {
  std::vector<Node> nodes;
  int replays = 0;
};
struct Stream {
  unsigned flags = 0;
  std::vector<Op> pending;
  Graph *capture = nullptr; // the capture it began, or joined by a wait
  bool origin = false;      // began the capture
  std::vector<int> frontier; // nodes its next captured operation waits for
};
struct Event {
  Graph *capture = nullptr; // recorded during this capture
  std::vector<int> nodes;   // the recording stream's frontier then
};
struct Function;
struct Module {
  void *library = nullptr;
  std::map<std::string, int> entries;
  std::vector<Function *> functions; // invalid once the module is unloaded
};
struct Function {
  dlc_kernel_fn fn = nullptr;
  int parameters = 0;
  int maxDynamicShared = DefaultMaxDynamicSharedBytes;
  std::string name;
};

constexpr int SharedOptIn = 232448; // an H100's
int fakeContextToken;

struct State {
  bool initialized = false;
  int retained = 0;
  CUcontext current = nullptr;
  CUresult sticky = 0; // a device fault poisons the context
  std::map<uintptr_t, size_t> allocations;
  std::set<Stream *> streams;
  std::set<Graph *> graphs;
  std::set<Event *> events;
  std::set<GraphExec *> execs;
  std::set<Module *> modules;
  std::set<Function *> functions;
  std::map<std::string, int> calls;
};

State &state() {
  static State s;
  return s;
}

void count(const char *name) { ++state().calls[name]; }

int deviceCount() {
  const char *n = std::getenv("DLC_FAKE_CUDA_DEVICES");
  return n && *n ? std::atoi(n) : 1;
}

void computeCapability(int &major, int &minor) {
  const char *cc = std::getenv("DLC_FAKE_CUDA_CC");
  major = 9;
  minor = 0;
  if (cc && *cc && std::sscanf(cc, "%d.%d", &major, &minor) != 2)
    major = 9, minor = 0;
}

CUresult needContext() {
  State &s = state();
  if (!s.initialized)
    return ErrNotInitialized;
  if (!s.current || s.retained == 0)
    return ErrInvalidContext;
  return s.sticky;
}

bool inside(CUdeviceptr p, size_t bytes) {
  const std::map<uintptr_t, size_t> &a = state().allocations;
  auto it = a.upper_bound(static_cast<uintptr_t>(p));
  if (it == a.begin())
    return false;
  --it;
  return p >= it->first && p + bytes <= it->first + it->second &&
         p + bytes >= p;
}

bool anyCapture() {
  for (Stream *s : state().streams)
    if (s->capture)
      return true;
  return false;
}

void invalidateCaptures() {
  for (Stream *s : state().streams)
    if (s->capture)
      s->capture->invalidated = true;
}

/// An order of `nodes` that respects their dependencies and nothing else:
/// the first replay takes, of the nodes whose dependencies have run, the
/// one captured last; later ones a pseudo-random one (seeded by the
/// replay's number), so that over a graph's replays a missing dependency
/// reorders its launches.
std::vector<int> replayOrder(const std::vector<Node> &nodes, int replay) {
  std::vector<int> waiting(nodes.size()), order;
  std::vector<std::vector<int>> dependents(nodes.size());
  for (size_t n = 0; n < nodes.size(); ++n)
    for (int d : nodes[n].deps) {
      ++waiting[n];
      dependents[d].push_back(static_cast<int>(n));
    }
  std::vector<int> ready;
  for (size_t n = 0; n < nodes.size(); ++n)
    if (!waiting[n])
      ready.push_back(static_cast<int>(n));
  uint64_t x = 0x9E3779B97F4A7C15ull * static_cast<uint64_t>(replay + 1);
  while (!ready.empty()) {
    size_t pick = ready.size() - 1;
    if (replay > 0) {
      x ^= x >> 31;
      x *= 0xBF58476D1CE4E5B9ull;
      x ^= x >> 29;
      pick = x % ready.size();
    }
    int n = ready[pick];
    ready.erase(ready.begin() + static_cast<long>(pick));
    order.push_back(n);
    for (int m : dependents[n])
      if (--waiting[m] == 0)
        ready.push_back(m);
  }
  return order;
}

CUresult drain(Stream *s) {
  std::vector<Op> ops;
  ops.swap(s->pending);
  for (Op &op : ops) {
    if (state().sticky)
      break;
    if (CUresult r = op())
      state().sticky = r;
  }
  return state().sticky;
}

CUresult drainAll() {
  for (Stream *s : state().streams)
    if (CUresult r = drain(s))
      return r;
  return 0;
}

bool anyPending() {
  for (Stream *s : state().streams)
    if (!s->pending.empty())
      return true;
  return false;
}

// Work for `stream`: captured, queued, or (legacy stream) run now.
CUresult submit(CUstream handle, Op op) {
  if (CUresult r = needContext())
    return r;
  if (!handle) {
    if (anyCapture()) {
      invalidateCaptures();
      return ErrCaptureUnsupported;
    }
    return op();
  }
  Stream *s = reinterpret_cast<Stream *>(handle);
  if (!state().streams.count(s))
    return ErrInvalidHandle;
  if (s->capture) {
    if (s->capture->invalidated)
      return ErrCaptureInvalidated;
    s->capture->nodes.push_back({std::move(op), s->frontier});
    s->frontier = {static_cast<int>(s->capture->nodes.size()) - 1};
  } else {
    s->pending.push_back(std::move(op));
  }
  return 0;
}

// A synchronous call on the legacy stream: waits for blocking streams only.
CUresult legacy(Op op) {
  if (CUresult r = needContext())
    return r;
  if (anyCapture()) {
    invalidateCaptures();
    return ErrCaptureUnsupported;
  }
  for (Stream *s : state().streams)
    if (s->flags == 0)
      if (CUresult r = drain(s))
        return r;
  CUresult r = op();
  if (r)
    state().sticky = r;
  return r;
}

void writeLog(unsigned n, CUjit_option *options, void **values,
              const std::string &text) {
  char *buffer = nullptr;
  size_t size = 0;
  int sizeIndex = -1;
  for (unsigned i = 0; i < n; ++i) {
    if (options[i] == CU_JIT_ERROR_LOG_BUFFER)
      buffer = static_cast<char *>(values[i]);
    if (options[i] == CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES) {
      size = static_cast<size_t>(reinterpret_cast<uintptr_t>(values[i]));
      sizeIndex = static_cast<int>(i);
    }
  }
  if (!buffer || size == 0)
    return;
  size_t used = std::min(text.size(), size - 1);
  std::memcpy(buffer, text.data(), used);
  buffer[used] = '\0';
  values[sizeIndex] = reinterpret_cast<void *>(static_cast<uintptr_t>(used));
}

std::string directive(const std::string &text, const std::string &name) {
  std::string key = "// " + name + ": ";
  size_t at = text.find(key);
  if (at == std::string::npos)
    return "";
  size_t end = text.find('\n', at);
  return text.substr(at + key.size(), end == std::string::npos
                                          ? std::string::npos
                                          : end - at - key.size());
}

} // namespace

extern "C" {

// Test hooks.
__attribute__((visibility("default"))) int dlcFakeCudaLiveObjects() {
  State &s = state();
  return static_cast<int>(s.allocations.size() + s.streams.size() +
                          s.graphs.size() + s.execs.size() + s.modules.size() +
                          s.events.size()) +
         s.retained;
}
__attribute__((visibility("default"))) int dlcFakeCudaCalls(const char *name) {
  auto it = state().calls.find(name);
  return it == state().calls.end() ? 0 : it->second;
}
__attribute__((visibility("default"))) void dlcFakeCudaResetCalls() {
  state().calls.clear();
}

CUresult cuInit(unsigned int flags) {
  count("cuInit");
  if (flags != 0)
    return ErrInvalidValue;
  const char *e = std::getenv("DLC_FAKE_CUDA_INIT_ERROR");
  if (e && *e)
    return std::atoi(e);
  state().initialized = true;
  return 0;
}

CUresult cuDriverGetVersion(int *version) {
  const char *forced = std::getenv("DLC_FAKE_CUDA_DRIVER_VERSION");
  *version = forced && *forced ? std::atoi(forced) : 13000;
  return 0;
}

CUresult cuGetErrorName(CUresult error, const char **p) {
  auto it = errorNames().find(error);
  if (it == errorNames().end()) {
    *p = nullptr;
    return ErrInvalidValue;
  }
  *p = it->second.first;
  return 0;
}

CUresult cuGetErrorString(CUresult error, const char **p) {
  auto it = errorNames().find(error);
  if (it == errorNames().end()) {
    *p = nullptr;
    return ErrInvalidValue;
  }
  *p = it->second.second;
  return 0;
}

CUresult cuDeviceGetCount(int *n) {
  count("cuDeviceGetCount");
  if (!state().initialized)
    return ErrNotInitialized;
  *n = deviceCount();
  return 0;
}

CUresult cuDeviceGet(CUdevice *device, int ordinal) {
  if (!state().initialized)
    return ErrNotInitialized;
  if (ordinal < 0 || ordinal >= deviceCount())
    return ErrInvalidDevice;
  *device = ordinal;
  return 0;
}

CUresult cuDeviceGetName(char *name, int len, CUdevice dev) {
  if (dev < 0 || dev >= deviceCount() || len < 1)
    return ErrInvalidValue;
  std::snprintf(name, static_cast<size_t>(len), "Fake CUDA Device %d", dev);
  return 0;
}

CUresult cuDeviceGetAttribute(int *value, CUdevice_attribute attribute,
                              CUdevice dev) {
  if (dev < 0 || dev >= deviceCount())
    return ErrInvalidDevice;
  int major, minor;
  computeCapability(major, minor);
  switch (attribute) {
  case CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR:
    *value = major;
    return 0;
  case CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR:
    *value = minor;
    return 0;
  case CU_DEVICE_ATTRIBUTE_MAX_THREADS_PER_BLOCK:
    *value = 1024;
    return 0;
  case CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK_OPTIN:
    *value = SharedOptIn;
    return 0;
  default:
    return ErrInvalidValue;
  }
}

CUresult cuDevicePrimaryCtxRetain(CUcontext *context, CUdevice dev) {
  count("cuDevicePrimaryCtxRetain");
  if (!state().initialized)
    return ErrNotInitialized;
  if (dev < 0 || dev >= deviceCount())
    return ErrInvalidDevice;
  ++state().retained;
  *context = reinterpret_cast<CUcontext>(&fakeContextToken);
  return 0;
}

CUresult cuDevicePrimaryCtxRelease_v2(CUdevice dev) {
  count("cuDevicePrimaryCtxRelease_v2");
  if (state().retained == 0)
    return ErrInvalidContext;
  // The last release destroys the context, and a device fault with it.
  if (--state().retained == 0) {
    state().current = nullptr;
    state().sticky = 0;
  }
  return 0;
}

CUresult cuCtxSetCurrent(CUcontext context) {
  if (context != reinterpret_cast<CUcontext>(&fakeContextToken))
    return ErrInvalidContext;
  state().current = context;
  return 0;
}

CUresult cuCtxSynchronize() {
  count("cuCtxSynchronize");
  if (CUresult r = needContext())
    return r;
  if (anyCapture()) {
    invalidateCaptures();
    return ErrCaptureUnsupported;
  }
  return drainAll();
}

CUresult cuMemAlloc_v2(CUdeviceptr *ptr, size_t bytes) {
  count("cuMemAlloc_v2");
  if (CUresult r = needContext())
    return r;
  if (anyCapture()) {
    invalidateCaptures();
    return ErrCaptureUnsupported;
  }
  if (bytes == 0)
    return ErrInvalidValue;
  void *p = std::aligned_alloc(256, (bytes + 255) / 256 * 256);
  std::memset(p, 0xCD, bytes);
  state().allocations[reinterpret_cast<uintptr_t>(p)] = bytes;
  *ptr = reinterpret_cast<uintptr_t>(p);
  return 0;
}

CUresult cuMemFree_v2(CUdeviceptr ptr) {
  count("cuMemFree_v2");
  if (anyPending())
    return ErrIllegalState; // the caller freed memory still in use
  auto it = state().allocations.find(static_cast<uintptr_t>(ptr));
  if (it == state().allocations.end())
    return ErrInvalidValue;
  std::free(reinterpret_cast<void *>(it->first));
  state().allocations.erase(it);
  return 0;
}

CUresult cuMemcpyDtoH_v2(void *dst, CUdeviceptr src, size_t bytes) {
  count("cuMemcpyDtoH_v2");
  return legacy([=]() -> CUresult {
    if (!inside(src, bytes))
      return ErrInvalidValue;
    std::memcpy(dst, reinterpret_cast<void *>(src), bytes);
    return 0;
  });
}

CUresult cuMemcpyHtoDAsync_v2(CUdeviceptr dst, const void *src, size_t bytes,
                              CUstream stream) {
  count("cuMemcpyHtoDAsync_v2");
  if (!inside(dst, bytes))
    return ErrInvalidValue;
  Stream *s = reinterpret_cast<Stream *>(stream);
  if (s && state().streams.count(s) && s->capture) {
    s->capture->invalidated = true; // pageable memory cannot be captured
    return ErrCaptureUnsupported;
  }
  // Reads `src` when it runs: the caller must keep it until then.
  return submit(stream, [=]() -> CUresult {
    std::memcpy(reinterpret_cast<void *>(dst), src, bytes);
    return 0;
  });
}

CUresult cuMemsetD8_v2(CUdeviceptr dst, unsigned char value, size_t n) {
  count("cuMemsetD8_v2");
  return legacy([=]() -> CUresult {
    if (!inside(dst, n))
      return ErrInvalidValue;
    std::memset(reinterpret_cast<void *>(dst), value, n);
    return 0;
  });
}

CUresult cuMemsetD32Async(CUdeviceptr dst, unsigned int value, size_t n,
                          CUstream stream) {
  count("cuMemsetD32Async");
  if (dst % 4 != 0 || !inside(dst, n * 4))
    return ErrInvalidValue;
  return submit(stream, [=]() -> CUresult {
    uint32_t *p = reinterpret_cast<uint32_t *>(dst);
    for (size_t i = 0; i < n; ++i)
      p[i] = value;
    return 0;
  });
}

CUresult cuModuleLoadDataEx(CUmodule *module, const void *image, unsigned int n,
                            CUjit_option *options, void **values) {
  count("cuModuleLoadDataEx");
  if (CUresult r = needContext())
    return r;
  for (unsigned i = 0; i < n; ++i)
    if (options[i] < CU_JIT_INFO_LOG_BUFFER ||
        options[i] > CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES)
      return ErrInvalidValue;
  const char *bytes = static_cast<const char *>(image);
  bool cubin = std::memcmp(bytes,
                           "\x7f"
                           "ELF",
                           4) == 0;
  std::string text = cubin ? bytes + 4 : bytes;
  if (cubin) {
    int major, minor;
    computeCapability(major, minor);
    std::string arch = directive(text, "fake-arch");
    if (arch != "sm_" + std::to_string(major * 10 + minor))
      return ErrNoBinaryForGpu;
  } else if (text.find("fake-syntax-error") != std::string::npos) {
    writeLog(n, options, values,
             "ptxas application ptx input, line 3; error   : syntax error\n"
             "ptxas fatal   : Ptx assembly aborted due to errors");
    return ErrInvalidPtx;
  }
  std::string path = directive(text, "fake-so");
  void *library =
      path.empty() ? nullptr : dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!library)
    return cubin ? ErrInvalidImage : ErrInvalidPtx;
  Module *m = new Module;
  m->library = library;
  m->entries = dlc::runtime::ptxEntryParameterCounts(text);
  state().modules.insert(m);
  *module = reinterpret_cast<CUmodule>(m);
  return 0;
}

CUresult cuModuleUnload(CUmodule module) {
  count("cuModuleUnload");
  Module *m = reinterpret_cast<Module *>(module);
  if (!state().modules.erase(m))
    return ErrInvalidHandle;
  for (Function *f : m->functions) {
    state().functions.erase(f);
    delete f;
  }
  dlclose(m->library);
  delete m;
  return 0;
}

CUresult cuModuleGetFunction(CUfunction *function, CUmodule module,
                             const char *name) {
  Module *m = reinterpret_cast<Module *>(module);
  if (!state().modules.count(m))
    return ErrInvalidHandle;
  auto entry = m->entries.find(name);
  void *fn = dlsym(m->library, name);
  if (entry == m->entries.end() || !fn)
    return ErrNotFound;
  Function *f = new Function;
  f->fn = reinterpret_cast<dlc_kernel_fn>(fn);
  f->parameters = entry->second;
  f->name = name;
  state().functions.insert(f);
  m->functions.push_back(f);
  *function = reinterpret_cast<CUfunction>(f);
  return 0;
}

CUresult cuFuncSetAttribute(CUfunction function, CUfunction_attribute attribute,
                            int value) {
  count("cuFuncSetAttribute");
  Function *f = reinterpret_cast<Function *>(function);
  if (!state().functions.count(f) ||
      attribute != CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES ||
      value < 0 || value > SharedOptIn)
    return ErrInvalidValue;
  f->maxDynamicShared = value;
  return 0;
}

static CUresult launchKernel(CUfunction function, unsigned int gx, unsigned int gy,
                      unsigned int gz, unsigned int bx, unsigned int by,
                      unsigned int bz, unsigned int shared, CUstream stream,
                      void **params, void **extra) {
  Function *f = reinterpret_cast<Function *>(function);
  if (!state().functions.count(f))
    return ErrInvalidHandle;
  if (gx < 1 || gy != 1 || gz != 1 || bx < 1 || bx > 1024 || by != 1 ||
      bz != 1 || extra != nullptr ||
      static_cast<int>(shared) > f->maxDynamicShared ||
      (f->parameters > 0 && !params))
    return ErrInvalidValue;
  // The argument values are read now, as the driver does.
  std::vector<void *> buffers;
  for (int i = 0; i < f->parameters; ++i)
    buffers.push_back(
        reinterpret_cast<void *>(*static_cast<const CUdeviceptr *>(params[i])));
  dlc_kernel_fn fn = f->fn;
  const char *fault = std::getenv("DLC_FAKE_CUDA_FAULT");
  bool faults = fault && f->name == fault;
  return submit(stream, [=]() -> CUresult {
    for (void *b : buffers)
      if (!inside(reinterpret_cast<CUdeviceptr>(b), 1))
        return ErrIllegalAddress;
    if (faults)
      return ErrIllegalAddress;
    for (unsigned block = 0; block < gx; ++block)
      fn(buffers.data(), block, gx);
    return 0;
  });
}

CUresult cuLaunchKernel(CUfunction function, unsigned int gx, unsigned int gy,
                        unsigned int gz, unsigned int bx, unsigned int by,
                        unsigned int bz, unsigned int shared, CUstream stream,
                        void **params, void **extra) {
  count("cuLaunchKernel");
  return launchKernel(function, gx, gy, gz, bx, by, bz, shared, stream, params,
                      extra);
}

// A programmatic dependent launch runs as a plain one here: its kernel
// waits for the grid before it, which stream order already gives. Only
// that attribute is accepted, and counted (cuLaunchKernelEx+programmatic).
CUresult cuLaunchKernelEx(const CUlaunchConfig *config, CUfunction function,
                          void **params, void **extra) {
  count("cuLaunchKernelEx");
  if (!config || (config->numAttrs > 0 && !config->attrs))
    return ErrInvalidValue;
  for (unsigned i = 0; i < config->numAttrs; ++i) {
    const CUlaunchAttribute &a = config->attrs[i];
    if (a.id != CU_LAUNCH_ATTRIBUTE_PROGRAMMATIC_STREAM_SERIALIZATION ||
        (a.value.programmaticStreamSerializationAllowed != 0 &&
         a.value.programmaticStreamSerializationAllowed != 1))
      return ErrInvalidValue;
    if (a.value.programmaticStreamSerializationAllowed)
      count("cuLaunchKernelEx+programmatic");
  }
  return launchKernel(function, config->gridDimX, config->gridDimY,
                      config->gridDimZ, config->blockDimX, config->blockDimY,
                      config->blockDimZ, config->sharedMemBytes,
                      config->hStream, params, extra);
}

CUresult cuStreamCreate(CUstream *stream, unsigned int flags) {
  count("cuStreamCreate");
  if (CUresult r = needContext())
    return r;
  if (flags > CU_STREAM_NON_BLOCKING)
    return ErrInvalidValue;
  Stream *s = new Stream;
  s->flags = flags;
  state().streams.insert(s);
  *stream = reinterpret_cast<CUstream>(s);
  return 0;
}

CUresult cuStreamDestroy_v2(CUstream stream) {
  count("cuStreamDestroy_v2");
  Stream *s = reinterpret_cast<Stream *>(stream);
  if (!state().streams.count(s) || s->capture)
    return ErrInvalidHandle;
  drain(s); // pending work still completes
  state().streams.erase(s);
  delete s;
  return 0;
}

CUresult cuStreamSynchronize(CUstream stream) {
  count("cuStreamSynchronize");
  if (CUresult r = needContext())
    return r;
  Stream *s = reinterpret_cast<Stream *>(stream);
  if (!state().streams.count(s))
    return ErrInvalidHandle;
  if (s->capture) {
    s->capture->invalidated = true;
    return ErrCaptureUnsupported;
  }
  return drain(s);
}

CUresult cuStreamWaitEvent(CUstream stream, CUevent event, unsigned int flags) {
  count("cuStreamWaitEvent");
  if (CUresult r = needContext())
    return r;
  Stream *s = reinterpret_cast<Stream *>(stream);
  Event *e = reinterpret_cast<Event *>(event);
  if (!state().streams.count(s) || !state().events.count(e))
    return ErrInvalidHandle;
  if (flags != 0)
    return ErrInvalidValue;
  if (!e->capture) {
    // Outside captures the fake runs work only at synchronisation, in
    // stream order; dlrun waits on events only while capturing.
    if (s->capture) {
      s->capture->invalidated = true;
      return ErrCaptureIsolation;
    }
    return 0;
  }
  if (!state().graphs.count(e->capture) &&
      std::none_of(state().streams.begin(), state().streams.end(),
                   [&](Stream *o) { return o->capture == e->capture; }))
    return ErrInvalidValue; // a capture that has ended
  if (s->capture && s->capture != e->capture)
    return ErrCaptureIsolation;
  if (!s->capture) {
    s->capture = e->capture; // the stream joins the capture
    s->origin = false;
    s->frontier.clear();
  }
  for (int n : e->nodes)
    if (std::find(s->frontier.begin(), s->frontier.end(), n) ==
        s->frontier.end())
      s->frontier.push_back(n);
  return 0;
}

CUresult cuEventCreate(CUevent *event, unsigned int flags) {
  count("cuEventCreate");
  if (CUresult r = needContext())
    return r;
  if (flags & ~0xFu)
    return ErrInvalidValue;
  Event *e = new Event;
  state().events.insert(e);
  *event = reinterpret_cast<CUevent>(e);
  return 0;
}

CUresult cuEventRecord(CUevent event, CUstream stream) {
  count("cuEventRecord");
  if (CUresult r = needContext())
    return r;
  Event *e = reinterpret_cast<Event *>(event);
  Stream *s = reinterpret_cast<Stream *>(stream);
  if (!state().events.count(e) || (s && !state().streams.count(s)))
    return ErrInvalidHandle;
  e->capture = s ? s->capture : nullptr;
  e->nodes = s && s->capture ? s->frontier : std::vector<int>();
  return 0;
}

CUresult cuEventDestroy_v2(CUevent event) {
  count("cuEventDestroy_v2");
  Event *e = reinterpret_cast<Event *>(event);
  if (!state().events.erase(e))
    return ErrInvalidHandle;
  delete e;
  return 0;
}

CUresult cuStreamBeginCapture_v2(CUstream stream, CUstreamCaptureMode mode) {
  count("cuStreamBeginCapture_v2");
  if (CUresult r = needContext())
    return r;
  Stream *s = reinterpret_cast<Stream *>(stream);
  if (!s)
    return ErrCaptureUnsupported; // the legacy stream
  if (!state().streams.count(s))
    return ErrInvalidHandle;
  if (s->capture)
    return ErrIllegalState;
  if (mode < 0 || mode > 2)
    return ErrInvalidValue;
  s->capture = new Graph;
  s->origin = true;
  s->frontier.clear();
  return 0;
}

CUresult cuStreamEndCapture(CUstream stream, CUgraph *graph) {
  count("cuStreamEndCapture");
  Stream *s = reinterpret_cast<Stream *>(stream);
  if (!state().streams.count(s))
    return ErrInvalidHandle;
  if (!s->capture || !s->origin)
    return ErrIllegalState;
  Graph *g = s->capture;
  // Every node must lead to the origin stream's frontier (the real driver:
  // forked streams joined back), and every stream leaves the capture.
  std::vector<bool> joined(g->nodes.size());
  std::vector<int> stack = s->frontier;
  while (!stack.empty()) {
    int n = stack.back();
    stack.pop_back();
    if (joined[n])
      continue;
    joined[n] = true;
    for (int d : g->nodes[n].deps)
      stack.push_back(d);
  }
  for (Stream *o : state().streams)
    if (o->capture == g) {
      o->capture = nullptr;
      o->origin = false;
      o->frontier.clear();
    }
  for (Event *e : state().events)
    if (e->capture == g)
      e->capture = nullptr;
  bool unjoined = std::find(joined.begin(), joined.end(), false) != joined.end();
  if (g->invalidated || unjoined) {
    CUresult r = g->invalidated ? ErrCaptureInvalidated : ErrCaptureUnjoined;
    delete g;
    *graph = nullptr;
    return r;
  }
  state().graphs.insert(g);
  *graph = reinterpret_cast<CUgraph>(g);
  return 0;
}

CUresult cuGraphInstantiateWithFlags(CUgraphExec *exec, CUgraph graph,
                                     unsigned long long flags) {
  count("cuGraphInstantiateWithFlags");
  Graph *g = reinterpret_cast<Graph *>(graph);
  if (!state().graphs.count(g) || flags != 0)
    return ErrInvalidValue;
  GraphExec *e = new GraphExec{g->nodes};
  state().execs.insert(e);
  *exec = reinterpret_cast<CUgraphExec>(e);
  return 0;
}

CUresult cuGraphLaunch(CUgraphExec exec, CUstream stream) {
  count("cuGraphLaunch");
  GraphExec *e = reinterpret_cast<GraphExec *>(exec);
  if (!state().execs.count(e))
    return ErrInvalidHandle;
  Stream *s = reinterpret_cast<Stream *>(stream);
  if (!s || !state().streams.count(s) || s->capture)
    return ErrInvalidValue;
  if (CUresult r = needContext())
    return r;
  for (int n : replayOrder(e->nodes, e->replays++))
    s->pending.push_back(e->nodes[n].op);
  return 0;
}

CUresult cuGraphExecDestroy(CUgraphExec exec) {
  count("cuGraphExecDestroy");
  GraphExec *e = reinterpret_cast<GraphExec *>(exec);
  if (!state().execs.erase(e))
    return ErrInvalidHandle;
  delete e;
  return 0;
}

CUresult cuGraphDestroy(CUgraph graph) {
  count("cuGraphDestroy");
  Graph *g = reinterpret_cast<Graph *>(graph);
  if (!state().graphs.erase(g))
    return ErrInvalidHandle;
  delete g;
  return 0;
}

} // extern "C"
