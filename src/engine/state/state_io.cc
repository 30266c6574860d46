#include "engine/state/state_io.h"

#include <cstring>

#include "base/bytes.h"
#include "base/varint.h"

namespace kappa::engine {

void StateWriter::U32(uint32_t v) { AppendLE(&out_, v); }
void StateWriter::I64(int64_t v) { AppendLE(&out_, v); }
void StateWriter::I128(columnar::Int128 v) { AppendLE(&out_, v); }
void StateWriter::F64(double v) { AppendLE(&out_, v); }
void StateWriter::UVarint(uint64_t v) { AppendUVarint(&out_, v); }

void StateWriter::Bytes(std::string_view v) {
  UVarint(v.size());
  out_.append(v);
}

Status StateReader::Need(size_t n) const {
  if (data_.size() - pos_ < n) {
    return Corruption("{} is truncated at byte {} (needs {} more)", what_, pos_, n);
  }
  return OkStatus();
}

Status StateReader::U8(uint8_t* v) {
  RETURN_IF_ERROR(Need(1));
  *v = static_cast<uint8_t>(data_[pos_++]);
  return OkStatus();
}

template <typename T>
static void LoadAt(std::string_view data, size_t pos, T* v) {
  std::memcpy(v, data.data() + pos, sizeof(T));
}

Status StateReader::U32(uint32_t* v) {
  RETURN_IF_ERROR(Need(4));
  LoadAt(data_, pos_, v);
  pos_ += 4;
  return OkStatus();
}

Status StateReader::I64(int64_t* v) {
  RETURN_IF_ERROR(Need(8));
  LoadAt(data_, pos_, v);
  pos_ += 8;
  return OkStatus();
}

Status StateReader::I128(columnar::Int128* v) {
  RETURN_IF_ERROR(Need(16));
  LoadAt(data_, pos_, v);
  pos_ += 16;
  return OkStatus();
}

Status StateReader::F64(double* v) {
  RETURN_IF_ERROR(Need(8));
  LoadAt(data_, pos_, v);
  pos_ += 8;
  return OkStatus();
}

Status StateReader::UVarint(uint64_t* v) {
  const uint8_t* p = reinterpret_cast<const uint8_t*>(data_.data()) + pos_;
  const uint8_t* end = reinterpret_cast<const uint8_t*>(data_.data()) + data_.size();
  const uint8_t* start = p;
  if (!ReadUVarint(&p, end, v)) return Corruption("{} has a bad varint at byte {}", what_, pos_);
  pos_ += static_cast<size_t>(p - start);
  return OkStatus();
}

Status StateReader::Bytes(std::string_view* v) {
  uint64_t n = 0;
  RETURN_IF_ERROR(UVarint(&n));
  RETURN_IF_ERROR(Need(n));
  *v = data_.substr(pos_, n);
  pos_ += n;
  return OkStatus();
}

Status StateReader::ExpectEnd() const {
  if (done()) return OkStatus();
  return Corruption("{} has {} unexpected trailing bytes", what_, remaining());
}

}  // namespace kappa::engine
