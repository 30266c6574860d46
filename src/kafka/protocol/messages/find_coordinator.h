// FindCoordinator (api key 10), versions 0-2: which broker coordinates a
// group (key_type 0) or a transactional id (key_type 1, v1+). v1 adds
// throttle_time_ms and error_message to the response.
#pragma once

#include <optional>
#include <string>
#include <tuple>

#include "kafka/protocol/error_code.h"
#include "kafka/protocol/field.h"
#include "kafka/protocol/types.h"

namespace kappa::kafka {

struct FindCoordinatorApi;

struct FindCoordinatorRequest {
  using Api = FindCoordinatorApi;
  std::string key;
  int8_t key_type = 0;

  bool operator==(const FindCoordinatorRequest&) const = default;
  static constexpr auto Fields() {
    using S = FindCoordinatorRequest;
    return std::tuple{F("key", &S::key), F("key_type", &S::key_type).Since(1)};
  }
};

struct FindCoordinatorResponse {
  using Api = FindCoordinatorApi;
  int32_t throttle_time_ms = 0;
  ErrorCode error_code = ErrorCode::kNone;
  std::optional<std::string> error_message;
  int32_t node_id = 0;
  std::string host;
  int32_t port = 0;

  bool operator==(const FindCoordinatorResponse&) const = default;
  static constexpr auto Fields() {
    using S = FindCoordinatorResponse;
    return std::tuple{F("throttle_time_ms", &S::throttle_time_ms).Since(1),
                      F("error_code", &S::error_code),
                      F("error_message", &S::error_message).Since(1).Nullable(),
                      F("node_id", &S::node_id), F("host", &S::host), F("port", &S::port)};
  }
};

struct FindCoordinatorApi {
  static constexpr ApiKey kKey = ApiKey::kFindCoordinator;
  static constexpr std::string_view kName = "FindCoordinator";
  static constexpr VersionRange kVersions{0, 2};
  static constexpr VersionRange kFlexibleVersions = kNoVersions;
  using Request = FindCoordinatorRequest;
  using Response = FindCoordinatorResponse;
};

}  // namespace kappa::kafka
