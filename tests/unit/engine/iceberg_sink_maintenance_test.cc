// Maintenance run by the Iceberg sink: compaction keeps a table's rows
// (append and upsert, and upserts keep working after it), expiry keeps the
// configured history, orphan removal deletes only unreferenced old files.
#include <filesystem>

#include "iceberg_sink_test_util.h"
#include "table/iceberg/table_io.h"

namespace kappa::engine::testing {
namespace {

constexpr int64_t kT0 = 1700000000000;

struct FileCounts {
  size_t data = 0, deletes = 0;
};

FileCounts LiveFiles(IcebergSink& sink) {
  auto m = sink.table().metadata();
  FileCounts c;
  // Keep the Result alive: a range-for over ReadLiveFiles(...).value() would
  // iterate a vector destroyed with the temporary Result (C++20).
  auto files = table::iceberg::ReadLiveFiles(*m, *m->current_snapshot());
  EXPECT_TRUE(files.ok()) << files.status();
  if (!files.ok()) return c;
  for (const auto& f : *files) {
    (f.entry.data_file.content == table::iceberg::FileContent::kData ? c.data : c.deletes) += 1;
  }
  return c;
}

class IcebergSinkMaintenanceTest : public ::testing::Test {
 protected:
  std::unique_ptr<IcebergSink> OpenSink(std::vector<int> key, IcebergSinkOptions o) {
    auto sink = IcebergSink::Open(ServingTable("revenue__v1", std::move(key)), wh_.catalog(), o);
    EXPECT_TRUE(sink.ok()) << sink.status();
    return sink.ok() ? std::move(*sink) : nullptr;
  }

