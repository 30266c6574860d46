#include "cli/produce_cmd.h"

#include <unistd.h>

#include "base/time.h"
#include "cli/appender.h"
#include "format/byte_source.h"
#include "format/json_record.h"
#include "format/line_reader.h"
#include "format/partitioner.h"

namespace kappa::cli {
namespace {

struct ProduceFlags {
  std::string topic;
  std::string key_field;
  std::string timestamp_field;
  size_t batch_bytes = Batcher::kDefaultBatchBytes;
};

// Reads stdin line by line into batches; see produce_cmd.h.
class Producer {
 public:
  Producer(const ProduceFlags& flags, log::Topic* topic)
      : flags_(flags),
        topic_(topic),
        appender_(topic),
        batcher_(topic->partition_count(), flags.batch_bytes, &appender_) {}

  Status Run();
  int64_t lines() const { return lines_; }
  const DirectAppender& appender() const { return appender_; }

 private:
  Status ProduceLine(std::string_view text, int64_t number);
  Status FlushAll();

  const ProduceFlags& flags_;
  log::Topic* topic_;
  DirectAppender appender_;
  Batcher batcher_;
  format::JsonRecordParser parser_;
  int32_t round_robin_ = 0;
  int64_t lines_ = 0;
  Status flush_error_;  // from a flush before a blocking read
};

Status Producer::FlushAll() {
  if (batcher_.Pending(round_robin_)) {
    round_robin_ = (round_robin_ + 1) % topic_->partition_count();
  }
  return batcher_.FlushAll();
}

Status Producer::ProduceLine(std::string_view text, int64_t number) {
  RETURN_IF_ERROR(parser_.Parse(text).WithContext(fmt::format("stdin line {}", number)));
  std::optional<std::string_view> key;
  if (!flags_.key_field.empty()) {
    Result<std::optional<std::string_view>> k = parser_.Key(flags_.key_field);
    if (!k.ok()) return k.status().WithContext(fmt::format("stdin line {}", number));
    key = *k;
  }
  int64_t ts = WallMillis();
  if (!flags_.timestamp_field.empty()) {
    Result<int64_t> t = parser_.Timestamp(flags_.timestamp_field);
    if (!t.ok()) return t.status().WithContext(fmt::format("stdin line {}", number));
    ts = *t;
  }
  int32_t partition =
      key ? format::PartitionForKey(*key, topic_->partition_count()) : round_robin_;
  RETURN_IF_ERROR(batcher_.Add(partition, key, text, ts));
  if (partition == round_robin_ && !batcher_.Pending(partition)) {
    round_robin_ = (round_robin_ + 1) % topic_->partition_count();  // its batch filled up
  }
  ++lines_;
  return OkStatus();
}

Status Producer::Run() {
  format::FdSource input(STDIN_FILENO, [this] {
    if (flush_error_.ok()) flush_error_ = FlushAll();
  });
  format::LineReader reader(&input);
  format::Line line;
  Status st;
  while (st.ok()) {
    Result<bool> more = reader.Next(&line);
    if (!more.ok()) st = more.status();
    if (!st.ok() || !*more) break;
    st = flush_error_;
    std::string_view text = format::TrimLine(line.text);
    if (st.ok() && !text.empty()) st = ProduceLine(text, line.number);
  }
  // Whatever was read before an error is still appended and acknowledged.
  Status flushed = FlushAll();
  if (st.ok()) st = flushed;
  Status durable = appender_.Finish();
  return st.ok() ? durable : st;
}

Status RunProduce(const GlobalOptions& g, const ProduceFlags& flags) {
  ASSIGN_OR_RETURN(auto log, OpenLog(g, "kappa produce"));
  ASSIGN_OR_RETURN(auto topic, log->GetTopic(flags.topic));
  int64_t start = MonotonicNanos();
  Producer producer(flags, topic.get());
  Status st = producer.Run();
  double seconds = static_cast<double>(MonotonicNanos() - start) / 1e9;
  Note(fmt::format("produced {} record{} to {} ({} partition{} written) in {:.2f} s{}",
                   FormatCount(producer.appender().records_appended()),
                   producer.appender().records_appended() == 1 ? "" : "s", flags.topic,
                   producer.appender().partitions_written().size(),
                   producer.appender().partitions_written().size() == 1 ? "" : "s", seconds,
                   st.ok() ? ", durable" : ""));
  RETURN_IF_ERROR(st);
  return log->Close();
}

}  // namespace

void AddProduceCommand(CLI::App* app, CommandContext ctx) {
  auto f = std::make_shared<ProduceFlags>();
  CLI::App* cmd = app->add_subcommand("produce", "Append stdin lines (JSON values) to a topic");
  cmd->add_option("topic", f->topic, "Topic name")->required();
  cmd->add_option("--key-field", f->key_field,
                  "Top-level field whose value is the record key (picks the partition)");
  cmd->add_option("--timestamp-field", f->timestamp_field,
                  "Top-level field holding the record timestamp (ISO-8601 or epoch ms); "
                  "default: the current time");
  cmd->add_option("--batch-bytes", f->batch_bytes, "Finish a batch at about this many bytes")
      ->check(CLI::Range(size_t{1}, size_t{64} << 20))
      ->capture_default_str();
  ctx.registry->Add(cmd, [g = ctx.globals, f] { return RunProduce(*g, *f); });
}

}  // namespace kappa::cli
