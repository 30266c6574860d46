// Internals of the expression evaluator. A Kernel is one compiled node of an
// expression tree: the function and its argument types were resolved when it
// was built, so Evaluate only runs typed loops. A kernel computes the rows of
// a RowSet (the batch's selection, or a narrower one under AND/OR/CASE/
// COALESCE) and returns a Datum: a column of batch.num_rows rows whose values
// outside the RowSet are unspecified, or one constant for every row (literals
// are broadcast, not materialised). Kernels are immutable after construction
// and may be shared by threads.
#pragma once

#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "columnar/batch.h"
#include "engine/expr/evaluator.h"

namespace kappa::engine {

using columnar::Column;
using columnar::ColumnPtr;
using columnar::DataType;
using columnar::Int128;
using columnar::TypeId;
using columnar::Value;

// The rows a kernel computes: sel[0..size) (ascending physical rows), or the
// dense rows [0, size) when sel is null.
struct RowSet {
  const uint32_t* sel = nullptr;
  size_t size = 0;

  bool dense() const { return sel == nullptr; }
  static RowSet All(size_t n) { return RowSet{nullptr, n}; }
  static RowSet Of(const std::vector<uint32_t>& rows) { return RowSet{rows.data(), rows.size()}; }
};

// The rows of the batch's selection.
RowSet BatchRows(const columnar::Batch& batch);

template <typename F>
inline void ForEachRow(RowSet rows, F&& f) {
  if (rows.sel == nullptr) {
    for (uint32_t i = 0; i < rows.size; ++i) f(i);
  } else {
    for (size_t k = 0; k < rows.size; ++k) f(rows.sel[k]);
  }
}

// A kernel's result: a column, or one value for every row.
struct Datum {
  ColumnPtr column;
  Value scalar;  // when column is null

  static Datum Of(ColumnPtr c) { return Datum{std::move(c), Value()}; }
  static Datum Constant(Value v) { return Datum{nullptr, std::move(v)}; }
  bool is_constant() const { return column == nullptr; }
  bool is_null_constant() const { return column == nullptr && scalar.is_null(); }
  // One byte per row, 1 = NULL; nullptr when no row is NULL.
  const uint8_t* nulls() const {
    return column && column->has_nulls() ? column->nulls().data() : nullptr;
  }
  bool IsNull(uint32_t row) const { return column ? column->IsNull(row) : scalar.is_null(); }
};

class Kernel : public CompiledExpr {
 public:
  explicit Kernel(DataType type) : CompiledExpr(std::move(type)) {}

  Result<ColumnPtr> Eval(const columnar::Batch& batch) const final;

  // Computes `rows` of `batch`. Errors are runtime data errors of those rows.
  virtual Result<Datum> Evaluate(const columnar::Batch& batch, RowSet rows) const = 0;
  // The rows of `rows` where this BOOLEAN kernel is TRUE, ascending.
  virtual Result<std::vector<uint32_t>> Select(const columnar::Batch& batch, RowSet rows) const;
  // The value of a literal (or folded) kernel; nullptr otherwise.
  virtual const Value* constant() const { return nullptr; }
  // False for CURRENT_TIMESTAMP and friends: never folded at compile time.
  virtual bool deterministic() const { return true; }

  // The expression's display text, for error messages.
  const std::string& text() const { return text_; }
  void set_text(std::string text) { text_ = std::move(text); }

 private:
  std::string text_;
};
using KernelPtr = std::unique_ptr<Kernel>;

// A literal: broadcast, never materialised until the root.
class LiteralKernel final : public Kernel {
 public:
  explicit LiteralKernel(Value v);
  Result<Datum> Evaluate(const columnar::Batch&, RowSet) const override {
    return Datum::Constant(value_);
  }
  const Value* constant() const override { return &value_; }

