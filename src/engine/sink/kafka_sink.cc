#include "engine/sink/kafka_sink.h"

#include "fmt/format.h"

namespace kappa::engine {

Result<std::unique_ptr<KafkaSink>> KafkaSink::Open(std::shared_ptr<const sql::TableDef> target,
                                                   std::string writer_id) {
  if (target->Option("topic").empty()) {
    return Invalid("table {} has no 'topic' option", target->name);
  }
  std::string served = ExternalTopicName(*target);
  ASSIGN_OR_RETURN(std::unique_ptr<KafkaLog> log, KafkaLog::Open(*target, served, true));
  TopicSinkOptions o;
  o.topic = served;
  o.writer_id = std::move(writer_id);
  ASSIGN_OR_RETURN(std::unique_ptr<TopicSink> topic, TopicSink::Open(target, log.get(), o));
  std::string name = fmt::format("topic {} on {}", target->Option("topic"),
                                 target->Option("properties.bootstrap.servers"));
  return std::unique_ptr<KafkaSink>(new KafkaSink(std::move(name), std::move(log),
                                                  std::move(topic)));
}

}  // namespace kappa::engine
