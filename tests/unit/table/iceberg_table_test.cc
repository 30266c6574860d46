#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "base/file.h"
#include "base/time.h"
#include "table/iceberg/maintenance.h"
#include "table/iceberg/scan.h"
#include "table/iceberg/snapshot_builder.h"
#include "table/iceberg/table.h"
#include "table/iceberg/table_io.h"
#include "iceberg_test_util.h"

namespace kappa::table::iceberg {
namespace {

using columnar::Value;
using testing::MakeDataFile;
using testing::ScratchDir;

ExpireOptions Expire(int64_t older_than_ms, int retain_last) {
  ExpireOptions o;
  o.older_than_ms = older_than_ms;
  o.retain_last = retain_last;
  return o;
}

class IcebergTableTest : public ::testing::Test {
 protected:
  std::string location() const { return dir_.path() + "/default/events"; }
  std::unique_ptr<Table> CreateTable(const PartitionSpec& spec = {}) {
    auto t = Table::Create(location(), testing::EventsSchema(), spec);
    EXPECT_TRUE(t.ok()) << t.status();
    return std::move(*t);
  }
  std::string DataPath(const std::string& name) const { return location() + "/data/" + name; }
  // Writes a small file so orphan removal has something real to look at.
  DataFile RealDataFile(const std::string& name, int64_t rows, int64_t lo, int64_t hi) {
    DataFile f = MakeDataFile(DataPath(name), rows, lo, hi);
    EXPECT_TRUE(WriteFileAtomically(f.file_path, std::string(static_cast<size_t>(f.file_size_in_bytes), 'x')).ok());
    return f;
  }
  static std::set<std::string> Paths(const ScanPlan& plan) {
    std::set<std::string> out;
    for (const FileScanTask& t : plan.tasks) out.insert(t.data_file.file_path);
    return out;
  }

