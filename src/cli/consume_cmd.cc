#include "cli/consume_cmd.h"

#include <algorithm>
#include <cstdio>

#include "base/time.h"
#include "log/record_batch.h"
#include "nlohmann/json.hpp"

namespace kappa::cli {
namespace {

constexpr size_t kReadBytes = 1 << 20;
constexpr size_t kFlushBytes = 1 << 20;
constexpr auto kFollowPoll = std::chrono::milliseconds(100);

struct ConsumeFlags {
  std::string topic;
  std::string from = "earliest";
  int64_t max = -1;
  int32_t partition = -1;
  bool follow = false;
  bool with_meta = false;
};

// Where a partition's reading starts; see consume_cmd.h.
struct StartPoint {
  enum class Kind { kEarliest, kLatest, kOffset, kTimestamp } kind = Kind::kEarliest;
  int64_t value = 0;
};

Result<StartPoint> ParseFrom(const std::string& text) {
  if (text == "earliest") return StartPoint{};
  if (text == "latest") return StartPoint{StartPoint::Kind::kLatest, 0};
  bool digits = !text.empty() && text.find_first_not_of("0123456789") == std::string::npos;
  if (digits && text.size() <= 18) return StartPoint{StartPoint::Kind::kOffset, std::stoll(text)};
  if (!digits) {
    if (std::optional<int64_t> ts = ParseTimestampMillis(text)) {
      return StartPoint{StartPoint::Kind::kTimestamp, *ts};
    }
  }
  return Invalid("--from {}: expected earliest, latest, an offset or an ISO-8601 timestamp", text);
}

// One partition being read.
struct Cursor {
  log::Partition* partition;
  Offset next;
  std::optional<int64_t> min_timestamp;  // skip records before the first one at/after it
};

class Consumer {
 public:
  explicit Consumer(const ConsumeFlags& flags) : flags_(flags) {}
  Status Run(const log::Topic& topic);

 private:
  Status Start(const log::Topic& topic, const StartPoint& from);
  // Reads and prints one chunk of the cursor's partition; sets *got if any.
  Status Poll(Cursor* c, bool* got);
  Status PrintBatch(Cursor* c, ByteSpan batch);
  void Print(const Cursor& c, const log::Record& r);
  void FlushOutput();
  bool Done() const { return flags_.max >= 0 && printed_ >= flags_.max; }

