//===- IdxReader.h - MNIST-format IDX data reader ---------------*- C++ -*-===//
//
// Reads the IDX files used by MNIST (optionally gzip-compressed) into memory.
// Part of the dlrun runtime, so it must not depend on LLVM/MLIR. The API never
// throws: failures return false with a one-line "<file>: <cause>" message.
//
//===----------------------------------------------------------------------===//

#ifndef DLC_RUNTIME_DATA_IDXREADER_H
#define DLC_RUNTIME_DATA_IDXREADER_H

#include <cstdint>
#include <string>
#include <vector>

namespace dlc {
namespace runtime {

/// Images of an IDX3 unsigned-byte file, row-major, `count*rows*cols` bytes.
struct IdxImages {
  int64_t count = 0, rows = 0, cols = 0;
  std::vector<uint8_t> pixels;
};

/// Labels of an IDX1 unsigned-byte file, `count` bytes.
struct IdxLabels {
  int64_t count = 0;
  std::vector<uint8_t> labels;
};

/// Reads an IDX3 unsigned-byte image file. The file may be gzip-compressed;
/// that is detected from the gzip magic bytes (1f 8b), not from the name.
/// The payload length must match the header exactly. On failure returns false,
/// sets `error` and leaves `out` unchanged.
bool readIdxImages(const std::string &path, IdxImages &out,
                   std::string &error);

/// Reads an IDX1 unsigned-byte label file; same rules as readIdxImages.
bool readIdxLabels(const std::string &path, IdxLabels &out,
                   std::string &error);

struct Dataset {
  IdxImages trainImages, testImages;
  IdxLabels trainLabels, testLabels;
};

/// Loads train-images-idx3-ubyte, train-labels-idx1-ubyte,
/// t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte from `dir`; each may be
/// raw or have a ".gz" suffix (raw wins if both exist). Also checks that the
/// image and label counts of a split agree and that train and test images have
/// the same size. Label values are not range-checked; use checkLabels. On
/// failure returns false, sets `error` and leaves `out` unchanged.
bool loadDataset(const std::string &dir, Dataset &out, std::string &error);

/// Returns false with a message naming `path` if any label is >= numClasses
/// (or numClasses is not positive).
bool checkLabels(const IdxLabels &labels, int64_t numClasses,
                 const std::string &path, std::string &error);

/// Writes images `indices[0..n)` to `dst` as floats x / 255.0f, in the order
/// given, `n*rows*cols` floats in all. Indices must be in [0, images.count).
void gatherImages(const IdxImages &images, const int64_t *indices, int64_t n,
                  float *dst);

} // namespace runtime
} // namespace dlc

#endif // DLC_RUNTIME_DATA_IDXREADER_H
