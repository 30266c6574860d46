// Vectorized evaluation of bound expressions (sql/plan.h) over Batches.
// An expression is compiled once per operator against its input schema (the
// function and its argument types are resolved here, never per row), then
// evaluated a batch at a time. A CompiledExpr is immutable and may be shared
// by threads; Eval allocates its result columns.
#pragma once

#include <memory>
#include <vector>

#include "base/status.h"
#include "columnar/batch.h"
#include "sql/plan.h"

namespace kappa::engine {

class CompiledExpr {
 public:
  virtual ~CompiledExpr() = default;

  // Compiles `expr`. Errors: a function name or argument types the engine
  // does not implement ("unsupported function FOO(STRING)").
  static Result<std::unique_ptr<CompiledExpr>> Compile(const sql::ExprPtr& expr);

  const columnar::DataType& type() const { return type_; }

  // A column of batch.num_rows rows: the value for every active row of the
  // batch (rows outside the selection hold unspecified values). Errors are
  // data errors that make the row's result undefined and that Flink raises
  // at runtime (a CAST of 'abc' to INT, division by zero on DECIMAL): the
  // caller decides whether the record goes to the dead-letter topic.
  virtual Result<columnar::ColumnPtr> Eval(const columnar::Batch& batch) const = 0;

 protected:
  explicit CompiledExpr(columnar::DataType type) : type_(std::move(type)) {}

 private:
  columnar::DataType type_;
};

// The active rows of `batch` for which `predicate` (BOOLEAN) is TRUE, as a
// selection vector (NULL and FALSE drop the row).
Result<std::vector<uint32_t>> EvalFilter(const CompiledExpr& predicate,
                                         const columnar::Batch& batch);

}  // namespace kappa::engine
