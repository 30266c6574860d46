// One handler per Kafka API. Each takes the decoded request of its API and
// returns the response body to encode in the request's version, or nullopt
// when the protocol sends none (Produce with acks = 0). The request header
// gives the version (fields that exist only in some versions are filled
// accordingly) and the client id. Handlers never throw; failures become
// the protocol's error codes in the response.
#pragma once

#include <optional>

#include "base/asio.h"
#include "kafka/broker/broker.h"
#include "kafka/protocol/apis.h"
#include "kafka/protocol/header.h"

namespace kappa::kafka {

using HandlerResult = Awaitable<std::optional<ResponseBody>>;

HandlerResult HandleApiVersions(BrokerContext& ctx, const RequestHeader& h, ApiVersionsRequest& r);
HandlerResult HandleMetadata(BrokerContext& ctx, const RequestHeader& h, MetadataRequest& r);
HandlerResult HandleProduce(BrokerContext& ctx, const RequestHeader& h, ProduceRequest& r);
HandlerResult HandleFetch(BrokerContext& ctx, const RequestHeader& h, FetchRequest& r);
HandlerResult HandleListOffsets(BrokerContext& ctx, const RequestHeader& h, ListOffsetsRequest& r);
HandlerResult HandleCreateTopics(BrokerContext& ctx, const RequestHeader& h, CreateTopicsRequest& r);
HandlerResult HandleDeleteTopics(BrokerContext& ctx, const RequestHeader& h, DeleteTopicsRequest& r);
HandlerResult HandleInitProducerId(BrokerContext& ctx, const RequestHeader& h,
                                   InitProducerIdRequest& r);
HandlerResult HandleFindCoordinator(BrokerContext& ctx, const RequestHeader& h,
                                    FindCoordinatorRequest& r);
HandlerResult HandleJoinGroup(BrokerContext& ctx, const RequestHeader& h, JoinGroupRequest& r);
HandlerResult HandleSyncGroup(BrokerContext& ctx, const RequestHeader& h, SyncGroupRequest& r);
HandlerResult HandleHeartbeat(BrokerContext& ctx, const RequestHeader& h, HeartbeatRequest& r);
HandlerResult HandleLeaveGroup(BrokerContext& ctx, const RequestHeader& h, LeaveGroupRequest& r);
HandlerResult HandleOffsetCommit(BrokerContext& ctx, const RequestHeader& h,
                                 OffsetCommitRequest& r);
HandlerResult HandleOffsetFetch(BrokerContext& ctx, const RequestHeader& h, OffsetFetchRequest& r);

}  // namespace kappa::kafka
