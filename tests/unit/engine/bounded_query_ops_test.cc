// ORDER BY / LIMIT / OFFSET, joins, Top-N and deduplication end to end:
// SQL compiled by sql::CompileQuery, run by RunBoundedQuery over topics of
// a real log with two tasks, so rows cross exchanges and the final order
// must survive to the result batches.
#include <algorithm>
#include <string>
#include <vector>

#include "engine/bounded_query.h"
#include "engine/planner.h"
#include "gtest/gtest.h"
#include "log_test_util.h"
#include "sql/catalog.h"
#include "sql/compile.h"

namespace kappa::engine {
namespace {

using testing::LogFixture;

constexpr const char* kDdl =
    "CREATE TABLE orders (id BIGINT, customer BIGINT, amount DECIMAL(10, 2), ts TIMESTAMP(3), "
    "WATERMARK FOR ts AS ts - INTERVAL '1' SECOND) "
    "WITH ('connector' = 'kafka', 'topic' = 'orders', 'format' = 'json');\n"
    "CREATE TABLE customers (id BIGINT, name STRING) "
    "WITH ('connector' = 'kafka', 'topic' = 'customers', 'format' = 'json');\n";

class BoundedQueryOpsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fixture_.CreateTopic("orders", 2);
    fixture_.CreateTopic("customers", 1);
    fixture_.Produce("orders", 0,
                     {R"({"id": 1, "customer": 1, "amount": 10.50, "ts": "2024-01-01 00:00:01"})",
                      R"({"id": 2, "customer": 2, "amount": 99.99, "ts": "2024-01-01 00:00:02"})",
                      R"({"id": 3, "customer": 1, "amount": 5.00, "ts": "2024-01-01 00:00:03"})"});
    fixture_.Produce("orders", 1,
                     {R"({"id": 4, "customer": 4, "amount": 20.00, "ts": "2024-01-01 00:00:04"})",
                      R"({"id": 5, "customer": null, "amount": 99.99, "ts": "2024-01-01 00:00:05"})",
                      R"({"id": 6, "customer": 2, "amount": 1.25, "ts": "2024-01-01 00:00:06"})"});
    fixture_.Produce("customers", 0,
                     {R"({"id": 1, "name": "Ann"})", R"({"id": 2, "name": "Bob"})",
                      R"({"id": 3, "name": "Cid"})", R"({"id": null, "name": "Nobody"})"});
  }

  // Every result row as "a|b|c", in result order; the error text on failure.
  std::vector<std::string> Query(const std::string& sql, int parallelism = 2) {
    sql::MemoryCatalog catalog;
    auto q = sql::CompileQuery(std::string(kDdl) + sql, catalog);
    if (!q.ok()) return {"compile error: " + std::string(q.status().message())};
    QueryOptions o;
    o.log = fixture_.log();
    o.parallelism = parallelism;
    auto result = RunBoundedQuery(q->plan, o);
    if (!result.ok()) return {"run error: " + std::string(result.status().message())};
    std::vector<std::string> rows;
    for (const auto& row : result->Rows()) {
      std::string line;
      for (size_t i = 0; i < row.size(); ++i) line += (i ? "|" : "") + row[i].ToString();
      rows.push_back(line);
    }
    return rows;
  }

  LogFixture fixture_;
};

using Rows = std::vector<std::string>;

TEST_F(BoundedQueryOpsTest, OrderByLimitIsATopKAcrossTasks) {
  EXPECT_EQ(Query("SELECT id, amount FROM orders ORDER BY amount DESC, id LIMIT 3"),
            (Rows{"2|99.99", "5|99.99", "4|20.00"}));
}

TEST_F(BoundedQueryOpsTest, FullSortKeepsItsOrderToTheResult) {
  EXPECT_EQ(Query("SELECT id, customer FROM orders ORDER BY customer, id"),
            (Rows{"5|NULL", "1|1", "3|1", "2|2", "6|2", "4|4"}));
  EXPECT_EQ(Query("SELECT id FROM orders ORDER BY customer DESC, id DESC"),
            (Rows{"4", "6", "2", "3", "1", "5"}));
  EXPECT_EQ(Query("SELECT id FROM orders ORDER BY customer NULLS LAST, id", 1),
            (Rows{"1", "3", "2", "6", "4", "5"}));
}

