// The sparse time index of one segment (<base>.timeindex, see
// docs/format/segment.md): entries (timestamp, relative offset) where
// timestamp is the largest batch maxTimestamp among the segment's batches
// up to and including the batch at that relative offset. Both fields are
// strictly increasing. Entries are added with offset index entries (when
// the running maximum grew) and once more when the segment is sealed, so a
// sealed segment's last entry holds its largest timestamp.
//
// So for a time T, every batch up to the last entry with timestamp < T has
// maxTimestamp < T: a search for the first batch with maxTimestamp >= T may
// start at that entry's batch. In memory; not thread-safe (as OffsetIndex).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace kappa::log {

class TimeIndex {
 public:
  struct Entry {
    int64_t timestamp = 0;
    uint32_t relative_offset = 0;
  };
  static constexpr size_t kEntrySize = 12;  // i64 LE timestamp, u32 LE relative offset

  // Parses a time index file's bytes. Corruption if the size is not a
  // multiple of kEntrySize or entries are not strictly increasing.
  static Result<TimeIndex> Parse(std::string_view bytes);
  // Corruption unless every relative offset is below `offset_span`.
  Status CheckBounds(int64_t offset_span) const;

  // Adds (timestamp, rel) if both are above the last entry's.
  void MaybeAdd(int64_t timestamp, uint32_t rel);

  // The last entry with timestamp < ts.
  std::optional<Entry> LastBefore(int64_t ts) const;
  std::optional<Entry> Last() const;

  size_t size() const { return entries_.size(); }
  std::string Serialize() const;

 private:
  std::vector<Entry> entries_;
};

}  // namespace kappa::log
