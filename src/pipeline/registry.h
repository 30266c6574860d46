// The pipeline registry: which pipelines exist, their versions, which version
// each pipeline's aliases point at, and the running jobs. It owns the files
// of VersionStore and the jobs started through a JobStarter (the engine
// adapter, or a test double); it knows nothing of SQL beyond passing text.
// Every public method is thread-safe (one mutex; a call that stops a job
// holds it while the job takes its last checkpoint).
//
// Lifecycle of a version: Deploy writes v<N>/ and starts it; Stop stops it
// (desired state "stopped" survives restarts); Promote repoints the
// pipeline's aliases at it in one catalog write; Retire stops it and removes
// its tables, state and checkpoints (never the promoted one); Rollback
// repoints the aliases at the previously promoted version.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/status.h"
#include "nlohmann/json.hpp"
#include "pipeline/version_store.h"

namespace kappa::pipeline {

// A sink of a version: the name the SQL writes to (and dashboards query) and
// the physical table or topic this version writes, e.g. revenue ->
// revenue__v2.
struct SinkBinding {
  std::string alias;
  std::string physical;
  bool is_table = true;  // a serving table (catalog alias) or a topic
};

// What the registry needs from one running version.
class VersionJob {
 public:
  virtual ~VersionJob() = default;
  // Stops the job after a final checkpoint; idempotent.
  virtual kappa::Status Stop() = 0;
  // The engine's status (state, offsets, lag, events/s, checkpoints, counts).
  virtual nlohmann::json StatusJson() const = 0;
  // True once the version has read to the end of its sources and the lag
  // stayed under the threshold (the status says which).
  virtual bool CaughtUp() const = 0;
  // Publishes its figures to /metrics (base/metrics.h) under these labels;
  // cheap (never takes a checkpoint). Called by Registry::Tick.
  virtual void ExportMetrics(const std::string& /*pipeline*/, int /*version*/) const {}
};

struct VersionSpec {
  std::string name;
  int version = 0;
  std::string sql;
  std::string from;            // earliest | latest | timestamp
  std::string checkpoint_dir;  // pipelines/<name>/v<N>/checkpoints
};

struct RegistryHooks {
  // Starts a version's job (compiling its SQL); errors are shown to the user.
  std::function<Result<std::unique_ptr<VersionJob>>(const VersionSpec&)> start;
  // Compiles SQL without running it: deploy refuses bad SQL before writing.
  std::function<Status(const std::string& name, const std::string& sql)> validate;
  // The sinks a version's SQL writes, with this version's physical names.
  std::function<Result<std::vector<SinkBinding>>(const VersionSpec&)> sinks;
  // Points every alias at its physical table/topic in one atomic write.
  std::function<Status(const std::vector<SinkBinding>&)> repoint;
  // Removes a retired version's tables and topics.
  std::function<Status(const std::vector<SinkBinding>&)> drop;
};

struct DeployOptions {
  // earliest | latest | timestamp; empty: each table's 'scan.startup.mode'
  // for v1, earliest for later versions (they replay).
  std::string from;
  bool promote_when_caught_up = false;
};

class Registry {
 public:
  ~Registry();

  // Loads <data_dir>/pipelines and starts every version whose desired state
  // is running. A version that fails to start is reported in its status.
  static Result<std::unique_ptr<Registry>> Open(const std::string& data_dir, RegistryHooks hooks);

  // Deploys `sql` as v1 of a new pipeline (promoted at once) or as v(N+1)
  // beside the running versions. Returns the new version number.
  Result<int> Deploy(const std::string& name, const std::string& sql, const DeployOptions& options);
  // Stops one version, or all versions of the pipeline.
  Status Stop(const std::string& name, std::optional<int> version);
  // Starts a stopped version again (from its last checkpoint).
  Status Start(const std::string& name, int version);
  Status Promote(const std::string& name, int version, bool force);
  Status Retire(const std::string& name, int version);
  Status Rollback(const std::string& name);
  // Stops and removes every version and the pipeline itself.
  Status Drop(const std::string& name);

  nlohmann::json List() const;
  Result<nlohmann::json> Describe(const std::string& name) const;
  // True when that version exists and has caught up.
  Result<bool> CaughtUp(const std::string& name, int version) const;
  // The promoted version of every pipeline (its SQL as deployed), with the
  // sinks it writes; what queries resolve pipeline-declared tables with.
  Result<std::vector<std::pair<VersionSpec, std::vector<SinkBinding>>>> PromotedVersions() const;

  // Called periodically by the server: promotes versions deployed with
  // promote_when_caught_up once they caught up, and exports every running
  // version's metrics.
  void Tick();
  // Stops every job (each takes a final checkpoint); for server shutdown.
  void StopAll();

 private:
  struct Running {
    std::unique_ptr<VersionJob> job;
    std::string start_error;
  };
  Registry(VersionStore store, RegistryHooks hooks) : store_(std::move(store)), hooks_(std::move(hooks)) {}

  Status StartVersionLocked(const PipelineRecord& p, const VersionRecord& v);
  Status PromoteLocked(PipelineRecord* p, int version);
  nlohmann::json VersionJsonLocked(const PipelineRecord& p, const VersionRecord& v) const;
  Result<std::vector<SinkBinding>> SinksLocked(const std::string& name, int version) const;
  VersionSpec SpecLocked(const std::string& name, const VersionRecord& v) const;
  static std::string Key(const std::string& name, int version);

  mutable std::mutex mu_;
  VersionStore store_;
  RegistryHooks hooks_;
  std::map<std::string, Running> running_;  // Key(name, version)
};

}  // namespace kappa::pipeline
