//===- PlanChecks.cpp - semantic checks of a verified plan ----------------===//

#include "plan/PlanChecks.h"

#include "abi/KernelABI.h"
#include "abi/PlanFormat.h"
#include "plan/PtxEntries.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace dlc {
namespace runtime {

using namespace dlc::plan;

std::string formatShape(const flatbuffers::Vector<int64_t> *shape) {
  std::string out = "[";
  if (shape)
    for (flatbuffers::uoffset_t i = 0; i < shape->size(); ++i)
      out += (i ? ", " : "") + std::to_string(shape->Get(i));
  return out + "]";
}

namespace {

// The verifier checks a vector's length word but not that 8-byte elements
// are 8-byte aligned; the builder aligns them (an empty vector's data is
// never read, and the builder does not align it).
bool aligned(const flatbuffers::Vector<int64_t> *v) {
  return !v || v->size() == 0 ||
         reinterpret_cast<uintptr_t>(v->data()) % alignof(int64_t) == 0;
}

class Checker {
public:
  Checker(const Plan &plan, const std::string &name, std::string &error)
      : plan(plan), name(name), error(error) {}

  bool run();

private:
  bool fail(const std::string &message) {
    error = name + ": " + message;
    return false;
  }
  /// Names from the plan are quoted in messages, --inspect and reports:
  /// no control bytes, which would split a line or drive the terminal.
  bool printable(const flatbuffers::String *text, const std::string &what) {
    if (text)
      for (unsigned char c : text->string_view())
        if (c < 0x20 || c == 0x7f)
          return fail(what + " contains control byte " + std::to_string(c));
    return true;
  }
  std::string tensorName(int32_t index) const {
    const Tensor *t = plan.tensors()->Get(index);
    return "tensor " + std::to_string(index) + " '" +
           (t->name() ? t->name()->str() : std::string()) + "'";
  }
  bool checkTensors();
  bool checkKernels();
  bool checkCudaKernels();
  bool dependentLaunchArch() const;
  bool checkStep(const Step *step, const char *stepName);
  bool checkSlot(int32_t index, const char *slot, Role role, DType dtype,
                 const std::vector<int64_t> &shape);
  bool checkInitializers();

