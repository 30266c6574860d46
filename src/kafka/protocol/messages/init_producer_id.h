// InitProducerId (api key 22), versions 0-1: an idempotent or transactional
// producer obtains a producer id and epoch. Version 1 is the same as 0.
#pragma once

#include <optional>
#include <string>
#include <tuple>

#include "kafka/protocol/error_code.h"
#include "kafka/protocol/field.h"
#include "kafka/protocol/types.h"

namespace kappa::kafka {

struct InitProducerIdApi;

struct InitProducerIdRequest {
  using Api = InitProducerIdApi;
  std::optional<std::string> transactional_id;
  int32_t transaction_timeout_ms = 0;

  bool operator==(const InitProducerIdRequest&) const = default;
  static constexpr auto Fields() {
    using S = InitProducerIdRequest;
    return std::tuple{F("transactional_id", &S::transactional_id).Nullable(),
                      F("transaction_timeout_ms", &S::transaction_timeout_ms)};
  }
};

struct InitProducerIdResponse {
  using Api = InitProducerIdApi;
  int32_t throttle_time_ms = 0;
  ErrorCode error_code = ErrorCode::kNone;
  int64_t producer_id = -1;
  int16_t producer_epoch = 0;

  bool operator==(const InitProducerIdResponse&) const = default;
  static constexpr auto Fields() {
    using S = InitProducerIdResponse;
    return std::tuple{F("throttle_time_ms", &S::throttle_time_ms),
                      F("error_code", &S::error_code), F("producer_id", &S::producer_id),
                      F("producer_epoch", &S::producer_epoch)};
  }
};

struct InitProducerIdApi {
  static constexpr ApiKey kKey = ApiKey::kInitProducerId;
  static constexpr std::string_view kName = "InitProducerId";
  static constexpr VersionRange kVersions{0, 1};
  static constexpr VersionRange kFlexibleVersions = kNoVersions;
  using Request = InitProducerIdRequest;
  using Response = InitProducerIdResponse;
};

}  // namespace kappa::kafka
