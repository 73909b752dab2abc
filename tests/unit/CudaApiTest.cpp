//===- CudaApiTest.cpp - runtime/cuda/ against the toolkit's cuda.h -------===//
//
// dlrun declares the driver API itself (it is built without the toolkit), so
// a wrong symbol version, parameter order or constant would only show on a
// GPU. Where cuda.h is installed, this checks at compile time that every
// function of CudaApiFunctions.def is resolved under the symbol cuda.h maps
// its name to and has exactly cuda.h's signature, and that every constant
// and type of CudaApi.h has cuda.h's value and size.
//
//===----------------------------------------------------------------------===//

#include <cuda.h>

#include <cstddef>

#include "cuda/CudaApi.h"

#include <gtest/gtest.h>

#include <type_traits>

namespace {

constexpr bool sameText(const char *a, const char *b) {
  return *a == *b && (*a == '\0' || sameText(a + 1, b + 1));
}

#define DLC_STRINGIFY(x) #x
#define DLC_EXPANDED(x) DLC_STRINGIFY(x)

// Here the .def's type names are cuda.h's own: the parameter lists must be
// cuda.h's exactly. `api` is macro-expanded as cuda.h does for a caller.
#define DLC_CUDA_FUNCTION(api, symbol, parameters)                             \
  static_assert(sameText(DLC_EXPANDED(api), #symbol),                          \
                #api " is exported as " DLC_EXPANDED(api) ", not " #symbol);   \
  static_assert(std::is_same<decltype(::symbol), CUresult parameters>::value,  \
                #symbol " has another signature in cuda.h");
#include "cuda/CudaApiFunctions.def"
#undef DLC_CUDA_FUNCTION

namespace d = dlc::cuda;

// Types: what CudaApi.h passes must have cuda.h's size (enums are ints).
static_assert(sizeof(d::CUresult) == sizeof(::CUresult), "CUresult");
static_assert(std::is_same<d::CUdevice, ::CUdevice>::value, "CUdevice");
static_assert(std::is_same<d::CUdeviceptr, ::CUdeviceptr>::value,
              "CUdeviceptr");
static_assert(sizeof(d::CUdevice_attribute) == sizeof(::CUdevice_attribute),
              "CUdevice_attribute");
static_assert(sizeof(d::CUfunction_attribute) == sizeof(::CUfunction_attribute),
              "CUfunction_attribute");
static_assert(sizeof(d::CUjit_option) == sizeof(::CUjit_option),
              "CUjit_option");
static_assert(sizeof(d::CUstreamCaptureMode) == sizeof(::CUstreamCaptureMode),
              "CUstreamCaptureMode");
static_assert(std::is_signed<std::underlying_type<::CUresult>::type>::value ||
                  sizeof(::CUresult) == sizeof(int),
              "CUresult is an int-sized enum");
static_assert(sizeof(d::CUcontext) == sizeof(::CUcontext) &&
                  sizeof(d::CUmodule) == sizeof(::CUmodule) &&
                  sizeof(d::CUfunction) == sizeof(::CUfunction) &&
                  sizeof(d::CUstream) == sizeof(::CUstream) &&
                  sizeof(d::CUgraph) == sizeof(::CUgraph) &&
                  sizeof(d::CUgraphExec) == sizeof(::CUgraphExec) &&
                  sizeof(d::CUevent) == sizeof(::CUevent),
              "handles are pointers");

// cuLaunchKernelEx's configuration: the same layout as cuda.h's.
static_assert(sizeof(d::CUlaunchAttributeID) == sizeof(::CUlaunchAttributeID),
              "CUlaunchAttributeID");
static_assert(sizeof(d::CUlaunchAttributeValue) ==
                      sizeof(::CUlaunchAttributeValue) &&
                  offsetof(d::CUlaunchAttributeValue,
                           programmaticStreamSerializationAllowed) ==
                      offsetof(::CUlaunchAttributeValue,
                               programmaticStreamSerializationAllowed),
              "CUlaunchAttributeValue");
static_assert(sizeof(d::CUlaunchAttribute) == sizeof(::CUlaunchAttribute) &&
                  offsetof(d::CUlaunchAttribute, id) ==
                      offsetof(::CUlaunchAttribute, id) &&
                  offsetof(d::CUlaunchAttribute, value) ==
                      offsetof(::CUlaunchAttribute, value),
              "CUlaunchAttribute");
static_assert(alignof(d::CUlaunchAttributeValue) ==
                      alignof(::CUlaunchAttributeValue) &&
                  alignof(d::CUlaunchAttribute) == alignof(::CUlaunchAttribute) &&
                  alignof(d::CUlaunchConfig) == alignof(::CUlaunchConfig),
              "launch configuration alignment");
#define DLC_SAME_FIELD(type, field)                                            \
  static_assert(offsetof(d::type, field) == offsetof(::type, field),          \
                #type "." #field);
DLC_SAME_FIELD(CUlaunchConfig, gridDimX)
DLC_SAME_FIELD(CUlaunchConfig, blockDimX)
DLC_SAME_FIELD(CUlaunchConfig, sharedMemBytes)
DLC_SAME_FIELD(CUlaunchConfig, hStream)
DLC_SAME_FIELD(CUlaunchConfig, attrs)
DLC_SAME_FIELD(CUlaunchConfig, numAttrs)
#undef DLC_SAME_FIELD
static_assert(sizeof(d::CUlaunchConfig) == sizeof(::CUlaunchConfig),
              "CUlaunchConfig");

// Constants.
#define DLC_SAME_CONSTANT(name)                                                \
  static_assert(static_cast<long long>(d::name) ==                             \
                    static_cast<long long>(::name),                            \
                #name);
DLC_SAME_CONSTANT(CUDA_SUCCESS)
DLC_SAME_CONSTANT(CU_LAUNCH_ATTRIBUTE_PROGRAMMATIC_STREAM_SERIALIZATION)
DLC_SAME_CONSTANT(CU_DEVICE_ATTRIBUTE_MAX_THREADS_PER_BLOCK)
DLC_SAME_CONSTANT(CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR)
DLC_SAME_CONSTANT(CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR)
DLC_SAME_CONSTANT(CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK_OPTIN)
DLC_SAME_CONSTANT(CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES)
DLC_SAME_CONSTANT(CU_JIT_INFO_LOG_BUFFER)
DLC_SAME_CONSTANT(CU_JIT_INFO_LOG_BUFFER_SIZE_BYTES)
DLC_SAME_CONSTANT(CU_JIT_ERROR_LOG_BUFFER)
DLC_SAME_CONSTANT(CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES)
DLC_SAME_CONSTANT(CU_STREAM_NON_BLOCKING)
DLC_SAME_CONSTANT(CU_EVENT_DISABLE_TIMING)
DLC_SAME_CONSTANT(CU_STREAM_CAPTURE_MODE_GLOBAL)
DLC_SAME_CONSTANT(CU_STREAM_CAPTURE_MODE_THREAD_LOCAL)
#undef DLC_SAME_CONSTANT

// Everything above is checked by the compiler; this records which cuda.h.
TEST(CudaApi, MatchesCudaH) {
  std::printf("checked against cuda.h of CUDA %d.%d\n", CUDA_VERSION / 1000,
              CUDA_VERSION % 1000 / 10);
  SUCCEED();
}

} // namespace
