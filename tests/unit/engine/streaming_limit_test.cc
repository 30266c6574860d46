// Streaming LIMIT without ORDER BY: the first n rows pass, a batch is cut
// by its selection, later rows are dropped, the count survives a
// snapshot, and the planner gathers the rows into one task.
#include "engine/ops/streaming_limit.h"
#include "engine/planner.h"
#include "engine_test_util.h"
#include "gtest/gtest.h"
#include "sql/compile.h"

namespace kappa::engine {
namespace {

using namespace testing;
using columnar::DataType;

class StreamingLimitTest : public ::testing::Test {
 protected:
  StreamingLimitTest() : schema_(MakeSchema({{"v", DataType::Int64()}})) {}

  sql::PlanPtr Plan(int64_t limit, bool updating_input = false) {
    auto scan = std::const_pointer_cast<sql::Plan>(ScanPlan(Table("t", schema_, "t")));
    scan->updates = updating_input;
    auto p = std::make_shared<sql::Plan>();
    p->kind = sql::PlanKind::kLimit;
    p->inputs = {scan};
    p->schema = schema_;
    p->limit = limit;
    return p;
  }

  std::unique_ptr<Chain> MakeChain(int64_t limit) {
    auto op = StreamingLimit::Make(*Plan(limit));
    EXPECT_TRUE(op.ok()) << op.status();
    auto chain = std::make_unique<Chain>(
        std::vector<std::shared_ptr<const Operator>>{std::shared_ptr<const Operator>(std::move(*op))},
        std::vector<SplitInfo>{});
    EXPECT_TRUE(chain->Open().ok());
    return chain;
  }

  std::string Push(Chain& chain, std::vector<int64_t> values) {
    std::vector<std::vector<Value>> rows;
    for (int64_t v : values) rows.push_back({I64(v)});
    EXPECT_TRUE(chain.Push(MakeBatch(schema_, rows)).ok());
    std::string text = chain.out().Text();
    chain.out().chunks.clear();
    return text;
  }

  columnar::Schema schema_;
};

TEST_F(StreamingLimitTest, FirstRowsPassThenNothing) {
  auto chain = MakeChain(4);
  EXPECT_EQ(Push(*chain, {1, 2}), "+I[1]\n+I[2]\n");
  EXPECT_EQ(Push(*chain, {3, 4, 5}), "+I[3]\n+I[4]\n");
  EXPECT_EQ(Push(*chain, {6}), "");
}

TEST_F(StreamingLimitTest, LimitZeroPassesNothing) {
  auto chain = MakeChain(0);
  EXPECT_EQ(Push(*chain, {1}), "");
}

TEST_F(StreamingLimitTest, CountSurvivesASnapshot) {
  auto chain = MakeChain(3);
  Push(*chain, {1, 2});
  auto snap = chain->Snapshot(1);
  ASSERT_TRUE(snap.ok());
  auto restored = MakeChain(3);
  ASSERT_TRUE(restored->Restore(*snap).ok());
  EXPECT_EQ(Push(*restored, {7, 8}), "+I[7]\n");
  EXPECT_FALSE(restored->Restore({"x"}).ok());
}

TEST_F(StreamingLimitTest, UpdatingInputIsRefused) {
  auto op = StreamingLimit::Make(*Plan(3, true));
  ASSERT_FALSE(op.ok());
  EXPECT_NE(std::string(op.status().message()).find("LIMIT over an updating input"),
            std::string::npos);
}

TEST(StreamingLimitPlanTest, PipelinesGatherLimitedRowsIntoOneTask) {
  auto p = sql::CompilePipeline(
      "CREATE TABLE t (v BIGINT) WITH ('connector' = 'kafka', 'topic' = 't', 'format' = 'json');\n"
      "CREATE TABLE out (v BIGINT) WITH ('connector' = 'kafka', 'topic' = 'out', 'format' = 'json');\n"
      "INSERT INTO out SELECT v FROM t LIMIT 3;",
      nullptr);
  ASSERT_TRUE(p.ok()) << p.status();
  auto plan = PlanPipeline(*p, {nullptr});
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_NE(plan->ToString().find("Limit(streaming) <- node 0 single"), std::string::npos)
      << plan->ToString();
}

}  // namespace
}  // namespace kappa::engine
