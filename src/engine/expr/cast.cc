// CAST between all types, with Flink's rules: numbers narrow by truncation
// and wrap as Java casts do (DOUBLE saturates), DECIMAL rounds HALF_UP and
// is NULL when the value does not fit its precision, text is parsed after
// trimming whitespace and an invalid text is a runtime error naming the value,
// DATE <-> TIMESTAMP at midnight, TIMESTAMP <-> TIMESTAMP_LTZ as UTC, and
// numbers <-> TIMESTAMP_LTZ as epoch seconds.
#include <charconv>
#include <cmath>
#include <limits>
#include <strings.h>

#include "columnar/value.h"
#include "engine/expr/datetime.h"
#include "engine/expr/decimal_math.h"
#include "engine/expr/functions.h"

namespace kappa::engine {
namespace {

enum CastOutcome : int { kOk = 0, kNull = 1, kError = 2 };

// Evaluates the argument; a constant argument is cast as a one-row column.
class CastBase : public Kernel {
 public:
  CastBase(DataType to, KernelPtr arg) : Kernel(std::move(to)), arg_(std::move(arg)) {}

  Result<Datum> Evaluate(const columnar::Batch& batch, RowSet rows) const override {
    ASSIGN_OR_RETURN(Datum in, arg_->Evaluate(batch, rows));
    if (in.is_null_constant()) return Datum::Constant(Value::Null(type()));
    if (in.is_constant()) {
      ColumnPtr one = Materialize(in, arg_->type(), 1);
      ASSIGN_OR_RETURN(ColumnPtr out, Convert(*one, RowSet::All(1), 1));
      return Datum::Constant(out->Get(0));
    }
    ASSIGN_OR_RETURN(ColumnPtr out, Convert(*in.column, rows, batch.num_rows));
    return Datum::Of(std::move(out));
  }

 protected:
  virtual Result<ColumnPtr> Convert(const Column& in, RowSet rows, size_t n) const = 0;

  Status CastError(const Column& in, uint32_t row) const {
    return Invalid("cannot cast '{}' to {}", in.Get(row).ToString(), type().ToString());
  }

 private:
  KernelPtr arg_;
};

// Fixed width to fixed width through Op: either To op(From) (kMayFail
// false) or CastOutcome op(From, To*).
template <typename From, typename To, typename Op>
class FixedCast final : public CastBase {
 public:
  FixedCast(DataType to, KernelPtr arg, Op op) : CastBase(std::move(to), std::move(arg)), op_(op) {}

 protected:
  Result<ColumnPtr> Convert(const Column& in, RowSet rows, size_t n) const override {
    auto out = NewColumn<To>(type(), n);
    const From* src = in.values<From>().data();
    To* dst = out->template mutable_values<To>().data();
    std::vector<uint8_t> nulls = in.nulls();
    if constexpr (!Op::kMayFail) {
      if (!rows.dense() && rows.size * 2 >= n) rows = RowSet::All(n);  // cheap: all rows
      ForEachRow(rows, [&](uint32_t i) { dst[i] = op_(src[i]); });
    } else {
      int64_t error_row = -1;
      ForEachRow(rows, [&](uint32_t i) {
        if (!nulls.empty() && nulls[i]) return;
        int r = op_(src[i], &dst[i]);
        if (r == kNull) {
          if (nulls.empty()) nulls.assign(n, 0);
          nulls[i] = 1;
        } else if (r == kError && error_row < 0) {
          error_row = i;
        }
      });
      if (error_row >= 0) return CastError(in, static_cast<uint32_t>(error_row));
    }
    SetNulls(*out, std::move(nulls));
    return ColumnPtr(std::move(out));
  }

