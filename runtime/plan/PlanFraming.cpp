//===- PlanFraming.cpp - the 24-byte header around a plan -----------------===//

#include "plan/PlanFraming.h"

#include "abi/PlanFormat.h"

#include <cstring>
#include <zlib.h>

namespace dlc {
namespace runtime {

namespace {
// The header is little-endian on disk whatever the host is.
void putLE(uint8_t *dst, uint64_t value, int bytes) {
  for (int i = 0; i < bytes; ++i)
    dst[i] = static_cast<uint8_t>(value >> (8 * i));
}

uint64_t getLE(const uint8_t *src, int bytes) {
  uint64_t value = 0;
  for (int i = 0; i < bytes; ++i)
    value |= static_cast<uint64_t>(src[i]) << (8 * i);
  return value;
}

uint32_t planCrc(const uint8_t *version, const uint8_t *payload,
                 size_t size) {
  uLong crc = crc32(0L, Z_NULL, 0);
  crc = crc32(crc, version, 4);
  // zlib takes uInt lengths: feed large payloads in pieces.
  while (size > 0) {
    uInt chunk = size > (1u << 30) ? (1u << 30) : static_cast<uInt>(size);
    crc = crc32(crc, payload, chunk);
    payload += chunk;
    size -= chunk;
  }
  return static_cast<uint32_t>(crc);
}
} // namespace

std::vector<uint8_t> framePlan(const void *payload, size_t size,
                               uint32_t version) {
  std::vector<uint8_t> out(DLC_PLAN_HEADER_SIZE + size);
  std::memcpy(out.data(), DLC_PLAN_MAGIC, 8);
  putLE(out.data() + 8, version, 4);
  if (size)
    std::memcpy(out.data() + DLC_PLAN_HEADER_SIZE, payload, size);
  putLE(out.data() + 12,
        planCrc(out.data() + 8, out.data() + DLC_PLAN_HEADER_SIZE, size), 4);
  putLE(out.data() + 16, size, 8);
  return out;
}

bool checkPlanFraming(const uint8_t *bytes, size_t size,
                      const std::string &name, std::string &error) {
  // A short file that starts like a plan is a truncated plan; anything else
  // is a foreign file.
  size_t magicBytes = size < 8 ? size : 8;
  if (size == 0 || std::memcmp(bytes, DLC_PLAN_MAGIC, magicBytes) != 0) {
    error = name + ": not a dlc plan (bad magic)";
    return false;
  }
  if (size < DLC_PLAN_HEADER_SIZE) {
    error = name + ": truncated plan: " + std::to_string(size) +
            " bytes, shorter than the " +
            std::to_string(DLC_PLAN_HEADER_SIZE) + "-byte header";
    return false;
  }
  uint64_t payloadSize = getLE(bytes + 16, 8);
  uint64_t actual = size - DLC_PLAN_HEADER_SIZE;
  if (payloadSize != actual) {
    error = name + (payloadSize > actual ? ": truncated plan: " : ": corrupt plan: ") +
            "the header announces " + std::to_string(payloadSize) +
            " payload bytes but the file has " + std::to_string(actual);
    return false;
  }
  uint32_t stored = static_cast<uint32_t>(getLE(bytes + 12, 4));
  if (stored != planCrc(bytes + 8, bytes + DLC_PLAN_HEADER_SIZE, actual)) {
    error = name + ": checksum mismatch: the plan is corrupt";
    return false;
  }
  uint32_t version = static_cast<uint32_t>(getLE(bytes + 8, 4));
  if (version != DLC_PLAN_FORMAT_VERSION) {
    error = name + ": plan format version " + std::to_string(version) +
            ", this dlrun reads version " +
            std::to_string(DLC_PLAN_FORMAT_VERSION) +
            "; recompile the model with a matching dlc";
    return false;
  }
  return true;
}

} // namespace runtime
} // namespace dlc
