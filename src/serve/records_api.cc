#include "serve/records_api.h"

#include <algorithm>
#include <atomic>
#include <charconv>
#include <type_traits>

#include "base/metrics.h"
#include "base/time.h"
#include "format/json_line_batcher.h"
#include "format/line_reader.h"
#include "log/record_batch.h"
#include "nlohmann/json.hpp"

namespace kappa::serve {
namespace {

using nlohmann::json;

constexpr size_t kReadBytes = 1 << 20;
constexpr int64_t kMaxWaitMs = 30'000;
constexpr int64_t kDefaultMaxRecords = 1000;
constexpr auto kPollInterval = std::chrono::milliseconds(10);

HttpResponse JsonResponse(const json& j, int status = 200) {
  return HttpResponse{status, "application/json",
                      j.dump(-1, ' ', false, json::error_handler_t::replace) + "\n", {}};
}

// A failed append: bytes the client sent that the log refused are its fault.
HttpResponse AppendError(const Status& s) {
  if (s.code() == StatusCode::kDataLoss) return JsonError(400, s.message());
  return ErrorResponse(s);
}

Result<int64_t> IntParam(const HttpRequest& req, const std::string& name, int64_t fallback,
                         int64_t min, int64_t max) {
  auto it = req.query.find(name);
  if (it == req.query.end()) return fallback;
  int64_t v = 0;
  const std::string& s = it->second;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || v < min || v > max) {
    return Invalid("query parameter {}={}: expected an integer in [{}, {}]", name, s, min, max);
  }
  return v;
}

// Waits on the io thread until `ready()`, `timeout_ms` passed or the server
// is stopping.
template <typename Ready>
Awaitable<void> PollUntil(const HttpRequest& req, Ready ready, int64_t timeout_ms) {
  auto ex = co_await asio::this_coro::executor;
  asio::steady_timer timer(ex);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (!ready() && !req.stopping() && std::chrono::steady_clock::now() < deadline) {
    timer.expires_after(std::min<std::chrono::steady_clock::duration>(
        kPollInterval, deadline - std::chrono::steady_clock::now()));
    boost::system::error_code ec;
    co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
}

// Appends run on one worker thread, not the io thread: under durability
// "always" an append includes an fsync.
asio::thread_pool& AppendPool() {
  static asio::thread_pool pool(1);
  return pool;
}

template <typename Fn>
Awaitable<std::invoke_result_t<Fn>> OffIoThread(Fn fn) {
  using T = std::invoke_result_t<Fn>;
  co_return co_await AwaitCallback<T>([fn = std::move(fn)](auto done) mutable {
    asio::post(AppendPool(), [fn = std::move(fn), done = std::move(done)]() mutable {
      done(fn());
    });
  });
}

// Appended ranges per partition, and the first failure (appends stop there).
struct Appended {
  std::map<int32_t, log::AppendResult> ranges;
  int64_t batches = 0;
  Status status;
};

Awaitable<Status> AwaitDurable(log::Partition* p, Offset end) {
  co_return co_await AwaitCallback<Status>(
      [p, end](std::function<void(Status)> done) { p->OnDurable(end, std::move(done)); });
}

// kappa_http_records_{in,out}_total{topic} and kappa_http_bytes_{in,out}_total{topic}.
void CountRecords(std::string_view direction, const std::string& topic, int64_t records,
                  size_t bytes) {
  Metrics::Counter(fmt::format("kappa_http_records_{}_total", direction),
                   "Records produced or consumed over HTTP", {{"topic", topic}})
      .Add(records);
  Metrics::Counter(fmt::format("kappa_http_bytes_{}_total", direction),
                   "Record bytes produced or consumed over HTTP", {{"topic", topic}})
      .Add(static_cast<int64_t>(bytes));
}

// ---- produce --------------------------------------------------------------

// Collects finished batches so nothing is appended before every line parsed.
class CollectingSink : public format::BatchSink {
 public:
  Status Write(format::FinishedBatch batch) override {
    batches.push_back(std::move(batch));
    return OkStatus();
  }
  std::vector<format::FinishedBatch> batches;
};

std::atomic<int32_t> g_round_robin{0};

Result<std::shared_ptr<log::Topic>> TopicForProduce(log::Log* log, const std::string& name,
                                                    const RecordsApiOptions& options) {
  Result<std::shared_ptr<log::Topic>> topic = log->GetTopic(name);
  if (topic.ok() || topic.status().code() != StatusCode::kNotFound ||
      !options.auto_create_topics) {
    return topic;
  }
  topic = log->CreateTopic(name, log::TopicConfig{});
  if (!topic.ok() && topic.status().code() == StatusCode::kAlreadyExists) {
    return log->GetTopic(name);  // created meanwhile
  }
  return topic;
}

Awaitable<HttpResponse> ProduceRecords(log::Log* log, RecordsApiOptions options,
                                       HttpRequest& req) {
  auto topic = TopicForProduce(log, req.params["name"], options);
  if (!topic.ok()) co_return ErrorResponse(topic.status());
  auto line_base = IntParam(req, "line_base", 1, 0, int64_t{1} << 50);
  if (!line_base.ok()) co_return ErrorResponse(line_base.status());
  auto partition = IntParam(req, "partition", -1, 0, (int64_t{1} << 31) - 1);
  if (!partition.ok()) co_return ErrorResponse(partition.status());
  format::JsonLineOptions lo{req.Query("key_field"), req.Query("timestamp_field"),
                             format::Batcher::kDefaultBatchBytes, static_cast<int32_t>(*partition),
                             req.Query("raw") == "1"};
  CollectingSink sink;
  int32_t parts = (*topic)->partition_count();
  format::JsonLineBatcher batcher(parts, lo, &sink, g_round_robin.fetch_add(1) % parts);
  std::string_view body = req.body;
  int64_t number = *line_base;
  for (size_t pos = 0; pos < body.size(); ++number) {
    size_t nl = body.find('\n', pos);
    if (nl == std::string_view::npos) nl = body.size();
    std::string_view text = format::TrimLine(body.substr(pos, nl - pos));
    pos = nl + 1;
    if (text.empty()) continue;
    Status st = batcher.Add(text, /*padded=*/false);
    if (!st.ok()) {
      json err = {{"error", {{"message", fmt::format("line {}: {}", number, st.message())},
                             {"code", 400},
                             {"line", number}}}};
      co_return JsonResponse(err, 400);
    }
  }
  if (Status st = batcher.FlushAll(); !st.ok()) co_return ErrorResponse(st);

  log::Topic* t = topic->get();
  Appended appended = co_await OffIoThread([t, &sink] {
    Appended a;
    for (format::FinishedBatch& b : sink.batches) {
      Result<log::AppendResult> r = t->partition(PartitionId(b.partition))->Append(b.bytes);
      if (!r.ok()) {
        a.status = r.status();
        break;
      }
      auto [it, fresh] = a.ranges.emplace(b.partition, *r);
      if (!fresh) it->second.last_offset = r->last_offset;
    }
    return a;
  });
  if (!appended.status.ok()) co_return AppendError(appended.status);
  const std::map<int32_t, log::AppendResult>& ranges = appended.ranges;
  json parts_json = json::array();
  for (const auto& [p, r] : ranges) {
    Status st = co_await AwaitDurable((*topic)->partition(PartitionId(p)), r.last_offset + 1);
    if (!st.ok()) co_return ErrorResponse(st);
    parts_json.push_back({{"partition", p},
                          {"base_offset", r.base_offset.value()},
                          {"last_offset", r.last_offset.value()}});
  }
  CountRecords("in", (*topic)->name(), batcher.records(), req.body.size());
  co_return JsonResponse({{"records", batcher.records()}, {"partitions", parts_json}});
}

Awaitable<HttpResponse> ProduceBatches(log::Log* log, RecordsApiOptions options,
                                       HttpRequest& req) {
  auto topic = TopicForProduce(log, req.params["name"], options);
  if (!topic.ok()) co_return ErrorResponse(topic.status());
  auto p = IntParam(req, "partition", -1, 0, (*topic)->partition_count() - 1);
  if (!p.ok() || *p < 0) co_return JsonError(400, "query parameter partition: missing or out of range");
  log::Partition* part = (*topic)->partition(PartitionId(static_cast<int32_t>(*p)));
  Appended appended = co_await OffIoThread([part, &req] {
    Appended a;
    ByteSpan data = AsBytes(req.body);
    while (!data.empty()) {
      Result<log::BatchHeader> h = log::ParseBatchHeader(data);
      if (!h.ok() || h->total_size() > data.size()) {
        a.status = h.ok() ? Invalid("batch {} is truncated", a.batches) : h.status();
        break;
      }
      std::string_view bytes(reinterpret_cast<const char*>(data.data()), h->total_size());
      Result<log::AppendResult> r = part->Append(bytes);
      if (!r.ok()) {
        a.status = r.status();
        break;
      }
      auto [it, fresh] = a.ranges.emplace(0, *r);
      if (!fresh) it->second.last_offset = r->last_offset;
      ++a.batches;
      data = data.subspan(h->total_size());
    }
    return a;
  });
  std::optional<log::AppendResult> range;
  if (!appended.ranges.empty()) range = appended.ranges.begin()->second;
  int64_t batches = appended.batches;
  Status failed = appended.status;
  if (range) {
    Status st = co_await AwaitDurable(part, range->last_offset + 1);
    if (!st.ok()) co_return ErrorResponse(st);
  }
  if (!failed.ok()) co_return AppendError(failed);
  if (!range) co_return JsonError(400, "no record batch in the body");
  CountRecords("in", (*topic)->name(), range->last_offset.value() - range->base_offset.value() + 1,
               req.body.size());
  co_return JsonResponse({{"base_offset", range->base_offset.value()},
                          {"last_offset", range->last_offset.value()},
                          {"batches", batches}});
}

// ---- consume --------------------------------------------------------------

struct Cursor {
  log::Partition* partition;
  Offset next;
  std::optional<int64_t> min_timestamp;
};

Status StartCursor(const std::string& from, Cursor* c) {
  log::Partition* p = c->partition;
  if (from == "earliest") {
    c->next = p->start_offset();
  } else if (from == "latest") {
    c->next = p->high_watermark();
  } else if (!from.empty() && from.find_first_not_of("0123456789") == std::string::npos &&
             from.size() <= 18) {
    c->next = std::clamp(Offset(std::stoll(from)), p->start_offset(), p->high_watermark());
  } else if (std::optional<int64_t> ts = ParseTimestampMillis(from)) {
    ASSIGN_OR_RETURN(c->next, p->OffsetForTimestamp(*ts));
    c->min_timestamp = *ts;
  } else {
    return Invalid("from={}: expected earliest, latest, an offset or an ISO-8601 timestamp", from);
  }
  return OkStatus();
}

Result<std::vector<Cursor>> Cursors(const log::Topic& topic, const HttpRequest& req) {
  std::vector<Cursor> out;
  ASSIGN_OR_RETURN(int64_t only, IntParam(req, "partition", -1, 0, topic.partition_count() - 1));
  std::string offsets = req.Query("offsets");
  if (!offsets.empty()) {  // "P:O,P:O"
    for (size_t pos = 0; pos < offsets.size();) {
      size_t comma = offsets.find(',', pos);
      if (comma == std::string::npos) comma = offsets.size();
      std::string item = offsets.substr(pos, comma - pos);
      pos = comma + 1;
      size_t colon = item.find(':');
      int32_t p = -1;
      int64_t o = -1;
      if (colon != std::string::npos) {
        std::from_chars(item.data(), item.data() + colon, p);
        std::from_chars(item.data() + colon + 1, item.data() + item.size(), o);
      }
      if (p < 0 || p >= topic.partition_count() || o < 0) {
        return Invalid("offsets={}: expected PARTITION:OFFSET,...", offsets);
      }
      log::Partition* part = topic.partition(PartitionId(p));
      out.push_back({part, std::clamp(Offset(o), part->start_offset(), part->high_watermark()),
                     std::nullopt});
    }
    return out;
  }
  std::string from = req.Query("offset", req.Query("from", "earliest"));
  for (int32_t p = 0; p < topic.partition_count(); ++p) {
    if (only >= 0 && p != only) continue;
    Cursor c{topic.partition(PartitionId(p)), Offset(0), std::nullopt};
    RETURN_IF_ERROR(StartCursor(from, &c));
    out.push_back(c);
  }
  return out;
}

std::string Base64(std::string_view in) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  for (size_t i = 0; i < in.size(); i += 3) {
    uint32_t n = static_cast<uint8_t>(in[i]) << 16;
    if (i + 1 < in.size()) n |= static_cast<uint8_t>(in[i + 1]) << 8;
    if (i + 2 < in.size()) n |= static_cast<uint8_t>(in[i + 2]);
    out.push_back(kAlphabet[(n >> 18) & 63]);
    out.push_back(kAlphabet[(n >> 12) & 63]);
    out.push_back(i + 1 < in.size() ? kAlphabet[(n >> 6) & 63] : '=');
    out.push_back(i + 2 < in.size() ? kAlphabet[n & 63] : '=');
  }
  return out;
}

class RecordsToJson {
 public:
  explicit RecordsToJson(std::string format) : format_(std::move(format)) {}

