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

}  // namespace
}  // namespace kappa::kafka
