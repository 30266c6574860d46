#include "pipeline/registry.h"

#include <algorithm>
#include <thread>

#include "base/time.h"
#include "spdlog/spdlog.h"

namespace kappa::pipeline {
namespace {

using nlohmann::json;

const VersionRecord* FindVersion(const PipelineRecord& p, int version) {
  for (const VersionRecord& v : p.versions) {
    if (v.version == version) return &v;
  }
  return nullptr;
}

}  // namespace

Registry::~Registry() { StopAll(); }

std::string Registry::Key(const std::string& name, int version) {
  return name + "/v" + std::to_string(version);
}

Result<std::unique_ptr<Registry>> Registry::Open(const std::string& data_dir, RegistryHooks hooks) {
  ASSIGN_OR_RETURN(VersionStore store, VersionStore::Open(data_dir + "/pipelines"));
  std::unique_ptr<Registry> r(new Registry(std::move(store), std::move(hooks)));
  std::lock_guard lock(r->mu_);
  ASSIGN_OR_RETURN(std::vector<PipelineRecord> all, r->store_.LoadAll());
  for (const PipelineRecord& p : all) {
    for (const VersionRecord& v : p.versions) {
      if (v.desired != DesiredState::kRunning) continue;
      if (Status st = r->StartVersionLocked(p, v); !st.ok()) {
        spdlog::error("pipeline {} v{} did not start: {}", p.name, v.version, st.message());
      }
    }
  }
  return r;
}

VersionSpec Registry::SpecLocked(const std::string& name, const VersionRecord& v) const {
  VersionSpec spec;
  spec.name = name;
  spec.version = v.version;
  spec.from = v.from;
  spec.checkpoint_dir = store_.CheckpointDir(name, v.version);
  auto sql = store_.ReadSql(name, v.version);
  if (sql.ok()) spec.sql = *sql;
  return spec;
}

Status Registry::StartVersionLocked(const PipelineRecord& p, const VersionRecord& v) {
  Running& slot = running_[Key(p.name, v.version)];
  if (slot.job) return OkStatus();
  auto job = hooks_.start(SpecLocked(p.name, v));
  if (!job.ok()) {
    slot.start_error = std::string(job.status().message());
    return job.status();
  }
  slot.job = std::move(*job);
  slot.start_error.clear();
  return OkStatus();
}

Result<int> Registry::Deploy(const std::string& name, const std::string& sql,
                             const DeployOptions& options) {
  RETURN_IF_ERROR(ValidatePipelineName(name));
  RETURN_IF_ERROR(hooks_.validate(name, sql));
  std::lock_guard lock(mu_);
  PipelineRecord p;
  if (store_.Exists(name)) {
    ASSIGN_OR_RETURN(p, store_.Load(name));
  } else {
    p.name = name;
    RETURN_IF_ERROR(store_.SavePipeline(p));
  }
  VersionRecord v;
  v.deployed_at_ms = WallMillis();
  // Without --from, v1 starts where its tables say ('scan.startup.mode',
  // default earliest-offset) and later versions replay from the earliest.
  v.from = !options.from.empty() ? options.from : p.versions.empty() ? "" : "earliest";
  v.promote_when_caught_up = options.promote_when_caught_up;
  ASSIGN_OR_RETURN(v.version, store_.AddVersion(name, sql, v));
  p.versions.push_back(v);
  // Started before it is promoted: starting creates its physical tables,
  // which the aliases must point at.
  RETURN_IF_ERROR(StartVersionLocked(p, v));
  if (!p.promoted) RETURN_IF_ERROR(PromoteLocked(&p, v.version));
  return v.version;
}

Status Registry::Stop(const std::string& name, std::optional<int> version) {
  std::lock_guard lock(mu_);
  ASSIGN_OR_RETURN(PipelineRecord p, store_.Load(name));
  bool found = false;
  for (VersionRecord& v : p.versions) {
    if (version && v.version != *version) continue;
    found = true;
    auto it = running_.find(Key(name, v.version));
    if (it != running_.end()) {
      if (it->second.job) RETURN_IF_ERROR(it->second.job->Stop());
      running_.erase(it);
    }
    v.desired = DesiredState::kStopped;
    RETURN_IF_ERROR(store_.SaveVersion(name, v));
  }
  if (!found) return NotFound("pipeline {} has no version {}", name, version.value_or(0));
  return OkStatus();
}

Status Registry::Start(const std::string& name, int version) {
  std::lock_guard lock(mu_);
  ASSIGN_OR_RETURN(PipelineRecord p, store_.Load(name));
  const VersionRecord* found = FindVersion(p, version);
  if (!found) return NotFound("pipeline {} has no version {}", name, version);
  VersionRecord v = *found;
  v.desired = DesiredState::kRunning;
  RETURN_IF_ERROR(store_.SaveVersion(name, v));
  return StartVersionLocked(p, v);
}

Result<std::vector<SinkBinding>> Registry::SinksLocked(const std::string& name, int version) const {
  ASSIGN_OR_RETURN(PipelineRecord p, store_.Load(name));
  const VersionRecord* v = FindVersion(p, version);
  if (!v) return NotFound("pipeline {} has no version {}", name, version);
  return hooks_.sinks(SpecLocked(name, *v));
}

Status Registry::PromoteLocked(PipelineRecord* p, int version) {
  ASSIGN_OR_RETURN(std::vector<SinkBinding> sinks, SinksLocked(p->name, version));
  RETURN_IF_ERROR(hooks_.repoint(sinks));
  p->promoted = version;
  p->promotions.push_back(version);
  return store_.SavePipeline(*p);
}

Status Registry::Promote(const std::string& name, int version, bool force) {
  std::lock_guard lock(mu_);
  ASSIGN_OR_RETURN(PipelineRecord p, store_.Load(name));
  if (!FindVersion(p, version)) return NotFound("pipeline {} has no version {}", name, version);
  if (p.promoted == version) return OkStatus();
  auto it = running_.find(Key(name, version));
  bool caught_up = it != running_.end() && it->second.job && it->second.job->CaughtUp();
  if (!caught_up && !force) {
    return Status(StatusCode::kFailedPrecondition,
                  fmt::format("{} v{} has not caught up with the end of its sources; wait "
                              "(promote --wait) or use --force",
                              name, version));
  }
  return PromoteLocked(&p, version);
}

Status Registry::Rollback(const std::string& name) {
  std::lock_guard lock(mu_);
  ASSIGN_OR_RETURN(PipelineRecord p, store_.Load(name));
  if (p.promotions.size() < 2) {
    return Status(StatusCode::kFailedPrecondition,
                  fmt::format("{} has no earlier promoted version to roll back to", name));
  }
  int previous = p.promotions[p.promotions.size() - 2];
  if (!FindVersion(p, previous)) {
    return Status(StatusCode::kFailedPrecondition,
                  fmt::format("{} v{} was retired; cannot roll back to it", name, previous));
  }
  ASSIGN_OR_RETURN(std::vector<SinkBinding> sinks, SinksLocked(name, previous));
  RETURN_IF_ERROR(hooks_.repoint(sinks));
  p.promotions.pop_back();
  p.promoted = previous;
  return store_.SavePipeline(p);
}

Status Registry::Retire(const std::string& name, int version) {
  std::lock_guard lock(mu_);
  ASSIGN_OR_RETURN(PipelineRecord p, store_.Load(name));
  if (!FindVersion(p, version)) return NotFound("pipeline {} has no version {}", name, version);
  if (p.promoted == version) {
    return Status(StatusCode::kFailedPrecondition,
                  fmt::format("{} v{} is the promoted version; promote another one first", name,
                              version));
  }
  ASSIGN_OR_RETURN(std::vector<SinkBinding> sinks, SinksLocked(name, version));
  auto it = running_.find(Key(name, version));
  if (it != running_.end()) {
    if (it->second.job) RETURN_IF_ERROR(it->second.job->Stop());
    running_.erase(it);
  }
  RETURN_IF_ERROR(hooks_.drop(sinks));
  return store_.RemoveVersion(name, version);
}

Status Registry::Drop(const std::string& name) {
  std::lock_guard lock(mu_);
  ASSIGN_OR_RETURN(PipelineRecord p, store_.Load(name));
  for (const VersionRecord& v : p.versions) {
    auto it = running_.find(Key(name, v.version));
    if (it != running_.end()) {
      if (it->second.job) RETURN_IF_ERROR(it->second.job->Stop());
      running_.erase(it);
    }
  }
  return store_.RemovePipeline(name);
}

json Registry::VersionJsonLocked(const PipelineRecord& p, const VersionRecord& v) const {
  json j = {{"version", v.version},
            {"deployed_at_ms", v.deployed_at_ms},
            {"from", v.from},
            {"promoted", p.promoted == v.version},
            {"desired_state", v.desired == DesiredState::kRunning ? "running" : "stopped"},
            {"promote_when_caught_up", v.promote_when_caught_up}};
  auto it = running_.find(Key(p.name, v.version));
  if (it != running_.end() && it->second.job) {
    json status = it->second.job->StatusJson();
    for (auto& [k, val] : status.items()) j[k] = val;
    j["caught_up"] = it->second.job->CaughtUp();
  } else {
    bool failed = it != running_.end() && !it->second.start_error.empty();
    j["state"] = failed ? "failed" : "stopped";
    if (failed) j["error"] = it->second.start_error;
    j["caught_up"] = false;
  }
  return j;
}

Result<std::vector<std::pair<VersionSpec, std::vector<SinkBinding>>>> Registry::PromotedVersions() const {
  std::lock_guard<std::mutex> lock(mu_);
  ASSIGN_OR_RETURN(std::vector<PipelineRecord> all, store_.LoadAll());
  std::vector<std::pair<VersionSpec, std::vector<SinkBinding>>> out;
  for (const PipelineRecord& p : all) {
    if (!p.promoted) continue;
    for (const VersionRecord& v : p.versions) {
      if (v.version != *p.promoted) continue;
      VersionSpec spec = SpecLocked(p.name, v);
      ASSIGN_OR_RETURN(std::vector<SinkBinding> sinks, hooks_.sinks(spec));
      out.emplace_back(std::move(spec), std::move(sinks));
    }
  }
  return out;
}

json Registry::List() const {
  std::lock_guard lock(mu_);
  json out = json::array();
  auto all = store_.LoadAll();
  if (!all.ok()) return out;
  for (const PipelineRecord& p : *all) {
    json versions = json::array();
    for (const VersionRecord& v : p.versions) versions.push_back(VersionJsonLocked(p, v));
    out.push_back({{"name", p.name},
                   {"promoted", p.promoted ? json(*p.promoted) : json(nullptr)},
                   {"versions", versions}});
  }
  return out;
}

Result<json> Registry::Describe(const std::string& name) const {
  std::lock_guard lock(mu_);
  ASSIGN_OR_RETURN(PipelineRecord p, store_.Load(name));
  json versions = json::array();
  for (const VersionRecord& v : p.versions) versions.push_back(VersionJsonLocked(p, v));
  return json{{"name", p.name},
              {"promoted", p.promoted ? json(*p.promoted) : json(nullptr)},
              {"promotions", p.promotions},
              {"versions", versions}};
}

Result<bool> Registry::CaughtUp(const std::string& name, int version) const {
  std::lock_guard lock(mu_);
  ASSIGN_OR_RETURN(PipelineRecord p, store_.Load(name));
  if (!FindVersion(p, version)) return NotFound("pipeline {} has no version {}", name, version);
  auto it = running_.find(Key(name, version));
  return it != running_.end() && it->second.job && it->second.job->CaughtUp();
}

void Registry::Tick() {
  std::lock_guard lock(mu_);
  auto all = store_.LoadAll();
  if (!all.ok()) return;
  for (PipelineRecord& p : *all) {
    for (VersionRecord& v : p.versions) {
      auto running = running_.find(Key(p.name, v.version));
      if (running != running_.end() && running->second.job) {
        running->second.job->ExportMetrics(p.name, v.version);
      }
      if (!v.promote_when_caught_up || p.promoted == v.version) continue;
      auto it = running_.find(Key(p.name, v.version));
      if (it == running_.end() || !it->second.job || !it->second.job->CaughtUp()) continue;
      if (Status st = PromoteLocked(&p, v.version); !st.ok()) {
        spdlog::error("auto-promote of {} v{} failed: {}", p.name, v.version, st.message());
        continue;
      }
      v.promote_when_caught_up = false;
      (void)store_.SaveVersion(p.name, v);
      spdlog::info("promoted {} v{} (caught up)", p.name, v.version);
    }
  }
}

void Registry::StopAll() {
  std::lock_guard lock(mu_);
  // Each version takes its final checkpoint; they do it side by side.
  std::vector<std::thread> stops;
  for (auto& [key, slot] : running_) {
    if (!slot.job) continue;
    VersionJob* job = slot.job.get();
    const std::string* name = &key;
    stops.emplace_back([job, name] {
      if (Status st = job->Stop(); !st.ok()) spdlog::error("stopping {}: {}", *name, st.message());
    });
  }
  for (std::thread& t : stops) t.join();
  running_.clear();
}

}  // namespace kappa::pipeline
