//===- FileIO.cpp - writing files safely, without exceptions --------------===//

#include "support/FileIO.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

using namespace dlc::runtime;

bool dlc::runtime::writeAll(int fd, const void *data, size_t size) {
  const char *bytes = static_cast<const char *>(data);
  while (size > 0) {
    ssize_t n = ::write(fd, bytes, size);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return false;
    bytes += n;
    size -= static_cast<size_t>(n);
  }
  return true;
}

std::string dlc::runtime::directoryOf(const std::string &path) {
  size_t slash = path.rfind('/');
  if (slash == std::string::npos)
    return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

std::string dlc::runtime::fileNameOf(const std::string &path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

bool dlc::runtime::writeFileAtomically(const std::string &path,
                                       const std::string &contents,
                                       bool durable, std::string &error) {
  // The temporary file lives next to the target so rename() is atomic.
  std::string dir = directoryOf(path);
  std::string tmpl = dir + "/." + fileNameOf(path) + ".tmp.XXXXXX";
  std::vector<char> tmp(tmpl.begin(), tmpl.end());
  tmp.push_back('\0');
  int fd = mkstemp(tmp.data());
  if (fd < 0) {
    error = path + ": cannot create a temporary file in " + dir + ": " +
            std::strerror(errno);
    return false;
  }
  // mkstemp creates 0600; give the file the usual umask-based mode.
  mode_t mask = umask(0);
  umask(mask);
  bool ok = fchmod(fd, 0666 & ~mask) == 0 &&
            writeAll(fd, contents.data(), contents.size()) &&
            (!durable || fsync(fd) == 0);
  int savedErrno = errno;
  ok = (::close(fd) == 0) && ok;
  if (ok && std::rename(tmp.data(), path.c_str()) != 0) {
    savedErrno = errno;
    ok = false;
  }
  if (!ok) {
    ::unlink(tmp.data());
    error = path + ": cannot write: " +
            std::strerror(savedErrno ? savedErrno : EIO);
    return false;
  }
  if (durable) {
    // Make the rename itself durable; failure here is not worth an error.
    int dirFd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
    if (dirFd >= 0) {
      fsync(dirFd);
      ::close(dirFd);
    }
  }
  return true;
}
