#include "kafka/broker/handler_util.h"

#include <map>

#include "spdlog/spdlog.h"

namespace kappa::kafka {

ErrorCode ErrorCodeFor(const Status& s) {
  switch (s.code()) {
    case StatusCode::kOk: return ErrorCode::kNone;
    case StatusCode::kNotFound: return ErrorCode::kUnknownTopicOrPartition;
    case StatusCode::kDataLoss: return ErrorCode::kCorruptMessage;
    case StatusCode::kOutOfRange: return ErrorCode::kOffsetOutOfRange;
    case StatusCode::kAlreadyExists: return ErrorCode::kTopicAlreadyExists;
    case StatusCode::kInvalidArgument: return ErrorCode::kInvalidRequest;
    case StatusCode::kUnavailable:
    case StatusCode::kResourceExhausted: return ErrorCode::kKafkaStorageError;
    default: return ErrorCode::kUnknownServerError;
  }
}

ErrorCode GroupErrorCode(GroupError e) {
  switch (e) {
    case GroupError::kNone: return ErrorCode::kNone;
    case GroupError::kUnknownMember: return ErrorCode::kUnknownMemberId;
    case GroupError::kIllegalGeneration: return ErrorCode::kIllegalGeneration;
    case GroupError::kRebalanceInProgress: return ErrorCode::kRebalanceInProgress;
    case GroupError::kInconsistentProtocol: return ErrorCode::kInconsistentGroupProtocol;
    case GroupError::kInvalidSessionTimeout: return ErrorCode::kInvalidSessionTimeout;
  }
  return ErrorCode::kUnknownServerError;
}

TopicLookup FindTopic(BrokerContext& ctx, const std::string& name, bool create) {
  auto found = ctx.log->GetTopic(name);
  if (found.ok()) return {std::move(*found), ErrorCode::kNone};
  if (!create) return {nullptr, ErrorCode::kUnknownTopicOrPartition};
  if (!log::ValidateTopicName(name).ok()) return {nullptr, ErrorCode::kInvalidTopicException};
  log::TopicConfig config;
  config.partitions = ctx.options.default_partitions;
  auto created = ctx.log->CreateTopic(name, config);
  if (created.ok()) {
    spdlog::info("kafka: auto-created topic {} ({} partitions)", name, config.partitions);
    return {std::move(*created), ErrorCode::kNone};
  }
  if (created.status().code() == StatusCode::kAlreadyExists) return FindTopic(ctx, name, false);
  spdlog::warn("kafka: cannot create topic {}: {}", name, created.status().ToString());
  return {nullptr, ErrorCodeFor(created.status())};
}

TopicTraffic& TrafficFor(const std::string& topic) {
  static std::map<std::string, TopicTraffic, std::less<>> by_topic;
  auto it = by_topic.find(topic);
  if (it != by_topic.end()) return it->second;
  Labels l{{"topic", topic}};
  TopicTraffic t{
      &Metrics::Counter("kappa_kafka_bytes_in_total", "Record batch bytes produced", l),
      &Metrics::Counter("kappa_kafka_records_in_total", "Records produced", l),
      &Metrics::Counter("kappa_kafka_bytes_out_total", "Record batch bytes fetched", l),
      &Metrics::Counter("kappa_kafka_records_out_total",
                        "Records fetched (counted per whole batch sent)", l)};
  return by_topic.emplace(topic, t).first->second;
}

}  // namespace kappa::kafka
