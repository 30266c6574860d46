// Typed value -> text, appended to a caller's buffer, as Flink's json and
// csv formats write cells. Stateless, thread-safe.
//
//   TIMESTAMP(3)      SQL standard "2024-01-01 12:00:00.123", ISO-8601
//                     "2024-01-01T12:00:00.123"; as Flink's formatter, the
//                     fraction drops trailing zeros ("...:00.1") and is left
//                     out for a whole second ("12:00:00")
//   TIMESTAMP_LTZ(3)  the same in UTC followed by 'Z'
//   DATE              "2024-01-31"
//   DECIMAL           plain digits, never an exponent: "-0.05", "12.50"
//   DOUBLE            shortest text that reads back exactly, with ".0" when
//                     it would look like an integer; NaN, Infinity, -Infinity
#pragma once

#include <cstdint>
#include <string>

#include "columnar/types.h"

namespace kappa::format {

// Flink's 'json.timestamp-format.standard'.
enum class TimestampStandard { kSql, kIso8601 };

void AppendInt(int64_t v, std::string* out);
void AppendDecimal(columnar::Int128 unscaled, int scale, std::string* out);
void AppendDouble(double v, std::string* out);
void AppendDate(int32_t days, std::string* out);
void AppendTimestamp(int64_t millis, TimestampStandard standard, bool utc_zone, std::string* out);

}  // namespace kappa::format
