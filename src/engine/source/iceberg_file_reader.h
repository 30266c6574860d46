// Reads the rows of one Iceberg data file (a Parquet file of a scan task):
// the table columns asked for, found by Iceberg field id (by name when a
// file has no ids), with the task's position deletes applied as a
// selection vector (no copy). A column the file lacks reads as NULLs.
// Row groups whose statistics exclude a predicate can be skipped by the
// caller (RowGroupMightMatch).
//
// Immutable after Open; the const methods may run on several threads.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "base/status.h"
#include "columnar/batch.h"
#include "table/iceberg/scan.h"
#include "table/parquet/reader.h"

namespace kappa::engine {

class DataFileReader {
 public:
  // `columns` index the schema's top-level fields; `deleted` (sorted
  // positions, may be null) must outlive the reader. `read` (parallel to
  // `columns`, empty = all) marks the columns to read; the others come back
  // as NULL constants.
  static Result<std::unique_ptr<DataFileReader>> Open(const std::string& path,
                                                      const table::iceberg::Schema& schema,
                                                      std::vector<int> columns,
                                                      const std::vector<int64_t>* deleted,
                                                      const std::vector<bool>& read = {});

  size_t num_row_groups() const { return reader_->num_row_groups(); }
  // Batches of row group `rg` with the projected columns, in order; deleted
  // rows are not selected.
  Result<std::vector<columnar::Batch>> ReadRowGroup(size_t rg) const;
  // False only when the row group's statistics prove no row satisfies
  // every predicate (columns by name, as in the scan's filter).
  bool RowGroupMightMatch(size_t rg, const std::vector<table::iceberg::Predicate>& filter) const;
  // Position of the first row of row group `rg` in the file.
  int64_t row_group_start(size_t rg) const { return starts_[rg]; }
  // True when every row of row group `rg` is deleted.
  bool RowGroupDeleted(size_t rg) const;

 private:
  DataFileReader() = default;

  std::unique_ptr<table::parquet::ParquetReader> reader_;
  std::vector<int> file_columns_;             // per projected column: reader column, or -1
  std::vector<columnar::DataType> types_;     // per projected column: the table's type
  std::vector<std::string> names_;            // per projected column
  std::vector<int64_t> starts_;               // first row of each row group
  const std::vector<int64_t>* deleted_ = nullptr;
};

}  // namespace kappa::engine
