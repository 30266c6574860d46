// Date/time functions (UTC), numeric functions, ROW field access and the
// non-deterministic clock functions.
#include "expr_test_util.h"

namespace kappa::engine::testing {
namespace {

const DataType kS = DataType::String();
const DataType kTs = DataType::Timestamp();

Batch OneTimestamp(const char* text) { return MakeBatch({{kTs, {Ts(text)}}}); }

std::string Format(const char* ts, const char* pattern) {
  Texts r = Eval(Fn("DATE_FORMAT", {Col(0, kTs), Str(pattern)}, kS), OneTimestamp(ts));
  return r.empty() ? "<error>" : r[0];
}

TEST(ExprTime, DateFormatWithJavaLetters) {
  const char* t = "2024-03-05 14:07:09.045";
  EXPECT_EQ(Format(t, "yyyy-MM-dd HH:mm:ss"), "2024-03-05 14:07:09");
  EXPECT_EQ(Format(t, "yy/M/d h:mm a"), "24/3/5 2:07 PM");
  EXPECT_EQ(Format(t, "EEE, d MMM yyyy"), "Tue, 5 Mar 2024");
  EXPECT_EQ(Format(t, "EEEE MMMM"), "Tuesday March");
  EXPECT_EQ(Format(t, "HH:mm:ss.SSS"), "14:07:09.045");
  EXPECT_EQ(Format(t, "yyyy-MM-dd'T'HH:mm''"), "2024-03-05T14:07'");
  EXPECT_EQ(Format("2024-03-05 00:30:00", "hh:mm a"), "12:30 AM");
  Batch d = MakeBatch({{DataType::Date(), {Day("2024-03-05")}}, {kS, {Value::String("2024-03-05 14:07:09")}}});
  EXPECT_EQ(Eval(Fn("DATE_FORMAT", {Col(0, DataType::Date()), Str("yyyy-MM-dd HH")}, kS), d), (Texts{"2024-03-05 00"}));
  EXPECT_EQ(Eval(Fn("DATE_FORMAT", {Col(1, kS), Str("dd.MM.yyyy")}, kS), d), (Texts{"05.03.2024"}));
  auto bad = CompiledExpr::Compile(Fn("DATE_FORMAT", {Col(0, kTs), Str("yyyy Q")}, kS));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(), "unsupported letter 'Q' in date pattern 'yyyy Q'");
}

Texts Extract(const char* unit, const Batch& b, int column, DataType type) {
  return Eval(Fn("EXTRACT", {Str(unit), Col(column, std::move(type))}, DataType::Int64()), b);
}

TEST(ExprTime, ExtractFields) {
  Batch b = MakeBatch({{kTs, {Ts("2024-03-05 14:07:09.045"), Ts("1969-12-31 23:59:59.999"), Value::Null(kTs)}},
                       {DataType::Date(), {Day("2024-03-05"), Day("1969-12-31"), Day("2021-01-03")}},
                       {DataType::Interval(), {Value::Interval(90061001), Value::Interval(-61000), Value::Interval(0)}}});
  EXPECT_EQ(Extract("YEAR", b, 0, kTs), (Texts{"2024", "1969", "NULL"}));
  EXPECT_EQ(Extract("QUARTER", b, 0, kTs), (Texts{"1", "4", "NULL"}));
  EXPECT_EQ(Extract("MONTH", b, 0, kTs), (Texts{"3", "12", "NULL"}));
  EXPECT_EQ(Extract("WEEK", b, 0, kTs), (Texts{"10", "1", "NULL"}));
  EXPECT_EQ(Extract("DAY", b, 0, kTs), (Texts{"5", "31", "NULL"}));
  EXPECT_EQ(Extract("DOW", b, 0, kTs), (Texts{"3", "4", "NULL"}));
  EXPECT_EQ(Extract("DOY", b, 0, kTs), (Texts{"65", "365", "NULL"}));
  EXPECT_EQ(Extract("HOUR", b, 0, kTs), (Texts{"14", "23", "NULL"}));
  EXPECT_EQ(Extract("MINUTE", b, 0, kTs), (Texts{"7", "59", "NULL"}));
  EXPECT_EQ(Extract("SECOND", b, 0, kTs), (Texts{"9", "59", "NULL"}));
  EXPECT_EQ(Extract("MILLISECOND", b, 0, kTs), (Texts{"9045", "59999", "NULL"}));
  EXPECT_EQ(Extract("EPOCH", b, 0, kTs), (Texts{"1709647629", "-1", "NULL"}));
  EXPECT_EQ(Extract("YEAR", b, 1, DataType::Date()), (Texts{"2024", "1969", "2021"}));
  EXPECT_EQ(Extract("WEEK", b, 1, DataType::Date()), (Texts{"10", "1", "53"}));
  EXPECT_EQ(Extract("DOW", b, 1, DataType::Date()), (Texts{"3", "4", "1"}));
  EXPECT_EQ(Extract("DAY", b, 2, DataType::Interval()), (Texts{"1", "0", "0"}));
  EXPECT_EQ(Extract("HOUR", b, 2, DataType::Interval()), (Texts{"1", "0", "0"}));
  EXPECT_EQ(Extract("MINUTE", b, 2, DataType::Interval()), (Texts{"1", "-1", "0"}));
  EXPECT_EQ(Extract("SECOND", b, 2, DataType::Interval()), (Texts{"1", "-1", "0"}));
  auto bad = CompiledExpr::Compile(Fn("EXTRACT", {Str("HOUR"), Col(1, DataType::Date())}, DataType::Int64()));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(), "unsupported EXTRACT(HOUR FROM DATE)");
}

