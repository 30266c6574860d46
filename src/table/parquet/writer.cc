#include "table/parquet/writer.h"

#include <filesystem>

namespace kappa::table::parquet {

using columnar::Batch;
using columnar::Column;
using columnar::Field;
using columnar::TypeId;

namespace {

constexpr std::string_view kMagic = "PAR1";

Codec ToCodec(Compression c) {
  switch (c) {
    case Compression::kSnappy: return Codec::kSnappy;
    case Compression::kZstd: return Codec::kZstd;
    default: return Codec::kUncompressed;
  }
}

}  // namespace

Result<std::unique_ptr<ParquetWriter>> ParquetWriter::Open(std::string path, columnar::Schema schema,
                                                           std::vector<int32_t> field_ids, WriterOptions options) {
  ASSIGN_OR_RETURN(WriteSchema ws, ToParquetSchema(schema, field_ids));
  if (options.row_group_rows == 0 || options.page_bytes == 0) {
    return Invalid("parquet: row group rows and page bytes must be positive");
  }
  std::unique_ptr<ParquetWriter> w(
      new ParquetWriter(std::move(path), std::move(schema), std::move(options), std::move(ws)));
  ASSIGN_OR_RETURN(w->file_, File::Open(w->tmp_path_, File::Mode::kCreateReadWrite));
  RETURN_IF_ERROR(w->file_.Truncate(0));
  RETURN_IF_ERROR(w->file_.Append(kMagic));
  return w;
}

ParquetWriter::ParquetWriter(std::string path, columnar::Schema schema, WriterOptions options, WriteSchema ws)
    : path_(std::move(path)),
      tmp_path_(path_ + ".tmp"),
      schema_(std::move(schema)),
      options_(std::move(options)),
      write_schema_(std::move(ws)) {
  ChunkOptions chunk{ToCodec(options_.compression), options_.zstd_level, options_.page_bytes,
                     options_.dictionary, options_.dictionary_max_bytes};
  for (const LeafColumn& leaf : write_schema_.leaves) {
    columns_.push_back(std::make_unique<ColumnWriter>(leaf, chunk));
    ColumnStats s;
    s.path = leaf.path;
    s.field_id = leaf.field_id;
    s.null_count = 0;
    stats_.push_back(std::move(s));
  }
}

ParquetWriter::~ParquetWriter() { Abort(); }

void ParquetWriter::Abort() {
  if (done_) return;
  done_ = true;
  file_ = File();
  (void)RemoveFile(tmp_path_);
}

Status ParquetWriter::CheckBatch(const Batch& batch) const {
  if (done_) return Busy("parquet: writer for {} is finished", path_);
  if (!broken_.ok()) return broken_;
  if (batch.num_columns() != schema_.size()) {
    return Invalid("parquet: batch has {} columns, the file {}", batch.num_columns(), schema_.size());
  }
  for (size_t i = 0; i < schema_.size(); ++i) {
    const Column& c = *batch.columns[i];
    if (!(c.type() == schema_.field(i).type)) {
      return Invalid("parquet: column {} is {}, the file's is {}", schema_.field(i).name, c.type().ToString(),
                     schema_.field(i).type.ToString());
    }
    if (c.size() < batch.num_rows) return Invalid("parquet: column {} is short", schema_.field(i).name);
  }
  return OkStatus();
}

Status ParquetWriter::Write(const Batch& batch) {
  RETURN_IF_ERROR(CheckBatch(batch));
  size_t n = batch.active_rows();
  const uint32_t* sel = batch.selection ? batch.selection->data() : nullptr;
  size_t done = 0;
  while (done < n) {
    size_t take = std::min(n - done, options_.row_group_rows - group_rows_);
    Rows rows{sel ? sel + done : nullptr, static_cast<uint32_t>(sel ? 0 : done), take};
    Status st = WriteRows(batch, rows);
    if (!st.ok()) {
      broken_ = st;  // some columns took rows the others did not
      return st;
    }
    done += take;
    if (group_rows_ >= options_.row_group_rows || BufferedBytes() >= options_.row_group_bytes) {
      RETURN_IF_ERROR(FlushRowGroup());
    }
  }
  return OkStatus();
}

Status ParquetWriter::WriteRows(const Batch& batch, Rows rows) {
  size_t leaf = 0;
  for (size_t i = 0; i < schema_.size(); ++i) {
    RETURN_IF_ERROR(WriteField(*batch.columns[i], schema_.field(i), rows, nullptr, 0, &leaf));
  }
  group_rows_ += rows.n;
  rows_written_ += static_cast<int64_t>(rows.n);
  return OkStatus();
}

Status ParquetWriter::WriteField(const Column& col, const Field& field, Rows rows, const uint8_t* parent_defs,
                                 int parent_level, size_t* leaf) {
  if (field.type.id() != TypeId::kRow) {
    return columns_[(*leaf)++]->Append(col, rows, parent_defs, parent_level);
  }
  int level = parent_level + (field.nullable ? 1 : 0);
  std::vector<uint8_t> defs(rows.n);
  for (size_t i = 0; i < rows.n; ++i) {
    if (parent_defs && parent_defs[i] < parent_level) {
      defs[i] = parent_defs[i];
    } else if (col.IsNull(rows[i])) {
      if (!field.nullable) return Invalid("parquet: column {} is NOT NULL but a row holds NULL", field.name);
      defs[i] = static_cast<uint8_t>(parent_level);
    } else {
      defs[i] = static_cast<uint8_t>(level);
    }
  }
  const auto& children = col.children();
  for (size_t k = 0; k < children.size(); ++k) {
    RETURN_IF_ERROR(WriteField(*children[k], field.type.fields()[k], rows, defs.data(), level, leaf));
  }
  return OkStatus();
}

size_t ParquetWriter::BufferedBytes() const {
  size_t n = 0;
  for (const auto& c : columns_) n += c->buffered_bytes();
  return n;
}

int64_t ParquetWriter::estimated_size() const {
  return static_cast<int64_t>(file_.Size() + BufferedBytes());
}

Status ParquetWriter::FlushRowGroup() {
  if (group_rows_ == 0) return OkStatus();
  RowGroup g;
  g.num_rows = static_cast<int64_t>(group_rows_);
  g.file_offset = static_cast<int64_t>(file_.Size());
  g.ordinal = static_cast<int32_t>(row_groups_.size());
  int64_t compressed = 0;
  for (size_t i = 0; i < columns_.size(); ++i) {
    EncodedChunk chunk = columns_[i]->Flush();
    auto base = static_cast<int64_t>(file_.Size());
    RETURN_IF_ERROR(file_.Append(chunk.bytes));
    ColumnMetaData& m = chunk.meta;
    m.data_page_offset += base;
    if (m.dictionary_page_offset) *m.dictionary_page_offset += base;
    g.total_byte_size += m.total_uncompressed_size;
    compressed += m.total_compressed_size;
    ColumnChunk c;
    c.file_offset = base;
    c.meta_data = std::move(m);
    g.columns.push_back(std::move(c));
    MergeStats(&stats_[i], chunk.stats);
  }
  g.total_compressed_size = compressed;
  row_groups_.push_back(std::move(g));
  group_rows_ = 0;
  return OkStatus();
}

Result<WriteResult> ParquetWriter::Finish() {
  if (done_) return Busy("parquet: writer for {} is finished", path_);
  if (!broken_.ok()) {
    Abort();
    return broken_;
  }
  Status st = [&]() -> Status {
    RETURN_IF_ERROR(FlushRowGroup());
    FileMetaData m;
    m.version = 1;
    m.schema = write_schema_.elements;
    m.num_rows = rows_written_;
    m.row_groups = row_groups_;
    m.key_value_metadata = options_.key_value_metadata;
    m.created_by = options_.created_by;
    m.column_orders.assign(write_schema_.leaves.size(), true);
    std::string footer;
    EncodeFileMetaData(m, &footer);
    AppendLE<uint32_t>(&footer, static_cast<uint32_t>(footer.size()));
    footer.append(kMagic);
    RETURN_IF_ERROR(file_.Append(footer));
    return file_.Sync();
  }();
  if (!st.ok()) {
    Abort();
    return st;
  }
  WriteResult r;
  r.row_count = rows_written_;
  r.file_size = static_cast<int64_t>(file_.Size());
  for (const RowGroup& g : row_groups_) r.row_group_offsets.push_back(*g.file_offset);
  r.columns = stats_;
  file_ = File();
  Status moved = RenamePath(tmp_path_, path_);
  if (!moved.ok()) {
    Abort();
    return moved;
  }
  done_ = true;
  std::string dir = std::filesystem::path(path_).parent_path().string();
  RETURN_IF_ERROR(SyncDir(dir.empty() ? "." : dir));
  return r;
}

}  // namespace kappa::table::parquet
