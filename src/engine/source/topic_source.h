// TopicSource is a source table (CREATE TABLE ... WITH ('connector' =
// 'kafka', 'topic' = ...)) read from Kappa's own log: it resolves the topic,
// where each partition starts ('scan.startup.mode': earliest-offset,
// latest-offset, timestamp with 'scan.startup.timestamp-millis',
// group-offsets with 'properties.group.id', falling back to
// 'properties.auto.offset.reset' or earliest), and makes the value decoder
// of its 'format' (json, csv with their Flink options). Immutable after
// Open; shared by a job's tasks.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "base/status.h"
#include "format/value_decoder.h"
#include "log/log.h"
#include "sql/plan.h"

namespace kappa::engine {

// Looks up a consumer group's committed offset (the server passes the Kafka
// broker's offset store); nullopt when none is committed.
using CommittedOffsetLookup = std::function<std::optional<int64_t>(
    const std::string& group, const std::string& topic, int32_t partition)>;

class TopicSource {
 public:
  // `log` must outlive the source.
  static Result<std::unique_ptr<TopicSource>> Open(std::shared_ptr<const sql::TableDef> table,
                                                   log::Log* log);

  const sql::TableDef& table() const { return *table_; }
  const std::string& topic() const { return topic_; }
  int32_t partitions() const { return topic_handle_->partition_count(); }
  log::Partition* partition(int32_t p) const { return topic_handle_->partition(PartitionId(p)); }

  // Where partition `p` starts when there is no checkpoint. `mode`
  // overrides 'scan.startup.mode' when not empty: "earliest", "latest", or
  // a timestamp (epoch ms or ISO-8601), as `kappa pipeline deploy --from`.
  Result<int64_t> StartOffset(int32_t p, const std::string& mode,
                              const CommittedOffsetLookup& committed) const;
  Result<std::unique_ptr<format::ValueDecoder>> MakeDecoder() const;

 private:
  TopicSource(std::shared_ptr<const sql::TableDef> table, std::string topic,
              std::shared_ptr<log::Topic> handle)
      : table_(std::move(table)), topic_(std::move(topic)), topic_handle_(std::move(handle)) {}

  Result<int64_t> OffsetForMode(log::Partition* part, const std::string& mode,
                                const CommittedOffsetLookup& committed) const;

  std::shared_ptr<const sql::TableDef> table_;
  std::string topic_;
  std::shared_ptr<log::Topic> topic_handle_;
};

// True for the values Flink accepts as true in options ("true", any case).
bool OptionIsTrue(const sql::TableDef& table, const std::string& key);

}  // namespace kappa::engine
