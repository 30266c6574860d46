// GET /v1/tables, /v1/tables/{name}, /v1/tables/{name}/history and
// POST /v1/tables/diff: the JSON shapes, alias resolution and errors.
#include "serve/tables_api.h"

#include "table/iceberg/partition.h"
#include "table_test_util.h"

namespace kappa::serve::testing {
namespace {

using nlohmann::json;

class TablesApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    v1_ = WriteTable(wh_.catalog(), "revenue__v1", RevenueSchema(), {"id"},
                     {{{Rev(1, "a", 100), Rev(2, "b", 200), Rev(3, "c", 300)}},
                      {{Rev(2, "b", 250)}, {Rev(3, "", 0)}}});
    WriteTable(wh_.catalog(), "revenue__v2", RevenueSchema(), {"id"}, {{{Rev(1, "a", 100)}}}, "revenue");
    ASSERT_TRUE(wh_.catalog()->SetAliases({{"revenue", "revenue__v1"}}).ok());
    AddTableRoutes(&router_, wh_.catalog());
  }

  json Get(const std::string& target) {
    HttpResponse r = Call(router_, "GET", target);
    EXPECT_EQ(r.content_type, "application/json");
    status_ = r.status;
    return json::parse(r.body);
  }

  Warehouse wh_;
  std::vector<int64_t> v1_;
  Router router_;
  int status_ = 0;
};

TEST_F(TablesApiTest, ListShowsNamespacesTablesAndAliases) {
  json list = Get("/v1/tables");
  EXPECT_EQ(status_, 200);
  EXPECT_EQ(list["namespaces"], json::array({"default"}));
  EXPECT_EQ(list["aliases"], json::parse(R"([{"name": "default.revenue", "target": "default.revenue__v1"}])"));
  ASSERT_EQ(list["tables"].size(), 2u);
  const json& t = list["tables"][0];
  EXPECT_EQ(t["name"], "default.revenue__v1");
  EXPECT_EQ(t["namespace"], "default");
  EXPECT_EQ(t["table"], "revenue__v1");
  EXPECT_EQ(t["aliases"], json::array({"default.revenue"}));
  EXPECT_EQ(t["snapshots"], 2);
  EXPECT_EQ(t["current_snapshot_id"], v1_.back());
  EXPECT_EQ(t["rows"], 2);  // 4 records written, 2 position deletes
  EXPECT_GT(t["bytes"].get<int64_t>(), 0);
  EXPECT_EQ(list["tables"][1]["aliases"], json::array());
}

TEST_F(TablesApiTest, DescribeResolvesTheAliasAndCountsLiveFiles) {
  json t = Get("/v1/tables/revenue");
  EXPECT_EQ(status_, 200);
  EXPECT_EQ(t["name"], "revenue");
  EXPECT_EQ(t["table"], "default.revenue__v1");
  EXPECT_EQ(t["aliases"], json::array({"default.revenue"}));
  EXPECT_EQ(t["format_version"], 2);
  EXPECT_NE(t["metadata_file"].get<std::string>().find("/revenue__v1/metadata/v"), std::string::npos);
  EXPECT_EQ(t["primary_key"], json::array({"id"}));
  EXPECT_EQ(t["partition_spec"], json::parse(R"({"spec_id": 0, "fields": []})"));
  EXPECT_EQ(t["schema"]["fields"],
            json::parse(R"j([{"id": 1, "name": "id", "type": "BIGINT", "iceberg_type": "long", "required": true},
                            {"id": 2, "name": "name", "type": "STRING", "iceberg_type": "string", "required": false},
                            {"id": 3, "name": "amount", "type": "DECIMAL(10, 2)", "iceberg_type": "decimal(10, 2)",
                             "required": false}])j"));
  EXPECT_EQ(t["current_snapshot_id"], v1_.back());
  ASSERT_EQ(t["snapshots"].size(), 2u);
  EXPECT_EQ(t["snapshots"][0]["snapshot_id"], v1_.front());
  EXPECT_EQ(t["snapshots"][1]["parent_snapshot_id"], v1_.front());
  EXPECT_EQ(t["data_files"], 2);
  EXPECT_EQ(t["delete_files"], 1);
  EXPECT_EQ(t["records"], 4);
  EXPECT_EQ(t["position_deletes"], 2);
  EXPECT_EQ(t["rows"], 2);
  EXPECT_EQ(t["bytes"], t["data_bytes"].get<int64_t>() + t["delete_bytes"].get<int64_t>());
}

