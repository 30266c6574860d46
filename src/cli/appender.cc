#include "cli/appender.h"

namespace kappa::cli {

DirectAppender::DirectAppender(log::Topic* topic)
    : topic_(topic), ends_(static_cast<size_t>(topic->partition_count()), Offset(-1)) {}

Status DirectAppender::Write(format::FinishedBatch batch) {
  log::Partition* p = topic_->partition(PartitionId(batch.partition));
  Result<log::AppendResult> r = p->Append(batch.bytes);
  if (!r.ok()) {
    return r.status().WithContext(
        fmt::format("append to {}/{}", topic_->name(), batch.partition));
  }
  ends_[batch.partition] = r->last_offset + 1;
  records_ += batch.records;
  return OkStatus();
}

Status DirectAppender::Finish() {
  for (size_t i = 0; i < ends_.size(); ++i) {
    if (ends_[i].value() < 0) continue;
    RETURN_IF_ERROR(topic_->partition(PartitionId(static_cast<int32_t>(i)))->WaitDurable(ends_[i]));
  }
  return OkStatus();
}

std::vector<int32_t> DirectAppender::partitions_written() const {
  std::vector<int32_t> out;
  for (size_t i = 0; i < ends_.size(); ++i) {
    if (ends_[i].value() >= 0) out.push_back(static_cast<int32_t>(i));
  }
  return out;
}

ThreadedAppender::ThreadedAppender(log::Topic* topic, size_t queue_batches)
    : capacity_(queue_batches), direct_(topic), thread_([this] { Loop(); }) {}

ThreadedAppender::~ThreadedAppender() {
  if (thread_.joinable()) (void)Finish();
}

Status ThreadedAppender::error() const {
  std::lock_guard<std::mutex> lock(mu_);
  return error_;
}

Status ThreadedAppender::Write(format::FinishedBatch batch) {
  std::unique_lock<std::mutex> lock(mu_);
  not_full_.wait(lock, [&] { return queue_.size() < capacity_ || !error_.ok(); });
  if (!error_.ok()) return error_;
  queue_.push_back(std::move(batch));
  not_empty_.notify_one();
  return OkStatus();
}

void ThreadedAppender::Loop() {
  while (true) {
    format::FinishedBatch batch;
    {
      std::unique_lock<std::mutex> lock(mu_);
      not_empty_.wait(lock, [&] { return !queue_.empty() || closed_; });
      if (queue_.empty()) return;
      batch = std::move(queue_.front());
      queue_.pop_front();
    }
    Status st = direct_.Write(std::move(batch));
    std::lock_guard<std::mutex> lock(mu_);
    if (!st.ok()) {
      error_ = st;
      queue_.clear();
      not_full_.notify_all();
      return;
    }
    not_full_.notify_one();
  }
}

Status ThreadedAppender::Finish() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    closed_ = true;
    not_empty_.notify_one();
  }
  thread_.join();
  RETURN_IF_ERROR(error());
  return direct_.Finish();
}

}  // namespace kappa::cli
