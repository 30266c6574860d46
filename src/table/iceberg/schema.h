// An Iceberg table schema: Kappa's columnar schema with an Iceberg field id on
// every field, nested fields (ROW -> struct) included. Type names follow the
// Iceberg spec: BOOLEAN boolean, INT int, BIGINT long, DOUBLE double,
// DECIMAL(p,s) decimal(p, s), STRING string, DATE date, TIMESTAMP timestamp,
// TIMESTAMP_LTZ timestamptz, ROW struct. Iceberg timestamps are microseconds
// where columnar timestamps are milliseconds: bounds and partition values
// convert (see bounds.h). A Schema is a plain value.
//
// Fresh ids are assigned as Iceberg's Java does: a struct's own fields get
// consecutive ids first, then the fields nested inside them, in order.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "columnar/types.h"
#include "nlohmann/json.hpp"

namespace kappa::table::iceberg {

// Key order is kept, so metadata files read as written.
using Json = nlohmann::ordered_json;

struct NestedField {
  int32_t id = 0;
  std::string name;
  bool required = false;
  columnar::DataType type;
  std::vector<NestedField> children;  // the fields of a ROW, with their ids

  friend bool operator==(const NestedField&, const NestedField&) = default;
};

struct Schema {
  int32_t schema_id = 0;
  std::vector<NestedField> fields;
  std::vector<int32_t> identifier_field_ids;  // PRIMARY KEY columns, may be empty

  // Fresh ids from 1 for every field of `schema` (nullable -> optional).
  // Invalid for a type Iceberg cannot hold (INTERVAL, NULL) or a bad name.
  static Result<Schema> FromColumnar(const columnar::Schema& schema, int32_t schema_id = 0);
  columnar::Schema ToColumnar() const;

  // The field with this id at any depth, or nullptr.
  const NestedField* FindById(int32_t id) const;
  // A top-level field by name, or a nested one by dotted path ("a.b").
  const NestedField* FindByName(std::string_view path) const;
  // The largest id in use (0 when empty).
  int32_t HighestFieldId() const;

  friend bool operator==(const Schema&, const Schema&) = default;
};

// Every field id in depth-first pre-order (a ROW's own id, then its
// children's): the order ParquetWriter::Open takes field ids in.
std::vector<int32_t> PreOrderFieldIds(const Schema& schema);

// "long", "decimal(9, 2)", "timestamptz"; Invalid for ROW (a struct has no
// type name) and for types Iceberg cannot hold.
Result<std::string> PrimitiveTypeName(const columnar::DataType& type);
Result<columnar::DataType> ParsePrimitiveType(std::string_view name);

Json SchemaToJson(const Schema& schema);
Result<Schema> SchemaFromJson(const Json& json);

// Column names Kappa writes: [A-Za-z_][A-Za-z0-9_]* (COMPAT.md).
bool IsPlainName(std::string_view name);

}  // namespace kappa::table::iceberg
