#include "log/segment.h"

#include <algorithm>

#include "fmt/format.h"
#include "log/batch_reader.h"
#include "log/layout.h"

namespace kappa::log {

int64_t BatchMinTimestamp(const BatchHeader& h) {
  return h.log_append_time() ? h.max_timestamp : std::min(h.base_timestamp, h.max_timestamp);
}

Result<std::shared_ptr<Segment>> Segment::Create(const std::string& dir, Offset base,
                                                 int32_t index_interval_bytes) {
  ASSIGN_OR_RETURN(File log, File::Open(SegmentPath(dir, base, kLogSuffix),
                                        File::Mode::kCreateReadWrite));
  if (log.Size() != 0) RETURN_IF_ERROR(log.Truncate(0));
  RETURN_IF_ERROR(OverwriteFile(SegmentPath(dir, base, kIndexSuffix), "", false));
  RETURN_IF_ERROR(OverwriteFile(SegmentPath(dir, base, kTimeIndexSuffix), "", false));
  SegmentState state;
  state.end = base;
  state.min_known = true;
  return std::make_shared<Segment>(dir, base, std::make_shared<File>(std::move(log)),
                                   index_interval_bytes, std::move(state));
}

Segment::Segment(std::string dir, Offset base, std::shared_ptr<File> log,
                 int32_t index_interval_bytes, SegmentState state)
    : dir_(std::move(dir)),
      base_(base),
      log_(std::move(log)),
      index_interval_(index_interval_bytes),
      state_(std::move(state)),
      last_index_pos_(state_.index.Last().position),
      first_append_ms_(state_.last_append_ms),
      committed_end_(base) {}

std::string Segment::path(std::string_view suffix) const { return SegmentPath(dir_, base_, suffix); }

Status Segment::Append(std::string_view batch, const BatchHeader& h, int64_t now_ms) {
  uint8_t base_offset[8];
  StoreBE<int64_t>(base_offset, state_.end.value());
  const std::string_view parts[2] = {
      std::string_view(reinterpret_cast<const char*>(base_offset), sizeof(base_offset)),
      batch.substr(sizeof(base_offset))};
  Status s = log_->AppendParts(parts);
  if (!s.ok()) {
    Status undo = log_->Truncate(state_.size);
    if (!undo.ok()) broken_ = true;
    return s;
  }
  uint64_t pos = state_.size;
  state_.size += batch.size();
  if (pos == 0) first_append_ms_ = now_ms;
  state_.last_append_ms = now_ms;
  Index(h, pos);
  return OkStatus();
}

void Segment::AddRecovered(const BatchHeader& h) {
  uint64_t pos = state_.size;
  state_.size += h.total_size();
  Index(h, pos);
}

void Segment::Index(const BatchHeader& h, uint64_t pos) {
  auto rel = static_cast<uint32_t>(state_.end - base_);
  state_.max_timestamp = std::max(state_.max_timestamp.value_or(h.max_timestamp), h.max_timestamp);
  if (state_.min_known) {
    int64_t t = BatchMinTimestamp(h);
    state_.min_timestamp = std::min(state_.min_timestamp.value_or(t), t);
  }
  if (pos >= last_index_pos_ + static_cast<uint64_t>(index_interval_) && pos > 0) {
    state_.index.Add({rel, static_cast<uint32_t>(pos)});
    state_.time_index.MaybeAdd(*state_.max_timestamp, rel);
    last_index_pos_ = pos;
  }
  state_.last_batch_rel = rel;
  state_.end += h.records_count;
}

void Segment::MarkCommitted(uint64_t size, Offset end) {
  committed_size_ = std::max(committed_size_, size);
  committed_end_ = std::max(committed_end_, end);
}

Status Segment::Seal() {
  if (state_.max_timestamp) state_.time_index.MaybeAdd(*state_.max_timestamp, state_.last_batch_rel);
  RETURN_IF_ERROR(WriteIndexes(/*sync=*/true));
  RETURN_IF_ERROR(log_->Sync());
  MarkCommitted(state_.size, state_.end);
  return OkStatus();
}

Status Segment::WriteIndexes(bool sync) const {
  RETURN_IF_ERROR(OverwriteFile(path(kIndexSuffix), state_.index.Serialize(), sync));
  return OverwriteFile(path(kTimeIndexSuffix), state_.time_index.Serialize(), sync);
}

Status Segment::RemoveFiles() const {
  RETURN_IF_ERROR(RemoveFile(path(kLogSuffix)));
  RETURN_IF_ERROR(SyncDir(dir_));
  RETURN_IF_ERROR(RemoveFile(path(kIndexSuffix)));
  return RemoveFile(path(kTimeIndexSuffix));
}

uint64_t Segment::FloorPosition(Offset o) const {
  return state_.index.FloorByOffset(o - base_).position;
}

uint64_t Segment::FloorPositionBySize(uint64_t pos) const {
  return state_.index.FloorByPosition(pos).position;
}

uint64_t Segment::TimeSearchStart(int64_t ts) const {
  std::optional<TimeIndex::Entry> e = state_.time_index.LastBefore(ts);
  if (!e) return 0;
  return state_.index.FloorByOffset(e->relative_offset).position;
}

void Segment::SetMinTimestamp(std::optional<int64_t> ts) {
  state_.min_timestamp = ts;
  state_.min_known = true;
}

Status OverwriteFile(const std::string& path, std::string_view contents, bool sync) {
  ASSIGN_OR_RETURN(File f, File::Open(path, File::Mode::kCreateReadWrite));
  RETURN_IF_ERROR(f.Pwrite(0, contents));
  RETURN_IF_ERROR(f.Truncate(contents.size()));
  if (sync) RETURN_IF_ERROR(f.Sync());
  return OkStatus();
}

Result<std::optional<int64_t>> ScanMinTimestamp(const File& file, uint64_t size) {
  std::optional<int64_t> min;
  for (uint64_t pos = 0; pos < size;) {
    ASSIGN_OR_RETURN(BatchHeader h, ReadBatchHeaderAt(file, pos, size));
    int64_t t = BatchMinTimestamp(h);
    min = std::min(min.value_or(t), t);
    pos += h.total_size();
  }
  return min;
}

}  // namespace kappa::log
