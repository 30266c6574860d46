#include "sql/parser.h"

#include <gtest/gtest.h>

namespace kappa::sql {
namespace {

std::vector<ast::Statement> ParseOk(std::string_view sql) {
  auto r = ParseScript(sql);
  EXPECT_TRUE(r.ok()) << r.status();
  return r.ok() ? *r : std::vector<ast::Statement>{};
}

std::string ParseError(std::string_view sql) {
  auto r = ParseScript(sql);
  EXPECT_FALSE(r.ok());
  return r.ok() ? "" : std::string(r.status().message());
}

TEST(Lexer, TokensCommentsAndEscapes) {
  auto tokens = Lex("SELECT `a b`, 'it''s' -- note\n /* block */ 1.5e3 <> != x");
  ASSERT_TRUE(tokens.ok()) << tokens.status();
  ASSERT_EQ(tokens->size(), 9u);
  EXPECT_EQ((*tokens)[1].kind, TokenKind::kQuotedWord);
  EXPECT_EQ((*tokens)[1].text, "a b");
  EXPECT_EQ((*tokens)[3].text, "it's");
  EXPECT_EQ((*tokens)[4].kind, TokenKind::kFloat);
  EXPECT_EQ((*tokens)[5].text, "<>");
  EXPECT_EQ((*tokens)[6].text, "<>");
  EXPECT_EQ((*tokens)[7].kind, TokenKind::kWord);
  EXPECT_EQ((*tokens)[8].kind, TokenKind::kEnd);
}

TEST(Lexer, Errors) {
  EXPECT_EQ(Lex("SELECT 'abc").status().message(),
            "line 1, column 8: unterminated string literal: expected a closing '\n"
            "SELECT 'abc\n"
            "       ^");
  EXPECT_EQ(Lex("SELECT\n  a /* x").status().message(),
            "line 2, column 5: unterminated comment: expected '*/'\n"
            "  a /* x\n"
            "    ^");
  EXPECT_EQ(Lex("SELECT a ? b").status().message(),
            "line 1, column 10: unexpected character '?'\nSELECT a ? b\n         ^");
}

TEST(Parser, ExpectedExpressionAfterWhere) {
  EXPECT_EQ(ParseError("SELECT a\nFROM t\nWHERE FROM x"),
            "line 3, column 7: expected an expression after 'WHERE', found 'FROM'\n"
            "WHERE FROM x\n"
            "      ^");
}

TEST(Parser, ErrorAtEndOfInput) {
  EXPECT_EQ(ParseError("SELECT a FROM"),
            "line 1, column 14: expected a table name after 'FROM', found end of input\n"
            "SELECT a FROM\n"
            "             ^");
}

TEST(Parser, UnsupportedByName) {
  auto r = ParseScript("SELECT * FROM t MATCH_RECOGNIZE (PARTITION BY a)");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kUnimplemented);
  EXPECT_EQ(r.status().message(),
            "line 1, column 17: unsupported: MATCH_RECOGNIZE\n"
            "SELECT * FROM t MATCH_RECOGNIZE (PARTITION BY a)\n"
            "                ^");
  EXPECT_NE(ParseError("SELECT a FROM t UNION SELECT b FROM u").find("unsupported: UNION without ALL"),
            std::string::npos);
  EXPECT_NE(ParseError("SELECT SUM(a) OVER (ORDER BY b) FROM t")
                .find("unsupported: OVER aggregation (SUM(...) OVER ...)"),
            std::string::npos);
  EXPECT_NE(ParseError("SELECT a FROM t WHERE a IN (SELECT b FROM u)")
                .find("unsupported: IN (subquery)"),
            std::string::npos);
  EXPECT_NE(ParseError("SELECT a FROM t GROUP BY TUMBLE(ts, INTERVAL '1' MINUTE)")
                .find("unsupported: group window function TUMBLE in GROUP BY"),
            std::string::npos);
  EXPECT_NE(ParseError("CREATE TABLE t (a ARRAY<INT>)").find("unsupported: data type ARRAY"),
            std::string::npos);
}

TEST(Parser, CreateTable) {
  auto statements = ParseOk(R"(
    create table if not exists payments (
      id BIGINT NOT NULL, amount DECIMAL(18, 2), currency VARCHAR(3), code CHAR(2),
      ts TIMESTAMP(3), lts TIMESTAMP_LTZ(3), d DATE, ok BOOLEAN, n INTEGER, x DOUBLE,
      nested ROW<a INT, b ROW<c STRING>>, other ROW(p BIGINT),
      doubled AS amount * 2,
      WATERMARK FOR ts AS ts - INTERVAL '5' SECOND,
      PRIMARY KEY (id) NOT ENFORCED
    ) PARTITIONED BY (d) WITH ('Connector' = 'kafka', 'topic' = 'payments');
    SET 'parallelism' = '4';)");
  ASSERT_EQ(statements.size(), 2u);
  const ast::CreateTable& t = *statements[0].create_table;
  EXPECT_TRUE(t.if_not_exists);
  EXPECT_EQ(t.name, "payments");
  ASSERT_EQ(t.columns.size(), 13u);
  EXPECT_TRUE(t.columns[0].not_null);
  EXPECT_EQ(t.columns[1].type.ToString(), "DECIMAL(18, 2)");
  EXPECT_EQ(t.columns[2].type.ToString(), "STRING");
  EXPECT_EQ(t.columns[5].type.ToString(), "TIMESTAMP_LTZ(3)");
  EXPECT_EQ(t.columns[10].type.ToString(), "ROW<a INT, b ROW<c STRING>>");
  EXPECT_EQ(t.columns[11].type.ToString(), "ROW<p BIGINT>");
  EXPECT_NE(t.columns[12].computed, nullptr);
  EXPECT_EQ(t.watermark_column, "ts");
  EXPECT_EQ(t.primary_key, std::vector<std::string>{"id"});
  EXPECT_EQ(t.partitioned_by, std::vector<std::string>{"d"});
  ASSERT_EQ(t.options.size(), 2u);
  EXPECT_EQ(t.options[0].first, "connector");
  EXPECT_EQ(statements[1].key, "parallelism");
  EXPECT_EQ(statements[1].value, "4");
}

TEST(Parser, PrimaryKeyNeedsNotEnforced) {
  EXPECT_EQ(ParseError("CREATE TABLE t (a INT, PRIMARY KEY (a))"),
            "line 1, column 39: expected NOT ENFORCED (Flink does not enforce primary keys) "
            "after ')', found ')'\n"
            "CREATE TABLE t (a INT, PRIMARY KEY (a))\n"
            "                                      ^");
}

TEST(Parser, SelectClauses) {
  auto statements = ParseOk(
      "SELECT DISTINCT a AS x, b y, t.c, COUNT(*), COUNT(DISTINCT d) FROM t "
      "WHERE a > 1 GROUP BY a, b HAVING COUNT(*) > 2 ORDER BY x DESC NULLS LAST LIMIT 10 "
      "OFFSET 5");
  ASSERT_EQ(statements.size(), 1u);
  const ast::Query& q = *statements[0].query;
  const ast::Select& s = *q.select;
  EXPECT_TRUE(s.distinct);
  ASSERT_EQ(s.items.size(), 5u);
  EXPECT_EQ(s.items[0].alias, "x");
  EXPECT_EQ(s.items[1].alias, "y");
  EXPECT_EQ(s.items[2].expr->names, (std::vector<std::string>{"t", "c"}));
  EXPECT_TRUE(s.items[3].expr->star);
  EXPECT_TRUE(s.items[4].expr->distinct);
  EXPECT_EQ(s.group_by.size(), 2u);
  ASSERT_NE(s.having, nullptr);
  ASSERT_EQ(q.order_by.size(), 1u);
  EXPECT_FALSE(q.order_by[0].ascending);
  EXPECT_EQ(q.order_by[0].nulls_first, false);
  EXPECT_EQ(q.limit, 10);
  EXPECT_EQ(q.offset, 5);
}

TEST(Parser, FromJoinsWindowsTimeTravel) {
  auto statements = ParseOk(
      "SELECT * FROM a LEFT JOIN b ON a.id = b.id, c FULL OUTER JOIN d ON c.k = d.k;"
      "SELECT * FROM TABLE(HOP(TABLE bids, DESCRIPTOR(ts), INTERVAL '2' SECOND, "
      "INTERVAL '10' SECOND)) w;"
      "SELECT * FROM TABLE(SESSION(TABLE bids PARTITION BY bidder, DESCRIPTOR(ts), "
      "INTERVAL '10' SECONDS));"
      "SELECT * FROM t FOR SYSTEM_TIME AS OF TIMESTAMP '2024-01-01 00:00:00' AS x;"
      "SELECT * FROM t FOR VERSION AS OF 42");
  ASSERT_EQ(statements.size(), 5u);
  const ast::TableRef& from = *statements[0].query->select->from;
  EXPECT_TRUE(from.comma);
  EXPECT_EQ(from.left->join, JoinKind::kLeft);
  EXPECT_EQ(from.right->join, JoinKind::kFull);
  const ast::TableRef& hop = *statements[1].query->select->from;
  EXPECT_EQ(hop.kind, ast::TableRefKind::kWindow);
  EXPECT_EQ(hop.window, WindowKind::kHop);
  EXPECT_EQ(hop.descriptor, "ts");
  EXPECT_EQ(hop.window_args[1]->interval_ms, 10000);
  EXPECT_EQ(hop.alias, "w");
  const ast::TableRef& session = *statements[2].query->select->from;
  EXPECT_EQ(session.window_partition.size(), 1u);
  const ast::TableRef& travel = *statements[3].query->select->from;
  EXPECT_EQ(travel.as_of->literal, ast::LiteralKind::kTimestamp);
  EXPECT_EQ(travel.alias, "x");
  EXPECT_EQ(statements[4].query->select->from->version, 42);
}

TEST(Parser, ExpressionForms) {
  auto statements = ParseOk(
      "SELECT CASE WHEN a THEN 1 ELSE 2 END, CASE a WHEN 1 THEN 'x' END, CAST(a AS BIGINT), "
      "SUBSTRING(s FROM 2 FOR 3), SUBSTRING(s, 2), TRIM(LEADING 'x' FROM s), TRIM(s), "
      "EXTRACT(HOUR FROM ts), FLOOR(ts TO MINUTE), CEIL(x), a NOT IN (1, 2), "
      "a NOT BETWEEN 1 AND 2, s NOT LIKE 'a%' ESCAPE '!', a IS NOT NULL, b IS TRUE, "
      "INTERVAL '1:30' HOUR TO MINUTE, INTERVAL '1.5' SECOND, DATE '2024-01-02', "
      "s || 'x', -a, NOT b, POSITION('a' IN s), CURRENT_TIMESTAMP");
  const auto& items = statements[0].query->select->items;
  ASSERT_EQ(items.size(), 23u);
  EXPECT_EQ(items[0].expr->kind, ast::ExprKind::kCase);
  EXPECT_NE(items[1].expr->operand, nullptr);
  EXPECT_EQ(items[2].expr->type.ToString(), "BIGINT");
  EXPECT_EQ(items[3].expr->args.size(), 3u);
  EXPECT_EQ(items[4].expr->args.size(), 2u);
  EXPECT_EQ(items[5].expr->args[1]->value, "LEADING");
  EXPECT_EQ(items[5].expr->args.size(), 3u);
  EXPECT_EQ(items[6].expr->args[1]->value, "BOTH");
  EXPECT_EQ(items[7].expr->args[0]->value, "HOUR");
  EXPECT_EQ(items[8].expr->op, "FLOOR_TO");
  EXPECT_EQ(items[9].expr->op, "CEIL");
  EXPECT_TRUE(items[10].expr->negated);
  EXPECT_TRUE(items[11].expr->negated);
  EXPECT_EQ(items[12].expr->args.size(), 3u);
  EXPECT_TRUE(items[13].expr->negated);
  EXPECT_EQ(items[14].expr->op, "TRUE");
  EXPECT_EQ(items[15].expr->interval_ms, 90 * 60 * 1000);
  EXPECT_EQ(items[16].expr->interval_ms, 1500);
  EXPECT_EQ(items[17].expr->literal, ast::LiteralKind::kDate);
  EXPECT_EQ(items[18].expr->op, "||");
  EXPECT_EQ(items[19].expr->op, "-");
  EXPECT_EQ(items[20].expr->op, "NOT");
  EXPECT_EQ(items[21].expr->op, "POSITION");
  EXPECT_EQ(items[22].expr->op, "CURRENT_TIMESTAMP");
}

TEST(Parser, PrecedenceAndSpans) {
  auto statements = ParseOk("SELECT a + b * c = d OR NOT e AND f FROM t");
  const ast::Expr& e = *statements[0].query->select->items[0].expr;
  EXPECT_EQ(e.op, "OR");
  EXPECT_EQ(e.args[0]->op, "=");
  EXPECT_EQ(e.args[0]->args[0]->op, "+");
  EXPECT_EQ(e.args[0]->args[0]->args[1]->op, "*");
  EXPECT_EQ(e.args[1]->op, "AND");
  EXPECT_EQ(e.args[1]->args[0]->op, "NOT");
  EXPECT_EQ(e.args[0]->pos, 7u);
  EXPECT_EQ(e.args[0]->end, 20u);
}

TEST(Parser, RowNumberAndFilter) {
  auto statements = ParseOk(
      "SELECT * FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY a ORDER BY ts DESC) AS rn "
      "FROM t) WHERE rn <= 3;"
      "SELECT COUNT(*) FILTER (WHERE price < 10) FROM bid");
  const ast::Select& inner = *statements[0].query->select->from->query->select;
  const ast::Expr& rn = *inner.items[1].expr;
  EXPECT_EQ(rn.kind, ast::ExprKind::kRowNumber);
  EXPECT_EQ(rn.partition_by.size(), 1u);
  EXPECT_FALSE(rn.order_by[0].ascending);
  EXPECT_NE(statements[1].query->select->items[0].expr->filter, nullptr);
}

TEST(Parser, StatementsInsertViewExplainDrop) {
  auto statements = ParseOk(
      "CREATE VIEW v AS SELECT a FROM t; INSERT INTO s (x, y) SELECT a, b FROM v;"
      "EXPLAIN SELECT 1; DROP TABLE IF EXISTS t; DROP VIEW v;"
      "WITH w AS (SELECT a FROM t) SELECT a FROM w UNION ALL SELECT a FROM t");
  ASSERT_EQ(statements.size(), 6u);
  EXPECT_EQ(statements[0].create_view->name, "v");
  EXPECT_EQ(statements[1].insert->columns.size(), 2u);
  EXPECT_EQ(statements[2].explained->kind, ast::StatementKind::kQuery);
  EXPECT_TRUE(statements[3].if_exists);
  EXPECT_TRUE(statements[4].drop_view);
  EXPECT_EQ(statements[5].query->with.size(), 1u);
  EXPECT_NE(statements[5].query->left->right, nullptr);
}

TEST(Parser, MissingSemicolon) {
  EXPECT_EQ(ParseError("SET 'a' = 'b' SET 'c' = 'd'"),
            "line 1, column 15: expected ';' or the end of the statement after 'b', found "
            "'SET'\nSET 'a' = 'b' SET 'c' = 'd'\n              ^");
}

TEST(Parser, DeepNestingIsAnErrorNotACrash) {
  std::string sql = "SELECT " + std::string(5000, '(') + "1" + std::string(5000, ')');
  EXPECT_NE(ParseError(sql).find("nested too deeply"), std::string::npos);
  std::string unary = "SELECT 1";
  for (int i = 0; i < 5000; ++i) unary.insert(7, "- ");
  EXPECT_NE(ParseError(unary).find("nested too deeply"), std::string::npos);
}

}  // namespace
}  // namespace kappa::sql

namespace kappa::sql {
namespace {

TEST(Parser, LongChainsAreBounded) {
  std::string sum = "SELECT 1";
  for (int i = 0; i < 5000; ++i) sum += " + 1";
  EXPECT_NE(ParseError(sum).find("nested too deeply"), std::string::npos);
  std::string unions = "SELECT 1";
  for (int i = 0; i < 1500; ++i) unions += " UNION ALL SELECT 1";
  EXPECT_NE(ParseError(unions).find("too many UNION ALL terms"), std::string::npos);
  std::string joins = "SELECT 1 FROM t0";
  for (int i = 0; i < 1500; ++i) joins += ", t";
  EXPECT_NE(ParseError(joins).find("too many tables in FROM"), std::string::npos);
  EXPECT_NE(ParseError("SELECT INTERVAL '99999999999999' DAY").find("invalid INTERVAL value"),
            std::string::npos);
}

}  // namespace
}  // namespace kappa::sql
