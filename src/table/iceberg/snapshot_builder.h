// Builds one new snapshot on top of a table's metadata: writes the new
// manifests (added files; rewritten manifests where files are removed;
// merged manifests once too many accumulate) and the manifest list into
// `metadata_dir`, and returns the next TableMetadata, not yet published.
// Used by Table::Commit; a free function so it can be tested alone.
#pragma once

#include <string>
#include <vector>

#include "base/status.h"
#include "table/iceberg/metadata.h"
#include "table/iceberg/table.h"

namespace kappa::table::iceberg {

struct BuiltSnapshot {
  TableMetadata metadata;            // base + the snapshot, logs and refs
  Snapshot snapshot;
  std::vector<std::string> written;  // files to delete if publishing fails
};

Result<BuiltSnapshot> BuildSnapshot(const TableMetadata& base, const std::string& metadata_dir,
                                    const TableChange& change, int64_t now_ms);

// A random snapshot id in [1, 2^53) that `metadata` does not use yet.
int64_t NewSnapshotId(const TableMetadata& metadata);

}  // namespace kappa::table::iceberg
