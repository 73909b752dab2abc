//===- IdxReader.cpp - MNIST-format IDX data reader -----------------------===//
//
// The reader streams the file (inflating on the fly for gzip) so that the
// header can be validated before anything large is allocated, and so that a
// decompression bomb or a corrupt header cannot make us allocate or inflate
// without bound.
//
//===----------------------------------------------------------------------===//

#include "data/IdxReader.h"

#include <zlib.h>

#include <sys/stat.h>

#include <algorithm>
#include <cassert>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstring>
#include <new>

namespace dlc {
namespace runtime {
namespace {

constexpr uint32_t kImagesMagic = 0x00000803;
constexpr uint32_t kLabelsMagic = 0x00000801;
// Far above MNIST (47 MB) but small enough that a corrupt header cannot make
// us allocate an absurd buffer.
constexpr uint64_t kMaxPayloadBytes = uint64_t(1) << 30;
constexpr size_t kInBufSize = 64 * 1024;

std::string hex32(uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof(buf), "0x%08x", v);
  return buf;
}

/// A byte stream over a raw or gzip-compressed file. gzread() is not used
/// because it silently passes non-gzip data through and its handling of
/// truncated input differs between zlib versions; driving inflate() directly
/// makes every corruption, truncation and trailing-garbage case an error.
class ByteSource {
public:
  ByteSource() = default;
  ByteSource(const ByteSource &) = delete;
  ByteSource &operator=(const ByteSource &) = delete;
  ~ByteSource() {
    if (inflating)
      inflateEnd(&strm);
    if (file)
      std::fclose(file);
  }

  bool open(const std::string &path, std::string &cause) {
    file = std::fopen(path.c_str(), "rb");
    if (!file) {
      cause = std::string("cannot open: ") + std::strerror(errno);
      return false;
    }
    struct stat st;
    if (fstat(fileno(file), &st) == 0 && S_ISDIR(st.st_mode)) {
      cause = "is a directory";
      return false;
    }
    inBuf.resize(kInBufSize);
    // Peek at the first two bytes; they are replayed by read() either way.
    strm.next_in = inBuf.data();
    strm.avail_in = 0;
    if (!fillInput(cause))
      return false;
    isGzip = strm.avail_in >= 2 && inBuf[0] == 0x1f && inBuf[1] == 0x8b;
    if (isGzip) {
      // 16 + MAX_WBITS: accept only a gzip wrapper, and verify its CRC/size.
      if (inflateInit2(&strm, 16 + MAX_WBITS) != Z_OK) {
        cause = "cannot initialise zlib";
        return false;
      }
      inflating = true;
    }
    return true;
  }

  bool isCompressed() const { return isGzip; }

  /// Reads up to `n` bytes. Returns false with `cause` set on an I/O or
  /// decompression error; `got < n` with a true result means end of data.
  bool read(uint8_t *dst, size_t n, size_t &got, std::string &cause) {
    got = 0;
    return isGzip ? readGzip(dst, n, got, cause) : readRaw(dst, n, got, cause);
  }

private:
  /// Compacts unconsumed input to the front of inBuf and tops it up.
  bool fillInput(std::string &cause) {
    if (inputEof)
      return true;
    if (strm.avail_in && strm.next_in != inBuf.data())
      std::memmove(inBuf.data(), strm.next_in, strm.avail_in);
    strm.next_in = inBuf.data();
    size_t want = inBuf.size() - strm.avail_in;
    size_t n = std::fread(inBuf.data() + strm.avail_in, 1, want, file);
    if (n < want) {
      if (std::ferror(file)) {
        cause = std::string("read error: ") + std::strerror(errno);
        return false;
      }
      inputEof = true;
    }
    strm.avail_in += static_cast<uInt>(n);
    return true;
  }

