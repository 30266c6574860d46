// The small emulation of Postgres' system catalogs and session functions
// that psql, psycopg2, node-postgres and BI tools query on their own: psql's
// \dt, \d, \d NAME, \dn and \l, SELECT version()/current_schema()/
// current_database()/current_user, and simple SELECTs of
// information_schema.tables/columns/schemata. Each recognised query is
// answered from a CatalogListing; anything else that reads pg_catalog or
// information_schema is refused (kUnimplemented), never guessed at.
//
// Kappa namespaces are the schemas; every table is an ordinary table ('r')
// owned by the session's user; oids are stable hashes of the names.
// Queries arrive in Normalize()d form (sql_text.h). Pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "serve/query_service.h"

namespace kappa::serve::pgwire {

struct SessionInfo {
  std::string user = "kappa";
  std::string database = "kappa";
  std::string schema = "default";
  std::string server_version = "15.0 (Kappa)";
};

// True when the statement is for this emulation rather than the engine: it
// mentions pg_catalog, information_schema or a pg_ relation, or is a SELECT
// of session functions only.
bool IsCatalogQuery(std::string_view normalized);

// The answer to a catalog query (IsCatalogQuery), or kUnimplemented.
Result<QueryResult> AnswerCatalogQuery(std::string_view normalized, const CatalogListing& catalog,
                                       const SessionInfo& session);

// For each top-level item of a SELECT's select list (Normalize()d text), the
// name Postgres would give its column when the item has no alias and is not
// a plain column: a function call's name ("count", "sum"), else "?column?";
// "" for items with an alias or that are column references (their names stand).
// Empty when `normalized` is not a single SELECT.
std::vector<std::string> PostgresColumnNames(std::string_view normalized);

// The oid the emulation gives a table (stable across queries).
int64_t TableOid(const CatalogTable& table);

}  // namespace kappa::serve::pgwire
