// TableScan reads a serving table (an Iceberg table of the warehouse) for a
// bounded query. Open fixes the snapshot (the current one, or the
// TableDef's time-travel option "snapshot-id" / "as-of-timestamp", see
// sql/compile.h) and plans its files, pruning them by partition values and
// column statistics against the filter; the query then reads only that
// snapshot, whatever commits meanwhile (their files are new; expiry keeps
// files younger than the snapshot history). Work is split into (data file,
// row group) units that the tasks' streams take from a shared queue; each
// unit is read with projection (columns no operator reads come back as
// NULLs), row groups whose statistics exclude the filter are skipped, and
// position deletes are applied as a selection.
//
// Where the table is: the TableDef option "kappa.location" (set by the
// warehouse sql::Catalog, table_catalog.h), else `catalog` resolves
// table.name (aliases first).
//
// Thread-safe: streams of one scan run on several tasks at once.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "engine/source/chunk_stream.h"
#include "engine/source/iceberg_file_reader.h"
#include "sql/plan.h"
#include "table/catalog.h"
#include "table/iceberg/scan.h"

namespace kappa::engine {

// TableDef option naming the table's directory.
inline constexpr const char* kTableLocationOption = "kappa.location";

// True for a serving table: 'connector' = 'iceberg' or none.
bool IsServingTable(const sql::TableDef& table);

struct TableScanOptions {
  std::vector<bool> columns;  // per physical column: read it (empty = all)
  std::vector<table::iceberg::Predicate> filter;
};

class TableScan final : public ChunkStreamFactory {
 public:
  // `catalog` may be null when the TableDef carries its location.
  static Result<std::unique_ptr<TableScan>> Open(std::shared_ptr<const sql::TableDef> table,
                                                 const table::Catalog* catalog, TableScanOptions options);

  Result<std::unique_ptr<ChunkStream>> StreamForTask(int task) override;
  // Every row of the scan in one thread (tests, tools).
  Result<std::vector<columnar::Batch>> ReadAll();

  // The snapshot read (nullopt: the table has none, the scan is empty).
  const std::optional<table::iceberg::Snapshot>& snapshot() const { return plan_.snapshot; }
  size_t planned_files() const { return plan_.tasks.size(); }
  int64_t skipped_files() const { return plan_.skipped_files; }
  int64_t skipped_row_groups() const { return skipped_row_groups_.load(); }

 private:
  friend class TableScanStream;
  struct Unit {
    size_t task;     // index into plan_.tasks
    size_t rg;       // row group; npos = every row group of the file
  };
  TableScan() = default;
  Status MakeUnits();
  // The next unit to read, or false when none is left.
  bool TakeUnit(Unit* unit);
  Result<std::shared_ptr<DataFileReader>> ReaderFor(size_t task);
  void UnitDone(size_t task);
  // Reads one unit's batches, full width (the TableDef's physical columns).
  Status ReadUnit(const Unit& unit, std::vector<columnar::Batch>* out);

  std::shared_ptr<const sql::TableDef> table_;
  std::shared_ptr<const table::iceberg::TableMetadata> metadata_;
  TableScanOptions options_;
  table::iceberg::ScanPlan plan_;
  std::vector<int> columns_;  // every top-level column, in order
  std::vector<bool> read_;
  std::map<std::string, std::vector<int64_t>> deleted_;  // by data file path
  std::vector<Unit> units_;
  std::atomic<size_t> next_unit_{0};
  std::atomic<int64_t> skipped_row_groups_{0};
  std::mutex mu_;  // guards readers_
  std::vector<std::shared_ptr<DataFileReader>> readers_;  // per plan task, opened lazily
  std::vector<size_t> units_left_;  // per plan task: its reader closes at 0
};

}  // namespace kappa::engine
