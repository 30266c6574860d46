// Clocks. Wall time in milliseconds since the Unix epoch (record timestamps,
// append times, retention) and a monotonic clock for intervals and timeouts.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kappa {

int64_t WallMillis();
int64_t MonotonicNanos();

// Parses an ISO-8601 / SQL timestamp ("2024-03-01T12:00:00Z",
// "2024-03-01 12:00:00.123", "2024-03-01T12:00:00+02:00", "2024-03-01") or
// an integer of epoch milliseconds. Times without a zone are UTC.
std::optional<int64_t> ParseTimestampMillis(std::string_view text);

// Days since 1970-01-01 of a proleptic Gregorian date, and back.
int64_t DaysFromCivil(int64_t year, unsigned month, unsigned day);
void CivilFromDays(int64_t days, int64_t* year, unsigned* month, unsigned* day);

// "2024-03-01T12:00:00.123Z".
std::string FormatTimestampMillis(int64_t millis);

}  // namespace kappa
