//===- PlanWriter.cpp - serialize a training plan -------------------------===//

#include "dlc/Plan/PlanWriter.h"

#include "dlc/Dialect/DL/IR/DLOps.h"

#include "abi/PlanFormat.h"
#include "plan_generated.h"

#include "llvm/Support/Endian.h"

#include <cstring>
#include <zlib.h>

using namespace mlir;
using namespace dlc;
using namespace dlc::plan;

static dlc::plan::InitKind initKind(Attribute init, double &a, double &b) {
  a = b = 0.0;
  if (auto normal = dyn_cast<dl::NormalInitAttr>(init)) {
    a = normal.getMean().convertToDouble();
    b = normal.getStd().convertToDouble();
    return dlc::plan::InitKind::Normal;
  }
  if (auto uniform = dyn_cast<dl::UniformInitAttr>(init)) {
    a = uniform.getLow().convertToDouble();
    b = uniform.getHigh().convertToDouble();
    return dlc::plan::InitKind::Uniform;
  }
  if (isa<dl::GlorotUniformInitAttr>(init))
    return dlc::plan::InitKind::GlorotUniform;
  if (isa<dl::GlorotNormalInitAttr>(init))
    return dlc::plan::InitKind::GlorotNormal;
  return dlc::plan::InitKind::Zeros;
}

PlanMetadata dlc::plan::modelMetadata(ModuleOp module) {
  PlanMetadata meta;
  meta.modelName = module.getSymName().value_or("model").str();
  if (auto sgd = module->getAttrOfType<dl::SGDAttr>(dl::kOptimizerAttrName)) {
    meta.lr = sgd.getLr().convertToDouble();
    meta.weightDecay = sgd.getWeightDecay().convertToDouble();
    meta.momentum = sgd.getMomentum().convertToDouble();
  }
  if (auto epochs = module->getAttrOfType<IntegerAttr>(dl::kEpochsAttrName))
    meta.epochs = epochs.getInt();
  return meta;
}

