// Helpers shared by the Kafka API handlers: Kappa Status -> Kafka error
// code, topic lookup with optional auto-creation, and the per-topic traffic
// metrics. All run on the io_context's thread.
#pragma once

#include <memory>
#include <string>

#include "base/metrics.h"
#include "base/status.h"
#include "kafka/broker/broker.h"
#include "kafka/protocol/error_code.h"
#include "log/log.h"

namespace kappa::kafka {

// The Kafka error code closest to a failed Status from the log.
ErrorCode ErrorCodeFor(const Status& s);

// The Kafka error code of a group coordinator error.
ErrorCode GroupErrorCode(GroupError e);

// The topic, created with the default partition count when it does not exist
// and `create` is true (invalid names are refused). Errors are Kafka codes:
// UNKNOWN_TOPIC_OR_PARTITION, INVALID_TOPIC_EXCEPTION, ...
struct TopicLookup {
  std::shared_ptr<log::Topic> topic;
  ErrorCode error = ErrorCode::kNone;
};
TopicLookup FindTopic(BrokerContext& ctx, const std::string& name, bool create);

// Per-topic counters of produced and fetched traffic (stable references).
struct TopicTraffic {
  CounterMetric* bytes_in;
  CounterMetric* records_in;
  CounterMetric* bytes_out;
  CounterMetric* records_out;
};
TopicTraffic& TrafficFor(const std::string& topic);

}  // namespace kappa::kafka
