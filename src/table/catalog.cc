#include "table/catalog.h"

#include <filesystem>

#include "base/file.h"
#include "table/iceberg/table_io.h"

namespace kappa::table {
namespace {

using Json = nlohmann::ordered_json;

constexpr int kCatalogFormatVersion = 1;

Status CheckName(std::string_view kind, std::string_view name) {
  if (!iceberg::IsPlainName(name)) return Invalid("{} name '{}' is not [A-Za-z_][A-Za-z0-9_]*", kind, name);
  return OkStatus();
}

std::string CatalogPath(const std::string& warehouse) { return warehouse + "/catalog.json"; }

}  // namespace

Result<TableIdent> TableIdent::Parse(std::string_view text) {
  size_t dot = text.find('.');
  TableIdent ident{kDefaultNamespace, std::string(text)};
  if (dot != std::string_view::npos) {
    ident.ns = std::string(text.substr(0, dot));
    ident.name = std::string(text.substr(dot + 1));
  }
  RETURN_IF_ERROR(CheckName("namespace", ident.ns));
  RETURN_IF_ERROR(CheckName("table", ident.name));
  return ident;
}

Result<std::unique_ptr<Catalog>> Catalog::Open(const std::string& dir) {
  std::error_code ec;
  std::string absolute = std::filesystem::absolute(dir, ec).lexically_normal().string();
  if (ec) return Invalid("warehouse path {}: {}", dir, ec.message());
  if (absolute.size() > 1 && absolute.back() == '/') absolute.pop_back();
  std::unique_ptr<Catalog> catalog(new Catalog(absolute));
  RETURN_IF_ERROR(CreateDirs(absolute + "/" + kDefaultNamespace));
  RETURN_IF_ERROR(catalog->Load());
  return catalog;
}

Status Catalog::Load() {
  auto map = std::make_shared<AliasMap>();
  std::string path = CatalogPath(warehouse_);
  if (PathExists(path)) {
    ASSIGN_OR_RETURN(std::string text, ReadFile(path));
    Json j = Json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded() || !j.is_object()) return Corruption("{}: not a JSON object", path);
    const Json aliases = j.value("aliases", Json::object());
    for (const auto& [name, target] : aliases.items()) {
      auto alias = TableIdent::Parse(name);
      auto table = target.is_string() ? TableIdent::Parse(target.get<std::string>()) : Result<TableIdent>(Invalid("x"));
      if (!alias.ok() || !table.ok()) return Corruption("{}: bad alias {}", path, name);
      (*map)[*alias] = *table;
    }
  }
  std::unique_lock lock(mu_);
  aliases_ = std::move(map);
  return OkStatus();
}

Status Catalog::Store(std::shared_ptr<const AliasMap> next) {
  Json aliases = Json::object();
  for (const auto& [alias, table] : *next) aliases[alias.ToString()] = table.ToString();
  Json j = {{"format-version", kCatalogFormatVersion}, {"aliases", std::move(aliases)}};
  RETURN_IF_ERROR(iceberg::WriteFileAtomically(CatalogPath(warehouse_), j.dump(2)));
  std::unique_lock lock(mu_);
  aliases_ = std::move(next);
  return OkStatus();
}

std::shared_ptr<const Catalog::AliasMap> Catalog::aliases() const {
  std::shared_lock lock(mu_);
  return aliases_;
}

Status Catalog::CreateNamespace(const std::string& ns) {
  RETURN_IF_ERROR(CheckName("namespace", ns));
  std::lock_guard write(write_mu_);
  if (NamespaceExists(ns)) return AlreadyExists("namespace {} already exists", ns);
  RETURN_IF_ERROR(CreateDirs(warehouse_ + "/" + ns));
  return SyncDir(warehouse_);
}

Status Catalog::DropNamespace(const std::string& ns) {
  RETURN_IF_ERROR(CheckName("namespace", ns));
  std::lock_guard write(write_mu_);
  if (!NamespaceExists(ns)) return NotFound("namespace {} does not exist", ns);
  if (!ListTables(ns).empty()) return Busy("namespace {} is not empty", ns);
  auto map = aliases();  // keeps the map alive through the loop
  for (const auto& [alias, table] : *map) {
    if (alias.ns == ns) return Busy("namespace {} holds alias {}", ns, alias.ToString());
  }
  return RemoveTree(warehouse_ + "/" + ns);
}

std::vector<std::string> Catalog::ListNamespaces() const {
  std::vector<std::string> out;
  auto names = ListDir(warehouse_);
  if (!names.ok()) return out;
  for (const std::string& name : *names) {
    if (iceberg::IsPlainName(name) && NamespaceExists(name)) out.push_back(name);
  }
  return out;
}

