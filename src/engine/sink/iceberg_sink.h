// IcebergSink writes an INSERT's rows into a serving table: an Iceberg v2
// table of the warehouse catalog (a CREATE TABLE with 'connector' =
// 'iceberg' or no WITH clause), exactly once. src/engine/README.md
// ("Exactly-once: sinks") outlines the protocol; docs/format/checkpoint.md
// the payload, file names and summary keys; in short:
//
// Table: created on first use as target.name (already the physical name,
// "default.revenue__v2"): schema = the TableDef's physical columns with
// fresh field ids, PRIMARY KEY -> identifier-field-ids, PARTITIONED BY (c)
// -> day(c) for a TIMESTAMP column ('partition.transform' = 'hour' for
// hour(c)), day for a DATE, identity otherwise. An existing table must have
// the same columns.
//
// Append tables (no PRIMARY KEY; +I rows only, e.g. windowed results): each
// writer streams its rows into Parquet data files, one per partition, named
// e<epoch>-t<task>-<uuid>.parquet; PrepareCommit finishes them and returns
// their DataFiles as the payload; Commit appends them in one snapshot.
//
// Upsert tables (PRIMARY KEY; a changelog +I/-U/+U/-D): each writer keeps
// the epoch's last change per key in memory, and at PrepareCommit writes
// the surviving rows to data files; the payload also holds every row's key
// and the deleted keys. Commit looks each key up in the sink's UpsertIndex
// (key -> data file, position), writes the replaced and deleted rows'
// positions as position-delete files (sorted file_path, pos) in the
// partition of the file they point into, and commits data + deletes as one
// RowDelta snapshot. Delete files are made at Commit, on the coordinator,
// because only there is the index current (the previous epoch's commit may
// still be running while writers prepare the next one).
//
// Commit(epoch) makes one snapshot whose summary holds kappa.pipeline,
// kappa.version and kappa.epoch; it does nothing when the table already
// holds an epoch >= epoch (idempotent), nor for an epoch that staged
// nothing. LastCommittedEpoch reads kappa.epoch back. Recover(e) deletes the
// files of epochs after e that no snapshot holds (a crash's orphans).
//
// Maintenance runs inside Commit every `maintenance_every` commits on the
// coordinator thread (readers are never blocked: they hold their snapshot):
// compaction (iceberg_compaction.h), snapshot expiry keeping the newest
// `keep_snapshots` and anything younger than `max_snapshot_age_ms`, and,
// every `orphan_interval_ms`, removal of unreferenced files older than
// `orphan_age_ms`. Table properties, and over them WITH options of the
// same names, override the defaults: 'history.expire.min-snapshots-to-keep',
// 'history.expire.max-snapshot-age-ms', 'write.parquet.compression-codec'
// (zstd | snappy), 'write.target-file-size-bytes',
// 'kappa.compaction.small-file-bytes', 'kappa.compaction.min-files',
// 'kappa.compaction.min-delete-files', 'kappa.maintenance.every-commits'.
//
// Thread rules as sink.h; the Catalog must outlive the sink.
#pragma once

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/job.h"
#include "engine/sink/iceberg_compaction.h"
#include "engine/sink/iceberg_files.h"
#include "engine/sink/iceberg_payload.h"
#include "engine/sink/sink.h"
#include "engine/sink/upsert_index.h"
#include "sql/plan.h"
#include "table/catalog.h"

