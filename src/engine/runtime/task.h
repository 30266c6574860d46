// A Task runs one instance of every node of a job's PhysicalPlan on its own
// thread: it reads the source splits it owns, pushes their chunks through
// the operators, hands rows to other tasks through exchanges, and takes its
// part of each checkpoint. The loop, in order of priority:
//
//   1. messages from other tasks (exchange channels), except from channels
//      blocked by barrier alignment;
//   2. a checkpoint barrier the coordinator asked for: the task records its
//      splits' offsets and sends the barrier down from every source channel;
//   3. its source splits, one chunk each per round, unless an outgoing
//      channel is full (backpressure).
//
// Every input port of a node has channels (one per owned split for a
// source, one per sender task for an exchange, one for a forward edge);
// the node's watermark is the minimum over its channels (idle ones left
// out, ended ones at +inf); a barrier is aligned when it has come on every
// channel, then the operator snapshots its state and the barrier moves on.
//
// A Task is used by its own thread once Run starts; Restore and Open come
// before, from the thread that builds the job.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "engine/exec_context.h"
#include "engine/physical_plan.h"
#include "engine/runtime/channel.h"
#include "engine/runtime/job_control.h"
#include "engine/sink/topic_sink.h"
#include "engine/source/chunk_stream.h"
#include "engine/source/split_reader.h"
#include "engine/state/key_codec.h"

namespace kappa::engine {

// One source of the plan, in one task.
struct TaskSource {
  std::vector<std::unique_ptr<SplitReader>> splits;  // empty: one silent channel
  std::optional<Chunk> values;                       // VALUES rows (task 0 only)
  std::unique_ptr<ChunkStream> stream;               // a table scan's share; null once done
};

// The channels of one exchange edge (node, port) seen from one task.
struct ExchangeLinks {
  int node = 0;
  int port = 0;
  std::vector<Channel*> out;  // to each receiver task
  std::vector<Channel*> in;   // from each sender task
};

struct TaskOptions {
  // Idle sleep when no input is ready.
  int idle_wait_ms = 5;
  // Request an early checkpoint once sinks hold this much staged output.
  size_t checkpoint_staged_bytes = size_t{64} << 20;
};

class Task {
 public:
  // `plan`, `ctx`, `control`, `doorbell` (rung when a message for this
  // task arrives), the channels and `dead_letters` (may be null) must
  // outlive the task.
  Task(const PhysicalPlan* plan, ExecContext* ctx, std::vector<TaskSource> sources,
       std::vector<ExchangeLinks> exchanges, JobControl* control, Doorbell* doorbell,
       TopicSinkWriter* dead_letters, TaskOptions options);
  ~Task();

  int index() const { return ctx_->task(); }

  // Before Open: operator states from a checkpoint.
  Status Restore(const TaskCheckpoint& checkpoint);
  // Opens every operator (sink writers are created here).
  Status Open();
  // The thread body: runs until stopped, failed, or (bounded) finished.
  void Run();

 private:
  class NodeOutput;
  struct ChannelState {
    int64_t watermark = kMinWatermark;
    bool idle = false;
    bool ended = false;
    bool barrier = false;
  };
  struct NodeInstance;
  struct Consumer {
    int node;
    int port;
    int exchange;  // index into exchanges_, or -1 for a forward edge
  };

  void Wire();
  int ChannelCount(const PhysicalInput& in, int exchange) const;
  // Sends `m` from an origin (a source or a node) on its channel.
  Status Route(const std::vector<Consumer>& consumers, int channel, const Message& m);
  Status RouteExchange(int exchange, const Message& m);
  Status Deliver(int node, int port, int channel, const Message& m);
  Status UpdateWatermark(int node);
  Status MaybeCompleteBarrier(int node);
  Status MaybeEnd(int node);

  Status Step(bool* did_work);
  Status DrainExchanges(bool* did_work);
  Status InjectBarrier(int64_t epoch);
  Status PollSources(bool* did_work);
  Status EndSources();
  bool Backpressured() const;
  bool Finished() const;
  void CheckStaged();

  const PhysicalPlan* plan_;
  ExecContext* ctx_;
  std::vector<TaskSource> sources_;
  std::vector<ExchangeLinks> exchanges_;
  JobControl* control_;
  TopicSinkWriter* dead_letters_;
  Doorbell* doorbell_;
  TaskOptions options_;

  std::vector<std::unique_ptr<NodeInstance>> nodes_;
  std::vector<std::vector<Consumer>> source_consumers_;
  std::vector<std::vector<Consumer>> node_consumers_;
  std::vector<std::vector<int>> exchange_of_;  // [node][port] -> exchange index or -1
  std::vector<KeyEncoder> exchange_keys_;      // per exchange, for kHash routing

  std::vector<std::vector<uint8_t>> source_ended_;  // [source][channel] End sent
  int64_t injected_epoch_ = 0;
  std::optional<TaskSnapshot> pending_;
  int pending_nodes_ = 0;
};

}  // namespace kappa::engine
