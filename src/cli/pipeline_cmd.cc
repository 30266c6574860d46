#include "cli/pipeline_cmd.h"

#include <unistd.h>

#include <chrono>
#include <thread>

#include "base/file.h"
#include "base/time.h"
#include "cli/http_client.h"
#include "cli/log_client.h"
#include "cli/pipeline_view.h"
#include "cli/table.h"
#include "nlohmann/json.hpp"

namespace kappa::cli {
namespace {

using nlohmann::json;

Result<std::unique_ptr<HttpClient>> ConnectServer(const GlobalOptions& g) {
  ASSIGN_OR_RETURN(std::optional<std::string> url, FindServer(g));
  if (!url) {
    return Status(StatusCode::kFailedPrecondition,
                  fmt::format("no kappa server is running on data dir {}; pipelines run inside "
                              "the server: start one with `kappa server` (or pass --server URL)",
                              g.data_dir));
  }
  return HttpClient::Create(*url);
}

std::string PipelinePath(const std::string& name, std::string_view action = "") {
  std::string path = "/v1/pipelines/" + UrlEncode(name);
  if (!action.empty()) path += "/" + std::string(action);
  return path;
}

Result<json> CallJson(HttpClient* http, std::string_view method, const std::string& path,
                      const json& body = nullptr) {
  ASSIGN_OR_RETURN(HttpResult r, http->Call(method, path, body.is_null() ? "" : body.dump()));
  json j = json::parse(r.body, nullptr, false);
  if (j.is_discarded()) return Internal("server sent a body that is not JSON: {}", r.body);
  return j;
}

struct DeployFlags {
  std::string name;
  std::string file;
  std::string from;
  bool promote_when_caught_up = false;
};

Status RunDeploy(const GlobalOptions& g, const DeployFlags& f) {
  ASSIGN_OR_RETURN(std::string sql, ReadFile(f.file));
  ASSIGN_OR_RETURN(auto http, ConnectServer(g));
  json body = {{"sql", sql}, {"promote_when_caught_up", f.promote_when_caught_up}};
  if (!f.from.empty()) body["from"] = f.from;
  auto r = CallJson(http.get(), "POST", PipelinePath(f.name, "versions"), body);
  if (!r.ok()) return r.status().WithContext(f.file);
  int version = (*r)["version"].get<int>();
  fmt::print("deployed {} v{}{}\n", f.name, version,
             version == 1 ? " (promoted)"
                          : (f.promote_when_caught_up ? " (promoted once caught up)" : ""));
  return OkStatus();
}

Status RunList(const GlobalOptions& g, bool as_json) {
  ASSIGN_OR_RETURN(auto http, ConnectServer(g));
  ASSIGN_OR_RETURN(json list, CallJson(http.get(), "GET", "/v1/pipelines"));
  if (as_json) {
    fmt::print("{}\n", list.dump());
    return OkStatus();
  }
  Table table({"PIPELINE", "VERSION", "STATE", "PROMOTED", "LAG", "EVENTS/S"});
  for (const json& p : list) {
    for (const json& v : p["versions"]) table.AddRow(VersionListRow(p["name"], v));
  }
  table.Print(stdout);
  return OkStatus();
}

struct StatusFlags {
  std::string name;
  bool json = false;
  bool watch = false;
};

Status RunStatus(const GlobalOptions& g, const StatusFlags& f) {
  ASSIGN_OR_RETURN(auto http, ConnectServer(g));
  bool tty = ::isatty(STDOUT_FILENO) != 0;
  while (true) {
    ASSIGN_OR_RETURN(json st, CallJson(http.get(), "GET", PipelinePath(f.name)));
    if (f.json) {
      fmt::print("{}\n", st.dump());
    } else {
      if (f.watch && tty) fmt::print("\x1b[H\x1b[2J");
      PrintPipelineStatus(st, tty, stdout);
    }
    if (!f.watch || StopRequested()) return OkStatus();
    std::fflush(stdout);
    std::this_thread::sleep_for(std::chrono::seconds(1));
  }
}

// Prints progress until `version` caught up (or the user interrupts).
Status WaitCaughtUp(HttpClient* http, const std::string& name, int version) {
  bool tty = ::isatty(STDERR_FILENO) != 0;
  while (!StopRequested()) {
    ASSIGN_OR_RETURN(json st, CallJson(http, "GET", PipelinePath(name)));
    const json* v = FindVersionJson(st, version);
    if (v == nullptr) return NotFound("pipeline {} has no version {}", name, version);
    if (v->value("state", "") == "failed") {
      return Internal("{} v{} failed: {}", name, version, v->value("error", "unknown error"));
    }
    if (v->value("caught_up", false)) {
      if (tty) fmt::print(stderr, "\r\x1b[K");
      return OkStatus();
    }
    if (tty) fmt::print(stderr, "\r\x1b[K{}", ProgressLine(*v, 40));
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  return Status(StatusCode::kCancelled, "interrupted");
}

struct VersionFlags {
  std::string name;
  std::string version;
  bool force = false;
  bool wait = false;
};

Status RunPromote(const GlobalOptions& g, const VersionFlags& f) {
  ASSIGN_OR_RETURN(int version, pipeline_view::ParseVersionArg(f.version));
  ASSIGN_OR_RETURN(auto http, ConnectServer(g));
  if (f.wait) RETURN_IF_ERROR(WaitCaughtUp(http.get(), f.name, version));
  json body = {{"version", version}, {"force", f.force}};
  RETURN_IF_ERROR(CallJson(http.get(), "POST", PipelinePath(f.name, "promote"), body).status());
  fmt::print("promoted {} v{}: queries now read its tables\n", f.name, version);
  return OkStatus();
}

Status RunWait(const GlobalOptions& g, const VersionFlags& f) {
  ASSIGN_OR_RETURN(int version, pipeline_view::ParseVersionArg(f.version));
  ASSIGN_OR_RETURN(auto http, ConnectServer(g));
  RETURN_IF_ERROR(WaitCaughtUp(http.get(), f.name, version));
  fmt::print("{} v{} has caught up with the live edge\n", f.name, version);
  return OkStatus();
}

Status RunVersionAction(const GlobalOptions& g, const VersionFlags& f, std::string_view action,
                        std::string_view done) {
  ASSIGN_OR_RETURN(auto http, ConnectServer(g));
  json body = json::object();
  if (!f.version.empty()) {
    ASSIGN_OR_RETURN(int version, pipeline_view::ParseVersionArg(f.version));
    body["version"] = version;
  }
  RETURN_IF_ERROR(CallJson(http.get(), "POST", PipelinePath(f.name, action), body).status());
  fmt::print("{} {}{}\n", done, f.name, f.version.empty() ? "" : " " + f.version);
  return OkStatus();
}

Status RunDrop(const GlobalOptions& g, const std::string& name) {
  ASSIGN_OR_RETURN(auto http, ConnectServer(g));
  RETURN_IF_ERROR(CallJson(http.get(), "DELETE", PipelinePath(name)).status());
  fmt::print("dropped pipeline {}\n", name);
  return OkStatus();
}

void AddDeploy(CLI::App* group, CommandContext ctx) {
  auto f = std::make_shared<DeployFlags>();
  CLI::App* cmd = group->add_subcommand(
      "deploy", "Deploy FILE.sql as v1 of a new pipeline, or as the next version beside the "
                "running ones");
  cmd->add_option("name", f->name, "Pipeline name")->required();
  cmd->add_option("file", f->file, "The pipeline's SQL file")->required();
  cmd->add_option("--from", f->from,
                  "Where sources start: earliest (default), latest, or an ISO-8601 timestamp");
  cmd->add_flag("--promote-when-caught-up", f->promote_when_caught_up,
                "Promote this version once it has caught up with the live edge");
  ctx.registry->Add(cmd, [g = ctx.globals, f] { return RunDeploy(*g, *f); });
}

void AddVersionCommand(CLI::App* group, CommandContext ctx, const char* name, const char* help,
                       bool version_required, std::string_view done) {
  auto f = std::make_shared<VersionFlags>();
  CLI::App* cmd = group->add_subcommand(name, help);
  cmd->add_option("name", f->name, "Pipeline name")->required();
  auto* v = cmd->add_option("version", f->version, "Version: 2 or v2");
  if (version_required) v->required();
  std::string action = name;
  ctx.registry->Add(cmd, [g = ctx.globals, f, action, done] {
    return RunVersionAction(*g, *f, action, done);
  });
}

}  // namespace

void AddPipelineCommands(CLI::App* app, CommandContext ctx) {
  CLI::App* group = app->add_subcommand("pipeline", "Deploy and manage SQL pipelines");
  group->require_subcommand(1);
  AddDeploy(group, ctx);

  auto list_json = std::make_shared<bool>(false);
  CLI::App* list = group->add_subcommand("list", "List pipelines and their versions");
  list->add_flag("--json", *list_json, "Print JSON");
  ctx.registry->Add(list, [g = ctx.globals, list_json] { return RunList(*g, *list_json); });

  auto sf = std::make_shared<StatusFlags>();
  CLI::App* status = group->add_subcommand(
      "status", "Every version side by side: state, offsets and lag, events/s, ETA, checkpoints");
  status->add_option("name", sf->name, "Pipeline name")->required();
  status->add_flag("--json", sf->json, "Print JSON");
  status->add_flag("--watch,-w", sf->watch, "Redraw every second until interrupted");
  ctx.registry->Add(status, [g = ctx.globals, sf] {
    InstallStopHandlers();
    return RunStatus(*g, *sf);
  });

  auto pf = std::make_shared<VersionFlags>();
  CLI::App* promote = group->add_subcommand(
      "promote", "Point the pipeline's tables (aliases) at VERSION in one atomic catalog write");
  promote->add_option("name", pf->name, "Pipeline name")->required();
  promote->add_option("version", pf->version, "Version: 2 or v2")->required();
  promote->add_flag("--force", pf->force, "Promote even if the version has not caught up");
  promote->add_flag("--wait", pf->wait, "Wait (with progress) until caught up, then promote");
  ctx.registry->Add(promote, [g = ctx.globals, pf] {
    InstallStopHandlers();
    return RunPromote(*g, *pf);
  });

  auto wf = std::make_shared<VersionFlags>();
  CLI::App* wait = group->add_subcommand(
      "wait", "Wait (with a progress bar on a terminal) until VERSION has caught up");
  wait->add_option("name", wf->name, "Pipeline name")->required();
  wait->add_option("version", wf->version, "Version: 2 or v2")->required();
  ctx.registry->Add(wait, [g = ctx.globals, wf] {
    InstallStopHandlers();
    return RunWait(*g, *wf);
  });

  AddVersionCommand(group, ctx, "stop", "Stop VERSION (or every version) after a checkpoint",
                    false, "stopped");
  AddVersionCommand(group, ctx, "start", "Start a stopped VERSION from its last checkpoint", true,
                    "started");
  AddVersionCommand(group, ctx, "retire",
                    "Stop VERSION and delete its tables, state and checkpoints (never the "
                    "promoted one)",
                    true, "retired");
  AddVersionCommand(group, ctx, "rollback",
                    "Point the aliases back at the previously promoted version", false,
                    "rolled back");

  auto drop_name = std::make_shared<std::string>();
  CLI::App* drop = group->add_subcommand("drop", "Stop and remove every version of a pipeline");
  drop->add_option("name", *drop_name, "Pipeline name")->required();
  ctx.registry->Add(drop, [g = ctx.globals, drop_name] { return RunDrop(*g, *drop_name); });
}

}  // namespace kappa::cli
