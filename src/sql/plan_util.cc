#include "sql/plan_util.h"

#include <set>

namespace kappa::sql {

std::string Fingerprint(const Expr& e) {
  switch (e.kind) {
    case ExprKind::kColumn: return "$" + std::to_string(e.column);
    case ExprKind::kLiteral:
      return "lit(" + e.type.ToString() + ":" + (e.literal.is_null() ? "NULL" : e.literal.ToString()) +
             ")";
    case ExprKind::kCall: {
      std::string out = e.function + "<" + e.type.ToString() + ">(";
      for (const ExprPtr& a : e.args) out += Fingerprint(*a) + ",";
      if (e.function == "FIELD") out += "#" + std::to_string(e.column);
      return out + ")";
    }
  }
  return "?";
}

bool ReadsColumns(const Expr& e) {
  if (e.kind == ExprKind::kColumn) return true;
  for (const ExprPtr& a : e.args) {
    if (ReadsColumns(*a)) return true;
  }
  return false;
}

void CollectColumns(const Expr& e, std::vector<int>* out) {
  if (e.kind == ExprKind::kColumn) out->push_back(e.column);
  for (const ExprPtr& a : e.args) CollectColumns(*a, out);
}

ExprPtr RemapColumns(const ExprPtr& e, const std::vector<int>& mapping) {
  if (e->kind == ExprKind::kLiteral) return e;
  auto copy = std::make_shared<Expr>(*e);
  if (e->kind == ExprKind::kColumn) {
    copy->column = mapping[e->column];
    return copy;
  }
  for (ExprPtr& a : copy->args) a = RemapColumns(a, mapping);
  return copy;
}

std::vector<ExprPtr> SplitConjuncts(const ExprPtr& e) {
  if (!e) return {};
  if (e->kind == ExprKind::kCall && e->function == "AND") {
    std::vector<ExprPtr> out = SplitConjuncts(e->args[0]);
    for (ExprPtr& x : SplitConjuncts(e->args[1])) out.push_back(std::move(x));
    return out;
  }
  return {e};
}

ExprPtr Conjunction(const std::vector<ExprPtr>& conjuncts) {
  ExprPtr out;
  for (const ExprPtr& c : conjuncts) {
    if (!out) {
      out = c;
      continue;
    }
    out = Call("AND", {out, c}, columnar::DataType::Boolean(), out->text + " AND " + c->text,
               out->nullable || c->nullable);
  }
  return out;
}

namespace {

template <typename T>
std::vector<T> ThroughProject(const Plan& plan, const std::vector<T>& in) {
  std::vector<T> out(plan.exprs.size(), T{});
  for (size_t i = 0; i < plan.exprs.size(); ++i) {
    const Expr& e = *plan.exprs[i];
    if (e.kind == ExprKind::kColumn) out[i] = in[e.column];
  }
  return out;
}

}  // namespace

std::vector<TimeAttribute> TimeAttributes(const Plan& plan) {
  std::vector<TimeAttribute> none(plan.schema.size(), TimeAttribute::kNone);
  switch (plan.kind) {
    case PlanKind::kWatermark: {
      std::vector<TimeAttribute> out = TimeAttributes(*plan.inputs[0]);
      out[plan.rowtime] = TimeAttribute::kRowtime;
      return out;
    }
    case PlanKind::kProject: {
      std::vector<TimeAttribute> out = ThroughProject(plan, TimeAttributes(*plan.inputs[0]));
      for (size_t i = 0; i < plan.exprs.size(); ++i) {
        if (plan.exprs[i]->kind == ExprKind::kCall && plan.exprs[i]->function == "PROCTIME") {
          out[i] = TimeAttribute::kProctime;
        }
      }
      return out;
    }
    case PlanKind::kFilter:
    case PlanKind::kLimit:
    case PlanKind::kDeduplicate:
    case PlanKind::kTopN: {
      std::vector<TimeAttribute> out = TimeAttributes(*plan.inputs[0]);
      out.resize(plan.schema.size(), TimeAttribute::kNone);
      return out;
    }
    case PlanKind::kWindow: {
      std::vector<TimeAttribute> in = TimeAttributes(*plan.inputs[0]);
      none[plan.schema.size() - 1] = in[plan.window.time_column];
      return none;
    }
    case PlanKind::kUnionAll: {
      std::vector<TimeAttribute> l = TimeAttributes(*plan.inputs[0]);
      std::vector<TimeAttribute> r = TimeAttributes(*plan.inputs[1]);
      for (size_t i = 0; i < none.size(); ++i) none[i] = l[i] == r[i] ? l[i] : TimeAttribute::kNone;
      return none;
    }
    default: return none;
  }
}

std::vector<WindowRole> WindowRoles(const Plan& plan) {
  std::vector<WindowRole> none(plan.schema.size(), WindowRole::kNone);
  switch (plan.kind) {
    case PlanKind::kWindow: {
      size_t n = plan.schema.size();
      none[n - 3] = WindowRole::kStart;
      none[n - 2] = WindowRole::kEnd;
      none[n - 1] = WindowRole::kTime;
      return none;
    }
    case PlanKind::kProject: return ThroughProject(plan, WindowRoles(*plan.inputs[0]));
    case PlanKind::kFilter: return WindowRoles(*plan.inputs[0]);
    case PlanKind::kWindowAggregate: {
      std::vector<WindowRole> in = WindowRoles(*plan.inputs[0]);
      for (size_t i = 0; i < plan.group_keys.size(); ++i) {
        WindowRole r = in[plan.group_keys[i]];
        if (r == WindowRole::kStart || r == WindowRole::kCascadedStart) {
          none[i] = WindowRole::kCascadedStart;
        } else if (r == WindowRole::kEnd || r == WindowRole::kCascadedEnd) {
          none[i] = WindowRole::kCascadedEnd;
        }
      }
      return none;
    }
    default: return none;
  }
}

PlanPtr MakeProject(const PlanPtr& input, std::vector<ExprPtr> exprs,
                    const std::vector<std::string>& names) {
  auto p = std::make_shared<Plan>();
  p->kind = PlanKind::kProject;
  p->inputs = {input};
  for (size_t i = 0; i < exprs.size(); ++i) {
    p->schema.Add({names[i], exprs[i]->type, exprs[i]->nullable});
  }
  p->updates = input->updates;
  // The unique key survives when every key column is passed through.
  std::vector<int> key;
  for (int k : input->unique_key) {
    for (size_t i = 0; i < exprs.size(); ++i) {
      if (exprs[i]->kind == ExprKind::kColumn && exprs[i]->column == k) {
        key.push_back(static_cast<int>(i));
        break;
      }
    }
  }
  if (key.size() == input->unique_key.size()) p->unique_key = std::move(key);
  p->exprs = std::move(exprs);
  return p;
}

PlanPtr MakeFilter(const PlanPtr& input, ExprPtr predicate) {
  auto p = std::make_shared<Plan>();
  p->kind = PlanKind::kFilter;
  p->inputs = {input};
  p->schema = input->schema;
  p->updates = input->updates;
  p->unique_key = input->unique_key;
  p->predicate = std::move(predicate);
  return p;
}

PlanPtr MakeTrim(const PlanPtr& input, size_t count) {
  if (count == input->schema.size()) return input;
  std::vector<ExprPtr> exprs;
  std::vector<std::string> names;
  for (size_t i = 0; i < count; ++i) {
    const columnar::Field& f = input->schema.field(i);
    exprs.push_back(ColumnRef(static_cast<int>(i), f.type, f.name, f.nullable));
    names.push_back(f.name);
  }
  return MakeProject(input, std::move(exprs), names);
}

std::string DefaultName(size_t index) { return "EXPR$" + std::to_string(index); }

std::vector<std::string> UniqueNames(std::vector<std::string> names) {
  std::set<std::string> seen;
  for (std::string& name : names) {
    if (seen.insert(name).second) continue;
    for (int i = 0;; ++i) {
      std::string candidate = name + std::to_string(i);
      if (seen.insert(candidate).second) {
        name = candidate;
        break;
      }
    }
  }
  return names;
}

}  // namespace kappa::sql
