#include "table/avro/schema.h"

#include <map>
#include <set>

namespace kappa::table::avro {
namespace {

constexpr int kMaxSchemaDepth = 64;

const std::map<std::string, Type, std::less<>>& PrimitiveNames() {
  static const auto* names = new std::map<std::string, Type, std::less<>>{
      {"null", Type::kNull},     {"boolean", Type::kBoolean}, {"int", Type::kInt},
      {"long", Type::kLong},     {"float", Type::kFloat},     {"double", Type::kDouble},
      {"bytes", Type::kBytes},   {"string", Type::kString},
  };
  return *names;
}

// Named types seen so far while parsing one schema.
struct ParseContext {
  std::map<std::string, NodePtr, std::less<>> named;
  std::set<std::string, std::less<>> in_progress;
};

std::string FullName(const std::string& name, const std::string& ns) {
  if (name.find('.') != std::string::npos || ns.empty()) return name;
  return ns + "." + name;
}

std::string NamespaceOf(const std::string& full_name) {
  size_t dot = full_name.rfind('.');
  return dot == std::string::npos ? "" : full_name.substr(0, dot);
}

Result<NodePtr> Parse(const Json& j, const std::string& ns, ParseContext* ctx, int depth);

Result<NodePtr> ParseName(const std::string& name, const std::string& ns, ParseContext* ctx) {
  auto prim = PrimitiveNames().find(name);
  if (prim != PrimitiveNames().end()) return Primitive(prim->second);
  for (const std::string& candidate : {FullName(name, ns), name}) {
    if (ctx->in_progress.count(candidate)) {
      return Invalid("avro schema: recursive type {} is not supported", candidate);
    }
    auto it = ctx->named.find(candidate);
    if (it != ctx->named.end()) return it->second;
  }
  return Invalid("avro schema: unknown type name '{}'", name);
}

Result<NodePtr> ParseUnion(const Json& j, const std::string& ns, ParseContext* ctx, int depth) {
  auto node = std::make_shared<Node>();
  node->type = Type::kUnion;
  for (const Json& branch : j) {
    ASSIGN_OR_RETURN(NodePtr b, Parse(branch, ns, ctx, depth + 1));
    if (b->type == Type::kUnion) return Invalid("avro schema: union directly inside a union");
    node->branches.push_back(std::move(b));
  }
  if (node->branches.empty()) return Invalid("avro schema: empty union");
  return NodePtr(std::move(node));
}

Json ExtraProps(const Json& j, std::initializer_list<std::string_view> known) {
  Json props = Json::object();
  for (auto it = j.begin(); it != j.end(); ++it) {
    bool is_known = false;
    for (std::string_view k : known) is_known = is_known || it.key() == k;
    if (!is_known) props[it.key()] = it.value();
  }
  return props;
}

Result<std::string> StringMember(const Json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_string()) return Invalid("avro schema: missing string \"{}\"", key);
  return it->get<std::string>();
}

Result<FieldDef> ParseField(const Json& f, const std::string& ns, ParseContext* ctx, int depth) {
  if (!f.is_object()) return Invalid("avro schema: a record field must be an object");
  FieldDef field;
  ASSIGN_OR_RETURN(field.name, StringMember(f, "name"));
  auto type = f.find("type");
  if (type == f.end()) return Invalid("avro schema: field {} has no type", field.name);
  ASSIGN_OR_RETURN(field.type, Parse(*type, ns, ctx, depth + 1));
  field.props = ExtraProps(f, {"name", "type"});
  return field;
}

Result<NodePtr> ParseRecord(const Json& j, const std::string& ns, ParseContext* ctx, int depth) {
  ASSIGN_OR_RETURN(std::string name, StringMember(j, "name"));
  std::string own_ns = ns;
  if (auto it = j.find("namespace"); it != j.end() && it->is_string()) own_ns = it->get<std::string>();
  auto node = std::make_shared<Node>();
  node->type = Type::kRecord;
  node->name = FullName(name, own_ns);
  auto fields = j.find("fields");
  if (fields == j.end() || !fields->is_array()) return Invalid("avro schema: record {} has no fields", name);
  ctx->in_progress.insert(node->name);
  for (const Json& f : *fields) {
    ASSIGN_OR_RETURN(FieldDef field, ParseField(f, NamespaceOf(node->name), ctx, depth));
    node->fields.push_back(std::move(field));
  }
  ctx->in_progress.erase(node->name);
  node->props = ExtraProps(j, {"type", "name", "namespace", "fields"});
  if (!ctx->named.emplace(node->name, node).second) return Invalid("avro schema: {} defined twice", node->name);
  return NodePtr(std::move(node));
}

Result<NodePtr> ParseFixed(const Json& j, const std::string& ns, ParseContext* ctx) {
  ASSIGN_OR_RETURN(std::string name, StringMember(j, "name"));
  std::string own_ns = ns;
  if (auto it = j.find("namespace"); it != j.end() && it->is_string()) own_ns = it->get<std::string>();
  auto size = j.find("size");
  if (size == j.end() || !size->is_number_unsigned()) return Invalid("avro schema: fixed {} has no size", name);
  auto node = std::make_shared<Node>();
  node->type = Type::kFixed;
  node->name = FullName(name, own_ns);
  node->fixed_size = size->get<size_t>();
  node->props = ExtraProps(j, {"type", "name", "namespace", "size"});
  if (!ctx->named.emplace(node->name, node).second) return Invalid("avro schema: {} defined twice", node->name);
  return NodePtr(std::move(node));
}

Result<NodePtr> ParseComplex(const Json& j, const std::string& ns, ParseContext* ctx, int depth) {
  ASSIGN_OR_RETURN(std::string type, StringMember(j, "type"));
  if (type == "record" || type == "error") return ParseRecord(j, ns, ctx, depth);
  if (type == "fixed") return ParseFixed(j, ns, ctx);
  if (type == "enum") return Unimplemented("avro schema: enum types are not supported");
  if (type == "array" || type == "map") {
    auto child = j.find(type == "array" ? "items" : "values");
    if (child == j.end()) return Invalid("avro schema: {} without its element type", type);
    ASSIGN_OR_RETURN(NodePtr element, Parse(*child, ns, ctx, depth + 1));
    auto node = std::make_shared<Node>();
    node->type = type == "array" ? Type::kArray : Type::kMap;
    (type == "array" ? node->items : node->values) = std::move(element);
    node->props = ExtraProps(j, {"type", "items", "values"});
    return NodePtr(std::move(node));
  }
  // {"type": "long", "logicalType": ...}: a primitive with attributes.
  ASSIGN_OR_RETURN(NodePtr base, ParseName(type, ns, ctx));
  Json props = ExtraProps(j, {"type"});
  if (props.empty()) return base;
  auto node = std::make_shared<Node>(*base);
  node->props = std::move(props);
  return NodePtr(std::move(node));
}

Result<NodePtr> Parse(const Json& j, const std::string& ns, ParseContext* ctx, int depth) {
  if (depth > kMaxSchemaDepth) return Invalid("avro schema: nested deeper than {}", kMaxSchemaDepth);
  if (j.is_string()) return ParseName(j.get<std::string>(), ns, ctx);
  if (j.is_array()) return ParseUnion(j, ns, ctx, depth);
  if (j.is_object()) return ParseComplex(j, ns, ctx, depth);
  return Invalid("avro schema: unexpected JSON {}", j.dump());
}

// Printing: named types are written in full once, then by name.
Json ToJson(const NodePtr& n, std::set<std::string>* defined);

Json WithProps(Json j, const Json& props) {
  for (auto it = props.begin(); it != props.end(); ++it) j[it.key()] = it.value();
  return j;
}

Json RecordToJson(const NodePtr& n, std::set<std::string>* defined) {
  Json fields = Json::array();
  for (const FieldDef& f : n->fields) {
    Json jf = {{"name", f.name}, {"type", ToJson(f.type, defined)}};
    fields.push_back(WithProps(std::move(jf), f.props));
  }
  return WithProps({{"type", "record"}, {"name", n->name}, {"fields", std::move(fields)}}, n->props);
}

Json ToJson(const NodePtr& n, std::set<std::string>* defined) {
  switch (n->type) {
    case Type::kRecord:
    case Type::kFixed:
      if (!defined->insert(n->name).second) return n->name;
      if (n->type == Type::kRecord) return RecordToJson(n, defined);
      return WithProps({{"type", "fixed"}, {"name", n->name}, {"size", n->fixed_size}}, n->props);
    case Type::kArray:
      return WithProps({{"type", "array"}, {"items", ToJson(n->items, defined)}}, n->props);
    case Type::kMap:
      return WithProps({{"type", "map"}, {"values", ToJson(n->values, defined)}}, n->props);
    case Type::kUnion: {
      Json branches = Json::array();
      for (const NodePtr& b : n->branches) branches.push_back(ToJson(b, defined));
      return branches;
    }
    default:
      if (n->props.empty()) return std::string(TypeName(n->type));
      return WithProps({{"type", std::string(TypeName(n->type))}}, n->props);
  }
}

}  // namespace

