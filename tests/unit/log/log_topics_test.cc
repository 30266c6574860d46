// Topics, appends and reads, segment roll, the data dir lock.
#include <gtest/gtest.h>

#include <thread>

#include "base/metrics.h"
#include "log/log.h"
#include "log_test_util.h"

namespace kappa::log {
namespace {

using namespace testing;  // NOLINT

TEST(LogTopics, CreateListDeleteReopen) {
  std::string dir = TestDir();
  {
    auto log = OpenOrDie(Options(dir));
    TopicConfig c;
    c.partitions = 3;
    ASSERT_TRUE(log->CreateTopic("b", c).ok());
    ASSERT_TRUE(log->CreateTopic("a", TopicConfig()).ok());
    ASSERT_TRUE(log->CreateTopic("gone", TopicConfig()).ok());
    EXPECT_EQ(log->CreateTopic("a", TopicConfig()).status().code(), StatusCode::kAlreadyExists);
    EXPECT_EQ(log->CreateTopic("bad/name", TopicConfig()).status().code(),
              StatusCode::kInvalidArgument);
    EXPECT_EQ(log->ListTopics(), (std::vector<std::string>{"a", "b", "gone"}));
    auto b = log->GetTopic("b");
    ASSERT_TRUE(b.ok());
    EXPECT_EQ((*b)->partition_count(), 3);
    EXPECT_EQ((*b)->partition(PartitionId(3)), nullptr);
    ASSERT_TRUE((*b)->partition(PartitionId(2))->Append(Batch(0, 5)).ok());

    auto gone = *log->GetTopic("gone");
    ASSERT_TRUE(log->DeleteTopic("gone").ok());
    EXPECT_EQ(log->DeleteTopic("gone").code(), StatusCode::kNotFound);
    EXPECT_EQ(log->GetTopic("gone").status().code(), StatusCode::kNotFound);
    // The handle stays valid; appends fail.
    EXPECT_EQ(gone->name(), "gone");
    EXPECT_EQ(gone->partition(PartitionId(0))->Append(Batch(0, 1)).status().code(),
              StatusCode::kNotFound);
    EXPECT_FALSE(PathExists(dir + "/topics/gone"));
    ASSERT_TRUE(log->CreateTopic("gone", TopicConfig()).ok());  // the name is free again
    ASSERT_TRUE(log->DeleteTopic("gone").ok());
  }
  auto log = OpenOrDie(Options(dir));
  EXPECT_EQ(log->ListTopics(), (std::vector<std::string>{"a", "b"}));
  auto b = *log->GetTopic("b");
  EXPECT_EQ(b->config().partitions, 3);
  Partition* p = b->partition(PartitionId(2));
  EXPECT_EQ(p->end_offset(), Offset(5));
  EXPECT_EQ(p->high_watermark(), Offset(5));
  ExpectDense(ReadAll(p), 0, 5);
}

TEST(LogTopics, AppendAssignsDenseOffsetsAndReadsBack) {
  auto log = OpenOrDie(Options(TestDir()));
  auto topic = *log->CreateTopic("t", TopicConfig());
  Partition* p = topic->partition(PartitionId(0));
  int64_t next = 0;
  for (int i = 1; i <= 20; ++i) {
    auto r = p->Append(Batch(next, i));
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_EQ(r->base_offset, Offset(next));
    EXPECT_EQ(r->last_offset, Offset(next + i - 1));
    next += i;
  }
  ASSERT_TRUE(p->WaitDurable(Offset(next)).ok());
  ExpectDense(ReadAll(p), 0, next);
  auto empty = p->Read(Offset(next), 1000);
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->slices.empty());
  EXPECT_EQ(empty->next_offset, Offset(next));
  EXPECT_EQ(p->Read(Offset(next + 1), 1000).status().code(), StatusCode::kOutOfRange);
  EXPECT_EQ(p->Append("not a batch").status().code(), StatusCode::kDataLoss);
  EXPECT_EQ(p->end_offset(), Offset(next));
}

TEST(LogTopics, RecordFieldsSurvive) {
  auto log = OpenOrDie(Options(TestDir()));
  Partition* p = (*log->CreateTopic("t", TopicConfig()))->partition(PartitionId(0));
  BatchBuilder b;
  b.Add(std::nullopt, "v", 42, {{"h1", "x"}, {"h2", std::nullopt}});
  b.Add("key", std::nullopt, 43);
  ASSERT_TRUE(p->Append(*b.Finish()).ok());
  ASSERT_TRUE(p->WaitDurable(Offset(2)).ok());
  auto r = p->Read(Offset(0), 1 << 20);
  ASSERT_TRUE(r.ok());
  std::string bytes;
  ASSERT_TRUE(r->slices.at(0).AppendTo(&bytes).ok());
  std::string scratch;
  std::vector<Record> recs;
  ASSERT_TRUE(DecodeRecords(AsBytes(bytes), &scratch, &recs).ok());
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_FALSE(recs[0].key.has_value());
  EXPECT_EQ(recs[0].value, "v");
  EXPECT_EQ(recs[0].timestamp, 42);
  ASSERT_EQ(recs[0].headers.size(), 2u);
  EXPECT_EQ(recs[0].headers[0].key, "h1");
  EXPECT_EQ(recs[0].headers[0].value, "x");
  EXPECT_FALSE(recs[0].headers[1].value.has_value());
  EXPECT_EQ(recs[1].key, "key");
  EXPECT_FALSE(recs[1].value.has_value());
  EXPECT_EQ(recs[1].offset, 1);
}

TEST(LogTopics, SegmentsRollBySize) {
  std::string dir = TestDir();
  auto log = OpenOrDie(Options(dir));
  Partition* p = (*log->CreateTopic("t", SmallSegments(2000)))->partition(PartitionId(0));
  std::string one = Batch(0, 10);
  int64_t n = 0;
  for (int i = 0; i < 50; ++i, n += 10) ASSERT_TRUE(p->Append(Batch(n, 10)).ok());
  ASSERT_TRUE(p->WaitDurable(Offset(n)).ok());
  std::vector<std::string> logs = SegmentLogs(dir, "t");
  size_t per_segment = 2000 / one.size();
  EXPECT_EQ(logs.size(), (50 + per_segment - 1) / per_segment);
  EXPECT_EQ(logs.front(), "00000000000000000000.log");
  for (const std::string& name : logs) {
    EXPECT_LE(FileSize(PartitionPath(dir, "t") + "/" + name), 2000u) << name;
  }
  EXPECT_EQ(p->Stats().segments, static_cast<int32_t>(logs.size()));
  ExpectDense(ReadAll(p), 0, n);
  ExpectDense(ReadAll(p, Offset(0), 1), 0, n);  // one batch per read
}

TEST(LogTopics, SegmentsRollByAge) {
  std::string dir = TestDir();
  auto log = OpenOrDie(Options(dir));
  TopicConfig c;
  c.segment_ms = 30;
  Partition* p = (*log->CreateTopic("t", c))->partition(PartitionId(0));
  ASSERT_TRUE(p->Append(Batch(0, 2)).ok());
  ASSERT_TRUE(p->Append(Batch(2, 2)).ok());
  std::this_thread::sleep_for(std::chrono::milliseconds(40));
  ASSERT_TRUE(p->Append(Batch(4, 2)).ok());
  ASSERT_TRUE(p->WaitDurable(Offset(6)).ok());
  EXPECT_EQ(SegmentLogs(dir, "t"),
            (std::vector<std::string>{"00000000000000000000.log", "00000000000000000004.log"}));
  ExpectDense(ReadAll(p), 0, 6);
}

TEST(LogTopics, ABatchLargerThanASegmentGetsItsOwn) {
  std::string dir = TestDir();
  auto log = OpenOrDie(Options(dir));
  Partition* p = (*log->CreateTopic("t", SmallSegments(100)))->partition(PartitionId(0));
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(p->Append(Batch(i * 20, 20)).ok());
  ASSERT_TRUE(p->WaitDurable(Offset(80)).ok());
  EXPECT_EQ(SegmentLogs(dir, "t").size(), 4u);
  ExpectDense(ReadAll(p), 0, 80);
}

TEST(LogTopics, ReadFromAnyOffsetReturnsTheBatchHoldingIt) {
  std::string dir = TestDir();
  auto log = OpenOrDie(Options(dir));
  Partition* p = (*log->CreateTopic("t", SmallSegments(1200)))->partition(PartitionId(0));
  int64_t n = 0;
  for (int i = 0; i < 60; ++i) {
    int count = 1 + i % 5;
    ASSERT_TRUE(p->Append(Batch(n, count)).ok());
    n += count;
  }
  ASSERT_TRUE(p->WaitDurable(Offset(n)).ok());
  ASSERT_GT(SegmentLogs(dir, "t").size(), 2u);
  for (int64_t from = 0; from < n; ++from) {
    for (size_t max_bytes : {size_t{0}, size_t{200}, size_t{5000}}) {
      auto r = p->Read(Offset(from), max_bytes);
      ASSERT_TRUE(r.ok()) << r.status();
      ASSERT_FALSE(r->slices.empty());
      EXPECT_LE(r->bytes(), std::max<size_t>(max_bytes, 200));
      std::vector<Rec> all = Decode(*r, Offset(0));
      ASSERT_FALSE(all.empty());
      EXPECT_LE(all.front().offset, from);  // the batch holding `from`
      EXPECT_EQ(all.back().offset + 1, r->next_offset.value());
      std::vector<Rec> recs = Decode(*r, Offset(from));
      ASSERT_FALSE(recs.empty());
      EXPECT_EQ(recs.front().offset, from);
      EXPECT_EQ(recs.front().value, fmt::format("v{}", from));
    }
  }
}

TEST(LogTopics, SecondOpenFailsNamingTheHolder) {
  std::string dir = TestDir();
  auto log = OpenOrDie(Options(dir));
  LogOptions other = Options(dir);
  other.holder = "someone else";
  auto second = Log::Open(other);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(second.status().message().find("kappa_log_tests"), std::string_view::npos)
      << second.status();
  EXPECT_NE(second.status().message().find(std::to_string(::getpid())), std::string_view::npos);
  ASSERT_TRUE(log->Close().ok());
  EXPECT_TRUE(Log::Open(other).ok());
}

TEST(LogTopics, CloseStopsAppends) {
  auto log = OpenOrDie(Options(TestDir()));
  auto topic = *log->CreateTopic("t", TopicConfig());
  ASSERT_TRUE(topic->partition(PartitionId(0))->Append(Batch(0, 3)).ok());
  ASSERT_TRUE(log->Close().ok());
  EXPECT_EQ(topic->partition(PartitionId(0))->high_watermark(), Offset(3));
  EXPECT_FALSE(topic->partition(PartitionId(0))->Append(Batch(3, 1)).ok());
  EXPECT_FALSE(log->CreateTopic("u", TopicConfig()).ok());
}

TEST(LogTopics, AppendValidatedTrustsTheHeaderButChecksItsSize) {
  auto log = OpenOrDie(Options(TestDir()));
  Partition* p = (*log->CreateTopic("t", TopicConfig{}))->partition(PartitionId(0));
  std::string batch = Batch(0, 3);
  auto h = ParseBatchHeader(AsBytes(batch));
  ASSERT_TRUE(h.ok());
  auto r = p->AppendValidated(batch, *h);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->last_offset, Offset(2));
  EXPECT_FALSE(p->AppendValidated(std::string_view(batch).substr(1), *h).ok());
  BatchHeader empty = *h;
  empty.records_count = 0;
  EXPECT_FALSE(p->AppendValidated(batch, empty).ok());
  ASSERT_TRUE(p->WaitDurable(Offset(3)).ok());
  ExpectDense(ReadAll(p), 0, 3);
}

