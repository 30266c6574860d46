#include "format/csv_reader.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace kappa::format {
namespace {

struct ParsedRow {
  std::vector<std::string> fields;
  int64_t line;
  std::string raw;
  std::string error;
};

// Reads all of `csv`, handing it to the reader `chunk` bytes at a time.
std::vector<ParsedRow> ReadAll(const std::string& csv, size_t chunk, size_t buffer = 1 << 20) {
  StringSource source(csv, chunk);
  CsvOptions options;
  options.buffer_size = buffer;
  CsvReader reader(&source, options);
  std::vector<ParsedRow> rows;
  CsvRow row;
  std::string scratch;
  while (true) {
    Result<bool> more = reader.Next(&row);
    EXPECT_TRUE(more.ok()) << more.status();
    if (!more.ok() || !*more) break;
    ParsedRow p{{}, row.line, std::string(row.raw), std::string(row.error)};
    for (const CsvField& f : row.fields) p.fields.emplace_back(f.Value(&scratch));
    rows.push_back(std::move(p));
  }
  return rows;
}

const char kTricky[] =
    "id,name,note\r\n"
    "1,\"Smith, John\",\"said \"\"hi\"\"\"\r\n"
    "2,plain,\"two\nlines\"\n"
    "\n"
    "3,,\"\"\n"
    "4,x,\"three\r\nline\nfield\"\n"
    "5,last,no newline";

TEST(CsvReader, Rfc4180AtEveryChunkSize) {
  for (size_t chunk : {size_t{1}, size_t{2}, size_t{3}, size_t{7}, size_t{64}, SIZE_MAX}) {
    for (size_t buffer : {size_t{4}, size_t{16}, size_t{1} << 20}) {
      std::vector<ParsedRow> rows = ReadAll(kTricky, chunk, buffer);
      ASSERT_EQ(rows.size(), 6u) << "chunk " << chunk << " buffer " << buffer;
      EXPECT_EQ(rows[0].fields, (std::vector<std::string>{"id", "name", "note"}));
      EXPECT_EQ(rows[1].fields, (std::vector<std::string>{"1", "Smith, John", "said \"hi\""}));
      EXPECT_EQ(rows[2].fields, (std::vector<std::string>{"2", "plain", "two\nlines"}));
      EXPECT_EQ(rows[3].fields, (std::vector<std::string>{"3", "", ""}));
      EXPECT_EQ(rows[4].fields, (std::vector<std::string>{"4", "x", "three\r\nline\nfield"}));
      EXPECT_EQ(rows[5].fields, (std::vector<std::string>{"5", "last", "no newline"}));
      std::vector<int64_t> lines;
      for (const ParsedRow& r : rows) lines.push_back(r.line);
      EXPECT_EQ(lines, (std::vector<int64_t>{1, 2, 3, 6, 7, 10}));
      for (const ParsedRow& r : rows) EXPECT_EQ(r.error, "");
      EXPECT_EQ(rows[1].raw, "1,\"Smith, John\",\"said \"\"hi\"\"\"");
    }
  }
}

TEST(CsvReader, TrailingDelimiterAndEmptyInput) {
  std::vector<ParsedRow> rows = ReadAll("a,b,\n,,\n", 3);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].fields, (std::vector<std::string>{"a", "b", ""}));
  EXPECT_EQ(rows[1].fields, (std::vector<std::string>{"", "", ""}));
  EXPECT_TRUE(ReadAll("", 1).empty());
  EXPECT_TRUE(ReadAll("\n\r\n\n", 1).empty());
}

TEST(CsvReader, BareQuoteIsLiteral) {
  std::vector<ParsedRow> rows = ReadAll("5\" screen,ok\n", SIZE_MAX);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].fields, (std::vector<std::string>{"5\" screen", "ok"}));
}

TEST(CsvReader, TextAfterClosingQuoteIsReportedAndSkipped) {
  for (size_t chunk : {size_t{1}, SIZE_MAX}) {
    std::vector<ParsedRow> rows = ReadAll("a,b\n\"x\"y,2\n3,4\n", chunk);
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_EQ(rows[1].error, "unexpected character after closing quote");
    EXPECT_EQ(rows[1].line, 2);
    EXPECT_EQ(rows[1].raw, "\"x\"y,2");
    EXPECT_EQ(rows[2].fields, (std::vector<std::string>{"3", "4"}));
    EXPECT_EQ(rows[2].line, 3);
  }
}

TEST(CsvReader, UnterminatedQuoteAtEnd) {
  std::vector<ParsedRow> rows = ReadAll("a,b\n1,\"open\nstill open\n", 2);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1].error, "unterminated quoted field");
  EXPECT_EQ(rows[1].line, 2);
}

TEST(CsvReader, RecordLargerThanMaxSizeFails) {
  StringSource source(std::string(100, 'x') + "\n");
  CsvOptions options;
  options.buffer_size = 8;
  options.max_record_size = 32;
  CsvReader reader(&source, options);
  CsvRow row;
  Result<bool> r = reader.Next(&row);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("line 1"), std::string_view::npos);
}

TEST(CsvReader, OtherDelimiter) {
  StringSource source("a;b\n\"x;y\";2\n");
  CsvOptions options;
  options.delimiter = ';';
  CsvReader reader(&source, options);
  CsvRow row;
  ASSERT_TRUE(*reader.Next(&row));
  ASSERT_TRUE(*reader.Next(&row));
  ASSERT_EQ(row.fields.size(), 2u);
  EXPECT_EQ(row.fields[0].text, "x;y");
}

}  // namespace
}  // namespace kappa::format
