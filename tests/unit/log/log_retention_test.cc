// Retention by size and by append time (never by record timestamps).
#include <gtest/gtest.h>

#include "base/time.h"
#include "log_test_util.h"

namespace kappa::log {
namespace {

using namespace testing;  // NOLINT

constexpr int64_t kDay = 86400000;

// 40 batches of 5 records in segments of ~1 KiB.
Partition* Fill(Log* log, const TopicConfig& config) {
  Partition* p = (*log->CreateTopic("t", config))->partition(PartitionId(0));
  for (int i = 0; i < 40; ++i) EXPECT_TRUE(p->Append(Batch(i * 5, 5, 1000 + i)).ok());
  EXPECT_TRUE(p->WaitDurable(Offset(200)).ok());
  return p;
}

TEST(LogRetention, InfiniteByDefault) {
  std::string dir = TestDir();
  auto log = OpenOrDie(Options(dir));
  Partition* p = Fill(log.get(), SmallSegments(1000));
  size_t segments = SegmentLogs(dir, "t").size();
  ASSERT_GT(segments, 4u);
  ASSERT_TRUE(log->ApplyRetention(WallMillis() + 1000 * kDay).ok());
  EXPECT_EQ(SegmentLogs(dir, "t").size(), segments);
  EXPECT_EQ(p->start_offset(), Offset(0));
}

TEST(LogRetention, BySizeDeletesOldestWholeSegments) {
  std::string dir = TestDir();
  auto log = OpenOrDie(Options(dir));
  TopicConfig c = SmallSegments(1000);
  c.retention_bytes = 2500;
  Partition* p = Fill(log.get(), c);
  ASSERT_TRUE(log->ApplyRetention(WallMillis()).ok());
  PartitionStats st = p->Stats();
  EXPECT_GE(st.bytes, 2500u);                 // never below the limit
  EXPECT_LT(st.bytes, 2500u + 1000u);         // but within one segment of it
  EXPECT_GT(st.start_offset, Offset(0));
  EXPECT_EQ(st.end_offset, Offset(200));
  EXPECT_EQ(st.records, 200 - st.start_offset.value());
  EXPECT_EQ(SegmentLogs(dir, "t").front(), fmt::format("{:020}.log", st.start_offset.value()));
  EXPECT_EQ(p->Read(Offset(0), 100).status().code(), StatusCode::kOutOfRange);
  ExpectDense(ReadAll(p, st.start_offset), st.start_offset.value(),
              200 - st.start_offset.value());
  // Reopen: the start offset is the first remaining segment.
  log.reset();
  log = OpenOrDie(Options(dir));
  EXPECT_EQ((*log->GetTopic("t"))->partition(PartitionId(0))->start_offset(), st.start_offset);
}

TEST(LogRetention, NeverTheActiveSegment) {
  std::string dir = TestDir();
  auto log = OpenOrDie(Options(dir));
  TopicConfig c = SmallSegments(1000);
  c.retention_bytes = 0;
  c.retention_ms = 0;
  Partition* p = Fill(log.get(), c);
  ASSERT_TRUE(log->ApplyRetention(WallMillis() + kDay).ok());
  EXPECT_EQ(SegmentLogs(dir, "t").size(), 1u);
  EXPECT_EQ(p->end_offset(), Offset(200));
  EXPECT_EQ(p->Stats().segments, 1);
  ASSERT_TRUE(p->Append(Batch(200, 1)).ok());
}

TEST(LogRetention, ByAppendTimeNotRecordTime) {
  std::string dir = TestDir();
  auto log = OpenOrDie(Options(dir));
  TopicConfig c = SmallSegments(1000);
  c.retention_ms = 7 * kDay;
  // Records from 2016: event time is ancient, but they were appended now.
  Partition* p = Fill(log.get(), c);
  int64_t now = WallMillis();
  ASSERT_TRUE(log->ApplyRetention(now).ok());
  EXPECT_EQ(p->start_offset(), Offset(0));  // imported history is kept

  // Make the first two segments look appended 8 days ago, the third 6.
  std::vector<std::string> logs = SegmentLogs(dir, "t");
  ASSERT_GT(logs.size(), 4u);
  std::string pdir = PartitionPath(dir, "t");
  SetMtime(pdir + "/" + logs[0], now - 8 * kDay);
  SetMtime(pdir + "/" + logs[1], now - 8 * kDay);
  SetMtime(pdir + "/" + logs[2], now - 6 * kDay);
  ASSERT_TRUE(log->ApplyRetention(now).ok());
  EXPECT_EQ(SegmentLogs(dir, "t").front(), logs[2]);
  EXPECT_EQ(p->start_offset(), Offset(std::stoll(logs[2].substr(0, 20))));
  // A day later the third goes too (fake clock).
  ASSERT_TRUE(log->ApplyRetention(now + 1 * kDay + 1).ok());
  EXPECT_EQ(SegmentLogs(dir, "t").front(), logs[3]);
  EXPECT_FALSE(PathExists(pdir + "/" + logs[2].substr(0, 20) + ".index"));
}

}  // namespace
}  // namespace kappa::log
