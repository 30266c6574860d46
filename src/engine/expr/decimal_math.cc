#include "engine/expr/decimal_math.h"

#include <array>
#include <charconv>
#include <cmath>
#include <cstdlib>

#include "columnar/value.h"

namespace kappa::engine {
namespace {

using U128 = unsigned __int128;

constexpr std::array<Int128, 39> MakePow10() {
  std::array<Int128, 39> p{};
  p[0] = 1;
  for (int i = 1; i < 39; ++i) p[i] = p[i - 1] * 10;
  return p;
}
constexpr std::array<Int128, 39> kPow10 = MakePow10();

U128 Abs(Int128 v) { return v < 0 ? -static_cast<U128>(v) : static_cast<U128>(v); }

// A 256-bit unsigned magnitude, little-endian 64-bit limbs.
struct U256 {
  uint64_t w[4] = {0, 0, 0, 0};
};

U256 Mul128(U128 a, U128 b) {
  uint64_t a0 = static_cast<uint64_t>(a), a1 = static_cast<uint64_t>(a >> 64);
  uint64_t b0 = static_cast<uint64_t>(b), b1 = static_cast<uint64_t>(b >> 64);
  U128 p00 = static_cast<U128>(a0) * b0, p01 = static_cast<U128>(a0) * b1;
  U128 p10 = static_cast<U128>(a1) * b0, p11 = static_cast<U128>(a1) * b1;
  U256 r;
  r.w[0] = static_cast<uint64_t>(p00);
  U128 mid = (p00 >> 64) + static_cast<uint64_t>(p01) + static_cast<uint64_t>(p10);
  r.w[1] = static_cast<uint64_t>(mid);
  U128 hi = (mid >> 64) + (p01 >> 64) + (p10 >> 64) + static_cast<uint64_t>(p11);
  r.w[2] = static_cast<uint64_t>(hi);
  r.w[3] = static_cast<uint64_t>((hi >> 64) + (p11 >> 64));
  return r;
}

void MulSmall(U256& x, uint64_t m) {
  U128 carry = 0;
  for (uint64_t& limb : x.w) {
    U128 p = static_cast<U128>(limb) * m + carry;
    limb = static_cast<uint64_t>(p);
    carry = p >> 64;
  }
}

uint64_t DivSmall(U256& x, uint64_t d) {
  U128 rem = 0;
  for (int i = 3; i >= 0; --i) {
    U128 cur = (rem << 64) | x.w[i];
    x.w[i] = static_cast<uint64_t>(cur / d);
    rem = cur % d;
  }
  return static_cast<uint64_t>(rem);
}

// Divides x by 10^n, truncating; returns the first dropped digit.
int DivPow10Digit(U256& x, int n) {
  int last = 0;
  while (n > 0) {
    int step = n > 19 ? 19 : n;
    if (n - step == 0) {
      // The last chunk: keep its top dropped digit.
      uint64_t p = 1;
      for (int i = 1; i < step; ++i) p *= 10;
      DivSmall(x, p);
      last = static_cast<int>(DivSmall(x, 10));
    } else {
      uint64_t p = 1;
      for (int i = 0; i < step; ++i) p *= 10;
      DivSmall(x, p);
    }
    n -= step;
  }
  return last;
}

bool ToU127(const U256& x, U128* out) {
  if (x.w[2] != 0 || x.w[3] != 0 || (x.w[1] >> 63) != 0) return false;
  *out = (static_cast<U128>(x.w[1]) << 64) | x.w[0];
  return true;
}

// x / d by shift and subtract; REQUIRES d < 2^127.
void DivLong(const U256& x, U128 d, U256* q, U128* r) {
  *q = U256();
  U128 rem = 0;
  for (int bit = 255; bit >= 0; --bit) {
    rem = (rem << 1) | ((x.w[bit / 64] >> (bit % 64)) & 1);
    if (rem >= d) {
      rem -= d;
      q->w[bit / 64] |= uint64_t{1} << (bit % 64);
    }
  }
  *r = rem;
}

void AddOne(U256& x) {
  for (uint64_t& limb : x.w) {
    if (++limb != 0) break;
  }
}

bool Signed(U256 mag, bool negative, Int128* out) {
  U128 m;
  if (!ToU127(mag, &m)) return false;
  *out = negative ? -static_cast<Int128>(m) : static_cast<Int128>(m);
  return true;
}

}  // namespace

Int128 Pow10(int n) { return kPow10[n]; }

Int128 DivPow10HalfUp(Int128 v, int n) {
  if (n == 0) return v;
  Int128 p = kPow10[n];
  Int128 q = v / p, r = v % p;
  Int128 ar = r < 0 ? -r : r;
  if (ar >= p - ar) q += v < 0 ? -1 : 1;
  return q;
}

Int128 DivPow10Floor(Int128 v, int n) {
  Int128 p = kPow10[n];
  Int128 q = v / p;
  if (v % p != 0 && v < 0) --q;
  return q;
}

Int128 DivPow10Ceil(Int128 v, int n) {
  Int128 p = kPow10[n];
  Int128 q = v / p;
  if (v % p != 0 && v > 0) ++q;
  return q;
}

Int128 DivHalfUp(Int128 a, Int128 b) {
  Int128 q = a / b, r = a % b;
  U128 ar = Abs(r), ab = Abs(b);
  if (ar >= ab - ar) q += ((a < 0) != (b < 0)) ? -1 : 1;
  return q;
}

bool Rescale(Int128 v, int from, int to, Int128* out) {
  if (to == from) {
    *out = v;
    return true;
  }
  if (to < from) {
    int n = from - to;
    if (n > 38) {
      *out = 0;
      return true;
    }
    *out = DivPow10HalfUp(v, n);
    return true;
  }
  int n = to - from;
  if (n > 38) {
    *out = 0;
    return v == 0;
  }
  return !__builtin_mul_overflow(v, kPow10[n], out);
}

bool MulRescale(Int128 a, Int128 b, int n, Int128* out) {
  Int128 p;
  if (!__builtin_mul_overflow(a, b, &p)) {
    if (n <= 0) return Rescale(p, 0, -n, out);
    if (n <= 38) {
      *out = DivPow10HalfUp(p, n);
      return true;
    }
  }
  bool negative = (a < 0) != (b < 0);
  U256 m = Mul128(Abs(a), Abs(b));
  if (n > 0) {
    if (DivPow10Digit(m, n) >= 5) AddOne(m);
  } else {
    for (int k = -n; k > 0; k -= 19) {
      uint64_t p = 1;
      for (int i = 0; i < (k > 19 ? 19 : k); ++i) p *= 10;
      MulSmall(m, p);
    }
  }
  return Signed(m, negative, out);
}

bool ScaleDiv(Int128 a, int n, Int128 b, Int128* out) {
  Int128 scaled;
  if (n <= 38 && !__builtin_mul_overflow(a, kPow10[n], &scaled)) {
    *out = DivHalfUp(scaled, b);
    return true;
  }
  bool negative = (a < 0) != (b < 0);
  U256 x = Mul128(Abs(a), 1);
  for (int k = n; k > 0; k -= 19) {
    uint64_t p = 1;
    for (int i = 0; i < (k > 19 ? 19 : k); ++i) p *= 10;
    MulSmall(x, p);
  }
  U256 q;
  U128 r, d = Abs(b);
  DivLong(x, d, &q, &r);
  if (r >= d - r) AddOne(q);
  return Signed(q, negative, out);
}

void ShortestDigits(double v, std::string* digits, int* exp10) {
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof(buf), std::fabs(v), std::chars_format::scientific);
  std::string_view s(buf, static_cast<size_t>(res.ptr - buf));
  size_t e = s.find('e');
  digits->clear();
  for (char c : s.substr(0, e)) {
    if (c != '.') digits->push_back(c);
  }
  while (digits->size() > 1 && digits->back() == '0') digits->pop_back();
  int sci = 0;
  std::string_view ex = s.substr(e + 1);
  if (!ex.empty() && ex[0] == '+') ex.remove_prefix(1);
  std::from_chars(ex.data(), ex.data() + ex.size(), sci);
  *exp10 = sci + 1;
}

