#include "table/iceberg/manifest.h"

#include "table/avro/container.h"
#include "table/avro/datum.h"
#include "table/iceberg/bounds.h"

namespace kappa::table::iceberg {
namespace {

using avro::Datum;
using avro::FieldDef;
using avro::FieldWithId;
using avro::NodePtr;
using avro::Type;
using columnar::DataType;
using columnar::TypeId;
using columnar::Value;

// ---- Avro schema pieces ----

NodePtr Prim(Type t) { return avro::Primitive(t); }

NodePtr WithProps(NodePtr base, avro::Json props) {
  auto node = std::make_shared<avro::Node>(*base);
  node->props = std::move(props);
  return node;
}

FieldDef Required(std::string name, NodePtr type, int id) { return FieldWithId(std::move(name), std::move(type), id); }

FieldDef OptionalField(std::string name, NodePtr type, int id) {
  FieldDef f = FieldWithId(std::move(name), avro::Optional(std::move(type)), id);
  f.props["default"] = nullptr;
  return f;
}

NodePtr IntMap(int key_id, int value_id, NodePtr value) {
  NodePtr kv = avro::Record(fmt::format("k{}_v{}", key_id, value_id),
                            {Required("key", Prim(Type::kInt), key_id), Required("value", std::move(value), value_id)});
  return avro::ArrayOf(std::move(kv), {{"logicalType", "map"}});
}

NodePtr ListOf(NodePtr element, int element_id) {
  return avro::ArrayOf(std::move(element), {{"element-id", element_id}});
}

int DecimalBytes(int precision) {
  int n = 1;
  while (n < 16 && columnar::Pow10(precision) > (columnar::Int128(1) << (8 * n - 1))) ++n;
  return n;
}

NodePtr PartitionValueType(const DataType& type) {
  switch (type.id()) {
    case TypeId::kBoolean: return Prim(Type::kBoolean);
    case TypeId::kInt32: return Prim(Type::kInt);
    case TypeId::kInt64: return Prim(Type::kLong);
    case TypeId::kDouble: return Prim(Type::kDouble);
    case TypeId::kString: return Prim(Type::kString);
    case TypeId::kDate: return WithProps(Prim(Type::kInt), {{"logicalType", "date"}});
    case TypeId::kTimestamp:
    case TypeId::kTimestampLtz:
      return WithProps(Prim(Type::kLong), {{"logicalType", "timestamp-micros"},
                                           {"adjust-to-utc", type.id() == TypeId::kTimestampLtz}});
    case TypeId::kDecimal: {
      auto fixed = avro::Fixed(fmt::format("decimal_{}_{}", type.precision(), type.scale()),
                               static_cast<size_t>(DecimalBytes(type.precision())));
      return WithProps(fixed, {{"logicalType", "decimal"}, {"precision", type.precision()}, {"scale", type.scale()}});
    }
    default: return Prim(Type::kBytes);
  }
}

NodePtr PartitionRecord(const Schema& schema, const PartitionSpec& spec) {
  std::vector<FieldDef> fields;
  for (const PartitionField& f : spec.fields) {
    auto type = PartitionFieldType(schema, f);
    NodePtr avro_type = type.ok() ? PartitionValueType(*type) : Prim(Type::kBytes);
    fields.push_back(OptionalField(f.name, std::move(avro_type), f.field_id));
  }
  return avro::Record("r102", std::move(fields));
}

NodePtr DataFileRecord(const Schema& schema, const PartitionSpec& spec) {
  return avro::Record(
      "r2", {
                Required("content", Prim(Type::kInt), 134),
                Required("file_path", Prim(Type::kString), 100),
                Required("file_format", Prim(Type::kString), 101),
                Required("partition", PartitionRecord(schema, spec), 102),
                Required("record_count", Prim(Type::kLong), 103),
                Required("file_size_in_bytes", Prim(Type::kLong), 104),
                OptionalField("column_sizes", IntMap(117, 118, Prim(Type::kLong)), 108),
                OptionalField("value_counts", IntMap(119, 120, Prim(Type::kLong)), 109),
                OptionalField("null_value_counts", IntMap(121, 122, Prim(Type::kLong)), 110),
                OptionalField("nan_value_counts", IntMap(138, 139, Prim(Type::kLong)), 137),
                OptionalField("lower_bounds", IntMap(126, 127, Prim(Type::kBytes)), 125),
                OptionalField("upper_bounds", IntMap(129, 130, Prim(Type::kBytes)), 128),
                OptionalField("key_metadata", Prim(Type::kBytes), 131),
                OptionalField("split_offsets", ListOf(Prim(Type::kLong), 133), 132),
                OptionalField("equality_ids", ListOf(Prim(Type::kInt), 136), 135),
                OptionalField("sort_order_id", Prim(Type::kInt), 140),
                OptionalField("referenced_data_file", Prim(Type::kString), 143),
            });
}

NodePtr FieldSummaryRecord() {
  return avro::Record("r508", {
                                  Required("contains_null", Prim(Type::kBoolean), 509),
                                  OptionalField("contains_nan", Prim(Type::kBoolean), 518),
                                  OptionalField("lower_bound", Prim(Type::kBytes), 510),
                                  OptionalField("upper_bound", Prim(Type::kBytes), 511),
                              });
}

// ---- Values <-> datums ----

Datum DecimalDatum(columnar::Int128 v, int precision) {
  std::string minimal = DecimalToBytes(v);
  size_t size = static_cast<size_t>(DecimalBytes(precision));
  char fill = v < 0 ? '\xff' : '\0';
  if (minimal.size() < size) minimal.insert(0, size - minimal.size(), fill);
  return Datum::Bytes(std::move(minimal));
}

Datum ValueDatum(const Value& v) {
  if (v.is_null()) return Datum::Null();
  switch (v.type().id()) {
    case TypeId::kBoolean: return Datum::Boolean(v.boolean());
    case TypeId::kInt32:
    case TypeId::kDate: return Datum::Long(v.int32());
    case TypeId::kInt64: return Datum::Long(v.int64());
    case TypeId::kTimestamp:
    case TypeId::kTimestampLtz: return Datum::Long(v.int64() * 1000);
    case TypeId::kDouble: return Datum::Double(v.float64());
    case TypeId::kString: return Datum::Bytes(v.string());
    case TypeId::kDecimal: return DecimalDatum(v.decimal(), v.type().precision());
    default: return Datum::Null();
  }
}

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

Result<Value> DatumValue(const DataType& type, const Datum& d) {
  if (d.is_null()) return Value::Null(type);
  switch (type.id()) {
    case TypeId::kBoolean: return Value::Boolean(d.b);
    case TypeId::kInt32: return Value::Int32(static_cast<int32_t>(d.l));
    case TypeId::kDate: return Value::Date(static_cast<int32_t>(d.l));
    case TypeId::kInt64: return Value::Int64(d.l);
    case TypeId::kTimestamp:
    case TypeId::kTimestampLtz: return Value(type, FloorDiv(d.l, 1000));
    case TypeId::kDouble: return Value::Double(d.d);
    case TypeId::kString: return Value::String(d.s);
    case TypeId::kDecimal:
      if (d.s.empty() || d.s.size() > 16) return Corruption("iceberg manifest: bad decimal partition value");
      return Value::Decimal(DecimalFromBytes(d.s), type.precision(), type.scale());
    default: return Corruption("iceberg manifest: partition of type {}", type.ToString());
  }
}

Datum OptLong(const std::optional<int64_t>& v) { return v ? Datum::Long(*v) : Datum::Null(); }
Datum OptString(const std::optional<std::string>& v) { return v ? Datum::Bytes(*v) : Datum::Null(); }

template <typename V, typename F>
Datum MapDatum(const std::map<int32_t, V>& m, F to_datum) {
  if (m.empty()) return Datum::Null();
  std::vector<Datum> items;
  for (const auto& [k, v] : m) items.push_back(Datum::Record({Datum::Long(k), to_datum(v)}));
  return Datum::Array(std::move(items));
}

template <typename T>
Datum ListDatum(const std::vector<T>& v) {
  if (v.empty()) return Datum::Null();
  std::vector<Datum> items;
  for (T x : v) items.push_back(Datum::Long(x));
  return Datum::Array(std::move(items));
}

Datum LongMap(const std::map<int32_t, int64_t>& m) {
  return MapDatum(m, [](int64_t v) { return Datum::Long(v); });
}
Datum BytesMap(const std::map<int32_t, std::string>& m) {
  return MapDatum(m, [](const std::string& v) { return Datum::Bytes(v); });
}

Datum DataFileDatum(const DataFile& f) {
  std::vector<Datum> partition;
  for (const Value& v : f.partition) partition.push_back(ValueDatum(v));
  return Datum::Record({
      Datum::Long(static_cast<int64_t>(f.content)),
      Datum::Bytes(f.file_path),
      Datum::Bytes(f.file_format),
      Datum::Record(std::move(partition)),
      Datum::Long(f.record_count),
      Datum::Long(f.file_size_in_bytes),
      LongMap(f.column_sizes),
      LongMap(f.value_counts),
      LongMap(f.null_value_counts),
      LongMap(f.nan_value_counts),
      BytesMap(f.lower_bounds),
      BytesMap(f.upper_bounds),
      Datum::Null(),
      ListDatum(f.split_offsets),
      ListDatum(f.equality_ids),
      f.sort_order_id ? Datum::Long(*f.sort_order_id) : Datum::Null(),
      OptString(f.referenced_data_file),
  });
}

Datum EntryDatum(const ManifestEntry& e) {
  bool inherit = e.status == EntryStatus::kAdded;
  return Datum::Record({
      Datum::Long(static_cast<int64_t>(e.status)),
      inherit ? Datum::Null() : OptLong(e.snapshot_id),
      inherit ? Datum::Null() : OptLong(e.sequence_number),
      inherit ? Datum::Null() : OptLong(e.file_sequence_number),
      DataFileDatum(e.data_file),
  });
}

// ---- Reading datums by field name (other writers may order fields differently) ----

class RecordReader {
 public:
  RecordReader(const avro::Node& schema, const Datum& datum) : schema_(schema), datum_(datum) {}

