#include "format/cell_parser.h"

#include <gtest/gtest.h>

#include <cmath>

#include "columnar/value.h"

namespace kappa::format {
namespace {

// The decimal as text, or "syntax" / "range".
std::string Dec(std::string_view s, int precision, int scale) {
  columnar::Int128 v = 0;
  switch (ParseDecimalText(s, precision, scale, &v)) {
    case CellError::kOk: return columnar::FormatDecimal(v, scale);
    case CellError::kSyntax: return "syntax";
    case CellError::kRange: return "range";
  }
  return "?";
}

TEST(ParseDecimalText, ExactRoundingHalfUpAndPrecision) {
  EXPECT_EQ(Dec("1.005", 18, 2), "1.01");
  EXPECT_EQ(Dec("-1.005", 18, 2), "-1.01");
  EXPECT_EQ(Dec("1.0049999999999999999999", 18, 2), "1.00");
  EXPECT_EQ(Dec("0.5", 1, 0), "1");
  EXPECT_EQ(Dec("9.5", 1, 0), "range");  // rounds to 10
  EXPECT_EQ(Dec("99.99", 4, 2), "99.99");
  EXPECT_EQ(Dec("100", 4, 2), "range");
  EXPECT_EQ(Dec("000000000000000000000000000000000000000012.5", 4, 2), "12.50");
  EXPECT_EQ(Dec("1e2", 5, 2), "100.00");
  EXPECT_EQ(Dec("1E+2", 5, 2), "100.00");
  EXPECT_EQ(Dec("12345e-4", 5, 2), "1.23");
  EXPECT_EQ(Dec("5e-3", 5, 2), "0.01");
  EXPECT_EQ(Dec("5e-99999999", 5, 2), "0.00");
  EXPECT_EQ(Dec("1e99999999", 38, 0), "range");
  EXPECT_EQ(Dec("0e99999999", 5, 2), "0.00");
  EXPECT_EQ(Dec(".5", 5, 2), "0.50");
  EXPECT_EQ(Dec("5.", 5, 2), "5.00");
  EXPECT_EQ(Dec("+5", 5, 2), "5.00");
  EXPECT_EQ(Dec("99999999999999999999999999999999999999", 38, 0),
            "99999999999999999999999999999999999999");
  EXPECT_EQ(Dec("-99999999999999999999999999999999999999", 38, 0),
            "-99999999999999999999999999999999999999");
  EXPECT_EQ(Dec("100000000000000000000000000000000000000", 38, 0), "range");
  EXPECT_EQ(Dec("9999999999999999999999999999.9999999999", 38, 10),
            "9999999999999999999999999999.9999999999");
  for (const char* bad : {"", "-", ".", "1..2", "1e", "1e+", "0x10", "1 ", "NaN", "1,5", "--1"}) {
    EXPECT_EQ(Dec(bad, 10, 2), "syntax") << bad;
  }
}

TEST(ParseInt64Text, Limits) {
  int64_t v = 0;
  EXPECT_EQ(ParseInt64Text("9223372036854775807", &v), CellError::kOk);
  EXPECT_EQ(v, INT64_MAX);
  EXPECT_EQ(ParseInt64Text("-9223372036854775808", &v), CellError::kOk);
  EXPECT_EQ(v, INT64_MIN);
  EXPECT_EQ(ParseInt64Text("9223372036854775808", &v), CellError::kRange);
  EXPECT_EQ(ParseInt64Text("99999999999999999999999", &v), CellError::kRange);
  EXPECT_EQ(ParseInt64Text("1.0", &v), CellError::kSyntax);
  EXPECT_EQ(ParseInt64Text("", &v), CellError::kSyntax);
  EXPECT_EQ(ParseInt64Text("+", &v), CellError::kSyntax);
  int32_t i = 0;
  EXPECT_EQ(ParseInt32Text("-2147483648", &i), CellError::kOk);
  EXPECT_EQ(i, INT32_MIN);
  EXPECT_EQ(ParseInt32Text("2147483648", &i), CellError::kRange);
}

TEST(ParseDateText, ValidDaysOnly) {
  int32_t d = 0;
  EXPECT_TRUE(ParseDateText("1970-01-02", &d));
  EXPECT_EQ(d, 1);
  EXPECT_TRUE(ParseDateText("2000-02-29", &d));
  EXPECT_FALSE(ParseDateText("1900-02-29", &d));
  EXPECT_FALSE(ParseDateText("2024-04-31", &d));
  EXPECT_FALSE(ParseDateText("2024-1-01", &d));
  EXPECT_FALSE(ParseDateText("2024-01-01T", &d));
}

TEST(ParseBoolAndDouble, Spellings) {
  bool b = false;
  EXPECT_TRUE(ParseBoolText("TrUe", &b));
  EXPECT_TRUE(b);
  EXPECT_FALSE(ParseBoolText("yes", &b));
  EXPECT_FALSE(ParseBoolText("1", &b));
  double x = 0;
  EXPECT_TRUE(ParseDoubleText("-Infinity", &x));
  EXPECT_TRUE(x < 0 && std::isinf(x));
  EXPECT_TRUE(ParseDoubleText("+2.5e-1", &x));
  EXPECT_EQ(x, 0.25);
  EXPECT_FALSE(ParseDoubleText("2.5x", &x));
  EXPECT_FALSE(ParseDoubleText("", &x));
}

}  // namespace
}  // namespace kappa::format
