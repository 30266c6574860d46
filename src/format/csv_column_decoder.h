// CsvColumnDecoder reads record values in Flink's 'csv' format into column
// builders: one CSV line per record value, fields in schema order, split at
// the delimiter (',' by default); a field may be quoted with '"' ('""' is a
// quote inside it) and then hold delimiters and line breaks. One trailing
// LF or CRLF is ignored.
//
// Cell -> column: an empty field ("" too) is NULL, except for STRING where it
// is "" (as in Flink, which has no null literal by default). Other text is
// trimmed and parsed as in cell_parser.h: BOOLEAN true/false, INT/BIGINT
// integers, DOUBLE numbers, DECIMAL exactly, DATE yyyy-MM-dd, TIMESTAMP(3)
// and TIMESTAMP_LTZ(3) as ParseTimestampMillis (SQL or ISO-8601 text, epoch
// millis). ROW columns are refused (Flink's csv nests rows differently).
//
// Errors name the column and what was found, as JsonColumnDecoder's do.
// Not thread-safe.
#pragma once

#include <memory>

#include "format/column_builder.h"
#include "format/value_decoder.h"

namespace kappa::format {

struct CsvDecoderOptions {
  char delimiter = ',';
  // Flink's 'csv.ignore-parse-errors': a bad field becomes NULL, a missing
  // field NULL, extra fields are dropped. An unterminated quote still fails.
  bool ignore_parse_errors = false;
};

class CsvColumnDecoder final : public ValueDecoder {
 public:
  // Fails on ROW, INTERVAL and NULL columns.
  static Result<std::unique_ptr<CsvColumnDecoder>> Create(const columnar::Schema& schema,
                                                          CsvDecoderOptions options = {});

  const columnar::Schema& schema() const override { return rows_.schema(); }
  Status Decode(std::string_view value, bool padded = false) override;
  size_t rows() const override { return rows_.rows(); }
  std::vector<columnar::ColumnPtr> Finish() override { return rows_.Finish(); }

 private:
  CsvColumnDecoder(const columnar::Schema& schema, CsvDecoderOptions options);

  // Splits off the next field at value[*pos]; its text (quotes undone) is
  // returned, and *pos moves past the delimiter.
  Status NextField(std::string_view value, size_t* pos, std::string_view* field);
  // Appends one cell; an error names the column.
  Status DecodeCell(std::string_view text, ColumnBuilder* b);
  Status DecodeFields(std::string_view value);

  CsvDecoderOptions options_;
  RowBuilder rows_;
  std::string unquoted_;  // a quoted field with "" pairs undone
};

}  // namespace kappa::format
