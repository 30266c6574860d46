#include "serve/topics_api.h"

#include "base/metrics.h"
#include "nlohmann/json.hpp"

namespace kappa::serve {
namespace {

using nlohmann::json;

HttpResponse JsonResponse(const json& j, int status = 200) {
  return HttpResponse{status, "application/json", j.dump() + "\n", {}};
}

json StatsToJson(const log::PartitionStats& st) {
  json j = {{"partition", st.partition.value()},  {"start_offset", st.start_offset.value()},
            {"end_offset", st.end_offset.value()}, {"bytes", st.bytes},
            {"records", st.records},               {"segments", st.segments},
            {"min_timestamp", nullptr},            {"max_timestamp", nullptr}};
  if (st.min_timestamp) j["min_timestamp"] = *st.min_timestamp;
  if (st.max_timestamp) j["max_timestamp"] = *st.max_timestamp;
  return j;
}

Result<log::TopicConfig> ConfigFromRequest(const json& body) {
  log::TopicConfig config;
  try {
    if (body.contains("partitions")) config.partitions = body["partitions"].get<int32_t>();
    if (body.contains("durability")) {
      ASSIGN_OR_RETURN(config.durability,
                       log::ParseDurability(body["durability"].get<std::string>()));
    }
    if (body.contains("retention_ms")) config.retention_ms = body["retention_ms"].get<int64_t>();
    if (body.contains("retention_bytes")) {
      config.retention_bytes = body["retention_bytes"].get<int64_t>();
    }
    if (body.contains("segment_bytes")) config.segment_bytes = body["segment_bytes"].get<int64_t>();
  } catch (const json::exception& e) {
    return Invalid("bad topic settings: {}", e.what());
  }
  RETURN_IF_ERROR(config.Validate());
  return config;
}

Awaitable<HttpResponse> Health(HttpRequest&) {
  co_return JsonResponse({{"status", "ok"}});
}

Awaitable<HttpResponse> MetricsText(HttpRequest&) {
  co_return HttpResponse{200, "text/plain; version=0.0.4", Metrics::RenderText(), {}};
}

}  // namespace

std::string TopicConfigJson(const log::TopicConfig& config) { return config.ToJson(); }

std::string PartitionStatsJson(const log::PartitionStats& stats) {
  return StatsToJson(stats).dump();
}

void AddTopicRoutes(Router* router, log::Log* log) {
  router->Add("GET /v1/health", Health);
  router->Add("GET /metrics", MetricsText);

  router->Add("GET /v1/topics", [log](HttpRequest&) -> Awaitable<HttpResponse> {
    json out = json::array();
    for (const std::string& name : log->ListTopics()) {
      auto topic = log->GetTopic(name);
      if (!topic.ok()) continue;  // deleted meanwhile
      int64_t records = 0;
      uint64_t bytes = 0;
      for (int32_t p = 0; p < (*topic)->partition_count(); ++p) {
        log::PartitionStats st = (*topic)->partition(PartitionId(p))->Stats();
        records += st.records;
        bytes += st.bytes;
      }
      out.push_back({{"name", name},
                     {"partitions", (*topic)->partition_count()},
                     {"records", records},
                     {"bytes", bytes}});
    }
    co_return JsonResponse(out);
  });

  router->Add("POST /v1/topics", [log](HttpRequest& req) -> Awaitable<HttpResponse> {
    json body = json::parse(req.body, nullptr, false);
    if (body.is_discarded() || !body.is_object() || !body.contains("name") ||
        !body["name"].is_string()) {
      co_return JsonError(400, "expected a JSON object with a string \"name\"");
    }
    auto config = ConfigFromRequest(body);
    if (!config.ok()) co_return ErrorResponse(config.status());
    auto topic = log->CreateTopic(body["name"].get<std::string>(), *config);
    if (!topic.ok()) co_return ErrorResponse(topic.status());
    co_return JsonResponse({{"name", (*topic)->name()},
                            {"partitions", (*topic)->partition_count()}}, 201);
  });

  router->Add("GET /v1/topics/{name}", [log](HttpRequest& req) -> Awaitable<HttpResponse> {
    auto topic = log->GetTopic(req.params["name"]);
    if (!topic.ok()) co_return ErrorResponse(topic.status());
    json parts = json::array();
    for (int32_t p = 0; p < (*topic)->partition_count(); ++p) {
      parts.push_back(StatsToJson((*topic)->partition(PartitionId(p))->Stats()));
    }
    co_return JsonResponse({{"name", (*topic)->name()},
                            {"config", json::parse((*topic)->config().ToJson())},
                            {"partitions", parts}});
  });

  router->Add("DELETE /v1/topics/{name}", [log](HttpRequest& req) -> Awaitable<HttpResponse> {
    Status s = log->DeleteTopic(req.params["name"]);
    if (!s.ok()) co_return ErrorResponse(s);
    co_return JsonResponse({{"deleted", req.params["name"]}});
  });
}

}  // namespace kappa::serve
