// DeleteTopics: removes each named topic and its data.
#include "kafka/broker/handler_util.h"
#include "kafka/broker/handlers.h"
#include "spdlog/spdlog.h"

namespace kappa::kafka {

HandlerResult HandleDeleteTopics(BrokerContext& ctx, const RequestHeader&,
                                 DeleteTopicsRequest& r) {
  DeleteTopicsResponse out;
  for (const std::string& name : r.topic_names) {
    DeleteTopicsResponse::Result& res = out.responses.emplace_back();
    res.name = name;
    Status s = ctx.log->DeleteTopic(name);
    if (!s.ok() && s.code() != StatusCode::kNotFound) {
      spdlog::warn("kafka: cannot delete topic {}: {}", name, s.ToString());
    }
    res.error_code = ErrorCodeFor(s);
    if (s.ok()) spdlog::info("kafka: deleted topic {}", name);
    if (s.ok()) ctx.producers->Forget(name);
  }
  co_return ResponseBody{std::move(out)};
}

}  // namespace kappa::kafka
