// Conversions between Parquet's physical values and Kappa's in-memory
// representation (columnar/types.h): timestamps are millis in Kappa and
// micros (or millis, nanos, INT96) in Parquet; decimals are Int128.
#pragma once

#include <cstdint>
#include <optional>

#include "columnar/value.h"
#include "table/parquet/schema.h"

namespace kappa::table::parquet {

// Floor division, so pre-1970 instants round down as the epoch arithmetic
// of every engine does.
inline int64_t FloorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

// INT64 timestamp in `conversion`'s unit -> millis.
inline int64_t TimestampToMillis(Conversion conversion, int64_t v) {
  switch (conversion) {
    case Conversion::kTimestampMicros: return FloorDiv(v, 1000);
    case Conversion::kTimestampNanos: return FloorDiv(v, 1000000);
    default: return v;
  }
}

// INT96 (nanos of day LE 8 bytes, Julian day LE 4 bytes) -> millis.
inline int64_t Int96ToMillis(const uint8_t* p) {
  int64_t nanos;
  int32_t julian;
  __builtin_memcpy(&nanos, p, 8);
  __builtin_memcpy(&julian, p + 8, 4);
  constexpr int64_t kJulianEpoch = 2440588;
  return (static_cast<int64_t>(julian) - kJulianEpoch) * 86400000 + FloorDiv(nanos, 1000000);
}

// A physical INT32 / INT64 value of `leaf` as a Kappa Value.
columnar::Value ConvertInt32(const LeafColumn& leaf, int32_t v);
columnar::Value ConvertInt64(const LeafColumn& leaf, int64_t v);

}  // namespace kappa::table::parquet
