#include "cli/log_client.h"

#include <algorithm>
#include <cstdlib>
#include <thread>

#include "base/time.h"
#include "cli/appender.h"
#include "cli/http_client.h"
#include "nlohmann/json.hpp"
#include "serve/server_info.h"

namespace kappa::cli {
namespace {

using nlohmann::json;

constexpr int kServerInfoRetries = 30;

bool IsOffset(const std::string& from) {
  return !from.empty() && from.size() <= 18 &&
         from.find_first_not_of("0123456789") == std::string::npos;
}

Status CheckFrom(const std::string& from) {
  if (from == "earliest" || from == "latest" || IsOffset(from) || ParseTimestampMillis(from)) {
    return OkStatus();
  }
  return Invalid("--from {}: expected earliest, latest, an offset or an ISO-8601 timestamp", from);
}

constexpr size_t kWriterQueueBatches = 4;

class LocalWriter : public BatchWriter {
 public:
  explicit LocalWriter(std::shared_ptr<log::Topic> topic)
      : topic_(std::move(topic)), appender_(topic_.get(), kWriterQueueBatches) {}
  Status Write(format::FinishedBatch batch) override { return appender_.Write(std::move(batch)); }
  Status Finish() override { return appender_.Finish(); }

 private:
  std::shared_ptr<log::Topic> topic_;
  ThreadedAppender appender_;
};

// Each batch is one POST, answered once durable.
class HttpWriter : public BatchWriter {
 public:
  HttpWriter(HttpClient* http, std::string topic) : http_(http), topic_(std::move(topic)) {}
  Status Write(format::FinishedBatch batch) override {
    std::string target = fmt::format("/v1/topics/{}/batches?partition={}", UrlEncode(topic_),
                                     batch.partition);
    Status st = http_->Call("POST", target, std::move(batch.bytes), "application/octet-stream")
                    .status();
    return st.ok() ? st : st.WithContext(fmt::format("append to {}/{}", topic_, batch.partition));
  }
  Status Finish() override { return OkStatus(); }

 private:
  HttpClient* http_;
  std::string topic_;
};

class LocalLogClient : public LogClient {
 public:
  explicit LocalLogClient(std::unique_ptr<log::Log> log) : log_(std::move(log)) {}

  Result<int32_t> CreateTopic(const std::string& name, const log::TopicConfig& config) override {
    ASSIGN_OR_RETURN(auto topic, log_->CreateTopic(name, config));
    return topic->partition_count();
  }

  Result<std::vector<TopicSummary>> ListTopics() override {
    std::vector<TopicSummary> out;
    for (const std::string& name : log_->ListTopics()) {
      ASSIGN_OR_RETURN(auto topic, log_->GetTopic(name));
      TopicSummary s{name, topic->partition_count(), 0, 0};
      for (int32_t p = 0; p < topic->partition_count(); ++p) {
        log::PartitionStats st = topic->partition(PartitionId(p))->Stats();
        s.records += st.records;
        s.bytes += st.bytes;
      }
      out.push_back(s);
    }
    return out;
  }

  Result<TopicDescription> DescribeTopic(const std::string& name) override {
    ASSIGN_OR_RETURN(auto topic, log_->GetTopic(name));
    TopicDescription d{topic->name(), topic->config(), {}};
    for (int32_t p = 0; p < topic->partition_count(); ++p) {
      d.partitions.push_back(topic->partition(PartitionId(p))->Stats());
    }
    return d;
  }

  Status DeleteTopic(const std::string& name) override { return log_->DeleteTopic(name); }

  Result<Offset> StartOffset(const std::string& topic, int32_t partition,
                             const std::string& from) override {
    RETURN_IF_ERROR(CheckFrom(from));
    ASSIGN_OR_RETURN(log::Partition * p, Partition(topic, partition));
    if (from == "earliest") return p->start_offset();
    if (from == "latest") return p->high_watermark();
    if (IsOffset(from)) {
      return std::clamp(Offset(std::stoll(from)), p->start_offset(), p->high_watermark());
    }
    return p->OffsetForTimestamp(*ParseTimestampMillis(from));
  }

