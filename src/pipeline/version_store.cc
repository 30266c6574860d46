#include "pipeline/version_store.h"

#include <algorithm>
#include <charconv>

#include "base/file.h"
#include "base/time.h"
#include "nlohmann/json.hpp"

namespace kappa::pipeline {
namespace {

using nlohmann::json;

const char* DesiredName(DesiredState s) { return s == DesiredState::kRunning ? "running" : "stopped"; }

json VersionToJson(const VersionRecord& r) {
  return {{"version", r.version},
          {"deployed_at_ms", r.deployed_at_ms},
          {"from", r.from},
          {"desired_state", DesiredName(r.desired)},
          {"promote_when_caught_up", r.promote_when_caught_up}};
}

Result<VersionRecord> VersionFromJson(const std::string& text, const std::string& path) {
  try {
    json j = json::parse(text);
    VersionRecord r;
    r.version = j.at("version").get<int>();
    r.deployed_at_ms = j.at("deployed_at_ms").get<int64_t>();
    r.from = j.at("from").get<std::string>();
    r.desired = j.at("desired_state").get<std::string>() == "stopped" ? DesiredState::kStopped
                                                                      : DesiredState::kRunning;
    r.promote_when_caught_up = j.value("promote_when_caught_up", false);
    return r;
  } catch (const json::exception& e) {
    return Status(StatusCode::kDataLoss, fmt::format("{}: {}", path, e.what()));
  }
}

// The N of a "v<N>" directory name, or 0.
int VersionOfDir(std::string_view dir) {
  if (dir.size() < 2 || dir[0] != 'v') return 0;
  int n = 0;
  auto [p, ec] = std::from_chars(dir.data() + 1, dir.data() + dir.size(), n);
  return ec == std::errc() && p == dir.data() + dir.size() ? n : 0;
}

}  // namespace

Result<int> ParseVersion(std::string_view text) {
  std::string_view digits = text;
  if (!digits.empty() && (digits[0] == 'v' || digits[0] == 'V')) digits.remove_prefix(1);
  int n = 0;
  auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
  if (digits.empty() || ec != std::errc() || p != digits.data() + digits.size() || n < 1) {
    return Invalid("bad version '{}': expected a number like 2 or v2", text);
  }
  return n;
}

Status ValidatePipelineName(std::string_view name) {
  bool ok = !name.empty() && name.size() <= 100 &&
            (std::isalpha(static_cast<unsigned char>(name[0])) || name[0] == '_');
  for (char c : name) {
    ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-');
  }
  if (!ok) {
    return Invalid("bad pipeline name '{}': use letters, digits, '_' and '-', starting with a letter",
                   name);
  }
  return OkStatus();
}

Result<VersionStore> VersionStore::Open(std::string root) {
  RETURN_IF_ERROR(CreateDirs(root));
  return VersionStore(std::move(root));
}

std::string VersionStore::VersionDir(const std::string& name, int version) const {
  return fmt::format("{}/{}/v{}", root_, name, version);
}

std::string VersionStore::CheckpointDir(const std::string& name, int version) const {
  return VersionDir(name, version) + "/checkpoints";
}

bool VersionStore::Exists(const std::string& name) const {
  return PathExists(root_ + "/" + name + "/pipeline.json");
}

Result<VersionRecord> VersionStore::LoadVersion(const std::string& name, int version) const {
  std::string path = VersionDir(name, version) + "/version.json";
  ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  return VersionFromJson(text, path);
}

Result<PipelineRecord> VersionStore::Load(const std::string& name) const {
  std::string dir = root_ + "/" + name;
  std::string path = dir + "/pipeline.json";
  if (!PathExists(path)) return NotFound("pipeline {} does not exist", name);
  ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  PipelineRecord record;
  try {
    json j = json::parse(text);
    record.name = j.at("name").get<std::string>();
    if (!j.at("promoted").is_null()) record.promoted = j["promoted"].get<int>();
    record.promotions = j.value("promotions", std::vector<int>{});
  } catch (const json::exception& e) {
    return Status(StatusCode::kDataLoss, fmt::format("{}: {}", path, e.what()));
  }
  ASSIGN_OR_RETURN(std::vector<std::string> entries, ListDir(dir));
  std::vector<int> versions;
  for (const std::string& e : entries) {
    if (int v = VersionOfDir(e); v > 0 && PathExists(VersionDir(name, v) + "/version.json")) {
      versions.push_back(v);
    }
  }
  std::sort(versions.begin(), versions.end());
  for (int v : versions) {
    ASSIGN_OR_RETURN(VersionRecord r, LoadVersion(name, v));
    record.versions.push_back(r);
  }
  return record;
}

Result<std::vector<PipelineRecord>> VersionStore::LoadAll() const {
  ASSIGN_OR_RETURN(std::vector<std::string> names, ListDir(root_));
  std::vector<PipelineRecord> out;
  for (const std::string& name : names) {
    if (!Exists(name)) continue;
    ASSIGN_OR_RETURN(PipelineRecord r, Load(name));
    out.push_back(std::move(r));
  }
  return out;
}

Status VersionStore::SavePipeline(const PipelineRecord& record) {
  std::string dir = root_ + "/" + record.name;
  RETURN_IF_ERROR(CreateDirs(dir));
  json j = {{"name", record.name},
            {"promoted", record.promoted ? json(*record.promoted) : json(nullptr)},
            {"promotions", record.promotions}};
  return WriteFileAtomic(dir + "/pipeline.json", j.dump(2) + "\n");
}

Status VersionStore::SaveVersion(const std::string& name, const VersionRecord& record) {
  return WriteFileAtomic(VersionDir(name, record.version) + "/version.json",
                         VersionToJson(record).dump(2) + "\n");
}

Result<int> VersionStore::AddVersion(const std::string& name, std::string_view sql,
                                     VersionRecord record) {
  std::string dir = root_ + "/" + name;
  RETURN_IF_ERROR(CreateDirs(dir));
  ASSIGN_OR_RETURN(std::vector<std::string> entries, ListDir(dir));
  int highest = 0;
  for (const std::string& e : entries) highest = std::max(highest, VersionOfDir(e));
  record.version = highest + 1;
  // Built under a temporary name, then renamed: v<N> appears whole.
  std::string tmp = fmt::format("{}/.v{}.tmp", dir, record.version);
  RETURN_IF_ERROR(RemoveTree(tmp));
  RETURN_IF_ERROR(CreateDirs(tmp));
  RETURN_IF_ERROR(WriteFileAtomic(tmp + "/pipeline.sql", sql));
  RETURN_IF_ERROR(WriteFileAtomic(tmp + "/version.json", VersionToJson(record).dump(2) + "\n"));
  RETURN_IF_ERROR(RenamePath(tmp, VersionDir(name, record.version)));
  RETURN_IF_ERROR(SyncDir(dir));
  return record.version;
}

Result<std::string> VersionStore::ReadSql(const std::string& name, int version) const {
  return ReadFile(VersionDir(name, version) + "/pipeline.sql");
}

Status VersionStore::RemoveVersion(const std::string& name, int version) {
  // Renamed away first so that a crash never leaves a half-deleted version
  // that Load would pick up.
  std::string dir = VersionDir(name, version);
  std::string doomed = fmt::format("{}/{}/.v{}.deleted", root_, name, version);
  RETURN_IF_ERROR(RenamePath(dir, doomed));
  RETURN_IF_ERROR(SyncDir(root_ + "/" + name));
  return RemoveTree(doomed);
}

Status VersionStore::RemovePipeline(const std::string& name) {
  std::string doomed = fmt::format("{}/.{}.deleted", root_, name);
  RETURN_IF_ERROR(RenamePath(root_ + "/" + name, doomed));
  RETURN_IF_ERROR(SyncDir(root_));
  return RemoveTree(doomed);
}

}  // namespace kappa::pipeline
