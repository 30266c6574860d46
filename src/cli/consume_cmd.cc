#include "cli/consume_cmd.h"

#include <algorithm>
#include <cstdio>

#include "base/time.h"
#include "cli/log_client.h"
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

// One partition being read.
struct Cursor {
  int32_t partition;
  Offset next;
  std::optional<int64_t> min_timestamp;  // skip records before the first one at/after it
};

class Consumer {
 public:
  // `client` must outlive the consumer.
  Consumer(const ConsumeFlags& flags, LogClient* client) : flags_(flags), client_(client) {}
  Status Run(int32_t partitions);

 private:
  Status Start(int32_t partitions);
  // Reads and prints one chunk of the cursor's partition, waiting up to
  // `wait` for one at the end of the log; sets *got if any.
  Status Poll(Cursor* c, bool* got, std::chrono::milliseconds wait);
  Status PrintBatch(Cursor* c, ByteSpan batch);
  void Print(const Cursor& c, const log::Record& r);
  void FlushOutput();
  bool Done() const { return flags_.max >= 0 && printed_ >= flags_.max; }

  const ConsumeFlags& flags_;
  LogClient* client_;
  std::vector<Cursor> cursors_;
  std::string out_;
  std::string scratch_;
  std::vector<log::Record> records_;
  int64_t printed_ = 0;
};

Status Consumer::Start(int32_t partitions) {
  std::optional<int64_t> ts;
  bool digits = flags_.from.find_first_not_of("0123456789") == std::string::npos;
  if (flags_.from != "earliest" && flags_.from != "latest" && !digits) {
    ts = ParseTimestampMillis(flags_.from);
  }
  for (int32_t p = 0; p < partitions; ++p) {
    if (flags_.partition >= 0 && p != flags_.partition) continue;
    ASSIGN_OR_RETURN(Offset next, client_->StartOffset(flags_.topic, p, flags_.from));
    cursors_.push_back(Cursor{p, next, ts});
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
  nlohmann::json j = {{"partition", c.partition},
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

Status Consumer::Poll(Cursor* c, bool* got, std::chrono::milliseconds wait) {
  ASSIGN_OR_RETURN(FetchChunk r, client_->Fetch(flags_.topic, c->partition, c->next, kReadBytes, wait));
  ByteSpan data = AsBytes(r.bytes);
  while (!data.empty() && !Done()) {
    ASSIGN_OR_RETURN(log::BatchHeader h, log::ParseBatchHeader(data));
    if (h.total_size() > data.size()) return Corruption("truncated batch at offset {}", h.base_offset);
    RETURN_IF_ERROR(PrintBatch(c, data.subspan(0, h.total_size())));
    data = data.subspan(h.total_size());
  }
  if (!Done() && c->next < r.next_offset) c->next = r.next_offset;
  if (!r.bytes.empty()) *got = true;
  return OkStatus();
}

void Consumer::FlushOutput() {
  std::fwrite(out_.data(), 1, out_.size(), stdout);
  std::fflush(stdout);
  out_.clear();
}

Status Consumer::Run(int32_t partitions) {
  RETURN_IF_ERROR(Start(partitions));
  Status st;
  while (st.ok() && !Done() && !StopRequested()) {
    bool got = false;
    for (Cursor& c : cursors_) {
      if (st.ok() && !Done()) st = Poll(&c, &got, std::chrono::milliseconds(0));
    }
    if (got) continue;
    if (!flags_.follow) break;
    FlushOutput();
    if (!cursors_.empty()) st = Poll(&cursors_[0], &got, kFollowPoll);
  }
  FlushOutput();
  return st;
}

Status RunConsume(const GlobalOptions& g, const ConsumeFlags& flags) {
  if (flags.follow) InstallStopHandlers();
  ASSIGN_OR_RETURN(auto log, ConnectLog(g, "kappa consume"));
  ASSIGN_OR_RETURN(TopicDescription topic, log->DescribeTopic(flags.topic));
  int32_t partitions = static_cast<int32_t>(topic.partitions.size());
  if (flags.partition >= partitions) {
    return Invalid("--partition {}: topic {} has {} partitions", flags.partition, flags.topic,
                   partitions);
  }
  Consumer consumer(flags, log.get());
  Status st = consumer.Run(partitions);
  if (st.code() == StatusCode::kCancelled && StopRequested()) st = OkStatus();
  RETURN_IF_ERROR(st);
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
