// The log: Kappa's system of record. A Log owns a data directory
// (topics/<topic>/<partition>/ segment files, see docs/format/segment.md),
// holds its lock for as long as it is open, and hands out Topics; a Topic
// has N Partitions; a Partition is a sequence of record batches at dense
// offsets from 0.
//
// Appends are batch-at-a-time: the caller passes one Kafka record batch v2,
// the log validates it, assigns its baseOffset and writes it as given.
// Readers see a record only once it is durable under the topic's durability
// (committed <= written), so a reader never sees a record a crash could take
// back. Reads return file slices of whole batches, to be copied or sent with
// sendfile.
//
// Thread rules: Log, Topic and Partition methods are thread-safe. Appends to
// one partition are serialized; reads run concurrently with appends. A
// background flusher thread (one per Log) performs group-commit fsyncs and
// runs durability callbacks. Topic handles are shared: a deleted topic's
// handle stays valid (its appends fail) until released.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/file.h"
#include "base/status.h"
#include "base/strong_id.h"
#include "log/topic_config.h"

namespace kappa::log {

struct BatchHeader;  // record_batch.h

struct AppendResult {
  Offset base_offset;
  Offset last_offset;
};

// A byte range of a segment file holding one or more whole batches.
struct FileSlice {
  std::shared_ptr<const File> file;  // keeps the segment file open
  uint64_t position = 0;
  uint64_t size = 0;

  // Appends the bytes to *out.
  Status AppendTo(std::string* out) const;
};

struct ReadResult {
  std::vector<FileSlice> slices;  // in offset order; empty at the end of the log
  Offset next_offset;             // offset after the last batch returned
  Offset high_watermark;          // readable end of the partition
  size_t bytes() const;
};

struct PartitionStats {
  PartitionId partition;
  Offset start_offset;  // first offset still stored (retention moves it)
  Offset end_offset;    // next offset to be assigned
  uint64_t bytes = 0;   // size of all segment files
  int64_t records = 0;  // end_offset - start_offset
  int32_t segments = 0;
  std::optional<int64_t> min_timestamp;  // over stored batches
  std::optional<int64_t> max_timestamp;
};

class Partition {
 public:
  virtual ~Partition() = default;

  virtual PartitionId id() const = 0;

  // Validates `batch` (see ValidateBatch), assigns offsets from end_offset(),
  // writes it, and returns its offsets. Under kAlways it is durable when this
  // returns; under kGroup call WaitDurable/OnDurable before acknowledging.
  virtual Result<AppendResult> Append(std::string_view batch) = 0;

  // Append for a caller that has already validated the batch, such as the
  // Kafka produce path (which checks every batch of a request before it
  // appends any) or a writer that built it with BatchBuilder: the log skips
  // its own CRC pass. CONTRACT: `batch` passed ValidateBatch and `header`
  // is ParseBatchHeader(batch); the log checks only that their sizes agree
  // and that there are records. A batch that breaks the contract is stored
  // as given, and readers and recovery then report it as corrupt (DataLoss).
  virtual Result<AppendResult> AppendValidated(std::string_view batch,
                                               const BatchHeader& header) = 0;

  // Blocks until every offset < end is durable (or the partition fails).
  virtual Status WaitDurable(Offset end) = 0;
  // Calls cb once every offset < end is durable; at once if already so.
  // cb runs on the flusher thread or the caller's; it must not block.
  virtual void OnDurable(Offset end, std::function<void(Status)> cb) = 0;

  // Whole batches from the one holding `from` (so the first may start
  // before it: skip records below `from`), at most max_bytes of them but
  // at least one batch when any is readable; only below high_watermark().
  // Empty at the high watermark. OutOfRange if `from` is below
  // start_offset() or above high_watermark().
  virtual Result<ReadResult> Read(Offset from, size_t max_bytes) const = 0;
  // Blocks until high_watermark() > from or the timeout passes; returns
  // whether data is readable. For long-polling readers.
  virtual bool WaitForData(Offset from, std::chrono::milliseconds timeout) const = 0;

  // The first readable offset whose record timestamp is >= ts ("replay
  // from time T"): the first batch with maxTimestamp >= ts is found through
  // the time index and a scan of batch headers, then its records are
  // decoded for the first one at or after ts. high_watermark() when there
  // is none.
  virtual Result<Offset> OffsetForTimestamp(int64_t ts) const = 0;

  // The headers of the partition's last readable batches, oldest first:
  // every batch that starts in the last `max_bytes` of the log (at least
  // the last batch, none when the partition is empty). Reads headers only.
  // For state that batches carry and that must survive a restart, such as
  // the Kafka broker's idempotent-producer sequences.
  virtual Result<std::vector<BatchHeader>> TailHeaders(uint64_t max_bytes) const = 0;

  virtual Offset start_offset() const = 0;
  virtual Offset end_offset() const = 0;      // next offset to assign
  virtual Offset high_watermark() const = 0;  // readable (durable) end
  virtual PartitionStats Stats() const = 0;
};

class Topic {
 public:
  virtual ~Topic() = default;
  virtual const std::string& name() const = 0;
  virtual const TopicConfig& config() const = 0;
  virtual int32_t partition_count() const = 0;
  // Lives as long as the Topic; nullptr unless 0 <= id < partition_count().
  virtual Partition* partition(PartitionId id) const = 0;
};

struct LogOptions {
  std::string data_dir = "./kappa-data";
  std::string holder = "kappa";  // recorded in the lock file
  int64_t flush_interval_ms = 5;  // group commit interval
  bool allow_small_segments = false;  // tests: segment_bytes below 1 MiB
  // How often a background thread applies retention (ApplyRetention with
  // the wall clock); 0 = never (the owner calls ApplyRetention itself).
  int64_t retention_check_interval_ms = 5 * 60 * 1000;
};

class Log {
 public:
  virtual ~Log() = default;

  // Locks the data dir, then opens every topic, recovering each partition's
  // tail. A data dir held by another process fails with its holder named;
  // corruption gives a DataLoss status naming topic, partition and offset.
  static Result<std::unique_ptr<Log>> Open(const LogOptions& options);

  virtual Result<std::shared_ptr<Topic>> CreateTopic(const std::string& name,
                                                     const TopicConfig& config) = 0;
  virtual Result<std::shared_ptr<Topic>> GetTopic(const std::string& name) const = 0;
  virtual Status DeleteTopic(const std::string& name) = 0;
  virtual std::vector<std::string> ListTopics() const = 0;

  // Deletes whole segments beyond each topic's retention (never the active
  // one). now_ms is wall time; tests pass a fake one.
  virtual Status ApplyRetention(int64_t now_ms) = 0;

  // Stops the flusher, syncs every partition, writes the active segments'
  // indexes and releases the lock; appends fail afterwards. Topic handles
  // stay valid. Called by the destructor.
  virtual Status Close() = 0;

  virtual const std::string& data_dir() const = 0;
};

}  // namespace kappa::log
