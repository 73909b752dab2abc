//===- PlanFile.h - a loaded, checked training plan -------------*- C++ -*-===//
//
// Loading runs every check before anything is trusted, in this order: the
// header (magic, payload size, crc32, format version; see PlanFraming.h), the
// FlatBuffer verifier and the "DLCP" identifier, the semantic checks of
// PlanChecks.h, then the code object is loaded and every kernel symbol
// resolved. Any failure is one line, "<file>: <cause>"; nothing throws.
// CUDA plans have no code object: their PTX is loaded on the device by
// CudaExecutor, so loading one needs no driver.
//
//===----------------------------------------------------------------------===//

#ifndef DLC_RUNTIME_PLAN_PLANFILE_H
#define DLC_RUNTIME_PLAN_PLANFILE_H

#include "abi/KernelABI.h"
#include "plan/CodeObject.h"
#include "plan/PlanChecks.h"
#include "plan_generated.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace dlc {
namespace runtime {

class PlanFile {
public:
  enum class LoadMode {
    Full,        // every check, the host CPU check, code loaded (CPU
                 // plans)
    MetadataOnly // every check of the file, but no code (for --inspect,
                 // which should work on a plan compiled for another CPU)
  };

  /// Reads and loads the plan file at `path`.
  static std::unique_ptr<PlanFile> load(const std::string &path,
                                        std::string &error,
                                        LoadMode mode = LoadMode::Full);
  /// Loads a plan from the whole file's `bytes`; `name` prefixes errors.
  static std::unique_ptr<PlanFile> loadBytes(std::vector<uint8_t> bytes,
                                             const std::string &name,
                                             std::string &error,
                                             LoadMode mode = LoadMode::Full);

  const dlc::plan::Plan &plan() const { return *root; }
  const std::string &name() const { return fileName; }
  PlanTarget target() const { return planTarget(*root); }
  /// The function of kernel `index` of plan().kernels() (Full mode, CPU
  /// plans only).
  dlc_kernel_fn kernel(size_t index) const { return kernels[index]; }
  bool codeLoaded() const { return code != nullptr; }

private:
  PlanFile() = default;
  static std::unique_ptr<PlanFile> loadChecked(std::vector<uint8_t> bytes,
                                               const std::string &name,
                                               std::string &error,
                                               LoadMode mode);
  std::string fileName;
  std::vector<uint8_t> bytes;
  const dlc::plan::Plan *root = nullptr;
  std::unique_ptr<CodeObject> code;
  std::vector<dlc_kernel_fn> kernels;
};

} // namespace runtime
} // namespace dlc

#endif // DLC_RUNTIME_PLAN_PLANFILE_H
