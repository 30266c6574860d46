// A small synchronous HTTP/1.1 client (Boost.Beast) for the CLI talking to a
// `kappa server`: one keep-alive connection, reconnected once when the
// server closed it. Error bodies {"error": {"message"}} become Statuses.
// Not thread-safe.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "base/status.h"

namespace kappa::cli {

struct HttpResult {
  int status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // lower-case names
};

class HttpClient {
 public:
  // url: "http://host:port" (a trailing slash or path is ignored).
  static Result<std::unique_ptr<HttpClient>> Create(const std::string& url);
  ~HttpClient();

  // Sends one request; any HTTP status is a result, a network failure an
  // Unavailable status naming the server.
  Result<HttpResult> Request(std::string_view method, const std::string& target,
                             std::string body = "",
                             std::string_view content_type = "application/json");
  // Like Request, but a status >= 400 becomes the error's Status.
  Result<HttpResult> Call(std::string_view method, const std::string& target,
                          std::string body = "",
                          std::string_view content_type = "application/json");

  const std::string& url() const { return url_; }

 private:
  struct Impl;
  HttpClient(std::string url, std::unique_ptr<Impl> impl);
  std::string url_;
  std::unique_ptr<Impl> impl_;
};

// The Status an error response stands for (400 -> kInvalidArgument, 404 ->
// kNotFound, 409 -> kAlreadyExists, ...), with the server's message.
Status StatusFromResponse(const HttpResult& r);

// Percent-encodes a path segment or query value.
std::string UrlEncode(std::string_view s);

}  // namespace kappa::cli
