#include "sql/source_error.h"

namespace kappa::sql {

namespace {

bool IsContinuationByte(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

}  // namespace

SourcePosition PositionOf(std::string_view source, size_t offset) {
  SourcePosition pos;
  offset = std::min(offset, source.size());
  for (size_t i = 0; i < offset; ++i) {
    if (source[i] == '\n') {
      ++pos.line;
      pos.column = 1;
    } else if (!IsContinuationByte(source[i])) {
      ++pos.column;
    }
  }
  return pos;
}

std::string FormatSourceError(std::string_view source, size_t offset, std::string_view message) {
  offset = std::min(offset, source.size());
  SourcePosition pos = PositionOf(source, offset);
  size_t newline = offset == 0 ? std::string_view::npos : source.rfind('\n', offset - 1);
  size_t begin = newline == std::string_view::npos ? 0 : newline + 1;
  size_t end = source.find('\n', offset);
  if (end == std::string_view::npos) end = source.size();
  std::string_view line = source.substr(begin, end - begin);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  std::string caret;
  for (size_t i = begin; i < offset && i < end; ++i) {
    if (IsContinuationByte(source[i])) continue;
    caret += source[i] == '\t' ? '\t' : ' ';
  }
  caret += '^';
  return fmt::format("line {}, column {}: {}\n{}\n{}", pos.line, pos.column, message, line, caret);
}

Status SyntaxError(std::string_view source, size_t offset, std::string_view message) {
  return Status(StatusCode::kInvalidArgument, FormatSourceError(source, offset, message));
}

Status Unsupported(std::string_view source, size_t offset, std::string_view feature) {
  return Status(StatusCode::kUnimplemented,
                FormatSourceError(source, offset, fmt::format("unsupported: {}", feature)));
}

}  // namespace kappa::sql
