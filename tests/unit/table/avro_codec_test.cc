#include <gtest/gtest.h>

#include "table/avro/container.h"
#include "table/avro/datum.h"
#include "table/avro/schema.h"

namespace kappa::table::avro {
namespace {

constexpr const char* kSchema = R"({
  "type": "record", "name": "everything", "fields": [
    {"name": "n", "type": "null"},
    {"name": "b", "type": "boolean"},
    {"name": "i", "type": "int", "field-id": 7},
    {"name": "l", "type": "long"},
    {"name": "f", "type": "float"},
    {"name": "d", "type": "double"},
    {"name": "bytes", "type": "bytes"},
    {"name": "s", "type": "string"},
    {"name": "inner", "type": {"type": "record", "name": "r2", "fields": [
        {"name": "x", "type": ["null", "long"]}]}},
    {"name": "again", "type": "r2"},
    {"name": "arr", "type": {"type": "array", "items": "string", "element-id": 9}},
    {"name": "m", "type": {"type": "map", "values": "int"}},
    {"name": "u", "type": ["null", "string", "r2"]},
    {"name": "fx", "type": {"type": "fixed", "name": "f4", "size": 4}}
  ]})";

Datum Sample(int64_t k) {
  return Datum::Record({
      Datum::Null(), Datum::Boolean(k % 2 == 0), Datum::Long(-k), Datum::Long(k << 40),
      Datum::Double(1.5), Datum::Double(-2.25), Datum::Bytes(std::string("\0\x01\xff", 3)),
      Datum::Bytes("héllo " + std::to_string(k)), Datum::Record({Datum::Long(k)}),
      Datum::Record({Datum::Null()}), Datum::Array({Datum::Bytes("a"), Datum::Bytes("bc")}),
      Datum::Map({{"one", Datum::Long(1)}, {"two", Datum::Long(2)}}),
      k % 3 == 0 ? Datum::Null() : Datum::Bytes("str"), Datum::Bytes("abcd"),
  });
}

TEST(AvroSchemaTest, ParsesAndPrintsBack) {
  auto schema = ParseSchema(kSchema);
  ASSERT_TRUE(schema.ok()) << schema.status();
  const Node& root = **schema;
  EXPECT_EQ(root.type, Type::kRecord);
  EXPECT_EQ(root.fields.size(), 14u);
  EXPECT_EQ(root.fields[2].IntProp("field-id"), 7);
  EXPECT_EQ(root.fields[9].type.get(), root.fields[8].type.get());  // named reference
  EXPECT_EQ(root.fields[10].type->props["element-id"], 9);
  auto again = ParseSchema(SchemaToString(*schema));
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(SchemaToString(*again), SchemaToString(*schema));
}

TEST(AvroSchemaTest, RejectsMalformedSchemas) {
  EXPECT_FALSE(ParseSchema("{").ok());
  EXPECT_FALSE(ParseSchema(R"("nope")").ok());
  EXPECT_FALSE(ParseSchema(R"({"type":"record","name":"a"})").ok());
  EXPECT_FALSE(ParseSchema(R"([])").ok());
  EXPECT_FALSE(ParseSchema(R"({"type":"record","name":"a","fields":[{"name":"x","type":"a"}]})").ok());
}

TEST(AvroDatumTest, RoundTripsEveryType) {
  auto schema = ParseSchema(kSchema);
  ASSERT_TRUE(schema.ok());
  for (int64_t k = 0; k < 5; ++k) {
    std::string bytes;
    ASSERT_TRUE(Encode(**schema, Sample(k), &bytes).ok());
    Decoder in(bytes);
    auto back = in.Decode(**schema);
    ASSERT_TRUE(back.ok()) << back.status();
    EXPECT_EQ(*back, Sample(k));
    EXPECT_TRUE(in.done());
  }
}

TEST(AvroDatumTest, EncodesZigZagVarints) {
  std::string bytes;
  ASSERT_TRUE(Encode(*Primitive(Type::kLong), Datum::Long(-64), &bytes).ok());
  EXPECT_EQ(bytes, "\x7f");
  bytes.clear();
  ASSERT_TRUE(Encode(*Primitive(Type::kLong), Datum::Long(64), &bytes).ok());
  EXPECT_EQ(bytes, "\x80\x01");
}

TEST(AvroDatumTest, RefusesDatumsThatDoNotFit) {
  std::string bytes;
  EXPECT_FALSE(Encode(*Primitive(Type::kInt), Datum::Long(int64_t{1} << 40), &bytes).ok());
  EXPECT_FALSE(Encode(*Primitive(Type::kString), Datum::Long(1), &bytes).ok());
  EXPECT_FALSE(Encode(*Fixed("f", 2), Datum::Bytes("abc"), &bytes).ok());
  EXPECT_FALSE(Encode(*Optional(Primitive(Type::kLong)), Datum::Bytes("x"), &bytes).ok());
}

