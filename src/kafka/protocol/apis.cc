#include "kafka/protocol/apis.h"

#include <algorithm>
#include <array>

#include "fmt/format.h"

namespace kappa::kafka {

template <typename... Apis>
static constexpr auto MakeApiTable(ApiList<Apis...>) {
  std::array<ApiInfo, sizeof...(Apis)> table{
      ApiInfo{Apis::kKey, Apis::kName, Apis::kVersions, Apis::kFlexibleVersions}...};
  std::sort(table.begin(), table.end(),
            [](const ApiInfo& a, const ApiInfo& b) { return a.key < b.key; });
  return table;
}

static constexpr auto kApiTable = MakeApiTable(AllApis{});

std::span<const ApiInfo> SupportedApis() { return kApiTable; }

const ApiInfo* FindApi(int16_t api_key) {
  for (const ApiInfo& api : kApiTable) {
    if (static_cast<int16_t>(api.key) == api_key) return &api;
  }
  return nullptr;
}

std::string ApiName(ApiKey key) {
  const ApiInfo* api = FindApi(static_cast<int16_t>(key));
  if (api != nullptr) return std::string(api->name);
  return fmt::format("ApiKey({})", static_cast<int16_t>(key));
}

bool IsFlexible(ApiKey key, int16_t version) {
  const ApiInfo* api = FindApi(static_cast<int16_t>(key));
  return api != nullptr && api->flexible_versions.Contains(version);
}

ApiKey ApiKeyOf(const RequestBody& body) {
  return std::visit([](const auto& m) { return std::decay_t<decltype(m)>::Api::kKey; }, body);
}

ApiKey ApiKeyOf(const ResponseBody& body) {
  return std::visit([](const auto& m) { return std::decay_t<decltype(m)>::Api::kKey; }, body);
}

}  // namespace kappa::kafka
