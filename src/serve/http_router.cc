#include "serve/http_router.h"

#include "nlohmann/json.hpp"

namespace kappa::serve {

std::string HttpRequest::Query(const std::string& name, const std::string& fallback) const {
  auto it = query.find(name);
  return it == query.end() ? fallback : it->second;
}

HttpResponse JsonError(int status, std::string_view message) {
  nlohmann::json j = {{"error", {{"message", message}, {"code", status}}}};
  return HttpResponse{status, "application/json", j.dump() + "\n", {}};
}

int HttpStatusFor(const Status& s) {
  switch (s.code()) {
    case StatusCode::kInvalidArgument: return 400;
    case StatusCode::kNotFound: return 404;
    case StatusCode::kAlreadyExists: return 409;
    case StatusCode::kFailedPrecondition: return 409;
    case StatusCode::kOutOfRange: return 416;
    case StatusCode::kUnimplemented: return 501;
    case StatusCode::kUnavailable: return 503;
    case StatusCode::kCancelled: return 503;
    case StatusCode::kResourceExhausted: return 507;
    default: return 500;
  }
}

HttpResponse ErrorResponse(const Status& s) { return JsonError(HttpStatusFor(s), s.message()); }

namespace {
int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
}  // namespace

std::string PercentDecode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && HexValue(s[i + 1]) >= 0 && HexValue(s[i + 2]) >= 0) {
      out.push_back(static_cast<char>(HexValue(s[i + 1]) * 16 + HexValue(s[i + 2])));
      i += 2;
    } else if (s[i] == '+') {
      out.push_back(' ');
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

std::vector<std::string> SplitPath(std::string_view path) {
  std::vector<std::string> segs;
  size_t i = 0;
  while (i < path.size()) {
    while (i < path.size() && path[i] == '/') ++i;
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    if (j > i) segs.push_back(PercentDecode(path.substr(i, j - i)));
    i = j;
  }
  return segs;
}

std::map<std::string, std::string> ParseQuery(std::string_view query) {
  std::map<std::string, std::string> out;
  size_t i = 0;
  while (i < query.size()) {
    size_t amp = query.find('&', i);
    if (amp == std::string_view::npos) amp = query.size();
    std::string_view kv = query.substr(i, amp - i);
    size_t eq = kv.find('=');
    if (!kv.empty()) {
      if (eq == std::string_view::npos) out[PercentDecode(kv)] = "";
      else out[PercentDecode(kv.substr(0, eq))] = PercentDecode(kv.substr(eq + 1));
    }
    i = amp + 1;
  }
  return out;
}

void Router::Add(std::string_view pattern, HttpHandler handler) {
  size_t space = pattern.find(' ');
  routes_.push_back(Route{std::string(pattern.substr(0, space)),
                          SplitPath(pattern.substr(space + 1)), std::move(handler)});
}

bool Router::Match(const Route& r, const std::vector<std::string>& segs,
                   std::map<std::string, std::string>* params) {
  if (r.segments.size() != segs.size()) return false;
  std::map<std::string, std::string> found;
  for (size_t i = 0; i < segs.size(); ++i) {
    const std::string& p = r.segments[i];
    if (p.size() > 2 && p.front() == '{' && p.back() == '}') {
      found[p.substr(1, p.size() - 2)] = segs[i];
    } else if (p != segs[i]) {
      return false;
    }
  }
  *params = std::move(found);
  return true;
}

Awaitable<HttpResponse> Router::Dispatch(HttpRequest& req) const {
  std::vector<std::string> segs = SplitPath(req.path);
  bool path_matched = false;
  for (const Route& r : routes_) {
    std::map<std::string, std::string> params;
    if (!Match(r, segs, &params)) continue;
    path_matched = true;
    if (r.method != req.method) continue;
    req.params = std::move(params);
    co_return co_await r.handler(req);
  }
  if (path_matched) co_return JsonError(405, "method " + req.method + " not allowed on " + req.path);
  co_return JsonError(404, "no such endpoint: " + req.path);
}

}  // namespace kappa::serve
