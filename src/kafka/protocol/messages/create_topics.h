// CreateTopics (api key 19), versions 0-3: create topics with a partition
// count and replication factor (or an explicit assignment) and configs.
// v1 adds validate_only and error_message, v2 throttle_time_ms.
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

struct CreateTopicsApi;

struct CreateTopicsRequest {
  using Api = CreateTopicsApi;
  struct Assignment {
    PartitionId partition_index;
    std::vector<int32_t> broker_ids;
    bool operator==(const Assignment&) const = default;
    static constexpr auto Fields() {
      using S = Assignment;
      return std::tuple{F("partition_index", &S::partition_index),
                        F("broker_ids", &S::broker_ids)};
    }
  };
  struct Config {
    std::string name;
    std::optional<std::string> value;
    bool operator==(const Config&) const = default;
    static constexpr auto Fields() {
      using S = Config;
      return std::tuple{F("name", &S::name), F("value", &S::value).Nullable()};
    }
  };
  struct Topic {
    std::string name;
    int32_t num_partitions = -1;       // -1: explicit assignments or the default
    int16_t replication_factor = -1;   // -1: explicit assignments or the default
    std::vector<Assignment> assignments;
    std::vector<Config> configs;
    bool operator==(const Topic&) const = default;
    static constexpr auto Fields() {
      using S = Topic;
      return std::tuple{F("name", &S::name), F("num_partitions", &S::num_partitions),
                        F("replication_factor", &S::replication_factor),
                        F("assignments", &S::assignments), F("configs", &S::configs)};
    }
  };

  std::vector<Topic> topics;
  int32_t timeout_ms = 60000;
  bool validate_only = false;

  bool operator==(const CreateTopicsRequest&) const = default;
  static constexpr auto Fields() {
    using S = CreateTopicsRequest;
    return std::tuple{F("topics", &S::topics), F("timeout_ms", &S::timeout_ms),
                      F("validate_only", &S::validate_only).Since(1)};
  }
};

struct CreateTopicsResponse {
  using Api = CreateTopicsApi;
  struct Topic {
    std::string name;
    ErrorCode error_code = ErrorCode::kNone;
    std::optional<std::string> error_message;
    bool operator==(const Topic&) const = default;
    static constexpr auto Fields() {
      using S = Topic;
      return std::tuple{F("name", &S::name), F("error_code", &S::error_code),
                        F("error_message", &S::error_message).Since(1).Nullable()};
    }
  };

  int32_t throttle_time_ms = 0;
  std::vector<Topic> topics;

  bool operator==(const CreateTopicsResponse&) const = default;
  static constexpr auto Fields() {
    using S = CreateTopicsResponse;
    return std::tuple{F("throttle_time_ms", &S::throttle_time_ms).Since(2),
                      F("topics", &S::topics)};
  }
};

struct CreateTopicsApi {
  static constexpr ApiKey kKey = ApiKey::kCreateTopics;
  static constexpr std::string_view kName = "CreateTopics";
  static constexpr VersionRange kVersions{0, 3};
  static constexpr VersionRange kFlexibleVersions = kNoVersions;
  using Request = CreateTopicsRequest;
  using Response = CreateTopicsResponse;
};

}  // namespace kappa::kafka
