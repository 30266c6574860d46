// Kafka record batch v2, the unit Kappa's log stores: a 61-byte header
// followed by records (possibly compressed). Layout (big-endian):
//
//   baseOffset i64 | batchLength i32 | partitionLeaderEpoch i32 | magic i8 (=2)
//   | crc u32 | attributes i16 | lastOffsetDelta i32 | baseTimestamp i64
//   | maxTimestamp i64 | producerId i64 | producerEpoch i16 | baseSequence i32
//   | recordsCount i32 | records...
//
// batchLength counts the bytes after the batchLength field; the CRC-32C
// covers attributes..end, so baseOffset (assigned by the log) and
// partitionLeaderEpoch can be patched without recomputing it.
//
// This header offers a zero-copy view of a batch's header, validation, a
// builder for new uncompressed or compressed batches, and record decoding
// (decompressing when needed). Stateless free functions are thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/bytes.h"
#include "base/status.h"
#include "base/strong_id.h"
#include "log/compression.h"

namespace kappa::log {

inline constexpr size_t kBatchHeaderSize = 61;
// Bytes before and including batchLength: a batch occupies 12 + batchLength.
inline constexpr size_t kBatchLengthPrefix = 12;
inline constexpr int8_t kMagicV2 = 2;

// Field offsets within the header.
inline constexpr size_t kBaseOffsetPos = 0;
inline constexpr size_t kBatchLengthPos = 8;
inline constexpr size_t kLeaderEpochPos = 12;
inline constexpr size_t kMagicPos = 16;
inline constexpr size_t kCrcPos = 17;
inline constexpr size_t kAttributesPos = 21;
inline constexpr size_t kLastOffsetDeltaPos = 23;
inline constexpr size_t kBaseTimestampPos = 27;
inline constexpr size_t kMaxTimestampPos = 35;
inline constexpr size_t kProducerIdPos = 43;
inline constexpr size_t kProducerEpochPos = 51;
inline constexpr size_t kBaseSequencePos = 53;
inline constexpr size_t kRecordsCountPos = 57;

// Decoded header fields of one batch.
struct BatchHeader {
  int64_t base_offset = 0;
  int32_t batch_length = 0;  // bytes after the batchLength field
  int32_t leader_epoch = 0;
  int8_t magic = 0;
  uint32_t crc = 0;
  int16_t attributes = 0;
  int32_t last_offset_delta = 0;
  int64_t base_timestamp = 0;
  int64_t max_timestamp = 0;
  int64_t producer_id = -1;
  int16_t producer_epoch = -1;
  int32_t base_sequence = -1;
  int32_t records_count = 0;

  // Total bytes of the batch: 12 + batch_length.
  size_t total_size() const { return kBatchLengthPrefix + static_cast<size_t>(batch_length); }
  Compression compression() const { return static_cast<Compression>(attributes & 0x7); }
  bool log_append_time() const { return (attributes & 0x8) != 0; }
  bool is_transactional() const { return (attributes & 0x10) != 0; }
  bool is_control() const { return (attributes & 0x20) != 0; }
  int64_t last_offset() const { return base_offset + last_offset_delta; }
};

// Reads the header at data (needs kBatchHeaderSize bytes). Checks nothing
// beyond the size; use ValidateBatch for integrity.
Result<BatchHeader> ParseBatchHeader(ByteSpan data);

// Checks a whole batch (exactly one batch in `data`) as Kafka's broker
// does on produce: magic 2, batchLength consistent with data.size(),
// CRC-32C, compression codec known, records_count > 0 and
// lastOffsetDelta == records_count - 1. Does not look inside the records
// (DecodeRecords does). Errors are Corruption statuses saying which check
// failed and naming the batch's base offset.
Status ValidateBatch(ByteSpan data);

// Overwrites the baseOffset field in place (outside the CRC).
void SetBaseOffset(uint8_t* batch, int64_t base_offset);

// One header of a record.
struct RecordHeader {
  std::string_view key;
  std::optional<std::string_view> value;
};

// A record decoded from a batch. Views point into the batch bytes or into
// the decompression buffer passed to DecodeRecords; they live as long as
// both do.
struct Record {
  int64_t offset = 0;
  int64_t timestamp = 0;
  std::optional<std::string_view> key;
  std::optional<std::string_view> value;
  std::vector<RecordHeader> headers;
};

// The most bytes a batch's records may decompress to (Kafka's default
// message.max.bytes is 1 MiB; this leaves room and stops decompression bombs).
inline constexpr size_t kMaxRecordsBytes = size_t{256} << 20;

// Decodes every record of the batch at the start of `batch` (bytes after
// its 12 + batchLength are ignored) into *out, replacing its contents.
// `scratch` receives the decompressed records section when the batch is
// compressed and must outlive the returned views. Does not check the CRC
// (ValidateBatch does). Every length is bounds-checked: malformed input
// gives a Corruption status naming the batch's base offset and the record
// index, never a crash. Under LogAppendTime every record's timestamp is the
// batch's maxTimestamp, as in Kafka.
Status DecodeRecords(ByteSpan batch, std::string* scratch, std::vector<Record>* out);

// Builds one record batch v2. Offsets are relative (0..n-1); the log assigns
// the base offset on append. baseTimestamp is the first record's timestamp;
// partitionLeaderEpoch is -1 as a producer sends it. Records are encoded
// into one buffer as they are added (no allocation per record once the
// buffer has grown; a reused builder starts at the last batch's size).
// Not thread-safe.
class BatchBuilder {
 public:
  explicit BatchBuilder(Compression compression = Compression::kNone)
      : compression_(compression) {}

  // Key, value and header sizes must be below 2 GiB; larger ones make
  // Finish fail.
  void Add(std::optional<std::string_view> key, std::optional<std::string_view> value,
           int64_t timestamp, const std::vector<RecordHeader>& headers = {});

  // Reserves room for about `records_bytes` of encoded records.
  void Reserve(size_t records_bytes);

  int32_t count() const { return count_; }
  // Uncompressed bytes of the records added so far (a size estimate).
  size_t records_bytes() const;
  bool empty() const { return count_ == 0; }

  // The finished batch (baseOffset 0). Invalid if no record was added or the
  // batch exceeds 2 GiB. Resets the builder for reuse (records and producer
  // fields; the compression stays).
  Result<std::string> Finish();

  // Producer fields, for idempotent writers; default -1 (none). Set them
  // again for each batch.
  void SetProducer(int64_t producer_id, int16_t epoch, int32_t base_sequence);

 private:
  void Start();
  void AppendRecord(std::optional<std::string_view> key, std::optional<std::string_view> value,
                    int64_t timestamp_delta, const std::vector<RecordHeader>& headers);
  void WriteHeader(uint8_t* batch, size_t size, int16_t attributes) const;
  void Reset();

  Compression compression_;
  // kBatchHeaderSize placeholder bytes, then the encoded records.
  std::string records_;
  size_t capacity_hint_ = 0;
  bool too_large_ = false;
  int32_t count_ = 0;
  int64_t base_timestamp_ = 0;
  int64_t max_timestamp_ = 0;
  int64_t producer_id_ = -1;
  int16_t producer_epoch_ = -1;
  int32_t base_sequence_ = -1;
};

}  // namespace kappa::log
