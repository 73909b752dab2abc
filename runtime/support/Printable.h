//===- Printable.h - strings from files, fit to quote in messages -*- C++ -*-===//

#ifndef DLC_RUNTIME_SUPPORT_PRINTABLE_H
#define DLC_RUNTIME_SUPPORT_PRINTABLE_H

#include <string>

namespace dlc {
namespace runtime {

/// `text` with every control byte (below 0x20, and 0x7f) shown as '?': a
/// string read from a file, quoted in a message, can then neither split
/// the one-line error nor drive the terminal.
std::string maskControlBytes(std::string text);

} // namespace runtime
} // namespace dlc

#endif // DLC_RUNTIME_SUPPORT_PRINTABLE_H
