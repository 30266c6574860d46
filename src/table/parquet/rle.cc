#include "table/parquet/rle.h"

#include <algorithm>

#include "base/varint.h"

namespace kappa::table::parquet {
namespace {

template <typename T>
void AppendBitPacked(std::span<const T> values, int bit_width, std::string* out) {
  size_t groups = (values.size() + 7) / 8;
  AppendUVarint(out, (groups << 1) | 1);
  uint64_t acc = 0;
  int bits = 0;
  for (size_t i = 0; i < groups * 8; ++i) {
    uint64_t v = i < values.size() ? values[i] : 0;
    acc |= v << bits;
    bits += bit_width;
    while (bits >= 8) {
      out->push_back(static_cast<char>(acc & 0xFF));
      acc >>= 8;
      bits -= 8;
    }
  }
}

template <typename T>
void AppendRleRun(size_t count, T value, int bit_width, std::string* out) {
  AppendUVarint(out, count << 1);
  int bytes = (bit_width + 7) / 8;
  for (int i = 0; i < bytes; ++i) out->push_back(static_cast<char>((static_cast<uint64_t>(value) >> (8 * i)) & 0xFF));
}

// Length of the run of equal values starting at i.
template <typename T>
size_t RunLength(std::span<const T> v, size_t i) {
  size_t j = i + 1;
  while (j < v.size() && v[j] == v[i]) ++j;
  return j - i;
}

template <typename T>
void Encode(std::span<const T> values, int bit_width, std::string* out) {
  if (bit_width == 0) {
    if (!values.empty()) AppendRleRun(values.size(), T{0}, 0, out);
    return;
  }
  size_t literal_start = 0;
  size_t i = 0;
  while (i < values.size()) {
    size_t run = RunLength(values, i);
    if (run >= 8) {
      if (i > literal_start) AppendBitPacked(values.subspan(literal_start, i - literal_start), bit_width, out);
      AppendRleRun(run, values[i], bit_width, out);
      i += run;
      literal_start = i;
    } else {
      // Literal groups are whole groups of 8 (only the last may be short).
      i = std::min(values.size(), i + 8);
    }
  }
  if (i > literal_start) AppendBitPacked(values.subspan(literal_start, i - literal_start), bit_width, out);
}

}  // namespace

int BitWidth(uint64_t max_value) {
  int w = 0;
  while (max_value != 0) {
    ++w;
    max_value >>= 1;
  }
  return w;
}

void EncodeHybrid(std::span<const uint32_t> values, int bit_width, std::string* out) {
  Encode(values, bit_width, out);
}

void EncodeHybrid(std::span<const uint8_t> values, int bit_width, std::string* out) {
  Encode(values, bit_width, out);
}

Status DecodeHybrid(ByteSpan data, int bit_width, size_t count, uint32_t* out) {
  if (bit_width < 0 || bit_width > 32) return Corruption("rle: bit width {}", bit_width);
  const uint8_t* p = data.data();
  const uint8_t* end = p + data.size();
  size_t n = 0;
  uint32_t mask = bit_width == 32 ? 0xFFFFFFFFu : ((1u << bit_width) - 1);
  size_t value_bytes = static_cast<size_t>(bit_width + 7) / 8;
  while (n < count) {
    uint64_t header;
    if (!ReadUVarint(&p, end, &header)) return Corruption("rle: truncated run header");
    if ((header & 1) == 0) {
      uint64_t run = header >> 1;
      if (static_cast<size_t>(end - p) < value_bytes) return Corruption("rle: truncated run value");
      uint32_t v = 0;
      for (size_t b = 0; b < value_bytes; ++b) v |= static_cast<uint32_t>(p[b]) << (8 * b);
      p += value_bytes;
      size_t take = static_cast<size_t>(std::min<uint64_t>(run, count - n));
      std::fill(out + n, out + n + take, v & mask);
      n += take;
    } else {
      uint64_t groups = std::min<uint64_t>(header >> 1, count);
      uint64_t bytes = groups * static_cast<uint64_t>(bit_width);
      if (bytes > static_cast<uint64_t>(end - p)) {
        // Some writers end the last run early; decode what is there.
        bytes = static_cast<uint64_t>(end - p);
        groups = bytes / static_cast<uint64_t>(bit_width);
        if (groups == 0) return Corruption("rle: truncated bit-packed run");
      }
      size_t values = static_cast<size_t>(std::min<uint64_t>(groups * 8, count - n));
      uint64_t acc = 0;
      int bits = 0;
      const uint8_t* q = p;
      for (size_t i = 0; i < values; ++i) {
        while (bits < bit_width) {
          acc |= static_cast<uint64_t>(*q++) << bits;
          bits += 8;
        }
        out[n + i] = static_cast<uint32_t>(acc) & mask;
        acc >>= bit_width;
        bits -= bit_width;
      }
      n += values;
      p += bytes;
    }
  }
  return OkStatus();
}

void PackBits(std::span<const uint8_t> bits, std::string* out) {
  size_t start = out->size();
  out->resize(start + (bits.size() + 7) / 8, 0);
  char* dst = out->data() + start;
  for (size_t i = 0; i < bits.size(); ++i) {
    if (bits[i]) dst[i / 8] = static_cast<char>(dst[i / 8] | (1 << (i % 8)));
  }
}

}  // namespace kappa::table::parquet
