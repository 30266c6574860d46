#include "format/cell_parser.h"

#include <charconv>
#include <limits>

#include "base/time.h"

namespace kappa::format {
namespace {

using columnar::Int128;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

constexpr int kMaxPrecision = 38;

// 10^n for 0 <= n <= 38.
struct Pow10Table {
  Int128 v[kMaxPrecision + 1];
  constexpr Pow10Table() : v() {
    v[0] = 1;
    for (int i = 1; i <= kMaxPrecision; ++i) v[i] = v[i - 1] * 10;
  }
};
constexpr Pow10Table kPow10;

// The parts of a decimal literal: mantissa digits (with the point skipped)
// and the power of ten they are scaled by.
struct DecimalParts {
  bool negative = false;
  std::string_view mantissa;  // digits and at most one '.'
  int digits = 0;             // digits in mantissa
  int64_t exponent = 0;       // value = digits * 10^exponent
};

bool SplitDecimal(std::string_view s, DecimalParts* p) {
  size_t i = 0;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) p->negative = s[i++] == '-';
  size_t start = i;
  int frac = 0;
  bool point = false;
  for (; i < s.size(); ++i) {
    if (IsDigit(s[i])) {
      ++p->digits;
      frac += point;
    } else if (s[i] == '.' && !point) {
      point = true;
    } else {
      break;
    }
  }
  if (p->digits == 0) return false;
  p->mantissa = s.substr(start, i - start);
  int64_t exp = 0;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    bool neg = false;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) neg = s[i++] == '-';
    if (i == s.size()) return false;
    for (; i < s.size() && IsDigit(s[i]); ++i) {
      if (exp < 100000) exp = exp * 10 + (s[i] - '0');  // beyond that: 0 or overflow anyway
    }
    if (neg) exp = -exp;
  }
  if (i != s.size()) return false;
  p->exponent = exp - frac;
  return true;
}

}  // namespace

std::string_view TrimAscii(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

CellError ParseInt64Text(std::string_view s, int64_t* out) {
  size_t i = 0;
  bool negative = false;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) negative = s[i++] == '-';
  if (i == s.size()) return CellError::kSyntax;
  uint64_t v = 0;
  bool overflow = false;
  for (; i < s.size(); ++i) {
    if (!IsDigit(s[i])) return CellError::kSyntax;
    unsigned d = static_cast<unsigned>(s[i] - '0');
    if (v > (std::numeric_limits<uint64_t>::max() - d) / 10) overflow = true;
    v = v * 10 + d;
  }
  uint64_t limit = negative ? uint64_t{1} << 63 : (uint64_t{1} << 63) - 1;
  if (overflow || v > limit) return CellError::kRange;
  *out = negative ? static_cast<int64_t>(0 - v) : static_cast<int64_t>(v);
  return CellError::kOk;
}

CellError ParseInt32Text(std::string_view s, int32_t* out) {
  int64_t v = 0;
  CellError e = ParseInt64Text(s, &v);
  if (e != CellError::kOk) return e;
  if (v < std::numeric_limits<int32_t>::min() || v > std::numeric_limits<int32_t>::max()) {
    return CellError::kRange;
  }
  *out = static_cast<int32_t>(v);
  return CellError::kOk;
}

bool ParseBoolText(std::string_view s, bool* out) {
  auto equals = [s](std::string_view word) {
    if (s.size() != word.size()) return false;
    for (size_t i = 0; i < s.size(); ++i) {
      if ((s[i] | 0x20) != word[i]) return false;
    }
    return true;
  };
  if (equals("true")) {
    *out = true;
    return true;
  }
  if (equals("false")) {
    *out = false;
    return true;
  }
  return false;
}

bool ParseDoubleText(std::string_view s, double* out) {
  if (s == "NaN") {
    *out = std::numeric_limits<double>::quiet_NaN();
    return true;
  }
  if (s == "Infinity" || s == "+Infinity" || s == "-Infinity") {
    *out = s[0] == '-' ? -std::numeric_limits<double>::infinity()
                       : std::numeric_limits<double>::infinity();
    return true;
  }
  if (!s.empty() && s[0] == '+') s.remove_prefix(1);
  if (s.empty()) return false;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && end == s.data() + s.size();
}

CellError ParseDecimalText(std::string_view s, int precision, int scale, Int128* out) {
  DecimalParts p;
  if (!SplitDecimal(s, &p)) return CellError::kSyntax;
  // The first `keep` mantissa digits form the unscaled value; digit `keep`
  // decides the rounding; when keep > digits, zeros follow.
  int64_t keep = p.digits + p.exponent + scale;
  const Int128 limit = kPow10.v[precision];
  Int128 v = 0;
  int64_t index = 0;
  bool round_up = false;
  for (char c : p.mantissa) {
    if (c == '.') continue;
    if (index < keep) {
      if (v >= kPow10.v[precision - 1]) return CellError::kRange;
      v = v * 10 + (c - '0');
    } else if (index == keep) {
      round_up = c >= '5';
    }
    ++index;
  }
  for (int64_t i = p.digits; i < keep && v != 0; ++i) {
    if (v >= kPow10.v[precision - 1]) return CellError::kRange;
    v *= 10;
  }
  if (round_up) ++v;
  if (v >= limit) return CellError::kRange;
  *out = p.negative ? -v : v;
  return CellError::kOk;
}

bool ParseDateText(std::string_view s, int32_t* days) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (!IsDigit(s[i])) return false;
  }
  auto num = [s](size_t at, size_t n) {
    int v = 0;
    for (size_t i = at; i < at + n; ++i) v = v * 10 + (s[i] - '0');
    return v;
  };
  int y = num(0, 4), m = num(5, 2), d = num(8, 2);
  static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m < 1 || m > 12 || d < 1 || d > kDays[m - 1]) return false;
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (m == 2 && d == 29 && !leap) return false;
  *days = static_cast<int32_t>(DaysFromCivil(y, static_cast<unsigned>(m), static_cast<unsigned>(d)));
  return true;
}

}  // namespace kappa::format
