// Window TVFs and window aggregates from hand-built plans: each kind fires
// when every split's watermark has passed the window, late rows are
// dropped and counted (or dead-lettered), sessions merge.
#include <algorithm>

#include "engine/ops/session_window_aggregate.h"
#include "engine/ops/watermark_assigner.h"
#include "engine/ops/window_aggregate.h"
#include "engine/ops/window_assigner.h"
#include "engine_test_util.h"
#include "gtest/gtest.h"

namespace kappa::engine {
namespace {

using namespace testing;
using columnar::DataType;

class WindowTest : public ::testing::Test {
 protected:
  WindowTest()
      : schema_(MakeSchema({{"ts", DataType::Timestamp()},
                            {"k", DataType::String()},
                            {"price", DataType::Int64()}})),
        table_(Table("bids", schema_, "bids")) {}

  // Watermark (delay 0) -> window TVF -> window aggregate with COUNT(*),
  // SUM(price) grouped by k.
  std::unique_ptr<Chain> MakeChain(sql::WindowSpec spec, int splits = 2,
                                   ExecOptions options = {}) {
    auto scan = ScanPlan(table_);
    auto wm = WatermarkPlan(scan, 0, 0);
    auto window = WindowPlan(wm, spec);
    auto agg = WindowAggPlan(window, {1},
                             {Agg("COUNT", {}, DataType::Int64()),
                              Agg("SUM", {Col(schema_, 2)}, DataType::Int64())});
    std::vector<std::shared_ptr<const Operator>> ops;
    ops.push_back(WatermarkAssigner::Make(*wm, 0).value());
    ops.push_back(WindowAssigner::Make(*window).value());
    if (spec.kind == sql::WindowKind::kSession) {
      ops.push_back(SessionWindowAggregate::Make(*agg).value());
    } else {
      ops.push_back(WindowAggregate::Make(*agg).value());
    }
    std::vector<SplitInfo> infos;
    for (int i = 0; i < splits; ++i) infos.push_back({0, "bids", "bids", i});
    auto chain = std::make_unique<Chain>(ops, infos, options);
    EXPECT_TRUE(chain->Open().ok());
    return chain;
  }

  columnar::Batch Rows(const std::vector<std::vector<Value>>& rows) {
    return MakeBatch(schema_, rows);
  }

