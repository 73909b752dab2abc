//===- CudaExecutor.h - runs a CUDA plan's steps on a GPU -------*- C++ -*-===//
//
// The device holds everything a step touches: the plan's memory block (one
// allocation, tensors at their planned offsets, as on the CPU), both data
// splits as u8 pixels and labels (uploaded once), each phase's example
// order (int32, uploaded once per epoch for training, once for evaluation),
// a cursor into it and the running sums of loss (f64) and correct count
// (i64). A step is gather (batch `*cursor` of the order into the image and
// label tensors), the step's launches, and accumulate (metrics into the
// sums, cursor += batch); it is captured once per phase as a CUDA graph and
// then replayed with one cuGraphLaunch, so the host waits for the device
// only when it reads something back.
//
// All device work is ordered on one non-blocking stream; within a step's
// graph, launches whose bytes do not conflict (LaunchGraph.h) run
// concurrently, captured from further streams. Host-to-device copies are
// followed by a stream synchronisation (the host buffer may then change);
// reads synchronise before copying back. Every driver call is
// checked; the first failure is kept as one line, "<plan>: CUDA error in
// <call>: <name>: <description>", and every later call fails at once.
//
// DLC_CUDA_DEBUG=1 in the environment launches kernels one by one instead
// of replaying graphs and synchronises after each, so that a failing kernel
// is named. DLC_CUDA_SERIAL=1 captures each step on one stream, in plan
// order, without concurrent launches (to compare). DLC_CUDA_PREFETCH=1
// double-buffers the training batch: each step's graph gathers the next
// batch into the other buffer beside its own kernels, so the gather leaves
// the step's critical path (two graphs, alternating; the first batch of a
// phase is gathered on its own; the order is padded by a batch of index 0
// for the last step's gather). A plan compiled with --gpu-dependent-launch
// is captured with programmatic dependent launches (CUDA 12.3, compute
// capability 9.0; plain launches otherwise): each kernel may be launched
// while the one before it on its stream ends, and waits for it itself
// (griddepcontrol); DLC_CUDA_DEPENDENT_LAUNCH=0 launches such a plan's
// kernels plainly (to compare). DLC_CUDA_GRAPH_STEPS=N (1 to 64, default
// 1) captures N steps as one graph for runSteps, their launches ordered
// only by their data dependencies: no graph launch separates the steps,
// and a step's last launches (its last layers' updates) may run beside
// the next step's first.
//
//===----------------------------------------------------------------------===//

#ifndef DLC_RUNTIME_EXEC_CUDAEXECUTOR_H
#define DLC_RUNTIME_EXEC_CUDAEXECUTOR_H

#include "cuda/CudaDriver.h"
#include "plan/LaunchGraph.h"
#include "plan/PlanFile.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace dlc {
namespace runtime {

class CudaExecutor {
public:
  /// Which step a replay runs, on which data split: train_step on the
  /// training set, eval_step on the test set.
  enum Phase { Train = 0, Eval = 1 };

  struct Options {
    int device = 0;         // CUDA device ordinal
    std::string driverPath; // empty: CudaDriver::defaultPath()
  };

  /// Loads the driver, selects the device, loads the plan's module (its
  /// cubin when built for exactly this device's architecture, else its PTX
  /// through the driver's JIT), resolves every kernel and allocates the
  /// zeroed memory block. Returns null with a one-line error prefixed with
  /// the plan's name.
  static std::unique_ptr<CudaExecutor>
  create(const PlanFile &plan, const Options &options, std::string &error);
  ~CudaExecutor();
  CudaExecutor(const CudaExecutor &) = delete;
  CudaExecutor &operator=(const CudaExecutor &) = delete;

  /// "device 0: NAME, compute capability 9.0, driver for CUDA 12.8, kernels
  /// from the plan's cubin (sm_90)"
  const std::string &description() const { return deviceText; }

  /// Copies all of tensor `index` to `dst` (waits for the device).
  bool readTensor(int32_t index, void *dst);
  /// Copies `src` over all of tensor `index` (waits until copied).
  bool writeTensor(int32_t index, const void *src);
  /// Zeroes tensor `index`, in stream order.
  bool zeroTensor(int32_t index);
  /// Writes the 4 bytes of a scalar slot (f32 or i32 bits), in stream order.
  bool setScalar(int32_t index, uint32_t bits);

  /// Uploads the data split of `phase`: `count` examples of
  /// product(image_shape) u8 pixels and one u8 label each.
  bool setData(Phase phase, const uint8_t *pixels, const uint8_t *labels,
               int64_t count);
  /// Uploads `phase`'s order: the split's example indices, `batch` per step.
  bool setOrder(Phase phase, const std::vector<int32_t> &order);
  /// Zeroes the sums and the cursor, in stream order.
  bool resetSums();
  /// Runs one step of `phase` on the next batch of its order (capturing the
  /// graph on first use). Does not wait for the device.
  bool runStep(Phase phase);
  /// Runs the next `count` steps of `phase`: DLC_CUDA_GRAPH_STEPS at a time
  /// as far as they go (one graph of that many steps), then one by one.
  /// Does not wait for the device.
  bool runSteps(Phase phase, int64_t count);
  /// Waits for the device and reads the sums since resetSums.
  bool readSums(double &lossSum, int64_t &correct);

