// CreateTopics: num_partitions -1 takes the server's default (or the number
// of explicit assignments); the replication factor is accepted and ignored
// (one broker holds every replica there is). Known configs: retention.ms,
// retention.bytes, segment.bytes, segment.ms; others are ignored.
// validate_only checks without creating.
#include <charconv>

#include "kafka/broker/handler_util.h"
#include "kafka/broker/handlers.h"
#include "spdlog/spdlog.h"

namespace kappa::kafka {

namespace {

bool ParseInt(const std::optional<std::string>& s, int64_t* out) {
  if (!s) return false;
  auto [ptr, ec] = std::from_chars(s->data(), s->data() + s->size(), *out);
  return ec == std::errc() && ptr == s->data() + s->size();
}

// Applies the topic's configs to *config; the name of a bad one, or empty.
std::string ApplyConfigs(const CreateTopicsRequest::Topic& t, log::TopicConfig* config) {
  for (const auto& c : t.configs) {
    int64_t* target = nullptr;
    if (c.name == "retention.ms") target = &config->retention_ms;
    if (c.name == "retention.bytes") target = &config->retention_bytes;
    if (c.name == "segment.bytes") target = &config->segment_bytes;
    if (c.name == "segment.ms") target = &config->segment_ms;
    if (target == nullptr) continue;
    if (!ParseInt(c.value, target)) return c.name;
  }
  return {};
}

CreateTopicsResponse::Topic CreateOne(BrokerContext& ctx, const CreateTopicsRequest::Topic& t,
                                      bool validate_only) {
  CreateTopicsResponse::Topic out;
  out.name = t.name;
  auto fail = [&](ErrorCode code, std::string message) {
    out.error_code = code;
    out.error_message = std::move(message);
    return out;
  };
  if (Status s = log::ValidateTopicName(t.name); !s.ok()) {
    return fail(ErrorCode::kInvalidTopicException, std::string(s.message()));
  }
  if (ctx.log->GetTopic(t.name).ok()) {
    return fail(ErrorCode::kTopicAlreadyExists, "topic " + t.name + " already exists");
  }
  log::TopicConfig config;
  config.partitions = t.num_partitions;
  if (t.num_partitions == -1) {
    config.partitions = t.assignments.empty() ? ctx.options.default_partitions
                                              : static_cast<int32_t>(t.assignments.size());
  }
  if (config.partitions < 1) {
    return fail(ErrorCode::kInvalidPartitions, "number of partitions must be at least 1");
  }
  if (std::string bad = ApplyConfigs(t, &config); !bad.empty()) {
    return fail(ErrorCode::kInvalidConfig, "bad value for " + bad);
  }
  if (Status s = config.Validate(); !s.ok()) {
    return fail(ErrorCode::kInvalidConfig, std::string(s.message()));
  }
  if (validate_only) return out;
  auto created = ctx.log->CreateTopic(t.name, config);
  if (!created.ok()) return fail(ErrorCodeFor(created.status()), created.status().ToString());
  spdlog::info("kafka: created topic {} ({} partitions)", t.name, config.partitions);
  return out;
}

}  // namespace

HandlerResult HandleCreateTopics(BrokerContext& ctx, const RequestHeader&,
                                 CreateTopicsRequest& r) {
  CreateTopicsResponse out;
  for (const auto& t : r.topics) out.topics.push_back(CreateOne(ctx, t, r.validate_only));
  co_return ResponseBody{std::move(out)};
}

}  // namespace kappa::kafka