TEST_F(BoundedQueryOpsTest, OffsetAndLimitZero) {
  EXPECT_EQ(Query("SELECT id FROM orders ORDER BY id DESC LIMIT 2 OFFSET 1"), (Rows{"5", "4"}));
  EXPECT_EQ(Query("SELECT id FROM orders ORDER BY id LIMIT 0"), Rows{});
  EXPECT_EQ(Query("SELECT COUNT(*) FROM (SELECT id FROM orders LIMIT 4)"), Rows{"4"});
}

TEST_F(BoundedQueryOpsTest, OrderByAnExpressionNotSelected) {
  EXPECT_EQ(Query("SELECT id FROM orders ORDER BY amount * -1, id LIMIT 4"),
            (Rows{"2", "5", "4", "1"}));
}

TEST_F(BoundedQueryOpsTest, LeftJoin) {
  EXPECT_EQ(Query("SELECT o.id, c.name FROM orders o LEFT JOIN customers c "
                  "ON o.customer = c.id ORDER BY o.id"),
            (Rows{"1|Ann", "2|Bob", "3|Ann", "4|NULL", "5|NULL", "6|Bob"}));
}

TEST_F(BoundedQueryOpsTest, InnerJoinWithAggregate) {
  EXPECT_EQ(Query("SELECT c.name, SUM(o.amount), COUNT(*) FROM orders o JOIN customers c "
                  "ON o.customer = c.id GROUP BY c.name ORDER BY c.name"),
            (Rows{"Ann|15.50|2", "Bob|101.24|2"}));
}

TEST_F(BoundedQueryOpsTest, FullJoinWithResidualCondition) {
  EXPECT_EQ(Query("SELECT o.id, c.name FROM orders o FULL JOIN customers c "
                  "ON o.customer = c.id AND o.amount > 5 ORDER BY o.id NULLS LAST, c.name"),
            (Rows{"1|Ann", "2|Bob", "3|NULL", "4|NULL", "5|NULL", "6|NULL", "NULL|Cid",
                  "NULL|Nobody"}));
}

TEST_F(BoundedQueryOpsTest, RightJoinAndNestedLoopJoin) {
  EXPECT_EQ(Query("SELECT c.name, o.id FROM orders o RIGHT JOIN customers c "
                  "ON o.customer = c.id ORDER BY c.name, o.id"),
            (Rows{"Ann|1", "Ann|3", "Bob|2", "Bob|6", "Cid|NULL", "Nobody|NULL"}));
  EXPECT_EQ(Query("SELECT o.id, c.id FROM orders o JOIN customers c ON o.customer < c.id "
                  "ORDER BY o.id, c.id"),
            (Rows{"1|2", "1|3", "2|3", "3|2", "3|3", "6|3"}));
}

TEST_F(BoundedQueryOpsTest, SelfJoinOfAWithQuery) {
  EXPECT_EQ(Query("WITH c AS (SELECT id, customer FROM orders) SELECT a.id, b.id FROM c a "
                  "JOIN c b ON a.customer = b.customer AND a.id < b.id ORDER BY 1, 2"),
            (Rows{"1|3", "2|6"}));
  // ORDER BY by qualified name under WITH (bound over the FROM scope).
  EXPECT_EQ(Query("WITH c AS (SELECT id, customer FROM orders) SELECT a.id, b.id FROM c a "
                  "JOIN c b ON a.customer = b.customer AND a.id < b.id ORDER BY b.id DESC"),
            (Rows{"2|6", "1|3"}));
}

