// ParquetReader reads a Parquet file into columnar Batches: the footer
// (schema, row groups, statistics, key-value metadata) at Open, then the
// column chunks of one row group at a time, only for the projected columns.
// Files from other writers are read too (DuckDB, Arrow, parquet-mr): see
// column_reader.h for the encodings and codecs and schema.h for the types;
// columns of a type Kappa lacks (LIST, MAP, TIME, ...) are left out of
// schema() and named by skipped_columns().
//
// Nothing in a file is trusted: every offset, length and count is checked,
// and a corrupt file gives Corruption naming what is wrong. After Open the
// reader is immutable: its const methods may run on several threads at once.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/file.h"
#include "base/status.h"
#include "columnar/batch.h"
#include "table/parquet/metadata.h"
#include "table/parquet/schema.h"
#include "table/parquet/statistics.h"

namespace kappa::table::parquet {

class ParquetReader {
 public:
  static Result<std::unique_ptr<ParquetReader>> Open(const std::string& path);
  // A file held in memory (tests, fuzzing).
  static Result<std::unique_ptr<ParquetReader>> FromBytes(std::string bytes);

  const FileMetaData& metadata() const { return meta_; }
  // The readable top-level columns, and their field ids and leaves.
  const columnar::Schema& schema() const { return schema_.schema; }
  const std::vector<TopColumn>& columns() const { return schema_.columns; }
  const std::vector<LeafColumn>& leaves() const { return schema_.leaves; }
  const std::vector<std::string>& skipped_columns() const { return schema_.skipped; }

  int64_t num_rows() const { return meta_.num_rows; }
  size_t num_row_groups() const { return meta_.row_groups.size(); }
  int64_t row_group_rows(size_t rg) const { return meta_.row_groups[rg].num_rows; }
  uint64_t file_size() const { return size_; }
  // The value of footer key `key` (e.g. "iceberg.schema"), if present.
  std::optional<std::string> KeyValue(std::string_view key) const;

  // Statistics of row group `rg`, one per readable leaf (parallel to
  // leaves()): enough to skip a row group whose bounds exclude a filter.
  // REQUIRES: rg < num_row_groups().
  std::vector<ColumnStats> RowGroupStats(size_t rg) const;

  // The rows of row group `rg` as Batches of at most kBatchRows rows, with
  // the columns `columns` (indices into schema(), in that order; empty = no
  // columns, only row counts).
  Result<std::vector<columnar::Batch>> ReadRowGroup(size_t rg, std::span<const int> columns) const;
  // Every row group.
  Result<std::vector<columnar::Batch>> ReadAll(std::span<const int> columns) const;
  // 0, 1, ... schema().size() - 1.
  std::vector<int> AllColumns() const;

 private:
  ParquetReader() = default;
  Status Init();
  Status CheckChunks() const;
  Result<std::string> ReadAt(uint64_t offset, uint64_t size) const;
  Result<columnar::ColumnPtr> ReadLeaf(size_t rg, const LeafColumn& leaf, std::vector<uint8_t>* defs) const;
  Result<columnar::ColumnPtr> ReadTop(size_t rg, const TopColumn& top) const;

  std::optional<File> file_;
  std::string bytes_;  // the whole file, for FromBytes
  uint64_t size_ = 0;
  uint64_t data_end_ = 0;  // where the footer starts
  FileMetaData meta_;
  ReadSchema schema_;
};

}  // namespace kappa::table::parquet
