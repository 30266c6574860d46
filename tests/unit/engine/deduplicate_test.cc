// Bounded deduplication (ROW_NUMBER() OVER (PARTITION BY .. ORDER BY time)
// = 1): keep first and keep last, ties on time by arrival, NULL partition
// keys, and many batches against a brute-force answer.
#include <map>
#include <random>

#include "engine/ops/deduplicate.h"
#include "engine_test_util.h"
#include "gtest/gtest.h"

namespace kappa::engine {
namespace {

using namespace testing;
using columnar::DataType;

class DeduplicateTest : public ::testing::Test {
 protected:
  DeduplicateTest()
      : schema_(MakeSchema({{"k", DataType::String()}, {"ts", DataType::Timestamp()},
                            {"v", DataType::Int64()}})) {}

  sql::PlanPtr Plan(bool keep_last, std::vector<int> partition = {0}) {
    auto p = std::make_shared<sql::Plan>();
    p->kind = sql::PlanKind::kDeduplicate;
    p->inputs = {ScanPlan(Table("t", schema_, "t"))};
    p->schema = schema_;
    p->partition_keys = std::move(partition);
    p->sort = {{Col(schema_, 1), !keep_last, !keep_last}};
    p->keep_last = keep_last;
    return p;
  }

  std::string Run(const sql::PlanPtr& plan, const std::vector<columnar::Batch>& batches) {
    auto op = Deduplicate::Make(*plan);
    EXPECT_TRUE(op.ok()) << op.status();
    ExecOptions options;
    options.bounded = true;
    Chain chain({std::shared_ptr<const Operator>(std::move(*op))}, {}, options);
    EXPECT_TRUE(chain.Open().ok());
    for (const auto& b : batches) EXPECT_TRUE(chain.Push(b).ok());
    EXPECT_TRUE(chain.End().ok());
    return chain.out().Text();
  }

  std::vector<columnar::Batch> Input() {
    return {MakeBatch(schema_, {{Str("a"), Ts(5000), I64(1)},
                                {Str("b"), Ts(2000), I64(2)},
                                {Str("a"), Ts(3000), I64(3)},
                                {Value::Null(DataType::String()), Ts(1000), I64(4)}}),
            MakeBatch(schema_, {{Str("a"), Ts(3000), I64(5)},
                                {Str("b"), Ts(9000), I64(6)},
                                {Str("a"), Ts(5000), I64(7)},
                                {Value::Null(DataType::String()), Ts(1000), I64(8)}})};
  }

  columnar::Schema schema_;
};

TEST_F(DeduplicateTest, KeepFirstTakesTheEarliestTimeAndTheFirstArrivalOnTies) {
  EXPECT_EQ(Run(Plan(false), Input()),
            "+I[a, 1970-01-01 00:00:03.000, 3]\n"
            "+I[b, 1970-01-01 00:00:02.000, 2]\n"
            "+I[NULL, 1970-01-01 00:00:01.000, 4]\n");
}

TEST_F(DeduplicateTest, KeepLastTakesTheLatestTimeAndTheLastArrivalOnTies) {
  EXPECT_EQ(Run(Plan(true), Input()),
            "+I[a, 1970-01-01 00:00:05.000, 7]\n"
            "+I[b, 1970-01-01 00:00:09.000, 6]\n"
            "+I[NULL, 1970-01-01 00:00:01.000, 8]\n");
}

TEST_F(DeduplicateTest, NoPartitionKeysKeepsOneRow) {
  EXPECT_EQ(Run(Plan(true, {}), Input()), "+I[b, 1970-01-01 00:00:09.000, 6]\n");
}

TEST_F(DeduplicateTest, EmptyInputEmitsNothing) { EXPECT_EQ(Run(Plan(false), {}), ""); }

TEST_F(DeduplicateTest, InconsistentPlanIsRefused) {
  auto p = std::const_pointer_cast<sql::Plan>(Plan(false));
  p->keep_last = true;
  EXPECT_FALSE(Deduplicate::Make(*p).ok());
}

TEST_F(DeduplicateTest, ManyBatchesMatchABruteForceAnswer) {
  std::mt19937 rng(3);
  std::vector<columnar::Batch> batches;
  std::map<std::string, std::pair<int64_t, int64_t>> first, last;  // k -> (ts, v)
  std::vector<std::string> order;
  int64_t v = 0;
  for (int b = 0; b < 10; ++b) {
    std::vector<std::vector<Value>> rows;
    for (int i = 0; i < 2000; ++i, ++v) {
      std::string k = "k" + std::to_string(rng() % 50);
      int64_t ts = static_cast<int64_t>(rng() % 100);  // many ties
      rows.push_back({Str(k), Ts(ts), I64(v)});
      if (!first.count(k)) {
        order.push_back(k);
        first[k] = last[k] = {ts, v};
      }
      if (ts < first[k].first) first[k] = {ts, v};
      if (ts >= last[k].first) last[k] = {ts, v};
    }
    batches.push_back(MakeBatch(schema_, rows));
  }
  auto text = [&](std::map<std::string, std::pair<int64_t, int64_t>>& m) {
    std::string out;
    for (const std::string& k : order) {
      out += "+I[" + k + ", " + columnar::FormatTimestamp(m[k].first) + ", " +
             std::to_string(m[k].second) + "]\n";
    }
    return out;
  };
  EXPECT_EQ(Run(Plan(false), batches), text(first));
  EXPECT_EQ(Run(Plan(true), batches), text(last));
}

}  // namespace
}  // namespace kappa::engine
