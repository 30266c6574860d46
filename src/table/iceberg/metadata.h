// Iceberg v2 table metadata (the v<N>.metadata.json file) and its JSON form.
// Every field COMPAT.md requires is written: format-version 2, table-uuid,
// location, last-sequence-number, last-updated-ms, last-column-id, schemas,
// current-schema-id, partition-specs, default-spec-id, last-partition-id,
// sort-orders, default-sort-order-id; and properties, current-snapshot-id
// (-1 when none), snapshots, snapshot-log, metadata-log and refs (main ->
// the current snapshot). Plain values; a loaded TableMetadata is shared as
// std::shared_ptr<const TableMetadata>.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "table/iceberg/partition.h"
#include "table/iceberg/schema.h"

namespace kappa::table::iceberg {

// Snapshot summary keys. "operation" is one of append, replace, overwrite,
// delete; the kappa.* keys are the streaming sink's.
inline constexpr const char* kOperation = "operation";
inline constexpr const char* kKappaPipeline = "kappa.pipeline";
inline constexpr const char* kKappaVersion = "kappa.version";
inline constexpr const char* kKappaEpoch = "kappa.epoch";

struct Snapshot {
  int64_t snapshot_id = 0;
  std::optional<int64_t> parent_snapshot_id;
  int64_t sequence_number = 0;
  int64_t timestamp_ms = 0;
  std::string manifest_list;
  std::map<std::string, std::string> summary;  // includes "operation"
  int32_t schema_id = 0;

  std::string operation() const;
  friend bool operator==(const Snapshot&, const Snapshot&) = default;
};

struct SnapshotLogEntry {
  int64_t timestamp_ms = 0;
  int64_t snapshot_id = 0;
  friend bool operator==(const SnapshotLogEntry&, const SnapshotLogEntry&) = default;
};

struct MetadataLogEntry {
  int64_t timestamp_ms = 0;
  std::string metadata_file;
  friend bool operator==(const MetadataLogEntry&, const MetadataLogEntry&) = default;
};

struct SnapshotRef {
  int64_t snapshot_id = 0;
  std::string type = "branch";
  friend bool operator==(const SnapshotRef&, const SnapshotRef&) = default;
};

struct TableMetadata {
  int format_version = 2;
  std::string table_uuid;
  std::string location;
  int64_t last_sequence_number = 0;
  int64_t last_updated_ms = 0;
  int32_t last_column_id = 0;
  std::vector<Schema> schemas;
  int32_t current_schema_id = 0;
  std::vector<PartitionSpec> partition_specs;
  int32_t default_spec_id = 0;
  int32_t last_partition_id = kUnpartitionedLastId;
  std::vector<SortOrder> sort_orders;
  int32_t default_sort_order_id = 0;
  std::map<std::string, std::string> properties;
  std::optional<int64_t> current_snapshot_id;
  std::vector<Snapshot> snapshots;
  std::vector<SnapshotLogEntry> snapshot_log;
  std::vector<MetadataLogEntry> metadata_log;
  std::map<std::string, SnapshotRef> refs;

  // REQUIRES: the ids name existing entries (FromJson checks it).
  const Schema& current_schema() const;
  const PartitionSpec& default_spec() const;
  const Schema* SchemaById(int32_t id) const;
  const PartitionSpec* SpecById(int32_t id) const;
  const Snapshot* SnapshotById(int64_t id) const;
  const Snapshot* current_snapshot() const;
  // The snapshot that was current at `timestamp_ms` (by the snapshot log),
  // or nullptr if the table had none then.
  const Snapshot* SnapshotAsOf(int64_t timestamp_ms) const;
  // An integer property, or `fallback` when absent or not a number.
  int64_t IntProperty(std::string_view key, int64_t fallback) const;

  friend bool operator==(const TableMetadata&, const TableMetadata&) = default;
};

// Metadata of a new, empty table.
TableMetadata NewTableMetadata(std::string location, Schema schema, PartitionSpec spec, SortOrder order,
                               std::map<std::string, std::string> properties, int64_t now_ms);

Json MetadataToJson(const TableMetadata& metadata);
// Parses and checks a metadata file: required fields present, ids
// consistent. Invalid (with the field) otherwise.
Result<TableMetadata> MetadataFromJson(std::string_view text);

// A random version 4 UUID, "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx".
std::string NewUuid();

}  // namespace kappa::table::iceberg
