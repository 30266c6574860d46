// Offset and time indexes, and lookups by timestamp.
#include <gtest/gtest.h>

#include "log/offset_index.h"
#include "log/time_index.h"
#include "log_test_util.h"

namespace kappa::log {
namespace {

using namespace testing;  // NOLINT

TEST(LogIndex, OffsetIndexFloorsAndRoundTrips) {
  OffsetIndex idx;
  idx.Add({10, 400});
  idx.Add({25, 900});
  EXPECT_EQ(idx.FloorByOffset(0).position, 0u);
  EXPECT_EQ(idx.FloorByOffset(9).position, 0u);
  EXPECT_EQ(idx.FloorByOffset(10).position, 400u);
  EXPECT_EQ(idx.FloorByOffset(24).position, 400u);
  EXPECT_EQ(idx.FloorByOffset(1000).position, 900u);
  EXPECT_EQ(idx.FloorByPosition(399).position, 0u);
  EXPECT_EQ(idx.FloorByPosition(400).relative_offset, 10u);
  EXPECT_EQ(idx.FloorByPosition(5000).relative_offset, 25u);
  auto back = OffsetIndex::Parse(idx.Serialize());
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->Serialize(), idx.Serialize());
  EXPECT_TRUE(back->CheckBounds(901, 26).ok());
  EXPECT_FALSE(back->CheckBounds(900, 26).ok());
  EXPECT_FALSE(back->CheckBounds(901, 25).ok());
}

TEST(LogIndex, DamagedIndexesAreRefused) {
  OffsetIndex idx;
  idx.Add({10, 400});
  idx.Add({25, 900});
  std::string bytes = idx.Serialize();
  EXPECT_FALSE(OffsetIndex::Parse(bytes.substr(0, 12)).ok());  // not a multiple
  std::string swapped = bytes.substr(8) + bytes.substr(0, 8);
  EXPECT_FALSE(OffsetIndex::Parse(swapped).ok());  // not monotonic
  TimeIndex t;
  t.MaybeAdd(100, 1);
  t.MaybeAdd(100, 2);  // not above: skipped
  t.MaybeAdd(200, 3);
  EXPECT_EQ(t.size(), 2u);
  std::string tb = t.Serialize();
  EXPECT_TRUE(TimeIndex::Parse(tb).ok());
  EXPECT_FALSE(TimeIndex::Parse(tb.substr(0, 13)).ok());
  EXPECT_FALSE(TimeIndex::Parse(tb.substr(12) + tb.substr(0, 12)).ok());
  EXPECT_FALSE(TimeIndex::Parse(tb)->CheckBounds(3).ok());
}

TEST(LogIndex, TimeIndexLastBefore) {
  TimeIndex t;
  t.MaybeAdd(100, 1);
  t.MaybeAdd(200, 5);
  EXPECT_FALSE(t.LastBefore(100).has_value());
  EXPECT_EQ(t.LastBefore(101)->relative_offset, 1u);
  EXPECT_EQ(t.LastBefore(200)->relative_offset, 1u);
  EXPECT_EQ(t.LastBefore(201)->relative_offset, 5u);
}

// 200 batches of 3 records; record timestamps 1000 + 10 * offset.
class LogTimeLookup : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = TestDir();
    log_ = OpenOrDie(Options(dir_));
    p_ = (*log_->CreateTopic("t", SmallSegments(4000)))->partition(PartitionId(0));
    for (int64_t i = 0; i < 200; ++i) {
      ASSERT_TRUE(p_->Append(Batch(i * 3, 3, 1000 + i * 30, 10)).ok());
    }
    ASSERT_TRUE(p_->WaitDurable(Offset(600)).ok());
    ASSERT_GT(SegmentLogs(dir_, "t").size(), 3u);
  }

  void ExpectLookups() {
    for (int64_t o = 0; o < 600; ++o) {
      int64_t ts = 1000 + 10 * o;
      ASSERT_EQ(*p_->OffsetForTimestamp(ts), Offset(o)) << "equal " << ts;
      ASSERT_EQ(*p_->OffsetForTimestamp(ts - 5), Offset(o)) << "between " << ts - 5;
    }
    EXPECT_EQ(*p_->OffsetForTimestamp(0), Offset(0));
    EXPECT_EQ(*p_->OffsetForTimestamp(1000 + 10 * 599 + 1), Offset(600));  // after the end
    EXPECT_EQ(*p_->OffsetForTimestamp(INT64_MAX), Offset(600));
  }

  std::string dir_;
  std::unique_ptr<Log> log_;
  Partition* p_ = nullptr;
};

TEST_F(LogTimeLookup, EqualBetweenAndAfterTheEnd) { ExpectLookups(); }

TEST_F(LogTimeLookup, SameAfterReopen) {
  log_.reset();
  log_ = OpenOrDie(Options(dir_));
  p_ = (*log_->GetTopic("t"))->partition(PartitionId(0));
  ExpectLookups();
  PartitionStats st = p_->Stats();
  EXPECT_EQ(st.min_timestamp, 1000);
  EXPECT_EQ(st.max_timestamp, 1000 + 10 * 599);
  EXPECT_EQ(st.records, 600);
  EXPECT_EQ(st.end_offset, Offset(600));
}

TEST(LogTimeLookupOrder, OutOfOrderTimestampsFindTheFirstBatchThatMayHoldThem) {
  auto log = OpenOrDie(Options(TestDir()));
  Partition* p = (*log->CreateTopic("t", SmallSegments(1000)))->partition(PartitionId(0));
  // Batch maxima: 500, 100, 100, ..., 900: an import of old events after a new one.
  ASSERT_TRUE(p->Append(Batch(0, 1, 500)).ok());
  for (int i = 1; i < 50; ++i) ASSERT_TRUE(p->Append(Batch(i, 1, 100)).ok());
  ASSERT_TRUE(p->Append(Batch(50, 1, 900)).ok());
  ASSERT_TRUE(p->WaitDurable(Offset(51)).ok());
  EXPECT_EQ(*p->OffsetForTimestamp(100), Offset(0));
  EXPECT_EQ(*p->OffsetForTimestamp(500), Offset(0));
  EXPECT_EQ(*p->OffsetForTimestamp(501), Offset(50));
  EXPECT_EQ(*p->OffsetForTimestamp(901), Offset(51));
  PartitionStats st = p->Stats();
  EXPECT_EQ(st.min_timestamp, 100);
  EXPECT_EQ(st.max_timestamp, 900);
}

TEST(LogTimeLookupOrder, EmptyPartition) {
  auto log = OpenOrDie(Options(TestDir()));
  Partition* p = (*log->CreateTopic("t", TopicConfig()))->partition(PartitionId(0));
  EXPECT_EQ(*p->OffsetForTimestamp(0), Offset(0));
  PartitionStats st = p->Stats();
  EXPECT_FALSE(st.min_timestamp.has_value());
  EXPECT_EQ(st.segments, 1);
  EXPECT_EQ(st.bytes, 0u);
}

}  // namespace
}  // namespace kappa::log
