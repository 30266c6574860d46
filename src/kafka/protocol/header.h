// Request and response headers. Every request starts with header v1
// (api_key i16, api_version i16, correlation_id i32, client_id nullable
// string with an i16 length); requests in a flexible version use header v2,
// which appends a tagged-field section (client_id keeps its i16 length).
// Responses start with header v0 (correlation_id); flexible responses use
// v1 (+ tagged fields), except ApiVersions, whose response header is v0 in
// every version so that a client can parse it before it knows our versions.
#pragma once

#include <optional>
#include <string>
#include <tuple>

#include "kafka/protocol/field.h"
#include "kafka/protocol/types.h"

namespace kappa::kafka {

struct RequestHeader {
  ApiKey api_key = ApiKey::kProduce;
  int16_t api_version = 0;
  int32_t correlation_id = 0;
  std::optional<std::string> client_id;

  bool operator==(const RequestHeader&) const = default;
  static constexpr auto Fields() {
    using S = RequestHeader;
    return std::tuple{F("api_key", &S::api_key), F("api_version", &S::api_version),
                      F("correlation_id", &S::correlation_id),
                      F("client_id", &S::client_id).Nullable()};
  }
};

struct ResponseHeader {
  int32_t correlation_id = 0;

  bool operator==(const ResponseHeader&) const = default;
  static constexpr auto Fields() {
    return std::tuple{F("correlation_id", &ResponseHeader::correlation_id)};
  }
};

// Header version (1 or 2) for a request of this API version.
int16_t RequestHeaderVersion(ApiKey key, int16_t api_version);
// Header version (0 or 1) for a response of this API version.
int16_t ResponseHeaderVersion(ApiKey key, int16_t api_version);

}  // namespace kappa::kafka
