//===- PtxEntries.h - the kernel entries of a PTX module --------*- C++ -*-===//
//
// The driver launches a kernel with whatever parameter array it is given:
// a plan whose launches bind fewer or more tensors than the PTX entry takes
// would read garbage pointers on the device. Scanning the PTX text for each
// `.entry NAME(.param ..., ...)` lets the plan checks refuse that mismatch
// on any machine, before a device is involved.
//
//===----------------------------------------------------------------------===//

#ifndef DLC_RUNTIME_PLAN_PTXENTRIES_H
#define DLC_RUNTIME_PLAN_PTXENTRIES_H

#include <map>
#include <string>

namespace dlc {
namespace runtime {

/// The number of parameters of every `.entry` in `ptx`, by name. Comments
/// are skipped; an entry without a parameter list has none.
std::map<std::string, int> ptxEntryParameterCounts(const std::string &ptx);

/// Every `.entry` of `ptx` by name: whether its body reaches no
/// instruction that may touch global memory (loads, stores, atomics and
/// reductions other than of the .param, .shared, .local and .const
/// spaces; calls) before `griddepcontrol.wait`. A kernel launched as a
/// programmatic dependent may read its predecessors' results only after
/// that wait.
std::map<std::string, bool> ptxEntriesWaitingFirst(const std::string &ptx);

/// The operand of the module directive `directive` (".version" -> "8.5",
/// ".target" -> "sm_90"), or empty. The driver refuses a PTX ISA version
/// newer than it knows, so messages and --inspect show it.
std::string ptxModuleDirective(const std::string &ptx,
                               const std::string &directive);

} // namespace runtime
} // namespace dlc

#endif // DLC_RUNTIME_PLAN_PTXENTRIES_H
