//===- FileTool.h - run an external tool from file to file ------*- C++ -*-===//
//
// ld.lld and ptxas read their input from a file and write their result to
// one; this runs such a tool on private temporaries, removed on return
// whatever happens.
//
//===----------------------------------------------------------------------===//

#ifndef DLC_SUPPORT_FILETOOL_H
#define DLC_SUPPORT_FILETOOL_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <string>
#include <vector>

namespace dlc {

/// Runs `program` on `input` written to a temporary `.inExt` file and returns
/// what it wrote to a temporary `.outExt` file. `args(inPath, outPath)` is
/// the command line after the program. The tool's output is captured; a
/// failure is one line, "<what> failed (exit N): <output>".
llvm::Expected<std::string>
runFileTool(llvm::StringRef program, llvm::StringRef what,
            llvm::StringRef input, llvm::StringRef inExt,
            llvm::StringRef outExt,
            llvm::function_ref<std::vector<std::string>(llvm::StringRef,
                                                        llvm::StringRef)>
                args);

/// The same with several inputs, each in a temporary `.inExt` file:
/// `args(inPaths, outPath)`.
llvm::Expected<std::string> runFileTool(
    llvm::StringRef program, llvm::StringRef what,
    llvm::ArrayRef<std::string> inputs, llvm::StringRef inExt,
    llvm::StringRef outExt,
    llvm::function_ref<std::vector<std::string>(
        llvm::ArrayRef<std::string>, llvm::StringRef)>
        args);

} // namespace dlc

#endif // DLC_SUPPORT_FILETOOL_H
