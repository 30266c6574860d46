// GroupTable maps encoded keys (key_codec.h) to dense group ids 0, 1, 2...
// so that per-group state lives in plain vectors indexed by id. Lookups take
// a string_view (no allocation); a new key is copied once. Erased ids are
// reused by later inserts, so state vectors stay as large as the most groups
// alive at once. Not thread-safe: each task owns its shard's tables.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"

namespace kappa::engine {

class GroupTable {
 public:
  static constexpr uint32_t kNone = UINT32_MAX;

  // The id of `key`, inserting it when absent; `inserted` says which.
  uint32_t FindOrInsert(std::string_view key, bool* inserted);
  // The id of `key`, or kNone.
  uint32_t Find(std::string_view key) const;
  // Frees `id` for reuse. REQUIRES: live(id).
  void Erase(uint32_t id);

  std::string_view key(uint32_t id) const { return keys_[id]; }
  bool live(uint32_t id) const { return id < live_.size() && live_[id]; }
  // Groups alive.
  size_t size() const { return map_.size(); }
  // One more than the largest id ever handed out: size state vectors to it.
  uint32_t capacity() const { return static_cast<uint32_t>(keys_.size()); }
  // Live ids in ascending order (deterministic snapshots and bounded output).
  std::vector<uint32_t> LiveIds() const;
  void Clear();

 private:
  absl::flat_hash_map<std::string_view, uint32_t> map_;  // views into keys_
  std::deque<std::string> keys_;  // by id; a deque never moves its elements
  std::vector<uint8_t> live_;
  std::vector<uint32_t> free_;
};

}  // namespace kappa::engine
