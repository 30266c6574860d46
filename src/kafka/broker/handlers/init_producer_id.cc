// InitProducerId: a fresh producer id (epoch 0) for an idempotent producer.
// Transactions are not supported: a transactional id is refused.
#include "kafka/broker/handlers.h"

namespace kappa::kafka {

HandlerResult HandleInitProducerId(BrokerContext& ctx, const RequestHeader&,
                                   InitProducerIdRequest& r) {
  InitProducerIdResponse out;
  if (r.transactional_id && !r.transactional_id->empty()) {
    out.error_code = ErrorCode::kInvalidRequest;
    co_return ResponseBody{std::move(out)};
  }
  auto [id, epoch] = ctx.producers->NewProducer();
  out.producer_id = id;
  out.producer_epoch = epoch;
  co_return ResponseBody{std::move(out)};
}

}  // namespace kappa::kafka
