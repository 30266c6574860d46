#include "sql/type_rules.h"

#include <algorithm>
#include <cstdlib>

#include "fmt/format.h"

namespace kappa::sql {

using columnar::TypeId;
using columnar::Value;

DataType ToDecimal(const DataType& t) {
  if (t.id() == TypeId::kInt32) return DataType::Decimal(10, 0);
  if (t.id() == TypeId::kInt64) return DataType::Decimal(19, 0);
  return t;
}

DataType AdjustDecimal(int precision, int scale) {
  if (precision <= 38) return DataType::Decimal(std::max(precision, 1), scale);
  int digits = precision - scale;
  int min_scale = std::min(scale, 6);
  int adjusted = std::max(38 - digits, min_scale);
  return DataType::Decimal(38, adjusted);
}

DataType DecimalResult(const std::string& op, const DataType& a, const DataType& b) {
  DataType x = ToDecimal(a), y = ToDecimal(b);
  int p1 = x.precision(), s1 = x.scale(), p2 = y.precision(), s2 = y.scale();
  if (op == "+" || op == "-") {
    int scale = std::max(s1, s2);
    return AdjustDecimal(std::max(p1 - s1, p2 - s2) + scale + 1, scale);
  }
  if (op == "*") return AdjustDecimal(p1 + p2 + 1, s1 + s2);
  if (op == "/") {
    int scale = std::max(6, s1 + p2 + 1);
    return AdjustDecimal(p1 - s1 + s2 + scale, scale);
  }
  int scale = std::max(s1, s2);  // %
  return AdjustDecimal(std::min(p1 - s1, p2 - s2) + scale, scale);
}

std::optional<Arithmetic> NumericArithmetic(const std::string& op, const DataType& a,
                                            const DataType& b) {
  if (!a.IsNumeric() || !b.IsNumeric()) return std::nullopt;
  Arithmetic out;
  if (a.id() == TypeId::kDouble || b.id() == TypeId::kDouble) {
    out.left = out.right = out.result = DataType::Double();
    return out;
  }
  if (a.id() == TypeId::kDecimal || b.id() == TypeId::kDecimal) {
    if (a.id() != TypeId::kDecimal) out.left = ToDecimal(a);
    if (b.id() != TypeId::kDecimal) out.right = ToDecimal(b);
    out.result = DecimalResult(op, a, b);
    return out;
  }
  DataType wide = (a.id() == TypeId::kInt64 || b.id() == TypeId::kInt64) ? DataType::Int64()
                                                                         : DataType::Int32();
  out.left = out.right = out.result = wide;
  return out;
}

std::optional<DataType> CommonType(const DataType& a, const DataType& b) {
  if (a == b) return a;
  if (a.id() == TypeId::kNull) return b;
  if (b.id() == TypeId::kNull) return a;
  if (a.IsNumeric() && b.IsNumeric()) {
    if (a.id() == TypeId::kDouble || b.id() == TypeId::kDouble) return DataType::Double();
    if (a.id() == TypeId::kDecimal || b.id() == TypeId::kDecimal) {
      DataType x = ToDecimal(a), y = ToDecimal(b);
      int digits = std::max(x.precision() - x.scale(), y.precision() - y.scale());
      int scale = std::max(x.scale(), y.scale());
      if (digits + scale > 38) scale = std::max(0, 38 - digits);
      return DataType::Decimal(std::min(38, digits + scale), scale);
    }
    return DataType::Int64();
  }
  auto is_ts = [](const DataType& t) {
    return t.id() == TypeId::kTimestamp || t.id() == TypeId::kTimestampLtz;
  };
  if (is_ts(a) && is_ts(b)) return DataType::TimestampLtz();
  if ((is_ts(a) && b.id() == TypeId::kDate) || (a.id() == TypeId::kDate && is_ts(b))) {
    return is_ts(a) ? a : b;
  }
  if (a.id() == TypeId::kRow && b.id() == TypeId::kRow &&
      a.fields().size() == b.fields().size()) {
    std::vector<columnar::Field> fields;
    for (size_t i = 0; i < a.fields().size(); ++i) {
      auto t = CommonType(a.fields()[i].type, b.fields()[i].type);
      if (!t) return std::nullopt;
      fields.push_back({a.fields()[i].name, *t,
                        a.fields()[i].nullable || b.fields()[i].nullable});
    }
    return DataType::Row(std::move(fields));
  }
  return std::nullopt;
}

bool CanCast(const DataType& from, const DataType& to) {
  if (from == to || from.id() == TypeId::kNull) return true;
  TypeId f = from.id(), t = to.id();
  if (f == TypeId::kInterval || t == TypeId::kInterval || t == TypeId::kNull) return false;
  if (f == TypeId::kRow || t == TypeId::kRow) {
    if (f != t || from.fields().size() != to.fields().size()) return false;
    for (size_t i = 0; i < from.fields().size(); ++i) {
      if (!CanCast(from.fields()[i].type, to.fields()[i].type)) return false;
    }
    return true;
  }
  if (t == TypeId::kString || f == TypeId::kString) return true;
  if (from.IsNumeric() && to.IsNumeric()) return true;
  if (f == TypeId::kBoolean) return to.IsNumeric();
  if (t == TypeId::kBoolean) return from.IsIntegral();
  if (from.IsTemporal() && to.IsTemporal()) return true;
  return false;
}

bool CanAssign(const DataType& from, const DataType& to) {
  if (from == to || from.id() == TypeId::kNull) return true;
  TypeId f = from.id(), t = to.id();
  switch (t) {
    case TypeId::kInt64: return f == TypeId::kInt32;
    case TypeId::kDecimal: return from.IsIntegral() || f == TypeId::kDecimal;
    case TypeId::kDouble: return from.IsNumeric();
    case TypeId::kTimestamp:
    case TypeId::kTimestampLtz:
      return f == TypeId::kTimestamp || f == TypeId::kTimestampLtz || f == TypeId::kDate;
    case TypeId::kRow: {
      if (f != TypeId::kRow || from.fields().size() != to.fields().size()) return false;
      for (size_t i = 0; i < from.fields().size(); ++i) {
        if (!CanAssign(from.fields()[i].type, to.fields()[i].type)) return false;
      }
      return true;
    }
    default: return false;
  }
}

namespace {

// An exact literal conversion, or nullopt.
std::optional<Value> FoldCast(const Value& v, const DataType& t) {
  if (v.is_null()) return Value::Null(t);
  TypeId f = v.type().id();
  columnar::Int128 unscaled = 0;
  int scale = 0;
  if (f == TypeId::kInt32) {
    unscaled = v.int32();
  } else if (f == TypeId::kInt64) {
    unscaled = v.int64();
  } else if (f == TypeId::kDecimal) {
    unscaled = v.decimal();
    scale = v.type().scale();
  } else {
    return std::nullopt;
  }
  switch (t.id()) {
    case TypeId::kInt64:
      if (f == TypeId::kInt32) return Value::Int64(v.int32());
      return std::nullopt;
    case TypeId::kDouble:
      if (f != TypeId::kDecimal) return Value::Double(static_cast<double>(unscaled));
      return Value::Double(std::strtod(columnar::FormatDecimal(unscaled, scale).c_str(), nullptr));
    case TypeId::kDecimal: {
      if (t.scale() < scale) return std::nullopt;
      columnar::Int128 scaled = unscaled * columnar::Pow10(t.scale() - scale);
      columnar::Int128 limit = columnar::Pow10(t.precision());
      if (scaled >= limit || scaled <= -limit) return std::nullopt;
      return Value::Decimal(scaled, t.precision(), t.scale());
    }
    default: return std::nullopt;
  }
}

}  // namespace

ExprPtr CastTo(const ExprPtr& e, const DataType& t) {
  if (e->type == t) return e;
  if (e->kind == ExprKind::kLiteral) {
    if (auto folded = FoldCast(e->literal, t)) return Literal(*folded, e->text);
  }
  return Call("CAST", {e}, t, fmt::format("CAST({} AS {})", e->text, t.ToString()), e->nullable);
}

bool ParseTimestampText(std::string_view text, int64_t* millis) {
  if (text.size() < 10) return false;
  int32_t days = 0;
  if (!columnar::ParseDate(text.substr(0, 10), &days)) return false;
  int64_t ms = 0;
  std::string_view rest = text.substr(10);
  if (!rest.empty()) {
    if (rest[0] != ' ' && rest[0] != 'T') return false;
    rest.remove_prefix(1);
    auto two = [&](int max, int64_t* out) {
      if (rest.size() < 2 || !std::isdigit(static_cast<unsigned char>(rest[0])) ||
          !std::isdigit(static_cast<unsigned char>(rest[1]))) {
        return false;
      }
      *out = (rest[0] - '0') * 10 + (rest[1] - '0');
      rest.remove_prefix(2);
      return *out <= max;
    };
    int64_t h = 0, m = 0, s = 0;
    if (!two(23, &h) || rest.empty() || rest[0] != ':') return false;
    rest.remove_prefix(1);
    if (!two(59, &m)) return false;
    if (!rest.empty() && rest[0] == ':') {
      rest.remove_prefix(1);
      if (!two(59, &s)) return false;
    }
    int64_t frac = 0;
    if (!rest.empty() && rest[0] == '.') {
      rest.remove_prefix(1);
      int digits = 0;
      while (!rest.empty() && std::isdigit(static_cast<unsigned char>(rest[0]))) {
        if (digits < 3) frac = frac * 10 + (rest[0] - '0');
        ++digits;
        rest.remove_prefix(1);
      }
      if (digits == 0 || digits > 9) return false;
      for (int i = digits; i < 3; ++i) frac *= 10;
    }
    if (!rest.empty()) return false;
    ms = ((h * 60 + m) * 60 + s) * 1000 + frac;
  }
  *millis = static_cast<int64_t>(days) * 86'400'000 + ms;
  return true;
}

std::optional<Value> ParseTemporal(std::string_view text, const DataType& t) {
  if (t.id() == TypeId::kDate) {
    int32_t days = 0;
    if (!columnar::ParseDate(text, &days)) return std::nullopt;
    return Value::Date(days);
  }
  int64_t ms = 0;
  if (!ParseTimestampText(text, &ms)) return std::nullopt;
  return t.id() == TypeId::kTimestampLtz ? Value::TimestampLtz(ms) : Value::Timestamp(ms);
}

std::optional<Value> ParseExactNumber(std::string_view text) {
  size_t dot = text.find('.');
  std::string_view whole = text.substr(0, dot);
  std::string_view fraction = dot == std::string_view::npos ? "" : text.substr(dot + 1);
  while (whole.size() > 1 && whole[0] == '0') whole.remove_prefix(1);
  int scale = static_cast<int>(fraction.size());
  int int_digits = (whole.empty() || whole == "0") ? 0 : static_cast<int>(whole.size());
  if (dot == std::string_view::npos) {
    if (whole.size() <= 9 || (whole.size() == 10 && whole <= "2147483647")) {
      return Value::Int32(static_cast<int32_t>(std::stoll(std::string(whole))));
    }
    if (whole.size() < 19 || (whole.size() == 19 && whole <= "9223372036854775807")) {
      return Value::Int64(std::stoll(std::string(whole)));
    }
  }
  int precision = std::max(1, int_digits + scale);
  if (precision > 38) return std::nullopt;
  columnar::Int128 unscaled = 0;
  if (!columnar::ParseDecimal(text, scale, &unscaled)) return std::nullopt;
  return Value::Decimal(unscaled, precision, scale);
}

}  // namespace kappa::sql
