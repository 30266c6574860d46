// Bounded queries: plans and result schemas of every clause.
#include "test_util.h"

namespace kappa::sql {
namespace {

using testing::EmptyCatalog;
using testing::kTableT;
using testing::QueryError;
using testing::QueryPlan;

std::string Schema(const std::string& sql) {
  auto q = CompileQuery(std::string(kTableT) + sql, EmptyCatalog());
  return q.ok() ? q->schema.ToString() : "error: " + std::string(q.status().message());
}

TEST(Query, ProjectionNamesAsFlink) {
  EXPECT_EQ(Schema("SELECT i, b AS bee, i + 1, t.s, r.a, COUNT(*) FROM t GROUP BY i, b, s, r.a"),
            "i INT, bee BIGINT, EXPR$2 INT, s STRING, a INT, EXPR$5 BIGINT NOT NULL");
  EXPECT_EQ(Schema("SELECT i, i FROM t"), "i INT, i0 INT");
  EXPECT_EQ(Schema("SELECT * FROM t").substr(0, 34), "i INT, b BIGINT, d DECIMAL(10, 2),");
}

TEST(Query, FilterAndProject) {
  EXPECT_EQ(QueryPlan("SELECT s, d * 2 AS twice FROM t WHERE i > 1 AND s LIKE 'a%'"),
            "Project s, d * 2 AS twice\n"
            "  Filter i > 1 AND s LIKE 'a%'\n"
            "    Scan t\n");
}

TEST(Query, SelectWithoutFrom) {
  EXPECT_EQ(QueryPlan("SELECT 1 + 1 AS two"), "Project 1 + 1 AS two\n  Values rows=1\n");
}

TEST(Query, GroupByHavingOrderLimit) {
  EXPECT_EQ(QueryPlan("SELECT s, SUM(d) AS total FROM t GROUP BY s HAVING COUNT(*) > 1 "
                      "ORDER BY total DESC LIMIT 10 OFFSET 5"),
            "Limit 10 offset 5\n"
            "  Sort total DESC NULLS LAST\n"
            "    Project s, SUM(d) AS total\n"
            "      Filter COUNT(*) > 1\n"
            "        Aggregate keys=[5] aggs=[SUM(d), COUNT(*)]\n"
            "          Scan t\n");
}

TEST(Query, GroupByExpressionAndGlobalAggregate) {
  EXPECT_EQ(QueryPlan("SELECT UPPER(s), COUNT(*) FROM t GROUP BY UPPER(s)"),
            "Project UPPER(s) AS EXPR$0, COUNT(*) AS EXPR$1\n"
            "  Aggregate keys=[11] aggs=[COUNT(*)]\n"
            "    Project i, b, d, e, x, s, ts, lts, dt, ok, r, UPPER(s) AS $group0\n"
            "      Scan t\n");
  EXPECT_EQ(QueryPlan("SELECT MAX(i), MIN(i) FROM t"),
            "Project MAX(i) AS EXPR$0, MIN(i) AS EXPR$1\n"
            "  Aggregate keys=[] aggs=[MAX(i), MIN(i)]\n"
            "    Scan t\n");
}

TEST(Query, AggregateFilterClause) {
  EXPECT_EQ(QueryPlan("SELECT COUNT(*) FILTER (WHERE i > 1) AS n FROM t"),
            "Project COUNT(*) FILTER (WHERE i > 1) AS n\n"
            "  Aggregate keys=[] aggs=[COUNT(*) FILTER (WHERE i > 1)]\n"
            "    Scan t\n");
}

TEST(Query, NotGrouped) {
  EXPECT_EQ(QueryError(std::string(kTableT) + "SELECT s, i FROM t GROUP BY s"),
            "line 2, column 11: expression 'i' is not being grouped (add it to GROUP BY or use "
            "an aggregate function)\n"
            "SELECT s, i FROM t GROUP BY s\n"
            "          ^");
  EXPECT_EQ(QueryError(std::string(kTableT) + "SELECT i FROM t WHERE COUNT(*) > 1"),
            "line 2, column 23: aggregate functions are not allowed in WHERE (use HAVING)\n"
            "SELECT i FROM t WHERE COUNT(*) > 1\n"
            "                      ^");
  EXPECT_EQ(QueryError(std::string(kTableT) + "SELECT SUM(COUNT(*)) FROM t"),
            "line 2, column 12: aggregate function COUNT cannot be nested in another aggregate\n"
            "SELECT SUM(COUNT(*)) FROM t\n"
            "           ^");
}

TEST(Query, Distinct) {
  EXPECT_EQ(QueryPlan("SELECT DISTINCT s FROM t"),
            "Aggregate keys=[0] aggs=[]\n"
            "  Project s\n"
            "    Scan t\n");
}

TEST(Query, OrderByHiddenColumnOrdinalAndNulls) {
  EXPECT_EQ(QueryPlan("SELECT s FROM t ORDER BY i ASC NULLS LAST, 1"),
            "Project s\n"
            "  Sort i ASC NULLS LAST, s ASC NULLS FIRST\n"
            "    Project s, i AS $order1\n"
            "      Scan t\n");
}

TEST(Query, JoinsWithKeysAndPushDown) {
  std::string ddl = std::string(kTableT) +
                    "CREATE TABLE u (id BIGINT, name STRING, w DECIMAL(5, 1));\n";
  auto plan = [&](const std::string& sql) {
    auto q = CompileQuery(ddl + sql, EmptyCatalog());
    return q.ok() ? q->plan->ToString() : "error: " + std::string(q.status().message());
  };
  EXPECT_EQ(plan("SELECT t.s, u.name FROM t JOIN u ON t.b = u.id AND t.d > u.w"),
            "Project t.s AS s, u.name AS name\n"
            "  Join INNER keys=[1=0] on=t.d > u.w\n"
            "    Scan t\n"
            "    Scan u\n");
  EXPECT_EQ(plan("SELECT s, name FROM t, u WHERE t.b = u.id AND i > 0 AND name <> 'x'"),
            "Project s, name\n"
            "  Join INNER keys=[1=0]\n"
            "    Filter i > 0\n"
            "      Scan t\n"
            "    Filter name <> 'x'\n"
            "      Scan u\n");
  EXPECT_EQ(plan("SELECT * FROM t LEFT JOIN u ON t.i = u.id").substr(0, 28),
            "Project i, b, d, e, x, s, ts");
  EXPECT_NE(plan("SELECT * FROM t LEFT JOIN u ON t.i = u.id").find(
                "Join LEFT keys=[11=0]\n      Project i, b, d, e, x, s, ts, lts, dt, ok, r, "
                "CAST(t.i AS BIGINT) AS $key0\n"),
            std::string::npos);
  EXPECT_NE(plan("SELECT * FROM t FULL OUTER JOIN u ON t.b = u.id").find("Join FULL keys=[1=0]"),
            std::string::npos);
  EXPECT_NE(plan("SELECT * FROM t RIGHT JOIN u ON t.b = u.id").find("Join RIGHT keys=[1=0]"),
            std::string::npos);
  EXPECT_EQ(plan("SELECT name FROM t JOIN u ON b = id WHERE s = 'a'").substr(0, 200),
            "Project name\n"
            "  Join INNER keys=[1=0]\n"
            "    Filter s = 'a'\n"
            "      Scan t\n"
            "    Scan u\n");
  EXPECT_EQ(plan("SELECT u.id FROM t JOIN u ON b = id JOIN u AS v ON v.id = u.id").substr(0, 70),
            "Project u.id AS id\n  Join INNER keys=[11=0]\n    Join INNER keys=[1=0]\n");
}

// ORDER BY over a join: qualified names (a.id and b.id share the output name
// "id"), select-item aliases, and expressions over the FROM scope that are
// not in the select list (hidden sort keys), next to ordinals.
TEST(Query, OrderByQualifiedNamesAliasesAndHiddenKeysOverAJoin) {
  std::string ddl = "CREATE TABLE t1 (id BIGINT, v STRING);\n"
                    "CREATE TABLE t2 (id BIGINT, w STRING);\n";
  auto plan = [&](const std::string& sql) {
    auto q = CompileQuery(ddl + sql, EmptyCatalog());
    return q.ok() ? q->plan->ToString() : "error: " + std::string(q.status().message());
  };
  const std::string join = "FROM t1 a JOIN t2 b ON a.id = b.id ";
  const std::string tail =
      "  Project a.id AS id, b.id AS id0\n"
      "    Join INNER keys=[0=0]\n"
      "      Scan t1\n"
      "      Scan t2\n";
  EXPECT_EQ(plan("SELECT a.id, b.id " + join + "ORDER BY 1, 2"),
            "Sort id ASC NULLS FIRST, id0 ASC NULLS FIRST\n" + tail);
  EXPECT_EQ(plan("SELECT a.id, b.id " + join + "ORDER BY a.id"),
            "Sort id ASC NULLS FIRST\n" + tail);
  EXPECT_EQ(plan("SELECT a.id, b.id " + join + "ORDER BY b.id DESC, a.id"),
            "Sort id0 DESC NULLS LAST, id ASC NULLS FIRST\n" + tail);
  // An alias of a select item, alone and inside an expression's FROM-scope twin.
  EXPECT_EQ(plan("SELECT a.id AS k, b.w " + join + "ORDER BY k DESC"),
            "Sort k DESC NULLS LAST\n"
            "  Project a.id AS k, b.w AS w\n"
            "    Join INNER keys=[0=0]\n"
            "      Scan t1\n"
            "      Scan t2\n");
  // Not in the select list: a hidden key, trimmed after the sort.
  EXPECT_EQ(plan("SELECT a.id " + join + "ORDER BY b.w, a.v"),
            "Project id\n"
            "  Sort b.w ASC NULLS FIRST, a.v ASC NULLS FIRST\n"
            "    Project a.id AS id, b.w AS $order1, a.v AS $order2\n"
            "      Join INNER keys=[0=0]\n"
            "        Scan t1\n"
            "        Scan t2\n");
  EXPECT_EQ(plan("SELECT a.id " + join + "ORDER BY a.id + b.id DESC"),
            "Project id\n"
            "  Sort a.id + b.id DESC NULLS LAST\n"
            "    Project a.id AS id, a.id + b.id AS $order1\n"
            "      Join INNER keys=[0=0]\n"
            "        Scan t1\n"
            "        Scan t2\n");
  // An unqualified name both sides have stays ambiguous.
  EXPECT_NE(plan("SELECT a.v " + join + "ORDER BY id").find("ambiguous"), std::string::npos);
  // The same under WITH, where the parser hangs ORDER BY on the outer query.
  EXPECT_EQ(plan("WITH c AS (SELECT id, v FROM t1) SELECT a.id, b.id FROM c a JOIN c b "
                 "ON a.v = b.v ORDER BY b.id DESC, a.id LIMIT 5"),
            "Limit 5 offset 0\n"
            "  Sort id0 DESC NULLS LAST, id ASC NULLS FIRST\n"
            "    Project a.id AS id, b.id AS id0\n"
            "      Join INNER keys=[1=1]\n"
            "        Project id, v\n"
            "          Scan t1\n"
            "        Project id, v\n"
            "          Scan t1\n");
  EXPECT_EQ(plan("WITH c AS (SELECT id, v FROM t1) SELECT a.id AS k FROM c a JOIN c b "
                 "ON a.v = b.v ORDER BY b.id, k"),
            "Project k\n"
            "  Sort b.id ASC NULLS FIRST, k ASC NULLS FIRST\n"
            "    Project a.id AS k, b.id AS $order1\n"
            "      Join INNER keys=[1=1]\n"
            "        Project id, v\n"
            "          Scan t1\n"
            "        Project id, v\n"
            "          Scan t1\n");
  // A UNION ALL still sorts by its output names.
  EXPECT_EQ(plan("WITH c AS (SELECT id FROM t1) SELECT id FROM c UNION ALL SELECT id FROM t2 "
                 "ORDER BY id").substr(0, 34),
            "Sort id ASC NULLS FIRST\n  UnionAll");
}

TEST(Query, JoinErrors) {
  std::string ddl = std::string(kTableT) + "CREATE TABLE u (i INT, s STRING);\n";
  EXPECT_EQ(QueryError(ddl + "SELECT s FROM t JOIN u ON t.i = u.i"),
            "line 3, column 8: column 's' is ambiguous (qualify it with a table name)\n"
            "SELECT s FROM t JOIN u ON t.i = u.i\n"
            "       ^");
  EXPECT_EQ(QueryError(ddl + "SELECT 1 FROM t JOIN t ON t.i = t.i"),
            "line 3, column 22: 't' is used twice in FROM; give one an alias\n"
            "SELECT 1 FROM t JOIN t ON t.i = t.i\n"
            "                     ^");
  EXPECT_EQ(QueryError(ddl + "SELECT 1 FROM t JOIN u ON t.s = u.i"),
            "line 3, column 27: cannot compare STRING and INT\n"
            "SELECT 1 FROM t JOIN u ON t.s = u.i\n"
            "                          ^");
}

TEST(Query, UnionAllWithCommonTypes) {
  EXPECT_EQ(QueryPlan("SELECT i AS v FROM t UNION ALL SELECT b FROM t"),
            "UnionAll\n"
            "  Project CAST(v AS BIGINT) AS v\n"
            "    Project i AS v\n"
            "      Scan t\n"
            "  Project b\n"
            "    Scan t\n");
  EXPECT_EQ(QueryError(std::string(kTableT) + "SELECT s FROM t UNION ALL SELECT i FROM t"),
            "line 2, column 27: UNION ALL column 1 ('s') is STRING on the left and INT on the "
            "right\n"
            "SELECT s FROM t UNION ALL SELECT i FROM t\n"
            "                          ^");
}

TEST(Query, WithClause) {
  EXPECT_EQ(QueryPlan("WITH big AS (SELECT s FROM t WHERE i > 10) SELECT big.s FROM big "
                      "ORDER BY s LIMIT 3"),
            "Limit 3 offset 0\n"
            "  Sort s ASC NULLS FIRST\n"
            "    Project big.s AS s\n"
            "      Project s\n"
            "        Filter i > 10\n"
            "          Scan t\n");
}

TEST(Query, TimeTravelSetsScanOptions) {
  EXPECT_EQ(QueryPlan("SELECT i FROM t FOR VERSION AS OF 42"),
            "Project i\n  Scan t snapshot-id=42\n");
  EXPECT_EQ(QueryPlan("SELECT i FROM t FOR SYSTEM_TIME AS OF TIMESTAMP '2024-01-01 00:00:01'"),
            "Project i\n  Scan t as-of-timestamp=1704067201000\n");
  EXPECT_EQ(QueryError(std::string(kTableT) +
                       "SELECT 1 FROM t AS a JOIN t FOR SYSTEM_TIME AS OF a.ts AS b ON a.i = b.i"),
            "line 2, column 51: unsupported: temporal joins (FOR SYSTEM_TIME AS OF needs a "
            "TIMESTAMP literal)\n"
            "SELECT 1 FROM t AS a JOIN t FOR SYSTEM_TIME AS OF a.ts AS b ON a.i = b.i\n"
            "                                                  ^");
}

TEST(Query, TopNAndDedupInBoundedQuery) {
  EXPECT_EQ(QueryPlan("SELECT s, i FROM (SELECT s, i, ROW_NUMBER() OVER (PARTITION BY s ORDER "
                      "BY i DESC) AS rn FROM t) WHERE rn <= 3"),
            "Project s, i\n"
            "  Project s, i\n"
            "    TopN partition=[5] order=[i DESC NULLS LAST] limit=3\n"
            "      Scan t\n");
}

TEST(Query, ExplainAndErrors) {
  auto q = CompileQuery(std::string(kTableT) + "EXPLAIN SELECT i FROM t", EmptyCatalog());
  ASSERT_TRUE(q.ok()) << q.status();
  EXPECT_TRUE(q->explain);
  EXPECT_EQ(q->explain_text, "Project i\n  Scan t\nSchema: i INT\n");
  EXPECT_EQ(QueryError("SELECT a FROM missing"),
            "line 1, column 15: table 'missing' not found\n"
            "SELECT a FROM missing\n"
            "              ^");
  EXPECT_EQ(QueryError(std::string(kTableT) + "SELECT nope FROM t"),
            "line 2, column 8: column 'nope' not found (available: t.i, t.b, t.d, t.e, t.x, t.s, "
            "t.ts, t.lts, t.dt, t.ok, t.r)\n"
            "SELECT nope FROM t\n"
            "       ^");
  EXPECT_EQ(QueryError(std::string(kTableT) + "SELECT FOO(i) FROM t"),
            "line 2, column 8: unsupported function FOO\n"
            "SELECT FOO(i) FROM t\n"
            "       ^");
  EXPECT_EQ(QueryError(std::string(kTableT) + "SELECT 1 FROM t; SELECT 2 FROM t"),
            "line 2, column 18: a query is one SELECT; nothing may follow it\n"
            "SELECT 1 FROM t; SELECT 2 FROM t\n"
            "                 ^");
  EXPECT_EQ(QueryError(std::string(kTableT) + "INSERT INTO t SELECT * FROM t"),
            "line 2, column 1: INSERT INTO belongs in a pipeline, not in a query\n"
            "INSERT INTO t SELECT * FROM t\n"
            "^");
}

}  // namespace
}  // namespace kappa::sql
