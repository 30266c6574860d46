// Request frames captured from real clients (kcat 1.7.1 on librdkafka 2.0.2,
// kafka-python 2.0.2) talking to a throwaway fake broker; see data/README.md.
// Each must decode to the right API, version and fields, and re-encode to
// the very same bytes.
#include <gtest/gtest.h>

#include "base/crc32c.h"
#include "kafka/protocol/frame.h"
#include "kafka/protocol/request.h"
#include "test_util.h"

namespace kappa::kafka {
namespace {

using testing_util::ReadCapture;

struct Capture {
  const char* name;
  ApiKey key;
  int16_t version;
  int32_t correlation_id;
  const char* client_id;
};

const Capture kCaptures[] = {
    {"librdkafka_api_versions_v3", ApiKey::kApiVersions, 3, 1, "rdkafka"},
    {"librdkafka_metadata_v4_brokers_only", ApiKey::kMetadata, 4, 2, "rdkafka"},
    {"librdkafka_metadata_v4_all_topics", ApiKey::kMetadata, 4, 3, "rdkafka"},
    {"librdkafka_metadata_v4_one_topic", ApiKey::kMetadata, 4, 2, "rdkafka"},
    {"librdkafka_produce_v7", ApiKey::kProduce, 7, 3, "rdkafka"},
    {"librdkafka_init_producer_id_v1", ApiKey::kInitProducerId, 1, 3, "rdkafka"},
    {"librdkafka_produce_v7_idempotent", ApiKey::kProduce, 7, 4, "rdkafka"},
    {"librdkafka_produce_v7_zstd", ApiKey::kProduce, 7, 3, "rdkafka"},
    {"librdkafka_list_offsets_v2", ApiKey::kListOffsets, 2, 4, "rdkafka"},
    {"librdkafka_fetch_v11", ApiKey::kFetch, 11, 5, "rdkafka"},
    {"librdkafka_find_coordinator_v2", ApiKey::kFindCoordinator, 2, 3, "rdkafka"},
    {"librdkafka_join_group_v5", ApiKey::kJoinGroup, 5, 3, "rdkafka"},
    {"librdkafka_sync_group_v3", ApiKey::kSyncGroup, 3, 5, "rdkafka"},
    {"librdkafka_heartbeat_v3", ApiKey::kHeartbeat, 3, 6, "rdkafka"},
    {"librdkafka_offset_fetch_v4", ApiKey::kOffsetFetch, 4, 7, "rdkafka"},
    {"librdkafka_leave_group_v1", ApiKey::kLeaveGroup, 1, 8, "rdkafka"},
    {"kafka_python_api_versions_v0", ApiKey::kApiVersions, 0, 1, "kafka-python-2.0.2"},
    {"kafka_python_metadata_v0", ApiKey::kMetadata, 0, 2, "kafka-python-2.0.2"},
    {"kafka_python_metadata_v1", ApiKey::kMetadata, 1, 4, "kafka-python-2.0.2"},
    {"kafka_python_metadata_v4", ApiKey::kMetadata, 4, 6, "kafka-python-2.0.2"},
    {"kafka_python_produce_v7", ApiKey::kProduce, 7, 1, "kafka-python-producer-1"},
    {"kafka_python_find_coordinator_v0", ApiKey::kFindCoordinator, 0, 3, "kafka-python-2.0.2"},
    {"kafka_python_join_group_v2", ApiKey::kJoinGroup, 2, 1, "kafka-python-2.0.2"},
    {"kafka_python_sync_group_v1", ApiKey::kSyncGroup, 1, 2, "kafka-python-2.0.2"},
    {"kafka_python_offset_fetch_v1", ApiKey::kOffsetFetch, 1, 5, "kafka-python-2.0.2"},
    {"kafka_python_list_offsets_v1", ApiKey::kListOffsets, 1, 2, "kafka-python-2.0.2"},
    {"kafka_python_fetch_v4", ApiKey::kFetch, 4, 3, "kafka-python-2.0.2"},
    {"kafka_python_offset_commit_v2", ApiKey::kOffsetCommit, 2, 6, "kafka-python-2.0.2"},
    {"kafka_python_leave_group_v1", ApiKey::kLeaveGroup, 1, 8, "kafka-python-2.0.2"},
    {"kafka_python_create_topics_v3", ApiKey::kCreateTopics, 3, 3, "kafka-python-2.0.2"},
    {"kafka_python_delete_topics_v3", ApiKey::kDeleteTopics, 3, 4, "kafka-python-2.0.2"},
};

// Decodes a captured frame, checking its size prefix on the way.
Request DecodeCapture(const std::string& name) {
  std::string frame = ReadCapture(name);
  EXPECT_GE(frame.size(), kFrameSizeBytes) << name << " is missing";
  if (frame.size() < kFrameSizeBytes) return {};
  Result<size_t> size = ParseFrameSize(AsBytes(frame));
  EXPECT_TRUE(size.ok()) << size.status();
  EXPECT_EQ(*size, frame.size() - kFrameSizeBytes);
  RequestOrError r = DecodeRequest(AsBytes(frame).subspan(kFrameSizeBytes));
  EXPECT_TRUE(r.ok()) << name << ": " << r.error().status;
  if (!r.ok()) return {};
  Request request = std::move(r).request();
  DetachRecords(&request);  // the frame dies here
  return request;
}

class CaptureTest : public ::testing::TestWithParam<Capture> {};

TEST_P(CaptureTest, DecodesAndReencodesByteForByte) {
  const Capture& c = GetParam();
  Request request = DecodeCapture(c.name);
  EXPECT_EQ(request.header.api_key, c.key);
  EXPECT_EQ(request.header.api_version, c.version);
  EXPECT_EQ(request.header.correlation_id, c.correlation_id);
  EXPECT_EQ(request.header.client_id, c.client_id);
  EXPECT_EQ(ApiKeyOf(request.body), c.key);
  Result<std::string> again = EncodeRequest(request.header, request.body);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(*again, ReadCapture(c.name)) << DebugString(request.body);
}

INSTANTIATE_TEST_SUITE_P(RealClients, CaptureTest, ::testing::ValuesIn(kCaptures),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(Captures, EveryDataFileIsListed) {
  size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(testing_util::DataDir())) {
    if (entry.path().extension() == ".bin") ++files;
  }
  EXPECT_EQ(files, std::size(kCaptures));
}

template <typename T>
T Body(const std::string& name) {
  Request r = DecodeCapture(name);
  const T* body = std::get_if<T>(&r.body);
  EXPECT_NE(body, nullptr) << name;
  return body ? *body : T{};
}

TEST(Captures, LibrdkafkaApiVersionsV3CarriesSoftwareNameAndVersion) {
  auto body = Body<ApiVersionsRequest>("librdkafka_api_versions_v3");
  EXPECT_EQ(body.client_software_name, "librdkafka");
  EXPECT_EQ(body.client_software_version, "2.0.2");
}

TEST(Captures, MetadataTopicsNullEmptyOrListed) {
  // v1+: null asks for every topic, empty for none (broker list only).
  EXPECT_EQ(Body<MetadataRequest>("librdkafka_metadata_v4_all_topics").topics, std::nullopt);
  auto brokers_only = Body<MetadataRequest>("librdkafka_metadata_v4_brokers_only");
  ASSERT_TRUE(brokers_only.topics.has_value());
  EXPECT_TRUE(brokers_only.topics->empty());
  EXPECT_FALSE(brokers_only.allow_auto_topic_creation);
  auto one = Body<MetadataRequest>("librdkafka_metadata_v4_one_topic");
  ASSERT_TRUE(one.topics.has_value());
  ASSERT_EQ(one.topics->size(), 1u);
  EXPECT_EQ((*one.topics)[0].name, "events");
  EXPECT_TRUE(one.allow_auto_topic_creation);
  // v0: kafka-python's bootstrap request, an empty array meaning all topics.
  auto v0 = Body<MetadataRequest>("kafka_python_metadata_v0");
  ASSERT_TRUE(v0.topics.has_value());
  EXPECT_TRUE(v0.topics->empty());
}

// The records of a produce capture hold exactly one record batch v2 with a
// valid CRC-32C (over attributes..end).
void ExpectOneValidBatch(std::string_view records) {
  ASSERT_GE(records.size(), 61u);
  auto bytes = AsBytes(records);
  int32_t batch_length = LoadBE<int32_t>(bytes.data() + 8);
  EXPECT_EQ(static_cast<size_t>(batch_length) + 12, records.size());
  EXPECT_EQ(bytes[16], 2) << "magic";
  uint32_t crc = LoadBE<uint32_t>(bytes.data() + 17);
  EXPECT_EQ(crc, Crc32c(bytes.data() + 21, bytes.size() - 21));
}

TEST(Captures, ProduceV7WrapsOneRecordBatchV2) {
  for (const char* name : {"librdkafka_produce_v7", "kafka_python_produce_v7",
                           "librdkafka_produce_v7_idempotent", "librdkafka_produce_v7_zstd"}) {
    SCOPED_TRACE(name);
    auto body = Body<ProduceRequest>(name);
    EXPECT_EQ(body.transactional_id, std::nullopt);
    ASSERT_EQ(body.topics.size(), 1u);
    EXPECT_EQ(body.topics[0].name, "events");
    ASSERT_EQ(body.topics[0].partitions.size(), 1u);
    EXPECT_EQ(body.topics[0].partitions[0].index, PartitionId(0));
    ASSERT_TRUE(body.topics[0].partitions[0].records.has_value());
    ExpectOneValidBatch(body.topics[0].partitions[0].records->bytes());
  }
  EXPECT_EQ(Body<ProduceRequest>("librdkafka_produce_v7").acks, -1);
  EXPECT_EQ(Body<ProduceRequest>("kafka_python_produce_v7").acks, 1);
  // The idempotent producer's batch carries the producer id InitProducerId
  // returned (the fake broker said 1000) and sequence 0.
  auto idem = Body<ProduceRequest>("librdkafka_produce_v7_idempotent");
  auto batch = AsBytes(idem.topics[0].partitions[0].records->bytes());
  EXPECT_EQ(LoadBE<int64_t>(batch.data() + 43), 1000);
  EXPECT_EQ(LoadBE<int32_t>(batch.data() + 53), 0);
  // A compressible value makes librdkafka use zstd (codec 4); it sends a
  // batch uncompressed when compression would not shrink it.
  auto zstd = Body<ProduceRequest>("librdkafka_produce_v7_zstd");
  batch = AsBytes(zstd.topics[0].partitions[0].records->bytes());
  EXPECT_EQ(LoadBE<int16_t>(batch.data() + 21) & 0x7, 4);
}

TEST(Captures, ConsumersFetchFromTheStartWithTheirIsolationLevel) {
  auto rdk = Body<FetchRequest>("librdkafka_fetch_v11");
  EXPECT_EQ(rdk.isolation_level, 1);  // librdkafka defaults to read_committed
  EXPECT_EQ(rdk.max_wait_ms, 500);
  ASSERT_EQ(rdk.topics.size(), 1u);
  EXPECT_EQ(rdk.topics[0].partitions[0].fetch_offset, Offset(0));
  EXPECT_EQ(rdk.topics[0].partitions[0].partition_max_bytes, 1048576);
  auto py = Body<FetchRequest>("kafka_python_fetch_v4");
  EXPECT_EQ(py.isolation_level, 0);
  auto lo = Body<ListOffsetsRequest>("librdkafka_list_offsets_v2");
  EXPECT_EQ(lo.topics[0].partitions[0].timestamp, kEarliestTimestamp);
}

TEST(Captures, GroupMembershipRequests) {
  auto join = Body<JoinGroupRequest>("librdkafka_join_group_v5");
  EXPECT_EQ(join.group_id, "grp1");
  EXPECT_EQ(join.member_id, "");
  EXPECT_EQ(join.group_instance_id, std::nullopt);
  EXPECT_EQ(join.protocol_type, "consumer");
  ASSERT_EQ(join.protocols.size(), 2u);
  EXPECT_EQ(join.protocols[0].name, "range");
  EXPECT_EQ(join.protocols[1].name, "roundrobin");
  auto commit = Body<OffsetCommitRequest>("kafka_python_offset_commit_v2");
  EXPECT_EQ(commit.group_id, "grp-py");
  EXPECT_EQ(commit.topics[0].partitions[0].committed_offset, Offset(1));
  EXPECT_EQ(commit.topics[0].partitions[0].committed_metadata, "meta");
  auto create = Body<CreateTopicsRequest>("kafka_python_create_topics_v3");
  ASSERT_EQ(create.topics.size(), 1u);
  EXPECT_EQ(create.topics[0].num_partitions, 3);
  EXPECT_EQ(create.topics[0].configs[0].value, "1000");
}

}  // namespace
}  // namespace kappa::kafka
