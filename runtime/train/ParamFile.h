//===- ParamFile.h - saved trained parameters -------------------*- C++ -*-===//
//
// dlrun --save / --load. Little-endian, in this order:
//
//   char[8]  magic "DLCPARAM"
//   u32      version (1)
//   u32      count of tensors
//   count x {
//     u32    name length, then the name's bytes (no terminator)
//     u32    rank, then rank x i64 dims
//     f32    data, product(dims) values, row-major
//   }
//   u32      zlib crc32 of every byte before it
//
// Only parameters are saved, in the plan's tensor order; velocities are not
// (a loaded run starts with zero velocity). Saving is atomic: a temporary
// file in the target's directory is written, fsync'ed and renamed over it.
//
//===----------------------------------------------------------------------===//

#ifndef DLC_RUNTIME_TRAIN_PARAMFILE_H
#define DLC_RUNTIME_TRAIN_PARAMFILE_H

#include <cstdint>
#include <string>
#include <vector>

namespace dlc {
namespace runtime {

constexpr char ParamFileMagic[9] = "DLCPARAM"; // 8 bytes on disk
constexpr uint32_t ParamFileVersion = 1;

/// A parameter tensor in the runtime's memory: f32, row-major.
struct ParamTensor {
  std::string name;
  std::vector<int64_t> shape;
  float *data = nullptr;
};

/// Writes `params` to `path` atomically. One-line error on failure; `path`
/// is then untouched and no temporary file is left behind.
bool saveParameters(const std::vector<ParamTensor> &params,
                    const std::string &path, std::string &error);

/// Reads `path` into `params`' data. The file must hold exactly these
/// tensors (same order, names and shapes); otherwise the first mismatching
/// one is named. On failure nothing is written to the tensors.
bool loadParameters(const std::vector<ParamTensor> &params,
                    const std::string &path, std::string &error);

} // namespace runtime
} // namespace dlc

#endif // DLC_RUNTIME_TRAIN_PARAMFILE_H
