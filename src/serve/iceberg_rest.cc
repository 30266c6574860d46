#include "serve/iceberg_rest.h"

#include <set>

#include "serve/blocking.h"
#include "serve/tables_api.h"
#include "table/iceberg/metadata.h"
#include "table/iceberg/schema.h"
#include "table/iceberg/table.h"

namespace kappa::serve {
namespace {

namespace iceberg = table::iceberg;
using Json = iceberg::Json;  // ordered: metadata reads as in its file

constexpr const char* kNoSuchNamespace = "NoSuchNamespaceException";
constexpr const char* kNoSuchTable = "NoSuchTableException";
constexpr const char* kUnsupported = "UnsupportedOperationException";

// The spec's unit separator between the levels of a namespace.
constexpr char kNamespaceSeparator = '\x1f';

HttpResponse JsonOk(const Json& j) {
  return HttpResponse{200, "application/json", j.dump(-1, ' ', false, Json::error_handler_t::replace) + "\n", {}};
}

HttpResponse NoContent() { return HttpResponse{204, "application/json", "", {}}; }

// A HEAD answer carries the status alone.
HttpResponse WithoutBody(HttpResponse r) {
  r.body.clear();
  return r;
}

HttpResponse StatusError(const Status& s, const char* not_found_type) {
  switch (s.code()) {
    case StatusCode::kNotFound: return IcebergError(404, not_found_type, s.message());
    case StatusCode::kInvalidArgument: return IcebergError(400, "BadRequestException", s.message());
    default: return IcebergError(500, "ServiceFailureException", s.message());
  }
}

bool NamespaceExists(const table::Catalog& catalog, const std::string& ns) {
  return ns.find(kNamespaceSeparator) == std::string::npos && iceberg::IsPlainName(ns) &&
         catalog.NamespaceExists(ns);
}

HttpResponse NoSuchNamespace(const std::string& ns) {
  std::string shown = ns;
  for (char& c : shown) {
    if (c == kNamespaceSeparator) c = '.';
  }
  return IcebergError(404, kNoSuchNamespace, "namespace does not exist: " + shown);
}

Json ConfigJson() {
  Json endpoints = Json::array({"GET /v1/{prefix}/namespaces", "GET /v1/{prefix}/namespaces/{namespace}",
                                "HEAD /v1/{prefix}/namespaces/{namespace}",
                                "GET /v1/{prefix}/namespaces/{namespace}/tables",
                                "GET /v1/{prefix}/namespaces/{namespace}/tables/{table}",
                                "HEAD /v1/{prefix}/namespaces/{namespace}/tables/{table}",
                                "POST /v1/{prefix}/namespaces/{namespace}/tables/{table}/metrics"});
  return Json{{"defaults", Json::object()}, {"overrides", Json::object()}, {"endpoints", std::move(endpoints)}};
}

HttpResponse ListNamespaces(const table::Catalog& catalog, const std::string& parent) {
  Json namespaces = Json::array();
  if (!parent.empty()) {
    // One level only: an existing namespace has no children.
    if (!NamespaceExists(catalog, parent)) return NoSuchNamespace(parent);
    return JsonOk(Json{{"namespaces", std::move(namespaces)}});
  }
  for (const std::string& ns : catalog.ListNamespaces()) namespaces.push_back(Json::array({ns}));
  return JsonOk(Json{{"namespaces", std::move(namespaces)}});
}

HttpResponse LoadNamespace(const table::Catalog& catalog, const std::string& ns) {
  if (!NamespaceExists(catalog, ns)) return NoSuchNamespace(ns);
  Json properties = {{"location", catalog.warehouse() + "/" + ns}};
  return JsonOk(Json{{"namespace", Json::array({ns})}, {"properties", std::move(properties)}});
}

HttpResponse ListTables(const table::Catalog& catalog, const std::string& ns) {
  if (!NamespaceExists(catalog, ns)) return NoSuchNamespace(ns);
  std::set<std::string> names;
  for (const std::string& t : catalog.ListTables(ns)) names.insert(t);
  for (const auto& [alias, target] : catalog.Aliases()) {
    auto ident = table::TableIdent::Parse(alias);
    if (ident.ok() && ident->ns == ns) names.insert(ident->name);
  }
  Json identifiers = Json::array();
  for (const std::string& name : names) identifiers.push_back({{"namespace", Json::array({ns})}, {"name", name}});
  return JsonOk(Json{{"identifiers", std::move(identifiers)}});
}

// Keeps the snapshots that a ref points at (?snapshots=refs).
void KeepReferencedSnapshots(const iceberg::TableMetadata& m, Json* metadata) {
  std::set<int64_t> referenced;
  for (const auto& [name, ref] : m.refs) referenced.insert(ref.snapshot_id);
  Json kept = Json::array();
  for (const Json& s : (*metadata)["snapshots"]) {
    if (referenced.count(s["snapshot-id"].get<int64_t>()) > 0) kept.push_back(s);
  }
  (*metadata)["snapshots"] = std::move(kept);
}

Result<std::unique_ptr<iceberg::Table>> FindTable(const table::Catalog& catalog, const std::string& ns,
                                                  const std::string& name) {
  if (!iceberg::IsPlainName(name)) return NotFound("table does not exist: {}.{}", ns, name);
  auto ident = catalog.Resolve(ns + "." + name);
  if (!ident.ok()) return NotFound("table does not exist: {}.{}", ns, name);
  return iceberg::Table::Load(catalog.TableLocation(*ident));
}

HttpResponse LoadTable(const table::Catalog& catalog, const std::string& ns, const std::string& name,
                       const std::string& snapshots) {
  if (!NamespaceExists(catalog, ns)) return NoSuchNamespace(ns);
  if (snapshots != "" && snapshots != "all" && snapshots != "refs") {
    return IcebergError(400, "BadRequestException", "snapshots must be all or refs, not " + snapshots);
  }
  auto t = FindTable(catalog, ns, name);
  if (!t.ok()) return StatusError(t.status(), kNoSuchTable);
  std::shared_ptr<const iceberg::TableMetadata> m = (*t)->metadata();
  Json metadata = iceberg::MetadataToJson(*m);
  if (snapshots == "refs") KeepReferencedSnapshots(*m, &metadata);
  return JsonOk(Json{{"metadata-location", (*t)->MetadataFilePath((*t)->version())},
                     {"metadata", std::move(metadata)},
                     {"config", Json::object()}});
}

HttpResponse TableExists(const table::Catalog& catalog, const std::string& ns, const std::string& name) {
  if (!NamespaceExists(catalog, ns)) return WithoutBody(NoSuchNamespace(ns));
  if (!iceberg::IsPlainName(name) || !catalog.Resolve(ns + "." + name).ok()) {
    return WithoutBody(IcebergError(404, kNoSuchTable, "no such table"));
  }
  return NoContent();
}

// Runs fn(catalog, req) -> HttpResponse on the table I/O threads.
template <typename Fn>
HttpHandler Blocking(table::Catalog* catalog, Fn fn) {
  return [catalog, fn](HttpRequest& req) -> Awaitable<HttpResponse> {
    // A named job, not a temporary: g++ 12 mishandles temporaries in co_await expressions.
    auto job = [catalog, fn, copy = req] { return fn(*catalog, copy); };
    HttpResponse response = co_await RunBlocking(TableIoPool(), std::move(job));
    co_return response;
  };
}

HttpHandler Unsupported() {
  return [](HttpRequest&) -> Awaitable<HttpResponse> {
    co_return IcebergError(406, kUnsupported,
                           "Kappa's Iceberg REST catalog is read-only: tables are written by pipelines");
  };
}

void AddWriteRoutes(Router* router) {
  for (const char* pattern :
       {"POST /iceberg/v1/namespaces", "DELETE /iceberg/v1/namespaces/{ns}",
        "POST /iceberg/v1/namespaces/{ns}/properties", "POST /iceberg/v1/namespaces/{ns}/tables",
        "POST /iceberg/v1/namespaces/{ns}/register", "POST /iceberg/v1/namespaces/{ns}/tables/{table}",
        "DELETE /iceberg/v1/namespaces/{ns}/tables/{table}", "POST /iceberg/v1/tables/rename",
        "POST /iceberg/v1/transactions/commit"}) {
    router->Add(pattern, Unsupported());
  }
}

}  // namespace

HttpResponse IcebergError(int status, std::string_view type, std::string_view message) {
  Json body = {{"error", {{"message", std::string(message)}, {"type", std::string(type)}, {"code", status}}}};
  return HttpResponse{status, "application/json", body.dump(-1, ' ', false, Json::error_handler_t::replace) + "\n", {}};
}

void AddIcebergRestRoutes(Router* router, table::Catalog* catalog) {
  router->Add("GET /iceberg/v1/config", [](HttpRequest&) -> Awaitable<HttpResponse> { co_return JsonOk(ConfigJson()); });
  router->Add("GET /iceberg/v1/namespaces", Blocking(catalog, [](const table::Catalog& c, const HttpRequest& req) {
                return ListNamespaces(c, req.Query("parent"));
              }));
  router->Add("GET /iceberg/v1/namespaces/{ns}", Blocking(catalog, [](const table::Catalog& c, const HttpRequest& req) {
                return LoadNamespace(c, req.params.at("ns"));
              }));
  router->Add("HEAD /iceberg/v1/namespaces/{ns}", Blocking(catalog, [](const table::Catalog& c, const HttpRequest& req) {
                const std::string& ns = req.params.at("ns");
                return NamespaceExists(c, ns) ? NoContent() : WithoutBody(NoSuchNamespace(ns));
              }));
  router->Add("GET /iceberg/v1/namespaces/{ns}/tables",
              Blocking(catalog, [](const table::Catalog& c, const HttpRequest& req) {
                return ListTables(c, req.params.at("ns"));
              }));
  router->Add("GET /iceberg/v1/namespaces/{ns}/tables/{table}",
              Blocking(catalog, [](const table::Catalog& c, const HttpRequest& req) {
                return LoadTable(c, req.params.at("ns"), req.params.at("table"), req.Query("snapshots"));
              }));
  router->Add("HEAD /iceberg/v1/namespaces/{ns}/tables/{table}",
              Blocking(catalog, [](const table::Catalog& c, const HttpRequest& req) {
                return TableExists(c, req.params.at("ns"), req.params.at("table"));
              }));
  router->Add("POST /iceberg/v1/namespaces/{ns}/tables/{table}/metrics",
              [](HttpRequest&) -> Awaitable<HttpResponse> { co_return NoContent(); });
  AddWriteRoutes(router);
}

}  // namespace kappa::serve
