// LeaveGroup (api key 13), versions 0-1: a member leaves its group at once
// instead of waiting for its session to time out. v1 adds throttle_time_ms.
#pragma once

#include <string>
#include <tuple>

#include "kafka/protocol/error_code.h"
#include "kafka/protocol/field.h"
#include "kafka/protocol/types.h"

namespace kappa::kafka {

struct LeaveGroupApi;

struct LeaveGroupRequest {
  using Api = LeaveGroupApi;
  std::string group_id;
  std::string member_id;

  bool operator==(const LeaveGroupRequest&) const = default;
  static constexpr auto Fields() {
    using S = LeaveGroupRequest;
    return std::tuple{F("group_id", &S::group_id), F("member_id", &S::member_id)};
  }
};

struct LeaveGroupResponse {
  using Api = LeaveGroupApi;
  int32_t throttle_time_ms = 0;
  ErrorCode error_code = ErrorCode::kNone;

  bool operator==(const LeaveGroupResponse&) const = default;
  static constexpr auto Fields() {
    using S = LeaveGroupResponse;
    return std::tuple{F("throttle_time_ms", &S::throttle_time_ms).Since(1),
                      F("error_code", &S::error_code)};
  }
};

struct LeaveGroupApi {
  static constexpr ApiKey kKey = ApiKey::kLeaveGroup;
  static constexpr std::string_view kName = "LeaveGroup";
  static constexpr VersionRange kVersions{0, 1};
  static constexpr VersionRange kFlexibleVersions = kNoVersions;
  using Request = LeaveGroupRequest;
  using Response = LeaveGroupResponse;
};

}  // namespace kappa::kafka
