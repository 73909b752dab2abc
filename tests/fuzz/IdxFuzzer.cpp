//===- IdxFuzzer.cpp - fuzzes dlrun's IDX (MNIST) reader ------------------===//
//
// The first input byte picks the form: odd, the rest is gzip-compressed
// here first (so that mutations of the IDX header and payload also reach
// the inflating path); even, the rest is the file as is. The rest is read
// both as an image file and as a label file. Accepted data must be exactly
// what the header promises; a rejected file must leave the output as it
// was and give a one-line error.
//
//===----------------------------------------------------------------------===//

#include "FuzzInput.h"

#include "data/IdxReader.h"

#include <zlib.h>

#include <vector>

using namespace dlc::runtime;

static std::vector<uint8_t> gzip(const uint8_t *data, size_t size) {
  z_stream strm{};
  // 16 + MAX_WBITS: a gzip wrapper, as gzip(1) writes.
  if (deflateInit2(&strm, Z_BEST_SPEED, Z_DEFLATED, 16 + MAX_WBITS, 8,
                   Z_DEFAULT_STRATEGY) != Z_OK)
    std::abort();
  std::vector<uint8_t> out(deflateBound(&strm, size));
  strm.next_in = const_cast<uint8_t *>(data);
  strm.avail_in = static_cast<uInt>(size);
  strm.next_out = out.data();
  strm.avail_out = static_cast<uInt>(out.size());
  if (deflate(&strm, Z_FINISH) != Z_STREAM_END)
    std::abort();
  out.resize(strm.total_out);
  deflateEnd(&strm);
  return out;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size == 0)
    return 0;
  std::vector<uint8_t> file(data + 1, data + size);
  if (data[0] & 1)
    file = gzip(file.data(), file.size());
  dlc::fuzz::MemoryFile input(file.data(), file.size());
  std::string path = input.path();

  std::string why;
  IdxImages images;
  images.count = -1; // must survive a failed read
  std::string error;
  if (readIdxImages(path, images, error)) {
    if (images.count < 0 || images.rows <= 0 || images.cols <= 0 ||
        images.pixels.size() !=
            static_cast<size_t>(images.count * images.rows * images.cols))
      std::abort();
    if (images.count > 0) {
      int64_t last[2] = {images.count - 1, 0};
      std::vector<float> batch(2 * images.rows * images.cols);
      gatherImages(images, last, 2, batch.data());
    }
  } else {
    dlc::fuzz::checkError(error, path);
    if (images.count != -1 || !images.pixels.empty())
      std::abort();
    why = error;
  }

  IdxLabels labels;
  labels.count = -1;
  error.clear();
  if (readIdxLabels(path, labels, error)) {
    if (labels.count < 0 ||
        labels.labels.size() != static_cast<size_t>(labels.count))
      std::abort();
    checkLabels(labels, 10, path, error);
  } else {
    dlc::fuzz::checkError(error, path);
    if (labels.count != -1 || !labels.labels.empty())
      std::abort();
    if (!why.empty())
      dlc::fuzz::rejected(why + "; " + error, size); // neither images nor labels
  }
  return 0;
}
