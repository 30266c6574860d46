#include "kafka/broker/producer_state.h"

#include <gtest/gtest.h>

namespace kappa::kafka {
namespace {

using V = ProducerState::Verdict;

TEST(ProducerState, RetriedBatchIsADuplicate) {
  ProducerState ps(1000);
  auto [pid, epoch] = ps.NewProducer();
  EXPECT_EQ(pid, 1000);
  EXPECT_EQ(ps.NewProducer().first, 1001);
  EXPECT_EQ(ps.CheckBatch("t", 0, pid, epoch, 0, 10).verdict, V::kAppend);
  ps.Record("t", 0, pid, epoch, 0, 10, 500);
  EXPECT_EQ(ps.CheckBatch("t", 0, pid, epoch, 10, 5).verdict, V::kAppend);
  ps.Record("t", 0, pid, epoch, 10, 5, 510);

  auto dup = ps.CheckBatch("t", 0, pid, epoch, 0, 10);
  EXPECT_EQ(dup.verdict, V::kDuplicate);
  EXPECT_EQ(dup.duplicate_offset, 500);
  EXPECT_EQ(ps.CheckBatch("t", 0, pid, epoch, 10, 5).duplicate_offset, 510);
  // Other partitions keep their own sequences.
  EXPECT_EQ(ps.CheckBatch("t", 1, pid, epoch, 0, 1).verdict, V::kAppend);
}

TEST(ProducerState, GapsAndOldEpochsAreRefused) {
  ProducerState ps(1);
  auto [pid, epoch] = ps.NewProducer();
  ps.Record("t", 0, pid, epoch, 0, 3, 0);
  EXPECT_EQ(ps.CheckBatch("t", 0, pid, epoch, 7, 1).verdict, V::kOutOfOrder);
  EXPECT_EQ(ps.CheckBatch("t", 0, pid, 1, 0, 1).verdict, V::kAppend);
  ps.Record("t", 0, pid, 1, 0, 1, 3);
  EXPECT_EQ(ps.CheckBatch("t", 0, pid, 0, 3, 1).verdict, V::kFencedEpoch);
  EXPECT_EQ(ps.CheckBatch("t", 0, -1, -1, -1, 4).verdict, V::kUnknown);
}

TEST(ProducerState, RemembersOnlyTheLastFiveBatches) {
  ProducerState ps(1);
  auto [pid, epoch] = ps.NewProducer();
  for (int i = 0; i < 7; ++i) ps.Record("t", 0, pid, epoch, i, 1, 100 + i);
  EXPECT_EQ(ps.CheckBatch("t", 0, pid, epoch, 6, 1).verdict, V::kDuplicate);
  EXPECT_EQ(ps.CheckBatch("t", 0, pid, epoch, 2, 1).verdict, V::kDuplicate);
  EXPECT_EQ(ps.CheckBatch("t", 0, pid, epoch, 1, 1).verdict, V::kOutOfOrder);
  EXPECT_EQ(ps.CheckBatch("t", 0, pid, epoch, 7, 1).verdict, V::kAppend);
}

TEST(ProducerState, SequenceWrapsAround) {
  ProducerState ps(1);
  auto [pid, epoch] = ps.NewProducer();
  ps.Record("t", 0, pid, epoch, INT32_MAX - 1, 2, 0);
  EXPECT_EQ(ps.CheckBatch("t", 0, pid, epoch, 0, 1).verdict, V::kAppend);
}


log::BatchHeader Stored(int64_t pid, int16_t epoch, int32_t seq, int32_t count, int64_t offset) {
  log::BatchHeader h;
  h.producer_id = pid;
  h.producer_epoch = epoch;
  h.base_sequence = seq;
  h.records_count = count;
  h.last_offset_delta = count - 1;
  h.base_offset = offset;
  return h;
}

TEST(ProducerState, RebuiltFromTheLogTailAfterARestart) {
  // What the log holds: producer 7 wrote 3 batches (the last two retried
  // below), producer 8 one in an older epoch, then one in epoch 1; a
  // non-idempotent batch in between.
  std::vector<log::BatchHeader> tail = {
      Stored(7, 0, 0, 10, 0), Stored(8, 0, 0, 1, 10), Stored(-1, -1, -1, 5, 11),
      Stored(7, 0, 10, 10, 16), Stored(8, 1, 0, 2, 26), Stored(7, 0, 20, 5, 28)};
  ProducerState ps(1000);  // a new server: new ids, nothing known
  EXPECT_FALSE(ps.Loaded("t", 0));
  ps.Rebuild("t", 0, tail);
  EXPECT_TRUE(ps.Loaded("t", 0));
  EXPECT_FALSE(ps.Loaded("t", 1));
  auto dup = ps.CheckBatch("t", 0, 7, 0, 20, 5);
  EXPECT_EQ(dup.verdict, V::kDuplicate);
  EXPECT_EQ(dup.duplicate_offset, 28);
  EXPECT_EQ(ps.CheckBatch("t", 0, 7, 0, 10, 10).duplicate_offset, 16);
  EXPECT_EQ(ps.CheckBatch("t", 0, 7, 0, 25, 1).verdict, V::kAppend);
  EXPECT_EQ(ps.CheckBatch("t", 0, 7, 0, 26, 1).verdict, V::kOutOfOrder);
  EXPECT_EQ(ps.CheckBatch("t", 0, 8, 0, 1, 1).verdict, V::kFencedEpoch);
  EXPECT_EQ(ps.CheckBatch("t", 0, 8, 1, 0, 2).duplicate_offset, 26);
  // Other partitions are untouched; a deleted topic is forgotten.
  EXPECT_EQ(ps.CheckBatch("t", 1, 7, 0, 20, 5).verdict, V::kAppend);
  ps.Forget("t");
  EXPECT_FALSE(ps.Loaded("t", 0));
  EXPECT_EQ(ps.CheckBatch("t", 0, 7, 0, 20, 5).verdict, V::kAppend);
}

}  // namespace
}  // namespace kappa::kafka