TEST(ExprTime, FloorAndCeilToUnits) {
  Batch b = OneTimestamp("2024-03-05 14:07:09.045");
  auto floor = [&](const char* unit) { return Eval(Fn("FLOOR_TO", {Col(0, kTs), Str(unit)}, kTs), b)[0]; };
  auto ceil = [&](const char* unit) { return Eval(Fn("CEIL_TO", {Col(0, kTs), Str(unit)}, kTs), b)[0]; };
  EXPECT_EQ(floor("SECOND"), "2024-03-05 14:07:09.000");
  EXPECT_EQ(ceil("SECOND"), "2024-03-05 14:07:10.000");
  EXPECT_EQ(floor("MINUTE"), "2024-03-05 14:07:00.000");
  EXPECT_EQ(ceil("MINUTE"), "2024-03-05 14:08:00.000");
  EXPECT_EQ(floor("HOUR"), "2024-03-05 14:00:00.000");
  EXPECT_EQ(ceil("HOUR"), "2024-03-05 15:00:00.000");
  EXPECT_EQ(floor("DAY"), "2024-03-05 00:00:00.000");
  EXPECT_EQ(ceil("DAY"), "2024-03-06 00:00:00.000");
  EXPECT_EQ(floor("WEEK"), "2024-03-04 00:00:00.000");
  EXPECT_EQ(floor("MONTH"), "2024-03-01 00:00:00.000");
  EXPECT_EQ(ceil("MONTH"), "2024-04-01 00:00:00.000");
  EXPECT_EQ(floor("QUARTER"), "2024-01-01 00:00:00.000");
  EXPECT_EQ(ceil("QUARTER"), "2024-04-01 00:00:00.000");
  EXPECT_EQ(floor("YEAR"), "2024-01-01 00:00:00.000");
  EXPECT_EQ(ceil("YEAR"), "2025-01-01 00:00:00.000");
  Batch exact = OneTimestamp("2024-01-01 00:00:00");
  EXPECT_EQ(Eval(Fn("CEIL_TO", {Col(0, kTs), Str("YEAR")}, kTs), exact), (Texts{"2024-01-01 00:00:00.000"}));
  Batch neg = OneTimestamp("1969-12-31 23:59:59.999");
  EXPECT_EQ(Eval(Fn("FLOOR_TO", {Col(0, kTs), Str("DAY")}, kTs), neg), (Texts{"1969-12-31 00:00:00.000"}));
  EXPECT_EQ(Eval(Fn("CEIL_TO", {Col(0, kTs), Str("SECOND")}, kTs), neg), (Texts{"1970-01-01 00:00:00.000"}));
  Batch d = MakeBatch({{DataType::Date(), {Day("2024-03-05")}}});
  EXPECT_EQ(Eval(Fn("FLOOR_TO", {Col(0, DataType::Date()), Str("MONTH")}, DataType::Date()), d), (Texts{"2024-03-01"}));
  EXPECT_EQ(Eval(Fn("CEIL_TO", {Col(0, DataType::Date()), Str("YEAR")}, DataType::Date()), d), (Texts{"2025-01-01"}));
  EXPECT_FALSE(CompiledExpr::Compile(Fn("FLOOR_TO", {Col(0, kTs), Str("FORTNIGHT")}, kTs)).ok());
}

