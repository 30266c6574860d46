// Write-then-read round trips through ParquetWriter and ParquetReader: every
// type with NULLs, codecs, dictionary and its fallback, row groups,
// selection vectors, nested ROW columns, statistics and footer metadata.
#include <gtest/gtest.h>

#include "parquet_test_util.h"

namespace kappa::table::parquet::testing {
namespace {

std::vector<std::vector<Value>> ReadRows(const std::string& path) {
  auto r = ParquetReader::Open(path);
  EXPECT_TRUE(r.ok()) << r.status();
  if (!r.ok()) return {};
  auto batches = (*r)->ReadAll((*r)->AllColumns());
  EXPECT_TRUE(batches.ok()) << batches.status();
  if (!batches.ok()) return {};
  for (const Batch& b : *batches) EXPECT_LE(b.num_rows, columnar::kBatchRows);
  return Rows(*batches);
}

void ExpectRoundTrip(int64_t rows, WriterOptions options) {
  ScratchDir dir;
  std::string path = dir.File("t.parquet");
  auto batches = AllTypesBatches(rows);
  auto w = WriteFile(path, AllTypesSchema(), batches, options);
  ASSERT_TRUE(w.ok()) << w.status();
  EXPECT_EQ(w->row_count, rows);
  EXPECT_EQ(static_cast<uint64_t>(w->file_size), std::filesystem::file_size(path));
  EXPECT_FALSE(PathExists(path + ".tmp"));
  EXPECT_EQ(ReadRows(path), Rows(batches));
}

TEST(ParquetRoundTrip, EveryTypeSnappy) { ExpectRoundTrip(1000, {}); }

TEST(ParquetRoundTrip, EveryTypeZstd) {
  WriterOptions o;
  o.compression = Compression::kZstd;
  ExpectRoundTrip(1000, o);
}

TEST(ParquetRoundTrip, EveryTypeUncompressedPlain) {
  WriterOptions o;
  o.compression = Compression::kNone;
  o.dictionary = false;
  ExpectRoundTrip(1000, o);
}

TEST(ParquetRoundTrip, ManyRowGroupsAndPages) {
  WriterOptions o;
  o.row_group_rows = 3000;
  o.page_bytes = 512;
  ScratchDir dir;
  std::string path = dir.File("t.parquet");
  auto batches = AllTypesBatches(10000);
  auto w = WriteFile(path, AllTypesSchema(), batches, o);
  ASSERT_TRUE(w.ok()) << w.status();
  EXPECT_EQ(w->row_group_offsets.size(), 4u);
  auto r = ParquetReader::Open(path);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ((*r)->num_row_groups(), 4u);
  EXPECT_EQ((*r)->row_group_rows(0), 3000);
  EXPECT_EQ((*r)->row_group_rows(3), 1000);
  EXPECT_EQ(ReadRows(path), Rows(batches));
}

TEST(ParquetRoundTrip, DictionaryFallsBackToPlain) {
  Schema schema({{"s", DataType::String(), true}, {"n", DataType::Int64(), true}});
  BatchBuilder b(schema);
  for (int i = 0; i < 3000; ++i) {
    b.AppendRow({Value::String("unique-value-" + std::to_string(i)), Value::Int64(i % 3)});
  }
  std::vector<Batch> batches{b.Finish()};
  WriterOptions o;
  o.dictionary_max_bytes = 4096;
  ScratchDir dir;
  std::string path = dir.File("t.parquet");
  ASSERT_TRUE(WriteFile(path, schema, batches, o).ok());
  auto r = ParquetReader::Open(path);
  ASSERT_TRUE(r.ok()) << r.status();
  const auto& cols = (*r)->metadata().row_groups[0].columns;
  EXPECT_FALSE(cols[0].meta_data->dictionary_page_offset.has_value());  // too many distinct strings
  EXPECT_TRUE(cols[1].meta_data->dictionary_page_offset.has_value());   // 3 distinct values
  EXPECT_EQ(ReadRows(path), Rows(batches));
}

TEST(ParquetRoundTrip, SelectionVectorIsRespected) {
  auto batches = AllTypesBatches(100);
  Batch selected = batches[0];
  selected.selection = std::vector<uint32_t>{1, 5, 6, 50, 99};
  ScratchDir dir;
  std::string path = dir.File("t.parquet");
  ASSERT_TRUE(WriteFile(path, AllTypesSchema(), {selected}).ok());
  EXPECT_EQ(ReadRows(path), Rows({selected}));
}

TEST(ParquetRoundTrip, NestedRowColumns) {
  DataType inner = DataType::Row({{"x", DataType::Int32(), true}, {"y", DataType::String(), false}});
  DataType outer = DataType::Row({{"a", DataType::Int64(), true}, {"in", inner, true}});
  Schema schema({{"id", DataType::Int64(), false}, {"r", outer, true}});
  BatchBuilder b(schema);
  for (int i = 0; i < 200; ++i) {
    Value in = i % 5 == 1 ? Value::Null(inner)
                          : Value::Row(inner, {i % 3 == 0 ? Value::Null(DataType::Int32()) : Value::Int32(i),
                                               Value::String("y" + std::to_string(i))});
    Value r = i % 4 == 2 ? Value::Null(outer) : Value::Row(outer, {Value::Int64(i * 10), in});
    b.AppendRow({Value::Int64(i), r});
  }
  std::vector<Batch> batches{b.Finish()};
  ScratchDir dir;
  std::string path = dir.File("t.parquet");
  // Pre-order ids: id, r, r.a, r.in, r.in.x, r.in.y.
  auto w = ParquetWriter::Open(path, schema, {1, 2, 3, 4, 5, 6}, {});
  ASSERT_TRUE(w.ok()) << w.status();
  ASSERT_TRUE((*w)->Write(batches[0]).ok());
  auto result = (*w)->Finish();
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_EQ(result->columns.size(), 4u);  // leaves id, a, x, y
  EXPECT_EQ(result->columns[2].field_id, 5);
  EXPECT_EQ(result->columns[2].path, (std::vector<std::string>{"r", "in", "x"}));
  auto r = ParquetReader::Open(path);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ((*r)->schema(), schema);
  EXPECT_EQ((*r)->columns()[1].field_id, 2);
  EXPECT_EQ(ReadRows(path), Rows(batches));
}

TEST(ParquetRoundTrip, ProjectionReadsOnlyChosenColumns) {
  ScratchDir dir;
  std::string path = dir.File("t.parquet");
  auto batches = AllTypesBatches(50);
  ASSERT_TRUE(WriteFile(path, AllTypesSchema(), batches).ok());
  auto r = ParquetReader::Open(path);
  ASSERT_TRUE(r.ok());
  std::vector<int> cols{7, 0};
  auto got = (*r)->ReadAll(cols);
  ASSERT_TRUE(got.ok()) << got.status();
  auto rows = Rows(*got);
  ASSERT_EQ(rows.size(), 50u);
  for (int64_t i = 0; i < 50; ++i) {
    auto want = AllTypesRow(i);
    EXPECT_EQ(rows[i], (std::vector<Value>{want[7], want[0]}));
  }
  auto none = (*r)->ReadAll({});
  ASSERT_TRUE(none.ok());
  ASSERT_EQ(none->size(), 1u);
  EXPECT_EQ((*none)[0].num_rows, 50u);
}

TEST(ParquetRoundTrip, StatisticsAndMetadata) {
  ScratchDir dir;
  std::string path = dir.File("t.parquet");
  auto batches = AllTypesBatches(100);
  WriterOptions o;
  o.key_value_metadata = {{"iceberg.schema", std::string("{\"type\":\"struct\"}")}};
  o.row_group_rows = 60;
  auto w = WriteFile(path, AllTypesSchema(), batches, o);
  ASSERT_TRUE(w.ok()) << w.status();
  const ColumnStats& l = w->columns[2];
  EXPECT_EQ(l.field_id, 3);
  EXPECT_EQ(l.value_count, 100);
  EXPECT_EQ(l.null_count, 14);  // rows 3, 10, ..., 94
  EXPECT_EQ(l.min, Value::Int64(0 * 1000003 - (int64_t{1} << 40)));
  EXPECT_EQ(l.max, Value::Int64(99 * 1000003 - (int64_t{1} << 40)));
  EXPECT_GT(l.compressed_size, 0);
  const ColumnStats& ts = w->columns[9];
  EXPECT_EQ(ts.min, Value::Timestamp(1700000000000 - 5000000000000));
  EXPECT_EQ(w->columns[7].min, Value::String("s0"));
  EXPECT_EQ(w->columns[6].max->type(), DataType::Decimal(38, 10));

  auto r = ParquetReader::Open(path);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)->KeyValue("iceberg.schema"), std::string("{\"type\":\"struct\"}"));
  EXPECT_EQ((*r)->metadata().schema[3].field_id, 3);
  auto s0 = (*r)->RowGroupStats(0);
  auto s1 = (*r)->RowGroupStats(1);
  EXPECT_EQ(s0[11].min, Value::Int64(0));
  EXPECT_EQ(s0[11].max, Value::Int64(59));
  EXPECT_EQ(s1[11].min, Value::Int64(60));
  EXPECT_EQ(s1[9].max, Value::Timestamp(1700000000000 + 99 * 1001 - 5000000000000));
  EXPECT_EQ(s1[4].max, Value::Decimal(99 * 101 - 5000, 9, 2));
}

