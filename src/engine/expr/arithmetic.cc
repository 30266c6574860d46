// Arithmetic with Flink's semantics: INT/BIGINT wrap on overflow as Java
// does; DOUBLE follows IEEE (x / 0 is Infinity or NaN); DECIMAL is exact in
// the result type the binder gave (operands are rescaled to it, division
// and any dropped digits round HALF_UP, a result beyond the type's precision
// is NULL as Flink's DecimalData gives); division or modulo by zero of
// integers and decimals is a runtime error. TIMESTAMP/DATE +/- INTERVAL and
// INTERVAL arithmetic are millisecond integer arithmetic.
#include <algorithm>
#include <cmath>

#include "engine/expr/datetime.h"
#include "engine/expr/decimal_math.h"
#include "engine/expr/functions.h"
#include "engine/expr/unary.h"

namespace kappa::engine {
namespace {

enum class Op { kAdd, kSub, kMul, kDiv, kMod };

template <typename A, typename B, typename F>
void Binary(const Datum& a, const Datum& b, F&& f) {
  WithReader<A>(a, [&](auto ra) { WithReader<B>(b, [&](auto rb) { f(ra, rb); }); });
}

// Both arguments are evaluated; a NULL constant makes the result NULL.
class BinaryBase : public Kernel {
 public:
  BinaryBase(DataType type, Op op, KernelPtr a, KernelPtr b)
      : Kernel(std::move(type)), op_(op), a_(std::move(a)), b_(std::move(b)) {}

  Result<Datum> Evaluate(const columnar::Batch& batch, RowSet rows) const override {
    ASSIGN_OR_RETURN(Datum a, a_->Evaluate(batch, rows));
    if (a.is_null_constant()) return Datum::Constant(Value::Null(type()));
    ASSIGN_OR_RETURN(Datum b, b_->Evaluate(batch, rows));
    if (b.is_null_constant()) return Datum::Constant(Value::Null(type()));
    size_t n = a.is_constant() && b.is_constant() ? 1 : batch.num_rows;
    if (a.is_constant() && b.is_constant()) rows = RowSet::All(1);
    std::vector<uint8_t> nulls = UnionNulls({&a, &b}, n);
    ASSIGN_OR_RETURN(ColumnPtr out, Compute(a, b, rows, n, std::move(nulls)));
    if (a.is_constant() && b.is_constant()) return Datum::Constant(out->Get(0));
    return Datum::Of(std::move(out));
  }

 protected:
  virtual Result<ColumnPtr> Compute(const Datum& a, const Datum& b, RowSet rows, size_t n,
                                    std::vector<uint8_t> nulls) const = 0;
  Status DivisionByZero() const { return Invalid("division by zero in {}", text()); }

  Op op_;

 private:
  KernelPtr a_, b_;
};

// The first active non-NULL row where the divisor is zero, or -1.
template <typename R>
int64_t FindZero(R divisor, RowSet rows, const std::vector<uint8_t>& nulls) {
  int64_t zero = -1;
  ForEachRow(rows, [&](uint32_t i) {
    if (zero < 0 && divisor[i] == 0 && (nulls.empty() || !nulls[i])) zero = i;
  });
  return zero;
}

// INT, BIGINT (and the int64 millis of TIMESTAMP/INTERVAL): Java semantics.
template <typename T>
class IntArith final : public BinaryBase {
 public:
  using BinaryBase::BinaryBase;

 protected:
  using U = std::make_unsigned_t<T>;