  const Datum* Get(std::string_view name) const {
    int i = schema_.FieldIndex(name);
    if (i < 0 || static_cast<size_t>(i) >= datum_.items.size()) return nullptr;
    return &datum_.items[static_cast<size_t>(i)];
  }
  // The record type of field `name` with unions unwrapped to their non-null branch.
  const avro::Node* TypeOf(std::string_view name) const {
    int i = schema_.FieldIndex(name);
    if (i < 0) return nullptr;
    const avro::Node* t = schema_.fields[static_cast<size_t>(i)].type.get();
    if (t->type == Type::kUnion) {
      for (const NodePtr& b : t->branches) {
        if (b->type != Type::kNull) return b.get();
      }
    }
    return t;
  }
  Result<int64_t> Long(std::string_view name) const {
    const Datum* d = Get(name);
    if (d == nullptr || d->kind != Datum::Kind::kLong) return Corruption("iceberg avro: missing {}", name);
    return d->l;
  }
  std::optional<int64_t> OptLong(std::string_view name) const {
    const Datum* d = Get(name);
    if (d == nullptr || d->kind != Datum::Kind::kLong) return std::nullopt;
    return d->l;
  }
  Result<std::string> String(std::string_view name) const {
    const Datum* d = Get(name);
    if (d == nullptr || d->kind != Datum::Kind::kBytes) return Corruption("iceberg avro: missing {}", name);
    return d->s;
  }
  std::optional<std::string> OptString(std::string_view name) const {
    const Datum* d = Get(name);
    if (d == nullptr || d->kind != Datum::Kind::kBytes) return std::nullopt;
    return d->s;
  }

