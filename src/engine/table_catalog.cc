#include "engine/table_catalog.h"

#include "engine/source/table_source.h"
#include "table/iceberg/table.h"

namespace kappa::engine {

namespace iceberg = table::iceberg;

Result<std::shared_ptr<sql::TableDef>> ServingTableDef(const table::Catalog& warehouse, std::string_view name) {
  ASSIGN_OR_RETURN(table::TableIdent ident, warehouse.Resolve(name));
  std::string location = warehouse.TableLocation(ident);
  ASSIGN_OR_RETURN(std::unique_ptr<iceberg::Table> t, iceberg::Table::Load(location));
  std::shared_ptr<const iceberg::TableMetadata> m = t->metadata();
  const iceberg::Schema& schema = m->current_schema();
  auto def = std::make_shared<sql::TableDef>();
  def->name = std::string(name);
  def->physical = schema.ToColumnar();
  def->schema = def->physical;
  for (int32_t id : schema.identifier_field_ids) {
    for (size_t i = 0; i < schema.fields.size(); ++i) {
      if (schema.fields[i].id == id) def->primary_key.push_back(static_cast<int>(i));
    }
  }
  for (const iceberg::PartitionField& f : m->default_spec().fields) {
    const iceberg::NestedField* source = schema.FindById(f.source_id);
    if (source != nullptr) def->partitioned_by.push_back(source->name);
  }
  def->options["connector"] = "iceberg";
  def->options[kTableLocationOption] = location;
  def->options["kappa.table"] = ident.ToString();
  return def;
}

std::shared_ptr<const sql::TableDef> WarehouseCatalog::FindTable(std::string_view name) const {
  if (warehouse_ == nullptr) return nullptr;
  auto def = ServingTableDef(*warehouse_, name);
  if (!def.ok()) return nullptr;
  return *def;
}

}  // namespace kappa::engine
