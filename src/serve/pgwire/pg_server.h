// The pg-wire listener of `kappa server`: accepts connections and drives a
// Session (session.h) per connection with a coroutine on the shared
// io_context. Input is read in chunks; every complete message in a chunk is
// handled before the replies are written, so a pipelined Parse/Bind/
// Describe/Execute/Sync costs one write. Queries run on the QueryRunner's
// threads, never on the I/O thread. Stop() closes the acceptor and idle
// connections; busy ones close after the statement in flight.
//
// Thread rules: everything on the io_context's thread.
#pragma once

#include <memory>
#include <random>
#include <set>
#include <string>

#include "base/asio.h"
#include "base/status.h"
#include "serve/pgwire/session.h"
#include "serve/query_runner.h"

namespace kappa::serve::pgwire {

struct PgServerOptions {
  std::string listen = "127.0.0.1:5433";
  AuthConfig auth;
};

class PgServer {
 public:
  // `runner` must outlive the server.
  PgServer(asio::io_context& io, QueryRunner* runner, PgServerOptions options);

  Status Listen();
  void Stop();
  tcp::endpoint endpoint() const { return endpoint_; }

 private:
  struct Connection {
    tcp::socket socket;
    bool busy = false;
  };
  Awaitable<void> AcceptLoop();
  Awaitable<void> Serve(std::shared_ptr<Connection> conn);
  SessionOptions NewSessionOptions();

  asio::io_context& io_;
  QueryRunner* runner_;
  PgServerOptions options_;
  std::unique_ptr<tcp::acceptor> acceptor_;
  tcp::endpoint endpoint_;
  bool stopping_ = false;
  int32_t next_process_id_ = 1;
  std::mt19937 random_{std::random_device{}()};
  std::set<std::shared_ptr<Connection>> connections_;
};

// Reads --pg-password / --pg-password-file into an AuthConfig: no password
// means trust; `method` is "md5" (default) or "password" (cleartext). The
// file's first line is the password.
Result<AuthConfig> MakeAuthConfig(const std::string& password, const std::string& password_file,
                                  const std::string& method);

}  // namespace kappa::serve::pgwire