  /// The first error, one line; empty while everything succeeded.
  const std::string &error() const { return errorText; }

private:
  /// One kernel launch with its arguments resolved to device pointers.
  struct DeviceLaunch {
    cuda::CUfunction function = nullptr;
    unsigned grid = 1, block = 1, sharedBytes = 0;
    std::vector<cuda::CUdeviceptr> args;
    std::string what; // for messages: "train_step launch 3 'symbol'"
    LaunchAccess access; // device bytes it reads and writes
    bool accessKnown = true; // false: a plan without Launch.access
  };
  /// Device buffers and the captured graph of one phase.
  struct PhaseState {
    cuda::CUdeviceptr images = 0, labels = 0, order = 0;
    size_t imageBytes = 0, labelBytes = 0, orderCapacity = 0; // entries
    int64_t count = 0;
    std::vector<DeviceLaunch> step; // the step's launches, without the data
    cuda::CUgraphExec graph = nullptr;
    cuda::CUgraphExec prefetchGraphs[2] = {nullptr, nullptr};
    // Of stepsPerGraph steps, by the parity they start at (prefetching).
    cuda::CUgraphExec multiStepGraphs[2] = {nullptr, nullptr};
  };

  CudaExecutor(const PlanFile &plan) : file(plan) {}
  bool open(const Options &options, std::string &error);
  bool selectDevice(int ordinal);
  /// Whether a dependent-launch plan's kernels are launched as programmatic
  /// dependents here (driver and device permitting); says so in the
  /// description.
  bool chooseLaunchMode();
  bool loadModule();
  bool resolveKernels();
  bool buildSteps();

  /// Records the first failure of `call`; true if `result` is success.
  bool check(cuda::CUresult result, const std::string &call);
  bool fail(const std::string &message);
  bool allocate(cuda::CUdeviceptr &ptr, size_t bytes, const char *what);
  void release(cuda::CUdeviceptr &ptr);
  bool synchronize(const char *why);
  bool upload(cuda::CUdeviceptr dst, const void *src, size_t bytes,
              const std::string &what);
  void dropGraph(Phase phase);
  cuda::CUdeviceptr tensorPtr(int32_t index) const;
  /// gather, the step, accumulate: what one step of `phase` launches.
  /// With `prefetch` (training, DLC_CUDA_PREFETCH), step launches read
  /// batch buffer `parity` (0: the plan's image and label tensors, 1: the
  /// alternates) while the gather fills the other with the next batch.
  std::vector<DeviceLaunch> phaseLaunches(Phase phase, bool prefetch = false,
                                          int parity = 0) const;
  /// The gather of the current batch into the plan's tensors, on its own:
  /// what a prefetching phase starts from.
  bool launchFirstGather(Phase phase);
  /// With `dependent`, a programmatic dependent launch (cuLaunchKernelEx):
  /// it may start before the kernel ahead of it on `on` ends, which the
  /// plan's kernels wait for themselves (Plan.dependent_launch).
  bool launch(const DeviceLaunch &l, cuda::CUstream on,
              bool dependent = false);
  /// Captures `steps` of `phase`'s steps (the first at batch buffer
  /// `parity` when prefetching) as a graph whose edges are their launches'
  /// data dependencies (LaunchGraph.h): launches go to as many streams as
  /// the dependencies leave independent, joined by events.
  bool capture(Phase phase, bool prefetch = false, int parity = 0,
               int steps = 1);
  /// Whether `phase` has its data and order (else an error) and no
  /// earlier call failed.
  bool haveData(Phase phase);
  /// The graph slot of `steps` steps of `phase` whose first reads batch
  /// buffer `first` when prefetching.
  cuda::CUgraphExec &graphOf(Phase phase, bool prefetch, int first,
                             int steps);
  /// Runs the next `steps` steps of `phase` as one graph replay (captured
  /// on first use), gathering a prefetching phase's first batch first.
  bool runGraph(Phase phase, int steps);
  /// At least `streams` capture streams (the first is `stream`) and
  /// `events` events.
  bool reserveCaptureResources(int streams, size_t events);
  ByteRange tensorRange(int32_t index) const;

  const PlanFile &file;
  std::unique_ptr<cuda::CudaDriver> driver;
  cuda::CUdevice device = 0;
  bool contextRetained = false;
  cuda::CUstream stream = nullptr;
  // Further streams and events for capturing concurrent launches.
  std::vector<cuda::CUstream> sideStreams;
  std::vector<cuda::CUevent> events;
  cuda::CUmodule module = nullptr;
  std::vector<cuda::CUfunction> functions; // per plan kernel
  cuda::CUdeviceptr memory = 0;            // the plan's memory block
  // loss_sum (f64) at 0, correct_sum (i64) at 8, cursor (i32) at 16.
  cuda::CUdeviceptr sums = 0;
  PhaseState phases[2];
  int64_t features = 0; // pixels per example
  int ccMajor = 0, ccMinor = 0;
  bool debug = false;
  bool serial = false; // DLC_CUDA_SERIAL: graphs without concurrency
  // DLC_CUDA_PREFETCH: a training step gathers the next batch into the
  // other of two batch buffers while it computes on this one.
  bool prefetch = false;
  // A plan whose kernels wait for their prerequisites is captured with
  // programmatic dependent launches (unless DLC_CUDA_DEPENDENT_LAUNCH=0).
  bool dependentLaunch = false;
  int stepsPerGraph = 1; // DLC_CUDA_GRAPH_STEPS
  int driverVersion = 0; // cuDriverGetVersion's, e.g. 12040
  cuda::CUdeviceptr altImage = 0, altLabel = 0;
  bool primed = false; // the current batch is in buffer `parity`
  int parity = 0;
  std::string deviceText, driverText, errorText;
};

} // namespace runtime
} // namespace dlc

#endif // DLC_RUNTIME_EXEC_CUDAEXECUTOR_H
