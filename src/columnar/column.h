// A Column is one column of a Batch: `size()` values of one DataType, stored
// contiguously by physical type (types.h), plus a null map. Columns are built
// by appending and then shared read-only between batches and operators as
// ColumnPtr (shared_ptr<const Column>); a projection that passes a column
// through shares it without copying. Not thread-safe while being built;
// immutable and freely shared afterwards.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "columnar/types.h"
#include "columnar/value.h"

namespace kappa::columnar {

class Column;
using ColumnPtr = std::shared_ptr<const Column>;

// STRING storage: value i is bytes[offsets[i], offsets[i+1]).
struct StringData {
  std::vector<uint32_t> offsets{0};
  std::string bytes;
};

class Column {
 public:
  explicit Column(DataType type);

  const DataType& type() const { return type_; }
  size_t size() const { return size_; }

  // Null map: one byte per row, 1 = NULL. Empty while no row is NULL, so a
  // kernel may test has_nulls() once per column.
  bool has_nulls() const { return !nulls_.empty(); }
  bool IsNull(size_t i) const { return !nulls_.empty() && nulls_[i] != 0; }
  const std::vector<uint8_t>& nulls() const { return nulls_; }
  // Mutable null map, materialised (size() zeros) on first use.
  std::vector<uint8_t>& mutable_nulls();

  // Fixed-width values. T is uint8_t (BOOLEAN), int32_t (INT, DATE), int64_t
  // (BIGINT, TIMESTAMP*, INTERVAL), double, or Int128 (DECIMAL). A NULL row
  // holds an unspecified value of T.
  template <typename T>
  const std::vector<T>& values() const { return std::get<std::vector<T>>(data_); }
  template <typename T>
  std::vector<T>& mutable_values() { return std::get<std::vector<T>>(data_); }

  // STRING values. REQUIRES: type is STRING.
  const StringData& strings() const { return std::get<StringData>(data_); }
  // For builders that fill a STRING column wholesale (then SetSize).
  StringData& mutable_strings() { return std::get<StringData>(data_); }
  std::string_view GetString(size_t i) const {
    const StringData& s = strings();
    return std::string_view(s.bytes).substr(s.offsets[i], s.offsets[i + 1] - s.offsets[i]);
  }

  // ROW children, one per field, each size() long. REQUIRES: type is ROW.
  const std::vector<ColumnPtr>& children() const {
    return std::get<std::vector<ColumnPtr>>(data_);
  }
  // For builders of ROW columns: a child to append to.
  Column* mutable_child(size_t i);

  void Reserve(size_t rows);
  void AppendNull();
  template <typename T>
  void Append(T v) {
    std::get<std::vector<T>>(data_).push_back(v);
    GrowNulls();
  }
  void AppendString(std::string_view v);
  // Slow path for any type; REQUIRES: v's physical type matches (a NULL of
  // any type is accepted).
  void AppendValue(const Value& v);
  // Appends row `row` of `src`, which has this column's type.
  void AppendFrom(const Column& src, size_t row);
  // After setting values directly through mutable_values()/child builders:
  // declares the new row count. REQUIRES: storage holds `rows` values.
  void SetSize(size_t rows);

  Value Get(size_t row) const;

  // A new column of rows[0], rows[1], ... of this one (a gather).
  ColumnPtr Take(std::span<const uint32_t> rows) const;
  // A column of `rows` copies of v.
  static ColumnPtr Constant(const Value& v, size_t rows);

 private:
  using Storage = std::variant<std::vector<uint8_t>, std::vector<int32_t>, std::vector<int64_t>,
                               std::vector<double>, std::vector<Int128>, StringData,
                               std::vector<ColumnPtr>>;
  static Storage MakeStorage(const DataType& type);
  void GrowNulls() {
    ++size_;
    if (!nulls_.empty()) nulls_.push_back(0);
  }

  DataType type_;
  size_t size_ = 0;
  std::vector<uint8_t> nulls_;
  Storage data_;
};

}  // namespace kappa::columnar
