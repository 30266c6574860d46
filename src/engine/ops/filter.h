// FilterOperator keeps the rows for which a predicate is TRUE (NULL and
// FALSE drop the row, as WHERE does) by narrowing the batch's selection
// vector: no row is copied. Row kinds pass through, so HAVING over a
// changelog filters -U and +U rows alike. Stateless.
#pragma once

#include <memory>

#include "engine/bound_expr.h"
#include "engine/operator.h"

namespace kappa::engine {

class FilterOperator final : public Operator {
 public:
  static Result<std::unique_ptr<FilterOperator>> Make(const sql::Plan& plan);

  Status ProcessBatch(OperatorState* state, int port, const Chunk& chunk,
                      OperatorOutput* out) const override;

 private:
  FilterOperator(columnar::Schema schema, BoundExpr predicate)
      : Operator("Filter", std::move(schema)), predicate_(std::move(predicate)) {}

  BoundExpr predicate_;
};

}  // namespace kappa::engine
