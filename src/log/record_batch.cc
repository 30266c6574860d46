#include "log/record_batch.h"

#include <limits>

#include "base/crc32c.h"
#include "base/varint.h"

namespace kappa::log {
namespace {

// The header bytes that batchLength counts.
constexpr int32_t kMinBatchLength = static_cast<int32_t>(kBatchHeaderSize - kBatchLengthPrefix);
// The smallest encoded record: length, attributes, timestampDelta,
// offsetDelta, keyLength, valueLength and header count, one byte each.
constexpr size_t kMinRecordSize = 7;
constexpr int64_t kMaxField = std::numeric_limits<int32_t>::max();

// ---- decoding ----

// A bounds-checked cursor over encoded records. Each reader returns false
// (and reads nothing past end_) when the input is short or out of range.
class Cursor {
 public:
  Cursor(const uint8_t* p, const uint8_t* end) : p_(p), end_(end) {}

  size_t left() const { return static_cast<size_t>(end_ - p_); }
  const uint8_t* pos() const { return p_; }

  bool Varint64(int64_t* v) { return ReadVarint(&p_, end_, v); }
  bool Varint32(int32_t* v) {
    int64_t w;
    if (!ReadVarint(&p_, end_, &w) || w < std::numeric_limits<int32_t>::min() || w > kMaxField) {
      return false;
    }
    *v = static_cast<int32_t>(w);
    return true;
  }
  bool Byte(uint8_t* b) {
    if (p_ == end_) return false;
    *b = *p_++;
    return true;
  }
  bool Skip(size_t n, std::string_view* out) {
    if (n > left()) return false;
    *out = std::string_view(reinterpret_cast<const char*>(p_), n);
    p_ += n;
    return true;
  }
  // A varint length then that many bytes; -1 is null.
  bool NullableBytes(std::optional<std::string_view>* out) {
    int32_t len;
    if (!Varint32(&len) || len < -1) return false;
    if (len == -1) {
      out->reset();
      return true;
    }
    std::string_view v;
    if (!Skip(static_cast<size_t>(len), &v)) return false;
    *out = v;
    return true;
  }

