// The Kafka side of `kappa server`: a Broker over the server's log, behind a
// KafkaListener. Start() binds the address (port 0 picks a free one) and
// advertises the bound address in Metadata and FindCoordinator. Stop() stops
// accepting, ends long polls and pending group waits so in-flight requests
// answer promptly, and stops the broker's timers; the io_context then runs
// out of work once the last response is written.
//
// Thread rules: everything on the io_context's thread.
#pragma once

#include <memory>
#include <string>

#include "base/asio.h"
#include "base/status.h"
#include "kafka/broker/broker.h"
#include "log/log.h"
#include "serve/kafka_listener.h"

namespace kappa::serve {

struct KafkaServerOptions {
  std::string listen = "127.0.0.1:9092";
  std::string groups_dir;  // <data-dir>/groups
  bool auto_create_topics = true;
};

class KafkaServer {
 public:
  // `log` must outlive the server.
  static Result<std::unique_ptr<KafkaServer>> Start(asio::io_context& io, log::Log* log,
                                                    const KafkaServerOptions& options);
  void Stop();
  tcp::endpoint endpoint() const { return listener_->endpoint(); }

 private:
  KafkaServer() = default;

  std::unique_ptr<kafka::Broker> broker_;
  std::unique_ptr<KafkaListener> listener_;
};

}  // namespace kappa::serve
