#include <gtest/gtest.h>

#include "columnar/batch.h"
#include "serve/query_api.h"

namespace kappa::serve {
namespace {

using columnar::DataType;
using columnar::Value;

QueryResult SampleResult() {
  columnar::Schema schema({{"id", DataType::Int64(), true},
                           {"amount", DataType::Decimal(10, 2), true},
                           {"name", DataType::String(), true},
                           {"ts", DataType::Timestamp(), true},
                           {"ok", DataType::Boolean(), true},
                           {"x", DataType::Double(), true}});
  columnar::BatchBuilder b(schema);
  b.AppendRow({Value::Int64(1), Value::Decimal(1250, 10, 2), Value::String("a \"q\", b"),
               Value::Timestamp(1706702400000), Value::Boolean(true), Value::Double(0.5)});
  b.AppendRow({Value::Int64(2), Value::Null(DataType::Decimal(10, 2)), Value::Null(DataType::String()),
               Value::Null(DataType::Timestamp()), Value::Boolean(false),
               Value::Double(std::numeric_limits<double>::quiet_NaN())});
  return QueryResult{schema, {b.Finish()}, "SELECT 2"};
}

TEST(QueryApi, JsonKeepsDecimalsExactAndTimestampsAsText) {
  EXPECT_EQ(ResultJson(SampleResult()),
            "{\"columns\":[{\"name\":\"id\",\"type\":\"BIGINT\"},{\"name\":\"amount\",\"type\":"
            "\"DECIMAL(10, 2)\"},{\"name\":\"name\",\"type\":\"STRING\"},{\"name\":\"ts\",\"type\":"
            "\"TIMESTAMP(3)\"},{\"name\":\"ok\",\"type\":\"BOOLEAN\"},{\"name\":\"x\",\"type\":"
            "\"DOUBLE\"}],\"rows\":[[1,12.50,\"a \\\"q\\\", b\",\"2024-01-31 12:00:00.000\",true,0.5],"
            "[2,null,null,null,false,\"NaN\"]]}\n");
}

TEST(QueryApi, CsvQuotesAndLeavesNullEmpty) {
  EXPECT_EQ(ResultCsv(SampleResult()),
            "id,amount,name,ts,ok,x\r\n"
            "1,12.50,\"a \"\"q\"\", b\",2024-01-31 12:00:00.000,true,0.5\r\n"
            "2,,,,false,NaN\r\n");
}

TEST(QueryApi, StatusCodesFollowTheQueryServiceContract) {
  EXPECT_EQ(QueryHttpStatus(Invalid("syntax error")), 400);
  EXPECT_EQ(QueryHttpStatus(NotFound("table x")), 404);
  EXPECT_EQ(QueryHttpStatus(OutOfRange("division by zero")), 400);
  EXPECT_EQ(QueryHttpStatus(Unimplemented("no")), 501);
  EXPECT_EQ(QueryHttpStatus(Internal("bug")), 500);
}

}  // namespace
}  // namespace kappa::serve
