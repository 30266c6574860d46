// `kappa server`: one process hosting the log and its listeners (HTTP, Kafka,
// pg-wire) on one io_context, per ARCHITECTURE.md.
// Start() opens the data dir (taking its lock) and binds every listener, so a
// port in use or a held data dir fails before anything is served. Run()
// blocks until SIGINT/SIGTERM or Shutdown(), then stops accepting, lets the
// requests in flight finish, syncs the log and returns.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "base/status.h"
#include "log/log.h"
#include "serve/pgwire/session.h"
#include "serve/query_service.h"

namespace kappa::serve {

struct ServerOptions {
  std::string data_dir = "./kappa-data";
  std::string http_listen = "127.0.0.1:8080";
  std::string kafka_listen = "127.0.0.1:9092";
  bool auto_create_topics = true;
  std::string pg_listen = "127.0.0.1:5433";
  pgwire::AuthConfig pg_auth;  // trust unless a password is set
  // Runs SQL for POST /v1/query and pg-wire; null: Kappa's engine over
  // this server's log and warehouse. Borrowed: must outlive the server.
  QueryService* query_service = nullptr;
};

class Server {
 public:
  ~Server();

  static Result<std::unique_ptr<Server>> Start(const ServerOptions& options);

  // Serves until a signal or Shutdown(); then closes everything. Returns the
  // status of the final log sync.
  Status Run();
  // Thread-safe: asks Run() to return.
  void Shutdown();

  // "127.0.0.1:8080" as actually bound (port 0 picks a free one).
  std::string http_address() const;

 private:
  struct Impl;
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace kappa::serve
