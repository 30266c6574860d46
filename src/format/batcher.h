// Batcher turns a stream of records into Kafka record batches, one open
// BatchBuilder per partition: a partition's batch is finished once its
// records reach about batch_bytes and handed to a BatchSink. Per partition,
// batches reach the sink in the order their records were added. Not
// thread-safe (a sink may hand batches to another thread).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "log/record_batch.h"

namespace kappa::format {

struct FinishedBatch {
  int32_t partition = 0;
  std::string bytes;  // one record batch v2
  int64_t records = 0;
};

class BatchSink {
 public:
  virtual ~BatchSink() = default;
  virtual Status Write(FinishedBatch batch) = 0;
};

class Batcher {
 public:
  static constexpr size_t kDefaultBatchBytes = 1 << 20;

  // `sink` must outlive the batcher.
  Batcher(int32_t partitions, size_t batch_bytes, BatchSink* sink);

  // Adds a record to `partition`'s batch, finishing the batch when full.
  // REQUIRES: 0 <= partition < partitions.
  Status Add(int32_t partition, std::optional<std::string_view> key, std::string_view value,
             int64_t timestamp, const std::vector<log::RecordHeader>& headers = {});

  // Finishes the partition's batch if it has records.
  Status Flush(int32_t partition);
  Status FlushAll();
  bool Pending(int32_t partition) const { return !builders_[partition].empty(); }

 private:
  size_t batch_bytes_;
  BatchSink* sink_;
  std::vector<log::BatchBuilder> builders_;
};

}  // namespace kappa::format
