#include "engine/expr/datetime.h"

#include <cctype>
#include <cstring>
#include <strings.h>

#include "base/time.h"
#include "fmt/format.h"

namespace kappa::engine {
namespace {

constexpr const char* kMonthNames[] = {"January", "February", "March",     "April",
                                       "May",     "June",     "July",      "August",
                                       "September", "October", "November", "December"};
constexpr const char* kDayNames[] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                     "Thursday", "Friday", "Saturday"};

bool IsLeap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

bool ValidCivil(const CivilTime& t) {
  return t.month >= 1 && t.month <= 12 && t.day >= 1 && t.day <= DaysInMonth(t.year, t.month) &&
         t.hour >= 0 && t.hour < 24 && t.minute >= 0 && t.minute < 60 && t.second >= 0 &&
         t.second < 60 && t.millis >= 0 && t.millis < 1000;
}

// Reads 1..max_digits digits at text[*pos]; false when there is none.
bool ReadInt(std::string_view text, size_t* pos, int max_digits, int64_t* out) {
  size_t start = *pos;
  int64_t v = 0;
  while (*pos < text.size() && *pos - start < static_cast<size_t>(max_digits) &&
         std::isdigit(static_cast<unsigned char>(text[*pos]))) {
    v = v * 10 + (text[*pos] - '0');
    ++*pos;
  }
  *out = v;
  return *pos > start;
}

bool Expect(std::string_view text, size_t* pos, char c) {
  if (*pos >= text.size() || text[*pos] != c) return false;
  ++*pos;
  return true;
}

// A name from `names` (or its first three letters), case-insensitive; its index.
int ReadName(std::string_view text, size_t* pos, const char* const* names, int count) {
  for (int full = 1; full >= 0; --full) {
    for (int i = 0; i < count; ++i) {
      size_t len = full ? std::strlen(names[i]) : 3;
      if (text.size() - *pos >= len && strncasecmp(text.data() + *pos, names[i], len) == 0) {
        *pos += len;
        return i;
      }
    }
  }
  return -1;
}

bool IsNumericLetter(char c) { return std::strchr("yMdHhmsSD", c) != nullptr; }

}  // namespace

int DaysInMonth(int64_t year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12) return 0;
  return month == 2 && IsLeap(year) ? 29 : kDays[month - 1];
}

CivilTime ToCivil(int64_t millis) {
  CivilTime t;
  int64_t days = FloorDiv(millis, kMillisPerDay);
  int64_t ms = millis - days * kMillisPerDay;
  unsigned m, d;
  CivilFromDays(days, &t.year, &m, &d);
  t.month = static_cast<int>(m);
  t.day = static_cast<int>(d);
  t.hour = static_cast<int>(ms / 3600000);
  t.minute = static_cast<int>(ms / 60000 % 60);
  t.second = static_cast<int>(ms / 1000 % 60);
  t.millis = static_cast<int>(ms % 1000);
  return t;
}

int64_t FromCivil(const CivilTime& t) {
  int64_t days = DaysFromCivil(t.year, static_cast<unsigned>(t.month), static_cast<unsigned>(t.day));
  return days * kMillisPerDay + t.hour * 3600000LL + t.minute * 60000LL + t.second * 1000LL +
         t.millis;
}

int DayOfWeek(int64_t days) {
  // 1970-01-01 was a Thursday (5).
  int64_t r = (days + 4) % 7;
  if (r < 0) r += 7;
  return static_cast<int>(r) + 1;
}

int DayOfYear(int64_t days) {
  int64_t y;
  unsigned m, d;
  CivilFromDays(days, &y, &m, &d);
  return static_cast<int>(days - DaysFromCivil(y, 1, 1)) + 1;
}

int IsoWeek(int64_t days) {
  int iso_dow = (DayOfWeek(days) + 5) % 7 + 1;  // Monday 1 .. Sunday 7
  int64_t thursday = days - iso_dow + 4;
  int64_t y;
  unsigned m, d;
  CivilFromDays(thursday, &y, &m, &d);
  return static_cast<int>((thursday - DaysFromCivil(y, 1, 1)) / 7) + 1;
}

std::optional<TimeUnit> ParseTimeUnit(std::string_view unit) {
  static constexpr std::pair<const char*, TimeUnit> kUnits[] = {
      {"MILLISECOND", TimeUnit::kMillisecond}, {"SECOND", TimeUnit::kSecond},
      {"MINUTE", TimeUnit::kMinute},           {"HOUR", TimeUnit::kHour},
      {"DAY", TimeUnit::kDay},                 {"WEEK", TimeUnit::kWeek},
      {"MONTH", TimeUnit::kMonth},             {"QUARTER", TimeUnit::kQuarter},
      {"YEAR", TimeUnit::kYear},               {"DOW", TimeUnit::kDow},
      {"DOY", TimeUnit::kDoy},                 {"EPOCH", TimeUnit::kEpoch}};
  for (const auto& [name, u] : kUnits) {
    if (unit == name) return u;
  }
  return std::nullopt;
}

