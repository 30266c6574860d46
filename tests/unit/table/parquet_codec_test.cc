// Unit tests of the Parquet building blocks: the Thrift compact protocol,
// the RLE/bit-packed hybrid, page codecs, and corrupt files (every
// truncation and many byte flips must give an error or valid rows, never a
// crash: run under ASan in `make test`).
#include <gtest/gtest.h>

#include <random>

#include "parquet_test_util.h"
#include "table/parquet/codec.h"
#include "table/parquet/metadata.h"
#include "table/parquet/rle.h"
#include "table/parquet/thrift_compact.h"

namespace kappa::table::parquet::testing {
namespace {

TEST(ParquetThrift, FooterRoundTrip) {
  FileMetaData m;
  m.version = 1;
  SchemaElement root;
  root.name = "schema";
  root.num_children = 1;
  SchemaElement c;
  c.name = "ts";
  c.type = PhysicalType::kInt64;
  c.repetition = Repetition::kOptional;
  c.field_id = 300;  // a field id delta > 15 uses the long header form
  c.converted_type = ConvertedType::kTimestampMicros;
  LogicalType t;
  t.kind = LogicalType::Kind::kTimestamp;
  t.adjusted_to_utc = true;
  t.unit = TimeUnit::kMicros;
  c.logical_type = t;
  m.schema = {root, c};
  m.num_rows = 1LL << 40;
  RowGroup g;
  g.num_rows = 7;
  ColumnChunk chunk;
  ColumnMetaData cm;
  cm.type = PhysicalType::kInt64;
  cm.path_in_schema = {"ts"};
  cm.encodings = {Encoding::kPlain, Encoding::kRle};
  cm.num_values = 7;
  cm.data_page_offset = 4;
  Statistics st;
  st.min_value = std::string("\x01\x02", 2);
  st.null_count = 3;
  cm.statistics = st;
  chunk.meta_data = cm;
  g.columns.assign(20, chunk);  // a list of >= 15 elements uses the long list header
  m.row_groups = {g};
  m.key_value_metadata = {{"iceberg.schema", std::string("{}")}};
  m.created_by = "kappa";
  m.column_orders = {true};
  std::string bytes;
  EncodeFileMetaData(m, &bytes);
  auto d = DecodeFileMetaData(AsBytes(bytes));
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->num_rows, 1LL << 40);
  ASSERT_EQ(d->schema.size(), 2u);
  EXPECT_EQ(d->schema[1].field_id, 300);
  EXPECT_EQ(d->schema[1].logical_type->kind, LogicalType::Kind::kTimestamp);
  EXPECT_TRUE(d->schema[1].logical_type->adjusted_to_utc);
  EXPECT_EQ(d->schema[1].logical_type->unit, TimeUnit::kMicros);
  ASSERT_EQ(d->row_groups[0].columns.size(), 20u);
  EXPECT_EQ(d->row_groups[0].columns[19].meta_data->statistics->min_value, st.min_value);
  EXPECT_EQ(d->row_groups[0].columns[19].meta_data->statistics->null_count, 3);
  EXPECT_EQ(d->key_value_metadata[0].value, "{}");
  EXPECT_EQ(d->column_orders, std::vector<bool>{true});
}

TEST(ParquetThrift, UnknownFieldsAreSkipped) {
  std::string bytes;
  CompactWriter w(&bytes);
  w.BeginStruct();
  w.FieldI32(1, 2);
  w.FieldList(2, CType::kStruct, 1);
  w.BeginStruct();
  w.FieldBinary(4, "root");
  w.FieldI32(5, 0);
  w.FieldDouble(40, 1.5);  // unknown
  w.EndStruct();
  w.FieldI64(3, 0);
  w.FieldList(4, CType::kStruct, 0);
  w.FieldStruct(99);  // unknown
  w.BeginStruct();
  w.FieldBool(1, true);
  w.EndStruct();
  w.EndStruct();
  auto d = DecodeFileMetaData(AsBytes(bytes));
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->version, 2);
  EXPECT_EQ(d->schema[0].name, "root");
}

TEST(ParquetThrift, DeepNestingIsRefused) {
  std::string bytes;
  for (int i = 0; i < 200; ++i) bytes.push_back(static_cast<char>(0x1C));  // field 1, struct
  auto d = DecodeFileMetaData(AsBytes(bytes));
  EXPECT_FALSE(d.ok());
}

