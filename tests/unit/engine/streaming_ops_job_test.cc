// Streaming joins, deduplication and Top-N in a real job: SQL compiled by
// sql::CompilePipeline, two tasks with exchanges, topic sinks (append-only
// and upsert), a checkpoint, a crash and recovery from that checkpoint,
// then more input that must meet the restored state.
#include <map>
#include <set>

#include "engine/job.h"
#include "gtest/gtest.h"
#include "log_test_util.h"
#include "nlohmann/json.hpp"
#include "sql/compile.h"

namespace kappa::engine {
namespace {

using testing::LogFixture;
using testing::WaitFor;

constexpr const char* kPipeline =
    "CREATE TABLE person (id BIGINT, name STRING) "
    "WITH ('connector' = 'kafka', 'topic' = 'person', 'format' = 'json');\n"
    "CREATE TABLE auction (id BIGINT, seller BIGINT) "
    "WITH ('connector' = 'kafka', 'topic' = 'auction', 'format' = 'json');\n"
    "CREATE TABLE bid (auction BIGINT, bidder BIGINT, price BIGINT, ts TIMESTAMP(3), "
    "WATERMARK FOR ts AS ts - INTERVAL '1' SECOND) "
    "WITH ('connector' = 'kafka', 'topic' = 'bid', 'format' = 'json');\n"
    "CREATE TABLE matched (auction BIGINT, name STRING) "
    "WITH ('connector' = 'kafka', 'topic' = 'matched', 'format' = 'json');\n"
    "CREATE TABLE last_bid (bidder BIGINT, price BIGINT, PRIMARY KEY (bidder) NOT ENFORCED) "
    "WITH ('connector' = 'kafka', 'topic' = 'last_bid', 'format' = 'json');\n"
    "CREATE TABLE top_bids (auction BIGINT, price BIGINT, rn BIGINT, "
    "PRIMARY KEY (auction, rn) NOT ENFORCED) "
    "WITH ('connector' = 'kafka', 'topic' = 'top_bids', 'format' = 'json');\n"
    "CREATE TABLE seller_name (auction BIGINT, name STRING, PRIMARY KEY (auction) NOT ENFORCED) "
    "WITH ('connector' = 'kafka', 'topic' = 'seller_name', 'format' = 'json');\n"
    "INSERT INTO matched SELECT a.id, p.name FROM auction a JOIN person p ON a.seller = p.id;\n"
    "INSERT INTO seller_name SELECT a.id, p.name FROM auction a LEFT JOIN person p "
    "ON a.seller = p.id;\n"
    "INSERT INTO last_bid SELECT bidder, price FROM (SELECT bidder, price, ts, ROW_NUMBER() "
    "OVER (PARTITION BY bidder ORDER BY ts DESC) AS rn FROM bid) WHERE rn = 1;\n"
    "INSERT INTO top_bids SELECT auction, price, rn FROM (SELECT auction, price, ROW_NUMBER() "
    "OVER (PARTITION BY auction ORDER BY price DESC) AS rn FROM bid) WHERE rn <= 2;\n";

std::string Bid(int64_t auction, int64_t bidder, int64_t price, const std::string& ts) {
  return nlohmann::json{{"auction", auction}, {"bidder", bidder}, {"price", price}, {"ts", ts}}
      .dump();
}

class StreamingOpsJobTest : public ::testing::Test {
 protected:
  StreamingOpsJobTest() {
    for (const char* t : {"person", "auction", "bid"}) fixture_.CreateTopic(t, 2);
  }

  std::unique_ptr<Job> Start() {
    auto pipeline = sql::CompilePipeline(kPipeline, nullptr);
    EXPECT_TRUE(pipeline.ok()) << pipeline.status();
    if (!pipeline.ok()) return nullptr;
    JobOptions o;
    o.name = "ops";
    o.log = fixture_.log();
    o.checkpoint_dir = fixture_.path("checkpoints");
    o.checkpoint_interval_ms = 3600 * 1000;  // only explicit checkpoints
    o.parallelism = 2;
    auto job = Job::Start(*pipeline, o);
    EXPECT_TRUE(job.ok()) << job.status();
    return job.ok() ? std::move(*job) : nullptr;
  }

