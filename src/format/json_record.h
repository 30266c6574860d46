// JsonRecordParser validates one JSON text (syntax and UTF-8, with simdjson's
// DOM parser) and reads top-level fields of it: the record key and timestamp
// that producers and `kappa ingest` take from JSON values. One parser is
// reused for every line (it keeps its buffers); views it returns live until
// the next Parse. Not thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"

namespace kappa::format {

class JsonRecordParser {
 public:
  JsonRecordParser();
  ~JsonRecordParser();
  JsonRecordParser(const JsonRecordParser&) = delete;
  JsonRecordParser& operator=(const JsonRecordParser&) = delete;

  // Parses `text`. With padded, ReadBuffer::kPadding readable bytes must
  // follow text (LineReader lines have them) and nothing is copied.
  // Fails with Invalid("invalid JSON: ...").
  Status Parse(std::string_view text, bool padded = true);

  // The field as epoch milliseconds: a string holding an ISO-8601 timestamp
  // or epoch milliseconds, or an integer number of epoch milliseconds.
  // Invalid (naming the field) when it is missing, null or unparsable, or
  // when the value is not an object.
  Result<int64_t> Timestamp(std::string_view field) const;

  // The field as record-key bytes: a string's contents, any other value as
  // its minified JSON text ("42", "true"); nullopt when the field is missing
  // or null. Invalid when the value is not an object.
  Result<std::optional<std::string_view>> Key(std::string_view field);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace kappa::format
