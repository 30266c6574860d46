// Jobs over a real log in a temp dir: a JSON topic source, window and
// group aggregates with an exchange (parallelism 2), append-only and upsert
// topic sinks, checkpoints, and recovery after simulated crashes giving
// every output row exactly once.
#include "engine/job.h"

#include <cctype>
#include <set>
#include <string_view>

#include "engine/bounded_query.h"
#include "engine_test_util.h"
#include "gtest/gtest.h"
#include "log_test_util.h"
#include "nlohmann/json.hpp"

namespace kappa::engine {
namespace {

using namespace testing;
using columnar::DataType;

std::string Payment(const std::string& currency, int64_t amount, int64_t ts) {
  return nlohmann::json{{"currency", currency}, {"amount", amount}, {"ts", ts}}.dump();
}

// True for the sink's timestamp text, "YYYY-MM-DD hh:mm:ss[.fff]".
bool IsTimestampText(const std::string& s) {
  static constexpr std::string_view kShape = "dddd-dd-dd dd:dd:dd";
  if (s.size() < kShape.size()) return false;
  for (size_t i = 0; i < kShape.size(); ++i) {
    if (kShape[i] == 'd' ? !std::isdigit(static_cast<unsigned char>(s[i])) : s[i] != kShape[i]) return false;
  }
  return true;
}

// Reduces a JSON row to "field=value" pairs of the given fields. Values print
// as JSON (strings quoted: currency="EUR"), except timestamps, which print
// bare and cut to whole seconds (window_end=1970-01-01 00:00:10), so tests
// do not depend on the exact sub-second timestamp text.
std::string Fields(const std::string& json, const std::vector<std::string>& fields) {
  nlohmann::json j = nlohmann::json::parse(json);
  std::string out;
  for (const std::string& f : fields) {
    if (!out.empty()) out += " ";
    const nlohmann::json& v = j.at(f);
    bool timestamp = v.is_string() && IsTimestampText(v.get<std::string>());
    out += f + "=" + (timestamp ? v.get<std::string>().substr(0, 19) : v.dump());
  }
  return out;
}

class JobTest : public ::testing::Test {
 protected:
  JobTest()
      : payments_schema_(MakeSchema({{"currency", DataType::String()},
                                     {"amount", DataType::Int64()},
                                     {"ts", DataType::Timestamp()}})) {
    fixture_.CreateTopic("payments", 2);
  }

  // INSERT INTO copy SELECT * FROM payments;
  // INSERT INTO revenue SELECT window_start, window_end, currency, SUM(amount), COUNT(*)
  //   FROM TABLE(TUMBLE(TABLE payments, DESCRIPTOR(ts), INTERVAL '10' SECOND)) GROUP BY ...;
  // INSERT INTO totals SELECT currency, SUM(amount), COUNT(*) FROM payments GROUP BY currency;
  sql::Pipeline MakePipeline(int parallelism) {
    auto payments = Table("payments", payments_schema_, "payments");
    sql::Pipeline p;
    p.settings["parallelism"] = std::to_string(parallelism);
    auto scan = ScanPlan(payments);
    auto wm = WatermarkPlan(scan, 2, 0);

    auto copy = Table("copy", payments_schema_, "copy");
    p.inserts.push_back({copy, ScanPlan(payments)});

    auto window = WindowPlan(wm, Tumble(2, 10000));
    auto agg = WindowAggPlan(window, {0},
                             {Agg("SUM", {Col(window->schema, 1)}, DataType::Int64()),
                              Agg("COUNT", {}, DataType::Int64())});
    auto revenue_schema = MakeSchema({{"window_start", DataType::Timestamp()},
                                      {"window_end", DataType::Timestamp()},
                                      {"currency", DataType::String()},
                                      {"total", DataType::Int64()},
                                      {"cnt", DataType::Int64()}});
    p.inserts.push_back({Table("revenue", revenue_schema, "revenue"), agg});

    auto totals_schema = MakeSchema({{"currency", DataType::String()},
                                     {"total", DataType::Int64()},
                                     {"cnt", DataType::Int64()}});
    auto group = GroupAggPlan(ScanPlan(payments), {0},
                              {Agg("SUM", {Col(payments_schema_, 1)}, DataType::Int64()),
                               Agg("COUNT", {}, DataType::Int64())});
    p.inserts.push_back({Table("totals", totals_schema, "totals", {0}), group});
    return p;
  }

