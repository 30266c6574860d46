#include "log/topic_config.h"

#include <cctype>
#include <charconv>
#include <limits>
#include <optional>
#include <span>

#include "nlohmann/json.hpp"

namespace kappa::log {
namespace {

using nlohmann::json;

constexpr int64_t kMiB = int64_t{1} << 20;
constexpr int64_t kMaxSegmentBytes = int64_t{1} << 31;

struct Unit {
  std::string_view name;
  int64_t factor;
};

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool IsInfinite(std::string_view s) {
  std::string l = Lower(s);
  return l == "infinite" || l == "forever" || l == "-1" || l == "unlimited";
}

// Parses "<digits><unit>" with unit from `units` ("" = factor 1 is listed
// by the caller). Returns nullopt on any malformation or overflow.
std::optional<int64_t> ParseWithUnit(std::string_view text, std::span<const Unit> units) {
  size_t digits = 0;
  while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits]))) ++digits;
  if (digits == 0) return std::nullopt;
  int64_t n = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + digits, n);
  if (ec != std::errc() || p != text.data() + digits) return std::nullopt;
  std::string unit = Lower(text.substr(digits));
  for (const Unit& u : units) {
    if (unit != u.name) continue;
    if (n > std::numeric_limits<int64_t>::max() / u.factor) return std::nullopt;
    return n * u.factor;
  }
  return std::nullopt;
}

// Reads an integer field if present; Invalid if it is not an integer.
template <typename T>
Status ReadInt(const json& j, const char* key, T* out) {
  auto it = j.find(key);
  if (it == j.end()) return OkStatus();
  if (!it->is_number_integer()) return Invalid("topic config: {} must be an integer", key);
  int64_t v = it->get<int64_t>();
  if (v < std::numeric_limits<T>::min() || v > std::numeric_limits<T>::max()) {
    return Invalid("topic config: {} out of range: {}", key, v);
  }
  *out = static_cast<T>(v);
  return OkStatus();
}

Status CheckRetention(const char* name, int64_t v) {
  if (v < -1) return Invalid("{} must be -1 (infinite) or >= 0, got {}", name, v);
  return OkStatus();
}

}  // namespace

std::string_view DurabilityName(Durability d) {
  switch (d) {
    case Durability::kAlways: return "always";
    case Durability::kGroup: return "group";
    case Durability::kNever: return "never";
  }
  return "group";
}

Result<Durability> ParseDurability(std::string_view name) {
  std::string l = Lower(name);
  if (l == "always") return Durability::kAlways;
  if (l == "group") return Durability::kGroup;
  if (l == "never") return Durability::kNever;
  return Invalid("unknown durability '{}' (expected always, group or never)", name);
}

std::string TopicConfig::ToJson() const {
  json j = {{"partitions", partitions},
            {"durability", DurabilityName(durability)},
            {"retention_bytes", retention_bytes},
            {"retention_ms", retention_ms},
            {"segment_bytes", segment_bytes},
            {"segment_ms", segment_ms},
            {"index_interval_bytes", index_interval_bytes}};
  return j.dump(2) + "\n";
}

Result<TopicConfig> TopicConfig::FromJson(std::string_view text) {
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return Invalid("topic config is not a JSON object");
  TopicConfig c;
  RETURN_IF_ERROR(ReadInt(j, "partitions", &c.partitions));
  RETURN_IF_ERROR(ReadInt(j, "retention_bytes", &c.retention_bytes));
  RETURN_IF_ERROR(ReadInt(j, "retention_ms", &c.retention_ms));
  RETURN_IF_ERROR(ReadInt(j, "segment_bytes", &c.segment_bytes));
  RETURN_IF_ERROR(ReadInt(j, "segment_ms", &c.segment_ms));
  RETURN_IF_ERROR(ReadInt(j, "index_interval_bytes", &c.index_interval_bytes));
  if (auto it = j.find("durability"); it != j.end()) {
    if (!it->is_string()) return Invalid("topic config: durability must be a string");
    ASSIGN_OR_RETURN(c.durability, ParseDurability(it->get<std::string>()));
  }
  return c;
}

Status TopicConfig::Validate(bool allow_small_segments) const {
  if (partitions < 1 || partitions > 10000) {
    return Invalid("partitions must be 1..10000, got {}", partitions);
  }
  int64_t min_segment = allow_small_segments ? 1 : kMiB;
  if (segment_bytes < min_segment || segment_bytes > kMaxSegmentBytes) {
    return Invalid("segment_bytes must be {}..{}, got {}", min_segment, kMaxSegmentBytes,
                   segment_bytes);
  }
  int64_t min_segment_ms = allow_small_segments ? 1 : 1000;
  if (segment_ms < min_segment_ms) {
    return Invalid("segment_ms must be >= {}, got {}", min_segment_ms, segment_ms);
  }
  RETURN_IF_ERROR(CheckRetention("retention_bytes", retention_bytes));
  RETURN_IF_ERROR(CheckRetention("retention_ms", retention_ms));
  if (index_interval_bytes < 1 || index_interval_bytes > 16 * kMiB) {
    return Invalid("index_interval_bytes must be 1..{}, got {}", 16 * kMiB, index_interval_bytes);
  }
  return OkStatus();
}

Result<int64_t> ParseDurationMillis(std::string_view text) {
  if (IsInfinite(text)) return int64_t{-1};
  static constexpr Unit kUnits[] = {{"", 1},           {"ms", 1},          {"s", 1000},
                                    {"m", 60'000},     {"h", 3'600'000},   {"d", 86'400'000},
                                    {"w", 604'800'000}};
  std::optional<int64_t> v = ParseWithUnit(text, kUnits);
  if (!v) return Invalid("bad duration '{}' (e.g. 7d, 12h, 30m, 45s, 500ms, infinite)", text);
  return *v;
}

Result<int64_t> ParseSizeBytes(std::string_view text) {
  if (IsInfinite(text)) return int64_t{-1};
  static constexpr Unit kUnits[] = {
      {"", 1},
      {"b", 1},
      {"kib", int64_t{1} << 10},
      {"mib", int64_t{1} << 20},
      {"gib", int64_t{1} << 30},
      {"tib", int64_t{1} << 40},
      {"kb", 1'000},
      {"mb", 1'000'000},
      {"gb", 1'000'000'000},
      {"tb", 1'000'000'000'000}};
  std::optional<int64_t> v = ParseWithUnit(text, kUnits);
  if (!v) return Invalid("bad size '{}' (e.g. 10GiB, 512MiB, 4KiB, 1000)", text);
  return *v;
}

Status ValidateTopicName(std::string_view name) {
  if (name.empty() || name.size() > 249) {
    return Invalid("topic name must be 1..249 characters, got {}", name.size());
  }
  if (name == "." || name == "..") return Invalid("topic name cannot be '{}'", name);
  for (char c : name) {
    bool ok = std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-';
    if (!ok) return Invalid("topic name '{}' has '{}': use letters, digits, '.', '_', '-'", name, c);
  }
  return OkStatus();
}

}  // namespace kappa::log
