#include "serve/kafka_server.h"

#include <malloc.h>

#include "serve/http_server.h"

namespace kappa::serve {

namespace {

// Large buffers come and go per request: fetch responses (~1 MiB each),
// and, before frames were read into per-connection pools and produce
// batches appended as views of them, every request frame and its decoded
// copy. By default glibc serves those from mmap or trims them back to the
// kernel at free, so each request page-faults its buffers in again:
// measured at 2.5x the server's CPU per produced byte (1 KiB records).
// Keep freed memory in the heap instead.
void KeepLargeBuffersInHeap() {
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, 256 << 20);
  mallopt(M_TOP_PAD, 64 << 20);
}

}  // namespace

Result<std::unique_ptr<KafkaServer>> KafkaServer::Start(asio::io_context& io, log::Log* log,
                                                        const KafkaServerOptions& options) {
  KeepLargeBuffersInHeap();
  std::unique_ptr<KafkaServer> server(new KafkaServer());
  auto* self = server.get();
  server->listener_ = std::make_unique<KafkaListener>(
      io,
      [self](uint64_t conn, kafka::RequestFrame frame) {
        return self->broker_->Handle(conn, std::move(frame));
      },
      [self](uint64_t conn) { self->broker_->ConnectionClosed(conn); });
  RETURN_IF_ERROR(server->listener_->Listen(options.listen));
  kafka::BrokerOptions broker_options;
  tcp::endpoint ep = server->listener_->endpoint();
  broker_options.advertised_host = ep.address().to_string();
  broker_options.advertised_port = ep.port();
  broker_options.auto_create_topics = options.auto_create_topics;
  broker_options.groups_dir = options.groups_dir;
  ASSIGN_OR_RETURN(server->broker_,
                   kafka::Broker::Create(log, io.get_executor(), std::move(broker_options)));
  return server;
}

void KafkaServer::Stop() {
  listener_->Stop();
  broker_->Stop();
}

}  // namespace kappa::serve