  // The collected rows, sorted (a firing emits groups in no fixed order).
  static std::vector<std::string> Sorted(const Collected& c) {
    std::vector<std::string> out;
    std::string text = c.Text();
    size_t pos = 0;
    while (pos < text.size()) {
      size_t nl = text.find('\n', pos);
      out.push_back(text.substr(pos, nl - pos));
      pos = nl + 1;
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  columnar::Schema schema_;
  std::shared_ptr<sql::TableDef> table_;
};

TEST_F(WindowTest, TumbleFiresOnlyWhenEverySplitPassesTheWindowEnd) {
  auto chain = MakeChain(Tumble(0, 10000));
  ASSERT_TRUE(chain->Push(Rows({{Ts(1000), Str("a"), I64(1)},
                                {Ts(2000), Str("b"), I64(2)},
                                {Ts(11000), Str("a"), I64(3)}}),
                          0)
                  .ok());
  // Split 1 has no row yet: its watermark holds every window back.
  EXPECT_EQ(chain->out().Text(), "");
  ASSERT_TRUE(chain->Push(Rows({{Ts(12000), Str("a"), I64(5)}}), 1).ok());
  EXPECT_EQ(Sorted(chain->out()),
            (std::vector<std::string>{
                "+I[1970-01-01 00:00:00.000, 1970-01-01 00:00:10.000, a, 1, 1]",
                "+I[1970-01-01 00:00:00.000, 1970-01-01 00:00:10.000, b, 1, 2]"}));
  EXPECT_EQ(chain->out().watermarks.back(), 11000);
  chain->out().chunks.clear();
  ASSERT_TRUE(chain->End().ok());
  EXPECT_EQ(chain->out().Text(),
            "+I[1970-01-01 00:00:10.000, 1970-01-01 00:00:20.000, a, 2, 8]\n");
}

TEST_F(WindowTest, WindowFiresAtWatermarkEqualToEndMinusOne) {
  auto chain = MakeChain(Tumble(0, 10000), 1);
  ASSERT_TRUE(chain->Push(Rows({{Ts(500), Str("a"), I64(1)}, {Ts(9998), Str("a"), I64(1)}})).ok());
  EXPECT_EQ(chain->out().Text(), "");
  ASSERT_TRUE(chain->Push(Rows({{Ts(9999), Str("a"), I64(1)}})).ok());
  EXPECT_EQ(chain->out().Text(),
            "+I[1970-01-01 00:00:00.000, 1970-01-01 00:00:10.000, a, 3, 3]\n");
}

TEST_F(WindowTest, LateRowsAreDroppedAndCounted) {
  auto chain = MakeChain(Tumble(0, 10000), 1);
  ASSERT_TRUE(chain->Push(Rows({{Ts(20000), Str("a"), I64(1)},
                                {Ts(5000), Str("a"), I64(100)},   // window [0, 10s) closed
                                {Ts(15000), Str("a"), I64(10)}})) // [10s, 20s) closed too
                  .ok());
  EXPECT_EQ(chain->counters().late.load(), 2);
  EXPECT_TRUE(chain->dead_letters().values.empty());  // policy: drop
  ASSERT_TRUE(chain->End().ok());
  EXPECT_EQ(chain->out().Text(),
            "+I[1970-01-01 00:00:20.000, 1970-01-01 00:00:30.000, a, 1, 1]\n");
}

TEST_F(WindowTest, LateRowIsJudgedAgainstItsOwnSplit) {
  // Split 0 is far ahead; split 1's row at 5 s is not late for split 1.
  auto chain = MakeChain(Tumble(0, 10000), 2);
  ASSERT_TRUE(chain->Push(Rows({{Ts(30000), Str("a"), I64(1)}}), 0).ok());
  ASSERT_TRUE(chain->Push(Rows({{Ts(5000), Str("a"), I64(2)}}), 1).ok());
  EXPECT_EQ(chain->counters().late.load(), 0);
  ASSERT_TRUE(chain->End().ok());
  EXPECT_EQ(Sorted(chain->out()),
            (std::vector<std::string>{
                "+I[1970-01-01 00:00:00.000, 1970-01-01 00:00:10.000, a, 1, 2]",
                "+I[1970-01-01 00:00:30.000, 1970-01-01 00:00:40.000, a, 1, 1]"}));
}

TEST_F(WindowTest, LateRowsGoToTheDeadLetterTopicWhenAsked) {
  ExecOptions options;
  options.pipeline = "p";
  options.late_policy = LatePolicy::kDeadLetter;
  auto chain = MakeChain(Tumble(0, 10000), 1, options);
  ASSERT_TRUE(chain->Push(Rows({{Ts(20000), Str("a"), I64(1)}, {Ts(5000), Str("z"), I64(7)}})).ok());
  ASSERT_EQ(chain->dead_letters().values.size(), 1u);
  const std::string& dl = chain->dead_letters().values[0];
  EXPECT_NE(dl.find("\"reason\":\"late record"), std::string::npos) << dl;
  EXPECT_NE(dl.find("\"topic\":\"bids\""), std::string::npos) << dl;
  EXPECT_NE(dl.find("\"partition\":0"), std::string::npos) << dl;
  EXPECT_NE(dl.find("z"), std::string::npos) << dl;
  EXPECT_EQ(chain->counters().late.load(), 1);
}

TEST_F(WindowTest, HopPutsARowInSizeOverSlideWindows) {
  sql::WindowSpec hop;
  hop.kind = sql::WindowKind::kHop;
  hop.time_column = 0;
  hop.size_ms = 10000;
  hop.slide_ms = 5000;
  auto chain = MakeChain(hop, 1);
  ASSERT_TRUE(chain->Push(Rows({{Ts(12000), Str("a"), I64(1)}, {Ts(3000), Str("a"), I64(2)}})).ok());
  ASSERT_TRUE(chain->End().ok());
  // Windows ending after 3 s that hold 3 s: [-5,5) [0,10); holding 12 s:
  // [5,15) [10,20). 3 s arrives after the watermark passed 12 s, so the
  // windows ending at 5 s and 10 s are closed for it: it is late.
  EXPECT_EQ(chain->counters().late.load(), 1);
  EXPECT_EQ(Sorted(chain->out()),
            (std::vector<std::string>{
                "+I[1970-01-01 00:00:05.000, 1970-01-01 00:00:15.000, a, 1, 1]",
                "+I[1970-01-01 00:00:10.000, 1970-01-01 00:00:20.000, a, 1, 1]"}));
}

TEST_F(WindowTest, CumulateWindowsGrowByStep) {
  sql::WindowSpec cum;
  cum.kind = sql::WindowKind::kCumulate;
  cum.time_column = 0;
  cum.size_ms = 10000;
  cum.slide_ms = 5000;
  auto chain = MakeChain(cum, 1);
  ASSERT_TRUE(chain->Push(Rows({{Ts(3000), Str("a"), I64(1)}, {Ts(7000), Str("a"), I64(2)}})).ok());
  ASSERT_TRUE(chain->End().ok());
  EXPECT_EQ(Sorted(chain->out()),
            (std::vector<std::string>{
                "+I[1970-01-01 00:00:00.000, 1970-01-01 00:00:05.000, a, 1, 1]",
                "+I[1970-01-01 00:00:00.000, 1970-01-01 00:00:10.000, a, 2, 3]"}));
}

TEST_F(WindowTest, SessionsMergeWhenGapsTouch) {
  sql::WindowSpec session;
  session.kind = sql::WindowKind::kSession;
  session.time_column = 0;
  session.gap_ms = 10000;
  auto chain = MakeChain(session, 2);
  // a: 0 and 10 s are exactly one gap apart: one session; 25 s starts
  // another. b on the other split: its own session.
  ASSERT_TRUE(chain->Push(Rows({{Ts(0), Str("a"), I64(1)},
                                {Ts(10000), Str("a"), I64(2)},
                                {Ts(25000), Str("a"), I64(4)}}),
                          0)
                  .ok());
  ASSERT_TRUE(chain->Push(Rows({{Ts(5000), Str("b"), I64(8)}}), 1).ok());
  ASSERT_TRUE(chain->End().ok());
  EXPECT_EQ(Sorted(chain->out()),
            (std::vector<std::string>{
                "+I[1970-01-01 00:00:00.000, 1970-01-01 00:00:20.000, a, 2, 3]",
                "+I[1970-01-01 00:00:05.000, 1970-01-01 00:00:15.000, b, 1, 8]",
                "+I[1970-01-01 00:00:25.000, 1970-01-01 00:00:35.000, a, 1, 4]"}));
}

TEST_F(WindowTest, ARowBridgingTwoSessionsMergesThem) {
  sql::WindowSpec session;
  session.kind = sql::WindowKind::kSession;
  session.time_column = 0;
  session.gap_ms = 10000;
  auto chain = MakeChain(session, 2);
  ASSERT_TRUE(chain->Push(Rows({{Ts(0), Str("a"), I64(1)}}), 0).ok());
  ASSERT_TRUE(chain->Push(Rows({{Ts(20000), Str("a"), I64(2)}}), 1).ok());
  EXPECT_EQ(chain->out().Text(), "");
  // [10 s, 20 s) touches [0, 10 s) and [20 s, 30 s): all three merge.
  ASSERT_TRUE(chain->Push(Rows({{Ts(10000), Str("a"), I64(4)}}), 0).ok());
  ASSERT_TRUE(chain->End().ok());
  EXPECT_EQ(chain->out().Text(),
            "+I[1970-01-01 00:00:00.000, 1970-01-01 00:00:30.000, a, 3, 7]\n");
}

TEST_F(WindowTest, SnapshotAndRestoreGiveTheSameOutputAsOneRun) {
  std::vector<columnar::Batch> batches = {
      Rows({{Ts(1000), Str("a"), I64(1)}, {Ts(4000), Str("b"), I64(2)}}),
      Rows({{Ts(9000), Str("a"), I64(3)}, {Ts(12000), Str("b"), I64(4)}}),
      Rows({{Ts(15000), Str("a"), I64(5)}, {Ts(2000), Str("a"), I64(6)}}),
      Rows({{Ts(31000), Str("c"), I64(7)}}),
  };
  auto whole = MakeChain(Tumble(0, 10000), 1);
  for (const auto& b : batches) ASSERT_TRUE(whole->Push(b).ok());
  ASSERT_TRUE(whole->End().ok());

  auto first = MakeChain(Tumble(0, 10000), 1);
  ASSERT_TRUE(first->Push(batches[0]).ok());
  ASSERT_TRUE(first->Push(batches[1]).ok());
  auto snapshot = first->Snapshot(1);
  ASSERT_TRUE(snapshot.ok()) << snapshot.status();
  auto second = MakeChain(Tumble(0, 10000), 1);
  ASSERT_TRUE(second->Restore(*snapshot).ok());
  ASSERT_TRUE(second->Push(batches[2]).ok());
  ASSERT_TRUE(second->Push(batches[3]).ok());
  ASSERT_TRUE(second->End().ok());
  EXPECT_EQ(first->out().Text() + second->out().Text(), whole->out().Text());
  EXPECT_EQ(second->counters().late.load(), whole->counters().late.load());
  EXPECT_FALSE(whole->out().Text().empty());
}

TEST(WindowAssignerTest, WindowsOfNegativeTimesAlignToTheEpoch) {
  auto schema = MakeSchema({{"ts", DataType::Timestamp()}});
  auto window = WindowPlan(ScanPlan(Table("t", schema, "t")), Tumble(0, 1000));
  auto op = WindowAssigner::Make(*window).value();
  std::vector<std::pair<int64_t, int64_t>> w;
  op->WindowsOf(-1, &w);
  ASSERT_EQ(w.size(), 1u);
  EXPECT_EQ(w[0], std::make_pair(int64_t{-1000}, int64_t{0}));
}

}  // namespace
}  // namespace kappa::engine
