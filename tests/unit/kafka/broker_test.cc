// The broker end to end without sockets: encoded request frames into
// Broker::Handle over a real log in a temp dir, responses decoded back.
#include "kafka/broker/broker.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>

#include "kafka/protocol/request.h"
#include "kafka/protocol/response.h"
#include "log/record_batch.h"

namespace kappa::kafka {
namespace {

using namespace std::chrono_literals;

class BrokerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("kappa_broker_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    StartServer();
  }
  void TearDown() override {
    StopServer();
    std::filesystem::remove_all(dir_);
  }
  void StopServer() {
    broker_->Stop();
    io_.poll();
    broker_.reset();
    ASSERT_TRUE(log_->Close().ok());
    log_.reset();
  }
  void StartServer() {
    io_.restart();  // a stopped server's poll may have run out of work
    log::LogOptions lo;
    lo.data_dir = dir_.string();
    log_ = std::move(*log::Log::Open(lo));
    BrokerOptions bo;
    bo.groups_dir = (dir_ / "groups").string();
    broker_ = std::move(*Broker::Create(log_.get(), io_.get_executor(), bo));
  }

  // Starts handling a request; Finish() runs the io_context until it answers.
  struct Pending {
    std::shared_ptr<std::optional<FrameReply>> reply;
    ApiKey key;
    int16_t version;
  };
  template <typename Body>
  Pending Start(int16_t version, Body body) {
    RequestHeader h{Body::Api::kKey, version, ++correlation_, "test"};
    std::string frame = *EncodeRequest(h, RequestBody{std::move(body)});
    auto reply = std::make_shared<std::optional<FrameReply>>();
    asio::co_spawn(io_, broker_->Handle(1, RequestFrame(frame.substr(4))),
                   [reply](std::exception_ptr, FrameReply r) { *reply = std::move(r); });
    return {reply, Body::Api::kKey, version};
  }
  FrameReply Wait(const Pending& p, std::chrono::milliseconds limit = 5000ms) {
    auto deadline = std::chrono::steady_clock::now() + limit;
    while (!*p.reply && std::chrono::steady_clock::now() < deadline) io_.run_one_for(10ms);
    EXPECT_TRUE(p.reply->has_value()) << "no reply";
    return p.reply->value_or(FrameReply::Close());
  }
  template <typename Resp>
  Resp Finish(const Pending& p) {
    FrameReply r = Wait(p);
    EXPECT_EQ(r.kind, FrameReply::Kind::kSend);
    auto decoded = DecodeResponse(AsBytes(std::string_view(r.frame).substr(4)), p.key, p.version);
    EXPECT_TRUE(decoded.ok()) << decoded.status();
    return std::get<Resp>(decoded->body);
  }
  template <typename Resp, typename Body>
  Resp Call(int16_t version, Body body) {
    return Finish<Resp>(Start(version, std::move(body)));
  }

  static std::string Batch(const std::string& value, int64_t pid = -1, int32_t seq = -1) {
    log::BatchBuilder b;
    b.Add(std::nullopt, value, 1000);
    if (pid >= 0) b.SetProducer(pid, 0, seq);
    return *b.Finish();
  }
  static ProduceRequest Produce(const std::string& topic, std::string records, int16_t acks = -1) {
    ProduceRequest r;
    r.acks = acks;
    r.timeout_ms = 1000;
    r.topics.push_back({topic, {{PartitionId(0), Records{std::move(records)}}}});
    return r;
  }
  static FetchRequest Fetch(const std::string& topic, int64_t offset, int32_t max_wait_ms) {
    FetchRequest r;
    r.max_wait_ms = max_wait_ms;
    r.min_bytes = 1;
    r.max_bytes = 1 << 20;
    r.topics.push_back({topic, {{PartitionId(0), -1, Offset(offset), Offset(-1), 1 << 20}}});
    return r;
  }
  static ProduceResponse::Partition First(const ProduceResponse& r) {
    return r.responses.at(0).partitions.at(0);
  }