bool Catalog::NamespaceExists(const std::string& ns) const {
  return iceberg::IsPlainName(ns) && ListDir(warehouse_ + "/" + ns).ok();
}

std::string Catalog::TableLocation(const TableIdent& ident) const {
  return warehouse_ + "/" + ident.ns + "/" + ident.name;
}

bool Catalog::TableExists(const TableIdent& ident) const {
  return iceberg::FindCurrentVersion(TableLocation(ident)).ok();
}

std::vector<std::string> Catalog::ListTables(const std::string& ns) const {
  std::vector<std::string> out;
  auto names = ListDir(warehouse_ + "/" + ns);
  if (!names.ok()) return out;
  for (const std::string& name : *names) {
    if (iceberg::IsPlainName(name) && TableExists({ns, name})) out.push_back(name);
  }
  return out;
}

Result<std::unique_ptr<iceberg::Table>> Catalog::CreateTable(const TableIdent& ident, const iceberg::Schema& schema,
                                                             const iceberg::PartitionSpec& spec,
                                                             const iceberg::SortOrder& order,
                                                             std::map<std::string, std::string> properties) {
  RETURN_IF_ERROR(CheckName("namespace", ident.ns));
  RETURN_IF_ERROR(CheckName("table", ident.name));
  std::lock_guard write(write_mu_);
  if (!NamespaceExists(ident.ns)) return NotFound("namespace {} does not exist", ident.ns);
  if (aliases()->count(ident)) return AlreadyExists("{} is an alias", ident.ToString());
  auto table = iceberg::Table::Create(TableLocation(ident), schema, spec, order, std::move(properties));
  if (table.status().code() == StatusCode::kAlreadyExists) {
    return AlreadyExists("table {} already exists", ident.ToString());
  }
  return table;
}

Status Catalog::DropTable(const TableIdent& ident) {
  std::lock_guard write(write_mu_);
  if (!TableExists(ident)) return NotFound("table {} does not exist", ident.ToString());
  auto map = aliases();  // keeps the map alive through the loop
  for (const auto& [alias, table] : *map) {
    if (table == ident) return Busy("alias {} points at {}", alias.ToString(), ident.ToString());
  }
  RETURN_IF_ERROR(RemoveTree(TableLocation(ident)));
  return SyncDir(warehouse_ + "/" + ident.ns);
}

Result<TableIdent> Catalog::Resolve(std::string_view name) const {
  ASSIGN_OR_RETURN(TableIdent ident, TableIdent::Parse(name));
  auto map = aliases();
  auto it = map->find(ident);
  if (it != map->end()) return it->second;
  if (TableExists(ident)) return ident;
  return NotFound("no table or alias named {}", ident.ToString());
}

Result<std::unique_ptr<iceberg::Table>> Catalog::LoadTable(std::string_view name) const {
  ASSIGN_OR_RETURN(TableIdent ident, Resolve(name));
  return iceberg::Table::Load(TableLocation(ident));
}

Status Catalog::SetAliases(const std::map<std::string, std::string>& aliases) {
  std::lock_guard write(write_mu_);
  auto next = std::make_shared<AliasMap>(*this->aliases());
  for (const auto& [name, target] : aliases) {
    ASSIGN_OR_RETURN(TableIdent alias, TableIdent::Parse(name));
    ASSIGN_OR_RETURN(TableIdent table, TableIdent::Parse(target));
    if (!TableExists(table)) return NotFound("alias {}: no table {}", alias.ToString(), table.ToString());
    if (TableExists(alias)) return AlreadyExists("alias {} would hide the table of that name", alias.ToString());
    if (!NamespaceExists(alias.ns)) return NotFound("alias {}: namespace {} does not exist", name, alias.ns);
    (*next)[alias] = table;
  }
  return Store(std::move(next));
}

Status Catalog::RemoveAliases(const std::vector<std::string>& names) {
  std::lock_guard write(write_mu_);
  auto next = std::make_shared<AliasMap>(*aliases());
  for (const std::string& name : names) {
    ASSIGN_OR_RETURN(TableIdent alias, TableIdent::Parse(name));
    if (next->erase(alias) == 0) return NotFound("no alias {}", alias.ToString());
  }
  return Store(std::move(next));
}

std::map<std::string, std::string> Catalog::Aliases() const {
  std::map<std::string, std::string> out;
  auto map = aliases();
  for (const auto& [alias, table] : *map) out[alias.ToString()] = table.ToString();
  return out;
}

}  // namespace kappa::table
