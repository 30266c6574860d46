// Type inference as Flink does it: literals, DECIMAL arithmetic, integer
// widening, aggregates, comparisons, casts.
#include "test_util.h"

namespace kappa::sql {
namespace {

using testing::TypeOf;

TEST(Types, Literals) {
  EXPECT_EQ(TypeOf("1"), "INT NOT NULL");
  EXPECT_EQ(TypeOf("2147483648"), "BIGINT NOT NULL");
  EXPECT_EQ(TypeOf("99999999999999999999"), "DECIMAL(20, 0) NOT NULL");
  EXPECT_EQ(TypeOf("0.908"), "DECIMAL(3, 3) NOT NULL");
  EXPECT_EQ(TypeOf("12.50"), "DECIMAL(4, 2) NOT NULL");
  EXPECT_EQ(TypeOf("1.5e3"), "DOUBLE NOT NULL");
  EXPECT_EQ(TypeOf("'it''s'"), "STRING NOT NULL");
  EXPECT_EQ(TypeOf("TRUE"), "BOOLEAN NOT NULL");
  EXPECT_EQ(TypeOf("DATE '2024-01-31'"), "DATE NOT NULL");
  EXPECT_EQ(TypeOf("TIMESTAMP '2024-01-31 12:00:00.5'"), "TIMESTAMP(3) NOT NULL");
  EXPECT_EQ(TypeOf("INTERVAL '5' SECOND"), "INTERVAL NOT NULL");
  EXPECT_EQ(TypeOf("-5"), "INT NOT NULL");
  EXPECT_EQ(TypeOf("CAST(NULL AS BIGINT)"), "BIGINT");
}

TEST(Types, DecimalArithmetic) {
  // Flink: +/- max(p1-s1, p2-s2) + max(s) + 1; * p1+p2+1, s1+s2;
  // / scale max(6, s1+p2+1), precision p1-s1+s2+scale; capped at 38.
  EXPECT_EQ(TypeOf("d + e"), "DECIMAL(19, 4)");
  EXPECT_EQ(TypeOf("d - d"), "DECIMAL(11, 2)");
  EXPECT_EQ(TypeOf("d * e"), "DECIMAL(29, 6)");
  EXPECT_EQ(TypeOf("d / e"), "DECIMAL(33, 21)");
  EXPECT_EQ(TypeOf("d % e"), "DECIMAL(12, 4)");
  EXPECT_EQ(TypeOf("0.908 * b"), "DECIMAL(23, 3)");  // Nexmark q1
  EXPECT_EQ(TypeOf("d * i"), "DECIMAL(21, 2)");
  EXPECT_EQ(TypeOf("e * e * e"), "DECIMAL(38, 6)");  // scale cut to 6
  EXPECT_EQ(TypeOf("d + x"), "DOUBLE");
}

TEST(Types, IntegerArithmetic) {
  EXPECT_EQ(TypeOf("i + i"), "INT");
  EXPECT_EQ(TypeOf("i + b"), "BIGINT");
  EXPECT_EQ(TypeOf("i / 2"), "INT");
  EXPECT_EQ(TypeOf("b % 123"), "BIGINT");
  EXPECT_EQ(TypeOf("MOD(b, 10)"), "BIGINT");
  EXPECT_EQ(TypeOf("i * 1.5e0"), "DOUBLE");
  EXPECT_EQ(TypeOf("-i"), "INT");
  EXPECT_EQ(TypeOf("ts - INTERVAL '5' SECOND"), "TIMESTAMP(3)");
  EXPECT_EQ(TypeOf("INTERVAL '1' DAY + dt"), "DATE");
}

TEST(Types, Aggregates) {
  EXPECT_EQ(TypeOf("COUNT(*)"), "BIGINT NOT NULL");
  EXPECT_EQ(TypeOf("COUNT(DISTINCT s)"), "BIGINT NOT NULL");
  EXPECT_EQ(TypeOf("SUM(i)"), "INT");
  EXPECT_EQ(TypeOf("SUM(b)"), "BIGINT");
  EXPECT_EQ(TypeOf("SUM(d)"), "DECIMAL(38, 2)");
  EXPECT_EQ(TypeOf("AVG(b)"), "BIGINT");
  EXPECT_EQ(TypeOf("AVG(d)"), "DECIMAL(38, 6)");
  EXPECT_EQ(TypeOf("AVG(x)"), "DOUBLE");
  EXPECT_EQ(TypeOf("MAX(s)"), "STRING");
  EXPECT_EQ(TypeOf("MIN(ts)"), "TIMESTAMP(3)");
}

TEST(Types, PredicatesAreBoolean) {
  EXPECT_EQ(TypeOf("i = b"), "BOOLEAN");
  EXPECT_EQ(TypeOf("d < 1"), "BOOLEAN");
  EXPECT_EQ(TypeOf("ts > '2024-01-01 00:00:00'"), "BOOLEAN");
  EXPECT_EQ(TypeOf("dt = '2024-01-01'"), "BOOLEAN");
  EXPECT_EQ(TypeOf("s IS NULL"), "BOOLEAN NOT NULL");
  EXPECT_EQ(TypeOf("ok IS NOT TRUE"), "BOOLEAN NOT NULL");
  EXPECT_EQ(TypeOf("i IN (1, 2, 3)"), "BOOLEAN");
  EXPECT_EQ(TypeOf("i NOT BETWEEN 1 AND 2"), "BOOLEAN");
  EXPECT_EQ(TypeOf("s LIKE 'a%'"), "BOOLEAN");
  EXPECT_EQ(TypeOf("NOT ok"), "BOOLEAN");
}

TEST(Types, CaseCoalesceCast) {
  EXPECT_EQ(TypeOf("CASE WHEN ok THEN i ELSE b END"), "BIGINT");
  EXPECT_EQ(TypeOf("CASE WHEN ok THEN d ELSE 1 END"), "DECIMAL(12, 2)");
  EXPECT_EQ(TypeOf("CASE i WHEN 1 THEN 'a' ELSE 'b' END"), "STRING NOT NULL");
  EXPECT_EQ(TypeOf("CASE WHEN ok THEN 'a' END"), "STRING");
  EXPECT_EQ(TypeOf("COALESCE(s, 'none')"), "STRING NOT NULL");
  EXPECT_EQ(TypeOf("COALESCE(i, b)"), "BIGINT");
  EXPECT_EQ(TypeOf("CAST(s AS INT)"), "INT");
  EXPECT_EQ(TypeOf("CAST('2024-01-01' AS DATE)"), "DATE NOT NULL");
  EXPECT_EQ(TypeOf("CAST(d AS DECIMAL(5, 1))"), "DECIMAL(5, 1)");
  EXPECT_EQ(TypeOf("TRY_CAST(s AS BIGINT)"), "BIGINT");
  EXPECT_EQ(TypeOf("s || 'x'"), "STRING");
}

TEST(Types, NestedRowFields) {
  EXPECT_EQ(TypeOf("r.a"), "INT");
  EXPECT_EQ(TypeOf("r.n.c"), "STRING");
  EXPECT_EQ(TypeOf("t.r.n"), "ROW<c STRING>");
}

TEST(Types, Errors) {
  EXPECT_EQ(TypeOf("s = 1"),
            "error: line 2, column 8: cannot compare STRING and INT\n"
            "SELECT s = 1 FROM t\n"
            "       ^");
  EXPECT_EQ(TypeOf("s + 1"),
            "error: line 2, column 8: operator + cannot be applied to STRING and INT\n"
            "SELECT s + 1 FROM t\n"
            "       ^");
  EXPECT_EQ(TypeOf("ts > 'yesterday'"),
            "error: line 2, column 8: cannot parse 'yesterday' as TIMESTAMP(3)\n"
            "SELECT ts > 'yesterday' FROM t\n"
            "       ^");
  EXPECT_EQ(TypeOf("CAST(b AS TIMESTAMP(3))"),
            "error: line 2, column 8: cannot cast BIGINT to TIMESTAMP(3) (use TO_TIMESTAMP_LTZ(x, "
            "3) for epoch milliseconds)\n"
            "SELECT CAST(b AS TIMESTAMP(3)) FROM t\n"
            "       ^");
  EXPECT_EQ(TypeOf("CASE WHEN ok THEN s ELSE i END"),
            "error: line 2, column 8: the branches of CASE have incompatible types STRING and "
            "INT\n"
            "SELECT CASE WHEN ok THEN s ELSE i END FROM t\n"
            "       ^");
  EXPECT_EQ(TypeOf("SUM(s)"),
            "error: line 2, column 8: aggregate function SUM expects a numeric argument, found "
            "STRING\n"
            "SELECT SUM(s) FROM t\n"
            "       ^");
  EXPECT_EQ(TypeOf("r.z"),
            "error: line 2, column 8: 'r' has no field 'z' (ROW<a INT, n ROW<c STRING>>)\n"
            "SELECT r.z FROM t\n"
            "       ^");
  EXPECT_EQ(TypeOf("i.z"),
            "error: line 2, column 8: 'i' is INT, not a ROW: it has no field 'z'\n"
            "SELECT i.z FROM t\n"
            "       ^");
  EXPECT_EQ(TypeOf("ok AND 1"),
            "error: line 2, column 8: AND expects BOOLEAN operands, found INT\n"
            "SELECT ok AND 1 FROM t\n"
            "       ^");
  EXPECT_EQ(TypeOf("99999999999999999999999999999999999999999"),
            "error: line 2, column 8: numeric literal out of range (at most 38 digits)\n"
            "SELECT 99999999999999999999999999999999999999999 FROM t\n"
            "       ^");
  EXPECT_EQ(TypeOf("DATE '2024-13-01'"),
            "error: line 2, column 8: invalid DATE literal '2024-13-01'\n"
            "SELECT DATE '2024-13-01' FROM t\n"
            "       ^");
}

}  // namespace
}  // namespace kappa::sql
