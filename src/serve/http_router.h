// A small HTTP router: routes are "METHOD /path/{param}/..." patterns bound
// to coroutine handlers. Requests and responses are plain structs so the
// handlers know nothing of Beast. A Router is built at start-up and then only
// read, so it is safe to share between connections.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/asio.h"
#include "base/status.h"

namespace kappa::serve {

struct HttpRequest {
  std::string method;  // "GET", "POST", ...
  std::string path;    // without the query string, percent-decoded
  std::map<std::string, std::string> query;   // decoded
  std::map<std::string, std::string> params;  // from {name} segments
  std::map<std::string, std::string> headers; // lower-case names
  std::string body;
  // Set by HttpServer: true once the server is stopping, so that a
  // long-polling handler answers at once. Lives as long as the server.
  const bool* server_stopping = nullptr;

  bool stopping() const { return server_stopping != nullptr && *server_stopping; }
  // A query parameter or `fallback`.
  std::string Query(const std::string& name, const std::string& fallback = "") const;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra ones
};

// {"error": {"message": ..., "code": status}} with that status.
HttpResponse JsonError(int status, std::string_view message);

// The HTTP status for a failed Status: kInvalidArgument 400, kNotFound 404,
// kAlreadyExists and kFailedPrecondition 409, kOutOfRange 416,
// kUnimplemented 501, kResourceExhausted 507, kUnavailable and kCancelled
// 503, else 500 (kDataLoss, kInternal).
// Callers that know a kDataLoss came from the client's bytes (a bad record
// batch) map it to 400 themselves.
int HttpStatusFor(const Status& s);
HttpResponse ErrorResponse(const Status& s);

using HttpHandler = std::function<Awaitable<HttpResponse>(HttpRequest&)>;

class Router {
 public:
  // pattern: "GET /v1/topics/{name}".
  void Add(std::string_view pattern, HttpHandler handler);
  // Fills req.params and runs the matching handler; 404/405 otherwise.
  Awaitable<HttpResponse> Dispatch(HttpRequest& req) const;

 private:
  struct Route {
    std::string method;
    std::vector<std::string> segments;
    HttpHandler handler;
  };
  static bool Match(const Route& r, const std::vector<std::string>& segs,
                    std::map<std::string, std::string>* params);
  std::vector<Route> routes_;
};

// Splits "/a/b%20c" into {"a", "b c"}.
std::vector<std::string> SplitPath(std::string_view path);
std::string PercentDecode(std::string_view s);
std::map<std::string, std::string> ParseQuery(std::string_view query);

}  // namespace kappa::serve
