// The sparse offset index of one segment (<base>.index, see
// docs/format/segment.md): entries (relative offset, file position) of
// batch starts, one per index_interval_bytes of log, strictly increasing
// in both fields. Position 0 / offset 0 is implied and never stored.
//
// The index lives in memory; its file is written whole when the segment is
// sealed, recovered or closed (the tail segment's index is rebuilt from the
// log on every open, so a stale file is harmless). Not thread-safe: the
// owning Partition serializes access.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace kappa::log {

class OffsetIndex {
 public:
  struct Entry {
    uint32_t relative_offset = 0;
    uint32_t position = 0;
  };
  static constexpr size_t kEntrySize = 8;  // u32 LE relative offset, u32 LE position

  // Parses an index file's bytes. Corruption if the size is not a multiple
  // of kEntrySize or entries are not strictly increasing.
  static Result<OffsetIndex> Parse(std::string_view bytes);

  // Corruption unless every entry lies inside a log of `log_size` bytes
  // holding `offset_span` offsets.
  Status CheckBounds(uint64_t log_size, int64_t offset_span) const;

  // REQUIRES: e is above the last entry in both fields.
  void Add(Entry e) { entries_.push_back(e); }

  // The last entry with relative_offset <= rel, or {0, 0}.
  Entry FloorByOffset(int64_t rel) const;
  // The last entry with position <= pos, or {0, 0}.
  Entry FloorByPosition(uint64_t pos) const;
  // The last entry, or {0, 0}.
  Entry Last() const { return entries_.empty() ? Entry{} : entries_.back(); }

  size_t size() const { return entries_.size(); }
  std::string Serialize() const;

 private:
  std::vector<Entry> entries_;
};

}  // namespace kappa::log
