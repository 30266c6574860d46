// OffsetFetch: the committed offset of each partition asked for, -1 when
// none; topics null (v2+) = every partition the group has committed.
#include "kafka/broker/handlers.h"

namespace kappa::kafka {

namespace {

OffsetFetchResponse::Partition Describe(PartitionId p, const std::optional<CommittedOffset>& c) {
  OffsetFetchResponse::Partition out;
  out.partition_index = p;
  out.metadata = "";
  if (c) {
    out.committed_offset = Offset(c->offset);
    out.metadata = c->metadata;
  }
  return out;
}

}  // namespace

HandlerResult HandleOffsetFetch(BrokerContext& ctx, const RequestHeader&, OffsetFetchRequest& r) {
  OffsetFetchResponse out;
  if (!r.topics) {
    std::map<std::string, OffsetFetchResponse::Topic> by_topic;
    for (const CommittedOffset& c : ctx.offsets->FetchAll(r.group_id)) {
      OffsetFetchResponse::Topic& t = by_topic[c.topic];
      t.name = c.topic;
      t.partitions.push_back(Describe(PartitionId(c.partition), c));
    }
    for (auto& [name, t] : by_topic) out.topics.push_back(std::move(t));
    co_return ResponseBody{std::move(out)};
  }
  for (const auto& t : *r.topics) {
    OffsetFetchResponse::Topic& tr = out.topics.emplace_back();
    tr.name = t.name;
    for (PartitionId p : t.partition_indexes) {
      tr.partitions.push_back(Describe(p, ctx.offsets->Fetch(r.group_id, t.name, p.value())));
    }
  }
  co_return ResponseBody{std::move(out)};
}

}  // namespace kappa::kafka
