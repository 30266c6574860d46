// SyncGroup (api key 14), versions 0-3: the group leader sends every
// member's assignment; every member receives its own. Assignments are
// opaque bytes to the broker. v1 adds throttle_time_ms, v3
// group_instance_id.
#pragma once

#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "kafka/protocol/error_code.h"
#include "kafka/protocol/field.h"
#include "kafka/protocol/types.h"

namespace kappa::kafka {

struct SyncGroupApi;

struct SyncGroupRequest {
  using Api = SyncGroupApi;
  struct Assignment {
    std::string member_id;
    Bytes assignment;
    bool operator==(const Assignment&) const = default;
    static constexpr auto Fields() {
      using S = Assignment;
      return std::tuple{F("member_id", &S::member_id), F("assignment", &S::assignment)};
    }
  };

  std::string group_id;
  int32_t generation_id = 0;
  std::string member_id;
  std::optional<std::string> group_instance_id;
  std::vector<Assignment> assignments;  // empty unless sent by the leader

  bool operator==(const SyncGroupRequest&) const = default;
  static constexpr auto Fields() {
    using S = SyncGroupRequest;
    return std::tuple{F("group_id", &S::group_id), F("generation_id", &S::generation_id),
                      F("member_id", &S::member_id),
                      F("group_instance_id", &S::group_instance_id).Since(3).Nullable(),
                      F("assignments", &S::assignments)};
  }
};

struct SyncGroupResponse {
  using Api = SyncGroupApi;
  int32_t throttle_time_ms = 0;
  ErrorCode error_code = ErrorCode::kNone;
  Bytes assignment;

  bool operator==(const SyncGroupResponse&) const = default;
  static constexpr auto Fields() {
    using S = SyncGroupResponse;
    return std::tuple{F("throttle_time_ms", &S::throttle_time_ms).Since(1),
                      F("error_code", &S::error_code), F("assignment", &S::assignment)};
  }
};

struct SyncGroupApi {
  static constexpr ApiKey kKey = ApiKey::kSyncGroup;
  static constexpr std::string_view kName = "SyncGroup";
  static constexpr VersionRange kVersions{0, 3};
  static constexpr VersionRange kFlexibleVersions = kNoVersions;
  using Request = SyncGroupRequest;
  using Response = SyncGroupResponse;
};

}  // namespace kappa::kafka
