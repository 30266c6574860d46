// Writing the files of a serving table (docs/format/checkpoint.md, "Iceberg
// sink files and summaries"): Parquet data files routed by partition, and
// position-delete files. A TableLayout is what every writer of one table
// shares (schema, spec, field ids, the iceberg.schema footer, writer
// options); it is immutable once built. A DataFileSet is one writer's open
// files: not thread-safe, owned by one task (or by the coordinator for
// compaction).
//
// File names: <data dir>/[<partition path>/]<prefix>-<uuid>.parquet, where
// the prefix starts "e<epoch>-" (the epoch the rows belong to), so recovery
// can tell which files an epoch left behind.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "columnar/batch.h"
#include "table/iceberg/manifest.h"
#include "table/iceberg/metadata.h"
#include "table/parquet/writer.h"

namespace kappa::engine {

namespace iceberg = table::iceberg;

struct TableLayout {
  std::string data_dir;
  iceberg::Schema schema;
  iceberg::PartitionSpec spec;
  columnar::Schema columns;          // schema.ToColumnar()
  std::vector<int32_t> field_ids;    // pre-order, as ParquetWriter wants
  std::vector<int> partition_sources;  // column index of each spec field
  table::parquet::WriterOptions writer;

  // From a table's current metadata; `compression` "zstd" (default) or "snappy".
  static Result<std::shared_ptr<const TableLayout>> Make(const iceberg::TableMetadata& metadata,
                                                         const std::string& data_dir,
                                                         const std::string& compression);
};

// "e<epoch>-t<task>" style prefixes and the epoch read back from a file name.
std::string EpochFilePrefix(int64_t epoch, std::string_view what);
// The epoch of a file the sink named (".../e12-t0-<uuid>.parquet[.tmp]"), or nullopt.
std::optional<int64_t> EpochOfFileName(std::string_view path);

// The DataFile (metrics keyed by field id, bounds serialised) of a finished
// Parquet file.
iceberg::DataFile MakeDataFile(const table::parquet::WriteResult& result, std::string path,
                               std::vector<columnar::Value> partition, iceberg::FileContent content);

// The partition values of active row i of a batch with the layout's columns.
class PartitionRouter {
 public:
  explicit PartitionRouter(const TableLayout* layout) : layout_(layout) {}
  // One key per active row (encoded partition values), and the values of
  // each distinct key.
  Status Route(const columnar::Batch& batch, std::vector<uint32_t>* key_of_row,
               std::vector<std::vector<columnar::Value>>* partitions);

 private:
  const TableLayout* layout_;
};

// Data files of one writer, one open file per partition.
class DataFileSet {
 public:
  // `layout` must outlive the set.
  DataFileSet(const TableLayout* layout, std::string prefix) : layout_(layout), prefix_(std::move(prefix)) {}
  ~DataFileSet() { Abort(); }

  // Writes the active rows, each into its partition's file.
  Status Write(const columnar::Batch& batch);
  // Writes the active rows into the file of `partition` (all rows belong
  // to it); returns the position of the first row in that file.
  Result<int64_t> WriteTo(const std::vector<columnar::Value>& partition, const columnar::Batch& batch);
  // The path of the open file of `partition` (after a WriteTo).
  std::string PathOf(const std::vector<columnar::Value>& partition) const;
  // Finishes every file; the set starts over empty.
  Result<std::vector<iceberg::DataFile>> Finish();
  void Abort();
  int64_t estimated_bytes() const;
  bool empty() const { return files_.empty(); }
  void set_prefix(std::string prefix) { prefix_ = std::move(prefix); }

 private:
  struct OpenFile {
    std::vector<columnar::Value> partition;
    std::string path;
    std::unique_ptr<table::parquet::ParquetWriter> writer;
  };
  Result<OpenFile*> FileFor(const std::vector<columnar::Value>& partition);

  const TableLayout* layout_;
  std::string prefix_;
  std::map<std::string, OpenFile> files_;  // by encoded partition
  PartitionRouter router_{layout_};
  std::vector<uint32_t> keys_;
  std::vector<std::vector<columnar::Value>> partitions_;
};

// One position delete: row `pos` of data file `path`.
struct PositionDelete {
  std::string path;
  int64_t pos = 0;
  friend auto operator<=>(const PositionDelete&, const PositionDelete&) = default;
};

// Writes `deletes` (sorted here) as one position-delete file in the
// partition `partition`, under the layout's data dir.
Result<iceberg::DataFile> WritePositionDeletes(const TableLayout& layout, std::vector<PositionDelete> deletes,
                                               const std::vector<columnar::Value>& partition,
                                               const std::string& prefix);

// The positions each position-delete file deletes, by data file path
// (sorted, unique). Reads each file once.
Result<std::map<std::string, std::vector<int64_t>>> ReadPositionDeletes(
    const std::vector<iceberg::DataFile>& delete_files);

}  // namespace kappa::engine
