// CsvReader splits RFC 4180 CSV into records without copying: each field is
// a view into the reader's buffer, valid until the next call to Next().
//
// Grammar accepted (delimiter ',' by default):
//   file   = record *(EOL record) [EOL]        EOL = LF | CRLF
//   record = field *(delimiter field)
//   field  = quoted | bare
//   quoted = '"' *(any byte but '"' | '""') '"'   may span lines
//   bare   = *(any byte but delimiter, '"'-opening, CR LF)
// A quote inside a bare field is kept literally (lenient). Empty lines are
// skipped (they still count as lines). A record that breaks the grammar (text
// after a closing quote, a quote left open at the end of input) is still
// returned, with `error` saying why, so callers can reject it and go on; the
// reader resynchronizes at the next line.
//
// Line numbers are physical, from 1: a record's `line` is the line its first
// byte is on, even when quoted fields before it held newlines.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "format/byte_source.h"
#include "format/read_buffer.h"

namespace kappa::format {

struct CsvField {
  // The field's bytes: for a quoted field, what is between the quotes, with
  // any doubled quote ("") still doubled when `escaped` is set.
  std::string_view text;
  bool quoted = false;
  bool escaped = false;  // text holds "" pairs standing for one quote

  // The field's value with "" turned into ", in *scratch when it must be
  // copied. The result lives as long as the field and *scratch.
  std::string_view Value(std::string* scratch) const;
};

struct CsvRow {
  std::vector<CsvField> fields;
  int64_t line = 0;       // physical line of the record's first byte
  std::string_view raw;   // the record's bytes, without its line ending
  std::string_view error; // empty, or why the record is malformed
};

struct CsvOptions {
  char delimiter = ',';
  size_t buffer_size = 1 << 20;     // initial read window
  size_t max_record_size = 64 << 20;  // a larger record is an error
};

class CsvReader {
 public:
  // `source` must outlive the reader.
  explicit CsvReader(ByteSource* source, CsvOptions options = {});

  // Reads the next record into *row; false at the end of the input. Fails
  // only on I/O errors and records larger than max_record_size.
  Result<bool> Next(CsvRow* row);

  // Physical line number where the next record starts.
  int64_t line() const { return line_; }

 private:
  enum class Scan { kRecord, kEmptyLine, kNeedMore, kEnd };
  // Scans the record at pos_: on kRecord/kEmptyLine, *next is where the
  // following one starts and *newlines the line endings consumed.
  Scan ScanRecord(CsvRow* row, size_t* next, int* newlines) const;

  CsvOptions options_;
  ReadBuffer buf_;
  size_t pos_ = 0;    // start of the next record in buf_
  int64_t line_ = 1;  // its physical line
};

}  // namespace kappa::format
