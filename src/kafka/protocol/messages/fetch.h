// Fetch (api key 1), versions 0-11: read record batches from partitions.
// v3 adds max_bytes, v4 isolation_level and aborted transactions, v5
// log_start_offset, v7 fetch sessions (session_id, session_epoch, forgotten
// topics, top-level error_code), v9 current_leader_epoch, v11 rack_id and
// preferred_read_replica. A response may start its records before the
// requested offset; clients skip the extra records.
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

struct FetchApi;

struct FetchRequest {
  using Api = FetchApi;
  struct Partition {
    PartitionId partition;
    int32_t current_leader_epoch = -1;
    Offset fetch_offset;
    Offset log_start_offset{-1};
    int32_t partition_max_bytes = 0;
    bool operator==(const Partition&) const = default;
    static constexpr auto Fields() {
      using S = Partition;
      return std::tuple{F("partition", &S::partition),
                        F("current_leader_epoch", &S::current_leader_epoch).Since(9),
                        F("fetch_offset", &S::fetch_offset),
                        F("log_start_offset", &S::log_start_offset).Since(5),
                        F("partition_max_bytes", &S::partition_max_bytes)};
    }
  };
  struct Topic {
    std::string topic;
    std::vector<Partition> partitions;
    bool operator==(const Topic&) const = default;
    static constexpr auto Fields() {
      using S = Topic;
      return std::tuple{F("topic", &S::topic), F("partitions", &S::partitions)};
    }
  };
  struct ForgottenTopic {
    std::string topic;
    std::vector<PartitionId> partitions;
    bool operator==(const ForgottenTopic&) const = default;
    static constexpr auto Fields() {
      using S = ForgottenTopic;
      return std::tuple{F("topic", &S::topic), F("partitions", &S::partitions)};
    }
  };

  int32_t replica_id = -1;
  int32_t max_wait_ms = 0;
  int32_t min_bytes = 0;
  int32_t max_bytes = 0x7fffffff;
  int8_t isolation_level = 0;
  int32_t session_id = 0;
  int32_t session_epoch = -1;
  std::vector<Topic> topics;
  std::vector<ForgottenTopic> forgotten_topics_data;
  std::string rack_id;

  bool operator==(const FetchRequest&) const = default;
  static constexpr auto Fields() {
    using S = FetchRequest;
    return std::tuple{F("replica_id", &S::replica_id),
                      F("max_wait_ms", &S::max_wait_ms),
                      F("min_bytes", &S::min_bytes),
                      F("max_bytes", &S::max_bytes).Since(3),
                      F("isolation_level", &S::isolation_level).Since(4),
                      F("session_id", &S::session_id).Since(7),
                      F("session_epoch", &S::session_epoch).Since(7),
                      F("topics", &S::topics),
                      F("forgotten_topics_data", &S::forgotten_topics_data).Since(7),
                      F("rack_id", &S::rack_id).Since(11)};
  }
};

struct FetchResponse {
  using Api = FetchApi;
  struct AbortedTransaction {
    int64_t producer_id = 0;
    Offset first_offset;
    bool operator==(const AbortedTransaction&) const = default;
    static constexpr auto Fields() {
      using S = AbortedTransaction;
      return std::tuple{F("producer_id", &S::producer_id), F("first_offset", &S::first_offset)};
    }
  };
  struct Partition {
    PartitionId partition_index;
    ErrorCode error_code = ErrorCode::kNone;
    Offset high_watermark;
    Offset last_stable_offset{-1};
    Offset log_start_offset{-1};
    std::optional<std::vector<AbortedTransaction>> aborted_transactions;
    int32_t preferred_read_replica = -1;
    std::optional<Records> records;
    bool operator==(const Partition&) const = default;
    static constexpr auto Fields() {
      using S = Partition;
      return std::tuple{
          F("partition_index", &S::partition_index),
          F("error_code", &S::error_code),
          F("high_watermark", &S::high_watermark),
          F("last_stable_offset", &S::last_stable_offset).Since(4),
          F("log_start_offset", &S::log_start_offset).Since(5),
          F("aborted_transactions", &S::aborted_transactions).Since(4).Nullable(),
          F("preferred_read_replica", &S::preferred_read_replica).Since(11),
          F("records", &S::records).Nullable()};
    }
  };
  struct Topic {
    std::string topic;
    std::vector<Partition> partitions;
    bool operator==(const Topic&) const = default;
    static constexpr auto Fields() {
      using S = Topic;
      return std::tuple{F("topic", &S::topic), F("partitions", &S::partitions)};
    }
  };

  int32_t throttle_time_ms = 0;
  ErrorCode error_code = ErrorCode::kNone;
  int32_t session_id = 0;
  std::vector<Topic> responses;

  bool operator==(const FetchResponse&) const = default;
  static constexpr auto Fields() {
    using S = FetchResponse;
    return std::tuple{F("throttle_time_ms", &S::throttle_time_ms).Since(1),
                      F("error_code", &S::error_code).Since(7),
                      F("session_id", &S::session_id).Since(7),
                      F("responses", &S::responses)};
  }
};

struct FetchApi {
  static constexpr ApiKey kKey = ApiKey::kFetch;
  static constexpr std::string_view kName = "Fetch";
  static constexpr VersionRange kVersions{0, 11};
  static constexpr VersionRange kFlexibleVersions = kNoVersions;
  using Request = FetchRequest;
  using Response = FetchResponse;
};

}  // namespace kappa::kafka
