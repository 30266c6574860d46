#include "kafka/group/group_coordinator.h"

#include <algorithm>

#include "fmt/format.h"

namespace kappa::kafka {

namespace {
enum class State { kEmpty, kPreparingRebalance, kCompletingRebalance, kStable };

const char* StateName(State s) {
  switch (s) {
    case State::kEmpty: return "Empty";
    case State::kPreparingRebalance: return "PreparingRebalance";
    case State::kCompletingRebalance: return "CompletingRebalance";
    case State::kStable: return "Stable";
  }
  return "Unknown";
}
}  // namespace

struct Member {
  std::string id;
  std::string client_id;
  int32_t session_timeout_ms = 0;
  int32_t rebalance_timeout_ms = 0;
  std::vector<NamedBytes> protocols;
  std::string assignment;
  int64_t last_seen_ms = 0;
  uint64_t join_order = 0;  // the first member to join leads by default
  std::function<void(JoinResponse)> pending_join;
  std::function<void(SyncResponse)> pending_sync;

  bool Supports(const std::string& protocol) const {
    return std::any_of(protocols.begin(), protocols.end(),
                       [&](const NamedBytes& p) { return p.first == protocol; });
  }
  const std::string* Metadata(const std::string& protocol) const {
    for (const auto& p : protocols) {
      if (p.first == protocol) return &p.second;
    }
    return nullptr;
  }
};

struct GroupCoordinator::Group {
  std::string id;
  State state = State::kEmpty;
  int32_t generation = 0;
  std::string protocol_type;
  std::string protocol_name;
  std::string leader_id;
  int64_t rebalance_deadline_ms = 0;
  std::map<std::string, Member> members;

  std::vector<Member*> MembersInJoinOrder() {
    std::vector<Member*> out;
    for (auto& [id, m] : members) out.push_back(&m);
    std::sort(out.begin(), out.end(),
              [](const Member* a, const Member* b) { return a->join_order < b->join_order; });
    return out;
  }

  // Every member votes for its most preferred protocol that all support.
  std::string ChooseProtocol() {
    std::map<std::string, int> votes;
    for (Member* m : MembersInJoinOrder()) {
      for (const NamedBytes& protocol : m->protocols) {
        const std::string& name = protocol.first;
        bool all = std::all_of(members.begin(), members.end(),
                               [&](const auto& kv) { return kv.second.Supports(name); });
        if (all) {
          ++votes[name];
          break;
        }
      }
    }
    std::string best;
    int best_votes = 0;
    for (Member* m : MembersInJoinOrder()) {  // ties go to the earliest member's choice
      for (const auto& [name, meta] : m->protocols) {
        auto it = votes.find(name);
        if (it != votes.end() && it->second > best_votes) {
          best = name;
          best_votes = it->second;
        }
      }
    }
    return best;
  }

