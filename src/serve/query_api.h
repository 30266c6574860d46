// SQL over HTTP:
//
//   POST /v1/query   body {"sql": "SELECT ..."}
//     200 application/json: {"columns": [{"name", "type"}], "rows": [[...]]}
//         types in Flink SQL spelling ("BIGINT", "DECIMAL(10, 2)"); values
//         are JSON numbers for INT/BIGINT/DOUBLE (NaN and infinities as the
//         strings "NaN", "Infinity", "-Infinity"), DECIMAL as a JSON number
//         written without exponent ("12.50"), booleans, strings; DATE as
//         "2024-01-31", TIMESTAMP(_LTZ) as "2024-01-31 12:00:00.000", NULL
//         as null.
//     200 text/csv with Accept: text/csv (or ?format=csv): a header line of
//         column names, then one line per row (RFC 4180 quoting; NULL is an
//         empty field).
//     errors: {"error": {"message", "code"}} with 400 (bad request body,
//         syntax or type error, data error), 404 (unknown table or column),
//         501 (not supported; no query engine), 500 (internal).
//
// The query runs on the QueryRunner's threads; the handler awaits it.
#pragma once

#include "serve/http_router.h"
#include "serve/query_runner.h"

namespace kappa::serve {

// `runner` must outlive the router.
void AddQueryRoutes(Router* router, QueryRunner* runner);

// The bodies the route answers with, for tests.
std::string ResultJson(const QueryResult& result);
std::string ResultCsv(const QueryResult& result);
int QueryHttpStatus(const Status& status);

}  // namespace kappa::serve