TEST(ParquetRoundTrip, EmptyFile) {
  ScratchDir dir;
  std::string path = dir.File("t.parquet");
  auto w = WriteFile(path, AllTypesSchema(), {});
  ASSERT_TRUE(w.ok()) << w.status();
  EXPECT_EQ(w->row_count, 0);
  EXPECT_EQ(ReadRows(path).size(), 0u);
}

TEST(ParquetWriter, NullInNotNullColumnIsRefused) {
  Schema schema({{"x", DataType::Int32(), false}});
  BatchBuilder b(schema);
  b.AppendRow({Value::Null(DataType::Int32())});
  ScratchDir dir;
  auto w = WriteFile(dir.File("t.parquet"), schema, {b.Finish()});
  ASSERT_FALSE(w.ok());
  EXPECT_NE(w.status().message().find("NOT NULL"), std::string::npos);
  EXPECT_FALSE(PathExists(dir.File("t.parquet")));
  EXPECT_FALSE(PathExists(dir.File("t.parquet.tmp")));
}

TEST(ParquetWriter, WrongBatchAndTypesAreRefused) {
  ScratchDir dir;
  Schema schema({{"x", DataType::Int32(), true}});
  EXPECT_FALSE(ParquetWriter::Open(dir.File("a"), schema, {1, 2}, {}).ok());
  EXPECT_FALSE(ParquetWriter::Open(dir.File("a"), Schema({{"i", DataType::Interval(), true}}), {1}, {}).ok());
  auto w = ParquetWriter::Open(dir.File("a"), schema, {1}, {});
  ASSERT_TRUE(w.ok());
  BatchBuilder b(Schema({{"x", DataType::String(), true}}));
  b.AppendRow({Value::String("no")});
  EXPECT_FALSE((*w)->Write(b.Finish()).ok());
}

TEST(ParquetWriter, AbortRemovesTheTemporaryFile) {
  ScratchDir dir;
  {
    auto w = ParquetWriter::Open(dir.File("t.parquet"), AllTypesSchema(), Ids(12), {});
    ASSERT_TRUE(w.ok());
    ASSERT_TRUE((*w)->Write(AllTypesBatches(10)[0]).ok());
    EXPECT_TRUE(PathExists(dir.File("t.parquet.tmp")));
  }
  EXPECT_FALSE(PathExists(dir.File("t.parquet.tmp")));
  EXPECT_FALSE(PathExists(dir.File("t.parquet")));
}

}  // namespace
}  // namespace kappa::table::parquet::testing
