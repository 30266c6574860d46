#include "engine/source/scan_analysis.h"

namespace kappa::engine {

namespace iceberg = table::iceberg;
using sql::Expr;
using sql::ExprKind;
using sql::Plan;
using sql::PlanKind;

namespace {

void ExprColumns(const Expr& e, std::vector<bool>* out) {
  if (e.kind == ExprKind::kColumn && e.column >= 0 && static_cast<size_t>(e.column) < out->size()) {
    (*out)[e.column] = true;
  }
  for (const auto& a : e.args) {
    if (a) ExprColumns(*a, out);
  }
}

std::vector<bool> All(size_t n) { return std::vector<bool>(n, true); }

// The input columns node `p` reads to produce the output columns `need`.
std::vector<bool> InputNeeds(const Plan& p, const std::vector<bool>& need) {
  size_t in = p.inputs.empty() || !p.inputs[0] ? 0 : p.inputs[0]->schema.size();
  std::vector<bool> out(in, false);
  switch (p.kind) {
    case PlanKind::kProject:
      for (size_t i = 0; i < p.exprs.size() && i < need.size(); ++i) {
        if (need[i] && p.exprs[i]) ExprColumns(*p.exprs[i], &out);
      }
      return out;
    case PlanKind::kFilter:
      out = need;
      out.resize(in, true);
      if (p.predicate) ExprColumns(*p.predicate, &out);
      return out;
    case PlanKind::kAggregate:
      for (int k : p.group_keys) {
        if (k >= 0 && static_cast<size_t>(k) < in) out[k] = true;
      }
      for (const sql::AggregateCall& a : p.aggregates) {
        for (const auto& arg : a.args) {
          if (arg) ExprColumns(*arg, &out);
        }
      }
      return out;
    case PlanKind::kSort:
    case PlanKind::kLimit:
      out = need;
      out.resize(in, true);
      for (const sql::SortKey& k : p.sort) {
        if (k.expr) ExprColumns(*k.expr, &out);
      }
      return out;
    default:
      return All(in);
  }
}

void Walk(const Plan& p, const std::vector<bool>& need, const sql::TableDef* table, ScanNeeds* result,
          int* scans, const Plan** parent_filter, const Plan* parent) {
  if (p.kind == PlanKind::kScan) {
    if (p.table.get() != table) return;
    ++*scans;
    for (size_t i = 0; i < need.size() && i < result->columns.size(); ++i) {
      if (need[i]) result->columns[i] = true;
    }
    if (parent != nullptr && parent->kind == PlanKind::kFilter) *parent_filter = parent;
    return;
  }
  if (p.inputs.size() == 1 && p.inputs[0]) {
    Walk(*p.inputs[0], InputNeeds(p, need), table, result, scans, parent_filter, &p);
    return;
  }
  for (const auto& in : p.inputs) {
    if (in) Walk(*in, All(in->schema.size()), table, result, scans, parent_filter, &p);
  }
}

std::optional<iceberg::CompareOp> OpOf(const std::string& f, bool flipped) {
  using iceberg::CompareOp;
  if (f == "=") return CompareOp::kEq;
  if (f == "<>") return CompareOp::kNotEq;
  if (f == "<") return flipped ? CompareOp::kGt : CompareOp::kLt;
  if (f == "<=") return flipped ? CompareOp::kGtEq : CompareOp::kLtEq;
  if (f == ">") return flipped ? CompareOp::kLt : CompareOp::kGt;
  if (f == ">=") return flipped ? CompareOp::kLtEq : CompareOp::kGtEq;
  return std::nullopt;
}

void Conjuncts(const Expr& e, const columnar::Schema& schema, std::vector<iceberg::Predicate>* out) {
  if (e.kind != ExprKind::kCall) return;
  if (e.function == "AND") {
    for (const auto& a : e.args) {
      if (a) Conjuncts(*a, schema, out);
    }
    return;
  }
  auto column_name = [&](const sql::ExprPtr& a) -> const std::string* {
    if (!a || a->kind != ExprKind::kColumn || a->column < 0 || static_cast<size_t>(a->column) >= schema.size()) {
      return nullptr;
    }
    return &schema.field(a->column).name;
  };
  if ((e.function == "IS NULL" || e.function == "IS NOT NULL") && e.args.size() == 1) {
    if (const std::string* c = column_name(e.args[0])) {
      out->push_back({*c, e.function == "IS NULL" ? iceberg::CompareOp::kIsNull : iceberg::CompareOp::kNotNull, {}});
    }
    return;
  }
  if (e.args.size() != 2 || !e.args[0] || !e.args[1]) return;
  bool flipped = e.args[0]->kind == ExprKind::kLiteral;
  const sql::ExprPtr& col = flipped ? e.args[1] : e.args[0];
  const sql::ExprPtr& lit = flipped ? e.args[0] : e.args[1];
  const std::string* c = column_name(col);
  auto op = OpOf(e.function, flipped);
  if (c == nullptr || !op || lit->kind != ExprKind::kLiteral) return;
  out->push_back({*c, *op, lit->literal});
}

}  // namespace

std::vector<iceberg::Predicate> SimplePredicates(const Expr& predicate, const columnar::Schema& schema) {
  std::vector<iceberg::Predicate> out;
  Conjuncts(predicate, schema, &out);
  return out;
}

ScanNeeds AnalyzeScan(const Plan& root, const sql::TableDef* table) {
  ScanNeeds result;
  result.columns.assign(table->physical.size(), false);
  int scans = 0;
  const Plan* filter = nullptr;
  Walk(root, All(root.schema.size()), table, &result, &scans, &filter, nullptr);
  if (scans == 1 && filter != nullptr && filter->predicate) {
    result.filter = SimplePredicates(*filter->predicate, table->physical);
  }
  if (scans == 0) result.columns.assign(table->physical.size(), true);
  return result;
}

}  // namespace kappa::engine
