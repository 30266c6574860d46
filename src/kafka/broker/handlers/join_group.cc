// JoinGroup: a thin adapter over GroupCoordinator::Join. The request waits
// (suspended, the io thread free) until the coordinator completes the join
// from another member's request or its Tick.
#include "base/time.h"
#include "kafka/broker/handler_util.h"
#include "kafka/broker/handlers.h"

namespace kappa::kafka {

HandlerResult HandleJoinGroup(BrokerContext& ctx, const RequestHeader& h, JoinGroupRequest& r) {
  JoinRequest req;
  req.group_id = r.group_id;
  req.member_id = r.member_id;
  req.client_id = h.client_id.value_or("");
  req.protocol_type = r.protocol_type;
  req.session_timeout_ms = r.session_timeout_ms;
  req.rebalance_timeout_ms = r.rebalance_timeout_ms < 0 ? r.session_timeout_ms
                                                        : r.rebalance_timeout_ms;
  for (auto& p : r.protocols) req.protocols.emplace_back(p.name, std::move(p.metadata.data));
  JoinGroupResponse out;
  if (r.group_id.empty()) {
    out.error_code = ErrorCode::kInvalidGroupId;
    co_return ResponseBody{std::move(out)};
  }
  JoinResponse res = co_await AwaitCallback<JoinResponse>(
      [&ctx, &req](auto done) { ctx.groups.Join(req, WallMillis(), std::move(done)); });
  out.error_code = GroupErrorCode(res.error);
  out.generation_id = res.generation;
  out.protocol_name = res.protocol_name;
  out.leader = res.leader_id;
  out.member_id = res.member_id;
  for (auto& [id, metadata] : res.members) {
    out.members.push_back({id, std::nullopt, Bytes{std::move(metadata)}});
  }
  co_return ResponseBody{std::move(out)};
}

}  // namespace kappa::kafka
