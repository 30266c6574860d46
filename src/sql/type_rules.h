// Flink's type rules as the binder applies them: DECIMAL precision and scale
// of arithmetic, the common type of compared or merged values, which casts
// are allowed explicitly (CAST) and implicitly (INSERT into a sink column),
// and literal parsing. Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "columnar/types.h"
#include "columnar/value.h"
#include "sql/plan.h"

namespace kappa::sql {

using columnar::DataType;

// The DECIMAL an exact numeric converts to: INT -> DECIMAL(10, 0),
// BIGINT -> DECIMAL(19, 0); a DECIMAL is returned as is.
DataType ToDecimal(const DataType& t);

// Flink's LogicalTypeMerging rules; precision above 38 is cut back keeping
// at least min(scale, 6) fraction digits.
DataType AdjustDecimal(int precision, int scale);
DataType DecimalResult(const std::string& op, const DataType& a, const DataType& b);

// Types of a numeric binary operation: both operands are cast to `operand`
// (unset for DECIMAL operands, which keep their own precision and scale
// after integers are made DECIMAL) and the result is `result`.
struct Arithmetic {
  std::optional<DataType> left, right;  // cast targets, unset = keep
  DataType result;
};
std::optional<Arithmetic> NumericArithmetic(const std::string& op, const DataType& a,
                                            const DataType& b);

// The type both sides of a comparison, the branches of a CASE, the
// arguments of COALESCE or the columns of a UNION ALL are cast to; unset
// when the types are incompatible (STRING and INT).
std::optional<DataType> CommonType(const DataType& a, const DataType& b);

// CAST(x AS to) is allowed.
bool CanCast(const DataType& from, const DataType& to);
// A value of `from` may be written into a column of `to` without a CAST
// (widening numerics, any DECIMAL to DECIMAL, TIMESTAMP <-> TIMESTAMP_LTZ).
bool CanAssign(const DataType& from, const DataType& to);

// `e` as type `t`: e itself when it has that type, a folded literal when
// the conversion is exact, else a CAST call.
ExprPtr CastTo(const ExprPtr& e, const DataType& t);

// Parses 'YYYY-MM-DD[ HH:MM[:SS[.fff]]]' (also with 'T') as milliseconds of
// wall-clock time since the epoch.
bool ParseTimestampText(std::string_view text, int64_t* millis);
// A STRING literal's text as a DATE / TIMESTAMP / TIMESTAMP_LTZ value.
std::optional<columnar::Value> ParseTemporal(std::string_view text, const DataType& t);
// An exact numeric literal's text: INT, BIGINT, or DECIMAL(p, s) when it has
// a fraction or does not fit a BIGINT; unset when beyond DECIMAL(38).
std::optional<columnar::Value> ParseExactNumber(std::string_view text);

}  // namespace kappa::sql
