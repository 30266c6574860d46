// Durability modes, acknowledgements and the high watermark.
#include <gtest/gtest.h>

#include <atomic>
#include <future>

#include "log_test_util.h"

namespace kappa::log {
namespace {

using namespace testing;  // NOLINT

class LogDurability : public ::testing::TestWithParam<Durability> {
 protected:
  void SetUp() override {
    LogOptions o = Options(TestDir());
    o.flush_interval_ms = 20;
    log_ = OpenOrDie(o);
    TopicConfig c;
    c.durability = GetParam();
    p_ = (*log_->CreateTopic("t", c))->partition(PartitionId(0));
  }
  std::unique_ptr<Log> log_;
  Partition* p_ = nullptr;
};

TEST_P(LogDurability, AcknowledgementsFire) {
  int64_t n = 0;
  std::vector<std::future<Status>> acks;
  for (int i = 0; i < 20; ++i) {
    auto r = p_->Append(Batch(n, 4));
    ASSERT_TRUE(r.ok());
    n += 4;
    EXPECT_LE(p_->high_watermark(), p_->end_offset());
    auto promise = std::make_shared<std::promise<Status>>();
    acks.push_back(promise->get_future());
    p_->OnDurable(r->last_offset + 1, [promise](Status s) { promise->set_value(s); });
  }
  for (auto& f : acks) {
    ASSERT_EQ(f.wait_for(std::chrono::seconds(10)), std::future_status::ready);
    EXPECT_TRUE(f.get().ok());
  }
  EXPECT_TRUE(p_->WaitDurable(Offset(n)).ok());
  EXPECT_EQ(p_->high_watermark(), Offset(n));
  EXPECT_EQ(p_->WaitDurable(Offset(n + 1)).code(), StatusCode::kInvalidArgument);
  ExpectDense(ReadAll(p_), 0, n);
}

TEST_P(LogDurability, AlwaysIsDurableOnReturnAndNeverIsVisibleAtOnce) {
  ASSERT_TRUE(p_->Append(Batch(0, 3)).ok());
  if (GetParam() != Durability::kGroup) {
    EXPECT_EQ(p_->high_watermark(), Offset(3));
    bool called = false;
    p_->OnDurable(Offset(3), [&](Status s) { called = s.ok(); });
    EXPECT_TRUE(called);  // at once, on this thread
  }
}

INSTANTIATE_TEST_SUITE_P(Modes, LogDurability,
                         ::testing::Values(Durability::kAlways, Durability::kGroup,
                                           Durability::kNever),
                         [](const auto& info) { return std::string(DurabilityName(info.param)); });

TEST(LogGroupCommit, ReadersOnlySeeDurableRecords) {
  LogOptions o = Options(TestDir());
  o.flush_interval_ms = 200;  // long enough to observe the gap
  auto log = OpenOrDie(o);
  Partition* p = (*log->CreateTopic("t", TopicConfig()))->partition(PartitionId(0));
  ASSERT_TRUE(p->WaitForData(Offset(0), std::chrono::milliseconds(1)) == false);
  auto r = p->Append(Batch(0, 5));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(p->end_offset(), Offset(5));
  Offset hw = p->high_watermark();
  if (hw == Offset(0)) {  // not yet synced: nothing readable
    auto read = p->Read(Offset(0), 1 << 20);
    ASSERT_TRUE(read.ok());
    EXPECT_TRUE(read->slices.empty());
    EXPECT_EQ(read->high_watermark, Offset(0));
  }
  EXPECT_TRUE(p->WaitForData(Offset(0), std::chrono::seconds(10)));
  EXPECT_EQ(p->high_watermark(), Offset(5));
  ExpectDense(ReadAll(p), 0, 5);
}

TEST(LogGroupCommit, WaitDurableFailsWhenTheTopicIsDeleted) {
  LogOptions o = Options(TestDir());
  o.flush_interval_ms = 100000;  // the flusher never gets to it
  auto log = OpenOrDie(o);
  auto topic = *log->CreateTopic("t", TopicConfig());
  Partition* p = topic->partition(PartitionId(0));
  // The first flush runs at once when the log opens; this append waits.
  ASSERT_TRUE(p->Append(Batch(0, 1)).ok());
  std::atomic<bool> fired{false};
  Status got;
  p->OnDurable(Offset(1), [&](Status s) {
    got = s;
    fired = true;
  });
  ASSERT_TRUE(log->DeleteTopic("t").ok());
  EXPECT_TRUE(fired);
  // Delete syncs first, so the waiter is satisfied, or fails naming the deletion.
  if (!got.ok()) {
    EXPECT_EQ(got.code(), StatusCode::kNotFound);
  }
  EXPECT_FALSE(p->Append(Batch(1, 1)).ok());
}

}  // namespace
}  // namespace kappa::log
