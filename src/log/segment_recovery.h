// Opening a partition's segments after a clean or unclean shutdown (the
// rules are in docs/format/segment.md, "Recovery"):
//
//   - stray .index/.timeindex files without a .log, and *.tmp, are removed;
//   - empty segments at the end (a crash between creating a segment and
//     writing to it) are removed, keeping at least one;
//   - sealed segments load their indexes; a missing or damaged index is
//     rebuilt from a verified scan; each must end where the next begins;
//   - the tail segment is scanned and every batch verified (CRC via
//     ValidateBatch, baseOffset continuity); a torn or corrupt tail with
//     nothing valid after it is truncated; its indexes are rebuilt; it is
//     synced, so what readers see after recovery is durable;
//   - a bad batch followed by valid data, anywhere, is DataLoss naming the
//     topic, partition and offset. Nothing is skipped silently.
//
// Single-threaded: runs while the partition is being opened.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "base/status.h"
#include "log/segment.h"

namespace kappa::log {

struct RecoveryContext {
  std::string dir;   // the partition directory
  std::string what;  // "topic orders partition 2", for messages
  int32_t index_interval_bytes = 4096;
};

// The segments of the partition in ctx.dir, oldest first, the last one
// active. Creates segment 0 in an empty directory.
Result<std::vector<std::shared_ptr<Segment>>> RecoverSegments(const RecoveryContext& ctx);

// The tail segment at `base`, verified and truncated as described above.
Result<std::shared_ptr<Segment>> RecoverTailSegment(const RecoveryContext& ctx, Offset base);

// A sealed segment at `base` whose successor starts at `next_base`; nullptr
// if it is empty and may be dropped.
Result<std::shared_ptr<Segment>> OpenSealedSegment(const RecoveryContext& ctx, Offset base,
                                                   Offset next_base);

}  // namespace kappa::log
