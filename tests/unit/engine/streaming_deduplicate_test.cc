// Streaming deduplication: keep first (+I, and -U/+U only for a strictly
// earlier time), keep last (-U/+U for every row not earlier), NULL times,
// several rows of one key in one batch, snapshot and restore of the kept
// rows, and what the planner accepts.
#include "engine/ops/streaming_deduplicate.h"
#include "engine/planner.h"
#include "engine_test_util.h"
#include "gtest/gtest.h"
#include "sql/compile.h"

namespace kappa::engine {
namespace {

using namespace testing;
using columnar::DataType;
using columnar::RowKind;

class StreamingDeduplicateTest : public ::testing::Test {
 protected:
  StreamingDeduplicateTest()
      : schema_(MakeSchema({{"k", DataType::String()}, {"ts", DataType::Timestamp()},
                            {"v", DataType::Decimal(10, 2)}, {"note", DataType::String()}})) {}

  sql::PlanPtr Plan(bool keep_last) {
    auto p = std::make_shared<sql::Plan>();
    p->kind = sql::PlanKind::kDeduplicate;
    p->inputs = {ScanPlan(Table("t", schema_, "t"))};
    p->schema = schema_;
    p->partition_keys = {0};
    p->sort = {{Col(schema_, 1), !keep_last, !keep_last}};
    p->keep_last = keep_last;
    p->updates = true;
    p->unique_key = {0};
    return p;
  }

  std::unique_ptr<Chain> MakeChain(bool keep_last) {
    auto op = StreamingDeduplicate::Make(*Plan(keep_last));
    EXPECT_TRUE(op.ok()) << op.status();
    auto chain = std::make_unique<Chain>(
        std::vector<std::shared_ptr<const Operator>>{std::shared_ptr<const Operator>(std::move(*op))},
        std::vector<SplitInfo>{});
    EXPECT_TRUE(chain->Open().ok());
    return chain;
  }

  static Value Dec(int64_t cents) { return Value::Decimal(cents, 10, 2); }
  static Value NullTs() { return Value::Null(DataType::Timestamp()); }
  static Value NullStr() { return Value::Null(DataType::String()); }

  columnar::Batch Rows(const std::vector<std::vector<Value>>& rows) { return MakeBatch(schema_, rows); }

  std::string Take(Chain& chain) {
    std::string text = chain.out().Text();
    chain.out().chunks.clear();
    return text;
  }