  Result<ColumnPtr> Compute(const Datum& a, const Datum& b, RowSet rows, size_t n,
                            std::vector<uint8_t> nulls) const override {
    auto out = NewColumn<T>(type(), n);
    T* dst = out->template mutable_values<T>().data();
    Status status;
    Binary<T, T>(a, b, [&](auto ra, auto rb) {
      if (op_ == Op::kDiv || op_ == Op::kMod) {
        if (FindZero(rb, rows, nulls) >= 0) {
          status = DivisionByZero();
          return;
        }
        ForEachRow(rows, [&](uint32_t i) {
          T y = rb[i];
          if (y == 0) y = 1;  // a NULL row
          if (y == -1) {  // Java: MIN / -1 == MIN, MIN % -1 == 0
            dst[i] = op_ == Op::kDiv ? static_cast<T>(U(0) - U(ra[i])) : 0;
          } else {
            dst[i] = op_ == Op::kDiv ? ra[i] / y : ra[i] % y;
          }
        });
        return;
      }
      RowSet all = !rows.dense() && rows.size * 2 >= n ? RowSet::All(n) : rows;
      switch (op_) {
        case Op::kAdd: ForEachRow(all, [&](uint32_t i) { dst[i] = T(U(ra[i]) + U(rb[i])); }); break;
        case Op::kSub: ForEachRow(all, [&](uint32_t i) { dst[i] = T(U(ra[i]) - U(rb[i])); }); break;
        default: ForEachRow(all, [&](uint32_t i) { dst[i] = T(U(ra[i]) * U(rb[i])); }); break;
      }
    });
    RETURN_IF_ERROR(status);
    SetNulls(*out, std::move(nulls));
    return ColumnPtr(std::move(out));
  }
};

class DoubleArith final : public BinaryBase {
 public:
  using BinaryBase::BinaryBase;

 protected:
  Result<ColumnPtr> Compute(const Datum& a, const Datum& b, RowSet rows, size_t n,
                            std::vector<uint8_t> nulls) const override {
    auto out = NewColumn<double>(type(), n);
    double* dst = out->mutable_values<double>().data();
    if (!rows.dense() && rows.size * 2 >= n) rows = RowSet::All(n);
    Binary<double, double>(a, b, [&](auto ra, auto rb) {
      switch (op_) {
        case Op::kAdd: ForEachRow(rows, [&](uint32_t i) { dst[i] = ra[i] + rb[i]; }); break;
        case Op::kSub: ForEachRow(rows, [&](uint32_t i) { dst[i] = ra[i] - rb[i]; }); break;
        case Op::kMul: ForEachRow(rows, [&](uint32_t i) { dst[i] = ra[i] * rb[i]; }); break;
        case Op::kDiv: ForEachRow(rows, [&](uint32_t i) { dst[i] = ra[i] / rb[i]; }); break;
        case Op::kMod: ForEachRow(rows, [&](uint32_t i) { dst[i] = std::fmod(ra[i], rb[i]); }); break;
      }
    });
    SetNulls(*out, std::move(nulls));
    return ColumnPtr(std::move(out));
  }
};

// DECIMAL: operands arrive as unscaled Int128 at scales sa/sb (see
// MakeDecimal); the result is at the type's scale.
class DecimalArith final : public BinaryBase {
 public:
  // no_overflow: the operands' digits make Int128 overflow impossible.
  DecimalArith(DataType type, Op op, KernelPtr a, KernelPtr b, int sa, int sb, bool no_overflow)
      : BinaryBase(type, op, std::move(a), std::move(b)),
        sa_(sa), sb_(sb), rs_(type.scale()), bound_(Pow10(type.precision())), no_overflow_(no_overflow) {}

