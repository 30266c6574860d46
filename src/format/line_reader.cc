#include "format/line_reader.h"

#include <cstring>

namespace kappa::format {

LineReader::LineReader(ByteSource* source, size_t buffer_size, size_t max_line_size)
    : buf_(source, buffer_size, max_line_size) {}

Result<bool> LineReader::Next(Line* line) {
  while (true) {
    const char* begin = buf_.data() + pos_;
    size_t left = buf_.size() - pos_;
    const char* lf = static_cast<const char*>(std::memchr(begin, '\n', left));
    if (lf != nullptr || (buf_.eof() && left > 0)) {
      size_t len = lf != nullptr ? static_cast<size_t>(lf - begin) : left;
      pos_ += lf != nullptr ? len + 1 : len;
      if (len > 0 && begin[len - 1] == '\r') --len;
      line->text = std::string_view(begin, len);
      line->number = ++number_;
      return true;
    }
    if (buf_.eof()) return false;
    Result<size_t> got = buf_.Fill(pos_);
    if (!got.ok()) return got.status().WithContext(fmt::format("line {}", number_ + 1));
    pos_ = 0;
  }
}

std::string_view TrimLine(std::string_view s) {
  if (s.starts_with("\xEF\xBB\xBF")) s.remove_prefix(3);
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

}  // namespace kappa::format
