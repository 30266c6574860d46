// Sinks that append finished batches to a topic's partitions.
//
// DirectAppender appends on the caller's thread. ThreadedAppender appends on
// its own thread, fed through a bounded queue of whole batches, so that the
// caller encodes the next batch while the last one is validated (CRC) and
// written; Write() blocks while the queue is full and fails once an append
// has failed. Neither waits for durability per batch: Finish() drains what is
// queued and then waits once for every partition's appended end to be
// durable, so group commit covers many batches.
//
// Both are used by one producing thread; `topic` must outlive them.
#pragma once

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

#include "format/batcher.h"
#include "log/log.h"

namespace kappa::cli {

class DirectAppender : public format::BatchSink {
 public:
  explicit DirectAppender(log::Topic* topic);
  Status Write(format::FinishedBatch batch) override;
  // Waits until every appended record is durable.
  Status Finish();
  int64_t records_appended() const { return records_; }
  // Partitions that received at least one batch.
  std::vector<int32_t> partitions_written() const;

 private:
  log::Topic* topic_;
  std::vector<Offset> ends_;  // per partition, after our last append; -1 if none
  int64_t records_ = 0;
};

class ThreadedAppender : public format::BatchSink {
 public:
  ThreadedAppender(log::Topic* topic, size_t queue_batches);
  ~ThreadedAppender() override;

  Status Write(format::FinishedBatch batch) override;
  // Drains the queue, stops the thread and waits until every appended record
  // is durable. Returns the first error. Call once.
  Status Finish();

 private:
  void Loop();
  Status error() const;

  mutable std::mutex mu_;
  std::condition_variable not_full_;
  std::condition_variable not_empty_;
  std::deque<format::FinishedBatch> queue_;
  size_t capacity_;
  bool closed_ = false;
  Status error_;
  DirectAppender direct_;  // used only by the thread
  std::thread thread_;
};

}  // namespace kappa::cli
