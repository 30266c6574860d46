// Frames written by hand from the protocol guide, byte by byte, to pin the
// encodings that round trips alone cannot (a symmetric bug would survive a
// round trip): request headers v1 and v2, compact strings and arrays, the
// v0 response header of ApiVersions v3, a Produce v7 request around a
// record batch.
#include <gtest/gtest.h>

#include "base/crc32c.h"
#include "kafka/protocol/request.h"
#include "kafka/protocol/response.h"
#include "test_util.h"

namespace kappa::kafka {
namespace {

using testing_util::Hex;

// Decodes a whole frame (size prefix included) that must be valid.
Request MustDecode(const std::string& frame) {
  RequestOrError r = DecodeRequest(AsBytes(frame).subspan(4));
  EXPECT_TRUE(r.ok()) << r.error().status;
  if (!r.ok()) return Request{};
  Request request = std::move(r).request();
  DetachRecords(&request);  // the frame may die first
  return request;
}

TEST(KnownFrames, ApiVersionsV0RequestAsKafkaPythonSendsIt) {
  const std::string frame = Hex(
      "0000001c"                               // size 28
      "0012 0000 00000001"                     // ApiVersions v0, correlation 1
      "0012 6b61666b612d707974686f6e2d322e302e32");  // client_id "kafka-python-2.0.2"
  RequestHeader header{ApiKey::kApiVersions, 0, 1, "kafka-python-2.0.2"};
  Result<std::string> encoded = EncodeRequest(header, ApiVersionsRequest{});
  ASSERT_TRUE(encoded.ok()) << encoded.status();
  EXPECT_EQ(*encoded, frame);
  Request r = MustDecode(frame);
  EXPECT_EQ(r.header, header);
  EXPECT_TRUE(std::holds_alternative<ApiVersionsRequest>(r.body));
}

TEST(KnownFrames, ApiVersionsV3RequestAsLibrdkafkaSendsIt) {
  const std::string frame = Hex(
      "00000024"                    // size 36
      "0012 0003 00000001"          // ApiVersions v3, correlation 1
      "0007 72646b61666b61"         // client_id "rdkafka": still an i16 length
      "00"                          // header v2: no tagged fields
      "0b 6c696272646b61666b61"     // compact string "librdkafka" (10 + 1)
      "06 322e302e32"               // compact string "2.0.2" (5 + 1)
      "00");                        // body: no tagged fields
  RequestHeader header{ApiKey::kApiVersions, 3, 1, "rdkafka"};
  ApiVersionsRequest body{"librdkafka", "2.0.2"};
  Result<std::string> encoded = EncodeRequest(header, body);
  ASSERT_TRUE(encoded.ok()) << encoded.status();
  EXPECT_EQ(*encoded, frame);
  Request r = MustDecode(frame);
  EXPECT_EQ(r.header, header);
  EXPECT_EQ(std::get<ApiVersionsRequest>(r.body), body);
}

TEST(KnownFrames, ApiVersionsV3RequestSkipsUnknownTaggedFields) {
  const std::string frame = Hex(
      "0000002b 0012 0003 00000001 0007 72646b61666b61"
      "01 05 02 abcd"               // header: one tagged field, tag 5, 2 bytes
      "0b 6c696272646b61666b61 06 322e302e32"
      "01 00 01 ff");               // body: one tagged field, tag 0, 1 byte
  Request r = MustDecode(frame);
  EXPECT_EQ(std::get<ApiVersionsRequest>(r.body).client_software_version, "2.0.2");
}

TEST(KnownFrames, MetadataV0Request) {
  const std::string frame = Hex(
      "0000001a 0003 0000 0000002a"   // Metadata v0, correlation 42
      "0004 74657374"                 // client_id "test"
      "00000001 0006 6576656e7473");  // topics: ["events"]
  MetadataRequest body;
  body.topics = std::vector<MetadataRequest::Topic>{{"events"}};
  RequestHeader header{ApiKey::kMetadata, 0, 42, "test"};
  Result<std::string> encoded = EncodeRequest(header, body);
  ASSERT_TRUE(encoded.ok()) << encoded.status();
  EXPECT_EQ(*encoded, frame);
  EXPECT_EQ(std::get<MetadataRequest>(MustDecode(frame).body), body);
}

// One record batch v2 holding one record (key null, value "hi"), CRC filled.
std::string OneRecordBatch() {
  std::string record = Hex(
      "00"      // attributes
      "00"      // timestamp delta 0 (varint)
      "00"      // offset delta 0
      "01"      // key length -1 (zig-zag varint): null
      "04 6869" // value length 2, "hi"
      "00");    // no headers
  std::string batch = Hex(
      "0000000000000000"   // base offset
      "00000000"           // batch length (patched below)
      "00000000"           // partition leader epoch
      "02"                 // magic 2
      "00000000"           // crc (patched below)
      "0000"               // attributes: no compression, create time
      "00000000"           // last offset delta
      "0000018c2a4d6400"   // base timestamp
      "0000018c2a4d6400"   // max timestamp
      "ffffffffffffffff"   // producer id -1
      "ffff"               // producer epoch -1
      "ffffffff"           // base sequence -1
      "00000001");         // records count
  batch.push_back(static_cast<char>(record.size() * 2));  // record length (zig-zag)
  batch += record;
  StoreBE(reinterpret_cast<uint8_t*>(batch.data()) + 8, static_cast<int32_t>(batch.size() - 12));
  auto bytes = AsBytes(batch);
  StoreBE(reinterpret_cast<uint8_t*>(batch.data()) + 17,
          Crc32c(bytes.data() + 21, bytes.size() - 21));
  return batch;
}

TEST(KnownFrames, ProduceV7RequestWrappingARecordBatch) {
  const std::string batch = OneRecordBatch();
  ASSERT_EQ(batch.size(), 70u);  // 61-byte header, 1-byte length, 8-byte record
  const std::string frame = Hex(
      "00000072"              // size 114 = 44 + 70
      "0000 0007 00000003"    // Produce v7, correlation 3
      "0007 72646b61666b61"   // client_id "rdkafka"
      "ffff"                  // transactional_id null
      "ffff"                  // acks -1
      "00007530"              // timeout 30000 ms
      "00000001 0001 74"      // topics: [name "t"
      "00000001 00000000"     //   partitions: [index 0
      "00000046") + batch;    //     records: 70 bytes]]
  ProduceRequest body;
  body.acks = -1;
  body.timeout_ms = 30000;
  body.topics.push_back({"t", {{PartitionId(0), Records{batch}}}});
  RequestHeader header{ApiKey::kProduce, 7, 3, "rdkafka"};
  Result<std::string> encoded = EncodeRequest(header, body);
  ASSERT_TRUE(encoded.ok()) << encoded.status();
  EXPECT_EQ(*encoded, frame);
  EXPECT_EQ(std::get<ProduceRequest>(MustDecode(frame).body), body);
}

ApiVersionsResponse TwoApis() {
  ApiVersionsResponse r;
  r.api_keys = {{ApiKey::kProduce, 0, 7}, {ApiKey::kApiVersions, 0, 3}};
  return r;
}

TEST(KnownFrames, ApiVersionsV0Response) {
  const std::string frame = Hex(
      "00000016 00000001"          // size 22, correlation 1
      "0000"                       // error NONE
      "00000002 0000 0000 0007"    // [Produce 0-7,
      "0012 0000 0003");           //  ApiVersions 0-3]
  Result<std::string> encoded = EncodeResponse({1}, 0, TwoApis());
  ASSERT_TRUE(encoded.ok()) << encoded.status();
  EXPECT_EQ(*encoded, frame);
}

TEST(KnownFrames, ApiVersionsV3ResponseKeepsHeaderV0) {
  const std::string frame = Hex(
      "0000001a 00000001"          // size 26, correlation 1, no header tags
      "0000"                       // error NONE
      "03 0000 0000 0007 00"       // compact array of 2: Produce 0-7, tags
      "0012 0000 0003 00"          //   ApiVersions 0-3, tags
      "00000000"                   // throttle_time_ms
      "00");                       // no tagged fields
  Result<std::string> encoded = EncodeResponse({1}, 3, TwoApis());
  ASSERT_TRUE(encoded.ok()) << encoded.status();
  EXPECT_EQ(*encoded, frame);
  Result<Response> decoded = DecodeResponse(AsBytes(frame).subspan(4), ApiKey::kApiVersions, 3);
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(std::get<ApiVersionsResponse>(decoded->body), TwoApis());
}

TEST(KnownFrames, UnsupportedVersionAnswerIsApiVersionsV0WithError35) {
  ApiVersionsResponse r;
  r.error_code = ErrorCode::kUnsupportedVersion;
  r.api_keys = {{ApiKey::kApiVersions, 0, 3}};
  Result<std::string> encoded = EncodeResponse({9}, 0, r);
  ASSERT_TRUE(encoded.ok()) << encoded.status();
  EXPECT_EQ(*encoded, Hex("00000010 00000009 0023 00000001 0012 0000 0003"));
}

TEST(KnownFrames, ProduceV7ResponsePutsThrottleLast) {
  ProduceResponse r;
  r.responses.push_back({"t", {{PartitionId(0), ErrorCode::kNone, Offset(5), -1, Offset(0)}}});
  r.throttle_time_ms = 0;
  Result<std::string> encoded = EncodeResponse({3}, 7, r);
  ASSERT_TRUE(encoded.ok()) << encoded.status();
  EXPECT_EQ(*encoded, Hex("00000031 00000003"
                          "00000001 0001 74"        // responses: [name "t"
                          "00000001 00000000 0000"  //   partitions: [index 0, NONE
                          "0000000000000005"        //     base_offset 5
                          "ffffffffffffffff"        //     log_append_time_ms -1
                          "0000000000000000"        //     log_start_offset 0]]
                          "00000000"));             // throttle_time_ms
}

}  // namespace
}  // namespace kappa::kafka
