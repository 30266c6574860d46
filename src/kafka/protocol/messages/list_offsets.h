// ListOffsets (api key 2), versions 0-2: the offset for a timestamp, where
// timestamp -1 asks for the end of the log and -2 for its start. v0 answers
// with an array of offsets (old_style_offsets, at most max_num_offsets);
// v1 with one timestamp and offset; v2 adds isolation_level and throttle.
#pragma once

#include <string>
#include <tuple>
#include <vector>

#include "base/strong_id.h"
#include "kafka/protocol/error_code.h"
#include "kafka/protocol/field.h"
#include "kafka/protocol/types.h"

namespace kappa::kafka {

struct ListOffsetsApi;

// Timestamps with a special meaning in a ListOffsets request.
inline constexpr int64_t kLatestTimestamp = -1;
inline constexpr int64_t kEarliestTimestamp = -2;

struct ListOffsetsRequest {
  using Api = ListOffsetsApi;
  struct Partition {
    PartitionId partition_index;
    int64_t timestamp = 0;
    int32_t max_num_offsets = 1;
    bool operator==(const Partition&) const = default;
    static constexpr auto Fields() {
      using S = Partition;
      return std::tuple{F("partition_index", &S::partition_index),
                        F("timestamp", &S::timestamp),
                        F("max_num_offsets", &S::max_num_offsets).Versions(0, 0)};
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

  int32_t replica_id = -1;
  int8_t isolation_level = 0;
  std::vector<Topic> topics;

  bool operator==(const ListOffsetsRequest&) const = default;
  static constexpr auto Fields() {
    using S = ListOffsetsRequest;
    return std::tuple{F("replica_id", &S::replica_id),
                      F("isolation_level", &S::isolation_level).Since(2),
                      F("topics", &S::topics)};
  }
};

struct ListOffsetsResponse {
  using Api = ListOffsetsApi;
  struct Partition {
    PartitionId partition_index;
    ErrorCode error_code = ErrorCode::kNone;
    std::vector<Offset> old_style_offsets;
    int64_t timestamp = -1;
    Offset offset{-1};
    bool operator==(const Partition&) const = default;
    static constexpr auto Fields() {
      using S = Partition;
      return std::tuple{F("partition_index", &S::partition_index),
                        F("error_code", &S::error_code),
                        F("old_style_offsets", &S::old_style_offsets).Versions(0, 0),
                        F("timestamp", &S::timestamp).Since(1),
                        F("offset", &S::offset).Since(1)};
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

  bool operator==(const ListOffsetsResponse&) const = default;
  static constexpr auto Fields() {
    using S = ListOffsetsResponse;
    return std::tuple{F("throttle_time_ms", &S::throttle_time_ms).Since(2),
                      F("topics", &S::topics)};
  }
};

struct ListOffsetsApi {
  static constexpr ApiKey kKey = ApiKey::kListOffsets;
  static constexpr std::string_view kName = "ListOffsets";
  static constexpr VersionRange kVersions{0, 2};
  static constexpr VersionRange kFlexibleVersions = kNoVersions;
  using Request = ListOffsetsRequest;
  using Response = ListOffsetsResponse;
};

}  // namespace kappa::kafka
