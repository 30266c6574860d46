#include "engine/source/kafka_log.h"

#include <sys/mman.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <thread>

#include "base/file.h"
#include "base/time.h"
#include "fmt/format.h"
#include "librdkafka/rdkafka.h"
#include "log/record_batch.h"

namespace kappa::engine {

namespace {

constexpr int kMetadataTimeoutMs = 10000;
constexpr int kQueryTimeoutMs = 5000;
constexpr int kFirstMessageWaitMs = 100;
constexpr int64_t kStallLimitNs = int64_t{60} * 1000000000;
constexpr size_t kMessagesPerCall = 1024;
constexpr int kFlushTimeoutMs = 60000;
constexpr std::string_view kMarkerHeader = "kappa.commit";  // as sink/topic_sink.cc
constexpr std::string_view kPartHeader = "kappa.commit.part";

// The outcome of one produced record, set by the delivery callback.
struct Delivery {
  bool done = false;
  rd_kafka_resp_err_t err = RD_KAFKA_RESP_ERR_NO_ERROR;
  int64_t offset = -1;
};

void OnDelivery(rd_kafka_t*, const rd_kafka_message_t* m, void*) {
  auto* d = static_cast<Delivery*>(m->_private);
  if (d == nullptr) return;
  d->done = true;
  d->err = m->err;
  d->offset = m->offset;
}

// One consumer handle and its topic handle; destroyed after every
// partition that uses them.
struct KafkaClient {
  rd_kafka_t* rk = nullptr;
  rd_kafka_topic_t* rkt = nullptr;
  rd_kafka_t* producer = nullptr;  // writable logs only
  std::string topic;    // the name on the cluster
  std::string servers;  // for messages

  ~KafkaClient() {
    if (rkt != nullptr) rd_kafka_topic_destroy(rkt);
    if (rk != nullptr) rd_kafka_destroy(rk);
    if (producer != nullptr) {
      rd_kafka_flush(producer, kFlushTimeoutMs);
      rd_kafka_destroy(producer);
    }
  }
};

// A client handle configured with `properties` (applied in order).
Result<rd_kafka_t*> NewClient(rd_kafka_type_t type,
                              const std::vector<std::pair<std::string, std::string>>& properties,
                              const std::string& table) {
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  char err[512];
  for (const auto& [key, value] : properties) {
    if (rd_kafka_conf_set(conf, key.c_str(), value.c_str(), err, sizeof err) != RD_KAFKA_CONF_OK) {
      rd_kafka_conf_destroy(conf);
      return Invalid("table {}: 'properties.{}': {}", table, key, err);
    }
  }
  if (type == RD_KAFKA_PRODUCER) rd_kafka_conf_set_dr_msg_cb(conf, OnDelivery);
  rd_kafka_t* rk = rd_kafka_new(type, conf, err, sizeof err);
  if (rk == nullptr) {
    rd_kafka_conf_destroy(conf);
    return Invalid("table {}: cannot create a Kafka client: {}", table, err);
  }
  return rk;
}

Result<rd_kafka_t*> NewConsumer(const std::vector<std::pair<std::string, std::string>>& properties,
                                const std::string& table) {
  return NewClient(RD_KAFKA_CONSUMER, properties, table);
}

// Puts `bytes` in an anonymous in-memory file, for log::FileSlice.
Result<std::shared_ptr<const File>> MemoryFile(const std::string& bytes) {
  int fd = memfd_create("kappa-external-kafka", MFD_CLOEXEC);
  if (fd < 0) return ErrnoError("memfd_create", "kappa-external-kafka", errno);
  Result<File> file = File::Open(fmt::format("/proc/self/fd/{}", fd), File::Mode::kReadWrite);
  ::close(fd);
  if (!file.ok()) return file.status();
  RETURN_IF_ERROR(file->Append(bytes));
  return std::make_shared<const File>(std::move(*file));
}

// Writes `offset` as the big-endian baseOffset of a finished batch (the
// CRC does not cover it).
void SetBaseOffset(std::string* batch, int64_t offset) {
  auto v = static_cast<uint64_t>(offset);
  for (int i = 0; i < 8; ++i) (*batch)[i] = static_cast<char>((v >> (56 - 8 * i)) & 0xff);
}

class KafkaPartition final : public log::Partition {
 public:
  KafkaPartition(std::shared_ptr<KafkaClient> client, int32_t id, int64_t lo, int64_t hi)
      : client_(std::move(client)), id_(id), writable_(client_->producer != nullptr), lo_(lo),
        hi_(hi) {}
  ~KafkaPartition() override {
    std::lock_guard<std::mutex> lock(mu_);
    if (started_.load()) rd_kafka_consume_stop(client_->rkt, id_);
  }

