#include "log/topic.h"

#include <filesystem>

#include "log/layout.h"

namespace kappa::log {

DiskTopic::DiskTopic(std::string dir, std::string name, TopicConfig config,
                     std::vector<std::unique_ptr<DiskPartition>> partitions)
    : dir_(std::move(dir)),
      name_(std::move(name)),
      config_(config),
      partitions_(std::move(partitions)) {}

Result<std::vector<std::unique_ptr<DiskPartition>>> DiskTopic::OpenPartitions(
    const std::string& dir, const std::string& name, const TopicConfig& config) {
  std::vector<std::unique_ptr<DiskPartition>> partitions;
  for (int32_t p = 0; p < config.partitions; ++p) {
    PartitionOptions options{name, PartitionId(p), PartitionDir(dir, PartitionId(p)), config};
    ASSIGN_OR_RETURN(auto partition, DiskPartition::Open(std::move(options)));
    partitions.push_back(std::move(partition));
  }
  return partitions;
}

Result<std::shared_ptr<DiskTopic>> DiskTopic::Create(const std::string& dir,
                                                     const std::string& name,
                                                     const TopicConfig& config) {
  RETURN_IF_ERROR(CreateDirs(dir));
  ASSIGN_OR_RETURN(auto partitions, OpenPartitions(dir, name, config));
  RETURN_IF_ERROR(SyncDir(dir));
  RETURN_IF_ERROR(WriteFileAtomic(dir + "/" + std::string(kTopicConfigFile), config.ToJson()));
  RETURN_IF_ERROR(SyncDir(std::filesystem::path(dir).parent_path().string()));
  return std::make_shared<DiskTopic>(dir, name, config, std::move(partitions));
}

Result<std::shared_ptr<DiskTopic>> DiskTopic::Open(const std::string& dir, const std::string& name,
                                                   bool allow_small_segments) {
  std::string config_path = dir + "/" + std::string(kTopicConfigFile);
  ASSIGN_OR_RETURN(std::string json, ReadFile(config_path));
  auto config = TopicConfig::FromJson(json);
  if (config.ok()) RETURN_IF_ERROR(config->Validate(allow_small_segments).WithContext(config_path));
  if (!config.ok()) return config.status().WithContext(config_path);
  for (int32_t p = 0; p < config->partitions; ++p) {
    std::string pdir = PartitionDir(dir, PartitionId(p));
    if (!PathExists(pdir)) return Corruption("topic {}: partition directory {} is missing", name, pdir);
  }
  ASSIGN_OR_RETURN(auto partitions, OpenPartitions(dir, name, *config));
  return std::make_shared<DiskTopic>(dir, name, *config, std::move(partitions));
}

Partition* DiskTopic::partition(PartitionId id) const {
  if (id.value() < 0 || id.value() >= partition_count()) return nullptr;
  return partitions_[static_cast<size_t>(id.value())].get();
}

void DiskTopic::CollectDirty(std::vector<DiskPartition*>* out) const {
  for (const auto& p : partitions_) {
    if (p->dirty()) out->push_back(p.get());
  }
}

Status DiskTopic::Close(const Status& why) {
  Status first;
  for (const auto& p : partitions_) {
    Status s = p->Close(why);
    if (first.ok()) first = s;
  }
  return first;
}

Status DiskTopic::ApplyRetention(int64_t now_ms) {
  Status first;
  for (const auto& p : partitions_) {
    Status s = p->ApplyRetention(now_ms);
    if (first.ok()) first = s;
  }
  return first;
}

}  // namespace kappa::log