std::string JavaDoubleString(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
  if (v == 0) return std::signbit(v) ? "-0.0" : "0.0";
  std::string digits;
  int exp10;
  ShortestDigits(v, &digits, &exp10);
  std::string out = v < 0 ? "-" : "";
  double a = std::fabs(v);
  if (a >= 1e-3 && a < 1e7) {
    if (exp10 <= 0) {
      out += "0." + std::string(static_cast<size_t>(-exp10), '0') + digits;
    } else if (static_cast<size_t>(exp10) >= digits.size()) {
      out += digits + std::string(static_cast<size_t>(exp10) - digits.size(), '0') + ".0";
    } else {
      out += digits.substr(0, static_cast<size_t>(exp10)) + "." +
             digits.substr(static_cast<size_t>(exp10));
    }
    return out;
  }
  out += digits.substr(0, 1) + "." + (digits.size() > 1 ? digits.substr(1) : "0");
  return out + "E" + std::to_string(exp10 - 1);
}

bool DoubleToDecimal(double d, int scale, Int128* out) {
  if (!std::isfinite(d)) return false;
  if (d == 0) {
    *out = 0;
    return true;
  }
  std::string digits;
  int exp10;
  ShortestDigits(d, &digits, &exp10);
  if (exp10 > 38) return false;
  std::string text = d < 0 ? "-" : "";
  if (exp10 <= 0) {
    text += "0." + std::string(static_cast<size_t>(-exp10), '0') + digits;
  } else if (static_cast<size_t>(exp10) >= digits.size()) {
    text += digits + std::string(static_cast<size_t>(exp10) - digits.size(), '0');
  } else {
    text += digits.substr(0, static_cast<size_t>(exp10)) + "." +
            digits.substr(static_cast<size_t>(exp10));
  }
  return columnar::ParseDecimal(text, scale, out);
}

