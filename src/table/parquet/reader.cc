#include "table/parquet/reader.h"

#include <cmath>
#include <numeric>

#include "table/parquet/column_reader.h"

namespace kappa::table::parquet {

using columnar::Batch;
using columnar::Column;
using columnar::ColumnPtr;
using columnar::Field;
using columnar::TypeId;

namespace {

constexpr std::string_view kMagic = "PAR1";
constexpr uint64_t kMaxFooterBytes = uint64_t{1} << 30;

// Where a chunk's bytes start: its dictionary page when it has one.
int64_t ChunkStart(const ColumnMetaData& m) {
  if (m.dictionary_page_offset && *m.dictionary_page_offset > 0 && *m.dictionary_page_offset < m.data_page_offset) {
    return *m.dictionary_page_offset;
  }
  return m.data_page_offset;
}

// True when the deprecated min/max (signed order) are valid for the leaf.
bool SignedOrder(const LeafColumn& leaf) {
  switch (leaf.physical) {
    case PhysicalType::kBoolean:
    case PhysicalType::kFloat:
    case PhysicalType::kDouble: return true;
    case PhysicalType::kInt32:
    case PhysicalType::kInt64: return leaf.conversion != Conversion::kUint32ToInt64;
    default: return false;
  }
}

bool IsNaN(const columnar::Value& v) {
  return v.type().id() == TypeId::kDouble && !v.is_null() && std::isnan(v.float64());
}

// Assembles a ROW column from its leaves' columns and definition levels.
class RowAssembler {
 public:
  RowAssembler(const std::vector<ColumnPtr>& leaves, const std::vector<std::vector<uint8_t>>& defs, size_t rows)
      : leaves_(leaves), defs_(defs), rows_(rows) {}

  ColumnPtr Build(const Field& field, int parent_level) {
    if (field.type.id() != TypeId::kRow) return leaves_[next_++];
    int level = parent_level + (field.nullable ? 1 : 0);
    const std::vector<uint8_t>& defs = defs_[next_];  // the first leaf below this node
    auto out = std::make_shared<Column>(field.type);
    for (size_t k = 0; k < field.type.fields().size(); ++k) {
      *out->mutable_child(k) = *Build(field.type.fields()[k], level);
    }
    out->SetSize(rows_);
    if (field.nullable) {
      auto& nulls = out->mutable_nulls();
      for (size_t i = 0; i < rows_; ++i) nulls[i] = defs[i] < level;
    }
    return out;
  }

