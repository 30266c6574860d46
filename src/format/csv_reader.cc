#include "format/csv_reader.h"

#include <algorithm>
#include <cstring>

namespace kappa::format {

std::string_view CsvField::Value(std::string* scratch) const {
  if (!escaped) return text;
  scratch->clear();
  for (size_t i = 0; i < text.size(); ++i) {
    scratch->push_back(text[i]);
    if (text[i] == '"') ++i;  // the second quote of a "" pair
  }
  return *scratch;
}

CsvReader::CsvReader(ByteSource* source, CsvOptions options)
    : options_(options), buf_(source, options.buffer_size, options.max_record_size) {}

Result<bool> CsvReader::Next(CsvRow* row) {
  while (true) {
    size_t next = 0;
    int newlines = 0;
    switch (ScanRecord(row, &next, &newlines)) {
      case Scan::kRecord:
        row->line = line_;
        line_ += newlines;
        pos_ = next;
        return true;
      case Scan::kEmptyLine:
        line_ += newlines;
        pos_ = next;
        break;
      case Scan::kEnd:
        return false;
      case Scan::kNeedMore: {
        Result<size_t> got = buf_.Fill(pos_);
        if (!got.ok()) return got.status().WithContext(fmt::format("line {}", line_));
        pos_ = 0;
        break;
      }
    }
  }
}

namespace {

// Where a record ends: its bytes stop at `stop` (line ending excluded) and
// the next record starts at `next`.
struct RecordEnd {
  const char* stop;
  const char* next;
  int newline;  // 1 if a line ending was consumed, 0 at the end of input
};

// The end of a record whose last field ends at p (at a LF, a CR LF or the
// end of input). REQUIRES: p == end or *p is '\n' or "\r\n" starts at p.
RecordEnd EndAt(const char* p, const char* end) {
  if (p == end) return {p, p, 0};
  if (*p == '\r') return {p, p + 2, 1};
  return {p, p + 1, 1};
}

}  // namespace

// Scans a quoted field starting at p (on its opening quote) up to its closing
// quote; leaves p just after the closing quote, or at `end` for a quote left
// open at the end of input.
CsvReader::Scan CsvReader::ScanQuoted(const char*& p, CsvRow* row, int* newlines) const {
  const char* end = buf_.data() + buf_.size();
  const char* q = p + 1;
  bool escaped = false;
  while (true) {
    q = static_cast<const char*>(std::memchr(q, '"', static_cast<size_t>(end - q)));
    if (q == nullptr) {
      if (!buf_.eof()) return Scan::kNeedMore;
      row->error = "unterminated quoted field";
      q = end;
      break;
    }
    if (q + 1 == end && !buf_.eof()) return Scan::kNeedMore;
    if (q + 1 < end && q[1] == '"') {
      escaped = true;
      q += 2;
      continue;
    }
    break;
  }
  CsvField f{std::string_view(p + 1, static_cast<size_t>(q - p - 1)), true, escaped};
  *newlines += static_cast<int>(std::count(f.text.begin(), f.text.end(), '\n'));
  row->fields.push_back(f);
  p = q == end ? end : q + 1;
  return Scan::kRecord;
}

CsvReader::Scan CsvReader::ScanRecord(CsvRow* row, size_t* next, int* newlines) const {
  const char* const base = buf_.data();
  const char* const begin = base + pos_;
  const char* const end = base + buf_.size();
  const bool eof = buf_.eof();
  if (begin == end) return eof ? Scan::kEnd : Scan::kNeedMore;
  if (*begin == '\r' && begin + 1 == end && !eof) return Scan::kNeedMore;
  if (*begin == '\n' || (*begin == '\r' && (begin + 1 == end || begin[1] == '\n'))) {
    RecordEnd e = EndAt(begin, end);
    *next = static_cast<size_t>(std::min(e.next, end) - base);
    *newlines = 1;
    return Scan::kEmptyLine;
  }
  row->fields.clear();
  row->error = {};
  *newlines = 0;
  const char delim = options_.delimiter;
  const char* p = begin;
  RecordEnd e;
  while (true) {
    if (p < end && *p == '"') {
      if (ScanQuoted(p, row, newlines) == Scan::kNeedMore) return Scan::kNeedMore;
      if (p < end && *p == '\r' && p + 1 == end && !eof) return Scan::kNeedMore;
      if (p < end && *p == delim) {
        ++p;
        continue;
      }
      if (p == end || *p == '\n' || (*p == '\r' && (p + 1 == end || p[1] == '\n'))) {
        e = EndAt(p, end);
        break;
      }
      // Text after the closing quote: malformed; resynchronize at the next LF.
      const char* lf = static_cast<const char*>(std::memchr(p, '\n', static_cast<size_t>(end - p)));
      if (lf == nullptr && !eof) return Scan::kNeedMore;
      if (row->error.empty()) row->error = "unexpected character after closing quote";
      e = lf == nullptr ? RecordEnd{end, end, 0} : RecordEnd{lf, lf + 1, 1};
      if (e.stop > begin && e.stop[-1] == '\r') --e.stop;
      break;
    }
    const char* start = p;
    while (p < end && *p != delim && *p != '\n') ++p;
    if (p == end && !eof) return Scan::kNeedMore;
    if (p < end && *p == delim) {
      row->fields.push_back({std::string_view(start, static_cast<size_t>(p - start))});
      ++p;
      continue;
    }
    const char* stop = (p > start && p[-1] == '\r') ? p - 1 : p;
    row->fields.push_back({std::string_view(start, static_cast<size_t>(stop - start))});
    e = EndAt(p, end);
    e.stop = stop;
    break;
  }
  row->raw = std::string_view(begin, static_cast<size_t>(e.stop - begin));
  *newlines += e.newline;
  *next = static_cast<size_t>(std::min(e.next, end) - base);
  return Scan::kRecord;
}

}  // namespace kappa::format