  bool readRaw(uint8_t *dst, size_t n, size_t &got, std::string &cause) {
    // Replay the peeked bytes first.
    size_t fromBuf = std::min<size_t>(n, strm.avail_in);
    std::memcpy(dst, strm.next_in, fromBuf);
    strm.next_in += fromBuf;
    strm.avail_in -= static_cast<uInt>(fromBuf);
    got = fromBuf;
    if (got == n || inputEof)
      return true;
    got += std::fread(dst + got, 1, n - got, file);
    if (got < n && std::ferror(file)) {
      cause = std::string("read error: ") + std::strerror(errno);
      return false;
    }
    return true;
  }

  bool readGzip(uint8_t *dst, size_t n, size_t &got, std::string &cause) {
    while (got < n) {
      if (memberEnded) {
        // A gzip file may hold several concatenated members; anything else
        // after a member is garbage.
        if (strm.avail_in < 2 && !fillInput(cause))
          return false;
        if (strm.avail_in == 0)
          return true;
        if (strm.avail_in < 2 || strm.next_in[0] != 0x1f ||
            strm.next_in[1] != 0x8b) {
          cause = "corrupt gzip file: trailing garbage after the compressed "
                  "stream";
          return false;
        }
        inflateReset(&strm);
        memberEnded = false;
      }
      if (strm.avail_in == 0 && !fillInput(cause))
        return false;
      size_t want = std::min<size_t>(n - got, UINT_MAX);
      strm.next_out = dst + got;
      strm.avail_out = static_cast<uInt>(want);
      int ret = inflate(&strm, Z_NO_FLUSH);
      got += want - strm.avail_out;
      switch (ret) {
      case Z_STREAM_END:
        memberEnded = true;
        break;
      case Z_OK:
        break;
      case Z_BUF_ERROR:
        // No progress: either more input is needed or there is none left.
        if (strm.avail_in == 0 && inputEof) {
          cause = "truncated gzip file: unexpected end of compressed data";
          return false;
        }
        break;
      case Z_MEM_ERROR:
        cause = "out of memory while decompressing";
        return false;
      default:
        cause = std::string("corrupt gzip file: ") +
                (strm.msg ? strm.msg : "invalid compressed data");
        return false;
      }
    }
    return true;
  }

