#include "kafka/broker/record_batches.h"

#include <gtest/gtest.h>

#include "base/bytes.h"
#include "base/crc32c.h"

namespace kappa::kafka {
namespace {

std::string Batch(std::vector<std::string> values,
                  log::Compression c = log::Compression::kNone) {
  log::BatchBuilder b(c);
  for (const auto& v : values) b.Add(std::nullopt, v, 1000);
  return *b.Finish();
}

void Recrc(std::string* batch) {
  auto* p = reinterpret_cast<uint8_t*>(batch->data());
  uint32_t crc = Crc32c(p + log::kAttributesPos, batch->size() - log::kAttributesPos);
  for (int i = 0; i < 4; ++i) p[log::kCrcPos + i] = static_cast<uint8_t>(crc >> (24 - 8 * i));
}

TEST(SplitAndValidate, SplitsConsecutiveBatches) {
  std::string a = Batch({"a", "b"}), b = Batch({"c"}, log::Compression::kLz4);
  std::string both = a + b;  // the result views into it
  SplitBatches s = SplitAndValidate(both);
  ASSERT_EQ(s.error, ErrorCode::kNone) << s.message;
  ASSERT_EQ(s.batches.size(), 2u);
  EXPECT_EQ(s.batches[0], a);
  EXPECT_EQ(s.batches[1], b);
  EXPECT_EQ(s.headers[0].records_count, 2);
  EXPECT_EQ(s.headers[1].compression(), log::Compression::kLz4);
}

TEST(SplitAndValidate, RefusesCorruptInput) {
  std::string good = Batch({"a"});
  EXPECT_EQ(SplitAndValidate("").error, ErrorCode::kCorruptMessage);
  EXPECT_EQ(SplitAndValidate(good.substr(0, good.size() - 1)).error, ErrorCode::kCorruptMessage);
  EXPECT_EQ(SplitAndValidate(good + good.substr(0, 10)).error, ErrorCode::kCorruptMessage);
  std::string bad_crc = good;
  bad_crc[log::kCrcPos] ^= 1;
  SplitBatches s = SplitAndValidate(good + bad_crc);
  EXPECT_EQ(s.error, ErrorCode::kCorruptMessage);
  EXPECT_TRUE(s.batches.empty());  // all or nothing
  std::string old_magic = good;
  old_magic[log::kMagicPos] = 1;
  EXPECT_EQ(SplitAndValidate(old_magic).error, ErrorCode::kUnsupportedForMessageFormat);
  std::string huge_length = good;
  StoreBE<int32_t>(reinterpret_cast<uint8_t*>(huge_length.data()) + log::kBatchLengthPos,
                   0x7fffffff);
  EXPECT_EQ(SplitAndValidate(huge_length).error, ErrorCode::kCorruptMessage);
}

TEST(SplitAndValidate, RefusesGarbageRecordsUnderAValidCrc) {
  std::string batch = Batch({"hello"});
  batch[log::kBatchHeaderSize] = static_cast<char>(0x7f);  // the record's length varint
  Recrc(&batch);
  EXPECT_EQ(SplitAndValidate(batch).error, ErrorCode::kCorruptMessage);
}

}  // namespace
}  // namespace kappa::kafka
