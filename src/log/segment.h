// One segment of a partition: <base>.log holding whole record batches at
// offsets [base(), end()), with its sparse offset and time indexes (held in
// memory, written to <base>.index and <base>.timeindex when the segment is
// sealed, recovered or closed). See docs/format/segment.md.
//
// A segment is active (the partition's last, taking appends) or sealed
// (complete and synced on disk). Its committed size/end mark the prefix a
// completed fsync covers; readers never look past it.
//
// Thread rules: not thread-safe. The owning Partition's mutex guards every
// method except base() and log_file(), which never change. The log bytes
// below a committed size read under that mutex may be read with Pread from
// any thread, without the mutex.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "base/file.h"
#include "base/status.h"
#include "base/strong_id.h"
#include "log/offset_index.h"
#include "log/record_batch.h"
#include "log/time_index.h"

namespace kappa::log {

// What recovery learned about an existing segment's contents.
struct SegmentState {
  uint64_t size = 0;
  Offset end;
  OffsetIndex index;
  TimeIndex time_index;
  std::optional<int64_t> max_timestamp;
  std::optional<int64_t> min_timestamp;
  bool min_known = false;         // min_timestamp is exact (else computed on demand)
  uint32_t last_batch_rel = 0;    // relative offset of the last batch
  int64_t last_append_ms = 0;     // for time-based roll
};

// The smallest timestamp a batch claims (baseTimestamp is the first
// record's; under LogAppendTime every record has maxTimestamp).
int64_t BatchMinTimestamp(const BatchHeader& h);

class Segment {
 public:
  // Creates the empty files of a new segment; the caller syncs the directory.
  static Result<std::shared_ptr<Segment>> Create(const std::string& dir, Offset base,
                                                 int32_t index_interval_bytes);
  Segment(std::string dir, Offset base, std::shared_ptr<File> log, int32_t index_interval_bytes,
          SegmentState state);

  Offset base() const { return base_; }
  Offset end() const { return state_.end; }
  uint64_t size() const { return state_.size; }
  bool empty() const { return state_.size == 0; }
  const std::shared_ptr<File>& log_file() const { return log_; }
  std::string path(std::string_view suffix) const;

  // Writes a validated batch (header h) as offsets [end(), end() + count)
  // with its baseOffset set to end(), and indexes it. On a write error the
  // file is cut back to size(); if even that fails, broken() turns true.
  Status Append(std::string_view batch, const BatchHeader& h, int64_t now_ms);
  bool broken() const { return broken_; }
  // Accounts for a batch already in the file at position size() (recovery
  // replays a verified scan through this).
  void AddRecovered(const BatchHeader& h);
  void set_last_append_ms(int64_t ms) { state_.last_append_ms = first_append_ms_ = ms; }

  // The prefix covered by a completed fsync (only grows).
  uint64_t committed_size() const { return committed_size_; }
  Offset committed_end() const { return committed_end_; }
  void MarkCommitted(uint64_t size, Offset end);

  // fdatasync of the log file.
  Status Sync() { return log_->Sync(); }
  // Completes the time index, writes and syncs both index files, syncs the
  // log and marks everything committed: the segment is complete on disk.
  Status Seal();
  // Writes both index files whole; `sync` fsyncs them.
  Status WriteIndexes(bool sync) const;
  // Removes the files, the log first (the directory is synced after it).
  Status RemoveFiles() const;

  // The position of the batch holding `o` or of an earlier batch.
  uint64_t FloorPosition(Offset o) const;
  // The position of a batch start at or before `pos`.
  uint64_t FloorPositionBySize(uint64_t pos) const;
  // A position from which the first batch with maxTimestamp >= ts can be
  // found by scanning forward.
  uint64_t TimeSearchStart(int64_t ts) const;

  std::optional<int64_t> max_timestamp() const { return state_.max_timestamp; }
  bool min_known() const { return state_.min_known; }
  std::optional<int64_t> min_timestamp() const { return state_.min_timestamp; }
  void SetMinTimestamp(std::optional<int64_t> ts);
  int64_t last_append_ms() const { return state_.last_append_ms; }
  int64_t first_append_ms() const { return first_append_ms_; }
  void set_first_append_ms(int64_t ms) { first_append_ms_ = ms; }

 private:
  void Index(const BatchHeader& h, uint64_t pos);

  std::string dir_;
  Offset base_;
  std::shared_ptr<File> log_;
  int32_t index_interval_;
  SegmentState state_;
  uint64_t last_index_pos_;
  int64_t first_append_ms_ = 0;
  uint64_t committed_size_ = 0;
  Offset committed_end_;
  bool broken_ = false;
};

// Writes `contents` over the file at `path` (created if missing) and cuts
// it to that size; `sync` fsyncs it.
Status OverwriteFile(const std::string& path, std::string_view contents, bool sync);

// The smallest BatchMinTimestamp of the batches in [0, size) of a segment
// file, by reading every header.
Result<std::optional<int64_t>> ScanMinTimestamp(const File& file, uint64_t size);

}  // namespace kappa::log
