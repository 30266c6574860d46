#include "serve/tables_api.h"

#include <algorithm>
#include <charconv>

#include "columnar/value.h"
#include "serve/blocking.h"
#include "serve/table_diff.h"
#include "table/iceberg/table_io.h"

namespace kappa::serve {
namespace {

using nlohmann::json;
namespace iceberg = table::iceberg;

int64_t SummaryInt(const std::map<std::string, std::string>& summary, const std::string& key) {
  auto it = summary.find(key);
  if (it == summary.end()) return 0;
  int64_t v = 0;
  std::from_chars(it->second.data(), it->second.data() + it->second.size(), v);
  return v;
}

json OptionalId(const std::optional<int64_t>& id) { return id ? json(*id) : json(nullptr); }

// Qualified alias names that point at `table`, sorted.
json AliasesOf(const table::Catalog& catalog, const std::string& table) {
  json out = json::array();
  for (const auto& [alias, target] : catalog.Aliases()) {
    if (target == table) out.push_back(alias);
  }
  return out;
}

json ListEntry(const table::Catalog& catalog, const table::TableIdent& ident) {
  json entry = {{"name", ident.ToString()}, {"namespace", ident.ns}, {"table", ident.name},
                {"aliases", AliasesOf(catalog, ident.ToString())}};
  auto t = iceberg::Table::Load(catalog.TableLocation(ident));
  if (!t.ok()) {
    entry["error"] = t.status().message();
    return entry;
  }
  auto m = (*t)->metadata();
  const iceberg::Snapshot* current = m->current_snapshot();
  entry["current_snapshot_id"] = OptionalId(m->current_snapshot_id);
  entry["snapshots"] = m->snapshots.size();
  entry["last_updated_ms"] = m->last_updated_ms;
  int64_t rows = 0, bytes = 0;
  if (current != nullptr) {
    rows = SummaryInt(current->summary, "total-records") - SummaryInt(current->summary, "total-position-deletes");
    bytes = SummaryInt(current->summary, "total-files-size");
  }
  entry["rows"] = rows;
  entry["bytes"] = bytes;
  return entry;
}

json FieldJson(const iceberg::NestedField& f) {
  auto iceberg_type = iceberg::PrimitiveTypeName(f.type);
  json j = {{"id", f.id},
            {"name", f.name},
            {"type", f.type.ToString()},
            {"iceberg_type", iceberg_type.ok() ? *iceberg_type : std::string("struct")},
            {"required", f.required}};
  if (!f.children.empty()) {
    json children = json::array();
    for (const iceberg::NestedField& c : f.children) children.push_back(FieldJson(c));
    j["fields"] = std::move(children);
  }
  return j;
}

json SchemaJson(const iceberg::Schema& schema) {
  json fields = json::array();
  for (const iceberg::NestedField& f : schema.fields) fields.push_back(FieldJson(f));
  return {{"schema_id", schema.schema_id}, {"fields", std::move(fields)}};
}

json PrimaryKeyJson(const iceberg::Schema& schema) {
  json out = json::array();
  for (int32_t id : schema.identifier_field_ids) {
    const iceberg::NestedField* f = schema.FindById(id);
    out.push_back(f != nullptr ? f->name : std::to_string(id));
  }
  return out;
}

json SpecJson(const iceberg::Schema& schema, const iceberg::PartitionSpec& spec) {
  json fields = json::array();
  for (const iceberg::PartitionField& f : spec.fields) {
    const iceberg::NestedField* source = schema.FindById(f.source_id);
    fields.push_back({{"name", f.name},
                      {"transform", std::string(iceberg::TransformName(f.transform))},
                      {"source", source != nullptr ? source->name : std::string()},
                      {"source_id", f.source_id},
                      {"field_id", f.field_id}});
  }
  return {{"spec_id", spec.spec_id}, {"fields", std::move(fields)}};
}

json SnapshotBrief(const iceberg::Snapshot& s) {
  return {{"snapshot_id", s.snapshot_id},
          {"parent_snapshot_id", OptionalId(s.parent_snapshot_id)},
          {"sequence_number", s.sequence_number},
          {"timestamp_ms", s.timestamp_ms},
          {"operation", s.operation()}};
}

// Counts of the live files of `snapshot` (none: an empty table).
Result<json> FileStats(const iceberg::TableMetadata& m, const iceberg::Snapshot* snapshot) {
  int64_t data_files = 0, delete_files = 0, records = 0, pos_deletes = 0, eq_deletes = 0;
  int64_t data_bytes = 0, delete_bytes = 0;
  if (snapshot != nullptr) {
    ASSIGN_OR_RETURN(std::vector<iceberg::LiveFile> files, iceberg::ReadLiveFiles(m, *snapshot));
    for (const iceberg::LiveFile& f : files) {
      const iceberg::DataFile& d = f.entry.data_file;
      switch (d.content) {
        case iceberg::FileContent::kData:
          ++data_files;
          records += d.record_count;
          data_bytes += d.file_size_in_bytes;
          break;
        case iceberg::FileContent::kPositionDeletes:
          ++delete_files;
          pos_deletes += d.record_count;
          delete_bytes += d.file_size_in_bytes;
          break;
        case iceberg::FileContent::kEqualityDeletes:
          ++delete_files;
          eq_deletes += d.record_count;
          delete_bytes += d.file_size_in_bytes;
          break;
      }
    }
  }
  return json{{"data_files", data_files},       {"delete_files", delete_files},
              {"records", records},             {"position_deletes", pos_deletes},
              {"equality_deletes", eq_deletes}, {"rows", records - pos_deletes},
              {"data_bytes", data_bytes},       {"delete_bytes", delete_bytes},
              {"bytes", data_bytes + delete_bytes}};
}

std::vector<const iceberg::Snapshot*> SnapshotsOldestFirst(const iceberg::TableMetadata& m) {
  std::vector<const iceberg::Snapshot*> out;
  for (const iceberg::Snapshot& s : m.snapshots) out.push_back(&s);
  std::sort(out.begin(), out.end(), [](const iceberg::Snapshot* a, const iceberg::Snapshot* b) {
    return std::tie(a->sequence_number, a->timestamp_ms) < std::tie(b->sequence_number, b->timestamp_ms);
  });
  return out;
}

json SummaryValue(const std::map<std::string, std::string>& summary, const char* key) {
  auto it = summary.find(key);
  return it == summary.end() ? json(nullptr) : json(it->second);
}

json HistoryEntry(const iceberg::Snapshot& s, const std::optional<int64_t>& current) {
  json entry = SnapshotBrief(s);
  entry["timestamp"] = columnar::FormatTimestamp(s.timestamp_ms);
  entry["current"] = current && *current == s.snapshot_id;
  entry["pipeline"] = SummaryValue(s.summary, iceberg::kKappaPipeline);
  entry["version"] = SummaryValue(s.summary, iceberg::kKappaVersion);
  entry["epoch"] = SummaryValue(s.summary, iceberg::kKappaEpoch);
  entry["added_rows"] = SummaryInt(s.summary, "added-records");
  entry["deleted_rows"] = SummaryInt(s.summary, "deleted-records") +
                          SummaryInt(s.summary, "added-position-deletes") +
                          SummaryInt(s.summary, "added-equality-deletes");
  entry["summary"] = s.summary;
  return entry;
}

struct LoadedTable {
  table::TableIdent ident;
  std::unique_ptr<iceberg::Table> table;
};

Result<LoadedTable> Load(const table::Catalog& catalog, std::string_view name) {
  ASSIGN_OR_RETURN(table::TableIdent ident, catalog.Resolve(name));
  auto t = iceberg::Table::Load(catalog.TableLocation(ident));
  if (!t.ok()) return t.status().WithContext(ident.ToString());
  return LoadedTable{ident, std::move(*t)};
}

HttpResponse JsonResponse(const Result<json>& j) {
  if (!j.ok()) return ErrorResponse(j.status());
  return HttpResponse{200, "application/json", j->dump(-1, ' ', false, json::error_handler_t::replace) + "\n", {}};
}

HttpResponse RunDiff(const table::Catalog* catalog, const std::string& body) {
  auto request = ParseDiffRequest(body);
  if (!request.ok()) return ErrorResponse(request.status());
  auto diff = DiffTables(*catalog, *request);
  if (!diff.ok()) return ErrorResponse(diff.status());
  return JsonResponse(DiffToJson(*diff));
}

}  // namespace

Result<json> ListTablesJson(const table::Catalog& catalog) {
  json namespaces = json::array();
  json tables = json::array();
  for (const std::string& ns : catalog.ListNamespaces()) {
    namespaces.push_back(ns);
    for (const std::string& name : catalog.ListTables(ns)) tables.push_back(ListEntry(catalog, {ns, name}));
  }
  json aliases = json::array();
  for (const auto& [alias, target] : catalog.Aliases()) aliases.push_back({{"name", alias}, {"target", target}});
  return json{{"namespaces", std::move(namespaces)}, {"tables", std::move(tables)}, {"aliases", std::move(aliases)}};
}

Result<json> DescribeTableJson(const table::Catalog& catalog, std::string_view name) {
  ASSIGN_OR_RETURN(LoadedTable t, Load(catalog, name));
  auto m = t.table->metadata();
  const iceberg::Schema& schema = m->current_schema();
  json snapshots = json::array();
  for (const iceberg::Snapshot* s : SnapshotsOldestFirst(*m)) snapshots.push_back(SnapshotBrief(*s));
  json out = {{"name", std::string(name)},
              {"table", t.ident.ToString()},
              {"aliases", AliasesOf(catalog, t.ident.ToString())},
              {"location", m->location},
              {"table_uuid", m->table_uuid},
              {"format_version", m->format_version},
              {"metadata_file", t.table->MetadataFilePath(t.table->version())},
              {"last_updated_ms", m->last_updated_ms},
              {"schema", SchemaJson(schema)},
              {"partition_spec", SpecJson(schema, m->default_spec())},
              {"primary_key", PrimaryKeyJson(schema)},
              {"properties", m->properties},
              {"current_snapshot_id", OptionalId(m->current_snapshot_id)},
              {"snapshots", std::move(snapshots)}};
  auto stats = FileStats(*m, m->current_snapshot());
  if (!stats.ok()) return stats.status().WithContext(t.ident.ToString());
  out.update(*stats);
  return out;
}

Result<json> TableHistoryJson(const table::Catalog& catalog, std::string_view name) {
  ASSIGN_OR_RETURN(LoadedTable t, Load(catalog, name));
  auto m = t.table->metadata();
  json entries = json::array();
  for (const iceberg::Snapshot* s : SnapshotsOldestFirst(*m)) entries.push_back(HistoryEntry(*s, m->current_snapshot_id));
  return json{{"name", std::string(name)},
              {"table", t.ident.ToString()},
              {"current_snapshot_id", OptionalId(m->current_snapshot_id)},
              {"snapshots", std::move(entries)}};
}

asio::thread_pool& TableIoPool() {
  static asio::thread_pool pool(2);
  return pool;
}

// Runs job() -> HttpResponse on `pool`. The job is a named value, not a
// temporary: g++ 12 mishandles temporaries in co_await expressions.
template <typename Job>
Awaitable<HttpResponse> OnPool(asio::thread_pool& pool, Job job) {
  HttpResponse response = co_await RunBlocking(pool, std::move(job));
  co_return response;
}

asio::thread_pool& DiffPool() {
  static asio::thread_pool pool(1);
  return pool;
}

void AddTableRoutes(Router* router, table::Catalog* catalog) {
  router->Add("GET /v1/tables", [catalog](HttpRequest&) {
    return OnPool(TableIoPool(), [catalog] { return JsonResponse(ListTablesJson(*catalog)); });
  });
  router->Add("GET /v1/tables/{name}", [catalog](HttpRequest& req) {
    return OnPool(TableIoPool(),
                  [catalog, name = req.params.at("name")] { return JsonResponse(DescribeTableJson(*catalog, name)); });
  });
  router->Add("GET /v1/tables/{name}/history", [catalog](HttpRequest& req) {
    return OnPool(TableIoPool(),
                  [catalog, name = req.params.at("name")] { return JsonResponse(TableHistoryJson(*catalog, name)); });
  });
  // Diffs read whole tables: one at a time, beside the quick reads.
  router->Add("POST /v1/tables/diff", [catalog](HttpRequest& req) {
    return OnPool(DiffPool(), [catalog, body = req.body] { return RunDiff(catalog, body); });
  });
}

}  // namespace kappa::serve
