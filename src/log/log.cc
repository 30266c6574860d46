// DiskLog: the Log of log.h. Owns the data dir's lock, the topics, the
// group-commit flusher thread and the retention thread.
#include <algorithm>
#include <map>
#include <mutex>
#include <set>

#include "base/time.h"
#include "log/layout.h"
#include "log/log.h"
#include "log/parallel_runner.h"
#include "log/periodic_thread.h"
#include "log/topic.h"
#include "spdlog/spdlog.h"

namespace kappa::log {
namespace {

// Threads that fsync dirty partitions in parallel, with the flusher itself.
constexpr int kFlushThreads = 3;

class DiskLog final : public Log {
 public:
  DiskLog(LogOptions options, std::unique_ptr<DirLock> lock)
      : options_(std::move(options)), lock_(std::move(lock)) {}
  ~DiskLog() override {
    Status s = Close();
    if (!s.ok()) spdlog::error("closing the log in {}: {}", options_.data_dir, s);
  }

  Status OpenTopics();
  void StartThreads();

  Result<std::shared_ptr<Topic>> CreateTopic(const std::string& name,
                                             const TopicConfig& config) override;
  Result<std::shared_ptr<Topic>> GetTopic(const std::string& name) const override;
  Status DeleteTopic(const std::string& name) override;
  std::vector<std::string> ListTopics() const override;
  Status ApplyRetention(int64_t now_ms) override;
  Status Close() override;
  const std::string& data_dir() const override { return options_.data_dir; }

 private:
  std::vector<std::shared_ptr<DiskTopic>> Snapshot() const;
  void FlushGroupTopics();
  Status OpenTopic(const std::string& name);

