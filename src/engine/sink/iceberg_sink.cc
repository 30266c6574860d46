#include "engine/sink/iceberg_sink.h"

#include <charconv>

#include "base/file.h"
#include "base/metrics.h"
#include "base/time.h"
#include "table/iceberg/maintenance.h"

namespace kappa::engine {
namespace {

std::optional<int64_t> ParseInt(std::string_view s) {
  int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

// The largest kappa.epoch of the table's snapshots.
std::optional<int64_t> LastEpochOf(const iceberg::TableMetadata& m) {
  std::optional<int64_t> last;
  for (const iceberg::Snapshot& s : m.snapshots) {
    auto it = s.summary.find(iceberg::kKappaEpoch);
    if (it == s.summary.end()) continue;
    auto e = ParseInt(it->second);
    if (e && (!last || *e > *last)) last = e;
  }
  return last;
}

// "orders__v3" -> 3.
int VersionSuffix(const std::string& name) {
  size_t at = name.rfind("__v");
  if (at == std::string::npos) return 0;
  return static_cast<int>(ParseInt(std::string_view(name).substr(at + 3)).value_or(0));
}

// Table properties the sink reads, copied from the TableDef's options.
bool IsTableProperty(const std::string& key) {
  return key.starts_with("history.") || key.starts_with("write.") || key.starts_with("commit.") ||
         key.starts_with("kappa.compaction.") || key.starts_with("kappa.maintenance.");
}

Result<iceberg::PartitionSpec> SpecFor(const sql::TableDef& target, const iceberg::Schema& schema) {
  std::vector<iceberg::PartitionRequest> requests;
  std::string transform = target.Option("partition.transform");
  for (const std::string& column : target.partitioned_by) {
    const iceberg::NestedField* f = schema.FindByName(column);
    if (f == nullptr) return Invalid("table {}: PARTITIONED BY column '{}' is not stored", target.name, column);
    columnar::TypeId id = f->type.id();
    iceberg::PartitionRequest r{column, iceberg::Transform::kIdentity};
    if (id == columnar::TypeId::kTimestamp || id == columnar::TypeId::kTimestampLtz || id == columnar::TypeId::kDate) {
      r.transform = iceberg::Transform::kDay;
    }
    if (!transform.empty()) {
      auto t = iceberg::ParseTransform(transform);
      if (!t.ok()) return Invalid("table {}: 'partition.transform' '{}' (day, hour, identity)", target.name, transform);
      r.transform = *t;
    }
    requests.push_back(std::move(r));
  }
  return iceberg::MakePartitionSpec(schema, requests);
}

Result<iceberg::Schema> SchemaFor(const sql::TableDef& target) {
  ASSIGN_OR_RETURN(iceberg::Schema schema, iceberg::Schema::FromColumnar(target.physical));
  for (int k : target.primary_key) {
    if (k < 0 || k >= static_cast<int>(schema.fields.size())) return Invalid("table {}: bad PRIMARY KEY", target.name);
    schema.identifier_field_ids.push_back(schema.fields[k].id);
  }
  return schema;
}

Status CheckColumns(const sql::TableDef& target, const iceberg::Schema& schema) {
  columnar::Schema have = schema.ToColumnar();
  bool same = have.size() == target.physical.size();
  for (size_t i = 0; same && i < have.size(); ++i) {
    same = have.field(i).name == target.physical.field(i).name && have.field(i).type == target.physical.field(i).type;
  }
  if (same) return OkStatus();
  return Busy("table {} exists with columns {}, the pipeline writes {}", target.name, have.ToString(),
                            target.physical.ToString());
}

Result<std::unique_ptr<iceberg::Table>> OpenOrCreate(const sql::TableDef& target, const table::TableIdent& ident,
                                                     table::Catalog* catalog) {
  if (catalog->TableExists(ident)) return iceberg::Table::Load(catalog->TableLocation(ident));
  ASSIGN_OR_RETURN(iceberg::Schema schema, SchemaFor(target));
  ASSIGN_OR_RETURN(iceberg::PartitionSpec spec, SpecFor(target, schema));
  std::map<std::string, std::string> props;
  for (const auto& [k, v] : target.options) {
    if (IsTableProperty(k)) props[k] = v;
  }
  if (!catalog->NamespaceExists(ident.ns)) {
    Status st = catalog->CreateNamespace(ident.ns);
    if (!st.ok() && st.code() != StatusCode::kAlreadyExists) return st;
  }
  auto created = catalog->CreateTable(ident, schema, spec, {}, props);
  if (created.ok() || created.status().code() != StatusCode::kAlreadyExists) return created;
  return iceberg::Table::Load(catalog->TableLocation(ident));
}

// Options from the table's properties, then the TableDef's WITH options.
void ApplyProperties(const iceberg::TableMetadata& m, const sql::TableDef& target, IcebergSinkOptions* o) {
  auto get = [&](const char* key, int64_t fallback) {
    int64_t v = m.IntProperty(key, fallback);
    return ParseInt(target.Option(key)).value_or(v);
  };
  o->keep_snapshots = static_cast<int>(get("history.expire.min-snapshots-to-keep", o->keep_snapshots));
  o->max_snapshot_age_ms = get("history.expire.max-snapshot-age-ms", o->max_snapshot_age_ms);
  o->compaction.small_file_bytes = get("kappa.compaction.small-file-bytes", o->compaction.small_file_bytes);
  o->compaction.min_files = static_cast<int>(get("kappa.compaction.min-files", o->compaction.min_files));
  o->compaction.min_delete_files =
      static_cast<int>(get("kappa.compaction.min-delete-files", o->compaction.min_delete_files));
  o->maintenance_every = static_cast<int>(get("kappa.maintenance.every-commits", o->maintenance_every));
  o->target_file_bytes = get("write.target-file-size-bytes", o->target_file_bytes);
  auto codec = m.properties.find("write.parquet.compression-codec");
  if (codec != m.properties.end()) o->compression = codec->second;
  o->compression = target.Option("write.parquet.compression-codec", o->compression);
  if (o->pipeline.empty()) o->pipeline = target.Option("kappa.pipeline");
  if (o->version == 0) o->version = static_cast<int>(ParseInt(target.Option("kappa.version")).value_or(0));
}

// Every file under `dir`, recursively.
void ListFiles(const std::string& dir, std::vector<std::string>* out) {
  auto names = ListDir(dir);
  if (!names.ok()) return;
  for (const std::string& name : *names) {
    std::string path = dir + "/" + name;
    if (ListDir(path).ok()) {
      ListFiles(path, out);
    } else {
      out->push_back(path);
    }
  }
}

}  // namespace

Result<std::unique_ptr<IcebergSink>> IcebergSink::Open(const sql::TableDef& target, table::Catalog* catalog,
                                                       IcebergSinkOptions options) {
  if (catalog == nullptr) return Busy("table {}: no warehouse catalog", target.name);
  std::string connector = target.Option("connector");
  if (!connector.empty() && connector != "iceberg") {
    return Unimplemented("table {}: connector '{}' is not a serving table", target.name, connector);
  }
  ASSIGN_OR_RETURN(table::TableIdent ident, table::TableIdent::Parse(target.name));
  std::unique_ptr<IcebergSink> sink(new IcebergSink());
  sink->ident_ = ident;
  ASSIGN_OR_RETURN(sink->table_, OpenOrCreate(target, ident, catalog));
  std::shared_ptr<const iceberg::TableMetadata> m = sink->table_->metadata();
  RETURN_IF_ERROR(CheckColumns(target, m->current_schema()));
  ApplyProperties(*m, target, &options);
  if (options.version == 0) options.version = VersionSuffix(ident.name);
  ASSIGN_OR_RETURN(sink->layout_, TableLayout::Make(*m, sink->table_->data_dir(), options.compression));
  sink->options_ = std::move(options);
  sink->key_columns_ = target.primary_key;
  sink->next_epoch_.store(LastEpochOf(*m).value_or(0) + 1);
  return sink;
}

Result<std::unique_ptr<SinkWriter>> IcebergSink::CreateWriter(int task) {
  return std::unique_ptr<SinkWriter>(new IcebergSinkWriter(this, task));
}

Result<std::optional<Epoch>> IcebergSink::LastCommittedEpoch() {
  RETURN_IF_ERROR(table_->Refresh());
  std::optional<int64_t> last = LastEpochOf(*table_->metadata());
  if (!last) return std::optional<Epoch>();
  return std::optional<Epoch>(Epoch(*last));
}

Status IcebergSink::Recover(Epoch epoch, std::string_view /*info*/) {
  RETURN_IF_ERROR(table_->Refresh());
  int64_t keep = std::max(epoch.value(), LastEpochOf(*table_->metadata()).value_or(0));
  next_epoch_.store(epoch.value() + 1);
  committed_.reset();
  index_valid_ = false;
  return DeleteStagedAfter(keep);
}

Status IcebergSink::DeleteStagedAfter(int64_t epoch) {
  std::vector<std::string> files;
  ListFiles(table_->data_dir(), &files);
  for (const std::string& path : files) {
    std::optional<int64_t> e = EpochOfFileName(path);
    if (e && *e > epoch) RETURN_IF_ERROR(RemoveFile(path));
  }
  return OkStatus();
}

iceberg::Summary IcebergSink::MakeSummary(Epoch epoch) const {
  iceberg::Summary s;
  s[iceberg::kKappaPipeline] = options_.pipeline;
  s[iceberg::kKappaVersion] = std::to_string(options_.version);
  s[iceberg::kKappaEpoch] = std::to_string(epoch.value());
  return s;
}

Status IcebergSink::Commit(Epoch epoch, const std::vector<std::string>& payloads) {
  int64_t e = epoch.value();
  if (committed_ && e <= *committed_) return OkStatus();
  RETURN_IF_ERROR(table_->Refresh());
  std::optional<int64_t> last = LastEpochOf(*table_->metadata());
  if (last && *last >= e) {
    committed_ = *last;
    return OkStatus();
  }
  std::vector<SinkPayload> decoded;
  bool any = false;
  for (const std::string& p : payloads) {
    ASSIGN_OR_RETURN(SinkPayload d, DecodePayload(p, *layout_));
    any = any || !d.empty();
    decoded.push_back(std::move(d));
  }
  if (any) {
    int64_t start = MonotonicNanos();
    Status st = CommitOnce(epoch, std::move(decoded));
    if (!st.ok()) return st.WithContext(fmt::format("{}: commit of epoch {}", name(), e));
    Metrics::Histogram("kappa_table_commit_duration_seconds", "Serving-table snapshot commits",
                       {{"table", ident_.ToString()}})
        .ObserveMicros((MonotonicNanos() - start) / 1000);
  }
  committed_ = e;
  if (next_epoch_.load() <= e) next_epoch_.store(e + 1);
  if (any && options_.maintenance_every > 0 && ++commits_since_maintenance_ >= options_.maintenance_every) {
    commits_since_maintenance_ = 0;
    Status st = RunMaintenance();
    maintenance_.last_error = st.ok() ? "" : st.ToString();
  }
  return OkStatus();
}

Status IcebergSink::CommitOnce(Epoch epoch, std::vector<SinkPayload> payloads) {
  std::vector<iceberg::DataFile> deletes;
  if (upsert()) {
    Status st = ApplyUpserts(&payloads, &deletes, epoch.value());
    if (!st.ok()) {
      index_valid_ = false;
      return st;
    }
  }
  std::vector<iceberg::DataFile> data;
  for (SinkPayload& p : payloads) {
    for (iceberg::DataFile& f : p.files) data.push_back(std::move(f));
  }
  auto snapshot = table_->RowDelta(std::move(data), deletes, MakeSummary(epoch));
  if (!snapshot.ok()) {
    index_valid_ = false;
    for (const iceberg::DataFile& d : deletes) (void)RemoveFile(d.file_path);
    return snapshot.status();
  }
  return OkStatus();
}

Status IcebergSink::EnsureIndex() {
  if (index_valid_) return OkStatus();
  Status st = index_.Rebuild(*table_->metadata(), key_columns_);
  if (!st.ok()) return st.WithContext(name() + ": rebuilding the key index");
  index_valid_ = true;
  return OkStatus();
}

Status IcebergSink::ApplyUpserts(std::vector<SinkPayload>* payloads, std::vector<iceberg::DataFile>* deletes,
                                 int64_t epoch) {
  RETURN_IF_ERROR(EnsureIndex());
  std::map<int32_t, std::vector<int64_t>> replaced;  // old file -> positions
  auto drop = [&](std::optional<UpsertIndex::Location> old) {
    if (old) replaced[old->file].push_back(old->pos);
  };
  for (const SinkPayload& p : *payloads) {
    for (size_t i = 0; i < p.row_keys.size(); ++i) {
      int32_t file = index_.AddFile(p.files[i].file_path, p.files[i].partition);
      for (size_t pos = 0; pos < p.row_keys[i].size(); ++pos) {
        drop(index_.Put(p.row_keys[i][pos], {file, static_cast<int64_t>(pos)}));
      }
    }
    for (const std::string& key : p.deleted_keys) drop(index_.Erase(key));
  }
  std::map<std::string, std::pair<std::vector<columnar::Value>, std::vector<PositionDelete>>> by_partition;
  for (auto& [file, positions] : replaced) {
    const UpsertIndex::FileRef& ref = index_.file(file);
    std::string key;
    for (const columnar::Value& v : ref.partition) key += v.ToString() + "\x1f";
    auto& group = by_partition[key];
    group.first = ref.partition;
    for (int64_t pos : positions) group.second.push_back({ref.path, pos});
  }
  for (auto& [key, group] : by_partition) {
    auto f = WritePositionDeletes(*layout_, std::move(group.second), group.first, EpochFilePrefix(epoch, "deletes"));
    if (!f.ok()) {
      for (const iceberg::DataFile& d : *deletes) (void)RemoveFile(d.file_path);
      return f.status();
    }
    deletes->push_back(std::move(*f));
  }
  return OkStatus();
}

void IcebergSink::FollowMoves(const std::vector<MovedRows>& moves) {
  std::vector<UpsertIndex::Move> index_moves;
  for (const MovedRows& m : moves) {
    index_moves.push_back({m.old_path, &m.kept, index_.AddFile(m.new_path, m.new_partition), m.new_first_pos});
  }
  index_.Relocate(index_moves);
}

Status IcebergSink::RunMaintenance(bool orphans) {
  ++maintenance_.runs;
  RETURN_IF_ERROR(table_->Refresh());
  int64_t epoch = committed_.value_or(LastEpochOf(*table_->metadata()).value_or(0));
  if (upsert()) RETURN_IF_ERROR(EnsureIndex());
  auto compacted = CompactTable(*table_, *layout_, options_.compaction, epoch, upsert());
  if (!compacted.ok()) {
    index_valid_ = false;
    return compacted.status().WithContext(name() + ": compaction");
  }
  if (compacted->rewritten_data_files > 0 || compacted->removed_delete_files > 0) {
    ++maintenance_.compactions;
    if (upsert()) FollowMoves(compacted->moves);
  }
  int64_t now = WallMillis();
  iceberg::ExpireOptions expire{now - options_.max_snapshot_age_ms, std::max(1, options_.keep_snapshots)};
  ASSIGN_OR_RETURN(iceberg::ExpireResult expired, iceberg::ExpireSnapshots(*table_, expire));
  maintenance_.expired_snapshots += static_cast<int64_t>(expired.expired_snapshot_ids.size());
  if (orphans || now - last_orphan_run_ms_ >= options_.orphan_interval_ms) {
    last_orphan_run_ms_ = now;
    ASSIGN_OR_RETURN(std::vector<std::string> removed,
                     iceberg::RemoveOrphanFiles(*table_, now - options_.orphan_age_ms));
    maintenance_.removed_orphans += static_cast<int64_t>(removed.size());
  }
  return OkStatus();
}

SinkFactory MakeIcebergSinkFactory(table::Catalog* catalog, IcebergSinkOptions defaults) {
  return [catalog, defaults](const sql::TableDef& target, int /*insert*/) -> Result<std::unique_ptr<Sink>> {
    ASSIGN_OR_RETURN(std::unique_ptr<IcebergSink> sink, IcebergSink::Open(target, catalog, defaults));
    return std::unique_ptr<Sink>(std::move(sink));
  };
}

}  // namespace kappa::engine
