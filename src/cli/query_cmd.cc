#include "cli/query_cmd.h"

#include <cstdio>

#include "cli/http_client.h"
#include "cli/log_client.h"
#include "cli/table.h"
#include "serve/engine_query_service.h"
#include "serve/query_api.h"
#include "table/catalog.h"
#include "nlohmann/json.hpp"

namespace kappa::cli {
namespace {

using nlohmann::json;

// Reads {"columns": [{"name", ...}], "rows": [[...]]} keeping each scalar's
// text as sent.
class QueryJsonReader : public json::json_sax_t {
 public:
  TextResult result;

  bool null() override { return Scalar("NULL"); }
  bool boolean(bool v) override { return Scalar(v ? "true" : "false"); }
  bool number_integer(number_integer_t v) override { return Scalar(std::to_string(v)); }
  bool number_unsigned(number_unsigned_t v) override { return Scalar(std::to_string(v)); }
  bool number_float(number_float_t, const string_t& s) override { return Scalar(s); }
  bool string(string_t& v) override { return Scalar(v); }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override {
    ++depth_;
    return true;
  }
  bool end_object() override {
    --depth_;
    return true;
  }
  bool key(string_t& k) override {
    if (depth_ == 1) section_ = k;
    key_ = k;
    return true;
  }
  bool start_array(std::size_t) override {
    ++depth_;
    if (section_ == "rows" && depth_ == 3) result.rows.emplace_back();
    return true;
  }
  bool end_array() override {
    --depth_;
    return true;
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override {
    return false;
  }

 private:
  bool Scalar(std::string text) {
    if (section_ == "columns" && depth_ == 3 && key_ == "name") result.columns.push_back(std::move(text));
    if (section_ == "rows" && depth_ == 3) result.rows.back().push_back(std::move(text));
    return true;
  }
  int depth_ = 0;
  std::string section_;
  std::string key_;
};

struct QueryFlags {
  std::string sql;
  std::string format = "table";
};

Status PrintTable(const std::string& body) {
  ASSIGN_OR_RETURN(TextResult result, ParseQueryJson(body));
  if (result.columns.empty()) {
    fmt::print("OK\n");
    return OkStatus();
  }
  Table table(result.columns);
  for (auto& row : result.rows) {
    if (row.size() != result.columns.size()) return Internal("server sent a row of {} cells", row.size());
    table.AddRow(std::move(row));
  }
  table.Print(stdout);
  fmt::print("({} row{})\n", result.rows.size(), result.rows.size() == 1 ? "" : "s");
  return OkStatus();
}

// No server holds the data dir: the same engine runs the query in this
// process over the log and the warehouse (tables declared by deployed
// pipelines are known only to a server; declare them in the statement).
Status RunLocalQuery(const GlobalOptions& g, const QueryFlags& f) {
  ASSIGN_OR_RETURN(std::unique_ptr<log::Log> log, OpenLog(g, "kappa query"));
  ASSIGN_OR_RETURN(std::unique_ptr<table::Catalog> warehouse,
                   table::Catalog::Open(g.data_dir + "/warehouse"));
  serve::EngineQueryService service(log.get(), warehouse.get(), nullptr);
  Result<serve::QueryResult> result = service.Execute(f.sql, serve::QueryOptions{});
  Status closed = log->Close();
  RETURN_IF_ERROR(result.status());
  RETURN_IF_ERROR(closed);
  if (f.format == "csv") {
    std::string body = serve::ResultCsv(*result);
    std::fwrite(body.data(), 1, body.size(), stdout);
    return OkStatus();
  }
  std::string body = serve::ResultJson(*result);
  if (f.format == "table") return PrintTable(body);
  fmt::print("{}\n", body);
  return OkStatus();
}

Status RunQuery(const GlobalOptions& g, const QueryFlags& f) {
  ASSIGN_OR_RETURN(std::optional<std::string> server, FindServer(g));
  if (!server) return RunLocalQuery(g, f);
  ASSIGN_OR_RETURN(auto http, HttpClient::Create(*server));
  std::string target = f.format == "csv" ? "/v1/query?format=csv" : "/v1/query";
  ASSIGN_OR_RETURN(HttpResult r, http->Call("POST", target, json{{"sql", f.sql}}.dump()));
  if (f.format == "table") return PrintTable(r.body);
  std::fwrite(r.body.data(), 1, r.body.size(), stdout);
  return OkStatus();
}

}  // namespace

Result<TextResult> ParseQueryJson(const std::string& body) {
  QueryJsonReader reader;
  if (!json::sax_parse(body, &reader)) return Internal("server sent a query result that is not JSON");
  return std::move(reader.result);
}

namespace {

void AddQueryLike(CLI::App* app, CommandContext ctx, const char* name, const char* help) {
  auto f = std::make_shared<QueryFlags>();
  CLI::App* cmd = app->add_subcommand(name, help);
  cmd->add_option("sql", f->sql, "The SQL statement (CREATE TABLE / VIEW statements may precede it)")
      ->required();
  cmd->add_option("--format", f->format, "Output: table, csv or json")
      ->check(CLI::IsMember({"table", "csv", "json"}))
      ->capture_default_str();
  ctx.registry->Add(cmd, [g = ctx.globals, f] { return RunQuery(*g, *f); });
}

}  // namespace

void AddQueryCommand(CLI::App* app, CommandContext ctx) {
  AddQueryLike(app, ctx, "query", "Run a SQL query against the server's tables and topics");
  AddQueryLike(app, ctx, "sql",
               "Run a bounded SQL query over topics (start to current end) and tables; same as query");
}

}  // namespace kappa::cli
