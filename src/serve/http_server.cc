#include "serve/http_server.h"

#include "base/metrics.h"
#include "spdlog/spdlog.h"

namespace kappa::serve {
namespace {

constexpr size_t kMaxBodyBytes = size_t{64} << 20;

HttpRequest ToRequest(const http::request<http::string_body>& in) {
  HttpRequest req;
  req.method = std::string(in.method_string());
  std::string_view target(in.target().data(), in.target().size());
  size_t q = target.find('?');
  req.path = std::string(target.substr(0, q));
  if (q != std::string_view::npos) req.query = ParseQuery(target.substr(q + 1));
  for (const auto& field : in) {
    std::string name(field.name_string());
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    req.headers[name] = std::string(field.value());
  }
  req.body = in.body();
  return req;
}

http::response<http::string_body> ToBeast(HttpResponse&& r, unsigned version, bool keep_alive) {
  http::response<http::string_body> out{static_cast<http::status>(r.status), version};
  out.set(http::field::server, "kappa");
  out.set(http::field::content_type, r.content_type);
  for (auto& [name, value] : r.headers) out.set(name, value);
  out.keep_alive(keep_alive);
  out.body() = std::move(r.body);
  out.prepare_payload();
  return out;
}

// kappa_http_requests_total{method,status} and kappa_http_request_seconds{method}.
void CountRequest(const std::string& method, int status, std::chrono::nanoseconds took) {
  Metrics::Counter("kappa_http_requests_total", "HTTP requests answered",
                   {{"method", method}, {"status", std::to_string(status)}})
      .Add();
  Metrics::Histogram("kappa_http_request_seconds", "HTTP request latency", {{"method", method}})
      .ObserveMicros(std::chrono::duration_cast<std::chrono::microseconds>(took).count());
}

}  // namespace

Result<tcp::endpoint> ParseEndpoint(const std::string& address) {
  size_t colon = address.rfind(':');
  if (colon == std::string::npos) return Invalid("listen address '{}' is not host:port", address);
  std::string host = address.substr(0, colon);
  if (host.size() > 1 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  int port = 0;
  try {
    port = std::stoi(address.substr(colon + 1));
  } catch (...) {
    return Invalid("listen address '{}': port is not a number", address);
  }
  if (port < 0 || port > 65535) return Invalid("listen address '{}': port out of range", address);
  boost::system::error_code ec;
  auto ip = asio::ip::make_address(host.empty() ? "127.0.0.1" : host, ec);
  if (ec) return Invalid("listen address '{}': '{}' is not an IP address", address, host);
  return tcp::endpoint(ip, static_cast<uint16_t>(port));
}

Result<std::unique_ptr<tcp::acceptor>> OpenAcceptor(asio::io_context& io,
                                                    const std::string& address) {
  ASSIGN_OR_RETURN(tcp::endpoint ep, ParseEndpoint(address));
  boost::system::error_code ec;
  auto acceptor = std::make_unique<tcp::acceptor>(io);
  acceptor->open(ep.protocol(), ec);
  if (!ec) acceptor->set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor->bind(ep, ec);
  if (!ec) acceptor->listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return IoError("cannot listen on {}: {}", address, ec.message());
  return acceptor;
}

Status HttpServer::Listen(const std::string& address) {
  ASSIGN_OR_RETURN(acceptor_, OpenAcceptor(io_, address));
  endpoint_ = acceptor_->local_endpoint();
  asio::co_spawn(io_, AcceptLoop(), asio::detached);
  return OkStatus();
}

void HttpServer::Stop() {
  stopping_ = true;
  boost::system::error_code ec;
  if (acceptor_) acceptor_->close(ec);
  // Idle connections wait in a read: cancel it. Busy ones close after
  // answering the request in flight.
  for (const auto& conn : connections_) {
    if (!conn->busy) conn->socket.close(ec);
  }
}

Awaitable<void> HttpServer::AcceptLoop() {
  while (!stopping_) {
    boost::system::error_code ec;
    tcp::socket socket = co_await acceptor_->async_accept(asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      if (stopping_ || ec == asio::error::operation_aborted) co_return;
      spdlog::warn("http accept: {}", ec.message());
      continue;
    }
    auto conn = std::make_shared<Connection>(Connection{std::move(socket)});
    connections_.insert(conn);
    asio::co_spawn(io_, Serve(conn), asio::detached);
  }
}

Awaitable<void> HttpServer::Serve(std::shared_ptr<Connection> conn) {
  tcp::socket& socket = conn->socket;
  beast::flat_buffer buffer;
  while (!stopping_) {
    http::request_parser<http::string_body> parser;
    parser.body_limit(kMaxBodyBytes);
    boost::system::error_code ec;
    co_await http::async_read(socket, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      if (ec != http::error::end_of_stream && ec != asio::error::eof &&
          ec != asio::error::connection_reset && ec != asio::error::operation_aborted) {
        HttpResponse bad = JsonError(400, "bad HTTP request: " + ec.message());
        auto res = ToBeast(std::move(bad), 11, false);
        co_await http::async_write(socket, res, asio::redirect_error(asio::use_awaitable, ec));
      }
      break;
    }
    conn->busy = true;
    auto& in = parser.get();
    HttpRequest req = ToRequest(in);
    req.server_stopping = &stopping_;
    HttpResponse out;
    auto started = std::chrono::steady_clock::now();
    try {
      out = co_await router_.Dispatch(req);
    } catch (const std::exception& e) {
      out = JsonError(500, std::string("internal error: ") + e.what());
    }
    CountRequest(req.method, out.status, std::chrono::steady_clock::now() - started);
    bool keep_alive = in.keep_alive() && !stopping_;
    auto res = ToBeast(std::move(out), in.version(), keep_alive);
    boost::system::error_code wec;
    co_await http::async_write(socket, res, asio::redirect_error(asio::use_awaitable, wec));
    conn->busy = false;
    if (wec || !keep_alive) break;
  }
  boost::system::error_code ignored;
  socket.shutdown(tcp::socket::shutdown_both, ignored);
  socket.close(ignored);
  connections_.erase(conn);
}

}  // namespace kappa::serve
