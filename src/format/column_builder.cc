#include "format/column_builder.h"

#include <algorithm>

namespace kappa::format {

using columnar::TypeId;

ColumnBuilder::ColumnBuilder(columnar::DataType type, std::string path)
    : type_(std::move(type)), path_(std::move(path)) {
  if (type_.id() == TypeId::kRow) {
    for (const columnar::Field& f : type_.fields()) {
      children_.push_back(std::make_unique<ColumnBuilder>(f.type, path_ + "." + f.name));
    }
  }
}

void ColumnBuilder::AppendNullValue() {
  switch (type_.id()) {
    case TypeId::kNull:
    case TypeId::kBoolean: u8_.push_back(0); break;
    case TypeId::kInt32:
    case TypeId::kDate: i32_.push_back(0); break;
    case TypeId::kInt64:
    case TypeId::kTimestamp:
    case TypeId::kTimestampLtz:
    case TypeId::kInterval: i64_.push_back(0); break;
    case TypeId::kDouble: f64_.push_back(0); break;
    case TypeId::kDecimal: dec_.push_back(0); break;
    case TypeId::kString: str_.offsets.push_back(static_cast<uint32_t>(str_.bytes.size())); break;
    case TypeId::kRow:
      for (auto& c : children_) c->AppendNull();
      break;
  }
}

void ColumnBuilder::AppendNull() {
  AppendNullValue();
  nulls_.push_back(1);
  ++rows_;
}

void ColumnBuilder::Truncate(size_t rows) {
  if (rows >= rows_) return;
  rows_ = rows;
  nulls_.resize(rows);
  switch (type_.id()) {
    case TypeId::kNull:
    case TypeId::kBoolean: u8_.resize(rows); break;
    case TypeId::kInt32:
    case TypeId::kDate: i32_.resize(rows); break;
    case TypeId::kInt64:
    case TypeId::kTimestamp:
    case TypeId::kTimestampLtz:
    case TypeId::kInterval: i64_.resize(rows); break;
    case TypeId::kDouble: f64_.resize(rows); break;
    case TypeId::kDecimal: dec_.resize(rows); break;
    case TypeId::kString:
      str_.offsets.resize(rows + 1);
      str_.bytes.resize(str_.offsets.back());
      break;
    case TypeId::kRow:
      for (auto& c : children_) c->Truncate(rows);
      break;
  }
}

void ColumnBuilder::Reserve(size_t rows, size_t string_bytes) {
  nulls_.reserve(rows);
  switch (type_.id()) {
    case TypeId::kNull:
    case TypeId::kBoolean: u8_.reserve(rows); break;
    case TypeId::kInt32:
    case TypeId::kDate: i32_.reserve(rows); break;
    case TypeId::kInt64:
    case TypeId::kTimestamp:
    case TypeId::kTimestampLtz:
    case TypeId::kInterval: i64_.reserve(rows); break;
    case TypeId::kDouble: f64_.reserve(rows); break;
    case TypeId::kDecimal: dec_.reserve(rows); break;
    case TypeId::kString:
      str_.offsets.reserve(rows + 1);
      str_.bytes.reserve(string_bytes);
      break;
    case TypeId::kRow:
      for (auto& c : children_) c->Reserve(rows, string_bytes);
      break;
  }
}

void ColumnBuilder::FinishInto(columnar::Column* out) {
  switch (type_.id()) {
    case TypeId::kNull:
    case TypeId::kBoolean: out->mutable_values<uint8_t>() = std::move(u8_); break;
    case TypeId::kInt32:
    case TypeId::kDate: out->mutable_values<int32_t>() = std::move(i32_); break;
    case TypeId::kInt64:
    case TypeId::kTimestamp:
    case TypeId::kTimestampLtz:
    case TypeId::kInterval: out->mutable_values<int64_t>() = std::move(i64_); break;
    case TypeId::kDouble: out->mutable_values<double>() = std::move(f64_); break;
    case TypeId::kDecimal: out->mutable_values<columnar::Int128>() = std::move(dec_); break;
    case TypeId::kString:
      out->mutable_strings() = std::move(str_);
      str_ = columnar::StringData();
      break;
    case TypeId::kRow:
      for (size_t i = 0; i < children_.size(); ++i) children_[i]->FinishInto(out->mutable_child(i));
      break;
  }
  bool any_null = std::find(nulls_.begin(), nulls_.end(), 1) != nulls_.end();
  if (any_null) out->mutable_nulls() = std::move(nulls_);
  out->SetSize(rows_);
  nulls_.clear();
  u8_.clear();
  i32_.clear();
  i64_.clear();
  f64_.clear();
  dec_.clear();
  rows_ = 0;
}

columnar::ColumnPtr ColumnBuilder::Finish() {
  auto out = std::make_shared<columnar::Column>(type_);
  FinishInto(out.get());
  return out;
}

RowBuilder::RowBuilder(const columnar::Schema& schema) : schema_(schema) {
  for (const columnar::Field& f : schema_.fields()) {
    columns_.push_back(std::make_unique<ColumnBuilder>(f.type, f.name));
  }
}

void RowBuilder::RollbackRow() {
  for (auto& c : columns_) c->Truncate(rows_);
}

void RowBuilder::Reserve(size_t rows) {
  for (auto& c : columns_) c->Reserve(rows, rows * 16);
}

std::vector<columnar::ColumnPtr> RowBuilder::Finish() {
  std::vector<columnar::ColumnPtr> out;
  out.reserve(columns_.size());
  for (auto& c : columns_) out.push_back(c->Finish());
  rows_ = 0;
  return out;
}

}  // namespace kappa::format
