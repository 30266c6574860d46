#include "kafka/broker/handlers.h"

namespace kappa::kafka {

ApiVersionsResponse SupportedVersions() {
  ApiVersionsResponse out;
  for (const ApiInfo& api : SupportedApis()) {
    out.api_keys.push_back({api.key, api.versions.min, api.versions.max});
  }
  return out;
}

HandlerResult HandleApiVersions(BrokerContext&, const RequestHeader&, ApiVersionsRequest&) {
  co_return ResponseBody{SupportedVersions()};
}

}  // namespace kappa::kafka