std::string_view TypeName(Type type) {
  switch (type) {
    case Type::kNull: return "null";
    case Type::kBoolean: return "boolean";
    case Type::kInt: return "int";
    case Type::kLong: return "long";
    case Type::kFloat: return "float";
    case Type::kDouble: return "double";
    case Type::kBytes: return "bytes";
    case Type::kString: return "string";
    case Type::kRecord: return "record";
    case Type::kArray: return "array";
    case Type::kMap: return "map";
    case Type::kUnion: return "union";
    case Type::kFixed: return "fixed";
  }
  return "?";
}

std::optional<int64_t> FieldDef::IntProp(std::string_view key) const {
  auto it = props.find(key);
  if (it == props.end() || !it->is_number_integer()) return std::nullopt;
  return it->get<int64_t>();
}

int Node::FieldIndex(std::string_view field_name) const {
  for (size_t i = 0; i < fields.size(); ++i) {
    if (fields[i].name == field_name) return static_cast<int>(i);
  }
  return -1;
}

bool Node::MayBeEmpty() const {
  switch (type) {
    case Type::kNull: return true;
    case Type::kFixed: return fixed_size == 0;
    case Type::kRecord:
      for (const FieldDef& f : fields) {
        if (!f.type->MayBeEmpty()) return false;
      }
      return true;
    default: return false;
  }
}

