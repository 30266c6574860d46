#include "table/iceberg/scan.h"

#include "table/iceberg/bounds.h"

namespace kappa::table::iceberg {
namespace {

using columnar::Value;

// What is known about one column (or partition field) in a file.
struct Range {
  std::optional<Value> lower;
  std::optional<Value> upper;
  std::optional<bool> has_nulls;
  std::optional<bool> all_null;
};

bool RangeMightMatch(CompareOp op, const Range& r, const Value& v) {
  switch (op) {
    case CompareOp::kIsNull: return r.has_nulls.value_or(true);
    case CompareOp::kNotNull: return !r.all_null.value_or(false);
    default: break;
  }
  if (r.all_null.value_or(false)) return false;  // a comparison with NULL is never true
  const auto& lo = r.lower;
  const auto& hi = r.upper;
  switch (op) {
    case CompareOp::kEq: return !((lo && v < *lo) || (hi && *hi < v));
    case CompareOp::kNotEq: return !(lo && hi && *lo == v && *hi == v);
    case CompareOp::kLt: return !(lo && !(*lo < v));
    case CompareOp::kLtEq: return !(lo && v < *lo);
    case CompareOp::kGt: return !(hi && !(v < *hi));
    case CompareOp::kGtEq: return !(hi && *hi < v);
    default: return true;
  }
}

std::optional<Value> Bound(const std::map<int32_t, std::string>& bounds, int32_t id, const columnar::DataType& type) {
  auto it = bounds.find(id);
  if (it == bounds.end()) return std::nullopt;
  auto v = DeserializeValue(type, it->second);
  if (!v.ok()) return std::nullopt;
  return *v;
}

std::optional<int64_t> Count(const std::map<int32_t, int64_t>& counts, int32_t id) {
  auto it = counts.find(id);
  if (it == counts.end()) return std::nullopt;
  return it->second;
}

Range ColumnRange(const NestedField& field, const DataFile& file) {
  Range r;
  auto nulls = Count(file.null_value_counts, field.id);
  auto values = Count(file.value_counts, field.id);
  if (nulls) r.has_nulls = *nulls > 0;
  if (nulls && values) r.all_null = *nulls == *values;
  auto nans = Count(file.nan_value_counts, field.id);
  if (field.type.id() == columnar::TypeId::kDouble && nans.value_or(1) > 0) return r;  // NaN breaks order
  r.lower = Bound(file.lower_bounds, field.id, field.type);
  r.upper = Bound(file.upper_bounds, field.id, field.type);
  return r;
}

bool ColumnMightMatch(const Schema& schema, const DataFile& file, const Predicate& p) {
  const NestedField* field = schema.FindByName(p.column);
  if (field == nullptr) return true;
  Value v;
  if (p.op != CompareOp::kIsNull && p.op != CompareOp::kNotNull) {
    auto coerced = CoerceValue(field->type, p.value);
    if (!coerced.ok() || coerced->is_null()) return !coerced.ok();  // "x = NULL" matches nothing
    v = std::move(*coerced);
  }
  return RangeMightMatch(p.op, ColumnRange(*field, file), v);
}

// The neighbouring value of a DATE or TIMESTAMP, `by` units away.
Value Step(const Value& v, int by) {
  if (v.type().id() == columnar::TypeId::kDate) return Value::Date(v.int32() + by);
  return Value(v.type(), v.int64() + by);
}

// The predicate on a partition field derived from one on its source column,
// or nullopt when the transform allows no conclusion.
std::optional<std::pair<CompareOp, Value>> Project(const PartitionField& pf, const NestedField& source,
                                                  const Predicate& p) {
  if (p.op == CompareOp::kIsNull || p.op == CompareOp::kNotNull) return std::make_pair(p.op, Value());
  auto coerced = CoerceValue(source.type, p.value);
  if (!coerced.ok() || coerced->is_null()) return std::nullopt;
  if (pf.transform != Transform::kIdentity && (p.op == CompareOp::kLt || p.op == CompareOp::kGt)) {
    coerced = Step(*coerced, p.op == CompareOp::kLt ? -1 : 1);  // x < v is x <= v - 1
  }
  auto transformed = ApplyTransform(pf.transform, *coerced);
  if (!transformed.ok()) return std::nullopt;
  if (pf.transform == Transform::kIdentity) return std::make_pair(p.op, *transformed);
  switch (p.op) {
    case CompareOp::kEq: return std::make_pair(CompareOp::kEq, *transformed);
    case CompareOp::kLt:
    case CompareOp::kLtEq: return std::make_pair(CompareOp::kLtEq, *transformed);
    case CompareOp::kGt:
    case CompareOp::kGtEq: return std::make_pair(CompareOp::kGtEq, *transformed);
    default: return std::nullopt;
  }
}

// Calls check(field index, projected op, value) for every partition field
// the predicate constrains; false as soon as one check fails.
template <typename Check>
bool PartitionsMightMatch(const Schema& schema, const PartitionSpec& spec, const std::vector<Predicate>& filter,
                          Check check) {
  for (const Predicate& p : filter) {
    const NestedField* source = schema.FindByName(p.column);
    if (source == nullptr) continue;
    for (size_t i = 0; i < spec.fields.size(); ++i) {
      if (spec.fields[i].source_id != source->id) continue;
      auto projected = Project(spec.fields[i], *source, p);
      if (projected && !check(i, projected->first, projected->second)) return false;
    }
  }
  return true;
}

bool SamePartition(const LiveFile& a, const LiveFile& b) {
  return a.spec_id == b.spec_id && a.entry.data_file.partition == b.entry.data_file.partition;
}

bool NamesOtherFile(const DataFile& del, const std::string& data_path) {
  if (del.referenced_data_file) return *del.referenced_data_file != data_path;
  auto lo = del.lower_bounds.find(kDeleteFilePathId);
  auto hi = del.upper_bounds.find(kDeleteFilePathId);
  if (lo == del.lower_bounds.end() || hi == del.upper_bounds.end()) return false;
  return data_path < lo->second || hi->second < data_path;
}

}  // namespace

bool DeleteApplies(const LiveFile& del, const LiveFile& data, const TableMetadata& metadata) {
  const PartitionSpec* spec = metadata.SpecById(del.spec_id);
  bool global = spec != nullptr && spec->unpartitioned();
  if (!global && !SamePartition(del, data)) return false;
  int64_t delete_seq = del.entry.sequence_number.value_or(0);
  int64_t data_seq = data.entry.sequence_number.value_or(0);
  switch (del.entry.data_file.content) {
    case FileContent::kPositionDeletes:
      return data_seq <= delete_seq && !NamesOtherFile(del.entry.data_file, data.entry.data_file.file_path);
    case FileContent::kEqualityDeletes: return data_seq < delete_seq;
    case FileContent::kData: return false;
  }
  return false;
}

bool FileMightMatch(const Schema& schema, const PartitionSpec& spec, const DataFile& file,
                    const std::vector<Predicate>& filter) {
  for (const Predicate& p : filter) {
    if (!ColumnMightMatch(schema, file, p)) return false;
  }
  return PartitionsMightMatch(schema, spec, filter, [&](size_t i, CompareOp op, const Value& v) {
    if (i >= file.partition.size()) return true;
    const Value& part = file.partition[i];
    Range r;
    r.has_nulls = part.is_null();
    r.all_null = part.is_null();
    if (!part.is_null()) r.lower = r.upper = part;
    return RangeMightMatch(op, r, v);
  });
}

bool ManifestMightMatch(const Schema& schema, const PartitionSpec& spec, const ManifestFile& manifest,
                        const std::vector<Predicate>& filter) {
  return PartitionsMightMatch(schema, spec, filter, [&](size_t i, CompareOp op, const Value& v) {
    if (i >= manifest.partitions.size()) return true;
    const FieldSummary& s = manifest.partitions[i];
    auto type = PartitionFieldType(schema, spec.fields[i]);
    if (!type.ok()) return true;
    Range r;
    r.has_nulls = s.contains_null;
    if (s.lower_bound) {
      if (auto lo = DeserializeValue(*type, *s.lower_bound); lo.ok()) r.lower = *lo;
    }
    if (s.upper_bound) {
      if (auto hi = DeserializeValue(*type, *s.upper_bound); hi.ok()) r.upper = *hi;
    }
    r.all_null = s.contains_null && !s.lower_bound;
    return RangeMightMatch(op, r, v);
  });
}

Result<const Snapshot*> SelectSnapshot(const TableMetadata& metadata, const ScanOptions& options) {
  if (options.snapshot_id) {
    const Snapshot* s = metadata.SnapshotById(*options.snapshot_id);
    if (s == nullptr) return NotFound("table has no snapshot {}", *options.snapshot_id);
    return s;
  }
  if (options.as_of_timestamp_ms) {
    const Snapshot* s = metadata.SnapshotAsOf(*options.as_of_timestamp_ms);
    if (s == nullptr) return NotFound("table has no snapshot as of {} ms", *options.as_of_timestamp_ms);
    return s;
  }
  return metadata.current_snapshot();
}

Result<ScanPlan> PlanScan(const TableMetadata& metadata, const ScanOptions& options) {
  ASSIGN_OR_RETURN(const Snapshot* snapshot, SelectSnapshot(metadata, options));
  ScanPlan plan;
  if (snapshot == nullptr) return plan;
  plan.snapshot = *snapshot;
  const Schema& schema = metadata.current_schema();
  ASSIGN_OR_RETURN(std::vector<ManifestFile> manifests, ReadManifestList(snapshot->manifest_list));
  std::vector<LiveFile> data, deletes;
  for (const ManifestFile& m : manifests) {
    const PartitionSpec* spec = metadata.SpecById(m.partition_spec_id);
    if (spec != nullptr && m.content == ManifestContent::kData && !ManifestMightMatch(schema, *spec, m, options.filter)) {
      ++plan.skipped_manifests;
      continue;
    }
    ASSIGN_OR_RETURN(std::vector<ManifestEntry> entries, ReadManifestEntries(metadata, m));
    for (ManifestEntry& e : entries) {
      if (e.status == EntryStatus::kDeleted) continue;
      bool is_data = e.data_file.content == FileContent::kData;
      if (is_data && spec != nullptr && !FileMightMatch(schema, *spec, e.data_file, options.filter)) {
        ++plan.skipped_files;
        continue;
      }
      (is_data ? data : deletes).push_back({std::move(e), m.partition_spec_id});
    }
  }
  for (LiveFile& d : data) {
    FileScanTask task{d.entry.data_file, d.spec_id, d.entry.sequence_number.value_or(0), {}};
    for (const LiveFile& del : deletes) {
      if (DeleteApplies(del, d, metadata)) task.deletes.push_back(del.entry.data_file);
    }
    plan.tasks.push_back(std::move(task));
  }
  return plan;
}

}  // namespace kappa::table::iceberg
