// Compaction of a serving table (src/engine/README.md, "Exactly-once: sinks"):
// per partition of the current snapshot, when it holds at least
// `min_files` small data files or `min_delete_files` position-delete
// files, the small files and every data file the partition's delete files
// point into are rewritten as one new file holding their live rows (deletes
// applied), and the old data files and all of the partition's delete files
// are dropped in one "replace" snapshot. The snapshot keeps the current
// kappa.* summary keys, so the table's last epoch reads the same after it.
//
// Runs on the sink's coordinator thread between commits; readers keep
// reading the snapshots they hold. Not thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"
#include "engine/sink/iceberg_files.h"
#include "table/iceberg/table.h"

namespace kappa::engine {

struct CompactionOptions {
  int64_t small_file_bytes = int64_t{32} << 20;
  int min_files = 8;
  int min_delete_files = 4;
};

// Where the live rows of one rewritten data file went: its kept positions
// (ascending) are rows new_first_pos, new_first_pos + 1, ... of new_path.
struct MovedRows {
  std::string old_path;
  std::vector<int64_t> kept;
  std::string new_path;
  std::vector<columnar::Value> new_partition;
  int64_t new_first_pos = 0;
};

struct CompactionResult {
  int64_t rewritten_data_files = 0;
  int64_t removed_delete_files = 0;
  int64_t added_files = 0;
  std::vector<MovedRows> moves;  // empty unless `track_moves`
};

// `epoch` names the new files (e<epoch>-compact-...). `track_moves` for
// upsert tables, whose key index must follow the rows.
Result<CompactionResult> CompactTable(table::iceberg::Table& table, const TableLayout& layout,
                                      const CompactionOptions& options, int64_t epoch, bool track_moves);

}  // namespace kappa::engine
