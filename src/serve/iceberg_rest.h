// A read-only Iceberg REST catalog over the warehouse, so that external
// engines (Spark, Trino, PyIceberg, DuckDB) find Kappa's serving tables.
// Clients use the catalog URI http://<http-listen>/iceberg; every route of
// the REST spec is served under that base, apart from Kappa's own /v1 API:
//
//   GET  /iceberg/v1/config                          {"defaults": {}, "overrides": {}, "endpoints": [...]}
//   GET  /iceberg/v1/namespaces[?parent=ns]          {"namespaces": [["default"], ...]}
//   GET  /iceberg/v1/namespaces/{ns}                 {"namespace": ["ns"], "properties": {"location"}}
//   HEAD /iceberg/v1/namespaces/{ns}                 204, or 404
//   GET  /iceberg/v1/namespaces/{ns}/tables          {"identifiers": [{"namespace": ["ns"], "name"}...]}
//                                                    physical tables and aliases, sorted
//   GET  /iceberg/v1/namespaces/{ns}/tables/{t}[?snapshots=all|refs]
//        LoadTableResult {"metadata-location", "metadata", "config": {}}; an
//        alias loads the physical table it points at, so engines follow a
//        promotion the next time they load the table
//   HEAD /iceberg/v1/namespaces/{ns}/tables/{t}      204, or 404
//   POST /iceberg/v1/namespaces/{ns}/tables/{t}/metrics   204 (reports are dropped)
//
// Namespaces are one level (a multi-level name, parts joined by %1F, never
// exists). Tables are written only by pipelines: every write route of the
// spec (create/drop namespace, create/commit/drop/rename/register table,
// transactions) answers 406 UnsupportedOperationException. Errors use the
// spec's ErrorModel {"error": {"message", "type", "code"}}: 400
// BadRequestException, 404 NoSuchNamespaceException / NoSuchTableException,
// 500 ServiceFailureException; HEAD answers carry no body. Listings are not
// paginated (no next-page-token). docs/iceberg-rest.md describes the routes.
//
// Blocking reads run on TableIoPool() (tables_api.h).
#pragma once

#include <string_view>

#include "serve/http_router.h"
#include "table/catalog.h"

namespace kappa::serve {

// `catalog` must outlive the router.
void AddIcebergRestRoutes(Router* router, table::Catalog* catalog);

// {"error": {"message", "type", "code": status}} with that status.
HttpResponse IcebergError(int status, std::string_view type, std::string_view message);

}  // namespace kappa::serve
