//===- Lexer.h - tokens of the .dl model language ---------------*- C++ -*-===//

#ifndef DLC_FRONTEND_LEXER_H
#define DLC_FRONTEND_LEXER_H

#include "llvm/ADT/StringRef.h"

#include <cstdint>

namespace dlc {

enum class TokenKind {
  Identifier,
  Integer,
  Float,
  LParen,
  RParen,
  LSquare,
  RSquare,
  Comma,
  Equal,
  Colon,
  Newline,
  EndOfFile,
  Error, // An invalid character or malformed number; spelling says which.
};

struct Token {
  TokenKind kind = TokenKind::EndOfFile;
  llvm::StringRef spelling;
  unsigned line = 0, column = 0;

  bool is(TokenKind k) const { return kind == k; }
  bool isIdentifier(llvm::StringRef name) const {
    return kind == TokenKind::Identifier && spelling == name;
  }
};

/// Splits a model file into tokens. Newlines are tokens because the language
/// has one statement per line; `#` starts a comment that runs to the end of
/// the line.
class Lexer {
public:
  explicit Lexer(llvm::StringRef buffer) : buffer(buffer) {}

  Token next();

private:
  Token make(TokenKind kind, size_t begin);
  Token lexNumber(size_t begin);

  llvm::StringRef buffer;
  size_t pos = 0;
  unsigned line = 1;
  size_t lineStart = 0;
};

} // namespace dlc

#endif // DLC_FRONTEND_LEXER_H
