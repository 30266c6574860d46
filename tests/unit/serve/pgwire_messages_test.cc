#include <gtest/gtest.h>

#include "serve/pgwire/messages.h"
#include "serve/pgwire/sql_text.h"
#include "serve/pgwire/types.h"

namespace kappa::serve::pgwire {
namespace {

std::string Int32Bytes(int32_t v) {
  std::string s;
  AppendInt32(&s, v);
  return s;
}

std::string Str(std::string_view s) { return std::string(s) + '\0'; }

TEST(PgMessages, ParsesStartupWithParameters) {
  std::string body = Int32Bytes(kProtocol3) + Str("user") + Str("alice") + Str("database") +
                     Str("shop") + std::string(1, '\0');
  Result<StartupPacket> p = ParseStartupPacket(body);
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->kind, StartupPacket::Kind::kStartup);
  EXPECT_EQ(p->parameters.at("user"), "alice");
  EXPECT_EQ(p->parameters.at("database"), "shop");
}

TEST(PgMessages, RecognisesSslGssAndCancelRequests) {
  EXPECT_EQ(ParseStartupPacket(Int32Bytes(kSslRequestCode))->kind, StartupPacket::Kind::kSslRequest);
  EXPECT_EQ(ParseStartupPacket(Int32Bytes(kGssEncRequestCode))->kind,
            StartupPacket::Kind::kGssEncRequest);
  std::string cancel = Int32Bytes(kCancelRequestCode) + Int32Bytes(7) + Int32Bytes(99);
  EXPECT_EQ(ParseStartupPacket(cancel)->kind, StartupPacket::Kind::kCancelRequest);
}

TEST(PgMessages, RefusesProtocol2AndTruncatedStartup) {
  EXPECT_FALSE(ParseStartupPacket(Int32Bytes(2 << 16)).ok());
  std::string unterminated = Int32Bytes(kProtocol3) + "user";
  EXPECT_FALSE(ParseStartupPacket(unterminated).ok());
  EXPECT_FALSE(ParseStartupPacket("ab").ok());
}

TEST(PgMessages, ParsesBindWithNullAndFormats) {
  std::string body = Str("portal") + Str("stmt");
  AppendInt16(&body, 1);
  AppendInt16(&body, 1);  // all binary
  AppendInt16(&body, 2);  // two params
  body += Int32Bytes(4) + Int32Bytes(42);
  body += Int32Bytes(-1);
  AppendInt16(&body, 0);  // results: all text
  Result<FrontendMessage> m = ParseFrontendMessage('B', body);
  ASSERT_TRUE(m.ok()) << m.status();
  const auto& bind = std::get<BindMessage>(*m);
  EXPECT_EQ(bind.portal, "portal");
  EXPECT_EQ(bind.statement, "stmt");
  ASSERT_EQ(bind.params.size(), 2u);
  EXPECT_EQ(*bind.params[0], Int32Bytes(42));
  EXPECT_FALSE(bind.params[1].has_value());
  EXPECT_EQ(FormatAt(bind.param_formats, 1), 1);
  EXPECT_EQ(FormatAt(bind.result_formats, 0), 0);
}

TEST(PgMessages, RefusesBindWhoseCountsOverrunTheBody) {
  std::string body = Str("") + Str("");
  AppendInt16(&body, 0);
  AppendInt16(&body, 1000);  // 1000 parameters in a few bytes
  EXPECT_FALSE(ParseFrontendMessage('B', body).ok());
  std::string negative = Str("") + Str("");
  AppendInt16(&negative, 0);
  AppendInt16(&negative, 1);
  negative += Int32Bytes(-5);
  EXPECT_FALSE(ParseFrontendMessage('B', negative).ok());
}

TEST(PgMessages, ParsesParseDescribeExecuteClose) {
  std::string parse = Str("s1") + Str("SELECT $1");
  AppendInt16(&parse, 1);
  parse += Int32Bytes(kInt4Oid);
  auto p = std::get<ParseMessage>(*ParseFrontendMessage('P', parse));
  EXPECT_EQ(p.sql, "SELECT $1");
  EXPECT_EQ(p.param_types, std::vector<int32_t>{kInt4Oid});

  auto d = std::get<DescribeMessage>(*ParseFrontendMessage('D', "P" + Str("")));
  EXPECT_EQ(d.kind, 'P');
  auto e = std::get<ExecuteMessage>(*ParseFrontendMessage('E', Str("") + Int32Bytes(10)));
  EXPECT_EQ(e.max_rows, 10);
  auto c = std::get<CloseMessage>(*ParseFrontendMessage('C', "S" + Str("s1")));
  EXPECT_EQ(c.name, "s1");
  EXPECT_FALSE(ParseFrontendMessage('D', "X" + Str("")).ok());
  EXPECT_FALSE(ParseFrontendMessage('?', "").ok());
  EXPECT_TRUE(std::holds_alternative<SyncMessage>(*ParseFrontendMessage('S', "")));
  EXPECT_TRUE(std::holds_alternative<TerminateMessage>(*ParseFrontendMessage('X', "")));
}

TEST(PgMessages, WritesFramedBackendMessages) {
  std::string out;
  MessageWriter w(&out);
  w.ReadyForQuery('T');
  EXPECT_EQ(out, std::string("Z") + Int32Bytes(5) + "T");
  out.clear();
  w.CommandComplete("SELECT 3");
  EXPECT_EQ(out, std::string("C") + Int32Bytes(4 + 9) + Str("SELECT 3"));
  out.clear();
  w.ErrorResponse({"ERROR", "42P01", "no such table", ""});
  std::string fields = "S" + Str("ERROR") + "V" + Str("ERROR") + "C" + Str("42P01") + "M" +
                       Str("no such table") + std::string(1, '\0');
  EXPECT_EQ(out, std::string("E") + Int32Bytes(4 + static_cast<int32_t>(fields.size())) + fields);
}

TEST(PgMessages, WritesDataRowsWithNullsAndValuesInPlace) {
  std::string out;
  MessageWriter w(&out);
  w.BeginDataRow(3);
  w.AddValue("ab");
  w.AddNull();
  w.AddValueStart();
  out += "xyz";
  w.AddValueEnd();
  w.EndDataRow();
  std::string body;
  AppendInt16(&body, 3);
  body += Int32Bytes(2) + "ab" + Int32Bytes(-1) + Int32Bytes(3) + "xyz";
  EXPECT_EQ(out, std::string("D") + Int32Bytes(4 + static_cast<int32_t>(body.size())) + body);
}

TEST(PgMessages, RowDescriptionCarriesTypes) {
  std::string out;
  MessageWriter w(&out);
  w.RowDescription({{"n", kInt8Oid, 8, -1, 0}});
  std::string body;
  AppendInt16(&body, 1);
  body += Str("n") + Int32Bytes(0);
  AppendInt16(&body, 0);
  body += Int32Bytes(kInt8Oid);
  AppendInt16(&body, 8);
  body += Int32Bytes(-1);
  AppendInt16(&body, 0);
  EXPECT_EQ(out, std::string("T") + Int32Bytes(4 + static_cast<int32_t>(body.size())) + body);
}

// ---- SQL text ----------------------------------------------------------------

TEST(PgSqlText, SplitsOnSemicolonsOutsideStringsAndComments) {
  auto s = SplitStatements("SELECT 'a;b'; -- c;d\nSELECT \"x;y\" ; /* ; */ ;; SELECT $$;$$");
  ASSERT_EQ(s.size(), 3u);
  EXPECT_EQ(s[0], "SELECT 'a;b'");
  EXPECT_EQ(s[1], "-- c;d\nSELECT \"x;y\"");
  EXPECT_EQ(s[2], "SELECT $$;$$");
  EXPECT_TRUE(SplitStatements("  ;  -- nothing\n").empty());
}

TEST(PgSqlText, SubstitutesParametersOutsideStrings) {
  Result<std::string> sql = SubstituteParameters("SELECT $1, '$1', $2 -- $3", {"5", "'x'"});
  ASSERT_TRUE(sql.ok());
  EXPECT_EQ(*sql, "SELECT  5 , '$1',  'x'  -- $3");
  EXPECT_EQ(MaxParameter("SELECT $2 + $10, 'a$11'"), 10);
  EXPECT_FALSE(SubstituteParameters("SELECT $3", {"1"}).ok());
  // -$1 with a negative number must not become a comment.
  EXPECT_EQ(*SubstituteParameters("SELECT -$1", {"-5"}), "SELECT - -5 ");
}

TEST(PgSqlText, NormalizesCaseSpaceAndComments) {
  EXPECT_EQ(Normalize("  SELECT\n  c.relname AS \"Name\" -- x\n FROM t ;"),
            "select c.relname as \"Name\" from t");
  EXPECT_EQ(Normalize("SELECT E'It\\'s' /* c */ , 'A  B'"), "select E'It\\'s' , 'A  B'");
}

// ---- types and parameters -------------------------------------------------------

TEST(PgTypes, MapsKappaTypesToOids) {
  using columnar::DataType;
  EXPECT_EQ(PgTypeFor(DataType::Boolean()).oid, 16);
  EXPECT_EQ(PgTypeFor(DataType::Int32()).oid, 23);
  EXPECT_EQ(PgTypeFor(DataType::Int64()).oid, 20);
  EXPECT_EQ(PgTypeFor(DataType::Double()).oid, 701);
  EXPECT_EQ(PgTypeFor(DataType::String()).oid, 25);
  EXPECT_EQ(PgTypeFor(DataType::Date()).oid, 1082);
  EXPECT_EQ(PgTypeFor(DataType::Timestamp()).oid, 1114);
  EXPECT_EQ(PgTypeFor(DataType::TimestampLtz()).oid, 1184);
  PgType numeric = PgTypeFor(DataType::Decimal(10, 2));
  EXPECT_EQ(numeric.oid, 1700);
  EXPECT_EQ(numeric.modifier, (10 << 16 | 2) + 4);
  EXPECT_EQ(numeric.name, "numeric(10,2)");
}

std::string TextOf(const columnar::Value& v) {
  columnar::Column col(v.type());
  col.AppendValue(v);
  std::string out;
  AppendText(col, 0, &out);
  return out;
}

TEST(PgTypes, WritesPostgresTextFormats) {
  using columnar::Value;
  EXPECT_EQ(TextOf(Value::Boolean(true)), "t");
  EXPECT_EQ(TextOf(Value::Boolean(false)), "f");
  EXPECT_EQ(TextOf(Value::Int64(-9007199254740993)), "-9007199254740993");
  EXPECT_EQ(TextOf(Value::Double(0.1)), "0.1");
  EXPECT_EQ(TextOf(Value::Double(std::numeric_limits<double>::infinity())), "Infinity");
  EXPECT_EQ(TextOf(Value::Decimal(1250, 10, 2)), "12.50");
  EXPECT_EQ(TextOf(Value::Date(19753)), "2024-01-31");
  EXPECT_EQ(TextOf(Value::Timestamp(1706702400123)), "2024-01-31 12:00:00.123");
  EXPECT_EQ(TextOf(Value::TimestampLtz(1706702400123)), "2024-01-31 12:00:00.123+00");
  EXPECT_EQ(TextOf(Value::Interval(90061500)), "1 day 01:01:01.500");
}

std::string BinaryOf(const columnar::Value& v) {
  columnar::Column col(v.type());
  col.AppendValue(v);
  std::string out;
  AppendBinary(col, 0, &out);
  return out;
}

TEST(PgTypes, WritesBinaryFormats) {
  using columnar::Value;
  EXPECT_EQ(BinaryOf(Value::Int32(258)), std::string("\0\0\x01\x02", 4));
  EXPECT_EQ(BinaryOf(Value::Boolean(true)), std::string("\x01", 1));
  // 2000-01-01 is day 0 in Postgres.
  EXPECT_EQ(BinaryOf(Value::Date(10957)), std::string(4, '\0'));
  EXPECT_EQ(BinaryOf(Value::Timestamp(946684800001)), std::string("\0\0\0\0\0\0\x03\xe8", 8));
  EXPECT_FALSE(BinarySupported(columnar::DataType::Decimal(10, 2)));
}

TEST(PgTypes, TurnsParametersIntoLiterals) {
  EXPECT_EQ(*ParameterLiteral(0, 0, std::nullopt), "NULL");
  EXPECT_EQ(*ParameterLiteral(0, 0, "42"), "42");
  EXPECT_EQ(*ParameterLiteral(0, 0, "O'Brien"), "'O''Brien'");
  EXPECT_EQ(*ParameterLiteral(kTextOid, 0, "42"), "'42'");
  EXPECT_EQ(*ParameterLiteral(kBoolOid, 0, "t"), "TRUE");
  EXPECT_EQ(*ParameterLiteral(kDateOid, 0, "2024-01-31"), "DATE '2024-01-31'");
  EXPECT_FALSE(ParameterLiteral(kInt4Oid, 0, "1; DROP").ok());
  EXPECT_EQ(*ParameterLiteral(kInt4Oid, 1, Int32Bytes(-7)), "-7");
  std::string eight;
  AppendInt64(&eight, 1234567890123);
  EXPECT_EQ(*ParameterLiteral(kInt8Oid, 1, eight), "1234567890123");
  EXPECT_EQ(*ParameterLiteral(kTextOid, 1, "a'b"), "'a''b'");
  EXPECT_FALSE(ParameterLiteral(kInt4Oid, 1, "abc").ok());
  EXPECT_EQ(ParameterLiteral(kNumericOid, 1, "xx").status().code(), StatusCode::kUnimplemented);
}

}  // namespace
}  // namespace kappa::serve::pgwire
