// kappa_table_tool: writes serving tables into a warehouse through the
// streaming engine's Iceberg sink (one snapshot per commit, summaries with
// kappa.pipeline, kappa.version and kappa.epoch), for tests/integration
// tests that need tables without running a pipeline.
//
//   kappa_table_tool WAREHOUSE < SPEC.json
//
//   SPEC := {"tables": [TABLE...], "aliases": {"alias": "target", ...}}
//   TABLE := {"name": "revenue__v1",                 physical name ("ns.t" or "t")
//             "columns": [["id", "long"], ["amount", "decimal(10, 2)"], ...],
//                                                    Iceberg type names (schema.h)
//             "key": ["id"],                         optional: an upsert table
//             "pipeline": "revenue",                 optional: kappa.pipeline
//             "commits": [{"rows": [[1, "9.50"], ...], "deletes": [[2, null], ...]}, ...]}
//
// Each commit is one epoch after the table's last committed one. Values are
// JSON: numbers for int/long/double, strings for decimal, date
// ("2024-01-31"), timestamp (SQL/ISO text or epoch millis) and string;
// null for NULL. "deletes" (upsert tables only) name rows by their key
// columns; other cells may be null. Prints one line per commit: the table
// and its new snapshot id. Exit code 1 with a message on any error.
#include <cstdio>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

#include "base/time.h"
#include "columnar/batch.h"
#include "engine/sink/iceberg_sink.h"
#include "fmt/format.h"
#include "nlohmann/json.hpp"
#include "table/catalog.h"
#include "table/iceberg/schema.h"

