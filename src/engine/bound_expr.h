// BoundExpr evaluates one bound expression (sql/plan.h) over batches, taking
// the short ways where they exist: a column reference shares the input
// column, a literal becomes a constant column, `col - INTERVAL` (the usual
// watermark) is computed inline; anything else goes through the vectorized
// evaluator (engine/expr/evaluator.h). Immutable after Bind; thread-safe.
#pragma once

#include <memory>
#include <vector>

#include "base/status.h"
#include "columnar/batch.h"
#include "engine/expr/evaluator.h"
#include "sql/plan.h"

namespace kappa::engine {

class BoundExpr {
 public:
  static Result<BoundExpr> Bind(const sql::ExprPtr& expr);

  const columnar::DataType& type() const { return expr_->type; }
  const sql::Expr& expr() const { return *expr_; }
  // The input column when the expression is a bare column reference, else -1.
  int column() const { return expr_->kind == sql::ExprKind::kColumn ? expr_->column : -1; }

  // A column of batch.num_rows rows (see CompiledExpr::Eval).
  Result<columnar::ColumnPtr> Eval(const columnar::Batch& batch) const;

 private:
  enum class Path { kColumn, kLiteral, kMinusInterval, kCompiled };
  BoundExpr(sql::ExprPtr expr, Path path) : expr_(std::move(expr)), path_(path) {}

  sql::ExprPtr expr_;
  Path path_;
  int64_t interval_ms_ = 0;  // kMinusInterval
  std::shared_ptr<const CompiledExpr> compiled_;
};

Result<std::vector<BoundExpr>> BindAll(const std::vector<sql::ExprPtr>& exprs);

}  // namespace kappa::engine
