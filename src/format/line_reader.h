// LineReader splits a byte stream into lines (LF or CR LF endings) without
// copying, for JSON-lines input. Each line is a view into the reader's buffer,
// valid until the next call to Next(), with ReadBuffer::kPadding readable
// bytes after it (so simdjson can parse it in place). Line numbers are
// physical, from 1. Not thread-safe.
#pragma once

#include <cstdint>
#include <string_view>

#include "base/status.h"
#include "format/byte_source.h"
#include "format/read_buffer.h"

namespace kappa::format {

struct Line {
  std::string_view text;  // without the line ending
  int64_t number = 0;
};

class LineReader {
 public:
  // `source` must outlive the reader.
  explicit LineReader(ByteSource* source, size_t buffer_size = 1 << 20,
                      size_t max_line_size = 64 << 20);

  // Reads the next line (a last line without LF included); false at the end.
  // Fails on I/O errors and lines longer than max_line_size.
  Result<bool> Next(Line* line);

 private:
  ReadBuffer buf_;
  size_t pos_ = 0;
  int64_t number_ = 0;
};

// s without leading and trailing spaces, tabs and CRs (and a UTF-8 BOM).
std::string_view TrimLine(std::string_view s);

}  // namespace kappa::format
