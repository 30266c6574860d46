// The unbounded GROUP BY: its changelog (+I, -U/+U, -D), aggregates over
// retractions, bounded final rows, and snapshot/restore.
#include "engine/ops/group_aggregate.h"
#include "engine_test_util.h"
#include "gtest/gtest.h"

namespace kappa::engine {
namespace {

using namespace testing;
using columnar::DataType;
using columnar::RowKind;

class GroupAggregateTest : public ::testing::Test {
 protected:
  GroupAggregateTest()
      : schema_(MakeSchema({{"k", DataType::String()}, {"v", DataType::Int64()}})),
        table_(Table("t", schema_, "t")) {}

  // SELECT k, COUNT(*), SUM(v), MIN(v), MAX(v) FROM t GROUP BY k
  std::unique_ptr<Chain> MakeChain(bool updating_input = false, bool bounded = false) {
    auto scan = std::const_pointer_cast<sql::Plan>(ScanPlan(table_));
    scan->updates = updating_input;
    auto agg = GroupAggPlan(scan, {0},
                            {Agg("COUNT", {}, DataType::Int64()),
                             Agg("SUM", {Col(schema_, 1)}, DataType::Int64()),
                             Agg("MIN", {Col(schema_, 1)}, DataType::Int64()),
                             Agg("MAX", {Col(schema_, 1)}, DataType::Int64())});
    auto op = GroupAggregate::Make(*agg, bounded);
    EXPECT_TRUE(op.ok()) << op.status();
    ExecOptions options;
    options.bounded = bounded;
    auto chain = std::make_unique<Chain>(std::vector<std::shared_ptr<const Operator>>{
                                             std::shared_ptr<const Operator>(std::move(*op))},
                                         std::vector<SplitInfo>{}, options);
    EXPECT_TRUE(chain->Open().ok());
    return chain;
  }

  columnar::Batch Rows(const std::vector<std::vector<Value>>& rows,
                       std::vector<RowKind> kinds = {}) {
    return MakeBatch(schema_, rows, kinds);
  }