  const ConsumeFlags& flags_;
  std::vector<Cursor> cursors_;
  std::string out_;
  std::string chunk_;
  std::string scratch_;
  std::vector<log::Record> records_;
  int64_t printed_ = 0;
};

Status Consumer::Start(const log::Topic& topic, const StartPoint& from) {
  for (int32_t p = 0; p < topic.partition_count(); ++p) {
    if (flags_.partition >= 0 && p != flags_.partition) continue;
    log::Partition* part = topic.partition(PartitionId(p));
    Cursor c{part, part->start_offset(), std::nullopt};
    switch (from.kind) {
      case StartPoint::Kind::kEarliest: break;
      case StartPoint::Kind::kLatest: c.next = part->high_watermark(); break;
      case StartPoint::Kind::kOffset:
        c.next = std::clamp(Offset(from.value), part->start_offset(), part->high_watermark());
        break;
      case StartPoint::Kind::kTimestamp: {
        ASSIGN_OR_RETURN(c.next, part->OffsetForTimestamp(from.value));
        c.min_timestamp = from.value;
        break;
      }
    }
    cursors_.push_back(c);
  }
  return OkStatus();
}

void Consumer::Print(const Cursor& c, const log::Record& r) {
  if (!flags_.with_meta) {
    out_.append(r.value ? *r.value : "null");
    out_.push_back('\n');
    return;
  }
  auto opt = [](const std::optional<std::string_view>& s) {
    return s ? nlohmann::json(std::string(*s)) : nlohmann::json(nullptr);
  };
  nlohmann::json headers = nlohmann::json::object();
  for (const log::RecordHeader& h : r.headers) headers[std::string(h.key)] = opt(h.value);
  nlohmann::json j = {{"partition", c.partition->id().value()},
                      {"offset", r.offset},
                      {"timestamp", r.timestamp},
                      {"key", opt(r.key)},
                      {"headers", headers},
                      {"value", opt(r.value)}};
  out_.append(j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  out_.push_back('\n');
}

Status Consumer::PrintBatch(Cursor* c, ByteSpan batch) {
  records_.clear();
  RETURN_IF_ERROR(log::DecodeRecords(batch, &scratch_, &records_));
  for (const log::Record& r : records_) {
    if (r.offset < c->next.value()) continue;
    c->next = Offset(r.offset + 1);
    if (c->min_timestamp && r.timestamp < *c->min_timestamp) continue;
    c->min_timestamp.reset();
    Print(*c, r);
    ++printed_;
    if (out_.size() >= kFlushBytes) FlushOutput();
    if (Done()) break;
  }
  return OkStatus();
}

Status Consumer::Poll(Cursor* c, bool* got) {
  if (c->next >= c->partition->high_watermark()) return OkStatus();
  ASSIGN_OR_RETURN(log::ReadResult r, c->partition->Read(c->next, kReadBytes));
  chunk_.clear();
  for (const log::FileSlice& s : r.slices) RETURN_IF_ERROR(s.AppendTo(&chunk_));
  ByteSpan data = AsBytes(chunk_);
  while (!data.empty() && !Done()) {
    ASSIGN_OR_RETURN(log::BatchHeader h, log::ParseBatchHeader(data));
    if (h.total_size() > data.size()) return Corruption("truncated batch at offset {}", h.base_offset);
    RETURN_IF_ERROR(PrintBatch(c, data.subspan(0, h.total_size())));
    data = data.subspan(h.total_size());
  }
  if (!Done() && c->next < r.next_offset) c->next = r.next_offset;
  if (!r.slices.empty()) *got = true;
  return OkStatus();
}

void Consumer::FlushOutput() {
  std::fwrite(out_.data(), 1, out_.size(), stdout);
  std::fflush(stdout);
  out_.clear();
}

Status Consumer::Run(const log::Topic& topic) {
  ASSIGN_OR_RETURN(StartPoint from, ParseFrom(flags_.from));
  RETURN_IF_ERROR(Start(topic, from));
  Status st;
  while (st.ok() && !Done() && !StopRequested()) {
    bool got = false;
    for (Cursor& c : cursors_) {
      if (st.ok() && !Done()) st = Poll(&c, &got);
    }
    if (got) continue;
    if (!flags_.follow) break;
    FlushOutput();
    if (!cursors_.empty()) cursors_[0].partition->WaitForData(cursors_[0].next, kFollowPoll);
  }
  FlushOutput();
  return st;
}

Status RunConsume(const GlobalOptions& g, const ConsumeFlags& flags) {
  if (flags.follow) InstallStopHandlers();
  ASSIGN_OR_RETURN(auto log, OpenLog(g, "kappa consume"));
  ASSIGN_OR_RETURN(auto topic, log->GetTopic(flags.topic));
  if (flags.partition >= topic->partition_count()) {
    return Invalid("--partition {}: topic {} has {} partitions", flags.partition, flags.topic,
                   topic->partition_count());
  }
  Consumer consumer(flags);
  RETURN_IF_ERROR(consumer.Run(*topic));
  return log->Close();
}

}  // namespace

void AddConsumeCommand(CLI::App* app, CommandContext ctx) {
  auto f = std::make_shared<ConsumeFlags>();
  CLI::App* cmd = app->add_subcommand("consume", "Print a topic's record values, one per line");
  cmd->add_option("topic", f->topic, "Topic name")->required();
  cmd->add_option("--from", f->from,
                  "Where to start: earliest, latest, an offset, or an ISO-8601 timestamp")
      ->capture_default_str();
  cmd->add_option("--max", f->max, "Stop after this many records")->check(CLI::NonNegativeNumber);
  cmd->add_option("--partition", f->partition, "Read only this partition")
      ->check(CLI::NonNegativeNumber);
  cmd->add_flag("--follow,-f", f->follow, "At the end of the log, wait for more records");
  cmd->add_flag("--with-meta", f->with_meta,
                "Print JSON objects with partition, offset, timestamp, key, headers, value");
  ctx.registry->Add(cmd, [g = ctx.globals, f] { return RunConsume(*g, *f); });
}

}  // namespace kappa::cli
