// ROW_NUMBER() OVER (PARTITION BY .. ORDER BY ..): bound as a kTopN without
// a limit, then folded by the enclosing query's filter on the row number
// into a Top-N (rownum <= N) or, when N = 1 and the order is a time
// attribute, a deduplication (ORDER BY time ASC keeps the first row, DESC
// the last). The row number column is kept only if the query reads it.
#include "sql/binder_select.h"
#include "sql/plan_util.h"
#include "sql/source_error.h"

namespace kappa::sql {

using columnar::Value;

Status SelectBinder::BindRowNumber(size_t item_index) {
  const Item& item = items_[item_index];
  const ast::Expr& e = *item.expr;
  ExprBinder eb(b_, input_, "OVER");
  const int n = static_cast<int>(input_.plan->schema.size());
  std::vector<ExprPtr> extra;
  auto column_of = [&](const ExprPtr& bound) {
    if (bound->kind == ExprKind::kColumn) return bound->column;
    extra.push_back(bound);
    return n + static_cast<int>(extra.size()) - 1;
  };
  auto topn = std::make_shared<Plan>();
  topn->kind = PlanKind::kTopN;
  for (const ast::ExprPtr& p : e.partition_by) {
    ASSIGN_OR_RETURN(ExprPtr bound, eb.Bind(*p));
    topn->partition_keys.push_back(column_of(bound));
  }
  for (const ast::OrderItem& o : e.order_by) {
    ASSIGN_OR_RETURN(ExprPtr bound, eb.Bind(*o.expr));
    int col = column_of(bound);
    ExprPtr key = ColumnRef(col, bound->type, bound->text, bound->nullable);
    topn->sort.push_back({key, o.ascending, o.nulls_first.value_or(o.ascending)});
  }
  PlanPtr input = input_.plan;
  if (!extra.empty()) {
    std::vector<ExprPtr> exprs;
    std::vector<std::string> names;
    for (int i = 0; i < n; ++i) {
      const columnar::Field& f = input->schema.field(i);
      exprs.push_back(ColumnRef(i, f.type, f.name, f.nullable));
      names.push_back(f.name);
    }
    for (size_t i = 0; i < extra.size(); ++i) {
      exprs.push_back(extra[i]);
      names.push_back("$over" + std::to_string(i));
    }
    input = MakeProject(input, std::move(exprs), names);
  }
  topn->inputs = {input};
  topn->schema = input->schema;
  topn->schema.Add({item.name, DataType::Int64(), false});
  topn->updates = input->updates;
  int rn = static_cast<int>(topn->schema.size()) - 1;
  exprs_[item_index] = ColumnRef(rn, DataType::Int64(), item.name, false);
  base_ = topn;
  rank_ = std::make_shared<PendingRank>();
  rank_->topn = topn;
  rank_->pos = item.pos;
  return OkStatus();
}

namespace {

bool Mentions(const ast::Expr& e, const std::string& name) {
  if (e.kind == ast::ExprKind::kStar) return true;
  if (e.kind == ast::ExprKind::kColumn && e.names.back() == name) return true;
  for (const ast::ExprPtr& a : e.args) {
    if (a && Mentions(*a, name)) return true;
  }
  for (const auto& [w, t] : e.whens) {
    if (Mentions(*w, name) || Mentions(*t, name)) return true;
  }
  for (const ast::ExprPtr& x : {e.operand, e.else_expr, e.filter}) {
    if (x && Mentions(*x, name)) return true;
  }
  for (const ast::ExprPtr& p : e.partition_by) {
    if (Mentions(*p, name)) return true;
  }
  for (const ast::OrderItem& o : e.order_by) {
    if (Mentions(*o.expr, name)) return true;
  }
  return false;
}

void Collect(const ast::ExprPtr& e, const ast::Expr* skip, std::vector<const ast::Expr*>* out) {
  if (!e || e.get() == skip) return;
  if (e->kind == ast::ExprKind::kBinary && e->op == "AND") {
    Collect(e->args[0], skip, out);
    Collect(e->args[1], skip, out);
    return;
  }
  out->push_back(e.get());
}

}  // namespace

bool SelectBinder::MentionsName(const std::string& name, const ast::Expr* skip) const {
  std::vector<const ast::Expr*> exprs;
  for (const ast::SelectItem& item : s_.items) exprs.push_back(item.expr.get());
  for (const ast::ExprPtr& g : s_.group_by) exprs.push_back(g.get());
  if (s_.having) exprs.push_back(s_.having.get());
  for (const ast::OrderItem& o : order_by_) exprs.push_back(o.expr.get());
  Collect(s_.where, skip, &exprs);
  for (const ast::Expr* e : exprs) {
    if (Mentions(*e, name)) return true;
  }
  return false;
}

Status SelectBinder::FoldRank(std::vector<ast::ExprPtr>* conjuncts) {
  const PendingRank& rank = *input_.rank;
  const int rn = static_cast<int>(rank.topn->schema.size()) - 1;
  auto is_rn = [&](int j) {
    const Expr& e = *rank.exprs[j];
    return e.kind == ExprKind::kColumn && e.column == rn;
  };
  int64_t limit = -1;
  size_t found = conjuncts->size();
  for (size_t i = 0; i < conjuncts->size() && found == conjuncts->size(); ++i) {
    const ast::Expr& c = *(*conjuncts)[i];
    if (c.kind != ast::ExprKind::kBinary) continue;
    std::string op = c.op;
    const ast::Expr* col = c.args[0].get();
    const ast::Expr* lit = c.args[1].get();
    if (col->kind == ast::ExprKind::kLiteral) {
      std::swap(col, lit);
      op = op == "<" ? ">" : op == ">" ? "<" : op == "<=" ? ">=" : op == ">=" ? "<=" : op;
    }
    if (col->kind != ast::ExprKind::kColumn || lit->kind != ast::ExprKind::kLiteral ||
        lit->literal != ast::LiteralKind::kInteger || lit->value.size() > 15) {
      continue;
    }
    ExprBinder eb(b_, input_, "WHERE");
    auto bound = eb.Bind(*col);
    if (!bound.ok() || (*bound)->kind != ExprKind::kColumn || !is_rn((*bound)->column)) continue;
    int64_t v = std::stoll(lit->value);
    if (op == "<=") {
      limit = v;
    } else if (op == "<") {
      limit = v - 1;
    } else if (op == "=") {
      if (v != 1) {
        return Unsupported(b_.sql(), c.pos, "a row number filter = N other than 1 (use <= N)");
      }
      limit = 1;
    } else {
      continue;
    }
    if (limit < 1) return b_.Error(c.pos, "this row number filter keeps no rows");
    found = i;
  }
  if (found == conjuncts->size()) return b_.CheckComplete(input_);
  const ast::Expr* folded = (*conjuncts)[found].get();
  conjuncts->erase(conjuncts->begin() + static_cast<long>(found));

  const PlanPtr& input = rank.topn->inputs[0];
  const std::vector<SortKey>& sort = rank.topn->sort;
  bool dedup = limit == 1 && sort.size() == 1 && sort[0].expr->kind == ExprKind::kColumn &&
               TimeAttributes(*input)[sort[0].expr->column] != TimeAttribute::kNone;
  bool keep_rn = false;
  for (size_t j = 0; j < rank.exprs.size(); ++j) {
    if (is_rn(static_cast<int>(j))) keep_rn = keep_rn || MentionsName(rank.names[j], folded);
  }
  keep_rn = keep_rn && !dedup;
  bool streaming = b_.mode() == BindMode::kStreaming;
  auto node = std::make_shared<Plan>(*rank.topn);
  node->inputs = {input};
  node->updates = streaming;
  node->unique_key.clear();
  if (dedup) {
    node->kind = PlanKind::kDeduplicate;
    node->schema = input->schema;
    node->keep_last = !sort[0].ascending;
    node->limit = -1;
    if (streaming) node->unique_key = node->partition_keys;
  } else {
    node->limit = limit;
    if (!keep_rn) node->schema = input->schema;
    if (streaming && keep_rn) {
      node->unique_key = node->partition_keys;
      node->unique_key.push_back(rn);
    }
  }
  std::vector<ExprPtr> exprs;
  std::vector<std::string> names;
  Relation out;
  for (size_t j = 0; j < rank.exprs.size(); ++j) {
    ExprPtr e = rank.exprs[j];
    if (is_rn(static_cast<int>(j))) {
      if (dedup) {
        e = Literal(Value::Int64(1), "1");
      } else if (!keep_rn) {
        continue;
      }
    }
    exprs.push_back(e);
    names.push_back(rank.names[j]);
    out.columns.push_back(input_.columns[j]);
  }
  out.plan = MakeProject(node, std::move(exprs), names);
  input_ = std::move(out);
  return OkStatus();
}

}  // namespace kappa::sql
