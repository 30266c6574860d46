// CREATE TABLE (columns, computed columns, WATERMARK, PRIMARY KEY, options),
// CREATE VIEW, and INSERT INTO with the mapping onto the sink's columns.
#include <set>

#include "sql/binder.h"
#include "sql/binder_expr.h"
#include "sql/plan_util.h"
#include "sql/type_rules.h"

namespace kappa::sql {

using columnar::TypeId;

namespace {

Relation ScopeOf(const columnar::Schema& schema) {
  auto plan = std::make_shared<Plan>();
  plan->schema = schema;
  Relation rel;
  rel.plan = plan;
  for (const columnar::Field& f : schema.fields()) rel.columns.push_back({f.name, ""});
  return rel;
}

bool IsTimestamp(const DataType& t) {
  return t.id() == TypeId::kTimestamp || t.id() == TypeId::kTimestampLtz;
}

}  // namespace

Result<std::shared_ptr<TableDef>> Binder::BindCreateTable(const ast::CreateTable& ct) {
  auto table = std::make_shared<TableDef>();
  table->name = ct.name;
  for (const ast::ColumnDef& c : ct.columns) {
    if (!c.computed) table->physical.Add({c.name, c.type, !c.not_null});
  }
  table->schema = table->physical;
  Relation physical = ScopeOf(table->physical);
  for (const ast::ColumnDef& c : ct.columns) {
    if (!c.computed) continue;
    ExprBinder eb(*this, physical, "a computed column");
    ASSIGN_OR_RETURN(ExprPtr e, eb.Bind(*c.computed));
    if (e->type.id() == TypeId::kNull) {
      return Error(c.computed->pos, "a computed column needs a type: CAST(NULL AS type)");
    }
    table->schema.Add({c.name, e->type, e->nullable});
    table->computed.push_back(std::move(e));
  }
  auto index_of = [&](const std::string& name, size_t pos, const char* what) -> Result<int> {
    int i = table->schema.IndexOf(name);
    if (i < 0) return Error(pos, fmt::format("{} column '{}' not found", what, name));
    return i;
  };
  if (!ct.watermark_column.empty()) {
    ASSIGN_OR_RETURN(int rowtime, index_of(ct.watermark_column, ct.watermark_pos,
                                           "WATERMARK FOR"));
    const DataType& t = table->schema.field(rowtime).type;
    if (!IsTimestamp(t)) {
      return Error(ct.watermark_pos,
                   fmt::format("WATERMARK FOR column '{}' must be TIMESTAMP(3) or "
                               "TIMESTAMP_LTZ(3), found {}", ct.watermark_column, t.ToString()));
    }
    // A named scope: ExprBinder keeps a reference to it (a temporary here
    // dangled as soon as eb was constructed; ASan: stack-use-after-scope).
    Relation scope = ScopeOf(table->schema);
    ExprBinder eb(*this, scope, "the WATERMARK expression");
    ASSIGN_OR_RETURN(ExprPtr wm, eb.Bind(*ct.watermark));
    if (!(wm->type == t)) {
      return Error(ct.watermark->pos, fmt::format("the WATERMARK expression must be {}, found {}",
                                                  t.ToString(), wm->type.ToString()));
    }
    table->rowtime = rowtime;
    table->watermark = wm;
  }
  for (const std::string& key : ct.primary_key) {
    ASSIGN_OR_RETURN(int i, index_of(key, ct.primary_key_pos, "PRIMARY KEY"));
    if (i >= static_cast<int>(table->physical.size())) {
      return Error(ct.primary_key_pos, fmt::format("PRIMARY KEY column '{}' is a computed column",
                                                   key));
    }
    table->primary_key.push_back(i);
  }
  if (!table->primary_key.empty()) {
    std::vector<columnar::Field> phys = table->physical.fields();
    std::vector<columnar::Field> all = table->schema.fields();
    for (int k : table->primary_key) phys[k].nullable = all[k].nullable = false;
    table->physical = columnar::Schema(std::move(phys));
    table->schema = columnar::Schema(std::move(all));
  }
  for (const std::string& p : ct.partitioned_by) {
    if (table->schema.IndexOf(p) < 0) {
      return Error(ct.as_query ? ct.as_query->pos : ct.primary_key_pos,
                   fmt::format("PARTITIONED BY column '{}' not found", p));
    }
  }
  table->partitioned_by = ct.partitioned_by;
  for (const auto& [k, v] : ct.options) table->options[k] = v;
  return table;
}

Result<std::shared_ptr<ViewDef>> Binder::BindCreateView(const ast::CreateView& cv) {
  ASSIGN_OR_RETURN(Relation rel, BindQuery(*cv.query));
  if (!cv.columns.empty()) {
    if (cv.columns.size() != rel.plan->schema.size()) {
      return Error(cv.query->pos, fmt::format("view '{}' names {} columns but its query has {}",
                                              cv.name, cv.columns.size(),
                                              rel.plan->schema.size()));
    }
    std::vector<ExprPtr> exprs;
    for (size_t i = 0; i < cv.columns.size(); ++i) {
      const columnar::Field& f = rel.plan->schema.field(i);
      exprs.push_back(ColumnRef(static_cast<int>(i), f.type, f.name, f.nullable));
    }
    rel.plan = MakeProject(rel.plan, std::move(exprs), cv.columns);
  }
  auto view = std::make_shared<ViewDef>();
  view->name = cv.name;
  view->sql = std::string(sql_.substr(cv.query->pos, cv.query->end - cv.query->pos));
  view->plan = rel.plan;
  return view;
}

Result<Insert> Binder::BindInsert(const ast::Insert& insert) {
  if (catalog_.FindView(insert.target)) {
    return Error(insert.target_pos, fmt::format("cannot INSERT INTO view '{}'", insert.target));
  }
  auto target = catalog_.FindTable(insert.target);
  if (!target) {
    return Error(insert.target_pos, fmt::format("table '{}' not found", insert.target));
  }
  ASSIGN_OR_RETURN(Relation rel, BindQuery(*insert.query));
  std::vector<size_t> item_pos;
  const ast::Query* q = insert.query.get();
  while (q && !q->select && q->left && !q->right) q = q->left.get();
  if (q && q->select) {
    for (const ast::SelectItem& item : q->select->items) {
      if (item.expr->kind == ast::ExprKind::kStar) {
        item_pos.clear();
        break;
      }
      item_pos.push_back(item.expr->pos);
    }
  }
  ASSIGN_OR_RETURN(PlanPtr plan, MapToSink(rel, *target, insert.columns, item_pos,
                                           insert.target_pos));
  return Insert{target, plan};
}

Result<PlanPtr> Binder::MapToSink(const Relation& source, const TableDef& target,
                                  const std::vector<std::pair<std::string, size_t>>& columns,
                                  const std::vector<size_t>& item_pos, size_t pos) {
  const columnar::Schema& sink = target.physical;
  const columnar::Schema& in = source.plan->schema;
  std::vector<int> from(sink.size(), -1);
  if (columns.empty()) {
    if (in.size() != sink.size()) {
      return Error(pos, fmt::format("INSERT INTO {}: the query has {} columns but the table has {} "
                                    "({})", target.name, in.size(), sink.size(),
                                    sink.ToString()));
    }
    for (size_t i = 0; i < sink.size(); ++i) from[i] = static_cast<int>(i);
  } else {
    if (columns.size() != in.size()) {
      return Error(pos, fmt::format("INSERT INTO {}: the query has {} columns but the column list "
                                    "names {}", target.name, in.size(), columns.size()));
    }
    for (size_t i = 0; i < columns.size(); ++i) {
      const auto& [name, name_pos] = columns[i];
      int j = sink.IndexOf(name);
      if (j < 0) {
        bool computed = target.schema.IndexOf(name) >= 0;
        return Error(name_pos, computed ? fmt::format("cannot INSERT INTO computed column '{}'",
                                                      name)
                                        : fmt::format("column '{}' not found in table '{}'",
                                                      name, target.name));
      }
      if (from[j] >= 0) return Error(name_pos, fmt::format("column '{}' is listed twice", name));
      from[j] = static_cast<int>(i);
    }
  }
  // The query's own projection folds into the sink's: each source column is
  // read at most once, so nothing is computed twice.
  PlanPtr input = source.plan;
  const bool fold = input->kind == PlanKind::kProject;
  if (fold) input = input->inputs[0];
  std::vector<ExprPtr> exprs;
  std::vector<std::string> names;
  for (size_t j = 0; j < sink.size(); ++j) {
    const columnar::Field& out = sink.field(j);
    names.push_back(out.name);
    if (from[j] < 0) {
      if (!out.nullable) {
        return Error(pos, fmt::format("INSERT INTO {}: column '{}' is NOT NULL and not in the "
                                      "column list", target.name, out.name));
      }
      exprs.push_back(Literal(columnar::Value::Null(out.type), "NULL"));
      continue;
    }
    const columnar::Field& f = in.field(from[j]);
    ExprPtr e = fold ? source.plan->exprs[from[j]] : ColumnRef(from[j], f.type, f.name, f.nullable);
    if (!CanAssign(f.type, out.type)) {
      size_t at = static_cast<size_t>(from[j]) < item_pos.size() ? item_pos[from[j]] : pos;
      return Error(at, fmt::format("INSERT INTO {}: column '{}' is {} but the query gives {}",
                                   target.name, out.name, out.type.ToString(),
                                   f.type.ToString()));
    }
    exprs.push_back(CastTo(e, out.type));
  }
  auto plan = std::make_shared<Plan>(*MakeProject(input, std::move(exprs), names));
  plan->schema = sink;
  if (plan->updates && target.primary_key.empty()) {
    return Error(pos, fmt::format("INSERT INTO {}: the query produces updates (an unbounded GROUP "
                                  "BY, an outer join or a Top-N) but '{}' has no PRIMARY KEY; "
                                  "declare PRIMARY KEY (...) NOT ENFORCED", target.name,
                                  target.name));
  }
  return plan;
}

}  // namespace kappa::sql
