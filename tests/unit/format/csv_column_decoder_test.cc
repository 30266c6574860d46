#include "format/csv_column_decoder.h"

#include <gtest/gtest.h>

#include "columnar/batch.h"

namespace kappa::format {
namespace {

using columnar::DataType;
using columnar::Schema;

std::string Rows(ValueDecoder& d) {
  columnar::Batch b;
  b.num_rows = d.rows();
  b.columns = d.Finish();
  return b.ToString();
}

Schema AllTypes() {
  return Schema({{"b", DataType::Boolean()},
                 {"i", DataType::Int32()},
                 {"l", DataType::Int64()},
                 {"d", DataType::Double()},
                 {"m", DataType::Decimal(10, 3)},
                 {"s", DataType::String()},
                 {"dt", DataType::Date()},
                 {"ts", DataType::Timestamp()},
                 {"tl", DataType::TimestampLtz()}});
}

TEST(CsvColumnDecoder, EveryTypeEmptyIsNullButForStrings) {
  auto d = *CsvColumnDecoder::Create(AllTypes());
  ASSERT_TRUE(d->Decode("true,-1,9223372036854775807,1.5e1,1.0005,hello,2024-12-31,"
                        "2024-01-01 12:00:00.5,2024-01-01T12:00:00Z\n")
                  .ok());
  ASSERT_TRUE(d->Decode(",,,,,,,,").ok());
  ASSERT_TRUE(d->Decode("FALSE, 7 ,0,NaN,\"-2\",\"a,\"\"b\"\"\nc\",,1704110400123,\r\n").ok());
  EXPECT_EQ(Rows(*d),
            "+I[TRUE, -1, 9223372036854775807, 15, 1.001, hello, 2024-12-31, "
            "2024-01-01 12:00:00.500, 2024-01-01 12:00:00.000]\n"
            "+I[NULL, NULL, NULL, NULL, NULL, , NULL, NULL, NULL]\n"
            "+I[FALSE, 7, 0, NaN, -2.000, a,\"b\"\nc, NULL, 2024-01-01 12:00:00.123, NULL]\n");
}

std::string Reason(ValueDecoder& d, std::string_view value) {
  size_t before = d.rows();
  Status s = d.Decode(value);
  EXPECT_FALSE(s.ok()) << value;
  EXPECT_EQ(d.rows(), before);
  return std::string(s.message());
}

TEST(CsvColumnDecoder, MalformedRecordsSayWhy) {
  Schema schema({{"id", DataType::Int64()}, {"n", DataType::Int32()}, {"s", DataType::String()}});
  auto d = *CsvColumnDecoder::Create(schema);
  EXPECT_EQ(Reason(*d, "abc,1,x"), R"(wrong type for column 'id': expected BIGINT, got "abc")");
  EXPECT_EQ(Reason(*d, "1,3000000000,x"),
            "number out of range for column 'n': INT cannot hold 3000000000");
  EXPECT_EQ(Reason(*d, "1,2"), "expected 3 fields, got 2");
  EXPECT_EQ(Reason(*d, "1,2,x,y"), "expected 3 fields, got 4");
  EXPECT_EQ(Reason(*d, "1,2,\"x"), "invalid CSV at byte 4: unterminated quoted field");
  EXPECT_EQ(Reason(*d, "1,\"2\"x,y"), "invalid CSV at byte 5: text after a closing quote");
  ASSERT_TRUE(d->Decode("1,2,\"\"").ok());
  EXPECT_EQ(Rows(*d), "+I[1, 2, ]\n");
}

TEST(CsvColumnDecoder, IgnoreParseErrors) {
  Schema schema({{"id", DataType::Int64()}, {"n", DataType::Int32()}, {"s", DataType::String()}});
  auto d = *CsvColumnDecoder::Create(schema, {.ignore_parse_errors = true});
  ASSERT_TRUE(d->Decode("abc,1,x").ok());
  ASSERT_TRUE(d->Decode("5").ok());
  ASSERT_TRUE(d->Decode("6,7,z,extra").ok());
  EXPECT_FALSE(d->Decode("1,2,\"x").ok());
  EXPECT_EQ(Rows(*d), "+I[NULL, 1, x]\n+I[5, NULL, NULL]\n+I[6, 7, z]\n");
}

TEST(CsvColumnDecoder, OtherDelimiterAndRowsRefused) {
  auto d = *CsvColumnDecoder::Create(Schema({{"a", DataType::String()}, {"b", DataType::Int64()}}),
                                     {.delimiter = '|'});
  ASSERT_TRUE(d->Decode("x,y|2").ok());
  EXPECT_EQ(Rows(*d), "+I[x,y, 2]\n");
  auto bad = CsvColumnDecoder::Create(Schema({{"r", DataType::Row({{"a", DataType::Int64()}})}}));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(), "column 'r': type ROW<a BIGINT> is not supported by the csv format");
}

}  // namespace
}  // namespace kappa::format
