// A null-propagating function of one fixed-width argument that cannot fail
// (NEGATE, ABS, SQRT, FLOOR, ...): out = op(in) over the rows, computed over
// all rows of the batch when the selection keeps at least half of them (the
// dense loop vectorizes), on the constant once when the argument is one.
#pragma once

#include "engine/expr/kernel.h"

namespace kappa::engine {

template <typename In, typename Out, typename Op>
class UnaryKernel final : public Kernel {
 public:
  UnaryKernel(DataType type, KernelPtr arg, Op op)
      : Kernel(std::move(type)), arg_(std::move(arg)), op_(op) {}

  Result<Datum> Evaluate(const columnar::Batch& batch, RowSet rows) const override {
    ASSIGN_OR_RETURN(Datum in, arg_->Evaluate(batch, rows));
    if (in.is_null_constant()) return Datum::Constant(Value::Null(type()));
    if (in.is_constant()) return Datum::Constant(MakeValue(type(), op_(ScalarAs<In>(in.scalar))));
    size_t n = batch.num_rows;
    auto out = NewColumn<Out>(type(), n);
    const In* src = in.column->values<In>().data();
    Out* dst = out->template mutable_values<Out>().data();
    if (!rows.dense() && rows.size * 2 >= n) rows = RowSet::All(n);
    ForEachRow(rows, [&](uint32_t i) { dst[i] = op_(src[i]); });
    SetNulls(*out, in.column->nulls());
    return Datum::Of(std::move(out));
  }

 private:
  KernelPtr arg_;
  Op op_;
};

template <typename In, typename Out, typename Op>
KernelPtr MakeUnary(DataType type, KernelPtr arg, Op op) {
  return std::make_unique<UnaryKernel<In, Out, Op>>(std::move(type), std::move(arg), op);
}

}  // namespace kappa::engine