  PartitionId id() const override { return PartitionId(id_); }
  Result<log::AppendResult> Append(std::string_view batch) override;
  Result<log::AppendResult> AppendValidated(std::string_view batch,
                                            const log::BatchHeader&) override {
    return Append(batch);
  }
  Status WaitDurable(Offset) override { return OkStatus(); }
  void OnDurable(Offset, std::function<void(Status)> cb) override { cb(OkStatus()); }
  Result<log::ReadResult> Read(Offset from, size_t max_bytes) const override;
  bool WaitForData(Offset from, std::chrono::milliseconds timeout) const override;
  Result<Offset> OffsetForTimestamp(int64_t ts) const override;
  Result<std::vector<log::BatchHeader>> TailHeaders(uint64_t) const override {
    return Unimplemented("{}: no batch headers from an external Kafka cluster", What());
  }
  Offset start_offset() const override;
  Offset end_offset() const override { return high_watermark(); }
  Offset high_watermark() const override;
  log::PartitionStats Stats() const override;

 private:
  std::string What() const {
    return fmt::format("topic {} partition {} on {}", client_->topic, id_, client_->servers);
  }
  Status ReadOnly() const {
    return Busy("{}: an external Kafka topic is written only by a pipeline's sink", What());
  }
  // Starts (or restarts) fetching at `offset`. REQUIRES: mu_ held.
  Status StartLocked(int64_t offset) const;
  // Takes the fetched messages into record batches; stops near max_bytes.
  Status ConsumeLocked(size_t max_bytes, std::string* out, int64_t* next) const;
  Status MessageError(const rd_kafka_message_t* m) const;
  // Produces one record (its headers as given plus `extra`); the delivery
  // lands in *d. REQUIRES: mu_ held.
  Status ProduceLocked(const log::Record& r, const std::vector<log::RecordHeader>& extra,
                       Delivery* d);
  // The headers of `m`; notes marker parts seen (writable logs).
  std::vector<log::RecordHeader> HeadersLocked(const rd_kafka_message_t* m, bool* marked) const;

