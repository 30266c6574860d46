// Writing JSON text into a caller's reusable buffer, and CsvJsonWriter, which
// renders a CSV row as one JSON object keyed by the header's column names:
//
//   empty field                 -> null
//   a value that is a JSON number -> that number, as written
//     (-?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?; so "007", "+1", "1."
//      and "NaN" stay strings)
//   anything else               -> a JSON string
// Quoting does not change the rule: `"42"` and `42` are both 42 (exporters
// that quote every field are common).
//
// Output is valid JSON only for valid UTF-8 input: callers check rows with
// IsValidUtf8 first. Stateless and thread-safe except through the output
// buffers.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "format/csv_reader.h"

namespace kappa::format {

// True when s is a JSON number exactly as written (RFC 8259 grammar).
bool IsJsonNumber(std::string_view s);
// True when s is well-formed UTF-8.
bool IsValidUtf8(std::string_view s);

// Appends s as a quoted JSON string, escaping '"', '\\' and control bytes.
void AppendJsonString(std::string_view s, std::string* out);
// Same for a CSV field's text whose "" pairs stand for one quote.
void AppendJsonStringUnescapingCsv(std::string_view s, std::string* out);

class CsvJsonWriter {
 public:
  // Fails on an empty header or a duplicate column name.
  static Result<CsvJsonWriter> Create(std::vector<std::string> columns);

  size_t column_count() const { return columns_.size(); }
  const std::vector<std::string>& columns() const { return columns_; }
  // Index of a column by name, or -1.
  int IndexOf(std::string_view name) const;

  // Renders {"col1":v1,...} at the start of *buf, which is a scratch buffer
  // reused across rows (grown as needed, never shrunk; bytes past the result
  // are unspecified), and returns the JSON text, valid until *buf changes.
  // REQUIRES: fields.size() == column_count().
  std::string_view Render(std::span<const CsvField> fields, std::string* buf) const;

 private:
  explicit CsvJsonWriter(std::vector<std::string> columns);

  std::vector<std::string> columns_;
  std::vector<std::string> keys_;  // `{"col1":`, `,"col2":`, ... pre-rendered
  size_t keys_bytes_ = 0;
};

// The header row's names (quotes undone, a leading UTF-8 BOM dropped).
std::vector<std::string> HeaderNames(const CsvRow& header);

}  // namespace kappa::format
