// Ingester is the row loop of `kappa ingest`: it reads each input file in
// order (CSV with a header row, or JSON lines; gzip or not), turns each row
// into a JSON record value, takes its timestamp and key from the named
// columns, routes it to a partition and adds it to the Batcher. Rows that are
// malformed go to the RejectsFile, or stop the run (fail_on_error). The
// record layout, the routing rule and the rejects format are specified in
// docs/format/ingest.md.
//
// Nothing is copied per field: CSV fields are views into the read buffer and
// the JSON value is rendered into one reused string. Runs on the calling
// thread; appending happens in whatever sink the Batcher feeds.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "format/batcher.h"
#include "cli/ingest_resume.h"
#include "cli/progress.h"
#include "cli/rejects.h"
#include "format/csv_reader.h"
#include "format/input_file.h"
#include "format/json_record.h"
#include "format/line_reader.h"

namespace kappa::cli {

enum class InputFormat { kCsv, kJsonLines };

struct IngestOptions {
  std::vector<std::string> files;
  InputFormat format = InputFormat::kCsv;
  std::string timestamp_column;  // empty: the time the ingest started
  std::string key_column;        // empty: keyless, routed by row number
  bool fail_on_error = false;
  int64_t skip_rows = 0;
  char delimiter = ',';
};

struct IngestStats {
  int64_t rows = 0;      // rows fully handled: ingested + rejected + skipped
  int64_t ingested = 0;
  int64_t rejected = 0;
  int64_t skipped = 0;   // by --skip-rows or --resume
  uint64_t bytes = 0;    // of the input files, as stored (compressed for gz)
  std::optional<SourcePosition> last;  // the last row handled
};

class Ingester {
 public:
  // Keyless rows rotate partitions every kRoundRobinRows rows.
  static constexpr int64_t kRoundRobinRows = 4096;

  // All pointers must outlive the Ingester. `resume` has one entry per
  // partition (empty vector: not resuming).
  Ingester(const IngestOptions& options, int32_t partitions,
           std::vector<std::optional<SourcePosition>> resume, format::Batcher* batcher,
           RejectsFile* rejects, ProgressBar* progress);

  // Ingests every file. Stops with the error of a malformed row when
  // fail_on_error, Cancelled when StopRequested(), or an I/O error. Whatever
  // was added before the stop stays added (the caller flushes).
  Status Run();
  const IngestStats& stats() const { return stats_; }

 private:
  struct FileState;
  Status IngestFile(int32_t index, uint64_t bytes_before);
  Status IngestCsv(FileState* f);
  Status IngestJsonLines(FileState* f);
  Status HandleCsvRow(FileState* f, const format::CsvRow& row);
  Status HandleJsonLine(FileState* f, std::string_view text, int64_t line);
  // Numbers a new row; false (and the row is done) when --skip-rows skips it.
  bool BeginRow(FileState* f, int64_t line);
  // The partition of a row: by key, else by row number.
  int32_t Route(std::optional<std::string_view> key) const;
  // True (and the row is done) when resuming and the partition has it already.
  bool AlreadyIngested(FileState* f, int64_t line, int32_t partition);
  Status Add(FileState* f, int64_t line, int32_t partition, std::optional<std::string_view> key,
             std::string_view value, int64_t timestamp);
  // Records a malformed row, or fails with its reason under fail_on_error.
  Status Reject(FileState* f, int64_t line, std::string_view reason, std::string_view raw);
  void Done(FileState* f, int64_t line);
  // Every kTickRows rows: redraws progress and checks for a stop signal.
  Status Tick(FileState* f);

  const IngestOptions& options_;
  int32_t partitions_;
  std::vector<std::optional<SourcePosition>> resume_;
  format::Batcher* batcher_;
  RejectsFile* rejects_;
  ProgressBar* progress_;
  IngestStats stats_;
  int64_t row_number_ = 0;
  int64_t ticks_ = 0;  // every data row seen, from 1: drives keyless routing
  int64_t default_timestamp_;
  std::string value_;   // scratch buffer for the current row's JSON value
  std::string src_;     // the kappa.src header value of the current row
  std::string scratch_[2];
  std::vector<log::RecordHeader> headers_;
  format::JsonRecordParser json_;
};

}  // namespace kappa::cli
