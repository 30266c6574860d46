#include "columnar/batch.h"

#include "gtest/gtest.h"

namespace kappa::columnar {
namespace {

TEST(DecimalTest, ParsesAndFormats) {
  Int128 v;
  ASSERT_TRUE(ParseDecimal("12.5", 2, &v));
  EXPECT_EQ(FormatDecimal(v, 2), "12.50");
  ASSERT_TRUE(ParseDecimal("-0.125", 2, &v));
  EXPECT_EQ(FormatDecimal(v, 2), "-0.13");
  ASSERT_TRUE(ParseDecimal("7", 0, &v));
  EXPECT_EQ(FormatDecimal(v, 0), "7");
  EXPECT_FALSE(ParseDecimal("1.2.3", 2, &v));
  EXPECT_FALSE(ParseDecimal("", 2, &v));
  EXPECT_FALSE(ParseDecimal("abc", 2, &v));
  EXPECT_EQ(FormatDecimal(5, 3), "0.005");
}

TEST(DateTimeTest, FormatsLikeFlink) {
  int32_t days;
  ASSERT_TRUE(ParseDate("2024-02-29", &days));
  EXPECT_EQ(FormatDate(days), "2024-02-29");
  EXPECT_EQ(FormatTimestamp(0), "1970-01-01 00:00:00.000");
  EXPECT_EQ(FormatTimestamp(-1), "1969-12-31 23:59:59.999");
  EXPECT_EQ(FormatTimestamp(1706702400123), "2024-01-31 12:00:00.123");
  EXPECT_FALSE(ParseDate("2024-13-01", &days));
}

TEST(ColumnTest, AppendTakeAndNulls) {
  Column c(DataType::String());
  c.AppendString("a");
  c.AppendNull();
  c.AppendString("ccc");
  ASSERT_EQ(c.size(), 3u);
  EXPECT_TRUE(c.IsNull(1));
  EXPECT_EQ(c.GetString(2), "ccc");
  std::vector<uint32_t> rows = {2, 1};
  ColumnPtr t = c.Take(rows);
  EXPECT_EQ(t->GetString(0), "ccc");
  EXPECT_TRUE(t->IsNull(1));
  EXPECT_EQ(t->Get(0), Value::String("ccc"));
}

TEST(ColumnTest, RowColumns) {
  DataType row = DataType::Row({{"id", DataType::Int64()}, {"name", DataType::String()}});
  Column c(row);
  c.AppendValue(Value::Row(row, {Value::Int64(1), Value::String("x")}));
  c.AppendNull();
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c.Get(0).ToString(), "(1, x)");
  EXPECT_TRUE(c.Get(1).is_null());
  EXPECT_EQ(c.children()[0]->size(), 2u);
  EXPECT_EQ(row.ToString(), "ROW<id BIGINT, name STRING>");
}

TEST(BatchTest, SelectionAndKinds) {
  Schema schema({{"k", DataType::Int64()}, {"v", DataType::Decimal(10, 2)}});
  BatchBuilder b(schema);
  b.AppendRow({Value::Int64(1), Value::Decimal(150, 10, 2)});
  b.AppendRow({Value::Int64(2), Value::Null(DataType::Decimal(10, 2))}, RowKind::kDelete);
  b.AppendRow({Value::Int64(3), Value::Decimal(-5, 10, 2)});
  Batch batch = b.Finish();
  EXPECT_EQ(b.rows(), 0u);
  batch.selection = std::vector<uint32_t>{1, 2};
  EXPECT_EQ(batch.active_rows(), 2u);
  EXPECT_EQ(batch.ToString(), "-D[2, NULL]\n+I[3, -0.05]\n");
  Batch dense = batch.Compact();
  EXPECT_FALSE(dense.selection.has_value());
  EXPECT_EQ(dense.ToString(), batch.ToString());
}

TEST(ValueTest, OrderAndHash) {
  EXPECT_TRUE(Value::Null(DataType::Int64()) < Value::Int64(-5));
  EXPECT_TRUE(Value::Int64(1) < Value::Int64(2));
  EXPECT_EQ(Value::String("a").Hash(), Value::String("a").Hash());
  EXPECT_EQ(Value::Null(DataType::Int64()), Value::Null(DataType::String()));
}

}  // namespace
}  // namespace kappa::columnar
