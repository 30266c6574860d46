// The consumer-group coordinator: Kafka's group membership protocol
// (JoinGroup, SyncGroup, Heartbeat, LeaveGroup) for every group on this
// broker. A group moves Empty -> PreparingRebalance (members (re)join) ->
// CompletingRebalance (the leader's SyncGroup carries the assignment) ->
// Stable, and back to PreparingRebalance whenever a member joins, leaves or
// misses its session timeout. Requests that must wait (a join until every
// member has rejoined, a follower's sync until the leader's) complete through
// their callback later, from another call or from Tick().
//
// Thread rules: not thread-safe; the Kafka listener calls it from the
// io_context's thread. Callbacks run inside the call that completes them and
// must not call back into the coordinator. Time is passed in (now_ms), so
// tests drive it without sleeping.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace kappa::kafka {

// Why a group request failed; mapped to Kafka error codes by the handlers.
enum class GroupError {
  kNone,
  kUnknownMember,           // UNKNOWN_MEMBER_ID
  kIllegalGeneration,       // ILLEGAL_GENERATION
  kRebalanceInProgress,     // REBALANCE_IN_PROGRESS
  kInconsistentProtocol,    // INCONSISTENT_GROUP_PROTOCOL
  kInvalidSessionTimeout,   // INVALID_SESSION_TIMEOUT
};

// A member's (protocol name, metadata) or (member id, assignment) pair.
using NamedBytes = std::pair<std::string, std::string>;

struct JoinRequest {
  std::string group_id;
  std::string member_id;  // empty on a first join
  std::string client_id;
  std::string protocol_type;  // "consumer"
  int32_t session_timeout_ms = 10000;
  int32_t rebalance_timeout_ms = 60000;
  std::vector<NamedBytes> protocols;  // in the member's order of preference
};

struct JoinResponse {
  GroupError error = GroupError::kNone;
  int32_t generation = -1;
  std::string protocol_name;
  std::string leader_id;
  std::string member_id;
  std::vector<NamedBytes> members;  // (member id, metadata); the leader's only
};

struct SyncRequest {
  std::string group_id;
  std::string member_id;
  int32_t generation = -1;
  std::vector<NamedBytes> assignments;  // from the leader only
};

struct SyncResponse {
  GroupError error = GroupError::kNone;
  std::string assignment;
};

struct GroupSummary {
  std::string group_id;
  std::string state;  // "Empty", "PreparingRebalance", "CompletingRebalance", "Stable"
  int32_t generation = 0;
  int32_t members = 0;
};

class GroupCoordinator {
 public:
  // Limits on the session timeout a member may ask for.
  struct Options {
    int32_t min_session_timeout_ms = 1000;
    int32_t max_session_timeout_ms = 3600000;
  };
  GroupCoordinator();
  explicit GroupCoordinator(Options options);
  ~GroupCoordinator();

  void Join(const JoinRequest& req, int64_t now_ms, std::function<void(JoinResponse)> done);
  void Sync(const SyncRequest& req, int64_t now_ms, std::function<void(SyncResponse)> done);
  GroupError Heartbeat(const std::string& group_id, const std::string& member_id,
                       int32_t generation, int64_t now_ms);
  GroupError Leave(const std::string& group_id, const std::string& member_id, int64_t now_ms);
  // Whether an OffsetCommit from (member, generation) is accepted: always for
  // generation -1 on a group without members (a standalone consumer).
  GroupError CheckCommit(const std::string& group_id, const std::string& member_id,
                         int32_t generation) const;

  // Expires members past their session timeout and completes rebalances
  // past their deadline. Call every few hundred milliseconds.
  void Tick(int64_t now_ms);

  std::vector<GroupSummary> Summaries() const;

  // Server shutdown: answers every waiting join and sync with
  // REBALANCE_IN_PROGRESS so that no request stays in flight.
  void AbortPending();

 private:
  struct Group;
  Group& GetOrCreate(const std::string& group_id);
  Group* Find(const std::string& group_id) const;
  void StartRebalance(Group& g, int64_t now_ms);
  void MaybeCompleteJoin(Group& g, int64_t now_ms, bool deadline_passed);
  void RemoveMember(Group& g, const std::string& member_id, int64_t now_ms);
  std::string NewMemberId(const std::string& client_id);

  Options options_;
  std::map<std::string, std::unique_ptr<Group>> groups_;
  uint64_t next_member_ = 1;
};

}  // namespace kappa::kafka