  FILE *file = nullptr;
  std::vector<uint8_t> inBuf;
  z_stream strm{};
  bool isGzip = false;
  bool inflating = false;
  bool inputEof = false;
  bool memberEnded = false;
};

struct IdxFile {
  std::vector<int64_t> dims;
  std::vector<uint8_t> payload;
};

/// Reads an IDX file with `numDims` dimensions and unsigned-byte data; for
/// images the last two dimensions are rows and cols.
bool readIdx(const std::string &path, uint32_t expectedMagic,
             const char *kindName, const char *payloadName, size_t numDims,
             IdxFile &out, std::string &error) {
  auto fail = [&](const std::string &cause) {
    error = path + ": " + cause;
    return false;
  };

  std::string cause;
  ByteSource src;
  if (!src.open(path, cause))
    return fail(cause);

  const size_t headerBytes = 4 + 4 * numDims;
  uint8_t header[16];
  assert(headerBytes <= sizeof(header));
  size_t got = 0;
  if (!src.read(header, headerBytes, got, cause))
    return fail(cause);
  auto be32 = [&](size_t offset) {
    return uint32_t(header[offset]) << 24 | uint32_t(header[offset + 1]) << 16 |
           uint32_t(header[offset + 2]) << 8 | uint32_t(header[offset + 3]);
  };
  // Check the magic first: it is the more useful message for a wrong file.
  if (got >= 4 && be32(0) != expectedMagic)
    return fail("bad magic " + hex32(be32(0)) + ", expected " +
                hex32(expectedMagic) + " (" + kindName + ")");
  if (got < headerBytes)
    return fail("truncated header: expected " + std::to_string(headerBytes) +
                " bytes, got " + std::to_string(got));

  std::vector<int64_t> dims(numDims);
  for (size_t i = 0; i < numDims; ++i)
    dims[i] = be32(4 + 4 * i);

  // Each dimension is < 2^32, so checking against the limit after every
  // multiplication keeps the product within uint64_t.
  uint64_t total = 1;
  bool tooBig = false;
  for (int64_t d : dims) {
    total *= uint64_t(d);
    if (total > kMaxPayloadBytes) {
      tooBig = true;
      break;
    }
  }
  if (numDims == 3) {
    if (dims[1] == 0 || dims[2] == 0)
      return fail("header declares empty " + std::to_string(dims[1]) + "x" +
                  std::to_string(dims[2]) + " images");
    if (tooBig)
      return fail("header declares " + std::to_string(dims[0]) + " images of " +
                  std::to_string(dims[1]) + "x" + std::to_string(dims[2]) +
                  " pixels, more than the 1 GiB limit");
  } else if (tooBig) {
    return fail("header declares " + std::to_string(dims[0]) + " " +
                payloadName + ", more than the 1 GiB limit");
  }

  // Reserve (address space only) and grow in chunks, so that a short file
  // whose header claims a lot only touches as much memory as it holds.
  std::vector<uint8_t> payload;
  size_t have = 0;
  try {
    payload.reserve(total);
    while (have < total) {
      size_t chunk = std::min<uint64_t>(total - have, size_t(16) << 20);
      payload.resize(have + chunk);
      if (!src.read(payload.data() + have, chunk, got, cause))
        return fail(cause);
      have += got;
      if (got < chunk)
        break;
    }
  } catch (const std::bad_alloc &) {
    return fail("out of memory allocating " + std::to_string(total) +
                " bytes of " + payloadName);
  }
  if (have < total)
    return fail("truncated: expected " + std::to_string(total) + " bytes of " +
                payloadName + ", got " + std::to_string(have));

  // Drain to the end so that trailing bytes are counted and, for gzip, the
  // CRC and length in the trailer are verified. The cap bounds the work done
  // on a decompression bomb.
  uint64_t extra = 0;
  uint8_t scratch[4096];
  do {
    if (!src.read(scratch, sizeof(scratch), got, cause))
      return fail(cause);
    extra += got;
  } while (got == sizeof(scratch) && extra < kMaxPayloadBytes);
  if (extra)
    return fail("trailing data: " +
                std::string(got == sizeof(scratch) ? "at least " : "") +
                std::to_string(extra) + " unexpected bytes after the " +
                std::to_string(total) + " bytes of " + payloadName +
                " declared by the header");

  out.dims = std::move(dims);
  out.payload = std::move(payload);
  return true;
}

std::string joinPath(const std::string &dir, const std::string &name) {
  if (dir.empty())
    return name;
  return dir.back() == '/' ? dir + name : dir + "/" + name;
}

bool pathExists(const std::string &path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0;
}

/// Picks the raw file if present, else the ".gz" one.
bool resolveDataFile(const std::string &dir, const char *name,
                     std::string &path, std::string &error) {
  std::string raw = joinPath(dir, name);
  std::string gz = raw + ".gz";
  if (pathExists(raw)) {
    path = raw;
    return true;
  }
  if (pathExists(gz)) {
    path = gz;
    return true;
  }
  error = raw + ": file not found (tried " + raw + " and " + gz + ")";
  return false;
}

} // namespace

bool readIdxImages(const std::string &path, IdxImages &out,
                   std::string &error) {
  IdxFile file;
  if (!readIdx(path, kImagesMagic, "IDX3 unsigned-byte images", "pixels", 3,
               file, error))
    return false;
  out.count = file.dims[0];
  out.rows = file.dims[1];
  out.cols = file.dims[2];
  out.pixels = std::move(file.payload);
  return true;
}

bool readIdxLabels(const std::string &path, IdxLabels &out,
                   std::string &error) {
  IdxFile file;
  if (!readIdx(path, kLabelsMagic, "IDX1 unsigned-byte labels", "labels", 1,
               file, error))
    return false;
  out.count = file.dims[0];
  out.labels = std::move(file.payload);
  return true;
}

bool loadDataset(const std::string &dir, Dataset &out, std::string &error) {
  struct stat st;
  if (::stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    error = dir + ": dataset directory not found";
    return false;
  }

  std::string trainImagesPath, trainLabelsPath, testImagesPath, testLabelsPath;
  if (!resolveDataFile(dir, "train-images-idx3-ubyte", trainImagesPath,
                       error) ||
      !resolveDataFile(dir, "train-labels-idx1-ubyte", trainLabelsPath,
                       error) ||
      !resolveDataFile(dir, "t10k-images-idx3-ubyte", testImagesPath, error) ||
      !resolveDataFile(dir, "t10k-labels-idx1-ubyte", testLabelsPath, error))
    return false;

  // Fill a local copy so `out` stays untouched on failure.
  Dataset ds;
  if (!readIdxImages(trainImagesPath, ds.trainImages, error) ||
      !readIdxLabels(trainLabelsPath, ds.trainLabels, error) ||
      !readIdxImages(testImagesPath, ds.testImages, error) ||
      !readIdxLabels(testLabelsPath, ds.testLabels, error))
    return false;

  auto checkSplit = [&](const IdxImages &images, const std::string &imagesPath,
                        const IdxLabels &labels,
                        const std::string &labelsPath) {
    if (images.count == labels.count)
      return true;
    error = labelsPath + ": " + std::to_string(labels.count) + " labels but " +
            imagesPath + " has " + std::to_string(images.count) + " images";
    return false;
  };
  if (!checkSplit(ds.trainImages, trainImagesPath, ds.trainLabels,
                  trainLabelsPath) ||
      !checkSplit(ds.testImages, testImagesPath, ds.testLabels,
                  testLabelsPath))
    return false;

  if (ds.trainImages.rows != ds.testImages.rows ||
      ds.trainImages.cols != ds.testImages.cols) {
    error = testImagesPath + ": images are " +
            std::to_string(ds.testImages.rows) + "x" +
            std::to_string(ds.testImages.cols) + " but training images in " +
            trainImagesPath + " are " + std::to_string(ds.trainImages.rows) +
            "x" + std::to_string(ds.trainImages.cols);
    return false;
  }

  out = std::move(ds);
  return true;
}

bool checkLabels(const IdxLabels &labels, int64_t numClasses,
                 const std::string &path, std::string &error) {
  if (numClasses <= 0) {
    error = path + ": number of classes must be positive, got " +
            std::to_string(numClasses);
    return false;
  }
  int64_t firstBad = -1, numBad = 0;
  for (size_t i = 0, e = labels.labels.size(); i < e; ++i) {
    if (labels.labels[i] < numClasses)
      continue;
    if (firstBad < 0)
      firstBad = static_cast<int64_t>(i);
    ++numBad;
  }
  if (numBad == 0)
    return true;
  error = path + ": label " + std::to_string(labels.labels[firstBad]) +
          " at index " + std::to_string(firstBad) + " is out of range for " +
          std::to_string(numClasses) + " classes (" + std::to_string(numBad) +
          " labels out of range)";
  return false;
}

namespace {
// The conversion runs once per pixel of every batch: compiled for the
// widest vectors the CPU has (the binary itself targets baseline x86-64).
// A division, not a multiplication by 1/255, so that every target (and the
// GPU's gather kernel) produces the same floats.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
__attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#endif
void pixelsToFloats(const uint8_t *src, size_t n, float *out) {
  for (size_t j = 0; j < n; ++j)
    out[j] = src[j] / 255.0f;
}
} // namespace

void gatherImages(const IdxImages &images, const int64_t *indices, int64_t n,
                  float *dst) {
  const size_t imageSize = size_t(images.rows) * size_t(images.cols);
  for (int64_t i = 0; i < n; ++i) {
    int64_t index = indices[i];
    assert(index >= 0 && index < images.count && "image index out of range");
    pixelsToFloats(images.pixels.data() + size_t(index) * imageSize, imageSize,
                   dst + size_t(i) * imageSize);
  }
}

} // namespace runtime
} // namespace dlc
