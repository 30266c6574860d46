// The seam between the query front doors (HTTP POST /v1/query, the pg-wire
// listener, `kappa query`) and whatever runs bounded queries (sql/ binds,
// engine/ executes over the serving tables). The front doors know only this
// interface; the server holds a QueryService* that may be null, in which case
// every query answers "queries are not available" and the catalog is empty.
//
// Thread rules: an implementation is called from several worker threads at
// once (never from the I/O thread) and must be thread-safe. Execute may block
// for as long as the query runs.
//
// Errors: a failed query is a Status whose code tells the front doors what
// kind of failure it was; they turn it into an HTTP status and a SQLSTATE:
//   kInvalidArgument   the SQL does not parse or does not type-check (42601, 400)
//   kNotFound          a name does not resolve; a message that says "column"
//                      is an unknown column (42703), else a table (42P01); 404
//   kOutOfRange        a data error while evaluating: overflow, a bad cast,
//                      "division by zero" (22000 / 22012; 400)
//   kUnimplemented     valid SQL that Kappa does not support (0A000; 501)
//   kCancelled         the query was cancelled (57014; 503)
//   anything else      an internal or I/O failure (XX000; 500)
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "columnar/batch.h"
#include "columnar/types.h"

namespace kappa::serve {

struct QueryOptions {
  // Namespace that unqualified table names resolve in.
  std::string default_namespace = "default";
  // Only the result's schema is wanted (a client asked to describe a
  // statement before running it): batches may be left empty.
  bool describe_only = false;
  // Stop after this many rows (-1: no limit); the front doors never need more.
  int64_t max_rows = -1;
};

// The answer to one statement. Rows are the batches' active rows in order;
// a changelog row kind other than +I is not expected in a bounded result.
// A statement that returns no rows (none yet exist) has an empty schema.
struct QueryResult {
  columnar::Schema schema;
  std::vector<columnar::Batch> batches;
  // As Postgres names it: "SELECT 3" (the row count), "BEGIN", "SET".
  std::string command_tag;

  size_t row_count() const {
    size_t n = 0;
    for (const columnar::Batch& b : batches) n += b.active_rows();
    return n;
  }
};

// One column of a serving table, as the catalog declares it.
struct CatalogColumn {
  std::string name;
  columnar::DataType type;
  bool nullable = true;
};

struct CatalogTable {
  std::string namespace_name;  // "default"; levels joined with '.'
  std::string name;
  std::vector<CatalogColumn> columns;
};

// A consistent snapshot of the catalog: every namespace (even empty ones) and
// every table, each sorted by name.
struct CatalogListing {
  std::vector<std::string> namespaces;
  std::vector<CatalogTable> tables;
};

class QueryService {
 public:
  virtual ~QueryService() = default;

  // Runs one SQL statement (no trailing ';' needed) to completion.
  virtual Result<QueryResult> Execute(std::string_view sql, const QueryOptions& options) = 0;
  // Namespaces and tables with their columns, for catalog emulation
  // (pg_catalog, information_schema) and listing tools.
  virtual Result<CatalogListing> ListCatalog() = 0;
};

}  // namespace kappa::serve
