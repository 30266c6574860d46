#include "pipeline/version_store.h"

#include <filesystem>

#include "base/file.h"
#include "gtest/gtest.h"

namespace kappa::pipeline {
namespace {

class VersionStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = ::testing::TempDir() + "/version_store_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::filesystem::remove_all(root_);
  }
  std::string root_;
};

TEST(ParseVersionTest, AcceptsBothSpellings) {
  EXPECT_EQ(*ParseVersion("2"), 2);
  EXPECT_EQ(*ParseVersion("v2"), 2);
  EXPECT_EQ(*ParseVersion("V13"), 13);
  EXPECT_FALSE(ParseVersion("v").ok());
  EXPECT_FALSE(ParseVersion("0").ok());
  EXPECT_FALSE(ParseVersion("2x").ok());
  EXPECT_EQ(ParseVersion("two").status().message(), "bad version 'two': expected a number like 2 or v2");
}

TEST(ValidateNameTest, RejectsPathsAndOddCharacters) {
  EXPECT_TRUE(ValidatePipelineName("revenue_v-1").ok());
  EXPECT_FALSE(ValidatePipelineName("../etc").ok());
  EXPECT_FALSE(ValidatePipelineName("1abc").ok());
  EXPECT_FALSE(ValidatePipelineName("").ok());
}

TEST_F(VersionStoreTest, VersionsNumberUpAndSurviveReopen) {
  auto store = VersionStore::Open(root_);
  ASSERT_TRUE(store.ok()) << store.status();
  EXPECT_FALSE(store->Load("rev").ok());
  PipelineRecord p{"rev", std::nullopt, {}, {}};
  ASSERT_TRUE(store->SavePipeline(p).ok());
  EXPECT_EQ(*store->AddVersion("rev", "SELECT 1;", {}), 1);
  VersionRecord r2;
  r2.from = "latest";
  EXPECT_EQ(*store->AddVersion("rev", "SELECT 2;", r2), 2);
  p.promoted = 1;
  p.promotions = {1};
  ASSERT_TRUE(store->SavePipeline(p).ok());

  auto reopened = VersionStore::Open(root_);
  auto loaded = reopened->Load("rev");
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ(loaded->promoted, 1);
  ASSERT_EQ(loaded->versions.size(), 2u);
  EXPECT_EQ(loaded->versions[1].version, 2);
  EXPECT_EQ(loaded->versions[1].from, "latest");
  EXPECT_EQ(*reopened->ReadSql("rev", 2), "SELECT 2;");

  ASSERT_TRUE(reopened->RemoveVersion("rev", 1).ok());
  loaded = reopened->Load("rev");
  ASSERT_EQ(loaded->versions.size(), 1u);
  EXPECT_EQ(loaded->versions[0].version, 2);
  // Numbers are never reused.
  EXPECT_EQ(*reopened->AddVersion("rev", "SELECT 3;", {}), 3);
  EXPECT_EQ(reopened->LoadAll()->size(), 1u);
}

TEST_F(VersionStoreTest, StateChangesPersist) {
  auto store = VersionStore::Open(root_);
  ASSERT_TRUE(store->SavePipeline({"p", std::nullopt, {}, {}}).ok());
  int v = *store->AddVersion("p", "x", {});
  VersionRecord r = store->Load("p")->versions[0];
  r.desired = DesiredState::kStopped;
  ASSERT_TRUE(store->SaveVersion("p", r).ok());
  EXPECT_EQ(store->Load("p")->versions[0].desired, DesiredState::kStopped);
  EXPECT_EQ(v, 1);
}

}  // namespace
}  // namespace kappa::pipeline
