#include "kafka/broker/broker.h"

#include <chrono>

#include "base/metrics.h"
#include "base/time.h"
#include "kafka/broker/handlers.h"
#include "kafka/protocol/request.h"
#include "kafka/protocol/response.h"
#include "spdlog/spdlog.h"

namespace kappa::kafka {

ApiVersionsResponse SupportedVersions();  // handlers/api_versions.cc

namespace {

constexpr auto kTickInterval = std::chrono::milliseconds(200);

HandlerResult Dispatch(BrokerContext& ctx, const RequestHeader& h, RequestBody& body) {
  return std::visit(
      [&](auto& r) -> HandlerResult {
        using T = std::decay_t<decltype(r)>;
        if constexpr (std::is_same_v<T, ApiVersionsRequest>) return HandleApiVersions(ctx, h, r);
        if constexpr (std::is_same_v<T, MetadataRequest>) return HandleMetadata(ctx, h, r);
        if constexpr (std::is_same_v<T, ProduceRequest>) return HandleProduce(ctx, h, r);
        if constexpr (std::is_same_v<T, FetchRequest>) return HandleFetch(ctx, h, r);
        if constexpr (std::is_same_v<T, ListOffsetsRequest>) return HandleListOffsets(ctx, h, r);
        if constexpr (std::is_same_v<T, CreateTopicsRequest>) return HandleCreateTopics(ctx, h, r);
        if constexpr (std::is_same_v<T, DeleteTopicsRequest>) return HandleDeleteTopics(ctx, h, r);
        if constexpr (std::is_same_v<T, InitProducerIdRequest>) {
          return HandleInitProducerId(ctx, h, r);
        }
        if constexpr (std::is_same_v<T, FindCoordinatorRequest>) {
          return HandleFindCoordinator(ctx, h, r);
        }
        if constexpr (std::is_same_v<T, JoinGroupRequest>) return HandleJoinGroup(ctx, h, r);
        if constexpr (std::is_same_v<T, SyncGroupRequest>) return HandleSyncGroup(ctx, h, r);
        if constexpr (std::is_same_v<T, HeartbeatRequest>) return HandleHeartbeat(ctx, h, r);
        if constexpr (std::is_same_v<T, LeaveGroupRequest>) return HandleLeaveGroup(ctx, h, r);
        if constexpr (std::is_same_v<T, OffsetCommitRequest>) return HandleOffsetCommit(ctx, h, r);
        if constexpr (std::is_same_v<T, OffsetFetchRequest>) return HandleOffsetFetch(ctx, h, r);
      },
      body);
}

// The answer to ApiVersions in a version we do not speak: v0, error 35, our range.
FrameReply UnsupportedApiVersions(const RequestHeader& h) {
  ApiVersionsResponse r = SupportedVersions();
  r.error_code = ErrorCode::kUnsupportedVersion;
  auto frame = EncodeResponse(ResponseHeader{h.correlation_id}, 0, ResponseBody{r});
  if (!frame.ok()) return FrameReply::Close();
  return FrameReply::Send(std::move(*frame));
}

struct ApiMetrics {
  CounterMetric* requests;
  CounterMetric* errors;
  HistogramMetric* latency;
};

ApiMetrics& MetricsFor(ApiKey key) {
  static std::map<ApiKey, ApiMetrics> by_api;
  auto it = by_api.find(key);
  if (it == by_api.end()) {
    Labels labels{{"api", ApiName(key)}};
    ApiMetrics m{&Metrics::Counter("kappa_kafka_requests_total", "Kafka requests handled", labels),
                 &Metrics::Counter("kappa_kafka_request_errors_total",
                                   "Kafka requests that failed to decode or encode", labels),
                 &Metrics::Histogram("kappa_kafka_request_seconds",
                                     "Kafka request latency, arrival to response", labels)};
    it = by_api.emplace(key, m).first;
  }
  return it->second;
}

// kappa_kafka_group_members{group=...}: members of each group the coordinator
// knows (groups are never forgotten, so a gauge drops to 0 rather than vanish).
void UpdateGroupGauges(const GroupCoordinator& groups) {
  static std::map<std::string, GaugeMetric*> by_group;
  for (const GroupSummary& g : groups.Summaries()) {
    GaugeMetric*& gauge = by_group[g.group_id];
    if (gauge == nullptr) {
      gauge = &Metrics::Gauge("kappa_kafka_group_members", "Members of a consumer group",
                              {{"group", g.group_id}});
    }
    gauge->Set(g.members);
  }
}

}  // namespace

Result<std::unique_ptr<Broker>> Broker::Create(log::Log* log, asio::any_io_executor executor,
                                               BrokerOptions options) {
  auto ctx = std::make_unique<BrokerContext>();
  ctx->options = std::move(options);
  ctx->log = log;
  ctx->executor = executor;
  ASSIGN_OR_RETURN(ctx->offsets, OffsetStore::Open(ctx->options.groups_dir));
  // Producer ids unique across restarts: start time in ms, times 1000.
  ctx->producers = std::make_unique<ProducerState>(WallMillis() * 1000);
  ctx->data_signal = std::make_shared<DataSignal>(executor);
  std::unique_ptr<Broker> broker(new Broker(std::move(ctx)));
  broker->tick_timer_ = std::make_unique<asio::steady_timer>(executor);
  asio::co_spawn(executor, broker->TickLoop(), asio::detached);
  return broker;
}

Broker::~Broker() = default;

void Broker::Stop() {
  stopped_ = true;
  ctx_->stopping = true;
  if (tick_timer_) tick_timer_->cancel();
  ctx_->data_signal->Notify();
  ctx_->groups.AbortPending();
}

Awaitable<void> Broker::TickLoop() {
  while (!stopped_) {
    tick_timer_->expires_after(kTickInterval);
    boost::system::error_code ec;
    co_await tick_timer_->async_wait(asio::redirect_error(asio::use_awaitable, ec));
    if (stopped_) break;
    ctx_->groups.Tick(WallMillis());
    UpdateGroupGauges(ctx_->groups);
  }
}

void Broker::ConnectionClosed(uint64_t) {}

Awaitable<FrameReply> Broker::Handle(uint64_t conn_id, RequestFrame frame) {
  int64_t start = MonotonicNanos();
  RequestOrError decoded = DecodeRequest(frame.bytes());
  if (!decoded.ok()) {
    const RequestDecodeError& e = decoded.error();
    if (e.kind == RequestError::kUnsupportedVersion && e.header &&
        e.header->api_key == ApiKey::kApiVersions) {
      co_return UnsupportedApiVersions(*e.header);
    }
    spdlog::warn("kafka connection {}: {} ({}), closing", conn_id, RequestErrorName(e.kind),
                 e.status.message());
    co_return FrameReply::Close();
  }
  Request req = std::move(decoded).request();
  ApiMetrics& m = MetricsFor(req.header.api_key);
  m.requests->Add();
  std::optional<ResponseBody> body = co_await Dispatch(*ctx_, req.header, req.body);
  m.latency->ObserveMicros((MonotonicNanos() - start) / 1000);
  if (!body) co_return FrameReply::None();
  auto out = EncodeResponse(ResponseHeader{req.header.correlation_id}, req.header.api_version, *body);
  if (!out.ok()) {
    m.errors->Add();
    spdlog::error("kafka connection {}: cannot encode {} v{} response: {}", conn_id,
                  ApiName(req.header.api_key), req.header.api_version, out.status().message());
    co_return FrameReply::Close();
  }
  co_return FrameReply::Send(std::move(*out));
}

}  // namespace kappa::kafka
