// The Kafka listener: accepts connections and reads size-prefixed request
// frames (i32 big-endian length, then the request). Each frame is handed to
// a FrameHandler in arrival order. Each handler coroutine is started at once
// (co_spawn posts them FIFO on the one-threaded io_context, so the work a
// handler does before its first suspension, such as an append, happens in
// arrival order) and may then wait (for a covering fsync, a long poll). Responses are written strictly in
// arrival order, as every Kafka client pipelines. Frames are read into the
// connection's reused buffers (kafka::FramePool). A frame longer than
// max_frame_bytes, or a handler that asks to close, closes the connection;
// other connections carry on. Runs on the io_context's thread.
#pragma once

#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>

#include "base/status.h"
#include "kafka/broker/frame_reply.h"
#include "kafka/broker/request_frame.h"
#include "base/asio.h"

namespace kappa::serve {

using kafka::FrameReply;
using PendingResponse = Awaitable<FrameReply>;
// Called once per request frame (without its length prefix). `conn_id` is
// stable for the connection's life.
// The request may borrow from `frame` until the returned awaitable ends.
using FrameHandler = std::function<PendingResponse(uint64_t conn_id, kafka::RequestFrame frame)>;
// Called when a connection ends (for group membership clean-up).
using CloseHandler = std::function<void(uint64_t conn_id)>;

class KafkaListener {
 public:
  KafkaListener(asio::io_context& io, FrameHandler on_frame, CloseHandler on_close,
                size_t max_frame_bytes = size_t{100} << 20)
      : io_(io), on_frame_(std::move(on_frame)), on_close_(std::move(on_close)),
        max_frame_bytes_(max_frame_bytes) {}

  Status Listen(const std::string& address);
  // Stops accepting; idle connections close, busy ones after their replies.
  void Stop();
  tcp::endpoint endpoint() const { return endpoint_; }
  size_t connection_count() const { return connections_.size(); }

 private:
  struct Connection;
  Awaitable<void> AcceptLoop();
  Awaitable<void> ReadLoop(std::shared_ptr<Connection> conn);
  Awaitable<void> WriteLoop(std::shared_ptr<Connection> conn);
  void Finish(const std::shared_ptr<Connection>& conn);

  asio::io_context& io_;
  FrameHandler on_frame_;
  CloseHandler on_close_;
  size_t max_frame_bytes_;
  std::unique_ptr<tcp::acceptor> acceptor_;
  tcp::endpoint endpoint_;
  bool stopping_ = false;
  uint64_t next_id_ = 1;
  std::set<std::shared_ptr<Connection>> connections_;
};

}  // namespace kappa::serve
