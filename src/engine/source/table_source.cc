#include "engine/source/table_source.h"

#include <charconv>
#include <deque>
#include <set>

#include "engine/sink/iceberg_files.h"
#include "table/iceberg/table.h"

namespace kappa::engine {

namespace iceberg = table::iceberg;

namespace {

constexpr size_t kWholeFile = static_cast<size_t>(-1);

std::optional<int64_t> IntOption(const sql::TableDef& t, const std::string& key) {
  std::string s = t.Option(key);
  if (s.empty()) return std::nullopt;
  int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

Result<std::string> LocationOf(const sql::TableDef& t, const table::Catalog* catalog) {
  std::string location = t.Option(kTableLocationOption);
  if (!location.empty()) return location;
  if (catalog == nullptr) return Busy("table {}: no warehouse to read it from", t.name);
  ASSIGN_OR_RETURN(table::TableIdent ident, catalog->Resolve(t.name));
  return catalog->TableLocation(ident);
}

Result<iceberg::ScanOptions> ScanOptionsOf(const sql::TableDef& t, std::vector<iceberg::Predicate> filter) {
  iceberg::ScanOptions o;
  o.filter = std::move(filter);
  if (!t.Option("snapshot-id").empty()) {
    o.snapshot_id = IntOption(t, "snapshot-id");
    if (!o.snapshot_id) return Invalid("table {}: bad snapshot id '{}'", t.name, t.Option("snapshot-id"));
  }
  if (!t.Option("as-of-timestamp").empty()) {
    o.as_of_timestamp_ms = IntOption(t, "as-of-timestamp");
    if (!o.as_of_timestamp_ms) return Invalid("table {}: bad timestamp '{}'", t.name, t.Option("as-of-timestamp"));
  }
  return o;
}

Status CheckSchema(const sql::TableDef& t, const iceberg::Schema& schema) {
  if (schema.fields.size() != t.physical.size()) {
    return Busy("table {} has {} columns, the query expects {}", t.name, schema.fields.size(),
                              t.physical.size());
  }
  for (size_t i = 0; i < schema.fields.size(); ++i) {
    const columnar::Field& f = t.physical.field(i);
    if (schema.fields[i].name != f.name || !(schema.fields[i].type == f.type)) {
      return Busy("table {}: column {} is {} {} in the table, {} {} in the query", t.name, i,
                                schema.fields[i].name, schema.fields[i].type.ToString(), f.name, f.type.ToString());
    }
  }
  return OkStatus();
}

}  // namespace

bool IsServingTable(const sql::TableDef& table) {
  std::string connector = table.Option("connector");
  return connector.empty() || connector == "iceberg";
}

// One task's stream: takes units from the scan's queue.
class TableScanStream final : public ChunkStream {
 public:
  explicit TableScanStream(TableScan* scan) : scan_(scan) {}

  Result<std::optional<Chunk>> Next() override {
    while (pending_.empty()) {
      TableScan::Unit unit;
      if (!scan_->TakeUnit(&unit)) return std::optional<Chunk>();
      std::vector<columnar::Batch> batches;
      RETURN_IF_ERROR(scan_->ReadUnit(unit, &batches));
      for (columnar::Batch& b : batches) {
        if (b.active_rows() > 0) pending_.push_back(std::move(b));
      }
    }
    Chunk c(std::move(pending_.front()));
    pending_.pop_front();
    return std::optional<Chunk>(std::move(c));
  }

