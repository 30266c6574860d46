// LeaveGroup: the member leaves at once; the others rebalance.
#include "base/time.h"
#include "kafka/broker/handler_util.h"
#include "kafka/broker/handlers.h"

namespace kappa::kafka {

HandlerResult HandleLeaveGroup(BrokerContext& ctx, const RequestHeader&, LeaveGroupRequest& r) {
  LeaveGroupResponse out;
  out.error_code = GroupErrorCode(ctx.groups.Leave(r.group_id, r.member_id, WallMillis()));
  co_return ResponseBody{std::move(out)};
}

}  // namespace kappa::kafka