  ScratchDir dir_;
};

TEST_F(IcebergTableTest, CreateWritesLayoutAndLoads) {
  auto t = CreateTable();
  EXPECT_TRUE(PathExists(location() + "/metadata/v1.metadata.json"));
  EXPECT_EQ(ReadFile(location() + "/metadata/version-hint.text").value(), "1");
  EXPECT_TRUE(PathExists(location() + "/data"));
  auto again = Table::Create(location(), testing::EventsSchema(), {});
  EXPECT_EQ(again.status().code(), StatusCode::kAlreadyExists);
  auto loaded = Table::Load(location());
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ(*(*loaded)->metadata(), *t->metadata());
  EXPECT_EQ(Table::Load(dir_.path() + "/nope").status().code(), StatusCode::kNotFound);
}

TEST_F(IcebergTableTest, CommitSequenceSummariesAndTimeTravel) {
  auto t = CreateTable();
  Summary sink = {{"kappa.pipeline", "revenue"}, {"kappa.version", "2"}, {"kappa.epoch", "1"},
                  {"kappa.offsets", "payments:0=100"}};
  auto s1 = t->Append({MakeDataFile(DataPath("a.parquet"), 10, 1, 10)}, sink);
  ASSERT_TRUE(s1.ok()) << s1.status();
  sink["kappa.epoch"] = "2";
  auto s2 = t->Append({MakeDataFile(DataPath("b.parquet"), 5, 11, 15)}, sink);
  ASSERT_TRUE(s2.ok()) << s2.status();

  EXPECT_GT(s1->snapshot_id, 0);
  EXPECT_LT(s1->snapshot_id, int64_t{1} << 53);
  EXPECT_EQ(s1->sequence_number, 1);
  EXPECT_EQ(s2->sequence_number, 2);
  EXPECT_EQ(s2->parent_snapshot_id, s1->snapshot_id);
  EXPECT_EQ(s2->summary.at("operation"), "append");
  EXPECT_EQ(s2->summary.at("kappa.epoch"), "2");
  EXPECT_EQ(s2->summary.at("kappa.offsets"), "payments:0=100");
  EXPECT_EQ(s2->summary.at("total-records"), "15");
  EXPECT_EQ(s2->summary.at("total-data-files"), "2");
  EXPECT_EQ(s2->summary.at("added-records"), "5");

  auto loaded = Table::Load(location());
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ((*loaded)->version(), 3);
  auto m = (*loaded)->metadata();
  EXPECT_EQ(m->current_snapshot_id, s2->snapshot_id);
  EXPECT_EQ(m->refs.at("main").snapshot_id, s2->snapshot_id);
  EXPECT_EQ(m->last_sequence_number, 2);
  EXPECT_EQ(m->snapshot_log.size(), 2u);
  ASSERT_EQ(m->metadata_log.size(), 2u);
  EXPECT_EQ(m->metadata_log[0].metadata_file, location() + "/metadata/v1.metadata.json");
  EXPECT_EQ(ReadFile(location() + "/metadata/version-hint.text").value(), "3");

  auto now = PlanScan(*m, {});
  ASSERT_TRUE(now.ok()) << now.status();
  EXPECT_EQ(Paths(*now), (std::set<std::string>{DataPath("a.parquet"), DataPath("b.parquet")}));
  auto v1 = PlanScan(*m, ScanOptions::AtSnapshot(s1->snapshot_id));
  ASSERT_TRUE(v1.ok());
  EXPECT_EQ(Paths(*v1), (std::set<std::string>{DataPath("a.parquet")}));
  auto as_of = PlanScan(*m, ScanOptions::AsOf(s1->timestamp_ms));
  ASSERT_TRUE(as_of.ok());
  EXPECT_EQ(as_of->snapshot->snapshot_id, s2->timestamp_ms == s1->timestamp_ms ? s2->snapshot_id : s1->snapshot_id);
  EXPECT_EQ(PlanScan(*m, ScanOptions::AsOf(s1->timestamp_ms - 1)).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(PlanScan(*m, ScanOptions::AtSnapshot(12345)).status().code(), StatusCode::kNotFound);
}

TEST_F(IcebergTableTest, ConcurrentCommitConflictFailsCleanly) {
  auto a = CreateTable();
  auto b = Table::Load(location()).value();
  ASSERT_TRUE(a->Append({MakeDataFile(DataPath("a.parquet"), 1, 1, 1)}, {}).ok());
  auto lost = b->Append({MakeDataFile(DataPath("b.parquet"), 1, 2, 2)}, {});
  ASSERT_FALSE(lost.ok());
  EXPECT_EQ(lost.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(lost.status().message().find("conflict"), std::string_view::npos);
  // Nothing of the losing commit is left behind in metadata/.
  auto names = ListDir(location() + "/metadata").value();
  for (const std::string& n : names) EXPECT_EQ(n.find(".tmp"), std::string::npos) << n;
  EXPECT_EQ(names.size(), 5u);  // v1, v2, hint, one manifest, one list
  ASSERT_TRUE(b->Refresh().ok());
  auto retried = b->Append({MakeDataFile(DataPath("b.parquet"), 1, 2, 2)}, {});
  ASSERT_TRUE(retried.ok()) << retried.status();
  EXPECT_EQ(retried->sequence_number, 2);
}

TEST_F(IcebergTableTest, RacingThreadsEachCommitExactlyOnce) {
  CreateTable();
  constexpr int kThreads = 4, kCommits = 5;
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      auto t = Table::Load(location()).value();
      for (int c = 0; c < kCommits;) {
        auto s = t->Append({MakeDataFile(DataPath(fmt::format("{}-{}.parquet", i, c)), 1, c, c)}, {});
        if (s.ok()) {
          ++c;
        } else {
          ASSERT_EQ(s.status().code(), StatusCode::kFailedPrecondition) << s.status();
          ASSERT_TRUE(t->Refresh().ok());
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  auto t = Table::Load(location()).value();
  auto plan = PlanScan(*t->metadata(), {}).value();
  EXPECT_EQ(plan.tasks.size(), size_t{kThreads * kCommits});
  EXPECT_EQ(t->metadata()->last_sequence_number, kThreads * kCommits);
}

TEST_F(IcebergTableTest, DeleteFilesApplyBySequenceNumber) {
  auto t = CreateTable();
  std::string a = DataPath("a.parquet"), b = DataPath("b.parquet");
  ASSERT_TRUE(t->Append({MakeDataFile(a, 10, 1, 10)}, {}).ok());                 // seq 1
  // Position deletes for a, committed together with a new data file c: they
  // apply to a (seq 1 <= 2) and would apply to c too (same seq), but name a.
  std::string c = DataPath("c.parquet");
  auto s2 = t->RowDelta({MakeDataFile(c, 3, 20, 22)}, {testing::MakePositionDeletes(DataPath("d1.parquet"), a, 2)}, {});
  ASSERT_TRUE(s2.ok()) << s2.status();
  EXPECT_EQ(s2->summary.at("operation"), "overwrite");
  EXPECT_EQ(s2->summary.at("total-position-deletes"), "2");
  // Equality deletes at seq 3 apply to a and c (older), not to b (same seq).
  auto s3 = t->RowDelta({MakeDataFile(b, 4, 30, 33)}, {testing::MakeEqualityDeletes(DataPath("e1.parquet"), 1)}, {});
  ASSERT_TRUE(s3.ok()) << s3.status();

  auto plan = PlanScan(*t->metadata(), {}).value();
  std::map<std::string, std::set<std::string>> deletes;
  for (const FileScanTask& task : plan.tasks) {
    for (const DataFile& d : task.deletes) deletes[task.data_file.file_path].insert(d.file_path);
  }
  EXPECT_EQ(deletes[a], (std::set<std::string>{DataPath("d1.parquet"), DataPath("e1.parquet")}));
  EXPECT_EQ(deletes[c], (std::set<std::string>{DataPath("e1.parquet")}));
  EXPECT_EQ(deletes[b], (std::set<std::string>{}));

  // The rules alone: position deletes reach equal sequence numbers, equality deletes do not.
  LiveFile data{{EntryStatus::kAdded, 1, 5, 5, MakeDataFile("/x", 1, 1, 1)}, 0};
  DataFile pos = testing::MakePositionDeletes("/p", "/x", 1);
  LiveFile pos_same{{EntryStatus::kAdded, 1, 5, 5, pos}, 0};
  LiveFile pos_older{{EntryStatus::kAdded, 1, 4, 4, pos}, 0};
  LiveFile eq_same{{EntryStatus::kAdded, 1, 5, 5, testing::MakeEqualityDeletes("/e", 1)}, 0};
  LiveFile eq_newer{{EntryStatus::kAdded, 1, 6, 6, testing::MakeEqualityDeletes("/e", 1)}, 0};
  const TableMetadata& m = *t->metadata();
  EXPECT_TRUE(DeleteApplies(pos_same, data, m));
  EXPECT_FALSE(DeleteApplies(pos_older, data, m));
  EXPECT_FALSE(DeleteApplies(eq_same, data, m));
  EXPECT_TRUE(DeleteApplies(eq_newer, data, m));
}

TEST_F(IcebergTableTest, PositionDeletesStayInTheirPartition) {
  Schema schema = testing::EventsSchema();
  auto t = CreateTable(MakePartitionSpec(schema, {{"ts", Transform::kDay}}).value());
  std::string a = DataPath("a.parquet"), b = DataPath("b.parquet");
  ASSERT_TRUE(t->Append({MakeDataFile(a, 1, 1, 1, {Value::Date(1)}), MakeDataFile(b, 1, 1, 1, {Value::Date(2)})}, {}).ok());
  DataFile del = testing::MakePositionDeletes(DataPath("d.parquet"), a, 1, {Value::Date(1)});
  del.lower_bounds.clear();  // no file_path bounds: partition decides
  del.upper_bounds.clear();
  ASSERT_TRUE(t->RowDelta({}, {del}, {}).ok());
  auto plan = PlanScan(*t->metadata(), {}).value();
  for (const FileScanTask& task : plan.tasks) {
    EXPECT_EQ(task.deletes.size(), task.data_file.file_path == a ? 1u : 0u) << task.data_file.file_path;
  }
}

TEST_F(IcebergTableTest, ReplaceRemovesFilesAndDetectsLostFiles) {
  auto t = CreateTable();
  std::string a = DataPath("a.parquet"), b = DataPath("b.parquet"), ab = DataPath("ab.parquet");
  ASSERT_TRUE(t->Append({MakeDataFile(a, 10, 1, 10)}, {}).ok());
  ASSERT_TRUE(t->Append({MakeDataFile(b, 5, 11, 15)}, {}).ok());
  auto s3 = t->Replace({a, b}, {MakeDataFile(ab, 15, 1, 15)}, {{"kappa.compaction", "1"}});
  ASSERT_TRUE(s3.ok()) << s3.status();
  EXPECT_EQ(s3->summary.at("operation"), "replace");
  EXPECT_EQ(s3->summary.at("deleted-data-files"), "2");
  EXPECT_EQ(s3->summary.at("total-records"), "15");
  EXPECT_EQ(s3->summary.at("total-data-files"), "1");
  auto plan = PlanScan(*t->metadata(), {}).value();
  EXPECT_EQ(Paths(plan), (std::set<std::string>{ab}));
  // The older snapshot still sees the old files.
  auto old = PlanScan(*t->metadata(), ScanOptions::AtSnapshot(*s3->parent_snapshot_id)).value();
  EXPECT_EQ(Paths(old), (std::set<std::string>{a, b}));
  // Removing a file that is no longer live is a conflict.
  auto again = t->Replace({a}, {MakeDataFile(DataPath("z.parquet"), 1, 1, 1)}, {});
  EXPECT_EQ(again.status().code(), StatusCode::kFailedPrecondition);
}

TEST_F(IcebergTableTest, ManifestsMergeAfterManyCommits) {
  auto t = Table::Create(location(), testing::EventsSchema(), {}, {}, {{kPropMergeMinCount, "5"}}).value();
  for (int i = 0; i < 12; ++i) {
    ASSERT_TRUE(t->Append({MakeDataFile(DataPath(fmt::format("{}.parquet", i)), 1, i, i)}, {}).ok());
  }
  auto m = t->metadata();
  auto manifests = ReadManifestList(m->current_snapshot()->manifest_list).value();
  EXPECT_LE(manifests.size(), 6u);
  auto plan = PlanScan(*m, {}).value();
  EXPECT_EQ(plan.tasks.size(), 12u);
  std::set<int64_t> seqs;
  for (const FileScanTask& task : plan.tasks) seqs.insert(task.data_sequence_number);
  EXPECT_EQ(seqs.size(), 12u);  // merged entries keep their own sequence numbers
}

TEST_F(IcebergTableTest, PruningByStatsAndPartitions) {
  Schema schema = testing::EventsSchema();
  auto t = CreateTable(MakePartitionSpec(schema, {{"ts", Transform::kDay}}).value());
  using testing::kDayMs;
  ASSERT_TRUE(t->Append({MakeDataFile(DataPath("d1.parquet"), 10, 1, 10, {Value::Date(1)})}, {}).ok());
  ASSERT_TRUE(t->Append({MakeDataFile(DataPath("d2.parquet"), 10, 11, 20, {Value::Date(2)})}, {}).ok());
  auto m = t->metadata();
  auto plan = [&](std::vector<Predicate> filter) { return Paths(PlanScan(*m, ScanOptions::Filtered(std::move(filter))).value()); };
  std::string d1 = DataPath("d1.parquet"), d2 = DataPath("d2.parquet");
  EXPECT_EQ(plan({{"id", CompareOp::kEq, Value::Int64(5)}}), (std::set<std::string>{d1}));
  EXPECT_EQ(plan({{"id", CompareOp::kGt, Value::Int32(10)}}), (std::set<std::string>{d2}));
  EXPECT_EQ(plan({{"id", CompareOp::kLtEq, Value::Int64(0)}}), (std::set<std::string>{}));
  EXPECT_EQ(plan({{"ts", CompareOp::kGtEq, Value::Timestamp(2 * kDayMs + 5)}}), (std::set<std::string>{d2}));
  EXPECT_EQ(plan({{"ts", CompareOp::kLt, Value::Timestamp(2 * kDayMs)}}), (std::set<std::string>{d1}));
  EXPECT_EQ(plan({{"ts", CompareOp::kEq, Value::Timestamp(3 * kDayMs)}}), (std::set<std::string>{}));
  EXPECT_EQ(plan({{"name", CompareOp::kIsNull, Value()}}), (std::set<std::string>{d1, d2}));
  EXPECT_EQ(plan({{"id", CompareOp::kIsNull, Value()}}), (std::set<std::string>{}));
  EXPECT_EQ(plan({{"unknown", CompareOp::kEq, Value::Int64(1)}}), (std::set<std::string>{d1, d2}));
  EXPECT_EQ(plan({{"id", CompareOp::kEq, Value::String("x")}}), (std::set<std::string>{d1, d2}));
  auto pruned = PlanScan(*m, ScanOptions::Filtered({{"ts", CompareOp::kEq, Value::Timestamp(kDayMs)}})).value();
  EXPECT_EQ(pruned.skipped_manifests, 1);
}

TEST_F(IcebergTableTest, ExpireSnapshotsDeletesOnlyUnreferencedFiles) {
  auto t = CreateTable();
  DataFile a = RealDataFile("a.parquet", 10, 1, 10);
  DataFile b = RealDataFile("b.parquet", 5, 11, 15);
  DataFile ab = RealDataFile("ab.parquet", 15, 1, 15);
  DataFile c = RealDataFile("c.parquet", 1, 16, 16);
  auto s1 = t->Append({a}, {}).value();
  auto s2 = t->Append({b}, {}).value();
  auto s3 = t->Replace({a.file_path, b.file_path}, {ab}, {}).value();
  auto s4 = t->Append({c}, {}).value();
  std::string old_list = s1.manifest_list;

  auto result = ExpireSnapshots(*t, Expire(s4.timestamp_ms + 1, 2));
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(std::set<int64_t>(result->expired_snapshot_ids.begin(), result->expired_snapshot_ids.end()),
            (std::set<int64_t>{s1.snapshot_id, s2.snapshot_id}));
  EXPECT_FALSE(PathExists(a.file_path));
  EXPECT_FALSE(PathExists(b.file_path));
  EXPECT_FALSE(PathExists(old_list));
  EXPECT_TRUE(PathExists(ab.file_path));
  EXPECT_TRUE(PathExists(c.file_path));
  EXPECT_TRUE(PathExists(s3.manifest_list));
  auto m = Table::Load(location()).value()->metadata();
  EXPECT_EQ(m->snapshots.size(), 2u);
  EXPECT_EQ(m->snapshot_log.size(), 2u);
  EXPECT_EQ(Paths(PlanScan(*m, {}).value()), (std::set<std::string>{ab.file_path, c.file_path}));
  EXPECT_EQ(Paths(PlanScan(*m, ScanOptions::AtSnapshot(s3.snapshot_id)).value()), (std::set<std::string>{ab.file_path}));
  // Nothing left to expire: the current snapshot always stays.
  auto none = ExpireSnapshots(*t, Expire(s4.timestamp_ms + 1000, 1));
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->expired_snapshot_ids.size(), 1u);
  EXPECT_EQ(t->metadata()->current_snapshot_id, s4.snapshot_id);
}

TEST_F(IcebergTableTest, RemoveOrphanFilesKeepsReferencedAndYoungFiles) {
  auto t = CreateTable();
  DataFile a = RealDataFile("a.parquet", 10, 1, 10);
  ASSERT_TRUE(t->Append({a}, {}).ok());
  std::string orphan = DataPath("ts_day=2024-01-01/orphan.parquet");
  ASSERT_TRUE(CreateDirs(DataPath("ts_day=2024-01-01")).ok());
  ASSERT_TRUE(WriteFileAtomically(orphan, "junk").ok());
  ASSERT_TRUE(WriteFileAtomically(location() + "/metadata/stray.avro", "junk").ok());
  // A cutoff in the past protects everything (commits in flight).
  auto young = RemoveOrphanFiles(*t, 0);
  ASSERT_TRUE(young.ok());
  EXPECT_TRUE(young->empty());
  auto removed = RemoveOrphanFiles(*t, WallMillis() + 60000);
  ASSERT_TRUE(removed.ok()) << removed.status();
  EXPECT_EQ(std::set<std::string>(removed->begin(), removed->end()),
            (std::set<std::string>{orphan, location() + "/metadata/stray.avro"}));
  EXPECT_TRUE(PathExists(a.file_path));
  auto loaded = Table::Load(location());
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ(PlanScan(*(*loaded)->metadata(), {}).value().tasks.size(), 1u);
}

TEST_F(IcebergTableTest, FindSmallFilesGroupsByPartition) {
  Schema schema = testing::EventsSchema();
  auto t = CreateTable(MakePartitionSpec(schema, {{"ts", Transform::kDay}}).value());
  std::vector<DataFile> files;
  for (int i = 0; i < 3; ++i) files.push_back(MakeDataFile(DataPath(fmt::format("a{}.parquet", i)), i, 0, 0, {Value::Date(1)}));
  files.push_back(MakeDataFile(DataPath("b.parquet"), 1, 0, 0, {Value::Date(2)}));
  DataFile big = MakeDataFile(DataPath("big.parquet"), 1, 0, 0, {Value::Date(1)});
  big.file_size_in_bytes = 1 << 30;
  files.push_back(big);
  ASSERT_TRUE(t->Append(files, {}).ok());
  auto groups = FindSmallFiles(*t->metadata(), 1 << 20, 2);
  ASSERT_TRUE(groups.ok());
  ASSERT_EQ(groups->size(), 1u);
  EXPECT_EQ((*groups)[0].partition, std::vector<Value>{Value::Date(1)});
  EXPECT_EQ((*groups)[0].files.size(), 3u);
  EXPECT_EQ((*groups)[0].files[0].entry.data_file.file_path, DataPath("a0.parquet"));
}

TEST_F(IcebergTableTest, ReaderProbesPastAStaleVersionHint) {
  auto t = CreateTable();
  ASSERT_TRUE(t->Append({MakeDataFile(DataPath("a.parquet"), 1, 1, 1)}, {}).ok());
  ASSERT_TRUE(WriteFileAtomically(location() + "/metadata/version-hint.text", "1").ok());  // as after a crash
  EXPECT_EQ(Table::Load(location()).value()->version(), 2);
  ASSERT_TRUE(RemoveFile(location() + "/metadata/version-hint.text").ok());
  EXPECT_EQ(Table::Load(location()).value()->version(), 2);
}

TEST_F(IcebergTableTest, RefusesBadFiles) {
  Schema schema = testing::EventsSchema();
  auto t = CreateTable(MakePartitionSpec(schema, {{"ts", Transform::kDay}}).value());
  EXPECT_EQ(t->Append({MakeDataFile(DataPath("a.parquet"), 1, 1, 1)}, {}).status().code(), StatusCode::kInvalidArgument);
  DataFile del = testing::MakePositionDeletes(DataPath("d.parquet"), "x", 1, {Value::Date(1)});
  EXPECT_FALSE(t->Append({del}, {}).ok());
  EXPECT_EQ(t->version(), 1);
}

}  // namespace
}  // namespace kappa::table::iceberg