  std::shared_ptr<KafkaClient> client_;
  int32_t id_;
  bool writable_;
  mutable std::mutex mu_;  // serializes fetching; guards what follows
  mutable std::atomic<bool> started_{false};
  mutable int64_t next_ = 0;  // the offset after the last record returned
  mutable int64_t stalled_since_ns_ = 0;
  mutable std::atomic<int64_t> lo_, hi_;
  // Writable: `kappa.commit.part` values read back (already stored).
  mutable std::set<std::string, std::less<>> seen_parts_;
};

std::vector<log::RecordHeader> KafkaPartition::HeadersLocked(const rd_kafka_message_t* m,
                                                             bool* marked) const {
  std::vector<log::RecordHeader> out;
  *marked = false;
  rd_kafka_headers_t* hdrs = nullptr;
  if (rd_kafka_message_headers(m, &hdrs) != RD_KAFKA_RESP_ERR_NO_ERROR || hdrs == nullptr) {
    return out;
  }
  const char* name = nullptr;
  const void* value = nullptr;
  size_t size = 0;
  for (size_t i = 0; rd_kafka_header_get_all(hdrs, i, &name, &value, &size) ==
                     RD_KAFKA_RESP_ERR_NO_ERROR; ++i) {
    log::RecordHeader h{std::string_view(name), std::nullopt};
    if (value != nullptr) h.value = std::string_view(static_cast<const char*>(value), size);
    if (h.key == kMarkerHeader) *marked = true;
    if (writable_ && h.key == kPartHeader && h.value) seen_parts_.emplace(*h.value);
    out.push_back(h);
  }
  return out;
}

Status KafkaPartition::ProduceLocked(const log::Record& r,
                                     const std::vector<log::RecordHeader>& extra, Delivery* d) {
  rd_kafka_headers_t* hdrs = rd_kafka_headers_new(r.headers.size() + extra.size());
  auto add = [&](const log::RecordHeader& h) {
    rd_kafka_header_add(hdrs, h.key.data(), static_cast<ssize_t>(h.key.size()),
                        h.value ? h.value->data() : nullptr,
                        h.value ? static_cast<ssize_t>(h.value->size()) : 0);
  };
  for (const log::RecordHeader& h : r.headers) {
    if (h.key != kMarkerHeader) add(h);
  }
  for (const log::RecordHeader& h : extra) add(h);
  // The RD_KAFKA_V_* macros cast their arguments unparenthesized.
  void* key = r.key ? const_cast<char*>(r.key->data()) : nullptr;
  size_t key_len = r.key ? r.key->size() : 0;
  void* value = r.value ? const_cast<char*>(r.value->data()) : nullptr;
  size_t value_len = r.value ? r.value->size() : 0;
  for (;;) {
    rd_kafka_resp_err_t err = rd_kafka_producev(
        client_->producer, RD_KAFKA_V_TOPIC(client_->topic.c_str()), RD_KAFKA_V_PARTITION(id_),
        RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
        RD_KAFKA_V_KEY(key, key_len), RD_KAFKA_V_VALUE(value, value_len),
        RD_KAFKA_V_HEADERS(hdrs), RD_KAFKA_V_TIMESTAMP(r.timestamp), RD_KAFKA_V_OPAQUE(d),
        RD_KAFKA_V_END);
    if (err == RD_KAFKA_RESP_ERR_NO_ERROR) return OkStatus();  // hdrs now belong to librdkafka
    if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL) {
      rd_kafka_headers_destroy(hdrs);
      return IoError("{}: produce failed: {}", What(), rd_kafka_err2str(err));
    }
    rd_kafka_poll(client_->producer, 100);
  }
}

Result<log::AppendResult> KafkaPartition::Append(std::string_view batch) {
  if (!writable_) return ReadOnly();
  std::string scratch;
  std::vector<log::Record> records;
  RETURN_IF_ERROR(log::DecodeRecords(AsBytes(batch), &scratch, &records));
  if (records.empty()) return Invalid("{}: a batch without records", What());
  std::optional<std::string_view> marker;
  for (const log::RecordHeader& h : records[0].headers) {
    if (h.key == kMarkerHeader && h.value) marker = h.value;
  }
  std::lock_guard<std::mutex> lock(mu_);
  size_t n = records.size();
  std::vector<Delivery> deliveries(n);
  std::vector<bool> produced(n, false);
  Status failure;
  for (size_t i = 0; i < n && failure.ok(); ++i) {
    std::vector<log::RecordHeader> extra;
    std::string part;
    if (marker) {
      part = fmt::format("{}|{}|{}", *marker, i, n);
      if (seen_parts_.contains(part)) continue;  // stored before a crash
      extra.push_back({kPartHeader, part});
      if (i + 1 == n) extra.push_back({kMarkerHeader, *marker});
    }
    failure = ProduceLocked(records[i], extra, &deliveries[i]);
    produced[i] = failure.ok();
  }
  // Wait for every record produced, even after a failure: deliveries point here.
  rd_kafka_resp_err_t flushed = rd_kafka_flush(client_->producer, kFlushTimeoutMs);
  if (flushed != RD_KAFKA_RESP_ERR_NO_ERROR) {
    // Undelivered messages still point at `deliveries`: drop them first.
    rd_kafka_purge(client_->producer, RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
    rd_kafka_flush(client_->producer, kFlushTimeoutMs);
    return IoError("{}: records not acknowledged in {} s: {}", What(), kFlushTimeoutMs / 1000,
                   rd_kafka_err2str(flushed));
  }
  RETURN_IF_ERROR(failure);
  log::AppendResult result{Offset(-1), Offset(-1)};
  for (size_t i = 0; i < n; ++i) {
    if (!produced[i]) continue;
    const Delivery& d = deliveries[i];
    if (!d.done || d.err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      return IoError("{}: record not stored: {}", What(),
                     d.done ? rd_kafka_err2str(d.err) : "no delivery report");
    }
    if (result.base_offset.value() < 0) result.base_offset = Offset(d.offset);
    result.last_offset = Offset(std::max(result.last_offset.value(), d.offset));
  }
  if (result.last_offset.value() >= hi_.load()) hi_.store(result.last_offset.value() + 1);
  return result;
}

Status KafkaPartition::StartLocked(int64_t offset) const {
  if (started_.load()) rd_kafka_consume_stop(client_->rkt, id_);
  started_.store(false);
  if (rd_kafka_consume_start(client_->rkt, id_, offset) != 0) {
    return IoError("{}: cannot start fetching at offset {}: {}", What(), offset,
                   rd_kafka_err2str(rd_kafka_last_error()));
  }
  started_.store(true);
  next_ = offset;
  stalled_since_ns_ = 0;
  return OkStatus();
}

Status KafkaPartition::MessageError(const rd_kafka_message_t* m) const {
  std::string why = rd_kafka_message_errstr(m);
  if (m->err == RD_KAFKA_RESP_ERR__AUTO_OFFSET_RESET ||
      m->err == RD_KAFKA_RESP_ERR_OFFSET_OUT_OF_RANGE) {
    return OutOfRange("{}: offset {} is no longer stored: {}", What(), next_, why);
  }
  return IoError("{}: fetch failed: {}", What(), why);
}

Status KafkaPartition::ConsumeLocked(size_t max_bytes, std::string* out, int64_t* next) const {
  log::BatchBuilder builder;
  int64_t run_base = -1;
  auto finish_run = [&]() -> Status {
    if (builder.empty()) return OkStatus();
    ASSIGN_OR_RETURN(std::string batch, builder.Finish());
    SetBaseOffset(&batch, run_base);
    out->append(batch);
    return OkStatus();
  };
  std::vector<rd_kafka_message_t*> msgs(kMessagesPerCall);
  int wait_ms = kFirstMessageWaitMs;
  Status failure;
  while (out->size() + builder.records_bytes() < max_bytes && failure.ok()) {
    ssize_t n = rd_kafka_consume_batch(client_->rkt, id_, wait_ms, msgs.data(), msgs.size());
    wait_ms = 0;
    if (n < 0) return IoError("{}: {}", What(), rd_kafka_err2str(rd_kafka_last_error()));
    if (n == 0) break;
    for (ssize_t i = 0; i < n; ++i) {
      const rd_kafka_message_t* m = msgs[i];
      if (m->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
        if (m->err != RD_KAFKA_RESP_ERR__PARTITION_EOF && failure.ok()) failure = MessageError(m);
      } else if (failure.ok() && m->offset >= *next) {
        bool marked = false;
        std::vector<log::RecordHeader> headers = HeadersLocked(m, &marked);
        // A gap, or a commit marker (see kafka_log.h): a new batch.
        if (m->offset != *next || marked) failure = finish_run();
        if (builder.empty()) run_base = m->offset;
        std::optional<std::string_view> key, value;
        if (m->key != nullptr) key = std::string_view(static_cast<const char*>(m->key), m->key_len);
        if (m->payload != nullptr) {
          value = std::string_view(static_cast<const char*>(m->payload), m->len);
        }
        int64_t ts = rd_kafka_message_timestamp(m, nullptr);
        builder.Add(key, value, ts < 0 ? 0 : ts, headers);
        *next = m->offset + 1;
      }
      rd_kafka_message_destroy(msgs[i]);
    }
  }
  RETURN_IF_ERROR(failure);
  return finish_run();
}

Result<log::ReadResult> KafkaPartition::Read(Offset from, size_t max_bytes) const {
  std::lock_guard<std::mutex> lock(mu_);
  if (!started_.load() || next_ != from.value()) RETURN_IF_ERROR(StartLocked(from.value()));
  std::string bytes;
  int64_t next = next_;
  Status st = ConsumeLocked(max_bytes, &bytes, &next);
  // A sink's marker scan must see every record below the high watermark
  // (an empty read would end it early): wait for them.
  int64_t deadline = MonotonicNanos() + kStallLimitNs;
  while (writable_ && st.ok() && bytes.empty() && next < hi_.load() &&
         MonotonicNanos() < deadline) {
    st = ConsumeLocked(max_bytes, &bytes, &next);
  }
  if (st.ok() && writable_ && bytes.empty() && next < hi_.load()) {
    st = IoError("{}: the high watermark is {} but no record at or after offset {} arrived in "
                 "{} s", What(), hi_.load(), next, kStallLimitNs / 1000000000);
  }
  if (!st.ok()) {
    // Messages taken off the queue are gone: fetch them again next time.
    rd_kafka_consume_stop(client_->rkt, id_);
    started_.store(false);
    return st;
  }
  log::ReadResult result;
  result.next_offset = Offset(next);
  if (!bytes.empty()) {
    ASSIGN_OR_RETURN(std::shared_ptr<const File> file, MemoryFile(bytes));
    result.slices.push_back(log::FileSlice{file, 0, bytes.size()});
    next_ = next;
    stalled_since_ns_ = 0;
  } else if (next_ < hi_.load()) {
    // The broker reported records that never came: fail rather than spin.
    int64_t now = MonotonicNanos();
    if (stalled_since_ns_ == 0) stalled_since_ns_ = now;
    if (now - stalled_since_ns_ > kStallLimitNs) {
      return IoError("{}: the high watermark is {} but no record at or after offset {} arrived "
                     "in {} s", What(), hi_.load(), next_, kStallLimitNs / 1000000000);
    }
  }
  int64_t lo = 0, hi = 0;
  if (rd_kafka_get_watermark_offsets(client_->rk, client_->topic.c_str(), id_, &lo, &hi) ==
          RD_KAFKA_RESP_ERR_NO_ERROR && hi > hi_.load()) {
    hi_.store(hi);
  }
  if (next_ > hi_.load()) hi_.store(next_);
  result.high_watermark = Offset(hi_.load());
  return result;
}

Offset KafkaPartition::high_watermark() const {
  if (writable_) {
    // A sink's end offsets bound its marker scans: ask the broker.
    int64_t lo = 0, hi = 0;
    if (rd_kafka_query_watermark_offsets(client_->rk, client_->topic.c_str(), id_, &lo, &hi,
                                         kQueryTimeoutMs) == RD_KAFKA_RESP_ERR_NO_ERROR &&
        hi > hi_.load()) {
      hi_.store(hi);
    }
    return Offset(hi_.load());
  }
  if (!started_.load()) {
    // Fetching keeps the cached high watermark fresh: start at the end
    // until the reader asks for its own offset.
    std::lock_guard<std::mutex> lock(mu_);
    if (!started_.load()) (void)StartLocked(hi_.load());
  }
  int64_t lo = 0, hi = 0;
  if (rd_kafka_get_watermark_offsets(client_->rk, client_->topic.c_str(), id_, &lo, &hi) ==
          RD_KAFKA_RESP_ERR_NO_ERROR && hi > hi_.load()) {
    hi_.store(hi);
  }
  return Offset(hi_.load());
}

Offset KafkaPartition::start_offset() const {
  int64_t lo = 0, hi = 0;
  if (rd_kafka_query_watermark_offsets(client_->rk, client_->topic.c_str(), id_, &lo, &hi,
                                       kQueryTimeoutMs) == RD_KAFKA_RESP_ERR_NO_ERROR) {
    lo_.store(lo);
    if (hi > hi_.load()) hi_.store(hi);
  }
  return Offset(lo_.load());
}

bool KafkaPartition::WaitForData(Offset from, std::chrono::milliseconds timeout) const {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (high_watermark().value() <= from.value()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

Result<Offset> KafkaPartition::OffsetForTimestamp(int64_t ts) const {
  rd_kafka_topic_partition_list_t* list = rd_kafka_topic_partition_list_new(1);
  rd_kafka_topic_partition_list_add(list, client_->topic.c_str(), id_)->offset = ts;
  rd_kafka_resp_err_t err = rd_kafka_offsets_for_times(client_->rk, list, kQueryTimeoutMs);
  int64_t offset = list->elems[0].offset;
  rd_kafka_resp_err_t perr = list->elems[0].err;
  rd_kafka_topic_partition_list_destroy(list);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR || perr != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return IoError("{}: offset for timestamp {}: {}", What(), ts,
                   rd_kafka_err2str(err != RD_KAFKA_RESP_ERR_NO_ERROR ? err : perr));
  }
  if (offset < 0) return high_watermark();  // no record at or after ts
  return Offset(offset);
}

log::PartitionStats KafkaPartition::Stats() const {
  log::PartitionStats s;
  s.partition = PartitionId(id_);
  s.start_offset = Offset(lo_.load());
  s.end_offset = high_watermark();
  s.records = s.end_offset.value() - s.start_offset.value();
  return s;
}

class KafkaTopic final : public log::Topic {
 public:
  KafkaTopic(std::string name, std::shared_ptr<KafkaClient> client)
      : name_(std::move(name)), client_(std::move(client)) {}

  const std::string& name() const override { return name_; }
  const log::TopicConfig& config() const override { return config_; }
  int32_t partition_count() const override { return static_cast<int32_t>(partitions_.size()); }
  log::Partition* partition(PartitionId id) const override {
    if (id.value() < 0 || id.value() >= partition_count()) return nullptr;
    return partitions_[id.value()].get();
  }
  void Add(std::unique_ptr<KafkaPartition> p) { partitions_.push_back(std::move(p)); }

 private:
  std::string name_;
  std::shared_ptr<KafkaClient> client_;  // outlives partitions_ (declared first)
  log::TopicConfig config_;
  std::vector<std::unique_ptr<KafkaPartition>> partitions_;
};

// Properties the engine sets itself on its reading consumer.
const std::vector<std::string> kOwnedReaderProperties = {
    "group.id", "auto.offset.reset", "enable.auto.commit", "enable.auto.offset.store",
    "enable.partition.eof"};

std::vector<std::pair<std::string, std::string>> ReaderProperties(const sql::TableDef& table) {
  std::vector<std::pair<std::string, std::string>> props = {
      {"client.id", "kappa"}, {"fetch.wait.max.ms", "100"},
      {"queued.max.messages.kbytes", "16384"}, {"log.connection.close", "false"}};
  for (auto& p : KafkaProperties(table, kOwnedReaderProperties)) props.push_back(std::move(p));
  // The engine owns the offsets: no group, no commits, no silent resets.
  props.emplace_back("enable.auto.commit", "false");
  props.emplace_back("enable.auto.offset.store", "false");
  props.emplace_back("enable.partition.eof", "false");
  props.emplace_back("auto.offset.reset", "error");
  return props;
}

}  // namespace

std::vector<std::pair<std::string, std::string>> KafkaProperties(
    const sql::TableDef& table, const std::vector<std::string>& skip) {
  constexpr std::string_view kPrefix = "properties.";
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& [key, value] : table.options) {
    if (!key.starts_with(kPrefix)) continue;
    std::string name = key.substr(kPrefix.size());
    if (std::find(skip.begin(), skip.end(), name) != skip.end()) continue;
    out.emplace_back(name, value);
  }
  return out;
}

std::string ExternalTopicName(const sql::TableDef& table) {
  return fmt::format("ext:{}:{}", table.name, table.Option("topic"));
}

Result<std::unique_ptr<KafkaLog>> KafkaLog::Open(const sql::TableDef& table, std::string name,
                                                 bool writable) {
  std::string servers = table.Option("properties.bootstrap.servers");
  std::string topic = table.Option("topic");
  if (topic.empty()) return Invalid("table {} has no 'topic' option", table.name);
  auto client = std::make_shared<KafkaClient>();
  client->topic = topic;
  client->servers = servers;
  ASSIGN_OR_RETURN(client->rk, NewConsumer(ReaderProperties(table), table.name));
  if (writable) {
    std::vector<std::pair<std::string, std::string>> props = {{"client.id", "kappa"}};
    for (auto& p : KafkaProperties(table, kOwnedReaderProperties)) props.push_back(std::move(p));
    props.emplace_back("enable.idempotence", "true");
    props.emplace_back("acks", "all");
    ASSIGN_OR_RETURN(client->producer, NewClient(RD_KAFKA_PRODUCER, props, table.name));
  }
  client->rkt = rd_kafka_topic_new(client->rk, topic.c_str(), nullptr);
  if (client->rkt == nullptr) {
    return Invalid("table {}: topic '{}': {}", table.name, topic,
                   rd_kafka_err2str(rd_kafka_last_error()));
  }
  const rd_kafka_metadata_t* md = nullptr;
  rd_kafka_resp_err_t err = rd_kafka_metadata(client->rk, 0, client->rkt, &md, kMetadataTimeoutMs);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return IoError("table {}: cannot reach the Kafka cluster at '{}' "
                   "('properties.bootstrap.servers'): {}", table.name, servers,
                   rd_kafka_err2str(err));
  }
  int32_t partitions = 0;
  rd_kafka_resp_err_t topic_err = RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART;
  if (md->topic_cnt == 1) {
    partitions = md->topics[0].partition_cnt;
    topic_err = md->topics[0].err;
  }
  rd_kafka_metadata_destroy(md);
  if (topic_err != RD_KAFKA_RESP_ERR_NO_ERROR || partitions == 0) {
    return NotFound("topic {} of table {} does not exist on the Kafka cluster at '{}' ({})", topic,
                    table.name, servers, rd_kafka_err2str(topic_err));
  }
  auto handle = std::make_shared<KafkaTopic>(name, client);
  for (int32_t p = 0; p < partitions; ++p) {
    int64_t lo = 0, hi = 0;
    err = rd_kafka_query_watermark_offsets(client->rk, topic.c_str(), p, &lo, &hi,
                                           kQueryTimeoutMs);
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      return IoError("table {}: offsets of topic {} partition {} on '{}': {}", table.name, topic, p,
                     servers, rd_kafka_err2str(err));
    }
    handle->Add(std::make_unique<KafkaPartition>(client, p, lo, hi));
  }
  return std::unique_ptr<KafkaLog>(new KafkaLog(std::move(name), servers, std::move(handle),
                                                KafkaProperties(table, kOwnedReaderProperties),
                                                topic));
}

