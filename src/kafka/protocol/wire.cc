#include "kafka/protocol/wire.h"

#include <algorithm>
#include <limits>

namespace kappa::kafka {

// Kafka's unsigned varints carry at most 32 bits: five bytes.
static constexpr int kMaxUVarintBytes = 5;

Result<uint64_t> Reader::UVarint() {
  uint64_t value = 0;
  for (int i = 0; i < kMaxUVarintBytes; ++i) {
    if (remaining() == 0) return Truncated("varint cut short");
    uint8_t b = data_[pos_++];
    value |= static_cast<uint64_t>(b & 0x7f) << (7 * i);
    if ((b & 0x80) == 0) {
      if (value > std::numeric_limits<uint32_t>::max()) return Invalid("varint exceeds 32 bits");
      return value;
    }
  }
  return Invalid("varint longer than {} bytes", kMaxUVarintBytes);
}

Result<std::string_view> Reader::Take(size_t n) {
  if (n > remaining()) return Truncated("need {} bytes, {} left", n, remaining());
  std::string_view v(reinterpret_cast<const char*>(data_.data() + pos_), n);
  pos_ += n;
  return v;
}

Result<std::optional<size_t>> Reader::CheckedLength(int64_t n, const char* what) {
  if (n == -1) return std::optional<size_t>();
  if (n < -1) return Invalid("negative {} length {}", what, n);
  if (static_cast<uint64_t>(n) > remaining()) {
    return Truncated("{} length {} exceeds the {} bytes left", what, n, remaining());
  }
  return std::optional<size_t>(static_cast<size_t>(n));
}

Result<std::optional<size_t>> Reader::CompactLength(const char* what) {
  ASSIGN_OR_RETURN(uint64_t n, UVarint());
  return CheckedLength(static_cast<int64_t>(n) - 1, what);
}

Result<std::optional<size_t>> Reader::StringLength(bool flexible) {
  if (flexible) return CompactLength("string");
  ASSIGN_OR_RETURN(int16_t n, Fixed<int16_t>());
  return CheckedLength(n, "string");
}

Result<std::optional<size_t>> Reader::BytesLength(bool flexible) {
  if (flexible) return CompactLength("bytes");
  ASSIGN_OR_RETURN(int32_t n, Fixed<int32_t>());
  return CheckedLength(n, "bytes");
}

Result<std::optional<size_t>> Reader::ArrayCount(bool flexible, size_t min_element_size) {
  int64_t n;
  if (flexible) {
    ASSIGN_OR_RETURN(uint64_t u, UVarint());
    n = static_cast<int64_t>(u) - 1;
  } else {
    ASSIGN_OR_RETURN(int32_t c, Fixed<int32_t>());
    n = c;
  }
  if (n == -1) return std::optional<size_t>();
  if (n < -1) return Invalid("negative array count {}", n);
  uint64_t need = static_cast<uint64_t>(n) * std::max<size_t>(min_element_size, 1);
  if (need > remaining()) {
    return Truncated("array of {} needs at least {} bytes, {} left", n, need, remaining());
  }
  return std::optional<size_t>(static_cast<size_t>(n));
}

Status Reader::SkipTaggedFields() {
  ASSIGN_OR_RETURN(uint64_t count, UVarint());
  for (uint64_t i = 0; i < count; ++i) {
    ASSIGN_OR_RETURN(uint64_t tag, UVarint());
    ASSIGN_OR_RETURN(uint64_t size, UVarint());
    auto skipped = Take(size);
    if (!skipped.ok()) return skipped.status().WithContext(fmt::format("tagged field {}", tag));
  }
  return OkStatus();
}

void Writer::UVarint(uint64_t v) {
  while (v >= 0x80) {
    out_->push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out_->push_back(static_cast<char>(v));
}

Status Writer::StringLength(std::optional<size_t> n, bool flexible) {
  if (n && *n > kMaxStringSize) return Invalid("string of {} bytes exceeds {}", *n, kMaxStringSize);
  if (flexible) {
    UVarint(n ? *n + 1 : 0);
  } else {
    Fixed<int16_t>(n ? static_cast<int16_t>(*n) : int16_t{-1});
  }
  return OkStatus();
}

Status Writer::Length32(std::optional<size_t> n, bool flexible, const char* what) {
  constexpr size_t kMax = std::numeric_limits<int32_t>::max();
  if (n && *n > kMax) return Invalid("{} of {} exceeds the protocol's {}", what, *n, kMax);
  if (flexible) {
    UVarint(n ? *n + 1 : 0);
  } else {
    Fixed<int32_t>(n ? static_cast<int32_t>(*n) : -1);
  }
  return OkStatus();
}

Status Writer::BytesLength(std::optional<size_t> n, bool flexible) {
  return Length32(n, flexible, "bytes");
}

Status Writer::ArrayCount(std::optional<size_t> n, bool flexible) {
  return Length32(n, flexible, "array");
}

}  // namespace kappa::kafka
