//===- FuzzInput.h - what the fuzz targets share ----------------*- C++ -*-===//
//
// Every target is a libFuzzer entry point, LLVMFuzzerTestOneInput. Built
// with -DDLC_FUZZERS=ON (clang) it is linked against libFuzzer and the
// sanitizers; in the normal build it is linked against ReplayMain.cpp and
// replays the checked-in seeds and regressions as tests.
//
//===----------------------------------------------------------------------===//

#ifndef DLC_TESTS_FUZZ_FUZZINPUT_H
#define DLC_TESTS_FUZZ_FUZZINPUT_H

#include "support/FileIO.h"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include <sys/mman.h>
#include <unistd.h>

namespace dlc {
namespace fuzz {

/// The input as a file, for readers that take a path: an anonymous memory
/// file, named through /proc so that nothing touches the disk.
class MemoryFile {
public:
  MemoryFile(const uint8_t *data, size_t size) {
    fd = memfd_create("fuzz-input", 0);
    if (fd < 0) {
      std::perror("memfd_create");
      std::abort();
    }
    if (!runtime::writeAll(fd, data, size)) {
      std::perror("write");
      std::abort();
    }
  }
  MemoryFile(const MemoryFile &) = delete;
  MemoryFile &operator=(const MemoryFile &) = delete;
  ~MemoryFile() { ::close(fd); }

  std::string path() const { return "/proc/self/fd/" + std::to_string(fd); }

private:
  int fd = -1;
};

/// Fails the run when a rejected input's message breaks the one-line
/// contract of every reader: non-empty, no newline, prefixed by the name.
inline void checkError(const std::string &error, const std::string &name) {
  if (error.empty() || error.find('\n') != std::string::npos ||
      error.compare(0, name.size(), name) != 0) {
    std::fprintf(stderr, "bad error message: '%s'\n", error.c_str());
    std::abort();
  }
}

/// Called by a target that rejected its input of `size` bytes, with the
/// reason. With DLC_FUZZ_EXPECT_ACCEPTED set (the seeds' test) that fails
/// the run, so seeds that the readers stopped accepting do not go
/// unnoticed: a fuzzer would then only mutate inputs that stop at the
/// first check. The empty input, which libFuzzer runs first, is no seed.
inline void rejected(const std::string &error, size_t size) {
  static const bool mustAccept = std::getenv("DLC_FUZZ_EXPECT_ACCEPTED");
  if (mustAccept && size != 0) {
    std::fprintf(stderr, "a seed was rejected: %s\n", error.c_str());
    std::abort();
  }
}

} // namespace fuzz
} // namespace dlc

#endif // DLC_TESTS_FUZZ_FUZZINPUT_H