  const LogOptions options_;
  std::unique_ptr<DirLock> lock_;
  mutable std::mutex mu_;  // guards topics_, deleting_, closed_; held across create
  std::map<std::string, std::shared_ptr<DiskTopic>> topics_;
  std::set<std::string> deleting_;  // removed from topics_, directory not yet renamed
  bool closed_ = false;
  ParallelRunner flush_runner_{kFlushThreads};
  std::vector<DiskPartition*> dirty_;  // the flusher's, reused each round
  std::unique_ptr<PeriodicThread> flusher_;
  std::unique_ptr<PeriodicThread> retention_;
};

Status ClearTrash(const std::string& trash) {
  ASSIGN_OR_RETURN(std::vector<std::string> names, ListDir(trash));
  for (const std::string& name : names) {
    spdlog::info("removing deleted topic {}/{}", trash, name);
    RETURN_IF_ERROR(RemoveTree(trash + "/" + name));
  }
  return OkStatus();
}

Status DiskLog::OpenTopic(const std::string& name) {
  std::string dir = TopicDir(options_.data_dir, name);
  if (!ValidateTopicName(name).ok()) {
    spdlog::warn("ignoring {}: not a topic name", dir);
    return OkStatus();
  }
  if (!PathExists(dir + "/" + std::string(kTopicConfigFile))) {
    spdlog::warn("removing half-created topic {} (no {})", dir, kTopicConfigFile);
    return RemoveTree(dir);
  }
  ASSIGN_OR_RETURN(auto topic, DiskTopic::Open(dir, name, options_.allow_small_segments));
  topics_.emplace(name, std::move(topic));
  return OkStatus();
}

Status DiskLog::OpenTopics() {
  RETURN_IF_ERROR(CreateDirs(TopicsDir(options_.data_dir)));
  RETURN_IF_ERROR(CreateDirs(TrashDir(options_.data_dir)));
  RETURN_IF_ERROR(ClearTrash(TrashDir(options_.data_dir)));
  ASSIGN_OR_RETURN(std::vector<std::string> names, ListDir(TopicsDir(options_.data_dir)));
  std::lock_guard lock(mu_);
  for (const std::string& name : names) RETURN_IF_ERROR(OpenTopic(name));
  return OkStatus();
}

void DiskLog::StartThreads() {
  flusher_ = std::make_unique<PeriodicThread>(std::chrono::milliseconds(options_.flush_interval_ms),
                                              [this] { FlushGroupTopics(); });
  if (options_.retention_check_interval_ms > 0) {
    retention_ = std::make_unique<PeriodicThread>(
        std::chrono::milliseconds(options_.retention_check_interval_ms), [this] {
          Status s = ApplyRetention(WallMillis());
          if (!s.ok()) spdlog::error("retention: {}", s);
        });
  }
}

std::vector<std::shared_ptr<DiskTopic>> DiskLog::Snapshot() const {
  std::lock_guard lock(mu_);
  std::vector<std::shared_ptr<DiskTopic>> out;
  out.reserve(topics_.size());
  for (const auto& [name, topic] : topics_) out.push_back(topic);
  return out;
}

void DiskLog::FlushGroupTopics() {
  dirty_.clear();
  std::vector<std::shared_ptr<DiskTopic>> topics = Snapshot();  // alive while flushing
  for (const auto& topic : topics) {
    if (topic->config().durability == Durability::kGroup) topic->CollectDirty(&dirty_);
  }
  flush_runner_.ForEach(dirty_.size(), [this](size_t i) {
    Status s = dirty_[i]->Flush();  // a failed partition stops itself and logs why
    if (!s.ok()) spdlog::error("group commit: {}", s);
  });
}

Result<std::shared_ptr<Topic>> DiskLog::CreateTopic(const std::string& name,
                                                    const TopicConfig& config) {
  RETURN_IF_ERROR(ValidateTopicName(name));
  RETURN_IF_ERROR(config.Validate(options_.allow_small_segments));
  std::lock_guard lock(mu_);
  if (closed_) return Busy("the log in {} is closed", options_.data_dir);
  if (topics_.contains(name)) return AlreadyExists("topic {} already exists", name);
  if (deleting_.contains(name)) return Busy("topic {} is being deleted", name);
  std::string dir = TopicDir(options_.data_dir, name);
  if (PathExists(dir)) RETURN_IF_ERROR(RemoveTree(dir));  // left by a failed create
  auto topic = DiskTopic::Create(dir, name, config);
  if (!topic.ok()) {
    Status cleanup = RemoveTree(dir);
    if (!cleanup.ok()) spdlog::warn("{}", cleanup);
    return topic.status().WithContext(fmt::format("create topic {}", name));
  }
  topics_.emplace(name, *topic);
  return std::shared_ptr<Topic>(*topic);
}

Result<std::shared_ptr<Topic>> DiskLog::GetTopic(const std::string& name) const {
  std::lock_guard lock(mu_);
  auto it = topics_.find(name);
  if (it == topics_.end()) return NotFound("topic {} does not exist", name);
  return std::shared_ptr<Topic>(it->second);
}

Status DiskLog::DeleteTopic(const std::string& name) {
  std::shared_ptr<DiskTopic> topic;
  {
    std::lock_guard lock(mu_);
    auto it = topics_.find(name);
    if (it == topics_.end()) return NotFound("topic {} does not exist", name);
    topic = it->second;
    topics_.erase(it);
    deleting_.insert(name);  // CreateTopic(name) waits for the rename below
  }
  Status closed = topic->Close(NotFound("topic {} was deleted", name));  // runs callbacks
  if (!closed.ok()) spdlog::warn("deleting topic {}: {}", name, closed);
  std::string tombstone = TrashDir(options_.data_dir) + "/" + TombstoneName(name, WallMillis());
  Status moved = RenamePath(topic->dir(), tombstone);
  if (moved.ok()) moved = SyncDir(TopicsDir(options_.data_dir));
  if (moved.ok()) moved = SyncDir(TrashDir(options_.data_dir));
  {
    std::lock_guard lock(mu_);
    deleting_.erase(name);
  }
  RETURN_IF_ERROR(moved);
  return RemoveTree(tombstone);
}

std::vector<std::string> DiskLog::ListTopics() const {
  std::lock_guard lock(mu_);
  std::vector<std::string> names;
  names.reserve(topics_.size());
  for (const auto& [name, topic] : topics_) names.push_back(name);
  return names;
}

Status DiskLog::ApplyRetention(int64_t now_ms) {
  Status first;
  for (const auto& topic : Snapshot()) {
    Status s = topic->ApplyRetention(now_ms);
    if (first.ok()) first = s;
  }
  return first;
}

Status DiskLog::Close() {
  {
    std::lock_guard lock(mu_);
    if (closed_) return OkStatus();
    closed_ = true;
  }
  if (flusher_) flusher_->Stop();
  if (retention_) retention_->Stop();
  Status first;
  for (const auto& topic : Snapshot()) {
    Status s = topic->Close(Busy("the log in {} is closed", options_.data_dir));
    if (first.ok()) first = s;
  }
  lock_.reset();
  return first;
}

}  // namespace

Result<std::unique_ptr<Log>> Log::Open(const LogOptions& options) {
  if (options.flush_interval_ms < 1) {
    return Invalid("flush_interval_ms must be >= 1, got {}", options.flush_interval_ms);
  }
  ASSIGN_OR_RETURN(auto lock, DirLock::Acquire(options.data_dir, options.holder));
  auto log = std::make_unique<DiskLog>(options, std::move(lock));
  RETURN_IF_ERROR(log->OpenTopics());
  log->StartThreads();
  return std::unique_ptr<Log>(std::move(log));
}

}  // namespace kappa::log
