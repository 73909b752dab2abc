//===- PtxEntries.cpp - the kernel entries of a PTX module ----------------===//

#include "plan/PtxEntries.h"

#include <cctype>

namespace dlc {
namespace runtime {

namespace {
// PTX without its comments, so that a commented-out entry does not count.
std::string withoutComments(const std::string &ptx) {
  std::string out;
  out.reserve(ptx.size());
  for (size_t i = 0; i < ptx.size();) {
    if (ptx.compare(i, 2, "//") == 0) {
      i = ptx.find('\n', i);
      if (i == std::string::npos)
        break;
    } else if (ptx.compare(i, 2, "/*") == 0) {
      size_t end = ptx.find("*/", i + 2);
      i = end == std::string::npos ? ptx.size() : end + 2;
      out += ' ';
    } else {
      out += ptx[i++];
    }
  }
  return out;
}

bool isIdentifierChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$' ||
         c == '%' || c == '.';
}

void skipSpace(const std::string &s, size_t &i) {
  while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i])))
    ++i;
}
} // namespace

std::map<std::string, int> ptxEntryParameterCounts(const std::string &ptx) {
  std::map<std::string, int> entries;
  std::string text = withoutComments(ptx);
  const std::string keyword = ".entry";
  for (size_t at = text.find(keyword); at != std::string::npos;
       at = text.find(keyword, at + keyword.size())) {
    size_t i = at + keyword.size();
    // ".entry" as a whole directive, followed by the name.
    if ((at > 0 && isIdentifierChar(text[at - 1])) || i >= text.size() ||
        !std::isspace(static_cast<unsigned char>(text[i])))
      continue;
    skipSpace(text, i);
    size_t nameStart = i;
    while (i < text.size() && isIdentifierChar(text[i]) && text[i] != '.')
      ++i;
    if (i == nameStart)
      continue;
    std::string name = text.substr(nameStart, i - nameStart);
    skipSpace(text, i);
    int count = 0;
    if (i < text.size() && text[i] == '(') {
      size_t close = text.find(')', i);
      std::string list = text.substr(
          i, close == std::string::npos ? std::string::npos : close - i);
      for (size_t p = list.find(".param"); p != std::string::npos;
           p = list.find(".param", p + 6))
        ++count;
    }
    entries[name] = count;
  }
  return entries;
}

std::string ptxModuleDirective(const std::string &ptx,
                               const std::string &directive) {
  std::string text = withoutComments(ptx);
  for (size_t at = text.find(directive); at != std::string::npos;
       at = text.find(directive, at + directive.size())) {
    size_t i = at + directive.size();
    if ((at > 0 && !std::isspace(static_cast<unsigned char>(text[at - 1]))) ||
        i >= text.size() || !std::isspace(static_cast<unsigned char>(text[i])))
      continue;
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t'))
      ++i;
    size_t end = i;
    while (end < text.size() &&
           !std::isspace(static_cast<unsigned char>(text[end])))
      ++end;
    return text.substr(i, end - i);
  }
  return "";
}

} // namespace runtime
} // namespace dlc
