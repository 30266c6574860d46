#include "serve/pipelines_api.h"

#include "serve/blocking.h"

namespace kappa::serve {
namespace {

using nlohmann::json;

asio::thread_pool& RegistryPool() {
  static asio::thread_pool pool(2);
  return pool;
}

HttpResponse JsonResponse(const json& j, int status = 200) {
  return HttpResponse{status, "application/json", j.dump() + "\n", {}};
}

HttpResponse OkOrError(const Status& st) {
  return st.ok() ? JsonResponse({{"ok", true}}) : ErrorResponse(st);
}

Result<json> ParseBody(const HttpRequest& req) {
  if (req.body.empty()) return json::object();
  json body = json::parse(req.body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) return Invalid("request body is not a JSON object");
  return body;
}

// "version": 2 or "v2" or "2".
Result<std::optional<int>> VersionField(const json& body) {
  if (!body.contains("version") || body["version"].is_null()) return std::optional<int>();
  const json& v = body["version"];
  if (v.is_number_integer()) {
    if (v.get<int64_t>() < 1) return Invalid("bad version {}", v.dump());
    return std::optional<int>(v.get<int>());
  }
  if (!v.is_string()) return Invalid("bad version {}", v.dump());
  ASSIGN_OR_RETURN(int n, pipeline::ParseVersion(v.get<std::string>()));
  return std::optional<int>(n);
}

Result<int> RequiredVersion(const json& body) {
  ASSIGN_OR_RETURN(std::optional<int> v, VersionField(body));
  if (!v) return Invalid("missing \"version\"");
  return *v;
}

// Runs `fn(registry, name, body)` -> HttpResponse on the registry pool.
template <typename Fn>
HttpHandler Handler(pipeline::Registry* registry, Fn fn) {
  return [registry, fn](HttpRequest& req) -> Awaitable<HttpResponse> {
    auto body = ParseBody(req);
    if (!body.ok()) co_return ErrorResponse(body.status());
    std::string name = req.params.count("name") ? req.params.at("name") : "";
    json b = std::move(*body);
    auto job = [registry, fn, &name, &b] { return fn(registry, name, b); };
    co_return co_await RunBlocking(RegistryPool(), job);
  };
}

HttpResponse Deploy(pipeline::Registry* r, const std::string& name, const json& body) {
  if (!body.contains("sql") || !body["sql"].is_string()) {
    return ErrorResponse(Invalid("missing \"sql\""));
  }
  pipeline::DeployOptions options;
  options.from = body.value("from", "");
  options.promote_when_caught_up = body.value("promote_when_caught_up", false);
  auto version = r->Deploy(name, body["sql"].get<std::string>(), options);
  if (!version.ok()) return ErrorResponse(version.status());
  return JsonResponse({{"name", name}, {"version", *version}}, 201);
}

HttpResponse Stop(pipeline::Registry* r, const std::string& name, const json& body) {
  auto version = VersionField(body);
  if (!version.ok()) return ErrorResponse(version.status());
  return OkOrError(r->Stop(name, *version));
}

template <typename Op>
HttpResponse WithVersion(const json& body, Op op) {
  auto version = RequiredVersion(body);
  if (!version.ok()) return ErrorResponse(version.status());
  return OkOrError(op(*version));
}

}  // namespace

void AddPipelineRoutes(Router* router, pipeline::Registry* registry) {
  router->Add("GET /v1/pipelines", Handler(registry, [](pipeline::Registry* r, auto&, auto&) {
                return JsonResponse(r->List());
              }));
  router->Add("GET /v1/pipelines/{name}",
              Handler(registry, [](pipeline::Registry* r, const std::string& name, auto&) {
                auto d = r->Describe(name);
                return d.ok() ? JsonResponse(*d) : ErrorResponse(d.status());
              }));
  router->Add("POST /v1/pipelines/{name}/versions", Handler(registry, Deploy));
  router->Add("POST /v1/pipelines/{name}/stop", Handler(registry, Stop));
  router->Add("POST /v1/pipelines/{name}/start",
              Handler(registry, [](pipeline::Registry* r, const std::string& name, const json& b) {
                return WithVersion(b, [&](int v) { return r->Start(name, v); });
              }));
  router->Add("POST /v1/pipelines/{name}/promote",
              Handler(registry, [](pipeline::Registry* r, const std::string& name, const json& b) {
                bool force = b.value("force", false);
                return WithVersion(b, [&](int v) { return r->Promote(name, v, force); });
              }));
  router->Add("POST /v1/pipelines/{name}/retire",
              Handler(registry, [](pipeline::Registry* r, const std::string& name, const json& b) {
                return WithVersion(b, [&](int v) { return r->Retire(name, v); });
              }));
  router->Add("POST /v1/pipelines/{name}/rollback",
              Handler(registry, [](pipeline::Registry* r, const std::string& name, auto&) {
                return OkOrError(r->Rollback(name));
              }));
  router->Add("DELETE /v1/pipelines/{name}",
              Handler(registry, [](pipeline::Registry* r, const std::string& name, auto&) {
                return OkOrError(r->Drop(name));
              }));
}

}  // namespace kappa::serve
