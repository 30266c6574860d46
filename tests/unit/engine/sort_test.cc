// ORDER BY, LIMIT/OFFSET and ORDER BY ... LIMIT (top-k) in bounded
// queries: NULL placement, directions, multi-key order, ties, exact
// DECIMAL/STRING/TIMESTAMP/DOUBLE comparison, computed keys, LIMIT 0,
// OFFSET, the partial + final stages, and top-k over many batches.
#include <algorithm>
#include <cmath>
#include <optional>
#include <random>

#include "engine/ops/sort.h"
#include "engine_test_util.h"
#include "gtest/gtest.h"

namespace kappa::engine {
namespace {

using namespace testing;
using columnar::DataType;
using columnar::RowKind;

sql::SortKey Key(const columnar::Schema& s, int column, bool ascending = true,
                 std::optional<bool> nulls_first = std::nullopt) {
  return {Col(s, column), ascending, nulls_first.value_or(ascending)};
}

std::unique_ptr<Chain> SortChain(const columnar::Schema& schema, std::vector<SortOperator::Spec> specs) {
  std::vector<std::shared_ptr<const Operator>> ops;
  for (SortOperator::Spec& spec : specs) {
    auto op = SortOperator::Make(schema, std::move(spec));
    EXPECT_TRUE(op.ok()) << op.status();
    ops.push_back(std::shared_ptr<const Operator>(std::move(*op)));
  }
  ExecOptions options;
  options.bounded = true;
  auto chain = std::make_unique<Chain>(std::move(ops), std::vector<SplitInfo>{}, options);
  EXPECT_TRUE(chain->Open().ok());
  return chain;
}

SortOperator::Spec Spec(std::vector<sql::SortKey> keys, int64_t limit = -1, int64_t offset = 0) {
  SortOperator::Spec s;
  s.keys = std::move(keys);
  s.limit = limit;
  s.offset = offset;
  return s;
}

Value NullI64() { return Value::Null(DataType::Int64()); }

class SortTest : public ::testing::Test {
 protected:
  SortTest() : schema_(MakeSchema({{"k", DataType::Int64()}, {"s", DataType::String()}})) {}

  // Rows in an order that is not sorted on any column.
  columnar::Batch Input() {
    return MakeBatch(schema_, {{I64(3), Str("c")},
                               {NullI64(), Str("n")},
                               {I64(1), Str("a2")},
                               {I64(2), Str("b")},
                               {I64(1), Str("a")}});
  }

  std::string Run(SortOperator::Spec spec, const std::vector<columnar::Batch>& batches) {
    auto chain = SortChain(schema_, {std::move(spec)});
    for (const auto& b : batches) EXPECT_TRUE(chain->Push(b).ok());
    EXPECT_TRUE(chain->End().ok());
    return chain->out().Text();
  }