namespace kappa::engine {

struct IcebergSinkOptions {
  std::string pipeline;  // kappa.pipeline; default: the TableDef option, else ""
  int version = 0;       // kappa.version; default: the TableDef option, else the __v<N> suffix
  std::string compression = "zstd";
  int64_t target_file_bytes = int64_t{256} << 20;
  int maintenance_every = 10;  // commits between maintenance runs; 0 = never
  CompactionOptions compaction;
  int keep_snapshots = 100;
  int64_t max_snapshot_age_ms = 3600 * 1000;
  int64_t orphan_age_ms = 3600 * 1000;
  int64_t orphan_interval_ms = 3600 * 1000;
};

// What the last maintenance run did (tests, status).
struct MaintenanceStats {
  int64_t runs = 0;
  int64_t compactions = 0;
  int64_t expired_snapshots = 0;
  int64_t removed_orphans = 0;
  std::string last_error;
};

class IcebergSink final : public Sink {
 public:
  static Result<std::unique_ptr<IcebergSink>> Open(const sql::TableDef& target, table::Catalog* catalog,
                                                   IcebergSinkOptions options = {});

  std::string name() const override { return "table " + ident_.ToString(); }
  bool upsert() const { return !key_columns_.empty(); }
  Result<std::unique_ptr<SinkWriter>> CreateWriter(int task) override;
  Status Recover(Epoch epoch, std::string_view info) override;
  Status Commit(Epoch epoch, const std::vector<std::string>& payloads) override;
  Result<std::optional<Epoch>> LastCommittedEpoch() override;

  // Compaction, expiry and (when due or `orphans`) orphan removal, now.
  Status RunMaintenance(bool orphans = false);
  const MaintenanceStats& maintenance() const { return maintenance_; }
  table::iceberg::Table& table() { return *table_; }
  const TableLayout& layout() const { return *layout_; }

 private:
  friend class IcebergSinkWriter;
  IcebergSink() = default;

  Status CommitOnce(Epoch epoch, std::vector<SinkPayload> payloads);
  Status ApplyUpserts(std::vector<SinkPayload>* payloads, std::vector<table::iceberg::DataFile>* deletes,
                      int64_t epoch);
  Status EnsureIndex();
  void FollowMoves(const std::vector<MovedRows>& moves);
  table::iceberg::Summary MakeSummary(Epoch epoch) const;
  Status DeleteStagedAfter(int64_t epoch);

  table::TableIdent ident_;
  std::unique_ptr<table::iceberg::Table> table_;
  std::shared_ptr<const TableLayout> layout_;
  IcebergSinkOptions options_;
  std::vector<int> key_columns_;
  std::atomic<int64_t> next_epoch_{1};  // writers name files with it
  std::optional<int64_t> committed_;
  UpsertIndex index_;
  bool index_valid_ = false;
  int commits_since_maintenance_ = 0;
  int64_t last_orphan_run_ms_ = 0;
  MaintenanceStats maintenance_;
};

class IcebergSinkWriter final : public SinkWriter {
 public:
  Status Stage(const columnar::Batch& batch) override;
  Result<std::string> PrepareCommit(Epoch epoch) override;
  size_t staged_bytes() const override;

 private:
  friend class IcebergSink;
  IcebergSinkWriter(IcebergSink* sink, int task);

  std::string Prefix();
  Status StageAppend(const columnar::Batch& batch);
  Status StageUpsert(const columnar::Batch& batch);
  Status WriteUpserts(SinkPayload* payload);
  Status RenameToEpoch(std::vector<table::iceberg::DataFile>* files, int64_t epoch);
  Status RollIfLarge();

  IcebergSink* sink_;
  int task_;
  int64_t epoch_ = 0;  // the epoch files are named with; 0 = ask the sink
  DataFileSet files_;
  std::vector<table::iceberg::DataFile> finished_;  // rolled over this epoch
  // Upsert staging: the rows of this epoch (append-only columns) and, per
  // key, the index of its latest row there (-1: deleted).
  std::vector<std::shared_ptr<columnar::Column>> rows_;
  size_t row_count_ = 0;
  absl::flat_hash_map<std::string, int64_t> latest_;
  size_t upsert_bytes_ = 0;
};

// The factory for pipeline::EngineEnv::table_sinks: opens an IcebergSink on
// target.name in `catalog` (which must outlive every sink made).
SinkFactory MakeIcebergSinkFactory(table::Catalog* catalog, IcebergSinkOptions defaults = {});

}  // namespace kappa::engine
