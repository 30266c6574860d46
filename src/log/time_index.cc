#include "log/time_index.h"

#include <algorithm>

#include "base/bytes.h"

namespace kappa::log {

Result<TimeIndex> TimeIndex::Parse(std::string_view bytes) {
  if (bytes.size() % kEntrySize != 0) {
    return Corruption("time index size {} is not a multiple of {}", bytes.size(), kEntrySize);
  }
  TimeIndex index;
  index.entries_.reserve(bytes.size() / kEntrySize);
  const auto* p = reinterpret_cast<const uint8_t*>(bytes.data());
  for (size_t i = 0; i < bytes.size(); i += kEntrySize) {
    Entry e{LoadLE<int64_t>(p + i), LoadLE<uint32_t>(p + i + 8)};
    if (!index.entries_.empty()) {
      const Entry& last = index.entries_.back();
      if (e.timestamp <= last.timestamp || e.relative_offset <= last.relative_offset) {
        return Corruption("time index entry {} is not above the previous one", i / kEntrySize);
      }
    }
    index.entries_.push_back(e);
  }
  return index;
}

Status TimeIndex::CheckBounds(int64_t offset_span) const {
  if (!entries_.empty() && entries_.back().relative_offset >= offset_span) {
    return Corruption("time index entry at relative offset {} points past the log ({} offsets)",
                      entries_.back().relative_offset, offset_span);
  }
  return OkStatus();
}

void TimeIndex::MaybeAdd(int64_t timestamp, uint32_t rel) {
  if (!entries_.empty() &&
      (timestamp <= entries_.back().timestamp || rel <= entries_.back().relative_offset)) {
    return;
  }
  entries_.push_back(Entry{timestamp, rel});
}

std::optional<TimeIndex::Entry> TimeIndex::LastBefore(int64_t ts) const {
  auto it = std::lower_bound(entries_.begin(), entries_.end(), ts,
                             [](const Entry& e, int64_t t) { return e.timestamp < t; });
  if (it == entries_.begin()) return std::nullopt;
  return *(it - 1);
}

std::optional<TimeIndex::Entry> TimeIndex::Last() const {
  if (entries_.empty()) return std::nullopt;
  return entries_.back();
}

std::string TimeIndex::Serialize() const {
  std::string out;
  out.reserve(entries_.size() * kEntrySize);
  for (const Entry& e : entries_) {
    AppendLE<int64_t>(&out, e.timestamp);
    AppendLE<uint32_t>(&out, e.relative_offset);
  }
  return out;
}

}  // namespace kappa::log
