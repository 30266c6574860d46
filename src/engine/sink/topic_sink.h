// TopicSink writes an INSERT's rows to a topic of Kappa's own log, exactly
// once (src/engine/README.md describes the protocol).
//
// Rows: without a PRIMARY KEY the sink is append-only: each row is one
// record with a null key and the row as its value ('format' json or csv),
// spread over partitions round-robin by batch. With a PRIMARY KEY it is an
// upsert sink as Flink's upsert-kafka: key = JSON object of the key columns
// (which picks the partition with Kafka's default partitioner), value = the
// new row for +I/+U, a tombstone (null value) for -D; a -U is skipped when
// the +U of its key follows it in the batch, and is a tombstone otherwise
// (a filter over an aggregate dropped that +U: the row left the result).
//
// Exactly-once: writers keep the encoded records of the current epoch in
// memory; PrepareCommit turns them into the checkpoint payload; Commit
// appends them to the log as record batches whose first record carries the
// header `kappa.commit` = "<writer id>|<epoch>|<task>|<seq>", then waits
// until they are durable. To be idempotent, Commit first looks for those
// markers after the offsets recorded in the checkpoint (CheckpointInfo:
// each partition's end offset when the checkpoint was written, which is
// before any of the epoch's records) and appends only the batches it does
// not find. The same markers answer LastCommittedEpoch.
//
// Thread rules as sink.h. The Log must outlive the sink.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/sink/sink.h"
#include "format/row_encoder.h"
#include "log/log.h"
#include "sql/plan.h"

namespace kappa::engine {

struct TopicSinkOptions {
  std::string topic;      // the physical topic (a version's suffixed name)
  std::string writer_id;  // "<pipeline>/v<N>/<table>": names this job's markers
  // Partitions of the topic when the sink creates it.
  int32_t create_partitions = 1;
};

class TopicSinkWriter;

class TopicSink final : public Sink {
 public:
  // Creates the topic when it does not exist. `target` has the sink's
  // schema, primary key and format options; null for a raw sink of JSON
  // values (the dead-letter topic: writers take StageRaw only).
  static Result<std::unique_ptr<TopicSink>> Open(std::shared_ptr<const sql::TableDef> target,
                                                 log::Log* log, TopicSinkOptions options);

  std::string name() const override { return "topic " + options_.topic; }
  bool upsert() const { return !key_columns_.empty(); }
  Result<std::unique_ptr<SinkWriter>> CreateWriter(int task) override;
  // A writer for raw values (the dead-letter topic).
  std::unique_ptr<TopicSinkWriter> CreateRawWriter(int task);

  Result<std::string> CheckpointInfo(Epoch epoch) override;
  Status Recover(Epoch epoch, std::string_view info) override;
  Status Commit(Epoch epoch, const std::vector<std::string>& payloads) override;
  Result<std::optional<Epoch>> LastCommittedEpoch() override;

 private:
  friend class TopicSinkWriter;
  struct Marker {
    int64_t epoch;
    int32_t task;
    int64_t seq;
  };
  TopicSink(std::shared_ptr<const sql::TableDef> target, log::Log* log, TopicSinkOptions options,
            std::shared_ptr<log::Topic> topic, std::vector<int> key_columns)
      : target_(std::move(target)), log_(log), options_(std::move(options)),
        topic_(std::move(topic)), key_columns_(std::move(key_columns)) {}

  // Markers of this writer id in partition p from scan_from_[p] to its end.
  Result<std::vector<Marker>> ScanMarkers(int32_t p) const;
  Status CommitPayload(Epoch epoch, int32_t task, std::string_view payload,
                       const std::map<int32_t, std::vector<Marker>>& found);

  std::shared_ptr<const sql::TableDef> target_;
  log::Log* log_;
  TopicSinkOptions options_;
  std::shared_ptr<log::Topic> topic_;
  std::vector<int> key_columns_;
  std::vector<int64_t> scan_from_;  // per partition: where markers may start
  std::optional<int64_t> committed_;  // last epoch known committed
  bool recovered_ = false;            // scan_from_ comes from a checkpoint
};

class TopicSinkWriter final : public SinkWriter {
 public:
  Status Stage(const columnar::Batch& batch) override;
  // Stages one record with a null key (dead letters).
  Status StageRaw(std::string_view value);
  Result<std::string> PrepareCommit(Epoch epoch) override;
  size_t staged_bytes() const override { return bytes_.size(); }

 private:
  friend class TopicSink;
  struct Staged {
    int32_t partition;
    uint32_t key_off, key_len, value_off, value_len;
    bool has_key, has_value;
  };
  TopicSinkWriter(TopicSink* sink, int task);
  void Add(int32_t partition, std::optional<std::string_view> key,
           std::optional<std::string_view> value);

  TopicSink* sink_;
  int task_;
  int32_t partitions_;
  uint64_t round_robin_;
  std::optional<format::JsonRowEncoder> json_;
  std::optional<format::CsvRowEncoder> csv_;
  std::optional<format::JsonRowEncoder> key_;
  std::string bytes_;  // keys and values of staged records
  std::vector<Staged> staged_;
  std::string scratch_;
  std::vector<size_t> ends_;
};

}  // namespace kappa::engine
