// Per-topic settings, stored as topics/<topic>/topic.json. Retention is
// infinite by default (Kappa keeps history); time retention compares against
// the time a segment was last appended to, never against record timestamps.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"

namespace kappa::log {

// When an append is acknowledged.
enum class Durability {
  kAlways,  // fsync before acknowledging each append
  kGroup,   // default: a flusher fsyncs every flush interval; acknowledge
            // only records covered by a completed fsync
  kNever,   // acknowledge once written to the page cache
};

std::string_view DurabilityName(Durability d);
Result<Durability> ParseDurability(std::string_view name);  // "always" | "group" | "never"

struct TopicConfig {
  int32_t partitions = 1;
  Durability durability = Durability::kGroup;
  int64_t retention_bytes = -1;  // per partition; -1 = unlimited
  int64_t retention_ms = -1;     // -1 = forever
  int64_t segment_bytes = int64_t{1} << 30;
  int64_t segment_ms = int64_t{7} * 24 * 3600 * 1000;
  int32_t index_interval_bytes = 4096;

  // {"partitions":1,"durability":"group","retention_bytes":-1,...}; the
  // fields are those above, named as above. FromJson takes missing fields
  // from the defaults and ignores unknown ones; a field of the wrong type
  // is Invalid naming it.
  std::string ToJson() const;
  static Result<TopicConfig> FromJson(std::string_view json);
  // Checks ranges (partitions 1..10000, segment_bytes 1 MiB..2 GiB, or from
  // 1 byte when allow_small_segments (tests), segment_ms >= 1 s unless
  // allow_small_segments, retention -1 or >= 0, index_interval_bytes
  // 1 B..16 MiB); the message names the bad setting.
  Status Validate(bool allow_small_segments = false) const;
};

// Parses a retention/duration setting: "7d", "12h", "30m", "45s", "500ms",
// "2w", a bare integer of milliseconds, "infinite"/"forever"/"-1". Returns
// milliseconds, -1 for infinite.
Result<int64_t> ParseDurationMillis(std::string_view text);
// Parses a size: "10GiB", "512MiB", "4KiB", "1TiB" (binary), "10GB", "5MB",
// "4KB" (decimal), "1000" or "1000B" (bytes), "infinite"/"-1". Units are
// case-insensitive.
Result<int64_t> ParseSizeBytes(std::string_view text);

// Topic names: 1..249 characters of [A-Za-z0-9._-], not "." or "..".
Status ValidateTopicName(std::string_view name);

}  // namespace kappa::log
