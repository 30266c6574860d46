// KafkaSink writes an INSERT's rows to a topic of an external Kafka cluster
// (a target table with 'properties.bootstrap.servers'). It is the topic
// sink (sink/topic_sink.h: rows, formats, upsert keys, commit markers)
// over a writable KafkaLog (source/kafka_log.h): records are produced at
// Commit, once the checkpoint is durable, by an idempotent producer with
// acks=all, and Commit returns once every record is acknowledged.
//
// Exactly-once without Kafka transactions: after a restart the topic sink
// scans the topic from the end offsets saved in the checkpoint for its
// `kappa.commit` markers, which the KafkaLog puts on the last record of
// each batch (so a marker read back means the whole batch is stored), and
// the KafkaLog skips records of a batch cut short by the crash that are
// already there. Readers of the topic see the records of an epoch only
// after its checkpoint, but they may see part of an epoch (no transaction
// makes it atomic for them).
//
// The topic must exist on the cluster. Thread rules as sink.h.
#pragma once

#include <memory>
#include <string>

#include "engine/sink/sink.h"
#include "engine/sink/topic_sink.h"
#include "engine/source/kafka_log.h"
#include "sql/plan.h"

namespace kappa::engine {

class KafkaSink final : public Sink {
 public:
  // `writer_id` names this job's commit markers ("<pipeline>/v<N>/<i>").
  static Result<std::unique_ptr<KafkaSink>> Open(std::shared_ptr<const sql::TableDef> target,
                                                 std::string writer_id);

  std::string name() const override { return name_; }
  Result<std::unique_ptr<SinkWriter>> CreateWriter(int task) override {
    return topic_->CreateWriter(task);
  }
  Result<std::string> CheckpointInfo(Epoch epoch) override {
    return topic_->CheckpointInfo(epoch);
  }
  Status Recover(Epoch epoch, std::string_view info) override {
    return topic_->Recover(epoch, info);
  }
  Status Commit(Epoch epoch, const std::vector<std::string>& payloads) override {
    return topic_->Commit(epoch, payloads);
  }
  Result<std::optional<Epoch>> LastCommittedEpoch() override {
    return topic_->LastCommittedEpoch();
  }

 private:
  KafkaSink(std::string name, std::unique_ptr<KafkaLog> log, std::unique_ptr<TopicSink> topic)
      : name_(std::move(name)), log_(std::move(log)), topic_(std::move(topic)) {}

  std::string name_;
  std::unique_ptr<KafkaLog> log_;      // outlives topic_ (declared first)
  std::unique_ptr<TopicSink> topic_;
};

}  // namespace kappa::engine
