#include "engine/source/split_reader.h"

#include <algorithm>

#include "fmt/format.h"

namespace kappa::engine {

SplitReader::SplitReader(log::Partition* partition, int32_t split,
                         std::unique_ptr<format::ValueDecoder> values, int64_t start,
                         std::optional<int64_t> stop)
    : partition_(partition), split_(split), values_(std::move(values)),
      decoder_(values_.get(), format::RecordDecoderOptions{}), position_(start), stop_(stop) {
  decoder_.Reset(AsBytes(buffer_), start);
}

Status SplitReader::Fetch(size_t max_bytes) {
  ASSIGN_OR_RETURN(log::ReadResult read, partition_->Read(Offset(position_), max_bytes));
  buffer_.clear();
  for (const log::FileSlice& slice : read.slices) RETURN_IF_ERROR(slice.AppendTo(&buffer_));
  buffer_end_offset_ = read.next_offset.value();
  // Room after the last value so that the JSON parser reads in place.
  buffer_.append(format::kValuePadding, '\0');
  decoder_.Reset(ByteSpan(reinterpret_cast<const uint8_t*>(buffer_.data()),
                          buffer_.size() - format::kValuePadding),
                 position_);
  return OkStatus();
}

Status SplitReader::ReportMalformed(ExecContext* ctx) {
  for (const format::MalformedRecord& m : decoded_.malformed) {
    RETURN_IF_ERROR(ctx->ReportMalformed(split_, m.offset, m.value, m.reason));
  }
  return OkStatus();
}

Result<std::optional<Chunk>> SplitReader::Poll(size_t max_bytes, ExecContext* ctx) {
  // Loops past fetches that hold only malformed records or tombstones.
  for (;;) {
    if (finished()) return std::optional<Chunk>();
    if (decoder_.AtEnd()) {
      if (buffer_end_offset_ > position_) position_ = buffer_end_offset_;
      if (finished() || position_ >= end_offset()) return std::optional<Chunk>();
      RETURN_IF_ERROR(Fetch(max_bytes));
    }
    ASSIGN_OR_RETURN(std::optional<Chunk> chunk, DecodeNext(ctx));
    if (chunk) return chunk;
  }
}

Result<std::optional<Chunk>> SplitReader::DecodeNext(ExecContext* ctx) {
  Status st = decoder_.Next(&decoded_);
  if (!st.ok()) {
    const SplitInfo& s = ctx->splits()[split_];
    return st.WithContext(fmt::format("topic {} partition {}", s.topic, s.partition));
  }
  position_ = std::max(position_, decoder_.next_offset());
  if (decoder_.AtEnd() && buffer_end_offset_ > position_) position_ = buffer_end_offset_;
  // A bounded read drops rows (and bad records) at or past its stop offset.
  size_t keep = decoded_.offsets.size();
  if (stop_) {
    while (keep > 0 && decoded_.offsets[keep - 1] >= *stop_) --keep;
    std::erase_if(decoded_.malformed,
                  [&](const format::MalformedRecord& m) { return m.offset >= *stop_; });
    position_ = std::min(position_, *stop_);
  }
  RETURN_IF_ERROR(ReportMalformed(ctx));
  for (size_t i = 0; i < keep && i < decoded_.timestamps.size(); ++i) {
    last_timestamp_ = std::max(last_timestamp_, decoded_.timestamps[i]);
  }
  if (keep == 0) return std::optional<Chunk>();
  ctx->counters()->records_in.fetch_add(static_cast<int64_t>(keep), std::memory_order_relaxed);
  Chunk chunk(decoded_.batch);
  if (keep < decoded_.offsets.size()) {
    std::vector<uint32_t> sel(keep);
    for (uint32_t i = 0; i < keep; ++i) sel[i] = i;
    chunk.batch.selection = std::move(sel);
  }
  chunk.split = split_;
  chunk.offsets = std::make_shared<const std::vector<int64_t>>(decoded_.offsets);
  return std::optional<Chunk>(std::move(chunk));
}

}  // namespace kappa::engine
