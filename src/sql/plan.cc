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

std::string Indexes(const std::vector<int>& v) {
  std::string out = "[";
  for (size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + std::to_string(v[i]);
  return out + "]";
}

std::string SortText(const std::vector<SortKey>& keys) {
  std::string out;
  for (const SortKey& k : keys) {
    out += (out.empty() ? "" : ", ") + k.expr->text + (k.ascending ? " ASC" : " DESC") +
           (k.nulls_first ? " NULLS FIRST" : " NULLS LAST");
  }
  return out;
}

std::string WindowText(const Plan& p) {
  const WindowSpec& w = p.window;
  std::string time = p.inputs.empty() ? std::to_string(w.time_column)
                                      : p.inputs[0]->schema.field(w.time_column).name;
  std::string out;
  switch (w.kind) {
    case WindowKind::kTumble: out = fmt::format("TUMBLE({}, size={}ms", time, w.size_ms); break;
    case WindowKind::kHop:
      out = fmt::format("HOP({}, slide={}ms, size={}ms", time, w.slide_ms, w.size_ms);
      break;
    case WindowKind::kCumulate:
      out = fmt::format("CUMULATE({}, step={}ms, size={}ms", time, w.slide_ms, w.size_ms);
      break;
    case WindowKind::kSession:
      out = fmt::format("SESSION({}, gap={}ms", time, w.gap_ms);
      if (!w.partition_keys.empty()) out += ", partition=" + Indexes(w.partition_keys);
      break;
  }
  if (w.offset_ms != 0) out += fmt::format(", offset={}ms", w.offset_ms);
  return out + ")";
}

const char* JoinName(JoinKind kind) {
  switch (kind) {
    case JoinKind::kInner: return "INNER";
    case JoinKind::kLeft: return "LEFT";
    case JoinKind::kRight: return "RIGHT";
    case JoinKind::kFull: return "FULL";
  }
  return "?";
}

std::string Detail(const Plan& p) {
  switch (p.kind) {
    case PlanKind::kScan: {
      if (!p.table) return "";
      std::string out = p.table->name;
      for (const char* key : {"snapshot-id", "as-of-timestamp"}) {
        std::string v = p.table->Option(key);
        if (!v.empty()) out += fmt::format(" {}={}", key, v);
      }
      return out;
    }
    case PlanKind::kValues: return fmt::format("rows={}", p.rows.size());
    case PlanKind::kFilter: return p.predicate ? p.predicate->text : "";
    case PlanKind::kProject: {
      std::string out;
      for (size_t i = 0; i < p.exprs.size(); ++i) {
        const ExprPtr& e = p.exprs[i];
        std::string name = i < p.schema.size() ? p.schema.field(i).name : "";
        out += (out.empty() ? "" : ", ") + e->text;
        if (!name.empty() && name != e->text) out += " AS " + name;
      }
      return out;
    }
    case PlanKind::kWatermark:
      return fmt::format("rowtime={} watermark={}", p.schema.field(p.rowtime).name,
                         p.watermark ? p.watermark->text : "");
    case PlanKind::kWindow: return WindowText(p);
    case PlanKind::kAggregate:
    case PlanKind::kWindowAggregate: {
      std::string out = "keys=" + Indexes(p.group_keys) + " aggs=[";
      for (size_t i = 0; i < p.aggregates.size(); ++i) {
        out += (i ? ", " : "") + p.aggregates[i].text;
      }
      out += "]";
      if (p.kind == PlanKind::kWindowAggregate) {
        out += fmt::format(" window=[{}, {}]", p.window_start, p.window_end);
      }
      return out;
    }
    case PlanKind::kJoin: {
      std::string out = JoinName(p.join);
      out += " keys=[";
      for (size_t i = 0; i < p.left_keys.size(); ++i) {
        out += fmt::format("{}{}={}", i ? ", " : "", p.left_keys[i], p.right_keys[i]);
      }
      out += "]";
      if (p.predicate) out += " on=" + p.predicate->text;
      return out;
    }
    case PlanKind::kSort: return SortText(p.sort);
    case PlanKind::kTopN:
      return fmt::format("partition={} order=[{}] limit={}{}", Indexes(p.partition_keys),
                         SortText(p.sort), p.limit,
                         p.inputs.empty() || p.schema.size() == p.inputs[0]->schema.size()
                             ? ""
                             : " rownum=" + p.schema.fields().back().name);
    case PlanKind::kDeduplicate:
      return fmt::format("partition={} order=[{}] keep={}", Indexes(p.partition_keys),
                         SortText(p.sort), p.keep_last ? "last" : "first");
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
