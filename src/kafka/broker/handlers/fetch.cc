// Fetch: stored batches are served as they are (file slices copied into the
// response, never re-encoded), from the batch holding fetch_offset, within
// partition_max_bytes and the request's max_bytes, but at least one whole
// batch for the first partition with data. A long poll waits up to
// max_wait_ms for min_bytes on DataSignal (woken by produce, re-checked
// every 100 ms) without blocking the io thread. Offsets between the high
// watermark and the end of the log (appended, not durable yet) read as
// empty; offsets beyond the end or before the start are OFFSET_OUT_OF_RANGE.
#include <algorithm>
#include <chrono>

#include "base/bytes.h"
#include "kafka/broker/handler_util.h"
#include "kafka/broker/handlers.h"
#include "log/record_batch.h"
#include "spdlog/spdlog.h"

namespace kappa::kafka {

namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kRecheck = std::chrono::milliseconds(100);

// Resolved once per request: the topic handles keep partitions alive.
struct Target {
  std::string topic;
  std::shared_ptr<log::Topic> handle;  // null: unknown topic
};

std::vector<Target> Resolve(BrokerContext& ctx, const FetchRequest& r) {
  std::vector<Target> out;
  for (const auto& t : r.topics) {
    auto found = ctx.log->GetTopic(t.topic);
    out.push_back({t.topic, found.ok() ? *found : nullptr});
  }
  return out;
}

log::Partition* PartitionOf(const Target& t, PartitionId id) {
  return t.handle ? t.handle->partition(id) : nullptr;
}

bool OutOfRange(const log::Partition& p, Offset from) {
  return from < p.start_offset() || from > p.end_offset();
}

// Bytes readable now for the request (no copying), or SIZE_MAX when some
// partition has an error to report at once.
size_t ReadableBytes(const std::vector<Target>& targets, const FetchRequest& r) {
  size_t total = 0;
  for (size_t i = 0; i < targets.size(); ++i) {
    for (const auto& part : r.topics[i].partitions) {
      log::Partition* p = PartitionOf(targets[i], part.partition);
      if (p == nullptr || OutOfRange(*p, part.fetch_offset)) return SIZE_MAX;
      if (part.fetch_offset >= p->high_watermark()) continue;
      size_t limit = static_cast<size_t>(std::max(part.partition_max_bytes, 1));
      auto read = p->Read(part.fetch_offset, limit);
      if (!read.ok()) return SIZE_MAX;
      total += read->bytes();
    }
  }
  return total;
}

// Records in the whole batches of `data`.
int64_t CountRecords(std::string_view data) {
  int64_t n = 0;
  size_t pos = 0;
  while (data.size() - pos >= log::kBatchHeaderSize) {
    const auto* b = reinterpret_cast<const uint8_t*>(data.data()) + pos;
    n += LoadBE<int32_t>(b + log::kRecordsCountPos);
    pos += log::kBatchLengthPrefix +
           static_cast<size_t>(LoadBE<int32_t>(b + log::kBatchLengthPos));
  }
  return n;
}

FetchResponse::Partition FetchPartition(const Target& t, const FetchRequest::Partition& req,
                                        int64_t* budget, bool* have_data) {
  FetchResponse::Partition out;
  out.partition_index = req.partition;
  out.records = Records{};
  log::Partition* p = PartitionOf(t, req.partition);
  if (p == nullptr) {
    out.error_code = ErrorCode::kUnknownTopicOrPartition;
    out.high_watermark = Offset(-1);
    return out;
  }
  out.high_watermark = p->high_watermark();
  out.last_stable_offset = out.high_watermark;
  out.log_start_offset = p->start_offset();
  out.aborted_transactions.emplace();
  if (OutOfRange(*p, req.fetch_offset)) {
    out.error_code = ErrorCode::kOffsetOutOfRange;
    return out;
  }
  if (req.fetch_offset >= out.high_watermark) return out;
  if (*budget <= 0 && *have_data) return out;
  int64_t limit = std::max<int64_t>(1, std::min<int64_t>(req.partition_max_bytes, *budget));
  auto read = p->Read(req.fetch_offset, static_cast<size_t>(limit));
  if (!read.ok()) {
    out.error_code = ErrorCodeFor(read.status());
    return out;
  }
  std::string& data = out.records->mutable_bytes();
  data.reserve(read->bytes());
  for (const log::FileSlice& s : read->slices) {
    if (Status st = s.AppendTo(&data); !st.ok()) {
      spdlog::error("kafka fetch {}/{}: {}", t.topic, req.partition, st.ToString());
      out.error_code = ErrorCode::kKafkaStorageError;
      data.clear();
      return out;
    }
  }
  *budget -= static_cast<int64_t>(data.size());
  *have_data = *have_data || !data.empty();
  TopicTraffic& traffic = TrafficFor(t.topic);
  traffic.bytes_out->Add(static_cast<int64_t>(data.size()));
  traffic.records_out->Add(CountRecords(data));
  return out;
}

}  // namespace

HandlerResult HandleFetch(BrokerContext& ctx, const RequestHeader& h, FetchRequest& r) {
  std::vector<Target> targets = Resolve(ctx, r);
  auto deadline = Clock::now() + std::chrono::milliseconds(std::max(r.max_wait_ms, 0));
  size_t min_bytes = static_cast<size_t>(std::max(r.min_bytes, 1));
  while (!ctx.stopping && Clock::now() < deadline) {
    if (ReadableBytes(targets, r) >= min_bytes) break;
    co_await ctx.data_signal->Wait(std::min(deadline, Clock::now() + kRecheck));
  }
  FetchResponse out;
  int64_t budget = h.api_version >= 3 ? r.max_bytes : INT32_MAX;
  bool have_data = false;
  for (size_t i = 0; i < targets.size(); ++i) {
    FetchResponse::Topic& tr = out.responses.emplace_back();
    tr.topic = targets[i].topic;
    for (const auto& part : r.topics[i].partitions) {
      tr.partitions.push_back(FetchPartition(targets[i], part, &budget, &have_data));
    }
  }
  co_return ResponseBody{std::move(out)};
}

}  // namespace kappa::kafka
