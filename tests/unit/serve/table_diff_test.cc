// kappa table diff: matching by primary key, by a given key and by whole
// rows; exact value comparison; samples; request parsing; the JSON shape.
#include "serve/table_diff.h"

#include "table_test_util.h"

namespace kappa::serve::testing {
namespace {

std::vector<std::string> Texts(const std::vector<std::vector<Value>>& rows) {
  std::vector<std::string> out;
  for (const auto& row : rows) {
    std::string line;
    for (const Value& v : row) line += (line.empty() ? "" : "|") + v.ToString();
    out.push_back(line);
  }
  return out;
}

TableDiff Diff(table::Catalog* catalog, DiffRequest request) {
  auto diff = DiffTables(*catalog, request);
  EXPECT_TRUE(diff.ok()) << diff.status();
  return diff.ok() ? *diff : TableDiff{};
}

class TableDiffTest : public ::testing::Test {
 protected:
  Warehouse wh_;
};

TEST_F(TableDiffTest, PrimaryKeyMatchesRowsAndFindsChangedValues) {
  WriteTable(wh_.catalog(), "revenue__v1", RevenueSchema(), {"id"},
             {{{Rev(1, "a", 1000), Rev(2, "b", 2000), Rev(3, "c", 3000)}}});
  WriteTable(wh_.catalog(), "revenue__v2", RevenueSchema(), {"id"},
             {{{Rev(1, "a", 1000), Rev(2, "b", 2500), Rev(4, "d", 4000)}}});
  ASSERT_TRUE(wh_.catalog()->SetAliases({{"revenue", "revenue__v1"}}).ok());
  TableDiff d = Diff(wh_.catalog(), {"revenue", "revenue__v2", {}, 10});
  EXPECT_EQ(d.a.table, "default.revenue__v1");
  EXPECT_EQ(d.b.table, "default.revenue__v2");
  EXPECT_TRUE(d.a.snapshot_id.has_value());
  EXPECT_EQ(d.a.rows, 3);
  EXPECT_EQ(d.key, std::vector<std::string>{"id"});
  EXPECT_EQ(d.key_source, "primary key");
  EXPECT_EQ(d.only_in_a, 1);
  EXPECT_EQ(d.only_in_b, 1);
  EXPECT_EQ(d.changed, 1);
  EXPECT_EQ(d.same, 1);
  EXPECT_EQ(Texts(d.sample_only_in_a), std::vector<std::string>{"3|c|30.00"});
  EXPECT_EQ(Texts(d.sample_only_in_b), std::vector<std::string>{"4|d|40.00"});
  ASSERT_EQ(d.sample_changed.size(), 1u);
  EXPECT_EQ(Texts({d.sample_changed[0].a, d.sample_changed[0].b}),
            (std::vector<std::string>{"2|b|20.00", "2|b|25.00"}));
  EXPECT_EQ(d.sample_changed[0].changed_columns, std::vector<std::string>{"amount"});
}

TEST_F(TableDiffTest, UpsertTablesAreComparedAfterUpdatesAndDeletes) {
  WriteTable(wh_.catalog(), "t1", RevenueSchema(), {"id"},
             {{{Rev(1, "a", 100), Rev(2, "b", 200), Rev(3, "c", 300)}},
              {{Rev(2, "b", 250)}, {Rev(3, "", 0)}}});  // update 2, delete 3
  WriteTable(wh_.catalog(), "t2", RevenueSchema(), {"id"}, {{{Rev(1, "a", 100), Rev(2, "b", 250)}}});
  TableDiff d = Diff(wh_.catalog(), {"t1", "t2", {}, 10});
  EXPECT_EQ(d.a.rows, 2);
  EXPECT_EQ(d.same, 2);
  EXPECT_EQ(d.only_in_a + d.only_in_b + d.changed, 0);
}

TEST_F(TableDiffTest, WithoutAKeyTablesCompareAsMultisetsOfRows) {
  WriteTable(wh_.catalog(), "a", RevenueSchema(), {}, {{{Rev(1, "x", 1), Rev(1, "x", 1), Rev(2, "y", 2)}}});
  WriteTable(wh_.catalog(), "b", RevenueSchema(), {}, {{{Rev(1, "x", 1), Rev(3, "z", 3)}}});
  TableDiff d = Diff(wh_.catalog(), {"a", "b", {}, 10});
  EXPECT_EQ(d.key_source, "whole row");
  EXPECT_EQ(d.key, (std::vector<std::string>{"id", "name", "amount"}));
  EXPECT_EQ(d.same, 1);
  EXPECT_EQ(d.changed, 0);
  EXPECT_EQ(Texts(d.sample_only_in_a), (std::vector<std::string>{"1|x|0.01", "2|y|0.02"}));
  EXPECT_EQ(Texts(d.sample_only_in_b), std::vector<std::string>{"3|z|0.03"});
}

TEST_F(TableDiffTest, AGivenKeyPairsRowsOfAppendTables) {
  WriteTable(wh_.catalog(), "a", RevenueSchema(), {}, {{{Rev(1, "x", 100), Rev(2, "y", 200)}}});
  WriteTable(wh_.catalog(), "b", RevenueSchema(), {}, {{{Rev(1, "x", 100), Rev(2, "y", 999)}}});
  TableDiff d = Diff(wh_.catalog(), {"a", "b", {"name"}, 10});
  EXPECT_EQ(d.key_source, "given");
  EXPECT_EQ(d.changed, 1);
  EXPECT_EQ(d.same, 1);
  ASSERT_EQ(d.sample_changed.size(), 1u);
  EXPECT_EQ(d.sample_changed[0].changed_columns, std::vector<std::string>{"amount"});
}

TEST_F(TableDiffTest, DifferentPrimaryKeysFallBackToWholeRows) {
  WriteTable(wh_.catalog(), "a", RevenueSchema(), {"id"}, {{{Rev(1, "x", 100)}}});
  WriteTable(wh_.catalog(), "b", RevenueSchema(), {"name"}, {{{Rev(1, "x", 100)}}});
  TableDiff d = Diff(wh_.catalog(), {"a", "b", {}, 10});
  EXPECT_EQ(d.key_source, "whole row");
  EXPECT_EQ(d.same, 1);
}

TEST_F(TableDiffTest, ValuesCompareByValueAcrossWidenedTypesAndExtraColumns) {
  columnar::Schema narrow({{"id", DataType::Int32(), true}, {"amount", DataType::Decimal(10, 2), true}});
  columnar::Schema wide({{"id", DataType::Int64(), true},
                         {"amount", DataType::Decimal(12, 4), true},
                         {"note", DataType::String(), true}});
  WriteTable(wh_.catalog(), "a", narrow, {"id"},
             {{{{Value::Int32(1), Value::Decimal(150, 10, 2)}, {Value::Int32(2), Value::Null(DataType::Decimal(10, 2))}}}});
  WriteTable(wh_.catalog(), "b", wide, {"id"},
             {{{{Value::Int64(1), Value::Decimal(15000, 12, 4), Value::String("n")},
                {Value::Int64(2), Value::Null(DataType::Decimal(12, 4)), Value::String("m")}}}});
  TableDiff d = Diff(wh_.catalog(), {"a", "b", {}, 10});
  EXPECT_EQ(d.columns_only_in_b, std::vector<std::string>{"note"});
  EXPECT_TRUE(d.columns_only_in_a.empty());
  EXPECT_EQ(d.columns.size(), 2u);
  nlohmann::json columns = DiffToJson(d)["columns"];
  EXPECT_EQ(columns, nlohmann::json::parse(R"j([{"name": "id", "type": "INT", "type_b": "BIGINT"},
      {"name": "amount", "type": "DECIMAL(10, 2)", "type_b": "DECIMAL(12, 4)"}])j"));
  EXPECT_EQ(d.same, 2);  // 1.50 == 1.5000, INT 1 == BIGINT 1, NULL == NULL
  EXPECT_EQ(d.changed, 0);
}

TEST_F(TableDiffTest, SamplesAreTheFirstRowsInKeyOrder) {
  WriteTable(wh_.catalog(), "a", RevenueSchema(), {"id"}, {{{Rev(-5, "neg", 1)}}});
  std::vector<std::vector<Value>> rows;
  for (int64_t id = 30; id >= 1; --id) rows.push_back(Rev(id, "r", id));
  WriteTable(wh_.catalog(), "b", RevenueSchema(), {"id"}, {{rows}});
  TableDiff d = Diff(wh_.catalog(), {"a", "b", {}, 3});
  EXPECT_EQ(d.only_in_b, 30);
  EXPECT_EQ(Texts(d.sample_only_in_b), (std::vector<std::string>{"1|r|0.01", "2|r|0.02", "3|r|0.03"}));
  EXPECT_EQ(Texts(d.sample_only_in_a), std::vector<std::string>{"-5|neg|0.01"});
}

TEST_F(TableDiffTest, BadNamesAndKeysAreClearErrors) {
  WriteTable(wh_.catalog(), "a", RevenueSchema(), {}, {{{Rev(1, "x", 1)}}});
  auto missing = DiffTables(*wh_.catalog(), {"a", "nope", {}, 10});
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_NE(missing.status().message().find("nope"), std::string::npos);
  auto bad_key = DiffTables(*wh_.catalog(), {"a", "a", {"zzz"}, 10});
  EXPECT_EQ(bad_key.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(bad_key.status().message(), "key column zzz is not a column of a");
  EXPECT_EQ(DiffTables(*wh_.catalog(), {"a", "bad name!", {}, 10}).status().code(), StatusCode::kInvalidArgument);
  WriteTable(wh_.catalog(), "other", columnar::Schema({{"x", DataType::Int64(), true}}), {},
             {{{{Value::Int64(1)}}}});
  auto disjoint = DiffTables(*wh_.catalog(), {"a", "other", {}, 10});
  EXPECT_EQ(disjoint.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(disjoint.status().message(), "a and other have no column in common");
}

TEST(DiffRequestTest, ParsesKeysAsListOrCommaSeparatedText) {
  auto r = ParseDiffRequest(R"({"a": "x", "b": "y", "key": "id, day", "sample": 3})");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->key, (std::vector<std::string>{"id", "day"}));
  EXPECT_EQ(r->sample, 3);
  r = ParseDiffRequest(R"({"a": "x", "b": "y", "key": ["id"]})");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->key, std::vector<std::string>{"id"});
  EXPECT_EQ(r->sample, 10);
}

TEST(DiffRequestTest, RejectsBadBodies) {
  for (const char* body : {"", "nope", "[]", R"({"a": "x"})", R"({"a": 1, "b": "y"})",
                           R"({"a": "x", "b": "y", "key": [1]})", R"({"a": "x", "b": "y", "sample": -1})",
                           R"({"a": "x", "b": "y", "sample": 100001})", R"({"a": "x", "b": "y", "sample": "3"})"}) {
    EXPECT_EQ(ParseDiffRequest(body).status().code(), StatusCode::kInvalidArgument) << body;
  }
}

TEST(DiffJsonTest, CarriesCountsSamplesAndTypedValues) {
  TableDiff d;
  d.a = {"revenue", "default.revenue__v1", 7, 2};
  d.b = {"revenue__v2", "default.revenue__v2", std::nullopt, 0};
  d.key = {"id"};
  d.key_source = "primary key";
  d.columns = columnar::Schema({{"id", DataType::Int64(), true},
                                {"amount", DataType::Decimal(10, 2), true},
                                {"x", DataType::Double(), true}});
  d.only_in_a = 1;
  d.changed = 1;
  d.sample_only_in_a = {{Value::Int64(1), Value::Decimal(1250, 10, 2), Value::Double(0.5)}};
  d.sample_changed = {{{Value::Int64(2), Value::Null(DataType::Decimal(10, 2)), Value::Double(1)},
                       {Value::Int64(2), Value::Decimal(1, 10, 2), Value::Double(1)},
                       {"amount"}}};
  nlohmann::json j = DiffToJson(d);
  EXPECT_EQ(j["a"], (nlohmann::json{{"name", "revenue"}, {"table", "default.revenue__v1"}, {"snapshot_id", 7}, {"rows", 2}}));
  EXPECT_TRUE(j["b"]["snapshot_id"].is_null());
  EXPECT_EQ(j["key"], nlohmann::json::array({"id"}));
  EXPECT_EQ(j["columns"][1], (nlohmann::json{{"name", "amount"}, {"type", "DECIMAL(10, 2)"}}));
  EXPECT_EQ(j["counts"], (nlohmann::json{{"only_in_a", 1}, {"only_in_b", 0}, {"changed", 1}, {"same", 0}}));
  EXPECT_EQ(j["samples"]["only_in_a"][0], nlohmann::json::parse(R"([1, "12.50", 0.5])"));
  EXPECT_EQ(j["samples"]["changed"][0]["a"], nlohmann::json::parse(R"([2, null, 1.0])"));
  EXPECT_EQ(j["samples"]["changed"][0]["changed_columns"], nlohmann::json::array({"amount"}));
  EXPECT_TRUE(j["samples"]["only_in_b"].empty());
}

}  // namespace
}  // namespace kappa::serve::testing
