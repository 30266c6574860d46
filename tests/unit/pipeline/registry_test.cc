#include "pipeline/registry.h"

#include <filesystem>

#include "gtest/gtest.h"

namespace kappa::pipeline {
namespace {

// A job that runs nothing: the registry's bookkeeping is under test here;
// real jobs are exercised by tests/sql and the integration tests.
struct FakeWorld {
  std::map<std::string, bool> caught_up;  // "name/vN"
  std::map<std::string, std::string> aliases;
  std::vector<std::string> dropped;
  int started = 0;
  int stopped = 0;
};

class FakeJob : public VersionJob {
 public:
  FakeJob(FakeWorld* w, std::string key) : w_(w), key_(std::move(key)) {}
  kappa::Status Stop() override {
    ++w_->stopped;
    return OkStatus();
  }
  nlohmann::json StatusJson() const override { return {{"state", "running"}}; }
  bool CaughtUp() const override { return w_->caught_up[key_]; }

 private:
  FakeWorld* w_;
  std::string key_;
};

RegistryHooks Hooks(FakeWorld* w) {
  RegistryHooks h;
  h.start = [w](const VersionSpec& s) -> Result<std::unique_ptr<VersionJob>> {
    if (s.sql.find("BROKEN") != std::string::npos) return Invalid("cannot start");
    ++w->started;
    return std::unique_ptr<VersionJob>(
        new FakeJob(w, s.name + "/v" + std::to_string(s.version)));
  };
  h.validate = [](const std::string&, const std::string& sql) {
    return sql.find("SYNTAX") == std::string::npos ? OkStatus() : Invalid("line 1: bad");
  };
  h.sinks = [](const VersionSpec& s) -> Result<std::vector<SinkBinding>> {
    return std::vector<SinkBinding>{{"revenue", "revenue__v" + std::to_string(s.version), true}};
  };
  h.repoint = [w](const std::vector<SinkBinding>& b) {
    for (const SinkBinding& s : b) w->aliases[s.alias] = s.physical;
    return OkStatus();
  };
  h.drop = [w](const std::vector<SinkBinding>& b) {
    for (const SinkBinding& s : b) w->dropped.push_back(s.physical);
    return OkStatus();
  };
  return h;
}

class RegistryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = ::testing::TempDir() + "/registry_" + std::to_string(::getpid()) + "_" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::filesystem::remove_all(dir_);
  }
  std::string dir_;
  FakeWorld world_;
};

TEST_F(RegistryTest, FirstVersionIsPromotedSecondWaitsForCatchUp) {
  auto r = Registry::Open(dir_, Hooks(&world_));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(*(*r)->Deploy("rev", "v1 sql", {}), 1);
  EXPECT_EQ(world_.aliases["revenue"], "revenue__v1");
  EXPECT_EQ(*(*r)->Deploy("rev", "v2 sql", {}), 2);
  EXPECT_EQ(world_.aliases["revenue"], "revenue__v1");

  Status st = (*r)->Promote("rev", 2, false);
  EXPECT_EQ(st.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(world_.aliases["revenue"], "revenue__v1");
  world_.caught_up["rev/v2"] = true;
  ASSERT_TRUE((*r)->Promote("rev", 2, false).ok());
  EXPECT_EQ(world_.aliases["revenue"], "revenue__v2");

  EXPECT_EQ((*r)->Retire("rev", 2).code(), StatusCode::kFailedPrecondition);
  ASSERT_TRUE((*r)->Rollback("rev").ok());
  EXPECT_EQ(world_.aliases["revenue"], "revenue__v1");
  ASSERT_TRUE((*r)->Retire("rev", 2).ok());
  EXPECT_EQ(world_.dropped, std::vector<std::string>{"revenue__v2"});
  auto d = (*r)->Describe("rev");
  ASSERT_EQ((*d)["versions"].size(), 1u);
  EXPECT_EQ((*d)["promoted"], 1);
}

TEST_F(RegistryTest, BadSqlIsRefusedBeforeAnythingIsWritten) {
  auto r = Registry::Open(dir_, Hooks(&world_));
  auto v = (*r)->Deploy("rev", "SYNTAX error", {});
  EXPECT_EQ(v.status().message(), "line 1: bad");
  EXPECT_FALSE(std::filesystem::exists(dir_ + "/pipelines/rev"));
  EXPECT_FALSE((*r)->Deploy("../x", "ok", {}).ok());
}

TEST_F(RegistryTest, RunningVersionsRestartAndStoppedOnesStayStopped) {
  {
    auto r = Registry::Open(dir_, Hooks(&world_));
    ASSERT_TRUE((*r)->Deploy("a", "sql", {}).ok());
    ASSERT_TRUE((*r)->Deploy("b", "sql", {}).ok());
    ASSERT_TRUE((*r)->Stop("b", std::nullopt).ok());
  }
  world_.started = 0;
  auto r = Registry::Open(dir_, Hooks(&world_));
  EXPECT_EQ(world_.started, 1);
  auto b = (*r)->Describe("b");
  EXPECT_EQ((*b)["versions"][0]["state"], "stopped");
  ASSERT_TRUE((*r)->Start("b", 1).ok());
  EXPECT_EQ(world_.started, 2);
}

TEST_F(RegistryTest, PromoteWhenCaughtUpHappensOnTick) {
  auto r = Registry::Open(dir_, Hooks(&world_));
  ASSERT_TRUE((*r)->Deploy("rev", "v1", {}).ok());
  DeployOptions o;
  o.promote_when_caught_up = true;
  ASSERT_TRUE((*r)->Deploy("rev", "v2", o).ok());
  (*r)->Tick();
  EXPECT_EQ(world_.aliases["revenue"], "revenue__v1");
  world_.caught_up["rev/v2"] = true;
  (*r)->Tick();
  EXPECT_EQ(world_.aliases["revenue"], "revenue__v2");
}

TEST_F(RegistryTest, AFailedStartIsReportedNotHidden) {
  auto r = Registry::Open(dir_, Hooks(&world_));
  auto v = (*r)->Deploy("x", "BROKEN", {});
  EXPECT_FALSE(v.ok());
  auto d = (*r)->Describe("x");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ((*d)["versions"][0]["state"], "failed");
  EXPECT_EQ((*d)["versions"][0]["error"], "cannot start");
}

}  // namespace
}  // namespace kappa::pipeline
