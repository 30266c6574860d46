// Recovery on open: torn and corrupt tails, corruption in the middle,
// damaged indexes, empty tail segments, half-created and half-deleted topics.
#include <gtest/gtest.h>

#include <random>

#include "log_test_util.h"

namespace kappa::log {
namespace {

using namespace testing;  // NOLINT

class LogRecovery : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = TestDir(); }

  // Appends `batches` batches of 3 records to topic t and closes the log;
  // ends_ holds each batch's end position in its segment file.
  void Write(int batches, int64_t segment_bytes = 1 << 20) {
    auto log = OpenOrDie(Options(dir_));
    Partition* p = (*log->CreateTopic("t", SmallSegments(segment_bytes)))->partition(PartitionId(0));
    uint64_t pos = 0;
    for (int i = 0; i < batches; ++i) {
      std::string b = Batch(i * 3, 3, 1000 + i * 3);
      ASSERT_TRUE(p->Append(b).ok());
      pos += b.size();
      ends_.push_back(pos);
    }
    ASSERT_TRUE(log->Close().ok());
  }

  std::string Tail() const { return SegmentFile(dir_, "t", 0, ".log"); }

  Partition* Reopen() {
    log_.reset();
    auto log = Log::Open(Options(dir_));
    EXPECT_TRUE(log.ok()) << log.status();
    if (!log.ok()) return nullptr;
    log_ = std::move(*log);
    return (*log_->GetTopic("t"))->partition(PartitionId(0));
  }

  // Reopens and expects `records` records, then checks appends continue.
  void ExpectRecovered(int64_t records) {
    Partition* p = Reopen();
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(p->end_offset(), Offset(records));
    EXPECT_EQ(p->high_watermark(), Offset(records));
    ExpectDense(ReadAll(p), 0, records);
    ASSERT_TRUE(p->Append(Batch(records, 2)).ok());
    ASSERT_TRUE(p->WaitDurable(Offset(records + 2)).ok());
    ExpectDense(ReadAll(p), 0, records + 2);
  }

  std::string dir_;
  std::vector<uint64_t> ends_;
  std::unique_ptr<Log> log_;
};

TEST_F(LogRecovery, TruncatedTailAtManyPositions) {
  Write(10);
  std::string saved = *ReadFile(Tail());
  uint64_t last_start = ends_[8];
  for (uint64_t cut : {ends_[9] - 1, last_start + 61, last_start + 60, last_start + 12,
                       last_start + 11, last_start + 1, last_start}) {
    SCOPED_TRACE(cut);
    log_.reset();
    ASSERT_TRUE(WriteFileAtomic(Tail(), saved).ok());
    TruncateFile(Tail(), cut);
    ExpectRecovered(27);
    log_.reset();
    EXPECT_EQ(FileSize(Tail()), ends_[8] + Batch(27, 2).size());  // 9 batches + the new one
  }
  for (int k : {0, 3, 7}) {  // cut in the middle of batch k: later ones go too
    log_.reset();
    ASSERT_TRUE(WriteFileAtomic(Tail(), saved).ok());
    TruncateFile(Tail(), ends_[k] - 5);
    ExpectRecovered(3 * k);
  }
}

TEST_F(LogRecovery, ZerosAfterTheTailAreTruncated) {
  Write(5);
  auto f = File::Open(Tail(), File::Mode::kReadWrite);
  ASSERT_TRUE(f->Append(std::string(4096, '\0')).ok());
  ExpectRecovered(15);
}

TEST_F(LogRecovery, FlippedByteInTheTailBatchTruncates) {
  Write(10);
  FlipByte(Tail(), ends_[8] + 70);  // inside the last batch's records
  ExpectRecovered(27);
}

TEST_F(LogRecovery, FlippedByteInTheMiddleIsDataLossNamingTheOffset) {
  Write(10);
  FlipByte(Tail(), ends_[3] + 70);  // batch 4 (offsets 12..14), valid batches follow
  auto log = Log::Open(Options(dir_));
  ASSERT_FALSE(log.ok());
  EXPECT_EQ(log.status().code(), StatusCode::kDataLoss);
  std::string msg(log.status().message());
  EXPECT_NE(msg.find("topic t partition 0"), std::string::npos) << msg;
  EXPECT_NE(msg.find("offset 12"), std::string::npos) << msg;
  EXPECT_EQ(FileSize(Tail()), ends_[9]);  // nothing was cut
}

