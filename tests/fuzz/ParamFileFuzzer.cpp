//===- ParamFileFuzzer.cpp - fuzzes dlrun --load --------------------------===//
//
// The input is a parameter file without its trailing crc32, which is
// appended here so that mutations reach the parsing behind the checksum.
// The file is loaded into a small fixed model (a 3 x 4 weight and a bias
// of 4). A rejected file must leave the tensors untouched and give a
// one-line error.
//
//===----------------------------------------------------------------------===//

#include "FuzzInput.h"

#include "train/ParamFile.h"

#include <zlib.h>

#include <cmath>
#include <cstring>
#include <vector>

using namespace dlc::runtime;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::vector<uint8_t> file(data, data + size);
  uint32_t crc = static_cast<uint32_t>(
      crc32(crc32(0L, Z_NULL, 0), data, static_cast<uInt>(size)));
  for (int i = 0; i < 4; ++i)
    file.push_back(static_cast<uint8_t>(crc >> (8 * i)));
  dlc::fuzz::MemoryFile input(file.data(), file.size());

  // A NaN payload that a failed load cannot have written by accident.
  const uint32_t sentinelBits = 0x7fc0dead;
  float sentinel;
  std::memcpy(&sentinel, &sentinelBits, sizeof sentinel);
  std::vector<float> weight(12, sentinel), bias(4, sentinel);
  std::vector<ParamTensor> params = {{"w", {3, 4}, weight.data()},
                                     {"b", {4}, bias.data()}};
  std::string error;
  bool loaded = loadParameters(params, input.path(), error);
  if (!loaded) {
    dlc::fuzz::checkError(error, input.path());
    dlc::fuzz::rejected(error, size);
  }
  for (const std::vector<float> *values : {&weight, &bias})
    for (float v : *values) {
      uint32_t bits;
      std::memcpy(&bits, &v, sizeof bits);
      if (!loaded && bits != sentinelBits)
        std::abort(); // a failed load wrote to a tensor
    }
  return 0;
}
