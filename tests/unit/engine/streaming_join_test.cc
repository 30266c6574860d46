// Streaming regular joins: inner pairs as rows arrive on either side,
// outer rows padded with NULLs and retracted (-D) on their first match,
// the residual as part of the condition, NULL keys, several matches in one
// batch, snapshot and restore of both sides, and planning a pipeline.
#include "engine/ops/streaming_join.h"
#include "engine/planner.h"
#include "engine_test_util.h"
#include "gtest/gtest.h"
#include "sql/compile.h"

namespace kappa::engine {
namespace {

using namespace testing;
using columnar::DataType;
using sql::JoinKind;

class StreamingJoinTest : public ::testing::Test {
 protected:
  StreamingJoinTest()
      : left_(MakeSchema({{"id", DataType::Int64()}, {"name", DataType::String()}})),
        right_(MakeSchema({{"rid", DataType::Int64()}, {"amount", DataType::Int64()}})) {}

  sql::PlanPtr Plan(JoinKind kind, sql::ExprPtr predicate = nullptr) {
    auto p = std::make_shared<sql::Plan>();
    p->kind = sql::PlanKind::kJoin;
    p->join = kind;
    p->inputs = {ScanPlan(Table("l", left_, "l")), ScanPlan(Table("r", right_, "r"))};
    for (const auto& f : left_.fields()) p->schema.Add(f);
    for (const auto& f : right_.fields()) p->schema.Add(f);
    p->left_keys = {0};
    p->right_keys = {0};
    p->predicate = std::move(predicate);
    p->updates = kind != JoinKind::kInner;
    return p;
  }

  void Start(const sql::PlanPtr& plan) {
    auto op = StreamingJoin::Make(*plan);
    ASSERT_TRUE(op.ok()) << op.status();
    op_ = std::shared_ptr<const Operator>(std::move(*op));
    ctx_ = std::make_unique<ExecContext>(ExecOptions{}, &splits_, &counters_, nullptr);
    state_ = op_->CreateState(ctx_.get());
  }

  // Pushes rows on a port; returns what the join emitted.
  std::string Push(int port, const std::vector<std::vector<Value>>& rows) {
    out_.chunks.clear();
    Status st = op_->ProcessBatch(state_.get(), port, Chunk(MakeBatch(port == 0 ? left_ : right_, rows)),
                                  &out_);
    EXPECT_TRUE(st.ok()) << st;
    std::string text;
    for (const Chunk& c : out_.chunks) text += c.batch.ToString();
    return text;
  }

  std::string Snapshot() {
    std::string s;
    EXPECT_TRUE(op_->OnBarrier(state_.get(), Epoch(1), &s).ok());
    return s;
  }

  Status RestoreFresh(std::string_view snapshot) {
    state_ = op_->CreateState(ctx_.get());
    return op_->Restore(state_.get(), snapshot);
  }

  sql::ExprPtr AmountAbove(int64_t v) {
    auto p = Plan(JoinKind::kInner);
    return sql::Call(">", {Col(p->schema, 3), sql::Literal(I64(v))}, DataType::Boolean(), "amount > v");
  }

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

