#include "serve/pgwire/catalog.h"

#include <algorithm>
#include <charconv>
#include <functional>
#include <map>
#include <optional>
#include <regex>

#include "fmt/format.h"
#include "serve/pgwire/sql_text.h"
#include "serve/pgwire/types.h"

namespace kappa::serve::pgwire {
namespace {

using columnar::DataType;
using columnar::Value;

// ---- building results ------------------------------------------------------

struct OutColumn {
  std::string name;
  DataType type;
};

class ResultBuilder {
 public:
  explicit ResultBuilder(std::vector<OutColumn> columns) {
    for (OutColumn& c : columns) schema_.Add({std::move(c.name), c.type, true});
  }
  void Add(std::vector<Value> row) { rows_.push_back(std::move(row)); }
  QueryResult Finish() {
    columnar::BatchBuilder builder(schema_);
    for (const auto& row : rows_) builder.AppendRow(row);
    QueryResult result{schema_, {}, fmt::format("SELECT {}", rows_.size())};
    if (!rows_.empty()) result.batches.push_back(builder.Finish());
    return result;
  }
  const columnar::Schema& schema() const { return schema_; }

 private:
  columnar::Schema schema_;
  std::vector<std::vector<Value>> rows_;
};

Value Text(std::string s) { return Value::String(std::move(s)); }
Value NullText() { return Value::Null(DataType::String()); }
Value Bool(bool b) { return Value::Boolean(b); }
Value Int(int64_t v) { return Value::Int64(v); }

// ---- reading the query -----------------------------------------------------

bool Contains(std::string_view sql, std::string_view part) {
  return sql.find(part) != std::string_view::npos;
}

// Calls fn(i) for each position of `sql` outside parentheses and quotes.
template <typename Fn>
void ForEachTopLevel(std::string_view sql, size_t start, Fn fn) {
  int depth = 0;
  char quote = 0;
  for (size_t i = start; i < sql.size(); ++i) {
    char c = sql[i];
    if (quote != 0) {
      if (c == quote) quote = 0;
      continue;
    }
    if (c == '\'' || c == '"') {
      quote = c;
    } else if (c == '(') {
      ++depth;
    } else if (c == ')') {
      --depth;
    } else if (depth == 0 && !fn(i)) {
      return;
    }
  }
}

// Where the top-level " from " of `sql` starts (npos if none).
size_t TopLevelFrom(std::string_view sql) {
  size_t found = std::string_view::npos;
  ForEachTopLevel(sql, 0, [&](size_t i) {
    if (!sql.substr(i).starts_with(" from ")) return true;
    found = i;
    return false;
  });
  return found;
}

// The select list of `sql` (between the first "select " and the top-level
// " from "), split at top-level commas.
std::vector<std::string> SelectItems(std::string_view sql) {
  std::vector<std::string> items;
  if (!sql.starts_with("select ")) return items;
  std::string_view list = sql.substr(7, TopLevelFrom(sql) - 7);
  size_t begin = 0;
  ForEachTopLevel(list, 0, [&](size_t i) {
    if (list[i] == ',') {
      items.emplace_back(list.substr(begin, i - begin));
      begin = i + 1;
    }
    return true;
  });
  items.emplace_back(list.substr(begin));
  for (std::string& item : items) {
    while (!item.empty() && item.front() == ' ') item.erase(0, 1);
    while (!item.empty() && item.back() == ' ') item.pop_back();
  }
  return items;
}

// The output name of a select item: its alias, else its last identifier.
std::string ItemName(const std::string& item) {
  static const std::regex kAlias(R"re(^.* as "?([^"]+)"?$)re");
  std::smatch m;
  if (std::regex_match(item, m, kAlias)) return m[1].str();
  static const std::regex kLast(R"re(([a-z_][a-z0-9_]*)(?:\(\))?\)*$)re");
  if (std::regex_search(item, m, kLast)) return m[1].str();
  return "?column?";
}

// The regex psql built from a pattern, for `column`: column operator(pg_catalog.~) '^(x)$'.
std::optional<std::regex> PatternFor(std::string_view sql, std::string_view column) {
  std::string needle = std::string(column) + " operator(pg_catalog.~) '";
  size_t pos = sql.find(needle);
  if (pos == std::string_view::npos) {
    needle = std::string(column) + " ~ '";
    pos = sql.find(needle);
  }
  if (pos == std::string_view::npos) return std::nullopt;
  size_t begin = pos + needle.size();
  size_t end = sql.find('\'', begin);
  if (end == std::string_view::npos) return std::nullopt;
  try {
    return std::regex(std::string(sql.substr(begin, end - begin)));
  } catch (const std::regex_error&) {
    return std::regex("$^");  // a pattern we cannot read matches nothing
  }
}

bool Matches(const std::optional<std::regex>& pattern, const std::string& name) {
  return !pattern || std::regex_search(name, *pattern);
}

// The number in "column = 'N'" (not matching inside a longer name such as
// tc.oid for c.oid).
std::optional<int64_t> OidLiteral(std::string_view sql, std::string_view column) {
  std::string escaped;
  for (char c : column) {
    if (c == '.') escaped += '\\';
    escaped += c;
  }
  std::regex pattern("(?:^|[^a-z0-9_.])" + escaped + R"re( = '?(\d+)'?)re");
  std::smatch m;
  std::string text(sql);
  if (!std::regex_search(text, m, pattern)) return std::nullopt;
  int64_t oid = 0;
  std::string digits = m[1].str();
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), oid);
  if (ec != std::errc()) return std::nullopt;
  return oid;
}

const CatalogTable* TableByOid(const CatalogListing& catalog, int64_t oid) {
  for (const CatalogTable& t : catalog.tables) {
    if (TableOid(t) == oid) return &t;
  }
  return nullptr;
}

// ---- session functions: SELECT version(), current_schema(), ... -------------

std::optional<Value> SessionFunction(const std::string& expr, const SessionInfo& s) {
  std::string e = expr;
  if (e.starts_with("pg_catalog.")) e = e.substr(11);
  if (e == "version()") {
    return Text(fmt::format("PostgreSQL {} on x86_64-pc-linux-gnu, compiled by Kappa", s.server_version));
  }
  if (e == "current_schema()" || e == "current_schema") return Text(s.schema);
  if (e == "current_database()" || e == "current_catalog") return Text(s.database);
  if (e == "current_user" || e == "session_user" || e == "user" || e == "current_role") {
    return Text(s.user);
  }
  if (e == "pg_backend_pid()") return Value::Int32(0);
  if (e == "current_schemas(true)" || e == "current_schemas(false)") {
    return Text("{" + s.schema + "}");
  }
  return std::nullopt;
}

struct SessionSelect {
  std::vector<std::pair<std::string, Value>> items;
};

std::optional<SessionSelect> ParseSessionSelect(std::string_view sql, const SessionInfo& s) {
  if (!sql.starts_with("select ") || TopLevelFrom(sql) != std::string_view::npos) return std::nullopt;
  SessionSelect out;
  static const std::regex kItem(R"re(^(.+?)(?: as "?([^"]+)"?)?$)re");
  for (const std::string& item : SelectItems(sql)) {
    std::smatch m;
    if (!std::regex_match(item, m, kItem)) return std::nullopt;
    std::optional<Value> v = SessionFunction(m[1].str(), s);
    if (!v) return std::nullopt;
    std::string name = m[2].matched ? m[2].str() : ItemName(m[1].str());
    out.items.emplace_back(name, *v);
  }
  if (out.items.empty()) return std::nullopt;
  return out;
}

QueryResult AnswerSessionSelect(const SessionSelect& select) {
  std::vector<OutColumn> columns;
  std::vector<Value> row;
  for (const auto& [name, value] : select.items) {
    columns.push_back({name, value.type()});
    row.push_back(value);
  }
  ResultBuilder b(columns);
  b.Add(row);
  return b.Finish();
}

// ---- psql: \dt, \d (list) --------------------------------------------------

// A row value for each alias psql's listing queries use.
Value ListingValue(const std::string& alias, const CatalogTable& t, const SessionInfo& s) {
  if (alias == "Schema") return Text(t.namespace_name);
  if (alias == "Name") return Text(t.name);
  if (alias == "Type") return Text("table");
  if (alias == "Owner") return Text(s.user);
  if (alias == "Persistence") return Text("permanent");
  if (alias == "Access method") return Text("iceberg");
  if (alias == "Size") return Text("");
  return NullText();
}

QueryResult AnswerListRelations(std::string_view sql, const CatalogListing& catalog,
                                const SessionInfo& s) {
  std::vector<std::string> aliases;
  std::vector<OutColumn> columns;
  for (const std::string& item : SelectItems(sql)) {
    aliases.push_back(ItemName(item));
    columns.push_back({aliases.back(), DataType::String()});
  }
  ResultBuilder b(columns);
  // \dt asks for relkind 'r' (and 'p'); \dv, \di, \ds, \dm for others that
  // Kappa does not have. The select list's CASE c.relkind WHEN 'r' ... does
  // not count: only the WHERE's relkind IN (...) list does.
  static const std::regex kKinds(R"re(c\.relkind in \(([^)]*)\))re");
  std::string text(sql);
  std::smatch kinds;
  bool tables_wanted = std::regex_search(text, kinds, kKinds) && Contains(kinds[1].str(), "'r'");
  auto name_pattern = PatternFor(sql, "c.relname");
  auto ns_pattern = PatternFor(sql, "n.nspname");
  for (const CatalogTable& t : catalog.tables) {
    if (!tables_wanted || !Matches(name_pattern, t.name) || !Matches(ns_pattern, t.namespace_name)) {
      continue;
    }
    std::vector<Value> row;
    for (const std::string& alias : aliases) row.push_back(ListingValue(alias, t, s));
    b.Add(row);
  }
  return b.Finish();
}

// ---- psql: \d NAME ---------------------------------------------------------

QueryResult AnswerFindRelation(std::string_view sql, const CatalogListing& catalog) {
  ResultBuilder b({{"oid", DataType::Int64()}, {"nspname", DataType::String()},
                   {"relname", DataType::String()}});
  auto name_pattern = PatternFor(sql, "c.relname");
  auto ns_pattern = PatternFor(sql, "n.nspname");
  for (const CatalogTable& t : catalog.tables) {
    if (Matches(name_pattern, t.name) && Matches(ns_pattern, t.namespace_name)) {
      b.Add({Int(TableOid(t)), Text(t.namespace_name), Text(t.name)});
    }
  }
  return b.Finish();
}

// pg_class columns of an ordinary table without indexes, rules or triggers.
Value RelationValue(const std::string& item) {
  static const std::vector<std::pair<const char*, std::function<Value()>>> kValues = {
      {"relchecks", [] { return Value::Int32(0); }},
      {"relkind", [] { return Text("r"); }},
      {"relhasindex", [] { return Bool(false); }},
      {"relhasrules", [] { return Bool(false); }},
      {"relhastriggers", [] { return Bool(false); }},
      {"relrowsecurity", [] { return Bool(false); }},
      {"relforcerowsecurity", [] { return Bool(false); }},
      {"relhasoids", [] { return Bool(false); }},
      {"relispartition", [] { return Bool(false); }},
      {"reloptions", [] { return Text(""); }},
      {"reltablespace", [] { return Int(0); }},
      {"reloftype", [] { return Text(""); }},
      {"relpersistence", [] { return Text("p"); }},
      {"relreplident", [] { return Text("d"); }},
      {"amname", [] { return Text("iceberg"); }},
  };
  for (const auto& [needle, make] : kValues) {
    if (Contains(item, needle)) return make();
  }
  return NullText();
}

QueryResult AnswerRelationDetails(std::string_view sql, const CatalogListing& catalog) {
  std::vector<std::string> items = SelectItems(sql);
  std::vector<OutColumn> columns;
  std::vector<Value> row;
  for (const std::string& item : items) {
    row.push_back(RelationValue(item));
    columns.push_back({ItemName(item), row.back().type()});
  }
  ResultBuilder b(columns);
  std::optional<int64_t> oid = OidLiteral(sql, "c.oid");
  if (oid && TableByOid(catalog, *oid) != nullptr) b.Add(row);
  return b.Finish();
}

Value AttributeValue(const std::string& item, const CatalogColumn& c) {
  if (Contains(item, "format_type")) return Text(PgTypeFor(c.type).name);
  if (Contains(item, "pg_get_expr") || Contains(item, "collname") || Contains(item, "description")) {
    return NullText();
  }
  if (Contains(item, "attnotnull")) return Bool(!c.nullable);
  if (Contains(item, "attidentity") || Contains(item, "attgenerated") ||
      Contains(item, "attcompression")) {
    return Text("");
  }
  if (Contains(item, "attstorage")) return Text(PgTypeFor(c.type).size < 0 ? "x" : "p");
  if (Contains(item, "attname")) return Text(c.name);
  return NullText();
}

QueryResult AnswerAttributes(std::string_view sql, const CatalogListing& catalog) {
  std::vector<std::string> items = SelectItems(sql);
  std::optional<int64_t> oid = OidLiteral(sql, "a.attrelid");
  const CatalogTable* table = oid ? TableByOid(catalog, *oid) : nullptr;
  CatalogColumn sample{"x", DataType::String(), true};
  std::vector<OutColumn> columns;
  for (const std::string& item : items) {
    columns.push_back({ItemName(item), AttributeValue(item, sample).type()});
  }
  ResultBuilder b(columns);
  if (table != nullptr) {
    for (const CatalogColumn& c : table->columns) {
      std::vector<Value> row;
      for (const std::string& item : items) row.push_back(AttributeValue(item, c));
      b.Add(row);
    }
  }
  return b.Finish();
}

// ---- psql: \dn, \l ---------------------------------------------------------

QueryResult AnswerNamespaces(std::string_view sql, const CatalogListing& catalog,
                             const SessionInfo& s) {
  std::vector<std::string> aliases;
  std::vector<OutColumn> columns;
  for (const std::string& item : SelectItems(sql)) {
    aliases.push_back(ItemName(item));
    columns.push_back({aliases.back(), DataType::String()});
  }
  ResultBuilder b(columns);
  auto pattern = PatternFor(sql, "n.nspname");
  for (const std::string& ns : catalog.namespaces) {
    if (!Matches(pattern, ns)) continue;
    std::vector<Value> row;
    for (const std::string& alias : aliases) {
      row.push_back(alias == "Name" ? Text(ns) : alias == "Owner" ? Text(s.user) : NullText());
    }
    b.Add(row);
  }
  return b.Finish();
}

QueryResult AnswerDatabases(std::string_view sql, const SessionInfo& s) {
  static const std::map<std::string, std::string> kValues = {
      {"Encoding", "UTF8"}, {"Collate", "C"}, {"Ctype", "C"}, {"Locale Provider", "libc"}};
  std::vector<OutColumn> columns;
  std::vector<Value> row;
  for (const std::string& item : SelectItems(sql)) {
    std::string alias = ItemName(item);
    columns.push_back({alias, DataType::String()});
    auto it = kValues.find(alias);
    if (alias == "Name") {
      row.push_back(Text(s.database));
    } else if (alias == "Owner") {
      row.push_back(Text(s.user));
    } else {
      row.push_back(it == kValues.end() ? NullText() : Text(it->second));
    }
  }
  ResultBuilder b(columns);
  if (PatternFor(sql, "d.datname") == std::nullopt || Matches(PatternFor(sql, "d.datname"), s.database)) {
    b.Add(row);
  }
  return b.Finish();
}

// ---- catalogs that are always empty in Kappa -------------------------------

// psql's footers of \d NAME ask for policies, statistics objects,
// publications, inheritance, triggers, indexes and constraints: Kappa tables
// have none of these, so each such query has no rows.
bool ReadsEmptyCatalog(std::string_view sql) {
  static const char* kEmpty[] = {"pg_catalog.pg_policy", "pg_catalog.pg_statistic_ext",
                                 "pg_catalog.pg_publication", "pg_catalog.pg_inherits",
                                 "pg_catalog.pg_trigger", "pg_catalog.pg_index",
                                 "pg_catalog.pg_constraint", "pg_catalog.pg_rewrite"};
  size_t from = TopLevelFrom(sql);
  if (from == std::string_view::npos) return false;
  std::string_view clause = sql.substr(from + 6);
  size_t end = clause.find(" where ");
  clause = clause.substr(0, end);
  if (Contains(clause, " left join ")) clause = clause.substr(0, clause.find(" left join "));
  for (const char* name : kEmpty) {
    if (Contains(clause, name)) return true;
  }
  return false;
}

QueryResult EmptyResult(std::string_view sql) {
  std::vector<OutColumn> columns;
  for (const std::string& item : SelectItems(sql)) columns.push_back({ItemName(item), DataType::String()});
  return ResultBuilder(columns).Finish();
}


// ---- information_schema.tables / columns / schemata ------------------------
//
// Simple SELECTs only: a select list of columns (or *), optionally
// qualified and aliased; WHERE of conjunctions of `col = literal`,
// `col <> literal` and `col [NOT] IN (literals)`; ORDER BY columns [ASC|DESC];
// LIMIT n. Anything else is refused.

using InfoRow = std::map<std::string, Value>;

struct InfoRelation {
  std::vector<OutColumn> columns;
  std::vector<InfoRow> rows;
};

// information_schema.columns.data_type: the type name without its modifier.
std::string InfoDataType(const DataType& type) {
  std::string name = PgTypeFor(type).name;
  size_t open = name.find('(');
  if (open == std::string::npos) return name;
  size_t close = name.find(')', open);
  std::string out = name.substr(0, open) + name.substr(close + 1);
  return out;
}

std::string UdtName(const DataType& type) {
  switch (PgTypeFor(type).oid) {
    case kBoolOid: return "bool";
    case kInt4Oid: return "int4";
    case kInt8Oid: return "int8";
    case kFloat8Oid: return "float8";
    case kNumericOid: return "numeric";
    case kDateOid: return "date";
    case kTimestampOid: return "timestamp";
    case kTimestamptzOid: return "timestamptz";
    case kIntervalOid: return "interval";
    default: return "text";
  }
}

std::optional<InfoRelation> InfoSchemaRelation(std::string_view name, const CatalogListing& catalog,
                                               const SessionInfo& s) {
  InfoRelation r;
  auto text = [](const char* n) { return OutColumn{n, DataType::String()}; };
  if (name == "tables") {
    r.columns = {text("table_catalog"), text("table_schema"), text("table_name"), text("table_type"),
                 text("is_insertable_into"), text("is_typed")};
    for (const CatalogTable& t : catalog.tables) {
      r.rows.push_back({{"table_catalog", Text(s.database)}, {"table_schema", Text(t.namespace_name)},
                        {"table_name", Text(t.name)}, {"table_type", Text("BASE TABLE")},
                        {"is_insertable_into", Text("NO")}, {"is_typed", Text("NO")}});
    }
  } else if (name == "columns") {
    r.columns = {text("table_catalog"), text("table_schema"), text("table_name"), text("column_name"),
                 {"ordinal_position", DataType::Int32()}, text("column_default"), text("is_nullable"),
                 text("data_type"), {"character_maximum_length", DataType::Int32()},
                 {"numeric_precision", DataType::Int32()}, {"numeric_scale", DataType::Int32()},
                 {"datetime_precision", DataType::Int32()}, text("udt_name")};
    for (const CatalogTable& t : catalog.tables) {
      int32_t position = 0;
      for (const CatalogColumn& c : t.columns) {
        ++position;
        Value null_int = Value::Null(DataType::Int32());
        Value precision = null_int, scale = null_int, datetime = null_int;
        switch (c.type.id()) {
          case columnar::TypeId::kInt32: precision = Value::Int32(32); scale = Value::Int32(0); break;
          case columnar::TypeId::kInt64: precision = Value::Int32(64); scale = Value::Int32(0); break;
          case columnar::TypeId::kDouble: precision = Value::Int32(53); break;
          case columnar::TypeId::kDecimal:
            precision = Value::Int32(c.type.precision());
            scale = Value::Int32(c.type.scale());
            break;
          case columnar::TypeId::kDate: datetime = Value::Int32(0); break;
          case columnar::TypeId::kTimestamp:
          case columnar::TypeId::kTimestampLtz: datetime = Value::Int32(3); break;
          default: break;
        }
        r.rows.push_back({{"table_catalog", Text(s.database)}, {"table_schema", Text(t.namespace_name)},
                          {"table_name", Text(t.name)}, {"column_name", Text(c.name)},
                          {"ordinal_position", Value::Int32(position)}, {"column_default", NullText()},
                          {"is_nullable", Text(c.nullable ? "YES" : "NO")},
                          {"data_type", Text(InfoDataType(c.type))},
                          {"character_maximum_length", null_int}, {"numeric_precision", precision},
                          {"numeric_scale", scale}, {"datetime_precision", datetime},
                          {"udt_name", Text(UdtName(c.type))}});
      }
    }
  } else if (name == "schemata") {
    r.columns = {text("catalog_name"), text("schema_name"), text("schema_owner")};
    for (const std::string& ns : catalog.namespaces) {
      r.rows.push_back({{"catalog_name", Text(s.database)}, {"schema_name", Text(ns)},
                        {"schema_owner", Text(s.user)}});
    }
  } else {
    return std::nullopt;
  }
  return r;
}

// "t.col" -> "col"; quotes dropped.
std::string BareColumn(std::string_view item) {
  std::string out(item);
  size_t dot = out.rfind('.');
  if (dot != std::string::npos) out = out.substr(dot + 1);
  if (out.size() >= 2 && out.front() == '"' && out.back() == '"') out = out.substr(1, out.size() - 2);
  return out;
}

// A literal of a WHERE condition as the value it compares with.
std::optional<std::string> LiteralText(std::string_view lit) {
  std::string l(lit);
  while (!l.empty() && l.back() == ' ') l.pop_back();
  while (!l.empty() && l.front() == ' ') l.erase(0, 1);
  if (l.size() >= 2 && l.front() == '\'' && l.back() == '\'') {
    std::string out;
    for (size_t i = 1; i + 1 < l.size(); ++i) {
      out.push_back(l[i]);
      if (l[i] == '\'' && l[i + 1] == '\'') ++i;
    }
    return out;
  }
  static const std::regex kNumber(R"re(-?\d+)re");
  if (std::regex_match(l, kNumber)) return l;
  return std::nullopt;
}

std::string CellText(const Value& v) { return v.is_null() ? std::string() : v.ToString(); }

Result<QueryResult> AnswerInformationSchema(std::string_view sql, const CatalogListing& catalog,
                                            const SessionInfo& s) {
  static const std::regex kShape(
      R"re(^select (.+?) from information_schema\.([a-z_]+)(?: (?:as )?[a-z_]+)?(?: where (.+?))?(?: order by (.+?))?(?: limit (\d+))?$)re");
  std::string text(sql);
  std::smatch m;
  if (!std::regex_match(text, m, kShape)) {
    return Unimplemented("catalog query not supported by Kappa: {}", sql.substr(0, 200));
  }
  std::optional<InfoRelation> relation = InfoSchemaRelation(m[2].str(), catalog, s);
  if (!relation) return NotFound("relation \"information_schema.{}\" does not exist", m[2].str());
  auto has_column = [&](const std::string& name) {
    for (const OutColumn& c : relation->columns) {
      if (c.name == name) return true;
    }
    return false;
  };
  // WHERE
  std::vector<std::function<bool(const InfoRow&)>> filters;
  if (m[3].matched) {
    static const std::regex kCompare(R"re(^([a-z_."]+) ?(=|<>|!=) ?('(?:[^']|'')*'|-?\d+)$)re");
    static const std::regex kIn(R"re(^([a-z_."]+) (not )?in \((.+)\)$)re");
    std::string where = m[3].str();
    size_t begin = 0;
    std::vector<std::string> terms;
    while (true) {
      size_t at = where.find(" and ", begin);
      terms.push_back(where.substr(begin, at == std::string::npos ? std::string::npos : at - begin));
      if (at == std::string::npos) break;
      begin = at + 5;
    }
    for (const std::string& term : terms) {
      std::smatch t;
      if (std::regex_match(term, t, kCompare)) {
        std::string column = BareColumn(t[1].str());
        std::optional<std::string> value = LiteralText(t[3].str());
        if (!has_column(column) || !value) return Unimplemented("catalog query condition not supported: {}", term);
        bool equal = t[2].str() == "=";
        filters.push_back([column, v = *value, equal](const InfoRow& row) {
          return (CellText(row.at(column)) == v) == equal && !row.at(column).is_null();
        });
      } else if (std::regex_match(term, t, kIn)) {
        std::string column = BareColumn(t[1].str());
        if (!has_column(column)) return Unimplemented("catalog query condition not supported: {}", term);
        std::vector<std::string> values;
        std::string list = t[3].str();
        size_t b = 0;
        while (true) {
          size_t comma = list.find(',', b);
          std::optional<std::string> v = LiteralText(list.substr(b, comma == std::string::npos ? std::string::npos : comma - b));
          if (!v) return Unimplemented("catalog query condition not supported: {}", term);
          values.push_back(*v);
          if (comma == std::string::npos) break;
          b = comma + 1;
        }
        bool negated = t[2].matched;
        filters.push_back([column, values, negated](const InfoRow& row) {
          if (row.at(column).is_null()) return false;
          bool found = std::find(values.begin(), values.end(), CellText(row.at(column))) != values.end();
          return found != negated;
        });
      } else {
        return Unimplemented("catalog query condition not supported: {}", term);
      }
    }
  }
  std::vector<const InfoRow*> rows;
  for (const InfoRow& row : relation->rows) {
    bool keep = true;
    for (const auto& f : filters) keep = keep && f(row);
    if (keep) rows.push_back(&row);
  }
  // ORDER BY
  if (m[4].matched) {
    std::vector<std::pair<std::string, bool>> keys;  // column, descending
    std::string list = m[4].str();
    size_t b = 0;
    while (true) {
      size_t comma = list.find(',', b);
      std::string key = list.substr(b, comma == std::string::npos ? std::string::npos : comma - b);
      while (!key.empty() && key.front() == ' ') key.erase(0, 1);
      bool desc = false;
      if (key.ends_with(" desc")) {
        desc = true;
        key.resize(key.size() - 5);
      } else if (key.ends_with(" asc")) {
        key.resize(key.size() - 4);
      }
      std::string column = BareColumn(key);
      if (!has_column(column)) return Unimplemented("catalog query ORDER BY not supported: {}", key);
      keys.emplace_back(column, desc);
      if (comma == std::string::npos) break;
      b = comma + 1;
    }
    std::stable_sort(rows.begin(), rows.end(), [&](const InfoRow* a, const InfoRow* b) {
      for (const auto& [column, desc] : keys) {
        const Value& x = a->at(column);
        const Value& y = b->at(column);
        if (x == y) continue;
        return desc ? y < x : x < y;
      }
      return false;
    });
  }
  if (m[5].matched) {
    size_t limit = std::stoul(m[5].str());
    if (rows.size() > limit) rows.resize(limit);
  }
  // SELECT list
  std::vector<std::pair<std::string, std::string>> items;  // output name, column
  std::vector<OutColumn> out_columns;
  if (m[1].str() == "*") {
    for (const OutColumn& c : relation->columns) {
      items.emplace_back(c.name, c.name);
      out_columns.push_back(c);
    }
  } else {
    static const std::regex kItem(R"re(^([a-z_."]+)(?: as "?([^"]+)"?)?$)re");
    for (const std::string& item : SelectItems(sql)) {
      std::smatch im;
      if (!std::regex_match(item, im, kItem)) {
        return Unimplemented("catalog query select item not supported: {}", item);
      }
      std::string column = BareColumn(im[1].str());
      const OutColumn* found = nullptr;
      for (const OutColumn& c : relation->columns) {
        if (c.name == column) found = &c;
      }
      if (found == nullptr) {
        return NotFound("column \"{}\" does not exist in information_schema.{}", column, m[2].str());
      }
      std::string name = im[2].matched ? im[2].str() : column;
      items.emplace_back(name, column);
      out_columns.push_back({name, found->type});
    }
  }
  ResultBuilder b(out_columns);
  for (const InfoRow* row : rows) {
    std::vector<Value> values;
    for (const auto& item : items) values.push_back(row->at(item.second));
    b.Add(values);
  }
  return b.Finish();
}

}  // namespace

