// Metadata (api key 3), versions 0-4: brokers, topics and partition leaders.
// Request topics: in v0 an empty array means all topics; from v1 null means
// all topics and an empty array none. v4 adds allow_auto_topic_creation.
// Response: v1 adds rack, controller_id and is_internal, v2 cluster_id, v3
// throttle_time_ms (first).
#pragma once

#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "base/strong_id.h"
#include "kafka/protocol/error_code.h"
#include "kafka/protocol/field.h"
#include "kafka/protocol/types.h"

namespace kappa::kafka {

struct MetadataApi;

struct MetadataRequest {
  using Api = MetadataApi;
  struct Topic {
    std::string name;
    bool operator==(const Topic&) const = default;
    static constexpr auto Fields() { return std::tuple{F("name", &Topic::name)}; }
  };

  std::optional<std::vector<Topic>> topics{std::in_place};
  bool allow_auto_topic_creation = true;

  bool operator==(const MetadataRequest&) const = default;
  static constexpr auto Fields() {
    using S = MetadataRequest;
    return std::tuple{F("topics", &S::topics).NullableSince(1),
                      F("allow_auto_topic_creation", &S::allow_auto_topic_creation).Since(4)};
  }
};

struct MetadataResponse {
  using Api = MetadataApi;
  struct Broker {
    int32_t node_id = 0;
    std::string host;
    int32_t port = 0;
    std::optional<std::string> rack;
    bool operator==(const Broker&) const = default;
    static constexpr auto Fields() {
      using S = Broker;
      return std::tuple{F("node_id", &S::node_id), F("host", &S::host), F("port", &S::port),
                        F("rack", &S::rack).Since(1).Nullable()};
    }
  };
  struct Partition {
    ErrorCode error_code = ErrorCode::kNone;
    PartitionId partition_index;
    int32_t leader_id = -1;
    std::vector<int32_t> replica_nodes;
    std::vector<int32_t> isr_nodes;
    bool operator==(const Partition&) const = default;
    static constexpr auto Fields() {
      using S = Partition;
      return std::tuple{F("error_code", &S::error_code),
                        F("partition_index", &S::partition_index),
                        F("leader_id", &S::leader_id), F("replica_nodes", &S::replica_nodes),
                        F("isr_nodes", &S::isr_nodes)};
    }
  };
  struct Topic {
    ErrorCode error_code = ErrorCode::kNone;
    std::string name;
    bool is_internal = false;
    std::vector<Partition> partitions;
    bool operator==(const Topic&) const = default;
    static constexpr auto Fields() {
      using S = Topic;
      return std::tuple{F("error_code", &S::error_code), F("name", &S::name),
                        F("is_internal", &S::is_internal).Since(1),
                        F("partitions", &S::partitions)};
    }
  };

  int32_t throttle_time_ms = 0;
  std::vector<Broker> brokers;
  std::optional<std::string> cluster_id;
  int32_t controller_id = -1;
  std::vector<Topic> topics;

  bool operator==(const MetadataResponse&) const = default;
  static constexpr auto Fields() {
    using S = MetadataResponse;
    return std::tuple{F("throttle_time_ms", &S::throttle_time_ms).Since(3),
                      F("brokers", &S::brokers),
                      F("cluster_id", &S::cluster_id).Since(2).Nullable(),
                      F("controller_id", &S::controller_id).Since(1),
                      F("topics", &S::topics)};
  }
};

struct MetadataApi {
  static constexpr ApiKey kKey = ApiKey::kMetadata;
  static constexpr std::string_view kName = "Metadata";
  static constexpr VersionRange kVersions{0, 4};
  static constexpr VersionRange kFlexibleVersions = kNoVersions;
  using Request = MetadataRequest;
  using Response = MetadataResponse;
};

}  // namespace kappa::kafka
