// Metadata: this broker is the controller and the leader (and only replica)
// of every partition. Topic list: v0 empty = all, v1+ null = all, v1+
// empty = none. Unknown topics are created when the server allows it and,
// from v4, the request does too.
#include "kafka/broker/handler_util.h"
#include "kafka/broker/handlers.h"

namespace kappa::kafka {

namespace {

MetadataResponse::Topic DescribeTopic(BrokerContext& ctx, const std::string& name, bool create) {
  MetadataResponse::Topic out;
  out.name = name;
  TopicLookup found = FindTopic(ctx, name, create);
  if (!found.topic) {
    out.error_code = found.error;
    return out;
  }
  int32_t node = ctx.options.node_id;
  for (int32_t p = 0; p < found.topic->partition_count(); ++p) {
    MetadataResponse::Partition part;
    part.partition_index = PartitionId(p);
    part.leader_id = node;
    part.replica_nodes = {node};
    part.isr_nodes = {node};
    out.partitions.push_back(std::move(part));
  }
  return out;
}

}  // namespace

HandlerResult HandleMetadata(BrokerContext& ctx, const RequestHeader& h, MetadataRequest& r) {
  MetadataResponse out;
  out.brokers.push_back({ctx.options.node_id, ctx.options.advertised_host,
                         ctx.options.advertised_port, std::nullopt});
  out.cluster_id = "kappa";
  out.controller_id = ctx.options.node_id;
  bool all = !r.topics || (h.api_version == 0 && r.topics->empty());
  if (all) {
    for (const std::string& name : ctx.log->ListTopics()) {
      out.topics.push_back(DescribeTopic(ctx, name, false));
    }
  } else {
    bool create = ctx.options.auto_create_topics &&
                  (h.api_version < 4 || r.allow_auto_topic_creation);
    for (const auto& t : *r.topics) out.topics.push_back(DescribeTopic(ctx, t.name, create));
  }
  co_return ResponseBody{std::move(out)};
}

}  // namespace kappa::kafka
