//===- PtxEntries.cpp - the kernel entries of a PTX module ----------------===//

#include "plan/PtxEntries.h"

#include <cctype>
#include <vector>

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

/// Each `.entry` directive of `text` (comments removed): its name and
/// where the text after the name starts.
std::vector<std::pair<std::string, size_t>> entries(const std::string &text) {
  std::vector<std::pair<std::string, size_t>> found;
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
    if (i != nameStart)
      found.emplace_back(text.substr(nameStart, i - nameStart), i);
  }
  return found;
}
} // namespace

std::map<std::string, int> ptxEntryParameterCounts(const std::string &ptx) {
  std::map<std::string, int> entries;
  std::string text = withoutComments(ptx);
  for (const auto &[name, afterName] : runtime::entries(text)) {
    size_t i = afterName;
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

namespace {
/// Whether `op` (an instruction's opcode with its qualifiers) may touch
/// global memory.
bool mayTouchGlobalMemory(const std::string &op) {
  static const char *const kinds[] = {"ld.",  "ldu.", "st.",       "atom.",
                                      "red.", "cp.",  "prefetch.", "multimem."};
  bool memory = op == "call" || op.rfind("call.", 0) == 0;
  for (const char *kind : kinds)
    memory |= op.rfind(kind, 0) == 0;
  if (!memory)
    return false;
  for (const char *space : {".param", ".shared", ".local", ".const"})
    if (op.find(space) != std::string::npos)
      return false;
  return true;
}
} // namespace

std::map<std::string, bool> ptxEntriesWaitingFirst(const std::string &ptx) {
  std::map<std::string, bool> waits;
  std::string text = withoutComments(ptx);
  for (const auto &[name, afterName] : entries(text)) {
    bool waiting = true; // until a memory instruction comes first
    // The body: from the first '{' after ".entry NAME(...)" to its match.
    size_t open = text.find(')', afterName);
    open = open == std::string::npos ? open : text.find('{', open);
    if (open == std::string::npos) {
      waits[name] = false;
      continue;
    }
    int depth = 0;
    std::string instruction;
    for (size_t i = open; i < text.size(); ++i) {
      char c = text[i];
      if (c == '{' || c == '}') {
        depth += c == '{' ? 1 : -1;
        if (depth == 0)
          break;
        instruction += ' ';
        continue;
      }
      if (c != ';') {
        instruction += c;
        continue;
      }
      // One instruction: labels, then an optional guard, then the opcode.
      size_t j = 0;
      std::string op;
      for (;;) {
        skipSpace(instruction, j);
        size_t start = j;
        while (j < instruction.size() &&
               !std::isspace(static_cast<unsigned char>(instruction[j])))
          ++j;
        op = instruction.substr(start, j - start);
        size_t colon = op.find(':');
        if (colon != std::string::npos && colon + 1 < op.size()) {
          j = start + colon + 1; // "label:op" without a space
          continue;
        }
        if (op.empty() || op.back() != ':') {
          if (!op.empty() && op[0] == '@')
            continue; // a guard predicate
          break;
        }
      }
      instruction.clear();
      if (op == "griddepcontrol.wait")
        break;
      if (mayTouchGlobalMemory(op)) {
        waiting = false;
        break;
      }
    }
    waits[name] = waiting;
  }
  return waits;
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
