// The Iceberg sink on upsert tables (PRIMARY KEY): a changelog over many
// epochs read back after every commit against a model, position-delete
// files as Iceberg wants them, a restarted sink rebuilding its key index.
#include <map>
#include <random>

#include "iceberg_sink_test_util.h"
#include "table/iceberg/table_io.h"

namespace kappa::engine::testing {
namespace {

constexpr int64_t kT0 = 1700000000000;

// A changelog generator and the table it should leave: key -> row text.
class Model {
 public:
  explicit Model(uint32_t seed) : rng_(seed) {}

  // One epoch of changes for `keys` keys, as one batch.
  columnar::Batch Epoch(int keys, int changes) {
    std::vector<std::vector<Value>> rows;
    std::vector<RowKind> kinds;
    for (int c = 0; c < changes; ++c) {
      int64_t id = static_cast<int64_t>(rng_() % static_cast<uint32_t>(keys));
      auto it = live_.find(id);
      int64_t amount = static_cast<int64_t>(rng_() % 1000);
      bool remove = it != live_.end() && rng_() % 4 == 0;
      if (it == live_.end()) {
        Add(id, amount, RowKind::kInsert, &rows, &kinds);
      } else if (remove) {
        rows.push_back(Row(id, "k", kT0 + id, it->second));
        kinds.push_back(RowKind::kDelete);
        live_.erase(it);
      } else {
        rows.push_back(Row(id, "k", kT0 + id, it->second));
        kinds.push_back(RowKind::kUpdateBefore);
        Add(id, amount, RowKind::kUpdateAfter, &rows, &kinds);
      }
    }
    return Rows(rows, kinds);
  }

  std::vector<std::string> Expected() const {
    std::vector<std::string> out;
    for (const auto& [id, amount] : live_) out.push_back(Text(id, "k", kT0 + id, amount));
    std::sort(out.begin(), out.end());
    return out;
  }

 private:
  void Add(int64_t id, int64_t amount, RowKind kind, std::vector<std::vector<Value>>* rows,
           std::vector<RowKind>* kinds) {
    rows->push_back(Row(id, "k", kT0 + id, amount));
    kinds->push_back(kind);
    live_[id] = amount;
  }

  std::mt19937 rng_;
  std::map<int64_t, int64_t> live_;
};

class IcebergSinkUpsertTest : public ::testing::Test {
 protected:
  std::unique_ptr<IcebergSink> OpenSink(std::vector<std::string> partitioned_by = {}) {
    IcebergSinkOptions o;
    o.maintenance_every = 0;
    auto sink = IcebergSink::Open(ServingTable("revenue__v1", {0}, std::move(partitioned_by)), wh_.catalog(), o);
    EXPECT_TRUE(sink.ok()) << sink.status();
    return sink.ok() ? std::move(*sink) : nullptr;
  }

