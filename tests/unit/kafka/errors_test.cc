// Hostile and broken input: every truncation of valid frames, absurd lengths
// and counts, impossible values, unknown APIs and versions. Each must give
// the right RequestError (never a crash), keep the header when it decoded,
// and allocate nothing in proportion to a length the frame cannot back.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>

#include "kafka/protocol/frame.h"
#include "kafka/protocol/request.h"
#include "kafka/protocol/response.h"
#include "test_util.h"

// The largest single allocation since the last reset (AbsurdLengths below).
// Replacing the global operator new with a malloc-based one that records
// sizes is the standard-sanctioned way; GCC's mismatch warning is spurious.
static std::atomic<size_t> g_largest_allocation{0};

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

void* operator new(std::size_t size) {
  size_t seen = g_largest_allocation.load(std::memory_order_relaxed);
  while (size > seen && !g_largest_allocation.compare_exchange_weak(seen, size)) {
  }
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace kappa::kafka {
namespace {

using testing_util::FillStruct;
using testing_util::Hex;
using testing_util::ReadCapture;

RequestOrError DecodeFrame(const std::string& frame) {
  return DecodeRequest(AsBytes(frame).subspan(kFrameSizeBytes));
}

void ExpectError(const RequestOrError& r, RequestError kind) {
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, kind) << RequestErrorName(r.error().kind) << ": " << r.error().status;
}

// Every strict prefix of a valid body is truncated, and so reported.
void ExpectEveryPrefixTruncated(const std::string& frame) {
  auto body = AsBytes(frame).subspan(kFrameSizeBytes);
  for (size_t n = 0; n < body.size(); ++n) {
    RequestOrError r = DecodeRequest(body.first(n));
    ASSERT_FALSE(r.ok()) << "prefix of " << n;
    EXPECT_EQ(r.error().kind, RequestError::kTruncated) << n << ": " << r.error().status;
    if (n < 8) {
      EXPECT_FALSE(r.error().header.has_value());
    }
  }
}

TEST(Truncation, EveryPrefixOfEveryCapture) {
  for (const auto& entry : std::filesystem::directory_iterator(testing_util::DataDir())) {
    if (entry.path().extension() != ".bin") continue;
    SCOPED_TRACE(entry.path().filename().string());
    ExpectEveryPrefixTruncated(testing_util::ReadFile(entry.path()));
  }
}

template <typename Api>
void CheckPrefixesOfEncodedRequests() {
  for (int16_t v = Api::kVersions.min; v <= Api::kVersions.max; ++v) {
    SCOPED_TRACE(fmt::format("{} v{}", Api::kName, v));
    testing_util::Rng rng(1000 + v);
    typename Api::Request request;
    FillStruct(request, rng, v);
    Result<std::string> frame = EncodeRequest({Api::kKey, v, 1, "c"}, request);
    ASSERT_TRUE(frame.ok()) << frame.status();
    ExpectEveryPrefixTruncated(*frame);
  }
}

TEST(Truncation, EveryPrefixOfEveryApiAtEveryVersion) {
  AllApis::ForEach([](auto api) { CheckPrefixesOfEncodedRequests<decltype(api)>(); });
}

TEST(Truncation, ResponsesToo) {
  ApiVersionsResponse r;
  r.api_keys = {{ApiKey::kFetch, 0, 11}};
  for (int16_t v : {0, 3}) {
    Result<std::string> frame = EncodeResponse({1}, v, r);
    ASSERT_TRUE(frame.ok());
    auto body = AsBytes(*frame).subspan(kFrameSizeBytes);
    for (size_t n = 0; n < body.size(); ++n) {
      Result<Response> d = DecodeResponse(body.first(n), ApiKey::kApiVersions, v);
      ASSERT_FALSE(d.ok());
      EXPECT_EQ(d.status().code(), StatusCode::kOutOfRange) << d.status();
    }
  }
}

TEST(Malformed, TrailingBytesAfterTheBody) {
  std::string frame = ReadCapture("librdkafka_heartbeat_v3") + "x";
  ExpectError(DecodeFrame(frame), RequestError::kMalformed);
}

TEST(Malformed, NullWhereTheVersionAllowsNone) {
  // Heartbeat v0 with group_id null.
  auto r = DecodeFrame(Hex("00000000 000c 0000 00000005 ffff  ffff 00000001 0001 6d"));
  ExpectError(r, RequestError::kMalformed);
  ASSERT_TRUE(r.error().header.has_value());
  EXPECT_EQ(r.error().header->correlation_id, 5);
  EXPECT_NE(r.error().status.message().find("group_id"), std::string_view::npos)
      << r.error().status;
  // OffsetFetch v1: a null topics array is only allowed from v2.
  ExpectError(DecodeFrame(Hex("00000000 0009 0001 00000001 ffff 0001 67 ffffffff")),
              RequestError::kMalformed);
  EXPECT_TRUE(DecodeFrame(Hex("00000000 0009 0002 00000001 ffff 0001 67 ffffffff")).ok());
}

TEST(Malformed, NegativeLengthsOtherThanNull) {
  // client_id length -2.
  ExpectError(DecodeFrame(Hex("00000000 0012 0000 00000001 fffe")), RequestError::kMalformed);
  // Metadata v1 topics count -5.
  ExpectError(DecodeFrame(Hex("00000000 0003 0001 00000001 ffff fffffffb")),
              RequestError::kMalformed);
}

TEST(Malformed, VarintLongerThanFiveBytes) {
  // ApiVersions v3, header tagged-field count as a 6-byte varint.
  ExpectError(DecodeFrame(Hex("00000000 0012 0003 00000001 ffff 808080808001")),
              RequestError::kMalformed);
  // ... and one that exceeds 32 bits in five bytes.
  ExpectError(DecodeFrame(Hex("00000000 0012 0003 00000001 ffff ffffffff7f")),
              RequestError::kMalformed);
}

class AbsurdLengths : public ::testing::Test {
 protected:
  void SetUp() override { g_largest_allocation = 0; }
  // Small frames must not cause allocations anywhere near what they claim.
  void TearDown() override { EXPECT_LT(g_largest_allocation.load(), size_t{64} << 10); }
};

TEST(AllocationTracker, SeesLargeAllocations) {
  g_largest_allocation = 0;
  std::vector<char> big(size_t{1} << 20, 'x');
  EXPECT_EQ(big[12345], 'x');
  EXPECT_GE(g_largest_allocation.load(), size_t{1} << 20);
}

TEST_F(AbsurdLengths, ArrayCountOfTwoBillion) {
  // Metadata v1: topics count 0x7fffffff in a 16-byte body.
  ExpectError(DecodeFrame(Hex("00000000 0003 0001 00000001 ffff 7fffffff")),
              RequestError::kTruncated);
  // Fetch v4: partitions count 0x7fffffff inside one topic.
  ExpectError(DecodeFrame(Hex("00000000 0001 0004 00000001 ffff"
                              "ffffffff 000001f4 00000001 7fffffff 00"
                              "00000001 0001 74 7fffffff")),
              RequestError::kTruncated);
}

TEST_F(AbsurdLengths, CompactArrayCountOfFourBillion) {
  // ApiVersions v3: client_software_name with compact length 0xfffffffe.
  ExpectError(DecodeFrame(Hex("00000000 0012 0003 00000001 ffff 00 ffffffff0f")),
              RequestError::kTruncated);
}

TEST_F(AbsurdLengths, RecordsOfTwoGigabytes) {
  // Produce v3: one partition whose records claim 0x7fffffff bytes.
  ExpectError(DecodeFrame(Hex("00000000 0000 0003 00000001 ffff"
                              "ffff ffff 00007530 00000001 0001 74 00000001 00000000"
                              "7fffffff 0102")),
              RequestError::kTruncated);
}

TEST_F(AbsurdLengths, StringsLongerThanTheFrame) {
  ExpectError(DecodeFrame(Hex("00000000 0012 0000 00000001 7fff 6162")),
              RequestError::kTruncated);
}

TEST(Dispatch, UnknownApiKeyKeepsTheHeader) {
  auto r = DecodeFrame(Hex("00000000 0039 0000 0000002a 0001 63"));  // api key 57
  ExpectError(r, RequestError::kUnknownApiKey);
  ASSERT_TRUE(r.error().header.has_value());
  EXPECT_EQ(r.error().header->correlation_id, 42);
  EXPECT_EQ(r.error().header->client_id, "c");
  ExpectError(DecodeFrame(Hex("00000000 ffff 0000 00000001 ffff")), RequestError::kUnknownApiKey);
}

TEST(Dispatch, UnsupportedVersionsKeepTheHeader) {
  // ApiVersions v4 as a newer client sends it: header v2, compact body.
  auto r = DecodeFrame(Hex("00000000 0012 0004 00000007 0007 72646b61666b61 00"
                           "0b 6c696272646b61666b61 06 322e302e32 00"));
  ExpectError(r, RequestError::kUnsupportedVersion);
  ASSERT_TRUE(r.error().header.has_value());
  EXPECT_EQ(r.error().header->api_key, ApiKey::kApiVersions);
  EXPECT_EQ(r.error().header->api_version, 4);
  EXPECT_EQ(r.error().header->correlation_id, 7);
  // Produce v8, Fetch v12, and a negative version.
  ExpectError(DecodeFrame(Hex("00000000 0000 0008 00000001 ffff")),
              RequestError::kUnsupportedVersion);
  ExpectError(DecodeFrame(Hex("00000000 0001 000c 00000001 ffff")),
              RequestError::kUnsupportedVersion);
  ExpectError(DecodeFrame(Hex("00000000 0003 ffff 00000001 ffff")),
              RequestError::kUnsupportedVersion);
}

TEST(Frames, SizePrefixLimits) {
  EXPECT_EQ(*ParseFrameSize(AsBytes(Hex("0000001c"))), 28u);
  EXPECT_FALSE(ParseFrameSize(AsBytes(Hex("ffffffff"))).ok());
  EXPECT_FALSE(ParseFrameSize(AsBytes(Hex("7fffffff"))).ok());
  EXPECT_FALSE(ParseFrameSize(AsBytes(Hex("00001001")), 4096).ok());
  EXPECT_TRUE(ParseFrameSize(AsBytes(Hex("00001000")), 4096).ok());
}

TEST(Encoding, RefusesWhatTheVersionCannotCarry) {
  MetadataRequest all_topics;
  all_topics.topics = std::nullopt;  // null means "all" only from v1
  EXPECT_FALSE(EncodeRequest({ApiKey::kMetadata, 0, 1, "c"}, all_topics).ok());
  EXPECT_TRUE(EncodeRequest({ApiKey::kMetadata, 1, 1, "c"}, all_topics).ok());

  HeartbeatRequest long_id;
  long_id.group_id.assign(40000, 'g');
  Result<std::string> r = EncodeRequest({ApiKey::kHeartbeat, 0, 1, "c"}, long_id);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("group_id"), std::string_view::npos) << r.status();

  EXPECT_FALSE(EncodeRequest({ApiKey::kProduce, 0, 1, "c"}, HeartbeatRequest{}).ok());
  EXPECT_FALSE(EncodeRequest({ApiKey::kHeartbeat, 4, 1, "c"}, HeartbeatRequest{}).ok());
  EXPECT_FALSE(EncodeResponse({1}, 12, FetchResponse{}).ok());
}

}  // namespace
}  // namespace kappa::kafka
