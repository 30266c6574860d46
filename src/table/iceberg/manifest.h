// Iceberg v2 data files, manifest entries, manifests and manifest lists, and
// their Avro encodings with the spec's field ids and names:
//   manifest list: manifest_file records (ids 500-519), partitions as
//                  array<r508> field summaries;
//   manifest:      manifest_entry (ids 0-4) holding data_file r2 (ids
//                  100-143), its partition as record r102 with one optional
//                  field per partition field (id = partition field id); int
//                  keyed maps as arrays of k<key-id>_v<value-id> records.
// Manifests carry the file metadata schema, schema-id, partition-spec,
// partition-spec-id, format-version "2" and content "data"/"deletes".
// Entries ADDED by a manifest's own snapshot are written with null
// snapshot_id and sequence numbers; readers inherit them from the manifest
// list entry. All types here are plain values.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "columnar/value.h"
#include "table/avro/schema.h"
#include "table/iceberg/partition.h"
#include "table/iceberg/schema.h"

namespace kappa::table::iceberg {

enum class FileContent : int32_t { kData = 0, kPositionDeletes = 1, kEqualityDeletes = 2 };

// Reserved field ids of position delete files' columns.
inline constexpr int32_t kDeleteFilePathId = 2147483546;
inline constexpr int32_t kDeletePosId = 2147483545;

struct DataFile {
  FileContent content = FileContent::kData;
  std::string file_path;                   // absolute
  std::string file_format = "PARQUET";
  std::vector<columnar::Value> partition;  // one per field of the spec
  int64_t record_count = 0;
  int64_t file_size_in_bytes = 0;          // exact
  std::map<int32_t, int64_t> column_sizes;
  std::map<int32_t, int64_t> value_counts;
  std::map<int32_t, int64_t> null_value_counts;
  std::map<int32_t, int64_t> nan_value_counts;
  std::map<int32_t, std::string> lower_bounds;  // single-value serialised (bounds.h)
  std::map<int32_t, std::string> upper_bounds;
  std::vector<int64_t> split_offsets;
  std::vector<int32_t> equality_ids;             // equality deletes only
  std::optional<int32_t> sort_order_id;
  std::optional<std::string> referenced_data_file;  // position deletes of one data file

  friend bool operator==(const DataFile&, const DataFile&) = default;
};

enum class EntryStatus : int32_t { kExisting = 0, kAdded = 1, kDeleted = 2 };

struct ManifestEntry {
  EntryStatus status = EntryStatus::kAdded;
  std::optional<int64_t> snapshot_id;
  std::optional<int64_t> sequence_number;       // data sequence number
  std::optional<int64_t> file_sequence_number;
  DataFile data_file;

  friend bool operator==(const ManifestEntry&, const ManifestEntry&) = default;
};

enum class ManifestContent : int32_t { kData = 0, kDeletes = 1 };

struct FieldSummary {
  bool contains_null = false;
  std::optional<bool> contains_nan;
  std::optional<std::string> lower_bound;
  std::optional<std::string> upper_bound;

  friend bool operator==(const FieldSummary&, const FieldSummary&) = default;
};

// One entry of a manifest list.
struct ManifestFile {
  std::string manifest_path;
  int64_t manifest_length = 0;
  int32_t partition_spec_id = 0;
  ManifestContent content = ManifestContent::kData;
  int64_t sequence_number = 0;
  int64_t min_sequence_number = 0;
  int64_t added_snapshot_id = 0;
  int32_t added_files_count = 0;
  int32_t existing_files_count = 0;
  int32_t deleted_files_count = 0;
  int64_t added_rows_count = 0;
  int64_t existing_rows_count = 0;
  int64_t deleted_rows_count = 0;
  std::vector<FieldSummary> partitions;  // one per partition field

  friend bool operator==(const ManifestFile&, const ManifestFile&) = default;
};

// The Avro schemas, exposed for tests and tools.
avro::NodePtr ManifestEntrySchema(const Schema& schema, const PartitionSpec& spec);
avro::NodePtr ManifestFileSchema();

// What a manifest is written for.
struct ManifestContext {
  const Schema* schema;
  const PartitionSpec* spec;
  ManifestContent content = ManifestContent::kData;
  int64_t snapshot_id = 0;      // the committing snapshot: added_snapshot_id
  int64_t sequence_number = 0;  // its sequence number: inherited by ADDED entries
};

// Encodes a manifest and returns its bytes together with its manifest list
// entry (manifest_path and manifest_length filled from `path` and the bytes).
struct EncodedManifest {
  std::string bytes;
  ManifestFile file;
};
Result<EncodedManifest> EncodeManifest(const std::string& path, const ManifestContext& ctx,
                                       const std::vector<ManifestEntry>& entries);
// Decodes a manifest; entries come back with inherited snapshot ids and
// sequence numbers filled from `file`.
Result<std::vector<ManifestEntry>> DecodeManifest(std::string_view bytes, const ManifestFile& file,
                                                  const Schema& schema, const PartitionSpec& spec);

struct ManifestListContext {
  int64_t snapshot_id = 0;
  std::optional<int64_t> parent_snapshot_id;
  int64_t sequence_number = 0;
};
Result<std::string> EncodeManifestList(const ManifestListContext& ctx, const std::vector<ManifestFile>& manifests);
Result<std::vector<ManifestFile>> DecodeManifestList(std::string_view bytes);

}  // namespace kappa::table::iceberg
