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

enum class Step { kNextField, kEndOfRecord, kNeedMore };

// Scans one record from `begin` in the buffer bytes [begin, end); `eof` says
// no byte follows `end`. Fields go to *row as they are found.
class RecordScanner {
 public:
  RecordScanner(const char* begin, const char* end, bool eof, char delimiter, CsvRow* row)
      : begin_(begin), end_(end), eof_(eof), delimiter_(delimiter), p_(begin), row_(row) {}

  // Scans the whole record; false when the record may continue past `end`.
  bool Scan() {
    row_->fields.clear();
    row_->error = {};
    Step step = Step::kNextField;
    while (step == Step::kNextField) {
      step = (p_ < end_ && *p_ == '"') ? Quoted() : Bare();
    }
    return step == Step::kEndOfRecord;
  }

  const char* next() const { return next_; }  // where the following record starts
  int newlines() const { return newlines_; }  // line endings consumed

 private:
  bool AtLineEnd(const char* p) const {
    return p == end_ || *p == '\n' || (*p == '\r' && (p + 1 == end_ || p[1] == '\n'));
  }

  // Constructs the field in place, with emplace_back inlined: a CsvField
  // built on the stack and copied by an out-of-line emplace_back costs a
  // store-forwarding stall per field (most of the scanning time).
  [[gnu::flatten]] void AddField(std::string_view text, bool quoted, bool escaped) {
    row_->fields.emplace_back(text, quoted, escaped);
  }

  // The record's bytes stop at `stop`; its line ending (if any) is at p.
  Step End(const char* stop, const char* p) {
    row_->raw = std::string_view(begin_, static_cast<size_t>(stop - begin_));
    if (p == end_) {
      next_ = end_;
    } else {
      next_ = std::min(end_, p + (*p == '\r' ? 2 : 1));
      ++newlines_;
    }
    return Step::kEndOfRecord;
  }

  Step Bare() {
    const char* start = p_;
    while (p_ < end_ && *p_ != delimiter_ && *p_ != '\n') ++p_;
    if (p_ == end_ && !eof_) return Step::kNeedMore;
    if (p_ < end_ && *p_ == delimiter_) {
      AddField(std::string_view(start, static_cast<size_t>(p_ - start)), false, false);
      ++p_;
      return Step::kNextField;
    }
    const char* stop = (p_ > start && p_[-1] == '\r') ? p_ - 1 : p_;
    AddField(std::string_view(start, static_cast<size_t>(stop - start)), false, false);
    return End(stop, p_);
  }

  // From the opening quote at p_ to just after the closing one.
  Step Quoted() {
    const char* q = p_ + 1;
    bool escaped = false;
    while (true) {
      q = static_cast<const char*>(std::memchr(q, '"', static_cast<size_t>(end_ - q)));
      if (q == nullptr) {
        if (!eof_) return Step::kNeedMore;
        row_->error = "unterminated quoted field";
        q = end_;
        break;
      }
      if (q + 1 == end_ && !eof_) return Step::kNeedMore;
      if (q + 1 == end_ || q[1] != '"') break;
      escaped = true;  // a "" pair
      q += 2;
    }
    std::string_view text(p_ + 1, static_cast<size_t>(q - p_ - 1));
    newlines_ += static_cast<int>(std::count(text.begin(), text.end(), '\n'));
    AddField(text, true, escaped);
    p_ = q == end_ ? end_ : q + 1;
    return AfterClosingQuote();
  }

  Step AfterClosingQuote() {
    if (p_ < end_ && *p_ == '\r' && p_ + 1 == end_ && !eof_) return Step::kNeedMore;
    if (p_ < end_ && *p_ == delimiter_) {
      ++p_;
      return Step::kNextField;
    }
    if (AtLineEnd(p_)) return End(p_, p_);
    // Text after the closing quote: malformed; resynchronize at the next LF.
    const char* lf = static_cast<const char*>(std::memchr(p_, '\n', static_cast<size_t>(end_ - p_)));
    if (lf == nullptr && !eof_) return Step::kNeedMore;
    if (row_->error.empty()) row_->error = "unexpected character after closing quote";
    const char* stop = lf == nullptr ? end_ : lf;
    if (stop > begin_ && stop[-1] == '\r') --stop;
    return End(stop, lf == nullptr ? end_ : lf);
  }

  const char* const begin_;
  const char* const end_;
  const bool eof_;
  const char delimiter_;
  const char* p_;
  CsvRow* row_;
  const char* next_ = nullptr;
  int newlines_ = 0;
};

}  // namespace

CsvReader::Scan CsvReader::ScanRecord(CsvRow* row, size_t* next, int* newlines) const {
  const char* const base = buf_.data();
  const char* const begin = base + pos_;
  const char* const end = base + buf_.size();
  const bool eof = buf_.eof();
  if (begin == end) return eof ? Scan::kEnd : Scan::kNeedMore;
  if (*begin == '\r' && begin + 1 == end && !eof) return Scan::kNeedMore;
  if (*begin == '\n' || (*begin == '\r' && (begin + 1 == end || begin[1] == '\n'))) {
    *next = static_cast<size_t>(std::min(end, begin + (*begin == '\r' ? 2 : 1)) - base);
    *newlines = 1;
    return Scan::kEmptyLine;
  }
  RecordScanner scanner(begin, end, eof, options_.delimiter, row);
  if (!scanner.Scan()) return Scan::kNeedMore;
  *next = static_cast<size_t>(scanner.next() - base);
  *newlines = scanner.newlines();
  return Scan::kRecord;
}

}  // namespace kappa::format