TEST_F(LogRecovery, CorruptLengthInTheMiddleIsDataLoss) {
  Write(10);
  FlipByte(Tail(), ends_[4] + 9);  // batchLength of batch 5
  auto log = Log::Open(Options(dir_));
  ASSERT_FALSE(log.ok());
  EXPECT_EQ(log.status().code(), StatusCode::kDataLoss);
  EXPECT_NE(log.status().message().find("offset 15"), std::string_view::npos) << log.status();
}

TEST_F(LogRecovery, WrongBaseOffsetInTheMiddleIsDataLoss) {
  Write(10);
  FlipByte(Tail(), ends_[1] + 7);  // baseOffset of batch 2 (not covered by the CRC)
  auto log = Log::Open(Options(dir_));
  ASSERT_FALSE(log.ok());
  EXPECT_NE(log.status().message().find("offset 6"), std::string_view::npos) << log.status();
}

// Many segments: indexes of sealed and tail segments removed or garbled.
class LogIndexRebuild : public LogRecovery {
 protected:
  void SetUp() override {
    LogRecovery::SetUp();
    Write(150, 1500);
    logs_ = SegmentLogs(dir_, "t");
    ASSERT_GT(logs_.size(), 5u);
  }

  std::vector<std::string> IndexFiles(const char* suffix) const {
    std::vector<std::string> out;
    for (const std::string& log : logs_) {
      out.push_back(PartitionPath(dir_, "t") + "/" + log.substr(0, 20) + suffix);
    }
    return out;
  }

  void ExpectLookups() {
    Partition* p = Reopen();
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(p->end_offset(), Offset(450));
    for (int64_t o = 0; o < 450; o += 7) {
      auto r = p->Read(Offset(o), 100);
      ASSERT_TRUE(r.ok()) << r.status();
      std::vector<Rec> recs = Decode(*r, Offset(o));
      ASSERT_FALSE(recs.empty());
      EXPECT_EQ(recs.front().offset, o);
      EXPECT_EQ(*p->OffsetForTimestamp(1000 + o), Offset(o));
    }
    ExpectDense(ReadAll(p), 0, 450);
    EXPECT_EQ(p->Stats().min_timestamp, 1000);
    EXPECT_EQ(p->Stats().max_timestamp, 1000 + 449);
  }

  std::vector<std::string> logs_;
};

TEST_F(LogIndexRebuild, MissingIndexes) {
  std::vector<std::string> before = IndexFiles(".index");
  std::string sealed_index = *ReadFile(before[1]);
  ASSERT_FALSE(sealed_index.empty());
  for (const std::string& f : IndexFiles(".index")) ASSERT_TRUE(RemoveFile(f).ok());
  for (const std::string& f : IndexFiles(".timeindex")) ASSERT_TRUE(RemoveFile(f).ok());
  ExpectLookups();
  EXPECT_EQ(*ReadFile(before[1]), sealed_index);  // rebuilt the same
  for (const std::string& f : IndexFiles(".timeindex")) EXPECT_TRUE(PathExists(f)) << f;
}

TEST_F(LogIndexRebuild, GarbageIndexes) {
  std::mt19937 rng(7);
  int i = 0;
  for (const char* suffix : {".index", ".timeindex"}) {
    for (const std::string& f : IndexFiles(suffix)) {
      size_t n = (i++ % 2 == 0) ? 24 : 13;  // a multiple of the entry size or not
      std::string junk(n, '\0');
      for (char& c : junk) c = static_cast<char>(rng());
      ASSERT_TRUE(WriteFileAtomic(f, junk).ok());
    }
  }
  ExpectLookups();
}

