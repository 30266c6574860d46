// OffsetCommit (api key 8), versions 0-5: a consumer group commits offsets.
// v1 adds generation_id, member_id and a per-partition commit_timestamp
// (v1 only); v2-4 carry retention_time_ms instead; v3 adds throttle_time_ms.
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

struct OffsetCommitApi;

struct OffsetCommitRequest {
  using Api = OffsetCommitApi;
  struct Partition {
    PartitionId partition_index;
    Offset committed_offset;
    int64_t commit_timestamp = -1;
    std::optional<std::string> committed_metadata;
    bool operator==(const Partition&) const = default;
    static constexpr auto Fields() {
      using S = Partition;
      return std::tuple{F("partition_index", &S::partition_index),
                        F("committed_offset", &S::committed_offset),
                        F("commit_timestamp", &S::commit_timestamp).Versions(1, 1),
                        F("committed_metadata", &S::committed_metadata).Nullable()};
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

  std::string group_id;
  int32_t generation_id = -1;
  std::string member_id;
  int64_t retention_time_ms = -1;
  std::vector<Topic> topics;

  bool operator==(const OffsetCommitRequest&) const = default;
  static constexpr auto Fields() {
    using S = OffsetCommitRequest;
    return std::tuple{F("group_id", &S::group_id),
                      F("generation_id", &S::generation_id).Since(1),
                      F("member_id", &S::member_id).Since(1),
                      F("retention_time_ms", &S::retention_time_ms).Versions(2, 4),
                      F("topics", &S::topics)};
  }
};

struct OffsetCommitResponse {
  using Api = OffsetCommitApi;
  struct Partition {
    PartitionId partition_index;
    ErrorCode error_code = ErrorCode::kNone;
    bool operator==(const Partition&) const = default;
    static constexpr auto Fields() {
      using S = Partition;
      return std::tuple{F("partition_index", &S::partition_index),
                        F("error_code", &S::error_code)};
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

  int32_t throttle_time_ms = 0;
  std::vector<Topic> topics;

  bool operator==(const OffsetCommitResponse&) const = default;
  static constexpr auto Fields() {
    using S = OffsetCommitResponse;
    return std::tuple{F("throttle_time_ms", &S::throttle_time_ms).Since(3),
                      F("topics", &S::topics)};
  }
};

struct OffsetCommitApi {
  static constexpr ApiKey kKey = ApiKey::kOffsetCommit;
  static constexpr std::string_view kName = "OffsetCommit";
  static constexpr VersionRange kVersions{0, 5};
  static constexpr VersionRange kFlexibleVersions = kNoVersions;
  using Request = OffsetCommitRequest;
  using Response = OffsetCommitResponse;
};

}  // namespace kappa::kafka