 private:
  const avro::Node& schema_;
  const Datum& datum_;
};

// Reads an int-keyed map written as array<k_v record>.
template <typename V, typename F>
std::map<int32_t, V> ReadIntMap(const RecordReader& r, std::string_view name, F from_datum) {
  std::map<int32_t, V> out;
  const Datum* d = r.Get(name);
  const avro::Node* type = r.TypeOf(name);
  if (d == nullptr || d->kind != Datum::Kind::kArray || type == nullptr || !type->items) return out;
  for (const Datum& kv : d->items) {
    RecordReader entry(*type->items, kv);
    auto key = entry.OptLong("key");
    const Datum* value = entry.Get("value");
    if (key && value != nullptr) out[static_cast<int32_t>(*key)] = from_datum(*value);
  }
  return out;
}

template <typename T>
std::vector<T> ReadList(const RecordReader& r, std::string_view name) {
  std::vector<T> out;
  const Datum* d = r.Get(name);
  if (d == nullptr || d->kind != Datum::Kind::kArray) return out;
  for (const Datum& x : d->items) out.push_back(static_cast<T>(x.l));
  return out;
}

Result<std::vector<Value>> ReadPartition(const RecordReader& r, const Schema& schema, const PartitionSpec& spec) {
  const Datum* d = r.Get("partition");
  const avro::Node* type = r.TypeOf("partition");
  if (d == nullptr || type == nullptr || type->type != Type::kRecord) {
    return Corruption("iceberg manifest: data_file without a partition record");
  }
  std::vector<Value> out;
  for (const PartitionField& f : spec.fields) {
    int index = -1;
    for (size_t i = 0; i < type->fields.size(); ++i) {
      if (type->fields[i].IntProp("field-id") == f.field_id) index = static_cast<int>(i);
    }
    if (index < 0) index = type->FieldIndex(f.name);
    if (index < 0 || static_cast<size_t>(index) >= d->items.size()) {
      return Corruption("iceberg manifest: partition field {} missing", f.name);
    }
    ASSIGN_OR_RETURN(DataType vt, PartitionFieldType(schema, f));
    ASSIGN_OR_RETURN(Value v, DatumValue(vt, d->items[static_cast<size_t>(index)]));
    out.push_back(std::move(v));
  }
  return out;
}

Result<DataFile> ReadDataFile(const RecordReader& r, const Schema& schema, const PartitionSpec& spec) {
  DataFile f;
  f.content = static_cast<FileContent>(r.OptLong("content").value_or(0));
  if (f.content != FileContent::kData && f.content != FileContent::kPositionDeletes &&
      f.content != FileContent::kEqualityDeletes) {
    return Corruption("iceberg manifest: data_file content {}", static_cast<int>(f.content));
  }
  ASSIGN_OR_RETURN(f.file_path, r.String("file_path"));
  ASSIGN_OR_RETURN(f.file_format, r.String("file_format"));
  ASSIGN_OR_RETURN(f.partition, ReadPartition(r, schema, spec));
  ASSIGN_OR_RETURN(f.record_count, r.Long("record_count"));
  ASSIGN_OR_RETURN(f.file_size_in_bytes, r.Long("file_size_in_bytes"));
  auto as_long = [](const Datum& d) { return d.l; };
  auto as_bytes = [](const Datum& d) { return d.s; };
  f.column_sizes = ReadIntMap<int64_t>(r, "column_sizes", as_long);
  f.value_counts = ReadIntMap<int64_t>(r, "value_counts", as_long);
  f.null_value_counts = ReadIntMap<int64_t>(r, "null_value_counts", as_long);
  f.nan_value_counts = ReadIntMap<int64_t>(r, "nan_value_counts", as_long);
  f.lower_bounds = ReadIntMap<std::string>(r, "lower_bounds", as_bytes);
  f.upper_bounds = ReadIntMap<std::string>(r, "upper_bounds", as_bytes);
  f.split_offsets = ReadList<int64_t>(r, "split_offsets");
  f.equality_ids = ReadList<int32_t>(r, "equality_ids");
  if (auto id = r.OptLong("sort_order_id")) f.sort_order_id = static_cast<int32_t>(*id);
  f.referenced_data_file = r.OptString("referenced_data_file");
  return f;
}

Result<ManifestEntry> ReadEntry(const avro::Node& type, const Datum& d, const ManifestFile& file,
                                const Schema& schema, const PartitionSpec& spec) {
  RecordReader r(type, d);
  ManifestEntry e;
  ASSIGN_OR_RETURN(int64_t status, r.Long("status"));
  if (status < 0 || status > 2) return Corruption("iceberg manifest: entry status {}", status);
  e.status = static_cast<EntryStatus>(status);
  e.snapshot_id = r.OptLong("snapshot_id").value_or(file.added_snapshot_id);
  bool added = e.status == EntryStatus::kAdded;
  e.sequence_number = r.OptLong("sequence_number");
  if (!e.sequence_number && added) e.sequence_number = file.sequence_number;
  e.file_sequence_number = r.OptLong("file_sequence_number");
  if (!e.file_sequence_number && added) e.file_sequence_number = file.sequence_number;
  const Datum* df = r.Get("data_file");
  const avro::Node* df_type = r.TypeOf("data_file");
  if (df == nullptr || df_type == nullptr || df_type->type != Type::kRecord) {
    return Corruption("iceberg manifest: entry without data_file");
  }
  ASSIGN_OR_RETURN(e.data_file, ReadDataFile(RecordReader(*df_type, *df), schema, spec));
  return e;
}

// ---- manifest list entries ----

Datum SummaryDatum(const FieldSummary& s) {
  return Datum::Record({Datum::Boolean(s.contains_null),
                        s.contains_nan ? Datum::Boolean(*s.contains_nan) : Datum::Null(),
                        OptString(s.lower_bound), OptString(s.upper_bound)});
}

Datum ManifestFileDatum(const ManifestFile& m) {
  std::vector<Datum> partitions;
  for (const FieldSummary& s : m.partitions) partitions.push_back(SummaryDatum(s));
  return Datum::Record({
      Datum::Bytes(m.manifest_path),
      Datum::Long(m.manifest_length),
      Datum::Long(m.partition_spec_id),
      Datum::Long(static_cast<int64_t>(m.content)),
      Datum::Long(m.sequence_number),
      Datum::Long(m.min_sequence_number),
      Datum::Long(m.added_snapshot_id),
      Datum::Long(m.added_files_count),
      Datum::Long(m.existing_files_count),
      Datum::Long(m.deleted_files_count),
      Datum::Long(m.added_rows_count),
      Datum::Long(m.existing_rows_count),
      Datum::Long(m.deleted_rows_count),
      Datum::Array(std::move(partitions)),
      Datum::Null(),
  });
}

std::vector<FieldSummary> ReadSummaries(const RecordReader& r) {
  std::vector<FieldSummary> out;
  const Datum* d = r.Get("partitions");
  const avro::Node* type = r.TypeOf("partitions");
  if (d == nullptr || d->kind != Datum::Kind::kArray || type == nullptr || !type->items) return out;
  for (const Datum& s : d->items) {
    RecordReader sr(*type->items, s);
    FieldSummary summary;
    const Datum* cn = sr.Get("contains_null");
    summary.contains_null = cn != nullptr && cn->kind == Datum::Kind::kBoolean && cn->b;
    const Datum* nan = sr.Get("contains_nan");
    if (nan != nullptr && nan->kind == Datum::Kind::kBoolean) summary.contains_nan = nan->b;
    summary.lower_bound = sr.OptString("lower_bound");
    summary.upper_bound = sr.OptString("upper_bound");
    out.push_back(std::move(summary));
  }
  return out;
}

Result<ManifestFile> ReadManifestFile(const avro::Node& type, const Datum& d) {
  RecordReader r(type, d);
  ManifestFile m;
  ASSIGN_OR_RETURN(m.manifest_path, r.String("manifest_path"));
  ASSIGN_OR_RETURN(m.manifest_length, r.Long("manifest_length"));
  ASSIGN_OR_RETURN(int64_t spec_id, r.Long("partition_spec_id"));
  m.partition_spec_id = static_cast<int32_t>(spec_id);
  m.content = static_cast<ManifestContent>(r.OptLong("content").value_or(0));
  m.sequence_number = r.OptLong("sequence_number").value_or(0);
  m.min_sequence_number = r.OptLong("min_sequence_number").value_or(m.sequence_number);
  ASSIGN_OR_RETURN(m.added_snapshot_id, r.Long("added_snapshot_id"));
  m.added_files_count = static_cast<int32_t>(r.OptLong("added_files_count").value_or(0));
  m.existing_files_count = static_cast<int32_t>(r.OptLong("existing_files_count").value_or(0));
  m.deleted_files_count = static_cast<int32_t>(r.OptLong("deleted_files_count").value_or(0));
  m.added_rows_count = r.OptLong("added_rows_count").value_or(0);
  m.existing_rows_count = r.OptLong("existing_rows_count").value_or(0);
  m.deleted_rows_count = r.OptLong("deleted_rows_count").value_or(0);
  m.partitions = ReadSummaries(r);
  return m;
}

// ---- manifest summaries ----

void CountEntry(const ManifestEntry& e, ManifestFile* m) {
  int64_t rows = e.data_file.record_count;
  switch (e.status) {
    case EntryStatus::kAdded: ++m->added_files_count; m->added_rows_count += rows; break;
    case EntryStatus::kExisting: ++m->existing_files_count; m->existing_rows_count += rows; break;
    case EntryStatus::kDeleted: ++m->deleted_files_count; m->deleted_rows_count += rows; break;
  }
}

void WidenSummary(const Value& v, FieldSummary* s, std::optional<Value>* lo, std::optional<Value>* hi) {
  if (v.is_null()) {
    s->contains_null = true;
    return;
  }
  if (!*lo || v < **lo) *lo = v;
  if (!*hi || **hi < v) *hi = v;
}

std::vector<FieldSummary> PartitionSummaries(const PartitionSpec& spec, const std::vector<ManifestEntry>& entries) {
  std::vector<FieldSummary> out;
  for (size_t i = 0; i < spec.fields.size(); ++i) {
    FieldSummary s;
    std::optional<Value> lo, hi;
    for (const ManifestEntry& e : entries) {
      if (i < e.data_file.partition.size()) WidenSummary(e.data_file.partition[i], &s, &lo, &hi);
    }
    if (lo) {
      auto l = SerializeValue(*lo), h = SerializeValue(*hi);
      if (l.ok() && h.ok()) {
        s.lower_bound = *l;
        s.upper_bound = *h;
      }
    }
    if (lo && lo->type().id() == TypeId::kDouble) s.contains_nan = false;
    out.push_back(std::move(s));
  }
  return out;
}

ManifestFile SummarizeManifest(const std::string& path, const ManifestContext& ctx,
                               const std::vector<ManifestEntry>& entries) {
  ManifestFile m;
  m.manifest_path = path;
  m.partition_spec_id = ctx.spec->spec_id;
  m.content = ctx.content;
  m.sequence_number = ctx.sequence_number;
  m.min_sequence_number = ctx.sequence_number;
  m.added_snapshot_id = ctx.snapshot_id;
  for (const ManifestEntry& e : entries) {
    CountEntry(e, &m);
    if (e.status == EntryStatus::kExisting && e.sequence_number) {
      m.min_sequence_number = std::min(m.min_sequence_number, *e.sequence_number);
    }
  }
  m.partitions = PartitionSummaries(*ctx.spec, entries);
  return m;
}

std::map<std::string, std::string> ManifestMetadata(const ManifestContext& ctx) {
  return {
      {"schema", SchemaToJson(*ctx.schema).dump()},
      {"schema-id", std::to_string(ctx.schema->schema_id)},
      {"partition-spec", PartitionFieldsToJson(*ctx.spec).dump()},
      {"partition-spec-id", std::to_string(ctx.spec->spec_id)},
      {"format-version", "2"},
      {"content", ctx.content == ManifestContent::kData ? "data" : "deletes"},
  };
}

}  // namespace

NodePtr ManifestEntrySchema(const Schema& schema, const PartitionSpec& spec) {
  return avro::Record("manifest_entry", {
                                            Required("status", Prim(Type::kInt), 0),
                                            OptionalField("snapshot_id", Prim(Type::kLong), 1),
                                            OptionalField("sequence_number", Prim(Type::kLong), 3),
                                            OptionalField("file_sequence_number", Prim(Type::kLong), 4),
                                            Required("data_file", DataFileRecord(schema, spec), 2),
                                        });
}

NodePtr ManifestFileSchema() {
  return avro::Record(
      "manifest_file",
      {
          Required("manifest_path", Prim(Type::kString), 500),
          Required("manifest_length", Prim(Type::kLong), 501),
          Required("partition_spec_id", Prim(Type::kInt), 502),
          Required("content", Prim(Type::kInt), 517),
          Required("sequence_number", Prim(Type::kLong), 515),
          Required("min_sequence_number", Prim(Type::kLong), 516),
          Required("added_snapshot_id", Prim(Type::kLong), 503),
          Required("added_files_count", Prim(Type::kInt), 504),
          Required("existing_files_count", Prim(Type::kInt), 505),
          Required("deleted_files_count", Prim(Type::kInt), 506),
          Required("added_rows_count", Prim(Type::kLong), 512),
          Required("existing_rows_count", Prim(Type::kLong), 513),
          Required("deleted_rows_count", Prim(Type::kLong), 514),
          OptionalField("partitions", ListOf(FieldSummaryRecord(), 508), 507),
          OptionalField("key_metadata", Prim(Type::kBytes), 519),
      });
}

Result<EncodedManifest> EncodeManifest(const std::string& path, const ManifestContext& ctx,
                                       const std::vector<ManifestEntry>& entries) {
  avro::ContainerWriter writer(ManifestEntrySchema(*ctx.schema, *ctx.spec), avro::Codec::kDeflate,
                               ManifestMetadata(ctx));
  for (const ManifestEntry& e : entries) {
    if (e.data_file.partition.size() != ctx.spec->fields.size()) {
      return Invalid("iceberg: {} has {} partition values, the spec has {} fields", e.data_file.file_path,
                     e.data_file.partition.size(), ctx.spec->fields.size());
    }
    if (e.status != EntryStatus::kAdded && (!e.snapshot_id || !e.sequence_number)) {
      return Internal("iceberg: carried-over entry {} without snapshot id or sequence number",
                      e.data_file.file_path);
    }
    Status st = writer.Append(EntryDatum(e));
    if (!st.ok()) return st.WithContext(e.data_file.file_path);
  }
  EncodedManifest out;
  ASSIGN_OR_RETURN(out.bytes, writer.Finish());
  out.file = SummarizeManifest(path, ctx, entries);
  out.file.manifest_length = static_cast<int64_t>(out.bytes.size());
  return out;
}

Result<std::vector<ManifestEntry>> DecodeManifest(std::string_view bytes, const ManifestFile& file,
                                                  const Schema& schema, const PartitionSpec& spec) {
  ASSIGN_OR_RETURN(avro::ContainerFile container, avro::ReadContainer(bytes));
  if (container.schema->type != Type::kRecord) return Corruption("iceberg manifest: entries are not records");
  std::vector<ManifestEntry> entries;
  for (const Datum& d : container.data) {
    ASSIGN_OR_RETURN(ManifestEntry e, ReadEntry(*container.schema, d, file, schema, spec));
    entries.push_back(std::move(e));
  }
  return entries;
}

Result<std::string> EncodeManifestList(const ManifestListContext& ctx, const std::vector<ManifestFile>& manifests) {
  std::map<std::string, std::string> metadata = {
      {"snapshot-id", std::to_string(ctx.snapshot_id)},
      {"parent-snapshot-id", ctx.parent_snapshot_id ? std::to_string(*ctx.parent_snapshot_id) : "null"},
      {"sequence-number", std::to_string(ctx.sequence_number)},
      {"format-version", "2"},
  };
  avro::ContainerWriter writer(ManifestFileSchema(), avro::Codec::kDeflate, std::move(metadata));
  for (const ManifestFile& m : manifests) RETURN_IF_ERROR(writer.Append(ManifestFileDatum(m)));
  return writer.Finish();
}

Result<std::vector<ManifestFile>> DecodeManifestList(std::string_view bytes) {
  ASSIGN_OR_RETURN(avro::ContainerFile container, avro::ReadContainer(bytes));
  if (container.schema->type != Type::kRecord) return Corruption("iceberg manifest list: entries are not records");
  std::vector<ManifestFile> out;
  for (const Datum& d : container.data) {
    ASSIGN_OR_RETURN(ManifestFile m, ReadManifestFile(*container.schema, d));
    out.push_back(std::move(m));
  }
  return out;
}

}  // namespace kappa::table::iceberg