  JobOptions Options() {
    JobOptions o;
    o.name = "pay";
    o.version = 1;
    o.log = fixture_.log();
    o.checkpoint_dir = fixture_.path("checkpoints");
    o.checkpoint_interval_ms = 3600 * 1000;  // only explicit checkpoints
    return o;
  }

  std::unique_ptr<Job> StartJob(int parallelism, JobOptions options) {
    auto job = Job::Start(MakePipeline(parallelism), std::move(options));
    EXPECT_TRUE(job.ok()) << job.status();
    return job.ok() ? std::move(*job) : nullptr;
  }

  // Reads everything produced so far, then commits it.
  void Drain(Job* job) {
    ASSERT_TRUE(WaitFor([&] { return job->CaughtUp(); }));
    Status st = job->Checkpoint();
    ASSERT_TRUE(st.ok()) << st;
  }

  std::vector<std::string> Revenue() {
    std::vector<std::string> out;
    for (const std::string& v : fixture_.SortedValues("revenue")) {
      out.push_back(Fields(v, {"window_end", "currency", "total", "cnt"}));
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  std::map<std::string, std::string> Totals() {
    std::map<std::string, std::string> out;
    for (const auto& [k, v] : fixture_.Upserts("totals")) {
      out[Fields(k, {"currency"})] = Fields(v, {"total", "cnt"});
    }
    return out;
  }

  void ProduceFirstHalf() {
    fixture_.Produce("payments", 0, {Payment("EUR", 10, 1000), Payment("USD", 5, 2000)});
    fixture_.Produce("payments", 1, {Payment("EUR", 20, 3000), Payment("USD", 7, 12000)});
    fixture_.Produce("payments", 0, {Payment("EUR", 1, 11000)});
  }
  void ProduceSecondHalf() {
    fixture_.Produce("payments", 1, {Payment("EUR", 2, 15000), Payment("EUR", 3, 21000)});
    fixture_.Produce("payments", 0, {Payment("USD", 4, 22000), Payment("EUR", 100, 4000)});
  }
  std::vector<std::string> ExpectedRevenueAfterBoth() {
    // Window [10 s, 20 s) closes once both partitions pass 20 s; 4000 on
    // partition 0 comes after 22000 there: late, dropped.
    return {"window_end=1970-01-01 00:00:10 currency=\"EUR\" total=30 cnt=2",
            "window_end=1970-01-01 00:00:10 currency=\"USD\" total=5 cnt=1",
            "window_end=1970-01-01 00:00:20 currency=\"EUR\" total=3 cnt=2",
            "window_end=1970-01-01 00:00:20 currency=\"USD\" total=7 cnt=1"};
  }

  LogFixture fixture_;
  columnar::Schema payments_schema_;
};

TEST_F(JobTest, WindowAndUpsertResultsWithTwoTasks) {
  auto job = StartJob(2, Options());
  ASSERT_NE(job, nullptr);
  ProduceFirstHalf();
  Drain(job.get());
  EXPECT_EQ(Revenue(), (std::vector<std::string>{
                           "window_end=1970-01-01 00:00:10 currency=\"EUR\" total=30 cnt=2",
                           "window_end=1970-01-01 00:00:10 currency=\"USD\" total=5 cnt=1"}));
  ProduceSecondHalf();
  Drain(job.get());
  EXPECT_EQ(Revenue(), ExpectedRevenueAfterBoth());
  EXPECT_EQ(Totals(), (std::map<std::string, std::string>{
                          {"currency=\"EUR\"", "total=136 cnt=6"},
                          {"currency=\"USD\"", "total=16 cnt=3"}}));
  EXPECT_EQ(fixture_.ReadAll("copy").size(), 9u);
  JobStatus st = job->Status();
  EXPECT_EQ(st.state, JobStatus::State::kRunning);
  EXPECT_EQ(st.parallelism, 2);
  EXPECT_EQ(st.late, 1);
  EXPECT_EQ(st.lag, 0);
  EXPECT_EQ(st.records_in, 27);  // three INSERTs read the 9 records each
  EXPECT_GE(st.last_checkpoint_epoch, 2);
  ASSERT_TRUE(job->Stop().ok());
  EXPECT_EQ(job->Status().state, JobStatus::State::kStopped);
}

TEST_F(JobTest, OneTaskAndTwoTasksAgree) {
  ProduceFirstHalf();
  ProduceSecondHalf();
  auto job = StartJob(1, Options());
  ASSERT_NE(job, nullptr);
  Drain(job.get());
  EXPECT_EQ(Revenue(), ExpectedRevenueAfterBoth());
  EXPECT_EQ(Totals(), (std::map<std::string, std::string>{
                          {"currency=\"EUR\"", "total=136 cnt=6"},
                          {"currency=\"USD\"", "total=16 cnt=3"}}));
  ASSERT_TRUE(job->Stop().ok());
}

TEST_F(JobTest, CrashBetweenCheckpointAndCommitIsCompletedOnRecovery) {
  JobOptions o = Options();
  o.crash_before_commit = [](int64_t epoch) { return epoch == 2; };
  auto job = StartJob(2, o);
  ASSERT_NE(job, nullptr);
  ProduceFirstHalf();
  Drain(job.get());  // epoch 1 committed
  ProduceSecondHalf();
  ASSERT_TRUE(WaitFor([&] { return job->CaughtUp(); }));
  EXPECT_FALSE(job->Checkpoint().ok());  // epoch 2 written, then the "crash"
  job->Kill();
  job.reset();
  // Nothing of epoch 2 is visible yet.
  EXPECT_EQ(fixture_.ReadAll("copy").size(), 5u);

  auto again = StartJob(2, Options());  // recovers epoch 2 and commits it
  ASSERT_NE(again, nullptr);
  EXPECT_EQ(fixture_.ReadAll("copy").size(), 9u);
  fixture_.Produce("payments", 0, {Payment("GBP", 9, 30000)});
  fixture_.Produce("payments", 1, {Payment("GBP", 1, 31000)});
  Drain(again.get());
  EXPECT_EQ(fixture_.ReadAll("copy").size(), 11u);
  // Both partitions passed 30 s: [20 s, 30 s) closed too.
  std::vector<std::string> expected = ExpectedRevenueAfterBoth();
  expected.push_back("window_end=1970-01-01 00:00:30 currency=\"EUR\" total=3 cnt=1");
  expected.push_back("window_end=1970-01-01 00:00:30 currency=\"USD\" total=4 cnt=1");
  EXPECT_EQ(Revenue(), expected);
  EXPECT_EQ(Totals()["currency=\"GBP\""], "total=10 cnt=2");
  EXPECT_EQ(Totals()["currency=\"EUR\""], "total=136 cnt=6");
  ASSERT_TRUE(again->Stop().ok());
}

TEST_F(JobTest, KillWithoutCheckpointReplaysExactlyOnce) {
  auto job = StartJob(2, Options());
  ASSERT_NE(job, nullptr);
  ProduceFirstHalf();
  Drain(job.get());
  ProduceSecondHalf();
  ASSERT_TRUE(WaitFor([&] { return job->CaughtUp(); }));
  job->Kill();  // read and processed, never committed
  job.reset();
  EXPECT_EQ(fixture_.ReadAll("copy").size(), 5u);

  auto again = StartJob(2, Options());
  ASSERT_NE(again, nullptr);
  Drain(again.get());
  std::vector<std::string> copy = fixture_.SortedValues("copy");
  EXPECT_EQ(copy.size(), 9u);
  EXPECT_EQ(std::set<std::string>(copy.begin(), copy.end()).size(), 9u);
  EXPECT_EQ(Revenue(), ExpectedRevenueAfterBoth());
  EXPECT_EQ(Totals(), (std::map<std::string, std::string>{
                          {"currency=\"EUR\"", "total=136 cnt=6"},
                          {"currency=\"USD\"", "total=16 cnt=3"}}));
  ASSERT_TRUE(again->Stop().ok());
}

TEST_F(JobTest, StopTakesAFinalCheckpointAndRestartContinues) {
  auto job = StartJob(2, Options());
  ASSERT_NE(job, nullptr);
  ProduceFirstHalf();
  ASSERT_TRUE(WaitFor([&] { return job->CaughtUp(); }));
  ASSERT_TRUE(job->Stop().ok());
  EXPECT_EQ(fixture_.ReadAll("copy").size(), 5u);
  job.reset();
  ProduceSecondHalf();
  auto again = StartJob(2, Options());
  ASSERT_NE(again, nullptr);
  Drain(again.get());
  EXPECT_EQ(fixture_.ReadAll("copy").size(), 9u);
  EXPECT_EQ(Revenue(), ExpectedRevenueAfterBoth());
  ASSERT_TRUE(again->Stop().ok());
}

TEST_F(JobTest, MalformedRecordsGoToTheDeadLetterTopic) {
  fixture_.Produce("payments", 0, {Payment("EUR", 1, 1000), "{not json", R"({"amount":"x"})"});
  auto job = StartJob(1, Options());
  ASSERT_NE(job, nullptr);
  Drain(job.get());
  // Each of the three INSERTs reads the topic: each reports the bad records.
  JobStatus st = job->Status();
  EXPECT_EQ(st.malformed, 6);
  std::vector<TopicRecord> dead = fixture_.ReadAll("pay.dlq");
  ASSERT_EQ(dead.size(), 6u);
  nlohmann::json first = nlohmann::json::parse(*dead[0].value);
  EXPECT_EQ(first["topic"], "payments");
  EXPECT_EQ(first["partition"], 0);
  EXPECT_TRUE(first["offset"] == 1 || first["offset"] == 2) << first.dump();
  EXPECT_FALSE(first["reason"].get<std::string>().empty());
  EXPECT_EQ(fixture_.ReadAll("copy").size(), 1u);
  ASSERT_TRUE(job->Stop().ok());
}

TEST_F(JobTest, MalformedRecordsCanStopThePipeline) {
  fixture_.Produce("payments", 1, {"{not json"});
  sql::Pipeline p = MakePipeline(1);
  p.settings["malformed-records"] = "fail";
  auto job = Job::Start(p, Options());
  ASSERT_TRUE(job.ok()) << job.status();
  ASSERT_TRUE(WaitFor([&] { return (*job)->Status().state == JobStatus::State::kFailed; }));
  std::string message = (*job)->Status().message;
  EXPECT_NE(message.find("topic payments partition 1 at offset 0"), std::string::npos) << message;
  EXPECT_FALSE((*job)->Stop().ok());
}

TEST_F(JobTest, UpdatingQueryIntoAppendOnlyTopicIsRefused) {
  sql::Pipeline p = MakePipeline(1);
  auto target = std::make_shared<sql::TableDef>(*p.inserts[2].target);
  target->primary_key.clear();
  p.inserts[2].target = target;
  auto job = Job::Start(p, Options());
  ASSERT_FALSE(job.ok());
  EXPECT_NE(std::string(job.status().message()).find("has no PRIMARY KEY"), std::string::npos)
      << job.status();
}

TEST_F(JobTest, BoundedQueryReadsToTheEndOffsetsAtItsStart) {
  ProduceFirstHalf();
  ProduceSecondHalf();
  auto payments = Table("payments", payments_schema_, "payments");
  auto group = GroupAggPlan(ScanPlan(payments), {0},
                            {Agg("SUM", {Col(payments_schema_, 1)}, DataType::Int64()),
                             Agg("COUNT", {}, DataType::Int64())});
  QueryOptions o;
  o.log = fixture_.log();
  o.parallelism = 2;
  auto result = RunBoundedQuery(group, o);
  ASSERT_TRUE(result.ok()) << result.status();
  std::set<std::string> rows;
  for (const auto& row : result->Rows()) {
    rows.insert(row[0].ToString() + " " + row[1].ToString() + " " + row[2].ToString());
  }
  EXPECT_EQ(rows, (std::set<std::string>{"EUR 136 6", "USD 16 3"}));
}

TEST_F(JobTest, BoundedWindowQueryClosesEveryWindowAtTheEnd) {
  ProduceFirstHalf();
  auto payments = Table("payments", payments_schema_, "payments");
  auto window = WindowPlan(WatermarkPlan(ScanPlan(payments), 2, 0), Tumble(2, 10000));
  auto agg = WindowAggPlan(window, {0}, {Agg("COUNT", {}, DataType::Int64())});
  QueryOptions o;
  o.log = fixture_.log();
  auto result = RunBoundedQuery(agg, o);
  ASSERT_TRUE(result.ok()) << result.status();
  std::set<std::string> rows;
  for (const auto& row : result->Rows()) {
    rows.insert(row[1].ToString() + " " + row[2].ToString() + " " + row[3].ToString());
  }
  EXPECT_EQ(rows, (std::set<std::string>{"1970-01-01 00:00:10.000 EUR 2",
                                         "1970-01-01 00:00:10.000 USD 1",
                                         "1970-01-01 00:00:20.000 EUR 1",
                                         "1970-01-01 00:00:20.000 USD 1"}));
}

}  // namespace
}  // namespace kappa::engine
