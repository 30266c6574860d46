// ExecContext is what a task tells its operators about where they run: task
// index and parallelism, bounded or streaming, the source splits the job
// reads and which of them this task owns, and where bad records go. Late
// and malformed records are never dropped silently: each is counted in the
// job's counters and, when configured, written as a JSON record to the
// dead-letter topic (JobOptions::dlq_topic: `<pipeline>.dlq`, and
// `<pipeline>__v<N>.dlq` for later versions) with its reason, topic,
// partition and offset (docs/format/checkpoint.md, "Dead-letter records");
// with 'malformed-records' = 'fail' the first one stops the job with that
// message instead.
//
// One ExecContext per task, used from that task's thread; the counters are
// shared by the tasks of a job and read by Job::Status from any thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "engine/chunk.h"

namespace kappa::engine {

// One partition of one source table of a job.
struct SplitInfo {
  int source = 0;     // index of the scan in the physical plan
  std::string table;  // the source table's name
  std::string topic;
  int32_t partition = 0;
};

enum class LatePolicy { kDrop, kDeadLetter };
enum class MalformedPolicy { kDeadLetter, kFail };

struct JobCounters {
  std::atomic<int64_t> records_in{0};
  std::atomic<int64_t> records_out{0};
  std::atomic<int64_t> late{0};
  std::atomic<int64_t> malformed{0};
  std::atomic<int64_t> dead_letters{0};
};

// Receives dead-letter records (JSON values); the runtime stages them into
// the dead-letter topic with the checkpoint, so they are written exactly
// once. Called from the task's thread.
class DeadLetterWriter {
 public:
  virtual ~DeadLetterWriter() = default;
  virtual Status Write(std::string_view json_value) = 0;
};

struct ExecOptions {
  int task = 0;
  int parallelism = 1;
  bool bounded = false;
  std::string pipeline;  // for dead-letter records
  LatePolicy late_policy = LatePolicy::kDrop;
  MalformedPolicy malformed_policy = MalformedPolicy::kDeadLetter;
};

class ExecContext {
 public:
  // `splits`, `counters` and `dead_letters` (may be null: count only) must
  // outlive the context.
  ExecContext(ExecOptions options, const std::vector<SplitInfo>* splits, JobCounters* counters,
              DeadLetterWriter* dead_letters);

  int task() const { return options_.task; }
  int parallelism() const { return options_.parallelism; }
  bool bounded() const { return options_.bounded; }
  const ExecOptions& options() const { return options_; }
  const std::vector<SplitInfo>& splits() const { return *splits_; }
  JobCounters* counters() const { return counters_; }

  // Splits of source `source` this task reads.
  std::vector<int32_t> OwnedSplits(int source) const;
  void SetOwnedSplits(std::vector<int32_t> splits) { owned_ = std::move(splits); }

  // Active rows `rows` (physical indexes) of `chunk` are behind their
  // split's watermark. `why` names the check ("window [a, b) already
  // closed").
  Status ReportLate(const Chunk& chunk, std::span<const uint32_t> rows, std::string_view why);
  // A record of split `split` at `offset` could not be decoded. Under
  // MalformedPolicy::kFail returns an error with the message.
  Status ReportMalformed(int32_t split, int64_t offset, std::string_view value,
                         std::string_view reason);

 private:
  std::string DeadLetterJson(std::string_view reason, int32_t split, int64_t offset,
                             std::string_view field, std::string_view payload,
                             bool payload_is_text) const;

  ExecOptions options_;
  const std::vector<SplitInfo>* splits_;
  JobCounters* counters_;
  DeadLetterWriter* dead_letters_;
  std::vector<int32_t> owned_;
};

}  // namespace kappa::engine
