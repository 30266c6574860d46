// The function signature table: canonical names, result types, argument
// checks, and the errors for unknown functions and wrong arguments.
#include "sql/functions.h"

#include "test_util.h"

namespace kappa::sql {
namespace {

using testing::kTableT;
using testing::TypeOf;

// The canonical function name and argument count of `expr` selected from t.
std::string Canonical(const std::string& expr) {
  auto q = CompileQuery(std::string(kTableT) + "SELECT " + expr + " FROM t",
                        testing::EmptyCatalog());
  if (!q.ok()) return "error: " + std::string(q.status().message());
  const Expr& e = *q->plan->exprs[0];
  return e.function + "/" + std::to_string(e.args.size());
}

TEST(Functions, StringFunctions) {
  EXPECT_EQ(TypeOf("UPPER(s)"), "STRING");
  EXPECT_EQ(TypeOf("LOWER('A')"), "STRING NOT NULL");
  EXPECT_EQ(TypeOf("CHAR_LENGTH(s)"), "INT");
  EXPECT_EQ(Canonical("CHARACTER_LENGTH(s)"), "CHAR_LENGTH/1");
  EXPECT_EQ(Canonical("SUBSTRING(s FROM 2 FOR 3)"), "SUBSTRING/3");
  EXPECT_EQ(Canonical("SUBSTR(s, 2)"), "SUBSTRING/2");
  EXPECT_EQ(Canonical("CONCAT(s, 'a', s)"), "CONCAT/3");
  EXPECT_EQ(Canonical("s || 'a'"), "CONCAT/2");
  EXPECT_EQ(Canonical("TRIM(s)"), "TRIM/2");
  EXPECT_EQ(Canonical("TRIM(TRAILING 'x' FROM s)"), "TRIM/3");
  EXPECT_EQ(Canonical("LTRIM(s)"), "TRIM/2");
  EXPECT_EQ(Canonical("POSITION('a' IN s)"), "POSITION/2");
  EXPECT_EQ(TypeOf("REGEXP_EXTRACT(s, '(a)', 1)"), "STRING");
  EXPECT_EQ(TypeOf("SPLIT_INDEX(s, '/', 3)"), "STRING");
  EXPECT_EQ(TypeOf("REPLACE(s, 'a', 'b')"), "STRING");
}

TEST(Functions, TemporalFunctions) {
  EXPECT_EQ(TypeOf("DATE_FORMAT(ts, 'yyyy-MM-dd')"), "STRING");
  EXPECT_EQ(TypeOf("EXTRACT(HOUR FROM ts)"), "BIGINT");
  EXPECT_EQ(Canonical("HOUR(ts)"), "EXTRACT/2");
  EXPECT_EQ(Canonical("DAYOFMONTH(dt)"), "EXTRACT/2");
  EXPECT_EQ(TypeOf("FLOOR(ts TO MINUTE)"), "TIMESTAMP(3)");
  EXPECT_EQ(Canonical("CEIL(ts TO HOUR)"), "CEIL_TO/2");
  EXPECT_EQ(TypeOf("TO_TIMESTAMP(s)"), "TIMESTAMP(3)");
  EXPECT_EQ(TypeOf("TO_TIMESTAMP(s, 'yyyy')"), "TIMESTAMP(3)");
  EXPECT_EQ(TypeOf("TO_TIMESTAMP_LTZ(b, 3)"), "TIMESTAMP_LTZ(3)");
  EXPECT_EQ(TypeOf("UNIX_TIMESTAMP()"), "BIGINT NOT NULL");
  EXPECT_EQ(TypeOf("UNIX_TIMESTAMP(s)"), "BIGINT");
  EXPECT_EQ(TypeOf("CURRENT_TIMESTAMP"), "TIMESTAMP_LTZ(3) NOT NULL");
  EXPECT_EQ(Canonical("NOW()"), "CURRENT_TIMESTAMP/0");
}

TEST(Functions, NumericFunctions) {
  EXPECT_EQ(TypeOf("ABS(d)"), "DECIMAL(10, 2)");
  EXPECT_EQ(TypeOf("ROUND(d, 1)"), "DECIMAL(10, 1)");
  EXPECT_EQ(TypeOf("ROUND(d)"), "DECIMAL(9, 0)");
  EXPECT_EQ(TypeOf("ROUND(x, 2)"), "DOUBLE");
  EXPECT_EQ(TypeOf("FLOOR(d)"), "DECIMAL(9, 0)");
  EXPECT_EQ(TypeOf("CEIL(i)"), "INT");
  EXPECT_EQ(TypeOf("POWER(i, 2)"), "DOUBLE");
  EXPECT_EQ(Canonical("MOD(i, 3)"), "%/2");
  EXPECT_EQ(Canonical("NULLIF(i, 0)"), "CASE/3");
  EXPECT_EQ(Canonical("IFNULL(s, 'x')"), "COALESCE/2");
  EXPECT_EQ(TypeOf("GREATEST(i, b, 3)"), "BIGINT");
}

TEST(Functions, ArgumentErrors) {
  EXPECT_EQ(TypeOf("UPPER(i)"),
            "error: line 2, column 8: function UPPER expects STRING for argument 1, found INT\n"
            "SELECT UPPER(i) FROM t\n"
            "       ^");
  EXPECT_EQ(TypeOf("SUBSTR(s)"),
            "error: line 2, column 8: function SUBSTR takes 2 to 3 arguments, found 1\n"
            "SELECT SUBSTR(s) FROM t\n"
            "       ^");
  EXPECT_EQ(TypeOf("REPLACE(s)"),
            "error: line 2, column 8: function REPLACE takes 3 arguments, found 1\n"
            "SELECT REPLACE(s) FROM t\n"
            "       ^");
  EXPECT_EQ(TypeOf("SUBSTRING(s)"),
            "error: line 2, column 19: expected FROM or ',' and a start position after 's', "
            "found ')'\n"
            "SELECT SUBSTRING(s) FROM t\n"
            "                  ^");
  EXPECT_EQ(TypeOf("EXTRACT(DAY FROM s)"),
            "error: line 2, column 8: function EXTRACT expects DATE, TIMESTAMP or TIMESTAMP_LTZ "
            "for argument 2, found STRING\n"
            "SELECT EXTRACT(DAY FROM s) FROM t\n"
            "       ^");
  EXPECT_EQ(TypeOf("COALESCE(s, 1)"),
            "error: line 2, column 8: the arguments of COALESCE have incompatible types STRING "
            "and INT\n"
            "SELECT COALESCE(s, 1) FROM t\n"
            "       ^");
  EXPECT_EQ(TypeOf("UPPER(DISTINCT s)"),
            "error: line 2, column 8: UPPER is not an aggregate function: DISTINCT, * and FILTER "
            "are not allowed\n"
            "SELECT UPPER(DISTINCT s) FROM t\n"
            "       ^");
  auto q = CompileQuery(std::string(kTableT) + "SELECT count_char(s, 'c') FROM t",
                        testing::EmptyCatalog());
  ASSERT_FALSE(q.ok());
  EXPECT_EQ(q.status().code(), StatusCode::kUnimplemented);
  EXPECT_EQ(q.status().message(),
            "line 2, column 8: unsupported function COUNT_CHAR\n"
            "SELECT count_char(s, 'c') FROM t\n"
            "       ^");
}

TEST(Functions, AggregateResolution) {
  EXPECT_TRUE(IsAggregateFunction("COUNT"));
  EXPECT_FALSE(IsAggregateFunction("UPPER"));
  auto sum = ResolveAggregate("SUM", {ColumnRef(0, columnar::DataType::Decimal(18, 2), "a")},
                              false);
  ASSERT_TRUE(sum.ok()) << sum.status();
  EXPECT_EQ(sum->type.ToString(), "DECIMAL(38, 2)");
  EXPECT_FALSE(ResolveAggregate("AVG", {}, false).ok());
}

}  // namespace
}  // namespace kappa::sql