TEST(ExprTime, ToTimestampParsesOrGivesNull) {
  Batch b = MakeBatch({{kS, {Value::String("2024-03-05 14:07:09"), Value::String("2024-03-05 14:07:09.5"),
                             Value::String("garbage"), Value::String("2024-02-30 00:00:00"), Value::Null(kS)}}});
  EXPECT_EQ(Eval(Fn("TO_TIMESTAMP", {Col(0, kS)}, kTs), b),
            (Texts{"2024-03-05 14:07:09.000", "2024-03-05 14:07:09.500", "NULL", "NULL", "NULL"}));
  auto parse = [](const char* text, const char* pattern) {
    return Eval1(Fn("TO_TIMESTAMP", {Str(text), Str(pattern)}, kTs));
  };
  EXPECT_EQ(parse("05/03/2024 14h07", "dd/MM/yyyy HH'h'mm"), "2024-03-05 14:07:00.000");
  EXPECT_EQ(parse("20240305", "yyyyMMdd"), "2024-03-05 00:00:00.000");
  EXPECT_EQ(parse("5 Mar 2024 2:07 PM", "d MMM yyyy h:mm a"), "2024-03-05 14:07:00.000");
  EXPECT_EQ(parse("2024-03-05", "yyyy-MM-dd HH"), "NULL");
}

TEST(ExprTime, UnixTimestamp) {
  Batch b = MakeBatch({{kS, {Value::String("2024-01-02 03:04:05"), Value::String("nope")}}});
  EXPECT_EQ(Eval(Fn("UNIX_TIMESTAMP", {Col(0, kS)}, DataType::Int64()), b), (Texts{"1704164645", "NULL"}));
  EXPECT_EQ(Eval1(Fn("UNIX_TIMESTAMP", {Str("2024/01/02"), Str("yyyy/MM/dd")}, DataType::Int64())), "1704153600");
  int64_t now = std::stoll(Eval1(Fn("UNIX_TIMESTAMP", {}, DataType::Int64())));
  EXPECT_GT(now, 1700000000);
}

TEST(ExprTime, ClockFunctionsAreOneValuePerBatch) {
  Batch b = MakeBatch({{DataType::Int32(), {Value::Int32(1), Value::Int32(2)}}});
  Texts now = Eval(Fn("CURRENT_TIMESTAMP", {}, DataType::TimestampLtz()), b);
  ASSERT_EQ(now.size(), 2u);
  EXPECT_EQ(now[0], now[1]);
  EXPECT_GT(now[0], "2024");
  Texts today = Eval(Fn("CURRENT_DATE", {}, DataType::Date()), b);
  EXPECT_EQ(today[0], now[0].substr(0, 10));
}

TEST(ExprMath, AbsModPowerAndLogs) {
  Batch b = MakeBatch({{DataType::Int32(), {Value::Int32(-5), Value::Int32(5), Value::Int32(std::numeric_limits<int32_t>::min()), Value::Null(DataType::Int32())}}});
  auto x = Col(0, DataType::Int32());
  EXPECT_EQ(Eval(Fn("ABS", {x}, DataType::Int32()), b), (Texts{"5", "5", "-2147483648", "NULL"}));
  EXPECT_EQ(Eval(Fn("MOD", {x, Int(3)}, DataType::Int32()), b), (Texts{"-2", "2", "-2", "NULL"}));
  EXPECT_EQ(Eval1(Fn("ABS", {Lit(Value::Double(-1.5))}, DataType::Double())), "1.5");
  EXPECT_EQ(Eval1(Fn("ABS", {Dec("-1.25", 3, 2)}, DataType::Decimal(3, 2))), "1.25");
  Batch d = MakeBatch({{DataType::Double(), {Value::Double(16), Value::Double(-1), Value::Double(0), Value::Double(1000)}}});
  auto y = Col(0, DataType::Double());
  EXPECT_EQ(Eval(Fn("SQRT", {y}, DataType::Double()), d), (Texts{"4", "NaN", "0", "31.622776601683793"}));
  EXPECT_EQ(Eval(Fn("LN", {y}, DataType::Double()), d), (Texts{"2.772588722239781", "NaN", "-Infinity", "6.907755278982137"}));
  EXPECT_EQ(Eval(Fn("LOG10", {y}, DataType::Double()), d), (Texts{"1.2041199826559248", "NaN", "-Infinity", "3"}));
  EXPECT_EQ(Eval(Fn("EXP", {y}, DataType::Double()), d), (Texts{"8886110.520507872", "0.36787944117144233", "1", "Infinity"}));
  EXPECT_EQ(Eval(Fn("POWER", {y, Int(2)}, DataType::Double()), d), (Texts{"256", "1", "0", "1000000"}));
  EXPECT_EQ(Eval1(Fn("POWER", {Int(2), Lit(Value::Double(0.5))}, DataType::Double())), "1.4142135623730951");
}