 protected:
  Result<ColumnPtr> Compute(const Datum& a, const Datum& b, RowSet rows, size_t n,
                            std::vector<uint8_t> nulls) const override {
    auto out = NewColumn<Int128>(type(), n);
    Int128* dst = out->mutable_values<Int128>().data();
    Status status;
    bool any_null = false;
    std::vector<uint8_t> overflow;
    auto put = [&](uint32_t i, bool ok, Int128 v) {
      if (ok && FitsPrecision(v, bound_)) {
        dst[i] = v;
        return;
      }
      if (overflow.empty()) overflow.assign(n, 0);
      overflow[i] = 1;
      any_null = true;
    };
    Binary<Int128, Int128>(a, b, [&](auto ra, auto rb) {
      if ((op_ == Op::kDiv || op_ == Op::kMod) && FindZero(rb, rows, nulls) >= 0) {
        status = DivisionByZero();
        return;
      }
      int ws = std::max(sa_, sb_);  // add/sub/mod operands share this scale
      switch (op_) {
        case Op::kAdd:
        case Op::kSub:
          if (no_overflow_ && ws == rs_) {  // the common case: one scale, no carry out
            if (op_ == Op::kAdd) {
              ForEachRow(rows, [&](uint32_t i) { put(i, true, ra[i] + rb[i]); });
            } else {
              ForEachRow(rows, [&](uint32_t i) { put(i, true, ra[i] - rb[i]); });
            }
            break;
          }
          ForEachRow(rows, [&](uint32_t i) {
            Int128 v;
            bool ok = op_ == Op::kAdd ? !__builtin_add_overflow(ra[i], rb[i], &v)
                                      : !__builtin_sub_overflow(ra[i], rb[i], &v);
            if (ok) ok = Rescale(v, ws, rs_, &v);
            put(i, ok, v);
          });
          break;
        case Op::kMul:
          if (no_overflow_ && sa_ + sb_ == rs_) {
            ForEachRow(rows, [&](uint32_t i) { put(i, true, ra[i] * rb[i]); });
          } else {
            ForEachRow(rows, [&](uint32_t i) {
              Int128 v;
              bool ok = MulRescale(ra[i], rb[i], sa_ + sb_ - rs_, &v);
              put(i, ok, v);
            });
          }
          break;
        case Op::kDiv: {
          int shift = rs_ - sa_ + sb_;
          ForEachRow(rows, [&](uint32_t i) {
            Int128 y = rb[i], v = 0;
            if (y == 0) return put(i, true, 0);  // a NULL row
            bool ok = shift >= 0 ? ScaleDiv(ra[i], shift, y, &v)
                                 : (Rescale(y, 0, -shift, &y) && ScaleDiv(ra[i], 0, y, &v));
            put(i, ok, v);
          });
          break;
        }
        case Op::kMod:
          ForEachRow(rows, [&](uint32_t i) {
            Int128 y = rb[i], v = 0;
            if (y == 0) return put(i, true, 0);
            bool ok = Rescale(ra[i] % y, ws, rs_, &v);
            put(i, ok, v);
          });
          break;
      }
    });
    RETURN_IF_ERROR(status);
    if (any_null) {
      if (nulls.empty()) {
        nulls = std::move(overflow);
      } else {
        for (size_t i = 0; i < n; ++i) nulls[i] |= overflow[i];
      }
    }
    SetNulls(*out, std::move(nulls));
    return ColumnPtr(std::move(out));
  }

 private:
  int sa_, sb_, rs_;
  Int128 bound_;
  bool no_overflow_;
};

// DATE +/- INTERVAL -> DATE: whole days of the interval.
class DateIntervalArith final : public BinaryBase {
 public:
  DateIntervalArith(DataType type, Op op, KernelPtr a, KernelPtr b, bool date_first)
      : BinaryBase(std::move(type), op, std::move(a), std::move(b)), date_first_(date_first) {}

 protected:
  Result<ColumnPtr> Compute(const Datum& a, const Datum& b, RowSet rows, size_t n,
                            std::vector<uint8_t> nulls) const override {
    auto out = NewColumn<int32_t>(type(), n);
    int32_t* dst = out->mutable_values<int32_t>().data();
    const Datum& date = date_first_ ? a : b;
    const Datum& interval = date_first_ ? b : a;
    int sign = op_ == Op::kSub ? -1 : 1;
    Binary<int32_t, int64_t>(date, interval, [&](auto rd, auto ri) {
      ForEachRow(rows, [&](uint32_t i) {
        dst[i] = static_cast<int32_t>(rd[i] + sign * (ri[i] / kMillisPerDay));
      });
    });
    SetNulls(*out, std::move(nulls));
    return ColumnPtr(std::move(out));
  }

