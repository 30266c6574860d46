// RecordDecoder is the boundary between the log and the engine: it walks the
// stored record batches of one partition (Kafka record batch v2, possibly
// compressed: log/record_batch.h) and decodes their record values through a
// ValueDecoder (JSON or CSV) into columnar batches of up to max_rows rows.
// Per row it also yields the record's offset and Kafka timestamp, as side
// vectors and, when asked, as extra columns after the value's columns; a
// record whose value does not decode is set aside with its offset, reason
// and raw bytes (for the dead-letter topic) and decoding goes on.
//
// Record values are parsed in place when at least kValuePadding bytes of the
// input (or of the decompressed records) follow them, else copied; nothing
// is allocated per record once the buffers have grown. CRCs are not checked
// (the log validated the batches when it appended them).
//
// Not thread-safe; one per source partition task. The input bytes and the
// ValueDecoder must outlive the calls that read them.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/bytes.h"
#include "base/status.h"
#include "columnar/batch.h"
#include "format/value_decoder.h"
#include "log/record_batch.h"

namespace kappa::format {

// Record metadata that can follow the value's columns (Flink's Kafka
// connector metadata `offset` and `timestamp`).
enum class RecordMetadata {
  kOffset,     // BIGINT: the record's offset in its partition
  kTimestamp,  // TIMESTAMP_LTZ(3): the record's Kafka timestamp
};

// The column type of a metadata column.
columnar::DataType MetadataType(RecordMetadata m);

struct RecordDecoderOptions {
  size_t max_rows = columnar::kBatchRows;
  // Extra columns appended after the value's columns, in this order.
  std::vector<RecordMetadata> metadata = {};
};

// A record whose value could not be decoded.
struct MalformedRecord {
  int64_t offset = 0;
  int64_t timestamp = 0;
  std::string reason;
  std::string value;  // the raw value bytes
};

// One call's output. Reuse one across calls: its vectors keep their memory.
struct DecodedBatch {
  // The value's columns, then the metadata columns. Append-only (no kinds).
  columnar::Batch batch;
  std::vector<int64_t> offsets;     // per row
  std::vector<int64_t> timestamps;  // per row
  std::vector<MalformedRecord> malformed;
  size_t tombstones = 0;  // records with a null value, skipped

  void Clear();
};

class RecordDecoder {
 public:
  // `values` must outlive this decoder and is used only through it (each
  // Next takes all of its rows).
  RecordDecoder(ValueDecoder* values, RecordDecoderOptions options);

  // Starts on `bytes`: whole record batches of one partition in offset
  // order, as the log stores them. Records below `from_offset` are skipped
  // (a read starts at the batch holding it). A partial batch at the end is
  // left unread (see consumed_bytes). `bytes` must stay valid until the
  // next Reset.
  void Reset(ByteSpan bytes, int64_t from_offset);

  // Decodes the next records into *out (replacing its contents): up to
  // max_rows good rows, fewer at the end of the input. Fails only on a
  // corrupt stored batch (framing, decompression), naming its offset.
  Status Next(DecodedBatch* out);

  // True when no complete batch is left to read (a corrupt header is not
  // the end: Next reports it).
  bool AtEnd() const;
  // The first offset not yet decoded: where the next read starts.
  int64_t next_offset() const { return next_offset_; }
  // Bytes of `bytes` taken by batches read so far.
  size_t consumed_bytes() const { return pos_; }

 private:
  // Decodes the records of the next batch; false when none is left.
  Result<bool> LoadBatch();
  void DecodeRecord(const log::Record& r, DecodedBatch* out);
  void AddMetadata(DecodedBatch* out) const;

  ValueDecoder* values_;
  RecordDecoderOptions options_;
  ByteSpan bytes_;
  size_t pos_ = 0;
  int64_t next_offset_ = 0;
  std::vector<log::Record> records_;
  size_t record_index_ = 0;
  std::string scratch_;  // decompressed records
  const char* region_end_ = nullptr;  // end of the bytes records_ point into
};

}  // namespace kappa::format
