// JsonColumnDecoder reads record values in Flink's 'json' format straight
// into column builders with simdjson's On-Demand API: one JSON object per
// value, fields matched to the schema by exact (case-sensitive) name, in any
// order. Unknown fields are skipped; a missing field or JSON null is NULL; a
// repeated field keeps its last value (as Jackson does).
//
// Column type <- accepted JSON values (anything else is a wrong type):
//   BOOLEAN            true/false, or a string "true"/"false" (any case)
//   INT, BIGINT        an integer number, or a string holding one
//   DOUBLE             any number, or a string holding one (NaN, Infinity)
//   DECIMAL(p,s)       a number or a string, read exactly from its text
//                      (no double rounding), rounded half up to s digits
//   STRING             a string; a number or boolean as its JSON text; an
//                      object or array as its minified JSON text
//   DATE               a string "yyyy-MM-dd"
//   TIMESTAMP(3)[_LTZ] a string (base/time.h ParseTimestampMillis: SQL
//                      "2024-01-01 12:00:00.123", ISO-8601 "...T...Z",
//                      offsets, epoch millis) or an integer of epoch millis
//   ROW<...>           an object, recursively
//
// Values of unknown fields are skipped by structure, not validated token by
// token (simdjson On-Demand), so `{"id":1,"junk":tru}` decodes; everything
// the schema reads is fully checked, and the whole text is checked for UTF-8.
// Not thread-safe; reuse one decoder per source task.
#pragma once

#include <memory>

#include "format/value_decoder.h"

namespace kappa::format {

struct JsonDecoderOptions {
  // Flink's 'json.ignore-parse-errors': a field of the wrong type or out of
  // range becomes NULL instead of failing the record. Invalid JSON still
  // fails it.
  bool ignore_parse_errors = false;
  // Flink's 'json.fail-on-missing-field': a missing field fails the record
  // (JSON null does not). Ignored when ignore_parse_errors is set.
  bool fail_on_missing_field = false;
};

class JsonColumnDecoder final : public ValueDecoder {
 public:
  // Fails when the schema holds a type JSON cannot carry (INTERVAL, NULL).
  static Result<std::unique_ptr<JsonColumnDecoder>> Create(const columnar::Schema& schema,
                                                           JsonDecoderOptions options = {});
  ~JsonColumnDecoder() override;

  const columnar::Schema& schema() const override;
  Status Decode(std::string_view value, bool padded = false) override;
  size_t rows() const override;
  std::vector<columnar::ColumnPtr> Finish() override;

 private:
  struct Impl;
  explicit JsonColumnDecoder(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace kappa::format