std::vector<std::string> PostgresColumnNames(std::string_view sql) {
  std::vector<std::string> names;
  if (!sql.starts_with("select ")) return names;
  std::string rest(sql);
  if (rest.starts_with("select distinct ")) rest = "select " + rest.substr(16);
  if (rest.starts_with("select all ")) rest = "select " + rest.substr(11);
  static const std::regex kAliased(R"re(^.+ as "?[^"]+"?$)re");
  static const std::regex kColumn(R"re(^([a-z_][a-z0-9_$]*\.)?("[^"]+"|[a-z_][a-z0-9_$]*)$)re");
  static const std::regex kCall(R"re(^([a-z_][a-z0-9_]*) ?\()re");
  for (const std::string& item : SelectItems(rest)) {
    std::smatch m;
    if (std::regex_match(item, kAliased) || std::regex_match(item, kColumn) || item == "*" ||
        item.ends_with(".*")) {
      names.emplace_back();
    } else if (std::regex_search(item, m, kCall) && m[1].str() != "cast") {
      names.push_back(m[1].str());
    } else {
      names.emplace_back("?column?");
    }
  }
  return names;
}

int64_t TableOid(const CatalogTable& table) {
  uint32_t h = 2166136261u;  // FNV-1a: stable across runs, unlike std::hash
  for (char c : table.namespace_name + "." + table.name) {
    h = (h ^ static_cast<uint8_t>(c)) * 16777619u;
  }
  return 16384 + static_cast<int64_t>(h % 2'000'000'000u);
}

bool IsCatalogQuery(std::string_view sql) {
  if (Contains(sql, "pg_catalog.") || Contains(sql, "information_schema.")) return true;
  static const std::regex kPgRelation(R"re(\bfrom pg_[a-z_]+\b)re");
  std::string s(sql);
  if (std::regex_search(s, kPgRelation)) return true;
  return sql.starts_with("select ") && !Contains(sql, " from ") &&
         ParseSessionSelect(sql, SessionInfo{}).has_value();
}

Result<QueryResult> AnswerCatalogQuery(std::string_view sql, const CatalogListing& catalog,
                                       const SessionInfo& session) {
  if (auto select = ParseSessionSelect(sql, session)) return AnswerSessionSelect(*select);
  if (Contains(sql, "from pg_catalog.pg_class c") && Contains(sql, "c.relkind in (") &&
      Contains(sql, " as \"Name\"")) {
    return AnswerListRelations(sql, catalog, session);
  }
  if (sql.starts_with("select c.oid, n.nspname, c.relname from pg_catalog.pg_class c")) {
    return AnswerFindRelation(sql, catalog);
  }
  if (Contains(sql, "c.relchecks, c.relkind") && Contains(sql, "from pg_catalog.pg_class c")) {
    return AnswerRelationDetails(sql, catalog);
  }
  if (Contains(sql, "from pg_catalog.pg_attribute a") && Contains(sql, "a.attrelid")) {
    return AnswerAttributes(sql, catalog);
  }
  if (Contains(sql, "from pg_catalog.pg_namespace n") && Contains(sql, " as \"Name\"")) {
    return AnswerNamespaces(sql, catalog, session);
  }
  if (Contains(sql, "from pg_catalog.pg_database d")) return AnswerDatabases(sql, session);
  if (ReadsEmptyCatalog(sql)) return EmptyResult(sql);
  if (Contains(sql, " from information_schema.")) return AnswerInformationSchema(sql, catalog, session);
  return Unimplemented("catalog query not supported by Kappa: {}", sql.substr(0, 200));
}

}  // namespace kappa::serve::pgwire
