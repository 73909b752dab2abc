//===- CudaDriver.h - libcuda.so.1, loaded at run time ----------*- C++ -*-===//
//
// dlrun must build and run CPU plans on machines without CUDA, so it never
// links the driver: CUDA plans dlopen libcuda.so.1 and resolve each function
// by the versioned symbol the driver exports (CudaApiFunctions.def). The
// library is never closed: unloading the driver while its threads may still
// run is unsafe, and a process loads it once.
//
//===----------------------------------------------------------------------===//

#ifndef DLC_RUNTIME_CUDA_CUDADRIVER_H
#define DLC_RUNTIME_CUDA_CUDADRIVER_H

#include "cuda/CudaApi.h"

#include <memory>
#include <string>
#include <vector>

namespace dlc {
namespace cuda {

class CudaDriver {
public:
  /// The library to load: $DLC_CUDA_DRIVER if set and not empty (tests point
  /// it at a fake or a missing file), else "libcuda.so.1".
  static std::string defaultPath();

  /// Loads the driver at `path` and resolves every function (an optional
  /// one may stay null). On failure returns null; `error` is dlerror's
  /// text when the library does not load (`missingLibrary` set), else
  /// names the missing function.
  static std::unique_ptr<CudaDriver>
  load(const std::string &path, std::string &error, bool &missingLibrary);

  /// The exported symbol of every function, optional ones included, in
  /// CudaApiFunctions.def order.
  static std::vector<const char *> symbols();

  /// "CUDA_ERROR_OUT_OF_MEMORY: out of memory" for `result`, also for codes
  /// the driver does not name.
  std::string describe(CUresult result) const;

#define DLC_CUDA_FUNCTION(api, symbol, parameters)                             \
  CUresult(*api) parameters = nullptr;
#include "cuda/CudaApiFunctions.def"
#undef DLC_CUDA_FUNCTION

private:
  CudaDriver() = default;
};

} // namespace cuda
} // namespace dlc

#endif // DLC_RUNTIME_CUDA_CUDADRIVER_H
