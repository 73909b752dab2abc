//===- Printable.cpp - strings from files, fit to quote in messages -------===//

#include "support/Printable.h"

std::string dlc::runtime::maskControlBytes(std::string text) {
  for (char &c : text)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
      c = '?';
  return text;
}
