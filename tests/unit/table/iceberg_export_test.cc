// Writes a small table with every kind of commit. With KAPPA_ICEBERG_EXPORT
// set, the table is written there and kept, for independent readers
// (tests/integration/test_iceberg_avro.py reads it with Apache Avro's Python
// library); otherwise into a scratch directory that is removed.
#include <gtest/gtest.h>

#include <cstdlib>

#include "table/iceberg/scan.h"
#include "table/iceberg/table.h"
#include "iceberg_test_util.h"

namespace kappa::table::iceberg {
namespace {

using columnar::Value;

TEST(IcebergExportTest, WritesSampleTable) {
  testing::ScratchDir scratch;
  const char* out = std::getenv("KAPPA_ICEBERG_EXPORT");
  std::string location = out != nullptr ? std::string(out) : scratch.path() + "/default/events";
  Schema schema = testing::EventsSchema();
  PartitionSpec spec = MakePartitionSpec(schema, {{"ts", Transform::kDay}}).value();
  auto table = Table::Create(location, schema, spec);
  ASSERT_TRUE(table.ok()) << table.status();
  Table& t = **table;
  auto data = [&](const std::string& name, int64_t rows, int32_t day) {
    DataFile f = testing::MakeDataFile(t.data_dir() + "/" + name, rows, 1, rows, {Value::Date(day)});
    f.lower_bounds[2] = "alice";
    f.upper_bounds[2] = "zoe";
    f.lower_bounds[4] = SerializeValue(Value::Decimal(-1250, 9, 2)).value();
    f.upper_bounds[4] = SerializeValue(Value::Decimal(99999, 9, 2)).value();
    return f;
  };
  Summary sink = {{kKappaPipeline, "revenue"}, {kKappaVersion, "1"}, {kKappaEpoch, "1"}};
  ASSERT_TRUE(t.Append({data("a.parquet", 10, 19783), data("b.parquet", 5, 19784)}, sink).ok());
  sink[kKappaEpoch] = "2";
  DataFile del = testing::MakePositionDeletes(t.data_dir() + "/a-deletes.parquet", t.data_dir() + "/a.parquet", 2,
                                              {Value::Date(19783)});
  ASSERT_TRUE(t.RowDelta({data("c.parquet", 3, 19783)}, {del}, sink).ok());
  ASSERT_TRUE(t.Replace({t.data_dir() + "/b.parquet"}, {data("b2.parquet", 5, 19784)}, {}).ok());
  auto plan = PlanScan(*t.metadata(), {});
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_EQ(plan->tasks.size(), 3u);
}

}  // namespace
}  // namespace kappa::table::iceberg
