//===- FileIO.h - writing files safely, without exceptions ------*- C++ -*-===//

#ifndef DLC_RUNTIME_SUPPORT_FILEIO_H
#define DLC_RUNTIME_SUPPORT_FILEIO_H

#include <cstddef>
#include <string>

namespace dlc {
namespace runtime {

/// Writes all `size` bytes to `fd`, retrying on EINTR and short writes.
/// Async-signal-safe. Returns false on an error (errno says which).
bool writeAll(int fd, const void *data, size_t size);

/// The directory part of `path` ("." when it has none).
std::string directoryOf(const std::string &path);

/// The last component of `path`.
std::string fileNameOf(const std::string &path);

/// Replaces `path` with `contents` atomically: a temporary file in the same
/// directory, then rename(). With `durable`, the file and the directory are
/// fsynced so the new contents survive a crash. Nothing is left behind on
/// failure; `error` then reads "PATH: cannot write: CAUSE".
bool writeFileAtomically(const std::string &path, const std::string &contents,
                         bool durable, std::string &error);

} // namespace runtime
} // namespace dlc

#endif // DLC_RUNTIME_SUPPORT_FILEIO_H
