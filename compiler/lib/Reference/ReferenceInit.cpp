//===- ReferenceInit.cpp - parameter initialisation for the reference -----===//
//
// Maps a dl.param's init attribute onto runtime/init/ParamInit.h, the sampler
// shared with the runtime, so reference and runtime start from bit-identical
// parameters.
//
//===----------------------------------------------------------------------===//

#include "dlc/Reference/ReferenceExecutor.h"

#include "dlc/Dialect/DL/IR/DLOps.h"
#include "init/ParamInit.h"

using namespace mlir;
namespace dl = dlc::dl;
namespace rt = dlc::runtime;
using dlc::reference::LeafValues;
using dlc::reference::Tensor;

Tensor dlc::reference::initParam(Attribute init, ArrayRef<int64_t> shape,
                                 uint64_t seed, uint64_t paramSeed) {
  if (!init)
    return Tensor{};
  rt::InitSpec spec;
  if (isa<dl::ZerosInitAttr>(init)) {
    spec.kind = rt::InitKind::Zeros;
  } else if (auto normal = dyn_cast<dl::NormalInitAttr>(init)) {
    spec.kind = rt::InitKind::Normal;
    spec.a = normal.getMean().convertToDouble();
    spec.b = normal.getStd().convertToDouble();
  } else if (auto uniform = dyn_cast<dl::UniformInitAttr>(init)) {
    spec.kind = rt::InitKind::Uniform;
    spec.a = uniform.getLow().convertToDouble();
    spec.b = uniform.getHigh().convertToDouble();
  } else if (isa<dl::GlorotUniformInitAttr>(init)) {
    spec.kind = rt::InitKind::GlorotUniform;
  } else if (isa<dl::GlorotNormalInitAttr>(init)) {
    spec.kind = rt::InitKind::GlorotNormal;
  } else {
    return Tensor{};
  }
  size_t count = 1;
  for (int64_t d : shape) {
    if (d < 0)
      return Tensor{};
    count *= static_cast<size_t>(d);
  }
  std::vector<float> values(count);
  rt::initParam(spec, shape.data(), shape.size(), seed, paramSeed,
                values.data());
  Tensor result;
  result.shape.assign(shape.begin(), shape.end());
  result.data.assign(values.begin(), values.end());
  return result;
}

LeafValues dlc::reference::initParams(func::FuncOp func, uint64_t seed) {
  LeafValues values;
  func.walk([&](dl::ParamOp param) {
    auto type = cast<RankedTensorType>(param.getResult().getType());
    values[param.getName().str()] =
        initParam(param.getInit(), type.getShape(), seed, param.getSeed());
  });
  return values;
}
