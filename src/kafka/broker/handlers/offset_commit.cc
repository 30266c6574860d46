// OffsetCommit: accepted from the group's current generation (or from a
// standalone consumer, generation -1, of a group without members), for
// partitions that exist; stored durably (OffsetStore) before the answer.
#include "kafka/broker/handler_util.h"
#include "kafka/broker/handlers.h"
#include "spdlog/spdlog.h"

namespace kappa::kafka {

HandlerResult HandleOffsetCommit(BrokerContext& ctx, const RequestHeader&,
                                 OffsetCommitRequest& r) {
  ErrorCode group_error = GroupErrorCode(ctx.groups.CheckCommit(r.group_id, r.member_id, r.generation_id));
  if (r.group_id.empty()) group_error = ErrorCode::kInvalidGroupId;
  OffsetCommitResponse out;
  std::vector<CommittedOffset> offsets;
  std::vector<OffsetCommitResponse::Partition*> committed;
  for (const auto& t : r.topics) {
    OffsetCommitResponse::Topic& tr = out.topics.emplace_back();
    tr.name = t.name;
    tr.partitions.reserve(t.partitions.size());
    auto topic = ctx.log->GetTopic(t.name);
    for (const auto& p : t.partitions) {
      OffsetCommitResponse::Partition& pr = tr.partitions.emplace_back();
      pr.partition_index = p.partition_index;
      pr.error_code = group_error;
      if (group_error != ErrorCode::kNone) continue;
      if (!topic.ok() || (*topic)->partition(p.partition_index) == nullptr) {
        pr.error_code = ErrorCode::kUnknownTopicOrPartition;
        continue;
      }
      offsets.push_back({t.name, p.partition_index.value(), p.committed_offset.value(),
                         p.committed_metadata.value_or("")});
      committed.push_back(&pr);
    }
  }
  if (!offsets.empty()) {
    if (Status s = ctx.offsets->Commit(r.group_id, offsets); !s.ok()) {
      spdlog::error("kafka: cannot commit offsets of group {}: {}", r.group_id, s.ToString());
      for (auto* pr : committed) pr->error_code = ErrorCode::kUnknownServerError;
    }
  }
  co_return ResponseBody{std::move(out)};
}

}  // namespace kappa::kafka
