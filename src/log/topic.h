// DiskTopic: the Topic of log.h, a directory topics/<name>/ holding
// topic.json and one DiskPartition per partition directory. Creation
// makes the partition directories first and writes topic.json last
// (atomically), so a topic directory without topic.json is a half-created
// topic (Log::Open removes it). See docs/format/topic.md.
//
// Thread-safe; partitions live as long as the topic.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "log/log.h"
#include "log/partition.h"

namespace kappa::log {

class DiskTopic final : public Topic {
 public:
  // REQUIRES: config is valid; dir does not hold a topic.
  static Result<std::shared_ptr<DiskTopic>> Create(const std::string& dir, const std::string& name,
                                                   const TopicConfig& config);
  // Opens and recovers the topic in dir, whose topic.json exists.
  static Result<std::shared_ptr<DiskTopic>> Open(const std::string& dir, const std::string& name,
                                                 bool allow_small_segments);

  const std::string& name() const override { return name_; }
  const TopicConfig& config() const override { return config_; }
  int32_t partition_count() const override { return static_cast<int32_t>(partitions_.size()); }
  Partition* partition(PartitionId id) const override;
  const std::string& dir() const { return dir_; }

  // Appends the partitions with data not yet durable to *out.
  void CollectDirty(std::vector<DiskPartition*>* out) const;
  // Closes every partition (DiskPartition::Close); returns the first error.
  Status Close(const Status& why);
  Status ApplyRetention(int64_t now_ms);

  DiskTopic(std::string dir, std::string name, TopicConfig config,
            std::vector<std::unique_ptr<DiskPartition>> partitions);

 private:
  static Result<std::vector<std::unique_ptr<DiskPartition>>> OpenPartitions(
      const std::string& dir, const std::string& name, const TopicConfig& config);

  const std::string dir_;
  const std::string name_;
  const TopicConfig config_;
  const std::vector<std::unique_ptr<DiskPartition>> partitions_;
};

}  // namespace kappa::log
