//===- ParamFile.cpp - saved trained parameters ---------------------------===//

#include "train/ParamFile.h"

#include "support/FileIO.h"
#include "support/Printable.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

namespace dlc {
namespace runtime {

namespace {
/// A tensor name read from the file, fit to quote in a one-line message:
/// control bytes shown as '?', at most 64 bytes.
std::string quotable(const uint8_t *bytes, uint32_t length) {
  constexpr uint32_t kMaxShown = 64;
  std::string name = maskControlBytes(std::string(
      reinterpret_cast<const char *>(bytes), std::min(length, kMaxShown)));
  return length > kMaxShown ? name + "..." : name;
}

size_t numElements(const std::vector<int64_t> &shape) {
  size_t n = 1;
  for (int64_t d : shape)
    n *= static_cast<size_t>(d);
  return n;
}

std::string formatDims(const std::vector<int64_t> &shape) {
  std::string out = "[";
  for (size_t i = 0; i < shape.size(); ++i)
    out += (i ? ", " : "") + std::to_string(shape[i]);
  return out + "]";
}

void putU32(std::vector<uint8_t> &out, uint32_t v) {
  for (int i = 0; i < 4; ++i)
    out.push_back(static_cast<uint8_t>(v >> (8 * i)));
}

void putU64(std::vector<uint8_t> &out, uint64_t v) {
  for (int i = 0; i < 8; ++i)
    out.push_back(static_cast<uint8_t>(v >> (8 * i)));
}

uint32_t crcOf(const uint8_t *data, size_t size) {
  uLong crc = crc32(0L, Z_NULL, 0);
  while (size > 0) {
    uInt chunk = size > (1u << 30) ? (1u << 30) : static_cast<uInt>(size);
    crc = crc32(crc, data, chunk);
    data += chunk;
    size -= chunk;
  }
  return static_cast<uint32_t>(crc);
}

// Bounds-checked little-endian reader over the loaded file.
class Reader {
public:
  Reader(const uint8_t *data, size_t size) : data(data), size(size) {}
  bool u32(uint32_t &v) {
    uint64_t x;
    if (!bytes(4, x))
      return false;
    v = static_cast<uint32_t>(x);
    return true;
  }
  bool i64(int64_t &v) {
    uint64_t x;
    if (!bytes(8, x))
      return false;
    v = static_cast<int64_t>(x);
    return true;
  }
  bool take(size_t n, const uint8_t *&p) {
    if (size - pos < n)
      return false;
    p = data + pos;
    pos += n;
    return true;
  }
  bool atEnd() const { return pos == size; }

private:
  bool bytes(int n, uint64_t &v) {
    if (size - pos < static_cast<size_t>(n))
      return false;
    v = 0;
    for (int i = 0; i < n; ++i)
      v |= static_cast<uint64_t>(data[pos + i]) << (8 * i);
    pos += n;
    return true;
  }
  const uint8_t *data;
  size_t size, pos = 0;
};

} // namespace

bool saveParameters(const std::vector<ParamTensor> &params,
                    const std::string &path, std::string &error) {
  std::vector<uint8_t> out(ParamFileMagic, ParamFileMagic + 8);
  putU32(out, ParamFileVersion);
  putU32(out, static_cast<uint32_t>(params.size()));
  for (const ParamTensor &p : params) {
    putU32(out, static_cast<uint32_t>(p.name.size()));
    out.insert(out.end(), p.name.begin(), p.name.end());
    putU32(out, static_cast<uint32_t>(p.shape.size()));
    for (int64_t d : p.shape)
      putU64(out, static_cast<uint64_t>(d));
    size_t n = numElements(p.shape);
    for (size_t i = 0; i < n; ++i) {
      uint32_t bits;
      std::memcpy(&bits, &p.data[i], 4);
      putU32(out, bits);
    }
  }
  putU32(out, crcOf(out.data(), out.size()));

  std::string contents(reinterpret_cast<const char *>(out.data()), out.size());
  return writeFileAtomically(path, contents, /*durable=*/true, error);
}

bool loadParameters(const std::vector<ParamTensor> &params,
                    const std::string &path, std::string &error) {
  std::vector<uint8_t> bytes;
  {
    FILE *f = std::fopen(path.c_str(), "rb");
    if (!f) {
      error = path + ": " + std::strerror(errno);
      return false;
    }
    uint8_t buffer[1 << 16];
    size_t n;
    while ((n = std::fread(buffer, 1, sizeof buffer, f)) > 0)
      bytes.insert(bytes.end(), buffer, buffer + n);
    bool bad = std::ferror(f);
    std::fclose(f);
    if (bad) {
      error = path + ": read error";
      return false;
    }
  }
  auto fail = [&](const std::string &why) {
    error = path + ": " + why;
    return false;
  };
  if (bytes.size() < 8 || std::memcmp(bytes.data(), ParamFileMagic, 8) != 0)
    return fail("not a dlc parameter file (bad magic)");
  if (bytes.size() < 8 + 4 + 4 + 4)
    return fail("truncated parameter file");
  size_t body = bytes.size() - 4;
  uint32_t stored = 0;
  for (int i = 0; i < 4; ++i)
    stored |= static_cast<uint32_t>(bytes[body + i]) << (8 * i);
  if (stored != crcOf(bytes.data(), body))
    return fail("checksum mismatch: the parameter file is corrupt or "
                "truncated");

  Reader in(bytes.data() + 8, body - 8);
  uint32_t version = 0, count = 0;
  in.u32(version);
  in.u32(count);
  if (version != ParamFileVersion)
    return fail("parameter file version " + std::to_string(version) +
                ", this dlrun reads version " +
                std::to_string(ParamFileVersion));
  // Parse and compare everything before copying anything.
  std::vector<const uint8_t *> sources;
  for (uint32_t i = 0; i < count; ++i) {
    uint32_t nameLength = 0, rank = 0;
    const uint8_t *nameBytes = nullptr;
    if (!in.u32(nameLength) || !in.take(nameLength, nameBytes) ||
        !in.u32(rank))
      return fail("malformed parameter file (tensor " + std::to_string(i) +
                  ")");
    std::string name(reinterpret_cast<const char *>(nameBytes), nameLength);
    std::string shown = quotable(nameBytes, nameLength);
    std::vector<int64_t> shape;
    for (uint32_t r = 0; r < rank; ++r) {
      int64_t d = 0;
      if (!in.i64(d) || d < 0)
        return fail("malformed parameter file (shape of '" + shown + "')");
      shape.push_back(d);
    }
    if (i >= params.size())
      return fail("holds " + std::to_string(count) +
                  " parameters but the plan has " +
                  std::to_string(params.size()) + "; the first extra is '" +
                  shown + "'");
    const ParamTensor &p = params[i];
    if (name != p.name)
      return fail("parameter " + std::to_string(i) + " is '" + shown +
                  "' but the plan's is '" + p.name +
                  "' (saved from another model?)");
    if (shape != p.shape)
      return fail("parameter '" + shown + "' has shape " + formatDims(shape) +
                  " but the plan's has " + formatDims(p.shape));
    const uint8_t *data = nullptr;
    if (!in.take(numElements(shape) * 4, data))
      return fail("malformed parameter file (data of '" + shown + "')");
    sources.push_back(data);
  }
  if (count < params.size())
    return fail("holds " + std::to_string(count) +
                " parameters but the plan has " +
                std::to_string(params.size()) + "; '" +
                params[count].name + "' is missing");
  if (!in.atEnd())
    return fail("malformed parameter file (trailing bytes)");
  for (size_t i = 0; i < params.size(); ++i) {
    size_t n = numElements(params[i].shape);
    for (size_t e = 0; e < n; ++e) {
      const uint8_t *s = sources[i] + 4 * e;
      uint32_t bits = static_cast<uint32_t>(s[0]) | (uint32_t(s[1]) << 8) |
                      (uint32_t(s[2]) << 16) | (uint32_t(s[3]) << 24);
      std::memcpy(&params[i].data[e], &bits, 4);
    }
  }
  return true;
}

} // namespace runtime
} // namespace dlc
