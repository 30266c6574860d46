#include "log/layout.h"

#include "fmt/format.h"

namespace kappa::log {

std::string TopicsDir(const std::string& data_dir) { return data_dir + "/topics"; }

std::string TrashDir(const std::string& data_dir) { return data_dir + "/trash"; }

std::string TopicDir(const std::string& data_dir, std::string_view topic) {
  return fmt::format("{}/topics/{}", data_dir, topic);
}

std::string PartitionDir(const std::string& topic_dir, PartitionId partition) {
  return fmt::format("{}/{}", topic_dir, partition.value());
}

std::string SegmentPath(const std::string& partition_dir, Offset base, std::string_view suffix) {
  return fmt::format("{}/{:020}{}", partition_dir, base.value(), suffix);
}

std::optional<Offset> ParseSegmentName(std::string_view name, std::string_view suffix) {
  if (name.size() != 20 + suffix.size() || !name.ends_with(suffix)) return std::nullopt;
  int64_t v = 0;
  for (size_t i = 0; i < 20; ++i) {
    char c = name[i];
    if (c < '0' || c > '9') return std::nullopt;
    if (v > (INT64_MAX - (c - '0')) / 10) return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return Offset(v);
}

std::string TombstoneName(std::string_view topic, int64_t unique) {
  // '~' is not allowed in topic names; the name is cut to stay under NAME_MAX.
  return fmt::format("{}~{}", topic.substr(0, 200), unique);
}

}  // namespace kappa::log
