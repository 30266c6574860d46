// Comparisons across types, three-valued logic, null tests, IN, CASE,
// COALESCE, and filters over selection vectors (with short-circuiting).
#include "expr_test_util.h"

namespace kappa::engine::testing {
namespace {

const DataType kBool = DataType::Boolean();

Value B(int v) { return v < 0 ? Value::Null(DataType::Boolean()) : Value::Boolean(v == 1); }

TEST(ExprCompare, NumbersCompareAcrossTypes) {
  Batch b = MakeBatch({{DataType::Int32(), {Value::Int32(1), Value::Int32(2), Value::Int32(3), Value::Null(DataType::Int32())}},
                       {DataType::Decimal(10, 2), {DecVal("1.50", 10, 2), DecVal("2.00", 10, 2), DecVal("2.99", 10, 2), DecVal("0", 10, 2)}},
                       {DataType::Double(), {Value::Double(0.5), Value::Double(2), Value::Double(3.5), Value::Double(1)}}});
  auto i = Col(0, DataType::Int32()), d = Col(1, DataType::Decimal(10, 2)), x = Col(2, DataType::Double());
  EXPECT_EQ(Eval(Fn("<", {i, Lit(Value::Int64(2))}, kBool), b), (Texts{"TRUE", "FALSE", "FALSE", "NULL"}));
  EXPECT_EQ(Eval(Fn(">", {i, Dec("2.50", 3, 2)}, kBool), b), (Texts{"FALSE", "FALSE", "TRUE", "NULL"}));
  EXPECT_EQ(Eval(Fn("=", {d, Dec("1.500", 4, 3)}, kBool), b), (Texts{"TRUE", "FALSE", "FALSE", "FALSE"}));
  EXPECT_EQ(Eval(Fn("<=", {i, d}, kBool), b), (Texts{"TRUE", "TRUE", "FALSE", "NULL"}));
  EXPECT_EQ(Eval(Fn(">=", {x, i}, kBool), b), (Texts{"FALSE", "TRUE", "TRUE", "NULL"}));
  EXPECT_EQ(Eval(Fn("<>", {x, d}, kBool), b), (Texts{"TRUE", "FALSE", "TRUE", "TRUE"}));
}

TEST(ExprCompare, StringsCompareAsUtf8Bytes) {
  Batch b = MakeBatch({{DataType::String(), {Value::String("a"), Value::String("B"), Value::String("é"), Value::String("ab"), Value::String("")}}});
  auto s = Col(0, DataType::String());
  EXPECT_EQ(Eval(Fn("<", {s, Str("b")}, kBool), b), (Texts{"TRUE", "TRUE", "FALSE", "TRUE", "TRUE"}));
  EXPECT_EQ(Eval(Fn("=", {s, Str("ab")}, kBool), b), (Texts{"FALSE", "FALSE", "FALSE", "TRUE", "FALSE"}));
  EXPECT_EQ(Eval(Fn(">", {s, Str("z")}, kBool), b), (Texts{"FALSE", "FALSE", "TRUE", "FALSE", "FALSE"}));
}

TEST(ExprCompare, DatesTimestampsAndBooleans) {
  Batch b = MakeBatch({{DataType::Date(), {Day("2024-01-01"), Day("2024-01-02")}},
                       {DataType::Timestamp(), {Ts("2024-01-01 00:00:00"), Ts("2024-01-01 12:00:00")}},
                       {kBool, {B(1), B(0)}}});
  auto d = Col(0, DataType::Date()), t = Col(1, DataType::Timestamp()), f = Col(2, kBool);
  EXPECT_EQ(Eval(Fn("=", {d, t}, kBool), b), (Texts{"TRUE", "FALSE"}));
  EXPECT_EQ(Eval(Fn(">", {d, t}, kBool), b), (Texts{"FALSE", "TRUE"}));
  EXPECT_EQ(Eval(Fn("<", {t, Lit(Ts("2024-01-01 06:00:00"))}, kBool), b), (Texts{"TRUE", "FALSE"}));
  EXPECT_EQ(Eval(Fn(">", {f, Lit(Value::Boolean(false))}, kBool), b), (Texts{"TRUE", "FALSE"}));
  // A string compared with a date is parsed as one.
  EXPECT_EQ(Eval(Fn("=", {d, Str("2024-01-02")}, kBool), b), (Texts{"FALSE", "TRUE"}));
}

Batch TruthTable() {
  return MakeBatch({{kBool, {B(1), B(1), B(1), B(0), B(0), B(0), B(-1), B(-1), B(-1)}},
                    {kBool, {B(1), B(0), B(-1), B(1), B(0), B(-1), B(1), B(0), B(-1)}}});
}

TEST(ExprLogic, AndOrNotAreThreeValued) {
  Batch b = TruthTable();
  auto p = Col(0, kBool), q = Col(1, kBool);
  EXPECT_EQ(Eval(Fn("AND", {p, q}, kBool), b),
            (Texts{"TRUE", "FALSE", "NULL", "FALSE", "FALSE", "FALSE", "NULL", "FALSE", "NULL"}));
  EXPECT_EQ(Eval(Fn("OR", {p, q}, kBool), b),
            (Texts{"TRUE", "TRUE", "TRUE", "TRUE", "FALSE", "NULL", "TRUE", "NULL", "NULL"}));
  EXPECT_EQ(Eval(Fn("NOT", {p}, kBool), b),
            (Texts{"FALSE", "FALSE", "FALSE", "TRUE", "TRUE", "TRUE", "NULL", "NULL", "NULL"}));
  // Constant operands take the identity / dominant shortcuts.
  auto null_bool = Lit(Value::Null(kBool));
  EXPECT_EQ(Eval(Fn("AND", {null_bool, q}, kBool), b),
            (Texts{"NULL", "FALSE", "NULL", "NULL", "FALSE", "NULL", "NULL", "FALSE", "NULL"}));
  EXPECT_EQ(Eval(Fn("OR", {Lit(Value::Boolean(false)), q}, kBool), b),
            (Texts{"TRUE", "FALSE", "NULL", "TRUE", "FALSE", "NULL", "TRUE", "FALSE", "NULL"}));
  // As filters: only TRUE rows.
  auto and_filter = CompiledExpr::Compile(Fn("AND", {p, q}, kBool));
  ASSERT_TRUE(and_filter.ok());
  EXPECT_EQ(*EvalFilter(**and_filter, b), (std::vector<uint32_t>{0}));
  auto or_filter = CompiledExpr::Compile(Fn("OR", {p, q}, kBool));
  EXPECT_EQ(*EvalFilter(**or_filter, b), (std::vector<uint32_t>{0, 1, 2, 3, 6}));
  auto not_filter = CompiledExpr::Compile(Fn("NOT", {p}, kBool));
  EXPECT_EQ(*EvalFilter(**not_filter, b), (std::vector<uint32_t>{3, 4, 5}));
}

TEST(ExprLogic, NullTests) {
  Batch b = TruthTable();
  auto p = Col(0, kBool), q = Col(1, kBool);
  EXPECT_EQ(Eval(Fn("IS NULL", {p}, kBool), b),
            (Texts{"FALSE", "FALSE", "FALSE", "FALSE", "FALSE", "FALSE", "TRUE", "TRUE", "TRUE"}));
  EXPECT_EQ(Eval(Fn("IS NOT NULL", {q}, kBool), b),
            (Texts{"TRUE", "TRUE", "FALSE", "TRUE", "TRUE", "FALSE", "TRUE", "TRUE", "FALSE"}));
  EXPECT_EQ(Eval(Fn("IS TRUE", {q}, kBool), b),
            (Texts{"TRUE", "FALSE", "FALSE", "TRUE", "FALSE", "FALSE", "TRUE", "FALSE", "FALSE"}));
  EXPECT_EQ(Eval(Fn("IS FALSE", {q}, kBool), b),
            (Texts{"FALSE", "TRUE", "FALSE", "FALSE", "TRUE", "FALSE", "FALSE", "TRUE", "FALSE"}));
  EXPECT_EQ(Eval(Fn("IS NOT TRUE", {q}, kBool), b),
            (Texts{"FALSE", "TRUE", "TRUE", "FALSE", "TRUE", "TRUE", "FALSE", "TRUE", "TRUE"}));
  EXPECT_EQ(Eval(Fn("IS NOT FALSE", {q}, kBool), b),
            (Texts{"TRUE", "FALSE", "TRUE", "TRUE", "FALSE", "TRUE", "TRUE", "FALSE", "TRUE"}));
  Batch s = MakeBatch({{DataType::String(), {Value::String("x"), Value::Null(DataType::String())}}});
  EXPECT_EQ(Eval(Fn("IS NULL", {Col(0, DataType::String())}, kBool), s), (Texts{"FALSE", "TRUE"}));
  EXPECT_EQ(Eval1(Fn("IS NULL", {Lit(Value::Null(DataType::Int32()))}, kBool)), "TRUE");
}

TEST(ExprLogic, AndOrSkipRowsTheLeftSideDecides) {
  Batch b = MakeBatch({{DataType::Int32(), {Value::Int32(0), Value::Int32(2), Value::Int32(0)}},
                       {DataType::Int32(), {Value::Int32(5), Value::Int32(6), Value::Int32(7)}}});
  auto x = Col(0, DataType::Int32()), y = Col(1, DataType::Int32());
  auto ratio_big = Fn(">", {Fn("/", {y, x}, DataType::Int32()), Int(1)}, kBool);
  auto guarded_and = Fn("AND", {Fn("<>", {x, Int(0)}, kBool), ratio_big}, kBool);
  EXPECT_EQ(Eval(guarded_and, b), (Texts{"FALSE", "TRUE", "FALSE"}));
  auto compiled = CompiledExpr::Compile(guarded_and);
  ASSERT_TRUE(compiled.ok());
  EXPECT_EQ(*EvalFilter(**compiled, b), (std::vector<uint32_t>{1}));
  auto guarded_or = Fn("OR", {Fn("=", {x, Int(0)}, kBool), ratio_big}, kBool);
  EXPECT_EQ(Eval(guarded_or, b), (Texts{"TRUE", "TRUE", "TRUE"}));
  auto or_compiled = CompiledExpr::Compile(guarded_or);
  EXPECT_EQ(*EvalFilter(**or_compiled, b), (std::vector<uint32_t>{0, 1, 2}));
  // Unguarded, the zero divisor is an error.
  EXPECT_FALSE(TryEval(ratio_big, b).ok());
}

TEST(ExprLogic, FilterHonoursTheSelectionAndDropsNulls) {
  Batch b = MakeBatch({{DataType::Decimal(18, 2), {DecVal("150.00", 18, 2), DecVal("200.00", 18, 2), DecVal("99.99", 18, 2),
                                                   DecVal("100.01", 18, 2), Value::Null(DataType::Decimal(18, 2)), DecVal("500.00", 18, 2)}},
                       {DataType::String(), {Value::String("EUR"), Value::String("EUR"), Value::String("EUR"),
                                             Value::String("USD"), Value::String("EUR"), Value::Null(DataType::String())}}});
  auto pred = Fn("AND", {Fn(">", {Col(0, DataType::Decimal(18, 2)), Int(100)}, kBool),
                         Fn("=", {Col(1, DataType::String()), Str("EUR")}, kBool)}, kBool);
  auto compiled = CompiledExpr::Compile(pred);
  ASSERT_TRUE(compiled.ok());
  EXPECT_EQ(*EvalFilter(**compiled, b), (std::vector<uint32_t>{0, 1}));
  b.selection = std::vector<uint32_t>{1, 2, 3, 4, 5};
  EXPECT_EQ(*EvalFilter(**compiled, b), (std::vector<uint32_t>{1}));
  EXPECT_EQ(Eval(pred, b), (Texts{"TRUE", "FALSE", "FALSE", "NULL", "NULL"}));
}

TEST(ExprLogic, InIsThreeValued) {
  Batch b = MakeBatch({{DataType::Int32(), {Value::Int32(1), Value::Int32(2), Value::Int32(3), Value::Null(DataType::Int32())}},
                       {DataType::Int64(), {Value::Int64(9), Value::Int64(2), Value::Int64(9), Value::Int64(9)}}});
  auto x = Col(0, DataType::Int32());
  EXPECT_EQ(Eval(Fn("IN", {x, Int(1), Int(3)}, kBool), b), (Texts{"TRUE", "FALSE", "TRUE", "NULL"}));
  EXPECT_EQ(Eval(Fn("IN", {x, Int(1), Lit(Value::Null(DataType::Int32()))}, kBool), b),
            (Texts{"TRUE", "NULL", "NULL", "NULL"}));
  EXPECT_EQ(Eval(Fn("IN", {x, Col(1, DataType::Int64()), Dec("3.0", 2, 1)}, kBool), b),
            (Texts{"FALSE", "TRUE", "TRUE", "NULL"}));
  Batch s = MakeBatch({{DataType::String(), {Value::String("EUR"), Value::String("GBP")}}});
  EXPECT_EQ(Eval(Fn("IN", {Col(0, DataType::String()), Str("USD"), Str("EUR")}, kBool), s), (Texts{"TRUE", "FALSE"}));
  EXPECT_EQ(Eval(Fn("IN", {Int(2), x, Int(7)}, kBool), b), (Texts{"FALSE", "TRUE", "FALSE", "NULL"}));
}

TEST(ExprLogic, CaseEvaluatesEachBranchOnItsRows) {
  Batch b = MakeBatch({{DataType::Int32(), {Value::Int32(3), Value::Int32(1), Value::Int32(-1), Value::Null(DataType::Int32()), Value::Int32(0)}}});
  auto x = Col(0, DataType::Int32());
  auto size = Fn("CASE", {Fn(">", {x, Int(2)}, kBool), Str("big"), Fn(">", {x, Int(0)}, kBool), Str("small"), Str("other")},
                 DataType::String());
  EXPECT_EQ(Eval(size, b), (Texts{"big", "small", "other", "other", "other"}));
  auto no_else = Fn("CASE", {Fn(">", {x, Int(2)}, kBool), x}, DataType::Int32());
  EXPECT_EQ(Eval(no_else, b), (Texts{"3", "NULL", "NULL", "NULL", "NULL"}));
  auto guarded = Fn("CASE", {Fn("<>", {x, Int(0)}, kBool), Fn("/", {Int(12), x}, DataType::Int32()), Int(0)},
                    DataType::Int32());
  EXPECT_EQ(Eval(guarded, b), (Texts{"4", "12", "-12", "0", "0"}));
  // Branches of different types are cast to the result type.
  auto mixed = Fn("CASE", {Fn(">", {x, Int(0)}, kBool), x, Dec("0.5", 2, 1)}, DataType::Decimal(11, 1));
  EXPECT_EQ(Eval(mixed, b), (Texts{"3.0", "1.0", "0.5", "0.5", "0.5"}));
  b.selection = std::vector<uint32_t>{0, 2};
  EXPECT_EQ(Eval(size, b), (Texts{"big", "other"}));
}

TEST(ExprLogic, CoalesceTakesTheFirstNonNull) {
  Batch b = MakeBatch({{DataType::Int32(), {Value::Null(DataType::Int32()), Value::Int32(1), Value::Null(DataType::Int32())}},
                       {DataType::Int32(), {Value::Int32(2), Value::Int32(0), Value::Null(DataType::Int32())}},
                       {DataType::String(), {Value::Null(DataType::String()), Value::String("s"), Value::Null(DataType::String())}}});
  auto x = Col(0, DataType::Int32()), y = Col(1, DataType::Int32());
  EXPECT_EQ(Eval(Fn("COALESCE", {x, y, Int(9)}, DataType::Int32()), b), (Texts{"2", "1", "9"}));
  EXPECT_EQ(Eval(Fn("COALESCE", {x, y}, DataType::Int32()), b), (Texts{"2", "1", "NULL"}));
  EXPECT_EQ(Eval(Fn("COALESCE", {Col(2, DataType::String()), Str("none")}, DataType::String()), b),
            (Texts{"none", "s", "none"}));
  // The second argument is computed only where the first is NULL (y = 0 only on row 1).
  EXPECT_EQ(Eval(Fn("COALESCE", {x, Fn("/", {Int(10), y}, DataType::Int32())}, DataType::Int32()), b),
            (Texts{"5", "1", "NULL"}));
  EXPECT_EQ(Eval(Fn("COALESCE", {x, Dec("1.5", 2, 1)}, DataType::Decimal(11, 1)), b), (Texts{"1.5", "1.0", "1.5"}));
}

}  // namespace
}  // namespace kappa::engine::testing
