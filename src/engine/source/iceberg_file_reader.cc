#include "engine/source/iceberg_file_reader.h"

#include <algorithm>

#include "table/iceberg/bounds.h"

namespace kappa::engine {

namespace iceberg = table::iceberg;
using columnar::Value;

namespace {

// The reader column holding table field `field`, or -1.
int FindColumn(const table::parquet::ParquetReader& reader, const iceberg::NestedField& field) {
  const auto& cols = reader.columns();
  for (size_t i = 0; i < cols.size(); ++i) {
    if (cols[i].field_id == field.id) return static_cast<int>(i);
  }
  for (size_t i = 0; i < cols.size(); ++i) {
    if (cols[i].field_id < 0 && reader.schema().field(i).name == field.name) return static_cast<int>(i);
  }
  return -1;
}

bool RangeMightMatch(iceberg::CompareOp op, const std::optional<Value>& lo, const std::optional<Value>& hi,
                     const Value& v) {
  using iceberg::CompareOp;
  switch (op) {
    case CompareOp::kEq: return !((lo && v < *lo) || (hi && *hi < v));
    case CompareOp::kLt: return !(lo && !(*lo < v));
    case CompareOp::kLtEq: return !(lo && v < *lo);
    case CompareOp::kGt: return !(hi && !(v < *hi));
    case CompareOp::kGtEq: return !(hi && *hi < v);
    default: return true;
  }
}

}  // namespace

Result<std::unique_ptr<DataFileReader>> DataFileReader::Open(const std::string& path,
                                                             const iceberg::Schema& schema,
                                                             std::vector<int> columns,
                                                             const std::vector<int64_t>* deleted,
                                                             const std::vector<bool>& read) {
  std::unique_ptr<DataFileReader> r(new DataFileReader());
  ASSIGN_OR_RETURN(r->reader_, table::parquet::ParquetReader::Open(path));
  for (size_t i = 0; i < columns.size(); ++i) {
    int c = columns[i];
    if (c < 0 || c >= static_cast<int>(schema.fields.size())) return Internal("scan column {} out of range", c);
    const iceberg::NestedField& field = schema.fields[c];
    int fc = i < read.size() && !read[i] ? -1 : FindColumn(*r->reader_, field);
    if (fc >= 0 && !(r->reader_->schema().field(fc).type == field.type)) {
      return Corruption("{}: column {} is {} in the file, {} in the table", path, field.name,
                        r->reader_->schema().field(fc).type.ToString(), field.type.ToString());
    }
    r->file_columns_.push_back(fc);
    r->types_.push_back(field.type);
    r->names_.push_back(field.name);
  }
  int64_t start = 0;
  for (size_t rg = 0; rg < r->reader_->num_row_groups(); ++rg) {
    r->starts_.push_back(start);
    start += r->reader_->row_group_rows(rg);
  }
  r->deleted_ = deleted;
  return r;
}

bool DataFileReader::RowGroupDeleted(size_t rg) const {
  if (deleted_ == nullptr) return false;
  int64_t lo = starts_[rg], hi = lo + reader_->row_group_rows(rg);
  auto a = std::lower_bound(deleted_->begin(), deleted_->end(), lo);
  auto b = std::lower_bound(deleted_->begin(), deleted_->end(), hi);
  return b - a == hi - lo;
}

Result<std::vector<columnar::Batch>> DataFileReader::ReadRowGroup(size_t rg) const {
  std::vector<int> read;
  for (int fc : file_columns_) {
    if (fc >= 0) read.push_back(fc);
  }
  ASSIGN_OR_RETURN(std::vector<columnar::Batch> raw, reader_->ReadRowGroup(rg, read));
  std::vector<columnar::Batch> out;
  int64_t pos = starts_[rg];
  auto del = deleted_ ? std::lower_bound(deleted_->begin(), deleted_->end(), pos) : std::vector<int64_t>::const_iterator();
  for (columnar::Batch& b : raw) {
    columnar::Batch o;
    o.num_rows = b.num_rows;
    size_t next = 0;
    for (size_t i = 0; i < file_columns_.size(); ++i) {
      if (file_columns_[i] >= 0) {
        o.columns.push_back(b.columns[next++]);
      } else {
        o.columns.push_back(columnar::Column::Constant(Value::Null(types_[i]), b.num_rows));
      }
    }
    int64_t end = pos + static_cast<int64_t>(b.num_rows);
    if (deleted_ != nullptr && del != deleted_->end() && *del < end) {
      std::vector<uint32_t> keep;
      keep.reserve(b.num_rows);
      for (int64_t p = pos; p < end; ++p) {
        if (del != deleted_->end() && *del == p) {
          ++del;
          continue;
        }
        keep.push_back(static_cast<uint32_t>(p - pos));
      }
      o.selection = std::move(keep);
    }
    pos = end;
    out.push_back(std::move(o));
  }
  return out;
}

bool DataFileReader::RowGroupMightMatch(size_t rg, const std::vector<iceberg::Predicate>& filter) const {
  if (filter.empty()) return true;
  std::vector<table::parquet::ColumnStats> stats = reader_->RowGroupStats(rg);
  for (const iceberg::Predicate& p : filter) {
    for (size_t l = 0; l < reader_->leaves().size(); ++l) {
      const auto& leaf = reader_->leaves()[l];
      if (leaf.path.size() != 1 || leaf.path[0] != p.column) continue;
      const table::parquet::ColumnStats& s = stats[l];
      if (p.op == iceberg::CompareOp::kIsNull) {
        if (s.null_count && *s.null_count == 0) return false;
        continue;
      }
      if (p.op == iceberg::CompareOp::kNotNull) {
        if (s.null_count && *s.null_count == s.value_count && s.value_count > 0) return false;
        continue;
      }
      if (p.value.is_null()) return false;  // a comparison with NULL is never true
      if (!s.min || !s.max || s.nan_count > 0) continue;
      auto v = iceberg::CoerceValue(s.min->type(), p.value);
      if (!v.ok()) continue;
      if (!RangeMightMatch(p.op, s.min, s.max, *v)) return false;
    }
  }
  return true;
}

}  // namespace kappa::engine