  columnar::Schema left_, right_;
  std::shared_ptr<const Operator> op_;
  std::vector<SplitInfo> splits_;
  JobCounters counters_;
  std::unique_ptr<ExecContext> ctx_;
  std::unique_ptr<OperatorState> state_;
  Out out_;
};

Value NullI64() { return Value::Null(DataType::Int64()); }

TEST_F(StreamingJoinTest, InnerJoinPairsRowsAsTheyArriveOnEitherSide) {
  Start(Plan(JoinKind::kInner));
  EXPECT_EQ(Push(0, {{I64(1), Str("a")}}), "");
  EXPECT_EQ(Push(1, {{I64(1), I64(10)}, {NullI64(), I64(99)}}), "+I[1, a, 1, 10]\n");
  EXPECT_EQ(Push(0, {{I64(1), Str("b")}, {I64(2), Str("c")}, {NullI64(), Str("x")}}),
            "+I[1, b, 1, 10]\n");
  EXPECT_EQ(Push(1, {{I64(1), I64(20)}}), "+I[1, a, 1, 20]\n+I[1, b, 1, 20]\n");
}

TEST_F(StreamingJoinTest, LeftJoinRetractsThePaddedRowOnItsFirstMatch) {
  Start(Plan(JoinKind::kLeft));
  EXPECT_EQ(Push(0, {{I64(1), Str("a")}, {NullI64(), Str("x")}}),
            "+I[1, a, NULL, NULL]\n+I[NULL, x, NULL, NULL]\n");
  // Two matches in one batch: one -D, two pairs.
  EXPECT_EQ(Push(1, {{I64(1), I64(10)}, {I64(1), I64(20)}}),
            "-D[1, a, NULL, NULL]\n+I[1, a, 1, 10]\n+I[1, a, 1, 20]\n");
  EXPECT_EQ(Push(1, {{I64(3), I64(30)}}), "");
  EXPECT_EQ(Push(0, {{I64(1), Str("b")}}), "+I[1, b, 1, 10]\n+I[1, b, 1, 20]\n");
}

TEST_F(StreamingJoinTest, FullJoinWithResidual) {
  Start(Plan(JoinKind::kFull, AmountAbove(15)));
  EXPECT_EQ(Push(0, {{I64(1), Str("a")}}), "+I[1, a, NULL, NULL]\n");
  // Fails the residual: the right row is padded, the left one stays padded.
  EXPECT_EQ(Push(1, {{I64(1), I64(10)}}), "+I[NULL, NULL, 1, 10]\n");
  EXPECT_EQ(Push(1, {{I64(1), I64(20)}}), "-D[1, a, NULL, NULL]\n+I[1, a, 1, 20]\n");
  EXPECT_EQ(Push(0, {{I64(1), Str("b")}}), "+I[1, b, 1, 20]\n");
}

TEST_F(StreamingJoinTest, RightJoin) {
  Start(Plan(JoinKind::kRight));
  EXPECT_EQ(Push(1, {{I64(5), I64(50)}}), "+I[NULL, NULL, 5, 50]\n");
  EXPECT_EQ(Push(0, {{I64(5), Str("e")}, {I64(6), Str("f")}}),
            "-D[NULL, NULL, 5, 50]\n+I[5, e, 5, 50]\n");
}

TEST_F(StreamingJoinTest, SnapshotAndRestoreKeepBothSidesAndMatchCounts) {
  Start(Plan(JoinKind::kLeft));
  Push(0, {{I64(1), Str("a")}, {I64(2), Str("c")}});
  Push(1, {{I64(1), I64(10)}});
  std::string snap = Snapshot();
  ASSERT_TRUE(RestoreFresh(snap).ok());
  // (1, a) had a match: no -D; (2, c) had none: -D on its first.
  EXPECT_EQ(Push(1, {{I64(1), I64(11)}, {I64(2), I64(5)}}),
            "+I[1, a, 1, 11]\n-D[2, c, NULL, NULL]\n+I[2, c, 2, 5]\n");
  EXPECT_EQ(Push(0, {{I64(1), Str("z")}}), "+I[1, z, 1, 10]\n+I[1, z, 1, 11]\n");
  EXPECT_FALSE(RestoreFresh(snap.substr(0, snap.size() - 1)).ok());
}

TEST_F(StreamingJoinTest, UpdatingInputIsRefused) {
  auto p = std::const_pointer_cast<sql::Plan>(Plan(JoinKind::kInner));
  std::const_pointer_cast<sql::Plan>(p->inputs[1])->updates = true;
  auto op = StreamingJoin::Make(*p);
  ASSERT_FALSE(op.ok());
  EXPECT_NE(std::string(op.status().message()).find("JOIN of an updating input"),
            std::string::npos);
}

TEST(StreamingJoinPlanTest, PipelinesPlanJoinsOfInsertOnlyInputs) {
  const std::string ddl =
      "CREATE TABLE person (id BIGINT, name STRING) "
      "WITH ('connector' = 'kafka', 'topic' = 'person', 'format' = 'json');\n"
      "CREATE TABLE auction (id BIGINT, seller BIGINT) "
      "WITH ('connector' = 'kafka', 'topic' = 'auction', 'format' = 'json');\n"
      "CREATE TABLE out (name STRING, auction BIGINT) "
      "WITH ('connector' = 'kafka', 'topic' = 'out', 'format' = 'json');\n";
  auto join = sql::CompilePipeline(
      ddl + "INSERT INTO out SELECT p.name, a.id FROM auction a JOIN person p ON a.seller = p.id;",
      nullptr);
  ASSERT_TRUE(join.ok()) << join.status();
  auto plan = PlanPipeline(*join, {nullptr});
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_NE(plan->ToString().find("Join(inner, streaming) <- source 0 hash <- source 1 hash"),
            std::string::npos)
      << plan->ToString();
  auto grouped = sql::CompilePipeline(
      ddl + "CREATE TABLE counts (name STRING, n BIGINT, PRIMARY KEY (name) NOT ENFORCED) "
            "WITH ('connector' = 'kafka', 'topic' = 'counts', 'format' = 'json');\n"
            "INSERT INTO counts SELECT p.name, g.n FROM (SELECT seller, COUNT(*) AS n FROM auction "
            "GROUP BY seller) g JOIN person p ON g.seller = p.id;",
      nullptr);
  ASSERT_TRUE(grouped.ok()) << grouped.status();
  auto refused = PlanPipeline(*grouped, {nullptr});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(std::string(refused.status().message()),
            "JOIN of an updating input (such as an unbounded GROUP BY) is not supported yet in "
            "streaming pipelines");
}

}  // namespace
}  // namespace kappa::engine
