// LogClient: what the topic, produce and consume commands need from the log,
// whether they open the data dir themselves (LocalLogClient over log::Log) or
// talk to the `kappa server` that holds it (HttpLogClient over the HTTP API,
// src/serve/topics_api.h and records_api.h). ConnectLog picks one:
//   --server URL (env KAPPA_SERVER)      -> HTTP to that server
//   data dir locked by a `kappa server`  -> HTTP to the address in its
//                                           <data-dir>/server.json
//   otherwise                            -> open the data dir directly
// One client is used by one thread.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "base/strong_id.h"
#include "cli/command.h"
#include "format/batcher.h"
#include "log/log.h"

namespace kappa::cli {

struct TopicSummary {
  std::string name;
  int32_t partitions = 0;
  int64_t records = 0;
  uint64_t bytes = 0;
};

struct TopicDescription {
  std::string name;
  log::TopicConfig config;
  std::vector<log::PartitionStats> partitions;
};

// Whole record batches as stored, from the one holding the offset asked for.
struct FetchChunk {
  std::string bytes;
  Offset next_offset;  // after the last batch in bytes
};

// Appends finished batches to one topic (Write may block); Finish() waits
// until everything written is durable and returns the first error. Used by
// one thread.
class BatchWriter : public format::BatchSink {
 public:
  virtual Status Finish() = 0;
};

class LogClient {
 public:
  virtual ~LogClient() = default;

  virtual Result<int32_t> CreateTopic(const std::string& name, const log::TopicConfig& config) = 0;
  virtual Result<std::vector<TopicSummary>> ListTopics() = 0;
  virtual Result<TopicDescription> DescribeTopic(const std::string& name) = 0;
  virtual Status DeleteTopic(const std::string& name) = 0;

  // Where reading `partition` starts for `from`: "earliest", "latest", an
  // offset (clamped to the stored range) or an ISO-8601 timestamp (the first
  // record at or after it).
  virtual Result<Offset> StartOffset(const std::string& topic, int32_t partition,
                                     const std::string& from) = 0;
  // Up to about max_bytes of batches from `from`; empty at the end of the
  // log after waiting up to `wait` for more.
  virtual Result<FetchChunk> Fetch(const std::string& topic, int32_t partition, Offset from,
                                   size_t max_bytes, std::chrono::milliseconds wait) = 0;

  // A writer for `topic` (which must exist): locally a ThreadedAppender
  // (appends on a second thread), over HTTP one POST .../batches per batch.
  virtual Result<std::unique_ptr<BatchWriter>> OpenWriter(const std::string& topic) = 0;

  virtual Status Close() = 0;
};

// The server URL the CLI should use, or nullopt to open the data dir.
Result<std::optional<std::string>> FindServer(const GlobalOptions& globals);

// Connects as described above; `holder` names this process in the lock.
Result<std::unique_ptr<LogClient>> ConnectLog(const GlobalOptions& globals,
                                              std::string_view holder);

}  // namespace kappa::cli
