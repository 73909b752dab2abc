//===- CodeObject.cpp - a plan's kernels loaded from memory ---------------===//

#include "plan/CodeObject.h"

#include "support/FileIO.h"

#include <cerrno>
#include <cstring>
#include <dlfcn.h>
#include <sys/mman.h>
#include <unistd.h>

namespace dlc {
namespace runtime {

std::unique_ptr<CodeObject> CodeObject::load(const uint8_t *bytes,
                                             size_t size,
                                             const std::string &name,
                                             std::string &error) {
  int fd = memfd_create("dlc-plan-code", MFD_CLOEXEC);
  if (fd < 0) {
    error = name + ": cannot create a memory file for the code: " +
            std::strerror(errno);
    return nullptr;
  }
  errno = 0; // a write of no bytes sets none
  if (!writeAll(fd, bytes, size)) {
    error = name + ": cannot write the code to a memory file: " +
            std::strerror(errno ? errno : EIO);
    ::close(fd);
    return nullptr;
  }
  std::string path = "/proc/self/fd/" + std::to_string(fd);
  void *handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    const char *why = dlerror();
    std::string reason = why ? why : "unknown error";
    // dlerror names the /proc path; keep only the cause, on one line.
    size_t colon = reason.find(path + ": ");
    if (colon != std::string::npos)
      reason.erase(colon, path.size() + 2);
    for (char &c : reason)
      if (c == '\n')
        c = ' ';
    error = name + ": cannot load the plan's code object: " + reason;
    ::close(fd);
    return nullptr;
  }
  return std::unique_ptr<CodeObject>(new CodeObject(handle, fd));
}

CodeObject::~CodeObject() {
  dlclose(handle);
  ::close(fd);
}

dlc_kernel_fn CodeObject::lookup(const std::string &symbol) const {
  dlerror();
  void *sym = dlsym(handle, symbol.c_str());
  return reinterpret_cast<dlc_kernel_fn>(sym);
}

} // namespace runtime
} // namespace dlc
