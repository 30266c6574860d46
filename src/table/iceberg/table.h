// An Iceberg v2 table on the local file system, laid out as
//   <location>/metadata/v<N>.metadata.json   table metadata, one per commit
//   <location>/metadata/version-hint.text     N, digits only
//   <location>/metadata/*.avro                manifest lists and manifests
//   <location>/data/...                       Parquet data and delete files
//
// A commit writes its manifests and manifest list (each temp + fsync +
// rename), then creates v<N+1>.metadata.json without ever replacing one: if
// another writer created it first the commit fails with FailedPrecondition
// ("commit conflict") and changes nothing visible; the caller may Refresh()
// and try again. The version hint is rewritten last; readers also look past
// it for newer versions, so a crash between the two loses nothing.
//
// Each snapshot-producing commit carries the caller's summary map (the
// streaming sink records kappa.pipeline, kappa.version, kappa.epoch and its
// source offsets there) plus Iceberg's added-/deleted-/total- counters.
//
// Thread safety: a Table may be shared by threads. metadata() hands out an
// immutable snapshot; commits through one Table are serialised; commits
// through different Table objects (or processes) race safely as above.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "table/iceberg/manifest.h"
#include "table/iceberg/metadata.h"

namespace kappa::table::iceberg {

using Summary = std::map<std::string, std::string>;

// One snapshot's worth of changes.
struct TableChange {
  std::string operation = "append";      // append, overwrite, replace, delete
  std::vector<DataFile> add_data;         // content kData
  std::vector<DataFile> add_deletes;      // content kPositionDeletes / kEqualityDeletes
  std::vector<std::string> remove_paths;  // live data or delete files to drop
  Summary summary;                        // caller's keys
};

// Table properties Kappa reads.
inline constexpr const char* kPropMergeMinCount = "commit.manifest.min-count-to-merge";  // default 100
inline constexpr const char* kPropPreviousVersionsMax = "write.metadata.previous-versions-max";  // default 100

class Table {
 public:
  // Creates an empty table at `location` (an absolute directory that must
  // not hold a table yet) and writes v1.metadata.json. AlreadyExists if it does.
  static Result<std::unique_ptr<Table>> Create(const std::string& location, const Schema& schema,
                                               const PartitionSpec& spec, const SortOrder& order = {},
                                               std::map<std::string, std::string> properties = {});
  // Loads the newest committed metadata. NotFound when there is no table.
  static Result<std::unique_ptr<Table>> Load(const std::string& location);

  // Re-reads the newest metadata (after a conflict, or to see other writers).
  Status Refresh();

  const std::string& location() const { return location_; }
  std::string metadata_dir() const { return location_ + "/metadata"; }
  std::string data_dir() const { return location_ + "/data"; }
  std::shared_ptr<const TableMetadata> metadata() const;
  // N of the metadata this object holds (v<N>.metadata.json).
  int64_t version() const;
  std::string MetadataFilePath(int64_t version) const;

  // A fresh path for a new data file: data/[<partition path>/]<uuid><suffix>.
  std::string NewDataFilePath(const std::vector<columnar::Value>& partition = {},
                              std::string_view suffix = ".parquet") const;

  // Snapshot-producing commits. Each returns the new snapshot.
  Result<Snapshot> Append(std::vector<DataFile> data_files, Summary summary);
  // Data files plus delete files (position or equality deletes): operation
  // "overwrite" when there are deletes, else "append".
  Result<Snapshot> RowDelta(std::vector<DataFile> data_files, std::vector<DataFile> delete_files, Summary summary);
  // Drops live files (data or deletes) and adds data files. FailedPrecondition
  // when a file to remove is no longer live (e.g. compacted concurrently).
  Result<Snapshot> Overwrite(std::vector<std::string> remove_paths, std::vector<DataFile> add_files,
                             Summary summary);
  // As Overwrite, for compaction: operation "replace" (same rows, new files).
  Result<Snapshot> Replace(std::vector<std::string> remove_paths, std::vector<DataFile> add_files, Summary summary);
  Result<Snapshot> Commit(TableChange change);

  // A metadata-only commit (no new snapshot), e.g. expiring snapshots or
  // changing properties: `edit` receives a copy of the current metadata.
  Status CommitMetadata(const std::function<Status(TableMetadata*)>& edit);

 private:
  Table(std::string location, std::shared_ptr<const TableMetadata> metadata, int64_t version);
  // Creates v<base_version+1>.metadata.json from `next` (built on `base`).
  Status Publish(TableMetadata next, const TableMetadata& base, int64_t base_version);

  const std::string location_;
  mutable std::mutex mu_;          // guards metadata_, version_
  std::mutex commit_mu_;           // one commit at a time through this object
  std::shared_ptr<const TableMetadata> metadata_;
  int64_t version_ = 0;
};

// The newest version N at `location` (version hint, then probing forward),
// or NotFound.
Result<int64_t> FindCurrentVersion(const std::string& location);

}  // namespace kappa::table::iceberg
