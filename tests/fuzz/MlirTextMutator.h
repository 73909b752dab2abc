//===- MlirTextMutator.h - edits MLIR text as a person would ---*- C++ -*-===//
//
// The custom mutator of the fuzz targets whose input is a module in MLIR's
// text form (mlir, pass). Include it in one translation unit of a target:
// it defines libFuzzer's LLVMFuzzerCustomMutator.
//
//===----------------------------------------------------------------------===//

#ifndef DLC_TESTS_FUZZ_MLIRTEXTMUTATOR_H
#define DLC_TESTS_FUZZ_MLIRTEXTMUTATOR_H

#ifdef DLC_FUZZING_ENGINE
#include <algorithm>
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

extern "C" size_t LLVMFuzzerMutate(uint8_t *data, size_t size,
                                   size_t maxSize);

namespace {
/// A token of the text: [begin, end).
struct Span {
  size_t begin, end;
};

bool isNameChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' ||
         c == '.' || c == '$';
}

bool isDigit(char c) { return std::isdigit(static_cast<unsigned char>(c)); }

/// `%value` and `@symbol` names, or numbers that stand alone or as a
/// shape's dimension (not the 32 of f32, nor the 10 of %arg10).
std::vector<Span> tokens(const std::string &text, char kind) {
  std::vector<Span> spans;
  for (size_t i = 0; i < text.size();) {
    bool number =
        kind == '0' && isDigit(text[i]) &&
        (i == 0 || text[i - 1] == 'x' ||
         (!isNameChar(text[i - 1]) && text[i - 1] != '%' &&
          text[i - 1] != '@' && text[i - 1] != '#'));
    if (number || (kind != '0' && text[i] == kind)) {
      size_t end = i + 1;
      while (end < text.size() &&
             (number ? isDigit(text[end]) : isNameChar(text[end])))
        ++end;
      if (!number || end - i <= 18)
        spans.push_back({i, end});
      i = end;
    } else {
      ++i;
    }
  }
  return spans;
}

/// Text edits that keep a module parseable more often than byte mutations
/// do, so that the stages after the parser see it: an SSA value or symbol
/// replaced by another of the file, a number replaced everywhere it stands
/// alone (shapes stay consistent), a line deleted, duplicated or moved.
std::string mutateText(const std::string &text, std::minstd_rand &rng) {
  switch (rng() % 5) {
  case 0:
  case 1: { // an SSA value or a symbol for another
    std::vector<Span> spans = tokens(text, rng() % 2 ? '%' : '@');
    if (spans.empty())
      return text;
    Span at = spans[rng() % spans.size()], from = spans[rng() % spans.size()];
    return text.substr(0, at.begin) +
           text.substr(from.begin, from.end - from.begin) +
           text.substr(at.end);
  }
  case 2: { // a number, everywhere it stands alone
    std::vector<Span> spans = tokens(text, '0');
    if (spans.empty())
      return text;
    Span pick = spans[rng() % spans.size()];
    std::string old = text.substr(pick.begin, pick.end - pick.begin);
    uint64_t n = std::stoull(old);
    const uint64_t choices[] = {0, 1, 2, 3, n + 1, n * 2, n / 2, 65536,
                                uint64_t(1) << 31, uint64_t(1) << 40};
    std::string now = std::to_string(choices[rng() % 10]);
    std::string out;
    size_t last = 0;
    for (Span s : spans)
      if (text.compare(s.begin, s.end - s.begin, old) == 0) {
        out += text.substr(last, s.begin - last) + now;
        last = s.end;
      }
    return out + text.substr(last);
  }
  default: { // a line deleted, duplicated or moved
    std::vector<std::string> lines;
    for (size_t start = 0; start < text.size();) {
      size_t end = text.find('\n', start);
      end = end == std::string::npos ? text.size() : end + 1;
      lines.push_back(text.substr(start, end - start));
      start = end;
    }
    if (lines.size() < 2)
      return text;
    size_t i = rng() % lines.size(), j = rng() % lines.size();
    switch (rng() % 3) {
    case 0:
      lines.erase(lines.begin() + i);
      break;
    case 1:
      lines.insert(lines.begin() + j, lines[i]);
      break;
    default:
      std::swap(lines[i], lines[j]);
    }
    std::string joined;
    for (const std::string &line : lines)
      joined += line;
    return joined;
  }
  }
}
} // namespace

extern "C" size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size,
                                          size_t maxSize, unsigned seed) {
  std::minstd_rand rng(seed);
  if (rng() % 3 == 0)
    return LLVMFuzzerMutate(data, size, maxSize);
  std::string text =
      mutateText(std::string(reinterpret_cast<char *>(data), size), rng);
  if (text.size() > maxSize)
    return LLVMFuzzerMutate(data, size, maxSize);
  std::copy(text.begin(), text.end(), data);
  return text.size();
}
#endif // DLC_FUZZING_ENGINE

#endif // DLC_TESTS_FUZZ_MLIRTEXTMUTATOR_H
