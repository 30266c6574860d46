#include "cli/produce_cmd.h"

#include <unistd.h>

#include <functional>
#include <set>

#include "base/time.h"
#include "cli/appender.h"
#include "cli/http_client.h"
#include "cli/log_client.h"
#include "format/byte_source.h"
#include "format/json_line_batcher.h"
#include "format/line_reader.h"
#include "nlohmann/json.hpp"

namespace kappa::cli {
namespace {

struct ProduceFlags {
  std::string topic;
  std::string key_field;
  std::string timestamp_field;
  size_t batch_bytes = format::Batcher::kDefaultBatchBytes;
  int32_t partition = -1;  // -1: by key, else round-robin
  bool raw = false;
};

// Reads stdin line by line, calling on_line for each line (blank ones too).
// Before a read that would block, on_idle runs (to send what was read so
// far). Stops at the first error of a read or of either callback; an
// on_idle error is returned before the next line is handled.
Status ReadStdinLines(const std::function<Status()>& on_idle,
                      const std::function<Status(const format::Line&)>& on_line) {
  Status idle_error;
  format::FdSource input(STDIN_FILENO, [&] {
    if (idle_error.ok()) idle_error = on_idle();
  });
  format::LineReader reader(&input);
  format::Line line;
  for (;;) {
    ASSIGN_OR_RETURN(bool more, reader.Next(&line));
    RETURN_IF_ERROR(idle_error);
    if (!more) return OkStatus();
    RETURN_IF_ERROR(on_line(line));
  }
}

// Reads stdin line by line into batches; see produce_cmd.h.
class Producer {
 public:
  Producer(const ProduceFlags& flags, log::Topic* topic)
      : appender_(topic),
        lines_(topic->partition_count(),
               format::JsonLineOptions{flags.key_field, flags.timestamp_field, flags.batch_bytes,
                                       flags.partition, flags.raw},
               &appender_) {}

  Status Run();
  const DirectAppender& appender() const { return appender_; }

 private:
  DirectAppender appender_;
  format::JsonLineBatcher lines_;
};

Status Producer::Run() {
  Status st = ReadStdinLines([this] { return lines_.FlushAll(); },
                             [this](const format::Line& line) {
                               std::string_view text = format::TrimLine(line.text);
                               if (text.empty()) return OkStatus();
                               return lines_.Add(text).WithContext(
                                   fmt::format("stdin line {}", line.number));
                             });
  // Whatever was read before an error is still appended and acknowledged.
  Status flushed = lines_.FlushAll();
  if (st.ok()) st = flushed;
  Status durable = appender_.Finish();
  return st.ok() ? durable : st;
}

// Sends stdin to a server's POST /v1/topics/{name}/records in chunks of
// whole lines (about batch_bytes, or whatever arrived when stdin would
// block). Each chunk carries every stdin line (blank ones too) so the
// server's line numbers are stdin's; when it refuses a bad line, the lines
// before it are sent again on their own, so that, as locally, everything
// read before the error is appended.
class RemoteProducer {
 public:
  RemoteProducer(const ProduceFlags& flags, HttpClient* http) : flags_(flags), http_(http) {}

  Status Run() {
    Status st = ReadStdinLines([this] { return Send(); },
                               [this](const format::Line& line) { return Add(line); });
    // Lines read before a read error are still sent (a failed Send left none).
    Status sent = Send();
    return st.ok() ? sent : st;
  }

  int64_t records() const { return records_; }
  size_t partitions_written() const { return partitions_.size(); }

 private:
  std::string Target() const {
    std::string t = fmt::format("/v1/topics/{}/records?line_base={}", UrlEncode(flags_.topic),
                                line_base_);
    if (!flags_.key_field.empty()) t += "&key_field=" + UrlEncode(flags_.key_field);
    if (flags_.partition >= 0) t += fmt::format("&partition={}", flags_.partition);
    if (flags_.raw) t += "&raw=1";
    if (!flags_.timestamp_field.empty()) {
      t += "&timestamp_field=" + UrlEncode(flags_.timestamp_field);
    }
    return t;
  }

