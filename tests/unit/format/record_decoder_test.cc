#include "format/record_decoder.h"

#include <gtest/gtest.h>

#include "format/csv_column_decoder.h"
#include "format/json_column_decoder.h"
#include "log/record_batch.h"

namespace kappa::format {
namespace {

using columnar::DataType;
using columnar::Schema;

Schema Payments() {
  return Schema({{"id", DataType::Int64()},
                 {"amount", DataType::Decimal(18, 2)},
                 {"ts", DataType::Timestamp()}});
}

struct Rec {
  std::optional<std::string> value;
  int64_t timestamp;
};

// A stored batch (as the log keeps it) with base offset `base`.
std::string StoredBatch(const std::vector<Rec>& recs, int64_t base,
                        log::Compression c = log::Compression::kNone) {
  log::BatchBuilder b(c);
  for (const Rec& r : recs) {
    std::optional<std::string_view> v;
    if (r.value) v = *r.value;
    b.Add(std::nullopt, v, r.timestamp);
  }
  auto bytes = b.Finish();
  EXPECT_TRUE(bytes.ok());
  log::SetBaseOffset(reinterpret_cast<uint8_t*>(bytes->data()), base);
  return *bytes;
}

std::string Payment(int id, const char* amount) {
  return fmt::format(R"({{"id":{},"amount":{},"ts":"2024-01-01 00:00:0{}"}})", id, amount, id % 10);
}

TEST(RecordDecoder, DecodesBatchesWithOffsetsTimestampsAndMetadataColumns) {
  for (log::Compression c : {log::Compression::kNone, log::Compression::kLz4,
                             log::Compression::kZstd, log::Compression::kGzip,
                             log::Compression::kSnappy}) {
    std::string bytes = StoredBatch({{Payment(1, "1.50"), 1000}, {Payment(2, "2"), 1001}}, 10, c) +
                        StoredBatch({{Payment(3, "0.01"), 1002}}, 12, c);
    auto json = *JsonColumnDecoder::Create(Payments());
    RecordDecoder rd(json.get(), {.metadata = {RecordMetadata::kOffset,
                                               RecordMetadata::kTimestamp}});
    rd.Reset(AsBytes(bytes), 10);
    DecodedBatch out;
    ASSERT_TRUE(rd.Next(&out).ok());
    EXPECT_EQ(out.batch.ToString(),
              "+I[1, 1.50, 2024-01-01 00:00:01.000, 10, 1970-01-01 00:00:01.000]\n"
              "+I[2, 2.00, 2024-01-01 00:00:02.000, 11, 1970-01-01 00:00:01.001]\n"
              "+I[3, 0.01, 2024-01-01 00:00:03.000, 12, 1970-01-01 00:00:01.002]\n")
        << log::CompressionName(c);
    EXPECT_EQ(out.offsets, (std::vector<int64_t>{10, 11, 12}));
    EXPECT_EQ(out.timestamps, (std::vector<int64_t>{1000, 1001, 1002}));
    EXPECT_TRUE(out.malformed.empty());
    EXPECT_EQ(rd.next_offset(), 13);
    EXPECT_TRUE(rd.AtEnd());
    EXPECT_EQ(rd.consumed_bytes(), bytes.size());
  }
}

TEST(RecordDecoder, MalformedRecordsAreSetAsideWithOffsetReasonAndBytes) {
  std::string bytes = StoredBatch({{Payment(1, "1"), 5},
                                   {R"({"id":"x"})", 6},
                                   {std::nullopt, 7},
                                   {"not json", 8},
                                   {Payment(4, "4"), 9}},
                                  100);
  auto json = *JsonColumnDecoder::Create(Payments());
  RecordDecoder rd(json.get(), {});
  rd.Reset(AsBytes(bytes), 0);
  DecodedBatch out;
  ASSERT_TRUE(rd.Next(&out).ok());
  EXPECT_EQ(out.batch.num_rows, 2u);
  EXPECT_EQ(out.offsets, (std::vector<int64_t>{100, 104}));
  EXPECT_EQ(out.tombstones, 1u);
  ASSERT_EQ(out.malformed.size(), 2u);
  EXPECT_EQ(out.malformed[0].offset, 101);
  EXPECT_EQ(out.malformed[0].timestamp, 6);
  EXPECT_EQ(out.malformed[0].reason, R"(wrong type for column 'id': expected BIGINT, got "x")");
  EXPECT_EQ(out.malformed[0].value, R"({"id":"x"})");
  EXPECT_EQ(out.malformed[1].offset, 103);
  EXPECT_TRUE(out.malformed[1].reason.starts_with("invalid JSON")) << out.malformed[1].reason;
  EXPECT_EQ(out.malformed[1].value, "not json");
  EXPECT_EQ(rd.next_offset(), 105);
}

TEST(RecordDecoder, StopsAtMaxRowsAndResumesInTheSameBatch) {
  std::vector<Rec> recs;
  for (int i = 0; i < 10; ++i) recs.push_back({Payment(i, "1"), i});
  std::string bytes = StoredBatch(recs, 0, log::Compression::kLz4);
  auto json = *JsonColumnDecoder::Create(Payments());
  RecordDecoder rd(json.get(), {.max_rows = 4});
  rd.Reset(AsBytes(bytes), 0);
  DecodedBatch out;
  std::vector<int64_t> seen;
  std::vector<size_t> sizes;
  while (!rd.AtEnd()) {
    ASSERT_TRUE(rd.Next(&out).ok());
    sizes.push_back(out.batch.num_rows);
    seen.insert(seen.end(), out.offsets.begin(), out.offsets.end());
  }
  EXPECT_EQ(sizes, (std::vector<size_t>{4, 4, 2}));
  EXPECT_EQ(seen, (std::vector<int64_t>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}));
  EXPECT_EQ(rd.next_offset(), 10);
}

TEST(RecordDecoder, SkipsRecordsBeforeTheStartOffsetAndLeavesAPartialBatch) {
  std::string first = StoredBatch({{Payment(1, "1"), 0}, {Payment(2, "2"), 0}}, 0);
  std::string second = StoredBatch({{Payment(3, "3"), 0}}, 2);
  std::string bytes = first + second.substr(0, second.size() - 3);  // cut mid-batch
  auto json = *JsonColumnDecoder::Create(Payments());
  RecordDecoder rd(json.get(), {});
  rd.Reset(AsBytes(bytes), 1);
  DecodedBatch out;
  ASSERT_TRUE(rd.Next(&out).ok());
  EXPECT_EQ(out.offsets, (std::vector<int64_t>{1}));
  EXPECT_EQ(rd.next_offset(), 2);
  EXPECT_EQ(rd.consumed_bytes(), first.size());
  EXPECT_TRUE(rd.AtEnd());
}

TEST(RecordDecoder, CorruptBatchIsAnErrorNotAMalformedRecord) {
  std::string bytes = StoredBatch({{Payment(1, "1"), 0}}, 7);
  bytes[log::kMagicPos] = 1;
  auto json = *JsonColumnDecoder::Create(Payments());
  RecordDecoder rd(json.get(), {});
  rd.Reset(AsBytes(bytes), 0);
  DecodedBatch out;
  Status s = rd.Next(&out);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message(), "batch at offset 7: magic 1 unsupported (expected 2)");
}

