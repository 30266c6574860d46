#include "sql/plan.h"

#include "fmt/format.h"

namespace kappa::sql {

ExprPtr ColumnRef(int column, columnar::DataType type, std::string text, bool nullable) {
  auto e = std::make_shared<Expr>();
  e->kind = ExprKind::kColumn;
  e->column = column;
  e->type = std::move(type);
  e->text = std::move(text);
  e->nullable = nullable;
  return e;
}

ExprPtr Literal(columnar::Value value, std::string text) {
  auto e = std::make_shared<Expr>();
  e->kind = ExprKind::kLiteral;
  e->type = value.type();
  e->nullable = value.is_null();
  e->text = text.empty() ? value.ToString() : std::move(text);
  e->literal = std::move(value);
  return e;
}

ExprPtr Call(std::string function, std::vector<ExprPtr> args, columnar::DataType type,
             std::string text, bool nullable) {
  auto e = std::make_shared<Expr>();
  e->kind = ExprKind::kCall;
  e->function = std::move(function);
  e->args = std::move(args);
  e->type = std::move(type);
  e->text = std::move(text);
  e->nullable = nullable;
  return e;
}

std::string TableDef::Option(const std::string& key, const std::string& fallback) const {
  auto it = options.find(key);
  return it == options.end() ? fallback : it->second;
}

namespace {

const char* KindName(PlanKind kind) {
  switch (kind) {
    case PlanKind::kScan: return "Scan";
    case PlanKind::kValues: return "Values";
    case PlanKind::kProject: return "Project";
    case PlanKind::kFilter: return "Filter";
    case PlanKind::kWatermark: return "Watermark";
    case PlanKind::kWindow: return "Window";
    case PlanKind::kAggregate: return "Aggregate";
    case PlanKind::kWindowAggregate: return "WindowAggregate";
    case PlanKind::kUnionAll: return "UnionAll";
    case PlanKind::kJoin: return "Join";
    case PlanKind::kSort: return "Sort";
    case PlanKind::kLimit: return "Limit";
    case PlanKind::kTopN: return "TopN";
    case PlanKind::kDeduplicate: return "Deduplicate";
  }
  return "?";
}

std::string Detail(const Plan& p) {
  switch (p.kind) {
    case PlanKind::kScan: return p.table ? p.table->name : "";
    case PlanKind::kFilter: return p.predicate ? p.predicate->text : "";
    case PlanKind::kProject: {
      std::string out;
      for (const ExprPtr& e : p.exprs) out += (out.empty() ? "" : ", ") + e->text;
      return out;
    }
    case PlanKind::kAggregate:
    case PlanKind::kWindowAggregate: {
      std::string out = "keys=[";
      for (size_t i = 0; i < p.group_keys.size(); ++i) {
        out += (i ? ", " : "") + std::to_string(p.group_keys[i]);
      }
      out += "] aggs=[";
      for (size_t i = 0; i < p.aggregates.size(); ++i) {
        out += (i ? ", " : "") + p.aggregates[i].text;
      }
      return out + "]";
    }
    case PlanKind::kLimit: return fmt::format("{} offset {}", p.limit, p.offset);
    default: return "";
  }
}

}  // namespace

std::string Plan::ToString(int indent) const {
  std::string out(static_cast<size_t>(indent) * 2, ' ');
  out += KindName(kind);
  std::string detail = Detail(*this);
  if (!detail.empty()) out += " " + detail;
  if (updates) out += " [updates]";
  out += "\n";
  for (const PlanPtr& in : inputs) out += in->ToString(indent + 1);
  return out;
}

}  // namespace kappa::sql
