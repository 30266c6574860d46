#include "serve/kafka_listener.h"

#include "base/bytes.h"
#include "base/metrics.h"
#include "serve/http_server.h"
#include "spdlog/spdlog.h"

namespace kappa::serve {

namespace {
constexpr size_t kMaxInFlight = 64;  // pipelined requests per connection

GaugeMetric& OpenConnections() {
  static GaugeMetric& g = Metrics::Gauge("kappa_kafka_connections", "Open Kafka connections");
  return g;
}
}  // namespace

struct KafkaListener::Connection {
  explicit Connection(tcp::socket s, uint64_t i)
      : socket(std::move(s)), id(i), reader_wake(socket.get_executor()),
        writer_wake(socket.get_executor()) {}
  tcp::socket socket;
  uint64_t id;
  std::shared_ptr<kafka::FramePool> frames = kafka::FramePool::Create();
  // One slot per request, in arrival order; filled when its handler ends.
  struct Slot {
    bool ready = false;
    FrameReply reply;
  };
  std::deque<std::shared_ptr<Slot>> queue;
  // Each loop sleeps on its own timer; the other cancels it to wake it.
  asio::steady_timer reader_wake;
  asio::steady_timer writer_wake;
  bool reading_done = false;
  bool closed = false;

  void Wake() {
    reader_wake.cancel();
    writer_wake.cancel();
  }
  static Awaitable<void> Sleep(asio::steady_timer& timer) {
    timer.expires_at(asio::steady_timer::time_point::max());
    boost::system::error_code ec;
    co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
};

Status KafkaListener::Listen(const std::string& address) {
  ASSIGN_OR_RETURN(acceptor_, OpenAcceptor(io_, address));
  endpoint_ = acceptor_->local_endpoint();
  asio::co_spawn(io_, AcceptLoop(), asio::detached);
  return OkStatus();
}

void KafkaListener::Stop() {
  stopping_ = true;
  boost::system::error_code ec;
  if (acceptor_) acceptor_->close(ec);
  for (const auto& conn : connections_) {
    // Stop reading new requests; the write loop drains what was read.
    conn->socket.shutdown(tcp::socket::shutdown_receive, ec);
    conn->Wake();
  }
}

Awaitable<void> KafkaListener::AcceptLoop() {
  static auto& accepted = Metrics::Counter("kappa_kafka_connections_total",
                                           "Kafka connections accepted");
  while (!stopping_) {
    boost::system::error_code ec;
    tcp::socket socket =
        co_await acceptor_->async_accept(asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      if (stopping_ || ec == asio::error::operation_aborted) co_return;
      spdlog::warn("kafka accept: {}", ec.message());
      continue;
    }
    socket.set_option(tcp::no_delay(true), ec);
    accepted.Add();
    OpenConnections().Add(1);
    auto conn = std::make_shared<Connection>(std::move(socket), next_id_++);
    connections_.insert(conn);
    asio::co_spawn(io_, ReadLoop(conn), asio::detached);
    asio::co_spawn(io_, WriteLoop(conn), asio::detached);
  }
}

Awaitable<void> KafkaListener::ReadLoop(std::shared_ptr<Connection> conn) {
  boost::system::error_code ec;
  while (!stopping_ && !conn->closed) {
    while (conn->queue.size() >= kMaxInFlight && !conn->closed) co_await Connection::Sleep(conn->reader_wake);
    uint8_t len_buf[4];
    co_await asio::async_read(conn->socket, asio::buffer(len_buf),
                              asio::redirect_error(asio::use_awaitable, ec));
    if (ec) break;
    int32_t len = LoadBE<int32_t>(len_buf);
    if (len < 0 || static_cast<size_t>(len) > max_frame_bytes_) {
      spdlog::warn("kafka connection {}: frame of {} bytes refused, closing", conn->id, len);
      break;
    }
    kafka::RequestFrame frame = conn->frames->Take(static_cast<size_t>(len));
    co_await asio::async_read(conn->socket, asio::buffer(frame.data(), frame.size()),
                              asio::redirect_error(asio::use_awaitable, ec));
    if (ec) break;
    auto slot = std::make_shared<Connection::Slot>();
    conn->queue.push_back(slot);
    asio::co_spawn(io_, on_frame_(conn->id, std::move(frame)),
                   [conn, slot](std::exception_ptr e, FrameReply reply) {
                     if (e) {
                       spdlog::error("kafka connection {}: handler failed", conn->id);
                       reply = FrameReply::Close();
                     }
                     slot->reply = std::move(reply);
                     slot->ready = true;
                     conn->Wake();
                   });
  }
  conn->reading_done = true;
  conn->Wake();
}

Awaitable<void> KafkaListener::WriteLoop(std::shared_ptr<Connection> conn) {
  boost::system::error_code ec;
  for (;;) {
    if (conn->queue.empty() || !conn->queue.front()->ready) {
      if (conn->queue.empty() && (conn->reading_done || conn->closed)) break;
      co_await Connection::Sleep(conn->writer_wake);
      continue;
    }
    FrameReply reply = std::move(conn->queue.front()->reply);
    conn->queue.pop_front();
    conn->Wake();  // the reader may wait for room
    if (reply.kind == FrameReply::Kind::kClose) break;
    if (reply.kind == FrameReply::Kind::kNone) continue;
    co_await asio::async_write(conn->socket, asio::buffer(reply.frame),
                               asio::redirect_error(asio::use_awaitable, ec));
    if (ec) break;
  }
  Finish(conn);
}

void KafkaListener::Finish(const std::shared_ptr<Connection>& conn) {
  if (conn->closed) return;
  conn->closed = true;
  boost::system::error_code ec;
  conn->socket.shutdown(tcp::socket::shutdown_both, ec);
  conn->socket.close(ec);
  conn->Wake();
  OpenConnections().Add(-1);
  if (on_close_) on_close_(conn->id);
  connections_.erase(conn);
}

}  // namespace kappa::serve