 private:
  bool date_first_;
};

int IntegerDigits(const DataType& t) {
  switch (t.id()) {
    case TypeId::kInt32: return 10;
    case TypeId::kInt64: return 19;
    case TypeId::kDecimal: return t.precision() - t.scale();
    default: return 1;
  }
}

// `k` as a DECIMAL at `scale` (ints widen exactly; decimals rescale).
Result<KernelPtr> AtScale(KernelPtr k, int scale) {
  if (k->type().id() == TypeId::kDecimal && k->type().scale() == scale) return k;
  int precision = std::min(38, IntegerDigits(k->type()) + scale);
  return CastTo(std::move(k), DataType::Decimal(std::max(precision, 1), scale));
}

int ScaleOf(const DataType& t) { return t.id() == TypeId::kDecimal ? t.scale() : 0; }

Result<KernelPtr> MakeDecimal(const sql::Expr& expr, Op op, KernelPtr a, KernelPtr b) {
  const DataType& r = expr.type;
  if (!a->type().IsNumeric() || !b->type().IsNumeric() || a->type().id() == TypeId::kDouble ||
      b->type().id() == TypeId::kDouble) {
    return Unsupported(expr);
  }
  int sa = ScaleOf(a->type()), sb = ScaleOf(b->type());
  if (op == Op::kAdd || op == Op::kSub || op == Op::kMod) {
    sa = sb = std::max({sa, sb, op == Op::kMod ? 0 : r.scale()});
  }
  int pa = IntegerDigits(a->type()) + sa, pb = IntegerDigits(b->type()) + sb;
  ASSIGN_OR_RETURN(a, AtScale(std::move(a), sa));
  ASSIGN_OR_RETURN(b, AtScale(std::move(b), sb));
  bool no_overflow = op == Op::kMul ? pa + pb <= 38 : std::max(pa, pb) + 1 <= 38;
  return KernelPtr(std::make_unique<DecimalArith>(r, op, std::move(a), std::move(b), sa, sb, no_overflow));
}

Result<KernelPtr> MakeTemporal(const sql::Expr& expr, Op op, KernelPtr a, KernelPtr b) {
  TypeId ta = a->type().id(), tb = b->type().id(), r = expr.type.id();
  bool ts_a = ta == TypeId::kTimestamp || ta == TypeId::kTimestampLtz;
  bool ts_b = tb == TypeId::kTimestamp || tb == TypeId::kTimestampLtz;
  bool add_sub = op == Op::kAdd || op == Op::kSub;
  if (r == TypeId::kDate && add_sub) {
    if (ta == TypeId::kDate && tb == TypeId::kInterval) {
      return KernelPtr(std::make_unique<DateIntervalArith>(expr.type, op, std::move(a), std::move(b), true));
    }
    if (op == Op::kAdd && ta == TypeId::kInterval && tb == TypeId::kDate) {
      return KernelPtr(std::make_unique<DateIntervalArith>(expr.type, op, std::move(a), std::move(b), false));
    }
    return Unsupported(expr);
  }
  if ((r == TypeId::kTimestamp || r == TypeId::kTimestampLtz) && add_sub) {
    if (ta == TypeId::kDate) {
      ASSIGN_OR_RETURN(a, CastTo(std::move(a), expr.type));
    }
    if (tb == TypeId::kDate) {
      ASSIGN_OR_RETURN(b, CastTo(std::move(b), expr.type));
    }
    ts_a = ts_a || ta == TypeId::kDate;
    ts_b = ts_b || tb == TypeId::kDate;
    bool ok = (ts_a && tb == TypeId::kInterval) || (op == Op::kAdd && ta == TypeId::kInterval && ts_b);
    if (!ok) return Unsupported(expr);
    return KernelPtr(std::make_unique<IntArith<int64_t>>(expr.type, op, std::move(a), std::move(b)));
  }
  if (r == TypeId::kInterval) {
    if (add_sub && ta == TypeId::kInterval && tb == TypeId::kInterval) {
      return KernelPtr(std::make_unique<IntArith<int64_t>>(expr.type, op, std::move(a), std::move(b)));
    }
    bool scale = (op == Op::kMul && ((ta == TypeId::kInterval && b->type().IsIntegral()) ||
                                     (tb == TypeId::kInterval && a->type().IsIntegral()))) ||
                 (op == Op::kDiv && ta == TypeId::kInterval && b->type().IsIntegral());
    if (!scale) return Unsupported(expr);
    if (ta != TypeId::kInterval) {
      ASSIGN_OR_RETURN(a, CastTo(std::move(a), DataType::Int64()));
    }
    if (tb != TypeId::kInterval) {
      ASSIGN_OR_RETURN(b, CastTo(std::move(b), DataType::Int64()));
    }
    return KernelPtr(std::make_unique<IntArith<int64_t>>(expr.type, op, std::move(a), std::move(b)));
  }
  return Unsupported(expr);
}

struct NegateInt32 {
  int32_t operator()(int32_t v) const { return static_cast<int32_t>(0u - static_cast<uint32_t>(v)); }
};
struct NegateInt64 {
  int64_t operator()(int64_t v) const { return static_cast<int64_t>(0ull - static_cast<uint64_t>(v)); }
};
struct NegateDouble {
  double operator()(double v) const { return -v; }
};
struct NegateDecimal {
  Int128 operator()(Int128 v) const { return -v; }
};

Result<KernelPtr> MakeNegate(const sql::Expr& expr, KernelPtr a) {
  const DataType& r = expr.type;
  if (r.id() != a->type().id() && r.IsNumeric()) {
    ASSIGN_OR_RETURN(a, CastTo(std::move(a), r));
  }
  if (r.id() == TypeId::kDecimal && !(a->type() == r)) {
    ASSIGN_OR_RETURN(a, CastTo(std::move(a), r));
  }
  switch (r.id()) {
    case TypeId::kInt32: return MakeUnary<int32_t, int32_t>(r, std::move(a), NegateInt32{});
    case TypeId::kInt64:
    case TypeId::kInterval: return MakeUnary<int64_t, int64_t>(r, std::move(a), NegateInt64{});
    case TypeId::kDouble: return MakeUnary<double, double>(r, std::move(a), NegateDouble{});
    case TypeId::kDecimal: return MakeUnary<Int128, Int128>(r, std::move(a), NegateDecimal{});
    default: return Unsupported(expr);
  }
}

}  // namespace

Result<KernelPtr> MakeArithmetic(const sql::Expr& expr, std::vector<KernelPtr> args) {
  const std::string& name = expr.function;
  if (name == "NEGATE") {
    if (args.size() != 1) return Unsupported(expr);
    return MakeNegate(expr, std::move(args[0]));
  }
  if (args.size() != 2) return Unsupported(expr);
  Op op = name == "+"   ? Op::kAdd
          : name == "-" ? Op::kSub
          : name == "*" ? Op::kMul
          : name == "/" ? Op::kDiv
                        : Op::kMod;
  const DataType& r = expr.type;
  KernelPtr a = std::move(args[0]), b = std::move(args[1]);
  if (a->type().id() == TypeId::kNull) a = MakeLiteral(Value::Null(r.IsNumeric() ? r : b->type()));
  if (b->type().id() == TypeId::kNull) b = MakeLiteral(Value::Null(r.IsNumeric() ? r : a->type()));
  if (r.IsTemporal() || r.id() == TypeId::kInterval) return MakeTemporal(expr, op, std::move(a), std::move(b));
  if (!a->type().IsNumeric() || !b->type().IsNumeric()) return Unsupported(expr);
  switch (r.id()) {
    case TypeId::kDouble: {
      ASSIGN_OR_RETURN(a, CastTo(std::move(a), r));
      ASSIGN_OR_RETURN(b, CastTo(std::move(b), r));
      return KernelPtr(std::make_unique<DoubleArith>(r, op, std::move(a), std::move(b)));
    }
    case TypeId::kInt32:
    case TypeId::kInt64: {
      if (a->type().id() == TypeId::kDouble || b->type().id() == TypeId::kDouble ||
          a->type().id() == TypeId::kDecimal || b->type().id() == TypeId::kDecimal) {
        return Unsupported(expr);
      }
      ASSIGN_OR_RETURN(a, CastTo(std::move(a), r));
      ASSIGN_OR_RETURN(b, CastTo(std::move(b), r));
      if (r.id() == TypeId::kInt32) {
        return KernelPtr(std::make_unique<IntArith<int32_t>>(r, op, std::move(a), std::move(b)));
      }
      return KernelPtr(std::make_unique<IntArith<int64_t>>(r, op, std::move(a), std::move(b)));
    }
    case TypeId::kDecimal: return MakeDecimal(expr, op, std::move(a), std::move(b));
    default: return Unsupported(expr);
  }
}

}  // namespace kappa::engine
