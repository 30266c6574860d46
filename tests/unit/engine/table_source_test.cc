// Reading serving tables: TableScan (time travel, projection, row-group
// pruning), the warehouse sql::Catalog (aliases), and bounded SQL queries
// over a table written by the sink.
#include "engine/bounded_query.h"
#include "engine/source/scan_analysis.h"
#include "iceberg_sink_test_util.h"
#include "sql/compile.h"

namespace kappa::engine::testing {
namespace {

constexpr int64_t kT0 = 1700000000000;

class TableSourceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    IcebergSinkOptions o;
    o.maintenance_every = 0;
    sink_ = IcebergSink::Open(ServingTable("revenue__v1"), wh_.catalog(), o).value();
    writers_ = MakeWriters(*sink_, 1);
  }

  // Commits one epoch of rows and returns the new snapshot id.
  int64_t CommitRows(int64_t epoch, const std::vector<std::vector<Value>>& rows) {
    Status st = sink_->Commit(Epoch(epoch), Prepare(writers_, {Rows(rows)}, epoch));
    EXPECT_TRUE(st.ok()) << st;
    return sink_->table().metadata()->current_snapshot()->snapshot_id;
  }

  Result<QueryResult> Query(const std::string& text) {
    WarehouseCatalog catalog(wh_.catalog());
    ASSIGN_OR_RETURN(sql::BoundQuery q, sql::CompileQuery(text, catalog));
    QueryOptions o;
    o.catalog = wh_.catalog();
    o.parallelism = 2;
    return RunBoundedQuery(q.plan, o);
  }

  Warehouse wh_;
  std::unique_ptr<IcebergSink> sink_;
  std::vector<std::unique_ptr<SinkWriter>> writers_;
};

TEST_F(TableSourceTest, TimeTravelBySnapshotIdAndTimestamp) {
  int64_t s1 = CommitRows(1, {Row(1, "a", kT0, 10)});
  int64_t s2 = CommitRows(2, {Row(2, "b", kT0, 20)});
  CommitRows(3, {Row(3, "c", kT0, 30)});
  EXPECT_EQ(ReadTable(wh_.catalog(), "revenue__v1").size(), 3u);
  EXPECT_EQ(ReadTable(wh_.catalog(), "revenue__v1", {{"snapshot-id", std::to_string(s1)}}),
            (std::vector<std::string>{Text(1, "a", kT0, 10)}));
  EXPECT_EQ(ReadTable(wh_.catalog(), "revenue__v1", {{"snapshot-id", std::to_string(s2)}}).size(), 2u);
  auto m = sink_->table().metadata();
  int64_t at = m->SnapshotById(s2)->timestamp_ms;
  EXPECT_GE(ReadTable(wh_.catalog(), "revenue__v1", {{"as-of-timestamp", std::to_string(at)}}).size(), 2u);
  auto def = ServingTableDef(*wh_.catalog(), "revenue__v1").value();
  def->options["as-of-timestamp"] = std::to_string(m->SnapshotById(s1)->timestamp_ms - 1);
  EXPECT_EQ(TableScan::Open(def, wh_.catalog(), {}).status().code(), StatusCode::kNotFound);
}

TEST_F(TableSourceTest, ProjectionReadsOnlyTheColumnsAsked) {
  CommitRows(1, {Row(1, "a", kT0, 10), Row(2, "b", kT0, 20)});
  auto def = ServingTableDef(*wh_.catalog(), "revenue__v1").value();
  TableScanOptions o;
  o.columns = {true, false, false, true};
  auto rows = SortedRows(TableScan::Open(def, wh_.catalog(), o).value()->ReadAll().value());
  EXPECT_EQ(rows, (std::vector<std::string>{"1|NULL|NULL|10", "2|NULL|NULL|20"}));
}