int64_t FloorMillis(int64_t millis, TimeUnit unit) {
  switch (unit) {
    case TimeUnit::kMillisecond: return millis;
    case TimeUnit::kSecond: return FloorDiv(millis, 1000) * 1000;
    case TimeUnit::kMinute: return FloorDiv(millis, 60000) * 60000;
    case TimeUnit::kHour: return FloorDiv(millis, 3600000) * 3600000;
    case TimeUnit::kDay: return FloorDiv(millis, kMillisPerDay) * kMillisPerDay;
    case TimeUnit::kWeek: {
      int64_t days = FloorDiv(millis, kMillisPerDay);
      int iso_dow = (DayOfWeek(days) + 5) % 7 + 1;
      return (days - iso_dow + 1) * kMillisPerDay;
    }
    default: break;
  }
  CivilTime t = ToCivil(millis);
  CivilTime f;
  f.year = t.year;
  if (unit == TimeUnit::kMonth) f.month = t.month;
  if (unit == TimeUnit::kQuarter) f.month = (t.month - 1) / 3 * 3 + 1;
  return FromCivil(f);
}

std::optional<int32_t> ParseSqlDate(std::string_view text) {
  size_t pos = 0;
  CivilTime t;
  int64_t y, m, d;
  bool negative = !text.empty() && text[0] == '-';
  if (negative) ++pos;
  if (!ReadInt(text, &pos, 9, &y) || !Expect(text, &pos, '-') || !ReadInt(text, &pos, 2, &m) ||
      !Expect(text, &pos, '-') || !ReadInt(text, &pos, 2, &d)) {
    return std::nullopt;
  }
  if (pos < text.size() && text[pos] != ' ' && text[pos] != 'T') return std::nullopt;
  t.year = negative ? -y : y;
  t.month = static_cast<int>(m);
  t.day = static_cast<int>(d);
  if (!ValidCivil(t)) return std::nullopt;
  return static_cast<int32_t>(
      DaysFromCivil(t.year, static_cast<unsigned>(t.month), static_cast<unsigned>(t.day)));
}

std::optional<int64_t> ParseSqlTimestamp(std::string_view text) {
  size_t pos = 0;
  int64_t y, mo, d, h = 0, mi = 0, s = 0, ms = 0;
  if (!ReadInt(text, &pos, 9, &y) || !Expect(text, &pos, '-') || !ReadInt(text, &pos, 2, &mo) ||
      !Expect(text, &pos, '-') || !ReadInt(text, &pos, 2, &d)) {
    return std::nullopt;
  }
  if (pos < text.size()) {
    if (text[pos] != ' ' && text[pos] != 'T') return std::nullopt;
    ++pos;
    if (!ReadInt(text, &pos, 2, &h) || !Expect(text, &pos, ':') || !ReadInt(text, &pos, 2, &mi)) {
      return std::nullopt;
    }
    if (pos < text.size() && text[pos] == ':') {
      ++pos;
      if (!ReadInt(text, &pos, 2, &s)) return std::nullopt;
      if (pos < text.size() && text[pos] == '.') {
        ++pos;
        size_t start = pos;
        int64_t frac;
        if (!ReadInt(text, &pos, 9, &frac)) return std::nullopt;
        size_t digits = pos - start;
        for (size_t i = digits; i < 3; ++i) frac *= 10;
        for (size_t i = 3; i < digits; ++i) frac /= 10;
        ms = frac;
      }
    }
  }
  if (pos != text.size()) return std::nullopt;
  CivilTime t{y, static_cast<int>(mo), static_cast<int>(d), static_cast<int>(h),
              static_cast<int>(mi), static_cast<int>(s), static_cast<int>(ms)};
  if (!ValidCivil(t)) return std::nullopt;
  return FromCivil(t);
}

Result<DateTimePattern> DateTimePattern::Compile(std::string_view pattern) {
  DateTimePattern p;
  for (size_t i = 0; i < pattern.size();) {
    char c = pattern[i];
    if (c == '\'') {
      size_t end = i + 1;
      std::string lit;
      if (end < pattern.size() && pattern[end] == '\'') {  // '' is a quote
        lit = "'";
        end += 1;
      } else {
        while (true) {
          if (end >= pattern.size()) return Invalid("unterminated quote in pattern '{}'", pattern);
          if (pattern[end] == '\'') {
            if (end + 1 < pattern.size() && pattern[end + 1] == '\'') {
              lit.push_back('\'');
              end += 2;
              continue;
            }
            break;
          }
          lit.push_back(pattern[end++]);
        }
        end += 1;
      }
      p.tokens_.push_back(Token{0, 0, lit});
      i = end;
      continue;
    }
    if (std::isalpha(static_cast<unsigned char>(c))) {
      if (std::strchr("yMdHhmsSaED", c) == nullptr) {
        return Invalid("unsupported letter '{}' in date pattern '{}'", c, pattern);
      }
      size_t j = i;
      while (j < pattern.size() && pattern[j] == c) ++j;
      p.tokens_.push_back(Token{c, static_cast<int>(j - i), ""});
      i = j;
      continue;
    }
    if (!p.tokens_.empty() && p.tokens_.back().letter == 0) {
      p.tokens_.back().literal.push_back(c);
    } else {
      p.tokens_.push_back(Token{0, 0, std::string(1, c)});
    }
    ++i;
  }
  return p;
}

