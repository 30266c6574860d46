// String functions (code-point aware) and LIKE.
#include "expr_test_util.h"

namespace kappa::engine::testing {
namespace {

const DataType kS = DataType::String();

Batch Strings(std::vector<Value> values) { return MakeBatch({{kS, std::move(values)}}); }
Value S(const char* s) { return Value::String(s); }
Value NullS() { return Value::Null(DataType::String()); }

TEST(ExprString, UpperLowerMapUnicode) {
  Batch b = Strings({S("Hello, World"), S("éàç ÿ αβγ"), NullS(), S("")});
  EXPECT_EQ(Eval(Fn("UPPER", {Col(0, kS)}, kS), b), (Texts{"HELLO, WORLD", "ÉÀÇ Ÿ ΑΒΓ", "NULL", ""}));
  EXPECT_EQ(Eval(Fn("LOWER", {Col(0, kS)}, kS), b), (Texts{"hello, world", "éàç ÿ αβγ", "NULL", ""}));
  EXPECT_EQ(Eval1(Fn("LOWER", {Str("ÀB")}, kS)), "àb");
}

TEST(ExprString, SubstringCountsCodePoints) {
  Batch b = Strings({S("hello"), S("héllo"), S("日本語テキスト"), NullS()});
  auto s = Col(0, kS);
  auto sub = [&](int start) { return Fn("SUBSTRING", {s, Int(start)}, kS); };
  auto sub3 = [&](int start, int len) { return Fn("SUBSTRING", {s, Int(start), Int(len)}, kS); };
  EXPECT_EQ(Eval(sub(2), b), (Texts{"ello", "éllo", "本語テキスト", "NULL"}));
  EXPECT_EQ(Eval(sub3(2, 3), b), (Texts{"ell", "éll", "本語テ", "NULL"}));
  EXPECT_EQ(Eval(sub3(0, 2), b), (Texts{"he", "hé", "日本", "NULL"}));
  EXPECT_EQ(Eval(sub(-3), b), (Texts{"llo", "llo", "キスト", "NULL"}));
  EXPECT_EQ(Eval(sub3(-3, 2), b), (Texts{"ll", "ll", "キス", "NULL"}));
  EXPECT_EQ(Eval(sub(10), b), (Texts{"", "", "", "NULL"}));
  EXPECT_EQ(Eval(sub(-10), b), (Texts{"", "", "", "NULL"}));
  EXPECT_EQ(Eval(sub3(2, -1), b), (Texts{"NULL", "NULL", "NULL", "NULL"}));
  EXPECT_EQ(Eval(sub3(4, 100), b), (Texts{"lo", "lo", "テキスト", "NULL"}));
}

TEST(ExprString, ConcatIsNullWhenAnyArgumentIs) {
  Batch b = Strings({S("x"), NullS()});
  EXPECT_EQ(Eval(Fn("CONCAT", {Col(0, kS), Str("-"), Int(5)}, kS), b), (Texts{"x-5", "NULL"}));
  EXPECT_EQ(Eval(Fn("CONCAT", {Str("a"), Col(0, kS), Str("b")}, kS), b), (Texts{"axb", "NULL"}));
  EXPECT_EQ(Eval1(Fn("CONCAT", {Str("a"), Lit(Value::Null(kS))}, kS)), "NULL");
}

TEST(ExprString, TrimModesAndCharacters) {
  Batch b = Strings({S("  ab  "), S("xyabyx"), S("éaé"), NullS()});
  auto s = Col(0, kS);
  EXPECT_EQ(Eval(Fn("TRIM", {s}, kS), b), (Texts{"ab", "xyabyx", "éaé", "NULL"}));
  EXPECT_EQ(Eval(Fn("TRIM", {s, Str("LEADING")}, kS), b), (Texts{"ab  ", "xyabyx", "éaé", "NULL"}));
  EXPECT_EQ(Eval(Fn("TRIM", {s, Str("TRAILING")}, kS), b), (Texts{"  ab", "xyabyx", "éaé", "NULL"}));
  EXPECT_EQ(Eval(Fn("TRIM", {s, Str("BOTH"), Str("xy")}, kS), b), (Texts{"  ab  ", "ab", "éaé", "NULL"}));
  EXPECT_EQ(Eval(Fn("TRIM", {s, Str("TRAILING"), Str("é")}, kS), b), (Texts{"  ab  ", "xyabyx", "éa", "NULL"}));
  EXPECT_EQ(Eval1(Fn("TRIM", {Str("   ")}, kS)), "");
  EXPECT_FALSE(CompiledExpr::Compile(Fn("TRIM", {s, Str("MIDDLE")}, kS)).ok());
}

TEST(ExprString, CharLengthCountsCodePoints) {
  Batch b = Strings({S("héllo"), S(""), NullS(), S("日本")});
  EXPECT_EQ(Eval(Fn("CHAR_LENGTH", {Col(0, kS)}, DataType::Int32()), b), (Texts{"5", "0", "NULL", "2"}));
}

Texts Like(const Batch& b, const char* pattern, const char* escape = nullptr) {
  std::vector<sql::ExprPtr> args{Col(0, kS), Str(pattern)};
  if (escape != nullptr) args.push_back(Str(escape));
  return Eval(Fn("LIKE", std::move(args), DataType::Boolean()), b);
}

TEST(ExprLike, PatternsWithPercentUnderscoreAndEscape) {
  Batch b = Strings({S("abc"), S("abd"), S("xabcx"), S("ab"), S("a_c"), S("日本語"), NullS()});
  const std::string T = "TRUE", F = "FALSE", N = "NULL";
  EXPECT_EQ(Like(b, "abc"), (Texts{T, F, F, F, F, F, N}));
  EXPECT_EQ(Like(b, "ab%"), (Texts{T, T, F, T, F, F, N}));
  EXPECT_EQ(Like(b, "%bc"), (Texts{T, F, F, F, F, F, N}));
  EXPECT_EQ(Like(b, "%bc%"), (Texts{T, F, T, F, F, F, N}));
  EXPECT_EQ(Like(b, "a_c"), (Texts{T, F, F, F, T, F, N}));
  EXPECT_EQ(Like(b, "%b_"), (Texts{T, T, F, F, F, F, N}));
  EXPECT_EQ(Like(b, "日_語"), (Texts{F, F, F, F, F, T, N}));
  EXPECT_EQ(Like(b, "___"), (Texts{T, T, F, F, T, T, N}));
  EXPECT_EQ(Like(b, "a%c%"), (Texts{T, F, F, F, T, F, N}));
  EXPECT_EQ(Like(b, "%a%b%"), (Texts{T, T, T, T, F, F, N}));
  EXPECT_EQ(Like(b, "%"), (Texts{T, T, T, T, T, T, N}));
  EXPECT_EQ(Like(b, "a\\_c", "\\"), (Texts{F, F, F, F, T, F, N}));
  EXPECT_EQ(Like(b, "a!%", "!"), (Texts{F, F, F, F, F, F, N}));
  // Without ESCAPE a backslash is an ordinary character.
  EXPECT_EQ(Like(b, "a\\_c"), (Texts{F, F, F, F, F, F, N}));
  auto bad = CompiledExpr::Compile(Fn("LIKE", {Col(0, kS), Str("a\\x"), Str("\\")}, DataType::Boolean()));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(), "invalid escape sequence in LIKE pattern 'a\\x'");
}

TEST(ExprLike, PatternFromAColumn) {
  Batch b = MakeBatch({{kS, {S("abc"), S("abc"), S("abc"), NullS()}}, {kS, {S("a%"), S("b%"), NullS(), S("%")}}});
  EXPECT_EQ(Eval(Fn("LIKE", {Col(0, kS), Col(1, kS)}, DataType::Boolean()), b), (Texts{"TRUE", "FALSE", "NULL", "NULL"}));
  auto compiled = CompiledExpr::Compile(Fn("LIKE", {Col(0, kS), Col(1, kS)}, DataType::Boolean()));
  ASSERT_TRUE(compiled.ok());
  EXPECT_EQ(*EvalFilter(**compiled, b), (std::vector<uint32_t>{0}));
}

}  // namespace
}  // namespace kappa::engine::testing
