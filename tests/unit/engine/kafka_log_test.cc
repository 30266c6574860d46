// KafkaLog against librdkafka's mock cluster: reads re-encode messages as
// record batches at their own offsets; a writable log moves the commit
// marker to a batch's last record and, after reading back the parts a
// crash left, completes a cut-short batch without repeating its records.
// (A missing topic is tested in test_external_kafka.py: the mock cluster
// creates topics on demand.)
#include "engine/source/kafka_log.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "librdkafka/rdkafka.h"
#include "librdkafka/rdkafka_mock.h"
#include "log/record_batch.h"

namespace kappa::engine {
namespace {

struct Stored {
  int64_t offset;
  std::string value;
  std::vector<std::pair<std::string, std::string>> headers;
  bool batch_start;
};

class KafkaLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    rd_kafka_conf_t* conf = rd_kafka_conf_new();
    char err[256];
    ASSERT_EQ(rd_kafka_conf_set(conf, "test.mock.num.brokers", "1", err, sizeof err),
              RD_KAFKA_CONF_OK);
    producer_ = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err);
    ASSERT_NE(producer_, nullptr) << err;
    rd_kafka_mock_cluster_t* mock = rd_kafka_handle_mock_cluster(producer_);
    ASSERT_NE(mock, nullptr);
    bootstrap_ = rd_kafka_mock_cluster_bootstraps(mock);
    ASSERT_EQ(rd_kafka_mock_topic_create(mock, "t", 1, 1), RD_KAFKA_RESP_ERR_NO_ERROR);
    table_.name = "src";
    table_.options = {{"connector", "kafka"}, {"topic", "t"},
                      {"properties.bootstrap.servers", bootstrap_}};
  }
  void TearDown() override {
    if (producer_ != nullptr) rd_kafka_destroy(producer_);
  }

  // Produces one record straight to partition 0, with headers.
  void Produce(const std::string& value,
               const std::vector<std::pair<std::string, std::string>>& headers = {}) {
    rd_kafka_headers_t* hdrs = rd_kafka_headers_new(headers.size());
    for (const auto& [k, v] : headers) {
      rd_kafka_header_add(hdrs, k.data(), static_cast<ssize_t>(k.size()), v.data(),
                          static_cast<ssize_t>(v.size()));
    }
    void* payload = const_cast<char*>(value.data());
    size_t len = value.size();
    ASSERT_EQ(rd_kafka_producev(producer_, RD_KAFKA_V_TOPIC("t"), RD_KAFKA_V_PARTITION(0),
                                RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                                RD_KAFKA_V_VALUE(payload, len), RD_KAFKA_V_HEADERS(hdrs),
                                RD_KAFKA_V_END),
              RD_KAFKA_RESP_ERR_NO_ERROR);
    ASSERT_EQ(rd_kafka_flush(producer_, 10000), RD_KAFKA_RESP_ERR_NO_ERROR);
  }

  // Every record of partition 0 from `from` to its high watermark, read
  // through `log` as the engine reads it.
  std::vector<Stored> ReadAll(log::Log* log, const std::string& name, int64_t from = 0) {
    std::vector<Stored> out;
    auto topic = log->GetTopic(name);
    EXPECT_TRUE(topic.ok());
    if (!topic.ok()) return out;
    log::Partition* part = (*topic)->partition(PartitionId(0));
    int64_t end = part->high_watermark().value();
    for (int attempts = 0; from < end && attempts < 200; ++attempts) {
      auto read = part->Read(Offset(from), 1 << 20);
      EXPECT_TRUE(read.ok()) << read.status().ToString();
      if (!read.ok()) break;
      std::string bytes;
      for (const log::FileSlice& s : read->slices) EXPECT_TRUE(s.AppendTo(&bytes).ok());
      ByteSpan rest = AsBytes(bytes);
      while (rest.size() >= log::kBatchHeaderSize) {
        auto h = log::ParseBatchHeader(rest);
        EXPECT_TRUE(h.ok());
        if (!h.ok()) break;
        std::string scratch;
        std::vector<log::Record> records;
        EXPECT_TRUE(log::DecodeRecords(rest.first(h->total_size()), &scratch, &records).ok());
        for (size_t i = 0; i < records.size(); ++i) {
          Stored s{records[i].offset, std::string(records[i].value.value_or("")), {}, i == 0};
          for (const log::RecordHeader& hd : records[i].headers) {
            s.headers.emplace_back(std::string(hd.key), std::string(hd.value.value_or("")));
          }
          out.push_back(std::move(s));
        }
        rest = rest.subspan(h->total_size());
      }
      from = read->next_offset.value();
    }
    return out;
  }

  static std::string Header(const Stored& s, const std::string& key) {
    for (const auto& [k, v] : s.headers) {
      if (k == key) return v;
    }
    return "";
  }

  // A batch of `values` whose first record carries the topic sink's marker.
  static std::string MarkedBatch(const std::vector<std::string>& values, const std::string& marker) {
    log::BatchBuilder b;
    for (size_t i = 0; i < values.size(); ++i) {
      std::vector<log::RecordHeader> headers;
      if (i == 0) headers.push_back({"kappa.commit", marker});
      b.Add(std::nullopt, values[i], 1000, headers);
    }
    auto batch = b.Finish();
    EXPECT_TRUE(batch.ok());
    return batch.ok() ? *batch : std::string();
  }

  rd_kafka_t* producer_ = nullptr;
  std::string bootstrap_;
  sql::TableDef table_;
};

