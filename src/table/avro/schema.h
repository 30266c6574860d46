// The Avro schema model: a tree of immutable Nodes parsed from, and printed
// as, Avro's JSON schema language. Supported types: null, boolean, int, long,
// float, double, bytes, string, record, array, map, union and fixed (enum is
// refused by name). Attributes Kappa does not interpret (Iceberg's
// "field-id", "element-id", "logicalType", ...) are kept verbatim in `props`
// and printed back. Named types may be referenced by (full) name after their
// definition; a reference shares the defining Node. Nodes are shared
// immutably, so a NodePtr may be read from any thread.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "nlohmann/json.hpp"

namespace kappa::table::avro {

// Key order is kept, so printed schemas read as written.
using Json = nlohmann::ordered_json;

enum class Type : uint8_t {
  kNull,
  kBoolean,
  kInt,
  kLong,
  kFloat,
  kDouble,
  kBytes,
  kString,
  kRecord,
  kArray,
  kMap,
  kUnion,
  kFixed,
};

std::string_view TypeName(Type type);

struct Node;
using NodePtr = std::shared_ptr<const Node>;

struct FieldDef {
  std::string name;
  NodePtr type;
  Json props = Json::object();  // "field-id", "doc", "default", ...

  // The integer attribute `key` (e.g. "field-id"), if present.
  std::optional<int64_t> IntProp(std::string_view key) const;
};

struct Node {
  Type type = Type::kNull;
  std::string name;               // record, fixed: full name
  std::vector<FieldDef> fields;   // record
  NodePtr items;                  // array
  NodePtr values;                 // map
  std::vector<NodePtr> branches;  // union
  size_t fixed_size = 0;          // fixed
  Json props = Json::object();  // extra attributes of the type

  // The index of the record field called `name`, or -1.
  int FieldIndex(std::string_view field_name) const;
  // True when a value of this type may encode to zero bytes (null, empty
  // record, fixed(0)): decoders bound element counts with it.
  bool MayBeEmpty() const;
};

// Builders for the schemas Kappa writes.
NodePtr Primitive(Type type);
NodePtr Optional(NodePtr type);  // ["null", type]
NodePtr ArrayOf(NodePtr items, Json props = Json::object());
NodePtr MapOf(NodePtr values);
NodePtr Fixed(std::string name, size_t size);
NodePtr Record(std::string name, std::vector<FieldDef> fields);
// A record field with an Iceberg "field-id" (omitted when id < 0).
FieldDef FieldWithId(std::string name, NodePtr type, int id);

// Parses a JSON schema text or value. Invalid on anything malformed.
Result<NodePtr> ParseSchema(std::string_view json_text);
Result<NodePtr> ParseSchemaJson(const Json& json);
// Canonical-enough JSON for the schema; named types are defined on first use
// and referenced by name afterwards.
Json SchemaToJson(const NodePtr& schema);
std::string SchemaToString(const NodePtr& schema);

}  // namespace kappa::table::avro
