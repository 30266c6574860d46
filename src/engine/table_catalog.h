// WarehouseCatalog answers the SQL front end's table lookups (sql::Catalog)
// from the warehouse (table/catalog.h), so `SELECT ... FROM revenue` binds
// to a serving table: the name resolves through the aliases to a physical
// table ("revenue" -> "default.revenue__v2"), whose current Iceberg schema
// becomes the TableDef's physical columns (identifier-field-ids -> PRIMARY
// KEY, partition source columns -> partitioned_by), with options
// 'connector' = 'iceberg', kappa.location = the table's directory (what
// TableScan reads) and kappa.table = the physical name. The TableDef keeps
// the name as written. Views: none.
//
// Stateless; thread-safe as the warehouse catalog is, which must outlive it.
#pragma once

#include <memory>
#include <string_view>

#include "base/status.h"
#include "sql/catalog.h"
#include "table/catalog.h"

namespace kappa::engine {

// The TableDef of the serving table `name` (NotFound if there is none).
Result<std::shared_ptr<sql::TableDef>> ServingTableDef(const table::Catalog& warehouse, std::string_view name);

class WarehouseCatalog final : public sql::Catalog {
 public:
  explicit WarehouseCatalog(const table::Catalog* warehouse) : warehouse_(warehouse) {}

  std::shared_ptr<const sql::TableDef> FindTable(std::string_view name) const override;
  std::shared_ptr<const sql::ViewDef> FindView(std::string_view /*name*/) const override { return nullptr; }

 private:
  const table::Catalog* warehouse_;
};

}  // namespace kappa::engine
