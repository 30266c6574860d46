// The bounded hash join: inner, left, right and full outer joins, NULL
// keys (never equal), duplicate keys, residual predicates as part of the
// join condition, nested-loop joins without equi-keys, empty inputs, and
// output split into batches.
#include <algorithm>

#include "engine/ops/hash_join.h"
#include "engine_test_util.h"
#include "gtest/gtest.h"

namespace kappa::engine {
namespace {

using namespace testing;
using columnar::DataType;
using sql::JoinKind;

// Runs a two-input operator in one thread and collects its output.
class TwoInputs {
 public:
  explicit TwoInputs(std::shared_ptr<const Operator> op) : op_(std::move(op)) {
    ExecOptions options;
    options.bounded = true;
    ctx_ = std::make_unique<ExecContext>(options, &splits_, &counters_, nullptr);
    state_ = op_->CreateState(ctx_.get());
  }

  Status Push(int port, const columnar::Batch& b) {
    return op_->ProcessBatch(state_.get(), port, Chunk(b), &out_);
  }
  Status End() { return op_->OnEndOfInput(state_.get(), &out_); }

  // Every output row as "[a, b, ...]", sorted (join output has no order).
  std::vector<std::string> SortedRows() const {
    std::vector<std::string> rows;
    for (const Chunk& c : out_.chunks) {
      for (size_t i = 0; i < c.batch.active_rows(); ++i) {
        std::string row;
        for (const Value& v : c.batch.GetRow(i)) row += (row.empty() ? "" : ", ") + v.ToString();
        rows.push_back("[" + row + "]");
      }
    }
    std::sort(rows.begin(), rows.end());
    return rows;
  }
  const std::vector<Chunk>& chunks() const { return out_.chunks; }

 private:
  class Out final : public OperatorOutput {
   public:
    Status Emit(Chunk c) override {
      chunks.push_back(std::move(c));
      return OkStatus();
    }
    Status EmitWatermark(int64_t) override { return OkStatus(); }
    Status EmitIdle() override { return OkStatus(); }
    std::vector<Chunk> chunks;
  };

  std::shared_ptr<const Operator> op_;
  std::vector<SplitInfo> splits_;
  JobCounters counters_;
  std::unique_ptr<ExecContext> ctx_;
  std::unique_ptr<OperatorState> state_;
  Out out_;
};

Value NullI64() { return Value::Null(DataType::Int64()); }

class HashJoinTest : public ::testing::Test {
 protected:
  HashJoinTest()
      : left_(MakeSchema({{"id", DataType::Int64()}, {"name", DataType::String()}})),
        right_(MakeSchema({{"rid", DataType::Int64()}, {"amount", DataType::Int64()}})) {}

  sql::PlanPtr JoinPlan(JoinKind kind, std::vector<int> lk, std::vector<int> rk,
                        sql::ExprPtr predicate = nullptr) {
    auto p = std::make_shared<sql::Plan>();
    p->kind = sql::PlanKind::kJoin;
    p->join = kind;
    p->inputs = {ScanPlan(Table("l", left_, "l")), ScanPlan(Table("r", right_, "r"))};
    for (const auto& f : left_.fields()) p->schema.Add(f);
    for (const auto& f : right_.fields()) p->schema.Add(f);
    p->left_keys = std::move(lk);
    p->right_keys = std::move(rk);
    p->predicate = std::move(predicate);
    return p;
  }

  // Column `i` of the join output.
  sql::ExprPtr Out(int i) {
    auto p = JoinPlan(JoinKind::kInner, {}, {});
    return Col(p->schema, i);
  }

  std::vector<std::string> Run(const sql::PlanPtr& plan, const std::vector<std::vector<Value>>& l,
                               const std::vector<std::vector<Value>>& r) {
    auto op = HashJoin::Make(*plan);
    EXPECT_TRUE(op.ok()) << op.status();
    TwoInputs run(std::shared_ptr<const Operator>(std::move(*op)));
    EXPECT_TRUE(run.Push(0, MakeBatch(left_, l)).ok());
    EXPECT_TRUE(run.Push(1, MakeBatch(right_, r)).ok());
    EXPECT_TRUE(run.End().ok());
    return run.SortedRows();
  }

  std::vector<std::vector<Value>> Left() {
    return {{I64(1), Str("a")}, {I64(1), Str("b")}, {I64(2), Str("c")}, {NullI64(), Str("x")}};
  }
  std::vector<std::vector<Value>> Right() {
    return {{I64(1), I64(10)}, {I64(1), I64(20)}, {I64(3), I64(30)}, {NullI64(), I64(40)}};
  }

