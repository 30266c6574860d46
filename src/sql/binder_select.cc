#include "sql/binder_select.h"

#include "sql/functions.h"
#include "sql/plan_util.h"
#include "sql/source_error.h"

namespace kappa::sql {

SelectBinder::SelectBinder(Binder& binder, const ast::Select& select,
                           const std::vector<ast::OrderItem>& order_by)
    : b_(binder), s_(select), order_by_(order_by) {}

bool ContainsAggregate(const ast::Expr& e) {
  if (e.kind == ast::ExprKind::kCall && IsAggregateFunction(e.op)) return true;
  if (e.kind == ast::ExprKind::kRowNumber) return false;
  for (const ast::ExprPtr& a : e.args) {
    if (a && ContainsAggregate(*a)) return true;
  }
  if (e.operand && ContainsAggregate(*e.operand)) return true;
  for (const auto& [w, t] : e.whens) {
    if (ContainsAggregate(*w) || ContainsAggregate(*t)) return true;
  }
  return e.else_expr && ContainsAggregate(*e.else_expr);
}

Result<Relation> SelectBinder::Bind(size_t* visible, std::vector<SortKey>* sort) {
  RETURN_IF_ERROR(BindFrom());
  RETURN_IF_ERROR(BindWhere());
  RETURN_IF_ERROR(ExpandItems());
  aggregating_ = !s_.group_by.empty() || s_.having || HasAggregates();
  if (aggregating_) {
    RETURN_IF_ERROR(BindAggregate());
  } else {
    RETURN_IF_ERROR(BindItems());
  }
  *visible = exprs_.size();
  RETURN_IF_ERROR(BindOrderBy(sort));
  if (aggregating_) RETURN_IF_ERROR(FinishAggregate());
  if (rank_ && (s_.distinct || !sort->empty())) {
    return b_.Error(rank_->pos, "ROW_NUMBER() cannot be combined with DISTINCT or ORDER BY in "
                                "one SELECT");
  }
  std::vector<std::string> names(names_.begin(), names_.begin() + *visible);
  names = UniqueNames(std::move(names));
  for (size_t i = *visible; i < names_.size(); ++i) names.push_back("$order" + std::to_string(i));
  // Keys on select items show the output name (id0 for the second "id").
  for (SortKey& key : *sort) {
    size_t c = static_cast<size_t>(key.expr->column);
    if (c < *visible) key.expr = ColumnRef(key.expr->column, key.expr->type, names[c], key.expr->nullable);
  }
  Relation out;
  out.plan = MakeProject(base_, exprs_, names);
  for (size_t i = 0; i < names.size(); ++i) out.columns.push_back({names[i], ""});
  if (rank_) {
    rank_->exprs = exprs_;
    rank_->names = names;
    out.rank = rank_;
  }
  if (s_.distinct) {
    if (names.size() > *visible) {
      return b_.Error(order_by_[0].expr->pos,
                      "ORDER BY expressions must appear in the SELECT DISTINCT list");
    }
    auto agg = std::make_shared<Plan>();
    agg->kind = PlanKind::kAggregate;
    agg->inputs = {out.plan};
    agg->schema = out.plan->schema;
    for (size_t i = 0; i < names.size(); ++i) agg->group_keys.push_back(static_cast<int>(i));
    agg->updates = out.plan->updates;
    agg->unique_key = agg->group_keys;
    out.plan = agg;
  }
  return out;
}

Status SelectBinder::BindFrom() {
  if (!s_.from) {
    auto values = std::make_shared<Plan>();
    values->kind = PlanKind::kValues;
    values->rows = {{}};
    input_.plan = values;
    return OkStatus();
  }
  ASSIGN_OR_RETURN(input_, b_.BindTableRef(*s_.from));
  return OkStatus();
}

namespace {

void SplitAnd(const ast::ExprPtr& e, std::vector<ast::ExprPtr>* out) {
  if (e->kind == ast::ExprKind::kBinary && e->op == "AND") {
    SplitAnd(e->args[0], out);
    SplitAnd(e->args[1], out);
  } else {
    out->push_back(e);
  }
}

}  // namespace

Status SelectBinder::BindWhere() {
  std::vector<ast::ExprPtr> conjuncts;
  if (s_.where) SplitAnd(s_.where, &conjuncts);
  if (input_.rank) RETURN_IF_ERROR(FoldRank(&conjuncts));
  if (conjuncts.empty()) return OkStatus();
  std::vector<ExprPtr> bound;
  ExprBinder eb(b_, input_, "WHERE");
  for (const ast::ExprPtr& c : conjuncts) {
    if (ContainsAggregate(*c)) {
      return b_.Error(c->pos, "aggregate functions are not allowed in WHERE (use HAVING)");
    }
    ASSIGN_OR_RETURN(ExprPtr e, eb.BindPredicate(*c));
    bound.push_back(std::move(e));
  }
  ASSIGN_OR_RETURN(input_.plan, PushConjuncts(input_.plan, std::move(bound), b_.mode()));
  return OkStatus();
}

Result<PlanPtr> PushConjuncts(const PlanPtr& plan, std::vector<ExprPtr> conjuncts,
                              BindMode mode) {
  if (conjuncts.empty()) return plan;
  if (plan->kind != PlanKind::kJoin || plan->join != JoinKind::kInner) {
    return MakeFilter(plan, Conjunction(conjuncts));
  }
  const PlanPtr& left = plan->inputs[0];
  const PlanPtr& right = plan->inputs[1];
  const int nl = static_cast<int>(left->schema.size());
  std::vector<ExprPtr> to_left, to_right, to_join;
  std::vector<int> right_map(plan->schema.size(), 0);
  for (size_t i = nl; i < right_map.size(); ++i) right_map[i] = static_cast<int>(i) - nl;
  for (const ExprPtr& c : conjuncts) {
    std::vector<int> cols;
    CollectColumns(*c, &cols);
    bool l = false, r = false;
    for (int col : cols) (col < nl ? l : r) = true;
    if (l && !r) {
      to_left.push_back(c);
    } else if (r && !l) {
      to_right.push_back(RemapColumns(c, right_map));
    } else {
      to_join.push_back(c);
    }
  }
  // The join's existing condition, as conjuncts over its output.
  for (size_t i = 0; i < plan->left_keys.size(); ++i) {
    const columnar::Field& lf = left->schema.field(plan->left_keys[i]);
    const columnar::Field& rf = right->schema.field(plan->right_keys[i]);
    ExprPtr a = ColumnRef(plan->left_keys[i], lf.type, lf.name, lf.nullable);
    ExprPtr b = ColumnRef(nl + plan->right_keys[i], rf.type, rf.name, rf.nullable);
    to_join.insert(to_join.begin(), Call("=", {a, b}, DataType::Boolean(),
                                         lf.name + " = " + rf.name, lf.nullable || rf.nullable));
  }
  for (const ExprPtr& c : SplitConjuncts(plan->predicate)) to_join.push_back(c);
  ASSIGN_OR_RETURN(PlanPtr new_left, PushConjuncts(left, std::move(to_left), mode));
  ASSIGN_OR_RETURN(PlanPtr new_right, PushConjuncts(right, std::move(to_right), mode));
  return MakeJoin(new_left, new_right, JoinKind::kInner, to_join, mode);
}

Status SelectBinder::ExpandItems() {
  for (size_t i = 0; i < s_.items.size(); ++i) {
    const ast::SelectItem& item = s_.items[i];
    const ast::Expr& e = *item.expr;
    if (e.kind != ast::ExprKind::kStar) {
      Item out;
      out.expr = &e;
      out.pos = e.pos;
      if (!item.alias.empty()) {
        out.name = item.alias;
      } else if (e.kind == ast::ExprKind::kColumn) {
        out.name = e.names.back();
      } else {
        out.name = DefaultName(items_.size());
      }
      items_.push_back(std::move(out));
      continue;
    }
    std::string qualifier = e.names.empty() ? "" : e.names.back();
    bool found = false;
    for (size_t c = 0; c < input_.columns.size(); ++c) {
      if (!qualifier.empty() && input_.columns[c].qualifier != qualifier) continue;
      if (input_.columns[c].name.rfind("$", 0) == 0) continue;
      found = true;
      items_.push_back({nullptr, static_cast<int>(c), input_.columns[c].name, e.pos});
    }
    if (!found) {
      return b_.Error(e.pos, qualifier.empty() ? std::string("SELECT * over no columns")
                                               : fmt::format("table '{}' not found in FROM",
                                                             qualifier));
    }
  }
  return OkStatus();
}

bool SelectBinder::HasAggregates() const {
  for (const Item& item : items_) {
    if (item.expr && ContainsAggregate(*item.expr)) return true;
  }
  return false;
}

Status SelectBinder::BindItems() {
  base_ = input_.plan;
  ExprBinder eb(b_, input_, "SELECT");
  for (size_t i = 0; i < items_.size(); ++i) {
    const Item& item = items_[i];
    if (item.expr && item.expr->kind == ast::ExprKind::kRowNumber) {
      if (rank_) return b_.Error(item.pos, "a SELECT may have one ROW_NUMBER()");
      exprs_.push_back(nullptr);  // filled by BindRowNumber
      names_.push_back(item.name);
      continue;
    }
    if (item.expr) {
      ASSIGN_OR_RETURN(ExprPtr e, eb.Bind(*item.expr));
      exprs_.push_back(std::move(e));
    } else {
      const columnar::Field& f = input_.plan->schema.field(item.column);
      exprs_.push_back(ColumnRef(item.column, f.type, item.name, f.nullable));
    }
    names_.push_back(item.name);
  }
  for (size_t i = 0; i < items_.size(); ++i) {
    if (!exprs_[i]) RETURN_IF_ERROR(BindRowNumber(i));
  }
  return OkStatus();
}

Result<ExprPtr> SelectBinder::BindItemExpr(const ast::Expr& e, const char* clause) {
  if (!aggregating_) {
    ExprBinder eb(b_, input_, clause);
    return eb.Bind(e);
  }
  ExprBinder eb(b_, agg_, clause);
  eb.set_hook([this](const ast::Expr& node) { return AggregateHook(node); });
  return eb.Bind(e);
}

Status SelectBinder::BindOrderBy(std::vector<SortKey>* sort) {
  for (const ast::OrderItem& item : order_by_) {
    const ast::Expr& e = *item.expr;
    int index = -1;
    if (e.kind == ast::ExprKind::kLiteral && e.literal == ast::LiteralKind::kInteger) {
      size_t n = e.value.size() > 9 ? 0 : std::stoul(e.value);
      if (n < 1 || n > items_.size()) {
        return b_.Error(e.pos, fmt::format("ORDER BY position {} is not in the select list (1 to "
                                           "{})", e.value, items_.size()));
      }
      index = static_cast<int>(n - 1);
    } else if (e.kind == ast::ExprKind::kColumn && e.names.size() == 1) {
      for (size_t i = 0; i < items_.size(); ++i) {
        if (names_[i] != e.names[0]) continue;
        if (index >= 0) {
          return b_.Error(e.pos, fmt::format("ORDER BY '{}' is ambiguous", e.names[0]));
        }
        index = static_cast<int>(i);
      }
    }
    if (index < 0) {
      ASSIGN_OR_RETURN(ExprPtr bound, BindItemExpr(e, "ORDER BY"));
      std::string fp = Fingerprint(*bound);
      for (size_t i = 0; i < exprs_.size() && index < 0; ++i) {
        if (exprs_[i] && Fingerprint(*exprs_[i]) == fp) index = static_cast<int>(i);
      }
      if (index < 0) {
        index = static_cast<int>(exprs_.size());
        exprs_.push_back(bound);
        names_.push_back("$order");
      }
    }
    const ExprPtr& target = exprs_[index];
    const std::string& text = names_[index] == "$order" ? target->text : names_[index];
    ExprPtr key = ColumnRef(index, target->type, text, target->nullable);
    sort->push_back({key, item.ascending, item.nulls_first.value_or(item.ascending)});
  }
  return OkStatus();
}

}  // namespace kappa::sql