TEST_F(TableSourceTest, RowGroupsOutsideTheFilterAreSkipped) {
  CommitRows(1, {Row(1, "a", kT0, 10)});
  CommitRows(2, {Row(50, "b", kT0, 20)});
  auto def = ServingTableDef(*wh_.catalog(), "revenue__v1").value();
  TableScanOptions o;
  o.filter = {{"id", table::iceberg::CompareOp::kGt, Value::Int64(10)}};
  auto scan = TableScan::Open(def, wh_.catalog(), o).value();
  EXPECT_EQ(scan->skipped_files(), 1);
  EXPECT_EQ(SortedRows(scan->ReadAll().value()), (std::vector<std::string>{Text(50, "b", kT0, 20)}));
}

TEST_F(TableSourceTest, CatalogResolvesAliasesToTheIcebergSchema) {
  CommitRows(1, {Row(1, "a", kT0, 10)});
  ASSERT_TRUE(wh_.catalog()->SetAliases({{"revenue", "revenue__v1"}}).ok());
  WarehouseCatalog catalog(wh_.catalog());
  auto def = catalog.FindTable("revenue");
  ASSERT_NE(def, nullptr);
  EXPECT_EQ(def->name, "revenue");
  EXPECT_EQ(def->Option("connector"), "iceberg");
  EXPECT_EQ(def->Option("kappa.table"), "default.revenue__v1");
  EXPECT_EQ(def->physical.ToString(), RevenueSchema().ToString());
  EXPECT_NE(catalog.FindTable("default.revenue"), nullptr);
  EXPECT_EQ(catalog.FindTable("nope"), nullptr);
}

TEST_F(TableSourceTest, BoundedSqlOverAServingTable) {
  std::vector<std::vector<Value>> rows;
  for (int64_t i = 0; i < 1000; ++i) rows.push_back(Row(i, i % 2 ? "odd" : "even", kT0 + i, i));
  CommitRows(1, rows);
  ASSERT_TRUE(wh_.catalog()->SetAliases({{"revenue", "revenue__v1"}}).ok());
  auto r = Query("SELECT name, SUM(amount) AS total, COUNT(*) AS n FROM revenue WHERE id >= 500 GROUP BY name");
  ASSERT_TRUE(r.ok()) << r.status();
  std::vector<std::string> got = SortedRows(r->batches);
  // even: 500 + 502 + ... + 998; odd: 501 + ... + 999.
  EXPECT_EQ(got, (std::vector<std::string>{"even|187250|250", "odd|187500|250"}));
}

TEST_F(TableSourceTest, BoundedSqlTimeTravel) {
  int64_t s1 = CommitRows(1, {Row(1, "a", kT0, 10)});
  CommitRows(2, {Row(2, "b", kT0, 20)});
  auto r = Query(fmt::format("SELECT COUNT(*) FROM revenue__v1 FOR VERSION AS OF {}", s1));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(SortedRows(r->batches), std::vector<std::string>{"1"});
}

TEST_F(TableSourceTest, AnalysisFindsColumnsAndPredicates) {
  CommitRows(1, {Row(1, "a", kT0, 10)});
  WarehouseCatalog catalog(wh_.catalog());
  auto q = sql::CompileQuery("SELECT name, SUM(amount) FROM revenue__v1 WHERE id > 5 GROUP BY name", catalog);
  ASSERT_TRUE(q.ok()) << q.status();
  const sql::Plan* scan = q->plan.get();
  while (scan->kind != sql::PlanKind::kScan) scan = scan->inputs[0].get();
  ScanNeeds needs = AnalyzeScan(*q->plan, scan->table.get());
  EXPECT_EQ(needs.columns, (std::vector<bool>{true, true, false, true}));
  ASSERT_EQ(needs.filter.size(), 1u);
  EXPECT_EQ(needs.filter[0].column, "id");
  EXPECT_EQ(needs.filter[0].op, table::iceberg::CompareOp::kGt);
}

}  // namespace
}  // namespace kappa::engine::testing
