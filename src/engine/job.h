// A Job runs one pipeline version (a sql::Pipeline: several INSERTs) as a
// streaming dataflow with exactly-once output (src/engine/README.md):
//
//   auto job = Job::Start(pipeline, JobOptions{...});   // recovers, then runs
//   job->Status();                                        // any thread
//   job->Stop();                                          // final checkpoint
//
// Start loads the newest complete checkpoint under options.checkpoint_dir
// (pipelines/<name>/v<N>/checkpoints), re-commits its sink payloads
// (idempotent), restores operator state and seeks the sources to its
// offsets; without one the sources start per 'scan.startup.mode' (or
// options.start_from). A coordinator thread then takes a barrier-aligned
// checkpoint every 'execution.checkpointing.interval' (default 1 s; at
// least 10 s while far behind the end of the log, and early when sinks
// hold much staged output), writes it, and commits the sinks.
//
// Pipeline settings (SET 'key' = 'value'): 'parallelism',
// 'execution.checkpointing.interval' ("1s", "500ms", "1 min", or ms),
// 'late-records' = 'drop' | 'dlq', 'malformed-records' = 'dlq' | 'fail'.
//
// Thread-safe: Status, CaughtUp and Stop may be called from any thread.
#pragma once

#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "base/status.h"
#include "engine/physical_plan.h"
#include "engine/runtime/checkpoint_store.h"
#include "engine/runtime/dataflow.h"
#include "engine/sink/sink.h"
#include "engine/sink/topic_sink.h"
#include "engine/source/kafka_log.h"
#include "engine/source/topic_source.h"
#include "log/log.h"
#include "nlohmann/json.hpp"
#include "sql/plan.h"

namespace kappa::engine {

// Makes the sink of a target that is not a topic (a serving table); the
// table module provides it.
using SinkFactory =
    std::function<Result<std::unique_ptr<Sink>>(const sql::TableDef& target, int insert)>;

struct JobOptions {
  std::string name;     // pipeline name
  int version = 1;
  log::Log* log = nullptr;     // must outlive the job
  std::string checkpoint_dir;  // pipelines/<name>/v<N>/checkpoints
  std::string dlq_topic;       // default "<name>.dlq"
  // Where sources start without a checkpoint: "" (per table),
  // "earliest", "latest", or a timestamp (`deploy --from`).
  std::string start_from;
  // Sink topic renames: the topic an INSERT names -> the topic this
  // version writes (topic sinks of version N are suffixed by the registry).
  std::map<std::string, std::string> topic_renames;
  CommittedOffsetLookup committed_offsets;
  SinkFactory table_sinks;
  // Overrides of the pipeline's settings (0 / -1: use the settings).
  int parallelism = 0;
  int64_t checkpoint_interval_ms = -1;
  // Tests: called after a checkpoint is written and before its sinks are
  // committed; returning true stops the job there, as a crash would.
  std::function<bool(int64_t epoch)> crash_before_commit;
};

struct SplitStatus {
  std::string table, topic;
  int32_t partition = 0;
  int64_t offset = 0;      // next offset to read
  int64_t end_offset = 0;  // the partition's readable end
  // Record timestamps (Kafka's, e.g. the event time an ingest set): the
  // largest read so far (before any: the smallest stored) and the largest
  // stored; -1 when unknown.
  int64_t read_time_ms = -1;
  int64_t end_time_ms = -1;
  // How far behind in time: end_time_ms - read_time_ms while records are
  // left to read, else 0.
  int64_t time_lag_ms() const;
};

struct JobStatus {
  enum class State { kRunning, kFailed, kStopped };
  State state = State::kRunning;
  std::string message;  // why it failed
  std::string name;
  int version = 0;
  int parallelism = 1;
  std::vector<SplitStatus> splits;
  int64_t lag = 0;  // records behind the end of the log, over all splits
  int64_t time_lag_ms = 0;  // the largest time lag of a split
  bool backfill = false;
  double events_per_second = 0;
  int64_t records_in = 0, records_out = 0;
  int64_t late = 0, malformed = 0, dead_letters = 0;
  int64_t last_checkpoint_epoch = 0;
  int64_t last_checkpoint_duration_ms = 0;
  int64_t last_checkpoint_at_ms = 0;  // wall clock

  static const char* StateName(State s);
  nlohmann::json ToJson() const;
};

class Job {
 public:
  static Result<std::unique_ptr<Job>> Start(const sql::Pipeline& pipeline, JobOptions options);
  ~Job();

  // Takes a final checkpoint (committing what was processed), then stops
  // the tasks; if that checkpoint has not completed after a few seconds,
  // stops without it (as a crash would: the previous one stands).
  // Idempotent; returns the job's failure if it had failed.
  ::kappa::Status Stop();
  // Stops at once without a checkpoint: what a crash leaves behind (tests).
  void Kill();
  // Takes a checkpoint now and waits until its sinks are committed.
  ::kappa::Status Checkpoint();

  JobStatus Status() const;
  // Every split has been read to the end offset it had when last polled.
  bool CaughtUp() const;
  const PhysicalPlan& plan() const { return plan_; }

 private:
  explicit Job(JobOptions options) : options_(std::move(options)), store_("") {}

  ::kappa::Status Build(const sql::Pipeline& pipeline);
  ::kappa::Status OpenSinks(const sql::Pipeline& pipeline);
  ::kappa::Status Recover(const CheckpointData& checkpoint);
  void CoordinatorLoop();
  ::kappa::Status RunCheckpoint();
  ::kappa::Status CommitSinks(int64_t epoch, const std::vector<TaskCheckpoint>& tasks);
  void UpdateRate();
  int64_t Lag() const;

  JobOptions options_;
  std::map<std::string, std::string> settings_;
  // External Kafka topics read by sources (outlive topics_ and dataflow_).
  std::vector<std::unique_ptr<KafkaLog>> external_logs_;
  std::vector<std::unique_ptr<TopicSource>> topics_;
  std::vector<std::unique_ptr<Sink>> sinks_;
  std::unique_ptr<TopicSink> dead_letters_;
  PhysicalPlan plan_;
  std::unique_ptr<Dataflow> dataflow_;
  CheckpointStore store_;
  int64_t interval_ms_ = 1000;

  mutable std::mutex mu_;  // guards what follows
  std::condition_variable cv_;
  int64_t epoch_ = 0;
  int64_t checkpoint_requested_ = 0;  // Checkpoint(): wanted epoch
  int64_t committed_epoch_ = 0;
  bool stopping_ = false;
  bool stopped_ = false;
  bool killed_ = false;
  bool coordinator_done_ = false;  // CoordinatorLoop returned
  static constexpr int kFinalCheckpointSeconds = 8;
  ::kappa::Status failure_;
  int64_t last_duration_ms_ = 0, last_at_ms_ = 0;
  double rate_ = 0;
  int64_t rate_records_ = 0, rate_at_ns_ = 0;
  std::thread coordinator_;
};

// Parses "1s", "500 ms", "2 min", "1m", or milliseconds.
Result<int64_t> ParseInterval(const std::string& text);

}  // namespace kappa::engine
