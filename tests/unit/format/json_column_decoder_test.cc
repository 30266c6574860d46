#include "format/json_column_decoder.h"

#include <gtest/gtest.h>

#include "columnar/batch.h"

namespace kappa::format {
namespace {

using columnar::DataType;
using columnar::Field;
using columnar::Schema;

std::unique_ptr<JsonColumnDecoder> MakeDecoder(const Schema& schema,
                                               JsonDecoderOptions options = {}) {
  auto d = JsonColumnDecoder::Create(schema, options);
  EXPECT_TRUE(d.ok()) << d.status();
  return std::move(*d);
}

// The decoder's rows as Batch::ToString text; the decoder starts over.
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
                 {"m", DataType::Decimal(18, 2)},
                 {"s", DataType::String()},
                 {"dt", DataType::Date()},
                 {"ts", DataType::Timestamp()},
                 {"tl", DataType::TimestampLtz()}});
}

TEST(JsonColumnDecoder, EveryType) {
  auto d = MakeDecoder(AllTypes());
  ASSERT_TRUE(d->Decode(R"({"b":true,"i":-7,"l":9007199254740993,"d":0.25,"m":12.5,)"
                        R"("s":"h\u00e9\"llo","dt":"2024-02-29","ts":"2024-01-01 12:00:00.123",)"
                        R"("tl":"2024-01-01T12:00:00Z"})")
                  .ok());
  EXPECT_EQ(Rows(*d),
            "+I[TRUE, -7, 9007199254740993, 0.25, 12.50, h\u00e9\"llo, 2024-02-29, "
            "2024-01-01 12:00:00.123, 2024-01-01 12:00:00.000]\n");
}

TEST(JsonColumnDecoder, NullsMissingAndUnknownFields) {
  auto d = MakeDecoder(AllTypes());
  ASSERT_TRUE(d->Decode(R"({"b":null,"i":null,"l":null,"d":null,"m":null,"s":null,"dt":null,)"
                        R"("ts":null,"tl":null})")
                  .ok());
  ASSERT_TRUE(d->Decode(R"({"extra":{"deep":[1,{"x":2}]},"zzz":"q"})").ok());
  ASSERT_TRUE(d->Decode(R"({"l":5})").ok());
  ASSERT_TRUE(d->Decode("{}").ok());
  std::string nulls = "+I[NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL]\n";
  EXPECT_EQ(Rows(*d), nulls + nulls + "+I[NULL, NULL, 5, NULL, NULL, NULL, NULL, NULL, NULL]\n" +
                          nulls);
}

TEST(JsonColumnDecoder, NamesAreExactInAnyOrderAndLastRepeatWins) {
  auto d = MakeDecoder(Schema({{"id", DataType::Int64()}, {"name", DataType::String()}}));
  ASSERT_TRUE(d->Decode(R"({"name":"a","id":1})").ok());
  ASSERT_TRUE(d->Decode(R"({"ID":1,"Name":"b"})").ok());        // case-sensitive
  ASSERT_TRUE(d->Decode(R"({"\u0069d":3,"n\u0061me":"c"})").ok());  // escaped keys
  ASSERT_TRUE(d->Decode(R"({"id":4,"name":"x","id":5,"name":"d"})").ok());
  EXPECT_EQ(Rows(*d), "+I[1, a]\n+I[NULL, NULL]\n+I[3, c]\n+I[5, d]\n");
}

