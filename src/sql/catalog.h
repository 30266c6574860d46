// The names a query can refer to. A Catalog maps a table or view name to
// its definition; the binder asks it while resolving FROM clauses and INSERT
// targets. Definitions are immutable snapshots (shared_ptr<const ...>), so a
// catalog may be shared by threads as long as its implementation is.
//
// For a pipeline file, the file's own CREATE TABLE / CREATE VIEW statements
// form a MemoryCatalog layered over an optional outer catalog (the server's
// tables); names in the file shadow outer names.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "sql/plan.h"

namespace kappa::sql {

// A view: its query, already bound to a plan whose schema is the view's
// columns (time attributes survive: they are derived from the plan).
struct ViewDef {
  std::string name;
  std::string sql;  // the defining query as written
  PlanPtr plan;
};

class Catalog {
 public:
  virtual ~Catalog() = default;
  // The table called `name` (exactly as written, "ns.t" when qualified), or
  // null.
  virtual std::shared_ptr<const TableDef> FindTable(std::string_view name) const = 0;
  // The view called `name`, or null.
  virtual std::shared_ptr<const ViewDef> FindView(std::string_view name) const = 0;
};

// A catalog in memory, optionally over an outer one that answers names this
// one does not hold. Not thread-safe for writes; `outer` must outlive it.
class MemoryCatalog : public Catalog {
 public:
  explicit MemoryCatalog(const Catalog* outer = nullptr) : outer_(outer) {}

  std::shared_ptr<const TableDef> FindTable(std::string_view name) const override;
  std::shared_ptr<const ViewDef> FindView(std::string_view name) const override;

  // Whether `name` is a table or view of this catalog itself (not the outer).
  bool HoldsLocally(std::string_view name) const;
  void AddTable(std::shared_ptr<const TableDef> table);
  void AddView(std::shared_ptr<const ViewDef> view);
  // Removes a local table or view; false when there is none.
  bool Remove(std::string_view name);

 private:
  const Catalog* outer_;
  std::map<std::string, std::shared_ptr<const TableDef>, std::less<>> tables_;
  std::map<std::string, std::shared_ptr<const ViewDef>, std::less<>> views_;
};

}  // namespace kappa::sql
