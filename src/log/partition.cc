#include "log/partition.h"

#include <algorithm>
#include <limits>

#include "base/metrics.h"
#include "base/time.h"
#include "fmt/format.h"
#include "log/record_batch.h"
#include "log/segment_recovery.h"
#include "spdlog/spdlog.h"

namespace kappa::log {

Result<std::unique_ptr<DiskPartition>> DiskPartition::Open(PartitionOptions options) {
  RETURN_IF_ERROR(CreateDirs(options.dir));
  RecoveryContext ctx{options.dir, fmt::format("topic {} partition {}", options.topic, options.id),
                      options.config.index_interval_bytes};
  ASSIGN_OR_RETURN(auto segments, RecoverSegments(ctx));
  return std::make_unique<DiskPartition>(std::move(options), std::move(segments));
}

DiskPartition::DiskPartition(PartitionOptions options,
                             std::vector<std::shared_ptr<Segment>> segments)
    : options_(std::move(options)),
      what_(fmt::format("topic {} partition {}", options_.topic, options_.id)),
      segments_(std::move(segments)),
      durable_end_(segments_.back()->end()),
      end_offset_gauge_(&Metrics::Gauge(
          "kappa_partition_end_offset", "Next offset to be assigned",
          {{"topic", options_.topic}, {"partition", std::to_string(options_.id.value())}})) {
  end_offset_gauge_->Set(segments_.back()->end().value());
}

Result<AppendResult> DiskPartition::Append(std::string_view batch) {
  RETURN_IF_ERROR(ValidateBatch(AsBytes(batch)));
  ASSIGN_OR_RETURN(BatchHeader h, ParseBatchHeader(AsBytes(batch)));
  return AppendValidated(batch, h);
}

Result<AppendResult> DiskPartition::AppendValidated(std::string_view batch, const BatchHeader& h) {
  if (h.records_count <= 0) return Invalid("{}: a batch without records", what_);
  if (batch.size() != h.total_size()) {
    return Invalid("{}: batch of {} bytes, its header says {}", what_, batch.size(),
                   h.total_size());
  }
  AppendResult result;
  Ready ready;
  Status s = AppendLocked(batch, h, &result, &ready);
  Run(&ready);
  RETURN_IF_ERROR(s);
  if (options_.config.durability == Durability::kAlways) {
    RETURN_IF_ERROR(SyncTo(result.last_offset + 1));
  }
  return result;
}

Status DiskPartition::AppendLocked(std::string_view batch, const BatchHeader& h,
                                   AppendResult* result, Ready* ready) {
  std::lock_guard lock(mu_);
  RETURN_IF_ERROR(stopped_);
  int64_t now = WallMillis();
  if (ShouldRollLocked(*segments_.back(), h, batch.size(), now)) RETURN_IF_ERROR(RollLocked(ready));
  Segment* active = segments_.back().get();
  result->base_offset = active->end();
  if (Status s = active->Append(batch, h, now); !s.ok()) {
    if (active->broken()) FailLocked(s.WithContext(what_), ready);
    return s.WithContext(what_);
  }
  result->last_offset = active->end() - 1;
  end_offset_gauge_->Set(active->end().value());
  if (options_.config.durability == Durability::kNever) {
    MarkDurableLocked(active, active->size(), active->end(), ready);
  }
  return OkStatus();
}

bool DiskPartition::ShouldRollLocked(const Segment& active, const BatchHeader& h, size_t size,
                                     int64_t now_ms) const {
  if (active.empty()) return false;
  const TopicConfig& c = options_.config;
  return active.size() + size > static_cast<uint64_t>(c.segment_bytes) ||
         now_ms - active.first_append_ms() >= c.segment_ms ||
         (active.end() - active.base()) + h.records_count > std::numeric_limits<int32_t>::max();
}

Status DiskPartition::RollLocked(Ready* ready) {
  Segment& old = *segments_.back();
  if (Status s = old.Seal(); !s.ok()) {
    FailLocked(s.WithContext(what_), ready);
    return stopped_;
  }
  MarkDurableLocked(&old, old.size(), old.end(), ready);
  ASSIGN_OR_RETURN(auto next,
                   Segment::Create(options_.dir, old.end(), options_.config.index_interval_bytes));
  RETURN_IF_ERROR(SyncDir(options_.dir));
  segments_.push_back(std::move(next));
  return OkStatus();
}

Status DiskPartition::SyncTo(Offset end) {
  std::lock_guard sync_lock(sync_mu_);
  std::shared_ptr<Segment> active;
  uint64_t size = 0;
  Offset written;
  {
    std::lock_guard lock(mu_);
    if (durable_end_ >= end) return OkStatus();
    RETURN_IF_ERROR(dead_);
    active = segments_.back();
    size = active->size();
    written = active->end();
  }
  static HistogramMetric& fsync_seconds =
      Metrics::Histogram("kappa_log_fsync_seconds", "Latency of one partition fsync");
  int64_t sync_start = MonotonicNanos();
  Status s = active->Sync();
  fsync_seconds.ObserveMicros((MonotonicNanos() - sync_start) / 1000);
  Ready ready;
  {
    std::lock_guard lock(mu_);
    if (s.ok()) {
      MarkDurableLocked(active.get(), size, written, &ready);
    } else {
      FailLocked(s.WithContext(what_), &ready);
    }
  }
  Run(&ready);
  return s.WithContext(what_);
}

bool DiskPartition::dirty() const {
  std::lock_guard lock(mu_);
  return dead_.ok() && durable_end_ < segments_.back()->end();
}

Status DiskPartition::Flush() {
  Offset end;
  {
    std::lock_guard lock(mu_);
    if (!dead_.ok() || durable_end_ >= segments_.back()->end()) return OkStatus();
    end = segments_.back()->end();
  }
  return SyncTo(end);
}

void DiskPartition::MarkDurableLocked(Segment* segment, uint64_t size, Offset end,
                                      Ready* ready) {
  segment->MarkCommitted(size, end);
  if (end <= durable_end_) return;
  durable_end_ = end;
  auto done = std::stable_partition(waiters_.begin(), waiters_.end(),
                                    [end](const Waiter& w) { return w.end > end; });
  for (auto it = done; it != waiters_.end(); ++it) ready->emplace_back(std::move(it->cb), Status());
  waiters_.erase(done, waiters_.end());
  cv_.notify_all();
}

void DiskPartition::FailLocked(const Status& why, Ready* ready) {
  spdlog::error("{}: stopped: {}", what_, why);
  if (stopped_.ok()) stopped_ = why;
  if (dead_.ok()) dead_ = why;
  DropWaitersLocked(ready);
}

void DiskPartition::DropWaitersLocked(Ready* ready) {
  for (Waiter& w : waiters_) ready->emplace_back(std::move(w.cb), dead_);
  waiters_.clear();
  cv_.notify_all();
}

void DiskPartition::Run(Ready* ready) {
  for (auto& [cb, status] : *ready) cb(status);
  ready->clear();
}

Status DiskPartition::WaitDurable(Offset end) {
  std::unique_lock lock(mu_);
  if (end > segments_.back()->end()) {
    return Invalid("{}: cannot wait for offset {} beyond the end {}", what_, end,
                   segments_.back()->end());
  }
  cv_.wait(lock, [&] { return durable_end_ >= end || !dead_.ok(); });
  return durable_end_ >= end ? OkStatus() : dead_;
}

void DiskPartition::OnDurable(Offset end, std::function<void(Status)> cb) {
  Status now;
  {
    std::lock_guard lock(mu_);
    if (durable_end_ < end) {
      if (!dead_.ok()) {
        now = dead_;
      } else if (end > segments_.back()->end()) {
        now = Invalid("{}: cannot wait for offset {} beyond the end {}", what_, end,
                      segments_.back()->end());
      } else {
        waiters_.push_back(Waiter{end, std::move(cb)});
        return;
      }
    }
  }
  cb(now);
}

bool DiskPartition::WaitForData(Offset from, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mu_);
  cv_.wait_for(lock, timeout, [&] { return durable_end_ > from || !stopped_.ok(); });
  return durable_end_ > from;
}

Status DiskPartition::Close(Status why) {
  {
    std::lock_guard lock(mu_);
    if (!stopped_.ok()) return OkStatus();
    stopped_ = why;
  }
  std::lock_guard sync_lock(sync_mu_);
  Ready ready;
  Status s;
  {
    std::lock_guard lock(mu_);  // appends are refused now: sync under the lock
    Segment* active = segments_.back().get();
    s = active->Sync();
    if (s.ok()) MarkDurableLocked(active, active->size(), active->end(), &ready);
    if (s.ok()) s = active->WriteIndexes(/*sync=*/false);
    if (dead_.ok()) dead_ = s.ok() ? why : s.WithContext(what_);
    DropWaitersLocked(&ready);
  }
  Run(&ready);
  return s.WithContext(what_);
}

Offset DiskPartition::start_offset() const {
  std::lock_guard lock(mu_);
  return segments_.front()->base();
}

Offset DiskPartition::end_offset() const {
  std::lock_guard lock(mu_);
  return segments_.back()->end();
}

Offset DiskPartition::high_watermark() const {
  std::lock_guard lock(mu_);
  return durable_end_;
}

}  // namespace kappa::log
