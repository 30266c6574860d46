// A Dataflow is the running form of a PhysicalPlan: P tasks on P threads,
// the exchange channels between them, and the JobControl they share. Both a
// streaming Job and a bounded query build one; the Job adds checkpoints and
// commits around it. Splits are dealt to tasks round-robin within each
// source (split j of a source goes to task j mod P), so the assignment is a
// function of the plan and P alone, which checkpoints rely on.
//
// Build, optionally Restore, then Start; Stop joins the threads. Counters,
// control and status readers are thread-safe.
#pragma once

#include <memory>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#include "base/status.h"
#include "engine/exec_context.h"
#include "engine/physical_plan.h"
#include "engine/runtime/checkpoint_store.h"
#include "engine/runtime/job_control.h"
#include "engine/runtime/task.h"
#include "engine/sink/topic_sink.h"
#include "engine/source/topic_source.h"

namespace kappa::engine {

struct DataflowSpec {
  const PhysicalPlan* plan = nullptr;
  // Per source of the plan: its topic, or null for VALUES. Must outlive
  // the dataflow.
  std::vector<const TopicSource*> topics;
  // Per source (parallel to topics; may be shorter): a bounded table scan
  // that gives each task its stream, or null. Must outlive the dataflow.
  std::vector<ChunkStreamFactory*> tables;
  int parallelism = 1;
  bool bounded = false;
  ExecOptions exec;  // task and parallelism are filled in per task
  // Where each split starts, as a checkpoint lists them: the n-th entry for
  // a (topic, partition) belongs to the n-th source reading that topic
  // (two INSERTs may read one topic at different positions); splits absent
  // start per their table's 'scan.startup.mode' and `start_mode`.
  std::vector<SplitOffset> start_offsets;
  std::string start_mode;
  CommittedOffsetLookup committed;
  // Bounded: read each partition up to its end offset at Build time.
  TopicSink* dead_letters = nullptr;  // may be null: count only
  TaskOptions task_options;
};

class Dataflow {
 public:
  static Result<std::unique_ptr<Dataflow>> Build(DataflowSpec spec);
  ~Dataflow();

  const std::vector<SplitInfo>& splits() const { return splits_; }
  int parallelism() const { return spec_.parallelism; }
  JobControl& control() { return *control_; }
  JobCounters& counters() { return counters_; }
  // The readable end of split `split`'s partition now.
  int64_t EndOffset(size_t split) const;
  // The smallest and largest record timestamps stored in the split's
  // partition (-1 when unknown).
  std::pair<int64_t, int64_t> TimeRange(size_t split) const;
  // Sink node indexes of the plan, by sink index.
  const std::vector<int>& sink_nodes() const { return sink_nodes_; }

  // Operator states from a checkpoint (before Start).
  Status Restore(const CheckpointData& checkpoint);
  // Opens the operators and starts the task threads.
  Status Start();
  // Sets the stop flag and joins the threads.
  void Stop();

 private:
  explicit Dataflow(DataflowSpec spec) : spec_(std::move(spec)) {}

  Status MakeSplits();
  Result<std::vector<TaskSource>> MakeSources(int task);
  Status MakeTask(int task);
  void MakeExchanges();

  // Stages dead letters into the task's dead-letter topic writer.
  class DeadLetterAdapter final : public DeadLetterWriter {
   public:
    explicit DeadLetterAdapter(TopicSinkWriter* writer) : writer_(writer) {}
    Status Write(std::string_view json_value) override { return writer_->StageRaw(json_value); }

   private:
    TopicSinkWriter* writer_;
  };
  DataflowSpec spec_;
  std::vector<SplitInfo> splits_;
  std::vector<int64_t> split_start_;
  std::vector<std::optional<int64_t>> split_stop_;
  std::vector<int> sink_nodes_;
  JobCounters counters_;
  std::unique_ptr<JobControl> control_;
  std::vector<std::unique_ptr<Doorbell>> doorbells_;  // per task
  std::vector<std::unique_ptr<Channel>> channels_;
  // [exchange][sender][receiver]
  std::vector<std::vector<std::vector<Channel*>>> exchange_channels_;
  std::vector<std::pair<int, int>> exchange_edges_;  // (node, port)
  std::vector<std::unique_ptr<TopicSinkWriter>> dead_letter_writers_;
  std::vector<std::unique_ptr<DeadLetterAdapter>> dead_letter_adapters_;
  std::vector<std::unique_ptr<ExecContext>> contexts_;
  std::vector<std::unique_ptr<Task>> tasks_;
  std::vector<std::thread> threads_;
};

}  // namespace kappa::engine