void DateTimePattern::Format(int64_t millis, std::string* out) const {
  CivilTime t = ToCivil(millis);
  auto num = [out](int64_t v, int width) {
    if (v < 0) {
      out->push_back('-');
      v = -v;
    }
    fmt::format_to(std::back_inserter(*out), "{:0{}}", v, width);
  };
  for (const Token& tok : tokens_) {
    switch (tok.letter) {
      case 0: out->append(tok.literal); break;
      case 'y':
        if (tok.count == 2) {
          num(t.year % 100, 2);
        } else {
          num(t.year, tok.count);
        }
        break;
      case 'M':
        if (tok.count >= 4) {
          out->append(kMonthNames[t.month - 1]);
        } else if (tok.count == 3) {
          out->append(kMonthNames[t.month - 1], 3);
        } else {
          num(t.month, tok.count);
        }
        break;
      case 'd': num(t.day, tok.count); break;
      case 'H': num(t.hour, tok.count); break;
      case 'h': num(t.hour % 12 == 0 ? 12 : t.hour % 12, tok.count); break;
      case 'm': num(t.minute, tok.count); break;
      case 's': num(t.second, tok.count); break;
      case 'S': num(t.millis, tok.count); break;
      case 'a': out->append(t.hour < 12 ? "AM" : "PM"); break;
      case 'D': num(DayOfYear(FloorDiv(millis, kMillisPerDay)), tok.count); break;
      case 'E': {
        const char* name = kDayNames[DayOfWeek(FloorDiv(millis, kMillisPerDay)) - 1];
        out->append(name, tok.count >= 4 ? std::strlen(name) : 3);
        break;
      }
    }
  }
}

std::optional<int64_t> DateTimePattern::Parse(std::string_view text) const {
  CivilTime t;
  int64_t day_of_year = 0;
  int pm = -1;
  size_t pos = 0;
  for (size_t k = 0; k < tokens_.size(); ++k) {
    const Token& tok = tokens_[k];
    if (tok.letter == 0) {
      if (text.substr(pos, tok.literal.size()) != tok.literal) return std::nullopt;
      pos += tok.literal.size();
      continue;
    }
    if (tok.letter == 'a') {
      if (text.size() - pos < 2) return std::nullopt;
      if (strncasecmp(text.data() + pos, "AM", 2) == 0) {
        pm = 0;
      } else if (strncasecmp(text.data() + pos, "PM", 2) == 0) {
        pm = 1;
      } else {
        return std::nullopt;
      }
      pos += 2;
      continue;
    }
    if (tok.letter == 'E' || (tok.letter == 'M' && tok.count >= 3)) {
      int idx = tok.letter == 'E' ? ReadName(text, &pos, kDayNames, 7)
                                  : ReadName(text, &pos, kMonthNames, 12);
      if (idx < 0) return std::nullopt;
      if (tok.letter == 'M') t.month = idx + 1;
      continue;
    }
    // Adjacent numeric fields ("yyyyMMdd") take exactly their width.
    bool fixed = k + 1 < tokens_.size() && IsNumericLetter(tokens_[k + 1].letter);
    int width = fixed ? tok.count : (tok.letter == 'y' ? 9 : tok.letter == 'S' ? 9 : 2);
    if (tok.letter == 'D' && !fixed) width = 3;
    size_t start = pos;
    int64_t v;
    if (!ReadInt(text, &pos, width, &v)) return std::nullopt;
    switch (tok.letter) {
      case 'y': t.year = v; break;
      case 'M': t.month = static_cast<int>(v); break;
      case 'd': t.day = static_cast<int>(v); break;
      case 'H': t.hour = static_cast<int>(v); break;
      case 'h': t.hour = static_cast<int>(v == 12 ? 0 : v); break;
      case 'm': t.minute = static_cast<int>(v); break;
      case 's': t.second = static_cast<int>(v); break;
      case 'D': day_of_year = v; break;
      case 'S': {
        size_t digits = pos - start;  // a fraction of a second
        for (size_t i = digits; i < 3; ++i) v *= 10;
        for (size_t i = 3; i < digits; ++i) v /= 10;
        t.millis = static_cast<int>(v);
        break;
      }
    }
  }
  if (pos != text.size()) return std::nullopt;
  if (pm == 1) {
    if (t.hour >= 12) return std::nullopt;
    t.hour += 12;
  }
  if (!ValidCivil(t)) return std::nullopt;
  int64_t millis = FromCivil(t);
  if (day_of_year > 0) millis += (day_of_year - t.day) * kMillisPerDay;
  return millis;
}

}  // namespace kappa::engine
