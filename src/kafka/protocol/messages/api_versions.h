// ApiVersions (api key 18), versions 0-3: which APIs and versions the broker
// supports. v1 adds throttle_time_ms; v3 is flexible (compact strings and
// arrays, tagged fields, request header v2) and adds the client's software
// name and version. The response header stays v0 even for v3. A request in
// a version the broker does not support is answered in v0 with
// UNSUPPORTED_VERSION and the broker's ApiVersions range, so the client can
// retry lower.
#pragma once

#include <string>
#include <tuple>
#include <vector>

#include "kafka/protocol/error_code.h"
#include "kafka/protocol/field.h"
#include "kafka/protocol/types.h"

namespace kappa::kafka {

struct ApiVersionsApi;

struct ApiVersionsRequest {
  using Api = ApiVersionsApi;
  std::string client_software_name;
  std::string client_software_version;

  bool operator==(const ApiVersionsRequest&) const = default;
  static constexpr auto Fields() {
    using S = ApiVersionsRequest;
    return std::tuple{F("client_software_name", &S::client_software_name).Since(3),
                      F("client_software_version", &S::client_software_version).Since(3)};
  }
};

struct ApiVersionsResponse {
  using Api = ApiVersionsApi;
  struct ApiVersion {
    ApiKey api_key = ApiKey::kProduce;
    int16_t min_version = 0;
    int16_t max_version = 0;
    bool operator==(const ApiVersion&) const = default;
    static constexpr auto Fields() {
      using S = ApiVersion;
      return std::tuple{F("api_key", &S::api_key), F("min_version", &S::min_version),
                        F("max_version", &S::max_version)};
    }
  };

  ErrorCode error_code = ErrorCode::kNone;
  std::vector<ApiVersion> api_keys;
  int32_t throttle_time_ms = 0;

  bool operator==(const ApiVersionsResponse&) const = default;
  static constexpr auto Fields() {
    using S = ApiVersionsResponse;
    return std::tuple{F("error_code", &S::error_code), F("api_keys", &S::api_keys),
                      F("throttle_time_ms", &S::throttle_time_ms).Since(1)};
  }
};

struct ApiVersionsApi {
  static constexpr ApiKey kKey = ApiKey::kApiVersions;
  static constexpr std::string_view kName = "ApiVersions";
  static constexpr VersionRange kVersions{0, 3};
  static constexpr VersionRange kFlexibleVersions{3, kMaxVersion};
  using Request = ApiVersionsRequest;
  using Response = ApiVersionsResponse;
};

}  // namespace kappa::kafka
