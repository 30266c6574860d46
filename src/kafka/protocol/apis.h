// The set of APIs Kappa speaks, in one list. Each entry is an Api descriptor
// from messages/ (key, name, versions, flexible versions, request and
// response types); everything else -- the request and response variants,
// the dispatch in DecodeRequest, the ranges ApiVersions advertises -- is
// derived from AllApis, so adding an API is: write messages/<api>.h, add it
// to AllApis below.
#pragma once

#include <optional>
#include <span>
#include <string_view>
#include <variant>

#include "kafka/protocol/messages/api_versions.h"
#include "kafka/protocol/messages/create_topics.h"
#include "kafka/protocol/messages/delete_topics.h"
#include "kafka/protocol/messages/fetch.h"
#include "kafka/protocol/messages/find_coordinator.h"
#include "kafka/protocol/messages/heartbeat.h"
#include "kafka/protocol/messages/init_producer_id.h"
#include "kafka/protocol/messages/join_group.h"
#include "kafka/protocol/messages/leave_group.h"
#include "kafka/protocol/messages/list_offsets.h"
#include "kafka/protocol/messages/metadata.h"
#include "kafka/protocol/messages/offset_commit.h"
#include "kafka/protocol/messages/offset_fetch.h"
#include "kafka/protocol/messages/produce.h"
#include "kafka/protocol/messages/sync_group.h"
#include "kafka/protocol/types.h"

namespace kappa::kafka {

template <typename... Apis>
struct ApiList {
  using Requests = std::variant<typename Apis::Request...>;
  using Responses = std::variant<typename Apis::Response...>;

  // Calls fn(Api{}) for each API.
  template <typename Fn>
  static void ForEach(Fn&& fn) {
    (fn(Apis{}), ...);
  }
  // Calls fn(Api{}) for each API until fn returns true; returns whether one did.
  template <typename Fn>
  static bool Find(Fn&& fn) {
    return (... || fn(Apis{}));
  }
};

using AllApis =
    ApiList<ProduceApi, FetchApi, ListOffsetsApi, MetadataApi, OffsetCommitApi, OffsetFetchApi,
            FindCoordinatorApi, JoinGroupApi, HeartbeatApi, LeaveGroupApi, SyncGroupApi,
            ApiVersionsApi, CreateTopicsApi, DeleteTopicsApi, InitProducerIdApi>;

// A request or response body of any supported API.
using RequestBody = AllApis::Requests;
using ResponseBody = AllApis::Responses;

// Runtime facts about one API.
struct ApiInfo {
  ApiKey key;
  std::string_view name;
  VersionRange versions;
  VersionRange flexible_versions;
};

// Every supported API in api-key order.
std::span<const ApiInfo> SupportedApis();
// The API with this key, or nullptr if Kappa does not support it.
const ApiInfo* FindApi(int16_t api_key);
// "Produce", or "ApiKey(57)" for an unsupported key.
std::string ApiName(ApiKey key);

// Whether request and response bodies of this API version use the flexible
// encoding. REQUIRES: the API is supported.
bool IsFlexible(ApiKey key, int16_t version);

// The API a body belongs to.
ApiKey ApiKeyOf(const RequestBody& body);
ApiKey ApiKeyOf(const ResponseBody& body);

}  // namespace kappa::kafka
