// The HTTP listener: accepts connections on one endpoint and serves each with
// a coroutine on the shared io_context (HTTP/1.1, keep-alive), dispatching
// every request through a Router. Request bodies are capped (64 MiB). Stop()
// closes the acceptor; connections finish the request in flight and close.
// Thread rules: all methods run on the io_context's thread.
#pragma once

#include <set>
#include <memory>
#include <string>

#include "base/status.h"
#include "base/asio.h"
#include "serve/http_router.h"

namespace kappa::serve {

class HttpServer {
 public:
  // `router` must outlive the server.
  HttpServer(asio::io_context& io, const Router& router) : io_(io), router_(router) {}

  // Binds and listens on host:port ("127.0.0.1:8080"); accepting starts at
  // once on the io_context.
  Status Listen(const std::string& address);
  void Stop();
  tcp::endpoint endpoint() const { return endpoint_; }

 private:
  struct Connection {
    tcp::socket socket;
    bool busy = false;  // a request is being handled
  };
  Awaitable<void> AcceptLoop();
  Awaitable<void> Serve(std::shared_ptr<Connection> conn);

  asio::io_context& io_;
  const Router& router_;
  std::unique_ptr<tcp::acceptor> acceptor_;
  tcp::endpoint endpoint_;
  bool stopping_ = false;
  std::set<std::shared_ptr<Connection>> connections_;
};

// Parses "host:port" into an endpoint; the error names the bad part.
Result<tcp::endpoint> ParseEndpoint(const std::string& address);
// An acceptor bound to `address` and listening (port 0 picks a free port).
Result<std::unique_ptr<tcp::acceptor>> OpenAcceptor(asio::io_context& io,
                                                    const std::string& address);

}  // namespace kappa::serve
