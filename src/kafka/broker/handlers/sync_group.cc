// SyncGroup: a thin adapter over GroupCoordinator::Sync; a follower waits
// (suspended) for the leader's assignment.
#include "base/time.h"
#include "kafka/broker/handler_util.h"
#include "kafka/broker/handlers.h"

namespace kappa::kafka {

HandlerResult HandleSyncGroup(BrokerContext& ctx, const RequestHeader&, SyncGroupRequest& r) {
  SyncRequest req;
  req.group_id = r.group_id;
  req.member_id = r.member_id;
  req.generation = r.generation_id;
  for (auto& a : r.assignments) req.assignments.emplace_back(a.member_id, std::move(a.assignment.data));
  SyncResponse res = co_await AwaitCallback<SyncResponse>(
      [&ctx, &req](auto done) { ctx.groups.Sync(req, WallMillis(), std::move(done)); });
  SyncGroupResponse out;
  out.error_code = GroupErrorCode(res.error);
  out.assignment.data = std::move(res.assignment);
  co_return ResponseBody{std::move(out)};
}

}  // namespace kappa::kafka
