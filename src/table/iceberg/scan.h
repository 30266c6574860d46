// Scan planning over one snapshot of an Iceberg table: which data files are
// live, which delete files apply to each, and which files a filter lets us
// skip. Delete files apply by COMPAT.md's sequence-number rules:
//   position deletes (content 1) apply to data files of the same partition
//     whose data sequence number is <= theirs (and, when the delete file
//     names one data file, only to that file);
//   equality deletes (content 2) apply to data files of the same partition
//     with a strictly smaller data sequence number;
//   a delete file of an unpartitioned spec applies across partitions.
// Pruning is conservative: a file is skipped only when its partition values
// or column statistics prove no row can match every predicate.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "columnar/value.h"
#include "table/iceberg/manifest.h"
#include "table/iceberg/metadata.h"
#include "table/iceberg/table_io.h"

namespace kappa::table::iceberg {

enum class CompareOp { kEq, kNotEq, kLt, kLtEq, kGt, kGtEq, kIsNull, kNotNull };

// `column op value`; `value` is ignored for kIsNull / kNotNull. The column
// is a top-level name or a dotted path into a ROW.
struct Predicate {
  std::string column;
  CompareOp op = CompareOp::kEq;
  columnar::Value value;
};

struct FileScanTask {
  DataFile data_file;
  int32_t spec_id = 0;
  int64_t data_sequence_number = 0;
  std::vector<DataFile> deletes;  // delete files that apply to data_file
};

// Which snapshot to read: the current one unless snapshot_id (FOR VERSION
// AS OF) or as_of_timestamp_ms (FOR SYSTEM_TIME AS OF) is set.
struct ScanOptions {
  std::optional<int64_t> snapshot_id;
  std::optional<int64_t> as_of_timestamp_ms;
  std::vector<Predicate> filter;  // AND of all

  static ScanOptions AtSnapshot(int64_t id) {
    ScanOptions o;
    o.snapshot_id = id;
    return o;
  }
  static ScanOptions AsOf(int64_t timestamp_ms) {
    ScanOptions o;
    o.as_of_timestamp_ms = timestamp_ms;
    return o;
  }
  static ScanOptions Filtered(std::vector<Predicate> filter) {
    ScanOptions o;
    o.filter = std::move(filter);
    return o;
  }
};

struct ScanPlan {
  std::optional<Snapshot> snapshot;  // none: the table is empty
  std::vector<FileScanTask> tasks;
  int64_t skipped_files = 0;         // data files pruned by the filter
  int64_t skipped_manifests = 0;
};

// The snapshot `options` selects; nullptr for a table without snapshots;
// NotFound for an unknown id or a time before the first snapshot.
Result<const Snapshot*> SelectSnapshot(const TableMetadata& metadata, const ScanOptions& options);
Result<ScanPlan> PlanScan(const TableMetadata& metadata, const ScanOptions& options);

// The rules above, for one delete file and one data file.
bool DeleteApplies(const LiveFile& delete_file, const LiveFile& data_file, const TableMetadata& metadata);

// False only if no row of `file` can satisfy all of `filter`.
bool FileMightMatch(const Schema& schema, const PartitionSpec& spec, const DataFile& file,
                    const std::vector<Predicate>& filter);
// The same test on a manifest's partition summaries.
bool ManifestMightMatch(const Schema& schema, const PartitionSpec& spec, const ManifestFile& manifest,
                        const std::vector<Predicate>& filter);

}  // namespace kappa::table::iceberg
