// SplitReader reads one partition of a source topic of Kappa's own log (a
// split) from a given offset: it fetches stored record batches
// (log::Partition::Read), decodes their values with the table's format
// (format::RecordDecoder over a JSON or CSV ValueDecoder) and returns
// chunks of rows tagged with the split and each row's offset. Records that
// do not decode go to ExecContext::ReportMalformed with their offset and
// reason; null values (tombstones) are skipped, as Flink's Kafka source
// does. A bounded reader stops at a fixed end offset.
//
// Not thread-safe: owned and polled by one task. `partition` must outlive
// the reader.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "base/status.h"
#include "engine/chunk.h"
#include "engine/exec_context.h"
#include "format/record_decoder.h"
#include "format/value_decoder.h"
#include "log/log.h"

namespace kappa::engine {

class SplitReader {
 public:
  // Reads from `start`; stops at `stop` when set (bounded).
  SplitReader(log::Partition* partition, int32_t split,
              std::unique_ptr<format::ValueDecoder> values, int64_t start,
              std::optional<int64_t> stop);

  // Decodes up to columnar::kBatchRows rows, reading about `max_bytes` more
  // of the log when the rows already fetched run out. nullopt when nothing
  // is readable now (or the reader is finished).
  Result<std::optional<Chunk>> Poll(size_t max_bytes, ExecContext* ctx);

  int32_t split() const { return split_; }
  // The next offset to read: what a checkpoint records.
  int64_t position() const { return position_; }
  // The largest record timestamp read so far (-1: none yet).
  int64_t last_timestamp() const { return last_timestamp_; }
  // The partition's readable end (high watermark) now.
  int64_t end_offset() const { return partition_->high_watermark().value(); }
  int64_t lag() const { return std::max<int64_t>(0, Limit() - position_); }
  // A bounded reader that reached its stop offset.
  bool finished() const { return stop_ && position_ >= *stop_; }

 private:
  int64_t Limit() const { return stop_ ? *stop_ : end_offset(); }
  Status Fetch(size_t max_bytes);
  Status ReportMalformed(ExecContext* ctx);
  // Decodes the next rows of the fetched bytes; nullopt when none is good.
  Result<std::optional<Chunk>> DecodeNext(ExecContext* ctx);

  log::Partition* partition_;
  int32_t split_;
  std::unique_ptr<format::ValueDecoder> values_;
  format::RecordDecoder decoder_;
  int64_t position_;
  int64_t last_timestamp_ = -1;
  std::optional<int64_t> stop_;
  std::string buffer_;  // fetched batches not yet fully decoded
  int64_t buffer_end_offset_ = 0;  // offset after the last fetched batch
  format::DecodedBatch decoded_;
};

}  // namespace kappa::engine
