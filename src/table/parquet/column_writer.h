// ColumnWriter buffers one leaf column's values for the current row group
// and encodes them as a column chunk: an optional dictionary page (PLAIN)
// then data pages v1 (definition levels RLE, values PLAIN or
// RLE_DICTIONARY), each page body compressed whole. Dictionary encoding is
// tried first and abandoned for PLAIN when the dictionary would pass
// `dictionary_max_bytes`. One writer per leaf; not thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"
#include "columnar/column.h"
#include "table/parquet/metadata.h"
#include "table/parquet/schema.h"
#include "table/parquet/statistics.h"

namespace kappa::table::parquet {

struct ChunkOptions {
  Codec codec = Codec::kSnappy;
  int zstd_level = 3;
  size_t page_bytes = 1 << 20;
  bool dictionary = true;
  size_t dictionary_max_bytes = 1 << 20;
};

// Rows of a column to append: sel[0..n) when sel is set, else base..base+n.
struct Rows {
  const uint32_t* sel = nullptr;
  uint32_t base = 0;
  size_t n = 0;
  uint32_t operator[](size_t i) const { return sel ? sel[i] : base + static_cast<uint32_t>(i); }
};

// One encoded column chunk, ready to be appended at its file offset.
struct EncodedChunk {
  std::string bytes;
  ColumnMetaData meta;  // offsets relative to the start of `bytes`
  ColumnStats stats;
};

class ColumnWriter {
 public:
  // "leaf" and "options" are copied.
  ColumnWriter(LeafColumn leaf, ChunkOptions options);

  // Appends `rows` of `col` (a column of the leaf's type). `parent_defs`,
  // when set, holds for each of the rows the definition level its ancestors
  // reached (below `parent_level` = an ancestor is NULL); a flat column
  // passes nullptr and 0. Invalid when a NOT NULL column holds a NULL or a
  // value does not fit its Parquet type.
  Status Append(const columnar::Column& col, Rows rows, const uint8_t* parent_defs, int parent_level);

  size_t rows() const { return rows_; }
  // Plain-encoded size of the buffered values: the row-group size estimate.
  size_t buffered_bytes() const;

  // Encodes the buffered rows as a chunk and clears the buffers.
  EncodedChunk Flush();

  const LeafColumn& leaf() const { return leaf_; }

 private:
  struct Page {
    size_t row_begin, row_end, value_begin, value_end;
  };

  Status AppendValues(const columnar::Column& col, const std::vector<uint32_t>& value_rows);
  std::vector<Page> CutPages() const;
  size_t ValueBytes(size_t v) const;
  size_t NumValues() const;
  bool BuildDictionary(std::vector<uint32_t>* ids, std::string* dict_plain, size_t* dict_count) const;
  void PlainValues(size_t begin, size_t end, std::string* out) const;
  void AppendPage(std::string_view body, const PageHeader& header, EncodedChunk* chunk);
  void WriteDataPage(const Page& page, const std::vector<uint32_t>* ids, int id_bits, EncodedChunk* chunk);
  void ComputeStats(EncodedChunk* chunk) const;
  void Clear();

  LeafColumn leaf_;
  ChunkOptions options_;
  size_t rows_ = 0;
  std::vector<uint8_t> defs_;  // per row, when max_def > 0
  // Values of present rows; only the vector of the leaf's physical type is used.
  std::vector<uint8_t> bools_;
  std::vector<int32_t> i32_;
  std::vector<int64_t> i64_;
  std::vector<double> f64_;
  std::vector<columnar::Int128> i128_;
  std::vector<uint32_t> str_offsets_{0};
  std::string str_bytes_;
};

}  // namespace kappa::table::parquet
