#include "format/json_writer.h"

#include <gtest/gtest.h>

namespace kappa::format {
namespace {

TEST(IsJsonNumber, Grammar) {
  for (const char* yes : {"0", "-0", "7", "42", "-12", "3.25", "0.5", "1e9", "1E+9", "-2.5e-3"}) {
    EXPECT_TRUE(IsJsonNumber(yes)) << yes;
  }
  for (const char* no : {"", "-", "007", "01", "+1", "1.", ".5", "1e", "1e+", "NaN", "inf",
                         "0x10", "1,5", " 1", "1 ", "12a", "--1"}) {
    EXPECT_FALSE(IsJsonNumber(no)) << no;
  }
}

TEST(AppendJsonString, Escapes) {
  std::string out;
  AppendJsonString(std::string_view("a\"b\\c\nd\x01\te", 10), &out);
  EXPECT_EQ(out, R"("a\"b\\c\nd\u0001\te")");
  out.clear();
  AppendJsonStringUnescapingCsv(R"(say ""hi"")", &out);
  EXPECT_EQ(out, R"("say \"hi\"")");
  out = "x";
  AppendJsonStringUnescapingCsv(std::string_view("\x1f\"\"\\", 4), &out);
  EXPECT_EQ(out, R"(x"\u001f\"\\")");
  out.clear();
  AppendJsonStringUnescapingCsv(R"(say ""hi"")", &out);
  EXPECT_EQ(out, R"("say \"hi\"")");
}

TEST(IsValidUtf8, Basic) {
  EXPECT_TRUE(IsValidUtf8("plain"));
  EXPECT_TRUE(IsValidUtf8("caf\xc3\xa9"));
  EXPECT_FALSE(IsValidUtf8("caf\xc3"));
  EXPECT_FALSE(IsValidUtf8("\xff"));
}

TEST(CsvJsonWriter, RendersRow) {
  Result<CsvJsonWriter> w = CsvJsonWriter::Create({"ts", "n", "price", "name", "zip", "note"});
  ASSERT_TRUE(w.ok());
  EXPECT_EQ(w->IndexOf("price"), 2);
  EXPECT_EQ(w->IndexOf("nope"), -1);
  std::vector<CsvField> fields = {
      {"2024-01-01T00:00:00Z"}, {"42"}, {"9.99"}, {"Smith, \"\"J\"\"", true, true}, {"007"}, {""}};
  std::string buf = "stale bytes from an earlier, longer row ...........................";
  EXPECT_EQ(w->Render(fields, &buf),
            R"({"ts":"2024-01-01T00:00:00Z","n":42,"price":9.99,)"
            R"("name":"Smith, \"J\"","zip":"007","note":null})");
}

TEST(CsvJsonWriter, QuotedNumbersAreNumbers) {
  Result<CsvJsonWriter> w = CsvJsonWriter::Create({"a", "b"});
  ASSERT_TRUE(w.ok());
  std::vector<CsvField> fields = {{"42", true, false}, {"", true, false}};
  std::string buf;
  EXPECT_EQ(w->Render(fields, &buf), R"({"a":42,"b":null})");
}

TEST(CsvJsonWriter, RejectsBadHeaders) {
  EXPECT_FALSE(CsvJsonWriter::Create({}).ok());
  Result<CsvJsonWriter> dup = CsvJsonWriter::Create({"a", "b", "a"});
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.status().message(), "duplicate CSV column name 'a'");
}

TEST(HeaderNames, DropsBomAndQuotes) {
  CsvRow header;
  header.fields = {{"\xEF\xBB\xBFid"}, {"a \"\"b\"\"", true, true}};
  EXPECT_EQ(HeaderNames(header), (std::vector<std::string>{"id", "a \"b\""}));
}

}  // namespace
}  // namespace kappa::format
