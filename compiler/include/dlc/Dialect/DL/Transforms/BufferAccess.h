//===- BufferAccess.h - what a kernel does with a buffer --------*- C++ -*-===//
//
// One encoding for what a kernel (or a launch of it) does with each buffer
// argument: the `dl.buffer_access` entries of GPU kernels, the memory
// plan's per-launch access and the plan's `Launch.access` (plan.fbs's
// Access bit flags, which PlanWriter checks these against).
//
//===----------------------------------------------------------------------===//

#ifndef DLC_DIALECT_DL_TRANSFORMS_BUFFERACCESS_H
#define DLC_DIALECT_DL_TRANSFORMS_BUFFERACCESS_H

#include <cstdint>

namespace dlc::dl {

inline constexpr uint8_t kBufferRead = 1, kBufferWritten = 2;

} // namespace dlc::dl

#endif // DLC_DIALECT_DL_TRANSFORMS_BUFFERACCESS_H
