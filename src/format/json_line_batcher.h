// JsonLineBatcher turns lines of JSON values into record batches, one record
// per line, the way `kappa produce` and POST /v1/topics/{name}/records do:
// each line must be a JSON value (checked with simdjson) and becomes the
// record value as written. With a key field, the key is that field of the
// object and picks the partition with Kafka's default partitioner
// (format/partitioner.h); records without a key go to one partition per
// batch, round-robin from `first_partition`. With a timestamp field the
// record timestamp is that field (ISO-8601 or epoch ms), otherwise the
// current wall time. A fixed partition overrides key and round-robin. Raw
// lines (CSV, text) are stored as they are, unchecked, without key or
// timestamp fields.
// Finished batches go to the BatchSink (format/batcher.h).
//
// Errors from Add name no line: the caller adds "stdin line N" or "line N".
// Not thread-safe; `sink` must outlive the batcher.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"
#include "format/batcher.h"
#include "format/json_record.h"

namespace kappa::format {

struct JsonLineOptions {
  std::string key_field;        // empty: no key
  std::string timestamp_field;  // empty: the current time
  size_t batch_bytes = Batcher::kDefaultBatchBytes;
  int32_t partition = -1;  // >= 0: every record goes to this partition
  bool raw = false;        // lines are values as they are (CSV, text): no JSON check
};

class JsonLineBatcher {
 public:
  JsonLineBatcher(int32_t partitions, const JsonLineOptions& options, BatchSink* sink,
                  int32_t first_partition = 0);

  // Adds one non-blank line. With padded, ReadBuffer::kPadding readable
  // bytes follow `text` (LineReader lines have them).
  Status Add(std::string_view text, bool padded = true);
  // Finishes every open batch and moves round-robin on.
  Status FlushAll();
  int64_t records() const { return records_; }

 private:
  int32_t partitions_;
  JsonLineOptions options_;
  Batcher batcher_;
  JsonRecordParser parser_;
  int32_t round_robin_;
  int64_t records_ = 0;
};

}  // namespace kappa::format