TEST(AvroDatumTest, TruncatedInputIsDataLoss) {
  auto schema = ParseSchema(kSchema);
  ASSERT_TRUE(schema.ok());
  std::string bytes;
  ASSERT_TRUE(Encode(**schema, Sample(1), &bytes).ok());
  for (size_t n = 0; n < bytes.size(); ++n) {
    Decoder in(std::string_view(bytes).substr(0, n));
    auto back = in.Decode(**schema);
    ASSERT_FALSE(back.ok()) << n;
    EXPECT_EQ(back.status().code(), StatusCode::kDataLoss);
  }
}

TEST(AvroDatumTest, HugeCountsAreRefused) {
  std::string bytes = "\xfe\xff\xff\xff\x0f";  // array count ~2^31 with nothing after
  Decoder in(bytes);
  auto back = in.Decode(*ArrayOf(Primitive(Type::kNull)));
  EXPECT_FALSE(back.ok());
  Decoder in2(bytes);
  EXPECT_FALSE(in2.Decode(*ArrayOf(Primitive(Type::kLong))).ok());
}

class AvroContainerTest : public ::testing::TestWithParam<Codec> {};

TEST_P(AvroContainerTest, RoundTripsManyBlocks) {
  auto schema = ParseSchema(kSchema);
  ASSERT_TRUE(schema.ok());
  ContainerWriter writer(*schema, GetParam(), {{"iceberg.thing", "x"}});
  const int kRows = 30000;  // more than one 1 MiB block
  for (int k = 0; k < kRows; ++k) ASSERT_TRUE(writer.Append(Sample(k)).ok());
  auto bytes = writer.Finish();
  ASSERT_TRUE(bytes.ok());
  auto file = ReadContainer(*bytes);
  ASSERT_TRUE(file.ok()) << file.status();
  EXPECT_EQ(file->metadata["iceberg.thing"], "x");
  EXPECT_EQ(file->metadata["avro.codec"], GetParam() == Codec::kDeflate ? "deflate" : "null");
  ASSERT_EQ(file->data.size(), size_t{kRows});
  EXPECT_EQ(file->data[12345], Sample(12345));
}

INSTANTIATE_TEST_SUITE_P(Codecs, AvroContainerTest, ::testing::Values(Codec::kNull, Codec::kDeflate));

TEST(AvroContainerCorruptTest, EveryDamageIsAnError) {
  auto schema = ParseSchema(kSchema);
  ASSERT_TRUE(schema.ok());
  for (Codec codec : {Codec::kNull, Codec::kDeflate}) {
    ContainerWriter writer(*schema, codec);
    for (int k = 0; k < 20; ++k) ASSERT_TRUE(writer.Append(Sample(k)).ok());
    auto bytes = writer.Finish();
    ASSERT_TRUE(bytes.ok());
    // Every truncation fails cleanly.
    for (size_t n = 0; n < bytes->size(); n += 7) {
      auto file = ReadContainer(std::string_view(*bytes).substr(0, n));
      EXPECT_FALSE(file.ok()) << n;
    }
    // Flipped bytes either fail with a status or decode to something; never crash.
    for (size_t i = 0; i < bytes->size(); i += 3) {
      std::string damaged = *bytes;
      damaged[i] = static_cast<char>(damaged[i] ^ 0x5a);
      auto file = ReadContainer(damaged);
      EXPECT_TRUE(file.ok() || !file.status().message().empty());
    }
    std::string bad_sync = *bytes;
    bad_sync[bad_sync.size() - 1] ^= 1;
    auto file = ReadContainer(bad_sync);
    ASSERT_FALSE(file.ok());
    EXPECT_EQ(file.status().code(), StatusCode::kDataLoss);
  }
  EXPECT_FALSE(ReadContainer("Obj").ok());
  EXPECT_FALSE(ReadContainer("PAR1xxxxxxxxxxxxxxxxxxxxxxxxx").ok());
}

TEST(AvroDeflateTest, RoundTrip) {
  std::string data(100000, 'a');
  auto z = Deflate(data);
  ASSERT_TRUE(z.ok());
  EXPECT_LT(z->size(), 1000u);
  auto back = Inflate(*z, 1 << 20);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, data);
  EXPECT_FALSE(Inflate(*z, 1000).ok());
}

}  // namespace
}  // namespace kappa::table::avro