double DecimalToDouble(Int128 v, int scale) {
  constexpr Int128 kExact = Int128{1} << 53;
  if (v < kExact && v > -kExact && scale <= 22) {
    static constexpr double kP[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                    1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                    1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    return static_cast<double>(static_cast<int64_t>(v)) / kP[scale];
  }
  std::string text = columnar::FormatDecimal(v, scale);
  return std::strtod(text.c_str(), nullptr);
}

double RoundDoubleHalfUp(double v, int d) {
  if (!std::isfinite(v) || v == 0) return v;
  std::string digits;
  int exp10;
  ShortestDigits(v, &digits, &exp10);
  // Digits kept: those at 10^-d and above.
  long keep = static_cast<long>(exp10) + d;
  if (keep >= static_cast<long>(digits.size())) return v;
  if (keep < 0) return 0.0;  // BigDecimal has no negative zero
  bool up = digits[static_cast<size_t>(keep)] >= '5';
  digits.resize(static_cast<size_t>(keep));
  if (up) {
    int i = static_cast<int>(keep) - 1;
    while (i >= 0 && digits[static_cast<size_t>(i)] == '9') digits[static_cast<size_t>(i--)] = '0';
    if (i < 0) {
      digits.insert(digits.begin(), '1');
      ++exp10;
    } else {
      ++digits[static_cast<size_t>(i)];
    }
  }
  if (digits.empty()) return 0.0;
  std::string text = (v < 0 ? "-0." : "0.") + digits + "e" + std::to_string(exp10);
  return std::strtod(text.c_str(), nullptr);
}

}  // namespace kappa::engine
