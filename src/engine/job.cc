#include "engine/job.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <chrono>
#include <thread>

#include "base/file.h"
#include "base/metrics.h"
#include "base/time.h"
#include "engine/planner.h"
#include "engine/sink/kafka_sink.h"
#include "log/topic_config.h"
#include "spdlog/spdlog.h"

namespace kappa::engine {

namespace {

constexpr int64_t kBackfillLag = 100000;        // records behind the end
constexpr int64_t kBackfillIntervalMs = 10000;  // checkpoint at most this often then
constexpr int kKeepCheckpoints = 3;

std::string Setting(const std::map<std::string, std::string>& s, const std::string& key,
                    const std::string& fallback = "") {
  auto it = s.find(key);
  return it == s.end() ? fallback : it->second;
}

bool IsExternalKafka(const sql::TableDef& t) {
  return !t.Option("properties.bootstrap.servers").empty();
}

}  // namespace

Result<int64_t> ParseInterval(const std::string& text) {
  std::string t;
  for (char c : text) {
    if (c != ' ') t += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  for (const char* unit : {"minutes", "minute", "min"}) {
    if (t.ends_with(unit)) t = t.substr(0, t.size() - std::string(unit).size()) + "m";
  }
  for (const char* unit : {"seconds", "second", "sec"}) {
    if (t.ends_with(unit)) t = t.substr(0, t.size() - std::string(unit).size()) + "s";
  }
  auto ms = log::ParseDurationMillis(t);
  if (!ms.ok() || *ms <= 0) return Invalid("bad interval '{}' (e.g. '1s', '500ms', '1 min')", text);
  return *ms;
}

const char* JobStatus::StateName(State s) {
  switch (s) {
    case State::kRunning: return "running";
    case State::kFailed: return "failed";
    case State::kStopped: return "stopped";
  }
  return "?";
}

nlohmann::json JobStatus::ToJson() const {
  nlohmann::json j;
  j["name"] = name;
  j["version"] = version;
  j["state"] = StateName(state);
  if (!message.empty()) j["message"] = message;
  j["parallelism"] = parallelism;
  j["lag"] = lag;
  j["backfill"] = backfill;
  j["events_per_second"] = events_per_second;
  j["records_in"] = records_in;
  j["records_out"] = records_out;
  j["late_records"] = late;
  j["malformed_records"] = malformed;
  j["dead_letters"] = dead_letters;
  j["last_checkpoint"] = {{"epoch", last_checkpoint_epoch},
                          {"duration_ms", last_checkpoint_duration_ms},
                          {"at_ms", last_checkpoint_at_ms}};
  j["partitions"] = nlohmann::json::array();
  for (const SplitStatus& s : splits) {
    j["partitions"].push_back({{"table", s.table},
                               {"topic", s.topic},
                               {"partition", s.partition},
                               {"offset", s.offset},
                               {"end_offset", s.end_offset},
                               {"lag", std::max<int64_t>(0, s.end_offset - s.offset)},
                               {"lag_ms", s.time_lag_ms()}});
  }
  j["lag_ms"] = time_lag_ms;
  return j;
}

int64_t SplitStatus::time_lag_ms() const {
  if (offset >= end_offset || end_time_ms < 0) return 0;
  return read_time_ms < 0 ? 0 : std::max<int64_t>(0, end_time_ms - read_time_ms);
}

Result<std::unique_ptr<Job>> Job::Start(const sql::Pipeline& pipeline, JobOptions options) {
  if (options.log == nullptr) return Invalid("a job needs a log");
  if (options.checkpoint_dir.empty()) return Invalid("a job needs a checkpoint directory");
  if (options.dlq_topic.empty()) options.dlq_topic = options.name + ".dlq";
  std::unique_ptr<Job> job(new Job(std::move(options)));
  RETURN_IF_ERROR(job->Build(pipeline));
  return job;
}

Job::~Job() {
  if (coordinator_.joinable() || dataflow_) Kill();
}

Status Job::OpenSinks(const sql::Pipeline& pipeline) {
  for (size_t i = 0; i < pipeline.inserts.size(); ++i) {
    const auto& target = pipeline.inserts[i].target;
    if (target == nullptr) return Internal("INSERT without a target table");
    std::string connector = target->Option("connector");
    if (IsExternalKafka(*target)) {
      if (connector != "kafka" && connector != "upsert-kafka") {
        return Unimplemented("table {}: 'properties.bootstrap.servers' needs connector 'kafka' or "
                             "'upsert-kafka'", target->name);
      }
      if (connector == "upsert-kafka" && target->primary_key.empty()) {
        return Invalid("table {}: 'upsert-kafka' needs a PRIMARY KEY", target->name);
      }
      // No topic renames: a version writes the external topic it names.
      ASSIGN_OR_RETURN(std::unique_ptr<KafkaSink> sink,
                       KafkaSink::Open(target, fmt::format("{}/v{}/{}", options_.name,
                                                           options_.version, i)));
      sinks_.push_back(std::move(sink));
      continue;
    }
    if (connector == "kafka" || connector == "upsert-kafka") {
      if (connector == "upsert-kafka" && target->primary_key.empty()) {
        return Invalid("table {}: 'upsert-kafka' needs a PRIMARY KEY", target->name);
      }
      std::string topic = target->Option("topic");
      if (topic.empty()) return Invalid("table {} has no 'topic' option", target->name);
      auto renamed = options_.topic_renames.find(topic);
      if (renamed != options_.topic_renames.end()) topic = renamed->second;
      TopicSinkOptions o;
      o.topic = topic;
      o.writer_id = fmt::format("{}/v{}/{}", options_.name, options_.version, i);
      ASSIGN_OR_RETURN(std::unique_ptr<TopicSink> sink, TopicSink::Open(target, options_.log, o));
      sinks_.push_back(std::move(sink));
      continue;
    }
    if (options_.table_sinks) {
      ASSIGN_OR_RETURN(std::unique_ptr<Sink> sink,
                       options_.table_sinks(*target, static_cast<int>(i)));
      sinks_.push_back(std::move(sink));
      continue;
    }
    return Unimplemented("table {}: unsupported connector '{}'", target->name, connector);
  }
  return OkStatus();
}

Status Job::Build(const sql::Pipeline& pipeline) {
  settings_ = pipeline.settings;
  interval_ms_ = 1000;
  if (options_.checkpoint_interval_ms > 0) {
    interval_ms_ = options_.checkpoint_interval_ms;
  } else if (std::string v = Setting(settings_, "execution.checkpointing.interval"); !v.empty()) {
    ASSIGN_OR_RETURN(interval_ms_, ParseInterval(v));
  }
  RETURN_IF_ERROR(OpenSinks(pipeline));
  std::vector<Sink*> sinks;
  for (auto& s : sinks_) sinks.push_back(s.get());
  ASSIGN_OR_RETURN(plan_, PlanPipeline(pipeline, sinks));

  std::vector<const TopicSource*> topics;
  int32_t max_partitions = 1;
  for (const PhysicalSource& src : plan_.sources) {
    if (src.table == nullptr) {
      topics.push_back(nullptr);
      continue;
    }
    std::unique_ptr<TopicSource> t;
    if (IsExternalKafka(*src.table)) {
      // Served under a name of its own, so that its checkpointed offsets
      // never mix with an internal topic's.
      std::string name = ExternalTopicName(*src.table);
      ASSIGN_OR_RETURN(std::unique_ptr<KafkaLog> external, KafkaLog::Open(*src.table, name));
      auto table = std::make_shared<sql::TableDef>(*src.table);
      table->options["topic"] = name;
      ASSIGN_OR_RETURN(t, TopicSource::Open(std::move(table), external.get()));
      external_logs_.push_back(std::move(external));
    } else {
      ASSIGN_OR_RETURN(t, TopicSource::Open(src.table, options_.log));
    }
    max_partitions = std::max(max_partitions, t->partitions());
    topics_.push_back(std::move(t));
    topics.push_back(topics_.back().get());
  }
  TopicSinkOptions dlq;
  dlq.topic = options_.dlq_topic;
  dlq.writer_id = fmt::format("{}/v{}/dlq", options_.name, options_.version);
  ASSIGN_OR_RETURN(dead_letters_, TopicSink::Open(nullptr, options_.log, dlq));

  RETURN_IF_ERROR(CreateDirs(options_.checkpoint_dir));
  store_ = CheckpointStore(options_.checkpoint_dir);
  ASSIGN_OR_RETURN(std::optional<CheckpointData> checkpoint, store_.LoadLatest());

  DataflowSpec spec;
  spec.plan = &plan_;
  spec.topics = topics;
  spec.bounded = false;
  spec.start_mode = options_.start_from;
  spec.committed = [this](const std::string& group, const std::string& topic,
                          int32_t partition) -> std::optional<int64_t> {
    for (const auto& external : external_logs_) {
      if (external->name() == topic) return external->Committed(group, partition);
    }
    if (!options_.committed_offsets) return std::nullopt;
    return options_.committed_offsets(group, topic, partition);
  };
  spec.dead_letters = dead_letters_.get();
  spec.exec.pipeline = options_.name;
  std::string late = Setting(settings_, "late-records", "drop");
  if (late != "drop" && late != "dlq") return Invalid("'late-records' must be 'drop' or 'dlq'");
  spec.exec.late_policy = late == "dlq" ? LatePolicy::kDeadLetter : LatePolicy::kDrop;
  std::string bad = Setting(settings_, "malformed-records", "dlq");
  if (bad != "fail" && bad != "dlq") return Invalid("'malformed-records' must be 'dlq' or 'fail'");
  spec.exec.malformed_policy = bad == "fail" ? MalformedPolicy::kFail : MalformedPolicy::kDeadLetter;
  if (checkpoint) {
    if (checkpoint->fingerprint != plan_.Fingerprint()) {
      return Busy("checkpoint {} in {} was taken by a different plan; deploy the SQL as a new "
                  "version", checkpoint->epoch, options_.checkpoint_dir);
    }
    spec.parallelism = checkpoint->parallelism;
    spec.start_offsets = checkpoint->offsets;
  } else if (options_.parallelism > 0) {
    spec.parallelism = options_.parallelism;
  } else if (std::string p = Setting(settings_, "parallelism"); !p.empty()) {
    int v = 0;
    auto [ptr, ec] = std::from_chars(p.data(), p.data() + p.size(), v);
    if (ec != std::errc() || ptr != p.data() + p.size() || v < 1 || v > 256) {
      return Invalid("'parallelism' must be a number from 1 to 256, got '{}'", p);
    }
    spec.parallelism = v;
  } else {
    int cores = std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
    spec.parallelism = std::min<int>(max_partitions, cores);
  }
  ASSIGN_OR_RETURN(dataflow_, Dataflow::Build(std::move(spec)));
  if (checkpoint) RETURN_IF_ERROR(Recover(*checkpoint));
  RETURN_IF_ERROR(dataflow_->Start());
  rate_at_ns_ = MonotonicNanos();
  coordinator_ = std::thread([this] {
    CoordinatorLoop();
    std::lock_guard<std::mutex> lock(mu_);
    coordinator_done_ = true;
    cv_.notify_all();
  });
  return OkStatus();
}

Status Job::CommitSinks(int64_t epoch, const std::vector<TaskCheckpoint>& tasks) {
  const std::vector<int>& nodes = dataflow_->sink_nodes();
  for (size_t i = 0; i < sinks_.size(); ++i) {
    std::vector<std::string> payloads;
    for (const TaskCheckpoint& t : tasks) payloads.push_back(t.nodes[nodes[i]]);
    RETURN_IF_ERROR(sinks_[i]->Commit(Epoch(epoch), payloads));
  }
  std::vector<std::string> dead;
  for (const TaskCheckpoint& t : tasks) dead.push_back(t.dead_letters);
  return dead_letters_->Commit(Epoch(epoch), dead);
}

Status Job::Recover(const CheckpointData& checkpoint) {
  if (checkpoint.sink_infos.size() != sinks_.size() + 1) {
    return Corruption("checkpoint {} records {} sinks, the pipeline has {}", checkpoint.epoch,
                      checkpoint.sink_infos.size(), sinks_.size() + 1);
  }
  Epoch e(checkpoint.epoch);
  for (size_t i = 0; i < sinks_.size(); ++i) {
    RETURN_IF_ERROR(sinks_[i]->Recover(e, checkpoint.sink_infos[i]));
  }
  RETURN_IF_ERROR(dead_letters_->Recover(e, checkpoint.sink_infos.back()));
  RETURN_IF_ERROR(CommitSinks(checkpoint.epoch, checkpoint.tasks));
  for (auto& sink : sinks_) {
    ASSIGN_OR_RETURN(std::optional<Epoch> last, sink->LastCommittedEpoch());
    if (last && last->value() > checkpoint.epoch) {
      return Corruption("{} holds epoch {} but the newest checkpoint in {} is {}: checkpoints "
                        "were lost", sink->name(), last->value(), options_.checkpoint_dir,
                        checkpoint.epoch);
    }
  }
  RETURN_IF_ERROR(dataflow_->Restore(checkpoint));
  std::lock_guard<std::mutex> lock(mu_);
  epoch_ = checkpoint.epoch;
  committed_epoch_ = checkpoint.epoch;
  last_at_ms_ = checkpoint.created_ms;
  return OkStatus();
}

Status Job::RunCheckpoint() {
  int64_t epoch;
  {
    std::lock_guard<std::mutex> lock(mu_);
    epoch = ++epoch_;
  }
  int64_t start = MonotonicNanos();
  JobControl& control = dataflow_->control();
  control.checkpoint_soon.store(false);
  control.requested_epoch.store(epoch);
  control.RingAll();
  ASSIGN_OR_RETURN(std::vector<TaskSnapshot> snapshots, control.WaitSnapshots(epoch));
  CheckpointData data;
  data.epoch = epoch;
  data.parallelism = dataflow_->parallelism();
  data.fingerprint = plan_.Fingerprint();
  data.created_ms = WallMillis();
  for (TaskSnapshot& s : snapshots) {
    for (const auto& [split, offset] : s.positions) {
      const SplitInfo& info = dataflow_->splits()[split];
      data.offsets.push_back({info.topic, info.partition, offset});
    }
    data.tasks.push_back(std::move(s.data));
  }
  for (auto& sink : sinks_) {
    ASSIGN_OR_RETURN(std::string info, sink->CheckpointInfo(Epoch(epoch)));
    data.sink_infos.push_back(std::move(info));
  }
  ASSIGN_OR_RETURN(std::string dlq_info, dead_letters_->CheckpointInfo(Epoch(epoch)));
  data.sink_infos.push_back(std::move(dlq_info));
  RETURN_IF_ERROR(store_.Write(data));
  if (options_.crash_before_commit && options_.crash_before_commit(epoch)) {
    return ::kappa::Status(StatusCode::kCancelled, "crash before commit (test)");
  }
  RETURN_IF_ERROR(CommitSinks(epoch, data.tasks));
  RETURN_IF_ERROR(store_.Prune(kKeepCheckpoints));
  {
    std::lock_guard<std::mutex> lock(mu_);
    committed_epoch_ = epoch;
    last_duration_ms_ = (MonotonicNanos() - start) / 1000000;
    last_at_ms_ = data.created_ms;
  }
  Metrics::Histogram("kappa_pipeline_checkpoint_duration_seconds",
                     "Checkpoints: barrier to committed sinks",
                     {{"pipeline", options_.name}, {"version", std::to_string(options_.version)}})
      .ObserveMicros((MonotonicNanos() - start) / 1000);
  cv_.notify_all();
  return OkStatus();
}

int64_t Job::Lag() const {
  int64_t lag = 0;
  for (size_t s = 0; s < dataflow_->splits().size(); ++s) {
    SplitProgress& p = dataflow_->control().progress(static_cast<int32_t>(s));
    lag += std::max<int64_t>(0, dataflow_->EndOffset(s) - p.position.load());
  }
  return lag;
}

void Job::UpdateRate() {
  int64_t now = MonotonicNanos();
  int64_t records = dataflow_->counters().records_in.load();
  std::lock_guard<std::mutex> lock(mu_);
  if (now - rate_at_ns_ < 1000000000) return;
  rate_ = static_cast<double>(records - rate_records_) * 1e9 / static_cast<double>(now - rate_at_ns_);
  rate_records_ = records;
  rate_at_ns_ = now;
}

void Job::CoordinatorLoop() {
  int64_t next_due = MonotonicNanos() + interval_ms_ * 1000000;
  for (;;) {
    bool stopping, killed, requested;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait_for(lock, std::chrono::milliseconds(50), [&] {
        return stopping_ || killed_ || checkpoint_requested_ > epoch_;
      });
      stopping = stopping_;
      killed = killed_;
      requested = checkpoint_requested_ > epoch_;
    }
    if (killed) return;
    ::kappa::Status failure = dataflow_->control().failure();
    if (!failure.ok()) {
      std::lock_guard<std::mutex> lock(mu_);
      failure_ = failure;
      cv_.notify_all();
      return;
    }
    UpdateRate();
    int64_t now = MonotonicNanos();
    bool due = stopping || requested || now >= next_due ||
               dataflow_->control().checkpoint_soon.load();
    if (!due) continue;
    ::kappa::Status st = RunCheckpoint();
    if (!st.ok()) {
      std::lock_guard<std::mutex> lock(mu_);
      if (!killed_ && st.code() != StatusCode::kCancelled) failure_ = st;
      if (st.code() == StatusCode::kCancelled) killed_ = true;
      dataflow_->control().Fail(st);
      cv_.notify_all();
      return;
    }
    if (stopping) return;
    int64_t interval = interval_ms_;
    if (Lag() > kBackfillLag) interval = std::max(interval, kBackfillIntervalMs);
    next_due = MonotonicNanos() + interval * 1000000;
  }
}

::kappa::Status Job::Checkpoint() {
  std::unique_lock<std::mutex> lock(mu_);
  if (stopped_ || stopping_ || killed_) return Busy("job {} is stopped", options_.name);
  int64_t target = epoch_ + 1;
  checkpoint_requested_ = std::max(checkpoint_requested_, target);
  cv_.notify_all();
  cv_.wait(lock, [&] { return committed_epoch_ >= target || !failure_.ok() || killed_; });
  if (!failure_.ok()) return failure_;
  if (committed_epoch_ < target) return ::kappa::Status(StatusCode::kCancelled, "job was killed");
  return OkStatus();
}

::kappa::Status Job::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopped_) return failure_;
    stopping_ = true;
  }
  cv_.notify_all();
  // The final checkpoint takes milliseconds. If it does not complete (a
  // task never delivers its snapshot), stop without it, as a crash would:
  // the previous checkpoint stands and a restart resumes from it, so no
  // output is lost or repeated.
  bool done = false;
  {
    std::unique_lock<std::mutex> lock(mu_);
    done = cv_.wait_for(lock, std::chrono::seconds(kFinalCheckpointSeconds),
                        [this] { return coordinator_done_; });
  }
  if (!done && dataflow_) {
    spdlog::warn("{} v{}: the final checkpoint did not complete in {} s; stopping without it",
                 options_.name, options_.version, kFinalCheckpointSeconds);
    dataflow_->control().stop.store(true);
    dataflow_->control().Wake();
  }
  if (coordinator_.joinable()) coordinator_.join();
  if (dataflow_) dataflow_->Stop();
  std::lock_guard<std::mutex> lock(mu_);
  stopped_ = true;
  return failure_;
}