  Warehouse wh_;
};

TEST_F(IcebergSinkMaintenanceTest, CompactionOfAnAppendTableKeepsItsRows) {
  IcebergSinkOptions o;
  o.maintenance_every = 0;
  o.compaction.min_files = 4;
  auto sink = OpenSink({}, o);
  auto writers = MakeWriters(*sink, 2);
  for (int64_t e = 1; e <= 12; ++e) {
    auto p = Prepare(writers, {Rows({Row(e, "a", kT0 + e, e)}), Rows({Row(100 + e, "b", kT0 + e, e)})}, e);
    ASSERT_TRUE(sink->Commit(Epoch(e), p).ok());
  }
  auto before = ReadTable(wh_.catalog(), "revenue__v1");
  EXPECT_EQ(before.size(), 24u);
  EXPECT_EQ(LiveFiles(*sink).data, 24u);
  ASSERT_TRUE(sink->RunMaintenance().ok());
  EXPECT_EQ(sink->maintenance().compactions, 1);
  EXPECT_EQ(LiveFiles(*sink).data, 1u);
  EXPECT_EQ(ReadTable(wh_.catalog(), "revenue__v1"), before);
  auto m = sink->table().metadata();
  EXPECT_EQ(m->current_snapshot()->operation(), "replace");
  EXPECT_EQ(m->current_snapshot()->summary.at("kappa.epoch"), "12");
  EXPECT_EQ(sink->LastCommittedEpoch().value(), std::optional<Epoch>(Epoch(12)));
}

TEST_F(IcebergSinkMaintenanceTest, CompactionOfAnUpsertTableDropsDeletesAndUpsertsGoOn) {
  IcebergSinkOptions o;
  o.maintenance_every = 0;
  o.compaction.min_files = 3;
  o.compaction.min_delete_files = 3;
  auto sink = OpenSink({0}, o);
  auto writers = MakeWriters(*sink, 1);
  std::map<int64_t, int64_t> live;
  auto expected = [&] {
    std::vector<std::string> out;
    for (auto [id, amount] : live) out.push_back(Text(id, "k", kT0, amount));
    std::sort(out.begin(), out.end());
    return out;
  };
  int64_t e = 0;
  auto update_all = [&](int64_t amount) {
    std::vector<std::vector<Value>> rows;
    std::vector<RowKind> kinds;
    for (int64_t id = 0; id < 8; ++id) {
      if (live.count(id)) {
        rows.push_back(Row(id, "k", kT0, live[id]));
        kinds.push_back(RowKind::kUpdateBefore);
      }
      rows.push_back(Row(id, "k", kT0, amount + id));
      kinds.push_back(live.count(id) ? RowKind::kUpdateAfter : RowKind::kInsert);
      live[id] = amount + id;
    }
    ++e;
    ASSERT_TRUE(sink->Commit(Epoch(e), Prepare(writers, {Rows(rows, kinds)}, e)).ok());
  };
  for (int i = 0; i < 6; ++i) update_all(i * 100);
  FileCounts c = LiveFiles(*sink);
  EXPECT_EQ(c.data, 6u);
  EXPECT_EQ(c.deletes, 5u);
  ASSERT_TRUE(sink->RunMaintenance().ok());
  c = LiveFiles(*sink);
  EXPECT_EQ(c.data, 1u);
  EXPECT_EQ(c.deletes, 0u);
  EXPECT_EQ(ReadTable(wh_.catalog(), "revenue__v1"), expected());
  // The key index followed the rows into the compacted file.
  for (int i = 6; i < 9; ++i) {
    update_all(i * 100);
    ASSERT_EQ(ReadTable(wh_.catalog(), "revenue__v1"), expected());
  }
  // Deleting every key leaves an empty table.
  std::vector<std::vector<Value>> rows;
  std::vector<RowKind> kinds;
  for (auto [id, amount] : live) {
    rows.push_back(Row(id, "k", kT0, amount));
    kinds.push_back(RowKind::kDelete);
  }
  live.clear();
  ++e;  // not inside the call: argument evaluation order is unspecified
  ASSERT_TRUE(sink->Commit(Epoch(e), Prepare(writers, {Rows(rows, kinds)}, e)).ok());
  EXPECT_TRUE(ReadTable(wh_.catalog(), "revenue__v1").empty());
}

TEST_F(IcebergSinkMaintenanceTest, ExpiryKeepsTheConfiguredHistory) {
  IcebergSinkOptions o;
  o.maintenance_every = 5;
  o.keep_snapshots = 3;
  o.max_snapshot_age_ms = -3600 * 1000;  // every snapshot counts as old: only the newest 3 stay
  o.compaction.min_files = 1000;
  auto sink = OpenSink({}, o);
  auto writers = MakeWriters(*sink, 1);
  std::vector<int64_t> ids;
  for (int64_t e = 1; e <= 10; ++e) {
    ASSERT_TRUE(sink->Commit(Epoch(e), Prepare(writers, {Rows({Row(e, "a", kT0, e)})}, e)).ok());
    ids.push_back(sink->table().metadata()->current_snapshot()->snapshot_id);
  }
  EXPECT_EQ(sink->maintenance().runs, 2);
  EXPECT_EQ(sink->maintenance().last_error, "");
  auto m = sink->table().metadata();
  EXPECT_EQ(m->snapshots.size(), 3u);
  EXPECT_EQ(ReadTable(wh_.catalog(), "revenue__v1").size(), 10u);
  // Time travel to a kept snapshot works; to an expired one it is an error.
  EXPECT_EQ(ReadTable(wh_.catalog(), "revenue__v1", {{"snapshot-id", std::to_string(ids[8])}}).size(), 9u);
  auto def = ServingTableDef(*wh_.catalog(), "revenue__v1").value();
  def->options["snapshot-id"] = std::to_string(ids[0]);
  EXPECT_EQ(TableScan::Open(def, wh_.catalog(), {}).status().code(), StatusCode::kNotFound);
  // Manifest lists of expired snapshots are gone.
  for (const std::string& f : FilesUnder(sink->table().metadata_dir())) {
    if (f.find("/snap-") == std::string::npos) continue;
    bool kept = false;
    for (const auto& s : m->snapshots) kept = kept || s.manifest_list == f;
    EXPECT_TRUE(kept) << f;
  }
}

TEST_F(IcebergSinkMaintenanceTest, OrphanRemovalDeletesOnlyOldUnreferencedFiles) {
  IcebergSinkOptions o;
  o.maintenance_every = 0;
  o.orphan_age_ms = 60 * 1000;
  auto sink = OpenSink({}, o);
  auto writers = MakeWriters(*sink, 1);
  ASSERT_TRUE(sink->Commit(Epoch(1), Prepare(writers, {Rows({Row(1, "a", kT0, 1)})}, 1)).ok());
  std::string old_orphan = sink->table().data_dir() + "/e1-t9-lost.parquet";
  std::string new_orphan = sink->table().data_dir() + "/e2-t0-inflight.parquet";
  ASSERT_TRUE(WriteFileAtomic(old_orphan, "x").ok());
  ASSERT_TRUE(WriteFileAtomic(new_orphan, "x").ok());
  std::filesystem::last_write_time(old_orphan,
                                   std::filesystem::file_time_type::clock::now() - std::chrono::hours(2));
  ASSERT_TRUE(sink->RunMaintenance(/*orphans=*/true).ok());
  EXPECT_EQ(sink->maintenance().removed_orphans, 1);
  EXPECT_FALSE(PathExists(old_orphan));
  EXPECT_TRUE(PathExists(new_orphan));
  EXPECT_EQ(ReadTable(wh_.catalog(), "revenue__v1").size(), 1u);
}

}  // namespace
}  // namespace kappa::engine::testing
