// Comparisons and IN. Both sides are cast to their common type at compile
// time (CommonType: numbers widen, DATE widens to TIMESTAMP, a string
// compared with a number or time is parsed as one), so the loops compare one
// physical type: integers, doubles (Java primitive semantics), unscaled
// decimals at one scale, and strings byte-wise (UTF-8 binary order is code
// point order). As a filter, a comparison writes the selection directly.
#include <functional>

#include "engine/expr/functions.h"

namespace kappa::engine {
namespace {

enum class Cmp { kEq, kNe, kLt, kLe, kGt, kGe };

template <typename F>
decltype(auto) WithCmp(Cmp c, F&& f) {
  switch (c) {
    case Cmp::kEq: return f(std::equal_to<>{});
    case Cmp::kNe: return f(std::not_equal_to<>{});
    case Cmp::kLt: return f(std::less<>{});
    case Cmp::kLe: return f(std::less_equal<>{});
    case Cmp::kGt: return f(std::greater<>{});
    default: return f(std::greater_equal<>{});
  }
}

template <typename T, typename F>
decltype(auto) Read(const Datum& d, F&& f) {
  if constexpr (std::is_same_v<T, std::string_view>) {
    return WithStrReader(d, f);
  } else {
    return WithReader<T>(d, f);
  }
}

// Calls f(T{}) for the physical type compared for `id`.
template <typename F>
decltype(auto) DispatchCompared(TypeId id, F&& f) {
  if (id == TypeId::kString) return f(std::string_view{});
  return DispatchFixed(id, f);
}

template <typename T>
class CompareKernel final : public Kernel {
 public:
  CompareKernel(Cmp cmp, KernelPtr a, KernelPtr b)
      : Kernel(DataType::Boolean()), cmp_(cmp), a_(std::move(a)), b_(std::move(b)) {}

  Result<Datum> Evaluate(const columnar::Batch& batch, RowSet rows) const override {
    ASSIGN_OR_RETURN(Datum a, a_->Evaluate(batch, rows));
    if (a.is_null_constant()) return Datum::Constant(Value::Null(type()));
    ASSIGN_OR_RETURN(Datum b, b_->Evaluate(batch, rows));
    if (b.is_null_constant()) return Datum::Constant(Value::Null(type()));
    bool constant = a.is_constant() && b.is_constant();
    size_t n = constant ? 1 : batch.num_rows;
    if (constant) rows = RowSet::All(1);
    auto out = NewColumn<uint8_t>(type(), n);
    uint8_t* dst = out->mutable_values<uint8_t>().data();
    if constexpr (!std::is_same_v<T, std::string_view>) {
      if (!rows.dense() && rows.size * 2 >= n) rows = RowSet::All(n);
    }
    Read<T>(a, [&](auto ra) {
      Read<T>(b, [&](auto rb) {
        WithCmp(cmp_, [&](auto op) {
          ForEachRow(rows, [&](uint32_t i) { dst[i] = op(ra[i], rb[i]); });
        });
      });
    });
    SetNulls(*out, UnionNulls({&a, &b}, n));
    if (constant) return Datum::Constant(out->Get(0));
    return Datum::Of(std::move(out));
  }

  Result<std::vector<uint32_t>> Select(const columnar::Batch& batch, RowSet rows) const override {
    ASSIGN_OR_RETURN(Datum a, a_->Evaluate(batch, rows));
    ASSIGN_OR_RETURN(Datum b, b_->Evaluate(batch, rows));
    std::vector<uint32_t> out;
    if (a.is_null_constant() || b.is_null_constant()) return out;
    if (a.is_constant() && b.is_constant()) return Kernel::Select(batch, rows);
    out.resize(rows.size);
    size_t k = 0;
    std::vector<uint8_t> nulls = UnionNulls({&a, &b}, batch.num_rows);
    Read<T>(a, [&](auto ra) {
      Read<T>(b, [&](auto rb) {
        WithCmp(cmp_, [&](auto op) {
          if (nulls.empty()) {
            ForEachRow(rows, [&](uint32_t i) {
              out[k] = i;
              k += op(ra[i], rb[i]) ? 1 : 0;
            });
          } else {
            const uint8_t* nm = nulls.data();
            ForEachRow(rows, [&](uint32_t i) {
              out[k] = i;
              k += (op(ra[i], rb[i]) ? 1 : 0) & (nm[i] ^ 1);
            });
          }
        });
      });
    });
    out.resize(k);
    return out;
  }