 private:
  TableScan* scan_;
  std::deque<columnar::Batch> pending_;
};

Result<std::unique_ptr<TableScan>> TableScan::Open(std::shared_ptr<const sql::TableDef> table,
                                                   const table::Catalog* catalog, TableScanOptions options) {
  if (table == nullptr) return Internal("table scan without a table");
  ASSIGN_OR_RETURN(std::string location, LocationOf(*table, catalog));
  ASSIGN_OR_RETURN(std::unique_ptr<iceberg::Table> t, iceberg::Table::Load(location));
  std::unique_ptr<TableScan> scan(new TableScan());
  scan->metadata_ = t->metadata();
  RETURN_IF_ERROR(CheckSchema(*table, scan->metadata_->current_schema()));
  ASSIGN_OR_RETURN(iceberg::ScanOptions so, ScanOptionsOf(*table, options.filter));
  auto plan = iceberg::PlanScan(*scan->metadata_, so);
  if (!plan.ok()) return plan.status().WithContext("table " + table->name);
  scan->plan_ = std::move(*plan);
  scan->table_ = std::move(table);
  scan->options_ = std::move(options);
  size_t n = scan->table_->physical.size();
  for (size_t i = 0; i < n; ++i) scan->columns_.push_back(static_cast<int>(i));
  scan->read_ = scan->options_.columns.empty() ? std::vector<bool>(n, true) : scan->options_.columns;
  scan->read_.resize(n, true);
  RETURN_IF_ERROR(scan->MakeUnits());
  return scan;
}

Status TableScan::MakeUnits() {
  std::vector<iceberg::DataFile> deletes;
  std::set<std::string> seen;
  for (size_t i = 0; i < plan_.tasks.size(); ++i) {
    const iceberg::FileScanTask& t = plan_.tasks[i];
    for (const iceberg::DataFile& d : t.deletes) {
      if (seen.insert(d.file_path).second) deletes.push_back(d);
    }
    size_t groups = t.data_file.split_offsets.size();
    if (groups == 0) {
      units_.push_back({i, kWholeFile});
      continue;
    }
    for (size_t rg = 0; rg < groups; ++rg) units_.push_back({i, rg});
  }
  ASSIGN_OR_RETURN(deleted_, ReadPositionDeletes(deletes));
  readers_.resize(plan_.tasks.size());
  units_left_.assign(plan_.tasks.size(), 0);
  for (const Unit& u : units_) ++units_left_[u.task];
  return OkStatus();
}

bool TableScan::TakeUnit(Unit* unit) {
  size_t i = next_unit_.fetch_add(1);
  if (i >= units_.size()) return false;
  *unit = units_[i];
  return true;
}

Result<std::shared_ptr<DataFileReader>> TableScan::ReaderFor(size_t task) {
  std::lock_guard lock(mu_);
  if (readers_[task] == nullptr) {
    const std::string& path = plan_.tasks[task].data_file.file_path;
    auto d = deleted_.find(path);
    const std::vector<int64_t>* del = d == deleted_.end() ? nullptr : &d->second;
    auto reader = DataFileReader::Open(path, metadata_->current_schema(), columns_, del, read_);
    if (!reader.ok()) return reader.status().WithContext("table " + table_->name);
    readers_[task] = std::move(*reader);
  }
  return readers_[task];
}

void TableScan::UnitDone(size_t task) {
  std::lock_guard lock(mu_);
  if (--units_left_[task] == 0) readers_[task].reset();
}

Status TableScan::ReadUnit(const Unit& unit, std::vector<columnar::Batch>* out) {
  ASSIGN_OR_RETURN(std::shared_ptr<DataFileReader> reader, ReaderFor(unit.task));
  UnitDone(unit.task);  // `reader` stays open until this unit is read
  size_t groups = plan_.tasks[unit.task].data_file.split_offsets.size();
  size_t first = unit.rg == kWholeFile ? 0 : unit.rg;
  // The file's last unit reads any row groups its split offsets did not list.
  bool to_end = unit.rg == kWholeFile || unit.rg + 1 == groups;
  size_t last = to_end ? reader->num_row_groups() : unit.rg + 1;
  for (size_t rg = first; rg < last && rg < reader->num_row_groups(); ++rg) {
    if (reader->RowGroupDeleted(rg) || !reader->RowGroupMightMatch(rg, options_.filter)) {
      skipped_row_groups_.fetch_add(1);
      continue;
    }
    ASSIGN_OR_RETURN(std::vector<columnar::Batch> batches, reader->ReadRowGroup(rg));
    for (columnar::Batch& b : batches) out->push_back(std::move(b));
  }
  return OkStatus();
}

Result<std::unique_ptr<ChunkStream>> TableScan::StreamForTask(int /*task*/) {
  return std::unique_ptr<ChunkStream>(new TableScanStream(this));
}

Result<std::vector<columnar::Batch>> TableScan::ReadAll() {
  std::vector<columnar::Batch> out;
  TableScanStream stream(this);
  for (;;) {
    ASSIGN_OR_RETURN(std::optional<Chunk> c, stream.Next());
    if (!c) break;
    out.push_back(std::move(c->batch));
  }
  return out;
}

}  // namespace kappa::engine