  json Bytes(const std::optional<std::string_view>& s) const {
    if (!s) return nullptr;
    if (format_ == "base64") return Base64(*s);
    return std::string(*s);
  }
  json Value(const std::optional<std::string_view>& s) const {
    if (s && format_ == "json") {
      json j = json::parse(*s, nullptr, false);
      if (!j.is_discarded()) return j;
    }
    return Bytes(s);
  }
  json Record(int32_t partition, const log::Record& r) const {
    json headers = json::object();
    for (const log::RecordHeader& h : r.headers) headers[std::string(h.key)] = Bytes(h.value);
    return {{"partition", partition}, {"offset", r.offset},   {"timestamp", r.timestamp},
            {"key", Bytes(r.key)},    {"value", Value(r.value)}, {"headers", headers}};
  }

 private:
  std::string format_;
};

// Appends up to `max` records of c's partition to *out; advances c.
Status ReadRecords(Cursor* c, int64_t max, const RecordsToJson& conv, json* out) {
  if (c->next >= c->partition->high_watermark() || max <= 0) return OkStatus();
  ASSIGN_OR_RETURN(log::ReadResult r, c->partition->Read(c->next, kReadBytes));
  std::string chunk, scratch;
  for (const log::FileSlice& s : r.slices) RETURN_IF_ERROR(s.AppendTo(&chunk));
  ByteSpan data = AsBytes(chunk);
  std::vector<log::Record> records;
  int64_t added = 0;
  int32_t pid = c->partition->id().value();
  while (!data.empty() && added < max) {
    ASSIGN_OR_RETURN(log::BatchHeader h, log::ParseBatchHeader(data));
    if (h.total_size() > data.size()) return Corruption("truncated batch at offset {}", h.base_offset);
    records.clear();
    RETURN_IF_ERROR(log::DecodeRecords(data.subspan(0, h.total_size()), &scratch, &records));
    for (const log::Record& rec : records) {
      if (rec.offset < c->next.value() || added >= max) continue;
      c->next = Offset(rec.offset + 1);
      if (c->min_timestamp && rec.timestamp < *c->min_timestamp) continue;
      c->min_timestamp.reset();
      out->push_back(conv.Record(pid, rec));
      ++added;
    }
    data = data.subspan(h.total_size());
  }
  if (added < max && c->next < r.next_offset) c->next = r.next_offset;
  return OkStatus();
}

Awaitable<HttpResponse> ConsumeRecords(log::Log* log, HttpRequest& req) {
  auto topic = log->GetTopic(req.params["name"]);
  if (!topic.ok()) co_return ErrorResponse(topic.status());
  auto max = IntParam(req, "max", kDefaultMaxRecords, 0, 1'000'000);
  if (!max.ok()) co_return ErrorResponse(max.status());
  auto timeout = IntParam(req, "timeout_ms", 0, 0, kMaxWaitMs);
  if (!timeout.ok()) co_return ErrorResponse(timeout.status());
  std::string format = req.Query("value_format", "json");
  if (format != "json" && format != "string" && format != "base64") {
    co_return JsonError(400, "value_format: expected json, string or base64");
  }
  auto cursors = Cursors(**topic, req);
  if (!cursors.ok()) co_return ErrorResponse(cursors.status());
  auto readable = [&] {
    for (const Cursor& c : *cursors) {
      if (c.next < c.partition->high_watermark()) return true;
    }
    return false;
  };
  if (*max > 0 && *timeout > 0 && !readable()) co_await PollUntil(req, readable, *timeout);
  RecordsToJson conv(format);
  json records = json::array();
  for (Cursor& c : *cursors) {
    int64_t left = *max - static_cast<int64_t>(records.size());
    Status st = ReadRecords(&c, left, conv, &records);
    if (!st.ok()) co_return ErrorResponse(st);
  }
  CountRecords("out", (*topic)->name(), static_cast<int64_t>(records.size()), 0);
  json next = json::object();
  for (const Cursor& c : *cursors) {
    next[std::to_string(c.partition->id().value())] = c.next.value();
  }
  co_return JsonResponse({{"records", records}, {"next_offsets", next}});
}

Awaitable<HttpResponse> ConsumeBatches(log::Log* log, HttpRequest& req) {
  auto topic = log->GetTopic(req.params["name"]);
  if (!topic.ok()) co_return ErrorResponse(topic.status());
  auto p = IntParam(req, "partition", -1, 0, (*topic)->partition_count() - 1);
  auto offset = IntParam(req, "offset", -1, 0, int64_t{1} << 62);
  auto max_bytes = IntParam(req, "max_bytes", kReadBytes, 1, 64 << 20);
  auto timeout = IntParam(req, "timeout_ms", 0, 0, kMaxWaitMs);
  for (const auto* r : {&p, &offset, &max_bytes, &timeout}) {
    if (!r->ok()) co_return ErrorResponse(r->status());
  }
  if (*p < 0 || *offset < 0) co_return JsonError(400, "partition and offset are required");
  log::Partition* part = (*topic)->partition(PartitionId(static_cast<int32_t>(*p)));
  Offset from(*offset);
  if (*timeout > 0 && from >= part->high_watermark()) {
    co_await PollUntil(req, [&] { return from < part->high_watermark(); }, *timeout);
  }
  auto r = part->Read(from, static_cast<size_t>(*max_bytes));
  if (!r.ok()) co_return ErrorResponse(r.status());
  HttpResponse out{200, "application/octet-stream", "", {}};
  for (const log::FileSlice& s : r->slices) {
    if (Status st = s.AppendTo(&out.body); !st.ok()) co_return ErrorResponse(st);
  }
  CountRecords("out", (*topic)->name(), 0, out.body.size());
  out.headers = {{"X-Kappa-Next-Offset", std::to_string(r->next_offset.value())},
                 {"X-Kappa-High-Watermark", std::to_string(r->high_watermark.value())},
                 {"X-Kappa-Start-Offset", std::to_string(part->start_offset().value())}};
  co_return out;
}

}  // namespace

void AddRecordRoutes(Router* router, log::Log* log, const RecordsApiOptions& options) {
  router->Add("POST /v1/topics/{name}/records", [log, options](HttpRequest& req) {
    return ProduceRecords(log, options, req);
  });
  router->Add("GET /v1/topics/{name}/records",
              [log](HttpRequest& req) { return ConsumeRecords(log, req); });
  router->Add("POST /v1/topics/{name}/batches", [log, options](HttpRequest& req) {
    return ProduceBatches(log, options, req);
  });
  router->Add("GET /v1/topics/{name}/batches",
              [log](HttpRequest& req) { return ConsumeBatches(log, req); });
}

}  // namespace kappa::serve
