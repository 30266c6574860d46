#include "columnar/column.h"

#include <cassert>

namespace kappa::columnar {

Column::Storage Column::MakeStorage(const DataType& type) {
  switch (type.id()) {
    case TypeId::kNull:
    case TypeId::kBoolean: return std::vector<uint8_t>();
    case TypeId::kInt32:
    case TypeId::kDate: return std::vector<int32_t>();
    case TypeId::kInt64:
    case TypeId::kTimestamp:
    case TypeId::kTimestampLtz:
    case TypeId::kInterval: return std::vector<int64_t>();
    case TypeId::kDouble: return std::vector<double>();
    case TypeId::kDecimal: return std::vector<Int128>();
    case TypeId::kString: return StringData();
    case TypeId::kRow: {
      std::vector<ColumnPtr> children;
      for (const Field& f : type.fields()) children.push_back(std::make_shared<Column>(f.type));
      return children;
    }
  }
  return std::vector<uint8_t>();
}

Column::Column(DataType type) : type_(std::move(type)), data_(MakeStorage(type_)) {}

std::vector<uint8_t>& Column::mutable_nulls() {
  if (nulls_.empty()) nulls_.assign(size_, 0);
  return nulls_;
}

Column* Column::mutable_child(size_t i) {
  return const_cast<Column*>(std::get<std::vector<ColumnPtr>>(data_)[i].get());
}

void Column::Reserve(size_t rows) {
  std::visit(
      [rows](auto& v) {
        using V = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<V, StringData>) {
          v.offsets.reserve(rows + 1);
        } else if constexpr (!std::is_same_v<V, std::vector<ColumnPtr>>) {
          v.reserve(rows);
        }
      },
      data_);
}

void Column::AppendNull() {
  std::visit(
      [this](auto& v) {
        using V = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<V, StringData>) {
          v.offsets.push_back(static_cast<uint32_t>(v.bytes.size()));
        } else if constexpr (std::is_same_v<V, std::vector<ColumnPtr>>) {
          for (size_t i = 0; i < v.size(); ++i) mutable_child(i)->AppendNull();
        } else {
          v.emplace_back();
        }
      },
      data_);
  mutable_nulls().push_back(1);
  ++size_;
}

void Column::AppendString(std::string_view v) {
  StringData& s = std::get<StringData>(data_);
  s.bytes.append(v);
  s.offsets.push_back(static_cast<uint32_t>(s.bytes.size()));
  GrowNulls();
}

void Column::AppendValue(const Value& v) {
  if (v.is_null()) return AppendNull();
  switch (type_.id()) {
    case TypeId::kNull: return AppendNull();
    case TypeId::kBoolean: return Append<uint8_t>(v.boolean() ? 1 : 0);
    case TypeId::kInt32:
    case TypeId::kDate: return Append<int32_t>(v.int32());
    case TypeId::kInt64:
    case TypeId::kTimestamp:
    case TypeId::kTimestampLtz:
    case TypeId::kInterval: return Append<int64_t>(v.int64());
    case TypeId::kDouble: return Append<double>(v.float64());
    case TypeId::kDecimal: return Append<Int128>(v.decimal());
    case TypeId::kString: return AppendString(v.string());
    case TypeId::kRow: {
      const std::vector<Value>& fields = v.row();
      for (size_t i = 0; i < fields.size(); ++i) mutable_child(i)->AppendValue(fields[i]);
      return GrowNulls();
    }
  }
}

void Column::AppendFrom(const Column& src, size_t row) {
  if (src.IsNull(row)) return AppendNull();
  std::visit(
      [&](auto& v) {
        using V = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<V, StringData>) {
          AppendString(src.GetString(row));
        } else if constexpr (std::is_same_v<V, std::vector<ColumnPtr>>) {
          for (size_t i = 0; i < v.size(); ++i) mutable_child(i)->AppendFrom(*src.children()[i], row);
          GrowNulls();
        } else {
          v.push_back(std::get<V>(src.data_)[row]);
          GrowNulls();
        }
      },
      data_);
}

void Column::SetSize(size_t rows) {
  size_ = rows;
  if (!nulls_.empty()) nulls_.resize(rows, 0);
}

Value Column::Get(size_t row) const {
  if (IsNull(row)) return Value::Null(type_);
  switch (type_.id()) {
    case TypeId::kNull: return Value::Null(type_);
    case TypeId::kBoolean: return Value(type_, values<uint8_t>()[row] != 0);
    case TypeId::kInt32:
    case TypeId::kDate: return Value(type_, values<int32_t>()[row]);
    case TypeId::kInt64:
    case TypeId::kTimestamp:
    case TypeId::kTimestampLtz:
    case TypeId::kInterval: return Value(type_, values<int64_t>()[row]);
    case TypeId::kDouble: return Value(type_, values<double>()[row]);
    case TypeId::kDecimal: return Value(type_, values<Int128>()[row]);
    case TypeId::kString: return Value(type_, std::string(GetString(row)));
    case TypeId::kRow: {
      std::vector<Value> fields;
      for (const ColumnPtr& c : children()) fields.push_back(c->Get(row));
      return Value(type_, std::move(fields));
    }
  }
  return Value::Null(type_);
}

ColumnPtr Column::Take(std::span<const uint32_t> rows) const {
  auto out = std::make_shared<Column>(type_);
  std::visit(
      [&](const auto& v) {
        using V = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<V, StringData>) {
          StringData& d = std::get<StringData>(out->data_);
          d.offsets.reserve(rows.size() + 1);
          for (uint32_t r : rows) {
            d.bytes.append(GetString(r));
            d.offsets.push_back(static_cast<uint32_t>(d.bytes.size()));
          }
        } else if constexpr (std::is_same_v<V, std::vector<ColumnPtr>>) {
          auto& children = std::get<std::vector<ColumnPtr>>(out->data_);
          for (size_t i = 0; i < v.size(); ++i) children[i] = v[i]->Take(rows);
        } else {
          V& d = std::get<V>(out->data_);
          d.resize(rows.size());
          for (size_t i = 0; i < rows.size(); ++i) d[i] = v[rows[i]];
        }
      },
      data_);
  if (has_nulls()) {
    out->nulls_.resize(rows.size());
    for (size_t i = 0; i < rows.size(); ++i) out->nulls_[i] = nulls_[rows[i]];
  }
  out->size_ = rows.size();
  return out;
}

ColumnPtr Column::Constant(const Value& v, size_t rows) {
  auto out = std::make_shared<Column>(v.type());
  out->Reserve(rows);
  for (size_t i = 0; i < rows; ++i) out->AppendValue(v);
  return out;
}

}  // namespace kappa::columnar
