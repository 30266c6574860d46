// Table maintenance primitives (the sink schedules them; compaction itself,
// reading and rewriting Parquet, lives with the sink and ends in
// Table::Replace):
//   ExpireSnapshots  drops old snapshots from the metadata (one metadata-only
//                    commit), then deletes the manifest lists, manifests and
//                    data/delete files only they referenced;
//   RemoveOrphanFiles deletes files under the table's data/ and metadata/
//                    that no snapshot, metadata-log entry or the current
//                    metadata references, if older than a cutoff (so files
//                    of commits in flight survive);
//   FindSmallFiles   groups live data files below a size by partition.
// Each takes the Table it works on; the Table's own rules on threads apply.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"
#include "table/iceberg/table.h"
#include "table/iceberg/table_io.h"

namespace kappa::table::iceberg {

struct ExpireOptions {
  int64_t older_than_ms = 0;  // snapshots committed before this may go
  int retain_last = 1;        // but the newest `retain_last` always stay
};

struct ExpireResult {
  std::vector<int64_t> expired_snapshot_ids;
  std::vector<std::string> deleted_files;
};

// Never expires the current snapshot or one a ref points at. Fails (and
// deletes nothing) if the metadata commit loses a race.
Result<ExpireResult> ExpireSnapshots(Table& table, const ExpireOptions& options);

// Returns the paths deleted.
Result<std::vector<std::string>> RemoveOrphanFiles(Table& table, int64_t older_than_ms);

struct SmallFileGroup {
  int32_t spec_id = 0;
  std::vector<columnar::Value> partition;
  std::vector<LiveFile> files;  // data files, smallest first
  int64_t total_bytes = 0;
};

// Partitions of the current snapshot holding at least `min_files` data files
// smaller than `small_file_bytes` each.
Result<std::vector<SmallFileGroup>> FindSmallFiles(const TableMetadata& metadata, int64_t small_file_bytes,
                                                   int min_files = 2);

}  // namespace kappa::table::iceberg
