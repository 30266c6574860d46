// Committed consumer-group offsets, durable across restarts: one JSON file
// per group under <data-dir>/groups/ (format in docs/format/groups.md),
// replaced atomically on every commit. Loaded whole at open; reads are from
// memory. Thread rules: not thread-safe; the Kafka handlers use it from the
// io_context's thread.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "base/status.h"

namespace kappa::kafka {

struct CommittedOffset {
  std::string topic;
  int32_t partition = 0;
  int64_t offset = -1;
  std::string metadata;
};

class OffsetStore {
 public:
  // Reads every group file in dir (creating dir if needed). A file that does
  // not parse is an error naming it: committed offsets are never dropped
  // silently.
  static Result<std::unique_ptr<OffsetStore>> Open(const std::string& dir);

  // Records the offsets of one OffsetCommit request, durably, all or none.
  Status Commit(const std::string& group, const std::vector<CommittedOffset>& offsets);
  std::optional<CommittedOffset> Fetch(const std::string& group, const std::string& topic,
                                       int32_t partition) const;
  std::vector<CommittedOffset> FetchAll(const std::string& group) const;
  std::vector<std::string> Groups() const;

  // The file name for a group: safe characters kept, others as %XX.
  static std::string FileNameFor(const std::string& group);

 private:
  explicit OffsetStore(std::string dir) : dir_(std::move(dir)) {}
  Status Persist(const std::string& group) const;

  using Key = std::pair<std::string, int32_t>;  // topic, partition
  std::string dir_;
  std::map<std::string, std::map<Key, CommittedOffset>> groups_;
};

}  // namespace kappa::kafka
