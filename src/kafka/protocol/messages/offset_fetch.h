// OffsetFetch (api key 9), versions 0-4: a group's committed offsets.
// From v2 a null topics array asks for every topic and the response gains a
// top-level error_code (last); v3 adds throttle_time_ms (first). A partition
// without a committed offset answers committed_offset -1.
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

struct OffsetFetchApi;

struct OffsetFetchRequest {
  using Api = OffsetFetchApi;
  struct Topic {
    std::string name;
    std::vector<PartitionId> partition_indexes;
    bool operator==(const Topic&) const = default;
    static constexpr auto Fields() {
      using S = Topic;
      return std::tuple{F("name", &S::name), F("partition_indexes", &S::partition_indexes)};
    }
  };

  std::string group_id;
  std::optional<std::vector<Topic>> topics{std::in_place};

  bool operator==(const OffsetFetchRequest&) const = default;
  static constexpr auto Fields() {
    using S = OffsetFetchRequest;
    return std::tuple{F("group_id", &S::group_id), F("topics", &S::topics).NullableSince(2)};
  }
};

struct OffsetFetchResponse {
  using Api = OffsetFetchApi;
  struct Partition {
    PartitionId partition_index;
    Offset committed_offset{-1};
    std::optional<std::string> metadata;
    ErrorCode error_code = ErrorCode::kNone;
    bool operator==(const Partition&) const = default;
    static constexpr auto Fields() {
      using S = Partition;
      return std::tuple{F("partition_index", &S::partition_index),
                        F("committed_offset", &S::committed_offset),
                        F("metadata", &S::metadata).Nullable(), F("error_code", &S::error_code)};
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
  ErrorCode error_code = ErrorCode::kNone;

  bool operator==(const OffsetFetchResponse&) const = default;
  static constexpr auto Fields() {
    using S = OffsetFetchResponse;
    return std::tuple{F("throttle_time_ms", &S::throttle_time_ms).Since(3),
                      F("topics", &S::topics), F("error_code", &S::error_code).Since(2)};
  }
};

struct OffsetFetchApi {
  static constexpr ApiKey kKey = ApiKey::kOffsetFetch;
  static constexpr std::string_view kName = "OffsetFetch";
  static constexpr VersionRange kVersions{0, 4};
  static constexpr VersionRange kFlexibleVersions = kNoVersions;
  using Request = OffsetFetchRequest;
  using Response = OffsetFetchResponse;
};

}  // namespace kappa::kafka
