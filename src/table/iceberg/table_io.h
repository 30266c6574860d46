// File access of the Iceberg layer, through the base/file.h seam: atomic
// whole-file writes (unique temp name in the same directory, fsync, rename,
// directory fsync), a write that never replaces an existing file (the commit
// point of optimistic concurrency), and readers of manifest lists and
// manifests that apply sequence-number inheritance. All functions are safe
// to call from any thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "table/iceberg/manifest.h"
#include "table/iceberg/metadata.h"

namespace kappa::table::iceberg {

// Replaces `path` with `contents` atomically: a reader sees the old file or
// the new one. Concurrent writers of the same path each use their own temp.
Status WriteFileAtomically(const std::string& path, std::string_view contents);
// Creates `path` with `contents`, durably; AlreadyExists (and no change) if
// the path exists, also when another writer creates it at the same moment.
Status WriteNewFile(const std::string& path, std::string_view contents);

Result<std::vector<ManifestFile>> ReadManifestList(const std::string& path);
// The entries of one manifest, with inherited snapshot ids and sequence
// numbers; DataLoss if the manifest names a spec the table does not have.
Result<std::vector<ManifestEntry>> ReadManifestEntries(const TableMetadata& metadata, const ManifestFile& manifest);

// A live (ADDED or EXISTING) file of a snapshot, with its spec.
struct LiveFile {
  ManifestEntry entry;
  int32_t spec_id = 0;
};
// Every live data and delete file of `snapshot`.
Result<std::vector<LiveFile>> ReadLiveFiles(const TableMetadata& metadata, const Snapshot& snapshot);

}  // namespace kappa::table::iceberg
