// Text -> typed value for one cell: a CSV field, or a JSON string or number
// token that a column of another type reads (Flink's JSON format accepts
// "42" for an INT column). Pure functions of their input, no allocation,
// thread-safe. None of them trims whitespace; callers that want Flink's
// `trim()` call TrimAscii first.
#pragma once

#include <cstdint>
#include <string_view>

#include "columnar/types.h"

namespace kappa::format {

enum class CellError { kOk, kSyntax, kRange };

// Leading and trailing ASCII spaces, tabs, CR and LF removed.
std::string_view TrimAscii(std::string_view s);

// [+-]digits, within the type's range.
CellError ParseInt64Text(std::string_view s, int64_t* out);
CellError ParseInt32Text(std::string_view s, int32_t* out);
// "true" / "false", any case.
bool ParseBoolText(std::string_view s, bool* out);
// A decimal or exponent number, or NaN, Infinity, -Infinity (Java's spelling)
// and the other spellings std::from_chars accepts.
bool ParseDoubleText(std::string_view s, double* out);
// [+-]digits[.digits][(e|E)[+-]digits] (also "1." and ".5") exactly: digits
// beyond `scale` round half up (away from zero), as Flink's
// BigDecimal.setScale(scale, HALF_UP); kRange when the result needs more
// than `precision` digits. Never goes through a double.
CellError ParseDecimalText(std::string_view s, int precision, int scale, columnar::Int128* out);
// "yyyy-MM-dd" with a valid day of that month -> days since 1970-01-01.
bool ParseDateText(std::string_view s, int32_t* days);

}  // namespace kappa::format