 private:
  Cmp cmp_;
  KernelPtr a_, b_;
};

// value IN (e1, e2, ...): TRUE if some ei equals value; else NULL if value or
// some ei is NULL; else FALSE.
template <typename T>
class InKernel final : public Kernel {
 public:
  explicit InKernel(std::vector<KernelPtr> args) : Kernel(DataType::Boolean()), args_(std::move(args)) {}

  Result<Datum> Evaluate(const columnar::Batch& batch, RowSet rows) const override {
    ASSIGN_OR_RETURN(Datum v, args_[0]->Evaluate(batch, rows));
    if (v.is_null_constant()) return Datum::Constant(Value::Null(type()));
    std::vector<Datum> elements;
    bool constant = v.is_constant();
    for (size_t k = 1; k < args_.size(); ++k) {
      ASSIGN_OR_RETURN(Datum e, args_[k]->Evaluate(batch, rows));
      constant &= e.is_constant();
      elements.push_back(std::move(e));
    }
    if (v.is_constant() && !constant) v = Datum::Of(Materialize(v, args_[0]->type(), batch.num_rows));
    size_t n = constant ? 1 : batch.num_rows;
    if (constant) rows = RowSet::All(1);
    std::vector<uint8_t> found(n, 0), null_element(n, 0);
    for (const Datum& e : elements) {
      if (e.is_null_constant()) {
        std::fill(null_element.begin(), null_element.end(), 1);
        continue;
      }
      const uint8_t* en = e.nulls();
      Read<T>(v, [&](auto rv) {
        Read<T>(e, [&](auto re) {
          ForEachRow(rows, [&](uint32_t i) {
            if (en != nullptr && en[i]) {
              null_element[i] = 1;
            } else {
              found[i] |= rv[i] == re[i] ? 1 : 0;
            }
          });
        });
      });
    }
    auto out = NewColumn<uint8_t>(type(), n);
    uint8_t* dst = out->mutable_values<uint8_t>().data();
    std::vector<uint8_t> nulls(n, 0);
    const uint8_t* vn = v.nulls();
    bool any_null = false;
    ForEachRow(rows, [&](uint32_t i) {
      dst[i] = found[i];
      nulls[i] = (vn != nullptr && vn[i]) || (!found[i] && null_element[i]);
      any_null |= nulls[i] != 0;
    });
    if (any_null) SetNulls(*out, std::move(nulls));
    if (constant) return Datum::Constant(out->Get(0));
    return Datum::Of(std::move(out));
  }

 private:
  std::vector<KernelPtr> args_;
};

Cmp ParseCmp(const std::string& name) {
  if (name == "=") return Cmp::kEq;
  if (name == "<>") return Cmp::kNe;
  if (name == "<") return Cmp::kLt;
  if (name == "<=") return Cmp::kLe;
  if (name == ">") return Cmp::kGt;
  return Cmp::kGe;
}

bool Comparable(const DataType& t) { return t.id() != TypeId::kRow; }

}  // namespace

Result<KernelPtr> MakeComparison(const sql::Expr& expr, std::vector<KernelPtr> args) {
  if (args.size() != 2 || !Comparable(args[0]->type()) || !Comparable(args[1]->type())) {
    return Unsupported(expr);
  }
  Result<DataType> common = CommonType(args[0]->type(), args[1]->type());
  if (!common.ok()) return Unsupported(expr);
  if (common->id() == TypeId::kNull) return MakeLiteral(Value::Null(DataType::Boolean()));
  ASSIGN_OR_RETURN(KernelPtr a, CastTo(std::move(args[0]), *common));
  ASSIGN_OR_RETURN(KernelPtr b, CastTo(std::move(args[1]), *common));
  Cmp cmp = ParseCmp(expr.function);
  return DispatchCompared(common->id(), [&](auto tag) -> KernelPtr {
    using T = decltype(tag);
    return std::make_unique<CompareKernel<T>>(cmp, std::move(a), std::move(b));
  });
}

Result<KernelPtr> MakeIn(const sql::Expr& expr, std::vector<KernelPtr> args) {
  if (args.size() < 2) return Unsupported(expr);
  DataType common = args[0]->type();
  for (const KernelPtr& a : args) {
    if (!Comparable(a->type())) return Unsupported(expr);
    Result<DataType> t = CommonType(common, a->type());
    if (!t.ok()) return Unsupported(expr);
    common = *t;
  }
  if (common.id() == TypeId::kNull) return MakeLiteral(Value::Null(DataType::Boolean()));
  for (KernelPtr& a : args) {
    ASSIGN_OR_RETURN(a, CastTo(std::move(a), common));
  }
  return DispatchCompared(common.id(), [&](auto tag) -> KernelPtr {
    using T = decltype(tag);
    return std::make_unique<InKernel<T>>(std::move(args));
  });
}

}  // namespace kappa::engine
