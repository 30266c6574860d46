// Binds one SELECT block: FROM, WHERE (pushing conditions into inner joins,
// folding a row-number filter into Top-N / deduplication), the select list
// with * expansion, GROUP BY / HAVING / aggregates (window aggregates over
// window TVFs), ROW_NUMBER() OVER, DISTINCT, and the ORDER BY keys of the
// enclosing query (which may add hidden columns). Internal to the binder.
#pragma once

#include <string>
#include <vector>

#include "sql/binder.h"
#include "sql/binder_expr.h"

namespace kappa::sql {

class SelectBinder {
 public:
  SelectBinder(Binder& binder, const ast::Select& select,
               const std::vector<ast::OrderItem>& order_by);

  // The bound SELECT: the relation's first `*visible` columns are the select
  // list; any further columns are hidden ORDER BY keys. `sort` is over the
  // relation's columns.
  Result<Relation> Bind(size_t* visible, std::vector<SortKey>* sort);

 private:
  struct Item {
    const ast::Expr* expr = nullptr;  // null for a column of a * expansion
    int column = -1;                  // with expr null: the input column
    std::string name;
    size_t pos = 0;
  };

  Status BindFrom();
  Status BindWhere();
  Status FoldRank(std::vector<ast::ExprPtr>* conjuncts);
  bool MentionsName(const std::string& name, const ast::Expr* skip) const;
  Status ExpandItems();
  bool HasAggregates() const;
  Status BindItems();
  Status BindAggregate();
  Status FinishAggregate();
  Status BindRowNumber(size_t item_index);
  Result<ExprPtr> AggregateHook(const ast::Expr& e);
  Result<ExprPtr> BindAggregateCall(const ast::Expr& e);
  Status BindOrderBy(std::vector<SortKey>* sort);
  Result<ExprPtr> BindItemExpr(const ast::Expr& e, const char* clause);

  Binder& b_;
  const ast::Select& s_;
  const std::vector<ast::OrderItem>& order_by_;
  Relation input_;                    // FROM after WHERE
  std::vector<Item> items_;
  bool aggregating_ = false;
  // Aggregation state.
  Relation agg_;                      // the aggregate's output as a scope
  std::shared_ptr<Plan> agg_scope_;   // agg_.plan, growing as aggregates are found
  PlanPtr agg_input_;
  std::vector<int> key_columns_;
  ExprPtr having_;
  std::vector<std::string> key_fingerprints_;
  std::vector<ExprPtr> keys_;
  std::vector<AggregateCall> aggregates_;
  std::vector<std::string> aggregate_fingerprints_;
  bool in_aggregate_ = false;
  // Output.
  PlanPtr base_;                      // what the select list is evaluated over
  std::vector<ExprPtr> exprs_;
  std::vector<std::string> names_;
  std::shared_ptr<PendingRank> rank_;
};

// Wraps `plan` in filters for `conjuncts`, pushing them into the inputs of
// inner joins where they reference one side and into the join's condition
// where they reference both.
Result<PlanPtr> PushConjuncts(const PlanPtr& plan, std::vector<ExprPtr> conjuncts, BindMode mode);

// Whether an expression AST contains an aggregate call (outside OVER).
bool ContainsAggregate(const ast::Expr& e);

}  // namespace kappa::sql
