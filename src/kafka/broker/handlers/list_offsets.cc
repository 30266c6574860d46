// ListOffsets: -2 = the first stored offset, -1 = the high watermark (the
// readable end), any other timestamp = the first offset whose record
// timestamp is >= it (offset and timestamp -1 when there is none). v0
// answers in old_style_offsets.
#include "base/bytes.h"
#include "kafka/broker/handler_util.h"
#include "kafka/broker/handlers.h"
#include "log/record_batch.h"

namespace kappa::kafka {

namespace {

// The timestamp of the record at `offset` (-1 if it cannot be read).
int64_t TimestampAt(const log::Partition& p, Offset offset) {
  auto read = p.Read(offset, 1);
  if (!read.ok() || read->slices.empty()) return -1;
  std::string data;
  if (!read->slices.front().AppendTo(&data).ok()) return -1;
  std::string scratch;
  std::vector<log::Record> records;
  if (!log::DecodeRecords(AsBytes(data), &scratch, &records).ok()) return -1;
  for (const log::Record& rec : records) {
    if (rec.offset == offset.value()) return rec.timestamp;
  }
  return -1;
}

ListOffsetsResponse::Partition Lookup(const log::Partition& p, int64_t ts) {
  ListOffsetsResponse::Partition out;
  out.partition_index = p.id();
  if (ts == kEarliestTimestamp) {
    out.offset = p.start_offset();
  } else if (ts == kLatestTimestamp) {
    out.offset = p.high_watermark();
  } else {
    auto found = p.OffsetForTimestamp(ts);
    if (!found.ok()) {
      out.error_code = ErrorCodeFor(found.status());
      return out;
    }
    if (*found >= p.high_watermark()) return out;  // none: offset and timestamp -1
    out.offset = *found;
    out.timestamp = TimestampAt(p, *found);
  }
  return out;
}

}  // namespace

HandlerResult HandleListOffsets(BrokerContext& ctx, const RequestHeader& h,
                                ListOffsetsRequest& r) {
  ListOffsetsResponse out;
  for (const auto& t : r.topics) {
    ListOffsetsResponse::Topic& tr = out.topics.emplace_back();
    tr.name = t.name;
    auto topic = ctx.log->GetTopic(t.name);
    for (const auto& part : t.partitions) {
      log::Partition* p = topic.ok() ? (*topic)->partition(part.partition_index) : nullptr;
      ListOffsetsResponse::Partition pr;
      if (p == nullptr) {
        pr.partition_index = part.partition_index;
        pr.error_code = ErrorCode::kUnknownTopicOrPartition;
      } else {
        pr = Lookup(*p, part.timestamp);
      }
      if (h.api_version == 0 && pr.error_code == ErrorCode::kNone && pr.offset.value() >= 0) {
        pr.old_style_offsets.push_back(pr.offset);
      }
      tr.partitions.push_back(std::move(pr));
    }
  }
  co_return ResponseBody{std::move(out)};
}

}  // namespace kappa::kafka
