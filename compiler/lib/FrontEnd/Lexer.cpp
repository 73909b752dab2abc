//===- Lexer.cpp - tokens of the .dl model language -----------------------===//

#include "dlc/FrontEnd/Lexer.h"

#include "llvm/ADT/StringExtras.h"

using namespace dlc;

Token Lexer::make(TokenKind kind, size_t begin) {
  Token token;
  token.kind = kind;
  token.spelling = buffer.slice(begin, pos);
  token.line = line;
  token.column = static_cast<unsigned>(begin - lineStart + 1);
  return token;
}

Token Lexer::lexNumber(size_t begin) {
  // Accepts -?digits(.digits)?([eE][+-]?digits)?; anything glued on after
  // (as in "12ab") makes the whole word an error token.
  bool isFloat = false;
  if (buffer[pos] == '-' || buffer[pos] == '+')
    ++pos;
  while (pos < buffer.size() && llvm::isDigit(buffer[pos]))
    ++pos;
  if (pos < buffer.size() && buffer[pos] == '.') {
    isFloat = true;
    ++pos;
    while (pos < buffer.size() && llvm::isDigit(buffer[pos]))
      ++pos;
  }
  if (pos < buffer.size() && (buffer[pos] == 'e' || buffer[pos] == 'E')) {
    size_t save = pos++;
    if (pos < buffer.size() && (buffer[pos] == '+' || buffer[pos] == '-'))
      ++pos;
    if (pos < buffer.size() && llvm::isDigit(buffer[pos])) {
      isFloat = true;
      while (pos < buffer.size() && llvm::isDigit(buffer[pos]))
        ++pos;
    } else {
      pos = save;
    }
  }
  if (pos < buffer.size() &&
      (llvm::isAlnum(buffer[pos]) || buffer[pos] == '_' || buffer[pos] == '.')) {
    while (pos < buffer.size() && (llvm::isAlnum(buffer[pos]) ||
                                   buffer[pos] == '_' || buffer[pos] == '.'))
      ++pos;
    return make(TokenKind::Error, begin);
  }
  return make(isFloat ? TokenKind::Float : TokenKind::Integer, begin);
}

Token Lexer::next() {
  while (pos < buffer.size()) {
    char c = buffer[pos];
    if (c == ' ' || c == '\t' || c == '\r') {
      ++pos;
      continue;
    }
    if (c == '#') {
      while (pos < buffer.size() && buffer[pos] != '\n')
        ++pos;
      continue;
    }
    break;
  }
  size_t begin = pos;
  if (pos >= buffer.size())
    return make(TokenKind::EndOfFile, begin);

  char c = buffer[pos];
  if (c == '\n') {
    ++pos;
    Token token = make(TokenKind::Newline, begin);
    ++line;
    lineStart = pos;
    return token;
  }
  if (llvm::isAlpha(c) || c == '_') {
    while (pos < buffer.size() &&
           (llvm::isAlnum(buffer[pos]) || buffer[pos] == '_'))
      ++pos;
    return make(TokenKind::Identifier, begin);
  }
  bool signedNumber = (c == '-' || c == '+') && pos + 1 < buffer.size() &&
                      (llvm::isDigit(buffer[pos + 1]) || buffer[pos + 1] == '.');
  if (llvm::isDigit(c) || signedNumber ||
      (c == '.' && pos + 1 < buffer.size() && llvm::isDigit(buffer[pos + 1])))
    return lexNumber(begin);

  ++pos;
  switch (c) {
  case '(':
    return make(TokenKind::LParen, begin);
  case ')':
    return make(TokenKind::RParen, begin);
  case '[':
    return make(TokenKind::LSquare, begin);
  case ']':
    return make(TokenKind::RSquare, begin);
  case ',':
    return make(TokenKind::Comma, begin);
  case '=':
    return make(TokenKind::Equal, begin);
  case ':':
    return make(TokenKind::Colon, begin);
  default:
    // Keep a multi-byte UTF-8 character whole so messages can quote it.
    if (static_cast<unsigned char>(c) >= 0xC0)
      while (pos < buffer.size() &&
             (static_cast<unsigned char>(buffer[pos]) & 0xC0) == 0x80)
        ++pos;
    return make(TokenKind::Error, begin);
  }
}
