// Pipelines: CREATE TABLE with computed columns and watermarks, views,
// window TVFs and window aggregates, unbounded aggregates with updates,
// INSERT mapping, Top-N / deduplication, and their errors.
#include "test_util.h"

namespace kappa::sql {
namespace {

using testing::PipelineError;
using testing::PipelinePlan;

const std::string kPayments =
    "CREATE TABLE payments (\n"
    "  id BIGINT, user_id BIGINT, amount DECIMAL(18, 2), currency STRING, ts TIMESTAMP(3),\n"
    "  WATERMARK FOR ts AS ts - INTERVAL '5' SECOND\n"
    ") WITH ('connector' = 'kafka', 'topic' = 'payments', 'format' = 'json');\n";

const std::string kRevenue =
    "CREATE TABLE revenue (\n"
    "  window_start TIMESTAMP(3), currency STRING, revenue DECIMAL(18, 2), payments BIGINT,\n"
    "  PRIMARY KEY (window_start, currency) NOT ENFORCED\n"
    ") WITH ('connector' = 'kafka', 'topic' = 'revenue', 'format' = 'json');\n";

TEST(Pipeline, IssueExampleTumblingWindow) {
  auto p = CompilePipeline(kPayments + kRevenue +
                               "SET 'parallelism' = '2';\n"
                               "INSERT INTO revenue\n"
                               "SELECT window_start, currency, SUM(amount), COUNT(*)\n"
                               "FROM TABLE(TUMBLE(TABLE payments, DESCRIPTOR(ts), INTERVAL '1' "
                               "MINUTE))\n"
                               "GROUP BY window_start, window_end, currency;",
                           nullptr);
  ASSERT_TRUE(p.ok()) << p.status();
  ASSERT_EQ(p->tables.size(), 2u);
  EXPECT_EQ(p->settings.at("parallelism"), "2");
  EXPECT_EQ(p->tables[0]->Option("topic"), "payments");
  EXPECT_EQ(p->tables[0]->rowtime, 4);
  EXPECT_EQ(p->tables[1]->primary_key, (std::vector<int>{0, 1}));
  ASSERT_EQ(p->inserts.size(), 1u);
  EXPECT_EQ(p->inserts[0].target->name, "revenue");
  EXPECT_EQ(p->inserts[0].query->schema, p->tables[1]->physical);
  EXPECT_EQ(p->inserts[0].query->ToString(),
            "Project window_start, currency, CAST(SUM(amount) AS DECIMAL(18, 2)) AS revenue, "
            "COUNT(*) AS payments\n"
            "  WindowAggregate keys=[5, 6, 3] aggs=[SUM(amount), COUNT(*)] window=[5, 6]\n"
            "    Window TUMBLE(ts, size=60000ms)\n"
            "      Watermark rowtime=ts watermark=ts - INTERVAL '5' SECOND\n"
            "        Scan payments\n");
  EXPECT_FALSE(p->inserts[0].query->updates);
}

TEST(Pipeline, WindowKinds) {
  auto plan = [](const std::string& window) {
    return PipelinePlan(kPayments +
                        "CREATE TABLE out (s TIMESTAMP(3), e TIMESTAMP(3), n BIGINT);\n"
                        "INSERT INTO out SELECT window_start, window_end, COUNT(*) FROM TABLE(" +
                        window + ") GROUP BY window_start, window_end");
  };
  EXPECT_NE(plan("HOP(TABLE payments, DESCRIPTOR(ts), INTERVAL '2' SECOND, INTERVAL '10' SECOND)")
                .find("Window HOP(ts, slide=2000ms, size=10000ms)"),
            std::string::npos);
  EXPECT_NE(plan("CUMULATE(TABLE payments, DESCRIPTOR(ts), INTERVAL '1' MINUTE, INTERVAL '1' "
                 "HOUR)")
                .find("Window CUMULATE(ts, step=60000ms, size=3600000ms)"),
            std::string::npos);
  EXPECT_NE(plan("SESSION(TABLE payments PARTITION BY user_id, DESCRIPTOR(ts), INTERVAL '30' "
                 "SECOND)")
                .find("Window SESSION(ts, gap=30000ms, partition=[1])"),
            std::string::npos);
  EXPECT_NE(plan("TUMBLE(TABLE payments, DESCRIPTOR(ts), INTERVAL '1' DAY, INTERVAL '-8' HOUR)")
                .find("Window TUMBLE(ts, size=86400000ms, offset=-28800000ms)"),
            std::string::npos);
  EXPECT_EQ(plan("HOP(TABLE payments, DESCRIPTOR(ts), INTERVAL '3' SECOND, INTERVAL '10' SECOND)")
                .substr(0, 66),
            "error: line 6, column 127: the window size must be a multiple of t");
}

TEST(Pipeline, WindowErrors) {
  std::string out = "CREATE TABLE out (n BIGINT);\n";
  EXPECT_EQ(PipelineError(kPayments + out +
                          "INSERT INTO out SELECT COUNT(*) FROM TABLE(TUMBLE(TABLE payments, "
                          "DESCRIPTOR(id), INTERVAL '1' MINUTE)) GROUP BY window_start, "
                          "window_end"),
            "line 6, column 78: DESCRIPTOR column 'id' must be TIMESTAMP(3) or TIMESTAMP_LTZ(3), "
            "found BIGINT\n"
            "INSERT INTO out SELECT COUNT(*) FROM TABLE(TUMBLE(TABLE payments, DESCRIPTOR(id), "
            "INTERVAL '1' MINUTE)) GROUP BY window_start, window_end\n"
            "                                                                             ^");
  EXPECT_EQ(PipelineError("CREATE TABLE p (ts TIMESTAMP(3));\n" + out +
                          "INSERT INTO out SELECT COUNT(*) FROM TABLE(TUMBLE(TABLE p, "
                          "DESCRIPTOR(ts), INTERVAL '1' MINUTE)) GROUP BY window_start, "
                          "window_end"),
            "line 3, column 71: DESCRIPTOR column 'ts' is not a time attribute (declare WATERMARK "
            "FOR ts in its table)\n"
            "INSERT INTO out SELECT COUNT(*) FROM TABLE(TUMBLE(TABLE p, DESCRIPTOR(ts), INTERVAL "
            "'1' MINUTE)) GROUP BY window_start, window_end\n"
            "                                                                      ^");
  EXPECT_EQ(PipelineError(kPayments + out +
                          "INSERT INTO out SELECT COUNT(*) FROM TABLE(TUMBLE(TABLE payments, "
                          "DESCRIPTOR(ts), INTERVAL '1' MINUTE)) GROUP BY window_start"),
            "line 6, column 114: an aggregate over a window TVF must GROUP BY window_start and "
            "window_end\n"
            "INSERT INTO out SELECT COUNT(*) FROM TABLE(TUMBLE(TABLE payments, DESCRIPTOR(ts), "
            "INTERVAL '1' MINUTE)) GROUP BY window_start\n"
            "                                                                                    "
            "                             ^");
  EXPECT_EQ(PipelineError(kPayments + out +
                          "INSERT INTO out SELECT COUNT(*) FROM TABLE(TUMBLE(TABLE payments, "
                          "DESCRIPTOR(ts), 5)) GROUP BY window_start, window_end"),
            "line 6, column 83: expected an INTERVAL literal for the window size\n"
            "INSERT INTO out SELECT COUNT(*) FROM TABLE(TUMBLE(TABLE payments, DESCRIPTOR(ts), 5)) "
            "GROUP BY window_start, window_end\n"
            "                                                                                  ^");
}

TEST(Pipeline, UnboundedAggregateNeedsPrimaryKey) {
  std::string by_user = "CREATE TABLE by_user (user_id BIGINT, total DECIMAL(38, 2), "
                        "PRIMARY KEY (user_id) NOT ENFORCED);\n";
  auto p = CompilePipeline(kPayments + by_user +
                               "INSERT INTO by_user SELECT user_id, SUM(amount) FROM payments "
                               "GROUP BY user_id HAVING COUNT(*) > 1",
                           nullptr);
  ASSERT_TRUE(p.ok()) << p.status();
  const Plan& plan = *p->inserts[0].query;
  EXPECT_TRUE(plan.updates);
  EXPECT_EQ(plan.ToString(),
            "Project user_id, SUM(amount) AS total [updates]\n"
            "  Filter COUNT(*) > 1 [updates]\n"
            "    Aggregate keys=[1] aggs=[SUM(amount), COUNT(*)] [updates]\n"
            "      Watermark rowtime=ts watermark=ts - INTERVAL '5' SECOND\n"
            "        Scan payments\n");
  EXPECT_EQ(plan.inputs[0]->inputs[0]->unique_key, std::vector<int>{0});
  EXPECT_EQ(PipelineError(kPayments +
                          "CREATE TABLE sink (user_id BIGINT, n BIGINT);\n"
                          "INSERT INTO sink SELECT user_id, COUNT(*) FROM payments GROUP BY "
                          "user_id"),
            "line 6, column 13: INSERT INTO sink: the query produces updates (an unbounded "
            "GROUP BY, an outer join or a Top-N) but 'sink' has no PRIMARY KEY; declare PRIMARY "
            "KEY (...) NOT ENFORCED\n"
            "INSERT INTO sink SELECT user_id, COUNT(*) FROM payments GROUP BY user_id\n"
            "            ^");
}

TEST(Pipeline, InsertMappingAndCasts) {
  std::string sink = "CREATE TABLE sink (a BIGINT, b STRING, c DECIMAL(20, 4), d DOUBLE);\n";
  EXPECT_EQ(PipelinePlan(kPayments + sink +
                         "INSERT INTO sink (b, a) SELECT currency, CAST(id AS INT) FROM payments"),
            "INSERT INTO sink\n"
            "  Project CAST(CAST(id AS INT) AS BIGINT) AS a, currency AS b, NULL AS c, NULL AS d\n"
            "    Watermark rowtime=ts watermark=ts - INTERVAL '5' SECOND\n"
            "      Scan payments\n");
  EXPECT_EQ(PipelineError(kPayments + sink +
                          "INSERT INTO sink SELECT id, id, amount, amount FROM payments"),
            "line 6, column 29: INSERT INTO sink: column 'b' is STRING but the query gives BIGINT\n"
            "INSERT INTO sink SELECT id, id, amount, amount FROM payments\n"
            "                            ^");
  EXPECT_EQ(PipelineError(kPayments + sink + "INSERT INTO sink SELECT id FROM payments"),
            "line 6, column 13: INSERT INTO sink: the query has 1 columns but the table has 4 (a "
            "BIGINT, b STRING, c DECIMAL(20, 4), d DOUBLE)\n"
            "INSERT INTO sink SELECT id FROM payments\n"
            "            ^");
  EXPECT_EQ(PipelineError(kPayments + sink + "INSERT INTO sink (a, zz) SELECT id, id FROM "
                                             "payments"),
            "line 6, column 22: column 'zz' not found in table 'sink'\n"
            "INSERT INTO sink (a, zz) SELECT id, id FROM payments\n"
            "                     ^");
  EXPECT_EQ(PipelineError(kPayments + "INSERT INTO nowhere SELECT id FROM payments"),
            "line 5, column 13: table 'nowhere' not found\n"
            "INSERT INTO nowhere SELECT id FROM payments\n"
            "            ^");
}

TEST(Pipeline, ComputedColumnsViewsAndRowtime) {
  std::string sql =
      "CREATE TABLE raw (event_type INT, bid ROW<price BIGINT, dateTime TIMESTAMP(3)>,\n"
      "  dateTime AS bid.dateTime, cents AS bid.price * 100,\n"
      "  WATERMARK FOR dateTime AS dateTime - INTERVAL '4' SECOND) WITH ('connector' = "
      "'kafka');\n"
      "CREATE VIEW bid AS SELECT bid.price, dateTime FROM raw WHERE event_type = 2;\n"
      "CREATE TABLE out (price BIGINT, n BIGINT);\n"
      "INSERT INTO out SELECT price, COUNT(*) FROM TABLE(TUMBLE(TABLE bid, DESCRIPTOR(dateTime), "
      "INTERVAL '10' SECOND)) GROUP BY price, window_start, window_end";
  auto p = CompilePipeline(sql, nullptr);
  ASSERT_TRUE(p.ok()) << p.status();
  const TableDef& raw = *p->tables[0];
  EXPECT_EQ(raw.physical.ToString(), "event_type INT, bid ROW<price BIGINT, dateTime TIMESTAMP(3)>");
  EXPECT_EQ(raw.schema.ToString(),
            "event_type INT, bid ROW<price BIGINT, dateTime TIMESTAMP(3)>, dateTime TIMESTAMP(3), "
            "cents BIGINT");
  EXPECT_EQ(raw.computed[0]->function, "FIELD");
  EXPECT_EQ(raw.computed[0]->column, 1);
  EXPECT_EQ(raw.rowtime, 2);
  EXPECT_EQ(p->inserts[0].query->ToString(),
            "Project price, COUNT(*) AS n\n"
            "  WindowAggregate keys=[0, 2, 3] aggs=[COUNT(*)] window=[2, 3]\n"
            "    Window TUMBLE(dateTime, size=10000ms)\n"
            "      Project bid.price AS price, dateTime\n"
            "        Filter event_type = 2\n"
            "          Watermark rowtime=dateTime watermark=dateTime - INTERVAL '4' SECOND\n"
            "            Project event_type, bid, bid.dateTime AS dateTime, bid.price * 100 AS "
            "cents\n"
            "              Scan raw\n");
}

TEST(Pipeline, CreateTableErrors) {
  EXPECT_EQ(PipelineError("CREATE TABLE t (a INT, WATERMARK FOR a AS a);"),
            "line 1, column 38: WATERMARK FOR column 'a' must be TIMESTAMP(3) or "
            "TIMESTAMP_LTZ(3), found INT\n"
            "CREATE TABLE t (a INT, WATERMARK FOR a AS a);\n"
            "                                     ^");
  EXPECT_EQ(PipelineError("CREATE TABLE t (a INT, PRIMARY KEY (b) NOT ENFORCED);"),
            "line 1, column 24: PRIMARY KEY column 'b' not found\n"
            "CREATE TABLE t (a INT, PRIMARY KEY (b) NOT ENFORCED);\n"
            "                       ^");
  EXPECT_EQ(PipelineError("CREATE TABLE t (a INT); CREATE TABLE t (b INT);"),
            "line 1, column 25: table 't' already exists\n"
            "CREATE TABLE t (a INT); CREATE TABLE t (b INT);\n"
            "                        ^");
  EXPECT_EQ(PipelineError("CREATE TABLE t (a INT, c AS a + x);"),
            "line 1, column 33: column 'x' not found (available: a)\n"
            "CREATE TABLE t (a INT, c AS a + x);\n"
            "                                ^");
  EXPECT_EQ(PipelineError("CREATE TABLE t (a INT);"),
            "line 1, column 24: a pipeline needs at least one INSERT INTO statement\n"
            "CREATE TABLE t (a INT);\n"
            "                       ^");
  EXPECT_EQ(PipelineError("CREATE TABLE t (a INT);\nSELECT a FROM t;"),
            "line 2, column 1: a pipeline writes its results with INSERT INTO; a bare SELECT is "
            "only allowed in queries\n"
            "SELECT a FROM t;\n"
            "^");
  EXPECT_EQ(PipelineError("CREATE TABLE t (ts TIMESTAMP(3));\nCREATE TABLE o (ts TIMESTAMP(3));\n"
                          "INSERT INTO o SELECT ts FROM t FOR VERSION AS OF 3"),
            "line 3, column 30: time travel (FOR SYSTEM_TIME AS OF / FOR VERSION AS OF) is only "
            "supported in queries, not in pipelines\n"
            "INSERT INTO o SELECT ts FROM t FOR VERSION AS OF 3\n"
            "                             ^");
}

TEST(Pipeline, IfNotExistsDropAndCtas) {
  auto p = CompilePipeline("CREATE TABLE t (a INT); CREATE TABLE IF NOT EXISTS t (b INT);\n"
                           "CREATE VIEW v AS SELECT a FROM t; DROP VIEW v; DROP TABLE IF EXISTS "
                           "zz;\n"
                           "CREATE TABLE copy WITH ('connector' = 'kafka') AS SELECT a * 2 AS "
                           "twice FROM t;",
                           nullptr);
  ASSERT_TRUE(p.ok()) << p.status();
  ASSERT_EQ(p->tables.size(), 2u);
  EXPECT_EQ(p->tables[1]->physical.ToString(), "twice INT");
  EXPECT_EQ(p->tables[1]->Option("connector"), "kafka");
  ASSERT_EQ(p->inserts.size(), 1u);
  EXPECT_EQ(PipelineError("CREATE TABLE t (a INT); DROP VIEW v;"),
            "line 1, column 25: view 'v' not found\n"
            "CREATE TABLE t (a INT); DROP VIEW v;\n"
            "                        ^");
}

TEST(Pipeline, OuterCatalogIsShadowedByTheFile) {
  MemoryCatalog outer;
  auto table = std::make_shared<TableDef>();
  table->name = "events";
  table->physical.Add({"id", columnar::DataType::Int64(), true});
  table->schema = table->physical;
  outer.AddTable(table);
  auto p = CompilePipeline("CREATE TABLE out (id BIGINT); INSERT INTO out SELECT id FROM events",
                           &outer);
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->inserts[0].query->inputs[0]->table, table);
  EXPECT_EQ(PipelineError("CREATE TABLE out (id BIGINT); INSERT INTO out SELECT id FROM events"),
            "line 1, column 62: table 'events' not found\n"
            "CREATE TABLE out (id BIGINT); INSERT INTO out SELECT id FROM events\n"
            "                                                             ^");
}

const std::string kBids =
    "CREATE TABLE bid (auction BIGINT, bidder BIGINT, price BIGINT, dateTime TIMESTAMP(3),\n"
    "  WATERMARK FOR dateTime AS dateTime - INTERVAL '4' SECOND);\n";

TEST(Pipeline, TopNWithRowNumber) {
  EXPECT_EQ(PipelinePlan(kBids +
                         "CREATE TABLE top (auction BIGINT, price BIGINT, rn BIGINT,\n"
                         "  PRIMARY KEY (auction, rn) NOT ENFORCED);\n"
                         "INSERT INTO top SELECT auction, price, rn FROM (\n"
                         "  SELECT *, ROW_NUMBER() OVER (PARTITION BY auction ORDER BY price DESC) "
                         "AS rn FROM bid)\n"
                         "WHERE rn <= 10"),
            "INSERT INTO top\n"
            "  Project auction, price, rn [updates]\n"
            "    Project auction, bidder, price, dateTime, rn [updates]\n"
            "      TopN partition=[0] order=[price DESC NULLS LAST] limit=10 rownum=rn "
            "[updates]\n"
            "        Watermark rowtime=dateTime watermark=dateTime - INTERVAL '4' SECOND\n"
            "          Scan bid\n");
}

TEST(Pipeline, DeduplicateOnRowtime) {
  EXPECT_EQ(PipelinePlan(kBids +
                         "CREATE TABLE last (auction BIGINT, bidder BIGINT, price BIGINT,\n"
                         "  PRIMARY KEY (auction, bidder) NOT ENFORCED);\n"
                         "INSERT INTO last SELECT auction, bidder, price FROM (\n"
                         "  SELECT *, ROW_NUMBER() OVER (PARTITION BY bidder, auction ORDER BY "
                         "dateTime DESC) AS rn FROM bid)\n"
                         "WHERE rn = 1"),
            "INSERT INTO last\n"
            "  Project auction, bidder, price [updates]\n"
            "    Project auction, bidder, price, dateTime, 1 AS rn [updates]\n"
            "      Deduplicate partition=[1, 0] order=[dateTime DESC NULLS LAST] keep=last "
            "[updates]\n"
            "        Watermark rowtime=dateTime watermark=dateTime - INTERVAL '4' SECOND\n"
            "          Scan bid\n");
  EXPECT_NE(PipelinePlan(kBids +
                         "CREATE TABLE first (auction BIGINT, PRIMARY KEY (auction) NOT ENFORCED);\n"
                         "INSERT INTO first SELECT auction FROM (SELECT auction, ROW_NUMBER() "
                         "OVER (PARTITION BY auction ORDER BY dateTime) AS rn FROM bid) WHERE "
                         "rn <= 1")
                .find("Deduplicate partition=[0] order=[dateTime ASC NULLS FIRST] keep=first"),
            std::string::npos);
}

TEST(Pipeline, RowNumberErrors) {
  std::string out = "CREATE TABLE o (auction BIGINT, PRIMARY KEY (auction) NOT ENFORCED);\n";
  EXPECT_EQ(PipelineError(kBids + out +
                          "INSERT INTO o SELECT auction FROM (SELECT auction, ROW_NUMBER() OVER "
                          "(ORDER BY price) AS rn FROM bid)"),
            "line 4, column 52: ROW_NUMBER() needs the enclosing query to filter the row number: "
            "WHERE rownum <= N (Top-N) or WHERE rownum = 1 (deduplication)\n"
            "INSERT INTO o SELECT auction FROM (SELECT auction, ROW_NUMBER() OVER (ORDER BY "
            "price) AS rn FROM bid)\n"
            "                                                   ^");
  EXPECT_EQ(PipelineError(kBids + out +
                          "INSERT INTO o SELECT auction FROM (SELECT auction, ROW_NUMBER() OVER "
                          "(ORDER BY price) AS rn FROM bid) WHERE rn = 3"),
            "line 4, column 109: unsupported: a row number filter = N other than 1 (use <= N)\n"
            "INSERT INTO o SELECT auction FROM (SELECT auction, ROW_NUMBER() OVER (ORDER BY "
            "price) AS rn FROM bid) WHERE rn = 3\n"
            "                                                                                    "
            "                        ^");
  EXPECT_EQ(PipelineError(kBids + out +
                          "INSERT INTO o SELECT ROW_NUMBER() OVER (ORDER BY price) FROM bid "
                          "WHERE price > 1"),
            "line 4, column 22: ROW_NUMBER() needs the enclosing query to filter the row number: "
            "WHERE rownum <= N (Top-N) or WHERE rownum = 1 (deduplication)\n"
            "INSERT INTO o SELECT ROW_NUMBER() OVER (ORDER BY price) FROM bid WHERE price > 1\n"
            "                     ^");
}

TEST(Pipeline, StreamingOrderByAndLimit) {
  std::string out = "CREATE TABLE o (price BIGINT, PRIMARY KEY (price) NOT ENFORCED);\n";
  EXPECT_EQ(PipelinePlan(kBids + out +
                         "INSERT INTO o SELECT price FROM bid ORDER BY price DESC LIMIT 3"),
            "INSERT INTO o\n"
            "  Project price [updates]\n"
            "    TopN partition=[] order=[price DESC NULLS LAST] limit=3 [updates]\n"
            "      Project price\n"
            "        Watermark rowtime=dateTime watermark=dateTime - INTERVAL '4' SECOND\n"
            "          Scan bid\n");
  EXPECT_EQ(PipelineError(kBids + out + "INSERT INTO o SELECT price FROM bid ORDER BY price"),
            "line 4, column 46: unsupported: ORDER BY without LIMIT in a streaming query (ORDER "
            "BY ... LIMIT n is a Top-N; bounded queries may sort)\n"
            "INSERT INTO o SELECT price FROM bid ORDER BY price\n"
            "                                             ^");
}

TEST(Pipeline, CascadedWindowAggregateAndJoin) {
  // Nexmark q5's shape: a window aggregate over a window aggregate's bounds,
  // joined back; no updates anywhere.
  auto p = CompilePipeline(
      kBids +
          "CREATE TABLE o (auction BIGINT, num BIGINT);\n"
          "INSERT INTO o SELECT A.auction, A.num FROM (\n"
          "  SELECT auction, COUNT(*) AS num, window_start AS s, window_end AS e\n"
          "  FROM TABLE(HOP(TABLE bid, DESCRIPTOR(dateTime), INTERVAL '2' SECOND, INTERVAL '10' "
          "SECOND))\n"
          "  GROUP BY auction, window_start, window_end) A\n"
          "JOIN (SELECT MAX(num) AS maxn, s, e FROM (\n"
          "  SELECT auction, COUNT(*) AS num, window_start AS s, window_end AS e\n"
          "  FROM TABLE(HOP(TABLE bid, DESCRIPTOR(dateTime), INTERVAL '2' SECOND, INTERVAL '10' "
          "SECOND))\n"
          "  GROUP BY auction, window_start, window_end) GROUP BY s, e) M\n"
          "ON A.s = M.s AND A.e = M.e AND A.num >= M.maxn",
      nullptr);
  ASSERT_TRUE(p.ok()) << p.status();
  const Plan& join = *p->inserts[0].query->inputs[0];
  EXPECT_EQ(join.kind, PlanKind::kJoin);
  EXPECT_FALSE(join.updates);
  EXPECT_EQ(join.left_keys, (std::vector<int>{2, 3}));
  EXPECT_EQ(join.right_keys, (std::vector<int>{1, 2}));
  EXPECT_EQ(join.predicate->text, "A.num >= M.maxn");
  EXPECT_EQ(join.inputs[1]->inputs[0]->kind, PlanKind::kWindowAggregate);
}

}  // namespace
}  // namespace kappa::sql