 private:
  Op op_;
};

template <typename From, typename To>
struct Convert {
  static constexpr bool kMayFail = false;
  To operator()(From v) const { return static_cast<To>(v); }
};
template <typename From>
struct ToBool {
  static constexpr bool kMayFail = false;
  uint8_t operator()(From v) const { return v != 0 ? 1 : 0; }
};
template <typename To>
struct DoubleToInt {  // Java's (int) / (long) of a double
  static constexpr bool kMayFail = false;
  To operator()(double v) const {
    if (std::isnan(v)) return 0;
    if (v >= static_cast<double>(std::numeric_limits<To>::max())) return std::numeric_limits<To>::max();
    if (v <= static_cast<double>(std::numeric_limits<To>::min())) return std::numeric_limits<To>::min();
    return static_cast<To>(v);
  }
};
template <typename To>
struct DecimalToInt {  // BigDecimal.longValue(): truncate, wrap
  static constexpr bool kMayFail = false;
  int scale;
  To operator()(Int128 v) const { return static_cast<To>(static_cast<int64_t>(v / Pow10(scale))); }
};
struct DecimalToDoubleOp {
  static constexpr bool kMayFail = false;
  int scale;
  double operator()(Int128 v) const { return DecimalToDouble(v, scale); }
};
template <typename From>
struct IntToDecimalExact {  // the target has room for every value of From
  static constexpr bool kMayFail = false;
  Int128 factor;
  Int128 operator()(From v) const { return static_cast<Int128>(v) * factor; }
};
template <typename From>
struct IntToDecimal {
  static constexpr bool kMayFail = true;
  int scale;
  Int128 bound;
  int operator()(From v, Int128* out) const {
    if (!Rescale(static_cast<Int128>(v), 0, scale, out) || !FitsPrecision(*out, bound)) return kNull;
    return kOk;
  }
};
struct DecimalToDecimal {
  static constexpr bool kMayFail = true;
  int from, to;
  Int128 bound;
  int operator()(Int128 v, Int128* out) const {
    if (!Rescale(v, from, to, out) || !FitsPrecision(*out, bound)) return kNull;
    return kOk;
  }
};
struct DoubleToDecimalOp {
  static constexpr bool kMayFail = true;
  int scale;
  Int128 bound;
  int operator()(double v, Int128* out) const {
    if (!std::isfinite(v)) return kError;
    if (!DoubleToDecimal(v, scale, out) || !FitsPrecision(*out, bound)) return kNull;
    return kOk;
  }
};
struct Scale64 {  // DATE -> TIMESTAMP, seconds -> TIMESTAMP_LTZ
  static constexpr bool kMayFail = false;
  int64_t factor;
  template <typename From>
  int64_t operator()(From v) const {
    return static_cast<int64_t>(static_cast<uint64_t>(v) * static_cast<uint64_t>(factor));
  }
};
template <typename To>
struct FloorDivOp {  // TIMESTAMP -> DATE, TIMESTAMP_LTZ -> seconds
  static constexpr bool kMayFail = false;
  int64_t divisor;
  To operator()(int64_t v) const { return static_cast<To>(FloorDiv(v, divisor)); }
};

template <typename From, typename To, typename Op>
KernelPtr Make(const DataType& to, KernelPtr arg, Op op) {
  return std::make_unique<FixedCast<From, To, Op>>(to, std::move(arg), op);
}

// Casts between numbers and BOOLEAN.
template <typename From>
KernelPtr FromNumber(const DataType& from, const DataType& to, KernelPtr arg) {
  int s = from.scale();
  Int128 bound = to.id() == TypeId::kDecimal ? Pow10(to.precision()) : 0;
  switch (to.id()) {
    case TypeId::kBoolean: return Make<From, uint8_t>(to, std::move(arg), ToBool<From>{});
    case TypeId::kInt32:
      if constexpr (std::is_same_v<From, double>) return Make<From, int32_t>(to, std::move(arg), DoubleToInt<int32_t>{});
      if constexpr (std::is_same_v<From, Int128>) return Make<From, int32_t>(to, std::move(arg), DecimalToInt<int32_t>{s});
      return Make<From, int32_t>(to, std::move(arg), Convert<From, int32_t>{});
    case TypeId::kInt64:
      if constexpr (std::is_same_v<From, double>) return Make<From, int64_t>(to, std::move(arg), DoubleToInt<int64_t>{});
      if constexpr (std::is_same_v<From, Int128>) return Make<From, int64_t>(to, std::move(arg), DecimalToInt<int64_t>{s});
      return Make<From, int64_t>(to, std::move(arg), Convert<From, int64_t>{});
    case TypeId::kDouble:
      if constexpr (std::is_same_v<From, Int128>) return Make<From, double>(to, std::move(arg), DecimalToDoubleOp{s});
      return Make<From, double>(to, std::move(arg), Convert<From, double>{});
    case TypeId::kDecimal:
      if constexpr (std::is_same_v<From, double>) {
        return Make<From, Int128>(to, std::move(arg), DoubleToDecimalOp{to.scale(), bound});
      }
      if constexpr (std::is_same_v<From, Int128>) {
        return Make<From, Int128>(to, std::move(arg), DecimalToDecimal{s, to.scale(), bound});
      }
      if (to.precision() - to.scale() >= (std::is_same_v<From, int64_t> ? 19 : 10)) {
        return Make<From, Int128>(to, std::move(arg), IntToDecimalExact<From>{Pow10(to.scale())});
      }
      return Make<From, Int128>(to, std::move(arg), IntToDecimal<From>{to.scale(), bound});
    case TypeId::kTimestampLtz:
      if constexpr (std::is_integral_v<From> && !std::is_same_v<From, uint8_t>) {
        return Make<From, int64_t>(to, std::move(arg), Scale64{1000});
      }
      return nullptr;
    default: return nullptr;
  }
}

KernelPtr FromTemporal(const DataType& from, const DataType& to, KernelPtr arg) {
  TypeId f = from.id(), t = to.id();
  bool to_ts = t == TypeId::kTimestamp || t == TypeId::kTimestampLtz;
  if (f == TypeId::kDate && to_ts) return Make<int32_t, int64_t>(to, std::move(arg), Scale64{kMillisPerDay});
  if (f == TypeId::kDate) return nullptr;
  if (to_ts) return Make<int64_t, int64_t>(to, std::move(arg), Convert<int64_t, int64_t>{});
  if (t == TypeId::kDate) return Make<int64_t, int32_t>(to, std::move(arg), FloorDivOp<int32_t>{kMillisPerDay});
  if (f == TypeId::kTimestampLtz && t == TypeId::kInt64) {
    return Make<int64_t, int64_t>(to, std::move(arg), FloorDivOp<int64_t>{1000});
  }
  if (f == TypeId::kTimestampLtz && t == TypeId::kInt32) {
    return Make<int64_t, int32_t>(to, std::move(arg), FloorDivOp<int32_t>{1000});
  }
  return nullptr;
}

// ---- to STRING ----

void AppendText(const Column& in, uint32_t i, std::string* out) {
  const DataType& t = in.type();
  switch (t.id()) {
    case TypeId::kBoolean: out->append(in.values<uint8_t>()[i] ? "TRUE" : "FALSE"); return;
    case TypeId::kInt32: out->append(std::to_string(in.values<int32_t>()[i])); return;
    case TypeId::kInt64: out->append(std::to_string(in.values<int64_t>()[i])); return;
    case TypeId::kDouble: out->append(JavaDoubleString(in.values<double>()[i])); return;
    case TypeId::kDecimal: out->append(columnar::FormatDecimal(in.values<Int128>()[i], t.scale())); return;
    case TypeId::kDate: out->append(columnar::FormatDate(in.values<int32_t>()[i])); return;
    case TypeId::kTimestamp:
    case TypeId::kTimestampLtz: out->append(columnar::FormatTimestamp(in.values<int64_t>()[i])); return;
    default: out->append(in.Get(i).ToString()); return;
  }
}

class ToStringCast final : public CastBase {
 public:
  using CastBase::CastBase;

