// The rejects file of `kappa ingest` (format: docs/format/ingest.md): one
// JSON object per line for each malformed input row,
//   {"file":"data.csv","line":17,"reason":"...","row":"<raw row text>"}
// `row` holds at most 4 KiB of the row. Each line is written and flushed as
// the row is rejected, so a crash loses none. The file is created at the
// first reject. A fresh run replaces an old file; a resumed run keeps it
// (dropping a torn last line) and does not repeat a reject it already holds
// (same file basename and line). Not thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <utility>

#include "base/file.h"
#include "base/status.h"

namespace kappa::cli {

class RejectsFile {
 public:
  // resume: keep and index an existing file; otherwise remove it.
  static Result<std::unique_ptr<RejectsFile>> Open(const std::string& path, bool resume);

  Status Write(std::string_view file, int64_t line, std::string_view reason,
               std::string_view raw);

  const std::string& path() const { return path_; }
  // Rejects written by this run (not counting repeats skipped).
  int64_t written() const { return written_; }

 private:
  explicit RejectsFile(std::string path) : path_(std::move(path)) {}
  Status LoadExisting();

  std::string path_;
  File file_;  // open once the first reject is written
  std::set<std::pair<std::string, int64_t>> known_;  // (basename, line) of earlier runs
  int64_t written_ = 0;
};

// The last path component of `path`.
std::string Basename(std::string_view path);

}  // namespace kappa::cli
