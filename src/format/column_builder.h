// A ColumnBuilder accumulates the values of one column (of any DataType,
// ROW columns with one child builder per field) in typed vectors, so a
// decoder appends a cell with one push_back and no allocation once the
// vectors have grown. Unlike columnar::Column it can be truncated, which is
// how a decoder drops the cells of a record that turned out malformed.
// Finish() moves the values into a columnar::Column and starts over.
// Not thread-safe; one builder per decoder.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "columnar/column.h"
#include "columnar/types.h"

namespace kappa::format {

class ColumnBuilder {
 public:
  // `path` names the column in error messages ("bid.price" for a field of a
  // ROW column).
  ColumnBuilder(columnar::DataType type, std::string path);

  const columnar::DataType& type() const { return type_; }
  columnar::TypeId id() const { return type_.id(); }
  const std::string& path() const { return path_; }
  size_t size() const { return rows_; }

  // REQUIRES for each: the matching physical type (columnar/types.h).
  void AppendBool(bool v) { Push(u8_, static_cast<uint8_t>(v)); }
  void AppendInt32(int32_t v) { Push(i32_, v); }
  void AppendInt64(int64_t v) { Push(i64_, v); }
  void AppendDouble(double v) { Push(f64_, v); }
  void AppendDecimal(columnar::Int128 v) { Push(dec_, v); }
  void AppendString(std::string_view v) {
    str_.bytes.append(v);
    str_.offsets.push_back(static_cast<uint32_t>(str_.bytes.size()));
    nulls_.push_back(0);
    ++rows_;
  }
  // A ROW value whose children each got one value since size() was last
  // changed. REQUIRES: type is ROW.
  void AppendRowPresent() {
    nulls_.push_back(0);
    ++rows_;
  }
  // NULL of any type; a NULL ROW appends NULL to every child.
  void AppendNull();

  // REQUIRES: type is ROW.
  size_t num_children() const { return children_.size(); }
  ColumnBuilder* child(size_t i) { return children_[i].get(); }

  // Drops the values after the first `rows` (children too).
  // REQUIRES: rows <= size().
  void Truncate(size_t rows);

  // Reserves room for `rows` values (and `string_bytes` bytes of STRING).
  void Reserve(size_t rows, size_t string_bytes = 0);

  // The values so far as a column; the builder starts over, empty.
  columnar::ColumnPtr Finish();

 private:
  template <typename T>
  void Push(std::vector<T>& v, T x) {
    v.push_back(x);
    nulls_.push_back(0);
    ++rows_;
  }
  void AppendNullValue();
  void FinishInto(columnar::Column* out);

  columnar::DataType type_;
  std::string path_;
  size_t rows_ = 0;
  std::vector<uint8_t> nulls_;  // one byte per row, 1 = NULL
  std::vector<uint8_t> u8_;
  std::vector<int32_t> i32_;
  std::vector<int64_t> i64_;
  std::vector<double> f64_;
  std::vector<columnar::Int128> dec_;
  columnar::StringData str_;
  std::vector<std::unique_ptr<ColumnBuilder>> children_;
};

// Builders for every column of a schema, filled one row at a time.
class RowBuilder {
 public:
  explicit RowBuilder(const columnar::Schema& schema);

  const columnar::Schema& schema() const { return schema_; }
  size_t num_columns() const { return columns_.size(); }
  ColumnBuilder* column(size_t i) { return columns_[i].get(); }
  // Rows completed so far (every column has a value for each).
  size_t rows() const { return rows_; }

  // Declares the current row complete. REQUIRES: every column has rows()+1
  // values.
  void CommitRow() { ++rows_; }
  // Drops the values appended to any column since the last CommitRow.
  void RollbackRow();
  void Reserve(size_t rows);

  // The completed rows as columns in schema order; starts over, empty.
  std::vector<columnar::ColumnPtr> Finish();

 private:
  columnar::Schema schema_;
  std::vector<std::unique_ptr<ColumnBuilder>> columns_;
  size_t rows_ = 0;
};

}  // namespace kappa::format
