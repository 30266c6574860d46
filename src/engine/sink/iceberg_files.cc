#include "engine/sink/iceberg_files.h"

#include <algorithm>
#include <charconv>

#include "base/file.h"
#include "engine/state/key_codec.h"
#include "table/iceberg/bounds.h"
#include "table/parquet/reader.h"

namespace kappa::engine {

namespace parquet = table::parquet;
using columnar::Value;

namespace {

constexpr int64_t kMillisPerDay = 86400000;
constexpr int64_t kMillisPerHour = 3600000;

int64_t FloorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

std::string EncodePartition(const std::vector<Value>& partition) {
  std::string key;
  for (const Value& v : partition) EncodeValue(v, &key);
  return key;
}

// A day or hour transform of a TIMESTAMP column: the common case, computed
// on the raw int64 values.
bool IsTimeBucket(const TableLayout& layout) {
  if (layout.spec.fields.size() != 1) return false;
  iceberg::Transform t = layout.spec.fields[0].transform;
  columnar::TypeId id = layout.columns.field(layout.partition_sources[0]).type.id();
  bool ts = id == columnar::TypeId::kTimestamp || id == columnar::TypeId::kTimestampLtz;
  return ts && (t == iceberg::Transform::kDay || t == iceberg::Transform::kHour);
}

Value BucketValue(iceberg::Transform t, int64_t bucket) {
  int32_t v = static_cast<int32_t>(bucket);
  return t == iceberg::Transform::kDay ? Value::Date(v) : Value::Int32(v);
}

}  // namespace

Result<std::shared_ptr<const TableLayout>> TableLayout::Make(const iceberg::TableMetadata& metadata,
                                                             const std::string& data_dir,
                                                             const std::string& compression) {
  auto layout = std::make_shared<TableLayout>();
  layout->data_dir = data_dir;
  layout->schema = metadata.current_schema();
  layout->spec = metadata.default_spec();
  layout->columns = layout->schema.ToColumnar();
  layout->field_ids = iceberg::PreOrderFieldIds(layout->schema);
  for (const iceberg::PartitionField& f : layout->spec.fields) {
    int index = -1;
    for (size_t i = 0; i < layout->schema.fields.size(); ++i) {
      if (layout->schema.fields[i].id == f.source_id) index = static_cast<int>(i);
    }
    if (index < 0) return Invalid("partition field {} has no top-level source column", f.name);
    layout->partition_sources.push_back(index);
  }
  if (compression == "snappy") {
    layout->writer.compression = parquet::Compression::kSnappy;
  } else if (compression.empty() || compression == "zstd") {
    layout->writer.compression = parquet::Compression::kZstd;
  } else if (compression == "none" || compression == "uncompressed") {
    layout->writer.compression = parquet::Compression::kNone;
  } else {
    return Invalid("unsupported 'write.parquet.compression-codec' '{}' (zstd, snappy, none)", compression);
  }
  layout->writer.key_value_metadata.push_back({"iceberg.schema", iceberg::SchemaToJson(layout->schema).dump()});
  layout->writer.created_by = "kappa iceberg sink";
  return std::shared_ptr<const TableLayout>(std::move(layout));
}

std::string EpochFilePrefix(int64_t epoch, std::string_view what) { return fmt::format("e{}-{}", epoch, what); }

std::optional<int64_t> EpochOfFileName(std::string_view path) {
  size_t slash = path.rfind('/');
  std::string_view name = slash == std::string_view::npos ? path : path.substr(slash + 1);
  if (name.size() < 3 || name[0] != 'e') return std::nullopt;
  int64_t epoch = 0;
  auto [p, ec] = std::from_chars(name.data() + 1, name.data() + name.size(), epoch);
  if (ec != std::errc() || p == name.data() + 1 || *p != '-') return std::nullopt;
  return epoch;
}

iceberg::DataFile MakeDataFile(const parquet::WriteResult& result, std::string path, std::vector<Value> partition,
                               iceberg::FileContent content) {
  iceberg::DataFile f;
  f.content = content;
  f.file_path = std::move(path);
  f.partition = std::move(partition);
  f.record_count = result.row_count;
  f.file_size_in_bytes = result.file_size;
  f.split_offsets = result.row_group_offsets;
  for (const parquet::ColumnStats& c : result.columns) {
    if (c.field_id < 0) continue;
    f.column_sizes[c.field_id] = c.compressed_size;
    f.value_counts[c.field_id] = c.value_count;
    if (c.null_count) f.null_value_counts[c.field_id] = *c.null_count;
    if (c.min && c.min->type().id() == columnar::TypeId::kDouble) f.nan_value_counts[c.field_id] = c.nan_count;
    if (!c.min || !c.max || c.min->is_null() || c.max->is_null()) continue;
    auto lo = iceberg::SerializeValue(*c.min);
    auto hi = iceberg::SerializeValue(*c.max);
    if (!lo.ok() || !hi.ok()) continue;
    f.lower_bounds[c.field_id] = std::move(*lo);
    f.upper_bounds[c.field_id] = std::move(*hi);
  }
  return f;
}

// ---- partition routing

Status PartitionRouter::Route(const columnar::Batch& batch, std::vector<uint32_t>* key_of_row,
                              std::vector<std::vector<Value>>* partitions) {
  key_of_row->assign(batch.active_rows(), 0);
  partitions->clear();
  if (layout_->spec.fields.empty()) {
    partitions->push_back({});
    return OkStatus();
  }
  if (IsTimeBucket(*layout_)) {
    iceberg::Transform t = layout_->spec.fields[0].transform;
    int64_t unit = t == iceberg::Transform::kDay ? kMillisPerDay : kMillisPerHour;
    const columnar::Column& col = *batch.columns[layout_->partition_sources[0]];
    const auto& values = col.values<int64_t>();
    std::vector<std::optional<int64_t>> seen;  // bucket of each partition index
    for (size_t i = 0; i < batch.active_rows(); ++i) {
      uint32_t r = batch.row(i);
      std::optional<int64_t> bucket;
      if (!col.IsNull(r)) bucket = FloorDiv(values[r], unit);
      size_t k = 0;
      while (k < seen.size() && seen[k] != bucket) ++k;
      if (k == seen.size()) {
        seen.push_back(bucket);
        partitions->push_back({bucket ? BucketValue(t, *bucket) : Value::Null(t == iceberg::Transform::kDay
                                                                                   ? columnar::DataType::Date()
                                                                                   : columnar::DataType::Int32())});
      }
      (*key_of_row)[i] = static_cast<uint32_t>(k);
    }
    return OkStatus();
  }
  std::map<std::string, uint32_t> index;
  for (size_t i = 0; i < batch.active_rows(); ++i) {
    uint32_t r = batch.row(i);
    std::vector<Value> partition;
    for (size_t f = 0; f < layout_->spec.fields.size(); ++f) {
      Value v = batch.columns[layout_->partition_sources[f]]->Get(r);
      ASSIGN_OR_RETURN(Value p, iceberg::ApplyTransform(layout_->spec.fields[f].transform, v));
      partition.push_back(std::move(p));
    }
    auto [it, added] = index.emplace(EncodePartition(partition), static_cast<uint32_t>(partitions->size()));
    if (added) partitions->push_back(std::move(partition));
    (*key_of_row)[i] = it->second;
  }
  return OkStatus();
}

// ---- data file sets

Result<DataFileSet::OpenFile*> DataFileSet::FileFor(const std::vector<Value>& partition) {
  std::string key = EncodePartition(partition);
  auto it = files_.find(key);
  if (it != files_.end()) return &it->second;
  OpenFile f;
  f.partition = partition;
  std::string dir = layout_->data_dir;
  if (!partition.empty()) dir += "/" + iceberg::PartitionPath(layout_->spec, partition);
  RETURN_IF_ERROR(CreateDirs(dir));
  f.path = fmt::format("{}/{}-{}.parquet", dir, prefix_, iceberg::NewUuid());
  ASSIGN_OR_RETURN(f.writer, parquet::ParquetWriter::Open(f.path, layout_->columns, layout_->field_ids,
                                                          layout_->writer));
  return &files_.emplace(std::move(key), std::move(f)).first->second;
}

Status DataFileSet::Write(const columnar::Batch& batch) {
  if (batch.active_rows() == 0) return OkStatus();
  RETURN_IF_ERROR(router_.Route(batch, &keys_, &partitions_));
  if (partitions_.size() == 1) return WriteTo(partitions_[0], batch).status();
  for (size_t p = 0; p < partitions_.size(); ++p) {
    columnar::Batch part = batch;
    std::vector<uint32_t> rows;
    for (size_t i = 0; i < keys_.size(); ++i) {
      if (keys_[i] == p) rows.push_back(batch.row(i));
    }
    part.selection = std::move(rows);
    RETURN_IF_ERROR(WriteTo(partitions_[p], part).status());
  }
  return OkStatus();
}

Result<int64_t> DataFileSet::WriteTo(const std::vector<Value>& partition, const columnar::Batch& batch) {
  ASSIGN_OR_RETURN(OpenFile * f, FileFor(partition));
  int64_t first = f->writer->rows_written();
  RETURN_IF_ERROR(f->writer->Write(batch));
  return first;
}

std::string DataFileSet::PathOf(const std::vector<Value>& partition) const {
  auto it = files_.find(EncodePartition(partition));
  return it == files_.end() ? std::string() : it->second.path;
}

Result<std::vector<iceberg::DataFile>> DataFileSet::Finish() {
  std::vector<iceberg::DataFile> out;
  for (auto& [key, f] : files_) {
    if (f.writer->rows_written() == 0) {
      f.writer->Abort();
      continue;
    }
    ASSIGN_OR_RETURN(parquet::WriteResult r, f.writer->Finish());
    out.push_back(MakeDataFile(r, f.path, f.partition, iceberg::FileContent::kData));
  }
  files_.clear();
  return out;
}

void DataFileSet::Abort() {
  for (auto& [key, f] : files_) f.writer->Abort();
  files_.clear();
}

int64_t DataFileSet::estimated_bytes() const {
  int64_t n = 0;
  for (const auto& [key, f] : files_) n += f.writer->estimated_size();
  return n;
}

// ---- position deletes

Result<iceberg::DataFile> WritePositionDeletes(const TableLayout& layout, std::vector<PositionDelete> deletes,
                                               const std::vector<Value>& partition, const std::string& prefix) {
  std::sort(deletes.begin(), deletes.end());
  columnar::Schema schema({{"file_path", columnar::DataType::String(), false},
                           {"pos", columnar::DataType::Int64(), false}});
  std::string dir = layout.data_dir;
  if (!partition.empty()) dir += "/" + iceberg::PartitionPath(layout.spec, partition);
  RETURN_IF_ERROR(CreateDirs(dir));
  std::string path = fmt::format("{}/{}-{}.parquet", dir, prefix, iceberg::NewUuid());
  parquet::WriterOptions options = layout.writer;
  options.key_value_metadata.clear();
  ASSIGN_OR_RETURN(auto writer, parquet::ParquetWriter::Open(path, schema, {iceberg::kDeleteFilePathId,
                                                                            iceberg::kDeletePosId},
                                                             options));
  for (size_t start = 0; start < deletes.size(); start += columnar::kBatchRows) {
    size_t end = std::min(deletes.size(), start + columnar::kBatchRows);
    auto paths = std::make_shared<columnar::Column>(columnar::DataType::String());
    auto pos = std::make_shared<columnar::Column>(columnar::DataType::Int64());
    for (size_t i = start; i < end; ++i) {
      paths->AppendString(deletes[i].path);
      pos->Append<int64_t>(deletes[i].pos);
    }
    columnar::Batch b;
    b.columns = {paths, pos};
    b.num_rows = end - start;
    RETURN_IF_ERROR(writer->Write(b));
  }
  ASSIGN_OR_RETURN(parquet::WriteResult r, writer->Finish());
  iceberg::DataFile f = MakeDataFile(r, path, partition, iceberg::FileContent::kPositionDeletes);
  if (!deletes.empty() && deletes.front().path == deletes.back().path) f.referenced_data_file = deletes.front().path;
  return f;
}

Result<std::map<std::string, std::vector<int64_t>>> ReadPositionDeletes(
    const std::vector<iceberg::DataFile>& delete_files) {
  std::map<std::string, std::vector<int64_t>> out;
  for (const iceberg::DataFile& d : delete_files) {
    if (d.content != iceberg::FileContent::kPositionDeletes) {
      return Unimplemented("{}: equality delete files are not supported", d.file_path);
    }
    ASSIGN_OR_RETURN(auto reader, parquet::ParquetReader::Open(d.file_path));
    int path_col = -1, pos_col = -1;
    for (size_t i = 0; i < reader->columns().size(); ++i) {
      int32_t id = reader->columns()[i].field_id;
      const std::string& name = reader->schema().field(i).name;
      if (id == iceberg::kDeleteFilePathId || (id < 0 && name == "file_path")) path_col = static_cast<int>(i);
      if (id == iceberg::kDeletePosId || (id < 0 && name == "pos")) pos_col = static_cast<int>(i);
    }
    if (path_col < 0 || pos_col < 0) return Corruption("{}: not a position delete file", d.file_path);
    std::vector<int> cols = {path_col, pos_col};
    ASSIGN_OR_RETURN(std::vector<columnar::Batch> batches, reader->ReadAll(cols));
    for (const columnar::Batch& b : batches) {
      const columnar::Column& paths = *b.columns[0];
      const columnar::Column& pos = *b.columns[1];
      if (pos.type().id() != columnar::TypeId::kInt64) return Corruption("{}: pos is not a long", d.file_path);
      std::vector<int64_t>* current = nullptr;
      std::string_view current_path;
      for (size_t i = 0; i < b.active_rows(); ++i) {
        uint32_t r = b.row(i);
        if (paths.IsNull(r) || pos.IsNull(r)) return Corruption("{}: NULL in a position delete", d.file_path);
        std::string_view p = paths.GetString(r);
        if (current == nullptr || p != current_path) {
          current = &out[std::string(p)];
          current_path = p;
        }
        current->push_back(pos.values<int64_t>()[r]);
      }
    }
  }
  for (auto& [path, positions] : out) {
    std::sort(positions.begin(), positions.end());
    positions.erase(std::unique(positions.begin(), positions.end()), positions.end());
  }
  return out;
}

}  // namespace kappa::engine
