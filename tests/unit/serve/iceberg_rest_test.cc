// The read-only Iceberg REST catalog under /iceberg: config, namespaces,
// table listing, LoadTableResult (aliases load their physical table),
// HEAD existence checks, ErrorModel errors and refused writes.
#include "serve/iceberg_rest.h"

#include "base/file.h"
#include "table/iceberg/metadata.h"
#include "table_test_util.h"

namespace kappa::serve::testing {
namespace {

using nlohmann::json;

class IcebergRestTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ids_ = WriteTable(wh_.catalog(), "revenue__v1", RevenueSchema(), {"id"},
                      {{{Rev(1, "a", 100)}}, {{Rev(2, "b", 200)}}});
    WriteTable(wh_.catalog(), "revenue__v2", RevenueSchema(), {"id"}, {{{Rev(1, "a", 100)}}});
    ASSERT_TRUE(wh_.catalog()->SetAliases({{"revenue", "revenue__v2"}}).ok());
    ASSERT_TRUE(wh_.catalog()->CreateNamespace("empty").ok());
    AddIcebergRestRoutes(&router_, wh_.catalog());
  }

  json Get(const std::string& target) {
    HttpResponse r = Call(router_, "GET", target);
    EXPECT_EQ(r.content_type, "application/json");
    status_ = r.status;
    return json::parse(r.body);
  }

  // Expects the spec's ErrorModel with this status and type.
  void ExpectError(const json& body, int status, const std::string& type) {
    EXPECT_EQ(status_, status);
    EXPECT_EQ(body["error"]["code"], status);
    EXPECT_EQ(body["error"]["type"], type);
    EXPECT_TRUE(body["error"]["message"].is_string());
  }

  Warehouse wh_;
  std::vector<int64_t> ids_;
  Router router_;
  int status_ = 0;
};

TEST_F(IcebergRestTest, ConfigHasDefaultsOverridesAndTheEndpointsServed) {
  json config = Get("/iceberg/v1/config?warehouse=x");
  EXPECT_EQ(status_, 200);
  EXPECT_EQ(config["defaults"], json::object());
  EXPECT_EQ(config["overrides"], json::object());
  std::vector<std::string> endpoints = config["endpoints"];
  EXPECT_NE(std::find(endpoints.begin(), endpoints.end(), "GET /v1/{prefix}/namespaces/{namespace}/tables/{table}"),
            endpoints.end());
  EXPECT_EQ(std::find(endpoints.begin(), endpoints.end(), "POST /v1/{prefix}/namespaces"), endpoints.end());
}

TEST_F(IcebergRestTest, NamespacesAreListedAndLoaded) {
  EXPECT_EQ(Get("/iceberg/v1/namespaces"), json::parse(R"({"namespaces": [["default"], ["empty"]]})"));
  EXPECT_EQ(Get("/iceberg/v1/namespaces?parent=default"), json::parse(R"({"namespaces": []})"));
  ExpectError(Get("/iceberg/v1/namespaces?parent=nope"), 404, "NoSuchNamespaceException");
  json ns = Get("/iceberg/v1/namespaces/default");
  EXPECT_EQ(status_, 200);
  EXPECT_EQ(ns["namespace"], json::array({"default"}));
  EXPECT_TRUE(ns["properties"].is_object());
  ExpectError(Get("/iceberg/v1/namespaces/nope"), 404, "NoSuchNamespaceException");
  ExpectError(Get("/iceberg/v1/namespaces/default%1Fsub"), 404, "NoSuchNamespaceException");
}

TEST_F(IcebergRestTest, TablesListPhysicalTablesAndAliases) {
  EXPECT_EQ(Get("/iceberg/v1/namespaces/default/tables"),
            json::parse(R"({"identifiers": [{"namespace": ["default"], "name": "revenue"},
                                            {"namespace": ["default"], "name": "revenue__v1"},
                                            {"namespace": ["default"], "name": "revenue__v2"}]})"));
  EXPECT_EQ(Get("/iceberg/v1/namespaces/empty/tables"), json::parse(R"({"identifiers": []})"));
  ExpectError(Get("/iceberg/v1/namespaces/nope/tables"), 404, "NoSuchNamespaceException");
}

