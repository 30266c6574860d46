// DiskPartition's retention: deletes whole sealed segments from the front.
// Time retention compares the segment file's modification time (the time
// of its last append) with now, never record timestamps.
#include "log/layout.h"
#include "log/partition.h"
#include "spdlog/spdlog.h"

namespace kappa::log {

Result<bool> DiskPartition::ExpiredLocked(const Segment& front, int64_t now_ms) const {
  const TopicConfig& c = options_.config;
  if (c.retention_bytes >= 0) {
    uint64_t total = 0;
    for (const auto& seg : segments_) total += seg->size();
    if (total - front.size() >= static_cast<uint64_t>(c.retention_bytes)) return true;
  }
  if (c.retention_ms >= 0) {
    ASSIGN_OR_RETURN(int64_t appended_ms, FileMtimeMillis(front.path(kLogSuffix)));
    if (appended_ms <= now_ms - c.retention_ms) return true;
  }
  return false;
}

Status DiskPartition::ApplyRetention(int64_t now_ms) {
  const TopicConfig& c = options_.config;
  if (c.retention_bytes < 0 && c.retention_ms < 0) return OkStatus();
  for (;;) {
    std::shared_ptr<Segment> victim;
    {
      std::lock_guard lock(mu_);
      if (segments_.size() < 2 || !stopped_.ok()) return OkStatus();
      ASSIGN_OR_RETURN(bool expired, ExpiredLocked(*segments_.front(), now_ms));
      if (!expired) return OkStatus();
      victim = segments_.front();
      segments_.erase(segments_.begin());
    }
    spdlog::info("{}: retention deletes segment {} (offsets {}..{}, {} bytes)", what_,
                 victim->base(), victim->base(), victim->end() - 1, victim->size());
    RETURN_IF_ERROR(victim->RemoveFiles().WithContext(what_));
  }
}

}  // namespace kappa::log
