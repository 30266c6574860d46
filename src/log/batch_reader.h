// Reading record batches back from a segment file: a header at a known
// position (reads and lookups), a buffered scanner that verifies every
// batch from the start of a file (recovery, index rebuilds), and a search
// for any valid batch after a bad one (to tell a torn tail from damage in
// the middle). All take a File opened by the caller and never write.
// Thread-compatible: concurrent calls on one File are safe (Pread only).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "base/bytes.h"
#include "base/file.h"
#include "base/status.h"
#include "log/record_batch.h"

namespace kappa::log {

// The header of the batch at `pos`, checked for plausibility: magic 2,
// batchLength covering at least a header, the batch ending at or before
// `limit`. Corruption naming the file and position otherwise.
Result<BatchHeader> ReadBatchHeaderAt(const File& file, uint64_t pos, uint64_t limit);

// Reads the batches of [0, size) of a file in order, verifying each with
// ValidateBatch. Holds a buffer of about 1 MiB (more for a larger batch).
class BatchScanner {
 public:
  enum class State {
    kBatch,    // header(), bytes(), position() describe a valid batch
    kEnd,      // clean end: position() == size
    kTorn,     // the bytes at position() are a batch cut short by the end of the file
    kCorrupt,  // the batch at position() fails a check; error() says which
    kIoError,  // reading failed; error() says why
  };

  BatchScanner(const File& file, uint64_t size);

  State Next();

  uint64_t position() const { return position_; }
  const BatchHeader& header() const { return header_; }
  ByteSpan bytes() const { return bytes_; }  // valid until the next Next()
  const Status& error() const { return error_; }

 private:
  // Makes [pos, pos + n) available in the buffer.
  Status Fill(uint64_t pos, size_t n);
  State Fail(State state, Status error);
  ByteSpan View(uint64_t pos, size_t n) const;

  const File& file_;
  uint64_t size_;
  uint64_t position_ = 0;
  uint64_t next_ = 0;
  std::string buffer_;
  uint64_t buffer_pos_ = 0;  // file position of buffer_[0]
  BatchHeader header_;
  ByteSpan bytes_;
  Status error_;
};

// The position of the first valid batch (CRC and all) starting in
// [from, size), if any. Used after a bad batch: "nothing valid after it"
// means a torn tail; anything valid means data loss in the middle.
Result<std::optional<uint64_t>> FindValidBatchAfter(const File& file, uint64_t from,
                                                    uint64_t size);

}  // namespace kappa::log