TEST_F(KafkaLogTest, ReadsRecordsAtTheirOffsets) {
  for (int i = 0; i < 5; ++i) Produce("v" + std::to_string(i));
  auto log = KafkaLog::Open(table_, "ext:src:t");
  ASSERT_TRUE(log.ok()) << log.status().ToString();
  auto topic = (*log)->GetTopic("ext:src:t");
  ASSERT_TRUE(topic.ok());
  EXPECT_EQ((*topic)->partition_count(), 1);
  EXPECT_FALSE((*log)->GetTopic("t").ok());
  log::Partition* part = (*topic)->partition(PartitionId(0));
  EXPECT_EQ(part->high_watermark().value(), 5);
  EXPECT_EQ(part->start_offset().value(), 0);
  std::vector<Stored> rows = ReadAll(log->get(), "ext:src:t", 2);
  ASSERT_EQ(rows.size(), 3u);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(rows[i].offset, i + 2);
    EXPECT_EQ(rows[i].value, "v" + std::to_string(i + 2));
  }
  // Read-only: a source never writes.
  EXPECT_FALSE(part->Append(MarkedBatch({"x"}, "w|1|0|0")).ok());
}

TEST_F(KafkaLogTest, AppendMovesTheMarkerToTheLastRecord) {
  auto log = KafkaLog::Open(table_, "ext:src:t", /*writable=*/true);
  ASSERT_TRUE(log.ok()) << log.status().ToString();
  log::Partition* part = (*(*log)->GetTopic("ext:src:t"))->partition(PartitionId(0));
  auto res = part->Append(MarkedBatch({"a", "b", "c"}, "w|1|0|0"));
  ASSERT_TRUE(res.ok()) << res.status().ToString();
  EXPECT_EQ(res->base_offset.value(), 0);
  EXPECT_EQ(res->last_offset.value(), 2);
  std::vector<Stored> rows = ReadAll(log->get(), "ext:src:t");
  ASSERT_EQ(rows.size(), 3u);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(Header(rows[i], "kappa.commit.part"), "w|1|0|0|" + std::to_string(i) + "|3");
  }
  EXPECT_EQ(Header(rows[0], "kappa.commit"), "");
  EXPECT_EQ(Header(rows[2], "kappa.commit"), "w|1|0|0");
  EXPECT_TRUE(rows[2].batch_start);  // the marker scan looks at first records
}

TEST_F(KafkaLogTest, CutShortBatchIsCompletedNotRepeated) {
  // What a crash can leave: the first two records of a three-record batch.
  Produce("a", {{"kappa.commit.part", "w|1|0|0|0|3"}});
  Produce("b", {{"kappa.commit.part", "w|1|0|0|1|3"}});
  auto log = KafkaLog::Open(table_, "ext:src:t", /*writable=*/true);
  ASSERT_TRUE(log.ok()) << log.status().ToString();
  // The sink's marker scan after the restart reads them back...
  std::vector<Stored> before = ReadAll(log->get(), "ext:src:t");
  ASSERT_EQ(before.size(), 2u);
  // ...finds no marker, and appends the batch again: only "c" is produced.
  log::Partition* part = (*(*log)->GetTopic("ext:src:t"))->partition(PartitionId(0));
  auto res = part->Append(MarkedBatch({"a", "b", "c"}, "w|1|0|0"));
  ASSERT_TRUE(res.ok()) << res.status().ToString();
  std::vector<Stored> rows = ReadAll(log->get(), "ext:src:t");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].value, "a");
  EXPECT_EQ(rows[1].value, "b");
  EXPECT_EQ(rows[2].value, "c");
  EXPECT_EQ(Header(rows[2], "kappa.commit"), "w|1|0|0");
}

}  // namespace
}  // namespace kappa::engine