 protected:
  Result<ColumnPtr> Convert(const Column& in, RowSet rows, size_t n) const override {
    StringBuilder out(type(), n);
    std::string text;
    ForEachRow(rows, [&](uint32_t i) {
      if (in.IsNull(i)) return out.SetNull(i);
      text.clear();
      AppendText(in, i, &text);
      out.Set(i, text);
    });
    return out.Finish();
  }
};

// ---- from STRING ----

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// Digits with an optional sign and an ignored fraction ("12", "-3.7" -> -3).
bool ParseInteger(std::string_view s, int64_t* out) {
  s = Trim(s);
  size_t dot = s.find('.');
  std::string_view whole = s.substr(0, dot);
  if (dot != std::string_view::npos) {
    std::string_view frac = s.substr(dot + 1);
    for (char c : frac) {
      if (c < '0' || c > '9') return false;
    }
    if (whole.empty() || whole == "-" || whole == "+") return false;
  }
  if (!whole.empty() && whole[0] == '+') whole.remove_prefix(1);
  auto r = std::from_chars(whole.data(), whole.data() + whole.size(), *out);
  return r.ec == std::errc() && r.ptr == whole.data() + whole.size() && !whole.empty();
}

bool ParseDouble(std::string_view s, double* out) {
  s = Trim(s);
  if (s == "Infinity" || s == "+Infinity") {
    *out = std::numeric_limits<double>::infinity();
    return true;
  }
  if (s == "-Infinity") {
    *out = -std::numeric_limits<double>::infinity();
    return true;
  }
  if (!s.empty() && s[0] == '+') s.remove_prefix(1);
  auto r = std::from_chars(s.data(), s.data() + s.size(), *out);
  return r.ec == std::errc() && r.ptr == s.data() + s.size() && !s.empty();
}

bool ValidDecimalText(std::string_view s) {
  size_t i = 0, digits = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) ++digits;
  if (i < s.size() && s[i] == '.') {
    for (++i; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) ++digits;
  }
  return digits > 0 && i == s.size();
}

int ParseBoolean(std::string_view s, uint8_t* out) {
  s = Trim(s);
  for (const char* t : {"true", "t", "yes", "y", "1"}) {
    if (s.size() == strlen(t) && strncasecmp(s.data(), t, s.size()) == 0) {
      *out = 1;
      return kOk;
    }
  }
  for (const char* f : {"false", "f", "no", "n", "0"}) {
    if (s.size() == strlen(f) && strncasecmp(s.data(), f, s.size()) == 0) {
      *out = 0;
      return kOk;
    }
  }
  return kError;
}

class FromStringCast final : public CastBase {
 public:
  using CastBase::CastBase;

