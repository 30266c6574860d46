// Logical types of Kappa's columnar data: the SQL types a pipeline declares
// (BOOLEAN, INT, BIGINT, DOUBLE, DECIMAL(p,s), STRING, DATE, TIMESTAMP(3),
// TIMESTAMP_LTZ(3), nested ROW) plus the internal INTERVAL type of
// expressions such as `ts - INTERVAL '5' SECOND`. A DataType is a small value;
// ROW fields are shared immutably, so copying one is cheap.
//
// Physical representation (see column.h):
//   BOOLEAN            uint8_t (0 or 1)
//   INT, DATE          int32_t (DATE: days since 1970-01-01)
//   BIGINT             int64_t
//   TIMESTAMP(_LTZ)    int64_t milliseconds since the epoch (UTC for LTZ;
//                      wall-clock time for TIMESTAMP, no zone)
//   INTERVAL           int64_t milliseconds
//   DOUBLE             double
//   DECIMAL(p,s)       __int128 unscaled value (p <= 38)
//   STRING             offsets + bytes (UTF-8)
//   ROW                one child column per field
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace kappa::columnar {

enum class TypeId : uint8_t {
  kNull,  // the type of a bare NULL literal before it is cast
  kBoolean,
  kInt32,
  kInt64,
  kDouble,
  kDecimal,
  kString,
  kDate,
  kTimestamp,
  kTimestampLtz,
  kInterval,
  kRow,
};

using Int128 = __int128;

struct Field;

class DataType {
 public:
  DataType() = default;
  explicit DataType(TypeId id) : id_(id) {}

  static DataType Null() { return DataType(TypeId::kNull); }
  static DataType Boolean() { return DataType(TypeId::kBoolean); }
  static DataType Int32() { return DataType(TypeId::kInt32); }
  static DataType Int64() { return DataType(TypeId::kInt64); }
  static DataType Double() { return DataType(TypeId::kDouble); }
  static DataType String() { return DataType(TypeId::kString); }
  static DataType Date() { return DataType(TypeId::kDate); }
  static DataType Timestamp() { return DataType(TypeId::kTimestamp); }
  static DataType TimestampLtz() { return DataType(TypeId::kTimestampLtz); }
  static DataType Interval() { return DataType(TypeId::kInterval); }
  // REQUIRES: 1 <= precision <= 38, 0 <= scale <= precision.
  static DataType Decimal(int precision, int scale);
  static DataType Row(std::vector<Field> fields);

  TypeId id() const { return id_; }
  int precision() const { return precision_; }
  int scale() const { return scale_; }
  // REQUIRES: id() == kRow.
  const std::vector<Field>& fields() const { return *fields_; }

  bool IsNumeric() const;   // INT, BIGINT, DOUBLE, DECIMAL
  bool IsIntegral() const;  // INT, BIGINT
  bool IsTemporal() const;  // DATE, TIMESTAMP, TIMESTAMP_LTZ

  // Flink SQL spelling: "BIGINT", "DECIMAL(18, 2)", "TIMESTAMP(3)",
  // "ROW<a BIGINT, b STRING>".
  std::string ToString() const;

  friend bool operator==(const DataType& a, const DataType& b);

 private:
  TypeId id_ = TypeId::kNull;
  int8_t precision_ = 0;
  int8_t scale_ = 0;
  std::shared_ptr<const std::vector<Field>> fields_;
};

struct Field {
  std::string name;
  DataType type;
  bool nullable = true;

  friend bool operator==(const Field& a, const Field& b) = default;
};

// An ordered list of named fields: the shape of a Batch or of a table.
// Names are case-sensitive, as in Flink SQL.
class Schema {
 public:
  Schema() = default;
  explicit Schema(std::vector<Field> fields) : fields_(std::move(fields)) {}

  const std::vector<Field>& fields() const { return fields_; }
  const Field& field(size_t i) const { return fields_[i]; }
  size_t size() const { return fields_.size(); }
  // The index of the first field called `name`, or -1.
  int IndexOf(std::string_view name) const;
  void Add(Field field) { fields_.push_back(std::move(field)); }
  std::string ToString() const;

  friend bool operator==(const Schema& a, const Schema& b) = default;

 private:
  std::vector<Field> fields_;
};

}  // namespace kappa::columnar