TEST_F(BoundedQueryOpsTest, TopNPerPartitionWithRowNumber) {
  EXPECT_EQ(Query("SELECT customer, id, rn FROM (SELECT customer, id, amount, ROW_NUMBER() OVER "
                  "(PARTITION BY customer ORDER BY amount DESC) AS rn FROM orders) "
                  "WHERE rn <= 2 ORDER BY customer, rn"),
            (Rows{"NULL|5|1", "1|1|1", "1|3|2", "2|2|1", "2|6|2", "4|4|1"}));
}

TEST_F(BoundedQueryOpsTest, DeduplicateKeepsFirstOrLast) {
  EXPECT_EQ(Query("SELECT customer, id FROM (SELECT customer, id, ts, ROW_NUMBER() OVER "
                  "(PARTITION BY customer ORDER BY ts DESC) AS rn FROM orders) "
                  "WHERE rn = 1 ORDER BY id"),
            (Rows{"1|3", "4|4", "NULL|5", "2|6"}));
  EXPECT_EQ(Query("SELECT customer, id FROM (SELECT customer, id, ts, ROW_NUMBER() OVER "
                  "(PARTITION BY customer ORDER BY ts) AS rn FROM orders) "
                  "WHERE rn = 1 ORDER BY id"),
            (Rows{"1|1", "2|2", "4|4", "NULL|5"}));
}

// Many rows over three partitions and three tasks: the top-k and the full
// sort match a brute-force answer, so rows crossing the exchanges keep
// their final order to the result.
TEST_F(BoundedQueryOpsTest, ManyRowsOverThreeTasksMatchABruteForceOrder) {
  fixture_.CreateTopic("events", 3);
  std::vector<std::pair<int64_t, int64_t>> all;  // (score, id)
  for (int32_t p = 0; p < 3; ++p) {
    for (int batch = 0; batch < 4; ++batch) {
      std::vector<std::string> values;
      for (int i = 0; i < 500; ++i) {
        int64_t id = p * 100000 + batch * 1000 + i;
        int64_t score = (id * 7919) % 997;
        values.push_back("{\"id\": " + std::to_string(id) + ", \"score\": " +
                         std::to_string(score) + "}");
        all.push_back({score, id});
      }
      fixture_.Produce("events", p, values);
    }
  }
  std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  const std::string ddl =
      "CREATE TABLE events (id BIGINT, score BIGINT) WITH ('connector' = 'kafka', "
      "'topic' = 'events', 'format' = 'json');\n";
  Rows want;
  for (size_t i = 20; i < 70; ++i) {
    want.push_back(std::to_string(all[i].second) + "|" + std::to_string(all[i].first));
  }
  EXPECT_EQ(Query(ddl + "SELECT id, score FROM events ORDER BY score DESC, id LIMIT 50 OFFSET 20",
                  3),
            want);
  Rows sorted = Query(ddl + "SELECT id, score FROM events ORDER BY score DESC, id", 3);
  ASSERT_EQ(sorted.size(), all.size());
  for (size_t i = 0; i < all.size(); i += 97) {
    EXPECT_EQ(sorted[i], std::to_string(all[i].second) + "|" + std::to_string(all[i].first));
  }
}

TEST_F(BoundedQueryOpsTest, StreamingPipelinesRefuseAJoinOfAnUpdatingInput) {
  auto p = sql::CompilePipeline(
      std::string(kDdl) +
          "CREATE TABLE out (name STRING, n BIGINT, PRIMARY KEY (name) NOT ENFORCED) WITH "
          "('connector' = 'kafka', 'topic' = 'out', 'format' = 'json');\n"
          "INSERT INTO out SELECT c.name, g.n FROM (SELECT customer, COUNT(*) AS n FROM orders "
          "GROUP BY customer) g JOIN customers c ON g.customer = c.id;",
      nullptr);
  ASSERT_TRUE(p.ok()) << p.status();
  auto plan = PlanPipeline(*p, {nullptr});
  ASSERT_FALSE(plan.ok());
  EXPECT_NE(std::string(plan.status().message()).find("JOIN of an updating input"),
            std::string::npos)
      << plan.status();
}

}  // namespace
}  // namespace kappa::engine