TEST(ParquetRle, RoundTripsAtEveryWidth) {
  std::mt19937 rng(7);
  for (int width = 0; width <= 20; ++width) {
    std::vector<uint32_t> values;
    uint32_t mask = width == 0 ? 0 : ((1u << width) - 1);
    for (int run = 0; run < 60; ++run) {
      uint32_t v = rng() & mask;
      int len = static_cast<int>(rng() % 20) + 1;
      for (int i = 0; i < len; ++i) values.push_back(rng() % 3 == 0 ? (rng() & mask) : v);
    }
    std::string enc;
    EncodeHybrid(values, width, &enc);
    std::vector<uint32_t> dec(values.size());
    ASSERT_TRUE(DecodeHybrid(AsBytes(enc), width, values.size(), dec.data()).ok());
    EXPECT_EQ(dec, values) << "width " << width;
  }
}

TEST(ParquetRle, TruncatedInputIsAnError) {
  std::vector<uint32_t> values(100);
  for (size_t i = 0; i < values.size(); ++i) values[i] = static_cast<uint32_t>(i % 5);
  std::string enc;
  EncodeHybrid(values, 3, &enc);
  std::vector<uint32_t> dec(values.size());
  for (size_t cut = 0; cut < enc.size(); ++cut) {
    EXPECT_FALSE(DecodeHybrid(AsBytes(std::string_view(enc).substr(0, cut)), 3, values.size(), dec.data()).ok());
  }
}

TEST(ParquetCodec, RoundTripsAndChecksSizes) {
  std::string data;
  for (int i = 0; i < 10000; ++i) data += std::to_string(i % 97);
  for (Codec c : {Codec::kUncompressed, Codec::kSnappy, Codec::kZstd}) {
    std::string z;
    Compress(c, 3, data, &z);
    auto back = Decompress(c, z, data.size());
    ASSERT_TRUE(back.ok()) << CodecName(c);
    EXPECT_EQ(*back, data);
    EXPECT_FALSE(Decompress(c, z, data.size() + 1).ok()) << CodecName(c);
  }
  EXPECT_EQ(Decompress(Codec::kBrotli, "x", 1).status().code(), StatusCode::kUnimplemented);
}

// Reads everything; returns the status (rows are not checked).
Status ReadEverything(std::string bytes) {
  ASSIGN_OR_RETURN(auto r, ParquetReader::FromBytes(std::move(bytes)));
  for (size_t rg = 0; rg < r->num_row_groups(); ++rg) (void)r->RowGroupStats(rg);
  ASSIGN_OR_RETURN(auto batches, r->ReadAll(r->AllColumns()));
  return OkStatus();
}

std::string GoodFile(WriterOptions o) {
  ScratchDir dir;
  std::string path = dir.File("t.parquet");
  o.row_group_rows = 150;
  o.page_bytes = 300;
  EXPECT_TRUE(WriteFile(path, AllTypesSchema(), AllTypesBatches(300), o).ok());
  return *ReadFile(path);
}

TEST(ParquetCorrupt, NotParquet) {
  EXPECT_EQ(ReadEverything("hello").code(), StatusCode::kDataLoss);
  EXPECT_EQ(ReadEverything(std::string(100, 'x')).code(), StatusCode::kDataLoss);
  Status st = ReadEverything("PAR1\xff\xff\xff\x7fPAR1");
  EXPECT_EQ(st.code(), StatusCode::kDataLoss);
  EXPECT_NE(st.message().find("footer"), std::string::npos) << st;
}

TEST(ParquetCorrupt, EveryTruncationIsAnError) {
  std::string good = GoodFile({});
  ASSERT_TRUE(ReadEverything(good).ok());
  for (size_t len = 0; len < good.size(); len += 7) {
    EXPECT_FALSE(ReadEverything(good.substr(0, len)).ok()) << len;
  }
}

TEST(ParquetCorrupt, FlippedBytesNeverCrash) {
  for (Compression c : {Compression::kNone, Compression::kSnappy, Compression::kZstd}) {
    WriterOptions o;
    o.compression = c;
    o.dictionary = c != Compression::kZstd;
    std::string good = GoodFile(o);
    std::mt19937 rng(static_cast<unsigned>(c) + 1);
    int errors = 0;
    for (int trial = 0; trial < 600; ++trial) {
      std::string bad = good;
      int flips = 1 + static_cast<int>(rng() % 3);
      for (int f = 0; f < flips; ++f) bad[rng() % bad.size()] = static_cast<char>(rng());
      Status st = ReadEverything(std::move(bad));
      if (!st.ok()) {
        ++errors;
        EXPECT_TRUE(st.code() == StatusCode::kDataLoss || st.code() == StatusCode::kUnimplemented ||
                    st.code() == StatusCode::kOutOfRange)
            << st;
      }
    }
    EXPECT_GT(errors, 0);
  }
}

}  // namespace
}  // namespace kappa::table::parquet::testing