  std::filesystem::path dir_;
  asio::io_context io_;
  std::unique_ptr<log::Log> log_;
  std::unique_ptr<Broker> broker_;
  int32_t correlation_ = 0;
};

TEST_F(BrokerTest, RetriedIdempotentBatchIsAnsweredWithItsOffsetAndStoredOnce) {
  auto pid = Call<InitProducerIdResponse>(0, InitProducerIdRequest{}).producer_id;
  auto first = First(Call<ProduceResponse>(7, Produce("t", Batch("a", pid, 0))));
  EXPECT_EQ(first.error_code, ErrorCode::kNone);
  EXPECT_EQ(first.base_offset, Offset(0));
  auto again = First(Call<ProduceResponse>(7, Produce("t", Batch("a", pid, 0))));
  EXPECT_EQ(again.error_code, ErrorCode::kNone);
  EXPECT_EQ(again.base_offset, Offset(0));
  auto next = First(Call<ProduceResponse>(7, Produce("t", Batch("b", pid, 1))));
  EXPECT_EQ(next.base_offset, Offset(1));
  auto gap = First(Call<ProduceResponse>(7, Produce("t", Batch("c", pid, 5))));
  EXPECT_EQ(gap.error_code, ErrorCode::kOutOfOrderSequenceNumber);
  EXPECT_EQ((*log_->GetTopic("t"))->partition(PartitionId(0))->end_offset(), Offset(2));
}

TEST_F(BrokerTest, RetriedIdempotentBatchIsStoredOnceAcrossARestart) {
  auto pid = Call<InitProducerIdResponse>(0, InitProducerIdRequest{}).producer_id;
  Call<ProduceResponse>(7, Produce("t", Batch("a", pid, 0)));
  Call<ProduceResponse>(7, Produce("t", Batch("other")));  // not idempotent
  auto second = First(Call<ProduceResponse>(7, Produce("t", Batch("b", pid, 1))));
  ASSERT_EQ(second.base_offset, Offset(2));
  StopServer();
  StartServer();
  // The client never saw the answer for "b" and retries it on the new server.
  auto retried = First(Call<ProduceResponse>(7, Produce("t", Batch("b", pid, 1))));
  EXPECT_EQ(retried.error_code, ErrorCode::kNone);
  EXPECT_EQ(retried.base_offset, Offset(2));
  auto older = First(Call<ProduceResponse>(7, Produce("t", Batch("a", pid, 0))));
  EXPECT_EQ(older.base_offset, Offset(0));
  auto next = First(Call<ProduceResponse>(7, Produce("t", Batch("c", pid, 2))));
  EXPECT_EQ(next.base_offset, Offset(3));
  auto gap = First(Call<ProduceResponse>(7, Produce("t", Batch("e", pid, 9))));
  EXPECT_EQ(gap.error_code, ErrorCode::kOutOfOrderSequenceNumber);
  EXPECT_EQ((*log_->GetTopic("t"))->partition(PartitionId(0))->end_offset(), Offset(4));
}

TEST_F(BrokerTest, AcksZeroHasNoResponseAndBadAcksAreRefused) {
  FrameReply r = Wait(Start(7, Produce("t", Batch("a"), 0)));
  EXPECT_EQ(r.kind, FrameReply::Kind::kNone);
  auto bad = First(Call<ProduceResponse>(7, Produce("t", Batch("a"), 2)));
  EXPECT_EQ(bad.error_code, ErrorCode::kInvalidRequiredAcks);
}

TEST_F(BrokerTest, FetchLongPollWakesOnProduce) {
  Call<ProduceResponse>(7, Produce("t", Batch("a")));
  auto start = std::chrono::steady_clock::now();
  Pending fetch = Start(11, Fetch("t", 1, 10000));
  for (int i = 0; i < 5; ++i) io_.run_one_for(10ms);
  EXPECT_FALSE(*fetch.reply) << "answered before min_bytes were there";
  Call<ProduceResponse>(7, Produce("t", Batch("b"), 1));
  auto r = Finish<FetchResponse>(fetch);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);
  const auto& p = r.responses.at(0).partitions.at(0);
  EXPECT_EQ(p.high_watermark, Offset(2));
  ASSERT_TRUE(p.records);
  auto h = log::ParseBatchHeader(AsBytes(p.records->bytes()));
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(h->base_offset, 1);
}

TEST_F(BrokerTest, FetchOutOfRangeAndTimeout) {
  Call<ProduceResponse>(7, Produce("t", Batch("a")));
  auto r = Call<FetchResponse>(11, Fetch("t", 5, 0));
  EXPECT_EQ(r.responses.at(0).partitions.at(0).error_code, ErrorCode::kOffsetOutOfRange);
  auto start = std::chrono::steady_clock::now();
  auto empty = Call<FetchResponse>(11, Fetch("t", 1, 200));
  EXPECT_GE(std::chrono::steady_clock::now() - start, 190ms);
  EXPECT_EQ(empty.responses.at(0).partitions.at(0).records->bytes(), "");
}

TEST_F(BrokerTest, MetadataCreatesTopicsOnlyWhenAllowed) {
  MetadataRequest no;
  no.topics = std::vector<MetadataRequest::Topic>{{"x"}};
  no.allow_auto_topic_creation = false;
  auto r = Call<MetadataResponse>(4, no);
  EXPECT_EQ(r.topics.at(0).error_code, ErrorCode::kUnknownTopicOrPartition);
  EXPECT_FALSE(log_->GetTopic("x").ok());
  no.allow_auto_topic_creation = true;
  r = Call<MetadataResponse>(4, no);
  EXPECT_EQ(r.topics.at(0).error_code, ErrorCode::kNone);
  EXPECT_EQ(r.topics.at(0).partitions.at(0).leader_id, 0);
  MetadataRequest none;  // v1+: an empty list asks for no topic
  EXPECT_TRUE(Call<MetadataResponse>(1, none).topics.empty());
  MetadataRequest all;
  all.topics.reset();
  EXPECT_EQ(Call<MetadataResponse>(1, all).topics.size(), 1u);
}

TEST_F(BrokerTest, CommittedOffsetsAreFetchedBack) {
  Call<ProduceResponse>(7, Produce("t", Batch("a")));
  OffsetCommitRequest c;
  c.group_id = "g";
  c.topics.push_back({"t", {{PartitionId(0), Offset(1), -1, std::nullopt}}});
  auto cr = Call<OffsetCommitResponse>(2, c);
  EXPECT_EQ(cr.topics.at(0).partitions.at(0).error_code, ErrorCode::kNone);
  OffsetFetchRequest f;
  f.group_id = "g";
  f.topics = std::vector<OffsetFetchRequest::Topic>{{"t", {PartitionId(0), PartitionId(1)}}};
  auto fr = Call<OffsetFetchResponse>(1, f);
  EXPECT_EQ(fr.topics.at(0).partitions.at(0).committed_offset, Offset(1));
  EXPECT_EQ(fr.topics.at(0).partitions.at(1).committed_offset, Offset(-1));
}

}  // namespace
}  // namespace kappa::kafka