  Result<FetchChunk> Fetch(const std::string& topic, int32_t partition, Offset from,
                           size_t max_bytes, std::chrono::milliseconds wait) override {
    ASSIGN_OR_RETURN(log::Partition * p, Partition(topic, partition));
    if (wait.count() > 0 && from >= p->high_watermark()) p->WaitForData(from, wait);
    FetchChunk out{"", from};
    if (from >= p->high_watermark()) return out;
    ASSIGN_OR_RETURN(log::ReadResult r, p->Read(from, max_bytes));
    for (const log::FileSlice& s : r.slices) RETURN_IF_ERROR(s.AppendTo(&out.bytes));
    out.next_offset = r.next_offset;
    return out;
  }

  Result<std::unique_ptr<BatchWriter>> OpenWriter(const std::string& topic) override {
    ASSIGN_OR_RETURN(auto t, log_->GetTopic(topic));
    return std::unique_ptr<BatchWriter>(new LocalWriter(std::move(t)));
  }

  Status Close() override { return log_->Close(); }

 private:
  Result<log::Partition*> Partition(const std::string& topic, int32_t partition) {
    auto it = topics_.find(topic);
    if (it == topics_.end()) {
      ASSIGN_OR_RETURN(auto t, log_->GetTopic(topic));
      it = topics_.emplace(topic, std::move(t)).first;
    }
    log::Partition* p = it->second->partition(PartitionId(partition));
    if (p == nullptr) return NotFound("topic {} has no partition {}", topic, partition);
    return p;
  }

  std::unique_ptr<log::Log> log_;
  std::map<std::string, std::shared_ptr<log::Topic>> topics_;
};

Result<log::PartitionStats> StatsFromJson(const json& j) {
  try {
    log::PartitionStats s;
    s.partition = PartitionId(j.at("partition").get<int32_t>());
    s.start_offset = Offset(j.at("start_offset").get<int64_t>());
    s.end_offset = Offset(j.at("end_offset").get<int64_t>());
    s.bytes = j.at("bytes").get<uint64_t>();
    s.records = j.at("records").get<int64_t>();
    s.segments = j.at("segments").get<int32_t>();
    if (!j.at("min_timestamp").is_null()) s.min_timestamp = j["min_timestamp"].get<int64_t>();
    if (!j.at("max_timestamp").is_null()) s.max_timestamp = j["max_timestamp"].get<int64_t>();
    return s;
  } catch (const json::exception& e) {
    return Internal("unexpected partition stats from the server: {}", e.what());
  }
}

class HttpLogClient : public LogClient {
 public:
  explicit HttpLogClient(std::unique_ptr<HttpClient> http) : http_(std::move(http)) {}

  Result<int32_t> CreateTopic(const std::string& name, const log::TopicConfig& config) override {
    json body = {{"name", name},
                 {"partitions", config.partitions},
                 {"durability", log::DurabilityName(config.durability)},
                 {"retention_ms", config.retention_ms},
                 {"retention_bytes", config.retention_bytes},
                 {"segment_bytes", config.segment_bytes}};
    ASSIGN_OR_RETURN(json j, CallJson("POST", "/v1/topics", body.dump()));
    return j.value("partitions", config.partitions);
  }

  Result<std::vector<TopicSummary>> ListTopics() override {
    ASSIGN_OR_RETURN(json j, CallJson("GET", "/v1/topics"));
    std::vector<TopicSummary> out;
    try {
      for (const json& t : j) {
        out.push_back({t.at("name").get<std::string>(), t.at("partitions").get<int32_t>(),
                       t.value("records", int64_t{0}), t.value("bytes", uint64_t{0})});
      }
    } catch (const json::exception& e) {
      return Internal("unexpected topic list from the server: {}", e.what());
    }
    return out;
  }

