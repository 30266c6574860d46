// Exact arithmetic on DECIMAL unscaled values (Int128) with Flink's
// rounding (BigDecimal HALF_UP: to nearest, ties away from zero), a 256-bit
// intermediate where a product or scaled dividend may exceed 128 bits, and
// the conversions between DOUBLE and DECIMAL/text that Java defines
// (BigDecimal.valueOf(double), Double.toString). Pure functions.
#pragma once

#include <cstdint>
#include <string>

#include "columnar/types.h"

namespace kappa::engine {

using columnar::Int128;

// 10^n for 0 <= n <= 38.
Int128 Pow10(int n);

// |v| < 10^precision.
inline bool FitsPrecision(Int128 v, Int128 bound) { return v < bound && v > -bound; }

// v / 10^n rounded HALF_UP. REQUIRES: 0 <= n <= 38.
Int128 DivPow10HalfUp(Int128 v, int n);
// v / 10^n rounded toward negative infinity (FLOOR) or positive (CEIL).
Int128 DivPow10Floor(Int128 v, int n);
Int128 DivPow10Ceil(Int128 v, int n);
// a / b rounded HALF_UP. REQUIRES: b != 0.
Int128 DivHalfUp(Int128 a, Int128 b);

// v at scale `from` re-expressed at scale `to` (either may be negative for
// rounding to tens, hundreds...), HALF_UP when digits are dropped. False when
// the result does not fit in Int128.
bool Rescale(Int128 v, int from, int to, Int128* out);
// a * b / 10^n rounded HALF_UP, exact. False on Int128 overflow of the result.
bool MulRescale(Int128 a, Int128 b, int n, Int128* out);
// a * 10^n / b rounded HALF_UP, exact. REQUIRES: b != 0, 0 <= n <= 76.
bool ScaleDiv(Int128 a, int n, Int128 b, Int128* out);

// DOUBLE -> DECIMAL as Flink: BigDecimal.valueOf(d) (the shortest decimal
// that round-trips) rounded HALF_UP to `scale`. False for NaN, infinities and
// values beyond 38 digits.
bool DoubleToDecimal(double d, int scale, Int128* out);
// DECIMAL -> DOUBLE, correctly rounded.
double DecimalToDouble(Int128 v, int scale);

// |v| = 0.<digits> * 10^exp10 with the shortest digits that round-trip.
// REQUIRES: v finite and not zero.
void ShortestDigits(double v, std::string* digits, int* exp10);
// Java's Double.toString: "1.5", "100.0", "1.0E10", "1.234E-5", "NaN", "Infinity".
std::string JavaDoubleString(double v);
// ROUND(v, d) as Flink: BigDecimal.valueOf(v).setScale(d, HALF_UP).
double RoundDoubleHalfUp(double v, int d);

}  // namespace kappa::engine
