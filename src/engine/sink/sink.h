// The sink interface, built for exactly-once output (src/engine/README.md,
// "Exactly-once: sinks"). A Sink is one target table or topic of a job; it makes a
// SinkWriter per task. During an epoch each writer stages the rows its task
// produces; at the epoch's checkpoint barrier PrepareCommit turns what was
// staged into an opaque payload that the checkpoint saves. Once the
// checkpoint is durable, the job calls Sink::Commit(epoch, payloads of all
// writers) once, which makes the epoch's rows visible. After a crash the job
// recovers the last complete checkpoint and calls Commit for its epoch
// again: Commit must be idempotent (committing an epoch already committed
// changes nothing), which the sink decides from what it has itself recorded
// (LastCommittedEpoch: the Iceberg snapshot summary's kappa.epoch, or the
// commit markers in a topic's record headers).
//
// Thread rules: a SinkWriter is used by its task's thread only. Sink
// methods are called by one thread at a time (the job's coordinator), never
// concurrently with each other, but concurrently with writers.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "base/strong_id.h"
#include "columnar/batch.h"

namespace kappa::engine {

class SinkWriter {
 public:
  virtual ~SinkWriter() = default;
  // Stages rows (a changelog: +I/+U/-U/-D) for the current epoch.
  virtual Status Stage(const columnar::Batch& batch) = 0;
  // What was staged since the last PrepareCommit, for the checkpoint of
  // `epoch`; the writer starts a new epoch empty.
  virtual Result<std::string> PrepareCommit(Epoch epoch) = 0;
  // Bytes staged and not yet prepared: the runtime checkpoints early when
  // they grow large (a backfill's rare checkpoints must not hold gigabytes).
  virtual size_t staged_bytes() const = 0;
};

class Sink {
 public:
  virtual ~Sink() = default;
  // For messages and status: "topic revenue".
  virtual std::string name() const = 0;
  virtual Result<std::unique_ptr<SinkWriter>> CreateWriter(int task) = 0;

  // Called while the checkpoint of `epoch` is written, before Commit(epoch):
  // bytes the sink needs at recovery (a topic sink: its partitions' end
  // offsets, where a search for its commit markers starts). Saved in the
  // checkpoint and handed back to Recover.
  virtual Result<std::string> CheckpointInfo(Epoch /*epoch*/) { return std::string(); }
  // Before anything else after a restart: the info saved with the
  // checkpoint the job resumes from (of `epoch`). Sinks drop anything they
  // staged after that epoch here.
  virtual Status Recover(Epoch /*epoch*/, std::string_view /*info*/) { return OkStatus(); }

  // Makes the payloads of `epoch` visible, exactly once. Payloads of
  // writers that staged nothing are empty strings.
  virtual Status Commit(Epoch epoch, const std::vector<std::string>& payloads) = 0;
  // The last epoch committed, read back from the sink itself; nullopt when
  // it holds no commit of this job (after Recover, within what it can see).
  virtual Result<std::optional<Epoch>> LastCommittedEpoch() = 0;
};

}  // namespace kappa::engine
