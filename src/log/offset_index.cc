#include "log/offset_index.h"

#include <algorithm>

#include "base/bytes.h"

namespace kappa::log {

Result<OffsetIndex> OffsetIndex::Parse(std::string_view bytes) {
  if (bytes.size() % kEntrySize != 0) {
    return Corruption("offset index size {} is not a multiple of {}", bytes.size(), kEntrySize);
  }
  OffsetIndex index;
  index.entries_.reserve(bytes.size() / kEntrySize);
  const auto* p = reinterpret_cast<const uint8_t*>(bytes.data());
  for (size_t i = 0; i < bytes.size(); i += kEntrySize) {
    Entry e{LoadLE<uint32_t>(p + i), LoadLE<uint32_t>(p + i + 4)};
    Entry last = index.Last();
    if (e.relative_offset <= last.relative_offset || e.position <= last.position) {
      return Corruption("offset index entry {} is not above the previous one", i / kEntrySize);
    }
    index.entries_.push_back(e);
  }
  return index;
}

Status OffsetIndex::CheckBounds(uint64_t log_size, int64_t offset_span) const {
  Entry last = Last();
  if (entries_.empty()) return OkStatus();
  if (last.position >= log_size || last.relative_offset >= offset_span) {
    return Corruption("offset index entry ({}, {}) points past the log ({} bytes, {} offsets)",
                      last.relative_offset, last.position, log_size, offset_span);
  }
  return OkStatus();
}

OffsetIndex::Entry OffsetIndex::FloorByOffset(int64_t rel) const {
  auto it = std::upper_bound(entries_.begin(), entries_.end(), rel,
                             [](int64_t r, const Entry& e) { return r < e.relative_offset; });
  return it == entries_.begin() ? Entry{} : *(it - 1);
}

OffsetIndex::Entry OffsetIndex::FloorByPosition(uint64_t pos) const {
  auto it = std::upper_bound(entries_.begin(), entries_.end(), pos,
                             [](uint64_t p, const Entry& e) { return p < e.position; });
  return it == entries_.begin() ? Entry{} : *(it - 1);
}

std::string OffsetIndex::Serialize() const {
  std::string out;
  out.reserve(entries_.size() * kEntrySize);
  for (const Entry& e : entries_) {
    AppendLE<uint32_t>(&out, e.relative_offset);
    AppendLE<uint32_t>(&out, e.position);
  }
  return out;
}

}  // namespace kappa::log
