#include "pipeline/engine_hooks.h"

#include <atomic>
#include <set>

#include "base/metrics.h"
#include "sql/compile.h"

namespace kappa::pipeline {
namespace {

using nlohmann::json;

std::string DlqTopic(const std::string& name, int version) {
  return version == 1 ? name + ".dlq" : fmt::format("{}__v{}.dlq", name, version);
}

// A running engine::Job as the registry sees it.
class EngineVersionJob : public VersionJob {
 public:
  explicit EngineVersionJob(std::unique_ptr<engine::Job> job) : job_(std::move(job)) {}

  kappa::Status Stop() override { return job_->Stop(); }

  json StatusJson() const override {
    engine::JobStatus st = job_->Status();
    json j = st.ToJson();
    if (!st.message.empty()) j["error"] = st.message;
    j["lag_records"] = st.lag;
    j["last_checkpoint"]["completed_at_ms"] = st.last_checkpoint_at_ms;
    if (st.events_per_second > 0 && st.lag > 0) {
      j["eta_ms"] = static_cast<int64_t>(1000.0 * static_cast<double>(st.lag) /
                                         st.events_per_second);
    }
    j["idle"] = Idle(st);
    return j;
  }

  bool CaughtUp() const override { return job_->CaughtUp(); }

  void ExportMetrics(const std::string& pipeline, int version) const override {
    engine::JobStatus st = job_->Status();
    Labels labels = {{"pipeline", pipeline}, {"version", std::to_string(version)}};
    auto gauge = [&](const char* name, const char* help, int64_t v) {
      Metrics::Gauge(name, help, labels).Set(v);
    };
    gauge("kappa_pipeline_lag_records", "Records behind the end of the log", st.lag);
    gauge("kappa_pipeline_events_per_second", "Records read per second, recent",
          static_cast<int64_t>(st.events_per_second));
    gauge("kappa_pipeline_records_in", "Records read since the version started", st.records_in);
    gauge("kappa_pipeline_records_out", "Rows written to sinks since the version started",
          st.records_out);
    gauge("kappa_pipeline_late_records", "Rows behind the watermark (dropped or to the DLQ)",
          st.late);
    gauge("kappa_pipeline_malformed_records", "Records that did not decode", st.malformed);
    gauge("kappa_pipeline_dead_letters", "Records written to the dead-letter topic",
          st.dead_letters);
    gauge("kappa_pipeline_checkpoint_epoch", "Last completed checkpoint",
          st.last_checkpoint_epoch);
    gauge("kappa_pipeline_last_checkpoint_duration_ms", "Duration of the last checkpoint",
          st.last_checkpoint_duration_ms);
    gauge("kappa_pipeline_running", "1 while the version runs, 0 when failed or stopped",
          st.state == engine::JobStatus::State::kRunning ? 1 : 0);
    gauge("kappa_pipeline_caught_up", "1 once the version has caught up", job_->CaughtUp() ? 1 : 0);
  }

 private:
  // Read to the end and everything read is committed: when caught up with
  // records read since the last checkpoint, take one now (tests and
  // `pipeline wait` then see committed output).
  bool Idle(const engine::JobStatus& st) const {
    if (st.state != engine::JobStatus::State::kRunning || !job_->CaughtUp()) return false;
    if (st.records_in == committed_records_in_.load()) return true;
    if (!job_->Checkpoint().ok()) return false;
    committed_records_in_.store(st.records_in);
    return job_->CaughtUp() && job_->Status().records_in == st.records_in;
  }

