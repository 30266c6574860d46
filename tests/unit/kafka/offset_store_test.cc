#include "kafka/group/offset_store.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include "base/file.h"

namespace kappa::kafka {
namespace {

std::string FreshDir(const char* name) {
  std::string dir = std::string(testing::TempDir()) + "kappa_offsets_" + name + "_" +
                    std::to_string(::getpid());
  EXPECT_TRUE(RemoveTree(dir).ok());
  return dir;
}

TEST(OffsetStore, CommitsSurviveReopen) {
  std::string dir = FreshDir("reopen");
  {
    auto store = OffsetStore::Open(dir);
    ASSERT_TRUE(store.ok()) << store.status();
    ASSERT_TRUE((*store)->Commit("orders/app 1", {{"orders", 0, 42, "m"}, {"orders", 1, 7, ""}}).ok());
    ASSERT_TRUE((*store)->Commit("orders/app 1", {{"orders", 0, 50, ""}}).ok());
    ASSERT_TRUE((*store)->Commit("other", {{"t", 3, 1, ""}}).ok());
  }
  auto store = OffsetStore::Open(dir);
  ASSERT_TRUE(store.ok()) << store.status();
  auto p0 = (*store)->Fetch("orders/app 1", "orders", 0);
  ASSERT_TRUE(p0);
  EXPECT_EQ(p0->offset, 50);
  EXPECT_EQ((*store)->Fetch("orders/app 1", "orders", 1)->offset, 7);
  EXPECT_FALSE((*store)->Fetch("orders/app 1", "orders", 2));
  EXPECT_FALSE((*store)->Fetch("nobody", "orders", 0));
  EXPECT_EQ((*store)->FetchAll("orders/app 1").size(), 2u);
  EXPECT_EQ((*store)->Groups().size(), 2u);
}

TEST(OffsetStore, FileNamesAreSafe) {
  EXPECT_EQ(OffsetStore::FileNameFor("my-group_1.x"), "my-group_1.x.json");
  EXPECT_EQ(OffsetStore::FileNameFor("a/b c"), "a%2Fb%20c.json");
  EXPECT_EQ(OffsetStore::FileNameFor(".."), "%...json");
  EXPECT_EQ(OffsetStore::FileNameFor(""), "%.json");
}

TEST(OffsetStore, DamagedFileIsReportedNotDropped) {
  std::string dir = FreshDir("damaged");
  ASSERT_TRUE(CreateDirs(dir).ok());
  ASSERT_TRUE(WriteFileAtomic(dir + "/g.json", "{\"group\": \"g\", \"offs").ok());
  auto store = OffsetStore::Open(dir);
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.status().message().find("g.json"), std::string::npos) << store.status();
}

}  // namespace
}  // namespace kappa::kafka
