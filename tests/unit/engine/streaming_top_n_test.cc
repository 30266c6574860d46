// Streaming Top-N over an insert-only input: the changelog with the row
// number (-U/+U per shifted rank, +I for a newly filled rank) and without
// it (-D the row pushed out, +I the new one), ties by arrival, NULL sort
// values, a global ORDER BY ... LIMIT, snapshot and restore, and planning.
#include "engine/ops/streaming_top_n.h"
#include "engine/planner.h"
#include "engine_test_util.h"
#include "gtest/gtest.h"
#include "sql/compile.h"

namespace kappa::engine {
namespace {

using namespace testing;
using columnar::DataType;

class StreamingTopNTest : public ::testing::Test {
 protected:
  StreamingTopNTest()
      : schema_(MakeSchema({{"k", DataType::String()}, {"v", DataType::Int64()},
                            {"tag", DataType::String()}})) {}

  sql::PlanPtr Plan(std::vector<int> partition, bool ascending, int64_t n, bool row_number) {
    auto p = std::make_shared<sql::Plan>();
    p->kind = sql::PlanKind::kTopN;
    p->inputs = {ScanPlan(Table("t", schema_, "t"))};
    p->schema = schema_;
    if (row_number) p->schema.Add({"rn", DataType::Int64(), false});
    p->partition_keys = std::move(partition);
    p->sort = {{Col(schema_, 1), ascending, ascending}};
    p->limit = n;
    p->updates = true;
    return p;
  }

  std::unique_ptr<Chain> MakeChain(const sql::PlanPtr& plan) {
    auto op = StreamingTopN::Make(*plan);
    EXPECT_TRUE(op.ok()) << op.status();
    auto chain = std::make_unique<Chain>(
        std::vector<std::shared_ptr<const Operator>>{std::shared_ptr<const Operator>(std::move(*op))},
        std::vector<SplitInfo>{});
    EXPECT_TRUE(chain->Open().ok());
    return chain;
  }

  // Pushes one row and returns what it emitted.
  std::string Push(Chain& chain, Value k, Value v, std::string tag) {
    EXPECT_TRUE(chain.Push(MakeBatch(schema_, {{std::move(k), std::move(v), Str(tag)}})).ok());
    std::string text = chain.out().Text();
    chain.out().chunks.clear();
    return text;
  }

