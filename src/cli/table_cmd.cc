#include "cli/table_cmd.h"

#include <functional>

#include "base/file.h"
#include "cli/http_client.h"
#include "cli/log_client.h"
#include "cli/table.h"
#include "columnar/value.h"
#include "serve/table_diff.h"
#include "serve/tables_api.h"

namespace kappa::cli {
namespace {

using nlohmann::json;

// One table request: the HTTP call to a server, and the same answer computed
// from the warehouse when no server runs.
struct TableCall {
  std::string method;
  std::string path;
  std::string body;
  std::function<Result<json>(const table::Catalog&)> local;
};

Result<std::unique_ptr<table::Catalog>> OpenWarehouse(const GlobalOptions& g) {
  if (!PathExists(g.data_dir)) {
    return NotFound("data dir {} does not exist (pass --data-dir, or --server URL)", g.data_dir);
  }
  return table::Catalog::Open(g.data_dir + "/warehouse");
}

Result<json> Run(const GlobalOptions& g, const TableCall& call) {
  ASSIGN_OR_RETURN(std::optional<std::string> server, FindServer(g));
  if (!server) {
    ASSIGN_OR_RETURN(auto catalog, OpenWarehouse(g));
    return call.local(*catalog);
  }
  ASSIGN_OR_RETURN(auto http, HttpClient::Create(*server));
  ASSIGN_OR_RETURN(HttpResult r, http->Call(call.method, call.path, call.body));
  json j = json::parse(r.body, nullptr, false);
  if (j.is_discarded()) return Internal("server sent a body that is not JSON: {}", r.body);
  return j;
}

std::string TablePath(const std::string& name, std::string_view suffix = "") {
  return "/v1/tables/" + UrlEncode(name) + std::string(suffix);
}

// ---- Text helpers ----

// A JSON scalar as a cell: null -> NULL, strings unquoted.
std::string Cell(const json& v) {
  if (v.is_null()) return "NULL";
  if (v.is_string()) return v.get<std::string>();
  return v.dump();
}

std::string OrDash(const json& v) { return v.is_null() ? "-" : Cell(v); }

std::string Count(const json& v) { return v.is_number() ? FormatCount(v.get<int64_t>()) : "-"; }

std::string Bytes(const json& v) { return v.is_number() ? FormatBytes(v.get<uint64_t>()) : "-"; }

std::string Time(const json& ms) { return ms.is_number() ? columnar::FormatTimestamp(ms.get<int64_t>()) : "-"; }

std::string Join(const json& list, std::string_view sep = ", ") {
  std::string out;
  for (const json& item : list) {
    if (!out.empty()) out += sep;
    out += Cell(item);
  }
  return out;
}

void PrintJson(const json& j) { fmt::print("{}\n", j.dump(-1, ' ', false, json::error_handler_t::replace)); }

// ---- list ----

void PrintList(const json& list) {
  if (list["tables"].empty()) {
    fmt::print("no tables\n");
    return;
  }
  Table table({"TABLE", "ALIASES", "SNAPSHOTS", "ROWS", "SIZE", "UPDATED"});
  for (const json& t : list["tables"]) {
    if (t.contains("error")) {
      table.AddRow({Cell(t["name"]), Join(t["aliases"]), "-", "-", "-", "error: " + Cell(t["error"])});
      continue;
    }
    std::string aliases = t["aliases"].empty() ? "-" : Join(t["aliases"]);
    table.AddRow({Cell(t["name"]), aliases, Count(t["snapshots"]), Count(t["rows"]), Bytes(t["bytes"]),
                  Time(t["last_updated_ms"])});
  }
  table.Print(stdout);
}

// ---- describe ----

void AddFieldRows(const json& fields, const std::string& prefix, Table* table) {
  for (const json& f : fields) {
    std::string name = prefix + Cell(f["name"]);
    table->AddRow({Cell(f["id"]), name, Cell(f["type"]), Cell(f["iceberg_type"]), f["required"].get<bool>() ? "yes" : "no"});
    if (f.contains("fields")) AddFieldRows(f["fields"], name + ".", table);
  }
}

std::string Partitioning(const json& spec) {
  if (spec["fields"].empty()) return "unpartitioned";
  std::string out;
  for (const json& f : spec["fields"]) {
    if (!out.empty()) out += ", ";
    std::string transform = Cell(f["transform"]);
    out += transform == "identity" ? Cell(f["source"]) : transform + "(" + Cell(f["source"]) + ")";
  }
  return out;
}

std::string CurrentSnapshot(const json& t) {
  if (t["current_snapshot_id"].is_null()) return "none (empty table)";
  for (const json& s : t["snapshots"]) {
    if (s["snapshot_id"] == t["current_snapshot_id"]) {
      return fmt::format("{} ({}, {})", Cell(s["snapshot_id"]), Time(s["timestamp_ms"]), Cell(s["operation"]));
    }
  }
  return Cell(t["current_snapshot_id"]);
}

void PrintDescription(const json& t) {
  std::string name = Cell(t["table"]);
  if (t["name"] != t["table"]) name += " (resolved from " + Cell(t["name"]) + ")";
  fmt::print("Table:             {}\n", name);
  fmt::print("Aliases:           {}\n", t["aliases"].empty() ? "-" : Join(t["aliases"]));
  fmt::print("Location:          {}\n", Cell(t["location"]));
  fmt::print("Format:            Iceberg v{}, uuid {}\n", Cell(t["format_version"]), Cell(t["table_uuid"]));
  fmt::print("Metadata:          {}\n", Cell(t["metadata_file"]));
  fmt::print("Primary key:       {}\n", t["primary_key"].empty() ? "-" : Join(t["primary_key"]));
  fmt::print("Partitioned by:    {}\n", Partitioning(t["partition_spec"]));
  fmt::print("Current snapshot:  {}\n", CurrentSnapshot(t));
  fmt::print("Snapshots:         {}\n", t["snapshots"].size());
  fmt::print("Data files:        {} ({})\n", Count(t["data_files"]), Bytes(t["data_bytes"]));
  fmt::print("Delete files:      {} ({})\n", Count(t["delete_files"]), Bytes(t["delete_bytes"]));
  fmt::print("Rows:              {} ({} records, {} position deletes)\n", Count(t["rows"]), Count(t["records"]),
             Count(t["position_deletes"]));
  fmt::print("Size:              {}\n\n", Bytes(t["bytes"]));
  Table schema({"ID", "COLUMN", "TYPE", "ICEBERG TYPE", "REQUIRED"});
  AddFieldRows(t["schema"]["fields"], "", &schema);
  schema.Print(stdout);
}

// ---- history ----

void PrintHistory(const json& h) {
  if (h["snapshots"].empty()) {
    fmt::print("{} has no snapshots\n", Cell(h["table"]));
    return;
  }
  Table table({"SNAPSHOT", "PARENT", "TIME", "OPERATION", "PIPELINE", "VERSION", "EPOCH", "ADDED", "DELETED"});
  for (const json& s : h["snapshots"]) {
    std::string id = Cell(s["snapshot_id"]) + (s["current"].get<bool>() ? " *" : "");
    table.AddRow({id, OrDash(s["parent_snapshot_id"]), Cell(s["timestamp"]), Cell(s["operation"]),
                  OrDash(s["pipeline"]), OrDash(s["version"]), OrDash(s["epoch"]), Count(s["added_rows"]),
                  Count(s["deleted_rows"])});
  }
  table.Print(stdout);
  fmt::print("(* current snapshot)\n");
}

// ---- diff ----

std::vector<std::string> ColumnNames(const json& diff) {
  std::vector<std::string> names;
  for (const json& c : diff["columns"]) names.push_back(Cell(c["name"]));
  return names;
}

std::string SideLine(const json& side) {
  std::string snapshot = side["snapshot_id"].is_null() ? "no snapshot" : "snapshot " + Cell(side["snapshot_id"]);
  return fmt::format("{} ({}, {}, {} rows)", Cell(side["name"]), Cell(side["table"]), snapshot, Count(side["rows"]));
}

void PrintRows(const std::string& title, int64_t total, const json& rows, const std::vector<std::string>& names) {
  if (total == 0) return;
  fmt::print("\n{} ({}{}):\n", title, FormatCount(total),
             static_cast<int64_t>(rows.size()) < total ? fmt::format(", first {} shown", rows.size()) : "");
  if (rows.empty()) return;
  Table table(names);
  for (const json& row : rows) {
    std::vector<std::string> cells;
    for (const json& v : row) cells.push_back(Cell(v));
    table.AddRow(std::move(cells));
  }
  table.Print(stdout);
}

void PrintChanged(int64_t total, const json& changed, const std::vector<std::string>& names) {
  if (total == 0) return;
  fmt::print("\nChanged, A -> B ({}{}):\n", FormatCount(total),
             static_cast<int64_t>(changed.size()) < total ? fmt::format(", first {} shown", changed.size()) : "");
  if (changed.empty()) return;
  Table table(names);
  for (const json& c : changed) {
    std::vector<std::string> cells;
    for (size_t i = 0; i < names.size(); ++i) {
      bool differs = false;
      for (const json& name : c["changed_columns"]) differs = differs || name == names[i];
      cells.push_back(differs ? Cell(c["a"][i]) + " -> " + Cell(c["b"][i]) : Cell(c["a"][i]));
    }
    table.AddRow(std::move(cells));
  }
  table.Print(stdout);
}

void PrintDiff(const json& d) {
  fmt::print("A: {}\nB: {}\n", SideLine(d["a"]), SideLine(d["b"]));
  fmt::print("Key: {} ({})\n", Join(d["key"]), Cell(d["key_source"]));
  if (!d["columns_only_in_a"].empty()) fmt::print("Columns only in A: {}\n", Join(d["columns_only_in_a"]));
  if (!d["columns_only_in_b"].empty()) fmt::print("Columns only in B: {}\n", Join(d["columns_only_in_b"]));
  for (const json& c : d["columns"]) {
    if (c.contains("type_b")) {
      fmt::print("Column {} is {} in A, {} in B\n", Cell(c["name"]), Cell(c["type"]), Cell(c["type_b"]));
    }
  }
  const json& n = d["counts"];
  fmt::print("\nonly in A: {}   only in B: {}   changed: {}   same: {}\n", Count(n["only_in_a"]),
             Count(n["only_in_b"]), Count(n["changed"]), Count(n["same"]));
  std::vector<std::string> names = ColumnNames(d);
  PrintRows("Only in A", n["only_in_a"].get<int64_t>(), d["samples"]["only_in_a"], names);
  PrintRows("Only in B", n["only_in_b"].get<int64_t>(), d["samples"]["only_in_b"], names);
  PrintChanged(n["changed"].get<int64_t>(), d["samples"]["changed"], names);
}

// ---- commands ----

struct NameFlags {
  std::string name;
  bool json = false;
};

Status RunList(const GlobalOptions& g, bool as_json) {
  TableCall call{"GET", "/v1/tables", "", [](const table::Catalog& c) { return serve::ListTablesJson(c); }};
  ASSIGN_OR_RETURN(json list, Run(g, call));
  as_json ? PrintJson(list) : PrintList(list);
  return OkStatus();
}

Status RunDescribe(const GlobalOptions& g, const NameFlags& f) {
  TableCall call{"GET", TablePath(f.name), "",
                 [&f](const table::Catalog& c) { return serve::DescribeTableJson(c, f.name); }};
  ASSIGN_OR_RETURN(json t, Run(g, call));
  f.json ? PrintJson(t) : PrintDescription(t);
  return OkStatus();
}

Status RunHistory(const GlobalOptions& g, const NameFlags& f) {
  TableCall call{"GET", TablePath(f.name, "/history"), "",
                 [&f](const table::Catalog& c) { return serve::TableHistoryJson(c, f.name); }};
  ASSIGN_OR_RETURN(json h, Run(g, call));
  f.json ? PrintJson(h) : PrintHistory(h);
  return OkStatus();
}

struct DiffFlags {
  std::string a;
  std::string b;
  std::string key;
  int64_t sample = 10;
  bool json = false;
};

Result<json> DiffLocally(const table::Catalog& catalog, const std::string& body) {
  ASSIGN_OR_RETURN(serve::DiffRequest request, serve::ParseDiffRequest(body));
  ASSIGN_OR_RETURN(serve::TableDiff diff, serve::DiffTables(catalog, request));
  return serve::DiffToJson(diff);
}

Status RunDiff(const GlobalOptions& g, const DiffFlags& f) {
  json body = {{"a", f.a}, {"b", f.b}, {"sample", f.sample}};
  if (!f.key.empty()) body["key"] = f.key;
  std::string text = body.dump();
  TableCall call{"POST", "/v1/tables/diff", text,
                 [&text](const table::Catalog& c) { return DiffLocally(c, text); }};
  ASSIGN_OR_RETURN(json d, Run(g, call));
  f.json ? PrintJson(d) : PrintDiff(d);
  return OkStatus();
}

void AddNameCommand(CLI::App* group, CommandContext ctx, const char* name, const char* help,
                    Status (*run)(const GlobalOptions&, const NameFlags&)) {
  auto f = std::make_shared<NameFlags>();
  CLI::App* cmd = group->add_subcommand(name, help);
  cmd->add_option("name", f->name, "Table or alias name (ns.table or table)")->required();
  cmd->add_flag("--json", f->json, "Print JSON");
  ctx.registry->Add(cmd, [g = ctx.globals, f, run] { return run(*g, *f); });
}

void AddDiff(CLI::App* group, CommandContext ctx) {
  auto f = std::make_shared<DiffFlags>();
  CLI::App* cmd = group->add_subcommand(
      "diff", "Show how two tables differ: rows only in A, only in B, and changed (same key, other values)");
  cmd->add_option("a", f->a, "Table A")->required();
  cmd->add_option("b", f->b, "Table B")->required();
  cmd->add_option("--key", f->key,
                  "Columns that identify a row, comma-separated (default: the primary key when both tables "
                  "have it, else whole rows)");
  cmd->add_option("--sample", f->sample, "Rows shown of each kind")
      ->check(CLI::Range(int64_t{0}, serve::kMaxDiffSample))
      ->capture_default_str();
  cmd->add_flag("--json", f->json, "Print JSON");
  ctx.registry->Add(cmd, [g = ctx.globals, f] { return RunDiff(*g, *f); });
}

}  // namespace

void AddTableCommands(CLI::App* app, CommandContext ctx) {
  CLI::App* group = app->add_subcommand("table", "Inspect and compare serving tables");
  group->require_subcommand(1);
  auto list_json = std::make_shared<bool>(false);
  CLI::App* list = group->add_subcommand("list", "List tables and their aliases");
  list->add_flag("--json", *list_json, "Print JSON");
  ctx.registry->Add(list, [g = ctx.globals, list_json] { return RunList(*g, *list_json); });
  AddNameCommand(group, ctx, "describe", "Show a table's schema, partitioning, snapshots, files and size",
                 RunDescribe);
  AddNameCommand(group, ctx, "history", "Show a table's snapshots, oldest first", RunHistory);
  AddDiff(group, ctx);
}

}  // namespace kappa::cli
