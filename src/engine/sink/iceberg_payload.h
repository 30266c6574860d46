// The checkpoint payload of one Iceberg sink writer for one epoch: the data
// files it staged (finished Parquet files with their Iceberg metadata), and
// for an upsert table the primary key of every row of those files (in file
// order) plus the keys the epoch deleted. Position-delete files are not in
// the payload: the sink's coordinator writes them at Commit from its key
// index (iceberg_sink.h says why). A binary encoding (engine/state/
// state_io.h primitives), versioned by its first byte. Plain values.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "engine/sink/iceberg_files.h"

namespace kappa::engine {

struct SinkPayload {
  std::vector<iceberg::DataFile> files;
  // Upsert tables: row_keys[i][pos] is the key of row `pos` of files[i].
  std::vector<std::vector<std::string>> row_keys;
  std::vector<std::string> deleted_keys;

  bool empty() const { return files.empty() && deleted_keys.empty(); }
};

std::string EncodePayload(const SinkPayload& payload);
// Corruption when the bytes do not decode; partition values are typed by
// `layout`'s spec.
Result<SinkPayload> DecodePayload(std::string_view bytes, const TableLayout& layout);

}  // namespace kappa::engine
