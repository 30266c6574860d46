#include "format/json_line_batcher.h"

#include <gtest/gtest.h>

#include "format/partitioner.h"
#include "log/record_batch.h"

namespace kappa::format {
namespace {

class Collect : public BatchSink {
 public:
  Status Write(FinishedBatch batch) override {
    batches.push_back(std::move(batch));
    return OkStatus();
  }
  std::vector<FinishedBatch> batches;
};

std::vector<log::Record> Decode(const FinishedBatch& b, std::string* scratch) {
  std::vector<log::Record> out;
  EXPECT_TRUE(log::DecodeRecords(AsBytes(b.bytes), scratch, &out).ok());
  return out;
}

TEST(JsonLineBatcher, KeysPickKafkaPartitionsAndTimestampsComeFromTheField) {
  Collect sink;
  JsonLineBatcher b(4, {"k", "ts", Batcher::kDefaultBatchBytes}, &sink);
  ASSERT_TRUE(b.Add(R"({"k":"alice","ts":"2024-03-01T00:00:00Z"})", false).ok());
  ASSERT_TRUE(b.Add(R"({"k":"bob","ts":1709251200001})", false).ok());
  ASSERT_TRUE(b.FlushAll().ok());
  EXPECT_EQ(b.records(), 2);
  std::string scratch;
  int64_t seen = 0;
  for (const FinishedBatch& batch : sink.batches) {
    for (const log::Record& r : Decode(batch, &scratch)) {
      ASSERT_TRUE(r.key.has_value());
      EXPECT_EQ(batch.partition, PartitionForKey(*r.key, 4));
      EXPECT_EQ(r.timestamp, *r.key == "alice" ? 1709251200000 : 1709251200001);
      ++seen;
    }
  }
  EXPECT_EQ(seen, 2);
}

TEST(JsonLineBatcher, KeylessRecordsGoRoundRobinOneBatchAtATime) {
  Collect sink;
  JsonLineBatcher b(3, {"", "", Batcher::kDefaultBatchBytes}, &sink, 1);
  for (int round = 0; round < 4; ++round) {
    ASSERT_TRUE(b.Add(R"({"a":1})", false).ok());
    ASSERT_TRUE(b.Add(R"({"a":2})", false).ok());
    ASSERT_TRUE(b.FlushAll().ok());
  }
  ASSERT_EQ(sink.batches.size(), 4u);
  EXPECT_EQ(sink.batches[0].partition, 1);
  EXPECT_EQ(sink.batches[1].partition, 2);
  EXPECT_EQ(sink.batches[2].partition, 0);
  EXPECT_EQ(sink.batches[3].partition, 1);
  for (const FinishedBatch& batch : sink.batches) EXPECT_EQ(batch.records, 2);
}

TEST(JsonLineBatcher, RejectsBadLinesWithoutAddingThem) {
  Collect sink;
  JsonLineBatcher b(1, {"k", "ts", Batcher::kDefaultBatchBytes}, &sink);
  EXPECT_EQ(b.Add("{oops", false).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(b.Add(R"({"k":"x"})", false).code(), StatusCode::kInvalidArgument);  // no ts
  EXPECT_EQ(b.Add(R"([1,2])", false).code(), StatusCode::kInvalidArgument);    // not an object
  ASSERT_TRUE(b.FlushAll().ok());
  EXPECT_EQ(b.records(), 0);
  EXPECT_TRUE(sink.batches.empty());
}

TEST(JsonLineBatcher, FullBatchesAreFinishedOnTheWay) {
  Collect sink;
  JsonLineBatcher b(1, {"", "", 64}, &sink);
  for (int i = 0; i < 10; ++i) {
    ASSERT_TRUE(b.Add(R"({"padding":"0123456789012345678901234567"})", false).ok());
  }
  ASSERT_TRUE(b.FlushAll().ok());
  EXPECT_GT(sink.batches.size(), 1u);
  int64_t total = 0;
  for (const FinishedBatch& batch : sink.batches) total += batch.records;
  EXPECT_EQ(total, 10);
}

}  // namespace
}  // namespace kappa::format
