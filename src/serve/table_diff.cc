#include "serve/table_diff.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <unordered_map>

#include "engine/source/table_source.h"
#include "engine/table_catalog.h"

namespace kappa::serve {
namespace {

using columnar::Column;
using columnar::TypeId;
using columnar::Value;
using nlohmann::json;

// ---- Reading one table ----

struct Side {
  DiffSide info;
  columnar::Schema schema;
  std::vector<std::string> primary_key;
  std::vector<columnar::Batch> batches;
};

Result<Side> ReadSide(const table::Catalog& catalog, const std::string& name) {
  ASSIGN_OR_RETURN(std::shared_ptr<sql::TableDef> def, engine::ServingTableDef(catalog, name));
  ASSIGN_OR_RETURN(std::unique_ptr<engine::TableScan> scan, engine::TableScan::Open(def, &catalog, {}));
  Side side;
  ASSIGN_OR_RETURN(side.batches, scan->ReadAll());
  side.info.name = name;
  side.info.table = def->Option("kappa.table", name);
  if (scan->snapshot()) side.info.snapshot_id = scan->snapshot()->snapshot_id;
  for (const columnar::Batch& b : side.batches) side.info.rows += static_cast<int64_t>(b.active_rows());
  side.schema = def->physical;
  for (int i : def->primary_key) side.primary_key.push_back(def->physical.field(i).name);
  return side;
}

int FindColumn(const columnar::Schema& schema, const std::string& name) {
  for (size_t i = 0; i < schema.size(); ++i) {
    if (schema.field(i).name == name) return static_cast<int>(i);
  }
  return -1;
}

// ---- Which columns are compared, and the key ----

struct Layout {
  std::vector<int> a_index;  // per compared column
  std::vector<int> b_index;
  std::vector<size_t> key;   // positions among the compared columns
  std::vector<size_t> rest;  // the other compared columns
};

Status ChooseKey(const Side& a, const Side& b, const DiffRequest& request, TableDiff* diff) {
  if (!request.key.empty()) {
    for (const std::string& k : request.key) {
      if (FindColumn(a.schema, k) < 0) return Invalid("key column {} is not a column of {}", k, a.info.name);
      if (FindColumn(b.schema, k) < 0) return Invalid("key column {} is not a column of {}", k, b.info.name);
    }
    diff->key = request.key;
    diff->key_source = "given";
    return OkStatus();
  }
  std::vector<std::string> pk_a = a.primary_key, pk_b = b.primary_key;
  std::sort(pk_a.begin(), pk_a.end());
  std::sort(pk_b.begin(), pk_b.end());
  if (!pk_a.empty() && pk_a == pk_b) {
    diff->key = a.primary_key;
    diff->key_source = "primary key";
  } else {
    diff->key_source = "whole row";
  }
  return OkStatus();
}

Layout MakeLayout(const Side& a, const Side& b, TableDiff* diff) {
  Layout layout;
  std::vector<columnar::Field> fields;
  for (size_t i = 0; i < a.schema.size(); ++i) {
    int j = FindColumn(b.schema, a.schema.field(i).name);
    if (j < 0) {
      diff->columns_only_in_a.push_back(a.schema.field(i).name);
      continue;
    }
    fields.push_back(a.schema.field(i));
    diff->b_types.push_back(b.schema.field(j).type);
    layout.a_index.push_back(static_cast<int>(i));
    layout.b_index.push_back(j);
  }
  for (const columnar::Field& f : b.schema.fields()) {
    if (FindColumn(a.schema, f.name) < 0) diff->columns_only_in_b.push_back(f.name);
  }
  diff->columns = columnar::Schema(fields);
  if (diff->key.empty()) {
    for (const columnar::Field& f : fields) diff->key.push_back(f.name);
  }
  for (size_t c = 0; c < fields.size(); ++c) {
    bool is_key = std::find(diff->key.begin(), diff->key.end(), fields[c].name) != diff->key.end();
    (is_key ? layout.key : layout.rest).push_back(c);
  }
  return layout;
}

// ---- Canonical cell encoding: equal values encode equally, and for most
// types the bytes sort as the values do (for the samples' key order). ----

constexpr uint64_t kSignBit = uint64_t{1} << 63;

void AppendU64(uint64_t v, std::string* out) {
  for (int shift = 56; shift >= 0; shift -= 8) out->push_back(static_cast<char>(v >> shift));
}

void AppendInt(int64_t v, std::string* out) { AppendU64(static_cast<uint64_t>(v) ^ kSignBit, out); }

void AppendDouble(double v, std::string* out) {
  if (std::isnan(v)) v = std::numeric_limits<double>::quiet_NaN();
  if (v == 0) v = 0;  // -0.0 equals 0.0
  uint64_t bits = std::bit_cast<uint64_t>(v);
  AppendU64((bits & kSignBit) ? ~bits : bits ^ kSignBit, out);
}

// Trailing zeros of the fraction dropped, so 1.50 and 1.5 encode alike.
void AppendDecimal(columnar::Int128 unscaled, int scale, std::string* out) {
  while (scale > 0 && unscaled % 10 == 0) {
    unscaled /= 10;
    --scale;
  }
  out->push_back(static_cast<char>(scale));
  auto u = static_cast<unsigned __int128>(unscaled);
  AppendU64(static_cast<uint64_t>(u >> 64) ^ kSignBit, out);
  AppendU64(static_cast<uint64_t>(u), out);
}

// Zero bytes escaped, then a 0 0 terminator: prefixes sort first.
void AppendText(std::string_view s, std::string* out) {
  for (char c : s) {
    out->push_back(c);
    if (c == '\0') out->push_back('\xff');
  }
  out->append(2, '\0');
}

void EncodeCell(const Column& col, uint32_t row, std::string* out) {
  if (col.IsNull(row)) {
    out->push_back('\0');
    return;
  }
  switch (col.type().id()) {
    case TypeId::kBoolean:
      out->push_back('b');
      out->push_back(col.values<uint8_t>()[row] ? 1 : 0);
      return;
    case TypeId::kInt32: out->push_back('i'); AppendInt(col.values<int32_t>()[row], out); return;
    case TypeId::kInt64: out->push_back('i'); AppendInt(col.values<int64_t>()[row], out); return;
    case TypeId::kDate: out->push_back('d'); AppendInt(col.values<int32_t>()[row], out); return;
    case TypeId::kTimestamp: out->push_back('t'); AppendInt(col.values<int64_t>()[row], out); return;
    case TypeId::kTimestampLtz: out->push_back('l'); AppendInt(col.values<int64_t>()[row], out); return;
    case TypeId::kInterval: out->push_back('v'); AppendInt(col.values<int64_t>()[row], out); return;
    case TypeId::kDouble: out->push_back('f'); AppendDouble(col.values<double>()[row], out); return;
    case TypeId::kDecimal:
      out->push_back('n');
      AppendDecimal(col.values<columnar::Int128>()[row], col.type().scale(), out);
      return;
    case TypeId::kString: out->push_back('s'); AppendText(col.GetString(row), out); return;
    default: out->push_back('r'); AppendText(col.Get(row).ToString(), out); return;
  }
}

// ---- Matching ----

struct RowRef {
  uint32_t batch = 0;
  uint32_t row = 0;  // physical row in the batch
};

struct Entry {
  RowRef ref;
  std::string value;  // the non-key columns, encoded
};

struct Group {
  std::vector<Entry> a;
  std::vector<Entry> b;
};

using Groups = std::unordered_map<std::string, Group>;

void AddRows(const Side& side, const std::vector<int>& index, const Layout& layout, bool is_a, Groups* groups) {
  std::string key, value;
  for (size_t bi = 0; bi < side.batches.size(); ++bi) {
    const columnar::Batch& batch = side.batches[bi];
    for (size_t i = 0; i < batch.active_rows(); ++i) {
      uint32_t row = batch.row(i);
      key.clear();
      value.clear();
      for (size_t c : layout.key) EncodeCell(*batch.columns[index[c]], row, &key);
      for (size_t c : layout.rest) EncodeCell(*batch.columns[index[c]], row, &value);
      Group& g = (*groups)[key];
      (is_a ? g.a : g.b).push_back(Entry{{static_cast<uint32_t>(bi), row}, value});
    }
  }
}

struct Single {
  const std::string* key;
  RowRef ref;
};

struct Pair {
  const std::string* key;
  RowRef a;
  RowRef b;
};

struct Matches {
  std::vector<Single> only_a;
  std::vector<Single> only_b;
  std::vector<Pair> changed;
  int64_t same = 0;
};

bool ByValue(const Entry& x, const Entry& y) { return x.value < y.value; }

// Cancels equal rows of one key; pairs up what remains.
void MatchGroup(const std::string* key, Group& g, Matches* m) {
  std::sort(g.a.begin(), g.a.end(), ByValue);
  std::sort(g.b.begin(), g.b.end(), ByValue);
  std::vector<RowRef> left_a, left_b;
  size_t i = 0, j = 0;
  while (i < g.a.size() && j < g.b.size()) {
    if (g.a[i].value == g.b[j].value) {
      ++m->same;
      ++i;
      ++j;
    } else if (g.a[i].value < g.b[j].value) {
      left_a.push_back(g.a[i++].ref);
    } else {
      left_b.push_back(g.b[j++].ref);
    }
  }
  for (; i < g.a.size(); ++i) left_a.push_back(g.a[i].ref);
  for (; j < g.b.size(); ++j) left_b.push_back(g.b[j].ref);
  size_t paired = std::min(left_a.size(), left_b.size());
  for (size_t k = 0; k < paired; ++k) m->changed.push_back({key, left_a[k], left_b[k]});
  for (size_t k = paired; k < left_a.size(); ++k) m->only_a.push_back({key, left_a[k]});
  for (size_t k = paired; k < left_b.size(); ++k) m->only_b.push_back({key, left_b[k]});
}

// Sorts the first `n` items of `items` by key.
template <typename T>
void SortFirst(std::vector<T>* items, int64_t n) {
  size_t k = std::min(items->size(), static_cast<size_t>(n));
  std::partial_sort(items->begin(), items->begin() + k, items->end(),
                    [](const T& x, const T& y) { return *x.key < *y.key; });
}

std::vector<Value> RowValues(const Side& side, const std::vector<int>& index, RowRef ref) {
  const columnar::Batch& batch = side.batches[ref.batch];
  std::vector<Value> out;
  for (int c : index) out.push_back(batch.columns[c]->Get(ref.row));
  return out;
}

std::vector<std::string> ChangedColumns(const Side& a, const Side& b, const Layout& layout, const Pair& p,
                                        const columnar::Schema& columns) {
  std::vector<std::string> out;
  for (size_t c = 0; c < columns.size(); ++c) {
    std::string x, y;
    EncodeCell(*a.batches[p.a.batch].columns[layout.a_index[c]], p.a.row, &x);
    EncodeCell(*b.batches[p.b.batch].columns[layout.b_index[c]], p.b.row, &y);
    if (x != y) out.push_back(columns.field(c).name);
  }
  return out;
}

void TakeSamples(const Side& a, const Side& b, const Layout& layout, Matches& m, int64_t n, TableDiff* diff) {
  SortFirst(&m.only_a, n);
  SortFirst(&m.only_b, n);
  SortFirst(&m.changed, n);
  for (size_t i = 0; i < m.only_a.size() && static_cast<int64_t>(i) < n; ++i) {
    diff->sample_only_in_a.push_back(RowValues(a, layout.a_index, m.only_a[i].ref));
  }
  for (size_t i = 0; i < m.only_b.size() && static_cast<int64_t>(i) < n; ++i) {
    diff->sample_only_in_b.push_back(RowValues(b, layout.b_index, m.only_b[i].ref));
  }
  for (size_t i = 0; i < m.changed.size() && static_cast<int64_t>(i) < n; ++i) {
    const Pair& p = m.changed[i];
    diff->sample_changed.push_back({RowValues(a, layout.a_index, p.a), RowValues(b, layout.b_index, p.b),
                                    ChangedColumns(a, b, layout, p, diff->columns)});
  }
}

// ---- JSON ----

json SideJson(const DiffSide& s) {
  return {{"name", s.name},
          {"table", s.table},
          {"snapshot_id", s.snapshot_id ? json(*s.snapshot_id) : json(nullptr)},
          {"rows", s.rows}};
}

json RowJson(const std::vector<Value>& row) {
  json out = json::array();
  for (const Value& v : row) out.push_back(ValueToJson(v));
  return out;
}

Result<std::vector<std::string>> KeyList(const json& key) {
  std::vector<std::string> out;
  if (key.is_string()) {
    std::string text = key.get<std::string>();
    size_t start = 0;
    while (start <= text.size()) {
      size_t comma = text.find(',', start);
      if (comma == std::string::npos) comma = text.size();
      std::string part = text.substr(start, comma - start);
      part.erase(0, part.find_first_not_of(' '));
      part.erase(part.find_last_not_of(' ') + 1);
      if (!part.empty()) out.push_back(part);
      start = comma + 1;
    }
    return out;
  }
  if (!key.is_array()) return Invalid("\"key\" must be a list of column names");
  for (const json& k : key) {
    if (!k.is_string()) return Invalid("\"key\" must be a list of column names");
    out.push_back(k.get<std::string>());
  }
  return out;
}

}  // namespace

Result<DiffRequest> ParseDiffRequest(std::string_view body) {
  json j = json::parse(body, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return Invalid("expected a JSON body {{\"a\": TABLE, \"b\": TABLE}}");
  DiffRequest r;
  if (!j.contains("a") || !j["a"].is_string() || !j.contains("b") || !j["b"].is_string()) {
    return Invalid("expected a JSON body {{\"a\": TABLE, \"b\": TABLE}}");
  }
  r.a = j["a"].get<std::string>();
  r.b = j["b"].get<std::string>();
  if (j.contains("key") && !j["key"].is_null()) {
    ASSIGN_OR_RETURN(r.key, KeyList(j["key"]));
  }
  if (j.contains("sample")) {
    const json& s = j["sample"];
    if (!s.is_number_integer() || s.get<int64_t>() < 0 || s.get<int64_t>() > kMaxDiffSample) {
      return Invalid("\"sample\" must be an integer from 0 to {}", kMaxDiffSample);
    }
    r.sample = s.get<int64_t>();
  }
  return r;
}

Result<TableDiff> DiffTables(const table::Catalog& catalog, const DiffRequest& request) {
  ASSIGN_OR_RETURN(Side a, ReadSide(catalog, request.a));
  ASSIGN_OR_RETURN(Side b, ReadSide(catalog, request.b));
  TableDiff diff;
  diff.a = a.info;
  diff.b = b.info;
  RETURN_IF_ERROR(ChooseKey(a, b, request, &diff));
  Layout layout = MakeLayout(a, b, &diff);
  if (diff.columns.size() == 0) return Invalid("{} and {} have no column in common", a.info.name, b.info.name);
  Groups groups;
  AddRows(a, layout.a_index, layout, /*is_a=*/true, &groups);
  AddRows(b, layout.b_index, layout, /*is_a=*/false, &groups);
  Matches m;
  for (auto& [key, group] : groups) MatchGroup(&key, group, &m);
  diff.only_in_a = static_cast<int64_t>(m.only_a.size());
  diff.only_in_b = static_cast<int64_t>(m.only_b.size());
  diff.changed = static_cast<int64_t>(m.changed.size());
  diff.same = m.same;
  TakeSamples(a, b, layout, m, request.sample, &diff);
  return diff;
}

json ValueToJson(const Value& v) {
  if (v.is_null()) return nullptr;
  switch (v.type().id()) {
    case TypeId::kBoolean: return v.boolean();
    case TypeId::kInt32: return v.int32();
    case TypeId::kInt64: return v.int64();
    case TypeId::kDouble: {
      double d = v.float64();
      if (std::isnan(d)) return "NaN";
      if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
      return d;
    }
    default: return v.ToString();
  }
}

json DiffToJson(const TableDiff& diff) {
  json columns = json::array();
  for (size_t c = 0; c < diff.columns.size(); ++c) {
    const columnar::Field& f = diff.columns.field(c);
    json column = {{"name", f.name}, {"type", f.type.ToString()}};
    if (c < diff.b_types.size() && diff.b_types[c] != f.type) column["type_b"] = diff.b_types[c].ToString();
    columns.push_back(std::move(column));
  }
  json changed = json::array();
  for (const ChangedRow& c : diff.sample_changed) {
    changed.push_back({{"a", RowJson(c.a)}, {"b", RowJson(c.b)}, {"changed_columns", c.changed_columns}});
  }
  json only_a = json::array(), only_b = json::array();
  for (const auto& row : diff.sample_only_in_a) only_a.push_back(RowJson(row));
  for (const auto& row : diff.sample_only_in_b) only_b.push_back(RowJson(row));
  return {{"a", SideJson(diff.a)},
          {"b", SideJson(diff.b)},
          {"key", diff.key},
          {"key_source", diff.key_source},
          {"columns", std::move(columns)},
          {"columns_only_in_a", diff.columns_only_in_a},
          {"columns_only_in_b", diff.columns_only_in_b},
          {"counts",
           {{"only_in_a", diff.only_in_a}, {"only_in_b", diff.only_in_b}, {"changed", diff.changed}, {"same", diff.same}}},
          {"samples", {{"only_in_a", std::move(only_a)}, {"only_in_b", std::move(only_b)}, {"changed", std::move(changed)}}}};
}

}  // namespace kappa::serve
