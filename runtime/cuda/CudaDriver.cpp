//===- CudaDriver.cpp - libcuda.so.1, loaded at run time ------------------===//

#include "cuda/CudaDriver.h"

#include <cstdlib>
#include <dlfcn.h>

namespace dlc {
namespace cuda {

std::string CudaDriver::defaultPath() {
  const char *path = std::getenv("DLC_CUDA_DRIVER");
  return path && *path ? path : "libcuda.so.1";
}

std::vector<const char *> CudaDriver::symbols() {
  return {
#define DLC_CUDA_FUNCTION(api, symbol, parameters) #symbol,
#include "cuda/CudaApiFunctions.def"
#undef DLC_CUDA_FUNCTION
  };
}

std::unique_ptr<CudaDriver> CudaDriver::load(const std::string &path,
                                             std::string &error,
                                             bool &missingLibrary) {
  missingLibrary = false;
  dlerror();
  void *handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    const char *why = dlerror();
    error = why ? why : path + ": cannot be loaded";
    missingLibrary = true;
    return nullptr;
  }
  std::unique_ptr<CudaDriver> driver(new CudaDriver());
  // A missing symbol means a driver older than the API used here; the
  // handle stays open like a loaded driver's would.
#define DLC_CUDA_FUNCTION(api, symbol, parameters)                             \
  driver->api =                                                                \
      reinterpret_cast<decltype(driver->api)>(dlsym(handle, #symbol));         \
  if (!driver->api) {                                                          \
    error = "the NVIDIA driver " + path +                                      \
            " does not export " #symbol "; it is too old for dlrun";           \
    return nullptr;                                                            \
  }
#define DLC_CUDA_OPTIONAL_FUNCTION(api, symbol, parameters)                    \
  driver->api =                                                                \
      reinterpret_cast<decltype(driver->api)>(dlsym(handle, #symbol));
#include "cuda/CudaApiFunctions.def"
#undef DLC_CUDA_OPTIONAL_FUNCTION
#undef DLC_CUDA_FUNCTION
  return driver;
}

std::string CudaDriver::describe(CUresult result) const {
  const char *name = nullptr, *text = nullptr;
  if (cuGetErrorName(result, &name) != CUDA_SUCCESS || !name)
    name = nullptr;
  if (cuGetErrorString(result, &text) != CUDA_SUCCESS || !text)
    text = nullptr;
  std::string out =
      name ? name : "CUDA error " + std::to_string(static_cast<int>(result));
  return out + ": " + (text ? text : "unknown error");
}

} // namespace cuda
} // namespace dlc
