// ProjectOperator computes a list of expressions over each input row
// (SELECT a, b * 2 ...). Column references share the input column; physical
// rows, selection and row kinds stay as they are, so a projection never
// copies rows. Stateless.
#pragma once

#include <memory>
#include <vector>

#include "engine/bound_expr.h"
#include "engine/operator.h"

namespace kappa::engine {

class ProjectOperator final : public Operator {
 public:
  static Result<std::unique_ptr<ProjectOperator>> Make(const sql::Plan& plan);

  Status ProcessBatch(OperatorState* state, int port, const Chunk& chunk,
                      OperatorOutput* out) const override;

 private:
  ProjectOperator(columnar::Schema schema, std::vector<BoundExpr> exprs)
      : Operator("Project", std::move(schema)), exprs_(std::move(exprs)) {}

  std::vector<BoundExpr> exprs_;
};

}  // namespace kappa::engine