  const Plan &plan;
  const std::string &name;
  std::string &error;
  int64_t numTensors = 0;
  bool cuda = false;
};

bool Checker::run() {
  if (plan.format_version() != DLC_PLAN_FORMAT_VERSION)
    return fail("the plan says format version " +
                std::to_string(plan.format_version()) +
                " but its header says " +
                std::to_string(DLC_PLAN_FORMAT_VERSION));
  if (!printable(plan.model_name(), "the model name"))
    return false;
  if (plan.batch() <= 0)
    return fail("batch must be positive, got " + std::to_string(plan.batch()));
  if (plan.classes() < 2)
    return fail("classes must be at least 2, got " +
                std::to_string(plan.classes()));
  if (!plan.image_shape() || plan.image_shape()->size() == 0)
    return fail("the plan has no image_shape");
  if (!aligned(plan.image_shape()))
    return fail("image_shape is misaligned");
  for (int64_t d : *plan.image_shape())
    if (d <= 0)
      return fail("image_shape " + formatShape(plan.image_shape()) +
                  " has a non-positive dimension");
  if (plan.default_epochs() < 1)
    return fail("default_epochs must be at least 1, got " +
                std::to_string(plan.default_epochs()));
  switch (planTarget(plan)) {
  case PlanTarget::Cpu:
    break;
  case PlanTarget::Cuda:
    cuda = true;
    break;
  case PlanTarget::Unknown:
    return fail("target '" + plan.target()->str() +
                "' is not one this dlrun runs (cpu or cuda)");
  }
  if (plan.dependent_launch() && !dependentLaunchArch())
    return fail("dependent_launch needs a CUDA plan for sm_90 or later "
                "(griddepcontrol); this one is for '" +
                (!cuda ? std::string("cpu")
                 : plan.gpu_arch() && plan.gpu_arch()->size()
                     ? plan.gpu_arch()->str()
                     : std::string("no gpu_arch")) +
                "'");
  if (!checkTensors() || !checkKernels() ||
      !checkStep(plan.train_step(), "train_step") ||
      !checkStep(plan.eval_step(), "eval_step") ||
      (cuda && !checkCudaKernels()) || !checkInitializers())
    return false;

  // The slots the runtime fills or reads.
  std::vector<int64_t> imageShape{plan.batch()};
  for (int64_t d : *plan.image_shape())
    imageShape.push_back(d);
  if (!checkSlot(plan.image(), "image", Role::Image, DType::F32, imageShape) ||
      !checkSlot(plan.label(), "label", Role::Label, DType::I32,
                 {plan.batch()}) ||
      !checkSlot(plan.lr(), "lr", Role::Hyper, DType::F32, {}) ||
      !checkSlot(plan.weight_decay(), "weight_decay", Role::Hyper, DType::F32,
                 {}) ||
      !checkSlot(plan.valid_rows(), "valid_rows", Role::Hyper, DType::I32,
                 {}) ||
      !checkSlot(plan.train_loss(), "train_loss", Role::Metric, DType::F32,
                 {}) ||
      !checkSlot(plan.train_correct(), "train_correct", Role::Metric,
                 DType::I32, {}) ||
      !checkSlot(plan.eval_loss(), "eval_loss", Role::Metric, DType::F32,
                 {}) ||
      !checkSlot(plan.eval_correct(), "eval_correct", Role::Metric,
                 DType::I32, {}))
    return false;
  // Without momentum state the momentum operand may be absent.
  if ((plan.has_momentum_state() || plan.momentum() != -1) &&
      !checkSlot(plan.momentum(), "momentum", Role::Hyper, DType::F32, {}))
    return false;
  return true;
}

bool Checker::checkTensors() {
  if (!plan.tensors() || plan.tensors()->size() == 0)
    return fail("the plan has no tensors");
  numTensors = plan.tensors()->size();
  int64_t memory = plan.memory_size();
  if (memory <= 0)
    return fail("memory_size must be positive, got " + std::to_string(memory));
  if (plan.arena_offset() < 0 || plan.arena_size() < 0 ||
      plan.arena_offset() > memory ||
      plan.arena_size() > memory - plan.arena_offset())
    return fail("the arena (offset " + std::to_string(plan.arena_offset()) +
                ", size " + std::to_string(plan.arena_size()) +
                ") lies outside the memory block of " +
                std::to_string(memory) + " bytes");
  for (int32_t i = 0; i < numTensors; ++i) {
    const Tensor *t = plan.tensors()->Get(i);
    std::string what = tensorName(i);
    if (!t->name() || t->name()->size() == 0)
      return fail(what + " has no name");
    if (!printable(t->name(), "the name of tensor " + std::to_string(i)))
      return false;
    if (!aligned(t->shape()))
      return fail(what + " has a misaligned shape");
    if (t->dtype() != DType::F32 && t->dtype() != DType::I32)
      return fail(what + " has an unknown dtype " +
                  std::to_string(static_cast<int>(t->dtype())));
    if (t->role() < Role::MIN || t->role() > Role::MAX)
      return fail(what + " has an unknown role " +
                  std::to_string(static_cast<int>(t->role())));
    // Elements * 4 bytes, refusing overflow.
    int64_t bytes = 4;
    if (t->shape())
      for (int64_t d : *t->shape()) {
        if (d < 0)
          return fail(what + " has a negative dimension in shape " +
                      formatShape(t->shape()));
        if (d != 0 && bytes > INT64_MAX / d)
          return fail(what + " is too large: shape " +
                      formatShape(t->shape()));
        bytes *= d;
      }
    if (t->size() != bytes)
      return fail(what + " has size " + std::to_string(t->size()) +
                  " bytes but its shape " + formatShape(t->shape()) +
                  " needs " + std::to_string(bytes));
    if (t->offset() < 0 || t->offset() > memory ||
        t->size() > memory - t->offset())
      return fail(what + " (offset " + std::to_string(t->offset()) +
                  ", size " + std::to_string(t->size()) +
                  ") lies outside the memory block of " +
                  std::to_string(memory) + " bytes");
    if (t->offset() % DLC_TENSOR_ALIGNMENT != 0)
      return fail(what + " has offset " + std::to_string(t->offset()) +
                  ", not a multiple of " +
                  std::to_string(DLC_TENSOR_ALIGNMENT));
  }
  return true;
}

bool Checker::checkKernels() {
  if (!plan.kernels() || plan.kernels()->size() == 0)
    return fail("the plan has no kernels");
  if (!cuda && (!plan.code() || plan.code()->size() == 0))
    return fail("the plan has no code");
  if (cuda && (!plan.ptx() || plan.ptx()->size() == 0))
    return fail("the CUDA plan has no PTX");
  for (flatbuffers::uoffset_t i = 0; i < plan.kernels()->size(); ++i) {
    const Kernel *k = plan.kernels()->Get(i);
    if (!k->symbol() || k->symbol()->size() == 0)
      return fail("kernel " + std::to_string(i) + " has no symbol");
    if (!printable(k->symbol(), "the symbol of kernel " + std::to_string(i)))
      return false;
    if (k->origin_ops())
      for (const flatbuffers::String *op : *k->origin_ops())
        if (!printable(op, "an origin op of kernel " + std::to_string(i)))
          return false;
    std::string what =
        "kernel " + std::to_string(i) + " '" + k->symbol()->str() + "'";
    if (k->workgroups() < 1)
      return fail(what + " has " + std::to_string(k->workgroups()) +
                  " workgroups; it needs at least 1");
    if (!cuda)
      continue;
    // A CUDA grid's x dimension is at most 2^31 - 1 blocks, a block at
    // most 1024 threads.
    if (k->workgroups() > INT32_MAX)
      return fail(what + " has " + std::to_string(k->workgroups()) +
                  " workgroups; a CUDA grid holds at most " +
                  std::to_string(INT32_MAX));
    if (k->block() < 1 || k->block() > 1024)
      return fail(what + " has block " + std::to_string(k->block()) +
                  "; CUDA blocks have 1 to 1024 threads");
    if (k->shared_bytes() < 0)
      return fail(what + " has shared_bytes " +
                  std::to_string(k->shared_bytes()) + "; it must be >= 0");
  }
  return true;
}

// sm_XY with X >= 9: griddepcontrol's architectures.
bool Checker::dependentLaunchArch() const {
  if (!cuda || !plan.gpu_arch())
    return false;
  std::string arch = plan.gpu_arch()->str();
  if (arch.size() < 5 || arch.size() > 6 || arch.compare(0, 3, "sm_") != 0)
    return false;
  for (size_t i = 3; i < arch.size(); ++i)
    if (arch[i] < '0' || arch[i] > '9')
      return false;
  return std::stoi(arch.substr(3)) >= 90;
}

// The data kernels exist, and every kernel's PTX entry takes exactly one
// pointer per binding of its launches: the driver cannot tell. With
// dependent launches, every entry waits for its prerequisites first.
bool Checker::checkCudaKernels() {
  int64_t numKernels = plan.kernels()->size();
  struct DataKernel {
    const char *field;
    int32_t index;
    int parameters;
  };
  const DataKernel dataKernels[] = {
      {"gather_kernel", plan.gather_kernel(), 6},
      {"accumulate_kernel", plan.accumulate_kernel(), 5}};
  std::vector<int> parameters(numKernels, -1);
  for (const DataKernel &r : dataKernels) {
    if (r.index < 0 || r.index >= numKernels)
      return fail(std::string(r.field) + " " + std::to_string(r.index) +
                  " is out of range [0, " + std::to_string(numKernels) + ")");
    parameters[r.index] = r.parameters;
  }
  if (plan.gather_kernel() == plan.accumulate_kernel())
    return fail("gather_kernel and accumulate_kernel are the same kernel " +
                std::to_string(plan.gather_kernel()));
  for (const Step *step : {plan.train_step(), plan.eval_step()})
    for (const Launch *l : *step->launches()) {
      std::string symbol = plan.kernels()->Get(l->kernel())->symbol()->str();
      int bound = l->bindings() ? static_cast<int>(l->bindings()->size()) : 0;
      if (l->kernel() == plan.gather_kernel() ||
          l->kernel() == plan.accumulate_kernel())
        return fail("kernel '" + symbol +
                    "' moves data between steps (gather_kernel or "
                    "accumulate_kernel) but a step launches it");
      int &expected = parameters[l->kernel()];
      if (expected >= 0 && expected != bound)
        return fail("kernel '" + symbol + "' is launched with " +
                    std::to_string(expected) + " and with " +
                    std::to_string(bound) + " bindings");
      expected = bound;
    }
  std::map<std::string, int> entries =
      ptxEntryParameterCounts(plan.ptx()->str());
  for (int64_t i = 0; i < numKernels; ++i) {
    std::string symbol = plan.kernels()->Get(i)->symbol()->str();
    auto entry = entries.find(symbol);
    if (entry == entries.end())
      return fail("kernel '" + symbol + "' is not an .entry of the PTX");
    if (parameters[i] >= 0 && entry->second != parameters[i])
      return fail("kernel '" + symbol + "' takes " +
                  std::to_string(entry->second) +
                  " parameters in the PTX but is launched with " +
                  std::to_string(parameters[i]) +
                  " device pointers (KernelABI.h: one per binding)");
  }
  if (!plan.dependent_launch())
    return true;
  // A kernel launched before its predecessor ends must wait for it.
  std::map<std::string, bool> waits = ptxEntriesWaitingFirst(plan.ptx()->str());
  for (int64_t i = 0; i < numKernels; ++i) {
    std::string symbol = plan.kernels()->Get(i)->symbol()->str();
    if (!waits[symbol])
      return fail("the plan has dependent_launch, but kernel '" + symbol +
                  "' may touch global memory before griddepcontrol.wait in "
                  "the PTX");
  }
  return true;
}

bool Checker::checkStep(const Step *step, const char *stepName) {
  if (!step || !step->launches() || step->launches()->size() == 0)
    return fail(std::string("the plan has no ") + stepName);
  int64_t numKernels = plan.kernels()->size();
  for (flatbuffers::uoffset_t i = 0; i < step->launches()->size(); ++i) {
    const Launch *l = step->launches()->Get(i);
    std::string what =
        std::string(stepName) + " launch " + std::to_string(i);
    if (l->kernel() < 0 || l->kernel() >= numKernels)
      return fail(what + " uses kernel " + std::to_string(l->kernel()) +
                  ", out of range [0, " + std::to_string(numKernels) + ")");
    if (l->bindings())
      for (flatbuffers::uoffset_t b = 0; b < l->bindings()->size(); ++b) {
        int32_t t = l->bindings()->Get(b);
        if (t < 0 || t >= numTensors)
          return fail(what + " binds tensor " + std::to_string(t) +
                      " as argument " + std::to_string(b) +
                      ", out of range [0, " + std::to_string(numTensors) +
                      ")");
      }
    if (l->access()) {
      size_t bound = l->bindings() ? l->bindings()->size() : 0;
      if (l->access()->size() != bound)
        return fail(what + " has " + std::to_string(l->access()->size()) +
                    " access entries for " + std::to_string(bound) +
                    " bindings");
      for (flatbuffers::uoffset_t b = 0; b < bound; ++b) {
        unsigned access = static_cast<uint8_t>(l->access()->Get(b));
        if (access & ~static_cast<unsigned>(Access::ANY))
          return fail(what + " has access " + std::to_string(access) +
                      " for argument " + std::to_string(b) +
                      " (read 1, write 2)");
      }
    }
  }
  return true;
}

bool Checker::checkSlot(int32_t index, const char *slot, Role role,
                        DType dtype, const std::vector<int64_t> &shape) {
  if (index < 0 || index >= numTensors)
    return fail(std::string("the ") + slot + " tensor index " +
                std::to_string(index) + " is out of range [0, " +
                std::to_string(numTensors) + ")");
  const Tensor *t = plan.tensors()->Get(index);
  std::string what = std::string("the ") + slot + " slot, " + tensorName(index);
  if (t->role() != role)
    return fail(what + ", has role " + EnumNameRole(t->role()) +
                ", expected " + EnumNameRole(role));
  if (t->dtype() != dtype)
    return fail(what + ", has dtype " + EnumNameDType(t->dtype()) +
                ", expected " + EnumNameDType(dtype));
  bool same = (t->shape() ? t->shape()->size() : 0) == shape.size();
  for (size_t i = 0; same && i < shape.size(); ++i)
    same = t->shape()->Get(i) == shape[i];
  if (!same) {
    std::string expected = "[";
    for (size_t i = 0; i < shape.size(); ++i)
      expected += (i ? ", " : "") + std::to_string(shape[i]);
    return fail(what + ", has shape " + formatShape(t->shape()) +
                ", expected " + expected + "]");
  }
  return true;
}

bool Checker::checkInitializers() {
  std::vector<bool> initialized(numTensors, false);
  if (plan.initializers())
    for (flatbuffers::uoffset_t i = 0; i < plan.initializers()->size(); ++i) {
      const Initializer *init = plan.initializers()->Get(i);
      std::string what = "initializer " + std::to_string(i);
      int32_t t = init->tensor();
      if (t < 0 || t >= numTensors)
        return fail(what + " refers to tensor " + std::to_string(t) +
                    ", out of range [0, " + std::to_string(numTensors) + ")");
      const Tensor *tensor = plan.tensors()->Get(t);
      if (tensor->role() != Role::Parameter || tensor->dtype() != DType::F32)
        return fail(what + " refers to " + tensorName(t) +
                    ", which is not an f32 Parameter");
      if (init->kind() < InitKind::MIN || init->kind() > InitKind::MAX)
        return fail(what + " has an unknown kind " +
                    std::to_string(static_cast<int>(init->kind())));
      if (initialized[t])
        return fail(tensorName(t) + " has two initializers");
      initialized[t] = true;
    }
  for (int32_t t = 0; t < numTensors; ++t)
    if (plan.tensors()->Get(t)->role() == Role::Parameter && !initialized[t])
      return fail(tensorName(t) + " is a Parameter without an initializer");
  return true;
}

} // namespace

PlanTarget planTarget(const Plan &plan) {
  // Plans from before CUDA support may leave the target empty.
  if (!plan.target() || plan.target()->size() == 0 ||
      plan.target()->str() == "cpu")
    return PlanTarget::Cpu;
  if (plan.target()->str() == "cuda")
    return PlanTarget::Cuda;
  return PlanTarget::Unknown;
}

bool checkPlan(const Plan &plan, const std::string &name, std::string &error) {
  return Checker(plan, name, error).run();
}

} // namespace runtime
} // namespace dlc
