#include "kafka/group/group_coordinator.h"

#include <gtest/gtest.h>

#include <optional>

namespace kappa::kafka {
namespace {

JoinRequest Join(const std::string& member, int32_t session_ms = 10000,
                 int32_t rebalance_ms = 30000) {
  JoinRequest r;
  r.group_id = "g";
  r.member_id = member;
  r.client_id = "c";
  r.protocol_type = "consumer";
  r.session_timeout_ms = session_ms;
  r.rebalance_timeout_ms = rebalance_ms;
  r.protocols = {{"range", "meta-range"}, {"roundrobin", "meta-rr"}};
  return r;
}

// Captures a callback's response.
template <typename T>
struct Slot {
  std::optional<T> value;
  std::function<void(T)> cb() {
    return [this](T v) { value = std::move(v); };
  }
};

TEST(GroupCoordinator, SingleMemberJoinsAndSyncsAtOnce) {
  GroupCoordinator gc;
  Slot<JoinResponse> join;
  gc.Join(Join(""), 0, join.cb());
  ASSERT_TRUE(join.value);
  EXPECT_EQ(join.value->error, GroupError::kNone);
  EXPECT_EQ(join.value->generation, 1);
  EXPECT_EQ(join.value->leader_id, join.value->member_id);
  EXPECT_EQ(join.value->protocol_name, "range");
  ASSERT_EQ(join.value->members.size(), 1u);
  EXPECT_EQ(join.value->members[0].second, "meta-range");

  Slot<SyncResponse> sync;
  gc.Sync({"g", join.value->member_id, 1, {{join.value->member_id, "all"}}}, 10, sync.cb());
  ASSERT_TRUE(sync.value);
  EXPECT_EQ(sync.value->assignment, "all");
  EXPECT_EQ(gc.Heartbeat("g", join.value->member_id, 1, 20), GroupError::kNone);
}

TEST(GroupCoordinator, SecondMemberTriggersRebalance) {
  GroupCoordinator gc;
  Slot<JoinResponse> a1;
  gc.Join(Join(""), 0, a1.cb());
  std::string a = a1.value->member_id;
  Slot<SyncResponse> as1;
  gc.Sync({"g", a, 1, {{a, "p0,p1"}}}, 0, as1.cb());
  ASSERT_TRUE(as1.value);

  Slot<JoinResponse> b1;
  gc.Join(Join(""), 100, b1.cb());
  EXPECT_FALSE(b1.value) << "b waits until a rejoins";
  EXPECT_EQ(gc.Heartbeat("g", a, 1, 200), GroupError::kRebalanceInProgress);

  Slot<JoinResponse> a2;
  gc.Join(Join(a), 300, a2.cb());
  ASSERT_TRUE(a2.value && b1.value);
  EXPECT_EQ(a2.value->generation, 2);
  EXPECT_EQ(b1.value->generation, 2);
  EXPECT_EQ(a2.value->leader_id, a);
  EXPECT_EQ(a2.value->members.size(), 2u);
  EXPECT_TRUE(b1.value->members.empty()) << "only the leader gets the member list";

  std::string b = b1.value->member_id;
  Slot<SyncResponse> bs;
  gc.Sync({"g", b, 2, {}}, 400, bs.cb());
  EXPECT_FALSE(bs.value) << "follower waits for the leader's assignment";
  Slot<SyncResponse> as2;
  gc.Sync({"g", a, 2, {{a, "p0"}, {b, "p1"}}}, 500, as2.cb());
  ASSERT_TRUE(bs.value && as2.value);
  EXPECT_EQ(as2.value->assignment, "p0");
  EXPECT_EQ(bs.value->assignment, "p1");
}

TEST(GroupCoordinator, LeaveRebalancesTheRest) {
  GroupCoordinator gc;
  Slot<JoinResponse> a1, b1;
  gc.Join(Join(""), 0, a1.cb());
  std::string a = a1.value->member_id;
  gc.Join(Join(""), 0, b1.cb());
  Slot<JoinResponse> a2;
  gc.Join(Join(a), 0, a2.cb());
  std::string b = b1.value->member_id;
  Slot<SyncResponse> s1, s2;
  gc.Sync({"g", a, 2, {{a, "x"}, {b, "y"}}}, 0, s1.cb());
  gc.Sync({"g", b, 2, {}}, 0, s2.cb());

  EXPECT_EQ(gc.Leave("g", b, 10), GroupError::kNone);
  EXPECT_EQ(gc.Heartbeat("g", a, 2, 20), GroupError::kRebalanceInProgress);
  Slot<JoinResponse> a3;
  gc.Join(Join(a), 30, a3.cb());
  ASSERT_TRUE(a3.value);
  EXPECT_EQ(a3.value->generation, 3);
  EXPECT_EQ(a3.value->members.size(), 1u);
  EXPECT_EQ(gc.Leave("g", b, 40), GroupError::kUnknownMember);
}

TEST(GroupCoordinator, SessionTimeoutExpiresSilentMember) {
  GroupCoordinator gc;
  Slot<JoinResponse> a1, b1, a2;
  gc.Join(Join("", 5000), 0, a1.cb());
  std::string a = a1.value->member_id;
  gc.Join(Join("", 5000), 0, b1.cb());
  gc.Join(Join(a, 5000), 0, a2.cb());
  std::string b = b1.value->member_id;
  Slot<SyncResponse> s1, s2;
  gc.Sync({"g", a, 2, {{a, "x"}, {b, "y"}}}, 0, s1.cb());
  gc.Sync({"g", b, 2, {}}, 0, s2.cb());

  // a keeps heartbeating, b goes silent.
  for (int64_t t = 1000; t <= 6000; t += 1000) {
    EXPECT_EQ(gc.Heartbeat("g", a, 2, t), GroupError::kNone);
    gc.Tick(t);
  }
  gc.Tick(7000);
  EXPECT_EQ(gc.Heartbeat("g", b, 2, 7000), GroupError::kUnknownMember);
  EXPECT_EQ(gc.Heartbeat("g", a, 2, 7000), GroupError::kRebalanceInProgress);
}

TEST(GroupCoordinator, RebalanceDeadlineDropsMembersThatDoNotRejoin) {
  GroupCoordinator gc;
  Slot<JoinResponse> a1, b1;
  gc.Join(Join("", 60000, 1000), 0, a1.cb());
  std::string a = a1.value->member_id;
  gc.Join(Join("", 60000, 1000), 100, b1.cb());
  EXPECT_FALSE(b1.value);
  gc.Tick(500);
  EXPECT_FALSE(b1.value);
  gc.Tick(1200);  // a never rejoined within the rebalance timeout
  ASSERT_TRUE(b1.value);
  EXPECT_EQ(b1.value->generation, 2);
  EXPECT_EQ(b1.value->leader_id, b1.value->member_id);
  EXPECT_EQ(gc.Heartbeat("g", a, 1, 1300), GroupError::kUnknownMember);
}

TEST(GroupCoordinator, RejectsBadRequests) {
  GroupCoordinator gc;
  Slot<JoinResponse> r;
  gc.Join(Join("ghost"), 0, r.cb());
  EXPECT_EQ(r.value->error, GroupError::kUnknownMember);

  Slot<JoinResponse> bad_timeout;
  gc.Join(Join("", 10), 0, bad_timeout.cb());
  EXPECT_EQ(bad_timeout.value->error, GroupError::kInvalidSessionTimeout);

  Slot<JoinResponse> a;
  gc.Join(Join(""), 0, a.cb());
  JoinRequest other = Join("");
  other.protocols = {{"sticky", ""}};
  Slot<JoinResponse> b;
  gc.Join(other, 0, b.cb());
  EXPECT_EQ(b.value->error, GroupError::kInconsistentProtocol);

  Slot<SyncResponse> s;
  gc.Sync({"g", a.value->member_id, 7, {}}, 0, s.cb());
  EXPECT_EQ(s.value->error, GroupError::kIllegalGeneration);
}

TEST(GroupCoordinator, CheckCommit) {
  GroupCoordinator gc;
  EXPECT_EQ(gc.CheckCommit("standalone", "", -1), GroupError::kNone);
  EXPECT_EQ(gc.CheckCommit("standalone", "m", 3), GroupError::kIllegalGeneration);
  Slot<JoinResponse> a;
  gc.Join(Join(""), 0, a.cb());
  std::string m = a.value->member_id;
  EXPECT_EQ(gc.CheckCommit("g", m, 1), GroupError::kNone);
  EXPECT_EQ(gc.CheckCommit("g", m, 0), GroupError::kIllegalGeneration);
  EXPECT_EQ(gc.CheckCommit("g", "other", 1), GroupError::kUnknownMember);
}

}  // namespace
}  // namespace kappa::kafka