  Status Add(const format::Line& line) {
    if (lines_in_body_ == 0) line_base_ = line.number;
    body_.append(format::TrimLine(line.text));
    body_.push_back('\n');
    ++lines_in_body_;
    return body_.size() >= flags_.batch_bytes ? Send() : OkStatus();
  }

  Status Post(std::string body) {
    ASSIGN_OR_RETURN(HttpResult r, http_->Request("POST", Target(), std::move(body),
                                                  "application/x-ndjson"));
    nlohmann::json j = nlohmann::json::parse(r.body, nullptr, false);
    if (r.status == 400 && !j.is_discarded() && j.contains("error") &&
        j["error"].contains("line")) {
      bad_line_ = j["error"]["line"].get<int64_t>();
    }
    if (r.status >= 400) return StatusFromResponse(r);
    if (j.is_discarded()) return Internal("unexpected produce answer from the server");
    records_ += j.value("records", int64_t{0});
    for (const auto& p : j["partitions"]) partitions_.insert(p.value("partition", 0));
    return OkStatus();
  }

  Status Send() {
    if (lines_in_body_ == 0) return OkStatus();
    std::string body = std::move(body_);
    body_.clear();
    lines_in_body_ = 0;
    bad_line_.reset();
    Status st = Post(body);
    if (st.ok() || !bad_line_ || *bad_line_ <= line_base_) {
      return st.ok() ? st : st.WithContext("stdin");
    }
    size_t end = 0;
    for (int64_t n = line_base_; n < *bad_line_; ++n) end = body.find('\n', end) + 1;
    Status prefix = Post(body.substr(0, end));
    if (!prefix.ok()) return prefix;
    return Status(st.code(), fmt::format("stdin {}", st.message()));
  }

  const ProduceFlags& flags_;
  HttpClient* http_;
  std::string body_;
  int64_t line_base_ = 1;
  int64_t lines_in_body_ = 0;
  std::optional<int64_t> bad_line_;
  int64_t records_ = 0;
  std::set<int32_t> partitions_;
};

Status RunRemoteProduce(const std::string& url, const ProduceFlags& flags) {
  ASSIGN_OR_RETURN(auto http, HttpClient::Create(url));
  RETURN_IF_ERROR(http->Call("GET", "/v1/topics/" + UrlEncode(flags.topic)).status());
  int64_t start = MonotonicNanos();
  RemoteProducer producer(flags, http.get());
  Status st = producer.Run();
  double seconds = static_cast<double>(MonotonicNanos() - start) / 1e9;
  Note(fmt::format("produced {} record{} to {} ({} partition{} written) in {:.2f} s{}",
                   FormatCount(producer.records()), producer.records() == 1 ? "" : "s",
                   flags.topic, producer.partitions_written(),
                   producer.partitions_written() == 1 ? "" : "s", seconds,
                   st.ok() ? ", durable" : ""));
  return st;
}

Status RunProduce(const GlobalOptions& g, const ProduceFlags& flags) {
  ASSIGN_OR_RETURN(std::optional<std::string> server, FindServer(g));
  if (server) return RunRemoteProduce(*server, flags);
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
  CLI::App* cmd = app->add_subcommand("produce", "Append stdin lines (JSON values, or anything with --raw) to a topic");
  cmd->add_option("topic", f->topic, "Topic name")->required();
  cmd->add_option("--key-field", f->key_field,
                  "Top-level field whose value is the record key (picks the partition)");
  cmd->add_option("--timestamp-field", f->timestamp_field,
                  "Top-level field holding the record timestamp (ISO-8601 or epoch ms); "
                  "default: the current time");
  cmd->add_flag("--raw", f->raw,
                "Lines are record values as they are (CSV, text): no JSON check, no key or "
                "timestamp field");
  cmd->add_option("--partition", f->partition,
                  "Append every record to this partition (default: by key, else round-robin)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--batch-bytes", f->batch_bytes, "Finish a batch at about this many bytes")
      ->check(CLI::Range(size_t{1}, size_t{64} << 20))
      ->capture_default_str();
  ctx.registry->Add(cmd, [g = ctx.globals, f] { return RunProduce(*g, *f); });
}

}  // namespace kappa::cli
