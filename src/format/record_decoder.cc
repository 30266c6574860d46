#include "format/record_decoder.h"

#include <algorithm>

namespace kappa::format {

namespace {

bool BadLength(const log::BatchHeader& h) {
  return h.batch_length < static_cast<int32_t>(log::kBatchHeaderSize - log::kBatchLengthPrefix);
}

}  // namespace

columnar::DataType MetadataType(RecordMetadata m) {
  return m == RecordMetadata::kOffset ? columnar::DataType::Int64()
                                      : columnar::DataType::TimestampLtz();
}

void DecodedBatch::Clear() {
  batch = columnar::Batch();
  offsets.clear();
  timestamps.clear();
  malformed.clear();
  tombstones = 0;
}

RecordDecoder::RecordDecoder(ValueDecoder* values, RecordDecoderOptions options)
    : values_(values), options_(std::move(options)) {}

void RecordDecoder::Reset(ByteSpan bytes, int64_t from_offset) {
  bytes_ = bytes;
  pos_ = 0;
  next_offset_ = from_offset;
  records_.clear();
  record_index_ = 0;
}

bool RecordDecoder::AtEnd() const {
  if (record_index_ < records_.size()) return false;
  size_t left = bytes_.size() - pos_;
  if (left < log::kBatchHeaderSize) return true;
  auto h = log::ParseBatchHeader(bytes_.subspan(pos_));
  return h.ok() && !BadLength(*h) && h->total_size() > left;
}

Result<bool> RecordDecoder::LoadBatch() {
  records_.clear();
  record_index_ = 0;
  while (bytes_.size() - pos_ >= log::kBatchHeaderSize) {
    ByteSpan rest = bytes_.subspan(pos_);
    ASSIGN_OR_RETURN(log::BatchHeader h, log::ParseBatchHeader(rest));
    if (BadLength(h)) {
      return Corruption("batch at offset {}: batchLength {} is below the header's {}",
                        h.base_offset, h.batch_length,
                        log::kBatchHeaderSize - log::kBatchLengthPrefix);
    }
    if (h.total_size() > rest.size()) return false;  // partial: the next read has it
    pos_ += h.total_size();
    if (h.is_control() || h.last_offset() < next_offset_) continue;
    RETURN_IF_ERROR(log::DecodeRecords(rest.first(h.total_size()), &scratch_, &records_));
    bool compressed = h.compression() != log::Compression::kNone;
    region_end_ = compressed ? scratch_.data() + scratch_.size()
                             : reinterpret_cast<const char*>(bytes_.data() + bytes_.size());
    next_offset_ = std::max(next_offset_, h.base_offset);
    if (!records_.empty()) return true;
  }
  return false;
}

void RecordDecoder::DecodeRecord(const log::Record& r, DecodedBatch* out) {
  if (r.offset < next_offset_) return;
  next_offset_ = r.offset + 1;
  if (!r.value) {
    ++out->tombstones;
    return;
  }
  std::string_view v = *r.value;
  bool padded = static_cast<size_t>(region_end_ - (v.data() + v.size())) >= kValuePadding;
  Status st = values_->Decode(v, padded);
  if (st.ok()) {
    out->offsets.push_back(r.offset);
    out->timestamps.push_back(r.timestamp);
    return;
  }
  out->malformed.push_back({r.offset, r.timestamp, std::string(st.message()), std::string(v)});
}

Status RecordDecoder::Next(DecodedBatch* out) {
  out->Clear();
  while (out->offsets.size() < options_.max_rows) {
    if (record_index_ == records_.size()) {
      ASSIGN_OR_RETURN(bool more, LoadBatch());
      if (!more) break;
    }
    DecodeRecord(records_[record_index_++], out);
  }
  out->batch.num_rows = values_->rows();
  out->batch.columns = values_->Finish();
  AddMetadata(out);
  return OkStatus();
}

void RecordDecoder::AddMetadata(DecodedBatch* out) const {
  for (RecordMetadata m : options_.metadata) {
    auto col = std::make_shared<columnar::Column>(MetadataType(m));
    col->mutable_values<int64_t>() = m == RecordMetadata::kOffset ? out->offsets : out->timestamps;
    col->SetSize(out->offsets.size());
    out->batch.columns.push_back(std::move(col));
  }
}

}  // namespace kappa::format