  void Drain(Job* job) {
    ASSERT_TRUE(WaitFor([&] { return job->CaughtUp(); }));
    Status st = job->Checkpoint();
    ASSERT_TRUE(st.ok()) << st;
  }

  std::multiset<std::string> Matched() {
    std::multiset<std::string> out;
    for (const std::string& v : fixture_.SortedValues("matched")) {
      auto j = nlohmann::json::parse(v);
      out.insert(j.at("auction").dump() + " " + j.at("name").get<std::string>());
    }
    return out;
  }

  // An upsert topic's final rows as "field=value ..." of its value.
  std::set<std::string> Table(const std::string& topic, const std::vector<std::string>& fields) {
    std::set<std::string> out;
    for (const auto& [k, v] : fixture_.Upserts(topic)) {
      auto j = nlohmann::json::parse(v);
      std::string row;
      for (const std::string& f : fields) row += (row.empty() ? "" : " ") + f + "=" + j.at(f).dump();
      out.insert(row);
    }
    return out;
  }

  LogFixture fixture_;
};

TEST_F(StreamingOpsJobTest, StateSurvivesACrashAndMeetsNewInput) {
  auto job = Start();
  ASSERT_NE(job, nullptr);
  fixture_.Produce("person", 0, {R"({"id": 1, "name": "Ann"})"});
  fixture_.Produce("auction", 1, {R"({"id": 10, "seller": 1})", R"({"id": 11, "seller": 2})"});
  fixture_.Produce("bid", 0, {Bid(10, 7, 5, "2024-01-01 00:00:01"), Bid(10, 8, 9, "2024-01-01 00:00:02")});
  fixture_.Produce("bid", 1, {Bid(11, 7, 3, "2024-01-01 00:00:03")});
  Drain(job.get());
  EXPECT_EQ(Matched(), (std::multiset<std::string>{"10 Ann"}));
  EXPECT_EQ(Table("seller_name", {"auction", "name"}),
            (std::set<std::string>{"auction=10 name=\"Ann\"", "auction=11 name=null"}));
  EXPECT_EQ(Table("last_bid", {"bidder", "price"}),
            (std::set<std::string>{"bidder=7 price=3", "bidder=8 price=9"}));
  EXPECT_EQ(Table("top_bids", {"auction", "rn", "price"}),
            (std::set<std::string>{"auction=10 rn=1 price=9", "auction=10 rn=2 price=5",
                                   "auction=11 rn=1 price=3"}));

  job->Kill();
  job.reset();
  job = Start();  // recovers the checkpoint taken by Drain
  ASSERT_NE(job, nullptr);
  fixture_.Produce("person", 1, {R"({"id": 2, "name": "Bob"})"});
  fixture_.Produce("auction", 0, {R"({"id": 12, "seller": 1})"});
  fixture_.Produce("bid", 1, {Bid(10, 7, 7, "2024-01-01 00:00:04"), Bid(11, 9, 4, "2024-01-01 00:00:05")});
  Drain(job.get());
  // Auction 11 (kept before the crash) meets Bob; auction 12 meets Ann (kept).
  EXPECT_EQ(Matched(), (std::multiset<std::string>{"10 Ann", "11 Bob", "12 Ann"}));
  // The padded row of auction 11 was retracted (-D) when Bob arrived.
  EXPECT_EQ(Table("seller_name", {"auction", "name"}),
            (std::set<std::string>{"auction=10 name=\"Ann\"", "auction=11 name=\"Bob\"",
                                   "auction=12 name=\"Ann\""}));
  EXPECT_EQ(Table("last_bid", {"bidder", "price"}),
            (std::set<std::string>{"bidder=7 price=7", "bidder=8 price=9", "bidder=9 price=4"}));
  EXPECT_EQ(Table("top_bids", {"auction", "rn", "price"}),
            (std::set<std::string>{"auction=10 rn=1 price=9", "auction=10 rn=2 price=7",
                                   "auction=11 rn=1 price=4", "auction=11 rn=2 price=3"}));
  ASSERT_TRUE(job->Stop().ok());
}

}  // namespace
}  // namespace kappa::engine
