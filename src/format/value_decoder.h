// A ValueDecoder turns Kafka record values, one at a time, into rows of a
// fixed schema appended to column builders, and hands the rows over as
// columns when asked. The JSON and CSV decoders implement it; RecordDecoder
// drives one over stored record batches. A decoder is reused for every
// record (it keeps its buffers); not thread-safe.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "columnar/column.h"
#include "columnar/types.h"

namespace kappa::format {

// Readable bytes that must follow a value passed with padded = true
// (simdjson reads up to this far past the end of its input).
inline constexpr size_t kValuePadding = 64;

class ValueDecoder {
 public:
  virtual ~ValueDecoder() = default;

  // The physical columns every row has, in order.
  virtual const columnar::Schema& schema() const = 0;

  // Appends one row decoded from `value`. When the record is malformed,
  // appends nothing and returns Invalid with the reason ("invalid JSON at
  // byte 12: ...", "wrong type for column 'id': expected BIGINT, got
  // \"abc\""). With `padded`, kValuePadding readable bytes follow the value
  // (their contents do not matter) and it is parsed in place; otherwise it
  // may be copied first.
  virtual Status Decode(std::string_view value, bool padded = false) = 0;

  // Rows appended since the last Finish.
  virtual size_t rows() const = 0;

  // Rows so far as one column per schema field; the decoder starts over,
  // empty.
  virtual std::vector<columnar::ColumnPtr> Finish() = 0;
};

}  // namespace kappa::format
