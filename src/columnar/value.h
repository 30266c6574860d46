// A Value is one SQL value of any DataType: literals, group keys in state,
// results of a bounded query, test expectations. It is the row-at-a-time
// counterpart of a Column cell; hot paths work on Columns, not Values.
// A NULL Value still carries its type.
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "columnar/types.h"

namespace kappa::columnar {

class Value {
 public:
  // Payload by physical type (types.h): bool for BOOLEAN; int32_t for INT and
  // DATE; int64_t for BIGINT, TIMESTAMP(_LTZ) and INTERVAL; double; Int128
  // (unscaled) for DECIMAL; std::string for STRING; std::vector<Value> for
  // ROW.
  using Payload = std::variant<std::monostate, bool, int32_t, int64_t, double, Int128,
                               std::string, std::vector<Value>>;

  Value() = default;  // NULL of type NULL
  static Value Null(DataType type) { return Value(std::move(type), std::monostate{}); }
  static Value Boolean(bool v) { return Value(DataType::Boolean(), v); }
  static Value Int32(int32_t v) { return Value(DataType::Int32(), v); }
  static Value Int64(int64_t v) { return Value(DataType::Int64(), v); }
  static Value Double(double v) { return Value(DataType::Double(), v); }
  static Value Decimal(Int128 unscaled, int precision, int scale) {
    return Value(DataType::Decimal(precision, scale), unscaled);
  }
  static Value String(std::string v) { return Value(DataType::String(), std::move(v)); }
  static Value Date(int32_t days) { return Value(DataType::Date(), days); }
  static Value Timestamp(int64_t millis) { return Value(DataType::Timestamp(), millis); }
  static Value TimestampLtz(int64_t millis) { return Value(DataType::TimestampLtz(), millis); }
  static Value Interval(int64_t millis) { return Value(DataType::Interval(), millis); }
  static Value Row(DataType type, std::vector<Value> fields) {
    return Value(std::move(type), std::move(fields));
  }

  Value(DataType type, Payload payload) : type_(std::move(type)), payload_(std::move(payload)) {}

  const DataType& type() const { return type_; }
  bool is_null() const { return std::holds_alternative<std::monostate>(payload_); }
  const Payload& payload() const { return payload_; }

  // REQUIRES: !is_null() and the matching physical type.
  bool boolean() const { return std::get<bool>(payload_); }
  int32_t int32() const { return std::get<int32_t>(payload_); }
  int64_t int64() const { return std::get<int64_t>(payload_); }
  double float64() const { return std::get<double>(payload_); }
  Int128 decimal() const { return std::get<Int128>(payload_); }
  const std::string& string() const { return std::get<std::string>(payload_); }
  const std::vector<Value>& row() const { return std::get<std::vector<Value>>(payload_); }

  // SQL text of the value as Flink prints it: NULL, TRUE, 12.50,
  // 2024-01-02 03:04:05.000, 2024-01-02, strings unquoted.
  std::string ToString() const;

  // Equality and a total order for keys and tests: NULL sorts first; values of
  // different types compare by TypeId. Same-type comparisons are by value.
  friend bool operator==(const Value& a, const Value& b);
  friend bool operator<(const Value& a, const Value& b);
  size_t Hash() const;

 private:
  DataType type_;
  Payload payload_;
};

// Decimal helpers on unscaled Int128 values.
// "12.5" at scale 2 -> 1250; rounding half up beyond `scale` digits.
bool ParseDecimal(std::string_view text, int scale, Int128* out);
std::string FormatDecimal(Int128 unscaled, int scale);
std::string FormatInt128(Int128 v);
// 10^n for 0 <= n <= 38.
Int128 Pow10(int n);

// DATE <-> text ("2024-01-31"), days since 1970-01-01.
bool ParseDate(std::string_view text, int32_t* days);
std::string FormatDate(int32_t days);
// TIMESTAMP(3) text as Flink prints it: "2024-01-31 12:00:00.000".
std::string FormatTimestamp(int64_t millis);

}  // namespace kappa::columnar