namespace kappa {
namespace {

using columnar::DataType;
using columnar::RowKind;
using columnar::TypeId;
using columnar::Value;
using nlohmann::json;

Result<Value> ToValue(const json& j, const DataType& type) {
  if (j.is_null()) return Value::Null(type);
  switch (type.id()) {
    case TypeId::kBoolean:
      if (j.is_boolean()) return Value::Boolean(j.get<bool>());
      break;
    case TypeId::kInt32:
      if (j.is_number_integer()) return Value::Int32(j.get<int32_t>());
      break;
    case TypeId::kInt64:
      if (j.is_number_integer()) return Value::Int64(j.get<int64_t>());
      break;
    case TypeId::kDouble:
      if (j.is_number()) return Value::Double(j.get<double>());
      break;
    case TypeId::kString:
      if (j.is_string()) return Value::String(j.get<std::string>());
      break;
    case TypeId::kDecimal: {
      std::string text = j.is_string() ? j.get<std::string>() : j.dump();
      columnar::Int128 unscaled = 0;
      if (columnar::ParseDecimal(text, type.scale(), &unscaled)) {
        return Value::Decimal(unscaled, type.precision(), type.scale());
      }
      break;
    }
    case TypeId::kDate: {
      int32_t days = 0;
      if (j.is_string() && columnar::ParseDate(j.get<std::string>(), &days)) return Value::Date(days);
      break;
    }
    case TypeId::kTimestamp:
    case TypeId::kTimestampLtz: {
      auto ms = ParseTimestampMillis(j.is_string() ? j.get<std::string>() : j.dump());
      if (ms) return type.id() == TypeId::kTimestamp ? Value::Timestamp(*ms) : Value::TimestampLtz(*ms);
      break;
    }
    default: break;
  }
  return Invalid("value {} does not fit type {}", j.dump(), type.ToString());
}

Result<columnar::Schema> ParseColumns(const json& columns) {
  std::vector<columnar::Field> fields;
  for (const json& c : columns) {
    if (!c.is_array() || c.size() != 2) return Invalid("a column is [name, type], not {}", c.dump());
    ASSIGN_OR_RETURN(DataType type, table::iceberg::ParsePrimitiveType(c[1].get<std::string>()));
    fields.push_back({c[0].get<std::string>(), type, true});
  }
  return columnar::Schema(fields);
}

Result<sql::TableDef> ParseTable(const json& spec) {
  sql::TableDef def;
  def.name = spec.at("name").get<std::string>();
  ASSIGN_OR_RETURN(def.physical, ParseColumns(spec.at("columns")));
  for (const json& k : spec.value("key", json::array())) {
    bool found = false;
    for (size_t i = 0; i < def.physical.size(); ++i) {
      if (def.physical.field(i).name == k.get<std::string>()) {
        def.primary_key.push_back(static_cast<int>(i));
        found = true;
      }
    }
    if (!found) return Invalid("key column {} is not a column", k.dump());
  }
  if (!def.primary_key.empty()) {
    // PRIMARY KEY columns are NOT NULL.
    std::vector<columnar::Field> fields = def.physical.fields();
    for (int i : def.primary_key) fields[i].nullable = false;
    def.physical = columnar::Schema(fields);
  }
  def.schema = def.physical;
  if (spec.contains("pipeline")) def.options["kappa.pipeline"] = spec["pipeline"].get<std::string>();
  return def;
}

Status AppendRows(const json& rows, RowKind kind, const columnar::Schema& schema, columnar::BatchBuilder* b) {
  for (const json& row : rows) {
    if (!row.is_array() || row.size() != schema.size()) {
      return Invalid("row {} does not have {} cells", row.dump(), schema.size());
    }
    std::vector<Value> values;
    for (size_t i = 0; i < schema.size(); ++i) {
      ASSIGN_OR_RETURN(Value v, ToValue(row[i], schema.field(i).type));
      values.push_back(std::move(v));
    }
    b->AppendRow(values, kind);
  }
  return OkStatus();
}

Status Commit(engine::IcebergSink& sink, const sql::TableDef& def, const json& commit) {
  columnar::BatchBuilder builder(def.physical);
  RETURN_IF_ERROR(AppendRows(commit.value("rows", json::array()), RowKind::kInsert, def.physical, &builder));
  RETURN_IF_ERROR(AppendRows(commit.value("deletes", json::array()), RowKind::kDelete, def.physical, &builder));
  ASSIGN_OR_RETURN(std::optional<Epoch> last, sink.LastCommittedEpoch());
  Epoch epoch(last ? last->value() + 1 : 1);
  ASSIGN_OR_RETURN(std::unique_ptr<engine::SinkWriter> writer, sink.CreateWriter(0));
  columnar::Batch batch = builder.Finish();
  if (batch.num_rows > 0) RETURN_IF_ERROR(writer->Stage(batch));
  ASSIGN_OR_RETURN(std::string payload, writer->PrepareCommit(epoch));
  RETURN_IF_ERROR(sink.Commit(epoch, {payload}));
  auto current = sink.table().metadata()->current_snapshot();
  fmt::print("{} {}\n", def.name, current != nullptr ? current->snapshot_id : 0);
  return OkStatus();
}

Status WriteTable(table::Catalog* catalog, const json& spec) {
  ASSIGN_OR_RETURN(sql::TableDef def, ParseTable(spec));
  engine::IcebergSinkOptions options;
  options.maintenance_every = 0;
  ASSIGN_OR_RETURN(std::unique_ptr<engine::IcebergSink> sink, engine::IcebergSink::Open(def, catalog, options));
  for (const json& commit : spec.value("commits", json::array())) RETURN_IF_ERROR(Commit(*sink, def, commit));
  return OkStatus();
}

Status Run(const std::string& warehouse) {
  std::string text((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
  json spec = json::parse(text, nullptr, false);
  if (spec.is_discarded() || !spec.is_object()) return Invalid("the spec on stdin is not a JSON object");
  ASSIGN_OR_RETURN(std::unique_ptr<table::Catalog> catalog, table::Catalog::Open(warehouse));
  for (const json& t : spec.value("tables", json::array())) RETURN_IF_ERROR(WriteTable(catalog.get(), t));
  std::map<std::string, std::string> aliases = spec.value("aliases", std::map<std::string, std::string>());
  if (!aliases.empty()) RETURN_IF_ERROR(catalog->SetAliases(aliases));
  return OkStatus();
}

}  // namespace
}  // namespace kappa

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: kappa_table_tool WAREHOUSE < SPEC.json\n");
    return 2;
  }
  try {
    kappa::Status st = kappa::Run(argv[1]);
    if (!st.ok()) {
      std::fprintf(stderr, "kappa_table_tool: %s\n", st.ToString().c_str());
      return 1;
    }
  } catch (const std::exception& e) {  // json .at() on a malformed spec
    std::fprintf(stderr, "kappa_table_tool: bad spec: %s\n", e.what());
    return 1;
  }
  return 0;
}