NodePtr Primitive(Type type) {
  auto node = std::make_shared<Node>();
  node->type = type;
  return node;
}

NodePtr Optional(NodePtr type) {
  auto node = std::make_shared<Node>();
  node->type = Type::kUnion;
  node->branches = {Primitive(Type::kNull), std::move(type)};
  return node;
}

NodePtr ArrayOf(NodePtr items, Json props) {
  auto node = std::make_shared<Node>();
  node->type = Type::kArray;
  node->items = std::move(items);
  node->props = std::move(props);
  return node;
}

NodePtr MapOf(NodePtr values) {
  auto node = std::make_shared<Node>();
  node->type = Type::kMap;
  node->values = std::move(values);
  return node;
}

NodePtr Fixed(std::string name, size_t size) {
  auto node = std::make_shared<Node>();
  node->type = Type::kFixed;
  node->name = std::move(name);
  node->fixed_size = size;
  return node;
}

NodePtr Record(std::string name, std::vector<FieldDef> fields) {
  auto node = std::make_shared<Node>();
  node->type = Type::kRecord;
  node->name = std::move(name);
  node->fields = std::move(fields);
  return node;
}

FieldDef FieldWithId(std::string name, NodePtr type, int id) {
  FieldDef f{std::move(name), std::move(type)};
  if (id >= 0) f.props["field-id"] = id;
  return f;
}

Result<NodePtr> ParseSchema(std::string_view json_text) {
  Json j = Json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return Invalid("avro schema: not valid JSON");
  return ParseSchemaJson(j);
}

Result<NodePtr> ParseSchemaJson(const Json& json) {
  ParseContext ctx;
  return Parse(json, "", &ctx, 0);
}

Json SchemaToJson(const NodePtr& schema) {
  std::set<std::string> defined;
  return ToJson(schema, &defined);
}

std::string SchemaToString(const NodePtr& schema) { return SchemaToJson(schema).dump(); }

}  // namespace kappa::table::avro