TEST(JsonColumnDecoder, NestedRows) {
  DataType person = DataType::Row({{"id", DataType::Int64()},
                                   {"name", DataType::String()},
                                   {"dateTime", DataType::Timestamp()}});
  DataType bid = DataType::Row({{"auction", DataType::Int64()},
                                {"price", DataType::Int64()},
                                {"where", DataType::Row({{"url", DataType::String()}})}});
  Schema schema({{"event_type", DataType::Int32()}, {"person", person}, {"bid", bid}});
  auto d = MakeDecoder(schema);
  ASSERT_TRUE(d->Decode(R"({"event_type":0,"person":{"id":1000,"name":"Peter Jones",)"
                        R"("dateTime":"2015-07-15 00:00:00.001"},"auction":null,"bid":null})")
                  .ok());
  ASSERT_TRUE(d->Decode(R"({"event_type":2,"person":null,"bid":{"price":100,"auction":1001,)"
                        R"("where":{"url":"http://x"}}})")
                  .ok());
  ASSERT_TRUE(d->Decode(R"({"event_type":2,"bid":{"auction":7,"where":null}})").ok());
  EXPECT_EQ(Rows(*d),
            "+I[0, (1000, Peter Jones, 2015-07-15 00:00:00.001), NULL]\n"
            "+I[2, NULL, (1001, 100, (http://x))]\n"
            "+I[2, NULL, (7, NULL, NULL)]\n");
}

TEST(JsonColumnDecoder, NullRowHasNullChildren) {
  Schema schema({{"r", DataType::Row({{"a", DataType::Int64()}, {"s", DataType::String()}})}});
  auto d = MakeDecoder(schema);
  ASSERT_TRUE(d->Decode(R"({"r":null})").ok());
  ASSERT_TRUE(d->Decode(R"({"r":{"a":1,"s":"x"}})").ok());
  std::vector<columnar::ColumnPtr> cols = d->Finish();
  ASSERT_EQ(cols.size(), 1u);
  const columnar::Column& r = *cols[0];
  ASSERT_EQ(r.size(), 2u);
  EXPECT_TRUE(r.IsNull(0));
  EXPECT_FALSE(r.IsNull(1));
  EXPECT_TRUE(r.children()[0]->IsNull(0));
  EXPECT_EQ(r.children()[0]->values<int64_t>()[1], 1);
  EXPECT_EQ(r.children()[1]->GetString(1), "x");
}

TEST(JsonColumnDecoder, StringColumnTakesAnyValueAsText) {
  auto d = MakeDecoder(Schema({{"s", DataType::String()}}));
  for (const char* v : {R"({"s":42})", R"({"s":1.50})", R"({"s":true})", R"({"s": false })",
                        R"({"s":{"a": 1, "b":[1, 2]}})", R"({"s":[ "x" , null ]})"}) {
    ASSERT_TRUE(d->Decode(v).ok()) << v;
  }
  EXPECT_EQ(Rows(*d), "+I[42]\n+I[1.50]\n+I[true]\n+I[false]\n+I[{\"a\":1,\"b\":[1,2]}]\n"
                      "+I[[\"x\",null]]\n");
}

TEST(JsonColumnDecoder, ScalarsFromStringsAsFlinkDoes) {
  Schema schema({{"b", DataType::Boolean()},
                 {"i", DataType::Int32()},
                 {"l", DataType::Int64()},
                 {"d", DataType::Double()}});
  auto d = MakeDecoder(schema);
  ASSERT_TRUE(d->Decode(R"({"b":"TRUE","i":" 42 ","l":"-9223372036854775808","d":"1e3"})").ok());
  ASSERT_TRUE(d->Decode(R"({"b":"false","i":"+1","l":"0","d":"NaN"})").ok());
  ASSERT_TRUE(d->Decode(R"({"d":-5})").ok());
  EXPECT_EQ(Rows(*d), "+I[TRUE, 42, -9223372036854775808, 1000]\n+I[FALSE, 1, 0, NaN]\n"
                      "+I[NULL, NULL, NULL, -5]\n");
}

TEST(JsonColumnDecoder, DecimalsAreExact) {
  Schema schema({{"m", DataType::Decimal(18, 2)}});
  auto d = MakeDecoder(schema);
  // Through a double, 1.005 is 1.00499999999999989... and rounds to 1.00.
  for (const char* v : {R"({"m":1.005})", R"({"m":9999999999999999.99})", R"({"m":-0.125})",
                        R"({"m":1.5e2})", R"({"m":125E-3})", R"({"m":"99.999"})",
                        R"({"m":" 7 "})", R"({"m":0})", R"({"m":-0.001})"}) {
    ASSERT_TRUE(d->Decode(v).ok()) << v;
  }
  std::vector<columnar::ColumnPtr> cols = d->Finish();
  const auto& v = cols[0]->values<columnar::Int128>();
  ASSERT_EQ(v.size(), 9u);
  EXPECT_TRUE(v[0] == 101);
  EXPECT_TRUE(v[1] == static_cast<columnar::Int128>(999999999999999999LL));
  EXPECT_TRUE(v[2] == -13);
  EXPECT_TRUE(v[3] == 15000);
  EXPECT_TRUE(v[4] == 13);
  EXPECT_TRUE(v[5] == 10000);
  EXPECT_TRUE(v[6] == 700);
  EXPECT_TRUE(v[7] == 0);
  EXPECT_TRUE(v[8] == 0);
}

TEST(JsonColumnDecoder, WideDecimal) {
  auto d = MakeDecoder(Schema({{"m", DataType::Decimal(38, 10)}}));
  ASSERT_TRUE(d->Decode(R"({"m":1234567890123456789012345678.0123456789})").ok());
  EXPECT_EQ(Rows(*d), "+I[1234567890123456789012345678.0123456789]\n");
}

TEST(JsonColumnDecoder, TimestampsInEveryAcceptedForm) {
  Schema schema({{"ts", DataType::Timestamp()}});
  auto d = MakeDecoder(schema);
  for (const char* v : {
           R"({"ts":"2024-01-01 12:00:00.123"})",      // Flink SQL standard
           R"({"ts":"2024-01-01 12:00:00.1"})",        // Flink drops trailing zeros
           R"({"ts":"2024-01-01 12:00:00"})",          // ... and a zero fraction
           R"({"ts":"2024-01-01T12:00:00.123"})",      // ISO-8601, no zone
           R"({"ts":"2024-01-01T12:00:00Z"})",         // ISO-8601, UTC
           R"({"ts":"2024-01-01T13:00:00.5+01:00"})",  // offset
           R"({"ts":"2024-01-01 12:00:00.123456789"})",  // nanos truncated to millis
           R"({"ts":1704110400123})",                  // epoch millis number
           R"({"ts":"1704110400123"})",                // ... and string
           R"({"ts":"2024-01-01"})",                   // a date
       }) {
    ASSERT_TRUE(d->Decode(v).ok()) << v;
  }
  EXPECT_EQ(Rows(*d),
            "+I[2024-01-01 12:00:00.123]\n+I[2024-01-01 12:00:00.100]\n"
            "+I[2024-01-01 12:00:00.000]\n+I[2024-01-01 12:00:00.123]\n"
            "+I[2024-01-01 12:00:00.000]\n+I[2024-01-01 12:00:00.500]\n"
            "+I[2024-01-01 12:00:00.123]\n+I[2024-01-01 12:00:00.123]\n"
            "+I[2024-01-01 12:00:00.123]\n+I[2024-01-01 00:00:00.000]\n");
}

// The reason of a record that must fail, and that it left no row behind.
std::string Reason(ValueDecoder& d, std::string_view value) {
  size_t before = d.rows();
  Status s = d.Decode(value);
  EXPECT_FALSE(s.ok()) << value;
  EXPECT_EQ(d.rows(), before) << value;
  return std::string(s.message());
}

TEST(JsonColumnDecoder, MalformedRecordsSayWhy) {
  Schema schema({{"id", DataType::Int64()},
                 {"n", DataType::Int32()},
                 {"m", DataType::Decimal(4, 2)},
                 {"ts", DataType::Timestamp()},
                 {"dt", DataType::Date()},
                 {"ok", DataType::Boolean()},
                 {"bid", DataType::Row({{"price", DataType::Int64()}})}});
  auto d = MakeDecoder(schema);
  EXPECT_EQ(Reason(*d, R"({"id":"abc"})"),
            R"(wrong type for column 'id': expected BIGINT, got "abc")");
  EXPECT_EQ(Reason(*d, R"({"id":1.5})"), "wrong type for column 'id': expected BIGINT, got 1.5");
  EXPECT_EQ(Reason(*d, R"({"id":[1]})"),
            "wrong type for column 'id': expected BIGINT, got an array");
  EXPECT_EQ(Reason(*d, R"({"id":99999999999999999999})"),
            "number out of range for column 'id': BIGINT cannot hold 99999999999999999999");
  EXPECT_EQ(Reason(*d, R"({"n":3000000000})"),
            "number out of range for column 'n': INT cannot hold 3000000000");
  EXPECT_EQ(Reason(*d, R"({"m":100})"),
            "number out of range for column 'm': DECIMAL(4, 2) cannot hold 100");
  EXPECT_EQ(Reason(*d, R"({"m":"1.2.3"})"),
            R"(wrong type for column 'm': expected DECIMAL(4, 2), got "1.2.3")");
  EXPECT_EQ(Reason(*d, R"({"ts":"yesterday"})"),
            R"(wrong type for column 'ts': expected TIMESTAMP(3), got "yesterday")");
  EXPECT_EQ(Reason(*d, R"({"ts":1.5})"),
            "wrong type for column 'ts': expected TIMESTAMP(3), got 1.5");
  EXPECT_EQ(Reason(*d, R"({"dt":"2023-02-29"})"),
            R"(wrong type for column 'dt': expected DATE, got "2023-02-29")");
  EXPECT_EQ(Reason(*d, R"({"ok":1})"), "wrong type for column 'ok': expected BOOLEAN, got 1");
  EXPECT_EQ(Reason(*d, R"({"bid":{"price":"high"}})"),
            R"(wrong type for column 'bid.price': expected BIGINT, got "high")");
  EXPECT_EQ(Reason(*d, R"({"bid":7})"),
            "wrong type for column 'bid': expected ROW<price BIGINT>, got 7");
  EXPECT_EQ(Reason(*d, "[1,2]"), "expected a JSON object, got an array");
  EXPECT_EQ(Reason(*d, R"("x")"), R"(expected a JSON object, got "x")");
  EXPECT_EQ(Reason(*d, "42"), "expected a JSON object, got 42");
  EXPECT_EQ(d->rows(), 0u);
}

TEST(JsonColumnDecoder, InvalidJsonGivesAPosition) {
  auto d = MakeDecoder(Schema({{"id", DataType::Int64()}, {"s", DataType::String()}}));
  std::string reason = Reason(*d, R"({"id":1,,"s":"x"})");
  EXPECT_TRUE(reason.starts_with("invalid JSON at byte 8: ")) << reason;
  reason = Reason(*d, R"({"id":1} {"id":2})");
  EXPECT_EQ(reason, "invalid JSON at byte 9: content after the top-level object");
  reason = Reason(*d, R"({"id":1,"s":tru})");
  EXPECT_TRUE(reason.starts_with("invalid JSON")) << reason;
  reason = Reason(*d, "{\"s\":\"\xff\"}");
  EXPECT_TRUE(reason.starts_with("invalid JSON")) << reason;
  for (const char* bad : {"", "   ", "{", R"({"id":)", R"({"id":1)", R"({"s":"x)", "nul"}) {
    reason = Reason(*d, bad);
    EXPECT_TRUE(reason.starts_with("invalid JSON") || reason.starts_with("expected a JSON"))
        << bad << ": " << reason;
  }
}

TEST(JsonColumnDecoder, MalformedRecordLeavesNoPartialRow) {
  Schema schema({{"a", DataType::String()},
                 {"r", DataType::Row({{"x", DataType::String()}, {"y", DataType::Int64()}})},
                 {"z", DataType::Int64()}});
  auto d = MakeDecoder(schema);
  ASSERT_TRUE(d->Decode(R"({"a":"1","r":{"x":"p","y":1},"z":1})").ok());
  EXPECT_FALSE(d->Decode(R"({"a":"2","r":{"x":"q","y":"bad"},"z":2})").ok());
  EXPECT_FALSE(d->Decode(R"({"a":"3","r":{"x":"q","y":3},"z":"bad"})").ok());
  ASSERT_TRUE(d->Decode(R"({"z":4,"a":"4"})").ok());
  EXPECT_EQ(Rows(*d), "+I[1, (p, 1), 1]\n+I[4, NULL, 4]\n");
}

TEST(JsonColumnDecoder, IgnoreParseErrorsNullsBadFields) {
  Schema schema({{"id", DataType::Int64()},
                 {"s", DataType::String()},
                 {"r", DataType::Row({{"x", DataType::Int32()}, {"y", DataType::String()}})},
                 {"m", DataType::Decimal(3, 1)}});
  auto d = MakeDecoder(schema, {.ignore_parse_errors = true});
  ASSERT_TRUE(d->Decode(R"({"id":"abc","s":"ok","r":{"x":"nope","y":"b"},"m":123.4})").ok());
  ASSERT_TRUE(d->Decode(R"({"id":1,"r":[1],"m":{"a":1}})").ok());
  EXPECT_FALSE(d->Decode(R"({"id":1,)").ok());  // invalid JSON still fails the record
  EXPECT_EQ(Rows(*d), "+I[NULL, ok, (NULL, b), NULL]\n+I[1, NULL, NULL, NULL]\n");
}

TEST(JsonColumnDecoder, FailOnMissingField) {
  Schema schema({{"id", DataType::Int64()}, {"s", DataType::String()}});
  auto d = MakeDecoder(schema, {.fail_on_missing_field = true});
  EXPECT_EQ(Reason(*d, R"({"id":1})"), "missing field for column 's'");
  ASSERT_TRUE(d->Decode(R"({"id":1,"s":null})").ok());
  EXPECT_EQ(Rows(*d), "+I[1, NULL]\n");
}

TEST(JsonColumnDecoder, PaddedInputIsParsedInPlace) {
  auto d = MakeDecoder(Schema({{"id", DataType::Int64()}}));
  // Two values back to back in one buffer, each followed by >= 64 bytes.
  std::string buf = R"({"id":1}{"id":22})" + std::string(80, '9');
  ASSERT_TRUE(d->Decode(std::string_view(buf).substr(0, 8), true).ok());
  ASSERT_TRUE(d->Decode(std::string_view(buf).substr(8, 9), true).ok());
  EXPECT_EQ(Rows(*d), "+I[1]\n+I[22]\n");
}

TEST(JsonColumnDecoder, FinishStartsOver) {
  auto d = MakeDecoder(Schema({{"s", DataType::String()}, {"l", DataType::Int64()}}));
  ASSERT_TRUE(d->Decode(R"({"s":"a","l":1})").ok());
  EXPECT_EQ(Rows(*d), "+I[a, 1]\n");
  EXPECT_EQ(d->rows(), 0u);
  ASSERT_TRUE(d->Decode(R"({"s":"b"})").ok());
  EXPECT_EQ(Rows(*d), "+I[b, NULL]\n");
}

TEST(JsonColumnDecoder, RefusesTypesJsonCannotCarry) {
  auto d = JsonColumnDecoder::Create(Schema({{"i", DataType::Interval()}}));
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().message(), "column 'i': type INTERVAL cannot be read from JSON");
}

}  // namespace
}  // namespace kappa::format

