#include "serve/pgwire/pg_server.h"

#include <fstream>

#include "serve/http_server.h"
#include "serve/pgwire/messages.h"
#include "spdlog/spdlog.h"

namespace kappa::serve::pgwire {
namespace {

constexpr size_t kReadChunk = 64 << 10;

// Bytes received and not yet handled, and how to take one packet off them.
class InputBuffer {
 public:
  std::string& bytes() { return bytes_; }
  // The next startup packet's body, if complete. Sets *error on a bad length.
  std::optional<std::string> TakeUntyped(Status* error) { return Take(0, error); }
  // The next typed message (type byte + body), if complete.
  std::optional<std::pair<char, std::string>> TakeTyped(Status* error) {
    if (bytes_.empty()) return std::nullopt;
    char type = bytes_[0];
    std::optional<std::string> body = Take(1, error);
    if (!body) return std::nullopt;
    return std::make_pair(type, std::move(*body));
  }

 private:
  std::optional<std::string> Take(size_t header, Status* error) {
    if (bytes_.size() < header + 4) return std::nullopt;
    int32_t len = ReadInt32(std::string_view(bytes_).substr(header));
    if (len < 4 || static_cast<size_t>(len) > kMaxMessageBytes) {
      *error = Invalid("message length {} out of range", len);
      return std::nullopt;
    }
    size_t total = header + static_cast<size_t>(len);
    if (bytes_.size() < total) return std::nullopt;
    std::string body = bytes_.substr(header + 4, total - header - 4);
    bytes_.erase(0, total);
    return body;
  }
  std::string bytes_;
};

Awaitable<Status> WriteAll(tcp::socket& socket, std::string& bytes) {
  if (bytes.empty()) co_return OkStatus();
  boost::system::error_code ec;
  co_await asio::async_write(socket, asio::buffer(bytes),
                             asio::redirect_error(asio::use_awaitable, ec));
  bytes.clear();
  if (ec) co_return IoError("pg write: {}", ec.message());
  co_return OkStatus();
}

// Handles every complete packet in `in`; false once the session is closed or
// the input is malformed.
Awaitable<bool> HandleInput(Session& session, InputBuffer& in) {
  while (session.phase() != Session::Phase::kClosed) {
    Status error;
    if (session.phase() == Session::Phase::kStartup) {
      std::optional<std::string> body = in.TakeUntyped(&error);
      if (!error.ok()) {
        session.OnProtocolError(error);
        co_return false;
      }
      if (!body) co_return true;
      Result<StartupPacket> packet = ParseStartupPacket(*body);
      if (!packet.ok()) {
        session.OnProtocolError(packet.status());
        co_return false;
      }
      session.OnStartupPacket(*packet);
      continue;
    }
    auto message = in.TakeTyped(&error);
    if (!error.ok()) {
      session.OnProtocolError(error);
      co_return false;
    }
    if (!message) co_return true;
    Result<FrontendMessage> parsed = ParseFrontendMessage(message->first, message->second);
    if (!parsed.ok()) {
      session.OnProtocolError(parsed.status());
      co_return false;
    }
    co_await session.OnMessage(*parsed);
  }
  co_return session.phase() != Session::Phase::kClosed;
}

}  // namespace

PgServer::PgServer(asio::io_context& io, QueryRunner* runner, PgServerOptions options)
    : io_(io), runner_(runner), options_(std::move(options)) {}

Status PgServer::Listen() {
  ASSIGN_OR_RETURN(acceptor_, OpenAcceptor(io_, options_.listen));
  endpoint_ = acceptor_->local_endpoint();
  asio::co_spawn(io_, AcceptLoop(), asio::detached);
  return OkStatus();
}

void PgServer::Stop() {
  stopping_ = true;
  boost::system::error_code ec;
  if (acceptor_) acceptor_->close(ec);
  for (const auto& conn : connections_) {
    if (!conn->busy) conn->socket.close(ec);
  }
}

Awaitable<void> PgServer::AcceptLoop() {
  while (!stopping_) {
    boost::system::error_code ec;
    tcp::socket socket =
        co_await acceptor_->async_accept(asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      if (stopping_ || ec == asio::error::operation_aborted) co_return;
      spdlog::warn("pg accept: {}", ec.message());
      continue;
    }
    socket.set_option(tcp::no_delay(true), ec);
    auto conn = std::make_shared<Connection>(Connection{std::move(socket)});
    connections_.insert(conn);
    asio::co_spawn(io_, Serve(conn), asio::detached);
  }
}

SessionOptions PgServer::NewSessionOptions() {
  SessionOptions s;
  s.auth = options_.auth;
  s.process_id = next_process_id_++;
  s.secret_key = static_cast<int32_t>(random_());
  uint32_t salt = random_();
  for (int i = 0; i < 4; ++i) s.md5_salt[i] = static_cast<char>((salt >> (8 * i)) & 0xff);
  return s;
}

Awaitable<void> PgServer::Serve(std::shared_ptr<Connection> conn) {
  Session session(runner_, NewSessionOptions(), [conn](std::string& bytes) {
    return WriteAll(conn->socket, bytes);
  });
  InputBuffer in;
  std::string chunk(kReadChunk, '\0');
  while (!stopping_ && session.phase() != Session::Phase::kClosed) {
    boost::system::error_code ec;
    size_t n = co_await conn->socket.async_read_some(asio::buffer(chunk),
                                                     asio::redirect_error(asio::use_awaitable, ec));
    if (ec) break;
    in.bytes().append(chunk, 0, n);
    conn->busy = true;
    bool open = co_await HandleInput(session, in);
    Status written = co_await WriteAll(conn->socket, session.output());
    conn->busy = false;
    if (!open || !written.ok()) break;
  }
  boost::system::error_code ec;
  conn->socket.close(ec);
  connections_.erase(conn);
}

Result<AuthConfig> MakeAuthConfig(const std::string& password, const std::string& password_file,
                                  const std::string& method) {
  AuthConfig config;
  config.password = password;
  if (!password_file.empty()) {
    std::ifstream in(password_file);
    if (!in) return IoError("cannot read --pg-password-file {}", password_file);
    std::getline(in, config.password);
  }
  if (config.password.empty()) return config;
  if (method == "md5") {
    config.method = AuthMethod::kMd5;
  } else if (method == "password") {
    config.method = AuthMethod::kCleartext;
  } else {
    return Invalid("--pg-auth {}: expected md5 or password", method);
  }
  return config;
}

}  // namespace kappa::serve::pgwire
