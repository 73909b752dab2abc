//===- PlanFraming.h - the 24-byte header around a plan ---------*- C++ -*-===//
//
// Writes and checks the header of abi/PlanFormat.h. Checking happens before
// any FlatBuffer parsing, so a foreign, truncated, corrupt or differently
// versioned file is refused with a one-line reason and nothing else is read.
//
//===----------------------------------------------------------------------===//

#ifndef DLC_RUNTIME_PLAN_PLANFRAMING_H
#define DLC_RUNTIME_PLAN_PLANFRAMING_H

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace dlc {
namespace runtime {

/// Returns `payload` (a finished plan FlatBuffer) behind a header with the
/// magic, `version`, the crc32 and the payload size.
std::vector<uint8_t> framePlan(const void *payload, size_t size,
                               uint32_t version);

/// Checks the header of a whole plan file in `bytes`: size, magic, payload
/// size, crc32 (over the version field and the payload), then the format
/// version. On success the FlatBuffer is at bytes + DLC_PLAN_HEADER_SIZE.
/// Errors are one line prefixed with `name`.
bool checkPlanFraming(const uint8_t *bytes, size_t size,
                      const std::string &name, std::string &error);

} // namespace runtime
} // namespace dlc

#endif // DLC_RUNTIME_PLAN_PLANFRAMING_H
