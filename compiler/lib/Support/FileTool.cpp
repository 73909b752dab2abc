//===- FileTool.cpp - run an external tool from file to file --------------===//

#include "dlc/Support/FileTool.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <memory>
#include <optional>

using namespace llvm;

Expected<std::string> dlc::runFileTool(
    StringRef program, StringRef what, StringRef input, StringRef inExt,
    StringRef outExt,
    function_ref<std::vector<std::string>(StringRef, StringRef)> args) {
  return runFileTool(program, what, ArrayRef<std::string>{input.str()}, inExt,
                     outExt,
                     [&](ArrayRef<std::string> inPaths, StringRef outPath) {
                       return args(inPaths.front(), outPath);
                     });
}

Expected<std::string> dlc::runFileTool(
    StringRef program, StringRef what, ArrayRef<std::string> inputs,
    StringRef inExt, StringRef outExt,
    function_ref<std::vector<std::string>(ArrayRef<std::string>, StringRef)>
        args) {
  std::vector<std::string> inPaths;
  std::vector<std::unique_ptr<FileRemover>> removeIns;
  for (const std::string &input : inputs) {
    SmallString<128> inPath;
    int inFd;
    if (auto ec = sys::fs::createTemporaryFile("dlc-kernels", inExt, inFd,
                                               inPath))
      return createStringError(ec, "cannot create a temporary file");
    removeIns.push_back(std::make_unique<FileRemover>(inPath));
    raw_fd_ostream os(inFd, /*shouldClose=*/true);
    os << input;
    os.close();
    if (os.has_error())
      return createStringError(os.error(), "cannot write a temporary file");
    inPaths.push_back(inPath.str().str());
  }
  SmallString<128> outPath, logPath;
  if (auto ec = sys::fs::createTemporaryFile("dlc-kernels", outExt, outPath))
    return createStringError(ec, "cannot create a temporary file");
  FileRemover removeOut(outPath);
  if (auto ec = sys::fs::createTemporaryFile("dlc-tool", "log", logPath))
    return createStringError(ec, "cannot create a temporary file");
  FileRemover removeLog(logPath);

  std::vector<std::string> argStrings = args(inPaths, outPath);
  SmallVector<StringRef> argv = {program};
  argv.append(argStrings.begin(), argStrings.end());
  std::optional<StringRef> redirects[] = {std::nullopt, StringRef(logPath),
                                          StringRef(logPath)};
  std::string errorMessage;
  int rc = sys::ExecuteAndWait(program, argv, std::nullopt, redirects, 0, 0,
                               &errorMessage);
  if (rc != 0) {
    std::string log;
    if (auto buffer = MemoryBuffer::getFile(logPath))
      log = (*buffer)->getBuffer().trim().str();
    std::replace(log.begin(), log.end(), '\n', ' ');
    return createStringError(what + " failed (exit " + Twine(rc) + "): " +
                             (log.empty() ? errorMessage : log));
  }
  auto buffer = MemoryBuffer::getFile(outPath);
  if (!buffer)
    return createStringError(buffer.getError(),
                             "cannot read what " + what + " wrote");
  return (*buffer)->getBuffer().str();
}