TEST_F(IcebergRestTest, LoadTableReturnsTheCommittedMetadata) {
  json result = Get("/iceberg/v1/namespaces/default/tables/revenue__v1");
  EXPECT_EQ(status_, 200);
  std::string location = result["metadata-location"];
  EXPECT_NE(location.find("/revenue__v1/metadata/v"), std::string::npos);
  // The metadata is the file's content.
  auto file = table::iceberg::MetadataFromJson(ReadFile(location).value()).value();
  EXPECT_EQ(json::parse(table::iceberg::MetadataToJson(file).dump()), result["metadata"]);
  EXPECT_EQ(result["metadata"]["format-version"], 2);
  EXPECT_EQ(result["metadata"]["current-snapshot-id"], ids_.back());
  EXPECT_EQ(result["metadata"]["snapshots"].size(), 2u);
  EXPECT_EQ(result["config"], json::object());
}

TEST_F(IcebergRestTest, AnAliasLoadsThePhysicalTableItPointsAt) {
  json result = Get("/iceberg/v1/namespaces/default/tables/revenue");
  EXPECT_EQ(status_, 200);
  EXPECT_NE(result["metadata-location"].get<std::string>().find("/revenue__v2/metadata/"), std::string::npos);
  ASSERT_TRUE(wh_.catalog()->SetAliases({{"revenue", "revenue__v1"}}).ok());
  result = Get("/iceberg/v1/namespaces/default/tables/revenue");
  EXPECT_NE(result["metadata-location"].get<std::string>().find("/revenue__v1/metadata/"), std::string::npos);
}

TEST_F(IcebergRestTest, SnapshotsRefsKeepsOnlyReferencedSnapshots) {
  json result = Get("/iceberg/v1/namespaces/default/tables/revenue__v1?snapshots=refs");
  ASSERT_EQ(result["metadata"]["snapshots"].size(), 1u);
  EXPECT_EQ(result["metadata"]["snapshots"][0]["snapshot-id"], ids_.back());
  ExpectError(Get("/iceberg/v1/namespaces/default/tables/revenue__v1?snapshots=some"), 400, "BadRequestException");
}

TEST_F(IcebergRestTest, UnknownTablesAreNoSuchTable) {
  ExpectError(Get("/iceberg/v1/namespaces/default/tables/nope"), 404, "NoSuchTableException");
  ExpectError(Get("/iceberg/v1/namespaces/default/tables/bad%20name"), 404, "NoSuchTableException");
  ExpectError(Get("/iceberg/v1/namespaces/nope/tables/revenue"), 404, "NoSuchNamespaceException");
}

TEST_F(IcebergRestTest, HeadAnswersExistenceWithoutABody) {
  struct Case {
    const char* target;
    int status;
  };
  for (Case c : {Case{"/iceberg/v1/namespaces/default", 204}, Case{"/iceberg/v1/namespaces/nope", 404},
                 Case{"/iceberg/v1/namespaces/default/tables/revenue", 204},
                 Case{"/iceberg/v1/namespaces/default/tables/revenue__v1", 204},
                 Case{"/iceberg/v1/namespaces/default/tables/nope", 404},
                 Case{"/iceberg/v1/namespaces/nope/tables/revenue", 404}}) {
    HttpResponse r = Call(router_, "HEAD", c.target);
    EXPECT_EQ(r.status, c.status) << c.target;
    EXPECT_TRUE(r.body.empty()) << c.target;
  }
}

TEST_F(IcebergRestTest, WritesAreRefusedAsUnsupported) {
  for (auto [method, target] : std::vector<std::pair<std::string, std::string>>{
           {"POST", "/iceberg/v1/namespaces"},
           {"DELETE", "/iceberg/v1/namespaces/default"},
           {"POST", "/iceberg/v1/namespaces/default/tables"},
           {"POST", "/iceberg/v1/namespaces/default/tables/revenue"},
           {"DELETE", "/iceberg/v1/namespaces/default/tables/revenue"},
           {"POST", "/iceberg/v1/tables/rename"},
           {"POST", "/iceberg/v1/transactions/commit"}}) {
    HttpResponse r = Call(router_, method, target, "{}");
    status_ = r.status;
    ExpectError(json::parse(r.body), 406, "UnsupportedOperationException");
  }
  EXPECT_TRUE(wh_.catalog()->TableExists({"default", "revenue__v1"}));
  EXPECT_EQ(Call(router_, "POST", "/iceberg/v1/namespaces/default/tables/revenue/metrics", "{}").status, 204);
}

}  // namespace
}  // namespace kappa::serve::testing
