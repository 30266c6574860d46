// KafkaLog presents one topic of an external Kafka cluster (a table with
// 'properties.bootstrap.servers') as a read-only log::Log, so that the
// engine's topic source (TopicSource, SplitReader, RecordDecoder) reads it
// exactly as it reads Kappa's own log: same decoding, malformed-record
// handling, per-partition watermarks and checkpointed offsets.
//
// Reading uses one librdkafka consumer per topic with manual, per-partition
// consumption (no consumer group: the engine owns the offsets). A partition
// starts fetching at the offset of the first Read (or, before any Read, at
// its high watermark, so that the watermark stays fresh); a Read at another
// offset than the one that follows the last Read seeks. Fetched messages are
// re-encoded as Kafka record batches v2 at their own offsets (gaps from
// compaction or transaction markers start a new batch) and returned as
// slices of an anonymous in-memory file. high_watermark() is the broker's,
// as seen by the last fetch response: what lag and "caught up" compare with.
//
// The topic is served under `name` (GetTopic(name)), which the caller
// chooses so that checkpoint offsets of an external topic never mix with
// those of an internal topic of the same name.
//
// A writable KafkaLog (for a sink: TopicSink over it, see
// sink/kafka_sink.h) also has an idempotent producer (acks=all): Append
// produces a batch's records to the partition and returns once every one
// is acknowledged. A batch whose first record carries the topic sink's
// `kappa.commit` marker is produced with the marker moved to its last
// record and every record tagged `kappa.commit.part` = "<marker>|<i>|<n>";
// reads start a new batch at each marked record. So a marker read back
// means the whole batch is stored, and parts read back (by the sink's
// marker scan after a restart) are not produced again: a batch cut short
// by a crash is completed, not repeated.
//
// Thread-safe: each partition serializes its own reads; reads of different
// partitions run in parallel.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/status.h"
#include "log/log.h"
#include "sql/plan.h"

namespace kappa::engine {

// The librdkafka properties of a table: every 'properties.<key>' option
// except the ones in `skip`.
std::vector<std::pair<std::string, std::string>> KafkaProperties(
    const sql::TableDef& table, const std::vector<std::string>& skip = {});

// The name an external table's topic is served under: "ext:<table>:<topic>".
std::string ExternalTopicName(const sql::TableDef& table);

class KafkaTopicReader;

class KafkaLog final : public log::Log {
 public:
  // Connects to the table's cluster and finds its 'topic' and partition
  // count. Unavailable when the cluster does not answer, NotFound when the
  // topic does not exist there.
  static Result<std::unique_ptr<KafkaLog>> Open(const sql::TableDef& table, std::string name,
                                                bool writable = false);
  ~KafkaLog() override;

  const std::string& name() const { return name_; }
  // The offset group `group` committed on the external cluster for
  // `partition`; nullopt when none (or the cluster does not answer).
  std::optional<int64_t> Committed(const std::string& group, int32_t partition) const;

  Result<std::shared_ptr<log::Topic>> CreateTopic(const std::string& name,
                                                  const log::TopicConfig& config) override;
  Result<std::shared_ptr<log::Topic>> GetTopic(const std::string& name) const override;
  Status DeleteTopic(const std::string& name) override;
  std::vector<std::string> ListTopics() const override { return {name_}; }
  Status ApplyRetention(int64_t) override { return OkStatus(); }
  Status Close() override { return OkStatus(); }
  const std::string& data_dir() const override { return servers_; }

 private:
  KafkaLog(std::string name, std::string servers, std::shared_ptr<log::Topic> topic,
           std::vector<std::pair<std::string, std::string>> properties, std::string table_topic)
      : name_(std::move(name)), servers_(std::move(servers)), topic_(std::move(topic)),
        properties_(std::move(properties)), table_topic_(std::move(table_topic)) {}

  std::string name_;
  std::string servers_;
  std::shared_ptr<log::Topic> topic_;
  std::vector<std::pair<std::string, std::string>> properties_;
  std::string table_topic_;  // the topic's name on the cluster
};

}  // namespace kappa::engine
