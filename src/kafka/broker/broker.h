// The Kafka broker: turns one request frame into its response over Kappa's
// log, the group coordinator, the committed-offset store and the producer
// state. Handle() decodes the frame, dispatches on the API to one handler
// (handlers/<api>.cc, one per API, declared in handlers.h), encodes the
// response in the request's version, and records per-API metrics.
//
// Bad input: a frame that does not decode closes the connection (as Kafka
// does); ApiVersions in an unsupported version is answered in v0 with
// UNSUPPORTED_VERSION and our range; nothing stored is touched by a bad
// request.
//
// Thread rules: every method runs on the io_context's one thread (the Kafka
// listener's). Handlers may suspend (waiting for a covering fsync, a long
// poll, a rebalance); the work a handler does before its first suspension
// runs in the order requests arrived on a connection.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "base/asio.h"
#include "base/status.h"
#include "kafka/broker/data_signal.h"
#include "kafka/broker/frame_reply.h"
#include "kafka/broker/producer_state.h"
#include "kafka/broker/request_frame.h"
#include "kafka/group/group_coordinator.h"
#include "kafka/group/offset_store.h"
#include "log/log.h"

namespace kappa::kafka {

struct BrokerOptions {
  int32_t node_id = 0;
  std::string advertised_host = "127.0.0.1";  // returned in Metadata
  int32_t advertised_port = 9092;
  bool auto_create_topics = true;
  int32_t default_partitions = 1;
  std::string groups_dir;  // <data-dir>/groups
};

// What handlers share. Owned by the Broker; lives as long as it.
struct BrokerContext {
  BrokerOptions options;
  log::Log* log = nullptr;  // owned by the server, outlives the broker
  asio::any_io_executor executor;
  GroupCoordinator groups;
  std::unique_ptr<OffsetStore> offsets;
  std::unique_ptr<ProducerState> producers;
  std::shared_ptr<DataSignal> data_signal;  // wakes long-polling fetches
  bool stopping = false;                    // Stop() was called: long polls end
};

class Broker {
 public:
  // `log` must outlive the broker. Loads committed offsets from
  // options.groups_dir and starts the group coordinator's timer.
  static Result<std::unique_ptr<Broker>> Create(log::Log* log, asio::any_io_executor executor,
                                                BrokerOptions options);
  ~Broker();

  // Handles one frame body (without its size prefix) from connection conn_id.
  // The request borrows from `frame`, which lives until the handler ends.
  Awaitable<FrameReply> Handle(uint64_t conn_id, RequestFrame frame);
  // The connection ended.
  void ConnectionClosed(uint64_t conn_id);
  // Stops the coordinator timer so the io_context can finish.
  void Stop();

  BrokerContext& context() { return *ctx_; }

 private:
  explicit Broker(std::unique_ptr<BrokerContext> ctx) : ctx_(std::move(ctx)) {}
  Awaitable<void> TickLoop();

  std::unique_ptr<BrokerContext> ctx_;
  std::unique_ptr<asio::steady_timer> tick_timer_;
  bool stopped_ = false;
};

}  // namespace kappa::kafka
