#include "kafka/protocol/header.h"

#include "kafka/protocol/apis.h"

namespace kappa::kafka {

int16_t RequestHeaderVersion(ApiKey key, int16_t api_version) {
  return IsFlexible(key, api_version) ? 2 : 1;
}

int16_t ResponseHeaderVersion(ApiKey key, int16_t api_version) {
  if (key == ApiKey::kApiVersions) return 0;
  return IsFlexible(key, api_version) ? 1 : 0;
}

}  // namespace kappa::kafka