TEST(ExprMath, RoundIsHalfUp) {
  Batch d = MakeBatch({{DataType::Double(), {Value::Double(2.5), Value::Double(-2.5), Value::Double(1.005), Value::Double(2.675), Value::Double(1234.5678)}}});
  auto x = Col(0, DataType::Double());
  EXPECT_EQ(Eval(Fn("ROUND", {x}, DataType::Double()), d), (Texts{"3", "-3", "1", "3", "1235"}));
  EXPECT_EQ(Eval(Fn("ROUND", {x, Int(2)}, DataType::Double()), d), (Texts{"2.5", "-2.5", "1.01", "2.68", "1234.57"}));
  EXPECT_EQ(Eval(Fn("ROUND", {x, Int(-2)}, DataType::Double()), d), (Texts{"0", "0", "0", "0", "1200"}));
  Batch m = MakeBatch({{DataType::Decimal(10, 4), {DecVal("1.2345", 10, 4), DecVal("-1.2345", 10, 4), DecVal("9.9999", 10, 4)}}});
  auto y = Col(0, DataType::Decimal(10, 4));
  EXPECT_EQ(Eval(Fn("ROUND", {y, Int(2)}, DataType::Decimal(9, 2)), m), (Texts{"1.23", "-1.23", "10.00"}));
  EXPECT_EQ(Eval(Fn("ROUND", {y, Int(3)}, DataType::Decimal(10, 3)), m), (Texts{"1.235", "-1.235", "10.000"}));
  EXPECT_EQ(Eval(Fn("ROUND", {y}, DataType::Decimal(7, 0)), m), (Texts{"1", "-1", "10"}));
  EXPECT_EQ(Eval(Fn("ROUND", {y, Int(-1)}, DataType::Decimal(7, 0)), m), (Texts{"0", "0", "10"}));
  EXPECT_EQ(Eval(Fn("ROUND", {y, Int(2)}, DataType::Decimal(3, 2)), m), (Texts{"1.23", "-1.23", "NULL"}));
  Batch i = MakeBatch({{DataType::Int32(), {Value::Int32(1250), Value::Int32(-1250), Value::Int32(1249)}}});
  EXPECT_EQ(Eval(Fn("ROUND", {Col(0, DataType::Int32()), Int(-2)}, DataType::Int32()), i), (Texts{"1300", "-1300", "1200"}));
  EXPECT_EQ(Eval(Fn("ROUND", {Col(0, DataType::Int32()), Int(1)}, DataType::Int32()), i), (Texts{"1250", "-1250", "1249"}));
}

TEST(ExprMath, FloorAndCeil) {
  Batch d = MakeBatch({{DataType::Double(), {Value::Double(-1.5), Value::Double(1.5)}},
                       {DataType::Decimal(5, 2), {DecVal("-1.50", 5, 2), DecVal("2.00", 5, 2)}}});
  auto x = Col(0, DataType::Double()), y = Col(1, DataType::Decimal(5, 2));
  EXPECT_EQ(Eval(Fn("FLOOR", {x}, DataType::Double()), d), (Texts{"-2", "1"}));
  EXPECT_EQ(Eval(Fn("CEIL", {x}, DataType::Double()), d), (Texts{"-1", "2"}));
  EXPECT_EQ(Eval(Fn("FLOOR", {y}, DataType::Decimal(4, 0)), d), (Texts{"-2", "2"}));
  EXPECT_EQ(Eval(Fn("CEIL", {y}, DataType::Decimal(4, 0)), d), (Texts{"-1", "2"}));
  EXPECT_EQ(Eval1(Fn("FLOOR", {Int(7)}, DataType::Int32())), "7");
}

TEST(ExprRow, FieldAccess) {
  DataType row = DataType::Row({{"a", DataType::Int32(), true}, {"b", kS, true}});
  Batch b = MakeBatch({{row, {Value::Row(row, {Value::Int32(1), Value::String("x")}), Value::Null(row),
                              Value::Row(row, {Value::Null(DataType::Int32()), Value::String("z")})}}});
  auto field = [&](int index, DataType type) {
    auto e = std::make_shared<sql::Expr>(*Fn("FIELD", {Col(0, row)}, std::move(type)));
    e->column = index;
    return sql::ExprPtr(e);
  };
  EXPECT_EQ(Eval(field(0, DataType::Int32()), b), (Texts{"1", "NULL", "NULL"}));
  EXPECT_EQ(Eval(field(1, kS), b), (Texts{"x", "NULL", "z"}));
  EXPECT_EQ(Eval(Fn("UPPER", {field(1, kS)}, kS), b), (Texts{"X", "NULL", "Z"}));
  EXPECT_FALSE(CompiledExpr::Compile(field(5, kS)).ok());
}

}  // namespace
}  // namespace kappa::engine::testing
