#include "cli/ingest_cmd.h"

#include <set>

#include "base/time.h"
#include "cli/appender.h"
#include "cli/ingester.h"
#include "cli/log_client.h"

namespace kappa::cli {
namespace {


struct IngestFlags {
  IngestOptions options;
  std::string topic;
  std::string format;
  int32_t partitions = 1;
  std::string rejects;
  std::string on_error = "skip";
  std::string delimiter = ",";
  bool resume = false;
  size_t batch_bytes = format::Batcher::kDefaultBatchBytes;
};

Result<InputFormat> FormatOf(const std::string& flag, const std::vector<std::string>& files) {
  if (flag == "csv") return InputFormat::kCsv;
  if (flag == "json") return InputFormat::kJsonLines;
  std::string name = files.front();
  if (name.ends_with(".gz")) name.resize(name.size() - 3);
  if (name.ends_with(".csv")) return InputFormat::kCsv;
  if (name.ends_with(".json") || name.ends_with(".jsonl") || name.ends_with(".ndjson")) {
    return InputFormat::kJsonLines;
  }
  return Invalid("cannot tell the format of {} from its name; pass --format csv|json", files.front());
}

Result<char> DelimiterOf(const std::string& flag) {
  if (flag == "tab" || flag == "\\t") return '\t';
  if (flag.size() != 1 || flag[0] == '"' || flag[0] == '\n' || flag[0] == '\r') {
    return Invalid("--delimiter must be one character other than a quote or line break");
  }
  return flag[0];
}

// Total size of the input files; fails naming the first that cannot be opened.
Result<uint64_t> TotalBytes(const std::vector<std::string>& files) {
  uint64_t total = 0;
  for (const std::string& path : files) {
    ASSIGN_OR_RETURN(File f, File::Open(path, File::Mode::kRead));
    total += f.Size();
  }
  return total;
}

Status CheckDistinctNames(const std::vector<std::string>& files) {
  std::set<std::string> seen;
  for (const std::string& path : files) {
    if (!seen.insert(Basename(path)).second) {
      return Invalid("--resume needs distinct file names, and {} appears twice", Basename(path));
    }
  }
  return OkStatus();
}

// The topic's partition count, creating it with --partitions if needed.
Result<int32_t> GetOrCreateTopic(LogClient* client, const IngestFlags& f) {
  Result<TopicDescription> topic = client->DescribeTopic(f.topic);
  if (topic.ok()) return static_cast<int32_t>(topic->partitions.size());
  if (topic.status().code() != StatusCode::kNotFound) return topic.status();
  log::TopicConfig config;
  config.partitions = f.partitions;
  Result<int32_t> created = client->CreateTopic(f.topic, config);
  if (created.ok() || created.status().code() != StatusCode::kAlreadyExists) return created;
  ASSIGN_OR_RETURN(TopicDescription again, client->DescribeTopic(f.topic));  // created meanwhile
  return static_cast<int32_t>(again.partitions.size());
}

void PrintSummary(const IngestFlags& f, const IngestStats& s, const RejectsFile& rejects,
                  double seconds, const Status& st, bool durable) {
  std::string rejected = s.rejected == 0
                             ? "0 rejected"
                             : fmt::format("{} rejected (see {})", FormatCount(s.rejected),
                                           rejects.path());
  std::string last = s.last ? fmt::format("{}:{}", Basename(f.options.files[s.last->file]),
                                          s.last->line)
                            : "none";
  if (st.ok()) {
    Note(fmt::format("ingested {} rows into {} from {} file{} ({}) in {:.2f} s, {} rows/s; {}, "
                     "{} skipped",
                     FormatCount(s.ingested), f.topic, f.options.files.size(),
                     f.options.files.size() == 1 ? "" : "s", FormatBytes(s.bytes), seconds,
                     FormatCount(static_cast<int64_t>(static_cast<double>(s.rows) / seconds)),
                     rejected, FormatCount(s.skipped)));
  } else if (durable) {
    Note(fmt::format("stopped after {} rows (last row {}; {} ingested, {}, {} skipped) in {:.2f} "
                     "s; all of them are durable in the log: rerun with --resume, or "
                     "--skip-rows {}, to continue",
                     FormatCount(s.rows), last, FormatCount(s.ingested), rejected,
                     FormatCount(s.skipped), seconds, s.rows));
  } else {
    Note(fmt::format("stopped after {} rows (last row {}); appending failed, so the log holds "
                     "only some of them: rerun with --resume to continue",
                     FormatCount(s.rows), last));
  }
}

Status RunIngest(const GlobalOptions& g, IngestFlags& f) {
  InstallStopHandlers();
  IngestOptions& o = f.options;
  ASSIGN_OR_RETURN(o.format, FormatOf(f.format, o.files));
  ASSIGN_OR_RETURN(o.delimiter, DelimiterOf(f.delimiter));
  o.fail_on_error = f.on_error == "fail";
  if (f.resume) RETURN_IF_ERROR(CheckDistinctNames(o.files));
  ASSIGN_OR_RETURN(uint64_t total_bytes, TotalBytes(o.files));
  ASSIGN_OR_RETURN(auto log, ConnectLog(g, "kappa ingest"));
  ASSIGN_OR_RETURN(int32_t partitions, GetOrCreateTopic(log.get(), f));
  std::vector<std::optional<SourcePosition>> resume;
  if (f.resume) {
    std::vector<std::string> names;
    for (const std::string& path : o.files) names.push_back(Basename(path));
    ASSIGN_OR_RETURN(resume, FindResumePoints(log.get(), f.topic, partitions, names));
  }
  std::string rejects_path = f.rejects.empty() ? f.topic + ".rejects.jsonl" : f.rejects;
  ASSIGN_OR_RETURN(auto rejects, RejectsFile::Open(rejects_path, f.resume || o.skip_rows > 0));

  int64_t start = MonotonicNanos();
  ASSIGN_OR_RETURN(std::unique_ptr<BatchWriter> writer, log->OpenWriter(f.topic));
  format::Batcher batcher(partitions, f.batch_bytes, writer.get());
  ProgressBar progress(total_bytes);
  Ingester ingester(o, partitions, std::move(resume), &batcher, rejects.get(), &progress);
  Status st = ingester.Run();
  Status flushed = batcher.FlushAll();
  Status durable = writer->Finish();
  progress.Clear();
  double seconds = std::max(1e-6, static_cast<double>(MonotonicNanos() - start) / 1e9);
  bool all_durable = flushed.ok() && durable.ok();
  Status first = !st.ok() ? st : !flushed.ok() ? flushed : durable;
  PrintSummary(f, ingester.stats(), *rejects, seconds, first, all_durable);
  RETURN_IF_ERROR(first);
  return log->Close();
}

}  // namespace

void AddIngestCommand(CLI::App* app, CommandContext ctx) {
  auto f = std::make_shared<IngestFlags>();
  CLI::App* cmd = app->add_subcommand(
      "ingest", "Bulk-load CSV or JSON-lines files (optionally gzipped) into a topic");
  cmd->add_option("files", f->options.files, "Input files, read in this order")->required();
  cmd->add_option("--topic,-t", f->topic, "Topic to load into")->required();
  cmd->add_option("--format", f->format, "csv or json (JSON lines); default: from the file name")
      ->check(CLI::IsMember({"csv", "json"}));
  cmd->add_option("--timestamp-column", f->options.timestamp_column,
                  "Column (or JSON field) holding each record's timestamp, ISO-8601 or epoch "
                  "ms; default: the time of the ingest");
  cmd->add_option("--key-column", f->options.key_column,
                  "Column (or JSON field) whose value is the record key and picks the partition");
  cmd->add_option("--partitions", f->partitions, "Partitions, if the topic must be created")
      ->check(CLI::Range(1, 10000))
      ->capture_default_str();
  cmd->add_option("--rejects", f->rejects,
                  "Where malformed rows are written (default: <topic>.rejects.jsonl)");
  cmd->add_option("--on-error", f->on_error,
                  "skip: write malformed rows to the rejects file; fail: stop at the first")
      ->check(CLI::IsMember({"skip", "fail"}))
      ->capture_default_str();
  auto* skip = cmd->add_option("--skip-rows", f->options.skip_rows,
                               "Skip the first N data rows (as the summary of a stopped run says)")
                   ->check(CLI::NonNegativeNumber);
  cmd->add_flag("--resume", f->resume,
                "Continue a stopped or crashed ingest of the same files: skip exactly the rows "
                "already in the log")
      ->excludes(skip);
  cmd->add_option("--delimiter", f->delimiter, "CSV field delimiter (one character, or tab)")
      ->capture_default_str();
  cmd->add_option("--batch-bytes", f->batch_bytes, "Finish a batch at about this many bytes")
      ->check(CLI::Range(size_t{1}, size_t{64} << 20))
      ->capture_default_str();
  ctx.registry->Add(cmd, [g = ctx.globals, f] { return RunIngest(*g, *f); });
}

}  // namespace kappa::cli
