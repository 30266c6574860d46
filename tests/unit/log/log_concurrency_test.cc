// Concurrent appenders, tailing readers, lookups and group commit (also run
// under ASan+UBSan in CI).
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <thread>

#include "log/parallel_runner.h"
#include "log_test_util.h"

namespace kappa::log {
namespace {

using namespace testing;  // NOLINT

constexpr int kAppendersPerPartition = 3;
constexpr int kBatchesPerAppender = 150;
constexpr int kRecordsPerBatch = 4;
constexpr int64_t kPerPartition = kAppendersPerPartition * kBatchesPerAppender * kRecordsPerBatch;

// Values "<appender>:<seq>".
std::string AppenderBatch(int appender, int batch) {
  BatchBuilder b;
  for (int i = 0; i < kRecordsPerBatch; ++i) {
    b.Add(std::nullopt, fmt::format("{}:{}", appender, batch * kRecordsPerBatch + i),
          1000 + batch);
  }
  return *b.Finish();
}

// Tails a partition until kPerPartition records were read; checks offsets
// are dense and each appender's records come in order.
void Tail(const Partition* p, std::atomic<int>* failures) {
  std::map<int, int> next_seq;
  Offset at(0);
  while (at < Offset(kPerPartition)) {
    if (!p->WaitForData(at, std::chrono::seconds(20))) {
      ++*failures;
      return;
    }
    auto r = p->Read(at, 3000);
    if (!r.ok() || r->next_offset > r->high_watermark) {
      ++*failures;
      return;
    }
    for (const Rec& rec : Decode(*r, at)) {
      int appender = std::stoi(rec.value);
      int seq = std::stoi(rec.value.substr(rec.value.find(':') + 1));
      if (rec.offset != at.value() || seq != next_seq[appender]) ++*failures;
      next_seq[appender] = seq + 1;
      at = Offset(rec.offset + 1);
    }
  }
}

TEST(LogConcurrency, AppendersReadersAndLookups) {
  std::string dir = TestDir();
  auto log = OpenOrDie(Options(dir));
  TopicConfig c = SmallSegments(8000);
  c.partitions = 2;
  auto topic = *log->CreateTopic("t", c);
  std::atomic<int> failures{0};
  std::atomic<int64_t> acked{0};
  std::atomic<bool> done{false};
  std::vector<std::thread> threads;
  for (int part = 0; part < 2; ++part) {
    Partition* p = topic->partition(PartitionId(part));
    threads.emplace_back(Tail, p, &failures);
    for (int a = 0; a < kAppendersPerPartition; ++a) {
      threads.emplace_back([p, a, &failures, &acked] {
        for (int b = 0; b < kBatchesPerAppender; ++b) {
          auto r = p->Append(AppenderBatch(a, b));
          if (!r.ok()) {
            ++failures;
            return;
          }
          p->OnDurable(r->last_offset + 1, [&acked](Status s) {
            if (s.ok()) acked += kRecordsPerBatch;
          });
        }
      });
    }
  }
  std::thread lookups([&] {
    while (!done) {
      for (int part = 0; part < 2; ++part) {
        Partition* p = topic->partition(PartitionId(part));
        auto o = p->OffsetForTimestamp(1000 + kBatchesPerAppender / 2);
        if (!o.ok() || *o > p->high_watermark()) ++failures;
        PartitionStats st = p->Stats();
        if (st.records != st.end_offset - st.start_offset) ++failures;
      }
    }
  });
  for (auto& t : threads) t.join();
  done = true;
  lookups.join();
  for (int part = 0; part < 2; ++part) {
    ASSERT_TRUE(topic->partition(PartitionId(part))->WaitDurable(Offset(kPerPartition)).ok());
  }
  EXPECT_EQ(failures.load(), 0);
  for (int i = 0; i < 1000 && acked.load() < 2 * kPerPartition; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(acked.load(), 2 * kPerPartition);
  EXPECT_GT(SegmentLogs(dir, "t").size(), 3u);
}

TEST(LogConcurrency, ParallelRunnerRunsEveryTaskOnce) {
  ParallelRunner runner(3);
  for (size_t n = 0; n < 300; ++n) {
    std::vector<std::atomic<int>> hits(n % 13);
    runner.ForEach(hits.size(), [&](size_t i) { ++hits[i]; });
    for (auto& h : hits) ASSERT_EQ(h.load(), 1);
  }
}

TEST(LogConcurrency, GroupCommitOfManyPartitions) {
  auto log = OpenOrDie(Options(TestDir()));
  TopicConfig c;
  c.partitions = 16;
  auto topic = *log->CreateTopic("t", c);
  for (int round = 0; round < 5; ++round) {
    for (int part = 0; part < 16; ++part) {
      ASSERT_TRUE(topic->partition(PartitionId(part))->Append(AppenderBatch(0, round)).ok());
    }
  }
  for (int part = 0; part < 16; ++part) {
    ASSERT_TRUE(topic->partition(PartitionId(part))->WaitDurable(Offset(5 * kRecordsPerBatch)).ok());
  }
}

TEST(LogConcurrency, AlwaysDurabilitySharesSyncsAcrossAppenders) {
  auto log = OpenOrDie(Options(TestDir()));
  TopicConfig c;
  c.durability = Durability::kAlways;
  Partition* p = (*log->CreateTopic("t", c))->partition(PartitionId(0));
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int a = 0; a < 4; ++a) {
    threads.emplace_back([&, a] {
      for (int b = 0; b < 50; ++b) {
        auto r = p->Append(AppenderBatch(a, b));
        // Durable on return: the high watermark covers it.
        if (!r.ok() || p->high_watermark() <= r->last_offset) ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(p->high_watermark(), Offset(4 * 50 * kRecordsPerBatch));
}

TEST(LogConcurrency, DeleteWhileAppending) {
  auto log = OpenOrDie(Options(TestDir()));
  auto topic = *log->CreateTopic("t", SmallSegments(4000));
  Partition* p = topic->partition(PartitionId(0));
  std::atomic<bool> stop{false};
  std::thread appender([&] {
    for (int b = 0; !stop; ++b) {
      if (!p->Append(AppenderBatch(0, b)).ok()) break;
    }
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  ASSERT_TRUE(log->DeleteTopic("t").ok());
  stop = true;
  appender.join();
  EXPECT_FALSE(p->Append(AppenderBatch(0, 0)).ok());
  EXPECT_TRUE(log->ListTopics().empty());
}

}  // namespace
}  // namespace kappa::log
