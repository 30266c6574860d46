// Encoders for sinks: rows of a Batch -> record values (or keys) in Flink's
// 'json' and 'csv' formats, appended to one caller-owned buffer a batch at a
// time. Cell text follows cell_format.h.
//
// JSON: one object per row, fields in schema order, keyed by column name:
// BOOLEAN true/false, integers, DOUBLE as a number (NaN and infinities as
// the strings "NaN", "Infinity", "-Infinity", as Jackson writes them),
// DECIMAL as a plain number, STRING escaped, DATE and TIMESTAMP(_LTZ) as
// strings, ROW as a nested object, NULL as null.
// CSV: one line per row without a line terminator (as Flink's csv writes a
// Kafka value), fields in schema order, NULL as an empty field, a field
// quoted when it holds the delimiter, a quote, CR or LF (quotes doubled),
// and an empty STRING as "" so that it differs from NULL.
//
// Encoders are immutable after construction: thread-safe for concurrent use
// with separate output buffers.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"
#include "columnar/batch.h"
#include "format/cell_format.h"

namespace kappa::format {

struct JsonEncoderOptions {
  TimestampStandard timestamp_standard = TimestampStandard::kSql;
};

class JsonRowEncoder {
 public:
  // Every column of `schema` (the batches' layout), in order.
  explicit JsonRowEncoder(const columnar::Schema& schema, JsonEncoderOptions options = {});
  // Only the columns at `columns` (indices into schema), in that order: the
  // key of an upsert topic is its PRIMARY KEY columns as one object.
  // Fails on an index out of range.
  static Result<JsonRowEncoder> ForColumns(const columnar::Schema& schema,
                                           const std::vector<int>& columns,
                                           JsonEncoderOptions options = {});

  // Appends physical row `row` of `batch` as one JSON object.
  void EncodeRow(const columnar::Batch& batch, uint32_t row, std::string* out) const;
  // Appends every active row; ends gets out->size() after each one (row i
  // is out[ends[i-1] .. ends[i]), with the previous end for i = 0).
  void EncodeBatch(const columnar::Batch& batch, std::string* out,
                   std::vector<size_t>* ends) const;

 private:
  struct Entry {
    int column;
    std::string key;  // `"name":`, with the separating comma for all but the first
  };
  JsonRowEncoder(std::vector<Entry> entries, JsonEncoderOptions options);
  void AppendCell(const columnar::Column& c, uint32_t row, std::string* out) const;
  void AppendRow(const columnar::Column& c, uint32_t row, std::string* out) const;

  std::vector<Entry> entries_;
  JsonEncoderOptions options_;
};

struct CsvEncoderOptions {
  char delimiter = ',';
};

class CsvRowEncoder {
 public:
  // Fails on ROW columns (as CsvColumnDecoder).
  static Result<CsvRowEncoder> Create(const columnar::Schema& schema, CsvEncoderOptions options = {});

  void EncodeRow(const columnar::Batch& batch, uint32_t row, std::string* out) const;
  // As JsonRowEncoder::EncodeBatch.
  void EncodeBatch(const columnar::Batch& batch, std::string* out,
                   std::vector<size_t>* ends) const;

 private:
  explicit CsvRowEncoder(CsvEncoderOptions options) : options_(options) {}
  void AppendCell(const columnar::Column& c, uint32_t row, std::string* out) const;
  void AppendText(std::string_view s, std::string* out) const;

  CsvEncoderOptions options_;
};

}  // namespace kappa::format