  columnar::Schema left_, right_;
};

using Rows = std::vector<std::string>;

TEST_F(HashJoinTest, InnerJoinPairsEveryMatchAndNullKeysNeverMatch) {
  EXPECT_EQ(Run(JoinPlan(JoinKind::kInner, {0}, {0}), Left(), Right()),
            (Rows{"[1, a, 1, 10]", "[1, a, 1, 20]", "[1, b, 1, 10]", "[1, b, 1, 20]"}));
}

TEST_F(HashJoinTest, LeftJoinKeepsUnmatchedLeftRows) {
  EXPECT_EQ(Run(JoinPlan(JoinKind::kLeft, {0}, {0}), Left(), Right()),
            (Rows{"[1, a, 1, 10]", "[1, a, 1, 20]", "[1, b, 1, 10]", "[1, b, 1, 20]",
                  "[2, c, NULL, NULL]", "[NULL, x, NULL, NULL]"}));
}

TEST_F(HashJoinTest, RightJoinKeepsUnmatchedRightRows) {
  EXPECT_EQ(Run(JoinPlan(JoinKind::kRight, {0}, {0}), Left(), Right()),
            (Rows{"[1, a, 1, 10]", "[1, a, 1, 20]", "[1, b, 1, 10]", "[1, b, 1, 20]",
                  "[NULL, NULL, 3, 30]", "[NULL, NULL, NULL, 40]"}));
}

TEST_F(HashJoinTest, FullJoinKeepsBoth) {
  EXPECT_EQ(Run(JoinPlan(JoinKind::kFull, {0}, {0}), Left(), Right()),
            (Rows{"[1, a, 1, 10]", "[1, a, 1, 20]", "[1, b, 1, 10]", "[1, b, 1, 20]",
                  "[2, c, NULL, NULL]", "[NULL, NULL, 3, 30]", "[NULL, NULL, NULL, 40]",
                  "[NULL, x, NULL, NULL]"}));
}

TEST_F(HashJoinTest, ResidualIsPartOfTheConditionOfAnOuterJoin) {
  // ON l.id = r.rid AND r.amount > 15: a left row whose candidates all fail
  // is kept with NULLs, and so is a right row nobody matched.
  auto gt15 = sql::Call(">", {Out(3), sql::Literal(I64(15))}, DataType::Boolean(), "amount > 15");
  EXPECT_EQ(Run(JoinPlan(JoinKind::kFull, {0}, {0}, gt15), Left(), Right()),
            (Rows{"[1, a, 1, 20]", "[1, b, 1, 20]", "[2, c, NULL, NULL]", "[NULL, NULL, 1, 10]",
                  "[NULL, NULL, 3, 30]", "[NULL, NULL, NULL, 40]", "[NULL, x, NULL, NULL]"}));
  auto gt100 = sql::Call(">", {Out(3), sql::Literal(I64(100))}, DataType::Boolean(), "amount > 100");
  EXPECT_EQ(Run(JoinPlan(JoinKind::kLeft, {0}, {0}, gt100), Left(), Right()),
            (Rows{"[1, a, NULL, NULL]", "[1, b, NULL, NULL]", "[2, c, NULL, NULL]",
                  "[NULL, x, NULL, NULL]"}));
}

TEST_F(HashJoinTest, ResidualComparingBothSides) {
  // ON l.id = r.rid AND l.name = 'a' (a NULL comparison result drops the pair)
  auto is_a = sql::Call("=", {Out(1), sql::Literal(Str("a"))}, DataType::Boolean(), "name = 'a'");
  EXPECT_EQ(Run(JoinPlan(JoinKind::kInner, {0}, {0}, is_a), Left(), Right()),
            (Rows{"[1, a, 1, 10]", "[1, a, 1, 20]"}));
}

TEST_F(HashJoinTest, NestedLoopJoinWithoutEquiKeys) {
  // ON l.id < r.rid
  auto less = sql::Call("<", {Out(0), Out(2)}, DataType::Boolean(), "id < rid");
  EXPECT_EQ(Run(JoinPlan(JoinKind::kInner, {}, {}, less), Left(), Right()),
            (Rows{"[1, a, 3, 30]", "[1, b, 3, 30]", "[2, c, 3, 30]"}));
  EXPECT_EQ(Run(JoinPlan(JoinKind::kLeft, {}, {}, less), Left(), Right()),
            (Rows{"[1, a, 3, 30]", "[1, b, 3, 30]", "[2, c, 3, 30]", "[NULL, x, NULL, NULL]"}));
}

TEST_F(HashJoinTest, CrossJoinPairsEveryRow) {
  auto rows = Run(JoinPlan(JoinKind::kInner, {}, {}), Left(), Right());
  EXPECT_EQ(rows.size(), 16u);
  EXPECT_EQ(rows.front(), "[1, a, 1, 10]");
  EXPECT_EQ(rows.back(), "[NULL, x, NULL, 40]");
}

TEST_F(HashJoinTest, EmptyInputs) {
  EXPECT_EQ(Run(JoinPlan(JoinKind::kInner, {0}, {0}), {}, Right()), Rows{});
  EXPECT_EQ(Run(JoinPlan(JoinKind::kLeft, {0}, {0}), {}, Right()), Rows{});
  EXPECT_EQ(Run(JoinPlan(JoinKind::kRight, {0}, {0}), {}, {{I64(7), I64(70)}}),
            (Rows{"[NULL, NULL, 7, 70]"}));
  EXPECT_EQ(Run(JoinPlan(JoinKind::kLeft, {0}, {0}), {{I64(7), Str("g")}}, {}),
            (Rows{"[7, g, NULL, NULL]"}));
  EXPECT_EQ(Run(JoinPlan(JoinKind::kFull, {0}, {0}), {}, {}), Rows{});
}

TEST_F(HashJoinTest, SmallerLeftSideIsTheBuildSide) {
  // One left row against three right rows: the left side is built, so the
  // left join's unmatched rows come from the build side.
  std::vector<std::vector<Value>> l = {{I64(9), Str("z")}, {I64(3), Str("t")}};
  EXPECT_EQ(Run(JoinPlan(JoinKind::kLeft, {0}, {0}), l, Right()),
            (Rows{"[3, t, 3, 30]", "[9, z, NULL, NULL]"}));
  EXPECT_EQ(Run(JoinPlan(JoinKind::kRight, {0}, {0}), l, Right()),
            (Rows{"[3, t, 3, 30]", "[NULL, NULL, 1, 10]", "[NULL, NULL, 1, 20]",
                  "[NULL, NULL, NULL, 40]"}));
}

TEST_F(HashJoinTest, ManyPairsComeOutInBatches) {
  std::vector<std::vector<Value>> l, r;
  for (int i = 0; i < 100; ++i) l.push_back({I64(1), Str("l" + std::to_string(i))});
  for (int i = 0; i < 100; ++i) r.push_back({I64(1), I64(i)});
  auto op = HashJoin::Make(*JoinPlan(JoinKind::kInner, {0}, {0}));
  ASSERT_TRUE(op.ok());
  TwoInputs run(std::shared_ptr<const Operator>(std::move(*op)));
  // Arriving in several batches per side, interleaved.
  ASSERT_TRUE(run.Push(1, MakeBatch(right_, std::vector<std::vector<Value>>(r.begin(), r.begin() + 50))).ok());
  ASSERT_TRUE(run.Push(0, MakeBatch(left_, l)).ok());
  ASSERT_TRUE(run.Push(1, MakeBatch(right_, std::vector<std::vector<Value>>(r.begin() + 50, r.end()))).ok());
  ASSERT_TRUE(run.End().ok());
  size_t total = 0;
  for (const Chunk& c : run.chunks()) {
    EXPECT_LE(c.batch.active_rows(), columnar::kBatchRows);
    total += c.batch.active_rows();
  }
  EXPECT_EQ(total, 10000u);
  EXPECT_GT(run.chunks().size(), 1u);
}

TEST_F(HashJoinTest, StringAndCompositeKeys) {
  auto l = MakeSchema({{"a", DataType::String()}, {"b", DataType::Int64()}});
  auto r = MakeSchema({{"c", DataType::String()}, {"d", DataType::Int64()}});
  auto p = std::make_shared<sql::Plan>();
  p->kind = sql::PlanKind::kJoin;
  p->inputs = {ScanPlan(Table("l", l, "l")), ScanPlan(Table("r", r, "r"))};
  for (const auto& f : l.fields()) p->schema.Add(f);
  for (const auto& f : r.fields()) p->schema.Add(f);
  p->left_keys = {0, 1};
  p->right_keys = {0, 1};
  auto op = HashJoin::Make(*p);
  ASSERT_TRUE(op.ok());
  TwoInputs run(std::shared_ptr<const Operator>(std::move(*op)));
  ASSERT_TRUE(run.Push(0, MakeBatch(l, {{Str("x"), I64(1)}, {Str("x"), I64(2)}, {Str("x"), NullI64()}})).ok());
  ASSERT_TRUE(run.Push(1, MakeBatch(r, {{Str("x"), I64(2)}, {Str("y"), I64(1)}, {Str("x"), NullI64()}})).ok());
  ASSERT_TRUE(run.End().ok());
  EXPECT_EQ(run.SortedRows(), (Rows{"[x, 2, x, 2]"}));
}

TEST_F(HashJoinTest, KeysOfDifferentTypesAreRefused) {
  auto p = std::const_pointer_cast<sql::Plan>(JoinPlan(JoinKind::kInner, {1}, {0}));
  auto op = HashJoin::Make(*p);
  ASSERT_FALSE(op.ok());
  EXPECT_NE(std::string(op.status().message()).find("compares STRING with BIGINT"),
            std::string::npos)
      << op.status();
}

TEST_F(HashJoinTest, DeclaresKeyDistributionPerPort) {
  auto op = HashJoin::Make(*JoinPlan(JoinKind::kLeft, {0}, {0}));
  ASSERT_TRUE(op.ok());
  EXPECT_EQ((*op)->num_inputs(), 2);
  EXPECT_EQ((*op)->input_distribution(0).kind, Distribution::Kind::kHash);
  EXPECT_EQ((*op)->input_distribution(1).keys, std::vector<int>{0});
}

}  // namespace
}  // namespace kappa::engine
