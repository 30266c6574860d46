// DeleteTopics (api key 20), versions 0-3: delete topics by name. v1 adds
// throttle_time_ms to the response.
#pragma once

#include <string>
#include <tuple>
#include <vector>

#include "kafka/protocol/error_code.h"
#include "kafka/protocol/field.h"
#include "kafka/protocol/types.h"

namespace kappa::kafka {

struct DeleteTopicsApi;

struct DeleteTopicsRequest {
  using Api = DeleteTopicsApi;
  std::vector<std::string> topic_names;
  int32_t timeout_ms = 0;

  bool operator==(const DeleteTopicsRequest&) const = default;
  static constexpr auto Fields() {
    using S = DeleteTopicsRequest;
    return std::tuple{F("topic_names", &S::topic_names), F("timeout_ms", &S::timeout_ms)};
  }
};

struct DeleteTopicsResponse {
  using Api = DeleteTopicsApi;
  struct Result {
    std::string name;
    ErrorCode error_code = ErrorCode::kNone;
    bool operator==(const Result&) const = default;
    static constexpr auto Fields() {
      using S = Result;
      return std::tuple{F("name", &S::name), F("error_code", &S::error_code)};
    }
  };

  int32_t throttle_time_ms = 0;
  std::vector<Result> responses;

  bool operator==(const DeleteTopicsResponse&) const = default;
  static constexpr auto Fields() {
    using S = DeleteTopicsResponse;
    return std::tuple{F("throttle_time_ms", &S::throttle_time_ms).Since(1),
                      F("responses", &S::responses)};
  }
};

struct DeleteTopicsApi {
  static constexpr ApiKey kKey = ApiKey::kDeleteTopics;
  static constexpr std::string_view kName = "DeleteTopics";
  static constexpr VersionRange kVersions{0, 3};
  static constexpr VersionRange kFlexibleVersions = kNoVersions;
  using Request = DeleteTopicsRequest;
  using Response = DeleteTopicsResponse;
};

}  // namespace kappa::kafka
