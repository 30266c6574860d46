#include "engine/runtime/dataflow.h"

#include <map>

#include "engine/ops/batch_util.h"

namespace kappa::engine {

Result<std::unique_ptr<Dataflow>> Dataflow::Build(DataflowSpec spec) {
  if (spec.plan == nullptr) return Internal("dataflow without a plan");
  if (spec.parallelism < 1) return Invalid("parallelism must be at least 1");
  if (spec.topics.size() != spec.plan->sources.size()) return Internal("one topic per source");
  std::unique_ptr<Dataflow> df(new Dataflow(std::move(spec)));
  int p = df->spec_.parallelism;
  RETURN_IF_ERROR(df->MakeSplits());
  df->control_ = std::make_unique<JobControl>(p, df->splits_.size());
  for (size_t s = 0; s < df->splits_.size(); ++s) {
    const SplitInfo& info = df->splits_[s];
    SplitProgress& progress = df->control_->progress(static_cast<int32_t>(s));
    progress.position.store(df->split_start_[s]);
    int64_t end = df->spec_.topics[info.source]->partition(info.partition)->high_watermark().value();
    progress.end.store(df->split_stop_[s] ? *df->split_stop_[s] : end);
  }
  for (size_t y = 0; y < df->spec_.plan->nodes.size(); ++y) {
    int sink = df->spec_.plan->nodes[y].sink;
    if (sink < 0) continue;
    if (df->sink_nodes_.size() <= static_cast<size_t>(sink)) df->sink_nodes_.resize(sink + 1, -1);
    df->sink_nodes_[sink] = static_cast<int>(y);
  }
  for (int t = 0; t < p; ++t) {
    df->doorbells_.push_back(std::make_unique<Doorbell>());
    df->control_->AddDoorbell(df->doorbells_.back().get());
  }
  df->MakeExchanges();
  for (int t = 0; t < p; ++t) RETURN_IF_ERROR(df->MakeTask(t));
  return df;
}

Status Dataflow::MakeTask(int t) {
  int p = spec_.parallelism;
  ExecOptions eo = spec_.exec;
  eo.task = t;
  eo.parallelism = p;
  eo.bounded = spec_.bounded;
  DeadLetterWriter* adapter = nullptr;
  TopicSinkWriter* raw = nullptr;
  if (spec_.dead_letters != nullptr) {
    dead_letter_writers_.push_back(spec_.dead_letters->CreateRawWriter(t));
    raw = dead_letter_writers_.back().get();
    dead_letter_adapters_.push_back(std::make_unique<DeadLetterAdapter>(raw));
    adapter = dead_letter_adapters_.back().get();
  }
  auto ctx = std::make_unique<ExecContext>(eo, &splits_, &counters_, adapter);
  std::vector<int32_t> owned;
  for (size_t s = 0; s < splits_.size(); ++s) {
    if (splits_[s].partition % p == t) owned.push_back(static_cast<int32_t>(s));
  }
  ctx->SetOwnedSplits(owned);
  contexts_.push_back(std::move(ctx));
  ASSIGN_OR_RETURN(std::vector<TaskSource> sources, MakeSources(t));
  std::vector<ExchangeLinks> links;
  for (size_t e = 0; e < exchange_edges_.size(); ++e) {
    ExchangeLinks l;
    l.node = exchange_edges_[e].first;
    l.port = exchange_edges_[e].second;
    for (int r = 0; r < p; ++r) l.out.push_back(exchange_channels_[e][t][r]);
    for (int s = 0; s < p; ++s) l.in.push_back(exchange_channels_[e][s][t]);
    links.push_back(std::move(l));
  }
  tasks_.push_back(std::make_unique<Task>(spec_.plan, contexts_.back().get(), std::move(sources),
                                          std::move(links), control_.get(),
                                          doorbells_[t].get(), raw, spec_.task_options));
  return OkStatus();
}

Dataflow::~Dataflow() { Stop(); }

std::pair<int64_t, int64_t> Dataflow::TimeRange(size_t split) const {
  const SplitInfo& info = splits_[split];
  log::PartitionStats stats = spec_.topics[info.source]->partition(info.partition)->Stats();
  return {stats.min_timestamp.value_or(-1), stats.max_timestamp.value_or(-1)};
}

int64_t Dataflow::EndOffset(size_t split) const {
  const SplitInfo& info = splits_[split];
  if (split_stop_[split]) return *split_stop_[split];
  return spec_.topics[info.source]->partition(info.partition)->high_watermark().value();
}

Status Dataflow::MakeSplits() {
  // Checkpointed offsets are in split order: sources in plan order, then
  // partitions. Two sources may read the same topic (two INSERTs), each at
  // its own position, so the n-th source reading a topic takes the n-th
  // offset recorded for each of its partitions.
  using Key = std::pair<std::string, int32_t>;
  std::map<Key, std::vector<int64_t>> starts;
  for (const SplitOffset& o : spec_.start_offsets) starts[{o.topic, o.partition}].push_back(o.offset);
  std::map<Key, size_t> taken;
  for (size_t s = 0; s < spec_.topics.size(); ++s) {
    const TopicSource* topic = spec_.topics[s];
    if (topic == nullptr) continue;
    for (int32_t p = 0; p < topic->partitions(); ++p) {
      SplitInfo info{static_cast<int>(s), topic->table().name, topic->topic(), p};
      int64_t start = 0;
      Key key{topic->topic(), p};
      auto it = starts.find(key);
      size_t nth = taken[key]++;
      if (it != starts.end() && nth < it->second.size()) {
        start = it->second[nth];
      } else {
        ASSIGN_OR_RETURN(start, topic->StartOffset(p, spec_.start_mode, spec_.committed));
      }
      log::Partition* part = topic->partition(p);
      if (start < part->start_offset().value()) {
        return OutOfRange("topic {} partition {}: offset {} is no longer stored (retention "
                          "starts at {})", topic->topic(), p, start,
                          part->start_offset().value());
      }
      std::optional<int64_t> stop;
      if (spec_.bounded) stop = part->high_watermark().value();
      splits_.push_back(info);
      split_start_.push_back(start);
      split_stop_.push_back(stop);
    }
  }
  return OkStatus();
}

Result<std::vector<TaskSource>> Dataflow::MakeSources(int task) {
  std::vector<TaskSource> out(spec_.topics.size());
  for (size_t i = 0; i < splits_.size(); ++i) {
    const SplitInfo& info = splits_[i];
    if (info.partition % spec_.parallelism != task) continue;
    const TopicSource* topic = spec_.topics[info.source];
    ASSIGN_OR_RETURN(std::unique_ptr<format::ValueDecoder> decoder, topic->MakeDecoder());
    out[info.source].splits.push_back(std::make_unique<SplitReader>(
        topic->partition(info.partition), static_cast<int32_t>(i), std::move(decoder),
        split_start_[i], split_stop_[i]));
  }
  for (size_t s = 0; s < spec_.plan->sources.size(); ++s) {
    const PhysicalSource& src = spec_.plan->sources[s];
    if (s < spec_.tables.size() && spec_.tables[s] != nullptr) {
      ASSIGN_OR_RETURN(out[s].stream, spec_.tables[s]->StreamForTask(task));
      continue;
    }
    if (src.table != nullptr || task != 0) continue;
    columnar::BatchBuilder b(src.schema);
    for (const auto& row : src.rows) b.AppendRow(row);
    out[s].values = Chunk(b.Finish());
  }
  return out;
}

void Dataflow::MakeExchanges() {
  int p = spec_.parallelism;
  if (p == 1) return;  // one task: every edge is a forward edge
  for (size_t y = 0; y < spec_.plan->nodes.size(); ++y) {
    const auto& inputs = spec_.plan->nodes[y].inputs;
    for (size_t port = 0; port < inputs.size(); ++port) {
      if (inputs[port].distribution.kind == Distribution::Kind::kAny) continue;
      exchange_edges_.emplace_back(static_cast<int>(y), static_cast<int>(port));
      std::vector<std::vector<Channel*>> grid(p, std::vector<Channel*>(p));
      for (int s = 0; s < p; ++s) {
        for (int r = 0; r < p; ++r) {
          channels_.push_back(std::make_unique<Channel>(doorbells_[r].get()));
          grid[s][r] = channels_.back().get();
        }
      }
      exchange_channels_.push_back(std::move(grid));
    }
  }
}

Status Dataflow::Restore(const CheckpointData& checkpoint) {
  if (checkpoint.tasks.size() != tasks_.size()) {
    return Corruption("checkpoint {} has {} tasks, the job {}", checkpoint.epoch,
                      checkpoint.tasks.size(), tasks_.size());
  }
  for (size_t t = 0; t < tasks_.size(); ++t) RETURN_IF_ERROR(tasks_[t]->Restore(checkpoint.tasks[t]));
  return OkStatus();
}

Status Dataflow::Start() {
  for (auto& t : tasks_) RETURN_IF_ERROR(t->Open());
  for (auto& t : tasks_) threads_.emplace_back([task = t.get()] { task->Run(); });
  return OkStatus();
}

void Dataflow::Stop() {
  if (control_) {
    control_->stop.store(true);
    control_->RingAll();
    control_->Wake();
  }
  for (std::thread& th : threads_) {
    if (th.joinable()) th.join();
  }
  threads_.clear();
}

}  // namespace kappa::engine
