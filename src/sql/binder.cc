#include "sql/binder.h"

#include <cctype>

#include "sql/binder_expr.h"
#include "sql/binder_select.h"
#include "sql/plan_util.h"
#include "sql/source_error.h"
#include "sql/type_rules.h"

namespace kappa::sql {

Binder::Binder(std::string_view sql, const Catalog& catalog, BindMode mode)
    : sql_(sql), catalog_(catalog), mode_(mode) {}

Status Binder::Error(size_t pos, std::string_view message) const {
  return SyntaxError(sql_, pos, message);
}

Status Binder::ErrorFrom(size_t pos, const Status& status) const {
  return Status(status.code(), FormatSourceError(sql_, pos, status.message()));
}

std::string Binder::Text(const ast::Expr& e) const {
  std::string out;
  size_t end = std::min(e.end, sql_.size());
  bool space = false;
  for (size_t i = std::min(e.pos, end); i < end; ++i) {
    if (std::isspace(static_cast<unsigned char>(sql_[i]))) {
      space = true;
      continue;
    }
    if (space && !out.empty()) out += ' ';
    space = false;
    out += sql_[i];
  }
  return out;
}

Status Binder::CheckComplete(const Relation& rel) const {
  if (!rel.rank) return OkStatus();
  return Error(rel.rank->pos,
               "ROW_NUMBER() needs the enclosing query to filter the row number: "
               "WHERE rownum <= N (Top-N) or WHERE rownum = 1 (deduplication)");
}

Result<Relation> Binder::BindQuery(const ast::Query& query) {
  ASSIGN_OR_RETURN(Relation rel, BindQueryAllowRank(query));
  RETURN_IF_ERROR(CheckComplete(rel));
  return rel;
}

namespace {

// ORDER BY keys of a UNION ALL or WITH query: output names or ordinals.
Result<std::vector<SortKey>> OutputOrder(const Binder& binder, const Relation& rel,
                                         const std::vector<ast::OrderItem>& items) {
  std::vector<SortKey> out;
  for (const ast::OrderItem& item : items) {
    const ast::Expr& e = *item.expr;
    ExprPtr key;
    if (e.kind == ast::ExprKind::kLiteral && e.literal == ast::LiteralKind::kInteger) {
      size_t n = e.value.size() > 9 ? 0 : std::stoul(e.value);
      if (n < 1 || n > rel.plan->schema.size()) {
        return binder.Error(e.pos, fmt::format("ORDER BY position {} is not in the select list "
                                               "(1 to {})", e.value, rel.plan->schema.size()));
      }
      const columnar::Field& f = rel.plan->schema.field(n - 1);
      key = ColumnRef(static_cast<int>(n - 1), f.type, f.name, f.nullable);
    } else {
      ExprBinder eb(binder, rel, "ORDER BY");
      ASSIGN_OR_RETURN(key, eb.Bind(e));
    }
    out.push_back({key, item.ascending, item.nulls_first.value_or(item.ascending)});
  }
  return out;
}

}  // namespace

Result<Relation> Binder::BindQueryAllowRank(const ast::Query& query) {
  if (!query.with.empty()) {
    with_.emplace_back();
    for (const ast::With& w : query.with) {
      auto rel = BindQuery(*w.query);
      if (!rel.ok()) {
        with_.pop_back();
        return rel.status();
      }
      for (ColumnName& c : rel->columns) c.qualifier = w.name;
      with_.back()[w.name] = std::move(*rel);
    }
    const ast::Query& body = *query.left;
    if (body.select && body.with.empty() && body.order_by.empty() && !body.limit &&
        body.offset == 0) {
      // WITH ... SELECT ... ORDER BY: the ORDER BY belongs to the outer query
      // (the parser puts it there), but binds like a plain SELECT's, with the
      // FROM scope: qualified names (a.id), select-item aliases, and hidden
      // sort keys, not only the output names.
      SelectBinder select(*this, *body.select, query.order_by);
      size_t visible = 0;
      std::vector<SortKey> sort;
      auto rel = select.Bind(&visible, &sort);
      with_.pop_back();
      if (!rel.ok()) return rel.status();
      return ApplyOrderLimit(std::move(*rel), query, visible, std::move(sort));
    }
    auto inner = BindQueryAllowRank(body);
    with_.pop_back();
    if (!inner.ok()) return inner;
    auto sort = OutputOrder(*this, *inner, query.order_by);
    if (!sort.ok()) return sort.status();
    size_t visible = inner->plan->schema.size();
    return ApplyOrderLimit(std::move(*inner), query, visible, std::move(*sort));
  }
  if (query.select) {
    SelectBinder select(*this, *query.select, query.order_by);
    size_t visible = 0;
    std::vector<SortKey> sort;
    ASSIGN_OR_RETURN(Relation rel, select.Bind(&visible, &sort));
    return ApplyOrderLimit(std::move(rel), query, visible, std::move(sort));
  }
  ASSIGN_OR_RETURN(Relation rel, BindUnion(query));
  ASSIGN_OR_RETURN(std::vector<SortKey> sort, OutputOrder(*this, rel, query.order_by));
  size_t visible = rel.plan->schema.size();
  return ApplyOrderLimit(std::move(rel), query, visible, std::move(sort));
}

Result<Relation> Binder::BindUnion(const ast::Query& query) {
  ASSIGN_OR_RETURN(Relation left, BindQuery(*query.left));
  ASSIGN_OR_RETURN(Relation right, BindQuery(*query.right));
  const columnar::Schema& ls = left.plan->schema;
  const columnar::Schema& rs = right.plan->schema;
  if (ls.size() != rs.size()) {
    return Error(query.right->pos, fmt::format("UNION ALL inputs have {} and {} columns", ls.size(),
                                               rs.size()));
  }
  std::vector<ExprPtr> lx, rx;
  std::vector<std::string> names;
  auto plan = std::make_shared<Plan>();
  plan->kind = PlanKind::kUnionAll;
  bool cast_left = false, cast_right = false;
  for (size_t i = 0; i < ls.size(); ++i) {
    const columnar::Field& lf = ls.field(i);
    const columnar::Field& rf = rs.field(i);
    auto common = CommonType(lf.type, rf.type);
    if (!common) {
      return Error(query.right->pos,
                   fmt::format("UNION ALL column {} ('{}') is {} on the left and {} on the right",
                               i + 1, lf.name, lf.type.ToString(), rf.type.ToString()));
    }
    lx.push_back(CastTo(ColumnRef(static_cast<int>(i), lf.type, lf.name, lf.nullable), *common));
    rx.push_back(CastTo(ColumnRef(static_cast<int>(i), rf.type, rf.name, rf.nullable), *common));
    cast_left = cast_left || !(lf.type == *common);
    cast_right = cast_right || !(rf.type == *common);
    names.push_back(lf.name);
    plan->schema.Add({lf.name, *common, lf.nullable || rf.nullable});
  }
  PlanPtr l = cast_left ? MakeProject(left.plan, lx, names) : left.plan;
  PlanPtr r = cast_right ? MakeProject(right.plan, rx, names) : right.plan;
  plan->inputs = {l, r};
  plan->updates = l->updates || r->updates;
  Relation out;
  out.plan = plan;
  for (const std::string& n : names) out.columns.push_back({n, ""});
  return out;
}

Result<Relation> Binder::ApplyOrderLimit(Relation rel, const ast::Query& query, size_t visible,
                                         std::vector<SortKey> sort) {
  bool has_limit = query.limit.has_value() || query.offset > 0;
  if (sort.empty() && !has_limit) return rel;
  if (rel.rank) {
    return Error(rel.rank->pos, "ROW_NUMBER() cannot be combined with ORDER BY or LIMIT in one "
                                "query; filter the row number in an enclosing query");
  }
  PlanPtr input = rel.plan;
  size_t order_pos = query.order_by.empty() ? query.limit_pos : query.order_by[0].expr->pos;
  if (mode_ == BindMode::kStreaming) {
    if (!sort.empty() && !query.limit) {
      return Unsupported(sql_, order_pos,
                         "ORDER BY without LIMIT in a streaming query (ORDER BY ... LIMIT n "
                         "is a Top-N; bounded queries may sort)");
    }
    if (query.offset > 0) return Unsupported(sql_, query.limit_pos, "OFFSET in a streaming query");
    auto p = std::make_shared<Plan>();
    p->kind = sort.empty() ? PlanKind::kLimit : PlanKind::kTopN;
    p->inputs = {input};
    p->schema = input->schema;
    p->sort = std::move(sort);
    p->limit = *query.limit;
    p->updates = p->kind == PlanKind::kTopN || input->updates;
    rel.plan = p;
  } else {
    if (!sort.empty()) {
      auto p = std::make_shared<Plan>();
      p->kind = PlanKind::kSort;
      p->inputs = {input};
      p->schema = input->schema;
      p->sort = std::move(sort);
      input = p;
    }
    if (has_limit) {
      auto p = std::make_shared<Plan>();
      p->kind = PlanKind::kLimit;
      p->inputs = {input};
      p->schema = input->schema;
      p->limit = query.limit.value_or(-1);
      p->offset = query.offset;
      input = p;
    }
    rel.plan = input;
  }
  rel.plan = MakeTrim(rel.plan, visible);
  rel.columns.resize(visible);
  return rel;
}

}  // namespace kappa::sql
