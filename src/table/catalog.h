// The warehouse catalog: namespaces, physical Iceberg tables and aliases.
//
//   <warehouse>/<namespace>/                  a namespace is a directory
//   <warehouse>/<namespace>/<table>/metadata  a table is an Iceberg table dir
//   <warehouse>/catalog.json                  aliases (docs/format/catalog.md)
//
// An alias is a name ("default.revenue") that points at a physical table
// ("default.revenue__v3"); resolving a name checks aliases first, then
// tables. catalog.json is replaced whole and atomically (temp + fsync +
// rename), so SetAliases() repoints any number of aliases in one step:
// a resolver sees all of the old targets or all of the new ones.
//
// Names are [A-Za-z_][A-Za-z0-9_]*; "t" means "default.t".
//
// Thread safety: a Catalog is shared by the server's query and pipeline
// threads; every method may be called concurrently. Writers are serialised
// by a mutex; readers see an immutable copy of the alias map. One process
// owns a warehouse (the data directory lock).
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "table/iceberg/table.h"

namespace kappa::table {

inline constexpr const char* kDefaultNamespace = "default";

struct TableIdent {
  std::string ns;
  std::string name;

  // "ns.name" or "name" (default namespace). Invalid for anything else.
  static Result<TableIdent> Parse(std::string_view text);
  std::string ToString() const { return ns + "." + name; }
  friend bool operator==(const TableIdent&, const TableIdent&) = default;
  friend auto operator<=>(const TableIdent&, const TableIdent&) = default;
};

class Catalog {
 public:
  // Opens (creating if needed) the warehouse at `dir` and reads catalog.json.
  // DataLoss if catalog.json exists but does not parse.
  static Result<std::unique_ptr<Catalog>> Open(const std::string& dir);

  const std::string& warehouse() const { return warehouse_; }

  // Namespaces. "default" is created by Open.
  Status CreateNamespace(const std::string& ns);  // AlreadyExists if present
  // FailedPrecondition while it holds tables or an alias lives in it.
  Status DropNamespace(const std::string& ns);
  std::vector<std::string> ListNamespaces() const;
  bool NamespaceExists(const std::string& ns) const;

  // Physical tables. CreateTable fails with NotFound for a missing namespace
  // (other than "default") and AlreadyExists for a taken name (table or alias).
  Result<std::unique_ptr<iceberg::Table>> CreateTable(const TableIdent& ident, const iceberg::Schema& schema,
                                                      const iceberg::PartitionSpec& spec = {},
                                                      const iceberg::SortOrder& order = {},
                                                      std::map<std::string, std::string> properties = {});
  // Deletes the table's directory. FailedPrecondition while an alias points at it.
  Status DropTable(const TableIdent& ident);
  std::vector<std::string> ListTables(const std::string& ns) const;  // sorted names
  bool TableExists(const TableIdent& ident) const;
  std::string TableLocation(const TableIdent& ident) const;

  // `name` through the aliases to a physical table. NotFound if neither an
  // alias nor a table has that name.
  Result<TableIdent> Resolve(std::string_view name) const;
  Result<std::unique_ptr<iceberg::Table>> LoadTable(std::string_view name) const;

  // Points each alias (key) at its physical table (value), all in one
  // atomic write; other aliases are kept. Targets must be existing tables;
  // an alias may not shadow a physical table's name.
  Status SetAliases(const std::map<std::string, std::string>& aliases);
  Status RemoveAliases(const std::vector<std::string>& names);
  // Qualified alias -> qualified target.
  std::map<std::string, std::string> Aliases() const;

 private:
  using AliasMap = std::map<TableIdent, TableIdent>;

  explicit Catalog(std::string warehouse) : warehouse_(std::move(warehouse)) {}
  Status Load();
  Status Store(std::shared_ptr<const AliasMap> next);  // REQUIRES: write_mu_ held
  std::shared_ptr<const AliasMap> aliases() const;

  const std::string warehouse_;
  std::mutex write_mu_;           // serialises every change to the warehouse
  mutable std::shared_mutex mu_;  // guards aliases_
  std::shared_ptr<const AliasMap> aliases_;
};

}  // namespace kappa::table
