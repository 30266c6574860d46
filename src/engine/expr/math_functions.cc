// Numeric functions: ABS (Java's Math.abs: ABS(INT_MIN) wraps), ROUND(x[, d])
// HALF_UP as Flink (a DOUBLE is rounded as BigDecimal.valueOf(x)), FLOOR and
// CEIL, and POWER, SQRT, LN, LOG10, EXP on DOUBLE (IEEE results: LN(0) is
// -Infinity, SQRT(-1) NaN). DECIMAL results beyond the type's precision are
// NULL.
#include <cmath>

#include "engine/expr/decimal_math.h"
#include "engine/expr/functions.h"
#include "engine/expr/row_kernel.h"
#include "engine/expr/unary.h"

namespace kappa::engine {
namespace {

struct AbsInt32 {
  int32_t operator()(int32_t v) const { return v < 0 ? static_cast<int32_t>(0u - static_cast<uint32_t>(v)) : v; }
};
struct AbsInt64 {
  int64_t operator()(int64_t v) const { return v < 0 ? static_cast<int64_t>(0ull - static_cast<uint64_t>(v)) : v; }
};
struct AbsDouble {
  double operator()(double v) const { return std::fabs(v); }
};
struct AbsDecimal {
  Int128 operator()(Int128 v) const { return v < 0 ? -v : v; }
};

struct DoubleFn {
  double (*fn)(double);
  double operator()(double v) const { return fn(v); }
};

// ROUND/FLOOR/CEIL of a DECIMAL at scale s to `digits` decimals, expressed at
// the result type's scale.
class DecimalRound final : public RowKernel {
 public:
  enum Mode { kRound, kFloor, kCeil };
  DecimalRound(DataType type, std::vector<KernelPtr> args, Mode mode, int scale, int digits)
      : RowKernel(type, std::move(args)), mode_(mode), scale_(scale), digits_(digits),
        bound_(Pow10(type.precision())) {}

 protected:
  Result<ColumnPtr> Compute(const std::vector<Datum>& args, RowSet rows, size_t n,
                            std::vector<uint8_t> nulls) const override {
    return BuildFixed<Int128>(type(), rows, n, std::move(nulls), [&](uint32_t i, Int128* out) {
      Int128 v = FixedAt<Int128>(args[0], i);
      if (digits_ < scale_) {
        int drop = std::min(scale_ - digits_, 38);
        v = mode_ == kRound ? DivPow10HalfUp(v, drop)
            : mode_ == kFloor ? DivPow10Floor(v, drop)
                              : DivPow10Ceil(v, drop);
        if (!Rescale(v, digits_, type().scale(), out)) return false;
      } else if (!Rescale(v, scale_, type().scale(), out)) {
        return false;
      }
      return FitsPrecision(*out, bound_);
    });
  }

 private:
  Mode mode_;
  int scale_, digits_;
  Int128 bound_;
};

// ROUND of an integer to a negative number of digits: ROUND(1250, -2) = 1300.
template <typename T>
struct RoundInt {
  int drop;
  T operator()(T v) const {
    Int128 r = DivPow10HalfUp(v, drop) * Pow10(drop);
    return static_cast<T>(static_cast<int64_t>(r));
  }
};

struct RoundDouble {
  int digits;
  double operator()(double v) const { return RoundDoubleHalfUp(v, digits); }
};

class Power final : public RowKernel {
 public:
  using RowKernel::RowKernel;