 private:
  const uint8_t* p_;
  const uint8_t* end_;
};

int64_t WrappingAdd(int64_t a, int64_t b) {
  return static_cast<int64_t>(static_cast<uint64_t>(a) + static_cast<uint64_t>(b));
}
int64_t WrappingSub(int64_t a, int64_t b) {
  return static_cast<int64_t>(static_cast<uint64_t>(a) - static_cast<uint64_t>(b));
}

// Reads the header list of one record; nullptr on success, else what is wrong.
const char* ReadHeaders(Cursor* c, std::vector<RecordHeader>* headers) {
  int32_t n;
  if (!c->Varint32(&n) || n < 0) return "bad header count";
  if (static_cast<size_t>(n) > c->left() / 2) return "header count exceeds record";
  headers->resize(static_cast<size_t>(n));
  for (RecordHeader& h : *headers) {
    int32_t key_len;
    if (!c->Varint32(&key_len) || key_len < 0) return "bad header key length";
    if (!c->Skip(static_cast<size_t>(key_len), &h.key)) return "header key exceeds record";
    if (!c->NullableBytes(&h.value)) return "bad header value";
  }
  return nullptr;
}

// Reads one record, leaving the outer cursor after it.
const char* ReadRecord(Cursor* outer, const BatchHeader& h, Record* r) {
  int32_t len;
  if (!outer->Varint32(&len) || len < 0) return "bad record length";
  std::string_view body;
  if (!outer->Skip(static_cast<size_t>(len), &body)) return "record length exceeds batch";
  const auto* b = reinterpret_cast<const uint8_t*>(body.data());
  Cursor c(b, b + body.size());
  uint8_t attributes;
  int64_t ts_delta;
  int32_t offset_delta;
  if (!c.Byte(&attributes)) return "record truncated before attributes";
  if (!c.Varint64(&ts_delta)) return "bad timestamp delta";
  if (!c.Varint32(&offset_delta)) return "bad offset delta";
  if (offset_delta < 0 || offset_delta > h.last_offset_delta) return "offset delta out of range";
  if (!c.NullableBytes(&r->key)) return "bad key";
  if (!c.NullableBytes(&r->value)) return "bad value";
  if (const char* err = ReadHeaders(&c, &r->headers)) return err;
  if (c.left() != 0) return "bytes left over inside record";
  r->offset = WrappingAdd(h.base_offset, offset_delta);
  r->timestamp = h.log_append_time() ? h.max_timestamp : WrappingAdd(h.base_timestamp, ts_delta);
  return nullptr;
}

Status RecordError(const BatchHeader& h, size_t index, std::string_view what) {
  return Corruption("batch at offset {}: record {} of {}: {}", h.base_offset, index,
                    h.records_count, what);
}

Status ReadRecords(const BatchHeader& h, std::string_view records, std::vector<Record>* out) {
  if (h.records_count < 0) return RecordError(h, 0, "negative records count");
  size_t n = static_cast<size_t>(h.records_count);
  if (n > records.size() / kMinRecordSize) return RecordError(h, 0, "records count exceeds batch");
  out->resize(n);
  const auto* p = reinterpret_cast<const uint8_t*>(records.data());
  Cursor c(p, p + records.size());
  for (size_t i = 0; i < n; ++i) {
    if (const char* err = ReadRecord(&c, h, &(*out)[i])) return RecordError(h, i, err);
  }
  if (c.left() != 0) {
    return Corruption("batch at offset {}: {} bytes after the last of {} records", h.base_offset,
                      c.left(), n);
  }
  return OkStatus();
}

// ---- encoding ----

// Unsigned LEB128 of a zig-zag value into p; returns the end.
inline char* PutVarint(char* p, int64_t v) {
  uint64_t u = (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63);
  while (u >= 0x80) {
    *p++ = static_cast<char>(u | 0x80);
    u >>= 7;
  }
  *p++ = static_cast<char>(u);
  return p;
}

constexpr size_t kMaxVarint64 = 10;

inline size_t NullableSize(const std::optional<std::string_view>& v) {
  return v ? VarintSize(static_cast<int64_t>(v->size())) + v->size() : 1;
}

inline void AppendNullable(std::string* out, const std::optional<std::string_view>& v) {
  char buf[kMaxVarint64];
  out->append(buf, PutVarint(buf, v ? static_cast<int64_t>(v->size()) : -1));
  if (v) out->append(*v);
}

bool FitsField(const std::optional<std::string_view>& v) {
  return !v || v->size() <= static_cast<size_t>(kMaxField);
}

// Checks a header's framing fields against the bytes that hold the batch.
Status CheckFraming(const BatchHeader& h, size_t available, bool exact) {
  if (h.magic != kMagicV2) {
    return Corruption("batch at offset {}: magic {} unsupported (expected 2)", h.base_offset,
                      h.magic);
  }
  if (h.batch_length < kMinBatchLength) {
    return Corruption("batch at offset {}: batchLength {} is below the header's {}",
                      h.base_offset, h.batch_length, kMinBatchLength);
  }
  bool bad = exact ? h.total_size() != available : h.total_size() > available;
  if (bad) {
    return Corruption("batch at offset {}: batchLength {} means {} bytes, have {}", h.base_offset,
                      h.batch_length, h.total_size(), available);
  }
  if (static_cast<int>(h.compression()) > static_cast<int>(Compression::kZstd)) {
    return Corruption("batch at offset {}: unknown compression codec {}", h.base_offset,
                      static_cast<int>(h.compression()));
  }
  return OkStatus();
}

}  // namespace

Result<BatchHeader> ParseBatchHeader(ByteSpan data) {
  if (data.size() < kBatchHeaderSize) {
    return Corruption("record batch header truncated: {} of {} bytes", data.size(),
                      kBatchHeaderSize);
  }
  const uint8_t* p = data.data();
  BatchHeader h;
  h.base_offset = LoadBE<int64_t>(p + kBaseOffsetPos);
  h.batch_length = LoadBE<int32_t>(p + kBatchLengthPos);
  h.leader_epoch = LoadBE<int32_t>(p + kLeaderEpochPos);
  h.magic = static_cast<int8_t>(p[kMagicPos]);
  h.crc = LoadBE<uint32_t>(p + kCrcPos);
  h.attributes = LoadBE<int16_t>(p + kAttributesPos);
  h.last_offset_delta = LoadBE<int32_t>(p + kLastOffsetDeltaPos);
  h.base_timestamp = LoadBE<int64_t>(p + kBaseTimestampPos);
  h.max_timestamp = LoadBE<int64_t>(p + kMaxTimestampPos);
  h.producer_id = LoadBE<int64_t>(p + kProducerIdPos);
  h.producer_epoch = LoadBE<int16_t>(p + kProducerEpochPos);
  h.base_sequence = LoadBE<int32_t>(p + kBaseSequencePos);
  h.records_count = LoadBE<int32_t>(p + kRecordsCountPos);
  return h;
}

Status ValidateBatch(ByteSpan data) {
  ASSIGN_OR_RETURN(BatchHeader h, ParseBatchHeader(data));
  RETURN_IF_ERROR(CheckFraming(h, data.size(), /*exact=*/true));
  uint32_t crc = Crc32c(data.data() + kAttributesPos, data.size() - kAttributesPos);
  if (crc != h.crc) {
    return Corruption("batch at offset {}: CRC mismatch (stored {:08x}, computed {:08x})",
                      h.base_offset, h.crc, crc);
  }
  if (h.records_count <= 0) {
    return Corruption("batch at offset {}: records count {} (must be positive)", h.base_offset,
                      h.records_count);
  }
  if (h.last_offset_delta != h.records_count - 1) {
    return Corruption("batch at offset {}: lastOffsetDelta {} with {} records", h.base_offset,
                      h.last_offset_delta, h.records_count);
  }
  return OkStatus();
}

void SetBaseOffset(uint8_t* batch, int64_t base_offset) {
  StoreBE<int64_t>(batch + kBaseOffsetPos, base_offset);
}

Status DecodeRecords(ByteSpan batch, std::string* scratch, std::vector<Record>* out) {
  ASSIGN_OR_RETURN(BatchHeader h, ParseBatchHeader(batch));
  RETURN_IF_ERROR(CheckFraming(h, batch.size(), /*exact=*/false));
  std::string_view records = AsString(batch.subspan(kBatchHeaderSize, h.total_size() -
                                                                          kBatchHeaderSize));
  if (h.compression() != Compression::kNone) {
    scratch->clear();
    Status st = Decompress(h.compression(), records, scratch, kMaxRecordsBytes);
    if (!st.ok()) return st.WithContext(fmt::format("batch at offset {}", h.base_offset));
    records = *scratch;
  }
  return ReadRecords(h, records, out);
}

// ---- BatchBuilder ----

void BatchBuilder::Start() {
  records_.reserve(std::max(capacity_hint_, size_t{4096}));
  records_.append(kBatchHeaderSize, '\0');
}

void BatchBuilder::Reserve(size_t records_bytes) {
  if (records_.empty()) records_.append(kBatchHeaderSize, '\0');
  records_.reserve(kBatchHeaderSize + records_bytes);
}

size_t BatchBuilder::records_bytes() const {
  return records_.empty() ? 0 : records_.size() - kBatchHeaderSize;
}

void BatchBuilder::Add(std::optional<std::string_view> key,
                       std::optional<std::string_view> value, int64_t timestamp,
                       const std::vector<RecordHeader>& headers) {
  if (records_.empty()) Start();
  if (count_ == 0) {
    base_timestamp_ = timestamp;
    max_timestamp_ = timestamp;
  } else if (timestamp > max_timestamp_) {
    max_timestamp_ = timestamp;
  }
  bool fits = FitsField(key) && FitsField(value) && headers.size() <= kMaxField &&
              count_ < kMaxField;
  for (const RecordHeader& h : headers) fits = fits && FitsField(h.key) && FitsField(h.value);
  if (!fits) {
    too_large_ = true;
    return;
  }
  AppendRecord(key, value, WrappingSub(timestamp, base_timestamp_), headers);
  ++count_;
}

void BatchBuilder::AppendRecord(std::optional<std::string_view> key,
                                std::optional<std::string_view> value, int64_t timestamp_delta,
                                const std::vector<RecordHeader>& headers) {
  size_t headers_size = VarintSize(static_cast<int64_t>(headers.size()));
  for (const RecordHeader& h : headers) {
    headers_size += VarintSize(static_cast<int64_t>(h.key.size())) + h.key.size() +
                    NullableSize(h.value);
  }
  size_t body = 1 + VarintSize(timestamp_delta) + VarintSize(count_) + NullableSize(key) +
                NullableSize(value) + headers_size;
  // length, attributes, timestampDelta, offsetDelta: at most 26 bytes.
  char fixed[3 * kMaxVarint64 + 1];
  char* p = PutVarint(fixed, static_cast<int64_t>(body));
  *p++ = 0;  // record attributes: unused
  p = PutVarint(p, timestamp_delta);
  p = PutVarint(p, count_);
  records_.append(fixed, static_cast<size_t>(p - fixed));
  AppendNullable(&records_, key);
  AppendNullable(&records_, value);
  char buf[kMaxVarint64];
  records_.append(buf, PutVarint(buf, static_cast<int64_t>(headers.size())));
  for (const RecordHeader& h : headers) {
    AppendNullable(&records_, h.key);
    AppendNullable(&records_, h.value);
  }
}

void BatchBuilder::SetProducer(int64_t producer_id, int16_t epoch, int32_t base_sequence) {
  producer_id_ = producer_id;
  producer_epoch_ = epoch;
  base_sequence_ = base_sequence;
}

void BatchBuilder::WriteHeader(uint8_t* batch, size_t size, int16_t attributes) const {
  StoreBE<int64_t>(batch + kBaseOffsetPos, 0);
  StoreBE<int32_t>(batch + kBatchLengthPos, static_cast<int32_t>(size - kBatchLengthPrefix));
  StoreBE<int32_t>(batch + kLeaderEpochPos, -1);
  batch[kMagicPos] = static_cast<uint8_t>(kMagicV2);
  StoreBE<int16_t>(batch + kAttributesPos, attributes);
  StoreBE<int32_t>(batch + kLastOffsetDeltaPos, count_ - 1);
  StoreBE<int64_t>(batch + kBaseTimestampPos, base_timestamp_);
  StoreBE<int64_t>(batch + kMaxTimestampPos, max_timestamp_);
  StoreBE<int64_t>(batch + kProducerIdPos, producer_id_);
  StoreBE<int16_t>(batch + kProducerEpochPos, producer_epoch_);
  StoreBE<int32_t>(batch + kBaseSequencePos, base_sequence_);
  StoreBE<int32_t>(batch + kRecordsCountPos, count_);
  StoreBE<uint32_t>(batch + kCrcPos,
                    Crc32c(batch + kAttributesPos, size - kAttributesPos));
}

void BatchBuilder::Reset() {
  count_ = 0;
  too_large_ = false;
  producer_id_ = -1;
  producer_epoch_ = -1;
  base_sequence_ = -1;
}

Result<std::string> BatchBuilder::Finish() {
  constexpr size_t kMaxBatch = static_cast<size_t>(kMaxField) + kBatchLengthPrefix;
  if (count_ == 0 || too_large_) {
    bool empty = count_ == 0 && !too_large_;
    records_.clear();
    Reset();
    if (empty) return Invalid("record batch has no records");
    return Invalid("record batch field exceeds 2 GiB");
  }
  capacity_hint_ = records_.size();
  std::string batch;
  if (compression_ == Compression::kNone) {
    batch = std::move(records_);
    records_ = std::string();
  } else {
    batch.reserve(kBatchHeaderSize + records_.size() / 2);
    batch.append(kBatchHeaderSize, '\0');
    std::string_view in(records_.data() + kBatchHeaderSize, records_.size() - kBatchHeaderSize);
    Status st = Compress(compression_, in, &batch);
    records_.clear();  // keeps its capacity for the next batch
    if (!st.ok()) {
      Reset();
      return st;
    }
  }
  if (batch.size() > kMaxBatch) {
    Reset();
    return Invalid("record batch of {} bytes exceeds 2 GiB", batch.size());
  }
  WriteHeader(reinterpret_cast<uint8_t*>(batch.data()), batch.size(),
              static_cast<int16_t>(compression_));
  Reset();
  return batch;
}

}  // namespace kappa::log
