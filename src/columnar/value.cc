#include "columnar/value.h"

#include <cmath>
#include <functional>

#include "base/time.h"
#include "fmt/format.h"

namespace kappa::columnar {

Int128 Pow10(int n) {
  Int128 v = 1;
  for (int i = 0; i < n; ++i) v *= 10;
  return v;
}

std::string FormatInt128(Int128 v) {
  if (v == 0) return "0";
  bool negative = v < 0;
  unsigned __int128 u = negative ? -static_cast<unsigned __int128>(v) : static_cast<unsigned __int128>(v);
  std::string digits;
  while (u > 0) {
    digits.push_back(static_cast<char>('0' + static_cast<int>(u % 10)));
    u /= 10;
  }
  if (negative) digits.push_back('-');
  return std::string(digits.rbegin(), digits.rend());
}

std::string FormatDecimal(Int128 unscaled, int scale) {
  bool negative = unscaled < 0;
  std::string digits = FormatInt128(negative ? -unscaled : unscaled);
  size_t s = static_cast<size_t>(scale);
  if (digits.size() <= s) digits = std::string(s + 1 - digits.size(), '0') + digits;
  std::string out = negative ? "-" : "";
  out.append(digits, 0, digits.size() - s);
  if (s > 0) {
    out.push_back('.');
    out.append(digits, digits.size() - s, s);
  }
  return out;
}

bool ParseDecimal(std::string_view text, int scale, Int128* out) {
  size_t i = 0;
  bool negative = false;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) negative = text[i++] == '-';
  Int128 v = 0;
  int frac_digits = 0;
  bool seen_digit = false, seen_point = false, round_up = false;
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (c == '.' && !seen_point) {
      seen_point = true;
      continue;
    }
    if (c < '0' || c > '9') return false;
    seen_digit = true;
    if (seen_point && frac_digits >= scale) {
      if (frac_digits == scale) round_up = c >= '5';
      ++frac_digits;
      continue;
    }
    if (v > Pow10(37)) return false;  // beyond DECIMAL(38)
    v = v * 10 + (c - '0');
    if (seen_point) ++frac_digits;
  }
  if (!seen_digit) return false;
  for (int d = frac_digits; d < scale; ++d) v *= 10;
  if (round_up) v += 1;
  *out = negative ? -v : v;
  return true;
}

bool ParseDate(std::string_view text, int32_t* days) {
  int y = 0, m = 0, d = 0;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (text[i] < '0' || text[i] > '9') return false;
  }
  y = std::stoi(std::string(text.substr(0, 4)));
  m = std::stoi(std::string(text.substr(5, 2)));
  d = std::stoi(std::string(text.substr(8, 2)));
  if (m < 1 || m > 12 || d < 1 || d > 31) return false;
  *days = static_cast<int32_t>(DaysFromCivil(y, static_cast<unsigned>(m), static_cast<unsigned>(d)));
  return true;
}

std::string FormatDate(int32_t days) {
  int64_t y;
  unsigned m, d;
  CivilFromDays(days, &y, &m, &d);
  return fmt::format("{:04}-{:02}-{:02}", y, m, d);
}

std::string FormatTimestamp(int64_t millis) {
  int64_t days = millis >= 0 ? millis / 86400000 : -((-millis + 86399999) / 86400000);
  int64_t ms_of_day = millis - days * 86400000;
  int64_t y;
  unsigned m, d;
  CivilFromDays(days, &y, &m, &d);
  return fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02}.{:03}", y, m, d, ms_of_day / 3600000,
                     ms_of_day / 60000 % 60, ms_of_day / 1000 % 60, ms_of_day % 1000);
}

std::string Value::ToString() const {
  if (is_null()) return "NULL";
  switch (type_.id()) {
    case TypeId::kNull: return "NULL";
    case TypeId::kBoolean: return boolean() ? "TRUE" : "FALSE";
    case TypeId::kInt32: return std::to_string(int32());
    case TypeId::kInt64: return std::to_string(int64());
    case TypeId::kDouble: {
      double v = float64();
      if (std::isnan(v)) return "NaN";
      if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
      return fmt::format("{}", v);
    }
    case TypeId::kDecimal: return FormatDecimal(decimal(), type_.scale());
    case TypeId::kString: return string();
    case TypeId::kDate: return FormatDate(int32());
    case TypeId::kTimestamp:
    case TypeId::kTimestampLtz: return FormatTimestamp(int64());
    case TypeId::kInterval: return fmt::format("INTERVAL {} MILLISECOND", int64());
    case TypeId::kRow: {
      std::string out = "(";
      for (size_t i = 0; i < row().size(); ++i) {
        if (i > 0) out += ", ";
        out += row()[i].ToString();
      }
      return out + ")";
    }
  }
  return "?";
}

bool operator==(const Value& a, const Value& b) {
  if (a.is_null() || b.is_null()) return a.is_null() && b.is_null();
  return a.payload_ == b.payload_;
}

bool operator<(const Value& a, const Value& b) {
  if (a.is_null() || b.is_null()) return a.is_null() && !b.is_null();
  if (a.payload_.index() != b.payload_.index()) return a.payload_.index() < b.payload_.index();
  return a.payload_ < b.payload_;
}

size_t Value::Hash() const {
  return std::visit(
      [](const auto& v) -> size_t {
        using V = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<V, std::monostate>) {
          return 0x9e3779b97f4a7c15ull;
        } else if constexpr (std::is_same_v<V, Int128>) {
          return std::hash<uint64_t>()(static_cast<uint64_t>(v)) ^
                 (std::hash<uint64_t>()(static_cast<uint64_t>(v >> 64)) << 1);
        } else if constexpr (std::is_same_v<V, std::vector<Value>>) {
          size_t h = 17;
          for (const Value& x : v) h = h * 31 + x.Hash();
          return h;
        } else {
          return std::hash<V>()(v);
        }
      },
      payload_);
}

}  // namespace kappa::columnar