  bool CompatibleWith(const JoinRequest& req) const {
    if (members.empty()) return true;
    if (req.protocol_type != protocol_type) return false;
    for (const NamedBytes& protocol : req.protocols) {
      const std::string& name = protocol.first;
      bool all = std::all_of(members.begin(), members.end(), [&](const auto& kv) {
        return kv.first == req.member_id || kv.second.Supports(name);
      });
      if (all) return true;
    }
    return false;
  }
};

GroupCoordinator::GroupCoordinator() : GroupCoordinator(Options{}) {}
GroupCoordinator::GroupCoordinator(Options options) : options_(options) {}
GroupCoordinator::~GroupCoordinator() = default;

GroupCoordinator::Group& GroupCoordinator::GetOrCreate(const std::string& group_id) {
  auto& slot = groups_[group_id];
  if (!slot) {
    slot = std::make_unique<Group>();
    slot->id = group_id;
  }
  return *slot;
}

GroupCoordinator::Group* GroupCoordinator::Find(const std::string& group_id) const {
  auto it = groups_.find(group_id);
  return it == groups_.end() ? nullptr : it->second.get();
}

std::string GroupCoordinator::NewMemberId(const std::string& client_id) {
  return fmt::format("{}-{:08x}", client_id.empty() ? "member" : client_id, next_member_++);
}

void GroupCoordinator::Join(const JoinRequest& req, int64_t now_ms,
                            std::function<void(JoinResponse)> done) {
  auto fail = [&](GroupError e) {
    JoinResponse r;
    r.error = e;
    r.member_id = req.member_id;
    done(std::move(r));
  };
  if (req.session_timeout_ms < options_.min_session_timeout_ms ||
      req.session_timeout_ms > options_.max_session_timeout_ms) {
    return fail(GroupError::kInvalidSessionTimeout);
  }
  Group& g = GetOrCreate(req.group_id);
  if (!req.member_id.empty() && !g.members.contains(req.member_id)) {
    return fail(GroupError::kUnknownMember);
  }
  if (req.protocols.empty() || !g.CompatibleWith(req)) {
    return fail(GroupError::kInconsistentProtocol);
  }
  std::string id = req.member_id.empty() ? NewMemberId(req.client_id) : req.member_id;
  Member& m = g.members[id];
  if (m.id.empty()) {
    m.id = id;
    m.join_order = next_member_++;
  }
  if (m.pending_join) {  // a retried join replaces the earlier one
    JoinResponse stale;
    stale.error = GroupError::kRebalanceInProgress;
    stale.member_id = id;
    std::exchange(m.pending_join, nullptr)(std::move(stale));
  }
  m.client_id = req.client_id;
  m.session_timeout_ms = req.session_timeout_ms;
  m.rebalance_timeout_ms = req.rebalance_timeout_ms;
  m.protocols = req.protocols;
  m.last_seen_ms = now_ms;
  m.pending_join = std::move(done);
  g.protocol_type = req.protocol_type;
  if (g.state != State::kPreparingRebalance) StartRebalance(g, now_ms);
  MaybeCompleteJoin(g, now_ms, false);
}

void GroupCoordinator::StartRebalance(Group& g, int64_t now_ms) {
  g.state = State::kPreparingRebalance;
  int32_t timeout = 0;
  for (const auto& [id, m] : g.members) timeout = std::max(timeout, m.rebalance_timeout_ms);
  g.rebalance_deadline_ms = now_ms + timeout;
  for (auto& [id, m] : g.members) {
    if (m.pending_sync) {
      SyncResponse r;
      r.error = GroupError::kRebalanceInProgress;
      std::exchange(m.pending_sync, nullptr)(std::move(r));
    }
  }
}

void GroupCoordinator::MaybeCompleteJoin(Group& g, int64_t now_ms, bool deadline_passed) {
  if (g.state != State::kPreparingRebalance) return;
  bool all_joined = std::all_of(g.members.begin(), g.members.end(),
                                [](const auto& kv) { return kv.second.pending_join != nullptr; });
  if (!all_joined && !deadline_passed) return;
  std::erase_if(g.members, [](const auto& kv) { return kv.second.pending_join == nullptr; });
  if (g.members.empty()) {
    g.state = State::kEmpty;
    g.leader_id.clear();
    g.protocol_name.clear();
    return;
  }
  ++g.generation;
  g.protocol_name = g.ChooseProtocol();
  if (!g.members.contains(g.leader_id)) g.leader_id = g.MembersInJoinOrder().front()->id;
  g.state = State::kCompletingRebalance;

  std::vector<NamedBytes> member_list;
  for (Member* m : g.MembersInJoinOrder()) {
    member_list.emplace_back(m->id, *m->Metadata(g.protocol_name));
  }
  std::vector<std::pair<std::function<void(JoinResponse)>, JoinResponse>> replies;
  for (auto& [id, m] : g.members) {
    JoinResponse r;
    r.generation = g.generation;
    r.protocol_name = g.protocol_name;
    r.leader_id = g.leader_id;
    r.member_id = id;
    if (id == g.leader_id) r.members = member_list;
    m.last_seen_ms = now_ms;
    replies.emplace_back(std::exchange(m.pending_join, nullptr), std::move(r));
  }
  for (auto& [cb, r] : replies) cb(std::move(r));
}

void GroupCoordinator::Sync(const SyncRequest& req, int64_t now_ms,
                            std::function<void(SyncResponse)> done) {
  auto fail = [&](GroupError e) {
    SyncResponse r;
    r.error = e;
    done(std::move(r));
  };
  Group* g = Find(req.group_id);
  if (g == nullptr || !g->members.contains(req.member_id)) return fail(GroupError::kUnknownMember);
  if (req.generation != g->generation) return fail(GroupError::kIllegalGeneration);
  if (g->state == State::kPreparingRebalance) return fail(GroupError::kRebalanceInProgress);
  Member& m = g->members[req.member_id];
  m.last_seen_ms = now_ms;
  if (g->state == State::kStable) {
    SyncResponse r;
    r.assignment = m.assignment;
    return done(std::move(r));
  }
  m.pending_sync = std::move(done);
  if (req.member_id != g->leader_id) return;

  for (auto& [id, member] : g->members) member.assignment.clear();
  for (const auto& [id, assignment] : req.assignments) {
    auto it = g->members.find(id);
    if (it != g->members.end()) it->second.assignment = assignment;
  }
  g->state = State::kStable;
  std::vector<std::pair<std::function<void(SyncResponse)>, SyncResponse>> replies;
  for (auto& [id, member] : g->members) {
    if (!member.pending_sync) continue;
    SyncResponse r;
    r.assignment = member.assignment;
    replies.emplace_back(std::exchange(member.pending_sync, nullptr), std::move(r));
  }
  for (auto& [cb, r] : replies) cb(std::move(r));
}

GroupError GroupCoordinator::Heartbeat(const std::string& group_id, const std::string& member_id,
                                       int32_t generation, int64_t now_ms) {
  Group* g = Find(group_id);
  if (g == nullptr || !g->members.contains(member_id)) return GroupError::kUnknownMember;
  g->members[member_id].last_seen_ms = now_ms;
  if (g->state == State::kPreparingRebalance) return GroupError::kRebalanceInProgress;
  if (generation != g->generation) return GroupError::kIllegalGeneration;
  return GroupError::kNone;
}

GroupError GroupCoordinator::Leave(const std::string& group_id, const std::string& member_id,
                                   int64_t now_ms) {
  Group* g = Find(group_id);
  if (g == nullptr || !g->members.contains(member_id)) return GroupError::kUnknownMember;
  RemoveMember(*g, member_id, now_ms);
  return GroupError::kNone;
}

void GroupCoordinator::RemoveMember(Group& g, const std::string& member_id, int64_t now_ms) {
  auto node = g.members.extract(member_id);
  Member& m = node.mapped();
  if (m.pending_join) {
    JoinResponse r;
    r.error = GroupError::kUnknownMember;
    r.member_id = member_id;
    m.pending_join(std::move(r));
  }
  if (m.pending_sync) {
    SyncResponse r;
    r.error = GroupError::kUnknownMember;
    m.pending_sync(std::move(r));
  }
  if (g.members.empty()) {
    // Answer nobody; the group waits, empty, for its next member.
    g.state = State::kEmpty;
    g.leader_id.clear();
    g.protocol_name.clear();
    ++g.generation;
    return;
  }
  if (g.state != State::kPreparingRebalance) StartRebalance(g, now_ms);
  MaybeCompleteJoin(g, now_ms, false);
}

GroupError GroupCoordinator::CheckCommit(const std::string& group_id, const std::string& member_id,
                                         int32_t generation) const {
  Group* g = Find(group_id);
  if (g == nullptr || g->members.empty()) {
    return generation < 0 ? GroupError::kNone : GroupError::kIllegalGeneration;
  }
  if (generation < 0 && member_id.empty()) return GroupError::kNone;  // admin-style commit
  if (!g->members.contains(member_id)) return GroupError::kUnknownMember;
  if (generation != g->generation) return GroupError::kIllegalGeneration;
  if (g->state == State::kPreparingRebalance) return GroupError::kRebalanceInProgress;
  return GroupError::kNone;
}

void GroupCoordinator::Tick(int64_t now_ms) {
  for (auto& [gid, g] : groups_) {
    std::vector<std::string> expired;
    for (const auto& [id, m] : g->members) {
      bool waiting = m.pending_join || m.pending_sync;
      if (!waiting && now_ms - m.last_seen_ms > m.session_timeout_ms) expired.push_back(id);
    }
    for (const std::string& id : expired) RemoveMember(*g, id, now_ms);
    if (g->state == State::kPreparingRebalance && now_ms >= g->rebalance_deadline_ms) {
      MaybeCompleteJoin(*g, now_ms, true);
    }
  }
}

void GroupCoordinator::AbortPending() {
  for (auto& [gid, g] : groups_) {
    for (auto& [id, m] : g->members) {
      if (m.pending_join) {
        JoinResponse r;
        r.error = GroupError::kRebalanceInProgress;
        r.member_id = id;
        std::exchange(m.pending_join, nullptr)(std::move(r));
      }
      if (m.pending_sync) {
        SyncResponse r;
        r.error = GroupError::kRebalanceInProgress;
        std::exchange(m.pending_sync, nullptr)(std::move(r));
      }
    }
  }
}

std::vector<GroupSummary> GroupCoordinator::Summaries() const {
  std::vector<GroupSummary> out;
  for (const auto& [gid, g] : groups_) {
    out.push_back(GroupSummary{gid, StateName(g->state), g->generation,
                               static_cast<int32_t>(g->members.size())});
  }
  return out;
}

}  // namespace kappa::kafka
