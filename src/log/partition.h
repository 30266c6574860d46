// DiskPartition: the Partition of log.h, stored as segments in one
// directory (topics/<topic>/<partition>/). Holds the segment list, the
// end offset, the durable end (high watermark) and the durability waiters.
//
// Invariant: committed (durable_end, readable) <= written (segment end
// offsets, in the page cache) <= appended (offsets handed out). Appends
// write under the partition mutex; fsyncs run outside it, serialized by a
// second mutex, so appends continue while the group-commit fsync runs and
// every batch written before a sync starts shares that sync.
//
// Thread-safe. Lock order: sync_mu_ before mu_. Callbacks run with no lock
// held.
#pragma once

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "base/metrics.h"
#include "log/log.h"
#include "log/segment.h"

namespace kappa::log {

struct PartitionOptions {
  std::string topic;
  PartitionId id;
  std::string dir;  // the partition directory (created by the caller)
  TopicConfig config;
};

class DiskPartition final : public Partition {
 public:
  // Recovers the partition in options.dir (see segment_recovery.h), or
  // starts it empty.
  static Result<std::unique_ptr<DiskPartition>> Open(PartitionOptions options);

  PartitionId id() const override { return options_.id; }
  Result<AppendResult> Append(std::string_view batch) override;
  Result<AppendResult> AppendValidated(std::string_view batch, const BatchHeader& h) override;
  Status WaitDurable(Offset end) override;
  void OnDurable(Offset end, std::function<void(Status)> cb) override;
  Result<ReadResult> Read(Offset from, size_t max_bytes) const override;
  bool WaitForData(Offset from, std::chrono::milliseconds timeout) const override;
  Result<Offset> OffsetForTimestamp(int64_t ts) const override;
  Result<std::vector<BatchHeader>> TailHeaders(uint64_t max_bytes) const override;
  Offset start_offset() const override;
  Offset end_offset() const override;
  Offset high_watermark() const override;
  PartitionStats Stats() const override;

  // Whether something written is not durable yet.
  bool dirty() const;
  // Syncs what was written if some of it is not durable yet (the Log's
  // group-commit flusher calls this).
  Status Flush();
  // Refuses further appends with `why`, syncs and writes the active
  // segment's indexes; waits not satisfied by then fail with `why`.
  Status Close(Status why);
  // Deletes whole sealed segments beyond the topic's retention, oldest
  // first; now_ms is wall time. start_offset() moves.
  Status ApplyRetention(int64_t now_ms);

  DiskPartition(PartitionOptions options, std::vector<std::shared_ptr<Segment>> segments);

 private:
  struct Waiter {
    Offset end;
    std::function<void(Status)> cb;
  };
  // Callbacks due, with the status to pass; run once no lock is held.
  using Ready = std::vector<std::pair<std::function<void(Status)>, Status>>;
  // What a reader may see of one segment (a snapshot taken under mu_).
  struct SegmentView {
    std::shared_ptr<Segment> segment;
    uint64_t start = 0;      // a batch start at or before the wanted offset
    uint64_t limit = 0;      // committed bytes
    Offset limit_end;        // the offset at `limit`
    uint64_t end_hint = 0;   // a batch start at or before start + budget
    bool last = false;
  };

  bool ShouldRollLocked(const Segment& active, const BatchHeader& h, size_t size,
                        int64_t now_ms) const;
  Status AppendLocked(std::string_view batch, const BatchHeader& h, AppendResult* result,
                      Ready* ready);
  Status RollLocked(Ready* ready);
  Status SyncTo(Offset end);
  void MarkDurableLocked(Segment* segment, uint64_t size, Offset end, Ready* ready);
  // Stops the partition after an I/O failure.
  void FailLocked(const Status& why, Ready* ready);
  // Fails every waiter with dead_.
  void DropWaitersLocked(Ready* ready);
  static void Run(Ready* ready);

  Result<SegmentView> ViewLocked(Offset from, size_t budget) const;
  size_t SegmentIndexLocked(Offset o) const;
  // Appends slices of `view` from out->next_offset; returns whether the
  // read may continue into the next segment.
  Result<bool> ReadSegment(const SegmentView& view, ReadResult* out, size_t* budget) const;
  Result<Offset> FirstOffsetAtOrAfter(const SegmentView& view, int64_t ts) const;
  Result<bool> ExpiredLocked(const Segment& front, int64_t now_ms) const;

  const PartitionOptions options_;
  const std::string what_;  // "topic <t> partition <p>"

  std::mutex sync_mu_;  // held across an fsync and its MarkDurable
  mutable std::mutex mu_;
  mutable std::condition_variable cv_;  // durable_end_ advanced or the partition stopped
  std::vector<std::shared_ptr<Segment>> segments_;  // oldest first; back() is active
  Offset durable_end_;
  Status stopped_;  // appends fail with it (closed, deleted, I/O failure)
  Status dead_;     // waits for durability fail with it
  std::vector<Waiter> waiters_;
  // kappa_partition_end_offset{topic,partition}, set on every append.
  GaugeMetric* end_offset_gauge_;
};

}  // namespace kappa::log
