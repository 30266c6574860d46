// Error messages that point into SQL text: "line L, column C: message",
// then the source line and a caret under the position. Every error of the
// lexer, parser and binder goes through here so users always see where.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "base/status.h"

namespace kappa::sql {

// 1-based line and column (in characters, not bytes) of `offset` in `source`.
struct SourcePosition {
  int line = 1;
  int column = 1;
};
SourcePosition PositionOf(std::string_view source, size_t offset);

// "line 3, column 15: <message>\n<source line>\n<spaces>^"
std::string FormatSourceError(std::string_view source, size_t offset, std::string_view message);

// kInvalidArgument with the formatted text.
Status SyntaxError(std::string_view source, size_t offset, std::string_view message);
// kUnimplemented: "unsupported: <feature>" at the position.
Status Unsupported(std::string_view source, size_t offset, std::string_view feature);

}  // namespace kappa::sql
