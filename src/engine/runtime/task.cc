#include "engine/runtime/task.h"

#include <algorithm>

#include "engine/ops/sink_operator.h"

namespace kappa::engine {

struct Task::NodeInstance {
  std::unique_ptr<OperatorState> state;
  std::vector<std::vector<ChannelState>> ports;
  std::unique_ptr<NodeOutput> output;
  int64_t watermark = kMinWatermark;
  bool idle_out = false;
  bool ended = false;
  int64_t barrier_epoch = 0;  // being aligned; 0 = none
};

class Task::NodeOutput final : public OperatorOutput {
 public:
  NodeOutput(Task* task, int node) : task_(task), node_(node) {}
  Status Emit(Chunk chunk) override {
    return task_->Route(task_->node_consumers_[node_], 0, Message::Data(std::move(chunk)));
  }
  Status EmitWatermark(int64_t watermark) override {
    return task_->Route(task_->node_consumers_[node_], 0, Message::Watermark(watermark));
  }
  Status EmitIdle() override {
    return task_->Route(task_->node_consumers_[node_], 0, Message::Idle());
  }

 private:
  Task* task_;
  int node_;
};

Task::Task(const PhysicalPlan* plan, ExecContext* ctx, std::vector<TaskSource> sources,
           std::vector<ExchangeLinks> exchanges, JobControl* control, Doorbell* doorbell,
           TopicSinkWriter* dead_letters, TaskOptions options)
    : plan_(plan), ctx_(ctx), sources_(std::move(sources)), exchanges_(std::move(exchanges)),
      control_(control), dead_letters_(dead_letters), doorbell_(doorbell), options_(options) {
  Wire();
}

Task::~Task() = default;

int Task::ChannelCount(const PhysicalInput& in, int exchange) const {
  if (exchange >= 0) return static_cast<int>(exchanges_[exchange].in.size());
  if (in.from == PhysicalInput::From::kNode) return 1;
  return std::max<int>(1, static_cast<int>(sources_[in.index].splits.size()));
}

void Task::Wire() {
  size_t n = plan_->nodes.size();
  exchange_of_.assign(n, {});
  for (size_t y = 0; y < n; ++y) exchange_of_[y].assign(plan_->nodes[y].inputs.size(), -1);
  for (size_t e = 0; e < exchanges_.size(); ++e) {
    exchange_of_[exchanges_[e].node][exchanges_[e].port] = static_cast<int>(e);
    const PhysicalInput& in = plan_->nodes[exchanges_[e].node].inputs[exchanges_[e].port];
    exchange_keys_.emplace_back(in.distribution.keys);
  }
  source_consumers_.assign(plan_->sources.size(), {});
  node_consumers_.assign(n, {});
  for (size_t y = 0; y < n; ++y) {
    auto inst = std::make_unique<NodeInstance>();
    inst->state = plan_->nodes[y].op->CreateState(ctx_);
    inst->output = std::make_unique<NodeOutput>(this, static_cast<int>(y));
    for (size_t p = 0; p < plan_->nodes[y].inputs.size(); ++p) {
      const PhysicalInput& in = plan_->nodes[y].inputs[p];
      int ex = exchange_of_[y][p];
      inst->ports.emplace_back(static_cast<size_t>(ChannelCount(in, ex)));
      Consumer c{static_cast<int>(y), static_cast<int>(p), ex};
      if (in.from == PhysicalInput::From::kSource) {
        source_consumers_[in.index].push_back(c);
      } else {
        node_consumers_[in.index].push_back(c);
      }
    }
    nodes_.push_back(std::move(inst));
  }
  source_ended_.resize(sources_.size());
  for (size_t s = 0; s < sources_.size(); ++s) {
    source_ended_[s].assign(std::max<size_t>(1, sources_[s].splits.size()), 0);
  }
}

Status Task::Restore(const TaskCheckpoint& checkpoint) {
  if (checkpoint.nodes.size() != nodes_.size()) {
    return Corruption("checkpoint has {} operators, the plan {}", checkpoint.nodes.size(),
                      nodes_.size());
  }
  for (size_t y = 0; y < nodes_.size(); ++y) {
    if (plan_->nodes[y].sink >= 0) continue;  // a commit payload, not state
    Status st = plan_->nodes[y].op->Restore(nodes_[y]->state.get(), checkpoint.nodes[y]);
    if (!st.ok()) return st.WithContext(plan_->nodes[y].op->name());
  }
  return OkStatus();
}

Status Task::Open() {
  for (size_t y = 0; y < nodes_.size(); ++y) {
    RETURN_IF_ERROR(plan_->nodes[y].op->Open(nodes_[y]->state.get(), nodes_[y]->output.get()));
  }
  // A source this task reads nothing of holds no watermark back.
  for (size_t s = 0; s < sources_.size(); ++s) {
    if (sources_[s].splits.empty() && !sources_[s].values && !sources_[s].stream) {
      RETURN_IF_ERROR(Route(source_consumers_[s], 0, Message::Idle()));
    }
  }
  return OkStatus();
}

// ---- routing

Status Task::Route(const std::vector<Consumer>& consumers, int channel, const Message& m) {
  for (const Consumer& c : consumers) {
    if (c.exchange < 0) {
      RETURN_IF_ERROR(Deliver(c.node, c.port, channel, m));
    } else {
      RETURN_IF_ERROR(RouteExchange(c.exchange, m));
    }
  }
  return OkStatus();
}

Status Task::RouteExchange(int exchange, const Message& m) {
  ExchangeLinks& links = exchanges_[exchange];
  if (m.kind != Message::Kind::kData) {
    for (Channel* out : links.out) out->Push(m);
    return OkStatus();
  }
  const PhysicalInput& in = plan_->nodes[links.node].inputs[links.port];
  if (in.distribution.kind != Distribution::Kind::kHash) {
    links.out[0]->Push(m);  // kSingle: everything to task 0
    return OkStatus();
  }
  const columnar::Batch& batch = m.chunk.batch;
  size_t n = batch.active_rows();
  if (n == 0) return OkStatus();
  KeyEncoder& keys = exchange_keys_[exchange];
  keys.Encode(batch);
  uint64_t parts = links.out.size();
  std::vector<std::vector<uint32_t>> rows(parts);
  for (size_t i = 0; i < n; ++i) rows[StableHash(keys.key(i)) % parts].push_back(batch.row(i));
  for (size_t r = 0; r < parts; ++r) {
    if (rows[r].empty()) continue;
    Message part = Message::Data(m.chunk);
    part.chunk.batch.selection = std::move(rows[r]);
    links.out[r]->Push(std::move(part));
  }
  return OkStatus();
}

// ---- per-node stream logic

Status Task::Deliver(int node, int port, int channel, const Message& m) {
  NodeInstance& n = *nodes_[node];
  ChannelState& ch = n.ports[port][channel];
  const Operator& op = *plan_->nodes[node].op;
  switch (m.kind) {
    case Message::Kind::kData:
      if (n.ended) return Internal("{} got rows after the end of its input", op.name());
      return op.ProcessBatch(n.state.get(), port, m.chunk, n.output.get());
    case Message::Kind::kWatermark:
      ch.watermark = std::max(ch.watermark, m.value);
      ch.idle = false;
      return UpdateWatermark(node);
    case Message::Kind::kIdle:
      ch.idle = true;
      return UpdateWatermark(node);
    case Message::Kind::kBarrier:
      ch.barrier = true;
      n.barrier_epoch = m.value;
      return MaybeCompleteBarrier(node);
    case Message::Kind::kEnd:
      ch.ended = true;
      RETURN_IF_ERROR(UpdateWatermark(node));
      RETURN_IF_ERROR(MaybeCompleteBarrier(node));
      return MaybeEnd(node);
  }
  return OkStatus();
}

Status Task::UpdateWatermark(int node) {
  NodeInstance& n = *nodes_[node];
  bool any_active = false, all_ended = true;
  int64_t wm = kMaxWatermark;
  for (const auto& port : n.ports) {
    for (const ChannelState& ch : port) {
      if (ch.ended) continue;
      all_ended = false;
      if (ch.idle) continue;
      any_active = true;
      wm = std::min(wm, ch.watermark);
    }
  }
  const Operator& op = *plan_->nodes[node].op;
  if (!any_active && !all_ended) {
    if (n.idle_out) return OkStatus();
    n.idle_out = true;
    return n.output->EmitIdle();
  }
  if (wm > n.watermark || n.idle_out) {
    n.idle_out = false;
    n.watermark = std::max(n.watermark, wm);
    return op.OnWatermark(n.state.get(), n.watermark, n.output.get());
  }
  return OkStatus();
}

Status Task::MaybeCompleteBarrier(int node) {
  NodeInstance& n = *nodes_[node];
  if (n.barrier_epoch == 0) return OkStatus();
  for (const auto& port : n.ports) {
    for (const ChannelState& ch : port) {
      if (!ch.barrier && !ch.ended) return OkStatus();
    }
  }
  int64_t epoch = n.barrier_epoch;
  n.barrier_epoch = 0;
  for (auto& port : n.ports) {
    for (ChannelState& ch : port) ch.barrier = false;
  }
  std::string snapshot;
  const Operator& op = *plan_->nodes[node].op;
  Status st = op.OnBarrier(n.state.get(), Epoch(epoch), &snapshot);
  if (!st.ok()) return st.WithContext(op.name() + " snapshot");
  if (pending_ && pending_->epoch == epoch) {
    pending_->data.nodes[node] = std::move(snapshot);
    --pending_nodes_;
  }
  RETURN_IF_ERROR(Route(node_consumers_[node], 0, Message::Barrier(epoch)));
  if (pending_ && pending_nodes_ == 0) {
    control_->Report(std::move(*pending_));
    pending_.reset();
  }
  return OkStatus();
}

Status Task::MaybeEnd(int node) {
  NodeInstance& n = *nodes_[node];
  if (n.ended) return OkStatus();
  for (const auto& port : n.ports) {
    for (const ChannelState& ch : port) {
      if (!ch.ended) return OkStatus();
    }
  }
  n.ended = true;
  const Operator& op = *plan_->nodes[node].op;
  RETURN_IF_ERROR(op.OnEndOfInput(n.state.get(), n.output.get()));
  return Route(node_consumers_[node], 0, Message::End());
}

// ---- the loop

Status Task::DrainExchanges(bool* did_work) {
  constexpr int kPerChannel = 8;
  for (ExchangeLinks& links : exchanges_) {
    NodeInstance& n = *nodes_[links.node];
    for (size_t s = 0; s < links.in.size(); ++s) {
      for (int k = 0; k < kPerChannel; ++k) {
        if (n.ports[links.port][s].barrier) break;  // aligning: hold this sender back
        Message m;
        if (!links.in[s]->Pop(&m)) break;
        *did_work = true;
        RETURN_IF_ERROR(Deliver(links.node, links.port, static_cast<int>(s), m));
      }
    }
  }
  return OkStatus();
}

Status Task::InjectBarrier(int64_t epoch) {
  injected_epoch_ = epoch;
  pending_.emplace();
  pending_->task = ctx_->task();
  pending_->epoch = epoch;
  pending_->data.nodes.assign(nodes_.size(), std::string());
  pending_nodes_ = static_cast<int>(nodes_.size());
  for (const TaskSource& src : sources_) {
    for (const auto& reader : src.splits) {
      pending_->positions.emplace_back(reader->split(), reader->position());
    }
  }
  // Dead letters reported before the barrier belong to this epoch: every
  // operator that reports them sits before the first exchange, so the
  // barrier passes all of them during the routing below.
  if (dead_letters_ != nullptr) {
    ASSIGN_OR_RETURN(pending_->data.dead_letters, dead_letters_->PrepareCommit(Epoch(epoch)));
  }
  for (size_t s = 0; s < sources_.size(); ++s) {
    int channels = std::max<int>(1, static_cast<int>(sources_[s].splits.size()));
    for (int c = 0; c < channels; ++c) {
      RETURN_IF_ERROR(Route(source_consumers_[s], c, Message::Barrier(epoch)));
    }
  }
  if (pending_ && pending_nodes_ == 0) {
    control_->Report(std::move(*pending_));
    pending_.reset();
  }
  return OkStatus();
}

Status Task::PollSources(bool* did_work) {
  for (size_t s = 0; s < sources_.size(); ++s) {
    TaskSource& src = sources_[s];
    if (src.values) {
      Chunk rows = std::move(*src.values);
      src.values.reset();
      *did_work = true;
      RETURN_IF_ERROR(Route(source_consumers_[s], 0, Message::Data(std::move(rows))));
    }
    if (src.stream) {
      ASSIGN_OR_RETURN(std::optional<Chunk> chunk, src.stream->Next());
      *did_work = true;
      if (!chunk) {
        src.stream.reset();
      } else {
        RETURN_IF_ERROR(Route(source_consumers_[s], 0, Message::Data(std::move(*chunk))));
      }
    }
    for (size_t i = 0; i < src.splits.size(); ++i) {
      SplitReader& reader = *src.splits[i];
      size_t max_bytes = reader.lag() > 10000 ? (size_t{4} << 20) : (size_t{256} << 10);
      ASSIGN_OR_RETURN(std::optional<Chunk> chunk, reader.Poll(max_bytes, ctx_));
      SplitProgress& progress = control_->progress(reader.split());
      progress.position.store(reader.position(), std::memory_order_relaxed);
      progress.end.store(reader.end_offset(), std::memory_order_relaxed);
      progress.last_timestamp.store(reader.last_timestamp(), std::memory_order_relaxed);
      if (!chunk) continue;
      *did_work = true;
      RETURN_IF_ERROR(Route(source_consumers_[s], static_cast<int>(i),
                            Message::Data(std::move(*chunk))));
    }
  }
  return OkStatus();
}

Status Task::EndSources() {
  for (size_t s = 0; s < sources_.size(); ++s) {
    TaskSource& src = sources_[s];
    for (size_t c = 0; c < source_ended_[s].size(); ++c) {
      if (source_ended_[s][c]) continue;
      bool done = src.splits.empty() ? !src.values && !src.stream : src.splits[c]->finished();
      if (!done) continue;
      source_ended_[s][c] = 1;
      RETURN_IF_ERROR(Route(source_consumers_[s], static_cast<int>(c), Message::End()));
    }
  }
  return OkStatus();
}

bool Task::Backpressured() const {
  for (const ExchangeLinks& links : exchanges_) {
    for (const Channel* out : links.out) {
      if (out->full()) return true;
    }
  }
  return false;
}

bool Task::Finished() const {
  for (const auto& n : nodes_) {
    if (!n->ended) return false;
  }
  return true;
}

void Task::CheckStaged() {
  size_t staged = 0;
  for (size_t y = 0; y < nodes_.size(); ++y) {
    if (plan_->nodes[y].sink < 0) continue;
    SinkWriter* w = SinkOperator::WriterOf(nodes_[y]->state.get());
    if (w != nullptr) staged += w->staged_bytes();
  }
  if (staged >= options_.checkpoint_staged_bytes) control_->checkpoint_soon.store(true);
}

Status Task::Step(bool* did_work) {
  RETURN_IF_ERROR(DrainExchanges(did_work));
  int64_t requested = control_->requested_epoch.load();
  if (requested > injected_epoch_ && !pending_) {
    RETURN_IF_ERROR(InjectBarrier(requested));
    *did_work = true;
  }
  if (!Backpressured()) RETURN_IF_ERROR(PollSources(did_work));
  if (ctx_->bounded()) RETURN_IF_ERROR(EndSources());
  if (!ctx_->bounded()) CheckStaged();
  return OkStatus();
}

void Task::Run() {
  while (!control_->stop.load()) {
    bool did_work = false;
    Status st = Step(&did_work);
    if (!st.ok()) {
      control_->Fail(st);
      return;
    }
    if (ctx_->bounded() && Finished()) {
      control_->TaskFinished();
      return;
    }
    if (!did_work) doorbell_->Wait(std::chrono::milliseconds(options_.idle_wait_ms));
  }
}

}  // namespace kappa::engine
