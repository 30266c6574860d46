// Bounded Top-N (ROW_NUMBER() OVER (PARTITION BY .. ORDER BY ..) <= N):
// per-partition order, the row number column when kept, ties, NULL
// partition keys and sort values, no partition keys, and many rows
// against a brute-force answer.
#include <algorithm>
#include <cstdio>
#include <map>
#include <random>

#include "engine/ops/top_n.h"
#include "engine_test_util.h"
#include "gtest/gtest.h"

namespace kappa::engine {
namespace {

using namespace testing;
using columnar::DataType;

Value NullI64() { return Value::Null(DataType::Int64()); }
Value NullStr() { return Value::Null(DataType::String()); }

class TopNTest : public ::testing::Test {
 protected:
  TopNTest()
      : schema_(MakeSchema({{"k", DataType::String()}, {"v", DataType::Int64()},
                            {"tag", DataType::String()}})) {}

  sql::PlanPtr Plan(std::vector<int> partition, std::vector<sql::SortKey> sort, int64_t n,
                    bool row_number) {
    auto p = std::make_shared<sql::Plan>();
    p->kind = sql::PlanKind::kTopN;
    p->inputs = {ScanPlan(Table("t", schema_, "t"))};
    p->schema = schema_;
    if (row_number) p->schema.Add({"rn", DataType::Int64(), false});
    p->partition_keys = std::move(partition);
    p->sort = std::move(sort);
    p->limit = n;
    return p;
  }

  sql::SortKey Key(int column, bool ascending) {
    return {Col(schema_, column), ascending, ascending};
  }

  std::string Run(const sql::PlanPtr& plan, const std::vector<columnar::Batch>& batches) {
    auto op = TopN::Make(*plan);
    EXPECT_TRUE(op.ok()) << op.status();
    ExecOptions options;
    options.bounded = true;
    Chain chain({std::shared_ptr<const Operator>(std::move(*op))}, {}, options);
    EXPECT_TRUE(chain.Open().ok());
    for (const auto& b : batches) EXPECT_TRUE(chain.Push(b).ok());
    EXPECT_TRUE(chain.End().ok());
    return chain.out().Text();
  }

  columnar::Batch Input() {
    return MakeBatch(schema_, {{Str("a"), I64(5), Str("a5")},
                               {Str("b"), I64(1), Str("b1")},
                               {Str("a"), I64(9), Str("a9")},
                               {Str("a"), I64(7), Str("a7")},
                               {NullStr(), I64(4), Str("n4")},
                               {Str("b"), NullI64(), Str("bnull")},
                               {Str("a"), I64(9), Str("a9bis")},
                               {NullStr(), I64(6), Str("n6")}});
  }

  columnar::Schema schema_;
};

TEST_F(TopNTest, KeepsTheBestNPerPartitionWithRowNumbers) {
  // PARTITION BY k ORDER BY v DESC, rn <= 2; partitions in first-seen order.
  EXPECT_EQ(Run(Plan({0}, {Key(1, false)}, 2, true), {Input()}),
            "+I[a, 9, a9, 1]\n+I[a, 9, a9bis, 2]\n"
            "+I[b, 1, b1, 1]\n+I[b, NULL, bnull, 2]\n"
            "+I[NULL, 6, n6, 1]\n+I[NULL, 4, n4, 2]\n");
}

TEST_F(TopNTest, WithoutTheRowNumberColumn) {
  // ORDER BY v ASC: NULLs first.
  EXPECT_EQ(Run(Plan({0}, {Key(1, true)}, 1, false), {Input()}),
            "+I[a, 5, a5]\n+I[b, NULL, bnull]\n+I[NULL, 4, n4]\n");
}

TEST_F(TopNTest, TiesAreNumberedByTheOtherColumnsWhateverTheArrivalOrder) {
  auto first = MakeBatch(schema_, {{Str("a"), I64(9), Str("z")}, {Str("a"), I64(9), Str("m")}});
  auto second = MakeBatch(schema_, {{Str("a"), I64(9), Str("b")}});
  std::string want = "+I[a, 9, b, 1]\n+I[a, 9, m, 2]\n";
  EXPECT_EQ(Run(Plan({0}, {Key(1, false)}, 2, true), {first, second}), want);
  EXPECT_EQ(Run(Plan({0}, {Key(1, false)}, 2, true), {second, first}), want);
}

TEST_F(TopNTest, NoPartitionKeysIsOneGlobalTopN) {
  EXPECT_EQ(Run(Plan({}, {Key(1, false)}, 3, true), {Input()}),
            "+I[a, 9, a9, 1]\n+I[a, 9, a9bis, 2]\n+I[a, 7, a7, 3]\n");
}

TEST_F(TopNTest, EmptyInputEmitsNothing) {
  EXPECT_EQ(Run(Plan({0}, {Key(1, false)}, 3, true), {}), "");
}

TEST_F(TopNTest, BadPlansAreRefused) {
  EXPECT_FALSE(TopN::Make(*Plan({0}, {Key(1, false)}, 0, true)).ok());
  EXPECT_FALSE(TopN::Make(*Plan({0}, {}, 3, true)).ok());
  EXPECT_FALSE(TopN::Make(*Plan({7}, {Key(1, false)}, 3, true)).ok());
}

TEST_F(TopNTest, ManyRowsMatchABruteForceAnswer) {
  std::mt19937 rng(11);
  std::vector<columnar::Batch> batches;
  std::map<std::string, std::vector<std::pair<int64_t, std::string>>> all;
  int id = 0;
  for (int b = 0; b < 12; ++b) {
    std::vector<std::vector<Value>> rows;
    for (int i = 0; i < 1500; ++i, ++id) {
      std::string k = "p" + std::to_string(rng() % 10);
      int64_t v = static_cast<int64_t>(rng() % 1000);
      char tag[16];
      std::snprintf(tag, sizeof(tag), "%06d", id);
      rows.push_back({Str(k), I64(v), Str(tag)});
      all[k].push_back({v, tag});
    }
    batches.push_back(MakeBatch(schema_, rows));
  }
  // PARTITION BY k ORDER BY v ASC, rn <= 3: expected per partition.
  std::map<std::string, std::string> want;
  for (auto& [k, rows] : all) {
    std::sort(rows.begin(), rows.end());
    for (int i = 0; i < 3; ++i) {
      want[k] += "+I[" + k + ", " + std::to_string(rows[i].first) + ", " + rows[i].second + ", " +
                 std::to_string(i + 1) + "]\n";
    }
  }
  std::string got = Run(Plan({0}, {Key(1, true)}, 3, true), batches);
  std::string expected;
  std::vector<std::string> order;  // partitions in first-seen order
  for (const auto& b : batches) {
    for (size_t i = 0; i < b.active_rows(); ++i) {
      std::string k = b.GetRow(i)[0].string();
      if (std::find(order.begin(), order.end(), k) == order.end()) order.push_back(k);
    }
  }
  for (const std::string& k : order) expected += want[k];
  EXPECT_EQ(got, expected);
}

}  // namespace
}  // namespace kappa::engine
