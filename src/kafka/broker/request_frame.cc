#include "kafka/broker/request_frame.h"

#include <utility>

namespace kappa::kafka {

RequestFrame::RequestFrame(RequestFrame&& other) noexcept
    : buffer_(std::move(other.buffer_)), size_(std::exchange(other.size_, 0)),
      pool_(std::move(other.pool_)) {}

RequestFrame& RequestFrame::operator=(RequestFrame&& other) noexcept {
  if (this != &other) {
    Release();
    buffer_ = std::move(other.buffer_);
    size_ = std::exchange(other.size_, 0);
    pool_ = std::move(other.pool_);
  }
  return *this;
}

RequestFrame::~RequestFrame() { Release(); }

void RequestFrame::Release() {
  if (auto pool = pool_.lock()) pool->Give(std::move(buffer_));
  pool_.reset();
  buffer_.clear();
  size_ = 0;
}

RequestFrame FramePool::Take(size_t size) {
  std::string buffer;
  if (!spare_.empty()) {
    buffer = std::move(spare_.back());
    spare_.pop_back();
  }
  // Grows only: a reused buffer is never zero-filled again.
  if (buffer.size() < size) buffer.resize(size);
  return RequestFrame(std::move(buffer), size, weak_from_this());
}

void FramePool::Give(std::string buffer) {
  if (spare_.size() >= kMaxSpare || buffer.size() > kMaxKeptBytes || buffer.empty()) return;
  spare_.push_back(std::move(buffer));
}

}  // namespace kappa::kafka
