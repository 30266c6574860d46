// HTTP endpoints over the log, for the CLI and for scripts:
//   GET    /v1/health                  {"status": "ok"}
//   GET    /v1/topics                  [{"name", "partitions", "records", "bytes"}]
//   POST   /v1/topics                  {"name", "partitions", "durability", "retention_ms",
//                                       "retention_bytes", "segment_bytes"} -> 201
//   GET    /v1/topics/{name}           {"name", "config", "partitions": [stats]}
//   DELETE /v1/topics/{name}
//   GET    /metrics                    Prometheus text
// Errors are {"error": {"message", "code"}} with 400/404/409/500.
#pragma once

#include "log/log.h"
#include "serve/http_router.h"

namespace kappa::serve {

// `log` must outlive the router.
void AddTopicRoutes(Router* router, log::Log* log);

// The JSON shapes shared with the CLI's --json output.
std::string TopicConfigJson(const log::TopicConfig& config);
std::string PartitionStatsJson(const log::PartitionStats& stats);

}  // namespace kappa::serve