  Result<TopicDescription> DescribeTopic(const std::string& name) override {
    ASSIGN_OR_RETURN(json j, CallJson("GET", "/v1/topics/" + UrlEncode(name)));
    if (!j.is_object() || !j.contains("config") || !j.contains("partitions")) {
      return Internal("unexpected topic description from the server");
    }
    TopicDescription d;
    d.name = j.value("name", name);
    ASSIGN_OR_RETURN(d.config, log::TopicConfig::FromJson(j["config"].dump()));
    for (const json& p : j["partitions"]) {
      ASSIGN_OR_RETURN(log::PartitionStats s, StatsFromJson(p));
      d.partitions.push_back(s);
    }
    return d;
  }

  Status DeleteTopic(const std::string& name) override {
    return http_->Call("DELETE", "/v1/topics/" + UrlEncode(name)).status();
  }

  Result<Offset> StartOffset(const std::string& topic, int32_t partition,
                             const std::string& from) override {
    RETURN_IF_ERROR(CheckFrom(from));
    ASSIGN_OR_RETURN(json j, CallJson("GET", fmt::format("/v1/topics/{}/records?partition={}&"
                                                         "from={}&max=0",
                                                         UrlEncode(topic), partition,
                                                         UrlEncode(from))));
    try {
      return Offset(j.at("next_offsets").at(std::to_string(partition)).get<int64_t>());
    } catch (const json::exception& e) {
      return Internal("unexpected offsets from the server: {}", e.what());
    }
  }

  Result<FetchChunk> Fetch(const std::string& topic, int32_t partition, Offset from,
                           size_t max_bytes, std::chrono::milliseconds wait) override {
    ASSIGN_OR_RETURN(HttpResult r,
                     http_->Call("GET", fmt::format("/v1/topics/{}/batches?partition={}&offset={}"
                                                    "&max_bytes={}&timeout_ms={}",
                                                    UrlEncode(topic), partition, from.value(),
                                                    max_bytes, wait.count())));
    FetchChunk out{std::move(r.body), from};
    auto it = r.headers.find("x-kappa-next-offset");
    if (it != r.headers.end()) out.next_offset = Offset(std::stoll(it->second));
    return out;
  }

  Result<std::unique_ptr<BatchWriter>> OpenWriter(const std::string& topic) override {
    return std::unique_ptr<BatchWriter>(new HttpWriter(http_.get(), topic));
  }

  Status Close() override { return OkStatus(); }

 private:
  Result<json> CallJson(std::string_view method, const std::string& target,
                        std::string body = "") {
    ASSIGN_OR_RETURN(HttpResult r, http_->Call(method, target, std::move(body)));
    json j = json::parse(r.body, nullptr, false);
    if (j.is_discarded()) return Internal("the server answered {} with no JSON", target);
    return j;
  }

  std::unique_ptr<HttpClient> http_;
};

}  // namespace

Result<std::optional<std::string>> FindServer(const GlobalOptions& globals) {
  if (!globals.server.empty()) return std::optional<std::string>(globals.server);
  std::string holder = DirLock::Holder(globals.data_dir);
  if (holder.find("kappa server") == std::string::npos) return std::optional<std::string>();
  // A server that is starting holds the lock a moment before server.json exists.
  Result<serve::ServerInfo> info = serve::ReadServerInfo(globals.data_dir);
  for (int i = 0; i < kServerInfoRetries && info.status().code() == StatusCode::kNotFound; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    if (DirLock::Holder(globals.data_dir).empty()) return std::optional<std::string>();
    info = serve::ReadServerInfo(globals.data_dir);
  }
  if (!info.ok()) {
    return Busy("data dir {} is held by {}, but {}; pass --server URL",
                globals.data_dir, holder, info.status().message());
  }
  return std::optional<std::string>("http://" + info->http);
}

Result<std::unique_ptr<LogClient>> ConnectLog(const GlobalOptions& globals,
                                              std::string_view holder) {
  ASSIGN_OR_RETURN(std::optional<std::string> server, FindServer(globals));
  if (server) {
    ASSIGN_OR_RETURN(auto http, HttpClient::Create(*server));
    return std::unique_ptr<LogClient>(new HttpLogClient(std::move(http)));
  }
  ASSIGN_OR_RETURN(auto log, OpenLog(globals, holder));
  return std::unique_ptr<LogClient>(new LocalLogClient(std::move(log)));
}

}  // namespace kappa::cli
