// What flows between tasks: Messages (a chunk of rows, a watermark, an
// idle mark, a checkpoint barrier, the end of bounded input) through
// Channels, each a FIFO from one sender task to one receiver task for one
// exchange edge. A push never blocks (so two tasks feeding each other
// cannot deadlock); senders stop reading their sources while any of their
// outgoing channels holds kCapacity batches or more, which bounds memory.
// One lock per message, never per row. A Doorbell wakes a task when a
// message arrives or the job wants its attention.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>

#include "engine/chunk.h"

namespace kappa::engine {

struct Message {
  enum class Kind : uint8_t { kData, kWatermark, kIdle, kBarrier, kEnd };
  Kind kind = Kind::kData;
  Chunk chunk;        // kData
  int64_t value = 0;  // kWatermark: the watermark; kBarrier: the epoch

  static Message Data(Chunk c) { return {Kind::kData, std::move(c), 0}; }
  static Message Watermark(int64_t wm) { return {Kind::kWatermark, {}, wm}; }
  static Message Idle() { return {Kind::kIdle, {}, 0}; }
  static Message Barrier(int64_t epoch) { return {Kind::kBarrier, {}, epoch}; }
  static Message End() { return {Kind::kEnd, {}, 0}; }
};

// Thread-safe.
class Doorbell {
 public:
  void Ring() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      rung_ = true;
    }
    cv_.notify_one();
  }
  // Returns once rung (clearing it) or after `timeout`.
  void Wait(std::chrono::milliseconds timeout) {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait_for(lock, timeout, [this] { return rung_; });
    rung_ = false;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool rung_ = false;
};

// One sender, one receiver; thread-safe.
class Channel {
 public:
  static constexpr size_t kCapacity = 16;

  // `receiver` must outlive the channel.
  explicit Channel(Doorbell* receiver) : receiver_(receiver) {}

  void Push(Message m) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      queue_.push_back(std::move(m));
      size_.store(queue_.size(), std::memory_order_relaxed);
    }
    receiver_->Ring();
  }
  bool Pop(Message* out) {
    std::lock_guard<std::mutex> lock(mu_);
    if (queue_.empty()) return false;
    *out = std::move(queue_.front());
    queue_.pop_front();
    size_.store(queue_.size(), std::memory_order_relaxed);
    return true;
  }
  size_t size() const { return size_.load(std::memory_order_relaxed); }
  bool full() const { return size() >= kCapacity; }

 private:
  Doorbell* receiver_;
  std::mutex mu_;
  std::deque<Message> queue_;
  std::atomic<size_t> size_{0};
};

}  // namespace kappa::engine
