// DiskPartition's read side: Read, OffsetForTimestamp and Stats. Each takes
// a snapshot of one segment under the mutex, then reads its committed bytes
// without it.
#include <algorithm>

#include "log/batch_reader.h"
#include "log/partition.h"
#include "log/record_batch.h"
#include "spdlog/spdlog.h"

namespace kappa::log {

size_t DiskPartition::SegmentIndexLocked(Offset o) const {
  auto it = std::upper_bound(segments_.begin(), segments_.end(), o,
                             [](Offset v, const auto& seg) { return v < seg->base(); });
  return it == segments_.begin() ? 0 : static_cast<size_t>(it - segments_.begin()) - 1;
}

Result<DiskPartition::SegmentView> DiskPartition::ViewLocked(Offset from, size_t budget) const {
  if (from < segments_.front()->base()) {
    return OutOfRange("{}: offset {} is below the start offset {}", what_, from,
                      segments_.front()->base());
  }
  if (from > durable_end_) {
    return OutOfRange("{}: offset {} is above the high watermark {}", what_, from, durable_end_);
  }
  size_t i = SegmentIndexLocked(from);
  const auto& seg = segments_[i];
  SegmentView v;
  v.segment = seg;
  v.start = seg->FloorPosition(from);
  v.limit = seg->committed_size();
  v.limit_end = seg->committed_end();
  v.end_hint = std::max(v.start, seg->FloorPositionBySize(v.start + budget));
  v.last = i + 1 == segments_.size();
  return v;
}

Result<ReadResult> DiskPartition::Read(Offset from, size_t max_bytes) const {
  ReadResult out;
  out.next_offset = from;
  size_t budget = max_bytes;
  for (;;) {
    SegmentView view;
    {
      std::lock_guard lock(mu_);
      out.high_watermark = durable_end_;
      if (out.next_offset == durable_end_ && out.next_offset >= segments_.front()->base()) break;
      auto v = ViewLocked(out.next_offset, budget);
      if (!v.ok()) {
        if (out.slices.empty()) return v.status();
        break;  // retention removed the segment meanwhile: return what we have
      }
      view = std::move(*v);
    }
    ASSIGN_OR_RETURN(bool more, ReadSegment(view, &out, &budget));
    if (!more) break;
  }
  return out;
}

// Finds the batch holding out->next_offset, then takes whole batches up to
// the budget (at least one if nothing was taken yet).
Result<bool> DiskPartition::ReadSegment(const SegmentView& v, ReadResult* out,
                                        size_t* budget) const {
  const File& file = *v.segment->log_file();
  Offset want = out->next_offset;
  if (want >= v.limit_end) return !v.last;
  uint64_t start = v.start;
  BatchHeader first;
  for (;;) {
    ASSIGN_OR_RETURN(first, ReadBatchHeaderAt(file, start, v.limit));
    if (first.last_offset() >= want.value()) break;
    start += first.total_size();
  }
  uint64_t end = start;
  Offset next(first.base_offset);
  if (v.limit - start <= *budget) {
    end = v.limit;
    next = v.limit_end;
  } else {
    // Jump to an indexed batch start inside the budget, then walk.
    for (uint64_t pos = std::max(v.end_hint, start); pos < v.limit;) {
      ASSIGN_OR_RETURN(BatchHeader h, ReadBatchHeaderAt(file, pos, v.limit));
      if (pos > end) {  // [start, pos) are whole batches within the budget
        end = pos;
        next = Offset(h.base_offset);
      }
      if (pos + h.total_size() - start > *budget) break;
      pos += h.total_size();
      end = pos;
      next = Offset(h.last_offset() + 1);
    }
    if (end == start && out->slices.empty()) {  // at least one batch
      end = start + first.total_size();
      next = Offset(first.last_offset() + 1);
    }
  }
  if (end > start) {
    out->slices.push_back(FileSlice{v.segment->log_file(), start, end - start});
    *budget -= std::min<uint64_t>(*budget, end - start);
  }
  out->next_offset = next;
  return end == v.limit && *budget > 0 && !v.last;
}

Result<Offset> DiskPartition::OffsetForTimestamp(int64_t ts) const {
  SegmentView v;
  {
    std::lock_guard lock(mu_);
    auto it = std::find_if(segments_.begin(), segments_.end(), [ts](const auto& seg) {
      return seg->max_timestamp() && *seg->max_timestamp() >= ts;
    });
    if (it == segments_.end() || (*it)->base() >= durable_end_) return durable_end_;
    v.segment = *it;
    v.start = (*it)->TimeSearchStart(ts);
    v.limit = (*it)->committed_size();
    v.limit_end = durable_end_;
  }
  return FirstOffsetAtOrAfter(v, ts);
}

// Scans batch headers from v.start for the first batch with maxTimestamp
// >= ts, then its records for the first one at or after ts.
Result<Offset> DiskPartition::FirstOffsetAtOrAfter(const SegmentView& v, int64_t ts) const {
  const File& file = *v.segment->log_file();
  for (uint64_t pos = v.start; pos < v.limit;) {
    ASSIGN_OR_RETURN(BatchHeader h, ReadBatchHeaderAt(file, pos, v.limit));
    if (h.max_timestamp < ts) {
      pos += h.total_size();
      continue;
    }
    std::string batch(h.total_size(), '\0');
    RETURN_IF_ERROR(file.PreadExact(pos, batch.data(), batch.size()));
    std::string scratch;
    std::vector<Record> records;
    if (DecodeRecords(AsBytes(batch), &scratch, &records).ok()) {
      for (const Record& r : records) {
        if (r.timestamp >= ts) return Offset(r.offset);
      }
    }
    return Offset(h.base_offset);
  }
  return v.limit_end;
}

Result<std::vector<BatchHeader>> DiskPartition::TailHeaders(uint64_t max_bytes) const {
  std::vector<SegmentView> views;  // newest first
  {
    std::lock_guard lock(mu_);
    uint64_t left = std::max<uint64_t>(max_bytes, 1);
    for (auto it = segments_.rbegin(); it != segments_.rend() && left > 0; ++it) {
      SegmentView v;
      v.segment = *it;
      v.limit = (*it)->committed_size();
      v.start = v.limit > left ? (*it)->FloorPositionBySize(v.limit - left) : 0;
      left -= std::min(left, v.limit - v.start);
      views.push_back(std::move(v));
    }
  }
  std::vector<BatchHeader> out;
  for (auto it = views.rbegin(); it != views.rend(); ++it) {
    const File& file = *it->segment->log_file();
    for (uint64_t pos = it->start; pos < it->limit;) {
      ASSIGN_OR_RETURN(BatchHeader h, ReadBatchHeaderAt(file, pos, it->limit));
      pos += h.total_size();
      out.push_back(h);
    }
  }
  return out;
}

PartitionStats DiskPartition::Stats() const {
  PartitionStats st;
  st.partition = options_.id;
  std::vector<std::shared_ptr<Segment>> unknown_min;
  auto fold = [&st](std::optional<int64_t> min, std::optional<int64_t> max) {
    if (min) st.min_timestamp = std::min(st.min_timestamp.value_or(*min), *min);
    if (max) st.max_timestamp = std::max(st.max_timestamp.value_or(*max), *max);
  };
  {
    std::lock_guard lock(mu_);
    st.start_offset = segments_.front()->base();
    st.end_offset = segments_.back()->end();
    st.records = st.end_offset - st.start_offset;
    st.segments = static_cast<int32_t>(segments_.size());
    for (const auto& seg : segments_) {
      st.bytes += seg->size();
      fold(seg->min_timestamp(), seg->max_timestamp());
      if (!seg->min_known()) unknown_min.push_back(seg);
    }
  }
  for (const auto& seg : unknown_min) {  // sealed: immutable, read without the lock
    auto min = ScanMinTimestamp(*seg->log_file(), seg->size());
    if (!min.ok()) {
      spdlog::warn("{}: {}", what_, min.status());
      continue;
    }
    fold(*min, std::nullopt);
    std::lock_guard lock(mu_);
    seg->SetMinTimestamp(*min);
  }
  return st;
}

}  // namespace kappa::log
