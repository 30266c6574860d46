// The SQL lexer: splits Flink SQL text into tokens. Keywords are not
// distinguished from identifiers here (the parser compares words
// case-insensitively); `backquoted` identifiers keep their exact text and
// are never keywords. Skips whitespace, -- line comments and /* */ comments.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace kappa::sql {

enum class TokenKind : uint8_t {
  kEnd,          // end of input
  kWord,         // identifier or keyword, as written
  kQuotedWord,   // `identifier` (text without the quotes, `` unescaped)
  kString,       // 'text' (text unescaped: '' -> ')
  kInteger,      // 123
  kDecimal,      // 1.5, .5, 1.
  kFloat,        // 1e3, 1.5E-2
  kSymbol,       // ( ) , ; . * + - / % = <> != < <= > >= || [ ] =>
};

struct Token {
  TokenKind kind = TokenKind::kEnd;
  std::string text;
  size_t offset = 0;  // byte offset of the first character in the source
  size_t length = 0;  // bytes in the source (quotes included)
};

// The tokens of `sql`, ending with one kEnd token. Errors (unterminated
// string, comment or quoted identifier; an unexpected character) carry the
// line, column and a caret.
Result<std::vector<Token>> Lex(std::string_view sql);

// How a token is quoted in messages: 'FROM', 'x', end of input.
std::string Describe(const Token& token);

}  // namespace kappa::sql
