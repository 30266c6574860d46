#include "table/catalog.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "base/file.h"
#include "table/iceberg/table_io.h"
#include "iceberg_test_util.h"

namespace kappa::table {
namespace {

using iceberg::testing::EventsSchema;
using iceberg::testing::ScratchDir;

class CatalogTest : public ::testing::Test {
 protected:
  void SetUp() override { catalog_ = Catalog::Open(dir_.path() + "/warehouse").value(); }
  void Create(const std::string& name) {
    auto t = catalog_->CreateTable(TableIdent::Parse(name).value(), EventsSchema());
    ASSERT_TRUE(t.ok()) << t.status();
  }

  ScratchDir dir_;
  std::unique_ptr<Catalog> catalog_;
};

TEST_F(CatalogTest, NamesParse) {
  EXPECT_EQ(TableIdent::Parse("t").value(), (TableIdent{"default", "t"}));
  EXPECT_EQ(TableIdent::Parse("ns.t").value(), (TableIdent{"ns", "t"}));
  EXPECT_FALSE(TableIdent::Parse("a.b.c").ok());
  EXPECT_FALSE(TableIdent::Parse("").ok());
  EXPECT_FALSE(TableIdent::Parse("../x").ok());
}

TEST_F(CatalogTest, NamespacesAndTables) {
  EXPECT_EQ(catalog_->ListNamespaces(), std::vector<std::string>{"default"});
  ASSERT_TRUE(catalog_->CreateNamespace("sales").ok());
  EXPECT_EQ(catalog_->CreateNamespace("sales").code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(catalog_->ListNamespaces(), (std::vector<std::string>{"default", "sales"}));
  Create("revenue");
  Create("sales.orders");
  EXPECT_EQ(catalog_->CreateTable({"nope", "t"}, EventsSchema()).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(catalog_->CreateTable({"default", "revenue"}, EventsSchema()).status().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(catalog_->ListTables("default"), std::vector<std::string>{"revenue"});
  EXPECT_EQ(catalog_->ListTables("sales"), std::vector<std::string>{"orders"});
  EXPECT_TRUE(PathExists(dir_.path() + "/warehouse/sales/orders/metadata/v1.metadata.json"));
  EXPECT_EQ(catalog_->DropNamespace("sales").code(), StatusCode::kFailedPrecondition);
  ASSERT_TRUE(catalog_->DropTable({"sales", "orders"}).ok());
  EXPECT_FALSE(catalog_->TableExists({"sales", "orders"}));
  ASSERT_TRUE(catalog_->DropNamespace("sales").ok());
  auto loaded = catalog_->LoadTable("revenue");
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ((*loaded)->location(), dir_.path() + "/warehouse/default/revenue");
}

TEST_F(CatalogTest, AliasesResolveFirstAndPersist) {
  Create("revenue__v1");
  Create("revenue__v2");
  Create("users__v1");
  ASSERT_TRUE(catalog_->SetAliases({{"revenue", "revenue__v1"}, {"users", "default.users__v1"}}).ok());
  EXPECT_EQ(catalog_->Resolve("revenue").value(), (TableIdent{"default", "revenue__v1"}));
  EXPECT_EQ(catalog_->Resolve("default.revenue__v2").value(), (TableIdent{"default", "revenue__v2"}));
  EXPECT_EQ(catalog_->Resolve("missing").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(catalog_->SetAliases({{"x", "missing"}}).code(), StatusCode::kNotFound);
  EXPECT_EQ(catalog_->SetAliases({{"revenue__v2", "revenue__v1"}}).code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(catalog_->DropTable({"default", "revenue__v1"}).code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(catalog_->CreateTable({"default", "revenue"}, EventsSchema()).status().code(),
            StatusCode::kAlreadyExists);

  auto reopened = Catalog::Open(dir_.path() + "/warehouse").value();
  EXPECT_EQ(reopened->Aliases(), (std::map<std::string, std::string>{{"default.revenue", "default.revenue__v1"},
                                                                     {"default.users", "default.users__v1"}}));
  auto j = nlohmann::json::parse(ReadFile(dir_.path() + "/warehouse/catalog.json").value());
  EXPECT_EQ(j["aliases"]["default.revenue"], "default.revenue__v1");
  ASSERT_TRUE(catalog_->RemoveAliases({"users"}).ok());
  EXPECT_EQ(catalog_->RemoveAliases({"users"}).code(), StatusCode::kNotFound);
}

TEST_F(CatalogTest, CutoverRepointsAllAliasesAtOnce) {
  for (const char* t : {"a__v1", "b__v1", "a__v2", "b__v2"}) Create(t);
  ASSERT_TRUE(catalog_->SetAliases({{"a", "a__v1"}, {"b", "b__v1"}}).ok());
  std::atomic<bool> stop{false};
  std::atomic<int> mixed{0}, reads{0};
  std::vector<std::thread> readers;
  for (int i = 0; i < 3; ++i) {
    readers.emplace_back([&] {
      while (!stop) {
        // Both aliases from one view of the map: never one old and one new.
        auto all = catalog_->Aliases();
        bool a2 = all["default.a"] == "default.a__v2", b2 = all["default.b"] == "default.b__v2";
        if (a2 != b2) ++mixed;
        ASSERT_TRUE(catalog_->Resolve("a").ok());
        ++reads;
      }
    });
  }
  for (int round = 0; round < 50; ++round) {
    std::string v = round % 2 == 0 ? "v2" : "v1";
    ASSERT_TRUE(catalog_->SetAliases({{"a", "a__" + v}, {"b", "b__" + v}}).ok());
  }
  stop = true;
  for (auto& r : readers) r.join();
  EXPECT_EQ(mixed, 0);
  EXPECT_GT(reads, 0);
  // A failed repoint changes nothing.
  EXPECT_FALSE(catalog_->SetAliases({{"a", "a__v1"}, {"b", "missing"}}).ok());
  EXPECT_EQ(catalog_->Resolve("a").value().name, "a__v1");
  auto names = ListDir(dir_.path() + "/warehouse").value();
  for (const std::string& n : names) EXPECT_EQ(n.find(".tmp"), std::string::npos) << n;
}

TEST_F(CatalogTest, CorruptCatalogFileIsReported) {
  ASSERT_TRUE(iceberg::WriteFileAtomically(dir_.path() + "/warehouse/catalog.json", "{not json").ok());
  auto c = Catalog::Open(dir_.path() + "/warehouse");
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), StatusCode::kDataLoss);
}

}  // namespace
}  // namespace kappa::table