  columnar::Schema schema_;
};

TEST_F(SortTest, AscendingPutsNullsFirstAndBreaksTiesByTheOtherColumns) {
  EXPECT_EQ(Run(Spec({Key(schema_, 0)}), {Input()}),
            "+I[NULL, n]\n+I[1, a]\n+I[1, a2]\n+I[2, b]\n+I[3, c]\n");
}

TEST_F(SortTest, DescendingPutsNullsLast) {
  EXPECT_EQ(Run(Spec({Key(schema_, 0, false)}), {Input()}),
            "+I[3, c]\n+I[2, b]\n+I[1, a]\n+I[1, a2]\n+I[NULL, n]\n");
}

TEST_F(SortTest, ExplicitNullPlacementIgnoresTheDirection) {
  EXPECT_EQ(Run(Spec({Key(schema_, 0, true, false)}), {Input()}),
            "+I[1, a]\n+I[1, a2]\n+I[2, b]\n+I[3, c]\n+I[NULL, n]\n");
  EXPECT_EQ(Run(Spec({Key(schema_, 0, false, true)}), {Input()}),
            "+I[NULL, n]\n+I[3, c]\n+I[2, b]\n+I[1, a]\n+I[1, a2]\n");
}

TEST_F(SortTest, MultipleKeysWithMixedDirections) {
  auto b = MakeBatch(schema_, {{I64(1), Str("x")},
                               {I64(2), Str("y")},
                               {I64(2), Str("x")},
                               {I64(1), Str("y")},
                               {I64(3), Str("x")}});
  // ORDER BY s ASC, k DESC
  EXPECT_EQ(Run(Spec({Key(schema_, 1), Key(schema_, 0, false)}), {b}),
            "+I[3, x]\n+I[2, x]\n+I[1, x]\n+I[2, y]\n+I[1, y]\n");
}

TEST_F(SortTest, RowsAcrossBatchesAndSelectionsSortTogether) {
  auto first = MakeBatch(schema_, {{I64(5), Str("e")}, {I64(9), Str("dropped")}, {I64(1), Str("a")}});
  first.selection = std::vector<uint32_t>{0, 2};  // a filter dropped row 1
  auto second = MakeBatch(schema_, {{I64(3), Str("c")}, {I64(2), Str("b")}});
  EXPECT_EQ(Run(Spec({Key(schema_, 0)}), {first, second}),
            "+I[1, a]\n+I[2, b]\n+I[3, c]\n+I[5, e]\n");
}

TEST_F(SortTest, LimitAndOffset) {
  EXPECT_EQ(Run(Spec({Key(schema_, 0)}, 2, 1), {Input()}), "+I[1, a]\n+I[1, a2]\n");
  EXPECT_EQ(Run(Spec({Key(schema_, 0)}, 10, 3), {Input()}), "+I[2, b]\n+I[3, c]\n");
  EXPECT_EQ(Run(Spec({Key(schema_, 0)}, -1, 4), {Input()}), "+I[3, c]\n");
  EXPECT_EQ(Run(Spec({Key(schema_, 0)}, 3, 5), {Input()}), "");
}

TEST_F(SortTest, LimitZeroEmitsNothing) {
  EXPECT_EQ(Run(Spec({Key(schema_, 0)}, 0), {Input()}), "");
  EXPECT_EQ(Run(Spec({}, 0), {Input()}), "");
}

TEST_F(SortTest, LimitWithoutOrderKeepsTheFirstRowsToArrive) {
  auto second = MakeBatch(schema_, {{I64(0), Str("late")}});
  EXPECT_EQ(Run(Spec({}, 3), {Input(), second}), "+I[3, c]\n+I[NULL, n]\n+I[1, a2]\n");
  EXPECT_EQ(Run(Spec({}, 2, 4), {Input(), second}), "+I[1, a]\n+I[0, late]\n");
}

TEST_F(SortTest, EmptyInputEmitsNothing) {
  EXPECT_EQ(Run(Spec({Key(schema_, 0)}), {}), "");
  EXPECT_EQ(Run(Spec({Key(schema_, 0)}, 5), {MakeBatch(schema_, {})}), "");
}

TEST_F(SortTest, ComputedKeyIsEvaluatedPerBatch) {
  // ORDER BY -k
  sql::SortKey neg{sql::Call("NEGATE", {Col(schema_, 0)}, DataType::Int64(), "-k"), true, true};
  EXPECT_EQ(Run(Spec({neg}), {Input()}), "+I[NULL, n]\n+I[3, c]\n+I[2, b]\n+I[1, a]\n+I[1, a2]\n");
}

TEST_F(SortTest, ChangelogInputIsRefused) {
  auto chain = SortChain(schema_, {Spec({Key(schema_, 0)})});
  auto b = MakeBatch(schema_, {{I64(1), Str("a")}}, {RowKind::kDelete});
  Status st = chain->Push(b);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(std::string(st.message()).find("only inserted rows"), std::string::npos) << st;
}

TEST_F(SortTest, NegativeLimitOrOffsetIsAnError) {
  EXPECT_FALSE(SortOperator::Make(schema_, Spec({}, -2)).ok());
  EXPECT_FALSE(SortOperator::Make(schema_, Spec({}, 1, -1)).ok());
}

TEST(SortTypesTest, DecimalStringTimestampAndDoubleCompareExactly) {
  auto schema = MakeSchema({{"d", DataType::Decimal(38, 2)},
                            {"s", DataType::String()},
                            {"t", DataType::Timestamp()},
                            {"x", DataType::Double()}});
  columnar::Int128 big = static_cast<columnar::Int128>(1) << 100;  // beyond a double's 53 bits
  auto dec = [](columnar::Int128 v) { return Value::Decimal(v, 38, 2); };
  auto b = MakeBatch(schema, {{dec(big + 1), Str("a"), Ts(3), Value::Double(std::nan(""))},
                              {dec(big), Str("B"), Ts(-5), Value::Double(-0.0)},
                              {dec(-big), Str("\xc3\xa9"), Ts(1000), Value::Double(1.5)},
                              {dec(big + 2), Str("ab"), Ts(2), Value::Double(-1e300)}});
  auto order = [&](int column, bool asc) {
    auto chain = SortChain(schema, {Spec({Key(schema, column, asc)})});
    EXPECT_TRUE(chain->Push(b).ok());
    EXPECT_TRUE(chain->End().ok());
    std::string out;
    for (const Chunk& c : chain->out().chunks) {
      for (size_t i = 0; i < c.batch.active_rows(); ++i) out += c.batch.GetRow(i)[1].ToString() + " ";
    }
    return out;
  };
  EXPECT_EQ(order(0, true), "\xc3\xa9 B a ab ");
  EXPECT_EQ(order(0, false), "ab a B \xc3\xa9 ");
  // Byte order: upper case before lower case, a prefix first, UTF-8 after ASCII.
  EXPECT_EQ(order(1, true), "B a ab \xc3\xa9 ");
  EXPECT_EQ(order(2, true), "B ab a \xc3\xa9 ");
  // NaN above every number.
  EXPECT_EQ(order(3, true), "ab B \xc3\xa9 a ");
}

TEST(SortTypesTest, KeysEqualInTheirFirstBytesCompareInFull) {
  auto schema = MakeSchema({{"s", DataType::String()}, {"x", DataType::Double()},
                            {"tag", DataType::String()}});
  auto b = MakeBatch(schema, {{Str("abcdefgh2"), Value::Double(-0.0), Str("b")},
                              {Str("abcdefgh1"), Value::Double(0.0), Str("a")},
                              {Str("abcdefgh"), Value::Double(-1.0), Str("c")},
                              {Str("abcdefg"), Value::Double(-1e-300), Str("d")}});
  auto tags = [&](int column, bool asc) {
    auto chain = SortChain(schema, {Spec({Key(schema, column, asc)})});
    EXPECT_TRUE(chain->Push(b).ok());
    EXPECT_TRUE(chain->End().ok());
    std::string out;
    for (const Chunk& c : chain->out().chunks) {
      for (size_t i = 0; i < c.batch.active_rows(); ++i) out += c.batch.GetRow(i)[2].ToString();
    }
    return out;
  };
  EXPECT_EQ(tags(0, true), "dcab");
  EXPECT_EQ(tags(0, false), "bacd");
  // -0.0 = 0.0: tied, then ordered by the other columns (s).
  EXPECT_EQ(tags(1, true), "cdab");
  EXPECT_EQ(tags(1, false), "abdc");
}

TEST(SortTopKTest, TopKOverManyBatchesMatchesAFullSort) {
  auto schema = MakeSchema({{"v", DataType::Int64()}, {"i", DataType::Int64()}});
  std::vector<int64_t> values(20000);
  std::mt19937 rng(7);
  for (auto& v : values) v = static_cast<int64_t>(rng() % 5000);  // many ties
  std::vector<columnar::Batch> batches;
  for (size_t at = 0; at < values.size(); at += 1000) {
    std::vector<std::vector<Value>> rows;
    for (size_t i = at; i < at + 1000; ++i) rows.push_back({I64(values[i]), I64(static_cast<int64_t>(i))});
    batches.push_back(MakeBatch(schema, rows));
  }
  std::vector<std::pair<int64_t, int64_t>> expected;
  for (size_t i = 0; i < values.size(); ++i) expected.push_back({-values[i], static_cast<int64_t>(i)});
  std::sort(expected.begin(), expected.end());
  // ORDER BY v DESC LIMIT 7 OFFSET 3, as the planner builds it: partial then final.
  SortOperator::Spec partial = Spec({Key(schema, 0, false)}, 10);
  partial.final = false;
  for (bool two_stages : {false, true}) {
    std::vector<SortOperator::Spec> specs;
    if (two_stages) specs.push_back(partial);
    specs.push_back(Spec({Key(schema, 0, false)}, 7, 3));
    auto chain = SortChain(schema, specs);
    for (const auto& b : batches) ASSERT_TRUE(chain->Push(b).ok());
    ASSERT_TRUE(chain->End().ok());
    std::string want;
    for (size_t i = 3; i < 10; ++i) {
      want += "+I[" + std::to_string(-expected[i].first) + ", " + std::to_string(expected[i].second) + "]\n";
    }
    EXPECT_EQ(chain->out().Text(), want) << "two stages: " << two_stages;
  }
}

TEST(SortTopKTest, FullSortEmitsBatchesOfAtMostBatchRowsInOrder) {
  auto schema = MakeSchema({{"v", DataType::Int64()}});
  std::vector<std::vector<Value>> rows;
  for (int64_t i = 0; i < 10000; ++i) rows.push_back({I64((i * 7919) % 10007)});
  auto chain = SortChain(schema, {Spec({Key(schema, 0)})});
  ASSERT_TRUE(chain->Push(MakeBatch(schema, rows)).ok());
  ASSERT_TRUE(chain->End().ok());
  std::vector<int64_t> got;
  for (const Chunk& c : chain->out().chunks) {
    EXPECT_LE(c.batch.active_rows(), columnar::kBatchRows);
    for (size_t i = 0; i < c.batch.active_rows(); ++i) got.push_back(c.batch.GetRow(i)[0].int64());
  }
  ASSERT_EQ(got.size(), 10000u);
  EXPECT_TRUE(std::is_sorted(got.begin(), got.end()));
  EXPECT_GT(chain->out().chunks.size(), 1u);
}

TEST(SortTopKTest, WatermarksAreHeldBack) {
  auto schema = MakeSchema({{"v", DataType::Int64()}});
  auto chain = SortChain(schema, {Spec({Key(schema, 0)})});
  ASSERT_TRUE(chain->Watermark(100).ok());
  EXPECT_TRUE(chain->out().watermarks.empty());
}

}  // namespace
}  // namespace kappa::engine
