// The key index of an upsert serving table: primary key (key_codec.h
// encoding of the PRIMARY KEY columns) -> where the key's live row is (a
// data file and a row position in it). The sink consults it at Commit to
// turn an epoch's updates and deletes into position deletes of the rows
// they replace, and rebuilds it on start (and after a failed commit) by
// scanning the key columns of the table's live rows.
//
// Memory: one entry per live key (the key bytes + 12 bytes) plus one entry
// per referenced data file. Not thread-safe: the sink's coordinator owns it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "base/status.h"
#include "columnar/value.h"
#include "table/iceberg/metadata.h"

namespace kappa::engine {

class UpsertIndex {
 public:
  struct Location {
    int32_t file = -1;  // index into files()
    int64_t pos = 0;
  };
  struct FileRef {
    std::string path;
    std::vector<columnar::Value> partition;
  };

  // The id of a data file (registered once).
  int32_t AddFile(const std::string& path, const std::vector<columnar::Value>& partition);
  const FileRef& file(int32_t id) const { return files_[static_cast<size_t>(id)]; }

  std::optional<Location> Find(std::string_view key) const;
  // Sets the key's location; returns the one it replaces, if any.
  std::optional<Location> Put(std::string_view key, Location location);
  std::optional<Location> Erase(std::string_view key);
  size_t size() const { return keys_.size(); }

  // Compaction moved the rows of `old_path` at positions *kept (ascending)
  // to rows first, first + 1, ... of file `new_file`.
  struct Move {
    std::string old_path;
    const std::vector<int64_t>* kept;
    int32_t new_file;
    int64_t first;
  };
  void Relocate(const std::vector<Move>& moves);
  void Clear();

  // Loads every live row's key of `metadata`'s current snapshot;
  // `key_columns` index the table schema's top-level fields.
  Status Rebuild(const table::iceberg::TableMetadata& metadata, const std::vector<int>& key_columns);

 private:
  absl::flat_hash_map<std::string, Location> keys_;
  std::vector<FileRef> files_;
  absl::flat_hash_map<std::string, int32_t> file_ids_;
};

}  // namespace kappa::engine
