// The pipeline registry's files under <data-dir>/pipelines/ (format:
// docs/format/pipelines.md): for each pipeline a pipeline.json (which version
// is promoted, the promotion history for rollback) and per version v<N>/ the
// SQL exactly as deployed (pipeline.sql) and version.json (when and from
// where it was deployed, whether it should run). Every file is replaced
// atomically. A VersionStore is not thread-safe: the Registry serialises
// calls.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"

namespace kappa::pipeline {

enum class DesiredState { kRunning, kStopped };

struct VersionRecord {
  int version = 0;
  int64_t deployed_at_ms = 0;
  std::string from = "earliest";  // earliest | latest | an ISO-8601 timestamp
  DesiredState desired = DesiredState::kRunning;
  bool promote_when_caught_up = false;
};

struct PipelineRecord {
  std::string name;
  std::optional<int> promoted;   // the version the aliases point at
  std::vector<int> promotions;   // every promotion in order (rollback pops)
  std::vector<VersionRecord> versions;  // ascending; retired ones are gone
};

// "v2" and "2" alike; InvalidArgument otherwise.
Result<int> ParseVersion(std::string_view text);
// Letters, digits, '_' and '-', starting with a letter or '_', at most 100.
Status ValidatePipelineName(std::string_view name);

class VersionStore {
 public:
  // `root` is <data-dir>/pipelines; created when missing.
  static Result<VersionStore> Open(std::string root);

  Result<std::vector<PipelineRecord>> LoadAll() const;
  Result<PipelineRecord> Load(const std::string& name) const;
  bool Exists(const std::string& name) const;

  // Creates v<N> (N = highest existing + 1, or 1) with the SQL and record;
  // returns N. The directory appears whole or not at all.
  Result<int> AddVersion(const std::string& name, std::string_view sql, VersionRecord record);
  Status SaveVersion(const std::string& name, const VersionRecord& record);
  Status SavePipeline(const PipelineRecord& record);  // pipeline.json only
  Result<std::string> ReadSql(const std::string& name, int version) const;
  // Removes v<N> entirely (checkpoints included).
  Status RemoveVersion(const std::string& name, int version);
  Status RemovePipeline(const std::string& name);

  std::string VersionDir(const std::string& name, int version) const;
  std::string CheckpointDir(const std::string& name, int version) const;

 private:
  explicit VersionStore(std::string root) : root_(std::move(root)) {}
  Result<VersionRecord> LoadVersion(const std::string& name, int version) const;

  std::string root_;
};

}  // namespace kappa::pipeline