  std::unique_ptr<engine::Job> job_;
  mutable std::atomic<int64_t> committed_records_in_{-1};
};

Result<std::vector<SinkBinding>> SinksOf(const sql::Pipeline& p, int version) {
  std::vector<SinkBinding> out;
  std::set<std::string> seen;
  for (const sql::Insert& insert : p.inserts) {
    const sql::TableDef& t = *insert.target;
    if (!seen.insert(t.name).second) continue;
    if (IsTopicTable(t)) {
      std::string topic = t.Option("topic", t.name);
      out.push_back({topic, PhysicalTopicName(topic, version), false});
    } else {
      ASSIGN_OR_RETURN(table::TableIdent ident, table::TableIdent::Parse(t.name));
      out.push_back({ident.ToString(), PhysicalTableName(t.name, version), true});
    }
  }
  return out;
}

Result<std::unique_ptr<VersionJob>> StartJob(const EngineEnv& env, const VersionSpec& spec) {
  ASSIGN_OR_RETURN(sql::Pipeline p, sql::CompilePipeline(spec.sql, nullptr));
  engine::JobOptions options;
  options.name = spec.name;
  options.version = spec.version;
  options.log = env.log;
  options.checkpoint_dir = spec.checkpoint_dir;
  options.dlq_topic = DlqTopic(spec.name, spec.version);
  options.start_from = spec.from;
  options.committed_offsets = env.committed_offsets;
  ASSIGN_OR_RETURN(std::vector<SinkBinding> sinks, SinksOf(p, spec.version));
  for (const SinkBinding& s : sinks) {
    if (!s.is_table && s.alias != s.physical) options.topic_renames[s.alias] = s.physical;
  }
  if (env.table_sinks) {
    int version = spec.version;
    engine::SinkFactory inner = env.table_sinks;
    std::string pipeline = spec.name;
    options.table_sinks = [inner, version, pipeline](const sql::TableDef& target, int insert) {
      sql::TableDef physical = target;
      physical.name = PhysicalTableName(target.name, version);
      // The Iceberg sink records them in every snapshot summary.
      physical.options["kappa.pipeline"] = pipeline;
      physical.options["kappa.version"] = std::to_string(version);
      return inner(physical, insert);
    };
  }
  ASSIGN_OR_RETURN(std::unique_ptr<engine::Job> job, engine::Job::Start(p, std::move(options)));
  return std::unique_ptr<VersionJob>(new EngineVersionJob(std::move(job)));
}

Status Repoint(const EngineEnv& env, const std::vector<SinkBinding>& sinks) {
  std::map<std::string, std::string> aliases;
  for (const SinkBinding& s : sinks) {
    if (s.is_table) aliases[s.alias] = s.physical;
  }
  if (aliases.empty()) return OkStatus();
  if (env.catalog == nullptr) return Status(StatusCode::kFailedPrecondition, "no table catalog");
  return env.catalog->SetAliases(aliases);
}

Status Drop(const EngineEnv& env, const std::vector<SinkBinding>& sinks) {
  for (const SinkBinding& s : sinks) {
    if (s.is_table) {
      if (env.catalog == nullptr) continue;
      ASSIGN_OR_RETURN(table::TableIdent ident, table::TableIdent::Parse(s.physical));
      if (!env.catalog->TableExists(ident)) continue;
      RETURN_IF_ERROR(env.catalog->DropTable(ident));
    } else if (s.alias != s.physical && env.log->GetTopic(s.physical).ok()) {
      RETURN_IF_ERROR(env.log->DeleteTopic(s.physical));
    }
  }
  return OkStatus();
}

}  // namespace

std::string PhysicalTableName(const std::string& name, int version) {
  auto ident = table::TableIdent::Parse(name);
  std::string qualified = ident.ok() ? ident->ToString() : name;
  return fmt::format("{}__v{}", qualified, version);
}

std::string PhysicalTopicName(const std::string& topic, int version) {
  return version == 1 ? topic : fmt::format("{}__v{}", topic, version);
}

bool IsTopicTable(const sql::TableDef& table) {
  std::string connector = table.Option("connector");
  return connector == "kafka" || connector == "upsert-kafka";
}

RegistryHooks MakeEngineHooks(EngineEnv env) {
  RegistryHooks hooks;
  hooks.validate = [](const std::string&, const std::string& sql) {
    return sql::CompilePipeline(sql, nullptr).status();
  };
  hooks.sinks = [](const VersionSpec& spec) -> Result<std::vector<SinkBinding>> {
    ASSIGN_OR_RETURN(sql::Pipeline p, sql::CompilePipeline(spec.sql, nullptr));
    return SinksOf(p, spec.version);
  };
  hooks.start = [env](const VersionSpec& spec) { return StartJob(env, spec); };
  hooks.repoint = [env](const std::vector<SinkBinding>& s) { return Repoint(env, s); };
  hooks.drop = [env](const std::vector<SinkBinding>& s) { return Drop(env, s); };
  return hooks;
}

}  // namespace kappa::pipeline
