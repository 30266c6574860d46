#include "engine/runtime/job_control.h"

namespace kappa::engine {

void JobControl::Report(TaskSnapshot snapshot) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    snapshots_[snapshot.epoch].push_back(std::move(snapshot));
  }
  cv_.notify_all();
}

void JobControl::Fail(Status status) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (failure_.ok()) failure_ = std::move(status);
  }
  stop.store(true);
  RingAll();
  cv_.notify_all();
}

void JobControl::TaskFinished() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    ++finished_;
  }
  cv_.notify_all();
}

Status JobControl::failure() const {
  std::lock_guard<std::mutex> lock(mu_);
  return failure_;
}

Result<std::vector<TaskSnapshot>> JobControl::WaitSnapshots(int64_t epoch) {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait(lock, [&] {
    return !failure_.ok() || stop.load() ||
           static_cast<int>(snapshots_[epoch].size()) == parallelism_;
  });
  if (!failure_.ok()) return failure_;
  if (static_cast<int>(snapshots_[epoch].size()) != parallelism_) {
    return Status(StatusCode::kCancelled, "job stopped during a checkpoint");
  }
  std::vector<TaskSnapshot> out(static_cast<size_t>(parallelism_));
  for (TaskSnapshot& s : snapshots_[epoch]) out[static_cast<size_t>(s.task)] = std::move(s);
  snapshots_.erase(snapshots_.begin(), snapshots_.upper_bound(epoch));
  return out;
}

Status JobControl::WaitFinished() {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait(lock, [&] { return !failure_.ok() || finished_ == parallelism_ || stop.load(); });
  return failure_;
}

}  // namespace kappa::engine
