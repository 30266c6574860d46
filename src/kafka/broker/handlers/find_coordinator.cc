// FindCoordinator: this broker coordinates every group. Transaction
// coordinators (key_type 1) do not exist here.
#include "kafka/broker/handlers.h"

namespace kappa::kafka {

HandlerResult HandleFindCoordinator(BrokerContext& ctx, const RequestHeader&,
                                    FindCoordinatorRequest& r) {
  FindCoordinatorResponse out;
  if (r.key_type != 0) {
    out.error_code = ErrorCode::kCoordinatorNotAvailable;
    out.error_message = "transactions are not supported";
    out.node_id = -1;
    out.port = -1;
    co_return ResponseBody{std::move(out)};
  }
  out.node_id = ctx.options.node_id;
  out.host = ctx.options.advertised_host;
  out.port = ctx.options.advertised_port;
  co_return ResponseBody{std::move(out)};
}

}  // namespace kappa::kafka
