#include "engine/ops/project.h"

namespace kappa::engine {

Result<std::unique_ptr<ProjectOperator>> ProjectOperator::Make(const sql::Plan& plan) {
  ASSIGN_OR_RETURN(std::vector<BoundExpr> exprs, BindAll(plan.exprs));
  return std::unique_ptr<ProjectOperator>(new ProjectOperator(plan.schema, std::move(exprs)));
}

Status ProjectOperator::ProcessBatch(OperatorState* /*state*/, int /*port*/, const Chunk& chunk,
                                     OperatorOutput* out) const {
  if (chunk.batch.active_rows() == 0) return OkStatus();
  columnar::Batch b;
  b.num_rows = chunk.batch.num_rows;
  b.selection = chunk.batch.selection;
  b.kinds = chunk.batch.kinds;
  b.columns.reserve(exprs_.size());
  for (const BoundExpr& e : exprs_) {
    ASSIGN_OR_RETURN(columnar::ColumnPtr c, e.Eval(chunk.batch));
    b.columns.push_back(std::move(c));
  }
  return out->Emit(chunk.WithBatch(std::move(b)));
}

}  // namespace kappa::engine
