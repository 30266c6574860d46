#include "cli/pipeline_view.h"

#include <algorithm>
#include <charconv>

#include "base/time.h"
#include "cli/command.h"
#include "cli/table.h"
#include "columnar/value.h"
#include "fmt/format.h"

namespace kappa::cli {
namespace {

using nlohmann::json;

int64_t Int(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_number() ? it->get<int64_t>() : 0;
}

double Number(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_number() ? it->get<double>() : 0.0;
}

// Records read and records to read, over all source partitions.
std::pair<int64_t, int64_t> ReadAndEnd(const json& v) {
  int64_t read = 0, end = 0;
  for (const json& p : v.value("partitions", json::array())) {
    read += Int(p, "offset");
    end += Int(p, "end_offset");
  }
  return {read, end};
}

std::string StateText(const json& v) {
  std::string state = v.value("state", "unknown");
  if (state == "running" && v.value("caught_up", false)) return "running, caught up";
  if (state == "running") return "running, replaying";
  return state;
}

std::string Bar(double fraction, int width) {
  int full = static_cast<int>(std::clamp(fraction, 0.0, 1.0) * width);
  return "[" + std::string(static_cast<size_t>(full), '#') +
         std::string(static_cast<size_t>(width - full), '.') + "]";
}

}  // namespace

namespace pipeline_view {
Result<int> ParseVersionArg(const std::string& text) {
  std::string_view d = text;
  if (!d.empty() && (d[0] == 'v' || d[0] == 'V')) d.remove_prefix(1);
  int n = 0;
  auto [p, ec] = std::from_chars(d.data(), d.data() + d.size(), n);
  if (d.empty() || ec != std::errc() || p != d.data() + d.size() || n < 1) {
    return Invalid("bad version '{}': expected a number like 2 or v2", text);
  }
  return n;
}
}  // namespace pipeline_view

std::string FormatDurationMillis(int64_t ms) {
  if (ms < 0) ms = 0;
  if (ms < 10000) return fmt::format("{:.1f}s", static_cast<double>(ms) / 1000);
  int64_t s = ms / 1000;
  if (s < 3600) return fmt::format("{}m {}s", s / 60, s % 60);
  if (s < 86400) return fmt::format("{}h {}m", s / 3600, s / 60 % 60);
  return fmt::format("{}d {}h", s / 86400, s / 3600 % 24);
}

const json* FindVersionJson(const json& pipeline, int version) {
  auto versions = pipeline.find("versions");  // not value(): that copies
  if (versions == pipeline.end() || !versions->is_array()) return nullptr;
  for (const json& v : *versions) {
    if (Int(v, "version") == version) return &v;
  }
  return nullptr;
}

std::string ProgressLine(const json& v, int bar_width) {
  auto [read, end] = ReadAndEnd(v);
  double fraction = end > 0 ? static_cast<double>(read) / static_cast<double>(end) : 1.0;
  std::string line = fmt::format("{} {:5.1f}%  {} / {} records  {} ev/s", Bar(fraction, bar_width),
                                 fraction * 100, FormatCount(read), FormatCount(end),
                                 FormatCount(static_cast<int64_t>(Number(v, "events_per_second"))));
  if (v.contains("eta_ms") && v["eta_ms"].is_number() && !v.value("caught_up", false)) {
    line += "  ETA " + FormatDurationMillis(Int(v, "eta_ms"));
  }
  return line;
}

std::vector<std::string> VersionListRow(const std::string& name, const json& v) {
  return {name,
          "v" + std::to_string(Int(v, "version")),
          StateText(v),
          v.value("promoted", false) ? "yes" : "",
          FormatCount(Int(v, "lag_records")),
          FormatCount(static_cast<int64_t>(Number(v, "events_per_second")))};
}

void PrintVersion(const json& v, bool tty, std::FILE* out) {
  fmt::print(out, "v{}{}  {}\n", Int(v, "version"), v.value("promoted", false) ? " (promoted)" : "",
             StateText(v));
  if (v.contains("error") && v["error"].is_string()) {
    fmt::print(out, "  error: {}\n", v["error"].get<std::string>());
  }
  fmt::print(out, "  deployed {} from {}\n", FormatTimestampMillis(Int(v, "deployed_at_ms")),
             v.value("from", "").empty() ? std::string("each table's scan.startup.mode")
                                         : v.value("from", ""));
  if (v.value("state", "") != "running") return;
  fmt::print(out, "  {}\n", ProgressLine(v, tty ? 40 : 20));
  fmt::print(out, "  lag: {} records, {} of record time\n", FormatCount(Int(v, "lag_records")),
             FormatDurationMillis(Int(v, "lag_ms")));
  if (v.contains("last_checkpoint") && v["last_checkpoint"].is_object() &&
      Int(v["last_checkpoint"], "epoch") == 0) {
    fmt::print(out, "  last checkpoint: none yet\n");
  } else if (v.contains("last_checkpoint") && v["last_checkpoint"].is_object()) {
    const json& c = v["last_checkpoint"];
    fmt::print(out, "  last checkpoint: epoch {} at {} ({} ms)\n", Int(c, "epoch"),
               FormatTimestampMillis(Int(c, "completed_at_ms")), Int(c, "duration_ms"));
  }
  fmt::print(out, "  late records: {}  malformed records: {}\n", FormatCount(Int(v, "late_records")),
             FormatCount(Int(v, "malformed_records")));
  Table table({"  TOPIC", "PARTITION", "OFFSET", "END", "LAG"});
  for (const json& p : v.value("partitions", json::array())) {
    table.AddRow({"  " + p.value("topic", ""), std::to_string(Int(p, "partition")),
                  FormatCount(Int(p, "offset")), FormatCount(Int(p, "end_offset")),
                  FormatCount(Int(p, "end_offset") - Int(p, "offset"))});
  }
  table.Print(out);
}

void PrintPipelineStatus(const json& pipeline, bool tty, std::FILE* out) {
  fmt::print(out, "pipeline {}\n", pipeline.value("name", ""));
  for (const json& v : pipeline.value("versions", json::array())) {
    fmt::print(out, "\n");
    PrintVersion(v, tty, out);
  }
}

}  // namespace kappa::cli
