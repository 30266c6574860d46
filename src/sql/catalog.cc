#include "sql/catalog.h"

namespace kappa::sql {

std::shared_ptr<const TableDef> MemoryCatalog::FindTable(std::string_view name) const {
  if (auto it = tables_.find(name); it != tables_.end()) return it->second;
  if (views_.count(name) > 0) return nullptr;  // a local view shadows an outer table
  return outer_ != nullptr ? outer_->FindTable(name) : nullptr;
}

std::shared_ptr<const ViewDef> MemoryCatalog::FindView(std::string_view name) const {
  if (auto it = views_.find(name); it != views_.end()) return it->second;
  if (tables_.count(name) > 0) return nullptr;
  return outer_ != nullptr ? outer_->FindView(name) : nullptr;
}

bool MemoryCatalog::HoldsLocally(std::string_view name) const {
  return tables_.count(name) > 0 || views_.count(name) > 0;
}

void MemoryCatalog::AddTable(std::shared_ptr<const TableDef> table) {
  std::string name = table->name;
  tables_[name] = std::move(table);
}

void MemoryCatalog::AddView(std::shared_ptr<const ViewDef> view) {
  std::string name = view->name;
  views_[name] = std::move(view);
}

bool MemoryCatalog::Remove(std::string_view name) {
  if (auto it = tables_.find(name); it != tables_.end()) {
    tables_.erase(it);
    return true;
  }
  if (auto it = views_.find(name); it != views_.end()) {
    views_.erase(it);
    return true;
  }
  return false;
}

}  // namespace kappa::sql
