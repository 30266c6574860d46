#include "engine/ops/filter.h"

namespace kappa::engine {

Result<std::unique_ptr<FilterOperator>> FilterOperator::Make(const sql::Plan& plan) {
  if (plan.predicate == nullptr) return Internal("filter without a predicate");
  if (plan.predicate->type.id() != columnar::TypeId::kBoolean) {
    return Invalid("WHERE needs a BOOLEAN condition, got {}", plan.predicate->type.ToString());
  }
  ASSIGN_OR_RETURN(BoundExpr predicate, BoundExpr::Bind(plan.predicate));
  return std::unique_ptr<FilterOperator>(new FilterOperator(plan.schema, std::move(predicate)));
}

Status FilterOperator::ProcessBatch(OperatorState* /*state*/, int /*port*/, const Chunk& chunk,
                                    OperatorOutput* out) const {
  const columnar::Batch& in = chunk.batch;
  size_t n = in.active_rows();
  if (n == 0) return OkStatus();
  ASSIGN_OR_RETURN(columnar::ColumnPtr cond, predicate_.Eval(in));
  const std::vector<uint8_t>& values = cond->values<uint8_t>();
  std::vector<uint32_t> selection;
  selection.reserve(n);
  bool nulls = cond->has_nulls();
  for (size_t i = 0; i < n; ++i) {
    uint32_t r = in.row(i);
    if (values[r] != 0 && !(nulls && cond->IsNull(r))) selection.push_back(r);
  }
  if (selection.empty()) return OkStatus();
  if (selection.size() == in.num_rows && !in.selection) return out->Emit(chunk);
  columnar::Batch b = in;
  b.selection = std::move(selection);
  return out->Emit(chunk.WithBatch(std::move(b)));
}

}  // namespace kappa::engine