std::string dlc::plan::serializePlan(const MemoryPlan &plan,
                                     const PlanMetadata &meta,
                                     llvm::StringRef code,
                                     const GPUPlanCode *gpu) {
  flatbuffers::FlatBufferBuilder fbb(1 << 16);

  std::vector<flatbuffers::Offset<Tensor>> tensors;
  for (const PlannedTensor &t : plan.tensors)
    tensors.push_back(CreateTensor(
        fbb, fbb.CreateString(t.name),
        fbb.CreateVector(std::vector<int64_t>(t.shape.begin(), t.shape.end())),
        t.isInteger ? DType::I32 : DType::F32, static_cast<Role>(t.role),
        t.offset, t.size));

  std::vector<flatbuffers::Offset<Initializer>> inits;
  for (const PlannedInitializer &i : plan.initializers) {
    double a, b;
    auto kind = initKind(i.init, a, b);
    inits.push_back(CreateInitializer(fbb, i.tensor, kind, a, b, i.seed,
                                      i.fanIn, i.fanOut));
  }

  std::vector<flatbuffers::Offset<Kernel>> kernels;
  for (const PlannedKernel &k : plan.kernels) {
    std::vector<flatbuffers::Offset<flatbuffers::String>> origin;
    for (const std::string &o : k.origin)
      origin.push_back(fbb.CreateString(o));
    kernels.push_back(CreateKernel(fbb, fbb.CreateString(k.symbol),
                                   fbb.CreateVector(origin), k.workgroups,
                                   k.flops, k.bytes, k.block, k.sharedBytes));
  }

  // PlannedLaunch::access is written as the schema's Access bytes.
  static_assert(sizeof(Access) == 1 && kRead == uint8_t(Access::Read) &&
                    kWritten == uint8_t(Access::Write),
                "the memory plan's access bits are plan.fbs's");
  auto step = [&](ArrayRef<PlannedLaunch> launches) {
    std::vector<flatbuffers::Offset<Launch>> out;
    for (const PlannedLaunch &l : launches)
      out.push_back(CreateLaunch(
          fbb, l.kernel,
          fbb.CreateVector(std::vector<int32_t>(l.bindings.begin(),
                                                l.bindings.end())),
          fbb.CreateVector(
              reinterpret_cast<const dlc::plan::Access *>(l.access.data()),
              l.access.size())));
    return CreateStep(fbb, fbb.CreateVector(out));
  };
  auto train = step(plan.trainLaunches);
  auto eval = step(plan.evalLaunches);
  auto codeVector = fbb.CreateVector(
      reinterpret_cast<const uint8_t *>(code.data()), code.size());

  // Every string and vector must exist before the root table starts.
  auto compilerVersion = fbb.CreateString(meta.compilerVersion);
  auto compilerOptions = fbb.CreateString(meta.compilerOptions);
  auto modelName = fbb.CreateString(meta.modelName);
  auto sourceHash = fbb.CreateString(meta.sourceHash);
  auto target = fbb.CreateString(meta.target);
  auto cpu = fbb.CreateString(meta.cpu);
  auto cpuFeatures = fbb.CreateString(meta.cpuFeatures);
  auto tensorVector = fbb.CreateVector(tensors);
  auto initVector = fbb.CreateVector(inits);
  auto kernelVector = fbb.CreateVector(kernels);
  flatbuffers::Offset<flatbuffers::String> gpuArch, ptx;
  flatbuffers::Offset<flatbuffers::Vector<uint8_t>> cubin;
  if (gpu) {
    gpuArch = fbb.CreateString(gpu->arch);
    ptx = fbb.CreateString(gpu->ptx);
    cubin = fbb.CreateVector(
        reinterpret_cast<const uint8_t *>(gpu->cubin.data()), gpu->cubin.size());
  }
  auto imageShape = fbb.CreateVector(
      std::vector<int64_t>(plan.imageShape.begin(), plan.imageShape.end()));

  PlanBuilder builder(fbb);
  builder.add_format_version(DLC_PLAN_FORMAT_VERSION);
  builder.add_compiler_version(compilerVersion);
  builder.add_compiler_options(compilerOptions);
  builder.add_model_name(modelName);
  builder.add_source_hash(sourceHash);
  builder.add_target(target);
  builder.add_cpu(cpu);
  builder.add_cpu_features(cpuFeatures);
  builder.add_tensors(tensorVector);
  builder.add_memory_size(plan.memorySize);
  builder.add_arena_offset(plan.arenaOffset);
  builder.add_arena_size(plan.arenaSize);
  builder.add_naive_size(plan.naiveSize);
  builder.add_initializers(initVector);
  builder.add_kernels(kernelVector);
  builder.add_code(codeVector);
  builder.add_train_step(train);
  builder.add_eval_step(eval);
  builder.add_batch(plan.batch);
  builder.add_image_shape(imageShape);
  builder.add_classes(plan.classes);
  builder.add_image(plan.image);
  builder.add_label(plan.label);
  builder.add_lr(plan.lr);
  builder.add_weight_decay(plan.weightDecay);
  builder.add_momentum(plan.momentum);
  builder.add_valid_rows(plan.validRows);
  builder.add_train_loss(plan.trainLoss);
  builder.add_train_correct(plan.trainCorrect);
  builder.add_eval_loss(plan.evalLoss);
  builder.add_eval_correct(plan.evalCorrect);
  builder.add_has_momentum_state(plan.hasMomentumState);
  builder.add_default_lr(meta.lr);
  builder.add_default_weight_decay(meta.weightDecay);
  builder.add_default_momentum(meta.momentum);
  builder.add_default_epochs(meta.epochs);
  if (gpu) {
    builder.add_gpu_arch(gpuArch);
    builder.add_ptx(ptx);
    builder.add_cubin(cubin);
    builder.add_gather_kernel(gpu->gatherKernel);
    builder.add_accumulate_kernel(gpu->accumulateKernel);
    builder.add_dependent_launch(gpu->dependentLaunch);
  }
  FinishPlanBuffer(fbb, builder.Finish());

  // Header: magic, version, crc32 over version + payload, payload size.
  std::string file(DLC_PLAN_HEADER_SIZE, '\0');
  std::memcpy(&file[0], DLC_PLAN_MAGIC, 8);
  uint8_t version[4];
  llvm::support::endian::write32le(version, DLC_PLAN_FORMAT_VERSION);
  std::memcpy(&file[8], version, 4);
  uLong crc = crc32(0L, version, 4);
  crc = crc32(crc, fbb.GetBufferPointer(), fbb.GetSize());
  llvm::support::endian::write32le(&file[12], static_cast<uint32_t>(crc));
  llvm::support::endian::write64le(&file[16], fbb.GetSize());
  file.append(reinterpret_cast<const char *>(fbb.GetBufferPointer()),
              fbb.GetSize());
  return file;
}
