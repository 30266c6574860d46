// CheckpointStore writes and reads a job's checkpoints under one directory
// (pipelines/<name>/v<N>/checkpoints/, docs/format/checkpoint.md):
//
//   <epoch>/task-<i>.state   one per task: its operators' snapshots, its
//                            sink payloads and dead letters, with a CRC
//   <epoch>/manifest.json    written last: epoch, parallelism, plan
//                            fingerprint, source offsets, sink infos
//
// Every file is written to a temporary name, fsynced and renamed, and the
// directories are fsynced, so a checkpoint exists exactly when its manifest
// does; LoadLatest skips an epoch directory without one (a crash while
// writing). Not thread-safe: the job's coordinator owns it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"

namespace kappa::engine {

struct SplitOffset {
  std::string topic;
  int32_t partition = 0;
  int64_t offset = 0;  // the next offset to read
};

struct TaskCheckpoint {
  std::vector<std::string> nodes;  // per node of the physical plan
  std::string dead_letters;        // the dead-letter writer's payload
};

struct CheckpointData {
  int64_t epoch = 0;
  int parallelism = 1;
  std::string fingerprint;
  int64_t created_ms = 0;
  std::vector<SplitOffset> offsets;     // per split of the job
  std::vector<std::string> sink_infos;  // per sink (Sink::CheckpointInfo)
  std::vector<TaskCheckpoint> tasks;
};

class CheckpointStore {
 public:
  explicit CheckpointStore(std::string dir) : dir_(std::move(dir)) {}

  const std::string& dir() const { return dir_; }
  Status Write(const CheckpointData& data);
  // The newest complete checkpoint, or nullopt when there is none.
  Result<std::optional<CheckpointData>> LoadLatest() const;
  // Removes all but the newest `keep` complete checkpoints and any
  // incomplete one older than the newest.
  Status Prune(int keep);

 private:
  Result<std::vector<int64_t>> Epochs() const;
  Result<CheckpointData> Load(int64_t epoch) const;
  std::string EpochDir(int64_t epoch) const;

  std::string dir_;
};

}  // namespace kappa::engine
