// HTTP endpoints of the warehouse catalog (src/table/catalog.h), for the
// `kappa table` commands, dashboards and scripts:
//
//   GET  /v1/tables                  {"namespaces": [...], "tables": [table...], "aliases": [{"name", "target"}]}
//        table := {"name": "default.t", "namespace", "table", "aliases": [...],
//                  "current_snapshot_id": int|null, "snapshots": n, "last_updated_ms",
//                  "rows", "bytes"} (rows and bytes from the current snapshot's
//                  summary totals; "error" instead when the table does not load)
//   GET  /v1/tables/{name}           describe: the name as asked, "table" (the physical
//                                    name after alias resolution), "aliases", location,
//                                    uuid, metadata file, schema (field ids, Kappa and
//                                    Iceberg type names), partition spec, primary key,
//                                    properties, current snapshot, snapshots, and the
//                                    current snapshot's live files: data_files,
//                                    delete_files, records, position_deletes,
//                                    equality_deletes, rows, data_bytes, delete_bytes, bytes
//   GET  /v1/tables/{name}/history   {"name", "table", "current_snapshot_id", "snapshots": [entry...]}
//        entry := {"snapshot_id", "parent_snapshot_id", "sequence_number", "timestamp_ms",
//                  "timestamp", "operation", "current", "pipeline", "version", "epoch",
//                  "added_rows", "deleted_rows", "summary": {...}}, oldest first;
//                  pipeline/version/epoch are the summary's kappa.* strings (null
//                  when absent); deleted_rows counts removed records plus the
//                  position and equality deletes the snapshot added
//   POST /v1/tables/diff             {"a", "b", "key": [...]?, "sample": n?} -> table_diff.h
//
// "rows" counts data file records minus position deletes: exact for the
// tables Kappa writes (each position delete removes one live row), an upper
// bound when equality deletes exist.
// Errors: {"error": {"message", "code"}}: 400 bad name or body, 404 unknown
// table, 500 unreadable metadata.
//
// The Json builders are plain functions so the CLI can answer the same
// shapes from the data dir when no server runs. Each reads the table's
// current metadata; they are thread-safe as the Catalog is. Routes run them
// on TableIoPool(), never on the I/O thread.
#pragma once

#include <string_view>

#include "base/asio.h"
#include "base/status.h"
#include "nlohmann/json.hpp"
#include "serve/http_router.h"
#include "table/catalog.h"

namespace kappa::serve {

Result<nlohmann::json> ListTablesJson(const table::Catalog& catalog);
Result<nlohmann::json> DescribeTableJson(const table::Catalog& catalog, std::string_view name);
Result<nlohmann::json> TableHistoryJson(const table::Catalog& catalog, std::string_view name);

// Worker threads for the blocking reads of the table and Iceberg REST routes.
asio::thread_pool& TableIoPool();

// `catalog` must outlive the router.
void AddTableRoutes(Router* router, table::Catalog* catalog);

}  // namespace kappa::serve