TEST_F(LogIndexRebuild, IndexPointingPastTheLog) {
  // A plausible, monotonic entry beyond the segment.
  std::string f = IndexFiles(".index")[2];
  std::string bytes = *ReadFile(f);
  std::string entry(8, '\0');
  StoreLE<uint32_t>(reinterpret_cast<uint8_t*>(entry.data()), 5000);
  StoreLE<uint32_t>(reinterpret_cast<uint8_t*>(entry.data()) + 4, 1 << 20);
  ASSERT_TRUE(WriteFileAtomic(f, bytes + entry).ok());
  ExpectLookups();
  EXPECT_EQ(*ReadFile(f), bytes);
}

TEST_F(LogIndexRebuild, TornTailOfTheLastSegment) {
  std::string tail = PartitionPath(dir_, "t") + "/" + logs_.back();
  TruncateFile(tail, FileSize(tail) - 1);
  Partition* p = Reopen();
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->end_offset(), Offset(447));
  ExpectDense(ReadAll(p), 0, 447);
}

TEST_F(LogIndexRebuild, EmptyTailSegmentFromACrashDuringRoll) {
  // As if the process died right after creating the next segment's file.
  std::string next = SegmentFile(dir_, "t", 450, ".log");
  ASSERT_TRUE(WriteFileAtomic(next, "").ok());
  Partition* p = Reopen();
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->end_offset(), Offset(450));
  EXPECT_FALSE(PathExists(next));
  ASSERT_TRUE(p->Append(Batch(450, 3)).ok());
  ASSERT_TRUE(p->WaitDurable(Offset(453)).ok());
  ExpectDense(ReadAll(p), 0, 453);
}

TEST_F(LogIndexRebuild, CorruptionInASealedSegmentFoundByARebuildIsDataLoss) {
  std::string seg = PartitionPath(dir_, "t") + "/" + logs_[1];
  FlipByte(seg, 100);
  ASSERT_TRUE(RemoveFile(IndexFiles(".index")[1]).ok());
  auto log = Log::Open(Options(dir_));
  ASSERT_FALSE(log.ok());
  EXPECT_EQ(log.status().code(), StatusCode::kDataLoss);
  EXPECT_NE(log.status().message().find("topic t partition 0"), std::string_view::npos);
}

TEST_F(LogIndexRebuild, StrayFilesAreRemoved) {
  std::string stray = SegmentFile(dir_, "t", 123456, ".index");
  ASSERT_TRUE(WriteFileAtomic(stray, "xx").ok());
  ASSERT_TRUE(WriteFileAtomic(PartitionPath(dir_, "t") + "/x.index.tmp", "xx").ok());
  ExpectLookups();
  EXPECT_FALSE(PathExists(stray));
  EXPECT_FALSE(PathExists(PartitionPath(dir_, "t") + "/x.index.tmp"));
}

TEST(LogRecoveryTopics, HalfCreatedAndHalfDeletedTopicsAreCleanedUp) {
  std::string dir = TestDir();
  {
    auto log = OpenOrDie(Options(dir));
    ASSERT_TRUE(log->CreateTopic("keep", TopicConfig()).ok());
  }
  ASSERT_TRUE(CreateDirs(dir + "/topics/half/0").ok());  // no topic.json
  ASSERT_TRUE(CreateDirs(dir + "/trash/gone~123/0").ok());
  ASSERT_TRUE(WriteFileAtomic(dir + "/trash/gone~123/topic.json", "{}").ok());
  auto log = OpenOrDie(Options(dir));
  EXPECT_EQ(log->ListTopics(), std::vector<std::string>{"keep"});
  EXPECT_FALSE(PathExists(dir + "/topics/half"));
  EXPECT_FALSE(PathExists(dir + "/trash/gone~123"));
  EXPECT_TRUE(log->CreateTopic("half", TopicConfig()).ok());
}

TEST(LogRecoveryTopics, MissingPartitionDirectoryIsDataLoss) {
  std::string dir = TestDir();
  {
    auto log = OpenOrDie(Options(dir));
    TopicConfig c;
    c.partitions = 2;
    ASSERT_TRUE(log->CreateTopic("t", c).ok());
  }
  ASSERT_TRUE(RemoveTree(dir + "/topics/t/1").ok());
  auto log = Log::Open(Options(dir));
  ASSERT_FALSE(log.ok());
  EXPECT_EQ(log.status().code(), StatusCode::kDataLoss);
}

}  // namespace
}  // namespace kappa::log