TEST(RecordDecoder, NegativeBatchLengthIsAnErrorNotTheEnd) {
  std::string bytes = StoredBatch({{Payment(1, "1"), 0}}, 3);
  bytes[log::kBatchLengthPos] = '\xff';
  auto json = *JsonColumnDecoder::Create(Payments());
  RecordDecoder rd(json.get(), {});
  rd.Reset(AsBytes(bytes), 0);
  EXPECT_FALSE(rd.AtEnd());
  DecodedBatch out;
  Status s = rd.Next(&out);
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(s.message().starts_with("batch at offset 3: batchLength -")) << s;
}

TEST(RecordDecoder, DrivesTheCsvDecoderToo) {
  std::string bytes = StoredBatch({{"1,2.50,2024-01-01 00:00:00", 0}, {"2,x,", 0}}, 0);
  auto csv = *CsvColumnDecoder::Create(Payments());
  RecordDecoder rd(csv.get(), {});
  rd.Reset(AsBytes(bytes), 0);
  DecodedBatch out;
  ASSERT_TRUE(rd.Next(&out).ok());
  EXPECT_EQ(out.batch.ToString(), "+I[1, 2.50, 2024-01-01 00:00:00.000]\n");
  ASSERT_EQ(out.malformed.size(), 1u);
  EXPECT_EQ(out.malformed[0].reason,
            R"(wrong type for column 'amount': expected DECIMAL(18, 2), got "x")");
}

}  // namespace
}  // namespace kappa::format
