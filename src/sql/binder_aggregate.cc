// GROUP BY, HAVING and aggregate calls of a SELECT: a kAggregate (or a
// kWindowAggregate when grouped by window_start and window_end of a window
// TVF), a filter for HAVING, and select expressions over the aggregate's
// output (group keys first, then aggregate results).
#include "sql/binder_select.h"
#include "sql/functions.h"
#include "sql/plan_util.h"
#include "sql/type_rules.h"

namespace kappa::sql {

using columnar::Value;

Status SelectBinder::BindAggregate() {
  for (const Item& item : items_) {
    if (item.expr && item.expr->kind == ast::ExprKind::kRowNumber) {
      return b_.Error(item.pos, "ROW_NUMBER() cannot be combined with GROUP BY or aggregates in "
                                "one SELECT; aggregate in a subquery");
    }
  }
  // Group keys over the input; non-column keys are computed by a projection.
  ExprBinder plain(b_, input_, "GROUP BY");
  std::vector<ExprPtr> extra;
  std::vector<int>& key_columns = key_columns_;
  const int n = static_cast<int>(input_.plan->schema.size());
  for (const ast::ExprPtr& g : s_.group_by) {
    ASSIGN_OR_RETURN(ExprPtr key, plain.Bind(*g));
    std::string fp = Fingerprint(*key);
    bool duplicate = false;
    for (const std::string& k : key_fingerprints_) duplicate = duplicate || k == fp;
    if (duplicate) continue;
    key_fingerprints_.push_back(fp);
    keys_.push_back(key);
    if (key->kind == ExprKind::kColumn) {
      key_columns.push_back(key->column);
    } else {
      key_columns.push_back(n + static_cast<int>(extra.size()));
      extra.push_back(key);
    }
  }
  PlanPtr agg_input = input_.plan;
  if (!extra.empty()) {
    std::vector<ExprPtr> exprs;
    std::vector<std::string> names;
    for (int i = 0; i < n; ++i) {
      const columnar::Field& f = input_.plan->schema.field(i);
      exprs.push_back(ColumnRef(i, f.type, f.name, f.nullable));
      names.push_back(f.name);
    }
    for (size_t i = 0; i < extra.size(); ++i) {
      exprs.push_back(extra[i]);
      names.push_back("$group" + std::to_string(i));
    }
    agg_input = MakeProject(input_.plan, std::move(exprs), names);
  }
  // The aggregate's output scope: keys, then aggregates as they are found.
  agg_scope_ = std::make_shared<Plan>();
  auto& scope = agg_scope_;
  for (size_t i = 0; i < keys_.size(); ++i) {
    std::string name = keys_[i]->kind == ExprKind::kColumn ? input_.columns[keys_[i]->column].name
                                                          : DefaultName(i);
    scope->schema.Add({name, keys_[i]->type, keys_[i]->nullable});
    agg_.columns.push_back({name, ""});
  }
  agg_.plan = scope;

  // Select list and HAVING, with aggregates and keys replaced by references.
  for (const Item& item : items_) {
    if (item.expr) {
      ASSIGN_OR_RETURN(ExprPtr e, BindItemExpr(*item.expr, "SELECT"));
      exprs_.push_back(std::move(e));
    } else {
      std::string fp = "$" + std::to_string(item.column);
      int key = -1;
      for (size_t k = 0; k < key_fingerprints_.size(); ++k) {
        if (key_fingerprints_[k] == fp) key = static_cast<int>(k);
      }
      if (key < 0) {
        return b_.Error(item.pos, fmt::format("expression '{}' is not being grouped (add it to "
                                              "GROUP BY or use an aggregate function)",
                                              item.name));
      }
      exprs_.push_back(ColumnRef(key, keys_[key]->type, item.name, keys_[key]->nullable));
    }
    names_.push_back(item.name);
  }
  if (s_.having) {
    ExprBinder eb(b_, agg_, "HAVING");
    eb.set_hook([this](const ast::Expr& node) { return AggregateHook(node); });
    ASSIGN_OR_RETURN(having_, eb.BindPredicate(*s_.having));
  }
  agg_input_ = agg_input;
  return OkStatus();
}

// Builds the aggregate once every aggregate call (SELECT, HAVING, ORDER BY)
// is known.
Status SelectBinder::FinishAggregate() {
  const PlanPtr& agg_input = agg_input_;
  const std::vector<int>& key_columns = key_columns_;

  // Window aggregate: grouped by window_start and window_end of a window TVF,
  // or of a window aggregate below (a cascaded window aggregate).
  std::vector<WindowRole> roles = WindowRoles(*agg_input);
  bool over_window = false;
  int start = -1, end = -1;
  for (WindowRole r : roles) over_window = over_window || r == WindowRole::kStart;
  for (int k : key_columns) {
    if (roles[k] == WindowRole::kStart || roles[k] == WindowRole::kCascadedStart) start = k;
    if (roles[k] == WindowRole::kEnd || roles[k] == WindowRole::kCascadedEnd) end = k;
  }
  bool window = over_window || (start >= 0 && end >= 0 && !agg_input->updates);
  auto agg = std::make_shared<Plan>();
  agg->inputs = {agg_input};
  agg->group_keys = key_columns;
  agg->aggregates = aggregates_;
  agg->schema = agg_.plan->schema;
  if (window) {
    if (start < 0 || end < 0) {
      size_t pos = s_.group_by.empty() ? s_.pos : s_.group_by[0]->pos;
      return b_.Error(pos, "an aggregate over a window TVF must GROUP BY window_start and "
                           "window_end");
    }
    agg->kind = PlanKind::kWindowAggregate;
    agg->window_start = start;
    agg->window_end = end;
  } else {
    agg->kind = PlanKind::kAggregate;
    agg->updates = b_.mode() == BindMode::kStreaming;
    if (agg->updates) {
      for (size_t i = 0; i < keys_.size(); ++i) agg->unique_key.push_back(static_cast<int>(i));
    }
  }
  base_ = agg;
  if (having_) base_ = MakeFilter(base_, having_);
  return OkStatus();
}

Result<ExprPtr> SelectBinder::AggregateHook(const ast::Expr& e) {
  if (e.kind == ast::ExprKind::kCall && IsAggregateFunction(e.op)) return BindAggregateCall(e);
  if (e.kind == ast::ExprKind::kRowNumber || e.kind == ast::ExprKind::kStar ||
      ContainsAggregate(e)) {
    return ExprPtr();
  }
  ExprBinder plain(b_, input_, "SELECT");
  ASSIGN_OR_RETURN(ExprPtr bound, plain.Bind(e));
  std::string fp = Fingerprint(*bound);
  for (size_t k = 0; k < key_fingerprints_.size(); ++k) {
    if (key_fingerprints_[k] == fp) {
      return ColumnRef(static_cast<int>(k), bound->type, b_.Text(e), bound->nullable);
    }
  }
  if (!ReadsColumns(*bound)) return bound;
  if (e.kind == ast::ExprKind::kColumn) {
    return b_.Error(e.pos, fmt::format("expression '{}' is not being grouped (add it to GROUP BY "
                                       "or use an aggregate function)", b_.Text(e)));
  }
  return ExprPtr();  // bind the node; its children come back here
}

Result<ExprPtr> SelectBinder::BindAggregateCall(const ast::Expr& e) {
  if (in_aggregate_) {
    return b_.Error(e.pos, fmt::format("aggregate function {} cannot be nested in another "
                                       "aggregate", e.op));
  }
  in_aggregate_ = true;
  ExprBinder plain(b_, input_, "an aggregate argument");
  plain.set_hook([this](const ast::Expr& node) -> Result<ExprPtr> {
    if (node.kind == ast::ExprKind::kCall && IsAggregateFunction(node.op)) {
      return BindAggregateCall(node);
    }
    return ExprPtr();
  });
  std::vector<ExprPtr> args;
  for (const ast::ExprPtr& a : e.args) {
    auto bound = plain.Bind(*a);
    if (!bound.ok()) {
      in_aggregate_ = false;
      return bound.status();
    }
    args.push_back(*bound);
  }
  in_aggregate_ = false;
  if (e.star && e.op != "COUNT") {
    return b_.Error(e.pos, fmt::format("{}(*) is not allowed; only COUNT(*)", e.op));
  }
  if (e.filter) {
    ExprBinder fb(b_, input_, "FILTER");
    ASSIGN_OR_RETURN(ExprPtr cond, fb.BindPredicate(*e.filter));
    // agg(x) FILTER (WHERE c) == agg(CASE WHEN c THEN x END): aggregates skip NULLs.
    if (args.empty()) args.push_back(Literal(Value::Int32(1), "1"));
    for (ExprPtr& a : args) {
      a = Call("CASE", {cond, a}, a->type, "CASE WHEN " + cond->text + " THEN " + a->text + " END",
               true);
    }
  }
  auto call = ResolveAggregate(e.op, std::move(args), e.distinct);
  if (!call.ok()) return b_.ErrorFrom(e.pos, call.status());
  call->text = b_.Text(e);
  std::string fp = call->function + (call->distinct ? " DISTINCT(" : "(");
  for (const ExprPtr& a : call->args) fp += Fingerprint(*a) + ",";
  int index = -1;
  for (size_t i = 0; i < aggregate_fingerprints_.size(); ++i) {
    if (aggregate_fingerprints_[i] == fp) index = static_cast<int>(i);
  }
  if (index < 0) {
    index = static_cast<int>(aggregates_.size());
    aggregates_.push_back(*call);
    aggregate_fingerprints_.push_back(fp);
    bool nullable = call->function != "COUNT";
    agg_scope_->schema.Add({call->text, call->type, nullable});
    agg_.columns.push_back({call->text, ""});
  }
  int column = static_cast<int>(keys_.size()) + index;
  const columnar::Field& f = agg_.plan->schema.field(column);
  return ColumnRef(column, f.type, b_.Text(e), f.nullable);
}

}  // namespace kappa::sql