  Warehouse wh_;
};

TEST_F(IcebergSinkUpsertTest, ChangelogOverManyEpochsReadsBackAsTheModel) {
  auto sink = OpenSink();
  ASSERT_NE(sink, nullptr);
  EXPECT_TRUE(sink->upsert());
  EXPECT_EQ(sink->table().metadata()->current_schema().identifier_field_ids, std::vector<int32_t>{1});
  auto writers = MakeWriters(*sink, 1);
  Model model(7);
  for (int64_t e = 1; e <= 25; ++e) {
    auto payloads = Prepare(writers, {model.Epoch(40, 30)}, e);
    ASSERT_TRUE(sink->Commit(Epoch(e), payloads).ok());
    ASSERT_EQ(ReadTable(wh_.catalog(), "revenue__v1"), model.Expected()) << "after epoch " << e;
  }
  auto m = sink->table().metadata();
  EXPECT_EQ(m->current_snapshot()->summary.at("kappa.epoch"), "25");
  EXPECT_NE(m->current_snapshot()->summary.count("total-position-deletes"), 0u);
}

TEST_F(IcebergSinkUpsertTest, PositionDeletesAreSortedAndPointAtReplacedRows) {
  auto sink = OpenSink();
  auto writers = MakeWriters(*sink, 1);
  ASSERT_TRUE(sink->Commit(Epoch(1), Prepare(writers, {Rows({Row(1, "k", kT0, 1), Row(2, "k", kT0, 2),
                                                               Row(3, "k", kT0, 3)})}, 1)).ok());
  auto first_metadata = sink->table().metadata();
  auto first_files = table::iceberg::ReadLiveFiles(*first_metadata, *first_metadata->current_snapshot());
  ASSERT_TRUE(first_files.ok()) << first_files.status();
  const auto& first = *first_files;
  ASSERT_EQ(first.size(), 1u);
  std::string data_path = first[0].entry.data_file.file_path;
  // Update key 3, delete key 1.
  auto batch = Rows({Row(3, "k", kT0, 3), Row(3, "k", kT0, 30), Row(1, "k", kT0, 1)},
                    {RowKind::kUpdateBefore, RowKind::kUpdateAfter, RowKind::kDelete});
  ASSERT_TRUE(sink->Commit(Epoch(2), Prepare(writers, {batch}, 2)).ok());
  auto m = sink->table().metadata();
  EXPECT_EQ(m->current_snapshot()->operation(), "overwrite");
  std::vector<table::iceberg::DataFile> deletes;
  auto live = table::iceberg::ReadLiveFiles(*m, *m->current_snapshot());
  ASSERT_TRUE(live.ok()) << live.status();
  for (const auto& f : *live) {  // not over .value() of a temporary: it would dangle
    if (f.entry.data_file.content == table::iceberg::FileContent::kPositionDeletes) deletes.push_back(f.entry.data_file);
  }
  ASSERT_EQ(deletes.size(), 1u);
  EXPECT_EQ(deletes[0].record_count, 2);
  auto positions = ReadPositionDeletes(deletes).value();
  ASSERT_EQ(positions.size(), 1u);
  EXPECT_EQ(positions.begin()->first, data_path);
  EXPECT_EQ(positions.begin()->second, (std::vector<int64_t>{0, 2}));  // keys 1 and 3
  auto reader = table::parquet::ParquetReader::Open(deletes[0].file_path).value();
  EXPECT_EQ(reader->columns()[0].field_id, table::iceberg::kDeleteFilePathId);
  EXPECT_EQ(reader->columns()[1].field_id, table::iceberg::kDeletePosId);
  EXPECT_EQ(ReadTable(wh_.catalog(), "revenue__v1"),
            (std::vector<std::string>{Text(2, "k", kT0, 2), Text(3, "k", kT0, 30)}));
}

TEST_F(IcebergSinkUpsertTest, ManyChangesToOneKeyInAnEpochLeaveOneRow) {
  auto sink = OpenSink();
  auto writers = MakeWriters(*sink, 2);
  std::vector<std::vector<Value>> rows = {Row(5, "k", kT0, 1)};
  std::vector<RowKind> kinds = {RowKind::kInsert};
  for (int i = 2; i <= 50; ++i) {
    rows.push_back(Row(5, "k", kT0, i - 1));
    kinds.push_back(RowKind::kUpdateBefore);
    rows.push_back(Row(5, "k", kT0, i));
    kinds.push_back(RowKind::kUpdateAfter);
  }
  auto payloads = Prepare(writers, {Rows(rows, kinds), Rows({Row(6, "k", kT0, 6)})}, 1);
  ASSERT_TRUE(sink->Commit(Epoch(1), payloads).ok());
  EXPECT_EQ(sink->table().metadata()->current_snapshot()->summary.at("total-records"), "2");
  EXPECT_EQ(ReadTable(wh_.catalog(), "revenue__v1"),
            (std::vector<std::string>{Text(5, "k", kT0, 50), Text(6, "k", kT0, 6)}));
}

TEST_F(IcebergSinkUpsertTest, RestartedSinkRebuildsItsIndexFromTheTable) {
  Model model(11);
  {
    auto sink = OpenSink({"ts"});
    auto writers = MakeWriters(*sink, 1);
    for (int64_t e = 1; e <= 10; ++e) ASSERT_TRUE(sink->Commit(Epoch(e), Prepare(writers, {model.Epoch(30, 20)}, e)).ok());
  }
  auto sink = OpenSink({"ts"});
  ASSERT_TRUE(sink->Recover(Epoch(10), "").ok());
  EXPECT_EQ(sink->LastCommittedEpoch().value(), std::optional<Epoch>(Epoch(10)));
  auto writers = MakeWriters(*sink, 1);
  for (int64_t e = 11; e <= 20; ++e) {
    ASSERT_TRUE(sink->Commit(Epoch(e), Prepare(writers, {model.Epoch(30, 20)}, e)).ok());
    ASSERT_EQ(ReadTable(wh_.catalog(), "revenue__v1"), model.Expected()) << "after epoch " << e;
  }
}

TEST_F(IcebergSinkUpsertTest, RecommitAfterACrashBetweenCheckpointAndCommit) {
  Model model(3);
  std::vector<std::string> p6;
  std::vector<std::string> expected_after_5;
  {
    auto sink = OpenSink();
    auto writers = MakeWriters(*sink, 1);
    for (int64_t e = 1; e <= 5; ++e) ASSERT_TRUE(sink->Commit(Epoch(e), Prepare(writers, {model.Epoch(20, 15)}, e)).ok());
    p6 = Prepare(writers, {model.Epoch(20, 15)}, 6);  // checkpointed, never committed
  }
  auto sink = OpenSink();
  ASSERT_TRUE(sink->Recover(Epoch(6), "").ok());
  ASSERT_TRUE(sink->Commit(Epoch(6), p6).ok());
  ASSERT_TRUE(sink->Commit(Epoch(6), p6).ok());
  EXPECT_EQ(ReadTable(wh_.catalog(), "revenue__v1"), model.Expected());
  EXPECT_EQ(sink->table().metadata()->snapshots.size(), 6u);
}

}  // namespace
}  // namespace kappa::engine::testing
