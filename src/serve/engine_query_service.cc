#include "serve/engine_query_service.h"

#include <algorithm>
#include <map>
#include <memory>
#include <regex>
#include <sstream>

#include "engine/bounded_query.h"
#include "engine/table_catalog.h"
#include "pipeline/engine_hooks.h"
#include "sql/catalog.h"
#include "sql/compile.h"

namespace kappa::serve {

namespace {

// The topic tables the promoted pipeline versions declare, over `outer`.
// A table whose topic the version writes reads the version's physical topic.
Status AddPipelineTables(const pipeline::Registry& registry, const sql::Catalog* outer,
                         sql::MemoryCatalog* out) {
  ASSIGN_OR_RETURN(auto promoted, registry.PromotedVersions());
  for (const auto& [spec, sinks] : promoted) {
    Result<sql::Pipeline> compiled = sql::CompilePipeline(spec.sql, outer);
    if (!compiled.ok()) continue;  // its status says why; queries go on without it
    std::map<std::string, std::string> physical_topic;
    for (const pipeline::SinkBinding& b : sinks) {
      if (!b.is_table) physical_topic[b.alias] = b.physical;
    }
    for (const auto& table : compiled->tables) {
      if (!pipeline::IsTopicTable(*table) || out->HoldsLocally(table->name)) continue;
      auto copy = std::make_shared<sql::TableDef>(*table);
      auto it = physical_topic.find(copy->Option("topic"));
      if (it != physical_topic.end()) copy->options["topic"] = it->second;
      out->AddTable(std::move(copy));
    }
  }
  return OkStatus();
}

QueryResult ExplainResult(const std::string& text) {
  QueryResult result;
  result.schema = columnar::Schema({columnar::Field{"plan", columnar::DataType::String(), false}});
  columnar::BatchBuilder builder(result.schema);
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) builder.AppendRow({columnar::Value::String(line)});
  result.batches.push_back(builder.Finish());
  return result;
}

// Keeps the first `max_rows` rows (all when negative).
void Truncate(std::vector<columnar::Batch>* batches, int64_t max_rows) {
  if (max_rows < 0) return;
  std::vector<columnar::Batch> kept;
  int64_t left = max_rows;
  for (columnar::Batch& b : *batches) {
    if (left <= 0) break;
    int64_t n = static_cast<int64_t>(b.active_rows());
    if (n > left) {
      std::vector<uint32_t> rows;
      for (int64_t i = 0; i < left; ++i) rows.push_back(b.row(static_cast<size_t>(i)));
      b.selection = std::move(rows);
      n = left;
    }
    left -= n;
    kept.push_back(std::move(b));
  }
  *batches = std::move(kept);
}

// The binder reports every error as kInvalidArgument; a name that does not
// resolve ("table 'x' not found", "column 'x' not found ...") is kNotFound
// as query_service.h promises (SQLSTATE 42P01 / 42703, HTTP 404).
Status ClassifyCompileError(Status status) {
  static const std::regex kUnresolved(R"re(^(line \d+, column \d+: )?(table|view|column) '[^']*' not found)re");
  if (status.code() == StatusCode::kInvalidArgument &&
      std::regex_search(std::string(status.message()), kUnresolved)) {
    return Status(StatusCode::kNotFound, std::string(status.message()));
  }
  return status;
}

}  // namespace

Result<QueryResult> EngineQueryService::Execute(std::string_view sql, const QueryOptions& options) {
  engine::WarehouseCatalog warehouse(warehouse_);
  sql::MemoryCatalog catalog(&warehouse);
  if (pipelines_ != nullptr) RETURN_IF_ERROR(AddPipelineTables(*pipelines_, &warehouse, &catalog));
  Result<sql::BoundQuery> compiled = sql::CompileQuery(sql, catalog);
  if (!compiled.ok()) return ClassifyCompileError(compiled.status());
  sql::BoundQuery bound = std::move(*compiled);
  if (bound.explain) return ExplainResult(bound.explain_text);
  QueryResult result;
  result.schema = bound.schema;
  if (options.describe_only) return result;
  engine::QueryOptions run;
  run.log = log_;
  run.catalog = warehouse_;
  ASSIGN_OR_RETURN(engine::QueryResult rows, engine::RunBoundedQuery(bound.plan, run));
  result.batches = std::move(rows.batches);
  Truncate(&result.batches, options.max_rows);
  return result;
}

Result<CatalogListing> EngineQueryService::ListCatalog() {
  CatalogListing listing;
  listing.namespaces = warehouse_->ListNamespaces();
  std::map<std::string, std::string> aliases = warehouse_->Aliases();
  for (const std::string& ns : listing.namespaces) {
    std::vector<std::string> names = warehouse_->ListTables(ns);
    for (const auto& [alias, target] : aliases) {
      auto ident = table::TableIdent::Parse(alias);
      if (ident.ok() && ident->ns == ns) names.push_back(ident->name);
    }
    std::sort(names.begin(), names.end());
    for (const std::string& name : names) {
      auto def = engine::ServingTableDef(*warehouse_, ns + "." + name);
      if (!def.ok()) continue;  // dropped meanwhile
      CatalogTable t;
      t.namespace_name = ns;
      t.name = name;
      for (const columnar::Field& f : (*def)->physical.fields()) {
        t.columns.push_back(CatalogColumn{f.name, f.type, f.nullable});
      }
      listing.tables.push_back(std::move(t));
    }
  }
  return listing;
}

}  // namespace kappa::serve