  columnar::Schema schema_;
  std::shared_ptr<sql::TableDef> table_;
};

TEST_F(GroupAggregateTest, EmitsInsertsThenUpdatePairs) {
  auto chain = MakeChain();
  ASSERT_TRUE(chain->Push(Rows({{Str("a"), I64(1)}, {Str("b"), I64(2)}, {Str("a"), I64(5)}})).ok());
  EXPECT_EQ(chain->out().Text(), "+I[a, 2, 6, 1, 5]\n+I[b, 1, 2, 2, 2]\n");
  chain->out().chunks.clear();
  ASSERT_TRUE(chain->Push(Rows({{Str("a"), I64(-3)}})).ok());
  EXPECT_EQ(chain->out().Text(), "-U[a, 2, 6, 1, 5]\n+U[a, 3, 3, -3, 5]\n");
}

TEST_F(GroupAggregateTest, RetractionsUpdateAndDeleteGroups) {
  auto chain = MakeChain(/*updating_input=*/true);
  ASSERT_TRUE(chain->Push(Rows({{Str("a"), I64(5)}, {Str("a"), I64(9)}, {Str("b"), I64(1)}})).ok());
  chain->out().chunks.clear();
  // Retract a's 9: MAX falls back to 5. Retract b's only row: b is deleted.
  ASSERT_TRUE(chain->Push(Rows({{Str("a"), I64(9)}, {Str("b"), I64(1)}},
                               {RowKind::kUpdateBefore, RowKind::kDelete}))
                  .ok());
  EXPECT_EQ(chain->out().Text(), "-U[a, 2, 14, 5, 9]\n+U[a, 1, 5, 5, 5]\n-D[b, 1, 1, 1, 1]\n");
  chain->out().chunks.clear();
  // b comes back as a new group.
  ASSERT_TRUE(chain->Push(Rows({{Str("b"), I64(4)}})).ok());
  EXPECT_EQ(chain->out().Text(), "+I[b, 1, 4, 4, 4]\n");
}

TEST_F(GroupAggregateTest, AnUnchangedResultEmitsNothing) {
  auto chain = MakeChain(/*updating_input=*/true);
  ASSERT_TRUE(chain->Push(Rows({{Str("a"), I64(5)}})).ok());
  chain->out().chunks.clear();
  // +1 row and -1 row of the same value in one batch: same result.
  ASSERT_TRUE(chain->Push(Rows({{Str("a"), I64(5)}, {Str("a"), I64(5)}},
                               {RowKind::kInsert, RowKind::kDelete}))
                  .ok());
  EXPECT_EQ(chain->out().Text(), "");
}

TEST_F(GroupAggregateTest, BoundedEmitsFinalRowsAtTheEnd) {
  auto chain = MakeChain(false, /*bounded=*/true);
  ASSERT_TRUE(chain->Push(Rows({{Str("a"), I64(1)}, {Str("b"), I64(2)}})).ok());
  ASSERT_TRUE(chain->Push(Rows({{Str("a"), I64(3)}})).ok());
  EXPECT_EQ(chain->out().Text(), "");
  ASSERT_TRUE(chain->End().ok());
  EXPECT_EQ(chain->out().Text(), "+I[a, 2, 4, 1, 3]\n+I[b, 1, 2, 2, 2]\n");
}

TEST_F(GroupAggregateTest, BoundedGlobalAggregateOverNoRowsGivesOneRow) {
  auto scan = ScanPlan(table_);
  auto agg = GroupAggPlan(scan, {},
                          {Agg("COUNT", {}, DataType::Int64()),
                           Agg("SUM", {Col(schema_, 1)}, DataType::Int64())});
  ExecOptions options;
  options.bounded = true;
  Chain chain({std::shared_ptr<const Operator>(GroupAggregate::Make(*agg, true).value())}, {},
              options);
  ASSERT_TRUE(chain.Open().ok());
  ASSERT_TRUE(chain.End().ok());
  EXPECT_EQ(chain.out().Text(), "+I[0, NULL]\n");
}

TEST_F(GroupAggregateTest, DistinctCountAndDecimalAverage) {
  auto schema = MakeSchema({{"k", DataType::String()},
                            {"user", DataType::Int64()},
                            {"amount", DataType::Decimal(10, 2)}});
  auto scan = ScanPlan(Table("p", schema, "p"));
  auto agg = GroupAggPlan(scan, {0},
                          {Agg("COUNT", {Col(schema, 1)}, DataType::Int64(), true),
                           Agg("AVG", {Col(schema, 2)}, DataType::Decimal(38, 6)),
                           Agg("SUM", {Col(schema, 2)}, DataType::Decimal(38, 2))});
  Chain chain({std::shared_ptr<const Operator>(GroupAggregate::Make(*agg, false).value())}, {});
  ASSERT_TRUE(chain.Open().ok());
  auto d = [](int64_t cents) { return Value::Decimal(cents, 10, 2); };
  ASSERT_TRUE(chain.Push(MakeBatch(schema, {{Str("x"), I64(1), d(100)},
                                            {Str("x"), I64(1), d(200)},
                                            {Str("x"), I64(2), d(101)}}))
                  .ok());
  // AVG(1.00, 2.00, 1.01) = 1.336666..., rounded half up at scale 6.
  EXPECT_EQ(chain.out().Text(), "+I[x, 2, 1.336667, 4.01]\n");
}

TEST_F(GroupAggregateTest, SnapshotAndRestoreContinueTheChangelog) {
  std::vector<columnar::Batch> batches = {
      Rows({{Str("a"), I64(1)}, {Str("b"), I64(2)}}),
      Rows({{Str("a"), I64(3)}, {Str("c"), I64(4)}}),
      Rows({{Str("b"), I64(5)}, {Str("a"), I64(6)}}),
  };
  auto whole = MakeChain();
  for (const auto& b : batches) ASSERT_TRUE(whole->Push(b).ok());

  auto first = MakeChain();
  ASSERT_TRUE(first->Push(batches[0]).ok());
  ASSERT_TRUE(first->Push(batches[1]).ok());
  auto snapshot = first->Snapshot(7);
  ASSERT_TRUE(snapshot.ok());
  auto second = MakeChain();
  ASSERT_TRUE(second->Restore(*snapshot).ok());
  ASSERT_TRUE(second->Push(batches[2]).ok());
  EXPECT_EQ(first->out().Text() + second->out().Text(), whole->out().Text());
}

TEST_F(GroupAggregateTest, ADamagedSnapshotIsAnErrorNotACrash) {
  auto first = MakeChain();
  ASSERT_TRUE(first->Push(Rows({{Str("a"), I64(1)}})).ok());
  auto snapshot = first->Snapshot(1);
  ASSERT_TRUE(snapshot.ok());
  for (size_t cut = 0; cut < (*snapshot)[0].size(); ++cut) {
    auto other = MakeChain();
    std::vector<std::string> damaged = {(*snapshot)[0].substr(0, cut)};
    EXPECT_FALSE(other->Restore(damaged).ok()) << "cut at " << cut;
  }
}

}  // namespace
}  // namespace kappa::engine
