#include "engine/state/group_table.h"

namespace kappa::engine {

uint32_t GroupTable::FindOrInsert(std::string_view key, bool* inserted) {
  auto it = map_.find(key);
  if (it != map_.end()) {
    *inserted = false;
    return it->second;
  }
  *inserted = true;
  uint32_t id;
  if (!free_.empty()) {
    id = free_.back();
    free_.pop_back();
    keys_[id].assign(key);
    live_[id] = 1;
  } else {
    id = static_cast<uint32_t>(keys_.size());
    keys_.emplace_back(key);
    live_.push_back(1);
  }
  map_.emplace(std::string_view(keys_[id]), id);
  return id;
}

uint32_t GroupTable::Find(std::string_view key) const {
  auto it = map_.find(key);
  return it == map_.end() ? kNone : it->second;
}

void GroupTable::Erase(uint32_t id) {
  map_.erase(std::string_view(keys_[id]));
  keys_[id].clear();
  keys_[id].shrink_to_fit();
  live_[id] = 0;
  free_.push_back(id);
}

std::vector<uint32_t> GroupTable::LiveIds() const {
  std::vector<uint32_t> out;
  out.reserve(map_.size());
  for (uint32_t id = 0; id < live_.size(); ++id) {
    if (live_[id]) out.push_back(id);
  }
  return out;
}

void GroupTable::Clear() {
  map_.clear();
  keys_.clear();
  live_.clear();
  free_.clear();
}

}  // namespace kappa::engine
