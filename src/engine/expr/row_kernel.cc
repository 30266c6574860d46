#include "engine/expr/row_kernel.h"

namespace kappa::engine {

Result<Datum> RowKernel::Evaluate(const columnar::Batch& batch, RowSet rows) const {
  std::vector<Datum> values;
  values.reserve(args_.size());
  bool constant = true;
  for (const KernelPtr& a : args_) {
    ASSIGN_OR_RETURN(Datum d, a->Evaluate(batch, rows));
    if (d.is_null_constant()) return Datum::Constant(Value::Null(type()));
    constant &= d.is_constant();
    values.push_back(std::move(d));
  }
  size_t n = constant ? 1 : batch.num_rows;
  if (constant) rows = RowSet::All(1);
  std::vector<uint8_t> nulls;
  for (const Datum& d : values) {
    const uint8_t* dn = d.nulls();
    if (dn == nullptr) continue;
    if (nulls.empty()) {
      nulls.assign(dn, dn + n);
    } else {
      for (size_t i = 0; i < n; ++i) nulls[i] |= dn[i];
    }
  }
  ASSIGN_OR_RETURN(ColumnPtr out, Compute(values, rows, n, std::move(nulls)));
  if (constant) return Datum::Constant(out->Get(0));
  return Datum::Of(std::move(out));
}

}  // namespace kappa::engine