void Job::Kill() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    killed_ = true;
    stopping_ = true;
  }
  if (dataflow_) {
    dataflow_->control().stop.store(true);
    dataflow_->control().Wake();
  }
  cv_.notify_all();
  if (coordinator_.joinable()) coordinator_.join();
  if (dataflow_) dataflow_->Stop();
  std::lock_guard<std::mutex> lock(mu_);
  stopped_ = true;
}

bool Job::CaughtUp() const {
  for (size_t s = 0; s < dataflow_->splits().size(); ++s) {
    SplitProgress& p = dataflow_->control().progress(static_cast<int32_t>(s));
    if (p.position.load() < dataflow_->EndOffset(s)) return false;
  }
  return true;
}

JobStatus Job::Status() const {
  JobStatus st;
  st.name = options_.name;
  st.version = options_.version;
  st.parallelism = dataflow_->parallelism();
  for (size_t s = 0; s < dataflow_->splits().size(); ++s) {
    const SplitInfo& info = dataflow_->splits()[s];
    SplitProgress& p = dataflow_->control().progress(static_cast<int32_t>(s));
    SplitStatus split{info.table, info.topic, info.partition, p.position.load(),
                      dataflow_->EndOffset(s)};
    split.read_time_ms = p.last_timestamp.load();
    auto [first_ms, end_ms] = dataflow_->TimeRange(s);
    split.end_time_ms = end_ms;
    if (split.read_time_ms < 0) split.read_time_ms = first_ms;
    st.time_lag_ms = std::max(st.time_lag_ms, split.time_lag_ms());
    st.splits.push_back(std::move(split));
  }
  st.lag = Lag();
  st.backfill = st.lag > kBackfillLag;
  JobCounters& c = dataflow_->counters();
  st.records_in = c.records_in.load();
  st.records_out = c.records_out.load();
  st.late = c.late.load();
  st.malformed = c.malformed.load();
  st.dead_letters = c.dead_letters.load();
  std::lock_guard<std::mutex> lock(mu_);
  st.events_per_second = rate_;
  st.last_checkpoint_epoch = committed_epoch_;
  st.last_checkpoint_duration_ms = last_duration_ms_;
  st.last_checkpoint_at_ms = last_at_ms_;
  if (!failure_.ok()) {
    st.state = JobStatus::State::kFailed;
    st.message = std::string(failure_.message());
  } else if (stopped_ || stopping_) {
    st.state = JobStatus::State::kStopped;
  }
  return st;
}

}  // namespace kappa::engine