 protected:
  Result<ColumnPtr> Compute(const std::vector<Datum>& args, RowSet rows, size_t n,
                            std::vector<uint8_t> nulls) const override {
    return BuildFixed<double>(type(), rows, n, std::move(nulls), [&](uint32_t i, double* out) {
      *out = std::pow(FixedAt<double>(args[0], i), FixedAt<double>(args[1], i));
      return true;
    });
  }
};

Result<KernelPtr> MakeAbs(const sql::Expr& expr, KernelPtr a) {
  const DataType& r = expr.type;
  if (!r.IsNumeric() || !a->type().IsNumeric()) return Unsupported(expr);
  ASSIGN_OR_RETURN(a, CastTo(std::move(a), r));
  switch (r.id()) {
    case TypeId::kInt32: return MakeUnary<int32_t, int32_t>(r, std::move(a), AbsInt32{});
    case TypeId::kInt64: return MakeUnary<int64_t, int64_t>(r, std::move(a), AbsInt64{});
    case TypeId::kDouble: return MakeUnary<double, double>(r, std::move(a), AbsDouble{});
    default: return MakeUnary<Int128, Int128>(r, std::move(a), AbsDecimal{});
  }
}

Result<KernelPtr> MakeRoundLike(const sql::Expr& expr, std::vector<KernelPtr> args) {
  const std::string& f = expr.function;
  const DataType& r = expr.type;
  if (args.empty() || args.size() > 2 || !args[0]->type().IsNumeric() || !r.IsNumeric()) return Unsupported(expr);
  int digits = 0;
  if (args.size() == 2) {
    const Value* d = args[1]->constant();
    if (f != "ROUND" || d == nullptr || !args[1]->type().IsIntegral()) {
      return Invalid("the digits of {} must be a constant integer", f);
    }
    if (d->is_null()) return MakeLiteral(Value::Null(r));
    digits = d->type().id() == TypeId::kInt32 ? d->int32() : static_cast<int>(d->int64());
  }
  KernelPtr a = std::move(args[0]);
  TypeId t = a->type().id();
  if (t == TypeId::kDouble) {
    if (r.id() != TypeId::kDouble) return Unsupported(expr);
    if (f == "ROUND") return MakeUnary<double, double>(r, std::move(a), RoundDouble{digits});
    return MakeUnary<double, double>(r, std::move(a), DoubleFn{f == "FLOOR" ? static_cast<double (*)(double)>(std::floor)
                                                                            : static_cast<double (*)(double)>(std::ceil)});
  }
  if (t == TypeId::kDecimal) {
    if (r.id() != TypeId::kDecimal) return Unsupported(expr);
    auto mode = f == "ROUND" ? DecimalRound::kRound : f == "FLOOR" ? DecimalRound::kFloor : DecimalRound::kCeil;
    int scale = a->type().scale();
    std::vector<KernelPtr> v;
    v.push_back(std::move(a));
    return KernelPtr(std::make_unique<DecimalRound>(r, std::move(v), mode, scale, digits));
  }
  // Integers: only ROUND to negative digits changes them.
  if (!r.IsIntegral()) return CastTo(std::move(a), r);
  ASSIGN_OR_RETURN(a, CastTo(std::move(a), r));
  if (f != "ROUND" || digits >= 0) return a;
  int drop = std::min(-digits, 38);
  if (r.id() == TypeId::kInt32) return MakeUnary<int32_t, int32_t>(r, std::move(a), RoundInt<int32_t>{drop});
  return MakeUnary<int64_t, int64_t>(r, std::move(a), RoundInt<int64_t>{drop});
}

}  // namespace

Result<KernelPtr> MakeMathFunction(const sql::Expr& expr, std::vector<KernelPtr> args) {
  const std::string& f = expr.function;
  for (KernelPtr& a : args) {
    if (a->type().id() == TypeId::kNull) a = MakeLiteral(Value::Null(expr.type));
  }
  if (f == "ABS") {
    if (args.size() != 1) return Unsupported(expr);
    return MakeAbs(expr, std::move(args[0]));
  }
  if (f == "ROUND" || f == "FLOOR" || f == "CEIL") return MakeRoundLike(expr, std::move(args));
  // DOUBLE functions.
  if (expr.type.id() != TypeId::kDouble) return Unsupported(expr);
  for (KernelPtr& a : args) {
    if (!a->type().IsNumeric()) return Unsupported(expr);
    ASSIGN_OR_RETURN(a, CastTo(std::move(a), DataType::Double()));
  }
  if (f == "POWER") {
    if (args.size() != 2) return Unsupported(expr);
    return KernelPtr(std::make_unique<Power>(DataType::Double(), std::move(args)));
  }
  if (args.size() != 1) return Unsupported(expr);
  double (*fn)(double) = f == "SQRT"    ? static_cast<double (*)(double)>(std::sqrt)
                         : f == "LN"    ? static_cast<double (*)(double)>(std::log)
                         : f == "LOG10" ? static_cast<double (*)(double)>(std::log10)
                         : f == "EXP"   ? static_cast<double (*)(double)>(std::exp)
                                        : nullptr;
  if (fn == nullptr) return Unsupported(expr);
  return MakeUnary<double, double>(DataType::Double(), std::move(args[0]), DoubleFn{fn});
}

}  // namespace kappa::engine
