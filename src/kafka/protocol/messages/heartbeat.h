// Heartbeat (api key 12), versions 0-3: a group member says it is alive; the
// answer's error (REBALANCE_IN_PROGRESS, ...) tells it to rejoin. v1 adds
// throttle_time_ms, v3 group_instance_id.
#pragma once

#include <optional>
#include <string>
#include <tuple>

#include "kafka/protocol/error_code.h"
#include "kafka/protocol/field.h"
#include "kafka/protocol/types.h"

namespace kappa::kafka {

struct HeartbeatApi;

struct HeartbeatRequest {
  using Api = HeartbeatApi;
  std::string group_id;
  int32_t generation_id = 0;
  std::string member_id;
  std::optional<std::string> group_instance_id;

  bool operator==(const HeartbeatRequest&) const = default;
  static constexpr auto Fields() {
    using S = HeartbeatRequest;
    return std::tuple{F("group_id", &S::group_id), F("generation_id", &S::generation_id),
                      F("member_id", &S::member_id),
                      F("group_instance_id", &S::group_instance_id).Since(3).Nullable()};
  }
};

struct HeartbeatResponse {
  using Api = HeartbeatApi;
  int32_t throttle_time_ms = 0;
  ErrorCode error_code = ErrorCode::kNone;

  bool operator==(const HeartbeatResponse&) const = default;
  static constexpr auto Fields() {
    using S = HeartbeatResponse;
    return std::tuple{F("throttle_time_ms", &S::throttle_time_ms).Since(1),
                      F("error_code", &S::error_code)};
  }
};

struct HeartbeatApi {
  static constexpr ApiKey kKey = ApiKey::kHeartbeat;
  static constexpr std::string_view kName = "Heartbeat";
  static constexpr VersionRange kVersions{0, 3};
  static constexpr VersionRange kFlexibleVersions = kNoVersions;
  using Request = HeartbeatRequest;
  using Response = HeartbeatResponse;
};

}  // namespace kappa::kafka
