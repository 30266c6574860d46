// EngineQueryService: the server's QueryService (query_service.h), running
// each statement with Kappa's own SQL front end and engine:
//
//   sql::CompileQuery  ->  engine::RunBoundedQuery  ->  batches
//
// Names resolve, first to last: tables a statement declares itself
// (CREATE TABLE ...; SELECT ...), tables declared by the promoted version of
// each deployed pipeline (its topic sources and sinks, a sink topic under
// the promoted version's physical topic name), then the warehouse's serving
// tables and aliases (engine::WarehouseCatalog). Topics are read from their
// start to the end offsets they have when the query starts; serving tables
// at their current snapshot (or the one FOR VERSION / SYSTEM_TIME AS OF
// names). EXPLAIN answers one row per plan line in a column "plan".
//
// Thread-safe: every call compiles and runs on its own; the log, warehouse
// and registry must outlive the service and be thread-safe themselves.
#pragma once

#include <string_view>

#include "log/log.h"
#include "pipeline/registry.h"
#include "serve/query_service.h"
#include "table/catalog.h"

namespace kappa::serve {

class EngineQueryService final : public QueryService {
 public:
  // `pipelines` may be null (no pipeline-declared tables).
  EngineQueryService(log::Log* log, table::Catalog* warehouse, const pipeline::Registry* pipelines)
      : log_(log), warehouse_(warehouse), pipelines_(pipelines) {}

  Result<QueryResult> Execute(std::string_view sql, const QueryOptions& options) override;
  Result<CatalogListing> ListCatalog() override;

 private:
  log::Log* log_;
  table::Catalog* warehouse_;
  const pipeline::Registry* pipelines_;
};

}  // namespace kappa::serve
