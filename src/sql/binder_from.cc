// FROM items: tables (with computed columns, watermarks, time travel),
// views, WITH queries, subqueries, joins and window TVFs.
#include <set>

#include "sql/binder.h"
#include "sql/binder_expr.h"
#include "sql/plan_util.h"
#include "sql/source_error.h"

namespace kappa::sql {

using columnar::TypeId;

namespace {

Relation Qualified(PlanPtr plan, const std::string& qualifier) {
  Relation rel;
  for (const columnar::Field& f : plan->schema.fields()) rel.columns.push_back({f.name, qualifier});
  rel.plan = std::move(plan);
  return rel;
}

std::string LastPart(const std::string& name) {
  size_t dot = name.rfind('.');
  return dot == std::string::npos ? name : name.substr(dot + 1);
}

}  // namespace

Result<Relation> Binder::BindTableRef(const ast::TableRef& ref) {
  switch (ref.kind) {
    case ast::TableRefKind::kTable: return BindNamedTable(ref);
    case ast::TableRefKind::kSubquery: {
      ASSIGN_OR_RETURN(Relation rel, BindQueryAllowRank(*ref.query));
      for (ColumnName& c : rel.columns) c.qualifier = ref.alias;
      return rel;
    }
    case ast::TableRefKind::kJoin: return BindJoin(ref);
    case ast::TableRefKind::kWindow: return BindWindow(ref);
  }
  return Error(ref.pos, "unknown FROM item");
}

Result<Relation> Binder::BindNamedTable(const ast::TableRef& ref) {
  std::string qualifier = ref.alias.empty() ? LastPart(ref.name) : ref.alias;
  bool travel = ref.as_of || ref.version;
  for (auto it = with_.rbegin(); it != with_.rend(); ++it) {
    auto found = it->find(ref.name);
    if (found == it->end()) continue;
    if (travel) return Error(ref.pos, "time travel applies to tables, not to WITH queries");
    Relation rel = found->second;
    for (ColumnName& c : rel.columns) c.qualifier = qualifier;
    return rel;
  }
  if (auto view = catalog_.FindView(ref.name)) {
    if (travel) return Error(ref.pos, "time travel applies to tables, not to views");
    return Qualified(view->plan, qualifier);
  }
  auto table = catalog_.FindTable(ref.name);
  if (!table) return Error(ref.pos, fmt::format("table '{}' not found", ref.name));
  return BindTable(std::move(table), ref);
}

Result<Relation> Binder::BindTable(std::shared_ptr<const TableDef> table, const ast::TableRef& ref) {
  if (ref.as_of || ref.version) {
    if (mode_ == BindMode::kStreaming) {
      return Error(ref.pos, "time travel (FOR SYSTEM_TIME AS OF / FOR VERSION AS OF) is only "
                            "supported in queries, not in pipelines");
    }
    auto copy = std::make_shared<TableDef>(*table);
    if (ref.version) {
      copy->options["snapshot-id"] = std::to_string(*ref.version);
    } else {
      Relation empty = Qualified(std::make_shared<Plan>(), "");
      ExprBinder eb(*this, empty, "FOR SYSTEM_TIME AS OF");
      auto bound = eb.Bind(*ref.as_of);
      if (!bound.ok() || (*bound)->kind != ExprKind::kLiteral) {
        return Unsupported(sql_, ref.as_of->pos,
                           "temporal joins (FOR SYSTEM_TIME AS OF needs a TIMESTAMP literal)");
      }
      const columnar::Value& v = (*bound)->literal;
      TypeId t = v.type().id();
      if (v.is_null() || (t != TypeId::kTimestamp && t != TypeId::kTimestampLtz)) {
        return Error(ref.as_of->pos, fmt::format("FOR SYSTEM_TIME AS OF needs a TIMESTAMP, found "
                                                 "{}", v.type().ToString()));
      }
      copy->options["as-of-timestamp"] = std::to_string(v.int64());
    }
    table = copy;
  }
  auto scan = std::make_shared<Plan>();
  scan->kind = PlanKind::kScan;
  scan->table = table;
  scan->schema = table->physical;
  PlanPtr plan = scan;
  if (!table->computed.empty()) {
    std::vector<ExprPtr> exprs;
    std::vector<std::string> names;
    for (size_t i = 0; i < table->physical.size(); ++i) {
      const columnar::Field& f = table->physical.field(i);
      exprs.push_back(ColumnRef(static_cast<int>(i), f.type, f.name, f.nullable));
    }
    for (const ExprPtr& e : table->computed) exprs.push_back(e);
    for (const columnar::Field& f : table->schema.fields()) names.push_back(f.name);
    plan = MakeProject(plan, std::move(exprs), names);
  }
  if (table->rowtime) {
    auto wm = std::make_shared<Plan>();
    wm->kind = PlanKind::kWatermark;
    wm->inputs = {plan};
    wm->schema = plan->schema;
    wm->rowtime = *table->rowtime;
    wm->watermark = table->watermark;
    plan = wm;
  }
  return Qualified(plan, ref.alias.empty() ? LastPart(ref.name) : ref.alias);
}

Result<PlanPtr> MakeJoin(const PlanPtr& left, const PlanPtr& right, JoinKind kind,
                         const std::vector<ExprPtr>& conjuncts, BindMode mode) {
  const int nl = static_cast<int>(left->schema.size());
  const int nr = static_cast<int>(right->schema.size());
  std::vector<ExprPtr> left_extra, right_extra, residual;
  std::vector<int> left_keys, right_keys;
  auto side = [&](const Expr& e) {  // 1 left only, 2 right only, 0 neither/both
    std::vector<int> cols;
    CollectColumns(e, &cols);
    if (cols.empty()) return 0;
    bool l = false, r = false;
    for (int c : cols) (c < nl ? l : r) = true;
    return l && r ? 0 : (l ? 1 : 2);
  };
  std::vector<int> to_right(nl + nr, 0);
  for (int i = nl; i < nl + nr; ++i) to_right[i] = i - nl;
  for (const ExprPtr& c : conjuncts) {
    if (c->kind == ExprKind::kCall && c->function == "=") {
      int a = side(*c->args[0]), b = side(*c->args[1]);
      if (a + b == 3) {
        ExprPtr le = a == 1 ? c->args[0] : c->args[1];
        ExprPtr re = RemapColumns(a == 1 ? c->args[1] : c->args[0], to_right);
        auto key = [](const ExprPtr& e, int base, std::vector<ExprPtr>* extra) {
          if (e->kind == ExprKind::kColumn) return e->column;
          extra->push_back(e);
          return base + static_cast<int>(extra->size()) - 1;
        };
        left_keys.push_back(key(le, nl, &left_extra));
        right_keys.push_back(key(re, nr, &right_extra));
        continue;
      }
    }
    residual.push_back(c);
  }
  auto extend = [](const PlanPtr& in, const std::vector<ExprPtr>& extra) {
    if (extra.empty()) return in;
    std::vector<ExprPtr> exprs;
    std::vector<std::string> names;
    for (size_t i = 0; i < in->schema.size(); ++i) {
      const columnar::Field& f = in->schema.field(i);
      exprs.push_back(ColumnRef(static_cast<int>(i), f.type, f.name, f.nullable));
      names.push_back(f.name);
    }
    for (size_t i = 0; i < extra.size(); ++i) {
      exprs.push_back(extra[i]);
      names.push_back("$key" + std::to_string(i));
    }
    return MakeProject(in, std::move(exprs), names);
  };
  PlanPtr l = extend(left, left_extra), r = extend(right, right_extra);
  const int nl2 = static_cast<int>(l->schema.size());
  std::vector<int> shift(nl + nr);
  for (int i = 0; i < nl + nr; ++i) shift[i] = i < nl ? i : i - nl + nl2;
  for (ExprPtr& e : residual) e = RemapColumns(e, shift);
  auto join = std::make_shared<Plan>();
  join->kind = PlanKind::kJoin;
  join->join = kind;
  join->inputs = {l, r};
  bool left_nullable = kind == JoinKind::kRight || kind == JoinKind::kFull;
  bool right_nullable = kind == JoinKind::kLeft || kind == JoinKind::kFull;
  for (columnar::Field f : l->schema.fields()) {
    f.nullable = f.nullable || left_nullable;
    join->schema.Add(std::move(f));
  }
  for (columnar::Field f : r->schema.fields()) {
    f.nullable = f.nullable || right_nullable;
    join->schema.Add(std::move(f));
  }
  join->left_keys = std::move(left_keys);
  join->right_keys = std::move(right_keys);
  join->predicate = Conjunction(residual);
  join->updates = mode == BindMode::kStreaming &&
                  (l->updates || r->updates || kind != JoinKind::kInner);
  if (left_extra.empty() && right_extra.empty()) return PlanPtr(join);
  std::vector<int> keep;
  for (int i = 0; i < nl + nr; ++i) keep.push_back(shift[i]);
  std::vector<ExprPtr> exprs;
  std::vector<std::string> names;
  for (int i : keep) {
    const columnar::Field& f = join->schema.field(i);
    exprs.push_back(ColumnRef(i, f.type, f.name, f.nullable));
    names.push_back(f.name);
  }
  return MakeProject(join, std::move(exprs), names);
}

Result<Relation> Binder::BindJoin(const ast::TableRef& ref) {
  ASSIGN_OR_RETURN(Relation left, BindTableRef(*ref.left));
  RETURN_IF_ERROR(CheckComplete(left));
  ASSIGN_OR_RETURN(Relation right, BindTableRef(*ref.right));
  RETURN_IF_ERROR(CheckComplete(right));
  std::set<std::string> left_names, right_names;
  for (const ColumnName& c : left.columns) left_names.insert(c.qualifier);
  for (const ColumnName& c : right.columns) {
    if (!c.qualifier.empty() && left_names.count(c.qualifier) > 0 &&
        right_names.insert(c.qualifier).second) {
      return Error(ref.right->pos, fmt::format("'{}' is used twice in FROM; give one an alias",
                                               c.qualifier));
    }
  }
  Relation combined;
  combined.columns = left.columns;
  combined.columns.insert(combined.columns.end(), right.columns.begin(), right.columns.end());
  auto scope_plan = std::make_shared<Plan>();
  for (const columnar::Field& f : left.plan->schema.fields()) scope_plan->schema.Add(f);
  for (const columnar::Field& f : right.plan->schema.fields()) scope_plan->schema.Add(f);
  combined.plan = scope_plan;
  std::vector<ExprPtr> conjuncts;
  if (ref.on) {
    ExprBinder eb(*this, combined, "the ON condition");
    ASSIGN_OR_RETURN(ExprPtr on, eb.BindPredicate(*ref.on));
    conjuncts = SplitConjuncts(on);
  }
  ASSIGN_OR_RETURN(combined.plan, MakeJoin(left.plan, right.plan, ref.comma ? JoinKind::kInner
                                                                            : ref.join,
                                           conjuncts, mode_));
  return combined;
}

Result<int64_t> Binder::IntervalArg(const ast::Expr& e, const char* what) {
  Relation empty = Qualified(std::make_shared<Plan>(), "");
  ExprBinder eb(*this, empty, what);
  auto bound = eb.Bind(e);
  if (!bound.ok() || (*bound)->kind != ExprKind::kLiteral ||
      (*bound)->type.id() != TypeId::kInterval || (*bound)->literal.is_null()) {
    return Error(e.pos, fmt::format("expected an INTERVAL literal for the window {}", what));
  }
  int64_t ms = (*bound)->literal.int64();
  if (ms <= 0 && std::string_view(what) != "offset") {
    return Error(e.pos, fmt::format("the window {} must be positive", what));
  }
  return ms;
}

Result<Relation> Binder::BindWindow(const ast::TableRef& ref) {
  ASSIGN_OR_RETURN(Relation in, BindTableRef(*ref.input));
  RETURN_IF_ERROR(CheckComplete(in));
  if (in.plan->updates) {
    return Error(ref.input->pos, "a window TVF cannot consume updates (its input has an unbounded "
                                 "GROUP BY, an outer join or a Top-N)");
  }
  int time = in.plan->schema.IndexOf(ref.descriptor);
  if (time < 0) {
    return Error(ref.descriptor_pos, fmt::format("DESCRIPTOR column '{}' not found",
                                                 ref.descriptor));
  }
  const columnar::Field& tf = in.plan->schema.field(time);
  if (tf.type.id() != TypeId::kTimestamp && tf.type.id() != TypeId::kTimestampLtz) {
    return Error(ref.descriptor_pos,
                 fmt::format("DESCRIPTOR column '{}' must be TIMESTAMP(3) or TIMESTAMP_LTZ(3), "
                             "found {}", ref.descriptor, tf.type.ToString()));
  }
  if (mode_ == BindMode::kStreaming &&
      TimeAttributes(*in.plan)[time] == TimeAttribute::kNone) {
    return Error(ref.descriptor_pos,
                 fmt::format("DESCRIPTOR column '{}' is not a time attribute (declare WATERMARK "
                             "FOR {} in its table)", ref.descriptor, ref.descriptor));
  }
  WindowSpec w;
  w.kind = ref.window;
  w.time_column = time;
  const auto& args = ref.window_args;
  switch (ref.window) {
    case WindowKind::kTumble: {
      ASSIGN_OR_RETURN(w.size_ms, IntervalArg(*args[0], "size"));
      if (args.size() > 1) {
        ASSIGN_OR_RETURN(w.offset_ms, IntervalArg(*args[1], "offset"));
      }
      break;
    }
    case WindowKind::kHop:
    case WindowKind::kCumulate: {
      const char* step = ref.window == WindowKind::kHop ? "slide" : "step";
      ASSIGN_OR_RETURN(w.slide_ms, IntervalArg(*args[0], step));
      ASSIGN_OR_RETURN(w.size_ms, IntervalArg(*args[1], "size"));
      if (args.size() > 2) {
        ASSIGN_OR_RETURN(w.offset_ms, IntervalArg(*args[2], "offset"));
      }
      if (w.size_ms % w.slide_ms != 0) {
        return Error(args[1]->pos, fmt::format("the window size must be a multiple of the {}",
                                               step));
      }
      break;
    }
    case WindowKind::kSession: {
      ASSIGN_OR_RETURN(w.gap_ms, IntervalArg(*args[0], "gap"));
      break;
    }
  }
  for (const ast::ExprPtr& key : ref.window_partition) {
    ExprBinder eb(*this, in, "PARTITION BY");
    ASSIGN_OR_RETURN(ExprPtr bound, eb.Bind(*key));
    if (bound->kind != ExprKind::kColumn) {
      return Error(key->pos, "SESSION PARTITION BY takes column names");
    }
    w.partition_keys.push_back(bound->column);
  }
  auto plan = std::make_shared<Plan>();
  plan->kind = PlanKind::kWindow;
  plan->inputs = {in.plan};
  plan->window = w;
  plan->schema = in.plan->schema;
  plan->schema.Add({"window_start", DataType::Timestamp(), false});
  plan->schema.Add({"window_end", DataType::Timestamp(), false});
  plan->schema.Add({"window_time", tf.type, false});
  Relation out;
  out.plan = plan;
  std::string qualifier = ref.alias;
  for (const ColumnName& c : in.columns) {
    out.columns.push_back({c.name, qualifier.empty() ? c.qualifier : qualifier});
  }
  for (const char* name : {"window_start", "window_end", "window_time"}) {
    out.columns.push_back({name, qualifier});
  }
  return out;
}

}  // namespace kappa::sql
