//===- CodeObject.h - a plan's kernels loaded from memory -------*- C++ -*-===//
//
// The plan embeds its kernels as a shared object. It is loaded from an
// anonymous memory file (memfd_create + dlopen of /proc/self/fd/N), so no
// file is ever written to disk and nothing outlives the process.
//
//===----------------------------------------------------------------------===//

#ifndef DLC_RUNTIME_PLAN_CODEOBJECT_H
#define DLC_RUNTIME_PLAN_CODEOBJECT_H

#include "abi/KernelABI.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace dlc {
namespace runtime {

class CodeObject {
public:
  /// Loads the shared object in `bytes` with RTLD_NOW | RTLD_LOCAL. Returns
  /// null with a one-line error prefixed with `name` on failure.
  static std::unique_ptr<CodeObject> load(const uint8_t *bytes, size_t size,
                                          const std::string &name,
                                          std::string &error);
  ~CodeObject();
  CodeObject(const CodeObject &) = delete;
  CodeObject &operator=(const CodeObject &) = delete;

  /// The kernel exported as `symbol`, or null.
  dlc_kernel_fn lookup(const std::string &symbol) const;

private:
  CodeObject(void *handle, int fd) : handle(handle), fd(fd) {}
  void *handle;
  // Kept open while the object is loaded: glibc recognises an already loaded
  // object by its path, and a reused fd number would alias a second plan's
  // code with the first one's.
  int fd;
};

} // namespace runtime
} // namespace dlc

#endif // DLC_RUNTIME_PLAN_CODEOBJECT_H
