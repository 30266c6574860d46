// ParquetWriter writes one Parquet file (docs/format/parquet.md) from
// columnar Batches: row groups of up to `row_group_rows` rows (or
// `row_group_bytes` of buffered values), column chunks of data pages v1,
// dictionary encoding with PLAIN fallback, SNAPPY/ZSTD/no compression,
// per-chunk statistics, the Iceberg field id on every schema element and the
// caller's key-value metadata (`iceberg.schema`) in the footer.
//
// The file is built at `path`.tmp and becomes `path` only in Finish, after
// an fsync, by rename (and the directory is fsynced): a reader never sees a
// partial file. A writer destroyed before Finish removes the temporary file.
// A row group is buffered in memory until it is flushed. Not thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "base/file.h"
#include "base/status.h"
#include "columnar/batch.h"
#include "table/parquet/column_writer.h"
#include "table/parquet/metadata.h"
#include "table/parquet/statistics.h"

namespace kappa::table::parquet {

enum class Compression { kNone, kSnappy, kZstd };

struct WriterOptions {
  Compression compression = Compression::kSnappy;
  int zstd_level = 3;
  size_t row_group_rows = 1 << 20;
  size_t row_group_bytes = 128 << 20;
  size_t page_bytes = 1 << 20;
  bool dictionary = true;
  size_t dictionary_max_bytes = 1 << 20;  // per column chunk, plain-encoded
  std::vector<KeyValue> key_value_metadata;  // e.g. {"iceberg.schema", json}
  std::string created_by = "kappa";
};

struct WriteResult {
  int64_t row_count = 0;
  int64_t file_size = 0;             // bytes of the finished file, exact
  std::vector<int64_t> row_group_offsets;  // file offset of each row group
  std::vector<ColumnStats> columns;  // one per leaf column, in schema order
};

class ParquetWriter {
 public:
  // `field_ids`: the Iceberg field id of every field in depth-first
  // pre-order (schema.h). Fails on a type Parquet cannot hold here or when
  // the temporary file cannot be created.
  static Result<std::unique_ptr<ParquetWriter>> Open(std::string path, columnar::Schema schema,
                                                     std::vector<int32_t> field_ids, WriterOptions options);
  ~ParquetWriter();
  ParquetWriter(const ParquetWriter&) = delete;
  ParquetWriter& operator=(const ParquetWriter&) = delete;

  // Appends the batch's active rows (its selection applied). The batch's
  // columns must match the schema's types. A batch refused as a whole (wrong
  // columns) leaves the writer usable; a value refused midway (a NULL in a
  // NOT NULL column, a decimal beyond its precision) breaks it: every later
  // call returns that error.
  Status Write(const columnar::Batch& batch);

  // Flushes the last row group, writes the footer, syncs and renames the
  // file into place.
  Result<WriteResult> Finish();

  // Drops the file (removes `path`.tmp). Idempotent.
  void Abort();

  int64_t rows_written() const { return rows_written_; }
  // Bytes in the file so far plus the buffered row group's estimate: what a
  // sink compares against its target file size.
  int64_t estimated_size() const;

 private:
  ParquetWriter(std::string path, columnar::Schema schema, WriterOptions options, WriteSchema ws);
  Status CheckBatch(const columnar::Batch& batch) const;
  Status WriteRows(const columnar::Batch& batch, Rows rows);
  Status WriteField(const columnar::Column& col, const columnar::Field& field, Rows rows,
                    const uint8_t* parent_defs, int parent_level, size_t* leaf);
  Status FlushRowGroup();
  size_t BufferedBytes() const;

  std::string path_;
  std::string tmp_path_;
  columnar::Schema schema_;
  WriterOptions options_;
  WriteSchema write_schema_;
  File file_;
  std::vector<std::unique_ptr<ColumnWriter>> columns_;
  std::vector<RowGroup> row_groups_;
  std::vector<ColumnStats> stats_;
  size_t group_rows_ = 0;
  int64_t rows_written_ = 0;
  bool done_ = false;
  Status broken_;
};

}  // namespace kappa::table::parquet
