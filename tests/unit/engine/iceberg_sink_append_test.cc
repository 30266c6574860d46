// The Iceberg sink on append tables: many commits, summaries, idempotent
// re-commits, recovery deleting a crash's staged files, partitioning.
#include "iceberg_sink_test_util.h"

namespace kappa::engine::testing {
namespace {

constexpr int64_t kDay = 86400000;
constexpr int64_t kT0 = 1700000000000;  // 2023-11-14

class IcebergSinkAppendTest : public ::testing::Test {
 protected:
  std::unique_ptr<IcebergSink> OpenSink(sql::TableDef def, IcebergSinkOptions options = {}) {
    auto sink = IcebergSink::Open(def, wh_.catalog(), options);
    EXPECT_TRUE(sink.ok()) << sink.status();
    return sink.ok() ? std::move(*sink) : nullptr;
  }

  Warehouse wh_;
};

TEST_F(IcebergSinkAppendTest, ManyCommitsOneSnapshotEach) {
  // Maintenance off: its compaction adds `replace` snapshots of its own
  // (iceberg_sink_maintenance_test.cc covers it); this test counts commits.
  IcebergSinkOptions options;
  options.maintenance_every = 0;
  auto sink = OpenSink(ServingTable("default.revenue__v1"), options);
  ASSERT_NE(sink, nullptr);
  EXPECT_FALSE(sink->upsert());
  auto writers = MakeWriters(*sink, 2);
  std::vector<std::string> expected;
  for (int64_t e = 1; e <= 20; ++e) {
    std::vector<columnar::Batch> batches;
    for (int w = 0; w < 2; ++w) {
      std::vector<std::vector<Value>> rows;
      for (int i = 0; i < 3; ++i) {
        int64_t id = e * 100 + w * 10 + i;
        rows.push_back(Row(id, "n" + std::to_string(w), kT0 + id, id * 2));
        expected.push_back(Text(id, "n" + std::to_string(w), kT0 + id, id * 2));
      }
      batches.push_back(Rows(rows));
    }
    auto payloads = Prepare(writers, batches, e);
    ASSERT_TRUE(sink->Commit(Epoch(e), payloads).ok());
  }
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(ReadTable(wh_.catalog(), "revenue__v1"), expected);

  auto m = sink->table().metadata();
  ASSERT_EQ(m->snapshots.size(), 20u);
  for (size_t i = 0; i < m->snapshots.size(); ++i) {  // one append per epoch, in order
    EXPECT_EQ(m->snapshots[i].summary.at("operation"), "append") << i;
    EXPECT_EQ(m->snapshots[i].summary.at("kappa.epoch"), std::to_string(i + 1)) << i;
  }
  const auto& summary = m->current_snapshot()->summary;
  EXPECT_EQ(summary.at("kappa.epoch"), "20");
  EXPECT_EQ(summary.at("kappa.pipeline"), "revenue_pipeline");
  EXPECT_EQ(summary.at("kappa.version"), "1");  // from the __v1 suffix
  EXPECT_EQ(summary.at("operation"), "append");
  EXPECT_EQ(summary.at("total-records"), "120");
  EXPECT_EQ(sink->LastCommittedEpoch().value(), std::optional<Epoch>(Epoch(20)));
  for (const std::string& f : FilesUnder(sink->table().data_dir())) {
    EXPECT_TRUE(EpochOfFileName(f).has_value()) << f;
    EXPECT_TRUE(f.ends_with(".parquet")) << f;
  }
}

TEST_F(IcebergSinkAppendTest, RecommitIsIdempotentAcrossInstances) {
  auto sink = OpenSink(ServingTable("revenue__v1"));
  auto writers = MakeWriters(*sink, 1);
  auto p1 = Prepare(writers, {Rows({Row(1, "a", kT0, 10)})}, 1);
  ASSERT_TRUE(sink->Commit(Epoch(1), p1).ok());
  auto p2 = Prepare(writers, {Rows({Row(2, "b", kT0, 20)})}, 2);
  ASSERT_TRUE(sink->Commit(Epoch(2), p2).ok());
  ASSERT_TRUE(sink->Commit(Epoch(2), p2).ok());  // same instance
  ASSERT_TRUE(sink->Commit(Epoch(1), p1).ok());  // older epoch

  auto again = OpenSink(ServingTable("revenue__v1"));  // a restarted job
  ASSERT_TRUE(again->Recover(Epoch(2), "").ok());
  ASSERT_TRUE(again->Commit(Epoch(2), p2).ok());
  EXPECT_EQ(again->table().metadata()->snapshots.size(), 2u);
  EXPECT_EQ(ReadTable(wh_.catalog(), "revenue__v1"),
            (std::vector<std::string>{Text(1, "a", kT0, 10), Text(2, "b", kT0, 20)}));
}

TEST_F(IcebergSinkAppendTest, EmptyEpochMakesNoSnapshot) {
  auto sink = OpenSink(ServingTable("revenue__v1"));
  auto writers = MakeWriters(*sink, 2);
  auto p = Prepare(writers, {}, 1);
  EXPECT_EQ(p, (std::vector<std::string>{"", ""}));
  ASSERT_TRUE(sink->Commit(Epoch(1), p).ok());
  EXPECT_TRUE(sink->table().metadata()->snapshots.empty());
  EXPECT_EQ(sink->LastCommittedEpoch().value(), std::nullopt);
}

TEST_F(IcebergSinkAppendTest, RecoverDeletesFilesOfLaterEpochs) {
  auto sink = OpenSink(ServingTable("revenue__v1"));
  auto writers = MakeWriters(*sink, 1);
  ASSERT_TRUE(sink->Commit(Epoch(1), Prepare(writers, {Rows({Row(1, "a", kT0, 10)})}, 1)).ok());
  // Epoch 2 is checkpointed but the process dies before its commit; epoch 3
  // was being staged.
  auto p2 = Prepare(writers, {Rows({Row(2, "b", kT0, 20)})}, 2);
  ASSERT_TRUE(writers[0]->Stage(Rows({Row(3, "c", kT0, 30)})).ok());
  (void)Prepare(writers, {}, 3);
  size_t before = FilesUnder(sink->table().data_dir()).size();
  EXPECT_EQ(before, 3u);
  writers.clear();
  sink.reset();

  // The job resumes from the checkpoint of epoch 2: epoch 3's file goes,
  // epoch 2's stays for the re-commit.
  auto again = OpenSink(ServingTable("revenue__v1"));
  ASSERT_TRUE(again->Recover(Epoch(2), "").ok());
  auto files = FilesUnder(again->table().data_dir());
  ASSERT_EQ(files.size(), 2u);
  for (const std::string& f : files) EXPECT_LE(EpochOfFileName(f).value(), 2) << f;
  ASSERT_TRUE(again->Commit(Epoch(2), p2).ok());
  EXPECT_EQ(ReadTable(wh_.catalog(), "revenue__v1"),
            (std::vector<std::string>{Text(1, "a", kT0, 10), Text(2, "b", kT0, 20)}));
}

TEST_F(IcebergSinkAppendTest, WriterNamesFilesWithTheEpochItCommits) {
  auto sink = OpenSink(ServingTable("revenue__v1"));
  auto writers = MakeWriters(*sink, 1);
  // The runtime numbers epochs; a writer learns it only at PrepareCommit.
  auto p = Prepare(writers, {Rows({Row(1, "a", kT0, 10)})}, 7);
  ASSERT_TRUE(sink->Commit(Epoch(7), p).ok());
  auto files = FilesUnder(sink->table().data_dir());
  ASSERT_EQ(files.size(), 1u);
  EXPECT_EQ(EpochOfFileName(files[0]), 7);
  EXPECT_EQ(ReadTable(wh_.catalog(), "revenue__v1"), (std::vector<std::string>{Text(1, "a", kT0, 10)}));
}

TEST_F(IcebergSinkAppendTest, PartitionedByDayPrunesFiles) {
  auto sink = OpenSink(ServingTable("revenue__v1", {}, {"ts"}));
  ASSERT_NE(sink, nullptr);
  auto writers = MakeWriters(*sink, 1);
  std::vector<std::vector<Value>> rows;
  for (int d = 0; d < 3; ++d) {
    for (int i = 0; i < 4; ++i) rows.push_back(Row(d * 10 + i, "x", kT0 + d * kDay + i, i));
  }
  ASSERT_TRUE(sink->Commit(Epoch(1), Prepare(writers, {Rows(rows)}, 1)).ok());
  auto m = sink->table().metadata();
  ASSERT_EQ(m->default_spec().fields.size(), 1u);
  EXPECT_EQ(m->default_spec().fields[0].name, "ts_day");
  auto files = FilesUnder(sink->table().data_dir());
  ASSERT_EQ(files.size(), 3u);
  EXPECT_NE(files[0].find("/ts_day="), std::string::npos) << files[0];

  auto def = ServingTableDef(*wh_.catalog(), "revenue__v1").value();
  TableScanOptions o;
  o.filter = {{"ts", table::iceberg::CompareOp::kGtEq, Value::Timestamp(kT0 + 2 * kDay)}};
  auto scan = TableScan::Open(def, wh_.catalog(), o).value();
  EXPECT_EQ(scan->planned_files(), 1u);
  EXPECT_EQ(scan->skipped_files(), 2);
  EXPECT_EQ(SortedRows(scan->ReadAll().value()).size(), 4u);
}

TEST_F(IcebergSinkAppendTest, RefusesRetractions) {
  auto sink = OpenSink(ServingTable("revenue__v1"));
  auto writers = MakeWriters(*sink, 1);
  Status st = writers[0]->Stage(Rows({Row(1, "a", kT0, 1)}, {RowKind::kDelete}));
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument) << st;
  EXPECT_NE(st.ToString().find("PRIMARY KEY"), std::string::npos) << st;
}

TEST_F(IcebergSinkAppendTest, ExistingTableWithOtherColumnsIsRefused) {
  ASSERT_NE(OpenSink(ServingTable("revenue__v1")), nullptr);
  sql::TableDef other = ServingTable("revenue__v1");
  other.physical = columnar::Schema({{"id", DataType::Int64(), true}});
  other.schema = other.physical;
  auto sink = IcebergSink::Open(other, wh_.catalog());
  EXPECT_EQ(sink.status().code(), StatusCode::kFailedPrecondition) << sink.status();
}

TEST_F(IcebergSinkAppendTest, ZstdFilesCarryFieldIdsAndSchema) {
  auto sink = OpenSink(ServingTable("revenue__v1"));
  auto writers = MakeWriters(*sink, 1);
  ASSERT_TRUE(sink->Commit(Epoch(1), Prepare(writers, {Rows({Row(1, "a", kT0, 10)})}, 1)).ok());
  auto files = FilesUnder(sink->table().data_dir());
  ASSERT_EQ(files.size(), 1u);
  auto reader = table::parquet::ParquetReader::Open(files[0]).value();
  ASSERT_TRUE(reader->KeyValue("iceberg.schema").has_value());
  ASSERT_EQ(reader->columns().size(), 4u);
  for (size_t i = 0; i < 4; ++i) EXPECT_EQ(reader->columns()[i].field_id, static_cast<int32_t>(i + 1));
  EXPECT_EQ(reader->metadata().row_groups[0].columns[0].meta_data->codec, table::parquet::Codec::kZstd);
}

}  // namespace
}  // namespace kappa::engine::testing
