// Base of null-propagating functions computed row by row (string, date and
// some decimal functions, where the per-row work dwarfs a virtual call): it
// evaluates the arguments, answers NULL when one is a NULL constant,
// computes a constant once when all arguments are constant, and hands
// Compute the union of the arguments' null maps; Compute skips those rows.
#pragma once

#include <string_view>
#include <vector>

#include "engine/expr/kernel.h"

namespace kappa::engine {

class RowKernel : public Kernel {
 public:
  RowKernel(DataType type, std::vector<KernelPtr> args) : Kernel(std::move(type)), args_(std::move(args)) {}

  Result<Datum> Evaluate(const columnar::Batch& batch, RowSet rows) const override;

 protected:
  // A column of n rows with the value of `rows`; `nulls` (n bytes, or empty
  // for none) marks rows whose result is NULL before computing.
  virtual Result<ColumnPtr> Compute(const std::vector<Datum>& args, RowSet rows, size_t n,
                                    std::vector<uint8_t> nulls) const = 0;

  const std::vector<KernelPtr>& args() const { return args_; }

 private:
  std::vector<KernelPtr> args_;
};

inline std::string_view StrAt(const Datum& d, uint32_t i) {
  return d.column ? d.column->GetString(i) : std::string_view(d.scalar.string());
}
template <typename T>
T FixedAt(const Datum& d, uint32_t i) {
  return d.column ? d.column->values<T>()[i] : ScalarAs<T>(d.scalar);
}
inline bool NullAt(const std::vector<uint8_t>& nulls, uint32_t i) { return !nulls.empty() && nulls[i]; }
inline void MarkNull(std::vector<uint8_t>& nulls, size_t n, uint32_t i) {
  if (nulls.empty()) nulls.assign(n, 0);
  nulls[i] = 1;
}

// A STRING column computed by f(row, std::string* out) -> bool (false: NULL)
// for the non-NULL rows of `rows`.
template <typename F>
ColumnPtr BuildStrings(const DataType& type, RowSet rows, size_t n, const std::vector<uint8_t>& nulls, F&& f) {
  StringBuilder out(type, n);
  std::string buf;
  ForEachRow(rows, [&](uint32_t i) {
    if (NullAt(nulls, i)) return out.SetNull(i);
    buf.clear();
    if (!f(i, &buf)) return out.SetNull(i);
    out.Set(i, buf);
  });
  return out.Finish();
}

// A fixed-width column of T computed by f(row, T* out) -> bool (false: NULL).
template <typename T, typename F>
ColumnPtr BuildFixed(const DataType& type, RowSet rows, size_t n, std::vector<uint8_t> nulls, F&& f) {
  auto out = NewColumn<T>(type, n);
  T* dst = out->template mutable_values<T>().data();
  ForEachRow(rows, [&](uint32_t i) {
    if (NullAt(nulls, i)) return;
    if (!f(i, &dst[i])) MarkNull(nulls, n, i);
  });
  SetNulls(*out, std::move(nulls));
  return out;
}

}  // namespace kappa::engine
