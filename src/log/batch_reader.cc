#include "log/batch_reader.h"

#include <algorithm>

namespace kappa::log {
namespace {

constexpr size_t kScanBuffer = size_t{1} << 20;
constexpr int32_t kMinBatchLength = static_cast<int32_t>(kBatchHeaderSize - kBatchLengthPrefix);

// magic 2 and a batchLength that covers a header: worth a closer look.
bool PlausibleHeader(const BatchHeader& h) {
  return h.magic == kMagicV2 && h.batch_length >= kMinBatchLength;
}

}  // namespace

Result<BatchHeader> ReadBatchHeaderAt(const File& file, uint64_t pos, uint64_t limit) {
  uint8_t buf[kBatchHeaderSize];
  if (pos + kBatchHeaderSize > limit) {
    return Corruption("{}: incomplete batch header at position {}", file.path(), pos);
  }
  RETURN_IF_ERROR(file.PreadExact(pos, buf, sizeof(buf)));
  ASSIGN_OR_RETURN(BatchHeader h, ParseBatchHeader(ByteSpan(buf, sizeof(buf))));
  if (!PlausibleHeader(h) || pos + h.total_size() > limit) {
    return Corruption("{}: bad batch header at position {}", file.path(), pos);
  }
  return h;
}

BatchScanner::BatchScanner(const File& file, uint64_t size) : file_(file), size_(size) {}

BatchScanner::State BatchScanner::Fail(State state, Status error) {
  error_ = std::move(error);
  return state;
}

ByteSpan BatchScanner::View(uint64_t pos, size_t n) const {
  return ByteSpan(reinterpret_cast<const uint8_t*>(buffer_.data()) + (pos - buffer_pos_), n);
}

Status BatchScanner::Fill(uint64_t pos, size_t n) {
  if (pos >= buffer_pos_ && pos + n <= buffer_pos_ + buffer_.size()) return OkStatus();
  size_t want = static_cast<size_t>(std::min<uint64_t>(std::max(n, kScanBuffer), size_ - pos));
  buffer_.resize(want);
  buffer_pos_ = pos;
  return file_.PreadExact(pos, buffer_.data(), want);
}

BatchScanner::State BatchScanner::Next() {
  position_ = next_;
  bytes_ = {};
  if (position_ == size_) return State::kEnd;
  uint64_t left = size_ - position_;
  if (left < kBatchHeaderSize) {
    return Fail(State::kTorn, Corruption("{} bytes at the end, less than a batch header", left));
  }
  if (Status s = Fill(position_, kBatchHeaderSize); !s.ok()) return Fail(State::kIoError, s);
  auto header = ParseBatchHeader(View(position_, kBatchHeaderSize));
  if (!header.ok()) return Fail(State::kCorrupt, header.status());
  if (!PlausibleHeader(*header)) {
    return Fail(State::kCorrupt, Corruption("bad batch header (magic {}, batchLength {})",
                                            header->magic, header->batch_length));
  }
  size_t total = header->total_size();
  if (total > left) {
    return Fail(State::kTorn, Corruption("batch of {} bytes cut short at {} bytes", total, left));
  }
  if (Status s = Fill(position_, total); !s.ok()) return Fail(State::kIoError, s);
  ByteSpan bytes = View(position_, total);
  if (Status s = ValidateBatch(bytes); !s.ok()) return Fail(State::kCorrupt, s);
  header_ = *header;
  bytes_ = bytes;
  next_ = position_ + total;
  return State::kBatch;
}

Result<std::optional<uint64_t>> FindValidBatchAfter(const File& file, uint64_t from,
                                                    uint64_t size) {
  std::string chunk;
  std::string batch;
  for (uint64_t base = from; base + kBatchHeaderSize <= size; base += kScanBuffer) {
    size_t n = static_cast<size_t>(std::min<uint64_t>(kScanBuffer + kBatchHeaderSize, size - base));
    chunk.resize(n);
    RETURN_IF_ERROR(file.PreadExact(base, chunk.data(), n));
    const auto* p = reinterpret_cast<const uint8_t*>(chunk.data());
    for (size_t i = 0; i < kScanBuffer && i + kBatchHeaderSize <= n; ++i) {
      if (static_cast<int8_t>(p[i + kMagicPos]) != kMagicV2) continue;
      int32_t len = LoadBE<int32_t>(p + i + kBatchLengthPos);
      uint64_t pos = base + i;
      if (len < kMinBatchLength || pos + kBatchLengthPrefix + len > size) continue;
      batch.resize(kBatchLengthPrefix + static_cast<size_t>(len));
      RETURN_IF_ERROR(file.PreadExact(pos, batch.data(), batch.size()));
      if (ValidateBatch(AsBytes(batch)).ok()) return std::optional<uint64_t>(pos);
    }
  }
  return std::optional<uint64_t>();
}

}  // namespace kappa::log