  columnar::Schema schema_;
};

TEST_F(StreamingTopNTest, RowNumberChangesAreUpdatesPerRank) {
  auto plan = Plan({0}, /*ascending=*/false, 2, /*row_number=*/true);
  auto chain = MakeChain(plan);
  EXPECT_EQ(Push(*chain, Str("a"), I64(5), "a5"), "+I[a, 5, a5, 1]\n");
  EXPECT_EQ(Push(*chain, Str("a"), I64(7), "a7"),
            "-U[a, 5, a5, 1]\n+U[a, 7, a7, 1]\n+I[a, 5, a5, 2]\n");
  EXPECT_EQ(Push(*chain, Str("a"), I64(6), "a6"), "-U[a, 5, a5, 2]\n+U[a, 6, a6, 2]\n");
  // A tie ranks after the row it ties with.
  EXPECT_EQ(Push(*chain, Str("a"), I64(7), "a7bis"), "-U[a, 6, a6, 2]\n+U[a, 7, a7bis, 2]\n");
  EXPECT_EQ(Push(*chain, Str("a"), I64(1), "a1"), "");
  EXPECT_EQ(Push(*chain, Str("a"), I64(7), "a7ter"), "");
  EXPECT_EQ(Push(*chain, Str("b"), I64(1), "b1"), "+I[b, 1, b1, 1]\n");
}

TEST_F(StreamingTopNTest, WithoutRowNumberTheEvictedRowIsDeleted) {
  auto chain = MakeChain(Plan({0}, false, 2, false));
  EXPECT_EQ(Push(*chain, Str("a"), I64(5), "a5"), "+I[a, 5, a5]\n");
  EXPECT_EQ(Push(*chain, Str("a"), I64(7), "a7"), "+I[a, 7, a7]\n");
  EXPECT_EQ(Push(*chain, Str("a"), I64(6), "a6"), "-D[a, 5, a5]\n+I[a, 6, a6]\n");
  EXPECT_EQ(Push(*chain, Str("a"), I64(1), "a1"), "");
}

TEST_F(StreamingTopNTest, NullSortValuesAndNullPartitionKeys) {
  // ORDER BY v ASC (NULLS FIRST), one row per partition.
  auto chain = MakeChain(Plan({0}, true, 1, true));
  Value null_key = Value::Null(DataType::String());
  EXPECT_EQ(Push(*chain, null_key, I64(3), "n3"), "+I[NULL, 3, n3, 1]\n");
  EXPECT_EQ(Push(*chain, null_key, Value::Null(DataType::Int64()), "nn"),
            "-U[NULL, 3, n3, 1]\n+U[NULL, NULL, nn, 1]\n");
  EXPECT_EQ(Push(*chain, null_key, I64(-100), "n-100"), "");
}

TEST_F(StreamingTopNTest, GlobalOrderByLimit) {
  auto chain = MakeChain(Plan({}, true, 2, false));
  ASSERT_TRUE(chain->Push(MakeBatch(schema_, {{Str("a"), I64(9), Str("x")},
                                              {Str("b"), I64(3), Str("y")},
                                              {Str("c"), I64(5), Str("z")},
                                              {Str("d"), I64(4), Str("w")}}))
                  .ok());
  EXPECT_EQ(chain->out().Text(),
            "+I[a, 9, x]\n+I[b, 3, y]\n-D[a, 9, x]\n+I[c, 5, z]\n-D[c, 5, z]\n+I[d, 4, w]\n");
}

TEST_F(StreamingTopNTest, SnapshotAndRestoreKeepTheTopRows) {
  auto plan = Plan({0}, false, 2, true);
  auto chain = MakeChain(plan);
  Push(*chain, Str("a"), I64(5), "a5");
  Push(*chain, Str("a"), I64(7), "a7");
  Push(*chain, Value::Null(DataType::String()), Value::Null(DataType::Int64()), "null");
  auto snap = chain->Snapshot(3);
  ASSERT_TRUE(snap.ok()) << snap.status();
  auto restored = MakeChain(plan);
  ASSERT_TRUE(restored->Restore(*snap).ok());
  EXPECT_EQ(Push(*restored, Str("a"), I64(6), "a6"), "-U[a, 5, a5, 2]\n+U[a, 6, a6, 2]\n");
  // DESC NULLS LAST: 1 ranks before the kept NULL.
  EXPECT_EQ(Push(*restored, Value::Null(DataType::String()), I64(1), "one"),
            "-U[NULL, NULL, null, 1]\n+U[NULL, 1, one, 1]\n+I[NULL, NULL, null, 2]\n");
  std::string cut = (*snap)[0].substr(0, (*snap)[0].size() - 2);
  auto damaged = MakeChain(plan);
  EXPECT_FALSE(damaged->Restore({cut}).ok());
}

TEST_F(StreamingTopNTest, UpdatingInputIsRefused) {
  auto p = std::const_pointer_cast<sql::Plan>(Plan({0}, false, 2, true));
  std::const_pointer_cast<sql::Plan>(p->inputs[0])->updates = true;
  auto op = StreamingTopN::Make(*p);
  ASSERT_FALSE(op.ok());
  EXPECT_NE(std::string(op.status().message()).find("over an updating input"), std::string::npos);
}

TEST(StreamingTopNPlanTest, PipelinesPlanTopN) {
  auto p = sql::CompilePipeline(
      "CREATE TABLE bids (auction BIGINT, price BIGINT) "
      "WITH ('connector' = 'kafka', 'topic' = 'bids', 'format' = 'json');\n"
      "CREATE TABLE top_bids (auction BIGINT, price BIGINT, rn BIGINT, "
      "PRIMARY KEY (auction, rn) NOT ENFORCED) "
      "WITH ('connector' = 'kafka', 'topic' = 'top_bids', 'format' = 'json');\n"
      "INSERT INTO top_bids SELECT auction, price, rn FROM (SELECT *, ROW_NUMBER() OVER "
      "(PARTITION BY auction ORDER BY price DESC) AS rn FROM bids) WHERE rn <= 10;",
      nullptr);
  ASSERT_TRUE(p.ok()) << p.status();
  auto plan = PlanPipeline(*p, {nullptr});
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_NE(plan->ToString().find("TopN(streaming) <- source 0 hash"), std::string::npos)
      << plan->ToString();
}

}  // namespace
}  // namespace kappa::engine