KafkaLog::~KafkaLog() = default;

std::optional<int64_t> KafkaLog::Committed(const std::string& group, int32_t partition) const {
  std::vector<std::pair<std::string, std::string>> props = {{"client.id", "kappa"}};
  for (const auto& p : properties_) props.push_back(p);
  props.emplace_back("group.id", group);
  props.emplace_back("enable.auto.commit", "false");
  Result<rd_kafka_t*> rk = NewConsumer(props, name_);
  if (!rk.ok()) return std::nullopt;
  rd_kafka_topic_partition_list_t* list = rd_kafka_topic_partition_list_new(1);
  rd_kafka_topic_partition_list_add(list, table_topic_.c_str(), partition);
  rd_kafka_resp_err_t err = rd_kafka_committed(*rk, list, kQueryTimeoutMs);
  std::optional<int64_t> out;
  if (err == RD_KAFKA_RESP_ERR_NO_ERROR && list->elems[0].err == RD_KAFKA_RESP_ERR_NO_ERROR &&
      list->elems[0].offset >= 0) {
    out = list->elems[0].offset;
  }
  rd_kafka_topic_partition_list_destroy(list);
  rd_kafka_destroy(*rk);
  return out;
}

Result<std::shared_ptr<log::Topic>> KafkaLog::CreateTopic(const std::string& name,
                                                          const log::TopicConfig&) {
  return Unimplemented("cannot create topic {} on the external Kafka cluster at '{}'", name,
                       servers_);
}

Result<std::shared_ptr<log::Topic>> KafkaLog::GetTopic(const std::string& name) const {
  if (name != name_) return NotFound("topic {} is not served by this external log", name);
  return topic_;
}

Status KafkaLog::DeleteTopic(const std::string& name) {
  return Unimplemented("cannot delete topic {} on the external Kafka cluster at '{}'", name,
                       servers_);
}

}  // namespace kappa::engine
