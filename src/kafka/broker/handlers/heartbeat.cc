// Heartbeat: keeps a member alive; REBALANCE_IN_PROGRESS tells it to rejoin.
#include "base/time.h"
#include "kafka/broker/handler_util.h"
#include "kafka/broker/handlers.h"

namespace kappa::kafka {

HandlerResult HandleHeartbeat(BrokerContext& ctx, const RequestHeader&, HeartbeatRequest& r) {
  HeartbeatResponse out;
  out.error_code = GroupErrorCode(
      ctx.groups.Heartbeat(r.group_id, r.member_id, r.generation_id, WallMillis()));
  co_return ResponseBody{std::move(out)};
}

}  // namespace kappa::kafka