 private:
  const std::vector<ColumnPtr>& leaves_;
  const std::vector<std::vector<uint8_t>>& defs_;
  size_t rows_;
  size_t next_ = 0;
};

}  // namespace

Result<std::unique_ptr<ParquetReader>> ParquetReader::Open(const std::string& path) {
  std::unique_ptr<ParquetReader> r(new ParquetReader());
  ASSIGN_OR_RETURN(File f, File::Open(path, File::Mode::kRead));
  r->file_ = std::move(f);
  r->size_ = r->file_->Size();
  Status st = r->Init();
  if (!st.ok()) return st.WithContext(path);
  return r;
}

Result<std::unique_ptr<ParquetReader>> ParquetReader::FromBytes(std::string bytes) {
  std::unique_ptr<ParquetReader> r(new ParquetReader());
  r->bytes_ = std::move(bytes);
  r->size_ = r->bytes_.size();
  RETURN_IF_ERROR(r->Init());
  return r;
}

Result<std::string> ParquetReader::ReadAt(uint64_t offset, uint64_t size) const {
  if (offset > size_ || size > size_ - offset) return Corruption("parquet: read of {} bytes at {} past the end", size, offset);
  if (!file_) return bytes_.substr(offset, size);
  std::string out(size, '\0');
  RETURN_IF_ERROR(file_->PreadExact(offset, out.data(), size));
  return out;
}

Status ParquetReader::Init() {
  if (size_ < 12) return Corruption("parquet: file of {} bytes is too small", size_);
  ASSIGN_OR_RETURN(std::string head, ReadAt(0, 4));
  ASSIGN_OR_RETURN(std::string tail, ReadAt(size_ - 8, 8));
  if (tail.substr(4) == "PARE") return Unimplemented("parquet: encrypted files are not supported");
  if (head != kMagic || tail.substr(4) != kMagic) return Corruption("parquet: not a Parquet file (no PAR1 magic)");
  uint32_t footer_size = LoadLE<uint32_t>(reinterpret_cast<const uint8_t*>(tail.data()));
  if (footer_size > size_ - 12 || footer_size > kMaxFooterBytes) {
    return Corruption("parquet: footer length {} exceeds the file", footer_size);
  }
  data_end_ = size_ - 8 - footer_size;
  ASSIGN_OR_RETURN(std::string footer, ReadAt(data_end_, footer_size));
  ASSIGN_OR_RETURN(meta_, DecodeFileMetaData(AsBytes(footer)));
  ASSIGN_OR_RETURN(schema_, FromParquetSchema(meta_.schema));
  return CheckChunks();
}

Status ParquetReader::CheckChunks() const {
  if (meta_.num_rows < 0) return Corruption("parquet: negative row count");
  int64_t rows = 0;
  for (size_t g = 0; g < meta_.row_groups.size(); ++g) {
    const RowGroup& rg = meta_.row_groups[g];
    if (rg.num_rows < 0 || rg.num_rows > (int64_t{1} << 31)) return Corruption("parquet: row group {} has {} rows", g, rg.num_rows);
    rows += rg.num_rows;
    if (rg.columns.size() != schema_.num_chunks) {
      return Corruption("parquet: row group {} has {} column chunks, the schema {} columns", g, rg.columns.size(),
                        schema_.num_chunks);
    }
    for (const ColumnChunk& c : rg.columns) {
      if (c.file_path) return Unimplemented("parquet: column chunks in other files are not supported");
      if (!c.meta_data) return Corruption("parquet: row group {} has a column chunk without metadata", g);
      const ColumnMetaData& m = *c.meta_data;
      int64_t start = ChunkStart(m);
      if (start < 4 || m.total_compressed_size < 0 || static_cast<uint64_t>(start) > data_end_ ||
          static_cast<uint64_t>(m.total_compressed_size) > data_end_ - static_cast<uint64_t>(start)) {
        return Corruption("parquet: row group {} has a column chunk outside the file's data", g);
      }
    }
  }
  if (rows != meta_.num_rows) return Corruption("parquet: row groups hold {} rows, the footer says {}", rows, meta_.num_rows);
  return OkStatus();
}

std::optional<std::string> ParquetReader::KeyValue(std::string_view key) const {
  for (const auto& kv : meta_.key_value_metadata) {
    if (kv.key == key) return kv.value.value_or("");
  }
  return std::nullopt;
}

std::vector<ColumnStats> ParquetReader::RowGroupStats(size_t rg) const {
  std::vector<ColumnStats> out;
  const RowGroup& g = meta_.row_groups[rg];
  for (const LeafColumn& leaf : schema_.leaves) {
    const ColumnMetaData& m = *g.columns[leaf.chunk_index].meta_data;
    ColumnStats s;
    s.path = leaf.path;
    s.field_id = leaf.field_id;
    s.value_count = m.num_values;
    s.compressed_size = m.total_compressed_size;
    s.uncompressed_size = m.total_uncompressed_size;
    if (m.statistics) {
      const Statistics& st = *m.statistics;
      s.null_count = st.null_count;
      bool type_order = leaf.chunk_index >= meta_.column_orders.size() || meta_.column_orders[leaf.chunk_index];
      bool has_new = st.min_value && st.max_value && type_order;
      if (has_new) {
        s.min = DecodeStatValue(leaf, *st.min_value);
        s.max = DecodeStatValue(leaf, *st.max_value);
      } else if (st.min && st.max && SignedOrder(leaf)) {
        s.min = DecodeStatValue(leaf, *st.min);
        s.max = DecodeStatValue(leaf, *st.max);
      }
      if (!s.min || !s.max || IsNaN(*s.min) || IsNaN(*s.max)) {
        s.min.reset();
        s.max.reset();
      }
    }
    out.push_back(std::move(s));
  }
  return out;
}

Result<ColumnPtr> ParquetReader::ReadLeaf(size_t rg, const LeafColumn& leaf, std::vector<uint8_t>* defs) const {
  const RowGroup& g = meta_.row_groups[rg];
  const ColumnMetaData& m = *g.columns[leaf.chunk_index].meta_data;
  if (m.num_values != g.num_rows) {
    return Corruption("parquet: column chunk has {} values in a row group of {} rows", m.num_values, g.num_rows);
  }
  ASSIGN_OR_RETURN(std::string bytes, ReadAt(static_cast<uint64_t>(ChunkStart(m)),
                                             static_cast<uint64_t>(m.total_compressed_size)));
  return ReadColumnChunk(leaf, m, AsBytes(bytes), g.num_rows, defs);
}

Result<ColumnPtr> ParquetReader::ReadTop(size_t rg, const TopColumn& top) const {
  if (top.field.type.id() != TypeId::kRow) return ReadLeaf(rg, schema_.leaves[top.first_leaf], nullptr);
  std::vector<ColumnPtr> leaves;
  std::vector<std::vector<uint8_t>> defs(top.num_leaves);
  for (size_t i = 0; i < top.num_leaves; ++i) {
    ASSIGN_OR_RETURN(ColumnPtr c, ReadLeaf(rg, schema_.leaves[top.first_leaf + i], &defs[i]));
    leaves.push_back(std::move(c));
  }
  RowAssembler assembler(leaves, defs, static_cast<size_t>(row_group_rows(rg)));
  return assembler.Build(top.field, 0);
}

Result<std::vector<Batch>> ParquetReader::ReadRowGroup(size_t rg, std::span<const int> columns) const {
  if (rg >= meta_.row_groups.size()) return OutOfRange("parquet: no row group {}", rg);
  std::vector<ColumnPtr> cols;
  for (int c : columns) {
    if (c < 0 || static_cast<size_t>(c) >= schema_.columns.size()) return OutOfRange("parquet: no column {}", c);
    ASSIGN_OR_RETURN(ColumnPtr col, ReadTop(rg, schema_.columns[c]));
    cols.push_back(std::move(col));
  }
  auto rows = static_cast<size_t>(row_group_rows(rg));
  std::vector<Batch> out;
  if (rows <= columnar::kBatchRows) {
    if (rows > 0) out.push_back(Batch{std::move(cols), rows, std::nullopt, {}});
    return out;
  }
  std::vector<uint32_t> idx;
  for (size_t start = 0; start < rows; start += columnar::kBatchRows) {
    size_t n = std::min(columnar::kBatchRows, rows - start);
    idx.resize(n);
    std::iota(idx.begin(), idx.end(), static_cast<uint32_t>(start));
    Batch b;
    b.num_rows = n;
    for (const ColumnPtr& c : cols) b.columns.push_back(c->Take(idx));
    out.push_back(std::move(b));
  }
  return out;
}

Result<std::vector<Batch>> ParquetReader::ReadAll(std::span<const int> columns) const {
  std::vector<Batch> out;
  for (size_t rg = 0; rg < num_row_groups(); ++rg) {
    ASSIGN_OR_RETURN(std::vector<Batch> part, ReadRowGroup(rg, columns));
    for (Batch& b : part) out.push_back(std::move(b));
  }
  return out;
}

std::vector<int> ParquetReader::AllColumns() const {
  std::vector<int> out(schema_.columns.size());
  std::iota(out.begin(), out.end(), 0);
  return out;
}

}  // namespace kappa::table::parquet