TEST(LogTopics, TailHeadersAreTheLastBatchesAcrossSegmentsAndAReopen) {
  std::string dir = TestDir();
  std::string one = Batch(0, 10);
  {
    auto log = OpenOrDie(Options(dir));
    Partition* p = (*log->CreateTopic("t", SmallSegments(2000)))->partition(PartitionId(0));
    auto none = p->TailHeaders(1 << 20);
    ASSERT_TRUE(none.ok());
    EXPECT_TRUE(none->empty());
    for (int64_t n = 0; n < 500; n += 10) ASSERT_TRUE(p->Append(Batch(n, 10)).ok());
  }
  auto log = OpenOrDie(Options(dir));
  Partition* p = (*log->GetTopic("t"))->partition(PartitionId(0));
  ASSERT_GT(p->Stats().segments, 3);
  auto all = p->TailHeaders(1 << 20);
  ASSERT_TRUE(all.ok()) << all.status();
  ASSERT_EQ(all->size(), 50u);
  for (size_t i = 0; i < all->size(); ++i) EXPECT_EQ((*all)[i].base_offset, int64_t(i) * 10);
  // A window of 5 batches' bytes spans a segment boundary and gives at least those.
  auto tail = p->TailHeaders(5 * one.size());
  ASSERT_TRUE(tail.ok()) << tail.status();
  ASSERT_GE(tail->size(), 5u);
  EXPECT_EQ(tail->back().base_offset, 490);
  for (size_t i = 1; i < tail->size(); ++i) {
    EXPECT_EQ((*tail)[i].base_offset, (*tail)[i - 1].base_offset + 10);
  }
  auto last = p->TailHeaders(1);
  ASSERT_TRUE(last.ok());
  ASSERT_EQ(last->size(), 1u);
  EXPECT_EQ(last->front().base_offset, 490);
}

TEST(LogTopics, EndOffsetGaugeFollowsEveryAppend) {
  auto log = OpenOrDie(Options(TestDir()));
  Partition* p = (*log->CreateTopic("gauge-topic", TopicConfig{}))->partition(PartitionId(0));
  ASSERT_TRUE(p->Append(Batch(0, 4)).ok());
  std::string text = Metrics::RenderText();
  EXPECT_NE(text.find("kappa_partition_end_offset{topic=\"gauge-topic\",partition=\"0\"} 4"),
            std::string::npos)
      << text;
}

}  // namespace
}  // namespace kappa::log