 private:
  Value value_;
};

KernelPtr MakeLiteral(Value v);
// Evaluates a kernel whose arguments are all constant once and returns a
// literal of its value; `k` itself when it is not deterministic or fails
// (the error is then raised per batch at runtime, as Flink does).
KernelPtr FoldConstant(KernelPtr k);
bool AllConstant(const std::vector<KernelPtr>& args);

// A column of n copies of the datum's value (or the column itself).
ColumnPtr Materialize(const Datum& d, const DataType& type, size_t n);

// The union of the null maps of `args` over n rows; empty when none has a
// NULL. REQUIRES: no arg is a NULL constant.
std::vector<uint8_t> UnionNulls(std::initializer_list<const Datum*> args, size_t n);

// A new column of `type` with n value slots of T (unspecified), size n.
template <typename T>
std::shared_ptr<Column> NewColumn(const DataType& type, size_t n) {
  auto c = std::make_shared<Column>(type);
  c->mutable_values<T>().resize(n);
  c->SetSize(n);
  return c;
}
// Installs a null map (n bytes) when it is not empty.
void SetNulls(Column& c, std::vector<uint8_t> nulls);

// Physical payload of a fixed-width Value: bool -> uint8_t, etc.
template <typename T>
T ScalarAs(const Value& v) {
  if constexpr (std::is_same_v<T, uint8_t>) {
    return v.boolean() ? 1 : 0;
  } else if constexpr (std::is_same_v<T, int32_t>) {
    return v.int32();
  } else if constexpr (std::is_same_v<T, int64_t>) {
    return v.int64();
  } else if constexpr (std::is_same_v<T, double>) {
    return v.float64();
  } else {
    return v.decimal();
  }
}
// A Value of `type` from its physical payload.
template <typename T>
Value MakeValue(const DataType& type, T v) {
  if constexpr (std::is_same_v<T, uint8_t>) {
    return Value(type, v != 0);
  } else {
    return Value(type, v);
  }
}

// Readers of fixed-width inputs: a column's vector or a broadcast constant.
template <typename T>
struct ColReader {
  const T* p;
  T operator[](uint32_t i) const { return p[i]; }
};
template <typename T>
struct ConstReader {
  T v;
  T operator[](uint32_t) const { return v; }
};
// Calls f(reader) with the right reader for a non-NULL-constant datum.
template <typename T, typename F>
decltype(auto) WithReader(const Datum& d, F&& f) {
  if (d.is_constant()) return f(ConstReader<T>{ScalarAs<T>(d.scalar)});
  return f(ColReader<T>{d.column->values<T>().data()});
}

// Readers of STRING inputs.
struct StrColReader {
  const uint32_t* offsets;
  const char* bytes;
  std::string_view operator[](uint32_t i) const {
    return std::string_view(bytes + offsets[i], offsets[i + 1] - offsets[i]);
  }
};
struct StrConstReader {
  std::string_view v;
  std::string_view operator[](uint32_t) const { return v; }
};
template <typename F>
decltype(auto) WithStrReader(const Datum& d, F&& f) {
  if (d.is_constant()) return f(StrConstReader{d.scalar.string()});
  const auto& s = d.column->strings();
  return f(StrColReader{s.offsets.data(), s.bytes.data()});
}

// Calls f(T{}) with the physical C++ type of a fixed-width TypeId
// (uint8_t, int32_t, int64_t, double, Int128). REQUIRES: not STRING/ROW/NULL.
template <typename F>
decltype(auto) DispatchFixed(TypeId id, F&& f) {
  switch (id) {
    case TypeId::kInt32:
    case TypeId::kDate: return f(int32_t{});
    case TypeId::kInt64:
    case TypeId::kTimestamp:
    case TypeId::kTimestampLtz:
    case TypeId::kInterval: return f(int64_t{});
    case TypeId::kDouble: return f(double{});
    case TypeId::kDecimal: return f(Int128{});
    default: return f(uint8_t{});
  }
}
bool IsFixedWidth(TypeId id);

// Builds a STRING column of n rows, setting rows in ascending order; rows
// never set are empty strings.
class StringBuilder {
 public:
  StringBuilder(const DataType& type, size_t n);
  void Set(uint32_t row, std::string_view v) {
    Skip(row);
    column_->AppendString(v);
  }
  void SetNull(uint32_t row) {
    Skip(row);
    column_->AppendNull();
  }
  ColumnPtr Finish();

 private:
  void Skip(uint32_t row) {
    while (column_->size() < row) column_->AppendString("");
  }

  std::shared_ptr<Column> column_;
  size_t n_;
};

// The rows of `rows` where a BOOLEAN datum is TRUE.
std::vector<uint32_t> SelectTrue(const Datum& d, RowSet rows);
// rows minus `taken` (both ascending; taken a subset of rows).
std::vector<uint32_t> Difference(RowSet rows, const std::vector<uint32_t>& taken);

// The message of an unsupported function or argument types:
// "unsupported function FOO(STRING, INT)".
Status Unsupported(const sql::Expr& expr);

}  // namespace kappa::engine
