//===- PlanFile.cpp - a loaded, checked training plan ---------------------===//

#include "plan/PlanFile.h"

#include "abi/PlanFormat.h"
#include "plan/CpuFeatures.h"
#include "plan/PlanChecks.h"
#include "plan/PlanFraming.h"
#include "support/Printable.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <utility>

namespace dlc {
namespace runtime {

namespace {
bool readWholeFile(const std::string &path, std::vector<uint8_t> &out,
                   std::string &error) {
  FILE *f = std::fopen(path.c_str(), "rb");
  if (!f) {
    error = path + ": " + std::strerror(errno);
    return false;
  }
  std::vector<uint8_t> data;
  uint8_t buffer[1 << 16];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof buffer, f)) > 0)
    data.insert(data.end(), buffer, buffer + n);
  bool bad = std::ferror(f);
  int savedErrno = errno;
  std::fclose(f);
  if (bad) {
    error = path + ": read error: " + std::strerror(savedErrno);
    return false;
  }
  out.swap(data);
  return true;
}
} // namespace

std::unique_ptr<PlanFile> PlanFile::load(const std::string &path,
                                         std::string &error, LoadMode mode) {
  std::vector<uint8_t> bytes;
  if (!readWholeFile(path, bytes, error))
    return nullptr;
  return loadBytes(std::move(bytes), path, error, mode);
}

std::unique_ptr<PlanFile> PlanFile::loadBytes(std::vector<uint8_t> bytes,
                                              const std::string &name,
                                              std::string &error,
                                              LoadMode mode) {
  std::unique_ptr<PlanFile> file =
      loadChecked(std::move(bytes), name, error, mode);
  // Names quoted in messages come from the file: keep the error one line.
  if (!file)
    error = maskControlBytes(std::move(error));
  return file;
}

std::unique_ptr<PlanFile> PlanFile::loadChecked(std::vector<uint8_t> bytes,
                                                const std::string &name,
                                                std::string &error,
                                                LoadMode mode) {
  if (!checkPlanFraming(bytes.data(), bytes.size(), name, error))
    return nullptr;
  // std::vector storage is malloc-aligned (>= 16) and the header is 24
  // bytes, so the FlatBuffer's 8-byte scalars are aligned as the verifier
  // requires.
  const uint8_t *payload = bytes.data() + DLC_PLAN_HEADER_SIZE;
  size_t payloadSize = bytes.size() - DLC_PLAN_HEADER_SIZE;
  if (payloadSize < 8 || !dlc::plan::PlanBufferHasIdentifier(payload)) {
    error = name + ": the payload is not a plan FlatBuffer (identifier "
                   "\"DLCP\" missing)";
    return nullptr;
  }
  flatbuffers::Verifier verifier(payload, payloadSize);
  if (!dlc::plan::VerifyPlanBuffer(verifier)) {
    error = name + ": the plan FlatBuffer is malformed";
    return nullptr;
  }
  const dlc::plan::Plan *root = dlc::plan::GetPlan(payload);
  if (!checkPlan(*root, name, error))
    return nullptr;

  std::unique_ptr<PlanFile> file(new PlanFile());
  file->fileName = name;
  file->bytes = std::move(bytes);
  file->root = root; // still valid: moving a vector keeps its buffer
  // A CUDA plan's module is loaded by the CUDA executor, on the device.
  if (mode == LoadMode::MetadataOnly || file->target() == PlanTarget::Cuda)
    return file;

  std::vector<std::string> missing = missingCpuFeatures(
      root->cpu_features() ? root->cpu_features()->str() : std::string());
  if (!missing.empty()) {
    std::string list;
    for (const std::string &f : missing)
      list += (list.empty() ? "" : ", ") + f;
    error = name + ": the plan was compiled for cpu '" +
            (root->cpu() ? root->cpu()->str() : std::string("?")) +
            "' and needs " + list +
            ", which this CPU lacks; recompile the model for this machine";
    return nullptr;
  }
  file->code = CodeObject::load(root->code()->data(), root->code()->size(),
                                name, error);
  if (!file->code)
    return nullptr;
  for (const dlc::plan::Kernel *k : *root->kernels()) {
    dlc_kernel_fn fn = file->code->lookup(k->symbol()->str());
    if (!fn) {
      error = name + ": the plan's code object does not export kernel '" +
              k->symbol()->str() + "'";
      return nullptr;
    }
    file->kernels.push_back(fn);
  }
  return file;
}

} // namespace runtime
} // namespace dlc