  columnar::Schema schema_;
};

TEST_F(StreamingDeduplicateTest, KeepFirstEmitsInsertsForInOrderRows) {
  auto chain = MakeChain(false);
  ASSERT_TRUE(chain->Push(Rows({{Str("a"), Ts(1000), Dec(150), Str("x")},
                                {Str("b"), Ts(1500), Dec(200), NullStr()},
                                {Str("a"), Ts(2000), Dec(300), Str("y")}}))
                  .ok());
  EXPECT_EQ(Take(*chain), "+I[a, 1970-01-01 00:00:01.000, 1.50, x]\n"
                          "+I[b, 1970-01-01 00:00:01.500, 2.00, NULL]\n");
  // Same time: the first arrival stays.
  ASSERT_TRUE(chain->Push(Rows({{Str("a"), Ts(1000), Dec(999), Str("tie")}})).ok());
  EXPECT_EQ(Take(*chain), "");
  // An earlier time arriving late replaces the kept row.
  ASSERT_TRUE(chain->Push(Rows({{Str("a"), Ts(500), Dec(50), Str("early")}})).ok());
  EXPECT_EQ(Take(*chain), "-U[a, 1970-01-01 00:00:01.000, 1.50, x]\n"
                          "+U[a, 1970-01-01 00:00:00.500, 0.50, early]\n");
}

TEST_F(StreamingDeduplicateTest, KeepLastUpdatesForEveryRowNotEarlier) {
  auto chain = MakeChain(true);
  ASSERT_TRUE(chain->Push(Rows({{Str("a"), Ts(1000), Dec(100), Str("x")},
                                {Str("a"), Ts(2000), Dec(200), Str("y")},
                                {Str("a"), Ts(2000), Dec(201), Str("y2")},
                                {Str("a"), Ts(1500), Dec(150), Str("old")}}))
                  .ok());
  EXPECT_EQ(Take(*chain), "+I[a, 1970-01-01 00:00:01.000, 1.00, x]\n"
                          "-U[a, 1970-01-01 00:00:01.000, 1.00, x]\n"
                          "+U[a, 1970-01-01 00:00:02.000, 2.00, y]\n"
                          "-U[a, 1970-01-01 00:00:02.000, 2.00, y]\n"
                          "+U[a, 1970-01-01 00:00:02.000, 2.01, y2]\n");
}

TEST_F(StreamingDeduplicateTest, NullTimesSortAsTheKeySays) {
  // Keep last orders DESC NULLS LAST: a NULL time never replaces a row,
  // and any time replaces a NULL one.
  auto chain = MakeChain(true);
  ASSERT_TRUE(chain->Push(Rows({{Str("a"), NullTs(), Dec(1), Str("n")},
                                {Str("a"), Ts(5), Dec(2), Str("t")},
                                {Str("a"), NullTs(), Dec(3), Str("n2")}}))
                  .ok());
  EXPECT_EQ(Take(*chain), "+I[a, NULL, 0.01, n]\n"
                          "-U[a, NULL, 0.01, n]\n"
                          "+U[a, 1970-01-01 00:00:00.005, 0.02, t]\n");
}

TEST_F(StreamingDeduplicateTest, SnapshotAndRestoreKeepTheRows) {
  auto chain = MakeChain(true);
  ASSERT_TRUE(chain->Push(Rows({{Str("a"), Ts(1000), Dec(-250), NullStr()},
                                {NullStr(), Ts(7), Dec(1), Str("null key")}}))
                  .ok());
  auto snap = chain->Snapshot(1);
  ASSERT_TRUE(snap.ok()) << snap.status();
  auto restored = MakeChain(true);
  ASSERT_TRUE(restored->Restore(*snap).ok());
  ASSERT_TRUE(restored->Push(Rows({{Str("a"), Ts(1000), Dec(300), Str("z")},
                                   {NullStr(), Ts(6), Dec(2), Str("older")},
                                   {Str("b"), Ts(1), Dec(4), Str("new")}}))
                  .ok());
  EXPECT_EQ(Take(*restored), "-U[a, 1970-01-01 00:00:01.000, -2.50, NULL]\n"
                             "+U[a, 1970-01-01 00:00:01.000, 3.00, z]\n"
                             "+I[b, 1970-01-01 00:00:00.001, 0.04, new]\n");
}

TEST_F(StreamingDeduplicateTest, DamagedSnapshotIsAnError) {
  auto chain = MakeChain(false);
  ASSERT_TRUE(chain->Push(Rows({{Str("a"), Ts(1), Dec(1), Str("x")}})).ok());
  auto snap = chain->Snapshot(1);
  ASSERT_TRUE(snap.ok());
  std::string cut = (*snap)[0].substr(0, (*snap)[0].size() - 3);
  auto other = MakeChain(false);
  EXPECT_FALSE(other->Restore({cut}).ok());
}

TEST_F(StreamingDeduplicateTest, UpdatingInputIsRefused) {
  auto p = std::const_pointer_cast<sql::Plan>(Plan(false));
  auto in = std::const_pointer_cast<sql::Plan>(p->inputs[0]);
  in->updates = true;
  auto op = StreamingDeduplicate::Make(*p);
  ASSERT_FALSE(op.ok());
  EXPECT_NE(std::string(op.status().message()).find("over an updating input"), std::string::npos);
}

TEST(StreamingDeduplicatePlanTest, PipelinesPlanDeduplication) {
  const std::string ddl =
      "CREATE TABLE bids (bidder BIGINT, price BIGINT, ts TIMESTAMP(3), "
      "WATERMARK FOR ts AS ts - INTERVAL '1' SECOND) "
      "WITH ('connector' = 'kafka', 'topic' = 'bids', 'format' = 'json');\n"
      "CREATE TABLE last_bid (bidder BIGINT, price BIGINT, ts TIMESTAMP(3), "
      "PRIMARY KEY (bidder) NOT ENFORCED) "
      "WITH ('connector' = 'kafka', 'topic' = 'last_bid', 'format' = 'json');\n";
  auto dedup = sql::CompilePipeline(
      ddl + "INSERT INTO last_bid SELECT bidder, price, ts FROM (SELECT *, ROW_NUMBER() OVER "
            "(PARTITION BY bidder ORDER BY ts DESC) AS rn FROM bids) WHERE rn = 1;",
      nullptr);
  ASSERT_TRUE(dedup.ok()) << dedup.status();
  auto plan = PlanPipeline(*dedup, {nullptr});
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_NE(plan->ToString().find("Deduplicate(last, streaming) <- node"), std::string::npos)
      << plan->ToString();
}

}  // namespace
}  // namespace kappa::engine
