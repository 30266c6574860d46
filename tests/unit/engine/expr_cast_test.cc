// CAST between all types with Flink's rules: parsing (runtime errors naming
// the value), Java's number formats and narrowing, DECIMAL rounding and
// overflow to NULL, temporal conversions.
#include <cmath>
#include <limits>

#include "expr_test_util.h"

namespace kappa::engine::testing {
namespace {

sql::ExprPtr Cast(sql::ExprPtr e, DataType to) { return Fn("CAST", {std::move(e)}, std::move(to)); }

Batch Strings(std::vector<std::string> values) {
  std::vector<Value> v;
  for (auto& s : values) v.push_back(Value::String(s));
  return MakeBatch({{DataType::String(), v}});
}

Texts CastStrings(std::vector<std::string> values, DataType to) {
  return Eval(Cast(Col(0, DataType::String()), std::move(to)), Strings(std::move(values)));
}

std::string CastError(std::string value, DataType to) {
  auto r = TryEval(Cast(Col(0, DataType::String()), std::move(to)), Strings({std::move(value)}));
  if (r.ok()) return "ok";
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  return std::string(r.status().message());
}

TEST(ExprCast, StringToNumbers) {
  EXPECT_EQ(CastStrings({" 42 ", "-7", "+3", "3.9"}, DataType::Int32()), (Texts{"42", "-7", "3", "3"}));
  EXPECT_EQ(CastStrings({"9223372036854775807"}, DataType::Int64()), (Texts{"9223372036854775807"}));
  EXPECT_EQ(CastStrings({"1.5e3", "-0.25", "Infinity"}, DataType::Double()), (Texts{"1500", "-0.25", "Infinity"}));
  EXPECT_EQ(CastError("abc", DataType::Int32()), "cannot cast 'abc' to INT");
  EXPECT_EQ(CastError("2147483648", DataType::Int32()), "cannot cast '2147483648' to INT");
  EXPECT_EQ(CastError("1x", DataType::Double()), "cannot cast '1x' to DOUBLE");
  EXPECT_EQ(CastError("", DataType::Int64()), "cannot cast '' to BIGINT");
}

TEST(ExprCast, StringToDecimalRoundsAndOverflowsToNull) {
  EXPECT_EQ(CastStrings({"12.345", "-12.345", "1234.5", "1e2", " 7 "}, DataType::Decimal(5, 2)),
            (Texts{"12.35", "-12.35", "NULL", "100.00", "7.00"}));
  EXPECT_EQ(CastError("12.3.4", DataType::Decimal(5, 2)), "cannot cast '12.3.4' to DECIMAL(5, 2)");
}

TEST(ExprCast, StringToBooleanDateTimestamp) {
  EXPECT_EQ(CastStrings({"true", "FALSE", "1", "yes", "n"}, DataType::Boolean()),
            (Texts{"TRUE", "FALSE", "TRUE", "TRUE", "FALSE"}));
  EXPECT_EQ(CastError("maybe", DataType::Boolean()), "cannot cast 'maybe' to BOOLEAN");
  EXPECT_EQ(CastStrings({"2024-02-29", "2024-1-5"}, DataType::Date()), (Texts{"2024-02-29", "2024-01-05"}));
  EXPECT_EQ(CastError("2023-02-29", DataType::Date()), "cannot cast '2023-02-29' to DATE");
  EXPECT_EQ(CastStrings({"2024-01-02 03:04:05.6789", "2024-01-02T03:04:05", "2024-01-02", "2024-01-02 03:04"},
                        DataType::Timestamp()),
            (Texts{"2024-01-02 03:04:05.678", "2024-01-02 03:04:05.000", "2024-01-02 00:00:00.000",
                   "2024-01-02 03:04:00.000"}));
  EXPECT_EQ(CastStrings({"2024-01-02 03:04:05"}, DataType::TimestampLtz()), (Texts{"2024-01-02 03:04:05.000"}));
  EXPECT_EQ(CastError("2024-13-01 00:00:00", DataType::Timestamp()), "cannot cast '2024-13-01 00:00:00' to TIMESTAMP(3)");
}

TEST(ExprCast, InvalidTextOutsideTheSelectionIsNoError) {
  Batch b = Strings({"abc", "12", "NULL?"});
  b.selection = std::vector<uint32_t>{1};
  EXPECT_EQ(Eval(Cast(Col(0, DataType::String()), DataType::Int32()), b), (Texts{"12"}));
  Batch n = MakeBatch({{DataType::String(), {Value::Null(DataType::String()), Value::String("5")}}});
  EXPECT_EQ(Eval(Cast(Col(0, DataType::String()), DataType::Int32()), n), (Texts{"NULL", "5"}));
}

TEST(ExprCast, ValuesToString) {
  auto s = DataType::String();
  EXPECT_EQ(Eval1(Cast(Int(42), s)), "42");
  EXPECT_EQ(Eval1(Cast(Lit(Value::Double(1.5)), s)), "1.5");
  EXPECT_EQ(Eval1(Cast(Lit(Value::Double(100)), s)), "100.0");
  EXPECT_EQ(Eval1(Cast(Lit(Value::Double(1e20)), s)), "1.0E20");
  EXPECT_EQ(Eval1(Cast(Lit(Value::Double(1e7)), s)), "1.0E7");
  EXPECT_EQ(Eval1(Cast(Lit(Value::Double(1.234e-5)), s)), "1.234E-5");
  EXPECT_EQ(Eval1(Cast(Lit(Value::Double(0.001)), s)), "0.001");
  EXPECT_EQ(Eval1(Cast(Lit(Value::Double(-0.1)), s)), "-0.1");
  EXPECT_EQ(Eval1(Cast(Dec("1.50", 5, 2), s)), "1.50");
  EXPECT_EQ(Eval1(Cast(Lit(Value::Boolean(true)), s)), "TRUE");
  EXPECT_EQ(Eval1(Cast(Lit(Day("2024-01-02")), s)), "2024-01-02");
  EXPECT_EQ(Eval1(Cast(Lit(Ts("2024-01-02 03:04:05")), s)), "2024-01-02 03:04:05.000");
  // Over a column, with NULLs.
  Batch b = MakeBatch({{DataType::Double(), {Value::Double(2.5), Value::Null(DataType::Double())}}});
  EXPECT_EQ(Eval(Cast(Col(0, DataType::Double()), s), b), (Texts{"2.5", "NULL"}));
}

TEST(ExprCast, NumbersNarrowAsJava) {
  Batch d = MakeBatch({{DataType::Double(), {Value::Double(3.9), Value::Double(-3.9), Value::Double(1e10),
                                             Value::Double(std::nan("")), Value::Double(-1e300)}}});
  EXPECT_EQ(Eval(Cast(Col(0, DataType::Double()), DataType::Int32()), d),
            (Texts{"3", "-3", "2147483647", "0", "-2147483648"}));
  EXPECT_EQ(Eval(Cast(Col(0, DataType::Double()), DataType::Boolean()), d), (Texts{"TRUE", "TRUE", "TRUE", "TRUE", "TRUE"}));
  Batch m = MakeBatch({{DataType::Decimal(5, 2), {DecVal("12.99", 5, 2), DecVal("-12.99", 5, 2), DecVal("0", 5, 2)}}});
  EXPECT_EQ(Eval(Cast(Col(0, DataType::Decimal(5, 2)), DataType::Int32()), m), (Texts{"12", "-12", "0"}));
  EXPECT_EQ(Eval(Cast(Col(0, DataType::Decimal(5, 2)), DataType::Double()), m), (Texts{"12.99", "-12.99", "0"}));
  EXPECT_EQ(Eval(Cast(Col(0, DataType::Decimal(5, 2)), DataType::Boolean()), m), (Texts{"TRUE", "TRUE", "FALSE"}));
  EXPECT_EQ(Eval1(Cast(Lit(Value::Int64(3000000000)), DataType::Int32())), "-1294967296");
  EXPECT_EQ(Eval1(Cast(Lit(Value::Boolean(true)), DataType::Int32())), "1");
  EXPECT_EQ(Eval1(Cast(Int(0), DataType::Boolean())), "FALSE");
  EXPECT_EQ(Eval1(Cast(Int(7), DataType::Double())), "7");
}

TEST(ExprCast, ToDecimalRoundsHalfUpAndOverflowsToNull) {
  Batch d = MakeBatch({{DataType::Double(), {Value::Double(1.005), Value::Double(0.125), Value::Double(-0.125), Value::Double(1e6)}}});
  EXPECT_EQ(Eval(Cast(Col(0, DataType::Double()), DataType::Decimal(5, 2)), d), (Texts{"1.01", "0.13", "-0.13", "NULL"}));
  Batch m = MakeBatch({{DataType::Decimal(6, 3), {DecVal("1.235", 6, 3), DecVal("-1.235", 6, 3), DecVal("999.995", 6, 3)}}});
  EXPECT_EQ(Eval(Cast(Col(0, DataType::Decimal(6, 3)), DataType::Decimal(5, 2)), m), (Texts{"1.24", "-1.24", "NULL"}));
  EXPECT_EQ(Eval(Cast(Col(0, DataType::Decimal(6, 3)), DataType::Decimal(10, 5)), m), (Texts{"1.23500", "-1.23500", "999.99500"}));
  EXPECT_EQ(Eval1(Cast(Int(123), DataType::Decimal(4, 2))), "NULL");
  EXPECT_EQ(Eval1(Cast(Int(12), DataType::Decimal(4, 2))), "12.00");
  Batch nan = MakeBatch({{DataType::Double(), {Value::Double(std::numeric_limits<double>::infinity())}}});
  EXPECT_FALSE(TryEval(Cast(Col(0, DataType::Double()), DataType::Decimal(5, 2)), nan).ok());
}

TEST(ExprCast, TemporalConversions) {
  Batch t = MakeBatch({{DataType::Timestamp(), {Ts("2024-01-02 03:04:05"), Ts("1969-12-31 23:00:00")}}});
  auto ts = Col(0, DataType::Timestamp());
  EXPECT_EQ(Eval(Cast(ts, DataType::Date()), t), (Texts{"2024-01-02", "1969-12-31"}));
  EXPECT_EQ(Eval(Cast(ts, DataType::TimestampLtz()), t), (Texts{"2024-01-02 03:04:05.000", "1969-12-31 23:00:00.000"}));
  EXPECT_EQ(Eval(Cast(Cast(ts, DataType::TimestampLtz()), DataType::Int64()), t), (Texts{"1704164645", "-3600"}));
  EXPECT_EQ(Eval1(Cast(Lit(Day("2024-01-02")), DataType::Timestamp())), "2024-01-02 00:00:00.000");
  EXPECT_EQ(Eval1(Cast(Lit(Value::Int64(0)), DataType::TimestampLtz())), "1970-01-01 00:00:00.000");
  EXPECT_EQ(Eval1(Cast(Lit(Value::Null(DataType::Int32())), DataType::Date())), "NULL");
}

TEST(ExprCast, UnsupportedCastsAreRefusedAtCompileTime) {
  auto r = CompiledExpr::Compile(Cast(Lit(Value::Interval(5)), DataType::Date()));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "unsupported CAST from INTERVAL to DATE");
}

}  // namespace
}  // namespace kappa::engine::testing
