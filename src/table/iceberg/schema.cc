#include "table/iceberg/schema.h"

#include <algorithm>
#include <cctype>
#include <cstdio>

namespace kappa::table::iceberg {
namespace {

using columnar::DataType;
using columnar::TypeId;

// Gives `fields` consecutive ids after *next, then recurses into structs.
Result<std::vector<NestedField>> AssignIds(const std::vector<columnar::Field>& fields, int32_t* next) {
  std::vector<NestedField> out;
  for (const columnar::Field& f : fields) {
    if (!IsPlainName(f.name)) return Invalid("iceberg: column name '{}' is not [A-Za-z_][A-Za-z0-9_]*", f.name);
    if (f.type.id() != TypeId::kRow) RETURN_IF_ERROR(PrimitiveTypeName(f.type).status());
    out.push_back(NestedField{++*next, f.name, !f.nullable, f.type, {}});
  }
  for (size_t i = 0; i < fields.size(); ++i) {
    if (fields[i].type.id() != TypeId::kRow) continue;
    ASSIGN_OR_RETURN(out[i].children, AssignIds(fields[i].type.fields(), next));
  }
  return out;
}

std::vector<columnar::Field> ToColumnarFields(const std::vector<NestedField>& fields) {
  std::vector<columnar::Field> out;
  for (const NestedField& f : fields) out.push_back({f.name, f.type, !f.required});
  return out;
}

const NestedField* FindIn(const std::vector<NestedField>& fields, int32_t id) {
  for (const NestedField& f : fields) {
    if (f.id == id) return &f;
    if (const NestedField* hit = FindIn(f.children, id)) return hit;
  }
  return nullptr;
}

void PreOrder(const std::vector<NestedField>& fields, std::vector<int32_t>* out) {
  for (const NestedField& f : fields) {
    out->push_back(f.id);
    PreOrder(f.children, out);
  }
}

int32_t HighestIn(const std::vector<NestedField>& fields) {
  int32_t top = 0;
  for (const NestedField& f : fields) top = std::max({top, f.id, HighestIn(f.children)});
  return top;
}

Json FieldsToJson(const std::vector<NestedField>& fields);

Json FieldToJson(const NestedField& f) {
  Json type;
  if (f.type.id() == TypeId::kRow) {
    type = {{"type", "struct"}, {"fields", FieldsToJson(f.children)}};
  } else {
    type = PrimitiveTypeName(f.type).value();
  }
  return {{"id", f.id}, {"name", f.name}, {"required", f.required}, {"type", std::move(type)}};
}

Json FieldsToJson(const std::vector<NestedField>& fields) {
  Json out = Json::array();
  for (const NestedField& f : fields) out.push_back(FieldToJson(f));
  return out;
}

Result<std::vector<NestedField>> FieldsFromJson(const Json& j, int depth);

Result<NestedField> FieldFromJson(const Json& j, int depth) {
  if (!j.is_object() || !j.contains("id") || !j.contains("name") || !j.contains("type")) {
    return Invalid("iceberg schema: a field needs id, name and type");
  }
  NestedField f;
  f.id = j["id"].get<int32_t>();
  f.name = j["name"].get<std::string>();
  f.required = j.value("required", false);
  const Json& type = j["type"];
  if (type.is_string()) {
    ASSIGN_OR_RETURN(f.type, ParsePrimitiveType(type.get<std::string>()));
    return f;
  }
  if (!type.is_object() || type.value("type", "") != "struct") {
    return Unimplemented("iceberg schema: field {} has a type Kappa does not support: {}", f.name, type.dump());
  }
  ASSIGN_OR_RETURN(f.children, FieldsFromJson(type["fields"], depth + 1));
  f.type = DataType::Row(ToColumnarFields(f.children));
  return f;
}

Result<std::vector<NestedField>> FieldsFromJson(const Json& j, int depth) {
  if (depth > 32) return Invalid("iceberg schema: nested too deep");
  if (!j.is_array()) return Invalid("iceberg schema: fields must be an array");
  std::vector<NestedField> out;
  for (const Json& f : j) {
    ASSIGN_OR_RETURN(NestedField field, FieldFromJson(f, depth));
    out.push_back(std::move(field));
  }
  return out;
}

Result<columnar::DataType> ParseDecimal(std::string_view name) {
  int p = 0, s = 0;
  std::string text(name);
  if (std::sscanf(text.c_str(), "decimal(%d,%d)", &p, &s) != 2 &&
      std::sscanf(text.c_str(), "decimal(%d, %d)", &p, &s) != 2) {
    return Invalid("iceberg schema: bad decimal type '{}'", name);
  }
  if (p < 1 || p > 38 || s < 0 || s > p) return Invalid("iceberg schema: bad decimal type '{}'", name);
  return DataType::Decimal(p, s);
}

}  // namespace

bool IsPlainName(std::string_view name) {
  if (name.empty() || std::isdigit(static_cast<unsigned char>(name[0]))) return false;
  return std::all_of(name.begin(), name.end(),
                     [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
}

Result<std::string> PrimitiveTypeName(const columnar::DataType& type) {
  switch (type.id()) {
    case TypeId::kBoolean: return std::string("boolean");
    case TypeId::kInt32: return std::string("int");
    case TypeId::kInt64: return std::string("long");
    case TypeId::kDouble: return std::string("double");
    case TypeId::kDecimal: return fmt::format("decimal({}, {})", type.precision(), type.scale());
    case TypeId::kString: return std::string("string");
    case TypeId::kDate: return std::string("date");
    case TypeId::kTimestamp: return std::string("timestamp");
    case TypeId::kTimestampLtz: return std::string("timestamptz");
    default: return Invalid("iceberg: type {} cannot be stored in a table", type.ToString());
  }
}

Result<columnar::DataType> ParsePrimitiveType(std::string_view name) {
  if (name == "boolean") return DataType::Boolean();
  if (name == "int") return DataType::Int32();
  if (name == "long") return DataType::Int64();
  if (name == "double") return DataType::Double();
  if (name == "string") return DataType::String();
  if (name == "date") return DataType::Date();
  if (name == "timestamp") return DataType::Timestamp();
  if (name == "timestamptz") return DataType::TimestampLtz();
  if (name.starts_with("decimal(")) return ParseDecimal(name);
  return Unimplemented("iceberg schema: type '{}' is not supported", name);
}

Result<Schema> Schema::FromColumnar(const columnar::Schema& schema, int32_t schema_id) {
  int32_t next = 0;
  Schema out;
  out.schema_id = schema_id;
  ASSIGN_OR_RETURN(out.fields, AssignIds(schema.fields(), &next));
  return out;
}

columnar::Schema Schema::ToColumnar() const { return columnar::Schema(ToColumnarFields(fields)); }

const NestedField* Schema::FindById(int32_t id) const { return FindIn(fields, id); }

const NestedField* Schema::FindByName(std::string_view path) const {
  const std::vector<NestedField>* level = &fields;
  const NestedField* found = nullptr;
  while (!path.empty()) {
    size_t dot = path.find('.');
    std::string_view part = path.substr(0, dot);
    found = nullptr;
    for (const NestedField& f : *level) {
      if (f.name == part) found = &f;
    }
    if (found == nullptr) return nullptr;
    level = &found->children;
    path = dot == std::string_view::npos ? std::string_view() : path.substr(dot + 1);
  }
  return found;
}

std::vector<int32_t> PreOrderFieldIds(const Schema& schema) {
  std::vector<int32_t> out;
  PreOrder(schema.fields, &out);
  return out;
}

int32_t Schema::HighestFieldId() const { return HighestIn(fields); }

Json SchemaToJson(const Schema& schema) {
  Json j = {{"type", "struct"}, {"schema-id", schema.schema_id}};
  if (!schema.identifier_field_ids.empty()) j["identifier-field-ids"] = schema.identifier_field_ids;
  j["fields"] = FieldsToJson(schema.fields);
  return j;
}

Result<Schema> SchemaFromJson(const Json& json) {
  try {
    Schema schema;
    schema.schema_id = json.value("schema-id", 0);
    if (json.contains("identifier-field-ids")) {
      schema.identifier_field_ids = json["identifier-field-ids"].get<std::vector<int32_t>>();
    }
    ASSIGN_OR_RETURN(schema.fields, FieldsFromJson(json.value("fields", Json()), 0));
    return schema;
  } catch (const Json::exception& e) {
    return Invalid("iceberg schema: {}", e.what());
  }
}

}  // namespace kappa::table::iceberg
