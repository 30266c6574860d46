// Calendar arithmetic and text for DATE (days since 1970-01-01) and
// TIMESTAMP(3) (milliseconds since the epoch, UTC / wall clock): field
// extraction, truncation to a unit, SQL timestamp text, and Java
// SimpleDateFormat-style patterns (letters y M d H h m s S a E D, quoted
// text in '...'). Pure functions; a DateTimePattern is immutable once
// compiled.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace kappa::engine {

inline constexpr int64_t kMillisPerDay = 86400000;

inline int64_t FloorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

// The fields of a timestamp.
struct CivilTime {
  int64_t year = 1970;
  int month = 1, day = 1, hour = 0, minute = 0, second = 0, millis = 0;
};
CivilTime ToCivil(int64_t millis);
// REQUIRES: fields in range.
int64_t FromCivil(const CivilTime& t);
int DaysInMonth(int64_t year, int month);

// Day of week, 1 = Sunday .. 7 = Saturday (SQL DOW).
int DayOfWeek(int64_t days);
// Day of year, 1-based.
int DayOfYear(int64_t days);
// ISO-8601 week number (weeks start on Monday, week 1 holds January 4).
int IsoWeek(int64_t days);

enum class TimeUnit { kMillisecond, kSecond, kMinute, kHour, kDay, kWeek, kMonth, kQuarter,
                      kYear, kDow, kDoy, kEpoch };
// "SECOND" -> kSecond; nullopt for an unknown unit.
std::optional<TimeUnit> ParseTimeUnit(std::string_view unit);

// The start of the unit holding `millis` (SECOND..YEAR; WEEK starts on
// Monday).
int64_t FloorMillis(int64_t millis, TimeUnit unit);

// SQL timestamp text: "yyyy-M-d", optionally followed by ' ' or 'T' and
// "H:m[:s[.fffffffff]]" (fraction truncated to milliseconds).
std::optional<int64_t> ParseSqlTimestamp(std::string_view text);
// "yyyy-M-d" (a time part after ' ' or 'T' is ignored).
std::optional<int32_t> ParseSqlDate(std::string_view text);

class DateTimePattern {
 public:
  // Errors: an unsupported pattern letter, an unterminated quote.
  static Result<DateTimePattern> Compile(std::string_view pattern);

  void Format(int64_t millis, std::string* out) const;
  // The timestamp (UTC) `text` spells in this pattern; nullopt when it does
  // not match or a field is out of range. Missing fields default to
  // 1970-01-01 00:00:00.000.
  std::optional<int64_t> Parse(std::string_view text) const;

 private:
  struct Token {
    char letter = 0;  // 0: literal text
    int count = 0;
    std::string literal;
  };
  std::vector<Token> tokens_;
};

}  // namespace kappa::engine