 protected:
  Result<ColumnPtr> Convert(const Column& in, RowSet rows, size_t n) const override {
    return DispatchFixed(type().id(), [&](auto tag) -> Result<ColumnPtr> {
      using T = decltype(tag);
      auto out = NewColumn<T>(type(), n);
      T* dst = out->template mutable_values<T>().data();
      std::vector<uint8_t> nulls = in.nulls();
      int64_t error_row = -1;
      ForEachRow(rows, [&](uint32_t i) {
        if (error_row >= 0 || (!nulls.empty() && nulls[i])) return;
        int r = Parse(in.GetString(i), &dst[i]);
        if (r == kNull) {
          if (nulls.empty()) nulls.assign(n, 0);
          nulls[i] = 1;
        } else if (r == kError) {
          error_row = i;
        }
      });
      if (error_row >= 0) return CastError(in, static_cast<uint32_t>(error_row));
      SetNulls(*out, std::move(nulls));
      return ColumnPtr(std::move(out));
    });
  }

 private:
  int Parse(std::string_view s, uint8_t* out) const { return ParseBoolean(s, out); }
  int Parse(std::string_view s, int32_t* out) const {
    if (type().id() == TypeId::kDate) {
      auto d = ParseSqlDate(Trim(s));
      if (!d) return kError;
      *out = *d;
      return kOk;
    }
    int64_t v;
    if (!ParseInteger(s, &v) || v < std::numeric_limits<int32_t>::min() ||
        v > std::numeric_limits<int32_t>::max()) {
      return kError;
    }
    *out = static_cast<int32_t>(v);
    return kOk;
  }
  int Parse(std::string_view s, int64_t* out) const {
    if (type().id() == TypeId::kInt64) return ParseInteger(s, out) ? kOk : kError;
    if (type().id() != TypeId::kTimestamp && type().id() != TypeId::kTimestampLtz) return kError;
    auto ts = ParseSqlTimestamp(Trim(s));
    if (!ts) return kError;
    *out = *ts;
    return kOk;
  }
  int Parse(std::string_view s, double* out) const { return ParseDouble(s, out) ? kOk : kError; }
  int Parse(std::string_view s, Int128* out) const {
    s = Trim(s);
    Int128 bound = Pow10(type().precision());
    if (ValidDecimalText(s)) {
      if (!columnar::ParseDecimal(s, type().scale(), out) || !FitsPrecision(*out, bound)) return kNull;
      return kOk;
    }
    double d;  // "1.5E3"
    if (!ParseDouble(s, &d) || !std::isfinite(d)) return kError;
    if (!DoubleToDecimal(d, type().scale(), out) || !FitsPrecision(*out, bound)) return kNull;
    return kOk;
  }
};

KernelPtr MakeCastKernel(KernelPtr arg, const DataType& to) {
  const DataType from = arg->type();
  if (to.id() == TypeId::kString) return std::make_unique<ToStringCast>(to, std::move(arg));
  if (from.id() == TypeId::kString) {
    if (!IsFixedWidth(to.id()) || to.id() == TypeId::kInterval) return nullptr;
    return std::make_unique<FromStringCast>(to, std::move(arg));
  }
  switch (from.id()) {
    case TypeId::kBoolean: return FromNumber<uint8_t>(from, to, std::move(arg));
    case TypeId::kInt32: return FromNumber<int32_t>(from, to, std::move(arg));
    case TypeId::kInt64: return FromNumber<int64_t>(from, to, std::move(arg));
    case TypeId::kDouble: return FromNumber<double>(from, to, std::move(arg));
    case TypeId::kDecimal: return FromNumber<Int128>(from, to, std::move(arg));
    case TypeId::kDate:
    case TypeId::kTimestamp:
    case TypeId::kTimestampLtz: return FromTemporal(from, to, std::move(arg));
    default: return nullptr;
  }
}

}  // namespace

