// Produce: each partition's records are split into batches and validated
// as a whole (CORRUPT_MESSAGE / UNSUPPORTED_FOR_MESSAGE_FORMAT, nothing
// appended), idempotent batches are checked against the producer state
// (a retried batch is answered with its original offset and not appended
// again; a gap is OUT_OF_ORDER_SEQUENCE_NUMBER), then appended in request
// order before the handler first suspends. acks=1 answers after the append,
// acks=-1 after the fsync covering it, acks=0 not at all. Batches go to the
// log as views into the request frame, and are CRC-checked once (here, not
// again by the log: Partition::AppendValidated).
#include <spdlog/spdlog.h>

#include "base/time.h"
#include "kafka/broker/handler_util.h"
#include "kafka/broker/handlers.h"
#include "kafka/broker/record_batches.h"

namespace kappa::kafka {

namespace {

using PartitionResponse = ProduceResponse::Partition;

// What one partition's append left to wait for (acks=-1).
struct Pending {
  std::shared_ptr<log::Topic> topic;  // keeps `partition` alive
  PartitionResponse* response;
  log::Partition* partition;
  Offset durable_end;  // wait until every offset below it is durable
};

// Rebuilds the partition's producer state from the tail of its log the first
// time an idempotent batch reaches it after a start (see producer_state.h).
void LoadProducers(BrokerContext& ctx, const std::string& topic, const log::Partition& p) {
  int32_t pid = p.id().value();
  if (ctx.producers->Loaded(topic, pid)) return;
  auto tail = p.TailHeaders(ProducerState::kRebuildScanBytes);
  if (!tail.ok()) {
    spdlog::warn("kafka: producer state of {}/{} not rebuilt: {}", topic, pid,
                 tail.status().ToString());
    tail = std::vector<log::BatchHeader>();
  }
  ctx.producers->Rebuild(topic, pid, *tail);
}

// Appends (or recognises as retried) one validated batch.
ErrorCode AppendBatch(BrokerContext& ctx, const std::string& topic, log::Partition& p,
                      std::string_view batch, const log::BatchHeader& h, Offset* base,
                      Offset* end) {
  int32_t pid = p.id().value();
  if (h.producer_id >= 0) LoadProducers(ctx, topic, p);
  auto check = ctx.producers->CheckBatch(topic, pid, h.producer_id, h.producer_epoch,
                                         h.base_sequence, h.records_count);
  switch (check.verdict) {
    case ProducerState::Verdict::kDuplicate:
      *base = Offset(check.duplicate_offset);
      *end = *base + h.records_count;
      return ErrorCode::kNone;
    case ProducerState::Verdict::kOutOfOrder: return ErrorCode::kOutOfOrderSequenceNumber;
    case ProducerState::Verdict::kFencedEpoch: return ErrorCode::kInvalidProducerEpoch;
    case ProducerState::Verdict::kAppend:
    case ProducerState::Verdict::kUnknown: break;
  }
  auto appended = p.AppendValidated(batch, h);  // SplitAndValidate checked it
  if (!appended.ok()) {
    spdlog::warn("kafka produce to {}/{}: {}", topic, pid, appended.status().ToString());
    return ErrorCodeFor(appended.status());
  }
  ctx.producers->Record(topic, pid, h.producer_id, h.producer_epoch, h.base_sequence,
                        h.records_count, appended->base_offset.value());
  *base = appended->base_offset;
  *end = appended->last_offset + 1;
  TopicTraffic& traffic = TrafficFor(topic);
  traffic.bytes_in->Add(static_cast<int64_t>(batch.size()));
  traffic.records_in->Add(h.records_count);
  return ErrorCode::kNone;
}

// Validates and appends one partition's records; fills `out`.
void ProducePartition(BrokerContext& ctx, const std::string& topic, log::Topic* t,
                      ProduceRequest::Partition& req, PartitionResponse* out, Offset* end) {
  out->index = req.index;
  out->base_offset = Offset(-1);
  log::Partition* p = t ? t->partition(req.index) : nullptr;
  if (p == nullptr) {
    out->error_code = ErrorCode::kUnknownTopicOrPartition;
    return;
  }
  // The batches are views into the request frame, alive until the handler ends.
  SplitBatches split = SplitAndValidate(req.records ? req.records->bytes() : std::string_view());
  if (split.error != ErrorCode::kNone) {
    spdlog::warn("kafka produce to {}/{} refused: {}", topic, req.index, split.message);
    out->error_code = split.error;
    return;
  }
  for (size_t i = 0; i < split.batches.size(); ++i) {
    Offset base, batch_end;
    ErrorCode e = AppendBatch(ctx, topic, *p, split.batches[i], split.headers[i], &base,
                              &batch_end);
    if (e != ErrorCode::kNone) {
      out->error_code = e;
      break;
    }
    if (i == 0) out->base_offset = base;
    *end = std::max(*end, batch_end);
  }
  out->log_start_offset = p->start_offset();
}

Awaitable<void> WaitDurable(const Pending& w) {
  Status s = co_await AwaitCallback<Status>(
      [&w](auto done) { w.partition->OnDurable(w.durable_end, std::move(done)); });
  if (!s.ok() && w.response->error_code == ErrorCode::kNone) {
    w.response->error_code = ErrorCodeFor(s);
    if (w.response->error_code == ErrorCode::kCorruptMessage) {
      w.response->error_code = ErrorCode::kKafkaStorageError;
    }
  }
}

}  // namespace

HandlerResult HandleProduce(BrokerContext& ctx, const RequestHeader&, ProduceRequest& r) {
  ProduceResponse out;
  std::vector<Pending> pending;
  bool valid_acks = r.acks == 0 || r.acks == 1 || r.acks == -1;
  out.responses.reserve(r.topics.size());
  for (auto& topic : r.topics) {
    ProduceResponse::Topic& tr = out.responses.emplace_back();
    tr.name = topic.name;
    tr.partitions.reserve(topic.partitions.size());
    TopicLookup found;
    if (valid_acks) found = FindTopic(ctx, topic.name, ctx.options.auto_create_topics);
    for (auto& part : topic.partitions) {
      PartitionResponse& pr = tr.partitions.emplace_back();
      if (!valid_acks || !found.topic) {
        pr.index = part.index;
        pr.base_offset = Offset(-1);
        pr.error_code = valid_acks ? found.error : ErrorCode::kInvalidRequiredAcks;
        continue;
      }
      Offset end(-1);
      ProducePartition(ctx, topic.name, found.topic.get(), part, &pr, &end);
      if (end.value() > 0) {
        pending.push_back({found.topic, &pr, found.topic->partition(part.index), end});
      }
    }
  }
  // Wake long-polling fetches once what was appended becomes readable.
  for (const Pending& w : pending) {
    if (r.acks == -1) continue;  // woken below, after the wait
    w.partition->OnDurable(w.durable_end,
                           [signal = ctx.data_signal](Status) { signal->NotifyFromAnyThread(); });
  }
  if (r.acks == 0) co_return std::nullopt;
  if (r.acks == -1) {
    for (const Pending& w : pending) co_await WaitDurable(w);
    if (!pending.empty()) ctx.data_signal->Notify();
  }
  co_return ResponseBody{std::move(out)};
}

}  // namespace kappa::kafka
