// The binder: turns parsed statements (ast.h) into typed logical plans
// (plan.h), resolving every name against a Catalog. One Binder binds the
// statements of one SQL text (its positions index that text); it is used by
// one thread and the catalog must outlive it.
//
// Streaming mode (pipelines): unbounded GROUP BY emits updates; window TVFs
// need a time attribute; ORDER BY needs a LIMIT; time travel is refused.
// Bounded mode (queries over tables): aggregates emit final rows; ORDER BY,
// LIMIT and FOR SYSTEM_TIME / VERSION AS OF are allowed.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "sql/ast.h"
#include "sql/catalog.h"
#include "sql/plan.h"

namespace kappa::sql {

using columnar::DataType;

enum class BindMode : uint8_t { kStreaming, kBounded };

// The names one output column of a relation answers to.
struct ColumnName {
  std::string name;
  std::string qualifier;  // the table alias ("" after a subquery without alias)
};

// A ROW_NUMBER() OVER (...) select list waiting for the enclosing query's
// filter on the row number (which makes it a Top-N or a deduplication).
struct PendingRank {
  PlanPtr topn;                      // kTopN, limit -1: input columns + row number
  std::vector<ExprPtr> exprs;        // the select list, over topn's output
  std::vector<std::string> names;
  size_t pos = 0;                    // of ROW_NUMBER, for errors
};

// A bound FROM item or query.
struct Relation {
  PlanPtr plan;
  std::vector<ColumnName> columns;      // parallel to plan->schema
  std::shared_ptr<PendingRank> rank;    // set: plan is Project(exprs) over rank->topn
};

class Binder {
 public:
  Binder(std::string_view sql, const Catalog& catalog, BindMode mode);

  BindMode mode() const { return mode_; }
  std::string_view sql() const { return sql_; }

  // A complete query (no pending ROW_NUMBER).
  Result<Relation> BindQuery(const ast::Query& query);
  Result<std::shared_ptr<TableDef>> BindCreateTable(const ast::CreateTable& table);
  Result<std::shared_ptr<ViewDef>> BindCreateView(const ast::CreateView& view);
  Result<Insert> BindInsert(const ast::Insert& insert);
  // The plan of INSERT INTO `target` from an already bound relation; `pos`
  // of the statement for errors.
  Result<PlanPtr> MapToSink(const Relation& source, const TableDef& target,
                            const std::vector<std::pair<std::string, size_t>>& columns,
                            const std::vector<size_t>& item_pos, size_t pos);

  // Errors with the position in this binder's SQL text.
  Status Error(size_t pos, std::string_view message) const;
  Status ErrorFrom(size_t pos, const Status& status) const;  // prefixes the position
  // The source text of an expression, with runs of whitespace collapsed.
  std::string Text(const ast::Expr& e) const;

 private:
  friend class ExprBinder;
  friend class SelectBinder;

  Result<Relation> BindQueryAllowRank(const ast::Query& query);
  Result<Relation> BindUnion(const ast::Query& query);
  Result<Relation> ApplyOrderLimit(Relation rel, const ast::Query& query, size_t visible,
                                   std::vector<SortKey> sort);
  Result<Relation> BindTableRef(const ast::TableRef& ref);
  Result<Relation> BindNamedTable(const ast::TableRef& ref);
  Result<Relation> BindTable(std::shared_ptr<const TableDef> table, const ast::TableRef& ref);
  Result<Relation> BindJoin(const ast::TableRef& ref);
  Result<Relation> BindWindow(const ast::TableRef& ref);
  Result<int64_t> IntervalArg(const ast::Expr& e, const char* what);
  Status CheckComplete(const Relation& rel) const;

  std::string_view sql_;
  const Catalog& catalog_;
  BindMode mode_;
  // WITH queries in scope, innermost last.
  std::vector<std::map<std::string, Relation, std::less<>>> with_;
};

// Joins `a` and `b` into a join plan with the equi-keys found in `on`
// (over a's columns followed by b's); the rest stays as the residual
// predicate. Shared by JOIN ... ON and by WHERE conditions pushed into a
// comma join.
Result<PlanPtr> MakeJoin(const PlanPtr& left, const PlanPtr& right, JoinKind kind,
                         const std::vector<ExprPtr>& conjuncts, BindMode mode);

}  // namespace kappa::sql