TEST_F(TablesApiTest, DescribeShowsPartitioning) {
  columnar::Schema schema({{"day", DataType::Date(), true}, {"total", DataType::Int64(), true}});
  auto ice = table::iceberg::Schema::FromColumnar(schema).value();
  auto spec = table::iceberg::MakePartitionSpec(ice, {{"day", table::iceberg::Transform::kDay}}).value();
  ASSERT_TRUE(wh_.catalog()->CreateTable({"default", "daily"}, ice, spec).ok());
  json t = Get("/v1/tables/daily");
  EXPECT_EQ(t["partition_spec"]["fields"],
            json::parse(R"([{"name": "day_day", "transform": "day", "source": "day", "source_id": 1, "field_id": 1000}])"));
  EXPECT_TRUE(t["current_snapshot_id"].is_null());
  EXPECT_EQ(t["rows"], 0);
  EXPECT_EQ(t["snapshots"], json::array());
}

TEST_F(TablesApiTest, HistoryListsSnapshotsOldestFirstWithTheSinksSummary) {
  json h = Get("/v1/tables/revenue/history");
  EXPECT_EQ(status_, 200);
  EXPECT_EQ(h["table"], "default.revenue__v1");
  ASSERT_EQ(h["snapshots"].size(), 2u);
  const json& first = h["snapshots"][0];
  const json& second = h["snapshots"][1];
  EXPECT_EQ(first["snapshot_id"], v1_[0]);
  EXPECT_TRUE(first["parent_snapshot_id"].is_null());
  EXPECT_EQ(first["operation"], "append");
  EXPECT_EQ(first["pipeline"], "revenue");
  EXPECT_EQ(first["version"], "1");
  EXPECT_EQ(first["epoch"], "1");
  EXPECT_EQ(first["added_rows"], 3);
  EXPECT_EQ(first["deleted_rows"], 0);
  EXPECT_FALSE(first["current"].get<bool>());
  EXPECT_EQ(first["summary"]["kappa.epoch"], "1");
  EXPECT_EQ(second["parent_snapshot_id"], v1_[0]);
  EXPECT_EQ(second["operation"], "overwrite");
  EXPECT_EQ(second["epoch"], "2");
  EXPECT_EQ(second["added_rows"], 1);
  EXPECT_EQ(second["deleted_rows"], 2);  // the old row of id 2, and id 3
  EXPECT_TRUE(second["current"].get<bool>());
  EXPECT_EQ(second["timestamp"].get<std::string>().size(), 23u);  // "2026-01-01 00:00:00.000"
}

TEST_F(TablesApiTest, UnknownTablesAndBadNamesAreErrors) {
  json missing = Get("/v1/tables/nope");
  EXPECT_EQ(status_, 404);
  EXPECT_EQ(missing["error"]["message"], "no table or alias named default.nope");
  Get("/v1/tables/nope/history");
  EXPECT_EQ(status_, 404);
  Get("/v1/tables/bad%20name");
  EXPECT_EQ(status_, 400);
  Get("/v1/tables/nons.t");
  EXPECT_EQ(status_, 404);
}

TEST_F(TablesApiTest, DiffRouteComparesTwoTables) {
  HttpResponse r = Call(router_, "POST", "/v1/tables/diff", R"({"a": "revenue", "b": "revenue__v2", "sample": 5})");
  ASSERT_EQ(r.status, 200) << r.body;
  json d = json::parse(r.body);
  EXPECT_EQ(d["a"]["table"], "default.revenue__v1");
  EXPECT_EQ(d["key_source"], "primary key");
  EXPECT_EQ(d["counts"], json::parse(R"({"only_in_a": 1, "only_in_b": 0, "changed": 0, "same": 1})"));
  EXPECT_EQ(d["samples"]["only_in_a"], json::parse(R"([[2, "b", "2.50"]])"));
}

TEST_F(TablesApiTest, DiffRouteRejectsBadBodies) {
  HttpResponse r = Call(router_, "POST", "/v1/tables/diff", "{not json");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(json::parse(r.body)["error"]["message"].get<std::string>().find("expected a JSON body"), std::string::npos);
  r = Call(router_, "POST", "/v1/tables/diff", R"({"a": "revenue", "b": "missing"})");
  EXPECT_EQ(r.status, 404);
}

}  // namespace
}  // namespace kappa::serve::testing
