#include "cli/ingester.h"

#include <charconv>

#include "base/time.h"
#include "cli/command.h"
#include "format/json_writer.h"
#include "format/partitioner.h"

namespace kappa::cli {

namespace {
constexpr int64_t kTickRows = 4096;  // rows between progress updates and stop checks
}  // namespace

struct Ingester::FileState {
  int32_t index = 0;
  std::string path;
  std::unique_ptr<format::InputFile> input;
  uint64_t bytes_before = 0;  // of the files before this one
  size_t src_prefix = 0;      // length of "<basename>:" in src_
  std::optional<format::CsvJsonWriter> writer;
  int ts_column = -1;
  int key_column = -1;
};

Ingester::Ingester(const IngestOptions& options, int32_t partitions,
                   std::vector<std::optional<SourcePosition>> resume, format::Batcher* batcher,
                   RejectsFile* rejects, ProgressBar* progress)
    : options_(options),
      partitions_(partitions),
      resume_(std::move(resume)),
      batcher_(batcher),
      rejects_(rejects),
      progress_(progress),
      default_timestamp_(WallMillis()),
      headers_{log::RecordHeader{kSourceHeader, std::nullopt}} {}

Status Ingester::Run() {
  uint64_t before = 0;
  for (size_t i = 0; i < options_.files.size(); ++i) {
    Status st = IngestFile(static_cast<int32_t>(i), before);
    before = stats_.bytes;
    RETURN_IF_ERROR(st);
  }
  return OkStatus();
}

Status Ingester::IngestFile(int32_t index, uint64_t bytes_before) {
  FileState f;
  f.index = index;
  f.path = options_.files[index];
  f.bytes_before = bytes_before;
  ASSIGN_OR_RETURN(f.input, format::InputFile::Open(f.path));
  src_ = Basename(f.path) + ":";
  f.src_prefix = src_.size();
  Status st = options_.format == InputFormat::kCsv ? IngestCsv(&f) : IngestJsonLines(&f);
  stats_.bytes = bytes_before + f.input->file_position();
  return st;
}

namespace {

// Index of a named column in the header, or -1 when name is empty.
Result<int> ColumnIndex(const format::CsvJsonWriter& w, const std::string& name,
                        const std::string& path) {
  if (name.empty()) return -1;
  int i = w.IndexOf(name);
  if (i < 0) return Invalid("{}: no column '{}' in the header", path, name);
  return i;
}

}  // namespace

Status Ingester::IngestCsv(FileState* f) {
  format::CsvOptions csv_options;
  csv_options.delimiter = options_.delimiter;
  format::CsvReader reader(f->input.get(), csv_options);
  format::CsvRow row;
  Result<bool> more = reader.Next(&row);
  if (!more.ok()) return more.status().WithContext(f->path);
  if (!*more) return OkStatus();  // an empty file has no rows
  if (!row.error.empty()) return Invalid("{}:{}: header row: {}", f->path, row.line, row.error);
  Result<format::CsvJsonWriter> writer = format::CsvJsonWriter::Create(format::HeaderNames(row));
  if (!writer.ok()) return writer.status().WithContext(f->path);
  ASSIGN_OR_RETURN(f->ts_column, ColumnIndex(*writer, options_.timestamp_column, f->path));
  ASSIGN_OR_RETURN(f->key_column, ColumnIndex(*writer, options_.key_column, f->path));
  f->writer.emplace(std::move(*writer));
  while (true) {
    more = reader.Next(&row);
    if (!more.ok()) return more.status().WithContext(f->path);
    if (!*more) return OkStatus();
    RETURN_IF_ERROR(HandleCsvRow(f, row));
    RETURN_IF_ERROR(Tick(f));
  }
}

Status Ingester::IngestJsonLines(FileState* f) {
  format::LineReader reader(f->input.get());
  format::Line line;
  while (true) {
    Result<bool> more = reader.Next(&line);
    if (!more.ok()) return more.status().WithContext(f->path);
    if (!*more) return OkStatus();
    std::string_view text = format::TrimLine(line.text);
    if (text.empty()) continue;  // blank lines are not rows
    RETURN_IF_ERROR(HandleJsonLine(f, text, line.number));
    RETURN_IF_ERROR(Tick(f));
  }
}

Status Ingester::HandleCsvRow(FileState* f, const format::CsvRow& row) {
  if (!BeginRow(f, row.line)) return OkStatus();
  if (!row.error.empty()) return Reject(f, row.line, row.error, row.raw);
  const format::CsvJsonWriter& w = *f->writer;
  if (row.fields.size() != w.column_count()) {
    return Reject(f, row.line,
                  fmt::format("wrong column count: expected {}, got {}", w.column_count(),
                              row.fields.size()),
                  row.raw);
  }
  if (!format::IsValidUtf8(row.raw)) return Reject(f, row.line, "invalid UTF-8", row.raw);
  int64_t ts = default_timestamp_;
  if (f->ts_column >= 0) {
    std::string_view text = row.fields[f->ts_column].Value(&scratch_[0]);
    std::optional<int64_t> parsed = ParseTimestampMillis(text);
    if (!parsed) {
      return Reject(f, row.line,
                    fmt::format("unparsable timestamp '{}' in column '{}'", text,
                                options_.timestamp_column),
                    row.raw);
    }
    ts = *parsed;
  }
  std::optional<std::string_view> key;
  if (f->key_column >= 0) {
    std::string_view k = row.fields[f->key_column].Value(&scratch_[1]);
    if (!k.empty()) key = k;
  }
  int32_t partition = Route(key);
  if (AlreadyIngested(f, row.line, partition)) return OkStatus();
  return Add(f, row.line, partition, key, w.Render(row.fields, &value_), ts);
}

Status Ingester::HandleJsonLine(FileState* f, std::string_view text, int64_t line) {
  if (!BeginRow(f, line)) return OkStatus();
  Status parsed = json_.Parse(text);
  if (!parsed.ok()) return Reject(f, line, parsed.message(), text);
  int64_t ts = default_timestamp_;
  if (!options_.timestamp_column.empty()) {
    Result<int64_t> t = json_.Timestamp(options_.timestamp_column);
    if (!t.ok()) return Reject(f, line, t.status().message(), text);
    ts = *t;
  }
  std::optional<std::string_view> key;
  if (!options_.key_column.empty()) {
    Result<std::optional<std::string_view>> k = json_.Key(options_.key_column);
    if (!k.ok()) return Reject(f, line, k.status().message(), text);
    key = *k;
  }
  int32_t partition = Route(key);
  if (AlreadyIngested(f, line, partition)) return OkStatus();
  return Add(f, line, partition, key, text, ts);
}

bool Ingester::BeginRow(FileState* f, int64_t line) {
  ++row_number_;
  if (row_number_ > options_.skip_rows) return true;
  ++stats_.skipped;
  Done(f, line);
  return false;
}

void Ingester::Done(FileState* f, int64_t line) {
  ++stats_.rows;
  stats_.last = SourcePosition{f->index, line};
}

int32_t Ingester::Route(std::optional<std::string_view> key) const {
  if (key) return format::PartitionForKey(*key, partitions_);
  return static_cast<int32_t>((row_number_ - 1) / kRoundRobinRows % partitions_);
}

bool Ingester::AlreadyIngested(FileState* f, int64_t line, int32_t partition) {
  if (resume_.empty() || !resume_[partition]) return false;
  if (SourcePosition{f->index, line} > *resume_[partition]) return false;
  ++stats_.skipped;
  Done(f, line);
  return true;
}

Status Ingester::Add(FileState* f, int64_t line, int32_t partition,
                     std::optional<std::string_view> key, std::string_view value,
                     int64_t timestamp) {
  char digits[24];
  auto [end, ec] = std::to_chars(digits, digits + sizeof(digits), line);
  src_.resize(f->src_prefix);
  src_.append(digits, static_cast<size_t>(end - digits));
  headers_[0].value = src_;
  RETURN_IF_ERROR(batcher_->Add(partition, key, value, timestamp, headers_));
  ++stats_.ingested;
  Done(f, line);
  return OkStatus();
}

Status Ingester::Reject(FileState* f, int64_t line, std::string_view reason,
                        std::string_view raw) {
  if (options_.fail_on_error) return Invalid("{}:{}: {}", f->path, line, reason);
  RETURN_IF_ERROR(rejects_->Write(f->path, line, reason, raw));
  ++stats_.rejected;
  Done(f, line);
  return OkStatus();
}

Status Ingester::Tick(FileState* f) {
  if (++ticks_ % kTickRows != 0) return OkStatus();
  progress_->Update(f->bytes_before + f->input->file_position(), stats_.rows);
  if (StopRequested()) return Status(StatusCode::kCancelled, "interrupted");
  return OkStatus();
}

}  // namespace kappa::cli
