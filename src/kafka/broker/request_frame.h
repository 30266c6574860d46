// The bytes of one request frame (without its size prefix), owned by the
// code handling the request for as long as it runs: a decoded request
// borrows from them (a Produce request's record batches are views into the
// frame, appended to the log without a copy).
//
// A connection reads its frames into buffers from its own FramePool: a
// RequestFrame taken from a pool hands its buffer back when destroyed, so a
// steady stream of requests reuses a few buffers (no allocation, no
// zero-fill, memory already faulted in) instead of one fresh buffer each.
//
// Thread rules: a pool and its frames belong to one thread (the io thread).
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/bytes.h"

namespace kappa::kafka {

class FramePool;

class RequestFrame {
 public:
  RequestFrame() = default;
  // A frame owning `bytes`, not pooled (tests, tools).
  explicit RequestFrame(std::string bytes) : buffer_(std::move(bytes)), size_(buffer_.size()) {}
  RequestFrame(RequestFrame&& other) noexcept;
  RequestFrame& operator=(RequestFrame&& other) noexcept;
  RequestFrame(const RequestFrame&) = delete;
  RequestFrame& operator=(const RequestFrame&) = delete;
  ~RequestFrame();

  ByteSpan bytes() const { return AsBytes(std::string_view(buffer_.data(), size_)); }
  // Where to read the frame into: size() bytes.
  char* data() { return buffer_.data(); }
  size_t size() const { return size_; }

 private:
  friend class FramePool;
  RequestFrame(std::string buffer, size_t size, std::weak_ptr<FramePool> pool)
      : buffer_(std::move(buffer)), size_(size), pool_(std::move(pool)) {}
  void Release();

  std::string buffer_;  // at least size_ bytes; the tail is unused
  size_t size_ = 0;
  std::weak_ptr<FramePool> pool_;  // empty unless pooled
};

// Spare frame buffers of one connection. Keeps at most kMaxSpare buffers of
// at most kMaxKeptBytes each (a rare huge frame is freed, not kept).
class FramePool : public std::enable_shared_from_this<FramePool> {
 public:
  static constexpr size_t kMaxSpare = 8;
  static constexpr size_t kMaxKeptBytes = size_t{8} << 20;

  static std::shared_ptr<FramePool> Create() { return std::shared_ptr<FramePool>(new FramePool()); }
  // A frame of `size` bytes (contents undefined until read into).
  RequestFrame Take(size_t size);
  size_t spare() const { return spare_.size(); }

 private:
  friend class RequestFrame;
  FramePool() = default;
  void Give(std::string buffer);

  std::vector<std::string> spare_;
};

}  // namespace kappa::kafka
