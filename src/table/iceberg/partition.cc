#include "table/iceberg/partition.h"

#include <algorithm>
#include <cctype>

#include "base/time.h"

namespace kappa::table::iceberg {
namespace {

using columnar::DataType;
using columnar::TypeId;
using columnar::Value;

constexpr int64_t kMillisPerHour = 3600 * 1000;
constexpr int64_t kMillisPerDay = 24 * kMillisPerHour;

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

bool IsTimestamp(const DataType& t) {
  return t.id() == TypeId::kTimestamp || t.id() == TypeId::kTimestampLtz;
}

Status CheckTransform(Transform t, const NestedField& source) {
  if (source.type.id() == TypeId::kRow) return Invalid("iceberg: cannot partition by struct {}", source.name);
  if (t == Transform::kHour && !IsTimestamp(source.type)) {
    return Invalid("iceberg: hour() needs a timestamp column, {} is {}", source.name, source.type.ToString());
  }
  if (t == Transform::kDay && !IsTimestamp(source.type) && source.type.id() != TypeId::kDate) {
    return Invalid("iceberg: day() needs a timestamp or date column, {} is {}", source.name,
                   source.type.ToString());
  }
  return OkStatus();
}

std::string DefaultName(const std::string& column, Transform t) {
  if (t == Transform::kIdentity) return column;
  return column + "_" + std::string(TransformName(t));
}

std::string Escape(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-') {
      out.push_back(c);
    } else {
      out += fmt::format("%{:02X}", static_cast<unsigned char>(c));
    }
  }
  return out;
}

std::string PathValue(const Value& v) {
  if (v.is_null()) return "null";
  return v.ToString();
}

std::string DirectionName(SortDirection d) { return d == SortDirection::kAsc ? "asc" : "desc"; }
std::string NullOrderName(NullOrder n) { return n == NullOrder::kNullsFirst ? "nulls-first" : "nulls-last"; }

}  // namespace

std::string_view TransformName(Transform t) {
  switch (t) {
    case Transform::kIdentity: return "identity";
    case Transform::kDay: return "day";
    case Transform::kHour: return "hour";
  }
  return "?";
}

Result<Transform> ParseTransform(std::string_view name) {
  if (name == "identity") return Transform::kIdentity;
  if (name == "day") return Transform::kDay;
  if (name == "hour") return Transform::kHour;
  return Unimplemented("iceberg: transform '{}' is not supported", name);
}

int32_t PartitionSpec::LastFieldId() const {
  int32_t last = kUnpartitionedLastId;
  for (const PartitionField& f : fields) last = std::max(last, f.field_id);
  return last;
}

Result<PartitionSpec> MakePartitionSpec(const Schema& schema, const std::vector<PartitionRequest>& requests,
                                        int32_t spec_id) {
  PartitionSpec spec;
  spec.spec_id = spec_id;
  int32_t next_id = kFirstPartitionFieldId;
  for (const PartitionRequest& r : requests) {
    const NestedField* source = schema.FindByName(r.column);
    if (source == nullptr) return Invalid("iceberg: no column {} to partition by", r.column);
    RETURN_IF_ERROR(CheckTransform(r.transform, *source));
    spec.fields.push_back({source->id, next_id++, DefaultName(r.column, r.transform), r.transform});
  }
  return spec;
}

Result<DataType> PartitionFieldType(const Schema& schema, const PartitionField& field) {
  const NestedField* source = schema.FindById(field.source_id);
  if (source == nullptr) return Invalid("iceberg: partition source field {} not in the schema", field.source_id);
  switch (field.transform) {
    case Transform::kIdentity: return source->type;
    case Transform::kDay: return DataType::Date();
    case Transform::kHour: return DataType::Int32();
  }
  return Internal("unknown transform");
}

Result<Value> ApplyTransform(Transform t, const Value& value) {
  if (t == Transform::kIdentity) return value;
  DataType result = t == Transform::kDay ? DataType::Date() : DataType::Int32();
  if (value.is_null()) return Value::Null(result);
  if (t == Transform::kDay && value.type().id() == TypeId::kDate) return value;
  if (!IsTimestamp(value.type())) return Invalid("iceberg: {} of a {}", TransformName(t), value.type().ToString());
  int64_t unit = t == Transform::kDay ? kMillisPerDay : kMillisPerHour;
  int64_t n = FloorDiv(value.int64(), unit);
  return t == Transform::kDay ? Value::Date(static_cast<int32_t>(n)) : Value::Int32(static_cast<int32_t>(n));
}

std::string PartitionPath(const PartitionSpec& spec, const std::vector<Value>& partition) {
  std::string path;
  for (size_t i = 0; i < spec.fields.size() && i < partition.size(); ++i) {
    if (!path.empty()) path += "/";
    const Value& v = partition[i];
    std::string text = PathValue(v);
    if (spec.fields[i].transform == Transform::kHour && !v.is_null()) {
      int64_t hours = v.int32();
      text = FormatTimestampMillis(hours * kMillisPerHour).substr(0, 13);  // 2024-03-01T12
    }
    path += Escape(spec.fields[i].name) + "=" + Escape(text);
  }
  return path;
}

Json PartitionFieldsToJson(const PartitionSpec& spec) {
  Json fields = Json::array();
  for (const PartitionField& f : spec.fields) {
    fields.push_back({{"name", f.name},
                      {"transform", std::string(TransformName(f.transform))},
                      {"source-id", f.source_id},
                      {"field-id", f.field_id}});
  }
  return fields;
}

Json PartitionSpecToJson(const PartitionSpec& spec) {
  return {{"spec-id", spec.spec_id}, {"fields", PartitionFieldsToJson(spec)}};
}

Result<PartitionSpec> PartitionSpecFromJson(const Json& json) {
  try {
    PartitionSpec spec;
    spec.spec_id = json.at("spec-id").get<int32_t>();
    for (const Json& f : json.at("fields")) {
      ASSIGN_OR_RETURN(Transform t, ParseTransform(f.at("transform").get<std::string>()));
      spec.fields.push_back({f.at("source-id").get<int32_t>(), f.at("field-id").get<int32_t>(),
                             f.at("name").get<std::string>(), t});
    }
    return spec;
  } catch (const Json::exception& e) {
    return Invalid("iceberg partition spec: {}", e.what());
  }
}

Json SortOrderToJson(const SortOrder& order) {
  Json fields = Json::array();
  for (const SortField& f : order.fields) {
    fields.push_back({{"transform", std::string(TransformName(f.transform))},
                      {"source-id", f.source_id},
                      {"direction", DirectionName(f.direction)},
                      {"null-order", NullOrderName(f.null_order)}});
  }
  return {{"order-id", order.order_id}, {"fields", std::move(fields)}};
}

Result<SortOrder> SortOrderFromJson(const Json& json) {
  try {
    SortOrder order;
    order.order_id = json.at("order-id").get<int32_t>();
    for (const Json& f : json.at("fields")) {
      ASSIGN_OR_RETURN(Transform t, ParseTransform(f.at("transform").get<std::string>()));
      SortField field{f.at("source-id").get<int32_t>(), t};
      field.direction = f.value("direction", "asc") == "desc" ? SortDirection::kDesc : SortDirection::kAsc;
      field.null_order = f.value("null-order", "nulls-first") == "nulls-last" ? NullOrder::kNullsLast
                                                                            : NullOrder::kNullsFirst;
      order.fields.push_back(field);
    }
    return order;
  } catch (const Json::exception& e) {
    return Invalid("iceberg sort order: {}", e.what());
  }
}

}  // namespace kappa::table::iceberg