namespace kappa::format {
namespace {

// Mutated and truncated records never crash the decoder, and every column
// ends with exactly one value per accepted record.
TEST(JsonColumnDecoder, MutatedInputKeepsColumnsConsistent) {
  DataType row = DataType::Row({{"a", DataType::Int64()}, {"s", DataType::String()}});
  Schema schema({{"id", DataType::Int64()},
                 {"m", DataType::Decimal(18, 2)},
                 {"s", DataType::String()},
                 {"ts", DataType::Timestamp()},
                 {"r", row}});
  const std::string seed =
      R"({"id":12,"m":"3.5","s":"a\"b\u00e9","ts":"2024-01-01 00:00:00.5","r":{"a":1,"s":[1,{"x":null}]},"z":true})";
  for (bool ignore : {false, true}) {
    auto d = MakeDecoder(schema, {.ignore_parse_errors = ignore});
    uint64_t state = 88172645463325252ull;
    auto next = [&state] {
      state ^= state << 13;
      state ^= state >> 7;
      state ^= state << 17;
      return state;
    };
    size_t accepted = 0;
    for (int i = 0; i < 20000; ++i) {
      std::string v = seed;
      int edits = 1 + static_cast<int>(next() % 4);
      for (int e = 0; e < edits; ++e) {
        size_t pos = next() % v.size();
        switch (next() % 3) {
          case 0: v[pos] = "{}[]\":,\\0123456789.-eE tfnu\xff"[next() % 29]; break;
          case 1: v.erase(pos, 1 + next() % 8); break;
          case 2: v.resize(pos); break;
        }
        if (v.empty()) v = "{";
      }
      if (d->Decode(v).ok()) ++accepted;
    }
    EXPECT_EQ(d->rows(), accepted);
    std::vector<columnar::ColumnPtr> cols = d->Finish();
    for (const columnar::ColumnPtr& c : cols) EXPECT_EQ(c->size(), accepted);
    for (const columnar::ColumnPtr& c : cols[4]->children()) EXPECT_EQ(c->size(), accepted);
    EXPECT_EQ(cols[0]->values<int64_t>().size(), accepted);
    EXPECT_EQ(cols[2]->strings().offsets.size(), accepted + 1);
    if (cols[2]->has_nulls()) {
      EXPECT_EQ(cols[2]->nulls().size(), accepted);
    }
    EXPECT_GT(accepted, 0u);
  }
}

}  // namespace
}  // namespace kappa::format
