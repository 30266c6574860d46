#include "columnar/types.h"

#include "fmt/format.h"

namespace kappa::columnar {

DataType DataType::Decimal(int precision, int scale) {
  DataType t(TypeId::kDecimal);
  t.precision_ = static_cast<int8_t>(precision);
  t.scale_ = static_cast<int8_t>(scale);
  return t;
}

DataType DataType::Row(std::vector<Field> fields) {
  DataType t(TypeId::kRow);
  t.fields_ = std::make_shared<const std::vector<Field>>(std::move(fields));
  return t;
}

bool DataType::IsNumeric() const {
  return id_ == TypeId::kInt32 || id_ == TypeId::kInt64 || id_ == TypeId::kDouble ||
         id_ == TypeId::kDecimal;
}

bool DataType::IsIntegral() const { return id_ == TypeId::kInt32 || id_ == TypeId::kInt64; }

bool DataType::IsTemporal() const {
  return id_ == TypeId::kDate || id_ == TypeId::kTimestamp || id_ == TypeId::kTimestampLtz;
}

std::string DataType::ToString() const {
  switch (id_) {
    case TypeId::kNull: return "NULL";
    case TypeId::kBoolean: return "BOOLEAN";
    case TypeId::kInt32: return "INT";
    case TypeId::kInt64: return "BIGINT";
    case TypeId::kDouble: return "DOUBLE";
    case TypeId::kDecimal: return fmt::format("DECIMAL({}, {})", precision_, scale_);
    case TypeId::kString: return "STRING";
    case TypeId::kDate: return "DATE";
    case TypeId::kTimestamp: return "TIMESTAMP(3)";
    case TypeId::kTimestampLtz: return "TIMESTAMP_LTZ(3)";
    case TypeId::kInterval: return "INTERVAL";
    case TypeId::kRow: {
      std::string out = "ROW<";
      for (size_t i = 0; i < fields_->size(); ++i) {
        if (i > 0) out += ", ";
        out += (*fields_)[i].name + " " + (*fields_)[i].type.ToString();
      }
      return out + ">";
    }
  }
  return "?";
}

bool operator==(const DataType& a, const DataType& b) {
  if (a.id_ != b.id_ || a.precision_ != b.precision_ || a.scale_ != b.scale_) return false;
  if (a.id_ != TypeId::kRow) return true;
  return *a.fields_ == *b.fields_;
}

int Schema::IndexOf(std::string_view name) const {
  for (size_t i = 0; i < fields_.size(); ++i) {
    if (fields_[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

std::string Schema::ToString() const {
  std::string out;
  for (size_t i = 0; i < fields_.size(); ++i) {
    if (i > 0) out += ", ";
    out += fields_[i].name + " " + fields_[i].type.ToString();
    if (!fields_[i].nullable) out += " NOT NULL";
  }
  return out;
}

}  // namespace kappa::columnar