Result<KernelPtr> CastTo(KernelPtr arg, const DataType& to) {
  if (arg->type() == to) return arg;
  if (arg->type().id() == TypeId::kNull) return MakeLiteral(Value::Null(to));
  if (const Value* v = arg->constant(); v != nullptr && v->is_null()) {
    return MakeLiteral(Value::Null(to));
  }
  std::string text = arg->text();
  DataType from = arg->type();
  bool constant = arg->constant() != nullptr;
  KernelPtr k = MakeCastKernel(std::move(arg), to);
  if (k == nullptr) {
    return Unimplemented("unsupported CAST from {} to {}", from.ToString(), to.ToString());
  }
  k->set_text(fmt::format("CAST({} AS {})", text, to.ToString()));
  return constant ? FoldConstant(std::move(k)) : std::move(k);
}

Result<KernelPtr> MakeCast(const sql::Expr& expr, std::vector<KernelPtr> args) {
  if (args.size() != 1) return Unsupported(expr);
  return CastTo(std::move(args[0]), expr.type);
}

Result<DataType> CommonType(const DataType& a, const DataType& b) {
  if (a == b) return a;
  if (a.id() == TypeId::kNull) return b;
  if (b.id() == TypeId::kNull) return a;
  if (a.IsNumeric() && b.IsNumeric()) {
    if (a.id() == TypeId::kDouble || b.id() == TypeId::kDouble) return DataType::Double();
    if (a.id() == TypeId::kDecimal || b.id() == TypeId::kDecimal) {
      auto digits = [](const DataType& t) {
        return t.id() == TypeId::kInt32 ? 10 : t.id() == TypeId::kInt64 ? 19 : t.precision() - t.scale();
      };
      int scale = std::max(a.scale(), b.scale());
      int precision = std::min(38, std::max(digits(a), digits(b)) + scale);
      return DataType::Decimal(precision, scale);
    }
    return DataType::Int64();
  }
  if (a.IsTemporal() && b.IsTemporal()) {
    if (a.id() == TypeId::kDate) return b;
    return a;
  }
  if (a.id() == TypeId::kString && (b.IsNumeric() || b.IsTemporal() || b.id() == TypeId::kBoolean)) return b;
  if (b.id() == TypeId::kString && (a.IsNumeric() || a.IsTemporal() || a.id() == TypeId::kBoolean)) return a;
  return Invalid("incompatible types {} and {}", a.ToString(), b.ToString());
}

}  // namespace kappa::engine
