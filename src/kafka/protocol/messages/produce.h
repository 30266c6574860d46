// Produce (api key 0), versions 0-7: append record batches to partitions.
// v3 adds transactional_id and requires record batch v2 (magic 2); v1 adds
// throttle_time_ms (last in the response), v2 log_append_time_ms, v5
// log_start_offset. acks = 0 means the client expects no response at all.
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

struct ProduceApi;

struct ProduceRequest {
  using Api = ProduceApi;
  struct Partition {
    PartitionId index;
    std::optional<Records> records;
    bool operator==(const Partition&) const = default;
    static constexpr auto Fields() {
      using S = Partition;
      return std::tuple{F("index", &S::index), F("records", &S::records).Nullable()};
    }
  };
  struct Topic {
    std::string name;
    std::vector<Partition> partitions;
    bool operator==(const Topic&) const = default;
    static constexpr auto Fields() {
      using S = Topic;
      return std::tuple{F("name", &S::name), F("partitions", &S::partitions)};
    }
  };

  std::optional<std::string> transactional_id;
  int16_t acks = 0;
  int32_t timeout_ms = 0;
  std::vector<Topic> topics;

  bool operator==(const ProduceRequest&) const = default;
  static constexpr auto Fields() {
    using S = ProduceRequest;
    return std::tuple{F("transactional_id", &S::transactional_id).Since(3).Nullable(),
                      F("acks", &S::acks), F("timeout_ms", &S::timeout_ms),
                      F("topics", &S::topics)};
  }
};

struct ProduceResponse {
  using Api = ProduceApi;
  struct Partition {
    PartitionId index;
    ErrorCode error_code = ErrorCode::kNone;
    Offset base_offset;
    int64_t log_append_time_ms = -1;
    Offset log_start_offset{-1};
    bool operator==(const Partition&) const = default;
    static constexpr auto Fields() {
      using S = Partition;
      return std::tuple{F("index", &S::index), F("error_code", &S::error_code),
                        F("base_offset", &S::base_offset),
                        F("log_append_time_ms", &S::log_append_time_ms).Since(2),
                        F("log_start_offset", &S::log_start_offset).Since(5)};
    }
  };
  struct Topic {
    std::string name;
    std::vector<Partition> partitions;
    bool operator==(const Topic&) const = default;
    static constexpr auto Fields() {
      using S = Topic;
      return std::tuple{F("name", &S::name), F("partitions", &S::partitions)};
    }
  };

  std::vector<Topic> responses;
  int32_t throttle_time_ms = 0;

  bool operator==(const ProduceResponse&) const = default;
  static constexpr auto Fields() {
    using S = ProduceResponse;
    return std::tuple{F("responses", &S::responses),
                      F("throttle_time_ms", &S::throttle_time_ms).Since(1)};
  }
};

struct ProduceApi {
  static constexpr ApiKey kKey = ApiKey::kProduce;
  static constexpr std::string_view kName = "Produce";
  static constexpr VersionRange kVersions{0, 7};
  static constexpr VersionRange kFlexibleVersions = kNoVersions;
  using Request = ProduceRequest;
  using Response = ProduceResponse;
};

}  // namespace kappa::kafka
