#include "cli/http_client.h"

#include "base/asio.h"
#include "nlohmann/json.hpp"

namespace kappa::cli {

struct HttpClient::Impl {
  std::string host;
  std::string port;
  asio::io_context io;
  tcp::socket socket{io};
  bool connected = false;

  boost::system::error_code Connect() {
    boost::system::error_code ec;
    tcp::resolver resolver(io);
    auto endpoints = resolver.resolve(host, port, ec);
    if (ec) return ec;
    asio::connect(socket, endpoints, ec);
    if (!ec) socket.set_option(tcp::no_delay(true), ec);
    connected = !ec;
    return ec;
  }

  void Disconnect() {
    boost::system::error_code ignored;
    socket.close(ignored);
    connected = false;
  }
};

HttpClient::HttpClient(std::string url, std::unique_ptr<Impl> impl)
    : url_(std::move(url)), impl_(std::move(impl)) {}
HttpClient::~HttpClient() = default;

Result<std::unique_ptr<HttpClient>> HttpClient::Create(const std::string& url) {
  std::string_view rest = url;
  if (rest.substr(0, 7) == "http://") {
    rest.remove_prefix(7);
  } else if (rest.find("://") != std::string_view::npos) {
    return Invalid("server URL {}: only http:// is supported", url);
  }
  rest = rest.substr(0, rest.find('/'));
  size_t colon = rest.rfind(':');
  auto impl = std::make_unique<Impl>();
  impl->host = std::string(rest.substr(0, colon));
  impl->port = colon == std::string_view::npos ? "80" : std::string(rest.substr(colon + 1));
  if (impl->host.empty()) return Invalid("server URL {}: no host", url);
  if (impl->host.front() == '[' && impl->host.back() == ']') {
    impl->host = impl->host.substr(1, impl->host.size() - 2);
  }
  std::string base = fmt::format("http://{}", rest);
  return std::unique_ptr<HttpClient>(new HttpClient(std::move(base), std::move(impl)));
}

Result<HttpResult> HttpClient::Request(std::string_view method, const std::string& target,
                                       std::string body, std::string_view content_type) {
  http::request<http::string_body> req{
      http::string_to_verb(beast::string_view(method.data(), method.size())), target, 11};
  req.set(http::field::host, impl_->host);
  req.set(http::field::user_agent, "kappa-cli");
  if (!body.empty()) req.set(http::field::content_type,
                                  beast::string_view(content_type.data(), content_type.size()));
  req.body() = std::move(body);
  req.keep_alive(true);
  req.prepare_payload();
  boost::system::error_code ec;
  for (int attempt = 0; attempt < 2; ++attempt) {
    bool reused = impl_->connected;
    if (!impl_->connected) ec = impl_->Connect();
    if (ec) break;
    http::write(impl_->socket, req, ec);
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(size_t{1} << 30);
    if (!ec) http::read(impl_->socket, buffer, parser, ec);
    if (ec) {
      impl_->Disconnect();
      if (reused && ec != asio::error::interrupted) continue;  // the server closed an idle connection
      break;
    }
    auto& res = parser.get();
    HttpResult out;
    out.status = static_cast<int>(res.result_int());
    out.body = std::move(res.body());
    for (const auto& field : res) {
      std::string name(field.name_string());
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      out.headers[name] = std::string(field.value());
    }
    if (!res.keep_alive()) impl_->Disconnect();
    return out;
  }
  if (ec == asio::error::interrupted) return Status(StatusCode::kCancelled, "interrupted");
  return IoError("kappa server at {}: {}", url_, ec.message());
}

Result<HttpResult> HttpClient::Call(std::string_view method, const std::string& target,
                                    std::string body, std::string_view content_type) {
  ASSIGN_OR_RETURN(HttpResult r, Request(method, target, std::move(body), content_type));
  if (r.status >= 400) return StatusFromResponse(r);
  return r;
}

Status StatusFromResponse(const HttpResult& r) {
  std::string message = r.body;
  nlohmann::json j = nlohmann::json::parse(r.body, nullptr, false);
  if (!j.is_discarded() && j.is_object() && j.contains("error") && j["error"].is_object() &&
      j["error"].contains("message") && j["error"]["message"].is_string()) {
    message = j["error"]["message"].get<std::string>();
  }
  StatusCode code = StatusCode::kInternal;
  switch (r.status) {
    case 400: code = StatusCode::kInvalidArgument; break;
    case 404: code = StatusCode::kNotFound; break;
    case 409: code = StatusCode::kAlreadyExists; break;
    case 416: code = StatusCode::kOutOfRange; break;
    case 501: code = StatusCode::kUnimplemented; break;
    case 503: code = StatusCode::kUnavailable; break;
    case 507: code = StatusCode::kResourceExhausted; break;
    default: break;
  }
  return Status(code, message);
}

std::string UrlEncode(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

}  // namespace kappa::cli
