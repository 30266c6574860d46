#include "format/cell_format.h"

#include <charconv>
#include <cmath>

#include "base/time.h"

namespace kappa::format {
namespace {

void AppendDigits(int64_t v, int width, std::string* out) {
  char buf[24];
  int n = 0;
  do {
    buf[n++] = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v > 0 || n < width);
  while (n > 0) out->push_back(buf[--n]);
}

// Year, month, day of a day number; years outside 0..9999 keep their sign.
void AppendCivilDate(int64_t days, std::string* out) {
  int64_t y;
  unsigned m, d;
  CivilFromDays(days, &y, &m, &d);
  if (y < 0) {
    out->push_back('-');
    y = -y;
  }
  AppendDigits(y, 4, out);
  out->push_back('-');
  AppendDigits(m, 2, out);
  out->push_back('-');
  AppendDigits(d, 2, out);
}

}  // namespace

void AppendInt(int64_t v, std::string* out) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof(buf), v);
  out->append(buf, r.ptr);
}

void AppendDecimal(columnar::Int128 unscaled, int scale, std::string* out) {
  bool negative = unscaled < 0;
  auto u = negative ? -static_cast<unsigned __int128>(unscaled)
                    : static_cast<unsigned __int128>(unscaled);
  char digits[48];
  int n = 0;
  do {
    digits[n++] = static_cast<char>('0' + static_cast<int>(u % 10));
    u /= 10;
  } while (u > 0 || n <= scale);  // at least one digit before the point
  if (negative) out->push_back('-');
  for (int i = n - 1; i >= 0; --i) {
    out->push_back(digits[i]);
    if (i == scale && scale > 0) out->push_back('.');
  }
}

void AppendDouble(double v, std::string* out) {
  if (std::isnan(v)) return out->append("NaN"), void();
  if (std::isinf(v)) return out->append(v > 0 ? "Infinity" : "-Infinity"), void();
  char buf[32];
  auto r = std::to_chars(buf, buf + sizeof(buf), v);
  std::string_view text(buf, static_cast<size_t>(r.ptr - buf));
  out->append(text);
  if (text.find_first_of(".e") == std::string_view::npos) out->append(".0");
}

void AppendDate(int32_t days, std::string* out) { AppendCivilDate(days, out); }

void AppendTimestamp(int64_t millis, TimestampStandard standard, bool utc_zone,
                     std::string* out) {
  int64_t days = millis >= 0 ? millis / 86400000 : -((-millis + 86399999) / 86400000);
  int64_t ms_of_day = millis - days * 86400000;
  AppendCivilDate(days, out);
  out->push_back(standard == TimestampStandard::kSql ? ' ' : 'T');
  AppendDigits(ms_of_day / 3600000, 2, out);
  out->push_back(':');
  AppendDigits(ms_of_day / 60000 % 60, 2, out);
  out->push_back(':');
  AppendDigits(ms_of_day / 1000 % 60, 2, out);
  int64_t ms = ms_of_day % 1000;
  if (ms != 0) {
    out->push_back('.');
    int width = ms % 100 == 0 ? 1 : ms % 10 == 0 ? 2 : 3;
    int64_t shown = width == 1 ? ms / 100 : width == 2 ? ms / 10 : ms;
    AppendDigits(shown, width, out);
  }
  if (utc_zone) out->push_back('Z');
}

}  // namespace kappa::format
