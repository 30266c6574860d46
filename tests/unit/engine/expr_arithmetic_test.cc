// Arithmetic: Java integer wrap-around, IEEE doubles, exact DECIMAL with
// HALF_UP rounding and NULL on overflow, runtime errors for division by zero,
// temporal +/- INTERVAL, selection vectors.
#include <limits>

#include "expr_test_util.h"

namespace kappa::engine::testing {
namespace {

constexpr int32_t kMin = std::numeric_limits<int32_t>::min();
constexpr int32_t kMax = std::numeric_limits<int32_t>::max();

Batch Ints(std::vector<Value> a, std::vector<Value> b) {
  return MakeBatch({{DataType::Int32(), std::move(a)}, {DataType::Int32(), std::move(b)}});
}

TEST(ExprArithmetic, IntegerOperationsWrapAsJava) {
  Batch b = Ints({Value::Int32(kMax), Value::Int32(kMin), Value::Int32(-7), Value::Null(DataType::Int32())},
                 {Value::Int32(1), Value::Int32(-1), Value::Int32(2), Value::Int32(1)});
  auto c0 = Col(0, DataType::Int32()), c1 = Col(1, DataType::Int32());
  EXPECT_EQ(Eval(Fn("+", {c0, c1}, DataType::Int32()), b), (Texts{"-2147483648", "2147483647", "-5", "NULL"}));
  EXPECT_EQ(Eval(Fn("-", {c0, c1}, DataType::Int32()), b), (Texts{"2147483646", "-2147483647", "-9", "NULL"}));
  EXPECT_EQ(Eval(Fn("*", {c0, c1}, DataType::Int32()), b), (Texts{"2147483647", "-2147483648", "-14", "NULL"}));
  EXPECT_EQ(Eval(Fn("/", {c0, c1}, DataType::Int32()), b), (Texts{"2147483647", "-2147483648", "-3", "NULL"}));
  EXPECT_EQ(Eval(Fn("%", {c0, c1}, DataType::Int32()), b), (Texts{"0", "0", "-1", "NULL"}));
  EXPECT_EQ(Eval(Fn("MOD", {c0, c1}, DataType::Int32()), b), (Texts{"0", "0", "-1", "NULL"}));
  EXPECT_EQ(Eval(Fn("NEGATE", {c0}, DataType::Int32()), b), (Texts{"-2147483647", "-2147483648", "7", "NULL"}));
}

TEST(ExprArithmetic, IntWidensToBigint) {
  Batch b = Ints({Value::Int32(5), Value::Int32(-1)}, {Value::Int32(0), Value::Int32(0)});
  auto e = Fn("+", {Col(0, DataType::Int32()), Lit(Value::Int64(10000000000))}, DataType::Int64());
  EXPECT_EQ(Eval(e, b), (Texts{"10000000005", "9999999999"}));
  auto wrap = Fn("*", {Lit(Value::Int64(std::numeric_limits<int64_t>::max())), Col(0, DataType::Int32())},
                 DataType::Int64());
  EXPECT_EQ(Eval(wrap, b), (Texts{"9223372036854775803", "-9223372036854775807"}));
}

TEST(ExprArithmetic, IntegerDivisionByZeroIsARuntimeError) {
  Batch b = Ints({Value::Int32(1), Value::Int32(2)}, {Value::Int32(1), Value::Int32(0)});
  auto e = Fn("/", {Col(0, DataType::Int32()), Col(1, DataType::Int32())}, DataType::Int32());
  auto r = TryEval(e, b);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(r.status().message(), "division by zero in /");
  auto m = TryEval(Fn("%", {Col(0, DataType::Int32()), Col(1, DataType::Int32())}, DataType::Int32()), b);
  EXPECT_FALSE(m.ok());
}

TEST(ExprArithmetic, ZeroDivisorInNullOrUnselectedRowIsNoError) {
  Batch b = Ints({Value::Int32(8), Value::Int32(9), Value::Int32(10)},
                 {Value::Null(DataType::Int32()), Value::Int32(0), Value::Int32(4)});
  b.selection = std::vector<uint32_t>{0, 2};
  auto e = Fn("/", {Col(0, DataType::Int32()), Col(1, DataType::Int32())}, DataType::Int32());
  EXPECT_EQ(Eval(e, b), (Texts{"NULL", "2"}));
}

TEST(ExprArithmetic, DoubleFollowsIeee) {
  Batch b = MakeBatch({{DataType::Double(), {Value::Double(1), Value::Double(-1), Value::Double(0), Value::Double(7.5)}}});
  auto e = Fn("/", {Col(0, DataType::Double()), Lit(Value::Double(0))}, DataType::Double());
  EXPECT_EQ(Eval(e, b), (Texts{"Infinity", "-Infinity", "NaN", "Infinity"}));
  auto mod = Fn("%", {Col(0, DataType::Double()), Lit(Value::Double(2))}, DataType::Double());
  EXPECT_EQ(Eval(mod, b), (Texts{"1", "-1", "0", "1.5"}));
  auto mixed = Fn("*", {Col(0, DataType::Double()), Int(2)}, DataType::Double());
  EXPECT_EQ(Eval(mixed, b), (Texts{"2", "-2", "0", "15"}));
  auto with_dec = Fn("+", {Col(0, DataType::Double()), Dec("0.25", 3, 2)}, DataType::Double());
  EXPECT_EQ(Eval(with_dec, b), (Texts{"1.25", "-0.75", "0.25", "7.75"}));
}

TEST(ExprArithmetic, DecimalAddRescalesOperands) {
  Batch b = MakeBatch({{DataType::Decimal(10, 2), {DecVal("1.25", 10, 2), DecVal("-3.10", 10, 2)}},
                       {DataType::Decimal(10, 3), {DecVal("0.005", 10, 3), DecVal("0.001", 10, 3)}}});
  auto a = Col(0, DataType::Decimal(10, 2)), c = Col(1, DataType::Decimal(10, 3));
  EXPECT_EQ(Eval(Fn("+", {a, c}, DataType::Decimal(12, 3)), b), (Texts{"1.255", "-3.099"}));
  EXPECT_EQ(Eval(Fn("-", {a, c}, DataType::Decimal(12, 3)), b), (Texts{"1.245", "-3.101"}));
  // A result scale below the operands' rounds the exact sum HALF_UP.
  EXPECT_EQ(Eval(Fn("+", {a, c}, DataType::Decimal(12, 2)), b), (Texts{"1.26", "-3.10"}));
  EXPECT_EQ(Eval(Fn("+", {a, Int(1)}, DataType::Decimal(11, 2)), b), (Texts{"2.25", "-2.10"}));
}

TEST(ExprArithmetic, DecimalMultiplyRoundsHalfUp) {
  Batch b = MakeBatch({{DataType::Decimal(10, 2), {DecVal("1.25", 10, 2), DecVal("1.25", 10, 2), DecVal("-1.25", 10, 2)}},
                       {DataType::Decimal(5, 3), {DecVal("1.002", 5, 3), DecVal("1.004", 5, 3), DecVal("1.004", 5, 3)}}});
  auto a = Col(0, DataType::Decimal(10, 2)), c = Col(1, DataType::Decimal(5, 3));
  EXPECT_EQ(Eval(Fn("*", {a, c}, DataType::Decimal(15, 5)), b), (Texts{"1.25250", "1.25500", "-1.25500"}));
  EXPECT_EQ(Eval(Fn("*", {a, c}, DataType::Decimal(15, 2)), b), (Texts{"1.25", "1.26", "-1.26"}));
  EXPECT_EQ(Eval(Fn("*", {a, Int(3)}, DataType::Decimal(20, 2)), b), (Texts{"3.75", "3.75", "-3.75"}));
}

TEST(ExprArithmetic, DecimalDivideRoundsHalfUp) {
  Batch b = MakeBatch({{DataType::Decimal(10, 2), {DecVal("1.00", 10, 2), DecVal("2.00", 10, 2), DecVal("-2.00", 10, 2), DecVal("1.00", 10, 2), DecVal("-1.00", 10, 2)}},
                       {DataType::Decimal(10, 2), {DecVal("3.00", 10, 2), DecVal("3.00", 10, 2), DecVal("3.00", 10, 2), DecVal("8.00", 10, 2), DecVal("8.00", 10, 2)}}});
  auto a = Col(0, DataType::Decimal(10, 2)), c = Col(1, DataType::Decimal(10, 2));
  EXPECT_EQ(Eval(Fn("/", {a, c}, DataType::Decimal(38, 6)), b),
            (Texts{"0.333333", "0.666667", "-0.666667", "0.125000", "-0.125000"}));
  EXPECT_EQ(Eval(Fn("/", {a, c}, DataType::Decimal(10, 2)), b), (Texts{"0.33", "0.67", "-0.67", "0.13", "-0.13"}));
  EXPECT_EQ(Eval(Fn("/", {a, Int(4)}, DataType::Decimal(16, 3)), b), (Texts{"0.250", "0.500", "-0.500", "0.250", "-0.250"}));
}

TEST(ExprArithmetic, DecimalDivisionByZeroIsARuntimeError) {
  Batch b = MakeBatch({{DataType::Decimal(10, 2), {DecVal("1.00", 10, 2)}}});
  auto e = Fn("/", {Col(0, DataType::Decimal(10, 2)), Dec("0.00", 3, 2)}, DataType::Decimal(20, 8));
  auto r = TryEval(e, b);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "division by zero in /");
  auto m = Fn("%", {Col(0, DataType::Decimal(10, 2)), Dec("0.00", 3, 2)}, DataType::Decimal(10, 2));
  EXPECT_FALSE(TryEval(m, b).ok());
}

TEST(ExprArithmetic, DecimalBeyondPrecisionIsNull) {
  Batch b = MakeBatch({{DataType::Decimal(4, 2), {DecVal("99.99", 4, 2), DecVal("1.00", 4, 2)}}});
  auto a = Col(0, DataType::Decimal(4, 2));
  EXPECT_EQ(Eval(Fn("+", {a, a}, DataType::Decimal(4, 2)), b), (Texts{"NULL", "2.00"}));
  EXPECT_EQ(Eval(Fn("+", {a, a}, DataType::Decimal(5, 2)), b), (Texts{"199.98", "2.00"}));
}

TEST(ExprArithmetic, DecimalModAndNegate) {
  Batch b = MakeBatch({{DataType::Decimal(5, 2), {DecVal("7.50", 5, 2), DecVal("-7.50", 5, 2), Value::Null(DataType::Decimal(5, 2))}}});
  auto a = Col(0, DataType::Decimal(5, 2));
  EXPECT_EQ(Eval(Fn("%", {a, Dec("2.0", 3, 1)}, DataType::Decimal(3, 2)), b), (Texts{"1.50", "-1.50", "NULL"}));
  EXPECT_EQ(Eval(Fn("NEGATE", {a}, DataType::Decimal(5, 2)), b), (Texts{"-7.50", "7.50", "NULL"}));
}

TEST(ExprArithmetic, DecimalWideIntermediatesAreExact) {
  // 30-digit x 11-digit operands overflow 128 bits before the rescale.
  Batch b = MakeBatch({{DataType::Decimal(38, 10), {DecVal("12345678901234567890.1234567890", 38, 10)}}});
  auto a = Col(0, DataType::Decimal(38, 10));
  EXPECT_EQ(Eval(Fn("*", {a, Dec("2.0000000000", 11, 10)}, DataType::Decimal(38, 10)), b),
            (Texts{"24691357802469135780.2469135780"}));
  EXPECT_EQ(Eval(Fn("/", {a, Dec("3.0000000000", 11, 10)}, DataType::Decimal(38, 18)), b),
            (Texts{"4115226300411522630.041152263000000000"}));
  // 12345678901234567890.1234567890 / 7 = 1763668414462081127.160493827000...
  EXPECT_EQ(Eval(Fn("/", {a, Dec("7", 1, 0)}, DataType::Decimal(38, 18)), b),
            (Texts{"1763668414462081127.160493827000000000"}));
}

TEST(ExprArithmetic, TimestampAndDatePlusInterval) {
  Batch b = MakeBatch({{DataType::Timestamp(), {Ts("2024-01-31 23:59:59.500")}},
                       {DataType::Date(), {Day("2024-02-28")}}});
  auto ts = Col(0, DataType::Timestamp()), d = Col(1, DataType::Date());
  auto second = Lit(Value::Interval(1000)), two_days = Lit(Value::Interval(2 * 86400000LL));
  EXPECT_EQ(Eval(Fn("+", {ts, second}, DataType::Timestamp()), b), (Texts{"2024-02-01 00:00:00.500"}));
  EXPECT_EQ(Eval(Fn("+", {second, ts}, DataType::Timestamp()), b), (Texts{"2024-02-01 00:00:00.500"}));
  EXPECT_EQ(Eval(Fn("-", {ts, two_days}, DataType::Timestamp()), b), (Texts{"2024-01-29 23:59:59.500"}));
  EXPECT_EQ(Eval(Fn("+", {d, two_days}, DataType::Date()), b), (Texts{"2024-03-01"}));
  EXPECT_EQ(Eval(Fn("-", {d, two_days}, DataType::Date()), b), (Texts{"2024-02-26"}));
  EXPECT_EQ(Eval(Fn("+", {d, second}, DataType::Timestamp()), b), (Texts{"2024-02-28 00:00:01.000"}));
  EXPECT_EQ(Eval(Fn("*", {second, Int(3)}, DataType::Interval()), b), (Texts{"INTERVAL 3000 MILLISECOND"}));
}

TEST(ExprArithmetic, ConstantsFoldAndBroadcast) {
  Batch b = Ints({Value::Int32(1), Value::Int32(2), Value::Int32(3)}, {Value::Int32(0), Value::Int32(0), Value::Int32(0)});
  EXPECT_EQ(Eval(Fn("+", {Int(1), Int(2)}, DataType::Int32()), b), (Texts{"3", "3", "3"}));
  EXPECT_EQ(Eval(Fn("+", {Col(0, DataType::Int32()), Lit(Value::Null(DataType::Int32()))}, DataType::Int32()), b),
            (Texts{"NULL", "NULL", "NULL"}));
  // A constant division by zero is not folded away: it fails when rows come.
  EXPECT_FALSE(TryEval(Fn("/", {Int(1), Int(0)}, DataType::Int32()), b).ok());
}

TEST(ExprArithmetic, OnlySelectedRowsAreReturned) {
  Batch b = Ints({Value::Int32(1), Value::Int32(2), Value::Int32(3), Value::Int32(4)},
                 {Value::Int32(10), Value::Int32(20), Value::Int32(30), Value::Int32(40)});
  b.selection = std::vector<uint32_t>{1, 3};
  auto e = Fn("*", {Col(0, DataType::Int32()), Col(1, DataType::Int32())}, DataType::Int32());
  EXPECT_EQ(Eval(e, b), (Texts{"40", "160"}));
}

TEST(ExprArithmetic, UnsupportedTypesAreRefusedByName) {
  auto e = Fn("+", {Str("a"), Int(1)}, DataType::Int32());
  auto r = CompiledExpr::Compile(e);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "unsupported function +(STRING, INT)");
  auto unknown = CompiledExpr::Compile(Fn("FOO", {Str("a")}, DataType::String()));
  EXPECT_EQ(unknown.status().message(), "unsupported function FOO(STRING)");
}

}  // namespace
}  // namespace kappa::engine::testing
