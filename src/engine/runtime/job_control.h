// JobControl is what a job's tasks and its coordinator share: the epoch the
// coordinator asks the tasks to checkpoint, the stop flag, the first
// failure, each task's snapshot once it has taken one, and per-split read
// progress for status. Thread-safe.
#pragma once

#include <atomic>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <vector>

#include "base/status.h"
#include "engine/runtime/channel.h"
#include "engine/runtime/checkpoint_store.h"

namespace kappa::engine {

struct SplitProgress {
  std::atomic<int64_t> position{0};  // next offset to read
  std::atomic<int64_t> end{0};       // the partition's readable end
  std::atomic<int64_t> last_timestamp{-1};  // largest record timestamp read
};

// A task's part of a checkpoint.
struct TaskSnapshot {
  int task = 0;
  int64_t epoch = 0;
  std::vector<std::pair<int32_t, int64_t>> positions;  // split -> next offset
  TaskCheckpoint data;
};

class JobControl {
 public:
  JobControl(int parallelism, size_t splits)
      : parallelism_(parallelism), progress_(std::make_unique<SplitProgress[]>(splits)) {}

  int parallelism() const { return parallelism_; }

  // Coordinator -> tasks.
  std::atomic<int64_t> requested_epoch{0};
  std::atomic<bool> stop{false};
  void AddDoorbell(Doorbell* d) { doorbells_.push_back(d); }
  void RingAll() {
    for (Doorbell* d : doorbells_) d->Ring();
  }

  // Tasks -> coordinator.
  void Report(TaskSnapshot snapshot);
  void Fail(Status status);
  void TaskFinished();
  // A task has staged much output: the coordinator checkpoints early.
  std::atomic<bool> checkpoint_soon{false};

  // Waits until every task reported `epoch` (returns the snapshots by task),
  // the job failed (its status), or stop was set (Cancelled).
  Result<std::vector<TaskSnapshot>> WaitSnapshots(int64_t epoch);
  // Waits until every task finished or the job failed.
  Status WaitFinished();
  Status failure() const;

  SplitProgress& progress(int32_t split) { return progress_[split]; }

  // Wakes waiters (after stop is set).
  void Wake() { cv_.notify_all(); }

 private:
  int parallelism_;
  std::unique_ptr<SplitProgress[]> progress_;
  std::vector<Doorbell*> doorbells_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::map<int64_t, std::vector<TaskSnapshot>> snapshots_;
  Status failure_;
  int finished_ = 0;
};

}  // namespace kappa::engine
