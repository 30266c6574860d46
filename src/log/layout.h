// Names of the log's files and directories under a data dir (see
// docs/format/topic.md and docs/format/segment.md):
//
//   <data_dir>/topics/<topic>/topic.json
//   <data_dir>/topics/<topic>/<partition>/<base offset, 20 digits>.log|.index|.timeindex
//   <data_dir>/trash/<tombstone>          topics being deleted
//
// Pure string functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/strong_id.h"

namespace kappa::log {

inline constexpr std::string_view kLogSuffix = ".log";
inline constexpr std::string_view kIndexSuffix = ".index";
inline constexpr std::string_view kTimeIndexSuffix = ".timeindex";
inline constexpr std::string_view kTopicConfigFile = "topic.json";

std::string TopicsDir(const std::string& data_dir);
std::string TrashDir(const std::string& data_dir);
std::string TopicDir(const std::string& data_dir, std::string_view topic);
std::string PartitionDir(const std::string& topic_dir, PartitionId partition);

// "<dir>/00000000000000001234" + suffix.
std::string SegmentPath(const std::string& partition_dir, Offset base, std::string_view suffix);
// The base offset of a segment file name ("00000000000000001234.log"), if
// `name` is one with `suffix`.
std::optional<Offset> ParseSegmentName(std::string_view name, std::string_view suffix);

// A name for a topic being deleted that no topic name can collide with.
std::string TombstoneName(std::string_view topic, int64_t unique);

}  // namespace kappa::log
