#include "engine/bound_expr.h"

namespace kappa::engine {

using columnar::Column;
using columnar::TypeId;

namespace {

bool IsTimestamp(const columnar::DataType& t) {
  return t.id() == TypeId::kTimestamp || t.id() == TypeId::kTimestampLtz;
}

// `ts - INTERVAL 'n' unit` over a timestamp column.
bool IsColumnMinusInterval(const sql::Expr& e) {
  return e.kind == sql::ExprKind::kCall && e.function == "-" && e.args.size() == 2 &&
         e.args[0]->kind == sql::ExprKind::kColumn && IsTimestamp(e.args[0]->type) &&
         e.args[1]->kind == sql::ExprKind::kLiteral &&
         e.args[1]->type.id() == TypeId::kInterval && !e.args[1]->literal.is_null() &&
         IsTimestamp(e.type);
}

}  // namespace

Result<BoundExpr> BoundExpr::Bind(const sql::ExprPtr& expr) {
  if (expr == nullptr) return Internal("binding a null expression");
  switch (expr->kind) {
    case sql::ExprKind::kColumn: return BoundExpr(expr, Path::kColumn);
    case sql::ExprKind::kLiteral: return BoundExpr(expr, Path::kLiteral);
    case sql::ExprKind::kCall: break;
  }
  if (IsColumnMinusInterval(*expr)) {
    BoundExpr b(expr, Path::kMinusInterval);
    b.interval_ms_ = expr->args[1]->literal.int64();
    return b;
  }
  ASSIGN_OR_RETURN(std::unique_ptr<CompiledExpr> compiled, CompiledExpr::Compile(expr));
  BoundExpr b(expr, Path::kCompiled);
  b.compiled_ = std::move(compiled);
  return b;
}

Result<columnar::ColumnPtr> BoundExpr::Eval(const columnar::Batch& batch) const {
  switch (path_) {
    case Path::kColumn:
      if (expr_->column < 0 || static_cast<size_t>(expr_->column) >= batch.columns.size()) {
        return Internal("column {} out of range for a batch of {} columns", expr_->column,
                        batch.columns.size());
      }
      return batch.columns[expr_->column];
    case Path::kLiteral: {
      columnar::Value v = expr_->literal;
      if (v.is_null()) v = columnar::Value::Null(expr_->type);
      return Column::Constant(v, batch.num_rows);
    }
    case Path::kMinusInterval: {
      const Column& in = *batch.columns[expr_->args[0]->column];
      auto out = std::make_shared<Column>(expr_->type);
      std::vector<int64_t>& values = out->mutable_values<int64_t>();
      const std::vector<int64_t>& src = in.values<int64_t>();
      values.resize(in.size());
      for (size_t i = 0; i < values.size(); ++i) values[i] = src[i] - interval_ms_;
      out->SetSize(in.size());
      if (in.has_nulls()) out->mutable_nulls() = in.nulls();
      return columnar::ColumnPtr(std::move(out));
    }
    case Path::kCompiled: return compiled_->Eval(batch);
  }
  return Internal("bad expression path");
}

Result<std::vector<BoundExpr>> BindAll(const std::vector<sql::ExprPtr>& exprs) {
  std::vector<BoundExpr> out;
  out.reserve(exprs.size());
  for (const sql::ExprPtr& e : exprs) {
    ASSIGN_OR_RETURN(BoundExpr b, BoundExpr::Bind(e));
    out.push_back(std::move(b));
  }
  return out;
}

}  // namespace kappa::engine
