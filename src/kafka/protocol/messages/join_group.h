// JoinGroup (api key 11), versions 0-5: a member joins a consumer group and
// offers the assignment protocols it supports (protocol metadata is opaque
// to the broker). v1 adds rebalance_timeout_ms, v2 throttle_time_ms, v4
// MEMBER_ID_REQUIRED (join again with the id the error returns), v5
// group_instance_id (static membership).
#pragma once

#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "kafka/protocol/error_code.h"
#include "kafka/protocol/field.h"
#include "kafka/protocol/types.h"

namespace kappa::kafka {

struct JoinGroupApi;

struct JoinGroupRequest {
  using Api = JoinGroupApi;
  struct Protocol {
    std::string name;
    Bytes metadata;
    bool operator==(const Protocol&) const = default;
    static constexpr auto Fields() {
      using S = Protocol;
      return std::tuple{F("name", &S::name), F("metadata", &S::metadata)};
    }
  };

  std::string group_id;
  int32_t session_timeout_ms = 0;
  int32_t rebalance_timeout_ms = -1;  // before v1: use session_timeout_ms
  std::string member_id;
  std::optional<std::string> group_instance_id;
  std::string protocol_type;
  std::vector<Protocol> protocols;

  bool operator==(const JoinGroupRequest&) const = default;
  static constexpr auto Fields() {
    using S = JoinGroupRequest;
    return std::tuple{F("group_id", &S::group_id),
                      F("session_timeout_ms", &S::session_timeout_ms),
                      F("rebalance_timeout_ms", &S::rebalance_timeout_ms).Since(1),
                      F("member_id", &S::member_id),
                      F("group_instance_id", &S::group_instance_id).Since(5).Nullable(),
                      F("protocol_type", &S::protocol_type), F("protocols", &S::protocols)};
  }
};

struct JoinGroupResponse {
  using Api = JoinGroupApi;
  struct Member {
    std::string member_id;
    std::optional<std::string> group_instance_id;
    Bytes metadata;
    bool operator==(const Member&) const = default;
    static constexpr auto Fields() {
      using S = Member;
      return std::tuple{F("member_id", &S::member_id),
                        F("group_instance_id", &S::group_instance_id).Since(5).Nullable(),
                        F("metadata", &S::metadata)};
    }
  };

  int32_t throttle_time_ms = 0;
  ErrorCode error_code = ErrorCode::kNone;
  int32_t generation_id = -1;
  std::string protocol_name;
  std::string leader;
  std::string member_id;
  std::vector<Member> members;  // filled for the leader only

  bool operator==(const JoinGroupResponse&) const = default;
  static constexpr auto Fields() {
    using S = JoinGroupResponse;
    return std::tuple{F("throttle_time_ms", &S::throttle_time_ms).Since(2),
                      F("error_code", &S::error_code), F("generation_id", &S::generation_id),
                      F("protocol_name", &S::protocol_name), F("leader", &S::leader),
                      F("member_id", &S::member_id), F("members", &S::members)};
  }
};

struct JoinGroupApi {
  static constexpr ApiKey kKey = ApiKey::kJoinGroup;
  static constexpr std::string_view kName = "JoinGroup";
  static constexpr VersionRange kVersions{0, 5};
  static constexpr VersionRange kFlexibleVersions = kNoVersions;
  using Request = JoinGroupRequest;
  using Response = JoinGroupResponse;
};

}  // namespace kappa::kafka
